"""One full stop, never two: the rule for a template's full stop after a value that ends with one.

A clause template often ends a sentence with a term: "… to {{ parties.client.name }}.". When
the value already ends with a full stop ("Acme Ltd.", a free-text answer), the template's own
stop is not written: "to Acme Ltd.", never "to Acme Ltd..". Only the one "." straight after
the value goes, so an ellipsis a person typed keeps its three dots ("and so on..." + "." reads
"and so on..."), and a value ending in "." in the middle of a sentence ("Acme Ltd. shall …")
has no stop after it to drop.

Every way a clause text is made applies this one rule - the library's render (loader.py) and a
clause's text as parts, literal texts and term slots (binding.py) - so they cannot disagree. The
parts keep the template's stop; it is only not shown while the value before it ends with one,
so a later value without one ("Acme Limited") is followed by it again.

To know where a value ends, a template is compiled with invisible markers around the output of
each expression; `split_marked` takes them out again.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from jinja2 import nodes

FULL_STOP = "."
# Private-use characters mark where an expression's output starts and ends in a marked render:
# OPEN, the slot's index (empty for an expression that is not a slot), SEP, the words, CLOSE.
OPEN, SEP, CLOSE = "\ue000", "\ue001", "\ue002"
MARKED = re.compile(f"{OPEN}(\\d*){SEP}(.*?){CLOSE}", re.DOTALL)


def stop_elided(words: str, following: str) -> bool:
    """Whether the full stop `following` text starts with is not written after `words`."""
    return words.endswith(FULL_STOP) and following.startswith(FULL_STOP)


def shown(words: str, following: str) -> str:
    """The text that follows `words`, as written: without a full stop the words already end with."""
    return following[len(FULL_STOP):] if stop_elided(words, following) else following


def stop_belongs_after(words: str, following: str) -> bool:
    """Whether a stop that was not shown after `words` still ends their sentence in an edited text.

    An edit may keep the value and change what follows it. The stop stays the template's when
    the sentence still ends with the value: nothing follows, or white space and then no
    lower-case letter ("Acme Ltd. During the term …", "Acme Ltd.\\n"); not when the edit carries
    the sentence on ("Acme Ltd. and its affiliates", "Acme Ltd., a company").
    """
    if not words.endswith(FULL_STOP):
        return False
    rest = following.lstrip()
    if rest == following and following:
        return False
    return not rest or not rest[0].islower()


def kept_after(words: str, text: str, stop: bool) -> str:
    """The literal to keep after a slot's `words` so that it is written as `text`.

    With `stop`, it holds the template's stop again (not shown while the words end with one).
    A `text` that itself starts with a stop after words ending in one (a person typed "Ltd..")
    needs one more, since the first is the one not shown.
    """
    if words.endswith(FULL_STOP) and (stop or text.startswith(FULL_STOP)):
        return FULL_STOP + text
    return text


def mark_outputs(ast: nodes.Template, slot_of: Callable[[nodes.Node, bool], Any]) -> tuple[Any, ...]:
    """Put markers around every expression the template writes (in place); the slots, by index.

    `slot_of(expression, in_loop)` gives the slot an expression states, or None; a slot's
    markers carry its index, any other expression's an empty one.
    """
    in_loops = {id(o) for loop in ast.find_all(nodes.For) for o in loop.find_all(nodes.Output)}
    slots: list[Any] = []
    for output in ast.find_all(nodes.Output):
        children = []
        for child in output.nodes:
            if isinstance(child, nodes.TemplateData):
                children.append(child)
                continue
            slot = slot_of(child, id(output) in in_loops)
            index = ""
            if slot is not None:
                index = str(len(slots))
                slots.append(slot)
            children += [nodes.Const(f"{OPEN}{index}{SEP}"), child, nodes.Const(CLOSE)]
        output.nodes = children
    return tuple(slots)


def split_marked(marked: str, slots: tuple[Any, ...]) -> tuple[str | tuple[Any, str], ...] | None:
    """A marked render as literal texts and (slot, words) pairs; None when a value held a marker.

    The output of an expression that is not a slot becomes literal text, the rule applied to the
    template's text after it; the text after a slot keeps its stop (see `joined`).
    """
    segments: list[str | tuple[Any, str]] = []
    literal: list[str] = []
    after: str | None = None  # the words of the expression (not a slot) just written
    position = 0
    for match in MARKED.finditer(marked):
        text = marked[position:match.start()]
        literal.append(text if after is None else shown(after, text))
        index, words = match.groups()
        if index:
            segments.append("".join(literal))
            segments.append((slots[int(index)], words))
            literal, after = [], None
        else:
            literal.append(words)
            after = words
        position = match.end()
    text = marked[position:]
    literal.append(text if after is None else shown(after, text))
    segments.append("".join(literal))
    if any(OPEN in s or SEP in s or CLOSE in s for s in segments if isinstance(s, str)):
        return None
    return tuple(s for s in segments if s != "")


def pieces(segments) -> list[str]:
    """Each segment as written: a slot's words, and a literal text after the rule."""
    written = []
    previous = None
    for segment in segments:
        if isinstance(segment, str):
            written.append(segment if previous is None else shown(previous, segment))
            previous = None
        else:
            written.append(segment[1])
            previous = segment[1]
    return written


def joined(segments) -> str:
    """The text of literal texts and (slot, words) pairs, a stop after words ending in one dropped."""
    return "".join(pieces(segments))
