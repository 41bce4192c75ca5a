"""The audit trail: every subject-owned history row, as a person reads it, paged in the database."""

import csv
import datetime as dt
import io
import zoneinfo

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from adverse_events.models import EpisodeAssessment, ToxicityEpisode
from edc.audit import audited_update
from edc.audit_trail import TrailFilter, subject_owned_models, trail_rows
from edc.domain.subject_status import SubjectStatus
from edc.models import Subject
from edc.roles import Role
from tests.edc.factories import SubjectFactory, UserFactory
from tests.queries import query_counts

VITALS = {"measured_on": "2026-04-21", "height_cm": "175", "weight_kg": "55"}


@pytest.fixture
def subject(site_a, stratum):
    return SubjectFactory(study_site=site_a, stratum=stratum, screening_number="S01-001")


@pytest.fixture
def investigator(site_a, member):
    return member(Role.INVESTIGATOR, study_site=site_a, first_name="Li", last_name="Wei")


def _crf_url(subject):
    return reverse("edc:crf", args=[subject.study.registry_id, subject.pk, "SCR", "vital_signs"])


def _enter_vitals(client, subject, user, **changes):
    """Enter the vital signs, then each change as a correction with its reason."""
    client.force_login(user)
    client.post(_crf_url(subject), VITALS)
    version = 1
    for reason, fields in changes.items():
        client.post(
            _crf_url(subject), {**VITALS, **fields, "row_version": version, "reason": reason}
        )
        version += 1


def _trail(client, subject, user, **params):
    client.force_login(user)
    url = reverse("edc:subject-history", args=[subject.study.registry_id, subject.pk])
    return list(client.get(url, params).context["page"])


def _rows(entries):
    """(form, field, old, new, reason) of every change on the page."""
    return [(e.form, f, o, n, e.reason) for e in entries for f, o, n in e.changes]


def _set_status(subject, status, actor):
    audited_update(
        Subject.objects.get(pk=subject.pk),
        actor=actor,
        reason="Screen failure: Moved away",
        changes={"status": status},
        expected_version=None,
    )


def test_the_subject_trail_shows_a_vital_signs_entry(client, subject, investigator):
    _enter_vitals(client, subject, investigator)
    rows = _rows(_trail(client, subject, investigator))
    assert ("vital signs", "weight (kg)", "", "55", "Initial entry") in rows


def test_a_form_entry_does_not_repeat_its_link_to_the_subject(client, subject, investigator):
    _enter_vitals(client, subject, investigator)
    entry = _trail(client, subject, investigator)[0]
    assert "subject" not in [field for field, _old, _new in entry.changes]


def test_every_subject_owned_model_of_every_app_has_its_history_on_the_trail():
    owned = subject_owned_models()
    assert {
        "edc.subject",
        "screening.vitalsigns",
        "screening.eligibilityconfirmation",
        "screening.eligibilitydecision",
        "dosing.lymphodepletiondose",
        "adverse_events.episodeassessment",
        "followup.visitinstance",
        "followup.unscheduledvisit",
    } <= set(owned)


def test_a_row_two_steps_from_the_subject_is_on_its_trail(client, subject, investigator):
    onset = dt.datetime(2026, 4, 2, tzinfo=dt.UTC)
    episode = ToxicityEpisode.objects.create(subject=subject, kind="crs", onset_at=onset)
    EpisodeAssessment.objects.create(
        episode=episode, assessed_at=onset, temperature_c=39, computed_grade=1
    )
    entry = _trail(client, subject, investigator)[0]
    values = {field: new for field, _old, new in entry.changes}
    with timezone.override(zoneinfo.ZoneInfo(subject.study_site.site.timezone)):
        named = str(episode)  # as the site reads it
    assert (values["episode"], values["highest temperature (°C)"]) == (named, "39")


def test_a_weight_correction_shows_old_new_and_reason(client, subject, investigator):
    _enter_vitals(client, subject, investigator, **{"Scale error": {"weight_kg": "56"}})
    rows = _rows(_trail(client, subject, investigator))
    assert ("vital signs", "weight (kg)", "55", "56", "Scale error") in rows


def test_a_re_dated_form_shows_both_dates(client, subject, investigator):
    _enter_vitals(client, subject, investigator, **{"Wrong day": {"measured_on": "2026-04-20"}})
    rows = _rows(_trail(client, subject, investigator))
    assert ("vital signs", "date measured", "2026-04-21", "2026-04-20", "Wrong day") in rows


def test_the_newest_change_comes_first(client, subject, investigator):
    _enter_vitals(client, subject, investigator, **{"Scale error": {"weight_kg": "56"}})
    first = _trail(client, subject, investigator)[0]
    assert (first.action, first.reason) == ("changed", "Scale error")


