"""A query the ORM takes longer to compile than the database takes to run it, compiled once per
shape and bound to each request's values.

The audit trail's page is one UNION over some fifty history tables; at a million history rows
PostgreSQL answers it in a few milliseconds, while building and compiling it in Django takes
about a hundred (benchmarks/audit_trail.py). Its SQL depends only on the filter's shape (which
parts are set, how many sites, which form), not on the values; so it is compiled once with a
sentinel in place of every value, and each later request puts its own values where the
sentinels' parameters are. A sentinel is a value no real filter holds (a random UUID, a
negative number, a moment in 1901), so a parameter equal to one is that value's place.
tests/edc/test_compiled_queries.py compares a bound query with the one Django compiles for the
same values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

Values = Mapping[str, Any]  # name -> value, or a list of values (IN) in any order


@dataclass(frozen=True)
class CompiledQuery:
    sql: str
    params: tuple
    slots: tuple[tuple[int, str, int], ...]  # (parameter, value name, place in its list or -1)

    def bind(self, values: Values) -> tuple[str, list]:
        """The SQL and the parameters with `values` (named as the sentinels were) in place."""
        params = list(self.params)
        ordered = {
            k: sorted(v) if isinstance(v, list | frozenset | set) else v for k, v in values.items()
        }
        for index, name, place in self.slots:
            value = ordered[name]
            params[index] = value[place] if place >= 0 else value
        return self.sql, params


def compile_with_sentinels(queryset: QuerySet, sentinels: Values) -> CompiledQuery:
    """`queryset` (built with `sentinels` as its values) compiled, with the place of each."""
    sql, params = queryset.query.sql_with_params()
    places: dict[Any, tuple[str, int, type]] = {}
    for name, value in sentinels.items():
        listed = value if isinstance(value, list) else None
        for place, one in enumerate(listed) if listed is not None else [(-1, value)]:
            places[one] = (name, place, type(one))
    slots = []
    for index, param in enumerate(params):
        try:
            found = places.get(param)
        except TypeError:  # a list or another unhashable parameter holds no sentinel
            continue
        if found is not None and type(param) is found[2]:  # 1 == True: not a sentinel's place
            slots.append((index, found[0], found[1]))
    return CompiledQuery(sql, tuple(params), tuple(slots))
