"""What an export needs besides the document itself, as plain immutable data."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class ExportInfo:
    """The agreement and the revision being exported."""

    agreement_id: int
    title: str
    language: str  # "en", "es", "pl", "he", "ru", "tl"
    status: str  # the agreement's status (draft, negotiating, ..., executed)
    provider_name: str
    client_name: str
    revision_number: int
    revision_hash: str  # SHA-256 hex of the revision's canonical JSON
    revision_created_at: datetime  # UTC; also the fixed timestamp inside the files
    revision_author: str = ""
    paper: str = "A4"  # "A4" or "Letter": the agreement's setting, else its language's locale's (export.paper)


@dataclass(frozen=True)
class SignatureRecord:
    """One side's signature as recorded at sign-off."""

    side: str  # "provider" or "client"
    organisation: str
    name: str  # full name as typed when signing
    title: str  # job title as typed
    email: str
    signed_at: datetime  # UTC
    ip: str | None
    revision_number: int
    revision_hash: str
    statement: str  # the electronic-signature consent text the signer ticked
    valid: bool = True  # False when the signed revision is no longer the current one
    # How the signer came to sign for their side, as sealed at signing (None: not recorded then).
    joined_via: str | None = None  # "invitation", "creator" or "unrecorded"
    invited_by: str | None = None  # "Name <e-mail>" of whoever invited them
    invited_at: datetime | None = None
    joined_at: datetime | None = None


@dataclass(frozen=True)
class CertificateEvent:
    """One line of the certificate of completion."""

    at: datetime  # UTC
    person: str  # name and e-mail, or "system"
    ip: str | None
    description: str  # e.g. "Shared the draft with the client", "Signed revision 3 for the provider"


@dataclass(frozen=True)
class AmendmentRecord:
    """An executed amendment as the terms file lists it."""

    number: int
    effective_on: date
    executed_at: datetime
    sha256: str  # of the revision both sides signed
    reason: str
    terms_patch: tuple[dict, ...]  # RFC 6902 operations on the terms before it


@dataclass(frozen=True)
class RevisionSummary:
    number: int
    hash: str
    created_at: datetime
    author: str
    message: str


@dataclass(frozen=True)
class ChangedClause:
    """A clause an amendment changed, as numbered in the text it applies to (a removed one: in the text before)."""

    number: str  # "3.2"
    title: str
    status: str  # "changed", "added", "removed" or "moved" (a moved clause may be changed too)


@dataclass(frozen=True)
class ChangedTerm:
    """A term an amendment changed, named as the interview asks for it, with its value before and after."""

    name: str
    old: str
    new: str


@dataclass(frozen=True)
class ExecutedVersionSummary:
    """An earlier execution of the same agreement (the original, an earlier amendment), for the certificate."""

    number: int  # 0: the original, N: amendment N
    executed_at: datetime
    effective_on: date | None  # an amendment's; None for the original
    revision_number: int
    revision_hash: str
    signatures: tuple[SignatureRecord, ...]  # the valid ones on that revision


@dataclass(frozen=True)
class AmendmentInfo:
    """What makes an amendment's signed document one: which amendment, from when, what it changed."""

    number: int
    effective_on: date
    reason: str
    base_revision_number: int  # the executed text it amends
    base_revision_hash: str
    clauses: tuple[ChangedClause, ...]  # in the amended text's order
    terms: tuple[ChangedTerm, ...]
    earlier: tuple[ExecutedVersionSummary, ...]  # the original first, then every amendment before this one


@dataclass(frozen=True)
class Execution:
    """What the signed DOCX and the certificate add to the executed text."""

    executed_at: datetime
    executed_hash: str  # the revision hash both sides signed
    signatures: tuple[SignatureRecord, ...]
    events: tuple[CertificateEvent, ...]
    revisions: tuple[RevisionSummary, ...]
    verify_url: str  # where anyone can check a file, e.g. https://host/verify
    audit_head: str = ""  # hash of the newest audit event when executed (the chain's head)
    amendment: AmendmentInfo | None = None  # for an amendment's signed document; None for the original


@dataclass(frozen=True)
class ClauseComment:
    """One comment of a thread, for the redline's margin."""

    author: str
    at: datetime  # UTC
    text: str


@dataclass(frozen=True)
class CommentThread:
    """A comment thread on a clause (`clause_key`), or on the whole agreement (None).

    `comments` holds the first comment, then the replies in the order they were written;
    `resolved` is the thread's state (resolving applies to the whole thread).
    """

    clause_key: str | None
    resolved: bool
    comments: tuple[ClauseComment, ...]