def test_a_status_change_shows_field_old_and_new_labels(client, subject, investigator):
    _set_status(subject, SubjectStatus.SCREEN_FAILED, investigator)
    rows = _rows(_trail(client, subject, investigator))
    assert ("subject", "status", "Screening", "Screen failed", "Screen failure: Moved away") in (
        rows
    )


def test_related_rows_show_by_name_not_id(client, subject, investigator):
    created = _trail(client, subject, investigator)[-1]
    values = {field: new for field, _old, new in created.changes}
    assert (values["study site"], values["stratum"]) == (
        str(subject.study_site),
        str(subject.stratum),
    )


def test_who_is_the_full_name_with_the_role_at_the_site(client, subject, investigator):
    _enter_vitals(client, subject, investigator)
    entry = _trail(client, subject, investigator)[0]
    assert (entry.user, entry.role) == ("Li Wei", "Investigator")


def test_when_is_in_the_site_zone_and_says_so(client, subject, investigator):
    _enter_vitals(client, subject, investigator)
    entry = _trail(client, subject, investigator)[0]
    assert entry.when.endswith("UTC+08:00")


def test_the_trail_reads_in_chinese(client, subject, investigator):
    _enter_vitals(client, subject, investigator, **{"Scale error": {"weight_kg": "56"}})
    _set_status(subject, SubjectStatus.SCREEN_FAILED, investigator)
    client.post(reverse("edc:language-set"), {"language": "zh-hans", "next": "/"})
    rows = _rows(_trail(client, subject, investigator))
    assert ("生命体征", "体重（kg）", "55", "56", "Scale error") in rows
    assert ("受试者", "状态", "筛选中", "筛选失败", "筛选失败：Moved away") in rows


def test_without_personal_data_permission_the_values_are_masked(client, member, subject):
    data_manager = member(Role.DATA_MANAGER)
    created = _trail(client, subject, data_manager)[-1]
    values = {field: new for field, _old, new in created.changes}
    assert (values["initials"], values["date of birth"]) == ("•••", "•••")


def test_the_subject_trail_runs_the_same_queries_for_few_and_many_changes(
    client, subject, investigator
):
    client.force_login(investigator)
    client.post(_crf_url(subject), VITALS)
    state = {"version": 1}

    def add(n):
        for i in range(n):
            weight = str(56 + state["version"] % 2)
            client.post(
                _crf_url(subject),
                {**VITALS, "weight_kg": weight, "row_version": state["version"], "reason": f"r{i}"},
            )
            state["version"] += 1

    url = reverse("edc:subject-history", args=[subject.study.registry_id, subject.pk])
    counts = query_counts(client, url, add)
    assert counts[0] == counts[1]


def _page(client, subject, user, query=""):
    """The subject's trail page that `query` (a link's query string) names."""
    client.force_login(user)
    url = reverse("edc:subject-history", args=[subject.study.registry_id, subject.pk])
    return client.get(f"{url}?{query}").context["page"]


def _reasons(page):
    return [e.reason for e in page]


@pytest.fixture
def thirty_corrections(client, subject, investigator):
    """The subject's creation, the vital signs' entry and 30 corrections: 32 entries."""
    _enter_vitals(
        client,
        subject,
        investigator,
        **{f"r{i}": {"weight_kg": str(56 + i % 2)} for i in range(30)},
    )


def test_the_older_page_holds_the_entries_after_the_newest_page(
    client, subject, investigator, thirty_corrections
):
    first = _page(client, subject, investigator)
    older = _page(client, subject, investigator, first.older)
    assert (len(list(first)), len(list(older))) == (25, 32 - 25)
    corrections = [r for r in _reasons(first) + _reasons(older) if r.startswith("r")]
    assert corrections == [f"r{i}" for i in reversed(range(30))]


def test_the_last_page_has_no_older_link_and_the_first_no_newer(
    client, subject, investigator, thirty_corrections
):
    first = _page(client, subject, investigator)
    older = _page(client, subject, investigator, first.older)
    assert (first.first, first.newer, older.first, older.older) == (True, "", False, "")


def test_the_newer_link_leads_back_to_the_newest_page(
    client, subject, investigator, thirty_corrections
):
    first = _page(client, subject, investigator)
    older = _page(client, subject, investigator, first.older)
    back = _page(client, subject, investigator, older.newer)
    assert (_reasons(back), back.first) == (_reasons(first), True)


def test_a_cursor_that_is_not_one_shows_the_newest_page(
    client, subject, investigator, thirty_corrections
):
    first = _page(client, subject, investigator)
    for token in (
        "junk",
        "2026-01-01T00:00:00+00:00|auth.user|1",
        "2026-01-01|edc.subject|x",
        "2026-01-01T00:00:00+00:00|edc.subject|99999999999999999999",
        "0001-01-01T00:00:00+00:00|edc.subject|-1",
    ):
        doctored = _page(
            client, subject, investigator, QueryDict.fromkeys(["older"], token).urlencode()
        )
        assert (_reasons(doctored), doctored.first) == (_reasons(first), True)


