"""The redline of the benchmark's synthetic pair is exactly what it was before the redline was made faster.

tests/data/redline_synthetic_golden.json was written by main's code before issue 18's redline work
(commit f54a7e3): at 300 clauses, for every clause of the redline its fields, a SHA-256 of its segments
(with each changed clause's segment operations and lengths, so a difference can be found) and who
answers for it, and the terms in full; at 1,000 clauses a SHA-256 of the same. Any change to the word
diff, the clause alignment or the attribution shows here.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path


from authoring import bench
from authoring.negotiation.attribution import attribute
from authoring.redline import redline_between

GOLDEN = Path(__file__).parent / "data" / "redline_synthetic_golden.json"


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def redline_fingerprint(pair: bench.SyntheticPair) -> dict:
    """The attributed redline of `pair` as plain data: clause by clause, then the terms."""
    redline = attribute(redline_between(*pair.documents()), pair.changes,
                        lambda key: pair.terms_used.get(key, set()))
    clauses = [[c.key, c.status, c.changed, c.title, c.old_title, c.number, c.old_number, c.section, c.direction,
                _digest(c.segments)[:32], [[op, len(text)] for op, text in c.segments] if c.changed else None,
                [a.proposal_number for a in c.attributions]] for c in redline.clauses]
    terms = [{"path": t.path, "label": t.label, "old": t.old, "new": t.new,
              "attributions": [a.proposal_number for a in t.attributions]} for t in redline.terms]
    return {"clauses": clauses, "terms": terms, "counts": redline.counts()}


def golden() -> dict:
    """What the golden file holds, from the code as it is."""
    found = redline_fingerprint(bench.revised(bench.synthetic_agreement(300)))
    return {"300": found, "1000": _digest(redline_fingerprint(bench.revised(bench.synthetic_agreement(1000))))}


def test_redline_of_the_synthetic_pair_is_unchanged():
    expected, found = json.loads(GOLDEN.read_text(encoding="utf-8")), golden()
    small, wanted = found["300"], expected["300"]
    assert small["counts"] == wanted["counts"]
    assert small["terms"] == wanted["terms"]
    assert len(small["clauses"]) == len(wanted["clauses"]) == 301
    for got, clause in zip(small["clauses"], wanted["clauses"]):
        assert got == clause, got[0]
    assert found["1000"] == expected["1000"]
