"""Comment threads: read them, start one (on a clause or the whole agreement) or reply."""
from __future__ import annotations

from flask import g

from ..negotiation.comments import Thread, add_comment, thread_by_id, threads_of
from ..negotiation.services import NegotiationError
from .blueprint import agreement_access, blp, post_doc
from .errors import ApiProblem
from .proposals import refusal
from .schemas import CommentCreateSchema, CommentSchema, ThreadQuery, ThreadSchema


def comment_body(comment) -> dict:
    return {"id": comment.id, "author": comment.author.name if comment.author else None, "side": comment.side,
            "body": comment.body, "created_at": comment.created_at}


def thread_body(thread: Thread) -> dict:
    return {"id": thread.first.id, "clause_key": thread.first.clause_key, "resolved": thread.resolved,
            "comments": [comment_body(c) for c in thread.comments]}


@blp.route("/agreements/<int:agreement_id>/comments", methods=["GET"])
@agreement_access("view")
@blp.arguments(ThreadQuery, location="query", as_kwargs=True)
@blp.response(200, ThreadSchema(many=True))
@blp.doc(tags=["Comments"])
def list_threads(agreement, membership, clause_key=None):
    """Every comment thread, oldest first (or one clause's with `clause_key`)"""
    threads = threads_of(agreement, clause_key) if clause_key else threads_of(agreement, every_clause=True)
    return [thread_body(t) for t in threads]


@blp.route("/agreements/<int:agreement_id>/comments", methods=["POST"])
@agreement_access("comment")
@blp.arguments(CommentCreateSchema)
@blp.response(201, CommentSchema)
@post_doc("Comments")
def post_comment(body, agreement, membership):
    """Start a thread on a clause (`clause_key`) or the agreement, or reply to `thread`"""
    thread = None
    if "thread" in body:
        thread = thread_by_id(agreement, body["thread"])
        if thread is None:
            raise ApiProblem(404)
    try:
        comment = add_comment(agreement, g.user, membership, body["body"], body.get("clause_key"), thread)
    except NegotiationError as error:
        raise refusal(error) from None
    return comment_body(comment), 201
