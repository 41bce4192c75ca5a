"""Writes on subjects: registration at screening, corrections and status changes."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from edc.audit import audited_create, audited_update
from edc.clinical_dates import check_clinical_dates
from edc.domain.protocol import format_number
from edc.domain.subject_status import IllegalTransition, SubjectStatus, check_transition
from edc.models import SiteSequence, Stratum, Study, StudySite, Subject
from edc.selectors import protocol_definition

# What a correction may change; ids and status have their own services.
CORRECTABLE_FIELDS = frozenset(
    {"sex", "date_of_birth", "initials", "consent_date", "consent_version", "stratum"}
)


def sequence_next(*, study_site: StudySite, kind: str) -> int:
    """Allocate the next number of a study site's sequence; call inside the caller's transaction.

    The row lock serialises concurrent allocations at one site, and a rollback of the caller
    returns the number, so the sequence has no gaps.
    """
    seq, _created = SiteSequence.objects.get_or_create(study_site=study_site, kind=kind)
    seq = SiteSequence.objects.select_for_update().get(pk=seq.pk)
    seq.last_value += 1
    seq.save(update_fields=["last_value"])
    return seq.last_value


@transaction.atomic
def subject_register(
    *,
    study: Study,
    study_site: StudySite,
    stratum: Stratum,
    sex: str,
    date_of_birth: dt.date,
    initials: str,
    consent_date: dt.date,
    consent_version: str,
    today: dt.date,
    actor: AbstractBaseUser,
) -> Subject:
    """Register a consented person at screening and give them the next screening number."""
    # Read the status now, not from the caller's copy: the study may have closed meanwhile.
    if Study.objects.values_list("status", flat=True).get(pk=study.pk) != Study.Status.RECRUITING:
        raise ValidationError(_("This study is not recruiting."))
    if study_site.study_id != study.pk or not study_site.is_active:
        raise ValidationError({"study_site": _("This site is not active in this study.")})
    identity = protocol_definition(study).protocol
    seq = sequence_next(study_site=study_site, kind=SiteSequence.Kind.SCREENING)
    subject = Subject(
        study=study,
        study_site=study_site,
        stratum=stratum,
        screening_number=format_number(
            identity.screening_number_format,
            study_code=study.study_code,
            site_number=study_site.site_number,
            seq=seq,
        ),
        sex=sex,
        date_of_birth=date_of_birth,
        initials=initials.upper(),
        consent_date=consent_date,
        consent_version=consent_version,
    )
    check_clinical_dates(subject, today=today)
    return audited_create(subject, actor=actor)


def subject_correct(
    subject: Subject,
    *,
    changes: dict[str, Any],
    reason: str,
    expected_version: int,
    today: dt.date,
    actor: AbstractBaseUser,
) -> Subject:
    """Correct a subject's registration data, with a reason and against the version the user saw."""
    unknown = set(changes) - CORRECTABLE_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be corrected here: %s") % sorted(unknown))
    if "stratum" in changes and subject.status != SubjectStatus.SCREENING:
        raise ValidationError(
            {"stratum": _("The stratum decides the criteria: it cannot change after screening.")}
        )
    # Judged against the caller's today before audited_update applies the changes.
    corrected = copy.copy(subject)
    for name in ("date_of_birth", "consent_date"):
        setattr(corrected, name, changes.get(name, getattr(subject, name)))
    check_clinical_dates(corrected, today=today)
    if "initials" in changes:
        changes = {**changes, "initials": changes["initials"].upper()}
    return audited_update(
        subject, actor=actor, reason=reason, changes=changes, expected_version=expected_version
    )


@transaction.atomic
def subject_status_change(
    subject: Subject, *, target: str, reason: str, actor: AbstractBaseUser, **extra: Any
) -> Subject:
    """Move a subject along the lifecycle; a transition the lifecycle forbids is refused.

    Judged on the row as locked now, not on the caller's copy, which may be stale.
    """
    current = Subject.objects.select_for_update().get(pk=subject.pk)
    try:
        status = check_transition(current.status, target)
    except IllegalTransition as exc:
        raise ValidationError({"status": str(exc)}) from exc
    return audited_update(
        current,
        actor=actor,
        reason=reason,
        changes={"status": status.value, **extra},
        expected_version=None,
    )


@transaction.atomic
def subject_enrol(subject: Subject, *, reason: str, actor: AbstractBaseUser) -> Subject:
    """Enrol a screened subject and assign the subject id from the protocol's format.

    The id comes from the site's sequence under a row lock in this transaction, so ids are unique
    and gap-free per site even when two investigators enrol at once. Eligibility is the caller's
    precondition (the screening app checks it before calling).
    """
    subject = (
        Subject.objects.select_for_update().select_related("study_site", "study").get(pk=subject.pk)
    )
    identity = protocol_definition(subject.study).protocol
    try:
        check_transition(subject.status, "enrolled")
    except IllegalTransition as exc:
        raise ValidationError({"status": str(exc)}) from exc
    seq = sequence_next(study_site=subject.study_site, kind=SiteSequence.Kind.SUBJECT)
    identifier = format_number(
        identity.subject_id_format,
        study_code=subject.study.study_code,
        site_number=subject.study_site.site_number,
        seq=seq,
    )
    return subject_status_change(
        subject, target="enrolled", reason=reason, actor=actor, subject_identifier=identifier
    )
