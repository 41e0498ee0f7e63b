"""Demo users and a sample agreement, so a new user can try every screen at once."""
from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from .accounts.passwords import hash_password
from .agreements.services import accept_invitation, create_agreement, create_invitation
from .extensions import db
from .models import User
from .demo_terms import BUSINESS_HOURS, demo_terms
from .interview.services import mark_ready, set_terms
from .access import membership_of
from .negotiation.comments import add_comment, threads_of
from .negotiation.services import accept, propose, send_to_other_side, share
from .operations.demo_history import demo_dispute, demo_service_history
from .revisions.services import cut_revision, draft_of, edit_clause_text
from .models import utcnow
from .reviews.amendments import open_amendment
from .reviews.renewal import shift_dated_rows
from .reviews.schedule import add_months
from .reviews.services import Achieved, executed_terms, record_review, results_from, targets_of
from .signing.services import sign

DEMO_PASSWORD = "demo-password"
DEMO_USERS = [
    ("provider@example.com", "Maria Santos", "provider owner (Northwind IT Services)"),
    ("client@example.com", "Jan Kowalski", "client owner (Globex Logistics)"),
    ("legal@example.com", "Noa Levi", "client reviewer (legal)"),
    ("signer@example.com", "Olga Ivanova", "client signatory"),
    ("director@example.com", "Tomasz Nowak", "provider signatory"),
]
DEMO_TITLE = "Managed IT support for Globex Logistics"
DEMO_TITLE_ES = "Soporte informático gestionado para Globex Logística"
DEMO_TITLE_EXECUTED = "Cloud backup service for Globex Logistics"
# One complete agreement in each further language; the Hebrew one executed and reviewed.
DEMO_TITLES = {
    "pl": "Obsługa informatyczna dla Globex Logistyka",
    "ru": "Управляемая ИТ-поддержка для «Глобекс Логистика»",
    "tl": "Pinamamahalaang suporta sa IT para sa Globex Logistics",
    "he": "שירות גיבוי בענן לגלובקס לוגיסטיקה",
}
FIRST_DRAFT = {
    "pl": "Pierwszy projekt: wywiad uzupełniony w całości",
    "ru": "Первая редакция: все шаги опроса заполнены",
    "tl": "Unang borador: nasagot ang bawat hakbang ng panayam",
}
# What the people of the executed agreements write, in its language.
EXECUTED_TEXTS = {
    "en": {
        "share": "Backup service: draft for your review",
        "addition": " Backups of the Tel Aviv office are labelled in Hebrew: גיבוי יומי מוצפן.",
        "reason": "Our Tel Aviv office must read the labels.",
        "sent": "One addition on backup labels", "accepted": "Accepted the Hebrew labels",
        "effectiveness": "Backups ran every night; one P1 restore was answered late.",
        "client_issues": "Test restores need the client's approval within two business days; one took five.",
        "decisions": "Raise the availability target to 99.7 % once the second data centre is live.",
        "action": "Second data centre live", "period": "first quarter",
        "amendment": "Review 1: availability target up to 99.7 % with the second data centre.",
        "agreed": "Agreed at review 1.",
        "provider_title": "Chief Operating Officer", "client_title": "Chief Financial Officer",
    },
    "he": {
        "share": "שירות גיבוי: טיוטה לעיונכם",
        "addition": " גיבויי משרד תל אביב מסומנים בעברית ובאנגלית (Daily encrypted backup).",
        "reason": "משרד תל אביב צריך לקרוא את התוויות.",
        "sent": "תוספת אחת בנושא תוויות הגיבוי", "accepted": "התוספת בנושא התוויות התקבלה",
        "effectiveness": "הגיבויים רצו מדי לילה; לשחזור אחד בעדיפות P1 ניתן מענה באיחור.",
        "client_issues": "שחזורי ניסיון טעונים אישור הלקוח בתוך 2 ימי עסקים; אחד מהם ארך 5 ימים.",
        "decisions": "להעלות את יעד הזמינות ל-99.7% לאחר שמרכז הנתונים השני יעלה לאוויר.",
        "action": "מרכז הנתונים השני פעיל", "period": "הרבעון הראשון",
        "amendment": "סקירה 1: יעד הזמינות עולה ל-99.7% עם מרכז הנתונים השני.",
        "agreed": "סוכם בסקירה 1.",
        "provider_title": "סמנכ\"ל תפעול", "client_title": "סמנכ\"לית כספים",
    },
}


