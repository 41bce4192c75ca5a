"""The admin edits through the audited path: reason and row version on every change, no delete,
and nobody grants themselves access."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from edc.models import Membership, Site
from edc.roles import Role
from tests.edc.factories import MembershipFactory, SiteFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    """A staff user with the study-management permissions the demo administrator has."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="edc",
            codename__in=[
                f"{action}_{model}"
                for action in ("add", "change", "view")
                for model in ("site", "membership")
            ],
        )
    )
    return user


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def site():
    return SiteFactory(name="Before")


def _site_change(client, site, **data):
    form = {
        "code": site.code,
        "name": "After",
        "name_zh": "",
        "city": site.city,
        "country": site.country,
        "timezone": site.timezone,
        "expected_version": site.row_version,
        **data,
    }
    return client.post(reverse("admin:edc_site_change", args=[site.pk]), form)


def test_admin_change_form_asks_why_and_carries_the_row_version(admin_client, site):
    page = admin_client.get(reverse("admin:edc_site_change", args=[site.pk])).content.decode()
    assert 'name="reason"' in page
    assert 'type="hidden" name="expected_version" value="1"' in page


def test_admin_change_without_a_reason_is_refused(admin_client, site):
    response = _site_change(admin_client, site, reason="")
    assert response.status_code == 200
    assert "A reason for change is required" in response.content.decode()
    site.refresh_from_db()
    assert (site.name, site.row_version) == ("Before", 1)


def test_admin_change_from_a_stale_version_is_refused(admin_client, site):
    response = _site_change(admin_client, site, reason="Typo", expected_version=0)
    assert "Someone else changed this record" in response.content.decode()
    site.refresh_from_db()
    assert (site.name, site.row_version) == ("Before", 1)


def test_admin_change_with_a_reason_is_saved_with_it_in_history(admin_client, administrator, site):
    response = _site_change(admin_client, site, reason="Hospital renamed")
    assert response.status_code == 302
    site.refresh_from_db()
    record = site.history.latest()
    assert (site.name, site.row_version) == ("After", 2)
    assert (record.history_user, record.history_change_reason) == (
        administrator,
        "Hospital renamed",
    )


@pytest.fixture
def superuser_client(client):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    return client


def test_admin_cannot_delete_an_audited_row_even_as_superuser(superuser_client, site):
    superuser_client.post(reverse("admin:edc_site_delete", args=[site.pk]), {"post": "yes"})
    assert Site.objects.filter(pk=site.pk).exists()


def _grant(client, user, study, **data):
    form = {"user": user.pk, "study": study.pk, "role": Role.DATA_MANAGER, "is_active": "on"}
    return client.post(reverse("admin:edc_membership_add"), {**form, **data})


def test_membership_grant_is_recorded_with_actor_and_typed_reason(
    admin_client, administrator, study
):
    _grant(admin_client, UserFactory(), study, reason="Joins as data manager")
    record = Membership.objects.get().history.get()
    assert (record.history_user, record.history_change_reason) == (
        administrator,
        "Joins as data manager",
    )


def test_membership_grant_without_a_reason_is_refused(admin_client, study):
    response = _grant(admin_client, UserFactory(), study, reason="")
    assert "A reason for change is required" in response.content.decode()
    assert not Membership.objects.exists()


def test_administrator_cannot_grant_itself_a_membership(admin_client, administrator, study):
    response = _grant(admin_client, administrator, study, reason="I need access")
    assert "You cannot grant or change your own membership" in response.content.decode()
    assert not Membership.objects.exists()


def test_administrator_cannot_change_its_own_membership(admin_client, administrator, study):
    own = MembershipFactory(user=administrator, study=study, role=Role.ADMINISTRATOR)
    response = admin_client.post(
        reverse("admin:edc_membership_change", args=[own.pk]),
        {
            "user": administrator.pk,
            "study": study.pk,
            "role": Role.DATA_MANAGER,
            "is_active": "on",
            "expected_version": 1,
            "reason": "Promote myself",
        },
    )
    assert "You cannot grant or change your own membership" in response.content.decode()
    own.refresh_from_db()
    assert own.role == Role.ADMINISTRATOR


def _user_change(client, user, **data):
    form = {
        "username": user.username,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        **data,
    }
    return client.post(reverse("admin:auth_user_change", args=[user.pk]), form)


def test_user_change_in_the_admin_without_a_reason_is_refused(superuser_client):
    user = UserFactory(first_name="Before")
    response = _user_change(superuser_client, user, first_name="After", reason="")
    assert "A reason for change is required" in response.content.decode()
    user.refresh_from_db()
    assert user.first_name == "Before"


def test_user_change_in_the_admin_is_in_history_with_its_reason(superuser_client):
    user = UserFactory(first_name="Before")
    _user_change(superuser_client, user, first_name="After", reason="Name corrected")
    record = get_user_model().objects.get(pk=user.pk).history.latest()
    assert (record.first_name, record.history_change_reason) == ("After", "Name corrected")
