"""Disease-activity CRFs: each instrument is captured item by item; totals are derived, never typed.

The item lists come from the pure calculators of `edc.domain.calculators` (SLEDAI-2K descriptors,
BILAG-2004 systems, mRSS sites, ESSDAI domains and their levels), so a field name is the code the
calculator expects and the two cannot drift apart. The totals are filled by
`screening.derive_instruments` when the form is saved (clinical-rules.md §7.3 and §8).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from edc.domain.calculators import ESSDAI_DOMAINS, ESSDAI_MAX, SLEDAI2K_MAX
from edc.models import CrfModel
from screening.domain import bvas


def _range(low: int | str, high: int | str) -> list:
    """Instrument or physiologically possible limits: a value outside them is a typo."""
    return [MinValueValidator(Decimal(low)), MaxValueValidator(Decimal(high))]


RESULT_CHOICES = [("positive", _("Positive")), ("negative", _("Negative"))]


# ---------------------------------------------------------------------------------------------
# SLEDAI-2K
# ---------------------------------------------------------------------------------------------


def _descriptor(label: str) -> models.BooleanField:
    """A SLEDAI-2K descriptor: present at the visit or in the preceding 10 days."""
    return models.BooleanField(label, default=False)


def _score(label: str, maximum: int) -> models.PositiveSmallIntegerField:
    """A derived integer score, filled from the items on save."""
    return models.PositiveSmallIntegerField(
        label, editable=False, validators=[MaxValueValidator(maximum)]
    )


class Sledai2k(CrfModel):
    """SLEDAI-2K (Gladman 2002): 24 weighted descriptors; the form shows each weight."""

    assessed_on = models.DateField(_("date assessed"))
    seizure = _descriptor(_("Seizure"))
    psychosis = _descriptor(_("Psychosis"))
    organic_brain_syndrome = _descriptor(_("Organic brain syndrome"))
    visual_disturbance = _descriptor(_("Visual disturbance"))
    cranial_nerve_disorder = _descriptor(_("Cranial nerve disorder"))
    lupus_headache = _descriptor(_("Lupus headache"))
    cva = _descriptor(_("Cerebrovascular accident"))
    vasculitis = _descriptor(_("Vasculitis"))
    arthritis = _descriptor(_("Arthritis"))
    myositis = _descriptor(_("Myositis"))
    urinary_casts = _descriptor(_("Urinary casts"))
    hematuria = _descriptor(_("Haematuria"))
    proteinuria = _descriptor(_("Proteinuria"))
    pyuria = _descriptor(_("Pyuria"))
    rash = _descriptor(_("Rash"))
    alopecia = _descriptor(_("Alopecia"))
    mucosal_ulcers = _descriptor(_("Mucosal ulcers"))
    pleurisy = _descriptor(_("Pleurisy"))
    pericarditis = _descriptor(_("Pericarditis"))
    low_complement = _descriptor(_("Low complement"))
    increased_dna_binding = _descriptor(_("Increased DNA binding"))
    fever = _descriptor(_("Fever"))
    thrombocytopenia = _descriptor(_("Thrombocytopenia"))
    leukopenia = _descriptor(_("Leukopenia"))
    # Recorded with the SLEDAI-2K at the same visit: SRI-4, LLDAS and DORIS read it (§13).
    # Optional so that forms entered before it existed stay valid; a response rule then says
    # that the PGA is missing.
    physician_global_0_3 = models.DecimalField(
        _("physician global assessment (PGA, 0-3)"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_range(0, 3),
        help_text=_("0 = none, 1 = mild, 2 = moderate, 3 = severe lupus activity."),
    )
    total = _score(_("SLEDAI-2K total"), SLEDAI2K_MAX)
    clinical_total = _score(
        _("clinical SLEDAI-2K (without low complement and DNA binding)"), SLEDAI2K_MAX
    )

    class Meta(CrfModel.Meta):
        verbose_name = _("SLEDAI-2K")
        verbose_name_plural = _("SLEDAI-2K")

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} SLEDAI-2K {self.total}"


# ---------------------------------------------------------------------------------------------
# BILAG-2004
# ---------------------------------------------------------------------------------------------

BILAG_LETTER_CHOICES = [
    ("A", _("A - severe activity")),
    ("B", _("B - moderate activity")),
    ("C", _("C - mild stable disease")),
    ("D", _("D - inactive, previously affected")),
    ("E", _("E - never affected")),
]


def _bilag_letter(label: str) -> models.CharField:
    return models.CharField(label, max_length=1, choices=BILAG_LETTER_CHOICES)


class Bilag2004(CrfModel):
    """BILAG-2004: the activity letter of each of the 9 systems (`BILAG2004_SYSTEMS`)."""

    assessed_on = models.DateField(_("date assessed"))
    constitutional = _bilag_letter(_("Constitutional"))
    mucocutaneous = _bilag_letter(_("Mucocutaneous"))
    neuropsychiatric = _bilag_letter(_("Neuropsychiatric"))
    musculoskeletal = _bilag_letter(_("Musculoskeletal"))
    cardiorespiratory = _bilag_letter(_("Cardiorespiratory"))
    gastrointestinal = _bilag_letter(_("Gastrointestinal"))
    ophthalmic = _bilag_letter(_("Ophthalmic"))
    renal = _bilag_letter(_("Renal"))
    hematological = _bilag_letter(_("Haematological"))
    numeric_total = _score(_("BILAG-2004 numeric total (A=12, B=8, C=1)"), 108)
    a_count = _score(_("systems graded A"), 9)
    b_count = _score(_("systems graded B"), 9)

    class Meta(CrfModel.Meta):
        verbose_name = _("BILAG-2004")
        verbose_name_plural = _("BILAG-2004")

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} BILAG-2004 {self.a_count}A {self.b_count}B"


# ---------------------------------------------------------------------------------------------
# Lupus serology
# ---------------------------------------------------------------------------------------------

ANA_TITRE_CHOICES = [
    (0, _("Negative")),
    *((titre, f"1:{titre}") for titre in (40, 80, 160, 320, 640, 1280, 2560)),
]


class LupusSerology(CrfModel):
    tested_on = models.DateField(_("date of sampling"))
    ana_titre_reciprocal = models.PositiveIntegerField(
        _("ANA titre (1:x)"), choices=ANA_TITRE_CHOICES
    )
    anti_dsdna = models.CharField(_("anti-dsDNA"), max_length=10, choices=RESULT_CHOICES)
    anti_dsdna_iu_ml = models.DecimalField(
        _("anti-dsDNA (IU/mL)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=_range(0, 10000),
    )
    anti_sm = models.CharField(_("anti-Sm"), max_length=10, choices=RESULT_CHOICES)
    c3_g_l = models.DecimalField(
        _("C3 (g/L)"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_range(0, 5),
    )
    c4_g_l = models.DecimalField(
        _("C4 (g/L)"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_range(0, 2),
    )

    class Meta(CrfModel.Meta):
        verbose_name = _("lupus serology")
        verbose_name_plural = _("lupus serology")

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} lupus serology"


# ---------------------------------------------------------------------------------------------
# Modified Rodnan skin score
# ---------------------------------------------------------------------------------------------

MRSS_SCORE_CHOICES = [
    (0, _("0 - normal")),
    (1, _("1 - mild thickening")),
    (2, _("2 - moderate thickening")),
    (3, _("3 - severe thickening")),
]


def _mrss_site(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, choices=MRSS_SCORE_CHOICES)


class Mrss(CrfModel):
    """Modified Rodnan skin score: 17 sites (`MRSS_SITES`) each 0-3, total 0-51."""

    assessed_on = models.DateField(_("date assessed"))
    face = _mrss_site(_("Face"))
    anterior_chest = _mrss_site(_("Anterior chest"))
    abdomen = _mrss_site(_("Abdomen"))
    right_fingers = _mrss_site(_("Right fingers"))
    left_fingers = _mrss_site(_("Left fingers"))
    right_hand = _mrss_site(_("Right hand"))
    left_hand = _mrss_site(_("Left hand"))
    right_forearm = _mrss_site(_("Right forearm"))
    left_forearm = _mrss_site(_("Left forearm"))
    right_upper_arm = _mrss_site(_("Right upper arm"))
    left_upper_arm = _mrss_site(_("Left upper arm"))
    right_thigh = _mrss_site(_("Right thigh"))
    left_thigh = _mrss_site(_("Left thigh"))
    right_lower_leg = _mrss_site(_("Right lower leg"))
    left_lower_leg = _mrss_site(_("Left lower leg"))
    right_foot = _mrss_site(_("Right foot"))
    left_foot = _mrss_site(_("Left foot"))
    total = _score(_("mRSS total"), 51)

    class Meta(CrfModel.Meta):
        verbose_name = _("modified Rodnan skin score")
        verbose_name_plural = _("modified Rodnan skin scores")

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} mRSS {self.total}"


# ---------------------------------------------------------------------------------------------
# ESSDAI
# ---------------------------------------------------------------------------------------------

ESSDAI_LEVEL_LABELS = {
    0: _("0 - no activity"),
    1: _("1 - low activity"),
    2: _("2 - moderate activity"),
    3: _("3 - high activity"),
}
_ESSDAI_LEVELS = {domain.name: domain.levels for domain in ESSDAI_DOMAINS}


def _essdai_domain(name: str, label: str) -> models.PositiveSmallIntegerField:
    """A domain's activity level; the choices are the levels the calculator allows there."""
    choices = [(level, ESSDAI_LEVEL_LABELS[level]) for level in _ESSDAI_LEVELS[name]]
    return models.PositiveSmallIntegerField(label, choices=choices)


