"""Every date of a subject's record checked by the one rule, where every write passes.

`ClinicalDates` is a model mixin: its `clean_fields` runs the rule of edc/domain/clinical_dates.py
on each DateField and DateTimeField. ModelForms (`_post_clean`) and services (`audited_create`,
`audited_update`) both call `full_clean`, so a wrong date is refused on its field in the form and
as a ValidationError naming the field from a service, and is never stored.

A model declares how to reach its subject and, for a field whose range is not the default, which
anchor applies:

    class PriorTherapy(CrfModel):
        date_rules = {"start_date": DateRule.SINCE_BIRTH, "stop_date": DateRule.SINCE_BIRTH}

    class EpisodeAssessment(ClinicalDates, AuditedModel):
        subject_path = "episode.subject"
        default_date_rule = DateRule.SINCE_DAY0

A field that is not named takes `default_date_rule`; on a CRF (`visit_anchored`) the default
follows the visit: Day-0-relative at a Day-0-anchored visit, since consent otherwise. So a new
date field is covered the moment it is added.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from edc.domain.clinical_dates import (
    DateContext,
    DateRefusal,
    DateRule,
    check_clinical_date,
    check_clinical_datetime,
    earliest_day0_offset,
)

__all__ = ["ClinicalDates", "DateRule", "check_clinical_dates", "clinical_date_fields"]

MESSAGES = {
    "birth_not_past": _("The %(field)s must be in the past."),
    "before_1900": _("The %(field)s is before %(earliest)s: check the year."),
    "before_birth": _("The %(field)s is before the date of birth."),
    "before_consent": _("The %(field)s is before the consent date (%(consent_date)s)."),
    "before_day0_window": _(
        "The %(field)s is before the protocol's earliest visit around Day 0 "
        "(%(earliest)s, day %(day)s)."
    ),
    "after_today": _("The %(field)s is in the future."),
    "after_now": _("The %(field)s is in the future (now at the site: %(now)s)."),
    "out_of_range": _("The %(field)s cannot be right: check the year."),
}


class ClinicalDates:
    """Mixin for models holding a subject's data: their dates must be ones a clinician wrote."""

    # Attributes from this row to its Subject ("episode.subject"); "" on the Subject itself.
    subject_path: ClassVar[str] = "subject"
    # Field name -> the anchor of its range, for fields whose range is not the default.
    date_rules: ClassVar[Mapping[str, DateRule]] = {}
    default_date_rule: ClassVar[DateRule] = DateRule.SINCE_CONSENT
    # CRFs: the default follows the anchor (consent or Day 0) of the row's visit.
    visit_anchored: ClassVar[bool] = False
    # Dates a schedule computes from the protocol (a visit's target and window): they lie in the
    # future by design and nobody types them, so they are not judged as a clinician's dates.
    planned_dates: ClassVar[frozenset[str]] = frozenset()

    def clean_fields(self, exclude: Iterable[str] | None = None) -> None:
        errors: dict[str, Any] = {}
        try:
            super().clean_fields(exclude=exclude)  # type: ignore[misc]
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        skip = set(exclude or ()) | set(errors)
        errors |= _refusals(self, skip=skip, today=None)
        if errors:
            raise ValidationError(errors)


def clinical_date_fields(model: type[models.Model]) -> list[models.DateField]:
    """The date and datetime fields a person enters or a service sets (not the row's own
    created/updated stamps, nor the dates a schedule plans)."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField)
        and not (f.auto_now or f.auto_now_add)
        and f.name not in getattr(model, "planned_dates", ())
    ]


def subject_of(instance: ClinicalDates) -> Any | None:
    """The row's subject, or None while the row is not attached to one yet (a form's blank
    instance); the service that attaches it validates again."""
    target: Any = instance
    for name in filter(None, instance.subject_path.split(".")):
        try:
            target = getattr(target, name)
        except models.ObjectDoesNotExist:
            return None
        if target is None:
            return None
    return target


def _visits(subject: Any) -> tuple[Any, ...]:
    # Imported here: edc.selectors imports edc.models, which imports this module.
    from edc.selectors import protocol_definition

    return protocol_definition(subject.study).visits


def _visit_anchor(subject: Any, visit_code: str) -> str | None:
    return next((v.anchor for v in _visits(subject) if v.code == visit_code), None)


def date_rule(instance: ClinicalDates, name: str, subject: Any) -> DateRule:
    """The anchor of one field's range on this row."""
    if name in instance.date_rules:
        return instance.date_rules[name]
    visit_code = getattr(instance, "visit_code", "")
    if instance.visit_anchored and _visit_anchor(subject, visit_code) == "day0":
        return DateRule.SINCE_DAY0
    return instance.default_date_rule


def _context(subject: Any, today: dt.date | None) -> tuple[DateContext, dt.tzinfo, dt.datetime]:
    tz = zoneinfo.ZoneInfo(subject.study_site.site.timezone)
    now = timezone.now()
    offset = 0
    if subject.day0_date is not None:
        offset = earliest_day0_offset(
            [(v.day, v.window_before_days) for v in _visits(subject) if v.anchor == "day0"]
        )
    context = DateContext(
        today=today or now.astimezone(tz).date(),
        date_of_birth=subject.date_of_birth,
        consent_date=subject.consent_date,
        day0=subject.day0_date,
        earliest_day0_offset=offset,
    )
    return context, tz, now


def _message(refusal: DateRefusal, field: models.Field) -> ValidationError:
    # The label stays lazy: it is translated with the message, in the language of the page.
    params = {"field": field.verbose_name, **refusal.params}
    return ValidationError(MESSAGES[refusal.code], code=refusal.code, params=params)


def _refusals(
    instance: ClinicalDates, *, skip: set[str], today: dt.date | None
) -> dict[str, list[ValidationError]]:
    subject = subject_of(instance)
    if subject is None:
        return {}
    fields = [f for f in clinical_date_fields(type(instance)) if f.name not in skip]  # type: ignore[arg-type]
    if not fields:
        return {}
    context, tz, now = _context(subject, today)
    errors = {}
    for field in fields:
        value = getattr(instance, field.attname)
        if value is None:
            continue
        rule = date_rule(instance, field.name, subject)
        if isinstance(field, models.DateTimeField):
            refusal = check_clinical_datetime(value, rule=rule, context=context, now=now, tz=tz)
        else:
            refusal = check_clinical_date(value, rule=rule, context=context)
        if refusal is not None:
            errors[field.name] = [_message(refusal, field)]
    return errors


def check_clinical_dates(instance: ClinicalDates, *, today: dt.date) -> None:
    """The rule against a given `today` (registration takes the caller's date), for services
    that judge a row before it reaches `full_clean`."""
    errors = _refusals(instance, skip=set(), today=today)
    if errors:
        raise ValidationError(errors)
