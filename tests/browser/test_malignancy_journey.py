"""An investigator reports a T-cell lymphoma at a long-term follow-up visit, with the CAR
transgene found in the tumour, and finds it on the safety page as a serious T-cell malignancy."""

import pytest
from playwright.sync_api import expect

from edc.roles import Role
from tests.adverse_events.journeys import infused_subject
from tests.browser.helpers import fill, log_in
from tests.edc.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "journey-Pass-2026"


@pytest.fixture
def subject(transactional_db):
    user = UserFactory(username="inv_malignancy", password=PASSWORD)
    subject = infused_subject(user)
    MembershipFactory(
        user=user, study=subject.study, study_site=subject.study_site, role=Role.INVESTIGATOR
    )
    return subject


def test_a_t_cell_lymphoma_report_becomes_a_serious_aesi(live_server, page, subject):
    log_in(page, live_server.url, "inv_malignancy", PASSWORD)
    base = f"{live_server.url}/studies/CT1192/subjects/{subject.pk}"
    page.goto(f"{base}/visits/LTFU_Y3/new_malignancy/")
    page.get_by_role("link", name="Add").click()
    fill(
        page,
        {
            "malignancy_type": "t_cell_lymphoma",
            "type_detail": "Peripheral T-cell lymphoma",
            "diagnosis_date": "2026-11-20",
            "site_aware_at": "2026-11-21T09:00",
            "biopsy_done": True,
            "biopsy_result": "CD4+ T-cell infiltrate",
            "transgene_tested": True,
            "transgene_result": "detected",
            "grade": "3",
            "relationship_cart": "possible",
            "relationship_lymphodepletion": "unlikely",
            "action_taken": "treatment",
            "outcome": "not_recovered",
        },
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert").filter(has_text="serious adverse event")).to_be_visible()

    page.goto(f"{base}/safety/")
    events = page.get_by_test_id("adverse-events")
    expect(events).to_contain_text("T-cell lymphoma: Peripheral T-cell lymphoma")
    expect(events).to_contain_text("SAE")
    expect(events.get_by_test_id("aesi")).to_have_text("AESI: T-cell malignancy")
