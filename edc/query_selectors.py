"""Reads of data queries, scoped to the sites the user sees; each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from edc.data_queries import UNRESOLVED, Query
from edc.domain.query_workflow import QueryStatus
from edc.models import Membership, Subject
from edc.roles import Perm, roles_with
from edc.selectors import StudyAccess


def query_list_for_user(access: StudyAccess) -> QuerySet[Query]:
    qs = Query.objects.filter(subject__study=access.study).select_related(
        "subject__study_site__site", "raised_by"
    )
    ids = access.study_site_ids(Perm.VIEW_SUBJECTS)
    return qs if ids is None else qs.filter(subject__study_site_id__in=ids)


def query_search(
    qs: QuerySet[Query],
    *,
    study_site_id: uuid.UUID | None = None,
    subject: str = "",
    status: str = "",
    origin: str = "",
    older_than_days: int | None = None,
) -> QuerySet[Query]:
    """The list page's filters; `older_than_days` keeps queries raised at least that long ago."""
    if study_site_id:
        qs = qs.filter(subject__study_site_id=study_site_id)
    if subject:
        qs = qs.filter(
            Q(subject__screening_number__icontains=subject)
            | Q(subject__subject_identifier__icontains=subject)
        )
    if status:
        qs = qs.filter(status=status)
    if origin:
        qs = qs.filter(origin=origin)
    if older_than_days is not None:
        qs = qs.filter(created_at__lte=timezone.now() - dt.timedelta(days=older_than_days))
    return qs


def unresolved_by_cell(subject: Subject) -> dict[tuple[str, str], int]:
    """(visit code, CRF code) -> unresolved queries, for the casebook's badges (one query)."""
    rows = (
        Query.objects.filter(subject=subject, status__in=UNRESOLVED)
        .values("visit_code", "crf_code")
        .annotate(n=Count("pk"))
    )
    return {(r["visit_code"], r["crf_code"]): r["n"] for r in rows}


def unresolved_by_field(
    subject: Subject, visit_code: str, crf_code: str, row_id: uuid.UUID | None
) -> dict[str, list[Query]]:
    """field name -> the unresolved queries on it, for the flags on the form page."""
    by_field: dict[str, list[Query]] = defaultdict(list)
    qs = Query.objects.filter(
        subject=subject, visit_code=visit_code, crf_code=crf_code, status__in=UNRESOLVED
    )
    for query in qs.filter(Q(row_id=row_id) | Q(row_id__isnull=True)):
        by_field[query.field_name].append(query)
    return dict(by_field)


def open_query_count(access: StudyAccess) -> int:
    """Queries awaiting an answer at the user's sites (the navigation's count)."""
    return query_list_for_user(access).filter(status=QueryStatus.OPEN).count()


def queries_awaiting_answer(user) -> QuerySet[Query]:
    """Open queries at every site where the user answers them (enters data), in every study."""
    answering = Membership.objects.filter(
        user=user, is_active=True, role__in=roles_with(Perm.ENTER_DATA)
    )
    at_sites = answering.filter(study_site__isnull=False).values("study_site_id")
    all_sites = answering.filter(study_site__isnull=True).values("study_id")
    return (
        Query.objects.filter(status=QueryStatus.OPEN)
        .filter(Q(subject__study_site_id__in=at_sites) | Q(subject__study_id__in=all_sites))
        .select_related("subject__study")
        .order_by("created_at", "pk")
    )


def unresolved_raised_on(subjects: QuerySet[Subject]) -> list[tuple[uuid.UUID, dt.date]]:
    """(study site id, day raised) of every open or answered query of `subjects` (one query)."""
    rows = Query.objects.filter(subject__in=subjects, status__in=UNRESOLVED).values_list(
        "subject__study_site_id", "created_at"
    )
    return [(site_id, timezone.localdate(created_at)) for site_id, created_at in rows]
