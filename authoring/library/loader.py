"""The clause library: YAML files under clauses/, validated at start-up, rendered in a sandbox.

Each `NN_category.yaml` file holds one section of the agreement and its clauses;
`_terms.yaml` declares the terms they may use (see catalogue.py). Loading checks the
shape of every file, that every template uses only declared terms, and that every
variant renders in every required language, both with sample answers and with an
empty interview. An error names the file, the clause and the problem.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import StrictUndefined, TemplateError, nodes, pass_context
from jinja2.sandbox import SandboxedEnvironment

from ..config import LANGUAGES
from .catalogue import Catalogue, CatalogueError, load_catalogue
from .glossary import glossary_problems, load_glossaries
from .formatting import BLANK, FILTERS, finalize, is_blank
from .hours_words import support_hours_filter
from .marks import mark_for, write_mark
from .stops import joined, mark_outputs, split_marked
from .translations import (TRANSLATIONS, TranslationError, choice_words, merge_section, parse_yaml, read_yaml,
                           translation_folders)

DEFAULT_LANGUAGE = "en"
REQUIRED_LANGUAGES = tuple(LANGUAGES)  # every clause, end to end, in each of the six
MIN_VARIANTS = 2
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
TEMPLATE_GLOBALS = frozenset({"lang", "option", "loop", "true", "false", "none"})
CLAUSE_KEYS = {"id", "title", "guidance", "optional", "default_variant", "variants"}


class LibraryError(ValueError):
    """The clause library is not valid; the message names the file and clause."""


@dataclass(frozen=True)
class Variant:
    name: str
    label: dict[str, str]
    text: dict[str, str]  # language -> template


@dataclass(frozen=True)
class LibraryClause:
    id: str
    section: str
    title: dict[str, str]
    guidance: dict[str, str]
    optional: bool
    default_variant: str
    variants: dict[str, Variant]

    def text_template(self, variant: str, language: str) -> str:
        texts = self.variants[variant].text
        return texts.get(language) or texts[DEFAULT_LANGUAGE]

    def localized_title(self, language: str) -> str:
        return localized(self.title, language)


@dataclass(frozen=True)
class LibrarySection:
    key: str
    title: dict[str, str]
    order: int
    step: str
    clauses: tuple[LibraryClause, ...]
    source: str


def localized(texts: dict[str, str], language: str) -> str:
    """The text in `language`, else English (languages without a translation read English)."""
    return texts.get(language) or texts[DEFAULT_LANGUAGE]


class ClauseLibrary:
    """The loaded library: sections in order, the terms catalogue, and the sandbox that renders."""

    def __init__(self, sections: tuple[LibrarySection, ...], catalogue: Catalogue):
        self.sections = sections
        self.catalogue = catalogue
        self.clauses = {clause.id: clause for section in sections for clause in section.clauses}
        self._env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                                         keep_trailing_newline=True, finalize=finalize)
        self._env.filters.update(FILTERS)
        self._env.filters["support_hours"] = support_hours_filter  # hours_words.py: days, times, holidays
        self._env.globals["option"] = self._option
        self._templates: dict[str, Any] = {}
        self._instrumented: dict[str, Any] = {}  # binding.py: templates compiled with slot markers
        self._terms_used: dict[tuple[str, str], frozenset[str]] = {}

    def __iter__(self):
        return iter(self.sections)

    def section_for(self, clause_id: str) -> LibrarySection:
        return next(s for s in self.sections if any(c.id == clause_id for c in s.clauses))

    def render(self, template: str, terms: dict[str, Any], language: str) -> str:
        """Render a clause template over the terms; an undeclared term is an error, not blank text.

        A full stop after a value that already ends with one is not written (stops.py).
        """
        compiled = self._templates.get(template)
        if compiled is None:
            ast = self._env.parse(template)
            mark_outputs(ast, lambda _expression, _in_loop: None)
            compiled = self._templates[template] = self._env.from_string(ast)
        context = {**terms, "lang": language}
        segments = split_marked(compiled.render(context), ())
        if segments is None:  # a value held a marker character: the text as the template writes it
            return self._env.from_string(template).render(context)
        return joined(segments)

    def render_clause(self, clause_id: str, variant: str, terms: dict[str, Any], language: str) -> str:
        return self.render(self.clauses[clause_id].text_template(variant, language), terms, language)

    def terms_used(self, clause_id: str, variant: str) -> frozenset[str]:
        """The term paths a clause variant reads, in any language (empty for an unknown clause)."""
        key = (clause_id, variant)
        if key not in self._terms_used:
            clause = self.clauses.get(clause_id)
            texts = clause.variants[variant].text.values() if clause and variant in clause.variants else ()
            self._terms_used[key] = frozenset(p for text in texts for p in _referenced_paths(self._env.parse(text)))
        return self._terms_used[key]

    @pass_context
    def _option(self, context, path: str, value: Any = None) -> str:
        """The words for a choice in the agreement's language: option('costs.invoicing')."""
        spec = self.catalogue.spec(path.replace("[]", ""))
        spec = spec or self._list_item_spec(path)
        if spec is None or spec.type != "choice":
            raise TemplateError(f"option({path!r}): not a declared choice")
        if value is None and "[]" not in path:
            value = context
            for part in path.split("."):
                value = value.get(part) if hasattr(value, "get") else None
        if is_blank(value):
            return BLANK
        words = spec.options.get(str(value))
        if words is None:
            return BLANK
        return words.get(context.get("lang"), words[DEFAULT_LANGUAGE])

    def _list_item_spec(self, path: str):
        """'costs.payment_schedule[].trigger' -> the item field's spec."""
        if "[]." not in path:
            return None
        list_path, field_name = path.split("[].", 1)
        spec = self.catalogue.spec(list_path)
        return spec.fields.get(field_name) if spec is not None and spec.type == "list" else None


