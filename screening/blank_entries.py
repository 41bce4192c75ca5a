"""Entries of the disease-activity CRFs with every item at its inactive value (0, "E", absent,
negative) unless given: the starting point of the demo data and of the tests' factories."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from edc.domain.calculators import BILAG2004_SYSTEMS, ESSDAI_DOMAINS, MRSS_SITES, SLEDAI2K_WEIGHTS


def sledai2k_entry(on: dt.date, *present: str) -> dict[str, Any]:
    return {"assessed_on": on, **{code: code in present for code in SLEDAI2K_WEIGHTS}}


def bilag2004_entry(on: dt.date, **letters: str) -> dict[str, Any]:
    return {"assessed_on": on, **dict.fromkeys(BILAG2004_SYSTEMS, "E"), **letters}


def lupus_serology_entry(on: dt.date, **fields: Any) -> dict[str, Any]:
    return {
        "tested_on": on,
        "ana_titre_reciprocal": 0,
        "anti_dsdna": "negative",
        "anti_dsdna_iu_ml": None,
        "anti_sm": "negative",
        "c3_g_l": None,
        "c4_g_l": None,
        **fields,
    }


def mrss_entry(on: dt.date, **sites: int) -> dict[str, Any]:
    return {"assessed_on": on, **dict.fromkeys(MRSS_SITES, 0), **sites}


def essdai_entry(on: dt.date, **levels: int) -> dict[str, Any]:
    names = (domain.name for domain in ESSDAI_DOMAINS)
    return {"assessed_on": on, **dict.fromkeys(names, 0), **levels}


def joint_counts_entry(on: dt.date, **fields: Any) -> dict[str, Any]:
    return {
        "assessed_on": on,
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


def bvas_entry(on: dt.date, **items: str) -> dict[str, Any]:
    """BVAS v3 with the given items ticked (code="persistent" or "new_worse")."""
    return {"assessed_on": on, "items": dict(items)}


def anca_serology_entry(on: dt.date, **fields: Any) -> dict[str, Any]:
    return {
        "tested_on": on,
        "mpo_anca": "negative",
        "mpo_anca_iu_ml": None,
        "pr3_anca": "negative",
        "pr3_anca_iu_ml": None,
        **fields,
    }
