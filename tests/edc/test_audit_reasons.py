"""Reasons the system writes itself read in the reader's language; typed reasons stay as typed."""

import pytest
from django.urls import reverse
from django.utils import translation

from edc.audit_reasons import reason_display
from edc.models import Membership
from edc.roles import Role
from screening.services.eligibility import subject_screen_fail
from tests.edc.factories import UserFactory
from tests.screening.journeys import NOW, TODAY, ct1192_subject


@pytest.mark.parametrize(
    ("reason", "chinese"),
    [
        ("Visit done", "访视已完成"),
        (
            "Visit done: the infusion form records 2026-08-18",
            "访视已完成：infusion 表单记录 2026-08-18",
        ),
        ("Day 0 is now 2026-05-06", "第0天现为 2026-05-06"),
        ("Initial entry", "首次录入"),
        (
            "Screen failure: criterion I-10b not met; Moved away",
            "筛选失败：标准 I-10b 不符合; Moved away",
        ),
    ],
)
def test_a_system_reason_reads_chinese_for_a_chinese_reader(reason, chinese):
    with translation.override("zh-hans"):
        assert reason_display(reason) == chinese


def test_a_typed_reason_is_shown_as_typed():
    with translation.override("zh-hans"):
        assert reason_display("Transcription error in the source") == (
            "Transcription error in the source"
        )


@pytest.mark.django_db
def test_the_audit_trail_shows_system_reasons_in_chinese(client):
    subject = ct1192_subject()
    user = UserFactory()
    Membership.objects.create(
        user=user, study=subject.study, study_site=subject.study_site, role=Role.INVESTIGATOR
    )
    subject_screen_fail(subject, actor=user, today=TODAY, now=NOW, reason="Moved away")
    client.force_login(user)
    client.post(reverse("edc:language-set"), {"language": "zh-hans", "next": "/"})
    url = reverse("edc:subject-history", args=[subject.study.registry_id, subject.pk])
    reasons = [entry.reason for entry in client.get(url).context["page"]]
    assert "筛选失败：Moved away" in reasons
