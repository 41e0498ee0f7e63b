"""Compile the gettext catalogues (.po, kept in the repository) to .mo files when the app starts.

`pybabel compile` would do the same; doing it here keeps the README's two commands enough
on a fresh clone. Compiled files go to the instance folder, keyed by the catalogue's hash,
so a changed catalogue is recompiled and an unchanged one costs a stat and a hash.
"""
from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

SOURCE = "translations"
DOMAIN = "messages"


def catalogue_paths(root_path: str) -> dict[str, Path]:
    """{language: path of its messages.po} under authoring/translations/."""
    folder = Path(root_path) / SOURCE
    return {path.parent.parent.name: path for path in sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))}


def compile_catalogues(root_path: str, instance_path: str, pseudo: str | None = None) -> Path:
    """Compile every catalogue (and, for tests, the pseudo-locale's) into instance/translations/."""
    target = Path(instance_path) / SOURCE
    for language, source in catalogue_paths(root_path).items():
        data = source.read_bytes()
        # Flask-Babel looks a catalogue up by Babel's name for the locale ("tl" is "fil_PH").
        folder = target / str(Locale.parse(language)) / "LC_MESSAGES"
        _write_if_changed(folder, data, lambda data=data, language=language: _read(data, language))
    if pseudo:
        template = Path(root_path) / SOURCE / f"{DOMAIN}.pot"
        data = template.read_bytes()
        _write_if_changed(target / pseudo / "LC_MESSAGES", data + b"pseudo", lambda: pseudo_catalogue(_read(data, None), pseudo))
    return target


def _read(data: bytes, language: str | None) -> Catalog:
    return read_po(io.BytesIO(data), locale=language)


def _write_if_changed(folder: Path, data: bytes, build) -> None:
    digest = hashlib.sha256(data).hexdigest()
    stamp, compiled = folder / f"{DOMAIN}.sha256", folder / f"{DOMAIN}.mo"
    if compiled.is_file() and stamp.is_file() and stamp.read_text() == digest:
        return
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f"{DOMAIN}.mo.{os.getpid()}"
    with partial.open("wb") as out:
        write_mo(out, build(), use_fuzzy=False)
    os.replace(partial, compiled)  # atomic: a concurrent start-up reads the old file or the new one
    stamp.write_text(digest)


OPEN, CLOSE = "⟦", "⟧"


def pseudo_catalogue(template: Catalog, locale: str) -> Catalog:
    """Every message wrapped in ⟦ ⟧, placeholders kept, so untranslated text stands out on a page."""
    catalog = Catalog(locale=locale.split("_")[0])
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            catalog.add(message.id, tuple(f"{OPEN}{text}{CLOSE}" for text in message.id), context=message.context)
        else:
            catalog.add(message.id, f"{OPEN}{message.id}{CLOSE}", context=message.context)
    return catalog
