"""Text and terms stay bound: where a clause's text states a term, and what an edit did to it.

A library clause states terms through its template (`{{ sanctions.credit_cap_percent |
percent }}`). Rendering it with invisible markers around each such output gives its
text as *parts*: literal text and `TermSlot`s, each slot with the words it rendered.

When a person edits the text, the edit is aligned with those parts, token by token:
- a slot the edit left alone stays a slot, so the custom clause remains a template and a
  later change of the term still reaches it;
- a slot whose words the edit changed, and whose new words read back as a value of that
  term (15% -> 20%, "30 days" -> "45 days", a date, an amount, a choice), is a change of
  that term: made once, re-rendered wherever the term appears;
- a slot whose words were removed or rewritten beyond reading becomes literal text, and
  the clause no longer states that term: the clause's `unstated` says so, and the health
  check asks both sides to confirm.

Only slots outside loops are bound (rows of tables are edited in the interview; a table cell
written in Word is read back through its column's template, roundtrip.tables).
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from babel.dates import get_month_names
from babel.numbers import NumberFormatError, parse_decimal
from jinja2 import nodes

from ..document import ClauseInstance, TermSlot
from ..document.model import COUNTED
from ..document.terms import term_value, with_term
from ..document.words import DELETE, EQUAL, INSERT, token_diff, tokenize
from .catalogue import TermSpec
from .formatting import locale_of
from .grammar import GENITIVE
from .hours_words import read_support_hours
from .loader import DEFAULT_LANGUAGE, TEMPLATE_GLOBALS, ClauseLibrary
from .stops import joined, kept_after, mark_outputs, pieces, split_marked, stop_belongs_after, stop_elided

BINDABLE_FILTERS = frozenset({"money", "number", "percent", "date", "business_days", "days", "hours", "months",
                              "support_hours"})
INTEGER_TYPES = frozenset({"integer", "business_days", "days", "months"})
NUMBER_TYPES = INTEGER_TYPES | {"money", "decimal", "percent", "hours"}
TEXT_VALUE_MAX = 4000
_NUMBER = re.compile(r"[-\u2212]?\d[\d\s\u00a0\u202f.,'’]*")


class BindingConflict(ValueError):
    """An edit states one term twice with different values; the message says which."""


@dataclass(frozen=True)
class Bound:
    """A clause text as parts: literal strings and (slot, the words it renders) pairs.

    A literal keeps the template's full stop after a slot; the text does not show it while
    the slot's words end with one (stops.py).
    """

    segments: tuple[str | tuple[TermSlot, str], ...]

    @property
    def text(self) -> str:
        return joined(self.segments)

    @property
    def parts(self) -> tuple[str | TermSlot, ...]:
        return tuple(s if isinstance(s, str) else s[0] for s in self.segments)

    def stated(self) -> set[str]:
        return {s[0].term for s in self.segments if not isinstance(s, str)}


@dataclass(frozen=True)
class Rebinding:
    """What an edit did: the new parts, the terms it changed and the slots it removed."""

    parts: tuple[str | TermSlot, ...]
    changes: dict[str, Any] = field(default_factory=dict)
    dropped: tuple[TermSlot, ...] = ()


# Slots from templates -------------------------------------------------------------------

def _path(node: nodes.Node, own: set[str]) -> str | None:
    attrs = []
    while isinstance(node, nodes.Getattr):
        attrs.append(node.attr)
        node = node.node
    if isinstance(node, nodes.Name) and node.name not in own and node.name not in TEMPLATE_GLOBALS:
        return ".".join([node.name, *reversed(attrs)])
    return None


def _slot_of(node: nodes.Node, own: set[str]) -> TermSlot | None:
    """The slot an output expression is, when it states one term in a way we can read back."""
    if isinstance(node, (nodes.Getattr, nodes.Name)):
        path = _path(node, own)
        return TermSlot(path) if path else None
    if isinstance(node, nodes.Filter) and node.name in BINDABLE_FILTERS and not node.kwargs and node.node is not None:
        path = _path(node.node, own)
        if node.name in COUNTED and len(node.args) == 1 and isinstance(node.args[0], nodes.Const) \
                and node.args[0].value == GENITIVE:  # days('gen'): the slot's format carries the case
            return TermSlot(path, f"{node.name}:{GENITIVE}") if path and not node.dyn_args and not node.dyn_kwargs else None
        args = [_path(arg, own) for arg in node.args]
        if path and all(args) and not node.dyn_args and not node.dyn_kwargs:
            return TermSlot(path, node.name, tuple(args))
        return None
    if (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == "option"
            and len(node.args) == 1 and isinstance(node.args[0], nodes.Const) and not node.kwargs
            and isinstance(node.args[0].value, str) and "[]" not in node.args[0].value):
        return TermSlot(node.args[0].value, "option")
    return None


def _instrumented(library: ClauseLibrary, template: str):
    """The template compiled with markers around each output, and the slots by index (cached)."""
    cache = library._instrumented
    if template not in cache:
        ast = library._env.parse(template)
        own = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
        slots = mark_outputs(ast, lambda expression, in_loop: None if in_loop else _slot_of(expression, own))
        cache[template] = (library._env.from_string(ast), slots)
    return cache[template]


def library_bound(library: ClauseLibrary, clause_id: str, variant: str, terms: dict[str, Any],
                  language: str) -> Bound:
    """A library clause's rendered text as parts (all literal if it cannot be read back)."""
    return template_bound(library, library.clauses[clause_id].text_template(variant, language), terms, language)


