"""Reading a terms file back: the exact document it describes, or every reason to refuse it.

A file is refused, all its problems at once and each with its JSON pointer, when it is
too large, not UTF-8, not JSON, not an object, of an unknown schema version, nested
absurdly deep, not valid against schemas/terms-v1.json, when a clause's text does not
match its SHA-256, when a key is used twice, when numbers are out of order, or when a
view (`costs`, `parties`, ...) says something other than the terms it copies. Nothing
else is ever raised, whatever the bytes. No database here: the caller creates the
agreement from the ImportedTerms it gets.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Iterable, Iterator

from jsonschema import Draft202012Validator, ValidationError, validators

from ..document import ClauseInstance, Document, DocumentError
from ..document.json_patch import pointer_token
from ..library.formatting import is_blank
from ..operations.support_hours import SupportHoursError, support_hours_of
from .terms import (
    PARTY_VIEW, READABLE_VERSIONS, SIDES, VIEWS, document_of, link_service_levels, parties_view, term_schema,
    term_views, terms_schema, text_sha256,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 32  # a real file nests 7 deep; anything far deeper is refused before validation
MESSAGE_MAX = 500
LISTED_MAX = 100  # problems spelled out by str(error); `errors` keeps them all

Path = tuple[Any, ...]
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class TermsFileInvalid(Exception):
    """The terms file was refused. `errors`: every problem as (JSON pointer, message), in document order."""

    def __init__(self, errors: Iterable[tuple[str, str]]):
        self.errors: list[tuple[str, str]] = list(errors)
        super().__init__(self.errors)

    def __str__(self) -> str:
        count = len(self.errors)
        lines = [f"The terms file was refused ({count} problem{'s' if count != 1 else ''}):"]
        lines += [f"  {pointer or '(the file)'}: {message}" for pointer, message in self.errors[:LISTED_MAX]]
        if count > LISTED_MAX:
            lines.append(f"  … and {count - LISTED_MAX} more")
        return "\n".join(lines)


@dataclass(frozen=True)
class ImportedTerms:
    """What a valid terms file gives for a new agreement.

    `source_*` say where it came from; `source_sha256` is the revision's hash only when
    the file still holds exactly that revision (None once terms or text were edited).
    """

    title: str
    language: str
    provider_name: str
    client_name: str
    document: Document
    source_agreement_id: int | None
    source_revision: int | None
    source_sha256: str | None


def read_terms_file(raw: bytes) -> ImportedTerms:
    """The agreement a terms file describes (TermsFileInvalid, listing every problem, when refused)."""
    try:
        data = _parse(raw)
        _check_version(data)
        errors = _scan(data)
        schema_errors = _schema_errors(data)
        errors += schema_errors + _clause_errors(data) + _view_errors(data, schema_errors) + _term_errors(data, schema_errors)
        if errors:
            raise TermsFileInvalid(_in_document_order(data, errors))
        document = document_of(data)
    except RecursionError:
        raise TermsFileInvalid([("", "nested too deeply to read")]) from None
    except DocumentError as error:  # the checks above should leave nothing for the model to refuse
        raise TermsFileInvalid([("", str(error))]) from None
    parties = data["parties"]
    sha256 = data["revision"]["sha256"]
    return ImportedTerms(
        title=data["agreement"]["title"],
        language=data["agreement"]["language"],
        provider_name=_party_name(parties["provider"]),
        client_name=_party_name(parties["client"]),
        document=document,
        source_agreement_id=data["agreement"]["id"],
        source_revision=data["revision"]["number"],
        source_sha256=sha256 if sha256 == document.sha256() else None,
    )


def _party_name(party: dict[str, Any]) -> str:
    return party["organisation"] if not is_blank(party["organisation"]) else (party["name"] or "")


# Bytes to JSON ----------------------------------------------------------------------------

class _Refused(ValueError):
    """A JSON text we do not accept although Python's json would (NaN, a name given twice)."""


def _refuse_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON number")


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members: dict[str, Any] = {}
    for name, value in pairs:
        if name in members:
            raise _Refused(f"the name {name!r} appears twice in one object")
        members[name] = value
    return members


