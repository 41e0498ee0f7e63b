"""Words shown to people for the stored values of the negotiation's pages, in the interface language.

The stored values ("open", "provider", "in_review") never change; each is mapped to a
translated label at the time a page is rendered. An unknown value is shown as it is.
"""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l

from ..agreements.forms import ROLE_NAMES, SIDE_NAMES, STATUS_LABELS
from ..i18n import direction, interface_language
from ..interview.steps import term_name
from ..models import STATUSES

# The agreement's lifecycle (models.agreement.STATUSES), as a badge says it.
AGREEMENT_STATUS_LABELS = {status: STATUS_LABELS[status] for status in STATUSES}

# A clause's state in the negotiation (status.ClauseState.state).
CLAUSE_STATE_LABELS = {
    "draft": _l("draft"),
    "agreed": _l("agreed"),
    "open": _l("open proposal"),
    "commented": _l("commented"),
}

# A proposal's status (models.negotiation.PROPOSAL_STATUSES).
PROPOSAL_STATUS_LABELS = {
    "open": _l("open"),
    "accepted": _l("accepted"),
    "rejected": _l("rejected"),
    "withdrawn": _l("withdrawn"),
    "superseded": _l("superseded"),
}

# What a redline says happened to a clause (redline.ClauseRedline.status).
REDLINE_STATUS_LABELS = {
    "unchanged": _l("unchanged"),
    "changed": _l("changed"),
    "added": _l("added"),
    "removed": _l("removed"),
    "moved": _l("moved"),
}

# A side, as the heading of its row or column ("Client · Acme S.A.").
SIDE_TITLES = {"provider": _l("Provider"), "client": _l("Client")}



def _label(table: dict, value) -> str:
    return str(table.get(value, value or ""))


def agreement_status_label(status: str) -> str:
    """'negotiating' -> the interface language's word for it."""
    return _label(AGREEMENT_STATUS_LABELS, status)


def clause_state_label(state: str) -> str:
    """'open' -> 'open proposal' in the interface language."""
    return _label(CLAUSE_STATE_LABELS, state)


def proposal_status_label(status: str) -> str:
    """'withdrawn' -> the interface language's word for it."""
    return _label(PROPOSAL_STATUS_LABELS, status)


def redline_status_label(status: str) -> str:
    """'moved' -> the interface language's word for it."""
    return _label(REDLINE_STATUS_LABELS, status)


def side_name(side: str | None) -> str:
    """'client' -> 'client' in the interface language ('' for no side)."""
    return _label(SIDE_NAMES, side)


def side_title(side: str | None) -> str:
    """'client' -> 'Client' in the interface language ('' for no side)."""
    return _label(SIDE_TITLES, side)


def role_name(role: str) -> str:
    """'reviewer' -> 'reviewer' in the interface language."""
    return _label(ROLE_NAMES, role)


def quoted_terms(paths) -> str:
    """The names of the terms at `paths`, each in the interface language's quotation marks, comma-separated."""
    return ", ".join(_("“%(term)s”", term=term_name(path)) for path in paths)


def interface_attributes() -> dict[str, str]:
    """lang and dir of the interface language, for page controls inside a block in the agreement's language.

    A function, not the context processor's variables: macros imported without context see globals only.
    """
    language = interface_language()
    return {"lang": language.replace("_", "-"), "dir": direction(language)}


TEMPLATE_GLOBALS = {
    "interface_attributes": interface_attributes,
    "quoted_terms": quoted_terms,
    "agreement_status_label": agreement_status_label, "clause_state_label": clause_state_label,
    "proposal_status_label": proposal_status_label, "redline_status_label": redline_status_label,
    "side_name": side_name, "side_title": side_title, "role_name": role_name,
}
