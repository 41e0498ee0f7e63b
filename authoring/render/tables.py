"""The agreement's tables (rate card, payment schedule, milestones, service levels, credits,
escalation, contacts), built from the terms in the agreement's language.

Each table belongs to a section of the document and is shown after that section's
clauses. HTML and DOCX render the same `Table` objects, so they cannot disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..library import ClauseLibrary
from ..library.formatting import BLANK, is_blank


@dataclass(frozen=True)
class Table:
    key: str
    section: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


# key, section, title (en, es), columns: (header en, header es, template over the row `r`)
SPECS: tuple[tuple[str, str, tuple[str, str], tuple[tuple[str, str, str], ...], str], ...] = (
    ("contacts", "background", ("Contacts", "Contactos"), (
        ("Stage", "Fase", "{{ r.stage }}"),
        ("Provider", "Proveedor", "{{ r.provider.name }} · {{ r.provider.role }} · {{ r.provider.email }} · {{ r.provider.phone }}"),
        ("Client", "Cliente", "{{ r.client.name }} · {{ r.client.role }} · {{ r.client.email }} · {{ r.client.phone }}"),
    ), "contacts"),
    ("catalogue", "services", ("Service catalogue", "Catálogo de servicios"), (
        ("Code", "Código", "{{ r.code }}"), ("Service", "Servicio", "{{ r.name }}"),
        ("Description", "Descripción", "{{ r.description }}"), ("Unit", "Unidad", "{{ r.unit }}"),
        ("Included", "Incluido", "{{ r.included_quantity | number }}"),
    ), "services.catalogue"),
    ("service_levels", "service_levels", ("Service levels", "Niveles de servicio"), (
        ("Priority", "Prioridad", "{{ r.level }}"), ("Definition", "Definición", "{{ r.definition }}"),
        ("Response", "Respuesta", "{{ r.response_hours | hours }}"),
        ("Restore / resolve", "Restablecimiento / resolución", "{{ r.resolution_hours | hours }}"),
    ), "services.priorities"),
    ("milestones", "timeline", ("Milestones", "Hitos"), (
        ("Milestone", "Hito", "{{ r.name }}"), ("Deliverable", "Entregable", "{{ r.deliverable }}"),
        ("Due", "Fecha", "{{ r.due_date | date }}"),
        ("Acceptance", "Aceptación", "{{ r.acceptance_days | business_days }}, {{ option('timeline.milestones[].accepted_by', r.accepted_by) }}"),
    ), "timeline.milestones"),
    ("rate_card", "costs", ("Rate card", "Tarifas"), (
        ("Task code", "Código", "{{ r.code }}"), ("Description", "Descripción", "{{ r.description }}"),
        ("Unit", "Unidad", "{{ r.unit }}"), ("Price", "Precio", "{{ r.price | money(costs.currency) }}"),
        ("Out of hours", "Fuera de horario", "× {{ r.out_of_hours_multiplier | number }}"),
    ), "costs.rates"),
    ("payment_schedule", "costs", ("Payment schedule", "Calendario de pagos"), (
        ("Instalment", "Plazo", "{{ r.label }}"),
        ("Share", "Importe", "{% if r.percent %}{{ r.percent | percent }}{% else %}{{ r.amount | money(costs.currency) }}{% endif %}"),
        ("Due", "Vencimiento", "{{ option('costs.payment_schedule[].trigger', r.trigger) }}{% if r.trigger == 'milestone' %}: {{ r.milestone }}{% elif r.trigger == 'date' %}: {{ r.date | date }}{% endif %}"),
    ), "costs.payment_schedule"),
    ("escalation_levels", "escalation", ("Escalation levels", "Niveles de escalada"), (
        ("Level", "Nivel", "{{ r.name }}"), ("Trigger", "Desencadenante", "{{ r.trigger }}"),
        ("Provider", "Proveedor", "{{ r.provider_contact }}"), ("Client", "Cliente", "{{ r.client_contact }}"),
        ("Response", "Respuesta", "{{ r.response_hours | hours }}"),
    ), "escalation.levels"),
    ("service_credits", "sanctions", ("Service credits", "Créditos de servicio"), (
        ("Service level", "Nivel de servicio", "{{ r.priority }}"),
        ("Met in at least", "Cumplido al menos en", "{{ r.threshold_percent | percent }}"),
        ("Credit (of the monthly fee)", "Crédito (sobre la cuota mensual)",
         "{% if r.no_credit %}{{ '—' }}{% else %}{{ r.credit_percent | percent }}{% endif %}"),
    ), "sanctions.credits"),
)
STAGE_WORDS = {"negotiation": ("Negotiation", "Negociación"), "delivery": ("Delivery", "Prestación"),
               "billing": ("Billing", "Facturación"), "escalation": ("Escalation", "Escalada")}


def _rows_at(terms: dict[str, Any], path: str, spanish: bool) -> list[Any]:
    if path == "contacts":
        parties = terms.get("parties") or {}
        rows = []
        for stage, words in STAGE_WORDS.items():
            provider = ((parties.get("provider") or {}).get("contacts") or {}).get(stage) or {}
            client = ((parties.get("client") or {}).get("contacts") or {}).get(stage) or {}
            if any(not is_blank(v) for v in (*provider.values(), *client.values())):
                rows.append({"stage": words[spanish], "provider": provider, "client": client})
        return rows
    value: Any = terms
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value if isinstance(value, list) else []


def agreement_tables(library: ClauseLibrary, terms: dict[str, Any], language: str) -> list[Table]:
    """Every table that has rows, in document order of their sections."""
    spanish = language == "es"
    terms = library.catalogue.complete(terms)
    tables = []
    for key, section, titles, columns, path in SPECS:
        rows = _rows_at(terms, path, spanish)
        if not rows:
            continue
        rendered = tuple(
            tuple(_clean(library.render(template, {**terms, "r": row}, language)) for _en, _es, template in columns)
            for row in rows
        )
        tables.append(Table(key, section, titles[spanish], tuple(col[1] if spanish else col[0] for col in columns), rendered))
    return tables


def _clean(cell: str) -> str:
    """'Ana · [●] · ana@x · [●]' -> 'Ana · ana@x': blanks inside a joined cell are noise."""
    if " · " in cell:
        parts = [p for p in cell.split(" · ") if p.strip() and p.strip() != BLANK]
        return " · ".join(parts) or BLANK
    return cell


def tables_by_section(tables: list[Table]) -> dict[str, list[Table]]:
    grouped: dict[str, list[Table]] = {}
    for table in tables:
        grouped.setdefault(table.section, []).append(table)
    return grouped
