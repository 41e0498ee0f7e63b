"""What a reader of a Word file sees: its paragraphs and table cells in order, as plain text.

Verification compares this reading of an uploaded DOCX with the one of the signed file,
so it keeps what a person reads and drops what a word processor rewrites when it saves
a file again:

- the package is followed as Word opens it (the main document named in `_rels/.rels`,
  headers and footers through its relationships), whatever the parts are called;
- runs are joined (Word and LibreOffice split and merge them freely), tabs and line
  breaks kept; text marked deleted (`w:del`, `w:moveFrom`) is not read;
- results of fields the word processor computes - PAGE, NUMPAGES, the table of contents
  and its page references - are left out; every other field's result is text like any;
- paragraphs and cells with no visible text (the empty paragraphs Word and LibreOffice
  add around tables or at the end) are left out;
- hidden text (`w:vanish`, directly or through a style) is not read, but noted.

Nothing else is normalised: a changed character, quote mark or space is a change.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from lxml import etree

from ..ooxml.package import parse_xml

W_NAMESPACES = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                "http://purl.oclc.org/ooxml/wordprocessingml/main")  # transitional, strict
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Fields whose result the word processor recomputes on its own (page numbers, the contents).
COMPUTED_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "TOC", "PAGEREF"}
OFF = {"0", "false", "off"}


class UnreadableDocument(ValueError):
    """The package holds no main document, or a part's XML cannot be parsed."""


@dataclass(frozen=True)
class Unit:
    """One paragraph or table cell with visible text, and how it is styled."""

    text: str
    kind: str  # "paragraph" or "cell"
    style: str = ""  # the paragraph style's name, lower case ("heading 2"); "" for a cell
    numbered: bool = True  # False when the paragraph switches numbering off (w:numId "0")

    @property
    def key(self) -> tuple[str, str]:
        """What is compared: the kind and the text, not the style (a re-save may rename styles)."""
        return self.kind, self.text


@dataclass
class Reading:
    """The body's units in order; header and footer lines, each once, in order of appearance."""

    body: list[Unit] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    footers: list[str] = field(default_factory=list)
    hidden: bool = False  # some text is formatted as hidden

    def same_text(self, other: Reading) -> bool:
        return ([u.key for u in self.body] == [u.key for u in other.body]
                and self.headers == other.headers and self.footers == other.footers)


def _xml(data: bytes) -> etree._Element:
    try:
        return parse_xml(data)
    except etree.XMLSyntaxError as error:
        raise UnreadableDocument(str(error)) from error


