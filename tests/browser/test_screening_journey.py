"""An investigator screens a CT1192 subject in the browser until the checklist is green."""

import pytest
from playwright.sync_api import expect

from edc.roles import Role
from screening.demo import enter_prior_therapies
from tests.browser.helpers import fill, log_in
from tests.edc.factories import MembershipFactory, UserFactory
from tests.screening.journeys import JUDGEMENT_ITEMS, ct1192_subject

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "journey-Pass-2026"
FORMS = {
    "medical_history": {"diagnosis_date": "2023-06-15"},
    "vital_signs": {
        "measured_on": "2026-04-21",
        "height_cm": "162",
        "weight_kg": "58",
        "spo2_room_air_pct": "98",
    },
    "pregnancy_test": {"childbearing_potential": False},
    "infection_screen": {
        "tested_on": "2026-04-21",
        **dict.fromkeys(["hbsag", "hbcab", "hcv_ab", "hiv_ab", "syphilis"], "negative"),
        "tb_igra": "negative",
        "chest_imaging": "no_active_lesion",
        "chest_imaging_on": "2026-04-21",
    },
    "echocardiography": {"performed_on": "2026-04-10", "lvef_pct": "62"},
    "transfusion_growth_factor": {},
    "lupus_serology": {
        "tested_on": "2026-04-21",
        "ana_titre_reciprocal": "320",
        "anti_dsdna": "positive",
        "anti_sm": "negative",
    },
    "sledai2k": {"assessed_on": "2026-04-21", "arthritis": True, "proteinuria": True},
    "lab_panel": {
        "collected_on": "2026-04-21",
        **{f"neutrophils__{k}": v for k, v in {"value": "2.5", "lln": "1.8", "uln": "6.3"}.items()},
        **{f"hemoglobin__{k}": v for k, v in {"value": "118", "lln": "115", "uln": "150"}.items()},
        **{f"alt__{k}": v for k, v in {"value": "22", "lln": "7", "uln": "40"}.items()},
        **{f"ast__{k}": v for k, v in {"value": "25", "lln": "13", "uln": "35"}.items()},
        **{f"bilirubin__{k}": v for k, v in {"value": "10", "lln": "0", "uln": "21"}.items()},
        **{f"creatinine__{k}": v for k, v in {"value": "70", "lln": "41", "uln": "81"}.items()},
        **{f"inr__{k}": v for k, v in {"value": "1.0", "lln": "0.8", "uln": "1.2"}.items()},
    },
}


@pytest.fixture
def subject(transactional_db):
    subject = ct1192_subject()
    user = UserFactory(username="inv_screen", password=PASSWORD)
    MembershipFactory(
        user=user, study=subject.study, study_site=subject.study_site, role=Role.INVESTIGATOR
    )
    # The prior-therapy log (inclusion 6 is decided from it) is a repeating form of its own.
    enter_prior_therapies(subject, user)
    return subject


def test_checklist_turns_green_and_the_subject_is_enrolled(live_server, page, subject):
    log_in(page, live_server.url, "inv_screen", PASSWORD)
    base = f"{live_server.url}/studies/CT1192/subjects/{subject.pk}"
    for code, values in FORMS.items():
        page.goto(f"{base}/visits/SCR/{code}/")
        fill(page, values)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("alert")).to_contain_text("Form saved.")

    page.get_by_role("link", name="Eligibility", exact=True).click()
    expect(page.get_by_test_id("criterion-inc-10b")).to_have_attribute("data-outcome", "met")
    expect(page.get_by_test_id("eligibility-status")).to_contain_text("Pending")
    for key in JUDGEMENT_ITEMS:
        criterion = page.get_by_test_id(f"criterion-{key}")
        criterion.locator(f'input[name="{key}__met"][value="yes"]').check()
    page.get_by_test_id("save-judgements").click()
    for key in JUDGEMENT_ITEMS:
        expect(page.get_by_test_id(f"criterion-{key}")).to_have_attribute("data-outcome", "met")

    expect(page.get_by_test_id("eligibility-status")).to_have_text("Eligible")
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("alert")).to_contain_text("Enrolled as CT1192-01-001")
    expect(page.get_by_test_id("subject-status")).to_have_text("Enrolled")
