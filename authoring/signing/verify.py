"""Verify a file against the record: does this signed DOCX or terms file match an executed revision?

A file names the agreement and revision hash it claims (the DOCX in its `identifier`
property, the terms file in its `agreement` and `revision` members). The claim is
checked by rendering that executed revision again - exports are byte-stable - and
comparing: every part of the DOCX byte for byte (text, formatting, relationships: a
run hidden with `w:vanish` or a part swapped in through `_rels` is a change like any
other), every value of the terms file. One changed byte is "no match". The record
behind it must hold too: both sides' signatures on that hash, their seals intact, and
the audit chain unbroken.

A DOCX that is not the signed file is then read as a person reads it (signing.reading)
and the difference said in a signer's words (signing.differences): the text is the
executed text but the file was saved again (Word and LibreOffice rewrite every part
when they save), or which clause, page or paragraph reads differently - never the
names of the package's parts.

Whoever uploads a file learns about an agreement only when the file carries the
executed revision's hash, i.e. when they already hold a copy of it; even then a
difference is described by what the uploaded file says, never by quoting the record.
Only the small core-properties part is read before that claim is checked.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from lxml import etree
from sqlalchemy import select

from ..audit import verify_chain
from ..export.documents import executed_docx
from ..export.gather import amendment_records, export_info, signature_records
from ..export.issued import issued_copy
from ..export.records import SignatureRecord
from ..export.terms import READABLE_VERSIONS, terms_file
from ..export.terms_import import TermsFileInvalid, read_terms_file
from ..extensions import db
from ..inputs.uploads import too_large
from ..models import Agreement, Invitation, Membership, Revision, Signature
from ..models.base import MAX_ID
from ..ooxml.package import UnreadablePackage, parse_xml, read_parts
from ..reviews.amendments import Version, versions_of
from ..revisions.services import revision_document
from ..revisions.store import RevisionIntegrityError
from .differences import describe_differences
from .reading import UnreadableDocument, read_docx
from .seal import signature_intact

IDENTIFIER = re.compile(r"urn:accord:agreement:(\d{1,18}):revision:(\d{1,18}):sha256:([0-9a-f]{64})")
NOT_FOUND = _l("It does not match any executed agreement here.")


@dataclass
class Verdict:
    """The answer to "is this file what was signed?"."""

    matched: bool
    kind: str  # "signed DOCX", "terms file" or "file"
    reasons: list[str] = field(default_factory=list)  # why not, or what else is wrong
    agreement_id: int | None = None
    title: str | None = None
    revision_number: int | None = None
    revision_hash: str | None = None
    signatures: list[SignatureRecord] = field(default_factory=list)
    # A file rendered differently today but recorded, byte for byte, as issued then (an earlier release).
    issued_at: datetime | None = None
    # Not the signed file, but its text reads exactly as the signed text does (it was saved again).
    same_text: bool = False

    @property
    def resaved_only(self) -> bool:
        """The one thing wrong is that the file was saved again after signing: the text and the record hold."""
        return not self.matched and self.same_text and len(self.reasons) == 1

    def summary(self) -> str:
        if self.resaved_only:
            return (f"No exact match: this {self.kind} is not byte for byte the signed file, but its text is the "
                    f"executed text. " + " ".join(map(str, self.reasons)))
        if not self.matched:
            return f"No match: this {self.kind} is not an exact copy of an executed agreement. " + " ".join(map(str, self.reasons))
        signed = "; ".join(f"{s.name} ({s.side}) on {s.signed_at:%Y-%m-%d %H:%M:%S} UTC" for s in self.signatures)
        issued = f" It is the file issued on {self.issued_at:%Y-%m-%d %H:%M} UTC, byte for byte." if self.issued_at else ""
        return (f"Match: this {self.kind} is revision {self.revision_number} of agreement {self.agreement_id} "
                f"“{self.title}”, SHA-256 {self.revision_hash}, signed by {signed}.{issued}")


def verify_file(raw: bytes) -> Verdict:
    """Say whether `raw` (a signed DOCX or a terms file) matches an executed revision."""
    if (refusal := too_large(raw)) is not None:
        return Verdict(False, "file", [refusal])
    if raw[:2] == b"PK":
        return _verify_docx(raw)
    return _verify_terms(raw)


def _executed(agreement_id: int | None, revision_number: int | None, revision_hash: str) -> tuple[Agreement, Version] | None:
    """The agreement and its executed version (original or amendment) of that revision number and hash."""
    if agreement_id is None or not 0 < agreement_id <= MAX_ID:
        return None
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None or agreement.executed_revision_id is None:
        return None
    version = next((v for v in versions_of(agreement)
                    if v.revision.hash == revision_hash and v.revision.number == revision_number), None)
    return (agreement, version) if version is not None else None


def _record_problems(agreement: Agreement, revision: Revision) -> list[str]:
    """What is wrong with the record itself: missing or broken seals, a broken audit chain."""
    rows = list(db.session.scalars(select(Signature).where(Signature.agreement_id == agreement.id)))
    problems = [_("The signature of %(name)s was altered in the database after it was sealed.", name=s.full_name)
                for s in rows if not signature_intact(s)]
    signed = {s.side for s in rows if not s.void and s.revision_id == revision.id and signature_intact(s)}
    missing = {"provider": _l("The record holds no sealed signature of the provider on this revision."),
               "client": _l("The record holds no sealed signature of the client on this revision.")}
    problems += [str(missing[side]) for side in ("provider", "client") if side not in signed]
    problems += _authority_problems(agreement, [s for s in rows if not s.void and s.revision_id == revision.id])
    problems += [str(p) for p in verify_chain(agreement.id)]
    return problems


def _authority_problems(agreement: Agreement, signatures: list[Signature]) -> list[str]:
    """A signature binds a side only when its signer was on that side, let in by that side.

    Read from the invitation each signer accepted last before signing: one to the other side,
    or one made by a member of the other side who is not of the side that started the agreement
    (as the client owner's invitation to a provider signatory was, before each side governed
    itself), means the signer did not sign with their side's authority. Invitations from the
    starting side to the other are allowed: the other side's first owner, and every member the
    provider invited for the client before that rule.
    """
    problems = []
    for signature in signatures:
        if signature.user_id is None:  # the account is gone: nothing left to compare
            continue
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.agreement_id == agreement.id,
                                     Invitation.accepted_by_id == signature.user_id,
                                     Invitation.accepted_at <= signature.signed_at)
            .order_by(Invitation.accepted_at.desc(), Invitation.id.desc()).limit(1))
        if invitation is None:
            continue
        if invitation.side != signature.side:
            problems.append(_("%(name)s signed for the provider but had joined the client side.", name=signature.full_name)
                            if signature.side == "provider" else
                            _("%(name)s signed for the client but had joined the provider side.", name=signature.full_name))
            continue
        inviter = db.session.scalar(select(Membership).where(Membership.agreement_id == agreement.id,
                                                             Membership.user_id == invitation.created_by_id))
        if inviter is not None and inviter.side != invitation.side and inviter.side != agreement.started_by_side:
            values = {"name": signature.full_name, "inviter": inviter.user.name}
            problems.append(_("%(name)s signed for the provider but was brought onto the provider side by %(inviter)s "
                              "of the client side; each side appoints its own signatories.", **values)
                            if signature.side == "provider" else
                            _("%(name)s signed for the client but was brought onto the client side by %(inviter)s "
                              "of the provider side; each side appoints its own signatories.", **values))
    return problems


def _verdict(kind: str, agreement: Agreement, revision: Revision, differences: list[str]) -> Verdict:
    problems = _record_problems(agreement, revision)
    signatures = [s for s in signature_records(agreement, revision) if s.valid]
    return Verdict(not differences and not problems, kind, differences + problems, agreement.id, agreement.title,
                   revision.number, revision.hash, signatures)


# Signed DOCX ---------------------------------------------------------------------------

def _unpack(raw: bytes) -> dict[str, bytes] | str:
    """The DOCX's parts, or why it cannot be read."""
    try:
        return read_parts(raw)
    except UnreadablePackage as error:
        return str(error)


