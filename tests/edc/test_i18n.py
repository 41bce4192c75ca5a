"""Both languages stay complete: every user-facing string has a Chinese translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

from edc.models import UserPreference
from edc.roles import Role

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
SOURCES = ["edc", "screening", "dosing", "adverse_events", "followup", "templates", "manage.py"]


def test_chinese_catalogue_has_no_untranslated_or_fuzzy_entry():
    po = polib.pofile(str(CATALOGUE))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_chinese_catalogue_covers_every_string_in_the_code(tmp_path):
    """Extract the strings afresh from a copy of the code: none may be missing in the catalogue."""
    for name in SOURCES:
        src = ROOT / name
        copy = shutil.copytree if src.is_dir() else shutil.copy
        copy(src, tmp_path / name)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "-v0"],
        cwd=tmp_path,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "edc.settings.local"},
    )
    fresh = {e.msgid for e in polib.pofile(str(tmp_path / CATALOGUE.relative_to(ROOT)))}
    known = {e.msgid for e in polib.pofile(str(CATALOGUE))}
    assert sorted(fresh - known) == [], "run `make messages` and translate the new strings"


@pytest.mark.django_db
def test_pages_render_in_the_users_chosen_language(client, study, site_a, member):
    user = member(Role.INVESTIGATOR, study_site=site_a)
    UserPreference.objects.create(user=user, language="zh-hans")
    client.force_login(user)
    page = client.get(reverse("edc:subject-list", args=[study.registry_id])).content.decode()
    assert "登记受试者" in page
    assert 'lang="zh-hans"' in page
