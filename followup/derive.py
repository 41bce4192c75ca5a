"""Derived fields of the follow-up CRFs, computed from what was entered (never typed)."""

from __future__ import annotations

from followup.domain.immunology import hypogammaglobulinaemia
from followup.models import Immunoglobulins


def immunoglobulins(instance: Immunoglobulins) -> None:
    instance.hypogammaglobulinaemia = hypogammaglobulinaemia(instance.igg_g_per_l)