def _claim(parts: dict[str, bytes]) -> tuple[int, int, str] | None:
    """(agreement id, revision number, hash) from the identifier property, read before anything else."""
    core = parse_xml(parts.get("docProps/core.xml", b"<none/>"))
    found = IDENTIFIER.search("".join(core.itertext()))
    return (int(found.group(1)), int(found.group(2)), found.group(3)) if found else None


def _verify_docx(raw: bytes) -> Verdict:
    parts = _unpack(raw)
    if isinstance(parts, str):
        return Verdict(False, "file", [parts])
    try:
        claim = _claim(parts)
    except etree.XMLSyntaxError:
        return Verdict(False, "signed DOCX", [_("The document's properties are damaged.")])
    found = _executed(*claim) if claim else None
    if found is None:
        return Verdict(False, "signed DOCX", [NOT_FOUND])
    agreement, version = found
    revision = version.revision
    try:
        expected = _unpack(executed_docx(agreement, version.number))
        sections = len(revision_document(revision).sections)
    except RevisionIntegrityError as error:
        return _verdict("signed DOCX", agreement, revision, [_("The stored revision is damaged: %(error)s.", error=str(error))])
    differences, same_text = _text_differences(parts, expected, sections)
    issued = issued_copy(agreement, revision.hash, raw) if differences else None
    verdict = _verdict("signed DOCX", agreement, revision, [] if issued else differences)
    verdict.issued_at = issued.issued_at if issued else None
    verdict.same_text = same_text and not issued
    return verdict


