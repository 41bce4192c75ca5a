"""Small Playwright helpers shared by the browser journeys."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from edc.audit import system_user
from edc.models import Study, StudySite
from edc.services.protocols import protocol_load
from tests.edc.factories import MembershipFactory, UserFactory

PROTOCOL = Path(__file__).resolve().parents[2] / "protocols" / "ct1192.yaml"


def ct1192_with_member(username: str, password: str, role: str) -> Study:
    """The CT1192 protocol loaded, and a user holding `role` at its site."""
    study = protocol_load(path=PROTOCOL, actor=system_user()).protocol_version.study
    user = UserFactory(username=username, password=password)
    site = StudySite.objects.get(study=study)
    MembershipFactory(user=user, study=study, study_site=site, role=role)
    return study


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("current-user")).to_have_text(username)


def fill(page: Page, values: dict[str, str | bool]) -> None:
    """Fill form fields by their name: text, date, select and checkbox alike."""
    for name, value in values.items():
        field = page.locator(f'[name="{name}"]')
        kind = field.evaluate("e => e.tagName === 'SELECT' ? 'select' : e.type")
        if kind == "select":
            field.select_option(str(value))
        elif kind == "checkbox":
            field.set_checked(bool(value))
        else:
            field.fill(str(value))
