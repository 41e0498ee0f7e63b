"""The agreement as a terms file (terms.json): what a machine reads, and what rebuilds the document.

The file carries the document's `terms` exactly as stored and every clause with its
full text, so `document_of` rebuilds the identical Document (same SHA-256). Beside
them it gives explicit views (`services`, `costs`, `milestones`, ...) copied from the
terms under self-describing names, so a reader needs neither our interview nor our
clause library; each service level names its SLO in the revision's OpenSLO export
(export.openslo). schemas/terms-v1.json describes the file.
"""
from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any, Sequence

from ..document.canonical import utc_timestamp
from ..document import ClauseInstance, Document, sha256_hex
from ..document.terms import term_value
from ..library.formatting import is_blank
from .openslo import level_names
from .records import AmendmentRecord, ExportInfo, SignatureRecord

SCHEMA_VERSION = "1.1"  # 1.1: support hours as data (days, times, public holidays) where 1.0 had text
READABLE_VERSIONS = ("1.0", SCHEMA_VERSION)  # a 1.0 file is valid 1.1 (support hours as text still are)
SCHEMA_RESOURCE = "schemas/terms-v1.json"
SIDES = ("provider", "client")
STAGES = ("negotiation", "delivery", "billing", "escalation")

# The views: file name -> term path (or a nested view). Blank values read as null,
# list rows carry every field. "{side}" stands for provider or client.
PARTY_VIEW: dict[str, Any] = {
    "name": "parties.{side}.name",
    "address": "parties.{side}.address",
    "registration": "parties.{side}.registration",
    "signatory": {"name": "parties.{side}.signatory_name", "title": "parties.{side}.signatory_title"},
    "contacts": {
        stage: {field: f"parties.{{side}}.contacts.{stage}.{field}" for field in ("name", "role", "email", "phone")}
        for stage in STAGES
    },
}
VIEWS: dict[str, Any] = {
    "services": {
        "catalogue": "services.catalogue",
        "in_scope": "services.in_scope",
        "out_of_scope": "services.out_of_scope",
        "standards": "services.standards",
        "support_hours": "services.support_hours",
        "time_zone": "services.time_zone",
        "service_levels": {
            "availability_percent": "services.availability_percent",
            "measurement_window": "services.measurement_window",
            "priorities": "services.priorities",
        },
    },
    "period": {
        "effective_date": "timeline.effective_date",
        "end_date": "timeline.end_date",
        "auto_renew": "timeline.auto_renew",
        "renewal_term_months": "timeline.renewal_term_months",
        "renewal_notice_days": "timeline.renewal_notice_days",
    },
    "milestones": "timeline.milestones",
    "costs": {
        "currency": "costs.currency",
        "pricing_model": "costs.pricing_model",
        "contract_value": "costs.contract_value",
        "monthly_fee": "costs.monthly_fee",
        "budget_ceiling": "background.budget_ceiling",
        "rates": "costs.rates",
        "payment_schedule": "costs.payment_schedule",
        "invoicing": "costs.invoicing",
        "payment_due_days": "costs.payment_due_days",
        "expenses": "costs.expenses",
        "prepaid_hours": "costs.prepaid_hours",
        "late_payment": {"interest_percent_per_year": "costs.late_interest_percent"},
    },
    "client_responsibilities": {
        "feedback_business_days": "client.feedback_days",
        "access_date": "client.access_date",
        "point_of_contact": "client.point_of_contact",
        "sme_hours_per_week": "client.sme_hours_per_week",
        "stakeholder_notice_business_days": "client.stakeholder_notice_days",
        "other": "client.custom",
    },
    "escalation": {
        "levels": "escalation.levels",
        "negotiation_days": "escalation.negotiation_days",
        "mediation": "escalation.mediation",
        "final_forum": "escalation.final_forum",
        "arbitration_rules": "escalation.arbitration_rules",
        "governing_law": "escalation.governing_law",
        "venue": "escalation.venue",
    },
    "sanctions": {
        "credits": "sanctions.credits",
        "credit_cap_percent_of_monthly_fee": "sanctions.credit_cap_percent",
        "late_delivery": {
            "penalty_percent_per_week": "sanctions.late_penalty_percent_per_week",
            "cap_percent_of_milestone_fees": "sanctions.late_penalty_cap_percent",
        },
        "liability_cap_percent_of_annual_fees": "sanctions.liability_cap_percent",
        "cure_days": "sanctions.cure_days",
        "termination_notice_days": "sanctions.termination_notice_days",
    },
    "change_control": {
        "requesters": "change.requesters",
        "impact_assessment_business_days": "change.impact_days",
        "amendment_threshold_percent": "change.amendment_threshold_percent",
    },
    "review": {
        "cadence": "change.review_cadence",
        "reporting": "change.reporting",
        "report_frequency": "change.report_frequency",
        "renewal_review_days_before_end": "change.renewal_lead_days",
    },
}


@cache
def _schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    return json.loads(text)


def terms_schema() -> dict[str, Any]:
    """The JSON Schema of the terms file (read once; each caller gets its own copy)."""
    return copy.deepcopy(_schema())


def schema_id() -> str:
    return _schema()["$id"]


