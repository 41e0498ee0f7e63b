"""Reviews with their measurements, and amendments: the services the reviews pages call.

Recording a review takes the figures achieved (judged against the executed targets, as the
form judges them) or the text of a CSV of measurements (read as the page reads an upload).
"""
from __future__ import annotations

from flask import g, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..models import Amendment, Review
from ..reviews.amendments import AmendmentError, amendment_by_number, amendments_of, open_amendment
from ..reviews.measurements import MeasurementsInvalid, read_measurements
from ..reviews.services import (
    Achieved, ReviewError, executed_document, in_force, record_review, results_from, review_by_number, reviews_of,
    targets_of,
)
from ..reviews.wording import status_word
from .blueprint import agreement_access, blp, post_doc
from .errors import ApiProblem
from .review_schemas import AmendmentCreateSchema, AmendmentSchema, ReviewCreateSchema, ReviewSchema


def review_body(review: Review) -> dict:
    return {"number": review.number, "held_on": review.held_on, "due_on": review.due_on,
            "participants": {side: list((review.participants or {}).get(side) or []) for side in ("provider", "client")},
            "results": review.results or [], "effectiveness": review.effectiveness or "",
            "client_issues": review.client_issues or "", "decisions": review.decisions or "",
            "actions": review.actions or [], "recorded_by": review.recorded_by.name if review.recorded_by else None,
            "recorded_at": review.recorded_at}


def amendment_body(amendment: Amendment) -> dict:
    return {"number": amendment.number, "status": amendment.status, "reason": amendment.reason,
            "effective_on": amendment.effective_on, "review": _review_number(amendment),
            "base_revision": amendment.base_revision.number,
            "revision": amendment.revision.number if amendment.revision else None,
            "opened_by": amendment.opened_by.name if amendment.opened_by else None,
            "opened_at": amendment.opened_at, "executed_at": amendment.executed_at}


def _review_number(amendment: Amendment) -> int | None:
    if amendment.review_id is None:
        return None
    review = db.session.get(Review, amendment.review_id)
    return review.number if review else None


def _invalid(errors: list[dict[str, str]]) -> ApiProblem:
    return ApiProblem(422, _("Some values cannot be used; “errors” says which and why."), kind="validation", errors=errors)


def _error(field: str, detail: str) -> dict[str, str]:
    return {"field": field, "pointer": "#/" + field.replace(".", "/"), "in": "body", "detail": detail}


@blp.route("/agreements/<int:agreement_id>/reviews", methods=["GET"])
@agreement_access("view")
@blp.response(200, ReviewSchema(many=True))
@blp.doc(tags=["Reviews"])
def list_reviews(agreement, membership):
    """The periodic reviews held, newest first, each with its measurements"""
    return [review_body(r) for r in reviews_of(agreement)]


@blp.route("/agreements/<int:agreement_id>/reviews/<int:number>", methods=["GET"])
@agreement_access("view")
@blp.response(200, ReviewSchema)
@blp.doc(tags=["Reviews"])
def read_review(agreement, membership, number):
    """One review: participants, each service level's target, achieved figure and whether it was met, decisions,
    actions"""
    review = review_by_number(agreement, number)
    if review is None:
        raise ApiProblem(404)
    return review_body(review)


def _results(agreement, body) -> list[dict]:
    """The review's rows from `achieved` or `measurements`, judged as the page judges them."""
    targets = targets_of(executed_document(agreement).terms)
    if "measurements" in body:
        if body["achieved"]:
            raise _invalid([_error("measurements", _("Send the figures as “achieved” or as “measurements”, "
                                                     "not both."))])
        try:
            measured = read_measurements(body["measurements"].encode("utf-8"), [t.service_level for t in targets])
        except MeasurementsInvalid as invalid:
            raise _invalid([_error("measurements", message) for message in invalid.messages]) from None
        return results_from(targets, measured)
    known, seen, errors = {t.service_level for t in targets}, set(), []
    for index, row in enumerate(body["achieved"]):
        level = row["service_level"]
        if level not in known:
            errors.append(_error(f"achieved.{index}.service_level",
                                 _("Not a service level of the executed agreement; they are: %(levels)s.",
                                   levels=", ".join(t.service_level for t in targets) or "—")))
        elif level in seen:
            errors.append(_error(f"achieved.{index}.service_level", _("This service level is given twice.")))
        seen.add(level)
    if errors:
        raise _invalid(errors)
    return results_from(targets, [Achieved(r["service_level"], r["achieved"], r["period"]) for r in body["achieved"]])


@blp.route("/agreements/<int:agreement_id>/reviews", methods=["POST"])
@agreement_access("edit")
@blp.arguments(ReviewCreateSchema)
@blp.response(201, ReviewSchema)
@post_doc("Reviews")
def create_review(body, agreement, membership):
    """Record a review held on an agreement in force: how each service level did, decisions and actions

    The next review is scheduled after it, and both sides are told, as when the page records one.
    """
    if not in_force(agreement):
        raise ApiProblem(409, _("Reviews are held on an agreement in force; this one is %(status)s.",
                                status=status_word(agreement.status)), kind="refused")
    results = _results(agreement, body)
    try:
        review = record_review(agreement, g.user, held_on=body["held_on"], participants=body["participants"],
                               results=results, effectiveness=body["effectiveness"],
                               client_issues=body["client_issues"], decisions=body["decisions"],
                               actions=[{**a, "due_on": a["due_on"].isoformat() if a["due_on"] else None}
                                        for a in body["actions"]])
    except ReviewError as error:
        raise ApiProblem(422, str(error), kind="unprocessable") from None
    return review_body(review), 201, {"Location": url_for("api.read_review", agreement_id=agreement.id,
                                                          number=review.number)}


@blp.route("/agreements/<int:agreement_id>/amendments", methods=["GET"])
@agreement_access("view")
@blp.response(200, AmendmentSchema(many=True))
@blp.doc(tags=["Amendments"])
def list_amendments(agreement, membership):
    """Every amendment opened (open, executed or abandoned), newest first"""
    return [amendment_body(a) for a in amendments_of(agreement)]


@blp.route("/agreements/<int:agreement_id>/amendments/<int:number>", methods=["GET"])
@agreement_access("view")
@blp.response(200, AmendmentSchema)
@blp.doc(tags=["Amendments"])
def read_amendment(agreement, membership, number):
    """One amendment"""
    amendment = amendment_by_number(agreement, number)
    if amendment is None:
        raise ApiProblem(404)
    return amendment_body(amendment)


@blp.route("/agreements/<int:agreement_id>/amendments", methods=["POST"])
@agreement_access("manage")
@blp.arguments(AmendmentCreateSchema)
@blp.response(201, AmendmentSchema)
@post_doc("Amendments")
def create_amendment(body, agreement, membership):
    """Open an amendment of the executed agreement (an owner): it goes back to negotiation from its executed text

    Then propose the changes (proposals), and both sides sign it in the browser as they signed the original.
    """
    review = None
    if "review" in body:
        review = review_by_number(agreement, body["review"])
        if review is None:
            raise _invalid([_error("review", _("There is no review with this number."))])
    try:
        amendment = open_amendment(agreement, g.user, membership, reason=body["reason"],
                                   effective_on=body["effective_on"], review=review)
    except AmendmentError as error:
        raise ApiProblem(409, str(error), kind="refused") from None
    return amendment_body(amendment), 201, {"Location": url_for("api.read_amendment", agreement_id=agreement.id,
                                                                number=amendment.number)}