class Essdai(CrfModel):
    """ESSDAI (Seror 2010): the activity level of each of the 12 domains (`ESSDAI_DOMAINS`)."""

    assessed_on = models.DateField(_("date assessed"))
    constitutional = _essdai_domain("constitutional", _("Constitutional"))
    lymphadenopathy = _essdai_domain("lymphadenopathy", _("Lymphadenopathy"))
    glandular = _essdai_domain("glandular", _("Glandular"))
    articular = _essdai_domain("articular", _("Articular"))
    cutaneous = _essdai_domain("cutaneous", _("Cutaneous"))
    pulmonary = _essdai_domain("pulmonary", _("Pulmonary"))
    renal = _essdai_domain("renal", _("Renal"))
    muscular = _essdai_domain("muscular", _("Muscular"))
    peripheral_nervous_system = _essdai_domain(
        "peripheral_nervous_system", _("Peripheral nervous system")
    )
    central_nervous_system = _essdai_domain("central_nervous_system", _("Central nervous system"))
    hematological = _essdai_domain("hematological", _("Haematological"))
    biological = _essdai_domain("biological", _("Biological"))
    total = _score(_("ESSDAI total"), ESSDAI_MAX)

    class Meta(CrfModel.Meta):
        verbose_name = _("ESSDAI")
        verbose_name_plural = _("ESSDAI")

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} ESSDAI {self.total}"


