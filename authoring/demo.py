"""Demo users and a sample agreement, so a new user can try every screen at once."""
from __future__ import annotations

from sqlalchemy import select

from .accounts.passwords import hash_password
from .agreements.services import create_agreement
from .extensions import db
from .models import Membership, User
from .demo_terms import demo_terms
from .interview.services import set_terms
from .revisions.services import cut_revision, draft_of, edit_clause_text

DEMO_PASSWORD = "demo-password"
DEMO_USERS = [
    ("provider@example.com", "Maria Santos", "provider owner (Northwind IT Services)"),
    ("client@example.com", "Jan Kowalski", "client editor (Globex Logistics)"),
    ("legal@example.com", "Noa Levi", "client reviewer (legal)"),
    ("signer@example.com", "Olga Ivanova", "client signatory"),
]
DEMO_TITLE = "Managed IT support for Globex Logistics"
DEMO_TITLE_ES = "Soporte informático gestionado para Globex Logística"


def create_demo() -> bool:
    """Create the demo data; returns False (and changes nothing) when it already exists."""
    if db.session.scalar(select(User).where(User.email == DEMO_USERS[0][0])) is not None:
        return False
    users = {}
    for email, name, _ in DEMO_USERS:
        users[email] = User(email=email, name=name, password_hash=hash_password(DEMO_PASSWORD))
        db.session.add(users[email])
    db.session.flush()
    provider = users["provider@example.com"]
    english = _demo_agreement(users, DEMO_TITLE, "en", "Northwind IT Services Ltd.", "Globex Logistics S.A.")
    cut_revision(english, provider, "First draft: every interview step answered")
    draft, document = draft_of(english)
    key = "services.standards" if any(c.key == "services.standards" for c in document.clauses()) else next(document.clauses()).key
    edit_clause_text(
        english, provider, key,
        "The Provider will perform the services with reasonable skill and care, in line with good industry "
        "practice (ISO/IEC 20000-1), and will promise only what it can deliver. Zespół wsparcia odpowiada "
        "po polsku, en español y на русском языке.",
        draft.version,
    )
    cut_revision(english, provider, "Named the service management standard; support languages")
    spanish = _demo_agreement(users, DEMO_TITLE_ES, "es", "Northwind Servicios TI, S.L.", "Globex Logística, S.A.")
    cut_revision(spanish, provider, "Primer borrador: entrevista completa")
    return True


def _demo_agreement(users, title, language, provider_name, client_name):
    provider = users["provider@example.com"]
    agreement = create_agreement(provider, title=title, language=language,
                                 provider_name=provider_name, client_name=client_name)
    for email, side, role in [
        ("client@example.com", "client", "editor"),
        ("legal@example.com", "client", "reviewer"),
        ("signer@example.com", "client", "signatory"),
    ]:
        db.session.add(Membership(agreement_id=agreement.id, user_id=users[email].id, side=side, role=role))
    db.session.commit()
    set_terms(agreement, provider, demo_terms(language, title), "demo data")
    return agreement
