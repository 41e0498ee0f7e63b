"""How an uploaded signed DOCX reads differently from the signed one, said as a signer would.

The two readings (signing.reading) are aligned paragraph by paragraph and cell by cell;
each difference is placed by walking the signed document: before the contents it is the
title page; a numbered Heading 1 paragraph starts a section, a numbered Heading 2 one a
clause (numbers are counted, as Word's automatic numbering counts them, so they need not
be typed in the heading; a paragraph with `w:numId` "0" is not numbered); a table belongs
to its section; the Heading 1 paragraphs after the last section open the signature page
and the certificate. A clause is named with its title only where the uploaded file shows
that same heading: the uploaded file's words are quoted, the record's never are.
"""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from flask_babel import gettext as _
from flask_babel import ngettext, pgettext

from .reading import Reading, Unit

MAX_SHOWN = 5  # differences described one by one; the rest are counted
QUOTE_AROUND = 30  # characters of the uploaded text either side of where it starts to differ
BACK_MATTER = ("signature", "certificate")


@dataclass(frozen=True)
class Place:
    """Where a unit of the signed document is: a page, a section or a clause."""

    kind: str  # "title", "contents", "section", "clause", "signature", "certificate", "header", "footer"
    number: str = ""
    title: str = ""
    heading: int | None = None  # the index of the section's or clause's heading unit


def places_of(units: list[Unit], sections: int) -> list[Place]:
    """Each unit's place in the signed document, which has `sections` numbered sections."""
    places: list[Place] = []
    place = section = Place("title")
    section_count = clause_count = back = 0
    for index, unit in enumerate(units):
        if unit.style == "toc heading" and not section_count:
            place = Place("contents")
        elif unit.style == "heading 1":
            if unit.numbered and section_count < sections:
                section_count, clause_count = section_count + 1, 0
                number = str(section_count)
                place = section = Place("section", number, _untyped(unit.text, number), index)
            else:
                back += 1
                place = Place(BACK_MATTER[min(back, len(BACK_MATTER)) - 1])
        elif unit.style == "heading 2" and unit.numbered and section_count and not back:
            clause_count += 1
            number = f"{section_count}.{clause_count}"
            place = Place("clause", number, _untyped(unit.text, number), index)
        elif unit.style == "caption" and section_count and not back:
            place = section  # a table follows its section's clauses
        places.append(place)
    return places


def _untyped(heading: str, number: str) -> str:
    """The heading without a typed number ("8.2  Title" -> "Title"); Word's own numbering is not in the text."""
    if heading.startswith(number) and heading[len(number):len(number) + 1].isspace():
        return heading[len(number):].strip()
    return heading.strip()


def _label(place: Place, titled: bool) -> str:
    """The place as the subject of a sentence: "Clause 8.2 (Title)", "The certificate"."""
    if place.kind == "clause":
        return (pgettext("verify: where a difference is", "Clause %(number)s (%(title)s)",
                         number=place.number, title=place.title) if titled and place.title else
                pgettext("verify: where a difference is", "Clause %(number)s", number=place.number))
    if place.kind == "section":
        return (pgettext("verify: where a difference is", "Section %(number)s (%(title)s)",
                         number=place.number, title=place.title) if titled and place.title else
                pgettext("verify: where a difference is", "Section %(number)s", number=place.number))
    return {
        "title": pgettext("verify: where a difference is", "The title page"),
        "contents": pgettext("verify: where a difference is", "The contents page"),
        "signature": pgettext("verify: where a difference is", "The signature page"),
        "certificate": pgettext("verify: where a difference is", "The certificate of completion"),
        "header": pgettext("verify: where a difference is", "The page header"),
        "footer": pgettext("verify: where a difference is", "The page footer"),
    }[place.kind]


def _shown(text: str) -> str:
    return " ".join(text.replace("\t", " ").split("\n"))


def _quote(shown: str, signed: str) -> str:
    """The uploaded text around where it starts to differ from the signed text (never the signed text)."""
    at = next((i for i, (a, b) in enumerate(zip(shown, signed)) if a != b), min(len(shown), len(signed)))
    start, end = max(0, at - QUOTE_AROUND), at + QUOTE_AROUND
    return ("…" if start else "") + _shown(shown[start:end]) + ("…" if end < len(shown) else "")


