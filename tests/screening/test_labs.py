"""Lab panel: values kept as entered, normalised to SI, flagged against the site lab's range."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from edc.audit import ReasonRequired
from edc.crfs import crf_spec
from edc.services.crfs import crf_create, crf_update
from screening.forms.labs import LabPanelForm
from screening.models import LabPanel, LabReferenceRange, LabResult
from tests.edc.factories import SubjectFactory, UserFactory

pytestmark = pytest.mark.django_db

SPEC = "lab_panel"


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(study_site=site_a, stratum=stratum)


@pytest.fixture
def actor():
    return UserFactory()


def _entry(value, unit, lln=None, uln=None):
    return {"value": Decimal(value), "unit": unit, "lln": lln, "uln": uln}


def _panel(subject, actor, results):
    return crf_create(
        spec=crf_spec(SPEC),
        subject=subject,
        visit_code="SCR",
        data={"collected_on": dt.date(2026, 4, 21), "laboratory": "Central"},
        actor=actor,
        children=results,
    )


def test_result_is_kept_as_entered_and_normalised_to_si(subject, actor):
    _panel(subject, actor, {"neutrophils": _entry("1500", "/uL")})
    result = LabResult.objects.get(analyte="neutrophils")
    assert (result.value, result.unit, result.value_si, result.si_unit) == (
        Decimal("1500"),
        "/uL",
        Decimal("1.5"),
        "10^9/L",
    )


def test_reference_range_is_normalised_with_the_value(subject, actor):
    _panel(subject, actor, {"creatinine": _entry("1.0", "mg/dL", Decimal("0.5"), Decimal("1.1"))})
    result = LabResult.objects.get()
    assert (result.value_si, result.uln_si) == (Decimal("88.4"), Decimal("97.24"))


@pytest.mark.parametrize(
    ("value", "flag"), [("29", "low"), ("30", "normal"), ("40", "normal"), ("41", "high")]
)
def test_result_is_flagged_against_the_site_labs_range(subject, actor, value, flag):
    _panel(subject, actor, {"alt": _entry(value, "U/L", Decimal("30"), Decimal("40"))})
    assert LabResult.objects.get().flag == flag


def test_result_without_a_range_has_no_flag(subject, actor):
    _panel(subject, actor, {"alt": _entry("50", "U/L")})
    assert LabResult.objects.get().flag == ""


def _form(subject, instance=None, **values):
    data = {"collected_on": "2026-04-21", "laboratory": "Central", **values}
    return LabPanelForm(data, instance=instance or LabPanel(subject=subject, visit_code="SCR"))


def test_impossible_value_is_refused_at_its_field(subject):
    form = _form(subject, hemoglobin__value="950", hemoglobin__unit="g/L")
    assert not form.is_valid()
    assert "not a possible value" in form.errors["hemoglobin__value"][0]


def test_unit_mix_up_is_caught_as_impossible(subject):
    form = _form(subject, hemoglobin__value="95", hemoglobin__unit="g/dL")
    assert "hemoglobin__value" in form.errors


def test_lln_above_uln_is_refused(subject):
    form = _form(subject, alt__value="20", alt__unit="U/L", alt__lln="40", alt__uln="10")
    assert form.errors["alt__lln"] == ["The LLN must be below the ULN."]


def test_site_reference_range_is_offered_for_a_new_panel(subject):
    LabReferenceRange.objects.create(
        study_site=subject.study_site, analyte="alt", unit="U/L", lln=7, uln=40
    )
    form = LabPanelForm(instance=LabPanel(subject=subject, visit_code="SCR"))
    assert (form.initial["alt__lln"], form.initial["alt__uln"]) == (7, 40)


def test_correcting_one_result_records_the_reason_on_that_result(subject, actor):
    panel = _panel(subject, actor, {"alt": _entry("50", "U/L"), "ast": _entry("30", "U/L")})
    crf_update(
        panel,
        spec=crf_spec(SPEC),
        data={"collected_on": panel.collected_on, "laboratory": "Central"},
        reason="Lab report re-read",
        expected_version=panel.row_version,
        actor=actor,
        children={"alt": _entry("60", "U/L"), "ast": _entry("30", "U/L")},
    )
    alt, ast = LabResult.objects.get(analyte="alt"), LabResult.objects.get(analyte="ast")
    assert alt.history.latest().history_change_reason == "Lab report re-read"
    assert (alt.value, ast.history.count()) == (Decimal("60"), 1)


def test_emptied_result_is_deleted_with_the_reason_kept(subject, actor):
    panel = _panel(subject, actor, {"alt": _entry("50", "U/L")})
    crf_update(
        panel,
        spec=crf_spec(SPEC),
        data={"collected_on": panel.collected_on, "laboratory": "Central"},
        reason="Entered on the wrong subject",
        expected_version=1,
        actor=actor,
        children={},
    )
    assert not LabResult.objects.exists()
    deleted = LabResult.history.get(history_type="-")
    assert (deleted.history_user, deleted.history_change_reason) == (
        actor,
        "Entered on the wrong subject",
    )


def test_panel_correction_without_reason_is_refused(subject, actor):
    panel = _panel(subject, actor, {"alt": _entry("50", "U/L")})
    with pytest.raises(ReasonRequired):
        crf_update(
            panel,
            spec=crf_spec(SPEC),
            data={"laboratory": "Other"},
            reason="",
            expected_version=1,
            actor=actor,
            children={"alt": _entry("99", "U/L")},
        )
    assert LabResult.objects.get().value == Decimal("50")


def test_negative_reference_limit_is_refused_at_its_field(subject):
    form = _form(subject, alt__value="20", alt__unit="U/L", alt__lln="-1", alt__uln="40")
    assert "alt__lln" in form.errors


def test_a_site_range_whose_lln_is_not_below_its_uln_is_refused(subject):
    reference = LabReferenceRange(
        study_site=subject.study_site, analyte="alt", unit="U/L", lln=40, uln=40
    )
    with pytest.raises(ValidationError) as refused:
        reference.full_clean()
    assert "lln" in refused.value.message_dict


def test_an_lln_equal_to_the_uln_is_refused(subject):
    form = _form(subject, alt__value="20", alt__unit="U/L", alt__lln="40", alt__uln="40")
    assert form.errors["alt__lln"] == ["The LLN must be below the ULN."]
