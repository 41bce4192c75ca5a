"""The `response` and `kinetics` groups of the clinical vectors (tests/data/clinical-vectors.json),
each case through the function it names, with its source in the vector."""

from __future__ import annotations

from typing import Any

import pytest

from tests.vectors import resolve, vector_params

CASES = [*vector_params("response"), *vector_params("kinetics")]


def _call(vector: dict[str, Any]) -> Any:
    kwargs = dict(vector["kwargs"])
    if "samples" in kwargs:
        # JSON holds [day, value] lists; the functions take (day, value) pairs.
        kwargs["samples"] = [tuple(sample) for sample in kwargs["samples"]]
    return resolve(vector["function"])(**kwargs)


@pytest.mark.parametrize("vector", CASES)
def test_result_matches_the_vector_when_its_function_is_called(vector: dict[str, Any]) -> None:
    expected = vector["expected"]
    if "raises" in expected:
        with pytest.raises(ValueError, match=r"^\w+: "):
            _call(vector)
        return
    result = _call(vector)
    for attribute, value in expected.items():
        got = getattr(result, attribute)
        if isinstance(value, float):
            assert got == pytest.approx(value, abs=vector.get("tolerance", 0.01)), attribute
        else:
            assert got == value, attribute