def _parse(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, (bytes, bytearray)):
        raise TermsFileInvalid([("", f"expected the file's bytes, got {type(raw).__name__}")])
    if len(raw) > MAX_BYTES:
        raise TermsFileInvalid([("", f"the file is {len(raw):,} bytes; at most {MAX_BYTES:,} bytes are accepted")])
    try:
        text = bytes(raw).decode("utf-8")
    except UnicodeDecodeError as error:
        raise TermsFileInvalid([("", f"not UTF-8 text: byte 0x{raw[error.start]:02x} at offset {error.start} "
                                     "is not part of a UTF-8 character")]) from None
    try:
        data = json.loads(text.removeprefix("\ufeff"), object_pairs_hook=_unique_members,
                          parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise TermsFileInvalid([("", f"not JSON: {error.msg} at line {error.lineno}, column {error.colno}")]) from None
    except _Refused as error:
        raise TermsFileInvalid([("", f"not JSON this application accepts: {error}")]) from None
    except ValueError:  # e.g. an integer of thousands of digits
        raise TermsFileInvalid([("", "not JSON this application accepts: a number is too long")]) from None
    if not isinstance(data, dict):
        raise TermsFileInvalid([("", f"the file must hold a JSON object, not {_json_kind(data)}")])
    return data


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true or false"
    if value is None:
        return "null"
    return "a number"


def _check_version(data: dict[str, Any]) -> None:
    """Another version's file is refused alone: judged by this version's schema its errors would mislead."""
    if "schema_version" in data and data["schema_version"] not in READABLE_VERSIONS:
        raise TermsFileInvalid([("/schema_version", f"unknown schema version {data['schema_version']!r}: "
                                                    f"this application reads versions {', '.join(READABLE_VERSIONS)}")])


def _scan(data: dict[str, Any]) -> list[tuple[Path, str]]:
    """Refuse absurd nesting; list every name and string that is not Unicode text (an unpaired surrogate).

    Iterative, and holding only the open containers, so neither depth nor size can exhaust it.
    """
    errors: list[tuple[Path, str]] = []
    stack: list[tuple[Iterator[tuple[Any, Any]], Path]] = [(iter(data.items()), ())]
    while stack:
        children, path = stack[-1]
        for key, value in children:
            if isinstance(key, str) and _SURROGATE.search(key):
                errors.append((path + (key,), "this name is not Unicode text (it holds an unpaired surrogate)"))
            if isinstance(value, (dict, list)):
                if len(path) + 1 >= MAX_DEPTH:
                    raise TermsFileInvalid([(_pointer(path + (key,)), f"nested more than {MAX_DEPTH} levels deep")])
                stack.append((iter(value.items()) if isinstance(value, dict) else enumerate(value), path + (key,)))
                break
            if isinstance(value, str) and _SURROGATE.search(value):
                errors.append((path + (key,), "not Unicode text: holds an unpaired surrogate"))
        else:
            stack.pop()
    return errors


# The schema -------------------------------------------------------------------------------

def _strict_integer(checker: Any, instance: Any) -> bool:
    """1.0 is a JSON Schema integer, but the terms never hold floats: only true integers pass."""
    return isinstance(instance, int) and not isinstance(instance, bool)


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    # JSON Schema patterns are ECMA-262, where "$" ends the text; Python's "$" also matches before a final newline.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _strict() -> Any:
    return validators.extend(
        Draft202012Validator,
        validators={"pattern": _ecma_pattern},
        type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _strict_integer),
    )


