"""Disease-activity CRFs: items are entered, totals derived on save and on every correction."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from edc.audit import ReasonRequired
from edc.crfs import crf_spec
from edc.domain.calculators import BILAG2004_SYSTEMS, ESSDAI_DOMAINS, MRSS_SITES, SLEDAI2K_WEIGHTS
from edc.services.crfs import crf_create, crf_update
from screening import derive_instruments
from screening.domain.bvas import CREATININE_BANDS
from screening.models import (
    AncaSerology,
    Bilag2004,
    Bvas,
    Essdai,
    JointCounts,
    LupusSerology,
    Mrss,
    Sledai2k,
)
from tests.edc.factories import SubjectFactory, UserFactory
from tests.screening.factories import (
    anca_serology_data,
    bilag2004_data,
    bvas_data,
    essdai_data,
    form_data,
    joint_counts_data,
    lupus_serology_data,
    mrss_data,
    sledai2k_data,
)

pytestmark = pytest.mark.django_db

CODES = (
    "sledai2k",
    "bilag2004",
    "lupus_serology",
    "mrss",
    "essdai",
    "joint_counts",
    "bvas",
    "anca_serology",
)


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(study_site=site_a, stratum=stratum)


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def enter(subject, actor):
    """`enter(code, data)`: the form entered at screening through the CRF service."""

    def create(code, data):
        return crf_create(
            spec=crf_spec(code), subject=subject, visit_code="SCR", data=data, actor=actor
        )

    return create


@pytest.fixture
def correct(actor):
    """`correct(code, instance, changes, reason=...)`: a correction through the CRF service."""

    def update(code, instance, changes, reason="Transcription error"):
        return crf_update(
            instance,
            spec=crf_spec(code),
            data=changes,
            reason=reason,
            expected_version=instance.row_version,
            actor=actor,
        )

    return update


@pytest.fixture
def bound_form(subject):
    """`bound_form(code, data)`: the CRF's ModelForm bound to posted data, as the page builds it."""

    def build(code, data):
        spec = crf_spec(code)
        return spec.form(form_data(data), instance=spec.model(subject=subject, visit_code="SCR"))

    return build


# --- Registry -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_registry_offers_form_of_its_model_when_code_is_a_disease_instrument(code):
    spec = crf_spec(code)
    assert spec is not None
    assert spec.form._meta.model is spec.model


# --- SLEDAI-2K ------------------------------------------------------------------------------


def test_sledai_fields_are_the_calculator_descriptors_when_model_is_defined():
    booleans = [f.name for f in Sledai2k._meta.fields if f.get_internal_type() == "BooleanField"]
    assert booleans == list(SLEDAI2K_WEIGHTS)


def test_sledai_totals_are_derived_when_created(enter):
    data = sledai2k_data("seizure", "arthritis", "low_complement", "increased_dna_binding", "fever")
    form = enter("sledai2k", data)
    assert (form.total, form.clinical_total) == (17, 13)


def test_sledai_typed_total_is_replaced_when_created(enter):
    form = enter("sledai2k", {**sledai2k_data("fever"), "total": 99, "clinical_total": 99})
    assert (form.total, form.clinical_total) == (1, 1)


def test_sledai_totals_are_recomputed_when_corrected(enter, correct):
    form = enter("sledai2k", sledai2k_data("seizure", "low_complement"))
    corrected = correct("sledai2k", form, {"seizure": False, "rash": True})
    assert (corrected.total, corrected.clinical_total) == (4, 2)


def test_correction_is_refused_when_reason_is_blank(enter, correct):
    form = enter("sledai2k", sledai2k_data("seizure"))
    with pytest.raises(ReasonRequired):
        correct("sledai2k", form, {"seizure": False}, reason="  ")
    assert Sledai2k.objects.get().total == 8


def test_sledai_form_shows_descriptor_weight_when_rendered(bound_form):
    form = bound_form("sledai2k", sledai2k_data())
    assert form.fields["seizure"].label == "Seizure (8)"


# --- BILAG-2004 -----------------------------------------------------------------------------


def test_bilag_fields_are_the_calculator_systems_when_model_is_defined():
    letters = [f.name for f in Bilag2004._meta.fields if f.get_internal_type() == "CharField"]
    assert letters == ["visit_code", "status", *BILAG2004_SYSTEMS]