def terms_file(document: Document, info: ExportInfo, signatures: Sequence[SignatureRecord] = (),
               amendments: Sequence[AmendmentRecord] = ()) -> dict[str, Any]:
    """The terms file of one revision of an agreement, as plain JSON data."""
    terms = document.to_dict()["terms"]
    data: dict[str, Any] = {
        "$schema": schema_id(),
        "schema_version": SCHEMA_VERSION,
        "agreement": {"id": info.agreement_id, "title": info.title, "language": info.language, "status": info.status},
        "revision": {
            "number": info.revision_number,
            "sha256": info.revision_hash,
            "created_at": utc_timestamp(info.revision_created_at),
        },
        "parties": parties_view(terms, {"provider": info.provider_name, "client": info.client_name}),
        "terms": terms,
        "sections": [
            {
                "key": section.key,
                "number": number,
                "title": section.title,
                "clauses": [_clause_entry(clause_number, clause) for clause_number, clause in clauses],
            }
            for number, section, clauses in document.numbered()
        ],
        "signatures": [_signature_entry(signature) for signature in signatures],
    }
    data.update(term_views(terms))
    link_service_levels(data["services"]["service_levels"], terms, info.agreement_id)
    if amendments:
        data["amendments"] = [{"number": a.number, "effective_on": a.effective_on.isoformat(),
                               "executed_at": utc_timestamp(a.executed_at), "sha256": a.sha256, "reason": a.reason,
                               "terms_patch": list(a.terms_patch)} for a in amendments]
    return data


def terms_json(document: Document, info: ExportInfo, signatures: Sequence[SignatureRecord] = (),
               amendments: Sequence[AmendmentRecord] = ()) -> bytes:
    """The terms file as bytes: UTF-8 (no escapes), sorted keys, 2-space indent, final newline."""
    return serialise(terms_file(document, info, signatures, amendments))


def serialise(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False) + "\n").encode("utf-8")


def document_of(data: dict[str, Any]) -> Document:
    """The exact Document a (valid) terms file describes (DocumentError when it cannot be one)."""
    return Document.from_dict({
        "terms": data["terms"],
        "sections": [
            {
                "key": section["key"],
                "title": section["title"],
                "clauses": [
                    {
                        "key": clause["key"], "title": clause["title"], "text": clause["text"],
                        "clause_id": clause["library_id"], "variant": clause["variant"], "custom": clause["custom"],
                        **({"parts": clause["template"]} if "template" in clause else {}),
                        **({"unstated": clause["unstated_terms"]} if "unstated_terms" in clause else {}),
                    }
                    for clause in section["clauses"]
                ],
            }
            for section in data["sections"]
        ],
    })


# Views ------------------------------------------------------------------------------------

def term_views(terms: dict[str, Any]) -> dict[str, Any]:
    """The top-level views (`services`, `costs`, ...) read from the terms."""
    return {name: _view(spec, terms, "") for name, spec in VIEWS.items()}


def link_service_levels(view: dict[str, Any], terms: dict[str, Any], agreement_id: int) -> None:
    """Give the service_levels view the OpenSLO names of its levels (openslo.yaml of the same revision)."""
    names = level_names(agreement_id, terms)
    view["availability_slo"] = names.availability
    rows = term_value(terms, "services.priorities")
    # The view keeps the rows that are objects (see _view_value); pair the names with those same rows.
    kept = [row_names for row, row_names in zip(rows if isinstance(rows, list) else [], names.priorities)
            if isinstance(row, dict)]
    for row, row_names in zip(view["priorities"], kept):
        row["slo"] = {"response": row_names.response, "resolution": row_names.resolution}


def parties_view(terms: dict[str, Any], organisations: dict[str, str]) -> dict[str, Any]:
    """Both parties as the terms name them, with the organisation the agreement was opened for."""
    return {side: {"organisation": organisations[side], **_view(PARTY_VIEW, terms, side)} for side in SIDES}


def _view(spec: Any, terms: dict[str, Any], side: str) -> Any:
    if isinstance(spec, dict):
        return {name: _view(child, terms, side) for name, child in spec.items()}
    path = spec.replace("{side}", side)
    return _view_value(term_value(terms, path), term_schema(path))


def _view_value(value: Any, schema: dict[str, Any]) -> Any:
    if schema.get("type") == "array":
        items = value if isinstance(value, list) else []
        row = _resolve(schema["items"])
        if "properties" not in row:
            return items
        return [{name: _view_value(item.get(name), _resolve(field)) for name, field in row["properties"].items()}
                for item in items if isinstance(item, dict)]
    return None if is_blank(value) else value


def term_schema(path: str) -> dict[str, Any]:
    """The schema of the term at a dotted path (read-only: it is the cached schema's own node);
    KeyError when the terms have no such term."""
    node = _resolve(_schema()["properties"]["terms"])
    for part in path.split("."):
        if "properties" not in node:
            raise KeyError(path)
        node = _resolve(node["properties"][part])
    return node



def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = _schema()["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


# Entries ----------------------------------------------------------------------------------

def _clause_entry(number: str, clause: ClauseInstance) -> dict[str, Any]:
    entry = {
        "key": clause.key,
        "number": number,
        "title": clause.title,
        "library_id": clause.clause_id,
        "variant": clause.variant,
        "custom": clause.custom,
        "text": clause.text,
        "sha256": text_sha256(clause.text),
        "content_hash": clause.content_hash,
    }
    model = clause.to_dict()
    if "parts" in model:  # the text as a template over the terms: each slot names the term it states
        entry["template"] = model["parts"]
    if clause.unstated:  # terms its library text stated that this wording no longer states
        entry["unstated_terms"] = list(clause.unstated)
    return entry


def _signature_entry(signature: SignatureRecord) -> dict[str, Any]:
    return {
        "side": signature.side,
        "organisation": signature.organisation,
        "name": signature.name,
        "title": signature.title,
        "signed_at": utc_timestamp(signature.signed_at),
        "revision_number": signature.revision_number,
        "revision_sha256": signature.revision_hash,
        "valid": signature.valid,
    }


def text_sha256(text: str) -> str:
    return sha256_hex(text.encode("utf-8"))

