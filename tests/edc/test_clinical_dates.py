"""Every date and datetime of every subject's record refuses what no clinician could have written.

The walk is by introspection: each DateField and DateTimeField of every model of the project is
found, so a date field added tomorrow is walked (or fails the coverage test) without anyone
remembering to list it. Where the field has a page (the generic CRF page, the safety and episode
pages) the value is typed there by the site's investigator (Asia/Shanghai, UTC+8); the other
fields are set by services and are judged on the model, where every service write passes.
"""

from __future__ import annotations

import copy
import datetime as dt
import zoneinfo

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from simple_history.models import HistoricalChanges

from adverse_events.models import EpisodeAssessment, EpisodeTreatment, ToxicityEpisode
from adverse_events.services import episode_open, episode_resolve
from dosing.models import EscalationDecision
from edc.api_tokens import ApiToken
from edc.audit import system_user
from edc.clinical_dates import MESSAGES, ClinicalDates, clinical_date_fields, date_rule
from edc.crfs import _REGISTRY
from edc.datasets import DatasetExport
from edc.domain.clinical_dates import EARLIEST_BIRTH, DateRule
from edc.locking import DataLock
from edc.models import (
    AccessLog,
    FormSubmission,
    Membership,
    OutboxMessage,
    ProtocolVersion,
    StudySite,
    Subject,
)
from edc.roles import Role
from edc.sdv import SourceVerification
from edc.selectors import protocol_definition
from edc.services.protocols import protocol_load
from edc.services.subjects import subject_register
from edc.signatures import Signature
from edc.subject_conditions import conditions_met
from followup.models import VisitReminder
from tests.adverse_events.journeys import at, hbv_monitored, infused_subject
from tests.edc.factories import UserFactory
from tests.screening.journeys import CONSENT, PROTOCOLS, TODAY

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"edc", "screening", "dosing", "adverse_events", "followup"}
# Dates of the study, not of a subject: they have no birth or consent to be judged against; and
# the system's own records (delivery times, submissions, log-ins), whose times nobody types.
NOT_SUBJECT_DATA = {
    ProtocolVersion,
    EscalationDecision,
    OutboxMessage,
    FormSubmission,
    AccessLog,
    VisitReminder,
    DatasetExport,
    ApiToken,
    SourceVerification,  # verified/dropped at: the system's clock
    Signature,  # signed/invalidated at: the system's clock
    DataLock,  # locked_at/unlocked_at are the system's clock, not a clinician's dates
}
REFUSED = set(MESSAGES)
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# The pages of the safety app that enter a date: (model, field) -> (page, other POST data).
SAFETY_PAGES = {
    (ToxicityEpisode, "onset_at"): ("safety", {"kind": "crs"}),
    (EpisodeAssessment, "assessed_at"): ("episode", {"action": "assess"}),
    (EpisodeTreatment, "given_at"): ("episode", {"action": "treat"}),
}


def _project_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in PROJECT_APPS and not issubclass(m, HistoricalChanges)
    ]


def _subject_models() -> list[type[models.Model]]:
    return [m for m in _project_models() if issubclass(m, ClinicalDates)]


def _crf_fields() -> set[tuple[type[models.Model], str]]:
    """The date fields a CRF page shows."""
    return {
        (spec.model, f.name)
        for spec in _REGISTRY.values()
        for f in clinical_date_fields(spec.model)
        if f.name in spec.form.base_fields
    }


def _implausible(
    subject: Subject, field: models.Field, rule: DateRule | None = None
) -> dict[str, dt.date | dt.datetime]:
    """Year 1, year 9999, tomorrow at the site, and the day before birth (for the date of birth
    itself, the day before 1900)."""
    now = timezone.now().astimezone(SHANGHAI)
    before_birth = (
        EARLIEST_BIRTH if rule is DateRule.BIRTH else subject.date_of_birth
    ) - dt.timedelta(days=1)
    if isinstance(field, models.DateTimeField):
        return {
            "year 1": dt.datetime(1, 1, 1, 0, 0, tzinfo=SHANGHAI),
            "year 9999": dt.datetime(9999, 12, 31, 23, 59, tzinfo=SHANGHAI),
            "tomorrow": now + dt.timedelta(days=1),
            "before birth": dt.datetime.combine(before_birth, dt.time(12), tzinfo=SHANGHAI),
        }
    return {
        "year 1": dt.date(1, 1, 1),
        "year 9999": dt.date(9999, 12, 31),
        "tomorrow": now.date() + dt.timedelta(days=1),
        "before birth": before_birth,
    }


def _plausible(subject: Subject, field: models.Field, rule: DateRule) -> dt.date | dt.datetime:
    day = (
        subject.date_of_birth
        if rule is DateRule.BIRTH
        else (subject.day0_date or subject.consent_date) + dt.timedelta(days=1)
    )
    if isinstance(field, models.DateTimeField):
        return dt.datetime.combine(day, dt.time(12), tzinfo=SHANGHAI)
    return day


