"""Reads, scoped to what the user may see: the one answer to "what may this user see and do".

Every view resolves a `StudyAccess` first and reads through it; a subject of a site the user has
no grant at is simply absent from their querysets, so it comes out as a 404, never a leak.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet

from edc.domain.protocol import ProtocolDefinition
from edc.domain.subject_status import SubjectStatus
from edc.models import Membership, ProtocolVersion, Study, StudySite, Subject
from edc.roles import Perm, permissions_for, roles_with

ALL_SITES = None


@dataclass(frozen=True)
class StudyAccess:
    """A user's grants in one study: permissions at all sites (key None) and per study site."""

    study: Study
    grants: dict[uuid.UUID | None, frozenset[Perm]] = field(default_factory=dict)
    roles: frozenset[str] = frozenset()

    def can(self, perm: Perm, study_site_id: uuid.UUID | None = None) -> bool:
        """Whether `perm` holds at the study site (or, with no site, at all sites)."""
        if perm in self.grants.get(ALL_SITES, frozenset()):
            return True
        return study_site_id is not None and perm in self.grants.get(study_site_id, frozenset())

    def can_anywhere(self, perm: Perm) -> bool:
        return any(perm in perms for perms in self.grants.values())

    def study_site_ids(self, perm: Perm) -> set[uuid.UUID] | None:
        """The study sites where `perm` holds; None means every site of the study."""
        if perm in self.grants.get(ALL_SITES, frozenset()):
            return None
        return {site for site, perms in self.grants.items() if site and perm in perms}


def study_access(user: AbstractBaseUser | AnonymousUser, study: Study) -> StudyAccess:
    if not user.is_authenticated or not user.is_active:
        return StudyAccess(study=study)
    grants: dict[uuid.UUID | None, set[Perm]] = defaultdict(set)
    roles = set()
    for m in Membership.objects.filter(user=user, study=study, is_active=True):
        grants[m.study_site_id].update(permissions_for(m.role))
        roles.add(m.role)
    return StudyAccess(
        study=study, grants={k: frozenset(v) for k, v in grants.items()}, roles=frozenset(roles)
    )


def holds_in_any_study(user: AbstractBaseUser | AnonymousUser, perm: Perm) -> bool:
    """Whether an active membership in some study grants `perm` (for pages above the studies)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return Membership.objects.filter(user=user, is_active=True, role__in=roles_with(perm)).exists()


def study_list_for_user(user: AbstractBaseUser) -> QuerySet[Study]:
    return Study.objects.filter(memberships__user=user, memberships__is_active=True).distinct()


def study_get_for_user(user: AbstractBaseUser, registry_id: str) -> Study:
    """The study if the user is a member; Study.DoesNotExist otherwise (the view's 404)."""
    return study_list_for_user(user).get(registry_id=registry_id)


def study_site_list_for_user(access: StudyAccess, perm: Perm) -> QuerySet[StudySite]:
    qs = StudySite.objects.filter(study=access.study, is_active=True).select_related("site")
    ids = access.study_site_ids(perm)
    return qs if ids is None else qs.filter(pk__in=ids)


def subject_list_for_user(
    access: StudyAccess, perm: Perm = Perm.VIEW_SUBJECTS
) -> QuerySet[Subject]:
    qs = Subject.objects.filter(study=access.study).select_related("study_site__site", "stratum")
    ids = access.study_site_ids(perm)
    return qs if ids is None else qs.filter(study_site_id__in=ids)


def subject_search(
    qs: QuerySet[Subject],
    *,
    text: str = "",
    study_site_id: str = "",
    status: str = "",
    stratum_id: str = "",
) -> QuerySet[Subject]:
    """Filter a scoped subject queryset by the list page's search fields."""
    if text:
        qs = qs.filter(Q(screening_number__icontains=text) | Q(subject_identifier__icontains=text))
    if study_site_id:
        qs = qs.filter(study_site_id=study_site_id)
    if status:
        qs = qs.filter(status=status)
    if stratum_id:
        qs = qs.filter(stratum_id=stratum_id)
    return qs


ENROLLED_STATUSES = tuple(
    s.value
    for s in SubjectStatus
    if s not in (SubjectStatus.SCREENING, SubjectStatus.SCREEN_FAILED)
)


@dataclass(frozen=True)
class EnrolmentRow:
    label: str
    screened: int
    enrolled: int
    target: int | None

    @property
    def percent(self) -> int | None:
        return round(100 * self.enrolled / self.target) if self.target else None


def enrolment_by_site(access: StudyAccess) -> list[EnrolmentRow]:
    """Screened and enrolled per study site the user can see, against each site's target."""
    rows = []
    counts = _enrolment_counts(subject_list_for_user(access), "study_site")
    for ss in study_site_list_for_user(access, Perm.VIEW_STUDY):
        screened, enrolled = counts.get(ss.pk, (0, 0))
        rows.append(EnrolmentRow(str(ss), screened, enrolled, ss.target_enrolment))
    return rows


def enrolment_by_stratum(access: StudyAccess) -> list[EnrolmentRow]:
    counts = _enrolment_counts(subject_list_for_user(access), "stratum")
    rows = []
    for stratum in access.study.strata.all():
        screened, enrolled = counts.get(stratum.pk, (0, 0))
        rows.append(EnrolmentRow(str(stratum), screened, enrolled, stratum.target_enrolment))
    return rows


def enrolment_target(access: StudyAccess, study_site: StudySite | None) -> int | None:
    """The enrolment target of what a user is shown: the chosen site's, else the study's
    planned sample size when the user sees every site, else the sum of their sites' targets
    (None when one of them has none)."""
    if study_site is not None:
        return study_site.target_enrolment
    if access.study_site_ids(Perm.VIEW_SUBJECTS) is None:
        return access.study.target_enrolment
    targets = [ss.target_enrolment for ss in study_site_list_for_user(access, Perm.VIEW_SUBJECTS)]
    return None if None in targets or not targets else sum(targets)


def _enrolment_counts(qs: QuerySet[Subject], by: str) -> dict[uuid.UUID, tuple[int, int]]:
    aggregated = qs.values(by).annotate(
        screened=Count("pk"), enrolled=Count("pk", filter=Q(status__in=ENROLLED_STATUSES))
    )
    return {row[by]: (row["screened"], row["enrolled"]) for row in aggregated}


def protocol_current(study: Study) -> ProtocolVersion:
    return study.protocol_versions.get(is_current=True)


def protocol_definition(study: Study) -> ProtocolDefinition:
    """The study's current protocol definition, parsed once per content hash."""
    version = protocol_current(study)
    return _parsed(version.sha256, version.pk)


@lru_cache(maxsize=32)
def _parsed(sha256: str, version_pk: uuid.UUID) -> ProtocolDefinition:
    return ProtocolDefinition.model_validate(ProtocolVersion.objects.get(pk=version_pk).definition)


def site_local(subject: Subject, instant: dt.datetime) -> dt.datetime:
    """An instant as the clock of the subject's site shows it (clinical dates are site dates)."""
    return instant.astimezone(zoneinfo.ZoneInfo(subject.study_site.site.timezone))


def subject_local_date(subject: Subject, instant: dt.datetime) -> dt.date:
    """The calendar date of an instant at the subject's site: study days are counted there."""
    return site_local(subject, instant).date()