# Loading and validating ---------------------------------------------------------------

def _texts(value: Any, where: str, required=REQUIRED_LANGUAGES) -> dict[str, str]:
    if isinstance(value, str):
        value = {DEFAULT_LANGUAGE: value}
    if not isinstance(value, dict):
        raise LibraryError(f"{where}: must be a text per language")
    missing = [language for language in required if language not in value]
    if missing:
        raise LibraryError(f"{where}: missing language(s) {', '.join(missing)}")
    if not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()):
        raise LibraryError(f"{where}: every language must map to non-empty text")
    return dict(value)


def _referenced_paths(template: nodes.Template) -> set[str]:
    """Dotted term paths a template reads ("costs.currency"), leaving out its own loop variables."""
    own = {n.name for n in template.find_all(nodes.Name) if n.ctx in ("store", "param")}
    paths: set[str] = set()

    def visit(node: nodes.Node) -> None:
        if isinstance(node, nodes.Getattr):
            attrs, base = [], node
            while isinstance(base, nodes.Getattr):
                attrs.append(base.attr)
                base = base.node
            if isinstance(base, nodes.Name):
                if base.name not in own and base.name not in TEMPLATE_GLOBALS:
                    paths.add(".".join([base.name, *reversed(attrs)]))
                return
            visit(base)
            return
        if isinstance(node, nodes.Name) and node.ctx == "load":
            if node.name not in own and node.name not in TEMPLATE_GLOBALS:
                paths.add(node.name)
            return
        for child in node.iter_child_nodes():
            visit(child)

    visit(template)
    return paths


def _parse_clause(raw: Any, where: str, section_key: str) -> LibraryClause:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise LibraryError(f"{where}: needs an 'id'")
    clause_id = raw["id"]
    where = f"{where.split(':')[0]}: clause {clause_id!r}"
    if not ID_PATTERN.match(clause_id) or len(clause_id) > 80:
        raise LibraryError(f"{where}: id must look like 'category.name' (a-z, 0-9, _)")
    unknown = set(raw) - CLAUSE_KEYS
    if unknown:
        raise LibraryError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    variants_raw = raw.get("variants")
    if not isinstance(variants_raw, dict) or len(variants_raw) < MIN_VARIANTS:
        raise LibraryError(f"{where}: needs at least {MIN_VARIANTS} variants")
    variants = {}
    for name, body in variants_raw.items():
        vwhere = f"{where} variant {name!r}"
        if not isinstance(body, dict) or set(body) - {"label", "text"}:
            raise LibraryError(f"{vwhere}: must have a 'label' and a 'text' per language")
        variants[str(name)] = Variant(str(name), _texts(body.get("label"), f"{vwhere} label"),
                                      _texts(body.get("text"), f"{vwhere} text"))
    default = raw.get("default_variant", next(iter(variants)))
    if default not in variants:
        raise LibraryError(f"{where}: default_variant {default!r} is not one of {', '.join(variants)}")
    if not isinstance(raw.get("optional", False), bool):
        raise LibraryError(f"{where}: optional must be true or false")
    return LibraryClause(clause_id, section_key, _texts(raw.get("title"), f"{where} title"),
                         _texts(raw.get("guidance"), f"{where} guidance", required=(DEFAULT_LANGUAGE,)),
                         raw.get("optional", False), default, variants)


def _load_file(path: Path, translations: dict[str, Path]) -> LibrarySection:
    where = path.name
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LibraryError(f"{where}: not valid YAML: {exc}") from exc
    for language, folder in translations.items():
        translated = folder / path.name
        if translated.is_file():
            tr_where = f"{TRANSLATIONS}/{language}/{path.name}"
            try:
                merge_section(data, read_yaml(translated, tr_where), language, tr_where, path.name)
            except TranslationError as exc:
                raise LibraryError(str(exc)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("section"), dict):
        raise LibraryError(f"{where}: must have a 'section' mapping")
    section = data["section"]
    if not isinstance(section.get("key"), str) or not isinstance(section.get("order"), int):
        raise LibraryError(f"{where}: section needs a text 'key' and a whole-number 'order'")
    if not isinstance(section.get("step"), str):
        raise LibraryError(f"{where}: section needs the interview 'step' that offers its clauses")
    clauses = tuple(_parse_clause(raw, f"{where}: clause #{i + 1}", section["key"])
                    for i, raw in enumerate(data.get("clauses") or []))
    return LibrarySection(section["key"], _texts(section.get("title"), f"{where}: section title"),
                          section["order"], section["step"], clauses, where)


