"""The shared clinical vectors (../shared/reference/clinical-vectors.json) as pytest parameters.

Domain tests call `vector_params("crs_grade")` and get one `pytest.param` per published case, with
the vector id as the test id, so a failure names the case and its source.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"
VECTORS_PATH = SHARED_DIR / "reference" / "clinical-vectors.json"


@cache
def _vectors() -> dict[str, list[dict[str, Any]]]:
    return json.loads(VECTORS_PATH.read_text(encoding="utf-8"))["vectors"]


def resolve(function_path: str) -> Callable[..., Any]:
    """Import `package.module:function` as named in a vector."""
    module_name, _, attr = function_path.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def vector_params(group: str) -> list[Any]:
    if not VECTORS_PATH.exists():
        why = f"clinical vectors not found at {VECTORS_PATH} (shared/ must sit beside the repo)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            raise RuntimeError(why)
        return [pytest.param(None, marks=pytest.mark.skip(reason=why), id=f"{group}-missing")]
    return [pytest.param(v, id=v["id"]) for v in _vectors()[group]]
