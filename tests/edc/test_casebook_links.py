"""No dead link in the demo's casebooks: every link of every casebook of every demo subject,
followed as the investigators and the monitor who see them, answers 200."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from edc.models import Membership, Subject
from tests.edc.casebook_html import parse
from tests.module_data import module_data

pytestmark = pytest.mark.django_db

ROLES = {
    "investigator": ("inv_changhai", "inv_demo_site", "inv_wuhan"),
    "monitor": ("monitor",),
}


# Seeded once for the module (each crawl only reads it): tests/module_data.py.
demo = module_data(
    lambda: call_command("seed_demo", "--password", "demo-Test-2026", stdout=StringIO())
)


# One crawl per test, so that the parallel workers share them; the monitor's, the longest, per
# study (None: every study of the user).
CRAWLS = [
    *((username, None) for username in ROLES["investigator"]),
    ("monitor", "CT1192"),
    ("monitor", "NCT07246096"),
]


def _subjects(user, registry_id: str | None = None) -> list[Subject]:
    """The demo subjects at the user's sites (all sites of a study for a study-wide role), in
    one study or in all of the user's."""
    subjects = []
    memberships = Membership.objects.filter(user=user)
    if registry_id is not None:
        memberships = memberships.filter(study__registry_id=registry_id)
    for m in memberships:
        in_study = Subject.objects.filter(study=m.study)
        subjects += in_study.filter(study_site=m.study_site) if m.study_site_id else in_study
    return subjects


def _dead_links(client, user, registry_id: str | None) -> dict[str, int]:
    """{url: status} of every link on the user's casebooks that does not answer 200 (a link that
    ends on the login page counts as dead too)."""
    client.force_login(user)
    links: set[str] = set()
    subjects = _subjects(user, registry_id)
    assert subjects
    for subject in subjects:
        page = client.get(
            reverse("edc:subject-detail", args=[subject.study.registry_id, subject.pk])
        )
        assert page.status_code == 200
        links |= {href.split("#")[0] for href in parse(page.content.decode()).links}
    dead = {}
    # The printable casebook is rendered per subject in seconds; its own tests and the access
    # matrix follow it, this walk need not render one per subject and role.
    for url in sorted(u for u in links if not u.endswith(".pdf")):
        response = client.get(url, follow=True)
        if response.status_code != 200 or response.request["PATH_INFO"] == reverse("login"):
            dead[url] = response.status_code
    return dead


def test_the_investigators_and_the_monitor_together_see_every_demo_subject(demo):
    for usernames in ROLES.values():
        users = get_user_model().objects.filter(username__in=usernames)
        assert users.count() == len(usernames)
        seen = {s.pk for user in users for s in _subjects(user)}
        assert seen == set(Subject.objects.values_list("pk", flat=True))


@pytest.mark.parametrize(("username", "registry_id"), CRAWLS)
def test_every_casebook_link_of_the_demo_answers_for_the_user(client, demo, username, registry_id):
    user = get_user_model().objects.get(username=username)
    assert _dead_links(client, user, registry_id) == {}