# The study-wide browser


def _browse(client, reader, **params):
    client.force_login(reader)
    url = reverse("edc:audit-trail", args=[reader.memberships.get().study.registry_id])
    return client.get(url, params)


@pytest.fixture
def monitor(member, site_a):
    return member(Role.MONITOR, study_site=site_a)


@pytest.fixture
def two_subjects(client, subject, site_b, stratum, investigator):
    other = SubjectFactory(study_site=site_b, stratum=stratum, screening_number="S02-001")
    _enter_vitals(client, subject, investigator, **{"Scale error": {"weight_kg": "56"}})
    return subject, other


def _subjects(response):
    return {e.subject for e in response.context["page"]}


def test_the_browser_shows_only_the_sites_the_monitor_audits(client, monitor, two_subjects):
    assert _subjects(_browse(client, monitor)) == {"S01-001"}


def test_the_browser_filters_by_site(client, member, site_b, two_subjects):
    manager = member(Role.DATA_MANAGER)
    assert _subjects(_browse(client, manager, site=site_b.pk)) == {"S02-001"}


def test_the_browser_filters_by_subject(client, member, two_subjects):
    manager = member(Role.DATA_MANAGER)
    assert _subjects(_browse(client, manager, subject="S02-001")) == {"S02-001"}


def test_the_browser_filters_by_form_and_field(client, monitor, two_subjects):
    response = _browse(client, monitor, form="screening.vitalsigns", field="weight_kg")
    reasons = [e.reason for e in response.context["page"]]
    assert reasons == ["Scale error", "Initial entry"]


def test_the_browser_filters_by_action(client, monitor, two_subjects):
    response = _browse(client, monitor, action="~")
    assert [(e.form, e.reason) for e in response.context["page"]] == [
        ("vital signs", "Scale error")
    ]


def test_the_browser_filters_by_user(client, monitor, investigator, two_subjects):
    response = _browse(client, monitor, user=investigator.pk)
    assert {e.user for e in response.context["page"]} == {"Li Wei"}
    assert len(response.context["page"]) == 2


def test_the_browsers_older_link_keeps_the_filter(client, monitor, subject, thirty_corrections):
    response = _browse(client, monitor, action="~")
    older = QueryDict(response.context["page"].older)
    assert (older["action"], "older" in older) == ("~", True)
    assert 'data-testid="audit-trail-older"' in response.content.decode()


def test_the_browser_filters_by_date_range(client, monitor, two_subjects):
    assert not list(_browse(client, monitor, date_to="2020-01-01").context["page"])


def test_a_filter_of_no_site_selects_nothing(two_subjects):
    subject, _other = two_subjects
    rows = trail_rows(subject.study_id, TrailFilter(study_site_ids=frozenset()))
    assert rows.page(None, 25).rows == []


def test_an_invalid_filter_selects_nothing_and_says_why(client, monitor, two_subjects):
    response = _browse(client, monitor, date_from="not a date")
    assert response.context["form"].errors["date_from"]
    assert not list(response.context["page"])


def test_the_browser_runs_the_same_queries_for_few_and_many_rows(client, member, site_a, stratum):
    manager = member(Role.DATA_MANAGER)
    actor = UserFactory()

    def add(n):
        for _ in range(n):
            s = SubjectFactory(study_site=site_a, stratum=stratum)
            _set_status(s, SubjectStatus.SCREEN_FAILED, actor)

    client.force_login(manager)
    url = reverse("edc:audit-trail", args=[site_a.study.registry_id])
    counts = query_counts(client, url, add)
    assert counts[0] == counts[1]


def _csv(client, reader, **params):
    client.force_login(reader)
    url = reverse("edc:audit-trail-csv", args=[reader.memberships.get().study.registry_id])
    body = b"".join(client.get(url, params).streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_csv_holds_the_filtered_trail(client, monitor, two_subjects):
    lines = _csv(client, monitor, action="~", field="weight_kg", form="screening.vitalsigns")
    assert [[*line[1:6], line[9]] for line in lines[1:] if line[3] == "weight (kg)"] == [
        ["S01-001", "vital signs", "weight (kg)", "55", "56", "Scale error"]
    ]


def test_the_csv_neutralises_spreadsheet_formulas(client, member, site_a, monitor, subject):
    # Account names are typed by an administrator, outside the clinical text rules.
    hostile = member(Role.INVESTIGATOR, study_site=site_a, first_name="=HYPERLINK(1)")
    _enter_vitals(client, subject, hostile)
    lines = _csv(client, monitor, form="screening.vitalsigns")
    assert {line[7] for line in lines[1:]} == {"'=HYPERLINK(1)"}
