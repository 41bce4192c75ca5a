"""The clinical vectors the product is tested against (tests/data/clinical-vectors.json) as pytest
parameters.

The file lives in the repository so that a fresh clone tests itself; it started as a copy of
`../shared/reference/clinical-vectors.json` (see tests/data/README.md) and carries the product's
own further cases. `tests/test_vectors_file.py` keeps it from falling behind the shared copy when
one sits beside the repository. Domain tests call `vector_params("crs_grade")` and get one
`pytest.param` per case, with the vector id as the test id, so a failure names the case and its
source.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

VECTORS_PATH = Path(__file__).resolve().parent / "data" / "clinical-vectors.json"
SHARED_VECTORS_PATH = (
    Path(__file__).resolve().parents[2] / "shared" / "reference" / "clinical-vectors.json"
)


@cache
def vectors() -> dict[str, list[dict[str, Any]]]:
    return json.loads(VECTORS_PATH.read_text(encoding="utf-8"))["vectors"]


def resolve(function_path: str) -> Callable[..., Any]:
    """Import `package.module:function` as named in a vector."""
    module_name, _, attr = function_path.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def vector_params(group: str) -> list[Any]:
    return [pytest.param(v, id=v["id"]) for v in vectors()[group]]
