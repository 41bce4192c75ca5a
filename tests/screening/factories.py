"""Minimal valid entries of the screening CRFs, as the `data` a CRF service or form receives.

Each builder returns every item at its inactive value (0, "E", absent, negative) unless given.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from edc.domain.calculators import BILAG2004_SYSTEMS, ESSDAI_DOMAINS, MRSS_SITES, SLEDAI2K_WEIGHTS
from screening.models.instruments import BVAS_V3_SYSTEMS

ASSESSED_ON = dt.date(2026, 3, 5)


def sledai2k_data(*present: str) -> dict[str, Any]:
    return {"assessed_on": ASSESSED_ON, **{code: code in present for code in SLEDAI2K_WEIGHTS}}


def bilag2004_data(**letters: str) -> dict[str, Any]:
    return {"assessed_on": ASSESSED_ON, **dict.fromkeys(BILAG2004_SYSTEMS, "E"), **letters}


def lupus_serology_data(**fields: Any) -> dict[str, Any]:
    return {
        "tested_on": ASSESSED_ON,
        "ana_titre_reciprocal": 0,
        "anti_dsdna": "negative",
        "anti_dsdna_iu_ml": None,
        "anti_sm": "negative",
        "c3_g_l": None,
        "c4_g_l": None,
        **fields,
    }


def mrss_data(**sites: int) -> dict[str, Any]:
    return {"assessed_on": ASSESSED_ON, **dict.fromkeys(MRSS_SITES, 0), **sites}


def essdai_data(**levels: int) -> dict[str, Any]:
    names = (domain.name for domain in ESSDAI_DOMAINS)
    return {"assessed_on": ASSESSED_ON, **dict.fromkeys(names, 0), **levels}


def joint_counts_data(**fields: Any) -> dict[str, Any]:
    return {
        "assessed_on": ASSESSED_ON,
        "tjc68": 0,
        "sjc66": 0,
        "tjc28": 0,
        "sjc28": 0,
        "patient_global_0_100": 0,
        "patient_global_0_10": Decimal("0"),
        "evaluator_global_0_10": Decimal("0"),
        "esr_mm_h": None,
        "crp_mg_l": None,
        "acr_functional_class": None,
        **fields,
    }


def bvas_data(**scores: int) -> dict[str, Any]:
    names = (
        f"{system.code}_{column}"
        for system in BVAS_V3_SYSTEMS
        for column in ("new_worse", "persistent")
    )
    return {"assessed_on": ASSESSED_ON, **dict.fromkeys(names, 0), **scores}


def anca_serology_data(**fields: Any) -> dict[str, Any]:
    return {
        "tested_on": ASSESSED_ON,
        "mpo_anca": "negative",
        "mpo_anca_iu_ml": None,
        "pr3_anca": "negative",
        "pr3_anca_iu_ml": None,
        **fields,
    }


def form_data(data: dict[str, Any]) -> dict[str, Any]:
    """The same entry as a form would post it: empty optional fields left out."""
    return {name: value for name, value in data.items() if value is not None}
