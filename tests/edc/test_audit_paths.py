"""No code path skips history or reason: bulk writes and bare deletes refuse; users are tracked."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from edc.audit import AuditBypass, DeletionRefused, ReasonRequired, audited_delete
from edc.audit_sql import history_tables
from edc.models import Membership, Site
from edc.roles import Role
from tests.edc.factories import MembershipFactory, SiteFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return SiteFactory(name="Before")


def _unchanged(site):
    site.refresh_from_db()
    assert (site.name, Site.history.filter(id=site.pk).count()) == ("Before", 1)


def test_queryset_update_on_an_audited_model_is_refused(site):
    with pytest.raises(AuditBypass, match="audited_update"):
        Site.objects.filter(pk=site.pk).update(name="After")
    _unchanged(site)


def test_bulk_update_on_an_audited_model_is_refused(site):
    site.name = "After"
    with pytest.raises(AuditBypass, match="audited_update"):
        Site.objects.bulk_update([site], ["name"])
    _unchanged(site)


def test_bulk_create_on_an_audited_model_is_refused():
    with pytest.raises(AuditBypass, match="audited_create"):
        Site.objects.bulk_create([SiteFactory.build()])
    assert not Site.objects.exists()


def test_queryset_delete_on_an_audited_model_is_refused(site):
    with pytest.raises(AuditBypass, match="audited_delete"):
        Site.objects.filter(pk=site.pk).delete()
    _unchanged(site)


def test_instance_delete_on_an_audited_model_is_refused(site):
    with pytest.raises(AuditBypass, match="audited_delete"):
        site.delete()
    _unchanged(site)


def test_related_manager_delete_is_refused_too(study):
    MembershipFactory(study=study, role=Role.DATA_MANAGER)
    with pytest.raises(AuditBypass):
        study.memberships.all().delete()
    assert Membership.objects.count() == 1


def test_history_manager_keeps_simple_historys_own_queryset(site):
    assert not isinstance(Site.history.all(), type(Site.objects.all()))


def test_audited_delete_of_a_model_that_keeps_its_rows_is_refused(site):
    with pytest.raises(DeletionRefused):
        audited_delete(site, actor=UserFactory(), reason="Duplicate")
    _unchanged(site)


def test_audited_delete_without_a_reason_is_refused(site):
    with pytest.raises(ReasonRequired):
        audited_delete(site, actor=UserFactory(), reason="  ")
    _unchanged(site)


def test_user_change_is_in_history_with_actor_and_reason():
    actor, user = UserFactory(), UserFactory()
    user.is_active = False
    user._history_user, user._change_reason = actor, "Left the study team"
    user.save()
    record = user.history.latest()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "~",
        actor,
        "Left the study team",
    )
    assert record.is_active is False


def test_user_history_keeps_no_password_hash():
    user = UserFactory()
    assert not hasattr(user.history.latest(), "password")


def test_logging_in_writes_no_user_history_row(client):
    user = UserFactory()
    before = user.history.count()
    response = client.post(
        reverse("login"), {"username": user.username, "password": "pw-for-tests-1"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.last_login is not None
    assert user.history.count() == before


def test_user_history_table_exists_for_the_append_only_triggers():
    assert get_user_model().history.model._meta.db_table in history_tables()
