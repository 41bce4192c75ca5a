"""Two-factor authentication, required per role by EDC_OTP_REQUIRED_ROLES."""

import importlib

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from edc.roles import Role
from tests.edc.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _data_managers_need_two_factor(settings):
    settings.EDC_OTP_REQUIRED_ROLES = [Role.DATA_MANAGER]


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _home(study):
    return reverse("edc:study-home", args=[study.registry_id])


def test_a_required_role_without_a_device_is_sent_to_enrolment(client, study, member):
    client.force_login(member(Role.DATA_MANAGER))
    response = client.get(_home(study))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("edc:two-factor-enrol"))


def test_enrolment_shows_a_qr_code_and_the_secret(client, study, member):
    client.force_login(member(Role.DATA_MANAGER))
    page = client.get(reverse("edc:two-factor-enrol")).content.decode()
    assert "<svg" in page
    assert 'data-testid="totp-secret"' in page


def test_the_first_correct_code_confirms_the_device_and_lets_the_user_through(
    client, study, member
):
    user = member(Role.DATA_MANAGER)
    client.force_login(user)
    client.get(reverse("edc:two-factor-enrol"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(
        reverse("edc:two-factor-enrol"), {"token": _token(device), "next": _home(study)}
    )
    assert response["Location"] == _home(study)
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get(_home(study)).status_code == 200


def _with_device(member, client):
    user = member(Role.DATA_MANAGER)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    return device


def test_a_user_with_a_device_is_asked_for_a_code(client, study, member):
    _with_device(member, client)
    response = client.get(_home(study))
    assert response["Location"].startswith(reverse("edc:two-factor-verify"))


def test_a_correct_code_lets_the_user_through(client, study, member):
    device = _with_device(member, client)
    client.post(reverse("edc:two-factor-verify"), {"token": _token(device)})
    assert client.get(_home(study)).status_code == 200


def test_a_replayed_code_is_refused(client, study, member):
    device = _with_device(member, client)
    token = _token(device)
    client.post(reverse("edc:two-factor-verify"), {"token": token})
    client.logout()
    client.force_login(device.user)
    response = client.post(reverse("edc:two-factor-verify"), {"token": token})
    assert "not correct or has been used" in response.content.decode()
    assert client.get(_home(study)).status_code == 302


def test_a_wrong_code_is_refused(client, study, member):
    device = _with_device(member, client)
    wrong = f"{(int(_token(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("edc:two-factor-verify"), {"token": wrong})
    assert "not correct or has been used" in response.content.decode()
    assert client.get(_home(study)).status_code == 302


def test_non_ascii_digits_are_refused_on_the_field(client, study, member):
    _with_device(member, client)
    response = client.post(reverse("edc:two-factor-verify"), {"token": "١٢٣٤٥٦"})
    assert "Enter the 6 digits of the code." in response.content.decode()


def test_a_role_not_required_is_not_redirected(client, study, member):
    client.force_login(member(Role.INVESTIGATOR))
    assert client.get(_home(study)).status_code == 200


def test_staff_count_as_administrators(client, settings):
    settings.EDC_OTP_REQUIRED_ROLES = [Role.ADMINISTRATOR]
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("edc:study-list"))
    assert response["Location"].startswith(reverse("edc:two-factor-enrol"))


def test_production_requires_two_factor_of_data_managers_and_administrators(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "only-for-importing-the-production-settings")
    production = importlib.import_module("edc.settings.production")
    assert set(production.EDC_OTP_REQUIRED_ROLES) == {Role.DATA_MANAGER, Role.ADMINISTRATOR}
