"""A third-party validator, openxml-audit (PyPI), finds no error in any Word file we export.

Every kind is checked as the demo produces it: the clean DOCX of a revision, the redline
(with comments; and across an amendment), the signed DOCX of the original and of its
amendment, in English and in Hebrew. openxml-audit runs the Open XML SDK's schema and
semantic checks in pure Python, plus rules for what makes Word offer to repair a file.

It is young. A finding that is wrong against ECMA-376 is kept below as a named exception,
with the clause that shows it wrong, instead of bending the file to please it; each
exception is itself tested to excuse that finding alone.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import docx
import pytest
from openxml_audit import OpenXmlValidator, ValidationError, ValidationSeverity
from sqlalchemy import select

from authoring.demo import DEMO_TITLE, DEMO_TITLE_EXECUTED, DEMO_TITLES, create_demo
from authoring.export.documents import executed_docx, redline_docx_between, revision_docx
from authoring.export.gather import executed_version
from authoring.extensions import db
from authoring.models import Agreement
from authoring.ooxml.numbering import number_headings, unnumber
from authoring.ooxml.package import docx_bytes
from test_export_redline_docx import export as every_kind_of_change


@dataclass(frozen=True)
class WrongFinding:
    """A finding of openxml-audit that ECMA-376 shows to be wrong, and how to recognise it."""

    name: str
    reference: str  # the clause of ECMA-376 Part 1 (ISO/IEC 29500-1) that the file follows
    matches: Callable[[ValidationError], bool]


WRONG_FINDINGS = (
    # openxml-audit 0.8.0 (validator._iter_word_num_refs) takes every w:numId for a reference to a
    # w:num. A heading outside the clause numbering (signature page, certificate) carries
    # w:numPr/w:numId w:val="0", which is how numbering is removed; Word writes it the same way.
    WrongFinding(
        name="numId 0 removes numbering; it references no w:num",
        reference="ISO/IEC 29500-1 17.9.19 numId: 'A value of 0 for the val attribute shall never be used to "
                  "point to a numbering definition instance, and shall instead only be used to designate the "
                  "removal of numbering properties'",
        matches=lambda finding: finding.description == "Numbering definition '0' referenced but not found",
    ),
)


def errors_in(path: Path) -> list[ValidationError]:
    """openxml-audit's errors for the file at `path` (Office 2019 rules, its default), less the wrong findings."""
    result = OpenXmlValidator(max_errors=0).validate(path)
    return [finding for finding in result.errors if finding.severity is ValidationSeverity.ERROR
            and not any(wrong.matches(finding) for wrong in WRONG_FINDINGS)]


def audit(tmp_path: Path, files: dict[str, bytes]) -> dict[str, list[str]]:
    """Each file's remaining errors, as text; a clean export maps to []."""
    found = {}
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        found[name] = [str(finding) for finding in errors_in(path)]
    return found


def _agreement(title: str) -> Agreement:
    return db.session.scalar(select(Agreement).where(Agreement.title == title))


def test_every_export_of_the_demo_has_no_openxml_audit_error(app, backend, tmp_path):
    if backend != "sqlite":
        pytest.skip("the documents are the same on either database; audited once")
    with app.app_context():
        assert create_demo()
        negotiated = _agreement(DEMO_TITLE)  # two revisions, comments and a reply on a clause
        files = {"clean.docx": revision_docx(negotiated),
                 "redline-with-comments.docx": redline_docx_between(negotiated, 1, 2)}
        for language, title in (("en", DEMO_TITLE_EXECUTED), ("he", DEMO_TITLES["he"])):
            executed = _agreement(title)
            original, amended = executed_version(executed, 0), executed_version(executed, 1)
            files[f"{language}-clean.docx"] = revision_docx(executed, original.revision.number)
            files[f"{language}-redline-amendment.docx"] = redline_docx_between(
                executed, original.revision.number, amended.revision.number)
            files[f"{language}-signed.docx"] = executed_docx(executed, 0)
            files[f"{language}-signed-amendment.docx"] = executed_docx(executed, 1)
        # Every kind of revision at once: moves, table rows and cells, whole tables, titles, line breaks.
        files["redline-every-kind.docx"] = every_kind_of_change()
        files["redline-every-kind-he.docx"] = every_kind_of_change(language="he")
    assert audit(tmp_path, files) == {name: [] for name in files}


# The exceptions excuse exactly their finding ------------------------------------------------

def _headings(opted_out_num_id: str) -> bytes:
    """Two numbered headings and an unnumbered one whose w:numId is then set to `opted_out_num_id`."""
    document = docx.Document()
    number_headings(document)
    document.add_paragraph("Services", style="Heading 1")
    document.add_paragraph("Support", style="Heading 2")
    signature = document.add_paragraph("Signature page", style="Heading 1")._p
    unnumber(signature.get_or_add_pPr())
    signature.xpath("./w:pPr/w:numPr/w:numId")[0].set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val", opted_out_num_id)
    return docx_bytes(document, datetime(2025, 3, 1, tzinfo=timezone.utc))


def test_an_unnumbered_heading_is_reported_by_openxml_audit_only_as_the_named_wrong_finding(tmp_path):
    path = tmp_path / "unnumbered.docx"
    path.write_bytes(_headings("0"))
    raw = [f for f in OpenXmlValidator(max_errors=0).validate(path).errors if f.severity is ValidationSeverity.ERROR]
    assert [f.description for f in raw] == ["Numbering definition '0' referenced but not found"]
    assert errors_in(path) == []
    # ...and the document really is what Word reads as "no number here": numId 0 on the paragraph.
    paragraph = docx.Document(io.BytesIO(path.read_bytes())).paragraphs[-1]
    assert paragraph.text == "Signature page" and paragraph._p.xpath("./w:pPr/w:numPr/w:numId/@w:val") == ["0"]


def test_a_reference_to_a_list_that_does_not_exist_is_still_an_error(tmp_path):
    path = tmp_path / "dangling.docx"
    path.write_bytes(_headings("99"))
    assert [f.description for f in errors_in(path)] == ["Numbering definition '99' referenced but not found"]
