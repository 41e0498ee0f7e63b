"""RFC 6902 patches between terms, checked against an independent implementation (jsonpatch)."""
from __future__ import annotations

import jsonpatch
from hypothesis import given, settings
from hypothesis import strategies as st

from authoring.document.json_patch import json_patch

KEYS = st.sampled_from(["a", "b", "c/d", "e~f", "ż", "שם"])
JSON = st.recursive(st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4), max_leaves=12)


def test_pointer_escaping_and_whole_list_replacement():
    old = {"costs": {"currency": "EUR", "rates": [{"code": "T1"}]}, "a/b": 1, "t~": True}
    new = {"costs": {"currency": "PLN", "rates": [{"code": "T2"}]}, "a/b": 1, "t~": 1}
    assert json_patch(old, new) == [
        {"op": "replace", "path": "/costs/currency", "value": "PLN"},
        {"op": "replace", "path": "/costs/rates", "value": [{"code": "T2"}]},
        {"op": "replace", "path": "/t~0", "value": 1},  # True and 1 are different JSON values
    ]
    assert json_patch(old, old) == []


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, JSON, max_size=5), st.dictionaries(KEYS, JSON, max_size=5))
def test_the_patch_turns_old_into_new(old, new):
    patched = jsonpatch.apply_patch(old, json_patch(old, new))
    assert patched == new and json_patch(patched, new) == []
