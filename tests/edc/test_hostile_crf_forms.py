"""Every registered CRF form, posted by Hypothesis with hostile values through the generic page:
an error on the field or a normalised value, never a server error, nothing written on refusal.

Screening forms are entered on a registered NCT07246096 subject of a stratum the form is for
(its SCR visit holds every stratum's forms, each subject is offered its own); the dosing and
safety forms on an infused CT1192 subject, where the lymphodepletion and infusion forms are
corrections (with the reason form in the post).
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edc import selectors
from edc.audit import system_user
from edc.crfs import _REGISTRY
from edc.models import Stratum, StudySite
from edc.services.protocols import protocol_load
from edc.services.subjects import subject_register
from edc.subject_conditions import conditions_met
from screening.blank_entries import mrss_entry
from screening.demo import common_forms, stratum_forms
from tests.adverse_events.journeys import DAY0, hbv_monitored, infused_subject
from tests.hostile import drive, log_in_investigator
from tests.screening.journeys import CONSENT, LABS_ON, NORMAL_LABS, PROTOCOLS, TODAY

SCREENING = sorted(
    code for code, spec in _REGISTRY.items() if spec.model._meta.app_label == "screening"
)
AFTER_INFUSION = sorted(set(_REGISTRY) - set(SCREENING))
KNOWN = {
    **common_forms(CONSENT, sex="F"),
    **{
        code: data
        for stratum in ("sle", "ssc", "pss", "ra", "aav")
        for code, data in stratum_forms(stratum, LABS_ON).items()
    },
    "lab_panel": {
        "laboratory": "Central lab",
        **{f"{a}__{part}": v for a, parts in NORMAL_LABS.items() for part, v in parts.items()},
    },
    "mrss": mrss_entry(LABS_ON),
    "adverse_event": {"verbatim_term": "Fatigue", "ctcae_term": "fatigue", "grade": 2,
                      "relationship_cart": "possible", "relationship_lymphodepletion": "unlikely",
                      "action_taken": "none", "outcome": "recovering"},
    "dlt_assessment": {"evaluable": True, "had_dlt": False},
    "prior_therapy": {"kind": "glucocorticoid", "drug_name": "Prednisone", "dose": "10",
                      "dose_unit": "mg/day", "outcome": "ongoing"},
}  # fmt: skip
HOSTILE = settings(
    max_examples=15,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def screened(db, client, request):
    """A registered NCT07246096 subject, in a stratum the form under test is for, and an
    investigator of its site, logged in."""
    loaded = protocol_load(path=PROTOCOLS / "nct07246096.yaml", actor=system_user())
    study = loaded.protocol_version.study
    site = StudySite.objects.filter(study=study).order_by("site_number").first()
    definition = selectors.protocol_definition(study)
    screening = definition.visits[0]
    code = request.node.callspec.params["code"]
    stratum = next(
        s for s in definition.stratum_codes() if code in definition.visit_crfs(screening, s)
    )
    subject = subject_register(
        study=study,
        study_site=site,
        stratum=Stratum.objects.get(study=study, code=stratum),
        sex="F",
        date_of_birth=dt.date(1990, 3, 1),
        initials="LXM",
        consent_date=CONSENT,
        consent_version="ICF v1.0",
        today=TODAY,
        actor=system_user(),
    )
    log_in_investigator(client, subject)
    return subject


@pytest.fixture
def infused(db, client):
    subject = hbv_monitored(infused_subject(system_user()))  # offered the viral-load form too
    log_in_investigator(client, subject)
    return subject


def _page(subject, code: str) -> str:
    spec = _REGISTRY[code]
    definition = selectors.protocol_definition(subject.study)
    offered = conditions_met(subject)
    visit = next(
        v.code
        for v in definition.visits
        if code in definition.visit_crfs(v, subject.stratum.code, offered)
    )
    args = [subject.study.registry_id, subject.pk, visit, code]
    if not spec.repeating:
        return reverse("edc:crf", args=args)
    # A repeating form's add page has its once-only token in its address (a GET without one is
    # redirected to one); one token per subject and form, so the page is read once per test.
    return f"{reverse('edc:crf-row', args=[*args, 'new'])}?t={uuid.uuid5(subject.pk, code)}"


def _drive(client, subject, code: str, on: dt.date, data) -> None:
    drive(
        client,
        _page(subject, code),
        data,
        forms_of=lambda page: [page.context["form"], page.context.get("reason_form")],
        known={**KNOWN.get(code, {}), "reason": "Source document check"},
        on=on,
    )


@pytest.mark.parametrize("code", SCREENING)
@HOSTILE
@given(data=st.data())
def test_screening_form_refuses_hostile_input_on_its_field(client, screened, code, data):
    _drive(client, screened, code, LABS_ON, data)


@pytest.mark.parametrize("code", AFTER_INFUSION)
@HOSTILE
@given(data=st.data())
def test_dosing_and_safety_form_refuses_hostile_input_on_its_field(client, infused, code, data):
    _drive(client, infused, code, DAY0 + dt.timedelta(days=1), data)