# ---------------------------------------------------------------------------------------------
# Rheumatoid arthritis: joint counts, DAS28 and CDAI
# ---------------------------------------------------------------------------------------------

ACR_FUNCTIONAL_CLASS_CHOICES = [
    (1, _("Class I - complete ability to carry out usual activities")),
    (2, _("Class II - able to carry out usual self-care and vocational activities")),
    (3, _("Class III - able to carry out usual self-care activities only")),
    (4, _("Class IV - limited in usual self-care activities")),
]


def _global_0_10(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=3, decimal_places=1, validators=_range(0, 10))


class JointCounts(CrfModel):
    """Joint counts and RA activity; DAS28 (4 variables) and CDAI are derived (§7.3)."""

    assessed_on = models.DateField(_("date assessed"))
    tjc68 = models.PositiveSmallIntegerField(
        _("tender joint count (68 joints)"), validators=_range(0, 68)
    )
    sjc66 = models.PositiveSmallIntegerField(
        _("swollen joint count (66 joints)"), validators=_range(0, 66)
    )
    tjc28 = models.PositiveSmallIntegerField(
        _("tender joint count (28 joints)"), validators=_range(0, 28)
    )
    sjc28 = models.PositiveSmallIntegerField(
        _("swollen joint count (28 joints)"), validators=_range(0, 28)
    )
    patient_global_0_100 = models.PositiveSmallIntegerField(
        _("patient global health (0-100 mm VAS)"), validators=_range(0, 100)
    )
    patient_global_0_10 = _global_0_10(_("patient global assessment of activity (0-10)"))
    evaluator_global_0_10 = _global_0_10(_("evaluator global assessment of activity (0-10)"))
    esr_mm_h = models.PositiveSmallIntegerField(
        _("ESR (mm/h)"), null=True, blank=True, validators=_range(1, 200)
    )
    crp_mg_l = models.DecimalField(
        _("CRP (mg/L)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=_range(0, 600),
    )
    acr_functional_class = models.PositiveSmallIntegerField(
        _("ACR functional class"), null=True, blank=True, choices=ACR_FUNCTIONAL_CLASS_CHOICES
    )
    das28_esr = models.DecimalField(
        _("DAS28-ESR"), max_digits=4, decimal_places=2, null=True, blank=True, editable=False
    )
    das28_crp = models.DecimalField(
        _("DAS28-CRP"), max_digits=4, decimal_places=2, null=True, blank=True, editable=False
    )
    cdai = models.DecimalField(
        _("CDAI"), max_digits=3, decimal_places=1, null=True, blank=True, editable=False
    )

    class Meta(CrfModel.Meta):
        verbose_name = _("joint counts and RA activity")
        verbose_name_plural = _("joint counts and RA activity")

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} TJC68 {self.tjc68} SJC66 {self.sjc66}"

    def clean(self) -> None:
        """The 28 joints are a subset of the 68/66: their counts cannot be higher."""
        errors = {}
        if self.tjc28 is not None and self.tjc68 is not None and self.tjc28 > self.tjc68:
            errors["tjc28"] = _(
                "The 28-joint tender count cannot exceed the 68-joint tender count (%(n)s)."
            ) % {"n": self.tjc68}
        if self.sjc28 is not None and self.sjc66 is not None and self.sjc28 > self.sjc66:
            errors["sjc28"] = _(
                "The 28-joint swollen count cannot exceed the 66-joint swollen count (%(n)s)."
            ) % {"n": self.sjc66}
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------
# BVAS v3
# ---------------------------------------------------------------------------------------------


