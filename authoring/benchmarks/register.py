"""The register at AGREEMENTS agreements against the register of SMALL agreements.

Two members of one database: one belongs to AGREEMENTS agreements, the other to SMALL of the
same make. Titles and both parties' names are realistic and multilingual (Polish, Spanish,
Hebrew, Russian, Tagalog, English), statuses and dates spread as a real register's are, a
tenth of the agreements with no review date. The agreements are written in bulk (core
inserts, a few thousand rows a statement): the services would take an hour for 100,000.

Each of four register pages is read through a logged-in test client, the two members
interleaved: the first page (by next review), a search (Unicode, found in titles and in
counterparties), a status filter and the sort by title. Target: each page at most TARGET x
the small register's. Run on a throw-away SQLite app always, and on PostgreSQL in a
throw-away database created beside the one given (never in it) when a URL is given.
"""
from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from .history import order
from .site import PageError, Site, get_page, migrated_site, ratio_figure

AGREEMENTS = 100_000
SMALL = 10
TARGET = 2.0
BATCH = 5000
BIG, LITTLE = "register-big@bench.example", "register-small@bench.example"
SEARCH = "łódź"  # folded: the data spell it "Łódź" and "ŁÓDŹ"
FILTER = "negotiating"
PAGES = {
    "first": "/agreements",
    "search": f"/agreements?q={quote(SEARCH)}",
    "filter": f"/agreements?status={FILTER}",
    "sort": "/agreements?sort=title",
}

TITLES = (
    "Umowa o świadczenie usług IT nr {n}", "Umowa serwisowa — {city} {n}", "Contrato de soporte técnico {n}",
    "Acuerdo de nivel de servicio (SLA) {n}", "הסכם שירותי ענן {n}", "הסכם תחזוקה ותמיכה — {city} {n}",
    "Договор на техническое обслуживание № {n}", "Соглашение об уровне сервиса {n}",
    "Kasunduan sa serbisyo ng suporta {n}", "Kontrata sa pagpapanatili ng sistema {n}",
    "Managed hosting agreement {n}", "Support and maintenance agreement — {city} {n}",
)
CITIES = ("Łódź", "Kraków", "Gdańsk", "Poznań", "Wrocław", "Białystok", "Częstochowa", "Zielona Góra", "Toruń",
          "Rzeszów", "Málaga", "A Coruña", "Logroño", "Cádiz", "León", "Córdoba", "Alcalá de Henares", "Jaén",
          "Ourense", "Valencia", "תל אביב", "חיפה", "ירושלים", "באר שבע", "נתניה", "אשדוד", "Москва",
          "Санкт-Петербург", "Новосибирск", "Екатеринбург", "Казань", "Нижний Новгород", "Самара", "Quezon City",
          "Cebu", "Iloilo", "Davao", "Las Piñas", "Parañaque", "Bacolod", "Manchester", "Leeds", "Bristol",
          "Cardiff", "Glasgow", "Belfast", "Norwich", "York")
STEMS = ("Wójcik", "Kowalczyk", "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Peñalver", "Muñoz", "Ibáñez",
         "Núñez", "Gómez", "Ortúzar", "כהן", "לוי", "מזרחי", "פרץ", "ביטון", "אברהם", "Кузнецов", "Смирнов", "Попов",
         "Соколов", "Лебедев", "Козлов", "Dela Cruz", "Bautista", "Mendoza", "Villanueva", "Santos", "Reyes",
         "Whitfield", "Ashworth", "Pemberton", "Hargreaves", "Northwind", "Acme")
FORMS = ("{stem} i Wspólnicy sp. z o.o.", "Zakład Usług Informatycznych {stem} {city}", "{stem} y Asociados S.L.",
         "Soluciones Informáticas {stem} S.A. ({city})", "{stem} מערכות מידע בע״מ", "{stem} הנדסת תוכנה בע״מ — {city}",
         "ООО «{stem} и партнёры»", "АО «{stem} Технологии», {city}", "{stem} Teknolohiya, Inc.",
         "Mga Serbisyo ng {stem} Corp. ({city})", "{stem} Hosting Ltd", "{stem} Support Services plc, {city}")


