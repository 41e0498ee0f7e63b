"""The agreement's tables (rate card, payment schedule, milestones, service levels, credits,
escalation, contacts), built from the terms in the agreement's language: their titles and
column headers are gettext messages rendered inside `in_language(agreement language)`.

Each table belongs to a section of the document and is shown after that section's
clauses. HTML and DOCX render the same `Table` objects, so they cannot disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import pgettext

from ..i18n import in_language
from ..library import ClauseLibrary
from ..library.formatting import BLANK, is_blank


@dataclass(frozen=True)
class Table:
    """One table as both views show it. A cell's "\\n" starts a new line within the cell.

    `weights` and `size` say how it is printed (the DOCX writer passes them on to
    `BlockWriter.table`): relative column widths (None: equal) and the text size in
    half-points (None: the body's).
    """

    key: str
    section: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    weights: tuple[int, ...] | None = None
    size: int | None = None
    paths: tuple[str, ...] = ()  # the terms its rows show ("costs.rates")

    def states(self, path: str) -> bool:
        """Whether a change of the term at `path` shows in this table."""
        return any(path == own or path.startswith(own + ".") or own.startswith(path + ".") for own in self.paths)


# Tables printed otherwise than in equal columns at body size. Contacts: one row per stage and
# party, with the contact's details each on a line of their own in a column taking most of the
# width, a point smaller, so a long e-mail address (58 characters and more) stays whole on one
# line on A4 and Letter, in Word's Cambria and in LibreOffice's wider fallback (DejaVu Serif) alike.
_PRINTED = {"contacts": ((2, 7), 20)}


def _specs() -> tuple[tuple[str, str, str, tuple[tuple[str, str], ...], str], ...]:
    """(key, section, title, columns: (header, template over the row `r`), path of the rows), in the current language.

    A function, not a constant: titles and headers are translated when called, so inside
    `in_language(agreement language)` they come in the agreement's language.
    """
    return (
        ("contacts", "background", pgettext("agreement table", "Contacts"), (
            (pgettext("agreement table", "Stage and party"), "{{ r.stage }}\n{{ r.party }}"),
            (pgettext("agreement table", "Contact"),
             "{{ r.contact.name }}\n{{ r.contact.role }}\n{{ r.contact.email }}\n{{ r.contact.phone }}"),
        ), "contacts"),
        ("catalogue", "services", pgettext("agreement table", "Service catalogue"), (
            (pgettext("agreement table", "Code"), "{{ r.code }}"),
            (pgettext("agreement table", "Service"), "{{ r.name }}"),
            (pgettext("agreement table", "Description"), "{{ r.description }}"),
            (pgettext("agreement table", "Unit"), "{{ r.unit }}"),
            (pgettext("agreement table", "Included"), "{{ r.included_quantity | number }}"),
        ), "services.catalogue"),
        ("service_levels", "service_levels", pgettext("agreement table", "Service levels"), (
            (pgettext("agreement table", "Priority"), "{{ r.level }}"),
            (pgettext("agreement table", "Definition"), "{{ r.definition }}"),
            (pgettext("agreement table", "Response"), "{{ r.response_hours | hours }}"),
            (pgettext("agreement table", "Restore / resolve"), "{{ r.resolution_hours | hours }}"),
        ), "services.priorities"),
        ("milestones", "timeline", pgettext("agreement table", "Milestones"), (
            (pgettext("agreement table", "Milestone"), "{{ r.name }}"),
            (pgettext("agreement table", "Deliverable"), "{{ r.deliverable }}"),
            (pgettext("agreement table", "Due"), "{{ r.due_date | date }}"),
            (pgettext("agreement table", "Acceptance"),
             "{{ r.acceptance_days | business_days }}, {{ option('timeline.milestones[].accepted_by', r.accepted_by) }}"),
        ), "timeline.milestones"),
        ("rate_card", "costs", pgettext("agreement table", "Rate card"), (
            (pgettext("agreement table", "Task code"), "{{ r.code }}"),
            (pgettext("agreement table", "Description"), "{{ r.description }}"),
            (pgettext("agreement table", "Unit"), "{{ r.unit }}"),
            (pgettext("agreement table", "Price"), "{{ r.price | money(costs.currency) }}"),
            (pgettext("agreement table", "Out of hours"), "× {{ r.out_of_hours_multiplier | number }}"),
        ), "costs.rates"),
        ("payment_schedule", "costs", pgettext("agreement table", "Payment schedule"), (
            (pgettext("agreement table", "Instalment"), "{{ r.label }}"),
            (pgettext("agreement table", "Share"),
             "{% if r.percent %}{{ r.percent | percent }}{% else %}{{ r.amount | money(costs.currency) }}{% endif %}"),
            (pgettext("agreement table", "Due"),
             "{{ option('costs.payment_schedule[].trigger', r.trigger) }}{% if r.trigger == 'milestone' %}: {{ r.milestone }}{% elif r.trigger == 'date' %}: {{ r.date | date }}{% endif %}"),
        ), "costs.payment_schedule"),
        ("escalation_levels", "escalation", pgettext("agreement table", "Escalation levels"), (
            (pgettext("agreement table", "Level"), "{{ r.name }}"),
            (pgettext("agreement table", "Trigger"), "{{ r.trigger }}"),
            (pgettext("agreement table", "Provider"), "{{ r.provider_contact }}"),
            (pgettext("agreement table", "Client"), "{{ r.client_contact }}"),
            (pgettext("agreement table", "Response"), "{{ r.response_hours | hours }}"),
        ), "escalation.levels"),
        ("service_credits", "sanctions", pgettext("agreement table", "Service credits"), (
            (pgettext("agreement table", "Service level"), "{{ r.priority }}"),
            (pgettext("agreement table", "Met in at least"), "{{ r.threshold_percent | percent }}"),
            (pgettext("agreement table", "Credit (of the monthly fee)"),
             "{% if r.no_credit %}{{ '—' }}{% else %}{{ r.credit_percent | percent }}{% endif %}"),
        ), "sanctions.credits"),
    )


def stage_words() -> dict[str, str]:
    """The stages of the contacts table, in the current language."""
    return {"negotiation": pgettext("agreement table", "Negotiation"), "delivery": pgettext("agreement table", "Delivery"),
            "billing": pgettext("agreement table", "Billing"), "escalation": pgettext("agreement table", "Escalation")}


def party_words() -> dict[str, str]:
    """The parties as the contacts table names them, in the current language."""
    return {"provider": pgettext("agreement table", "Provider"), "client": pgettext("agreement table", "Client")}


def table_columns() -> dict[str, tuple[tuple[str, ...], str]]:
    """Each table's column templates over the row `r`, and the path of its rows, by table key
    (what reads a cell back into its row's fields needs: roundtrip.tables)."""
    return {key: (tuple(template for _header, template in columns), path) for key, _s, _t, columns, path in _specs()}


def table_rows(terms: dict[str, Any], path: str) -> list[Any]:
    """The rows a table shows of complete `terms`: the list at `path`, or (path "contacts") one row per
    stage and party, holding the contact and its `stage_key` and `side`."""
    if path == "contacts":
        # Both parties' rows for every stage either names a contact for; a missing one shows as blank.
        parties = terms.get("parties") or {}
        rows = []
        for stage, word in stage_words().items():
            contacts = {side: ((parties.get(side) or {}).get("contacts") or {}).get(stage) or {}
                        for side in party_words()}
            if any(not is_blank(v) for contact in contacts.values() for v in contact.values()):
                rows += [{"stage": word, "party": party, "contact": contacts[side], "stage_key": stage, "side": side}
                         for side, party in party_words().items()]
        return rows
    value: Any = terms
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value if isinstance(value, list) else []


def agreement_tables(library: ClauseLibrary, terms: dict[str, Any], language: str) -> list[Table]:
    """Every table that has rows, in document order of their sections, titled in the agreement's `language`."""
    terms = library.catalogue.complete(terms)
    tables = []
    with in_language(language):
        for key, section, title, columns, path in _specs():
            rows = table_rows(terms, path)
            if not rows:
                continue
            rendered = tuple(
                tuple(clean_cell(library.render(template, {**terms, "r": row}, language), template)
                      for _header, template in columns)
                for row in rows
            )
            weights, size = _PRINTED.get(key, (None, None))
            paths = ("parties.provider.contacts", "parties.client.contacts") if path == "contacts" else (path,)
            tables.append(Table(key, section, title, tuple(header for header, _template in columns), rendered,
                                weights, size, paths))
    return tables


def clean_cell(cell: str, template: str) -> str:
    """A cell of lines ("Ana\\n[●]\\nana@x\\n[●]") without its blank lines ("Ana\\nana@x"): blanks inside a
    cell are noise, and a cell of nothing but blanks shows one. Only a template's own line breaks
    count: a line break the parties typed into a description stays as typed."""
    if "\n" not in template or "\n" not in cell:
        return cell
    return "\n".join(line for line in cell.split("\n") if line.strip() and line.strip() != BLANK) or BLANK


def tables_by_section(tables: list[Table]) -> dict[str, list[Table]]:
    grouped: dict[str, list[Table]] = {}
    for table in tables:
        grouped.setdefault(table.section, []).append(table)
    return grouped