def create_demo() -> bool:
    """Create the demo data; returns False (and changes nothing) when it already exists."""
    if db.session.scalar(select(User).where(User.email == DEMO_USERS[0][0])) is not None:
        return False
    users = {}
    for email, name, _ in DEMO_USERS:
        # Demo addresses receive no mail: they count as confirmed, so they can accept and sign.
        users[email] = User(email=email, name=name, password_hash=hash_password(DEMO_PASSWORD),
                            email_verified_at=utcnow())
        db.session.add(users[email])
    db.session.flush()
    provider = users["provider@example.com"]
    english = _demo_agreement(users, DEMO_TITLE, "en")
    cut_revision(english, provider, "First draft: every interview step answered")
    draft, document = draft_of(english)
    key = "services.standards" if any(c.key == "services.standards" for c in document.clauses()) else next(document.clauses()).key
    edit_clause_text(
        english, provider, key,
        "The Provider will perform the services with reasonable skill and care, in line with good industry "
        "practice (ISO/IEC 20000-1), and will promise only what it can deliver. Zespół wsparcia odpowiada "
        "po polsku, en español y на русском языке.",
        draft.version, document.clause(key).text,
    )
    cut_revision(english, provider, "Named the service management standard; support languages")
    _negotiate(english, users, key)
    spanish = _demo_agreement(users, DEMO_TITLE_ES, "es")
    cut_revision(spanish, provider, "Primer borrador: entrevista completa")
    for language, message in FIRST_DRAFT.items():
        cut_revision(_demo_agreement(users, DEMO_TITLES[language], language), provider, message)
    _executed(users, "en", DEMO_TITLE_EXECUTED)
    _executed(users, "he", DEMO_TITLES["he"])
    return True


def _under_way(terms: dict, today: date) -> dict:
    """The demo terms moved so the term began on the first of the month seven months ago (dated rows alike)."""
    start = date.fromisoformat(terms["timeline"]["effective_date"])
    months = (today.year * 12 + today.month - 7) - (start.year * 12 + start.month)
    moved = copy.deepcopy(terms)
    for field in ("effective_date", "end_date"):
        moved["timeline"][field] = add_months(date.fromisoformat(moved["timeline"][field]), months).isoformat()
    shift_dated_rows(moved, months)
    return moved


def _executed(users, language: str, title: str):
    """A third agreement under way: negotiated over two revisions, signed by both sides, reviewed
    once, and amended after that review - so every export and the whole life cycle can be tried."""
    provider, client = users["provider@example.com"], users["client@example.com"]
    director, signer = users["director@example.com"], users["signer@example.com"]
    words = EXECUTED_TEXTS[language]
    agreement = _demo_agreement(users, title, language)
    _join(agreement, provider, director, "provider", "signatory")
    today = utcnow().date()
    terms = _under_way(demo_terms(language, title), today)
    # The terms name the people who sign: only they can.
    terms["parties"]["provider"].update(signatory_name=director.name, signatory_title=words["provider_title"])
    terms["parties"]["client"].update(signatory_name=signer.name, signatory_title=words["client_title"])
    hours, zone = BUSINESS_HOURS[language]
    terms["services"].update(support_hours=copy.deepcopy(hours), time_zone=zone)
    set_terms(agreement, provider, terms, "demo data: a term under way")
    member = {user.id: membership_of(user.id, agreement.id) for user in (provider, client, director, signer)}
    share(agreement, provider, member[provider.id], words["share"])
    _draft, document = draft_of(agreement)
    key = "general.confidentiality" if any(c.key == "general.confidentiality" for c in document.clauses()) \
        else next(document.clauses()).key
    text = document.clause(key).text
    proposal, _ = propose(agreement, client, member[client.id], "clause_text", key,
                          text + words["addition"], text, words["reason"])
    send_to_other_side(agreement, client, member[client.id], words["sent"])
    accept(agreement, provider, member[provider.id], proposal)
    send_to_other_side(agreement, provider, member[provider.id], words["accepted"])
    mark_ready(agreement, provider)
    _both_sign(agreement, member, director, signer)

    # The first quarterly review, two days after it fell due: one service level missed.
    first = add_months(agreement.effective_on, 3)
    held = min(first + timedelta(days=2), today)
    targets = targets_of(executed_terms(agreement))
    achieved = [Achieved(t.service_level, Decimal("99.82") if t.unit == "percent" else
                         (t.target * Decimal("1.5") if t.service_level == "P1 response" else t.target), words["period"])
                for t in targets]
    review = record_review(
        agreement, provider, held_on=held,
        participants={"provider": [provider.name, director.name], "client": [client.name, signer.name]},
        results=results_from(targets, achieved),
        effectiveness=words["effectiveness"], client_issues=words["client_issues"], decisions=words["decisions"],
        actions=[{"action": words["action"], "owner": director.name,
                  "due_on": (today + timedelta(days=30)).isoformat()}])
    # ...which the parties then amended.
    amendment = open_amendment(agreement, provider, member[provider.id], review=review, effective_on=None,
                               reason=words["amendment"])
    proposal, _ = propose(agreement, provider, member[provider.id], "term", "services.availability_percent", "99.7",
                          "99.5", words["agreed"])
    accept(agreement, client, member[client.id], proposal)
    mark_ready(agreement, provider)
    _both_sign(agreement, member, director, signer)
    assert amendment.number == 1
    if language == "en":
        # Two months of service since: incidents and outages from the provider's tools, a credit due last month.
        demo_service_history(agreement, provider, utcnow())
        demo_dispute(agreement, client, member[client.id], provider, member[provider.id], utcnow())


