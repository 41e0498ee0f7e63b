"""Members and invitations: who is in the agreement, and invitations made by the same side rules as the page."""
from __future__ import annotations

from flask import g, url_for

from ..agreements.services import NotYourSide, WorkspaceError, create_invitation
from ..config import public_url
from .blueprint import agreement_access, blp, post_doc
from .errors import ApiProblem
from .schemas import InvitationCreateSchema, InvitationSchema, MemberSchema


@blp.route("/agreements/<int:agreement_id>/members", methods=["GET"])
@agreement_access("view")
@blp.response(200, MemberSchema(many=True))
@blp.doc(tags=["Members"])
def list_members(agreement, membership):
    """Everyone in the agreement, with their side and role"""
    return [{"id": m.id, "name": m.user.name, "email": m.user.email, "side": m.side, "role": m.role,
             "joined_at": m.created_at} for m in agreement.memberships]


@blp.route("/agreements/<int:agreement_id>/invitations", methods=["POST"])
@agreement_access("manage")
@blp.arguments(InvitationCreateSchema)
@blp.response(201, InvitationSchema)
@post_doc("Members")
def invite(body, agreement, membership):
    """Invite someone to a side and role: a single-use link, returned once

    Each side governs itself: an owner invites to their own side; the side that started the
    agreement also invites the other side's first owner, while it has none (403 otherwise).
    """
    try:
        invitation, token = create_invitation(agreement, g.user, side=body["side"], role=body["role"],
                                              email=body.get("email") or None)
    except NotYourSide as error:
        raise ApiProblem(403, str(error), kind="not-allowed") from None
    except WorkspaceError as error:
        raise ApiProblem(409, str(error), kind="refused") from None
    return {"id": invitation.id, "side": invitation.side, "role": invitation.role, "email": invitation.email,
            "expires_at": invitation.expires_at,
            "link": public_url(url_for("agreements.invitation", token=token))}, 201