def _opening(text: str) -> str:
    end = 2 * QUOTE_AROUND
    return _shown(text[:end]) + ("…" if end < len(text) else "")


class _Description:
    """The sentences, in document order, without repeating one."""

    def __init__(self, titled: set[int]):
        self.titled = titled  # heading units the uploaded file shows unchanged: their titles may be named
        self.sentences: list[str] = []

    def label(self, place: Place) -> str:
        return _label(place, place.heading in self.titled)

    def add(self, sentence: str) -> None:
        if sentence not in self.sentences:
            self.sentences.append(sentence)

    def changed(self, place: Place, shown: Unit, signed: Unit) -> None:
        self.add(_("%(place)s differs from the executed text: “%(text)s”.", place=self.label(place),
                   text=_quote(shown.text, signed.text)))

    def added(self, place: Place, unit: Unit) -> None:
        text = _opening(unit.text)
        if unit.style == "heading 2":
            self.add(_("This file adds a clause that is not in the executed text: “%(text)s”.", text=text))
        elif unit.style == "heading 1":
            self.add(_("This file adds a section that is not in the executed text: “%(text)s”.", text=text))
        elif unit.kind == "cell":
            self.add(_("%(place)s has a table cell that is not in the executed text: “%(text)s”.",
                       place=self.label(place), text=text))
        else:
            self.add(_("%(place)s has a paragraph that is not in the executed text: “%(text)s”.",
                       place=self.label(place), text=text))

    def removed(self, place: Place, unit: Unit, index: int) -> None:
        if place.heading == index:  # the heading itself: the whole section or clause is gone
            self.add(_("%(place)s is missing from this file.", place=self.label(place)))
        elif unit.kind == "cell":
            self.add(_("%(place)s lacks a table cell of the executed text.", place=self.label(place)))
        else:
            self.add(_("%(place)s lacks a paragraph of the executed text.", place=self.label(place)))


def _matcher(shown: list[Unit], signed: list[Unit]) -> SequenceMatcher:
    return SequenceMatcher(None, [u.key for u in signed], [u.key for u in shown], autojunk=False)


def _compare(description: _Description, matcher: SequenceMatcher, shown: list[Unit], signed: list[Unit],
             places: list[Place], start: Place) -> None:
    """Describe each difference in order: changed units in pairs, then what is gone, then what is new."""
    gone_headings: set[int] = set()
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(paired):
            description.changed(places[i1 + k], shown[j1 + k], signed[i1 + k])
        for index in range(i1 + paired, i2):
            place = places[index]
            if place.heading is not None and place.heading in gone_headings:
                continue  # said once, for the whole section or clause
            if place.heading == index:
                gone_headings.add(index)
            description.removed(place, signed[index], index)
        before = places[i1 + paired - 1] if i1 + paired else start
        in_new_heading = False
        for unit in shown[j1 + paired:j2]:
            if unit.style in ("heading 1", "heading 2"):
                in_new_heading = True
            elif in_new_heading:
                continue  # the text of a clause the file adds
            description.added(before, unit)


def describe_differences(shown: Reading, signed: Reading, sections: int) -> list[str]:
    """Sentences saying how `shown` (the uploaded file) reads differently from `signed`; [] when it reads the same."""
    places = places_of(signed.body, sections)
    matcher = _matcher(shown.body, signed.body)
    titled = {index for block in matcher.get_matching_blocks() for index in range(block.a, block.a + block.size)
              if places[index].heading == index}
    description = _Description(titled)
    if shown.hidden and not signed.hidden:
        description.add(_("Some of its text is formatted as hidden, so a reader does not see it."))
    _compare(description, matcher, shown.body, signed.body, places, Place("title"))
    for kind, shown_lines, signed_lines in (("header", shown.headers, signed.headers),
                                            ("footer", shown.footers, signed.footers)):
        here = [Unit(line, "paragraph") for line in shown_lines]
        there = [Unit(line, "paragraph") for line in signed_lines]
        _compare(description, _matcher(here, there), here, there, [Place(kind)] * len(there), Place(kind))
    sentences = description.sentences
    if len(sentences) > MAX_SHOWN:
        more = len(sentences) - MAX_SHOWN
        sentences = sentences[:MAX_SHOWN] + [ngettext("There is %(num)d more difference.",
                                                      "There are %(num)d more differences.", more)]
    return sentences