def _party(rng: random.Random, city: str) -> str:
    return rng.choice(FORMS).format(stem=rng.choice(STEMS), city=city)


# A real register: mostly executed or being reviewed, some closed, a few in progress.
STATUS_WEIGHTS = {"executed": 42, "in_review": 10, "expired": 14, "terminated": 5, "draft": 11, "negotiating": 9,
                  "ready": 4, "signing": 5}


def _agreement_rows(count: int, user_id: int, rng: random.Random, today: date) -> Iterator[dict[str, Any]]:
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    for n in range(count):
        city = "Łódź" if n == 0 else rng.choice(CITIES)  # so even the small register has a row the search finds
        effective = today + timedelta(days=rng.randint(-6 * 365, 365))
        ends = effective + timedelta(days=rng.choice((365, 730, 1095))) if rng.random() < 0.85 else None
        review = today + timedelta(days=rng.randint(-60, 400)) if rng.random() < 0.9 else None
        renewal = ends - timedelta(days=90) if ends and rng.random() < 0.6 else None
        title = TITLES[1] if n == 0 else rng.choice(TITLES)
        status = FILTER if n == 0 else rng.choices(statuses, weights)[0]  # and one the filter finds
        yield {"title": title.format(n=f"{rng.randint(1, 9999)}/{effective.year}", city=city),
               "language": rng.choice(("pl", "es", "he", "ru", "tl", "en")),
               "provider_name": _party(rng, rng.choice(CITIES)), "client_name": _party(rng, city),
               "status": status, "created_by_id": user_id, "started_by_side": "provider",
               "effective_on": effective, "ends_on": ends, "next_review_on": review, "renewal_opens_on": renewal}


def fill(site: Site, email: str, name: str, count: int, seed: int) -> int:
    """A member of `count` generated agreements (on either side, mostly an owner); returns the user's id."""
    from sqlalchemy import insert

    from ..extensions import db
    from ..models import Agreement, Membership, utcnow

    user_id = site.person(email, name)
    rng = random.Random(seed)
    with site.app.app_context():
        now = utcnow()
        rows = _agreement_rows(count, user_id, rng, now.date())
        for start in range(0, count, BATCH):
            batch = [{**next(rows), "created_at": now} for _n in range(min(BATCH, count - start))]
            ids = db.session.scalars(insert(Agreement).returning(Agreement.id, sort_by_parameter_order=True),
                                     batch).all()
            db.session.execute(insert(Membership), [
                {"agreement_id": agreement_id, "user_id": user_id, "side": rng.choice(("provider", "client")),
                 "role": rng.choices(("owner", "editor", "signatory", "viewer"), (6, 2, 1, 1))[0], "created_at": now}
                for agreement_id in ids])
        db.session.commit()
    return user_id


def _shown(html: str) -> tuple[int, int]:
    """(rows on the page, agreements the page says match) - a page that lost its rows is not a fast one."""
    import re

    rows = len(re.findall(r'<tr data-agreement="\d+"', html))
    found = re.search(r"of ([\d,]+) agreements?", html)
    return rows, int(found.group(1).replace(",", "")) if found else 0


def measure(site: Site, agreements: int = AGREEMENTS, runs: int = 5) -> dict[str, Any]:
    """Fill both registers, then GET each page `runs` times, the two members interleaved."""
    small = min(SMALL, agreements)
    fill(site, BIG, "Zofia Wójcik", agreements, seed=18)
    fill(site, LITTLE, "María José Peñalver", small, seed=19)
    if site.app.config["DATABASE_URL"].startswith("postgresql"):
        _vacuum(site)
    clients = {"small": site.client(LITTLE), "large": site.client(BIG)}
    times: dict[str, dict[str, list[float]]] = {page: {"small": [], "large": []} for page in PAGES}
    html: dict[str, dict[str, str]] = {page: {} for page in PAGES}
    for page, url in PAGES.items():  # warm-up, untimed; and each page must show what it found
        for size, client in clients.items():
            _ms, html[page][size] = get_page(client, url)
            rows, found = _shown(html[page][size])
            if not rows or rows != min(found, 25):
                raise PageError(f"GET {url} as the {size} register's member showed {rows} rows of {found}")
    for run in range(runs):
        for page, url in PAGES.items():
            for size in order(run):
                ms, html[page][size] = get_page(clients[size], url)
                times[page][size].append(ms)
    figures = {page: ratio_figure(times[page]["large"], times[page]["small"], len(html[page]["large"].encode()),
                                  len(html[page]["small"].encode()), TARGET) for page in PAGES}
    for figure in figures.values():  # the target is on time: 25 rows against 10 make a larger page, as they should
        figure["target_met"] = figure["time_ratio"] <= TARGET
    from sqlalchemy.engine import make_url

    return {
        "register_database": make_url(site.app.config["DATABASE_URL"]).database,  # thrown away after the part
        "register_agreements": {"small": small, "large": agreements},
        "register_runs": runs,
        "register_found": {page: {size: _shown(text)[1] for size, text in pages.items()} for page, pages in html.items()},
        "register_pages": figures,
        "register_target_met": all(figure["target_met"] for figure in figures.values()),
    }