class Bvas(CrfModel):
    """BVAS v3, item by item: each of the 56 items ticked as persistent or new/worse (items and
    points in `screening/data/bvas_v3_items.csv`); the totals are scored by
    `screening.domain.bvas`, never typed."""

    assessed_on = models.DateField(_("date assessed"))
    items = models.JSONField(_("items (code: persistent or new/worse)"), default=dict, blank=True)
    # The serum creatinine bands are one finding (a value lies in one band), so one choice.
    creatinine_band = models.CharField(
        _("renal: serum creatinine"),
        max_length=20,
        blank=True,
        choices=[
            ("creatinine_125_249", _("125-249 µmol/L")),
            ("creatinine_250_499", _("250-499 µmol/L")),
            ("creatinine_500", _("≥ 500 µmol/L")),
        ],
    )
    creatinine_band_status = models.CharField(
        _("renal: serum creatinine is"),
        max_length=10,
        blank=True,
        choices=[
            (bvas.PERSISTENT, _("persistent")),
            (bvas.NEW_WORSE, _("new or worse")),
        ],
    )
    system_scores = models.JSONField(_("score per system"), default=dict, editable=False)
    total_new_worse = _score(_("BVAS v3 new/worse total"), bvas.MAX_NEW_WORSE)
    total_persistent = _score(_("BVAS v3 persistent total"), bvas.MAX_PERSISTENT)

    class Meta(CrfModel.Meta):
        verbose_name = _("BVAS v3")
        verbose_name_plural = _("BVAS v3")

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} BVAS {self.total_new_worse}"


# ---------------------------------------------------------------------------------------------
# ANCA serology
# ---------------------------------------------------------------------------------------------


class AncaSerology(CrfModel):
    tested_on = models.DateField(_("date of sampling"))
    mpo_anca = models.CharField(_("MPO-ANCA"), max_length=10, choices=RESULT_CHOICES)
    mpo_anca_iu_ml = models.DecimalField(
        _("MPO-ANCA level (IU/mL)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=_range(0, 10000),
    )
    pr3_anca = models.CharField(_("PR3-ANCA"), max_length=10, choices=RESULT_CHOICES)
    pr3_anca_iu_ml = models.DecimalField(
        _("PR3-ANCA level (IU/mL)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=_range(0, 10000),
    )

    class Meta(CrfModel.Meta):
        verbose_name = _("ANCA serology")
        verbose_name_plural = _("ANCA serology")

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} ANCA serology"