def template_bound(library: ClauseLibrary, template: str, terms: dict[str, Any], language: str) -> Bound:
    """Any template's rendered text as parts - a clause's, a table cell's over its row `r` - (all
    literal if it cannot be read back)."""
    compiled, slots = _instrumented(library, template)
    segments = split_marked(compiled.render({**terms, "lang": language}), slots)
    plain = library.render(template, terms, language)
    return Bound(segments) if segments is not None and joined(segments) == plain else Bound((plain,))


def render_slot(library: ClauseLibrary, slot: TermSlot, terms: dict[str, Any], language: str) -> str:
    """The words a slot states with these terms."""
    spec = library.catalogue.spec(slot.term)
    if slot.format is None and spec is not None and spec.type == "support_hours":
        # A clause edited while support hours were text states them plainly; as data they need their words.
        source = f"{{{{ {slot.term} | support_hours }}}}"
    elif slot.format == "option":
        source = f"{{{{ option({slot.term!r}) }}}}"
    elif slot.format:
        name, _, case = slot.format.partition(":")
        args = f"({', '.join(slot.args)})" if slot.args else (f"({case!r})" if case else "")
        source = f"{{{{ {slot.term} | {name}{args} }}}}"
    else:
        source = f"{{{{ {slot.term} }}}}"
    try:
        return library.render(source, terms, language)
    except Exception:  # a path the terms do not have (an imported document): state nothing
        return ""


def parts_bound(library: ClauseLibrary, parts, terms: dict[str, Any], language: str) -> Bound:
    return Bound(tuple(p if isinstance(p, str) else (p, render_slot(library, p, terms, language)) for p in parts))


def clause_bound(library: ClauseLibrary, clause: ClauseInstance, terms: dict[str, Any], language: str) -> Bound:
    """What a clause's text states, as parts: its template's, or (library clause) the library's."""
    if clause.parts is not None:
        return parts_bound(library, clause.parts, terms, language)
    if not clause.custom and clause.clause_id in library.clauses and clause.variant:
        return library_bound(library, clause.clause_id, clause.variant, terms, language)
    return Bound((clause.text,))


# Reading a value back ---------------------------------------------------------------------

