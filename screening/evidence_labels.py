"""Translated names of what eligibility rules read (measures, tests; analytes come from the lab
models), so the checklist's evidence reads in the user's language."""

from django.utils.translation import gettext_lazy as _

from screening.models.labs import ANALYTE_LABELS

MEASURE_LABELS = {
    "acr_functional_class": _("ACR functional class"),
    "age_at_consent_years": _("age at consent (years)"),
    "ana_titre_reciprocal": _("ANA titre (1:x)"),
    "bilag_a_count": _("BILAG-2004 systems graded A"),
    "bilag_b_count": _("BILAG-2004 systems graded B"),
    "bvas": _("BVAS v3 (new/worse)"),
    "cdai": _("CDAI"),
    "crcl_cockcroft_gault_ml_min": _("creatinine clearance, Cockcroft-Gault (mL/min)"),
    "das28_esr": _("DAS28-ESR"),
    "days_since_growth_factor": _("days since the last growth factor"),
    "days_since_other_trial_treatment": _("days since another trial's treatment"),
    "days_since_transfusion": _("days since the last transfusion"),
    "disease_duration_months": _("disease duration (months)"),
    "dlco_pct_predicted": _("DLCO (% predicted)"),
    "egfr_ckd_epi_2021": _("eGFR, CKD-EPI 2021 (mL/min/1.73 m²)"),
    "essdai": _("ESSDAI"),
    "fvc_pct_predicted": _("FVC (% predicted)"),
    "glucocorticoid_combination_months": _(
        "months of glucocorticoid combined with an immunosuppressant or biologic"
    ),
    "immunosuppressant_months": _("months of immunosuppressants"),
    "lvef_pct": _("LVEF (%)"),
    "mrss": _("mRSS"),
    "on_immunosuppressant_or_biologic": _("on an immunosuppressant or biologic (1 = yes)"),
    "prednisone_equivalent_mg_day": _("prednisone equivalent (mg/day)"),
    "refractory_btsdmard_count": _("b/tsDMARDs failed"),
    "refractory_csdmard_count": _("csDMARDs failed"),
    "sjc66": _("swollen joint count (66 joints)"),
    "sledai2k": _("SLEDAI-2K"),
    "sledai2k_clinical": _("clinical SLEDAI-2K"),
    "spo2_room_air_pct": _("SpO2 on room air (%)"),
    "tjc68": _("tender joint count (68 joints)"),
    "treatment_stable_days": _("days on the current regimen"),
}
TEST_LABELS = {
    "anti_dsdna": _("anti-dsDNA"),
    "anti_sm": _("anti-Sm"),
    "chest_imaging": _("chest imaging"),
    "hbcab": _("HBcAb"),
    "hbsag": _("HBsAg"),
    "hbv_dna_detectable": _("HBV DNA"),
    "hcv_ab": _("HCV antibody"),
    "hcv_rna_detectable": _("HCV RNA"),
    "hiv_ab": _("HIV antibody"),
    "hrct_ground_glass": _("HRCT ground-glass changes"),
    "lactating": _("lactating"),
    "mpo_anca": _("MPO-ANCA"),
    "pr3_anca": _("PR3-ANCA"),
    "pregnancy_serum_hcg": _("serum β-hCG"),
    "syphilis": _("Syphilis"),
    "tb_igra": _("tuberculosis IGRA (QuantiFERON / T-SPOT.TB)"),
}
EVIDENCE_LABELS = {**ANALYTE_LABELS, **MEASURE_LABELS, **TEST_LABELS}