def _relationships(parts: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    """rId -> (type, part name) of `part`'s internal relationships ("" for the package's own)."""
    folder, name = posixpath.split(part)
    rels = parts.get(posixpath.join(folder, "_rels", f"{name}.rels"))
    if rels is None:
        return {}
    found = {}
    for rel in _xml(rels).iter(f"{RELS}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[rel.get("Id", "")] = (rel.get("Type", ""), path)
    return found


def read_docx(parts: dict[str, bytes]) -> Reading:
    """The reading of a Word package given as its parts; UnreadableDocument when there is none."""
    main = next((path for kind, path in _relationships(parts, "").values() if kind.endswith("/officeDocument")), None)
    if main is None or main not in parts:
        raise UnreadableDocument("no main document")
    root = _xml(parts[main])
    w = "{%s}" % etree.QName(root).namespace
    if etree.QName(root).namespace not in W_NAMESPACES or root.find(f"{w}body") is None:
        raise UnreadableDocument("the main part is not a Word document")
    related = _relationships(parts, main)
    styles = next((_Styles(_xml(parts[path]), w) for kind, path in related.values()
                   if kind.endswith("/styles") and path in parts), _Styles(None, w))
    reading = Reading()
    reader = _Reader(w, styles, reading)
    reading.body = reader.story(root.find(f"{w}body"))
    for tag, lines in (("headerReference", reading.headers), ("footerReference", reading.footers)):
        for reference in root.iter(f"{w}{tag}"):
            found = related.get(reference.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
                                or reference.get("{http://purl.oclc.org/ooxml/officeDocument/relationships}id", ""))
            if found is None or found[1] not in parts:
                continue
            for unit in reader.story(_xml(parts[found[1]])):
                if unit.text not in lines:
                    lines.append(unit.text)
    return reading


class _Styles:
    """Which paragraph and character styles hide their text, and each style's name."""

    def __init__(self, root: etree._Element | None, w: str):
        self.w = w
        self.names: dict[str, str] = {}
        self._vanish: dict[str, bool | None] = {}
        self._based_on: dict[str, str] = {}
        self.default_vanish = False
        if root is None:
            return
        default = root.find(f"{w}docDefaults/{w}rPrDefault/{w}rPr")
        self.default_vanish = bool(_vanish(default, w))
        for style in root.iter(f"{w}style"):
            style_id = style.get(f"{w}styleId", "")
            name = style.find(f"{w}name")
            self.names[style_id] = (name.get(f"{w}val", "") if name is not None else style_id).lower()
            based = style.find(f"{w}basedOn")
            if based is not None:
                self._based_on[style_id] = based.get(f"{w}val", "")
            self._vanish[style_id] = _vanish(style.find(f"{w}rPr"), w)

    def vanish(self, style_id: str | None) -> bool | None:
        """Whether the style (or one it is based on) hides text; None when none of them says."""
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if self._vanish.get(style_id) is not None:
                return self._vanish[style_id]
            style_id = self._based_on.get(style_id)
        return None


def _vanish(properties: etree._Element | None, w: str) -> bool | None:
    if properties is None:
        return None
    for tag in ("vanish", "specVanish"):
        mark = properties.find(f"{w}{tag}")
        if mark is not None:
            return mark.get(f"{w}val", "true").lower() not in OFF
    return None


class _Reader:
    """Walks a story (body, header, footer) in document order, keeping the open fields across paragraphs."""

    def __init__(self, w: str, styles: _Styles, reading: Reading):
        self.w = w
        self.styles = styles
        self.reading = reading
        self.fields: list[list] = []  # open complex fields: [instruction, past "separate"]

    def story(self, root: etree._Element) -> list[Unit]:
        units: list[Unit] = []
        self._blocks(root, units)
        return units

    def _blocks(self, parent: etree._Element, units: list[Unit]) -> None:
        w = self.w
        for child in parent:
            tag = child.tag
            if tag == f"{w}p":
                text, style, numbered = self._paragraph(child)
                if text.strip():
                    units.append(Unit(text, "paragraph", style, numbered))
            elif tag == f"{w}tbl":
                for row in child.iter(f"{w}tr"):
                    if row.find(f"{w}trPr/{w}del") is not None or _table_of(row, w) is not child:
                        continue  # a deleted row; rows of nested tables are read with their cell
                    for cell in row.findall(f"{w}tc"):
                        text = self._cell(cell)
                        if text:
                            units.append(Unit(text, "cell"))
            elif tag == f"{w}sdt":
                content = child.find(f"{w}sdtContent")
                if content is not None:
                    self._blocks(content, units)
            elif tag in (f"{w}customXml", f"{w}ins", f"{w}moveTo", f"{MC}AlternateContent", f"{MC}Choice"):
                self._blocks(child if tag != f"{MC}AlternateContent" else _choice(child), units)

    def _cell(self, cell: etree._Element) -> str:
        inner: list[Unit] = []
        self._blocks(cell, inner)
        return "\n".join(unit.text for unit in inner)

    def _paragraph(self, paragraph: etree._Element) -> tuple[str, str, bool]:
        w = self.w
        properties = paragraph.find(f"{w}pPr")
        style_id = None
        numbered = True
        if properties is not None:
            style = properties.find(f"{w}pStyle")
            style_id = style.get(f"{w}val") if style is not None else None
            num = properties.find(f"{w}numPr/{w}numId")
            numbered = num is None or num.get(f"{w}val") != "0"
        pieces: list[str] = []
        self._inline(paragraph, pieces, style_id)
        name = self.styles.names.get(style_id or "", (style_id or "").lower())
        return "".join(pieces), name, numbered

    def _inline(self, parent: etree._Element, pieces: list[str], paragraph_style: str | None) -> None:
        w = self.w
        for child in parent:
            tag = child.tag
            if tag == f"{w}r":
                self._run(child, pieces, paragraph_style)
            elif tag == f"{w}fldSimple":
                self.fields.append([child.get(f"{w}instr", ""), True])
                self._inline(child, pieces, paragraph_style)
                self.fields.pop()
            elif tag == f"{w}sdt":
                content = child.find(f"{w}sdtContent")
                if content is not None:
                    self._inline(content, pieces, paragraph_style)
            elif tag == f"{MC}AlternateContent":
                self._inline(_choice(child), pieces, paragraph_style)
            elif tag in (f"{w}hyperlink", f"{w}smartTag", f"{w}customXml", f"{w}ins", f"{w}moveTo", f"{w}dir",
                         f"{w}bdo"):
                self._inline(child, pieces, paragraph_style)
            # w:pPr, w:del, w:moveFrom, bookmarks, proofing marks, comments: nothing to read

    def _hidden(self, run: etree._Element, paragraph_style: str | None) -> bool:
        w = self.w
        properties = run.find(f"{w}rPr")
        direct = _vanish(properties, w)
        if direct is not None:
            return direct
        character = properties.find(f"{w}rStyle") if properties is not None else None
        for decided in (self.styles.vanish(character.get(f"{w}val")) if character is not None else None,
                        self.styles.vanish(paragraph_style)):
            if decided is not None:
                return decided
        return self.styles.default_vanish

    def _shown(self) -> bool:
        """Whether text here is read: outside every computed field's result and every instruction."""
        return all(past_separate and _field_name(instruction) not in COMPUTED_FIELDS
                   for instruction, past_separate in self.fields)

    def _run(self, run: etree._Element, pieces: list[str], paragraph_style: str | None) -> None:
        w = self.w
        hidden = self._hidden(run, paragraph_style)
        for child in run:
            tag = child.tag
            if tag == f"{w}fldChar":
                kind = child.get(f"{w}fldCharType")
                if kind == "begin":
                    self.fields.append(["", False])
                elif kind == "separate" and self.fields:
                    self.fields[-1][1] = True
                elif kind == "end" and self.fields:
                    self.fields.pop()
                continue
            if tag == f"{w}instrText":
                if self.fields and not self.fields[-1][1]:
                    self.fields[-1][0] += child.text or ""
                continue
            text = _run_text(child, w, self)
            if not text or not self._shown():
                continue
            if hidden:
                self.reading.hidden = self.reading.hidden or bool(text.strip())
                continue
            pieces.append(text)


def _run_text(child: etree._Element, w: str, reader: _Reader) -> str:
    tag = child.tag
    if tag == f"{w}t":
        return child.text or ""
    if tag in (f"{w}tab", f"{w}ptab"):
        return "\t"
    if tag == f"{w}br":
        return "" if child.get(f"{w}type") in ("page", "column") else "\n"
    if tag == f"{w}cr":
        return "\n"
    if tag == f"{w}noBreakHyphen":
        return "\u2011"
    if tag in (f"{w}drawing", f"{w}pict", f"{MC}AlternateContent"):
        # A text box's text is read too; Word writes it twice (the choice and a fallback): once is read.
        holder = _choice(child) if tag == f"{MC}AlternateContent" else child
        boxes = [box for box in holder.iter(f"{w}txbxContent")]
        return "\n".join(unit.text for box in boxes for unit in reader.story(box))
    return ""


def _table_of(row: etree._Element, w: str) -> etree._Element | None:
    return next(row.iterancestors(f"{w}tbl"), None)


def _choice(alternate: etree._Element) -> etree._Element:
    """The first choice of an `mc:AlternateContent` (what a current word processor shows), or nothing."""
    choice = alternate.find(f"{MC}Choice")
    return choice if choice is not None else etree.Element("none")


def _field_name(instruction: str) -> str:
    words = instruction.split()
    return words[0].upper() if words else ""
