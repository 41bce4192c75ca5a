"""The demo data `make run` loads: real records through the services, and idempotent."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from adverse_events.models import SafetyContact
from dosing.models import DoseAssignment, Infusion
from edc.demo import DEMO_SUBJECTS, DEMO_USERS
from edc.models import Subject
from screening.models import EligibilityDecision
from tests.module_data import module_data

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--password", "demo-Test-2026", stdout=out)
    return out.getvalue()


seeded = module_data(_seed)


def test_command_prints_every_demo_user_and_the_password(seeded):
    assert "demo-Test-2026" in seeded
    assert all(user.username in seeded for user in DEMO_USERS)


def test_command_prints_the_language_each_demo_user_sees(seeded):
    lines = {line.split()[0]: line for line in seeded.splitlines()[1:] if line.strip()}
    assert {u.username for u in DEMO_USERS if "Chinese" in lines[u.username]} == {
        u.username for u in DEMO_USERS if u.language == "zh-hans"
    }
    assert all("English" in lines[u.username] for u in DEMO_USERS if u.language == "en")


def test_each_demo_subject_reaches_its_stage(seeded):
    statuses = {s.initials: s.status for s in Subject.objects.all()}
    assert statuses == {spec.initials: spec.target for spec in DEMO_SUBJECTS}


def test_treated_demo_subjects_have_their_dose_and_infusion_records(seeded):
    infused = Subject.objects.filter(status__in=["infused", "in_follow_up"])
    assert Infusion.objects.filter(subject__in=infused).count() == infused.count() == 3
    assert DoseAssignment.objects.count() == 5
    assert EligibilityDecision.objects.filter(outcome="screen_failed").count() == 1


def test_running_it_again_changes_nothing(seeded):
    before = Subject.history.count()
    call_command("seed_demo", stdout=StringIO())
    assert Subject.history.count() == before


def test_each_demo_study_has_a_safety_contact(seeded):
    assert {c.study.registry_id for c in SafetyContact.objects.filter(is_active=True)} == {
        "NCT07246096",
        "CT1192",
    }


def test_infusions_are_dated_on_the_demo_timeline(seeded):
    assert all(i.infused_on < dt.date.today() for i in Infusion.objects.all())


def test_demo_administrator_is_staff_but_not_a_superuser(seeded):
    admin = get_user_model().objects.get(username="admin")
    assert (admin.is_staff, admin.is_superuser) == (True, False)
    assert admin.has_perm("edc.add_membership")
    assert not admin.has_perm("edc.change_subject")


def test_demo_administrator_can_unlock_a_locked_account(seeded):
    admin = get_user_model().objects.get(username="admin")
    assert admin.has_perms(["axes.view_accessattempt", "axes.delete_accessattempt"])


def test_a_demo_database_from_older_protocol_files_says_to_start_afresh(seeded):
    from django.core.management import CommandError
    from django.db import connection

    from edc.models import ProtocolVersion

    with connection.cursor() as cursor:  # as if seeded before the files last changed
        cursor.execute(f"UPDATE {ProtocolVersion._meta.db_table} SET sha256 = %s", ["0" * 64])
    with pytest.raises(CommandError, match="Start the demo afresh"):
        call_command("seed_demo", stdout=StringIO())
