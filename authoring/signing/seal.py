"""The server's seal on a signature record: HMAC-SHA256 over every field of the act.

The key is SIGNATURE_KEY from the environment (see config). Anyone who edits a
signature row in the database cannot recompute the MAC without it, so
`signature_intact` tells an untouched record from an altered one.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app

from ..document.canonical import canonical_json
from ..models import Signature


def sealed_fields(signature: Signature) -> dict:
    """Exactly what the MAC covers: the person by e-mail and typed name, not by account id,
    which the database clears if the account is ever deleted."""
    fields = {
        "agreement": signature.agreement_id,
        "revision": signature.revision_number,
        "revision_hash": signature.revision_hash,
        "email": signature.email,
        "side": signature.side,
        "organisation": signature.organisation,
        "name": signature.full_name,
        "title": signature.job_title,
        "signed_at": signature.signed_at.isoformat(),
        "ip": signature.ip,
        "user_agent": signature.user_agent,
        "consent": signature.consent_text,
        "audit_head": signature.audit_head,
    }
    if signature.amendment_number:  # 0 is left out, so seals made before amendments existed still verify
        fields["amendment"] = signature.amendment_number
    if signature.joined_via is not None:  # likewise absent from seals made before it was recorded
        fields["joined"] = {
            "via": signature.joined_via, "invited_by": signature.invited_by,
            "invited_at": signature.invited_at.isoformat() if signature.invited_at else None,
            "joined_at": signature.joined_at.isoformat() if signature.joined_at else None,
        }
    return fields


def signature_mac(signature: Signature) -> str:
    key = current_app.config["SIGNATURE_KEY"].encode("utf-8")
    return hmac.new(key, canonical_json(sealed_fields(signature)), hashlib.sha256).hexdigest()


def signature_intact(signature: Signature) -> bool:
    """True when the stored record is exactly what was sealed at signing."""
    return hmac.compare_digest(signature.mac, signature_mac(signature))
