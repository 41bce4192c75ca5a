"""A principal investigator enrols (dose assignment), records lymphodepletion, the infusion and
the DLT assessment, then signs the committee's escalation decision, all in the browser."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from edc.roles import Role
from tests.browser.helpers import fill, log_in
from tests.edc.factories import MembershipFactory, UserFactory
from tests.screening.journeys import confirm_judgements, ct1192_subject, screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "journey-Pass-2026"


@pytest.fixture
def subject(transactional_db):
    user = UserFactory(username="pi_dosing", password=PASSWORD)
    subject = screen(ct1192_subject(), user)
    confirm_judgements(subject, user)
    MembershipFactory(
        user=user,
        study=subject.study,
        study_site=subject.study_site,
        role=Role.PRINCIPAL_INVESTIGATOR,
    )
    return subject


def _day(offset: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=offset)).isoformat()


def test_subject_goes_from_enrolment_to_a_signed_escalation_decision(live_server, page, subject):
    log_in(page, live_server.url, "pi_dosing", PASSWORD)
    base = f"{live_server.url}/studies/CT1192/subjects/{subject.pk}"
    page.goto(f"{base}/eligibility/")
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("alert")).to_contain_text("Enrolled as CT1192-01-001")

    page.goto(f"{base}/visits/LD/lymphodepletion/")
    fill(page, {"measured_on": _day(-40), "height_cm": "162", "weight_kg": "58",
                "first_day_on": _day(-38)})  # fmt: skip
    for day in (-5, -4, -3):
        fill(page, {f"fludarabine__d{day}": "48.5", f"cyclophosphamide__d{day}": "484.7"})
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("subject-status")).to_have_text("Lymphodepleted")

    page.goto(f"{base}/visits/D0/infusion/")
    fill(page, {"product_lot": "LOT-7", "infused_on": _day(-33), "started_at": "09:00",
                "ended_at": "09:20", "weight_kg": "58", "viable_cells_mantissa": "3.0",
                "viable_cells_exponent": "9", "car_positive_pct": "100"})  # fmt: skip
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#error_1_id_viable_cells_exponent")).to_contain_text("10")
    fill(page, {"viable_cells_exponent": "8"})
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("subject-status")).to_have_text("Infused")

    page.goto(f"{base}/visits/D28/dlt_assessment/")
    fill(page, {"assessed_on": _day(-4), "evaluable": True})
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Form saved.")

    page.get_by_role("link", name="Dose escalation").click()
    expect(page.get_by_test_id("level-1")).to_contain_text("escalate")
    fill(page, {"decision": "escalate", "next_dose_level": "2", "password": PASSWORD})
    page.get_by_role("button", name="Sign and record").click()
    expect(page.get_by_test_id("current-level")).to_contain_text("dose level 2")
    expect(page.get_by_test_id("decisions")).to_contain_text("Escalate")