def test_bilag_total_and_counts_are_derived_when_created(enter):
    data = bilag2004_data(renal="A", musculoskeletal="B", mucocutaneous="B", constitutional="C")
    form = enter("bilag2004", data)
    assert (form.numeric_total, form.a_count, form.b_count) == (29, 1, 2)


def test_bilag_total_and_counts_are_recomputed_when_corrected(enter, correct):
    form = enter("bilag2004", bilag2004_data(renal="A", musculoskeletal="B"))
    corrected = correct("bilag2004", form, {"renal": "C"})
    assert (corrected.numeric_total, corrected.a_count, corrected.b_count) == (9, 0, 1)


def test_bilag_form_refuses_letter_on_its_field_when_not_a_to_e(bound_form):
    form = bound_form("bilag2004", bilag2004_data(renal="F"))
    assert not form.is_valid()
    assert list(form.errors) == ["renal"]
    assert not Bilag2004.objects.exists()


def test_bilag_derive_names_the_missing_system_when_a_letter_is_empty(subject):
    form = Bilag2004(subject=subject, visit_code="SCR", **bilag2004_data(renal=""))
    with pytest.raises(ValidationError) as refused:
        derive_instruments.bilag2004(form)
    assert list(refused.value.error_dict) == ["renal"]


# --- Lupus serology -------------------------------------------------------------------------


def test_ana_titre_is_stored_as_reciprocal_when_created(enter):
    form = enter("lupus_serology", lupus_serology_data(ana_titre_reciprocal=160))
    assert LupusSerology.objects.get(pk=form.pk).ana_titre_reciprocal == 160


def test_ana_titre_is_refused_on_its_field_when_not_a_dilution_step(bound_form):
    form = bound_form("lupus_serology", lupus_serology_data(ana_titre_reciprocal=100))
    assert not form.is_valid()
    assert list(form.errors) == ["ana_titre_reciprocal"]
    assert not LupusSerology.objects.exists()


def test_complement_is_refused_on_its_field_when_out_of_range(bound_form):
    form = bound_form("lupus_serology", lupus_serology_data(c3_g_l=Decimal("12.0")))
    assert not form.is_valid()
    assert list(form.errors) == ["c3_g_l"]
    assert not LupusSerology.objects.exists()


# --- mRSS -----------------------------------------------------------------------------------


def test_mrss_fields_are_the_calculator_sites_when_model_is_defined():
    sites = [f.name for f in Mrss._meta.fields if f.choices and f.name != "status"]
    assert sites == list(MRSS_SITES)


def test_mrss_total_is_derived_when_created(enter):
    data = mrss_data(face=1, right_hand=2, left_hand=2, right_fingers=3, left_fingers=3)
    assert enter("mrss", data).total == 11


def test_mrss_total_is_recomputed_when_corrected(enter, correct):
    form = enter("mrss", mrss_data(face=1, abdomen=2))
    assert correct("mrss", form, {"face": 0}).total == 2


def test_mrss_form_refuses_site_score_on_its_field_when_above_3(bound_form):
    form = bound_form("mrss", mrss_data(left_foot=4))
    assert not form.is_valid()
    assert list(form.errors) == ["left_foot"]
    assert not Mrss.objects.exists()


def test_mrss_derive_puts_calculator_refusal_on_the_site_when_score_is_impossible(subject):
    form = Mrss(subject=subject, visit_code="SCR", **mrss_data(face=4))
    with pytest.raises(ValidationError) as refused:
        derive_instruments.mrss(form)
    assert list(refused.value.error_dict) == ["face"]


# --- ESSDAI ---------------------------------------------------------------------------------


def test_essdai_choices_are_the_domain_levels_when_model_is_defined():
    for domain in ESSDAI_DOMAINS:
        field = Essdai._meta.get_field(domain.name)
        assert tuple(value for value, _label in field.choices) == domain.levels


def test_essdai_total_is_weighted_when_created(enter):
    form = enter("essdai", essdai_data(articular=2, pulmonary=1, biological=2))
    assert form.total == 11


def test_essdai_total_is_recomputed_when_corrected(enter, correct):
    form = enter("essdai", essdai_data(articular=2, pulmonary=1))
    assert correct("essdai", form, {"pulmonary": 0}).total == 4


def test_essdai_form_refuses_level_on_its_field_when_domain_lacks_it(bound_form):
    form = bound_form("essdai", essdai_data(central_nervous_system=1))
    assert not form.is_valid()
    assert list(form.errors) == ["central_nervous_system"]
    assert not Essdai.objects.exists()