def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _numbers(text: str, language: str) -> list[Decimal]:
    found = []
    for match in _NUMBER.finditer(text):
        raw = match.group().strip(" \u00a0\u202f.,'’").replace("\u2212", "-")
        try:
            found.append(parse_decimal(raw, locale=locale_of(language)))
        except NumberFormatError:
            continue
    return found


def _dates(text: str, language: str) -> list[datetime.date]:
    """Dates written out in words ("1 January 2027", "1 de enero de 2027")."""
    folded = _fold(text)
    months = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, context, locale=locale_of(language)).items():
                months[_fold(name).rstrip(".")] = number
    month = next((n for name, n in sorted(months.items(), key=lambda kv: -len(kv[0])) if name and name in folded), None)
    numbers = [int(n) for n in re.findall(r"\d+", folded)]
    if month is None or len(numbers) != 2:
        return []
    day, year = (numbers[0], numbers[1]) if numbers[1] > 31 else (numbers[1], numbers[0])
    try:
        return [datetime.date(year, month, day)]
    except ValueError:
        return []


def _candidates(library: ClauseLibrary, slot: TermSlot, words: str, language: str,
                specs: Mapping[str, TermSpec] | None = None) -> list[Any]:
    """Values of the slot's term that might be written as `words` (each is checked by re-rendering)."""
    spec = (specs or {}).get(slot.term) or library.catalogue.spec(slot.term)
    if spec is None:
        return []
    if spec.type == "choice":
        folded = _fold(words)
        return [value for value, texts in spec.options.items()
                if folded in {_fold(texts.get(language, texts[DEFAULT_LANGUAGE])), _fold(texts[DEFAULT_LANGUAGE])}]
    if spec.type == "text":
        return [words] if words.strip() and len(words) <= TEXT_VALUE_MAX else []
    if spec.type == "date":
        return [day.isoformat() for day in _dates(words, language)]
    if spec.type == "support_hours":  # only words the phrase writes; free text is not read as hours
        return read_support_hours(words, language)
    if spec.type in NUMBER_TYPES:
        values = []
        for number in _numbers(words, language):
            if not number.is_finite():  # bounds are the interview's to judge (changes.reword_clause)
                continue
            if spec.type in INTEGER_TYPES:
                if number == number.to_integral_value():
                    values.append(int(number))
            elif spec.type == "money" and number == round(number, 2):  # stored as the interview stores it
                values.append(f"{number:.2f}")
            else:
                values.append(format(number.normalize(), "f"))
        return values
    return []


def read_value(library: ClauseLibrary, slot: TermSlot, words: str, terms: dict[str, Any], language: str,
               specs: Mapping[str, TermSpec] | None = None):
    """The value of the slot's term that renders exactly as `words`, or None when none does (the current
    value first, where two values read the same).

    `specs` declares terms the catalogue does not know by path: a table row's fields ("r.price").
    """
    current = term_value(terms, slot.term)
    for value in sorted(_candidates(library, slot, words, language, specs), key=lambda value: value != current):
        if render_slot(library, slot, with_term(terms, slot.term, value), language) == words:
            return value
    return None


# Aligning an edit with the parts ----------------------------------------------------------

def _char_ops(old: str, new: str) -> list[tuple[int, int, int, int, int]]:
    """Token-aligned diff as (op, old start, old end, new start, new end) in characters."""
    ops = []
    old_at = new_at = 0
    for op, tokens in token_diff(tokenize(old), tokenize(new), semantic=False):
        size = sum(len(t) for t in tokens)
        if op == INSERT:
            ops.append((op, old_at, old_at, new_at, new_at + size))
            new_at += size
        elif op == DELETE:
            ops.append((op, old_at, old_at + size, new_at, new_at))
            old_at += size
        else:
            ops.append((op, old_at, old_at + size, new_at, new_at + size))
            old_at += size
            new_at += size
    return ops