def _vacuum(site: Site) -> None:
    """Planner statistics and the visibility map after the bulk load, as autovacuum would make them soon after
    (a member's agreements are then counted from the index alone)."""
    from ..extensions import db

    with site.app.app_context():
        with db.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            # The whole (throw-away) database: the register's search and count tables were filled too.
            connection.exec_driver_sql("VACUUM ANALYZE")


@contextmanager
def throwaway_postgres_site(url: str) -> Iterator[Site]:
    """A fresh app in a database created for it on the server of `url` and dropped afterwards: the
    database `url` names is only connected to, to create and drop the other."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"accord_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            with migrated_site(make_url(url).set(database=name).render_as_string(hide_password=False)) as site:
                yield site
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    finally:
        admin.dispose()


def run(agreements: int, runs: int, postgres_url: str | None) -> dict[str, Any]:
    """The part on SQLite, and on PostgreSQL when a URL is given; `register_<backend>_error` says why one failed."""
    from .site import throwaway_site

    figures: dict[str, Any] = {}
    if not agreements:
        return figures
    backends = [("sqlite", throwaway_site)]
    if postgres_url:
        backends.append(("postgresql", lambda: throwaway_postgres_site(postgres_url)))
    for backend, make_site in backends:
        try:
            with make_site() as site:
                figures[f"register_{backend}"] = measure(site, agreements, runs)
            figures[f"register_{backend}_error"] = None
        except PageError as error:
            figures[f"register_{backend}_error"] = str(error)
        except Exception as error:  # a server that refuses a database, a lost connection: said, not raised
            if backend == "sqlite":
                raise
            figures[f"register_{backend}_error"] = f"{error.__class__.__name__}: {str(error).splitlines()[0]}"
    return figures


PAGE_LABELS = {"first": "first page", "search": f"search “{SEARCH}”", "filter": f"status {FILTER}",
               "sort": "sorted by title"}


def report_lines(figures: dict[str, Any]) -> list[str]:
    """The register part's lines of the benchmark's table."""
    lines: list[str] = []
    for backend, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        if f"register_{backend}_error" not in figures:
            continue
        lines.append("")
        error = figures[f"register_{backend}_error"]
        if error:
            lines.append(f"Register on {label}: not measured - {error}.")
            continue
        part = figures[f"register_{backend}"]
        counts = part["register_agreements"]
        lines += [f"Register on {label}: a member of {counts['large']:,} agreements against one of {counts['small']:,} "
                  f"(one database); median of {part['register_runs']} runs",
                  "",
                  f"{'page':<22} {'small ms':>9} {'large ms':>9} {'time x':>7} {'found':>13} {'target':>7}"]
        for page, figure in part["register_pages"].items():
            found = part["register_found"][page]
            lines.append(f"{PAGE_LABELS[page]:<22} {figure['ms']['small']:>9.1f} {figure['ms']['large']:>9.1f} "
                         f"{figure['time_ratio']:>7.2f} {found['small']:>4,} / {found['large']:>6,} "
                         f"{figure['target_ratio']:>6.1f}x")
        lines.append(f"Target: each page's time <= {TARGET} x the small register's - "
                     f"{'met' if part['register_target_met'] else 'NOT met'}.")
    return lines