def test_essdai_derive_puts_calculator_refusal_on_the_domain_when_level_is_not_allowed(subject):
    form = Essdai(subject=subject, visit_code="SCR", **essdai_data(central_nervous_system=1))
    with pytest.raises(ValidationError) as refused:
        derive_instruments.essdai(form)
    assert list(refused.value.error_dict) == ["central_nervous_system"]


# --- Joint counts (RA) ----------------------------------------------------------------------

RA_ACTIVE = {
    "tjc68": 10,
    "sjc66": 8,
    "tjc28": 6,
    "sjc28": 4,
    "patient_global_0_100": 60,
    "patient_global_0_10": Decimal("6.0"),
    "evaluator_global_0_10": Decimal("5.5"),
}


def test_das28_and_cdai_are_derived_when_esr_and_crp_are_given(enter):
    form = enter("joint_counts", joint_counts_data(**RA_ACTIVE, esr_mm_h=30, crp_mg_l=12))
    assert (form.das28_esr, form.das28_crp, form.cdai) == (
        Decimal("5.15"),
        Decimal("4.66"),
        Decimal("21.5"),
    )


def test_das28_esr_is_empty_when_esr_is_not_given(enter):
    form = enter("joint_counts", joint_counts_data(**RA_ACTIVE, crp_mg_l=12))
    assert form.das28_esr is None


def test_das28_crp_is_empty_when_crp_is_not_given(enter):
    form = enter("joint_counts", joint_counts_data(**RA_ACTIVE, esr_mm_h=30))
    assert form.das28_crp is None


def test_das28_esr_is_recomputed_when_esr_is_corrected(enter, correct):
    form = enter("joint_counts", joint_counts_data(**RA_ACTIVE, esr_mm_h=30))
    assert correct("joint_counts", form, {"esr_mm_h": 60}).das28_esr == Decimal("5.64")


def test_das28_esr_is_emptied_when_esr_is_removed_on_correction(enter, correct):
    form = enter("joint_counts", joint_counts_data(**RA_ACTIVE, esr_mm_h=30))
    assert correct("joint_counts", form, {"esr_mm_h": None}).das28_esr is None


def test_cdai_is_recomputed_when_a_global_is_corrected(enter, correct):
    form = enter("joint_counts", joint_counts_data(**RA_ACTIVE))
    changes = {"evaluator_global_0_10": Decimal("2.0")}
    assert correct("joint_counts", form, changes).cdai == Decimal("18.0")


def test_tjc28_gets_a_form_error_when_above_tjc68(bound_form):
    form = bound_form("joint_counts", joint_counts_data(**{**RA_ACTIVE, "tjc68": 5}))
    assert not form.is_valid()
    assert list(form.errors) == ["tjc28"]
    assert not JointCounts.objects.exists()


def test_sjc28_gets_a_form_error_when_above_sjc66(bound_form):
    form = bound_form("joint_counts", joint_counts_data(**{**RA_ACTIVE, "sjc66": 3}))
    assert not form.is_valid()
    assert list(form.errors) == ["sjc28"]
    assert not JointCounts.objects.exists()


def test_service_saves_nothing_when_28_joint_count_exceeds_full_count(enter):
    with pytest.raises(ValidationError) as refused:
        enter("joint_counts", joint_counts_data(**{**RA_ACTIVE, "tjc68": 5}))
    assert "tjc28" in refused.value.error_dict
    assert not JointCounts.objects.exists()


@pytest.mark.parametrize(
    ("field", "typo"),
    [
        ("tjc68", 69),
        ("sjc66", 67),
        ("patient_global_0_100", 101),
        ("patient_global_0_10", Decimal("10.5")),
        ("evaluator_global_0_10", Decimal("55")),
        ("esr_mm_h", 0),
        ("crp_mg_l", Decimal("950")),
        ("acr_functional_class", 5),
    ],
)
def test_joint_counts_form_refuses_value_on_its_field_when_out_of_range(bound_form, field, typo):
    form = bound_form("joint_counts", joint_counts_data(**{**RA_ACTIVE, field: typo}))
    assert not form.is_valid()
    assert field in form.errors
    assert not JointCounts.objects.exists()


def test_global_assessment_is_refused_when_given_to_two_decimals(bound_form):
    data = joint_counts_data(**{**RA_ACTIVE, "patient_global_0_10": Decimal("5.55")})
    form = bound_form("joint_counts", data)
    assert not form.is_valid()
    assert list(form.errors) == ["patient_global_0_10"]


