"""Configuration problems of a study, shown to whoever can fix them.

A study can be loaded and used while something a later step needs is missing (no safety contact
to tell of an SAE). That is not the investigator's error and must never block their form; it is
a problem for the person with the permission to fix it, shown on the study home with a link.
Apps register checks here; the core knows none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from edc.models import Study
from edc.roles import Perm


@dataclass(frozen=True)
class ConfigurationProblem:
    message: str  # already translated
    fix_perm: Perm  # who can fix it
    fix_url: str


ConfigurationCheck = Callable[[Study], list[ConfigurationProblem]]
_CHECKS: list[ConfigurationCheck] = []


def register_configuration_check(check: ConfigurationCheck) -> None:
    if check not in _CHECKS:
        _CHECKS.append(check)


def configuration_problems(
    study: Study, *, can: Callable[[Perm], bool]
) -> list[ConfigurationProblem]:
    """The study's problems that this user can fix (`can(perm)`: holds it anywhere)."""
    return [p for check in _CHECKS for p in check(study) if can(p.fix_perm)]
