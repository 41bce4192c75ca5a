"""The viral-load form is expected only for subjects HBsAg- or HBcAb-positive at screening: the
casebook offers it to them, says why, and the form page refuses it for anyone else."""

import datetime as dt

import pytest
from django.urls import reverse

from edc.crfs import crf_spec
from edc.models import Membership, UserPreference
from edc.roles import Role
from edc.services.crfs import crf_create
from tests.edc.casebook_html import parse
from tests.edc.factories import UserFactory
from tests.screening.journeys import LABS_ON, ct1192_subject

pytestmark = pytest.mark.django_db

NEGATIVE_SCREEN = {
    "tested_on": LABS_ON,
    **dict.fromkeys(["hbsag", "hbcab", "hcv_ab", "hiv_ab", "syphilis"], "negative"),
    "hbv_dna_detectable": "",
    "hcv_rna_detectable": "",
}


def _screened(**markers):
    subject = ct1192_subject()
    crf_create(
        spec=crf_spec("infection_screen"),
        subject=subject,
        visit_code="SCR",
        data={**NEGATIVE_SCREEN, **markers},
        actor=UserFactory(),
    )
    return subject


def _casebook(client, subject, language="en"):
    user = UserFactory()
    UserPreference.objects.create(user=user, language=language)
    Membership.objects.create(
        user=user, study=subject.study, study_site=subject.study_site, role=Role.INVESTIGATOR
    )
    client.force_login(user)
    url = reverse("edc:subject-detail", args=[subject.study.registry_id, subject.pk])
    return client.get(url).content.decode()


def test_an_hbcab_positive_subject_is_offered_the_viral_load_form_and_told_why(client):
    subject = _screened(hbcab="positive", hbv_dna_detectable="undetectable")
    html = _casebook(client, subject)
    visits = {c.visit for c in parse(html).cells if c.crf == "viral_load"}
    assert visits == {"D14", "D28", "M2", "M3", "M6", "M9", "M12"}
    assert "HBV-DNA monitoring required: HBcAb positive at screening" in html


def test_an_hbsag_and_hbcab_positive_subject_is_told_both_markers(client):
    html = _casebook(client, _screened(hbsag="positive", hbcab="positive"))
    assert "HBV-DNA monitoring required: HBsAg and HBcAb positive at screening" in html


def test_a_subject_negative_for_both_markers_has_no_viral_load_form(client):
    subject = _screened()
    html = _casebook(client, subject)
    assert not [c for c in parse(html).cells if c.crf == "viral_load"]
    assert "HBV-DNA monitoring" not in html
    url = reverse("edc:crf", args=[subject.study.registry_id, subject.pk, "M3", "viral_load"])
    assert client.get(url).status_code == 404


def test_the_reason_reads_chinese_in_the_chinese_casebook(client):
    subject = _screened(hbcab="positive")
    html = _casebook(client, subject, language="zh-hans")
    assert "需要监测HBV-DNA：筛选时HBcAb阳性" in html


def test_a_viral_load_below_the_lloq_has_no_result(client):
    subject = _screened(hbcab="positive")
    row = crf_create(
        spec=crf_spec("viral_load"),
        subject=subject,
        visit_code="SCR",
        data={"analyte": "hbv_dna", "sampled_on": dt.date(2026, 4, 22), "result": None,
              "unit": "IU/mL", "below_lloq": True},
        actor=UserFactory(),
    )  # fmt: skip
    assert (row.result, row.below_lloq) == (None, True)