def _locate(ops, start: int, end: int) -> tuple[int, int, bool]:
    """Where old text [start, end) is in the new text, and whether the edit touched it.

    Insertions at the span's edges lie outside it, except the new words replacing
    deleted words of the span ("15" -> "20").
    """
    new_start = new_end = None
    touched = False
    previous = None
    for op in ops:
        kind, old_start, old_end, op_new_start, op_new_end = op
        if kind == INSERT:
            if start < old_start < end:
                touched = True
            elif (old_start == end and previous is not None and previous[0] == DELETE
                  and previous[1] < end and previous[2] > start):
                new_end = op_new_end
        else:
            if new_start is None and old_start <= start < old_end:
                new_start = op_new_start + (start - old_start if kind == EQUAL else 0)
            if old_start < end <= old_end:
                new_end = op_new_start + (end - old_start if kind == EQUAL else 0)
            if kind == DELETE and old_start < end and old_end > start:
                touched = True
        previous = op
    if new_start is None or new_end is None or new_end < new_start:
        return 0, 0, True
    return new_start, new_end, touched


def rebind(library: ClauseLibrary, before: Bound, new_text: str, terms: dict[str, Any], language: str,
           specs: Mapping[str, TermSpec] | None = None) -> Rebinding:
    """Align `new_text` with the parts it was edited from: kept slots, changed terms, dropped slots.

    `specs`: as for `read_value` (a table cell's row fields).

    A slot's full stop that was not shown (its words ended with one) goes back into the text
    after it while the edited sentence still ends there, so the parts render `new_text` and a
    later value without a stop is followed by it again (stops.py).
    """
    old_text = before.text
    ops = _char_ops(old_text, new_text)
    position = 0
    located = []
    written = pieces(before.segments)
    for index, (segment, shown_text) in enumerate(zip(before.segments, written)):
        if isinstance(segment, str):
            position += len(shown_text)
            continue
        slot, words = segment
        following = before.segments[index + 1] if index + 1 < len(before.segments) else None
        elided = isinstance(following, str) and stop_elided(words, following)
        if not words:
            continue
        start, end, touched = _locate(ops, position, position + len(words))
        located.append((slot, start, end, touched, elided))
        position += len(words)

    changes: dict[str, Any] = {}
    kept: list[tuple[TermSlot, int, int, bool]] = []
    dropped: list[TermSlot] = []
    for slot, start, end, touched, elided in located:
        if not touched:
            kept.append((slot, start, end, elided))
            continue
        words = new_text[start:end]
        value = read_value(library, slot, words, terms, language, specs) if words.strip() else None
        if value is None:
            dropped.append(slot)
            continue
        if slot.term in changes and changes[slot.term] != value:
            raise BindingConflict(f"The text states {slot.term} twice, with two different values; "
                                  f"write one value, or change it in the interview.")
        changes[slot.term] = value
        kept.append((slot, start, end, elided))

    parts: list[str | TermSlot] = []
    position = 0
    words, stop = "", False  # the words of the slot just placed; whether its stop goes back after them

    def literal_to(at: int) -> None:
        literal = kept_after(words, new_text[position:at], stop)
        if literal:
            parts.append(literal)

    for slot, start, end, elided in kept:
        if start < position:  # two slots collapsed onto the same words: keep the first
            dropped.append(slot)
            continue
        literal_to(start)
        parts.append(slot)
        position, words = end, new_text[start:end]
        stop = elided and stop_belongs_after(words, new_text[end:])
    literal_to(len(new_text))
    # A term is "changed" only when its value really differs.
    changes = {path: value for path, value in changes.items() if term_value(terms, path) != value}
    return Rebinding(tuple(parts), changes, tuple(dropped))


def terms_stated(library: ClauseLibrary, clause: ClauseInstance) -> frozenset[str]:
    """The terms a clause's text depends on: its template's slots, or what its library text reads."""
    if clause.parts is not None:
        return frozenset(slot.term for slot in clause.slots())
    if not clause.custom and clause.clause_id and clause.variant:
        return library.terms_used(clause.clause_id, clause.variant)
    return frozenset()
