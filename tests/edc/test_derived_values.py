"""What the services derived is shown on the form page after saving, in the user's language;
numbers come back as typed; a refused form opens with a summary that links to its fields."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from dosing.models import Infusion, LymphodepletionCourse
from edc.crfs import crf_spec
from edc.derived import derived_summary, derived_values, display
from edc.roles import Role
from edc.services.crfs import crf_create
from screening.demo import lab
from screening.models import LabPanel
from tests.adverse_events.journeys import DAY0, infused_subject
from tests.edc.factories import SubjectFactory, UserFactory
from tests.screening.factories import joint_counts_data, sledai2k_data

pytestmark = pytest.mark.django_db

VITALS = {"measured_on": "2026-04-21", "height_cm": "175", "weight_kg": "70"}


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(study_site=site_a, stratum=stratum)


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def investigator(client, site_a, member):
    client.force_login(member(Role.INVESTIGATOR, study_site=site_a))
    return client


def _url(subject, crf, visit="SCR"):
    return reverse("edc:crf", args=[subject.study.registry_id, subject.pk, visit, crf])


def _enter(subject, actor, code, data, visit="SCR", children=None):
    return crf_create(
        spec=crf_spec(code),
        subject=subject,
        visit_code=visit,
        data=data,
        actor=actor,
        children=children,
    )


def _panel(subject, actor, visit="SCR", on=dt.date(2026, 4, 21), **results):
    data = {"collected_on": on, "laboratory": "Central"}
    return _enter(subject, actor, "lab_panel", data, visit=visit, children=results)


def _derived(page) -> dict[str, tuple[str, str]]:
    return {item.label: (item.value, item.detail) for item in page.context["derived"]}


def test_the_bsa_is_shown_after_saving_vital_signs(investigator, subject):
    investigator.post(_url(subject, "vital_signs"), VITALS)
    page = investigator.get(_url(subject, "vital_signs"))
    assert _derived(page)["Body surface area (m², Mosteller)"][0] == "1.84"
    assert 'data-testid="derived-values"' in page.content.decode()


def test_a_form_not_saved_yet_shows_nothing_derived(investigator, subject):
    page = investigator.get(_url(subject, "vital_signs"))
    assert page.context["derived"] == []
    assert 'data-testid="derived-values"' not in page.content.decode()


def test_the_sledai_totals_are_shown_after_saving(subject, actor):
    row = _enter(subject, actor, "sledai2k", sledai2k_data("seizure", "fever"))
    derived = {item.label: item.value for item in derived_values(crf_spec("sledai2k"), row)}
    assert derived["SLEDAI-2K total"] == "9"
    assert derived["Clinical SLEDAI-2K (without low complement and DNA binding)"] == "9"


def test_das28_and_cdai_are_shown_with_their_activity_band(subject, actor):
    row = _enter(
        subject,
        actor,
        "joint_counts",
        joint_counts_data(tjc28=0, sjc28=0, patient_global_0_100=0, esr_mm_h=5),
    )
    derived = {item.label: item.value for item in derived_values(crf_spec("joint_counts"), row)}
    assert derived["DAS28-ESR activity"] == "remission"
    assert derived["CDAI activity"] == "remission"


def test_a_lab_result_is_shown_in_si_with_its_flag_and_multiple_of_the_uln(subject, actor):
    panel = _panel(subject, actor, alt=lab("120", "U/L", "7", "40"))
    derived = {i.label: (i.value, i.detail) for i in derived_values(crf_spec("lab_panel"), panel)}
    assert derived["ALT (SI)"] == ("120 U/L", "High · 3 × ULN")


def test_a_unit_other_than_si_is_shown_converted(subject, actor):
    panel = _panel(subject, actor, neutrophils={"value": Decimal("1500"), "unit": "/uL"})
    derived = {i.label: (i.value, i.detail) for i in derived_values(crf_spec("lab_panel"), panel)}
    assert derived["Neutrophils (ANC) (SI)"] == ("1.5 10^9/L", "no reference range")


def test_the_derived_values_are_in_the_users_language(subject, actor):
    panel = _panel(subject, actor, alt=lab("120", "U/L", "7", "40"))
    with translation.override("zh-hans"):
        labels = [item.detail for item in derived_values(crf_spec("lab_panel"), panel)]
    assert labels == ["偏高 · 3 × 正常值上限"]


def test_the_ctcae_grade_of_a_result_after_day0_is_shown_on_its_panel(actor):
    subject = infused_subject(actor)
    panel = _panel(
        subject,
        actor,
        visit="D7",
        on=DAY0 + dt.timedelta(days=7),
        neutrophils=lab("0.3", "10^9/L", "1.8", "6.3"),
    )
    derived = {i.label: i.value for i in derived_values(crf_spec("lab_panel"), panel)}
    assert derived["CTCAE 5.0: Neutrophil count decreased"] == "grade 4"


def test_the_casebook_summary_names_only_results_out_of_range(subject, actor):
    panel = _panel(
        subject, actor, alt=lab("120", "U/L", "7", "40"), ast=lab("20", "U/L", "7", "40")
    )
    assert derived_summary(crf_spec("lab_panel"), panel) == "ALT (SI): 120 U/L (High · 3 × ULN)"


def test_saved_lab_values_are_offered_again_without_trailing_zeros(subject, actor):
    panel = _panel(subject, actor, alt=lab("3.1", "U/L", "7", "40"))
    html = str(crf_spec("lab_panel").form(instance=panel)["alt__value"])
    assert 'value="3.1"' in html
    assert "3.1000" not in html


def test_a_refused_form_opens_with_a_summary_linking_to_the_field(investigator, subject):
    page = investigator.post(_url(subject, "vital_signs"), {**VITALS, "height_cm": "17.5"})
    html = page.content.decode()
    assert "data-error-summary" in html
    assert 'href="#id_height_cm"' in html


def test_the_error_summary_is_in_chinese_for_a_chinese_user(investigator, subject):
    investigator.post(reverse("edc:language-set"), {"language": "zh-hans", "next": "/"})
    page = investigator.post(_url(subject, "vital_signs"), {**VITALS, "height_cm": "17.5"})
    assert "表单未保存" in page.content.decode()


def test_a_diastolic_pressure_above_the_systolic_is_refused_on_its_field(investigator, subject):
    page = investigator.post(
        _url(subject, "vital_signs"),
        {**VITALS, "systolic_bp_mmhg": "60", "diastolic_bp_mmhg": "120"},
    )
    assert "diastolic_bp_mmhg" in page.context["form"].errors
    assert not subject.screening_vitalsigns_set.exists()


def test_a_plausible_blood_pressure_is_saved(investigator, subject):
    investigator.post(
        _url(subject, "vital_signs"),
        {**VITALS, "systolic_bp_mmhg": "120", "diastolic_bp_mmhg": "80"},
    )
    assert subject.screening_vitalsigns_set.get().diastolic_bp_mmhg == 80


def test_a_decimal_is_shown_as_typed():
    assert (display(Decimal("3.1000")), display(Decimal("100.0000"))) == ("3.1", "100")


def test_the_casebook_cell_of_a_saved_form_carries_its_summary(investigator, subject):
    investigator.post(_url(subject, "vital_signs"), VITALS)
    page = investigator.get(
        reverse("edc:subject-detail", args=[subject.study.registry_id, subject.pk])
    )
    [cell] = [c for row in page.context["grid"] for c in row.cells if c.summary]
    assert cell.summary == "Body surface area (m², Mosteller): 1.84"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_saved_date_is_offered_again_in_every_language(subject, actor, language):
    panel = _panel(subject, actor, alt=lab("22", "U/L", "7", "40"))
    with translation.override(language):
        html = str(crf_spec("lab_panel").form(instance=panel)["collected_on"])
    assert 'value="2026-04-21"' in html


def test_the_lab_panels_hint_is_in_chinese_for_a_chinese_user(subject):
    with translation.override("zh-hans"):
        form = crf_spec("lab_panel").form(instance=LabPanel(subject=subject, visit_code="SCR"))
    assert "Leave empty" not in str(form.helper.layout.fields[1].html)


def test_a_result_within_its_range_is_shown_without_a_multiple_of_the_uln(subject, actor):
    panel = _panel(subject, actor, alt=lab("20", "U/L", "7", "40"))
    [alt] = derived_values(crf_spec("lab_panel"), panel)
    assert alt.detail == "Normal"


def test_a_cell_count_is_shown_as_a_power_of_ten():
    assert display(Decimal("300000000")) == "3 × 10⁸"
    assert display(Decimal("125000000")) == "1.25 × 10⁸"


def test_the_planned_lymphodepletion_doses_are_shown_after_saving(actor):
    subject = infused_subject(actor)
    course = LymphodepletionCourse.objects.get(subject=subject)
    derived = {i.label: i.value for i in derived_values(crf_spec("lymphodepletion"), course)}
    planned = {f"{d.drug}, day {d.study_day}: planned": d.planned_mg for d in course.doses.all()}
    assert {label: derived[label] for label in planned} == {
        label: f"{display(mg)} mg" for label, mg in planned.items()
    }
    assert derived["Body surface area (m², Mosteller)"] == display(course.bsa_m2)


def test_the_infused_cells_are_shown_as_powers_of_ten(actor):
    infusion = Infusion.objects.get(subject=infused_subject(actor))
    derived = {i.label: i.value for i in derived_values(crf_spec("infusion"), infusion)}
    assert "× 10" in derived["CAR+ cells"]
