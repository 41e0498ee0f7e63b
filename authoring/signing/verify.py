"""Verify a file against the record: does this signed DOCX or terms file match an executed revision?

A file names the agreement and revision hash it claims (the DOCX in its `identifier`
property, the terms file in its `agreement` and `revision` members). The claim is
checked by rendering that executed revision again - exports are deterministic - and
comparing what a reader sees: every paragraph, table cell, header and footer of the
DOCX; every value of the terms file. One changed character is "no match". The
signature seals and the audit chain are checked too.

Whoever uploads a file learns about an agreement only when the file carries the
executed revision's hash, i.e. when they already hold a copy of it.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree
from sqlalchemy import select

from ..audit import verify_chain
from ..export.documents import executed_docx
from ..export.gather import export_info, signature_records
from ..export.records import SignatureRecord
from ..export.terms import terms_file
from ..export.terms_import import TermsFileInvalid, read_terms_file
from ..extensions import db
from ..models import Agreement, Revision, Signature
from ..revisions.store import RevisionIntegrityError
from .seal import signature_intact

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 200
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
IDENTIFIER = re.compile(r"urn:accord:agreement:(\d+):revision:(\d+):sha256:([0-9a-f]{64})")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NOT_FOUND = "It does not match any executed agreement here."


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

    def summary(self) -> str:
        if not self.matched:
            return f"No match: this {self.kind} is not an exact copy of an executed agreement. " + " ".join(self.reasons)
        signed = "; ".join(f"{s.name} ({s.side}) on {s.signed_at:%Y-%m-%d %H:%M:%S} UTC" for s in self.signatures)
        return (f"Match: this {self.kind} is revision {self.revision_number} of agreement {self.agreement_id} "
                f"“{self.title}”, SHA-256 {self.revision_hash}, signed by {signed}.")


def verify_file(raw: bytes) -> Verdict:
    """Say whether `raw` (a signed DOCX or a terms file) matches an executed revision."""
    if len(raw) > MAX_UPLOAD_BYTES:
        return Verdict(False, "file", [f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB."])
    if raw[:2] == b"PK":
        return _verify_docx(raw)
    return _verify_terms(raw)


def _executed(agreement_id: int, revision_hash: str) -> tuple[Agreement, Revision] | None:
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None or agreement.executed_revision_id is None:
        return None
    revision = db.session.get(Revision, agreement.executed_revision_id)
    return (agreement, revision) if revision.hash == revision_hash else None


def _record_problems(agreement: Agreement) -> list[str]:
    """Broken seals or a broken audit chain: the record itself was tampered with."""
    problems = [f"The signature of {s.full_name} was altered in the database after it was sealed."
                for s in db.session.scalars(select(Signature).where(Signature.agreement_id == agreement.id))
                if not signature_intact(s)]
    problems += [str(p).capitalize() + "." for p in verify_chain(agreement.id)]
    return problems


def _verdict(kind: str, agreement: Agreement, revision: Revision, differences: list[str]) -> Verdict:
    problems = _record_problems(agreement)
    signatures = [s for s in signature_records(agreement) if s.valid and s.revision_hash == revision.hash]
    return Verdict(not differences and not problems, kind, differences + problems, agreement.id, agreement.title,
                   revision.number, revision.hash, signatures)


# Signed DOCX ---------------------------------------------------------------------------

def _unpack(raw: bytes) -> dict[str, bytes] | str:
    """The DOCX's parts, or why it cannot be read; sizes are checked before anything is unpacked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
            return "The file unpacks to more than a Word document can hold."
        return {e.filename: archive.read(e) for e in entries if _wanted(e.filename)}
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return "The file is not a Word document (.docx) or terms file (.json) that can be read."


def _wanted(name: str) -> bool:
    return name == "docProps/core.xml" or (name.startswith("word/") and name.endswith(".xml"))


def _xml(data: bytes):
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))


def visible_text(parts: dict[str, bytes]) -> list[str]:
    """What a reader sees: each paragraph's text (body, tables, headers, footers), in part order."""
    lines = []
    for name in sorted(n for n in parts if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)):
        for paragraph in _xml(parts[name]).iter(f"{W}p"):
            lines.append("".join((node.text or "") if node.tag == f"{W}t" else "\t"
                                 for node in paragraph.iter(f"{W}t", f"{W}tab")))
    return lines


def _verify_docx(raw: bytes) -> Verdict:
    parts = _unpack(raw)
    if isinstance(parts, str):
        return Verdict(False, "file", [parts])
    try:
        core = _xml(parts.get("docProps/core.xml", b"<none/>"))
        claim = IDENTIFIER.search("".join(core.itertext()))
        shown = visible_text(parts)
    except etree.XMLSyntaxError:
        return Verdict(False, "signed DOCX", ["The document's XML is damaged."])
    found = _executed(int(claim.group(1)), claim.group(3)) if claim else None
    if found is None:
        return Verdict(False, "signed DOCX", [NOT_FOUND])
    agreement, revision = found
    try:
        expected = executed_docx(agreement)
    except RevisionIntegrityError as error:
        return _verdict("signed DOCX", agreement, revision, [f"The stored revision is damaged: {error}."])
    expected_text = visible_text(_unpack(expected))
    differences = [] if shown == expected_text else [_first_difference(shown, expected_text)]
    return _verdict("signed DOCX", agreement, revision, differences)


def _first_difference(shown: list[str], expected: list[str]) -> str:
    for index, (a, b) in enumerate(zip(shown, expected)):
        if a != b:
            at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            start = max(0, at - 30)
            return (f"Paragraph {index + 1} differs from the signed text at character {at + 1}: "
                    f"“…{a[start:at + 30]}…” where the signed text reads “…{b[start:at + 30]}…”.")
    return f"The document has {len(shown)} paragraphs; the signed one has {len(expected)}."


# Terms file ----------------------------------------------------------------------------

def _verify_terms(raw: bytes) -> Verdict:
    try:
        imported = read_terms_file(raw)
    except TermsFileInvalid as error:
        first = "; ".join(f"{p or '(the file)'}: {m}" for p, m in error.errors[:3])
        return Verdict(False, "terms file", [f"It is not a valid terms file ({first})."])
    claim = json.loads(raw)
    found = _executed(imported.source_agreement_id, claim["revision"]["sha256"]) if imported.source_agreement_id else None
    if found is None:
        return Verdict(False, "terms file", [NOT_FOUND])
    agreement, revision = found
    if imported.source_sha256 != revision.hash:
        return _verdict("terms file", agreement, revision,
                        ["Its terms or clause texts differ from the signed revision (their hash does not match)."])
    expected = terms_file(imported.document, export_info(agreement, revision), signature_records(agreement))
    expected["agreement"]["status"] = claim["agreement"]["status"]  # the status may have moved on since
    differences = [] if claim == json.loads(json.dumps(expected)) else [
        "It differs from the terms file of the signed revision (parties, signatures or summaries were changed)."]
    return _verdict("terms file", agreement, revision, differences)