def _typed(value: dt.date | dt.datetime) -> str:
    """As a browser's date or datetime-local input sends it."""
    if isinstance(value, dt.datetime):
        # isoformat, not strftime: "%Y" writes the year 1 as "1".
        return value.astimezone(SHANGHAI).replace(tzinfo=None).isoformat(timespec="minutes")
    return value.isoformat()


def _counts(model: type[models.Model]) -> tuple[int, int]:
    return model.objects.count(), model.history.count()


@pytest.fixture
def infused():
    """A CT1192 subject after Day 0, born 1990-03-01, at a site in Shanghai; HBcAb-positive at
    screening (HBV DNA undetectable), so the forms of HBV-DNA monitoring are offered too."""
    return hbv_monitored(infused_subject(UserFactory()))


@pytest.fixture
def screened_elsewhere():
    """`screened_elsewhere(code)`: a subject of the second protocol, for the forms only its
    strata use, in a stratum that form is for (one subject per stratum)."""
    loaded = protocol_load(path=PROTOCOLS / "nct07246096.yaml", actor=system_user())
    study = loaded.protocol_version.study
    definition = protocol_definition(study)
    subjects: dict[str, Subject] = {}

    def make(code: str) -> Subject:
        stratum = next(
            s
            for s in definition.stratum_codes()
            if any(code in definition.visit_crfs(v, s) for v in definition.visits)
        )
        if stratum not in subjects:
            subjects[stratum] = subject_register(
                study=study,
                study_site=StudySite.objects.filter(study=study).first(),
                stratum=study.strata.get(code=stratum),
                sex="F",
                date_of_birth=dt.date(1985, 6, 1),
                initials="WQ",
                consent_date=CONSENT,
                consent_version="ICF v1.0",
                today=TODAY,
                actor=system_user(),
            )
        return subjects[stratum]

    return make


def _investigator(client, subject: Subject) -> None:
    user = UserFactory()
    Membership.objects.create(
        user=user, study=subject.study, study_site=subject.study_site, role=Role.INVESTIGATOR
    )
    client.force_login(user)


def _crf_url(subject: Subject, code: str) -> str | None:
    """The page of a CRF at its first visit in the subject's protocol, for its stratum (None if
    not scheduled)."""
    definition = protocol_definition(subject.study)
    stratum = subject.stratum.code
    offered = conditions_met(subject)
    visit = next(
        (v for v in definition.visits if code in definition.visit_crfs(v, stratum, offered)), None
    )
    if visit is None:
        return None
    args = [subject.study.registry_id, subject.pk, visit.code, code]
    if _REGISTRY[code].repeating:
        return reverse("edc:crf-row", args=[*args, "new"])
    return reverse("edc:crf", args=args)


def _field_codes(response, form_name: str, field: str) -> set[str]:
    assert response.status_code == 200, response.status_code
    form = response.context[form_name]
    if isinstance(form, dict):
        form = next(f for f in form.values() if f.is_bound)
    return _codes(form.errors.as_data().get(field, []))


def _codes(errors: list[ValidationError]) -> set[str]:
    return {single.code for error in errors for single in error.error_list}


def test_every_date_of_the_project_has_a_rule():
    """Fails loudly when a date field is added to a model that does not say how to judge it."""
    for model in _project_models():
        fields = {f.name for f in clinical_date_fields(model)}
        if not fields or model in NOT_SUBJECT_DATA:
            continue
        assert issubclass(model, ClinicalDates), (
            f"{model.__name__} has date fields {sorted(fields)} but no clinical date rule: "
            "make it a ClinicalDates model (edc/clinical_dates.py) or list it as study data here"
        )
        assert set(model.date_rules) <= fields, f"{model.__name__}.date_rules names no field"


def test_every_crf_page_refuses_implausible_dates_on_their_field(
    client, infused, screened_elsewhere
):
    walked, wrong = 0, []
    for code, spec in sorted(_REGISTRY.items()):
        subject = infused if _crf_url(infused, code) else screened_elsewhere(code)
        url = _crf_url(subject, code)
        assert url, f"no protocol schedules the CRF {code}"
        _investigator(client, subject)
        for field in clinical_date_fields(spec.model):
            if field.name not in spec.form.base_fields:
                continue
            before = _counts(spec.model)
            for case, value in _implausible(subject, field).items():
                response = client.post(url, {field.name: _typed(value)})
                if not _field_codes(response, "form", field.name) & REFUSED:
                    wrong.append(f"{code}.{field.name}: {case} {value} accepted")
            assert _counts(spec.model) == before
            instance = spec.model(subject=subject, visit_code=url.split("/")[-3])
            plausible = _plausible(subject, field, date_rule(instance, field.name, subject))
            response = client.post(url, {field.name: _typed(plausible)})
            # A form whose other fields are all optional is saved: the date passed.
            if response.status_code != 302 and _field_codes(response, "form", field.name) & REFUSED:
                wrong.append(f"{code}.{field.name}: plausible {plausible} refused")
            walked += 1
    assert not wrong, "\n".join(wrong)
    assert walked == len(_crf_fields())


