"""Each export of a stored agreement as bytes: what the download links and the CLI hand out."""
from __future__ import annotations

from dataclasses import replace

from ..models import Agreement
from ..negotiation.redlines import revision_redline
from ..revisions.services import revision_document
from .docx import agreement_docx
from .issued import record_issued
from .openslo import openslo_yaml
from .gather import (
    NotExportable, amendment_records, comment_threads, executed_version, execution_of, export_info, pick_revision,
    signature_records, tables_of,
)
from .redline_docx import RevisionExport, redline_docx
from .terms import terms_json


def revision_docx(agreement: Agreement, number: int | None = None) -> bytes:
    """Revision `number` (default: the newest) as Word."""
    revision = pick_revision(agreement, number)
    document = revision_document(revision)
    return agreement_docx(document, export_info(agreement, revision), tables_of(agreement, document))


def revision_terms_json(agreement: Agreement, number: int | None = None) -> bytes:
    """Revision `number` (default: the newest) as terms.json, with the signatures given so far."""
    revision = pick_revision(agreement, number)
    return terms_json(revision_document(revision), export_info(agreement, revision),
                      signature_records(agreement, revision), amendment_records(agreement, revision))


def revision_openslo(agreement: Agreement, number: int | None = None) -> bytes:
    """Revision `number` (default: the newest) as OpenSLO v1 YAML: the service levels for the provider's monitoring."""
    revision = pick_revision(agreement, number)
    return openslo_yaml(revision_document(revision), export_info(agreement, revision))


def redline_docx_between(agreement: Agreement, older: int, newer: int) -> bytes:
    """Revision `newer` with Word tracked changes against revision `older`, and the comments."""
    if older == newer:
        raise NotExportable("Choose two different revisions to compare.")
    old, new = pick_revision(agreement, older), pick_revision(agreement, newer)
    redline = revision_redline(agreement, old, new)
    sides = []
    for revision in (old, new):
        document = revision_document(revision)
        sides.append(RevisionExport(document, export_info(agreement, revision), tables_of(agreement, document)))
    return redline_docx(redline, *sides, comment_threads(agreement))


def issue_signed_docx(agreement: Agreement, version: int | None = None) -> bytes:
    """The signed DOCX for a download: rendered, and its digest recorded as issued (see IssuedDocument)."""
    data = executed_docx(agreement, version)
    record_issued(agreement, executed_version(agreement, version).revision.hash, data)
    return data


def executed_docx(agreement: Agreement, version: int | None = None) -> bytes:
    """An executed version (default: the latest) with its signature page and certificate of completion.

    Everything in it is fixed at that execution - the status it states too, whatever the
    agreement's later life - so the file stays byte-identical and verifiable.
    """
    executed = executed_version(agreement, version)
    document = revision_document(executed.revision)
    info = replace(export_info(agreement, executed.revision), status="executed")
    return agreement_docx(document, info, tables_of(agreement, document), execution=execution_of(agreement, executed))
