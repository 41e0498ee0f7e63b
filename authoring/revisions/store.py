"""Content-addressed storage of documents: each clause, section and terms stored once by hash.

A revision keeps a small tree - the terms hash and one hash per section - and each
section blob lists its clause hashes. A revision that changes one clause adds one
clause blob and one section blob; everything else is shared with its parent.
"""
from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..document import ClauseInstance, Document, Section, canonical_json, content_hash, sha256_hex
from ..extensions import db
from ..models import Blob


class RevisionIntegrityError(RuntimeError):
    """Stored content does not match its hash: the revision was altered outside the app."""


def _put_blobs(blobs: dict[str, tuple[str, str]]) -> None:
    """Insert blobs (hash -> (kind, content)) that are not stored yet; racing writers are fine."""
    if not blobs:
        return
    rows = [{"hash": h, "kind": kind, "content": content} for h, (kind, content) in blobs.items()]
    dialect = db.engine.dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(insert(Blob).on_conflict_do_nothing(index_elements=["hash"]), rows)


def _get_blobs(hashes: Iterable[str]) -> dict[str, Blob]:
    """The stored blobs of `hashes`, in one statement however many there are.

    The hashes travel as one bound value - an array on PostgreSQL, a JSON array read by
    json_each on SQLite - so a 3,000-clause revision loads in as many statements as a
    20-clause one, and no IN list meets SQLite's variable limit.
    """
    wanted = list(dict.fromkeys(hashes))
    if not wanted:
        return {}
    if db.engine.dialect.name == "postgresql":
        condition = Blob.hash == any_(bindparam("hashes", wanted, type_=ARRAY(String)))
    else:
        listed = func.json_each(bindparam("hashes", json.dumps(wanted))).table_valued("value")
        condition = Blob.hash.in_(select(listed.c.value))
    return {blob.hash: blob for blob in db.session.scalars(select(Blob).where(condition))}


def store_document(document: Document) -> str:
    """Store `document`'s blobs and return its tree (canonical JSON text)."""
    blobs: dict[str, tuple[str, str]] = {}

    def put(kind: str, value) -> str:
        digest = content_hash(value)
        blobs[digest] = (kind, canonical_json(value).decode("utf-8"))
        return digest

    section_hashes = []
    for section in document.sections:
        clause_hashes = [put("clause", clause.to_dict()) for clause in section.clauses]
        section_hashes.append(put("section", {"key": section.key, "title": section.title, "clauses": clause_hashes}))
    tree = {"terms": put("terms", document.terms), "sections": section_hashes}
    existing = _get_blobs(blobs)
    _put_blobs({h: v for h, v in blobs.items() if h not in existing})
    return canonical_json(tree).decode("utf-8")


def _verified(blobs: dict[str, Blob], digest: str, kind: str):
    blob = blobs.get(digest)
    if blob is None:
        raise RevisionIntegrityError(f"{kind} {digest[:12]} is missing")
    if blob.kind != kind or sha256_hex(blob.content.encode("utf-8")) != digest:
        raise RevisionIntegrityError(f"{kind} {digest[:12]} does not match its hash")
    return json.loads(blob.content)


def _clause(blobs: dict[str, Blob], digest: str) -> ClauseInstance:
    clause = ClauseInstance.from_dict(_verified(blobs, digest, "clause"))
    # The blob was just checked against `digest`, which is exactly the clause's content hash:
    # a redline can compare it without hashing the text again.
    clause.__dict__["content_hash"] = digest
    return clause


def load_document(tree_json: str, expected_hash: str) -> Document:
    """Rebuild a document from its tree, checking every blob and the whole document's hash."""
    tree = json.loads(tree_json)
    top = _get_blobs([tree["terms"], *tree["sections"]])
    terms = _verified(top, tree["terms"], "terms")
    section_data = [_verified(top, digest, "section") for digest in tree["sections"]]
    clause_blobs = _get_blobs(h for s in section_data for h in s["clauses"])
    sections = tuple(
        Section(key=s["key"], title=s["title"], clauses=tuple(_clause(clause_blobs, h) for h in s["clauses"]))
        for s in section_data
    )
    document = Document(terms=terms, sections=sections)
    if document.sha256() != expected_hash:
        raise RevisionIntegrityError("the document does not match the revision's hash")
    return document


def load_terms(revisions: Iterable[tuple[int, str]]) -> dict[int, dict]:
    """The terms of many revisions ((id, tree) pairs) in one statement, each checked against its hash.

    For pages that need only the terms of many agreements (the portfolio), not their clauses.
    """
    trees = {revision_id: json.loads(tree)["terms"] for revision_id, tree in revisions}
    blobs = _get_blobs(trees.values())
    return {revision_id: _verified(blobs, digest, "terms") for revision_id, digest in trees.items()}