def test_every_safety_page_refuses_implausible_dates_on_their_field(client, infused):
    _investigator(client, infused)
    episode = episode_open(subject=infused, kind="crs", onset_at=at(1), actor=system_user())
    registry_id = infused.study.registry_id
    pages = {
        "safety": reverse("adverse_events:safety", args=[registry_id, infused.pk]),
        "episode": reverse("adverse_events:episode", args=[registry_id, infused.pk, episode.pk]),
    }
    wrong = []
    for (model, name), (page, extra) in SAFETY_PAGES.items():
        field = model._meta.get_field(name)
        before = _counts(model)
        for case, value in _implausible(infused, field).items():
            response = client.post(pages[page], {**extra, name: _typed(value)})
            form = "forms" if page == "episode" else "form"
            if not _field_codes(response, form, name) & REFUSED:
                wrong.append(f"{model.__name__}.{name}: {case} {value} accepted")
        assert _counts(model) == before
    assert not wrong, "\n".join(wrong)


def _attached(model: type[ClinicalDates], subject: Subject) -> ClinicalDates:
    """An unsaved row of `model` that reaches `subject` along its subject path."""
    if model is Subject:
        return copy.copy(subject)
    instance = model()
    names = model.subject_path.split(".")
    row: models.Model = instance  # type: ignore[assignment]
    for name in names[:-1]:
        related = row._meta.get_field(name).related_model()
        setattr(row, name, related)
        row = related
    setattr(row, names[-1], subject)
    if model.visit_anchored:
        instance.visit_code = "D7"  # type: ignore[attr-defined]
    return instance


def test_every_other_subject_date_is_refused_on_its_field_by_the_model(infused):
    covered = _crf_fields() | set(SAFETY_PAGES)
    walked, wrong = 0, []
    for model in _subject_models():
        for field in clinical_date_fields(model):
            if (model, field.name) in covered:
                continue
            others = [f.name for f in model._meta.concrete_fields if f.name != field.name]
            rule = date_rule(_attached(model, infused), field.name, infused)
            cases = {
                **_implausible(infused, field, rule),
                "plausible": _plausible(infused, field, rule),
            }
            for case, value in cases.items():
                instance = _attached(model, infused)
                setattr(instance, field.name, value)
                try:
                    instance.clean_fields(exclude=others)
                except ValidationError as exc:
                    codes = _codes(exc.error_dict.get(field.name, []))
                else:
                    codes = set()
                if bool(codes & REFUSED) != (case != "plausible"):
                    wrong.append(f"{model.__name__}.{field.name}: {case} {value} -> {codes}")
            walked += 1
    assert not wrong, "\n".join(wrong)
    assert walked > 0


def test_an_episode_dated_in_year_1_is_refused_and_the_safety_pages_still_open(client, infused):
    _investigator(client, infused)
    safety = reverse("adverse_events:safety", args=[infused.study.registry_id, infused.pk])
    response = client.post(safety, {"kind": "crs", "onset_at": "0001-01-01T00:00"})
    assert _field_codes(response, "form", "onset_at") == {"out_of_range"}
    assert not ToxicityEpisode.objects.exists()
    assert client.get(safety).status_code == 200


def test_a_treatment_dated_in_year_1_is_refused_and_the_episode_page_still_opens(client, infused):
    _investigator(client, infused)
    episode = episode_open(subject=infused, kind="crs", onset_at=at(1), actor=system_user())
    page = reverse(
        "adverse_events:episode", args=[infused.study.registry_id, infused.pk, episode.pk]
    )
    response = client.post(
        page,
        {"action": "treat", "agent": "tocilizumab", "detail": "8 mg/kg",
         "given_at": "0001-01-01T00:00"},
    )  # fmt: skip
    assert _field_codes(response, "forms", "given_at") == {"out_of_range"}
    assert not EpisodeTreatment.objects.exists()
    assert client.get(page).status_code == 200


def test_a_resolution_in_the_future_is_refused_by_the_service(infused):
    episode = episode_open(subject=infused, kind="crs", onset_at=at(1), actor=system_user())
    with pytest.raises(ValidationError) as info:
        episode_resolve(
            episode, resolved_at=timezone.now() + dt.timedelta(hours=1), actor=system_user()
        )
    assert _codes(info.value.error_dict["resolved_at"]) == {"after_now"}
    episode.refresh_from_db()
    assert episode.resolved_at is None
    assert episode.history.count() == 1


def test_a_refusal_is_worded_in_the_language_of_the_page(infused):
    corrected = copy.copy(infused)
    corrected.consent_date = dt.date(9999, 12, 31)
    with pytest.raises(ValidationError) as info:
        corrected.clean_fields()
    with translation.override("zh-hans"):
        assert info.value.message_dict["consent_date"] == ["知情同意日期晚于今天。"]
    with translation.override("en"):
        assert info.value.message_dict["consent_date"] == ["The consent date is in the future."]