def _both_sign(agreement, member, director, signer):
    for person in (director, signer):
        _draft, document = draft_of(agreement)
        title = document.terms["parties"][member[person.id].side]["signatory_title"]
        sign(agreement, person, member[person.id], password=DEMO_PASSWORD, full_name=person.name, job_title=title,
             consent=True, shown_hash=document.sha256())


def _negotiate(agreement, users, key):
    """Share the English agreement and play one round each way: a proposal accepted, one open, comments."""
    provider, client, legal = (users[e] for e in ("provider@example.com", "client@example.com", "legal@example.com"))
    member = {user.id: membership_of(user.id, agreement.id) for user in (provider, client, legal)}
    share(agreement, provider, member[provider.id], "Draft for your review")
    _draft, document = draft_of(agreement)
    text = document.clause(key).text
    proposal, _ = propose(agreement, client, member[client.id], "clause_text", key,
                          text.replace("reasonable skill and care", "the skill and care of a leading provider"),
                          text, "Our board expects more than the legal minimum.")
    add_comment(agreement, legal, member[legal.id], "Which edition of ISO/IEC 20000-1 is meant? Please name 2018.",
                clause_key=key)
    send_to_other_side(agreement, client, member[client.id], "Our comments on the standard of service")
    accept(agreement, provider, member[provider.id], proposal)
    thread = threads_of(agreement, key)[0].first
    add_comment(agreement, provider, member[provider.id], "Yes, the 2018 edition; we will name it.", thread=thread)
    send_to_other_side(agreement, provider, member[provider.id], "Accepted your wording on the standard of service")
    _draft, document = draft_of(agreement)
    days = document.terms["costs"]["payment_due_days"]
    propose(agreement, client, member[client.id], "term", "costs.payment_due_days", 45, days,
            "Our payment run is monthly.")


def _demo_agreement(users, title, language):
    provider = users["provider@example.com"]
    terms = demo_terms(language, title)
    agreement = create_agreement(provider, title=title, language=language,
                                 provider_name=terms["parties"]["provider"]["name"],
                                 client_name=terms["parties"]["client"]["name"])
    # As people would: the provider's owner invites the client's first owner, who invites their own side.
    client = users["client@example.com"]
    _join(agreement, provider, client, "client", "owner")
    _join(agreement, client, users["legal@example.com"], "client", "reviewer")
    _join(agreement, client, users["signer@example.com"], "client", "signatory")
    set_terms(agreement, provider, terms, "demo data")
    return agreement


def _join(agreement, inviter, invitee, side, role):
    """`inviter` invites `invitee` (for their address only) and the invitee accepts."""
    _invitation, token = create_invitation(agreement, inviter, side=side, role=role, email=invitee.email)
    accept_invitation(token, invitee)