def _check_templates(library: ClauseLibrary) -> None:
    """Every template uses declared terms only and renders, with samples and with blanks."""
    samples, blanks = library.catalogue.sample_terms(), library.catalogue.blank_terms()
    for section in library.sections:
        for clause in section.clauses:
            for variant in clause.variants.values():
                for language, text in variant.text.items():
                    where = f"{section.source}: clause {clause.id!r} variant {variant.name!r} ({language})"
                    try:
                        parsed = library._env.parse(text)
                    except TemplateError as exc:
                        raise LibraryError(f"{where}: {exc}") from exc
                    for term in sorted(_referenced_paths(parsed)):
                        if library.catalogue.spec(term) is None:
                            raise LibraryError(f"{where}: uses {term!r}, which clauses/_terms.yaml does not declare")
                    for label, terms in (("sample", samples), ("empty", blanks)):
                        try:
                            library.render(text, terms, language)
                        except Exception as exc:  # any failure to render is a library defect
                            raise LibraryError(f"{where}: does not render with {label} terms: {exc}") from exc


_LOADED: dict[tuple[str, tuple], tuple[ClauseLibrary, bool]] = {}  # -> (library, whether it was checked)
_MARKED: set[tuple[tuple[str, tuple], str]] = set()  # (library, instance folder): its mark is known to be there


def load_library(folder: Path, validated_in: Path | None = None) -> ClauseLibrary:
    """The validated library of `folder`, loaded once per process while its files stay the same.

    Validation renders every variant in every language twice (about 2,300 renders): worth doing
    once, not for every app a process creates (tests create hundreds). With `validated_in` (the
    app's instance folder), once across processes too: a library that passed leaves a mark there
    named by the SHA-256 of its files and of the code that checks them, and a process that finds
    the mark reads the files without checking them again; any change to either is a new name,
    so it is checked in full. Without `validated_in` (`flask clauses check`, tests) it is checked.
    """
    fingerprint = tuple(sorted((str(path.relative_to(folder)), path.stat().st_mtime_ns, path.stat().st_size)
                               for path in folder.rglob("*.yaml")))
    key = (str(folder.resolve()), fingerprint)
    library, checked = _LOADED.get(key) or (_read_library(folder), False)
    marked = validated_in is not None and (key, str(validated_in)) in _MARKED
    mark = mark_for(folder, validated_in) if validated_in is not None and not marked else None
    if not checked and not marked and (mark is None or not mark.is_file()):
        _validate_library(library, folder)
        checked = True
    if mark is not None:
        # Also when this process checked it earlier: a new instance folder learns it passed.
        if not mark.is_file():
            write_mark(mark)
        _MARKED.add((key, str(validated_in)))
    _LOADED[key] = (library, checked)
    return library


def _read_library(folder: Path) -> ClauseLibrary:
    """Read clauses/: the terms catalogue and every NN_category.yaml, in section order (LibraryError names
    the file and clause of any structural fault)."""
    translations = translation_folders(folder)
    try:
        catalogue = load_catalogue(folder / "_terms.yaml", REQUIRED_LANGUAGES, choice_words(folder))
    except (CatalogueError, TranslationError) as exc:
        raise LibraryError(str(exc)) from exc
    sections = [_load_file(path, translations) for path in sorted(folder.glob("*.yaml")) if not path.name.startswith("_")]
    seen: dict[str, str] = {}
    for section in sections:
        if section.key in seen:
            raise LibraryError(f"{section.source}: section key {section.key!r} is also used in {seen[section.key]}")
        seen[section.key] = section.source
    ids: dict[str, str] = {}
    for section in sections:
        for clause in section.clauses:
            if clause.id in ids:
                raise LibraryError(f"{section.source}: clause {clause.id!r} is also defined in {ids[clause.id]}")
            ids[clause.id] = section.source
    return ClauseLibrary(tuple(sorted(sections, key=lambda s: s.order)), catalogue)


def _validate_library(library: ClauseLibrary, folder: Path) -> None:
    """Every template renders with sample and blank terms; every text keeps its language's glossary."""
    _check_templates(library)
    translations = translation_folders(folder)
    try:
        glossaries = load_glossaries(folder, translations)
    except TranslationError as exc:
        raise LibraryError(str(exc)) from exc
    problems = glossary_problems(library, glossaries)
    if problems:
        shown = "\n".join(problems[:20]) + (f"\n… and {len(problems) - 20} more" if len(problems) > 20 else "")
        raise LibraryError(f"{len(problems)} text(s) break the glossary of defined terms:\n{shown}")