# --- BVAS v3 --------------------------------------------------------------------------------


def test_bvas_totals_are_derived_from_the_ticked_items_when_created(enter):
    data = bvas_data(fever="new_worse", haematuria="new_worse", proteinuria="persistent")
    form = enter("bvas", data)
    assert (form.total_new_worse, form.total_persistent) == (12, 0)
    assert form.system_scores == {"general": ["new_worse", 2], "renal": ["new_worse", 10]}


def test_bvas_totals_are_recomputed_when_an_item_is_corrected(enter, correct):
    form = enter("bvas", bvas_data(fever="new_worse", haematuria="new_worse"))
    corrected = correct("bvas", form, {"items": {"fever": "new_worse"}})
    assert corrected.total_new_worse == 2


def test_bvas_form_collects_the_items_into_one_record(bound_form):
    form = bound_form(
        "bvas", {"assessed_on": "2026-03-05", "bvas__uveitis": "new_worse", "bvas__wheeze": ""}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["items"] == {"uveitis": "new_worse"}


def test_bvas_item_without_a_persistent_score_cannot_be_persistent(bound_form):
    form = bound_form(
        "bvas", {"assessed_on": "2026-03-05", "bvas__sudden_visual_loss": "persistent"}
    )
    assert "bvas__sudden_visual_loss" in form.errors
    assert not Bvas.objects.exists()


def test_bvas_persistent_ent_beside_new_renal_counts_in_the_new_worse_total(enter):
    """BVAS v3 form (Mukhtyar 2009): any new/worse item puts every ticked item in that column."""
    data = bvas_data(haematuria="new_worse", conductive_hearing_loss="persistent")
    form = enter("bvas", data)
    assert (form.total_new_worse, form.total_persistent) == (9, 0)


def test_bvas_form_offers_serum_creatinine_as_one_choice(bound_form):
    form = bound_form(
        "bvas",
        {
            "assessed_on": "2026-03-05",
            "creatinine_band": "creatinine_250_499",
            "creatinine_band_status": "new_worse",
        },
    )
    assert not {f"bvas__{code}" for code in CREATININE_BANDS} & set(form.fields)
    assert form.fields["creatinine_band"].choices[1:] == [
        (code, label) for code, label in Bvas._meta.get_field("creatinine_band").choices
    ]
    assert form.is_valid(), form.errors
    assert form.cleaned_data["items"] == {}
    assert form.cleaned_data["creatinine_band"] == "creatinine_250_499"


def test_bvas_creatinine_band_is_scored_with_the_renal_items(enter):
    data = {
        **bvas_data(haematuria="new_worse"),
        "creatinine_band": "creatinine_250_499",
        "creatinine_band_status": "new_worse",
    }
    assert enter("bvas", data).system_scores["renal"] == ["new_worse", 12]


def test_bvas_creatinine_band_without_its_column_is_refused_on_the_field(enter):
    with pytest.raises(ValidationError) as error:
        enter("bvas", {**bvas_data(), "creatinine_band": "creatinine_500"})
    assert "creatinine_band_status" in error.value.message_dict
    assert not Bvas.objects.exists()


def test_bvas_creatinine_band_beside_a_band_item_is_refused(enter):
    data = {
        **bvas_data(creatinine_125_249="new_worse"),
        "creatinine_band": "creatinine_500",
        "creatinine_band_status": "new_worse",
    }
    with pytest.raises(ValidationError, match="serum creatinine is one band"):
        enter("bvas", data)


# --- ANCA serology --------------------------------------------------------------------------


def test_anca_results_are_stored_when_created(enter):
    form = enter("anca_serology", anca_serology_data(mpo_anca="positive", mpo_anca_iu_ml=85))
    stored = AncaSerology.objects.get(pk=form.pk)
    assert (stored.mpo_anca, stored.mpo_anca_iu_ml, stored.pr3_anca) == (
        "positive",
        Decimal("85.0"),
        "negative",
    )


def test_anca_form_refuses_result_on_its_field_when_not_positive_or_negative(bound_form):
    form = bound_form("anca_serology", anca_serology_data(pr3_anca="equivocal"))
    assert not form.is_valid()
    assert list(form.errors) == ["pr3_anca"]
    assert not AncaSerology.objects.exists()
