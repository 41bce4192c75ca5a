"""The repository's clinical vectors stand on their own and never fall behind the shared copy.

A fresh clone has no `../shared`; the domain tests still run on tests/data/clinical-vectors.json.
Where `../shared` sits beside the repository (developers, CI), its vectors must all be in the repo
copy unchanged, so an update to the shared reference cannot be silently missed. Nothing here is
skipped for lack of `../shared`: the comparison simply has no shared vectors to compare.
"""

from __future__ import annotations

import json
from typing import Any

from tests.vectors import SHARED_VECTORS_PATH, vectors


def _by_id(groups: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    return {v["id"]: {**v, "group": group} for group, items in groups.items() for v in items}


def _shared_vectors() -> dict[str, dict[str, Any]]:
    if not SHARED_VECTORS_PATH.exists():
        return {}
    return _by_id(json.loads(SHARED_VECTORS_PATH.read_text(encoding="utf-8"))["vectors"])


def test_every_vector_is_a_call_with_its_expected_result_and_source() -> None:
    all_vectors = [v for items in vectors().values() for v in items]
    assert len({v["id"] for v in all_vectors}) == len(all_vectors), "vector ids must be unique"
    for vector in all_vectors:
        module, _, function = vector["function"].partition(":")
        assert module, vector["id"]
        assert function, vector["id"]
        assert isinstance(vector["kwargs"], dict), vector["id"]
        assert vector["expected"], vector["id"]
        assert vector["source"].strip(), vector["id"]


def test_repo_copy_holds_every_shared_vector_unchanged() -> None:
    ours = _by_id(vectors())
    shared = _shared_vectors()
    behind = [vector_id for vector_id, vector in shared.items() if ours.get(vector_id) != vector]
    assert not behind, (
        f"tests/data/clinical-vectors.json is behind {SHARED_VECTORS_PATH}: {behind}; "
        "copy them in (tests/data/README.md)"
    )
