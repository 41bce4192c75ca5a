"""Demo follow-up data for treated subjects: baseline and follow-up samples entered through the
CRF services, and past visits declared done or missed through the schedule's services.

So the demo casebook shows done forms and the schedule is not all overdue; the most recent past
visit of each treated subject is left open (overdue) and one visit is declared missed, so the
calendar and the reminders have something to show. The samples show expansion then contraction
below the LLOQ, B-cell aplasia then reconstitution, and IgG below 4 g/L with IVIG on Day 28 (the
kinetics page and the swimmer plot draw them). The subject furthest in follow-up also had
Day 7 two days late (a deviation on the list) and came once unscheduled with a fever.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from edc.crfs import crf_spec
from edc.models import Subject
from edc.selectors import protocol_definition
from edc.services.crfs import crf_create
from followup.models import VisitInstance
from followup.reminders import visit_reminders_send
from followup.services import unscheduled_visit_add, visit_mark_done, visit_mark_missed
from screening.blank_entries import bilag2004_entry, sledai2k_entry

# Transgene copies/µg DNA by study day: expansion to a peak around Day 7-10, then contraction;
# later samples are below the assay's LLOQ. CAR+ cells/µL follow the same curve.
TRANSGENE_BY_DAY = {0: 150, 1: 1500, 4: 12000, 7: 45000, 10: 38000, 14: 21000, 21: 8200, 28: 4100}
MISSED = ("D10", "Subject admitted to a local hospital with a chest infection; seen at D14.")
LATE = "D7"
DAY = dt.timedelta(days=1)


def _at(subject: Subject, on: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(
        on, dt.time(hour), tzinfo=zoneinfo.ZoneInfo(subject.study_site.site.timezone)
    )


def _kinetics(subject: Subject, day: int, on: dt.date) -> dict[str, Any]:
    copies = TRANSGENE_BY_DAY.get(day)
    return {
        "time_point": "end_of_infusion" if day == 0 else "visit",
        "sampled_at": _at(subject, on, 11 if day == 0 else 9),
        "transgene_copies_per_ug_dna": Decimal(copies) if copies else None,
        "transgene_below_lloq": copies is None,
        "car_cells_per_ul": Decimal(copies) / 500 if copies else None,
        "car_cells_below_lloq": copies is None,
    }


# CD19+ B cells/µL: aplasia (below the LLOQ) from Day 7, back from Day 28 (the demo's follow-up
# is short: published SLE courses reconstitute later, around day 50-120).
B_CELLS_BY_DAY = {28: "2.4", 60: "36.5"}
# IgG g/L: below 4 g/L on Day 28 (IVIG given that day), back above it after the infusion.
IGG_BY_DAY = {28: "3.6", 60: "5.8"}
IVIG_VISIT = "D28"


def _b_cells(subject: Subject, day: int, on: dt.date) -> dict[str, Any]:
    """B cells before treatment, aplasia after the infusion, then reconstitution."""
    count = "182.0" if day < 0 else B_CELLS_BY_DAY.get(day)
    return {
        "sampled_at": _at(subject, on),
        "cd19_cells_per_ul": Decimal(count) if count else None,
        "cd19_below_lloq": count is None,
    }


def _immunoglobulins(_subject: Subject, day: int, on: dt.date) -> dict[str, Any]:
    """Immunoglobulins falling after B-cell depletion, IgG below 4 g/L on Day 28."""
    igg, iga, igm = (
        ("11.2", "2.1", "1.0") if day < 0 else (IGG_BY_DAY.get(day, "7.4"), "1.3", "0.4")
    )
    return {
        "sampled_on": on,
        "igg_g_per_l": Decimal(igg),
        "iga_g_per_l": Decimal(iga),
        "igm_g_per_l": Decimal(igm),
    }


def _demographics(_subject: Subject, _day: int, _on: dt.date) -> dict[str, Any]:
    return {"ethnicity": "not_hispanic_or_latino", "race": "asian", "ethnic_group": "Han"}


def _medication(subject: Subject, day: int, on: dt.date) -> dict[str, Any]:
    """At screening the background glucocorticoid, stopped before the lymphodepletion (as CAR-T
    protocols taper it); at Day 0 the infusion's premedication."""
    if day < 0:
        assert subject.day0_date is not None
        return {
            "drug_name": "Prednisone",
            "atc_code": "H02AB07",
            "start_date": on - dt.timedelta(days=400),
            "stop_date": subject.day0_date - 6 * DAY,
            "dose": Decimal(10),
            "dose_unit": "mg",
            "route": "oral",
            "prednisone_equivalent_mg_day": Decimal(10),
            "indication": "Underlying autoimmune disease",
        }
    return {
        "drug_name": "Paracetamol",
        "atc_code": "N02BE01",
        "start_date": on,
        "stop_date": on,
        "dose": Decimal(500),
        "dose_unit": "mg",
        "route": "oral",
        "indication": "Premedication before the CAR-T infusion",
    }


