"""The follow-up pages: a subject's visit schedule, and the site calendar (a list by week and a
month grid). All read-only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language

from edc import selectors as edc_selectors
from edc.decorators import study_view
from edc.models import Stratum, StudySite
from edc.roles import Perm
from followup import selectors
from followup.domain.calendar import DAY, WEEK, Month, whole_weeks
from followup.domain.schedule import VisitStatus
from followup.forms import SiteCalendarForm
from followup.models import VisitInstance
from followup.selectors import subject_schedule

CALENDAR_WEEKS = 4  # the list shows four weeks from this week, and everything late
CALENDAR_PER_PAGE = 50


@study_view(Perm.VIEW_SUBJECTS)
def schedule_page(request: HttpRequest, pk) -> HttpResponse:
    """Each follow-up visit with its target, window and today's status at the subject's site."""
    subject = get_object_or_404(edc_selectors.subject_list_for_user(request.access), pk=pk)
    return render(
        request,
        "followup/schedule.html",
        {"subject": subject, "visits": subject_schedule(subject, lang=get_language() or "en")},
    )


@dataclass(frozen=True)
class _Calendar:
    """What both calendar pages start from: the filters, the chosen site and its today, and the
    open visits the filters select."""

    form: SiteCalendarForm
    site: StudySite | None
    today: dt.date
    names: dict[str, str]
    visits: QuerySet[VisitInstance]
    overdue: int
    start: dt.date | None

    def context(self, request: HttpRequest, **more: object) -> dict[str, object]:
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("start", None)
        return {
            "form": self.form,
            "site": self.site,
            "today": self.today,
            "overdue": self.overdue,
            "legend": [(s.value, selectors.STATUS_LABELS[s]) for s in selectors.CALENDAR_STATUSES],
            "filters": query.urlencode(),
            "this_month": Month.of(self.today),
            **more,
        }


def _calendar(request: HttpRequest, *, with_start: bool) -> _Calendar:
    access, study = request.access, request.study
    lang = get_language() or "en"
    sites = edc_selectors.study_site_list_for_user(access, Perm.VIEW_SUBJECTS)
    names = selectors.visit_names(study, lang=lang)
    form = SiteCalendarForm(
        request.GET or None,
        study_sites=sites,
        strata=Stratum.objects.filter(study=study),
        visits=selectors.follow_up_visit_names(study, lang=lang),
        statuses={s.value: selectors.STATUS_LABELS[s] for s in selectors.CALENDAR_STATUSES},
        with_start=with_start,
    )
    # A filter that does not parse is said so on its field; the others still apply.
    form.is_valid()
    data = form.cleaned_data if form.is_bound else {}
    site = data.get("site") or sites.first()
    if site is None:  # a study without an active site yet
        return _Calendar(
            form, None, timezone.localdate(), names, VisitInstance.objects.none(), 0, None
        )
    today = selectors.site_local_date(site, timezone.now())
    stratum = data.get("stratum")
    visits = selectors.calendar_visits(
        access,
        site,
        stratum_id=stratum.pk if stratum else None,
        visit_code=data.get("visit", ""),
    )
    overdue = selectors.overdue_count(visits, today)
    if data.get("status"):
        visits = selectors.with_status(visits, VisitStatus(data["status"]), today)
    return _Calendar(form, site, today, names, visits, overdue, data.get("start"))


@study_view(Perm.VIEW_SUBJECTS)
def calendar_page(request: HttpRequest) -> HttpResponse:
    """The site's open visits of four weeks from this week (or the chosen week) by week and day,
    with every late one while the weeks include today; paginated."""
    cal = _calendar(request, with_start=True)
    shown = whole_weeks(cal.start or cal.today, CALENDAR_WEEKS)
    rows = selectors.calendar_list(cal.visits, shown, cal.today)
    page = Paginator(rows, CALENDAR_PER_PAGE).get_page(request.GET.get("page"))
    page_query = request.GET.copy()
    page_query.pop("page", None)
    return render(
        request,
        "followup/calendar.html",
        cal.context(
            request,
            page=page,
            query=page_query.urlencode(),
            weeks=selectors.calendar_weeks(page.object_list, cal.names, cal.today),
            shown=shown,
            weeks_shown=CALENDAR_WEEKS,
            earlier=shown.first - CALENDAR_WEEKS * WEEK,
            later=shown.last + DAY,
        ),
    )


@study_view(Perm.VIEW_SUBJECTS)
def calendar_month_page(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """The month's grid at the site, each day with the visits targeted on it."""
    if not (1 <= month <= 12 and dt.MINYEAR < year < dt.MAXYEAR):
        raise Http404
    cal = _calendar(request, with_start=False)
    shown = Month(year, month)
    return render(
        request,
        "followup/calendar_month.html",
        cal.context(
            request,
            month=shown,
            grid=selectors.month_calendar(cal.visits, shown, cal.names, cal.today),
            previous=shown.shifted(-1),
            next=shown.shifted(1),
        ),
    )
