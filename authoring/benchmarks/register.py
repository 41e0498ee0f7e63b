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
from .site import PageError, Site, get_page, ratio_figure

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
    "Acuerdo de nivel de servicio (SLA) {n}", "הסכם שירותי ענן {n}", "הסכם תחזוקה ותמיכה {n}",
    "Договор на техническое обслуживание № {n}", "Соглашение об уровне сервиса {n}",
    "Kasunduan sa serbisyo ng suporta {n}", "Kontrata sa pagpapanatili ng sistema {n}",
    "Managed hosting agreement {n}", "Support and maintenance agreement — {city} {n}",
)
CITIES = ("Łódź", "Kraków", "Gdańsk", "Málaga", "A Coruña", "Тель-Авив", "Санкт-Петербург", "Quezon City",
          "Cebu", "Manchester", "חיפה", "Poznań", "Sevilla", "Новосибирск", "Iloilo", "Leeds")
NAMES = (
    "Zakład Usług Informatycznych {city} sp. z o.o.", "Przedsiębiorstwo Wielobranżowe „Żuraw”", "ŁÓDZKIE Centrum Danych S.A.",
    "Compañía Ibérica de Servicios S.A.", "Soluciones Informáticas Peñalver S.L.", "Telecomunicaciones {city} S.A.",
    "חברת הנדסת תוכנה בע״מ", "מערכות מידע {city} בע״מ", "ООО «Технологии {city}»", "АО «Северная сеть»",
    "Kompanya ng Teknolohiya ng {city}, Inc.", "Mga Serbisyong Pang-Impormasyon ng Maynila Corp.",
    "Northwind Hosting Ltd", "Acme Support Services plc ({city})",
)
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
        yield {"title": title.format(n=f"{rng.randint(1, 9999)}/{effective.year}", city=city),
               "language": rng.choice(("pl", "es", "he", "ru", "tl", "en")),
               "provider_name": rng.choice(NAMES).format(city=rng.choice(CITIES)),
               "client_name": rng.choice(NAMES).format(city=city),
               "status": rng.choices(statuses, weights)[0], "created_by_id": user_id, "started_by_side": "provider",
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