def _sledai(_subject: Subject, day: int, on: dt.date) -> dict[str, Any]:
    """Lupus activity after the infusion: proteinuria left at Day 28 (PGA 1), then only low
    complement (serology, not clinical) with PGA 0.3: DORIS remission from month 2."""
    if day <= 28:
        return {**sledai2k_entry(on, "proteinuria"), "physician_global_0_3": Decimal(1)}
    return {**sledai2k_entry(on, "low_complement"), "physician_global_0_3": Decimal("0.3")}


def _bilag(_subject: Subject, day: int, on: dt.date) -> dict[str, Any]:
    return bilag2004_entry(on, renal="B" if day <= 28 else "D")


def _ivig(_subject: Subject, _day: int, on: dt.date) -> dict[str, Any]:
    """Immunoglobulin replacement for the low IgG (the medication flags classify it as IVIG)."""
    return {
        "drug_name": "Human normal immunoglobulin (IVIG)",
        "atc_code": "J06BA02",
        "start_date": on,
        "stop_date": on,
        "dose": Decimal("0.4"),
        "dose_unit": "g/kg",
        "route": "intravenous",
        "indication": "Hypogammaglobulinaemia (IgG 3.6 g/L)",
    }


SAMPLES = {
    "b_cell_count": _b_cells,
    "immunoglobulins": _immunoglobulins,
    "car_t_kinetics": _kinetics,
}
# Screening and the infusion day also record the subject and its medication.
BASELINE = {**SAMPLES, "demographics": _demographics, "concomitant_medication": _medication}
# Follow-up visits also score the disease (SLE; the forms of other strata are not scheduled).
VISITS = {**SAMPLES, "sledai2k": _sledai, "bilag2004": _bilag}


def _enter(
    subject: Subject, visit_code: str, day: int, on: dt.date, forms: dict, actor: AbstractBaseUser
) -> None:
    """Enter those of `forms` the protocol schedules at the visit for the subject's stratum."""
    definition = protocol_definition(subject.study)
    visit = next(v for v in definition.visits if v.code == visit_code)
    for code in definition.visit_crfs(visit, subject.stratum.code):
        if code in forms:
            data = forms[code](subject, day, on)
            crf_create(
                spec=crf_spec(code), subject=subject, visit_code=visit_code, data=data, actor=actor
            )


def follow_subject(
    subject: Subject, *, actor: AbstractBaseUser, today: dt.date, furthest: bool
) -> None:
    """A treated subject's screening baseline, its infusion day, and every follow-up visit whose
    window has closed: done with its samples, except the latest (left overdue) and, for the
    subject `furthest` in follow-up, the MISSED one, the LATE one and an unscheduled visit."""
    if subject.day0_date is None:
        return
    day0 = subject.day0_date
    _enter(subject, "SCR", -1, subject.consent_date + dt.timedelta(days=1), BASELINE, actor)
    _enter(subject, "D0", 0, day0, BASELINE, actor)
    past = list(
        VisitInstance.objects.filter(
            subject=subject, state=VisitInstance.State.OPEN, window_end__lt=today
        ).order_by("target_date")
    )
    for visit in past[:-1]:
        if furthest and visit.visit_code == MISSED[0]:
            visit_mark_missed(visit, reason=MISSED[1], actor=actor, expected_version=None)
            continue
        day = (visit.target_date - day0).days
        done_on = visit.window_end + 2 * DAY if furthest and visit.visit_code == LATE else None
        forms = (
            {**VISITS, "concomitant_medication": _ivig}
            if visit.visit_code == IVIG_VISIT
            else VISITS
        )
        _enter(subject, visit.visit_code, day, done_on or visit.target_date, forms, actor)
        visit_mark_done(
            visit, done_on=done_on or visit.target_date, actor=actor, expected_version=None
        )
    if furthest:
        unscheduled_visit_add(
            subject,
            visit_date=day0 + 12 * DAY,
            reason="Fever 38.4 °C at home",
            crf_codes=["vital_signs", "lab_panel", "adverse_event"],
            actor=actor,
        )


def demo_step(subject: Subject, *, spec: Any, actor: AbstractBaseUser, today: dt.date) -> None:
    subject.refresh_from_db()
    follow_subject(subject, actor=actor, today=today, furthest=spec.target == "in_follow_up")
    # The morning's reminder run, as the beat task (or `send_visit_reminders`) would do it, so
    # the demo's "My tasks" shows the visits left open. Each run adds only what is new.
    visit_reminders_send(now=timezone.now())
