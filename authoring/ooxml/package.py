"""Word packages in and out: read an uploaded one safely, save one as byte-identical bytes.

Reading: an uploaded file is whatever someone sent. Sizes are checked before
anything is unpacked, and every way a zip can be damaged (bad header, wrong CRC,
corrupt deflate stream, truncation, encryption) is one answer: not a readable
Word file.

Saving: python-docx stamps every zip entry with the current time and leaves the core
properties' dates as the template had them. An export must be identified by its
SHA-256, so both are fixed here: the entries' times and the document properties
take one given moment (the revision's), and the entries keep python-docx's order.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import datetime, timezone

from docx.document import Document as DocxDocument

from .text import xml_safe

MAX_ENTRIES = 200
MAX_UNPACKED_BYTES = 16 * 1024 * 1024  # a signed agreement unpacks to about 1 MiB
NOT_READABLE = "The file is not a readable Word file (.docx): it is damaged, incomplete or not a Word file at all."
TOO_LARGE = "The file unpacks to more than a Word document can hold."


class UnreadablePackage(ValueError):
    """An uploaded file is not a Word package that can be read; the message says so in plain words."""


def read_parts(raw: bytes, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_UNPACKED_BYTES) -> dict[str, bytes]:
    """The parts of the zip package `raw`, by name; UnreadablePackage when it is damaged or too large."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        entries = archive.infolist()
        if len(entries) > max_entries or sum(e.file_size for e in entries) > max_bytes:
            raise UnreadablePackage(TOO_LARGE)
        parts = {}
        for entry in entries:
            # Read no more than the entry claims: a lying header cannot unpack a bomb.
            with archive.open(entry) as stream:
                data = stream.read(entry.file_size + 1)
            if len(data) != entry.file_size:
                raise UnreadablePackage(NOT_READABLE)
            parts[entry.filename] = data
        return parts
    except UnreadablePackage:
        raise
    except (zipfile.BadZipFile, zlib.error, struct.error, OSError, EOFError, ValueError, RuntimeError,
            NotImplementedError) as error:
        raise UnreadablePackage(NOT_READABLE) from error


def _zip_time(when: datetime) -> tuple[int, int, int, int, int, int]:
    # Zip cannot hold dates before 1980; DOS time has a 2-second resolution.
    when = when.astimezone(timezone.utc) if when.tzinfo else when
    if when.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)


def set_properties(document: DocxDocument, *, title: str, subject: str, author: str, when: datetime,
                   keywords: str = "", revision: int = 1) -> None:
    """Fill the document properties a lawyer's Word shows under File > Info, all from data."""
    when = when.replace(tzinfo=None) if when.tzinfo is None else when.astimezone(timezone.utc).replace(tzinfo=None)
    properties = document.core_properties
    title, subject, author, keywords = (xml_safe(v) for v in (title, subject, author, keywords))
    properties.title = title
    properties.subject = subject
    properties.author = author
    properties.last_modified_by = author
    properties.keywords = keywords
    properties.comments = ""
    properties.revision = max(1, revision)
    properties.created = when
    properties.modified = when
    properties.last_printed = when


def docx_bytes(document: DocxDocument, when: datetime) -> bytes:
    """The document as .docx bytes; the same content and `when` give the same bytes."""
    raw = io.BytesIO()
    document.save(raw)
    stamp = _zip_time(when)
    stable = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return stable.getvalue()