def _text_differences(parts: dict[str, bytes], expected: dict[str, bytes], sections: int) -> tuple[list[str], bool]:
    """How the uploaded package reads differently from the signed one, in a signer's words; and whether its
    text is the same (then the one difference is that it was saved again)."""
    if parts == expected:
        return [], False
    try:
        shown = read_docx(parts)
    except UnreadableDocument:
        return [_("It is not a Word document that can be read: its text is missing or damaged.")], False
    signed = read_docx(expected)
    if shown.same_text(signed) and not shown.hidden:
        return [_("The agreement text is identical, but the file was re-saved after signing (by another program, "
                  "such as Word or LibreOffice), so it is not the signed file itself.")], True
    return describe_differences(shown, signed, sections), False


# Terms file ----------------------------------------------------------------------------

def _verify_terms(raw: bytes) -> Verdict:
    try:
        imported = read_terms_file(raw)
    except TermsFileInvalid as error:
        first = "; ".join(f"{p or '/'}: {m}" for p, m in error.errors[:3])
        return Verdict(False, "terms file", [_("It is not a valid terms file (%(problems)s).", problems=first)])
    claim = json.loads(raw)
    found = _executed(imported.source_agreement_id, imported.source_revision, claim["revision"]["sha256"])
    if found is None:
        return Verdict(False, "terms file", [NOT_FOUND])
    agreement, version = found
    revision = version.revision
    if imported.source_sha256 != revision.hash:
        return _verdict("terms file", agreement, revision,
                        [_("Its terms or clause texts differ from the signed revision (their hash does not match).")])
    recorded = signature_records(agreement, revision)
    expected = json.loads(json.dumps(terms_file(imported.document, export_info(agreement, revision), recorded,
                                                amendment_records(agreement, revision))))
    # A file exported before support hours were data says version 1.0; its contents are the same.
    if claim.get("schema_version") in READABLE_VERSIONS:
        expected["schema_version"] = claim["schema_version"]
    # A file exported while the agreement was being signed lists fewer signatures, and the status
    # moves on after execution: those two may differ, as long as every signature listed is on record.
    listed, on_record = claim.pop("signatures", []), expected.pop("signatures")
    claim["agreement"].pop("status", None)
    expected["agreement"].pop("status")
    differences = []
    if claim != expected:
        differences.append(_("It differs from the terms file of the signed revision (parties or summaries were changed)."))
    if any(entry not in on_record for entry in listed):
        differences.append(_("It lists a signature that is not on record."))
    return _verdict("terms file", agreement, revision, differences)
