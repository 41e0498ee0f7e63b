"""Word packages in and out: read an uploaded one safely, save one as byte-identical bytes.

Reading: an uploaded file is whatever someone sent. Sizes are checked before
anything is unpacked, and every way a zip can be damaged (bad header, wrong CRC,
corrupt deflate stream, truncation, encryption) is one answer: not a readable
Word file. Its parts' XML is parsed by `parse_xml` alone, which trusts none of it.

Saving: python-docx stamps every zip entry with the current time and leaves the core
properties' dates as the template had them. An export must be identified by its
SHA-256, so both are fixed here: the entries' times and the document properties
take one given moment (the revision's), and the entries keep python-docx's order.

python-docx's default template also brings parts a file of ours must not carry
(`tidy_package`): Word 2010's `stylesWithEffects.xml`, a legacy copy of the styles that
disagrees with ours as soon as we add a style (Word treats the mismatch as unreadable
content), a blank thumbnail, and an `app.xml` claiming "Microsoft Macintosh Word" wrote
a document of 0 words. Ours names this application and counts the words that are there.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from importlib import metadata

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from .text import xml_safe

MAX_ENTRIES = 200
MAX_UNPACKED_BYTES = 16 * 1024 * 1024  # a signed agreement unpacks to about 1 MiB
NOT_READABLE = "The file is not a readable Word file (.docx): it is damaged, incomplete or not a Word file at all."
TOO_LARGE = "The file unpacks to more than a Word document can hold."

APPLICATION = "Accord"
APP_PROPERTIES = "docProps/app.xml"
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_P, _R, _T, _TAB, _BR, _CR = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_NOT_SHOWN = {qn("w:del"), qn("w:moveFrom")}  # what Accept All removes is not counted


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


def parse_xml(data: bytes) -> etree._Element:
    """A part of an uploaded package, parsed without trusting it; etree.XMLSyntaxError when it is not
    well-formed XML or declares a document type.

    No entity is expanded (a "billion laughs" stays a few bytes), nothing is read from a
    file or the network (an external entity stays a name), no tree beyond libxml2's
    limits. A package part must not declare a DTD at all (ECMA-376 Part 2, M1.18: the
    reader treats one as an error), so one that does is refused rather than read.
    """
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                                                  load_dtd=False))
    if root.getroottree().docinfo.doctype:
        raise etree.XMLSyntaxError("a package part declares a document type (DTD)", None, 1, 1)
    return root


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
    """The document as .docx bytes, tidied (`tidy_package`); the same content and `when` give the same bytes."""
    tidy_package(document)
    app_properties = app_properties_xml(text_statistics(document.element.body))
    raw = io.BytesIO()
    document.save(raw)
    stamp = _zip_time(when)
    stable = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = app_properties if entry.filename == APP_PROPERTIES else source.read(entry.filename)
            target.writestr(info, data)
    return stable.getvalue()


def tidy_package(document: DocxDocument) -> None:
    """Drop the template's `stylesWithEffects.xml` and thumbnail from `document`'s package.

    A part no relationship reaches is not saved, and python-docx writes the content types
    from the saved parts; so dropping the relationship drops the part and its override.
    Safe to call more than once.
    """
    _drop_relationships(document.part.rels, STYLES_WITH_EFFECTS)
    _drop_relationships(document.part.package.rels, RT.THUMBNAIL)


def _drop_relationships(rels, reltype: str) -> None:
    for rel_id in [rel_id for rel_id, rel in rels.items() if rel.reltype == reltype]:
        del rels[rel_id]


# docProps/app.xml ---------------------------------------------------------------------

@dataclass(frozen=True)
class TextStatistics:
    """What Word's File > Properties > Statistics counts in the document's main text."""

    words: int
    characters: int  # without spaces
    characters_with_spaces: int
    paragraphs: int  # those holding some text


def text_statistics(body: etree._Element) -> TextStatistics:
    """Count the text of the `w:body` element `body` as it reads after Accept All.

    Table cells count, headers and footers do not (as in Word); deleted and moved-away
    text does not; a tab or a line break separates words.
    """
    words = characters = with_spaces = paragraphs = 0
    for p in body.iter(_P):
        pieces = []
        for node in p.iter(_T, _TAB, _BR, _CR):
            run = node.getparent()
            if run.tag != _R or run.getparent().tag in _NOT_SHOWN:
                continue
            pieces.append((node.text or "") if node.tag == _T else " ")
        text = "".join(pieces)
        split = text.split()
        if not split:
            continue
        paragraphs += 1
        words += len(split)
        characters += sum(len(word) for word in split)
        with_spaces += len(text)
    return TextStatistics(words, characters, with_spaces, paragraphs)


@cache
def app_version() -> str:
    """This application's version in the "NN.NNNN" form Word gives its own (16.0000): 0.1.0 -> 00.0100."""
    try:
        version = metadata.version("authoring")
    except metadata.PackageNotFoundError:
        return "00.0000"
    numbers = [int(part) if part.isdigit() else 0 for part in version.split(".")[:3]] + [0, 0]
    return f"{numbers[0] % 100:02d}.{numbers[1] % 100:02d}{numbers[2] % 100:02d}"


