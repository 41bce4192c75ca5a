"""Infection CRF services: the derived study day and early/late timing, and the adverse event a
severe or serious infection opens.

Decision (issue 11, item 5): a grade 3-5 or serious infection *opens* an adverse event directly
rather than proposing one. Unlike a lab value graded by the machine, the infection form is the
investigator's clinical judgement (grade, seriousness, relationships are all typed by them), so a
confirmation step would only ask the same person the same question twice. The AE is entered
through the AE log's own write path (`crf_create`), so its SAE clock and DLT rules run as for any
AE. It is linked one-to-one to the infection: a correction of the infection updates that AE
(with the correction's reason) and never enters a second one; a milder correction leaves the AE
in the log (it was reported; the investigator corrects or closes it there).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from adverse_events.domain.infections import classify_infection_onset
from adverse_events.followup_records import Infection
from adverse_events.lab_toxicity import nearest_ae_visit
from adverse_events.models import AdverseEvent
from edc.audit import audited_update
from edc.crfs import crf_spec
from edc.services.crfs import crf_create, crf_update

OPENED_REASON = "Opened from the infection form"
FOLLOWED_REASON = "Infection form corrected"


def infection_derive(infection: Infection) -> None:
    day0 = infection.subject.day0_date
    if day0 is None or infection.onset_date is None:
        infection.study_day, infection.timing = None, ""
        return
    onset = classify_infection_onset(onset_date=infection.onset_date, day0=day0)
    infection.study_day, infection.timing = onset.study_day, onset.timing.value


def _adverse_event_fields(infection: Infection, existing: AdverseEvent | None) -> dict[str, Any]:
    organism = infection.organism or infection.get_pathogen_class_display()
    fields: dict[str, Any] = {
        "verbatim_term": f"Infection: {organism}, {infection.get_site_display()}"[:200],
        "ctcae_term": infection.ctcae_term,
        "onset_date": infection.onset_date,
        "grade": infection.grade,
        "site_aware_at": infection.site_aware_at if infection.serious else None,
        "relationship_cart": infection.relationship_cart,
        "relationship_lymphodepletion": infection.relationship_lymphodepletion,
        "outcome": infection.outcome,
        "aesi": AdverseEvent.Aesi.INFECTION,
        "serious_death": infection.grade == 5,
    }
    criteria = [f for f in AdverseEvent.SERIOUS_FIELDS if f != "serious_death"]
    if not infection.serious:
        fields.update(dict.fromkeys(criteria, False))
    elif existing is None or not any(getattr(existing, f) for f in AdverseEvent.SERIOUS_FIELDS):
        # The form says "serious"; which criterion is refined on the AE form and then kept.
        fields["serious_important_medical"] = infection.grade < 5
    if existing is None:
        treated = any(getattr(infection, f) for f in Infection.TREATMENT_FIELDS)
        fields["action_taken"] = (
            AdverseEvent.Action.TREATMENT if treated else AdverseEvent.Action.NONE
        )
        fields.setdefault("resolution_date", None)
    return fields


def infection_saved(infection: Infection, *, actor: AbstractBaseUser) -> None:
    """After every save of an infection (in its transaction): open its AE when it is grade 3 or
    more or serious, or bring the AE it opened in line with the corrected infection."""
    ae = infection.adverse_event
    spec = crf_spec("adverse_event")
    if ae is None:
        if not infection.is_adverse_event:
            return
        ae = crf_create(
            spec=spec,
            subject=infection.subject,
            visit_code=nearest_ae_visit(infection.subject, infection.study_day or 0),
            data=_adverse_event_fields(infection, None),
            actor=actor,
        )
        audited_update(
            infection,
            actor=actor,
            reason=OPENED_REASON,
            changes={"adverse_event": ae},
            expected_version=None,
        )
        return
    ae = AdverseEvent.objects.get(pk=ae.pk)
    changes = {k: v for k, v in _adverse_event_fields(infection, ae).items() if getattr(ae, k) != v}
    if changes:
        crf_update(
            ae,
            spec=spec,
            data=changes,
            reason=FOLLOWED_REASON,
            expected_version=ae.row_version,
            actor=actor,
        )
