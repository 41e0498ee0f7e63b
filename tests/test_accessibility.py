"""Every page meets WCAG 2.1 AA as axe-core (npm) judges it, in a real headless Chromium.

The pages are those of the demo data - three agreements (drafted, negotiated, executed and
amended) seen by a provider-side owner, and the pages anyone sees signed out - so each page
shows its lists, tables, badges and forms with real content, in English and Spanish.
axe-core is installed from npm into .cache/axe when it is not there yet (`npm` is needed;
.ci/run installs it); without it the test is skipped, or fails under REQUIRE_BROWSER=1.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from authoring import create_app
from authoring.demo import DEMO_PASSWORD, create_demo
from authoring.extensions import db
from conftest import base_config, demo_urls

pytestmark = pytest.mark.browser

AXE_VERSION = "4.10.3"
AXE_DIR = Path(__file__).resolve().parent.parent / ".cache" / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe_source() -> str:
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if npm is None:
            reason = "axe-core is not installed and there is no npm to install it"
            if os.environ.get("REQUIRE_BROWSER") == "1":
                pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
            pytest.skip(reason)
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(AXE_DIR),
                        f"axe-core@{AXE_VERSION}"], check=True, timeout=300)
    return AXE_JS.read_text(encoding="utf-8")


def _violations(page, axe: str) -> list[str]:
    page.evaluate(axe)  # evaluated through the DevTools protocol: the page's CSP does not apply
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} - " + "; ".join(n["target"][0] if n["target"] else "?"
                                                               for n in v["nodes"][:5])
            for v in result["violations"]]


def _demo_urls(config: dict) -> list[str]:
    app = create_app(base_config(**config))
    with app.app_context():
        assert create_demo()
    urls = demo_urls(app)
    db.dispose(app)
    return urls


def test_every_page_has_no_wcag_aa_violation(backend, db_config, live_server, new_page):
    if backend != "sqlite":
        pytest.skip("the pages are the same on either database; checked once")
    axe = _axe_source()
    urls = _demo_urls(db_config)
    page = new_page()
    found = {}
    for path in ("/login", "/register", "/verify"):
        page.goto(live_server + path)
        found.update({path: v for v in [_violations(page, axe)] if v})
    page.goto(live_server + "/login")
    page.get_by_label("E-mail address").fill("provider@example.com")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server + "/agreements")
    for path in urls:
        response = page.goto(live_server + path)
        assert response is not None and response.status < 500, f"{path}: {response and response.status}"
        violations = _violations(page, axe)
        if violations:
            found[path] = violations
    assert not found, "\n".join(f"{path}:\n  " + "\n  ".join(v) for path, v in found.items())
