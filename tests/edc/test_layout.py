"""What every page's frame offers: the icon, the administrator's way to the admin, times with
their zone."""

import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from edc.roles import Role
from tests.edc.factories import SubjectFactory

pytestmark = pytest.mark.django_db


def test_the_browsers_default_favicon_address_answers(client):
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Content-Type"]) == (200, "image/svg+xml")


def test_every_page_links_an_icon_that_exists(client):
    page = client.get(reverse("login")).content.decode()
    href = re.search(r'<link rel="icon" href="/static/([^"]+)"', page).group(1)
    assert finders.find(href) is not None


def test_the_administrator_has_a_link_to_the_admin(client, study, member):
    client.force_login(member(Role.ADMINISTRATOR, is_staff=True))
    page = client.get(reverse("edc:study-home", args=[study.registry_id])).content.decode()
    assert f'href="{reverse("admin:index")}"' in page


def test_an_investigator_has_no_link_to_the_admin(client, study, site_a, member):
    client.force_login(member(Role.INVESTIGATOR, study_site=site_a))
    page = client.get(reverse("edc:study-home", args=[study.registry_id])).content.decode()
    assert 'data-testid="admin-link"' not in page


def _zoned(moment, where=None) -> str:
    return Template("{% load edc_format %}{{ moment|zoned:where }}").render(
        Context({"moment": moment, "where": where})
    )


def test_a_subjects_time_is_shown_in_its_sites_zone_with_the_offset(site_a, stratum):
    site_a.site.timezone = "Asia/Shanghai"
    subject = SubjectFactory(study_site=site_a, stratum=stratum)
    moment = dt.datetime(2026, 5, 16, 2, 0, tzinfo=dt.UTC)
    assert _zoned(moment, subject) == "2026-05-16 10:00 UTC+08:00"


def test_a_time_without_a_site_is_labelled_in_the_readers_zone():
    moment = dt.datetime(2026, 5, 16, 2, 0, tzinfo=dt.UTC)
    with timezone.override("UTC"):
        assert _zoned(moment) == "2026-05-16 02:00 UTC"
