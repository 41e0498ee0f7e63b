"""A throw-away app for the benchmark: a migrated SQLite file in a temporary folder, people, timed requests."""
from __future__ import annotations

import gc
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PASSWORD = "bench password 1"


@dataclass
class Site:
    """The app, and a logged-in test client per e-mail address."""

    app: Any
    clients: dict[str, Any] = field(default_factory=dict)

    def person(self, email: str, name: str) -> int:
        """A confirmed account (made directly, as the demo data is); returns its id."""
        from ..accounts.passwords import hash_password
        from ..extensions import db
        from ..models import User, utcnow

        with self.app.app_context():
            user = User(email=email, name=name, password_hash=hash_password(PASSWORD), email_verified_at=utcnow())
            db.session.add(user)
            db.session.commit()
            return user.id

    def has_person(self, email: str) -> bool:
        from sqlalchemy import select

        from ..extensions import db
        from ..models import User

        with self.app.app_context():
            return db.session.scalar(select(User.id).where(User.email == email)) is not None

    def client(self, email: str):
        """A test client logged in as `email` through the login form."""
        if email not in self.clients:
            client = self.app.test_client()
            response = client.post("/login", data={"email": email, "password": PASSWORD})
            if response.status_code != 302:
                raise RuntimeError(f"logging in as {email} answered {response.status_code}")
            self.clients[email] = client
        return self.clients[email]


@contextmanager
def migrated_site(database_url: str) -> Iterator[Site]:
    """A benchmark app on `database_url` (an empty database), migrated; its connections closed afterwards."""
    from .. import create_app, schema
    from ..extensions import db

    app = create_app({"SECRET_KEY": "bench-only-secret", "DATABASE_URL": database_url,
                      "PASSWORD_HASH_PROFILE": "cheapest", "WTF_CSRF_ENABLED": False})
    try:
        with app.app_context():
            schema.upgrade()
        yield Site(app)
    finally:
        db.dispose(app)


@contextmanager
def throwaway_site() -> Iterator[Site]:
    """A fresh app on its own SQLite file, removed afterwards; the configured database is never touched."""
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as folder:
        with migrated_site(f"sqlite:///{Path(folder) / 'bench.sqlite3'}") as site:
            yield site


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    """(milliseconds, result) of one call, with the garbage collector held off as timeit does."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        result = action()
        return (time.perf_counter() - start) * 1000, result
    finally:
        gc.enable()


class PageError(RuntimeError):
    """A page the benchmark timed did not answer as it must (so its time would mean nothing)."""


def get_page(client, url: str, status: int = 200) -> tuple[float, str]:
    """(milliseconds, HTML) of one GET; PageError unless it answered `status`."""
    ms, response = timed(lambda: client.get(url))
    if response.status_code != status:
        raise PageError(f"GET {url} answered {response.status_code}")
    return ms, response.get_data(as_text=True)


def ratio_figure(big_ms: list[float], small_ms: list[float], big_bytes: int, small_bytes: int,
                 target: float) -> dict[str, Any]:
    """One row of a part: medians, the time and size ratios big/small, and whether the target holds for both."""
    big, small = statistics.median(big_ms), statistics.median(small_ms)
    time_ratio, bytes_ratio = big / small, big_bytes / small_bytes
    return {
        "ms": {"small": small, "large": big}, "bytes": {"small": small_bytes, "large": big_bytes},
        "time_ratio": time_ratio, "bytes_ratio": bytes_ratio,
        # Each run's two figures were taken moments apart: their ratio shrugs off load that comes and goes.
        "time_ratio_per_run_median": statistics.median(b / s for b, s in zip(big_ms, small_ms)),
        "target_ratio": target, "target_met": time_ratio <= target and bytes_ratio <= target,
    }