def app_properties_xml(statistics: TextStatistics) -> bytes:
    """docProps/app.xml naming this application, with `statistics`.

    Pages and lines need a layout we do not make: left out, Word counts them when it
    lays the document out. The company is left empty: the parties are in core.xml.
    """
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
            ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            "<TotalTime>0</TotalTime>"
            f"<Words>{statistics.words}</Words>"
            f"<Characters>{statistics.characters}</Characters>"
            f"<Application>{APPLICATION}</Application>"
            "<DocSecurity>0</DocSecurity>"
            f"<Paragraphs>{statistics.paragraphs}</Paragraphs>"
            "<ScaleCrop>false</ScaleCrop>"
            "<Company></Company>"
            "<LinksUpToDate>false</LinksUpToDate>"
            f"<CharactersWithSpaces>{statistics.characters_with_spaces}</CharactersWithSpaces>"
            "<SharedDoc>false</SharedDoc>"
            "<HyperlinksChanged>false</HyperlinksChanged>"
            f"<AppVersion>{app_version()}</AppVersion>"
            "</Properties>").encode("utf-8")


# docProps/custom.xml --------------------------------------------------------------------

CUSTOM_PROPERTIES = "/docProps/custom.xml"
CUSTOM_PROPERTIES_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_PROPERTIES_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_USER_DEFINED = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id Word gives File > Properties > Custom


def set_custom_properties(document: DocxDocument, properties: dict[str, str | int]) -> None:
    """Write `properties` as the document's custom properties (docProps/custom.xml), in the given order.

    Word and LibreOffice keep custom properties when they open and save a file, so they
    carry what a file is (its agreement, revision and hash) through an edit and back.
    Whole numbers are `vt:i4`, everything else `vt:lpwstr`.
    """
    root = etree.Element(f"{{{_CUSTOM_NS}}}Properties", nsmap={None: _CUSTOM_NS, "vt": _VT_NS})
    for pid, (name, value) in enumerate(properties.items(), start=2):  # pid 2 is the first one a file may use
        prop = etree.SubElement(root, f"{{{_CUSTOM_NS}}}property", fmtid=_USER_DEFINED, pid=str(pid), name=name)
        kind = "i4" if isinstance(value, int) and not isinstance(value, bool) else "lpwstr"
        etree.SubElement(prop, f"{{{_VT_NS}}}{kind}").text = xml_safe(str(value))
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    package = document.part.package
    _drop_relationships(package.rels, CUSTOM_PROPERTIES_RELATIONSHIP)
    package.relate_to(Part(PackURI(CUSTOM_PROPERTIES), CUSTOM_PROPERTIES_TYPE, blob, package),
                      CUSTOM_PROPERTIES_RELATIONSHIP)


def custom_properties(parts: dict[str, bytes]) -> dict[str, str]:
    """The custom properties of an unpacked package, by name (values as text); {} when there are none."""
    data = parts.get(CUSTOM_PROPERTIES.lstrip("/"))
    if data is None:
        return {}
    root = parse_xml(data)
    return {prop.get("name", ""): "".join(prop.itertext()).strip() for prop in root.iter(f"{{{_CUSTOM_NS}}}property")}