@cache
def _validator() -> Any:
    return _strict()(terms_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def term_value_errors(path: str, value: Any) -> list[tuple[str, str]] | None:
    """Why `value` cannot be the term at `path` as the terms file types it: (JSON pointer inside
    the value, message) each; None when the file has no such term."""
    try:
        node = term_schema(path)
    except KeyError:
        return None
    try:
        errors = [(_pointer(at), message) for at, message in _scan({"value": value})]
    except TermsFileInvalid as deep:
        errors = deep.errors
    if errors:
        return [(pointer.removeprefix("/value"), message) for pointer, message in errors]
    schema = {"$defs": terms_schema()["$defs"], **node}
    checker = _strict()(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [(_pointer(tuple(error.absolute_path)), error.message) for error in checker.iter_errors(value)]


def _schema_errors(data: dict[str, Any]) -> list[tuple[Path, str]]:
    return [(tuple(error.absolute_path), error.message) for error in _validator().iter_errors(data)]


# Clauses ----------------------------------------------------------------------------------

def _is_text(value: Any) -> bool:
    return isinstance(value, str) and not _SURROGATE.search(value)


def _clause_errors(data: dict[str, Any]) -> list[tuple[Path, str]]:
    """Keys used twice, numbers out of order, hashes that do not match the text (on whatever is well-typed)."""
    errors: list[tuple[Path, str]] = []
    sections = data.get("sections")
    if not isinstance(sections, list):
        return errors
    section_keys: dict[str, Path] = {}
    clause_keys: dict[str, Path] = {}
    for s_index, section in enumerate(sections):
        if not isinstance(section, dict):
            continue
        where: Path = ("sections", s_index)
        _check_unique(section.get("key"), where + ("key",), section_keys, "section", errors)
        _check_number(section.get("number"), str(s_index + 1), where + ("number",), errors)
        clauses = section.get("clauses")
        if not isinstance(clauses, list):
            continue
        for c_index, clause in enumerate(clauses):
            if not isinstance(clause, dict):
                continue
            at = where + ("clauses", c_index)
            _check_unique(clause.get("key"), at + ("key",), clause_keys, "clause", errors)
            _check_number(clause.get("number"), f"{s_index + 1}.{c_index + 1}", at + ("number",), errors)
            errors += [(at + (field,), message) for field, message in _hash_errors(clause)]
    return errors


def _check_unique(key: Any, at: Path, seen: dict[str, Path], what: str, errors: list[tuple[Path, str]]) -> None:
    if not isinstance(key, str):
        return
    if key in seen:
        errors.append((at, f"{key!r} is used twice: {what} keys are unique across the agreement "
                           f"(first at {_pointer(seen[key])})"))
    else:
        seen[key] = at


def _check_number(number: Any, expected: str, at: Path, errors: list[tuple[Path, str]]) -> None:
    if isinstance(number, str) and number != expected:
        errors.append((at, f"{number!r} should be {expected!r}: numbers follow the order of sections and clauses"))


def _hash_errors(clause: dict[str, Any]) -> list[tuple[str, str]]:
    errors = []
    text = clause.get("text")
    if _is_text(text) and isinstance(clause.get("sha256"), str) and clause["sha256"] != text_sha256(text):
        errors.append(("sha256", "does not match the clause text"))
    fields = (clause.get("key"), clause.get("title"), text)
    optional = (clause.get("library_id"), clause.get("variant"))
    if (all(_is_text(value) for value in fields) and all(v is None or _is_text(v) for v in optional)
            and isinstance(clause.get("custom"), bool) and isinstance(clause.get("content_hash"), str)):
        try:
            instance = ClauseInstance.from_dict({
                "key": clause["key"], "title": clause["title"], "text": text, "clause_id": optional[0],
                "variant": optional[1], "custom": clause["custom"], "parts": clause.get("template"),
                "unstated": clause.get("unstated_terms", [])})
        except DocumentError:
            return errors  # the schema has said what is wrong with it
        if clause["content_hash"] != instance.content_hash:
            errors.append(("content_hash", "does not match the clause (its key, title, text, library_id, "
                                           "variant, custom, template and unstated_terms)"))
    return errors


# Terms the schema cannot judge alone -------------------------------------------------------

SUPPORT_HOURS = ("terms", "services", "support_hours")


def _term_errors(data: dict[str, Any], schema_errors: list[tuple[Path, str]]) -> list[tuple[Path, str]]:
    """Support hours the schema found well-formed must also make sense: closing after opening, and a
    country whose public holidays are known."""
    if any(path[:len(SUPPORT_HOURS)] == SUPPORT_HOURS[:len(path)] for path, _ in schema_errors):
        return []  # the schema has said what is wrong with it (or with what holds it)
    hours = data["terms"]["services"].get("support_hours") if "services" in data.get("terms", {}) else None
    if not isinstance(hours, dict):
        return []
    try:
        support_hours_of({"services": {"support_hours": hours}})
    except SupportHoursError as error:
        return [(SUPPORT_HOURS, str(error))]
    return []


# Views ------------------------------------------------------------------------------------

def _view_errors(data: dict[str, Any], schema_errors: list[tuple[Path, str]]) -> list[tuple[Path, str]]:
    """Each view must say what the terms say: an edited view would otherwise be silently ignored.

    Only views (and terms) the schema found well-formed are compared, so one mistake is not reported twice.
    """
    broken = {path[:1] for path, _ in schema_errors}
    if not isinstance(data.get("terms"), dict) or ("terms",) in broken:
        return []
    expected = term_views(data["terms"])
    _link_as_written(expected, data, broken)
    if "parties" in data and ("parties",) not in broken:
        organisations = {side: data["parties"][side]["organisation"] for side in SIDES}
        expected["parties"] = parties_view(data["terms"], organisations)
    errors: list[tuple[Path, str]] = []
    for name, view in expected.items():
        if name in data and (name,) not in broken:
            errors += _differences(view, data[name], (name,), _source(name))
    return errors


def _link_as_written(expected: dict[str, Any], data: dict[str, Any], broken: set[Path]) -> None:
    """The OpenSLO names the service levels must carry, where the file carries them: files written before
    the OpenSLO export have none and stay readable; a file that names no agreement (written elsewhere)
    has its names taken as written."""
    levels = expected["services"]["service_levels"]
    services = data.get("services") if isinstance(data.get("services"), dict) else {}
    written = services.get("service_levels") if isinstance(services.get("service_levels"), dict) else {}
    rows = written.get("priorities") if isinstance(written.get("priorities"), list) else []
    agreement = data.get("agreement")
    known = (("agreement",) not in broken and isinstance(agreement, dict)
             and type(agreement.get("id")) is int)  # noqa: E721 - a boolean is not an agreement's id
    if known:
        link_service_levels(levels, data["terms"], agreement["id"])
    if "availability_slo" not in written:
        levels.pop("availability_slo", None)
    elif not known:
        levels["availability_slo"] = written["availability_slo"]
    for index, row in enumerate(levels["priorities"]):
        got = rows[index] if index < len(rows) and isinstance(rows[index], dict) else {}
        if "slo" not in got:
            row.pop("slo", None)
        elif not known:
            row["slo"] = got["slo"]


def _source(name: str) -> Any:
    """The view's spec with term paths as JSON pointers, so a mismatch names the term it copies."""
    if name == "parties":
        return {side: {"organisation": None, **_pointers(PARTY_VIEW, side)} for side in SIDES}
    source = _pointers(VIEWS[name], "")
    if name == "services":  # the availability SLO's name comes from the stated availability (and the agreement)
        source["service_levels"]["availability_slo"] = "/terms/services/availability_percent"
    return source


def _pointers(spec: Any, side: str) -> Any:
    if isinstance(spec, dict):
        return {name: _pointers(child, side) for name, child in spec.items()}
    return "/terms/" + spec.replace("{side}", side).replace(".", "/")


def _differences(expected: Any, actual: Any, path: Path, source: Any) -> list[tuple[Path, str]]:
    """Where `actual` differs from `expected`, down to the row field; `source` is the spec or the term's pointer."""
    if source is None or _same(expected, actual):  # None: not copied from the terms (the organisation)
        return []
    if isinstance(source, dict):
        if not (isinstance(expected, dict) and isinstance(actual, dict)):
            return []  # a wrong shape is the schema's error
        return [error for key, child in source.items() if key in expected and key in actual
                for error in _differences(expected[key], actual[key], path + (key,), child)]
    if isinstance(expected, dict) and isinstance(actual, dict) and expected.keys() == actual.keys():
        return [error for key in expected
                for error in _differences(expected[key], actual[key], path + (key,), f"{source}/{key}")]
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        return [error for index, (want, got) in enumerate(zip(expected, actual))
                for error in _differences(want, got, path + (index,), f"{source}/{index}")]
    return [(path, _mismatch(actual, expected, source))]


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON (where True is not 1)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _mismatch(actual: Any, expected: Any, source: str) -> str:
    return f"{_short(actual)} is not what {source} says ({_short(expected)}): the views repeat the terms"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


# Reporting --------------------------------------------------------------------------------

def _pointer(path: Path) -> str:
    parts = (pointer_token(str(part)) for part in path)
    return "".join("/" + part.encode("utf-8", "backslashreplace").decode("utf-8") for part in parts)


def _in_document_order(data: dict[str, Any], errors: list[tuple[Path, str]]) -> list[tuple[str, str]]:
    """Errors sorted by where they are in the file (a parent before what it holds), messages kept short."""
    positions: dict[int, dict[Any, int]] = {}

    def position(path: Path) -> tuple[int, ...]:
        node, place = data, []
        for part in path:
            if isinstance(node, dict):
                index = positions.setdefault(id(node), {key: i for i, key in enumerate(node)})
                place.append(index.get(part, len(index)))
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                place.append(part)
            else:
                break
            node = node[part]
        return tuple(place)

    ordered = sorted(errors, key=lambda error: (position(error[0]), error[1]))
    return [(_pointer(path), _clip(message)) for path, message in ordered]


def _clip(message: str) -> str:
    message = message.encode("utf-8", "backslashreplace").decode("utf-8")
    return message if len(message) <= MESSAGE_MAX else message[:MESSAGE_MAX - 1] + "…"
