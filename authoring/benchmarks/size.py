"""Size: the draft page of a CLAUSES-clause agreement against one of a tenth as many clauses.

Both drafts are the benchmark's synthetic agreements (bench.synthetic_agreement: clauses of
200 words, a section every ten). Targets: the large page's HTML under MAX_BYTES, and its
time at most TARGET x the small one's. Whatever a page shows of the text, its contents must
still link to every clause, each link to the page and anchor where that clause is; the
benchmark follows the links of the large draft to check it.
"""
from __future__ import annotations

import re
import statistics
from typing import Any
from urllib.parse import urlsplit

from .history import order
from .site import PageError, Site, get_page

CLAUSES = 3000
TARGET = 2.0
MAX_BYTES = 1_000_000
OWNER = "drafter@bench.example"
TOC = re.compile(r'<nav class="toc".*?</nav>', re.S)
LINK = re.compile(r'href="([^"#]*)#clause-([^"]+)"')


def _agreement(site: Site, clauses: int) -> int:
    from sqlalchemy import select

    from ..agreements.services import create_agreement
    from ..bench import synthetic_agreement
    from ..document import Document
    from ..extensions import db
    from ..models import User

    with site.app.test_request_context(method="POST"):
        owner = db.session.scalars(select(User).where(User.email == OWNER)).one()
        return create_agreement(owner, title=f"Size benchmark ({clauses} clauses)", language="en",
                                provider_name="Zakład Usług Łódź sp. z o.o.", client_name="Compañía Ibérica S.A.",
                                document=Document.from_dict(synthetic_agreement(clauses))).id


def contents_links(html: str) -> dict[str, str]:
    """Clause key -> the address (path and query) the page's contents link it to ('' for this page)."""
    toc = TOC.search(html)
    return {key: address for address, key in LINK.findall(toc.group(0))} if toc else {}


def check_contents(client, url: str, html: str, clauses: int) -> int:
    """PageError unless the contents link every clause to a page that holds its anchor; returns the pages visited."""
    links = contents_links(html)
    if len(links) != clauses:
        raise PageError(f"the contents of {url} link {len(links)} clauses, not {clauses}")
    pages: dict[str, str] = {"": html}
    for key, address in links.items():
        if address not in pages:
            parts = urlsplit(address)
            _ms, pages[address] = get_page(client, parts.path + (f"?{parts.query}" if parts.query else ""))
        if f'id="clause-{key}"' not in pages[address]:
            raise PageError(f"the contents link clause {key} to {address or url}, which does not show it")
    return len(pages)


def measure(site: Site, clauses: int = CLAUSES, runs: int = 5) -> dict[str, Any]:
    """Build both drafts, check the large one's contents, then GET both pages `runs` times, interleaved."""
    site.person(OWNER, "Ирина Волкова")
    small_clauses = max(10, clauses // 10)
    ids = {"small": _agreement(site, small_clauses), "large": _agreement(site, clauses)}
    client = site.client(OWNER)
    urls = {size: f"/agreements/{agreement_id}" for size, agreement_id in ids.items()}
    html = {size: get_page(client, url)[1] for size, url in urls.items()}  # warm-up, untimed
    visited = check_contents(client, urls["large"], html["large"], clauses)
    check_contents(client, urls["small"], html["small"], small_clauses)
    times: dict[str, list[float]] = {"small": [], "large": []}
    for run in range(runs):
        for size in order(run):
            ms, html[size] = get_page(client, urls[size])
            times[size].append(ms)
    sizes = {size: len(page.encode("utf-8")) for size, page in html.items()}
    small, large = statistics.median(times["small"]), statistics.median(times["large"])
    return {
        "size_clauses": {"small": small_clauses, "large": clauses},
        "size_runs": runs,
        "size_ms": {"small": small, "large": large},
        "size_bytes": sizes,
        "size_time_ratio": large / small,
        "size_time_ratio_per_run_median": statistics.median(b / s for b, s in zip(times["large"], times["small"])),
        "size_pages_of_large_draft": visited,
        "size_target_ratio": TARGET,
        "size_target_bytes": MAX_BYTES,
        "size_target_met": large / small <= TARGET and sizes["large"] < MAX_BYTES,
    }
