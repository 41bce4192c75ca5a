"""The follow-up pages: a subject's visit schedule, a visit declared done or missed, an
unscheduled visit added, the protocol deviations per site, the site calendar (a list by
week and a month grid, read-only), a subject's kinetics and B cells, and the study's swimmer
plot (both plots also as SVG files)."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from edc import selectors as edc_selectors
from edc.casebook import crf_display_name
from edc.decorators import study_view
from edc.episodes import subject_episodes
from edc.forms import StudySiteFilterForm, add_service_errors
from edc.models import Stratum, StudySite, Subject
from edc.pagination import paged
from edc.roles import Perm
from edc.submissions import (
    DuplicateSubmission,
    submission_claimed,
)
from followup import charts, plot_data, plot_svg, selectors, services
from followup.domain.calendar import DAY, WEEK, Month, whole_weeks
from followup.domain.schedule import VisitStatus
from followup.forms import (
    SiteCalendarForm,
    UnscheduledVisitForm,
    VisitDoneForm,
    VisitMissedForm,
)
from followup.models import UnscheduledVisit, VisitInstance
from followup.plot_data import SWIMMER_PER_PAGE
from followup.selectors import (
    deviation_list,
    subject_schedule,
    subject_unscheduled_visits,
    visit_names,
)

DEVIATIONS_PER_PAGE = 25
ALREADY_SAVED = gettext_lazy("This visit had already been added; it was not added again.")


def _lang() -> str:
    return get_language() or "en"


def _subject(request: HttpRequest, pk) -> Subject:
    return get_object_or_404(edc_selectors.subject_list_for_user(request.access), pk=pk)


def _can_edit(request: HttpRequest, subject: Subject) -> bool:
    return request.access.can(Perm.ENTER_DATA, subject.study_site_id)


def _to_schedule(request: HttpRequest, subject: Subject) -> HttpResponse:
    return redirect("followup:schedule", request.study.registry_id, subject.pk)


CALENDAR_WEEKS = 4  # the list shows four weeks from this week, and everything late
CALENDAR_PER_PAGE = 50


@study_view(Perm.VIEW_SUBJECTS)
def schedule_page(request: HttpRequest, pk) -> HttpResponse:
    """Each visit with its target, window and today's status at the subject's site, and the
    unscheduled visits with their forms; the site team records from here."""
    subject = _subject(request, pk)
    definition = edc_selectors.protocol_definition(request.study)
    unscheduled = [
        (row, [(code, crf_display_name(definition, code, _lang())) for code in row.crf_codes])
        for row in subject_unscheduled_visits(subject)
    ]
    return render(
        request,
        "followup/schedule.html",
        {
            "subject": subject,
            "visits": subject_schedule(subject, lang=_lang()),
            "unscheduled": unscheduled,
            "can_edit": _can_edit(request, subject),
            "new_visit_token": uuid.uuid4(),
        },
    )


def _declare(request, form, visit: VisitInstance, action: str) -> VisitInstance | None:
    """Hand a valid form to its service; a refusal goes onto the form and None is returned."""
    version = form.cleaned_data["row_version"]
    try:
        if action == "done":
            return services.visit_mark_done(
                visit,
                done_on=form.cleaned_data["done_on"],
                actor=request.user,
                expected_version=version,
            )
        return services.visit_mark_missed(
            visit,
            reason=form.cleaned_data["missed_reason"],
            actor=request.user,
            expected_version=version,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@study_view(Perm.VIEW_SUBJECTS)
def visit_page(request: HttpRequest, pk, visit_pk) -> HttpResponse:
    """One visit: its window and what is recorded; the site team declares it done (a date
    outside the window is a protocol deviation, shown with its size) or missed (with a reason)."""
    subject = _subject(request, pk)
    visit = get_object_or_404(VisitInstance, subject=subject, pk=visit_pk)
    can_edit = _can_edit(request, subject) and visit.state == VisitInstance.State.OPEN
    if request.method == "POST" and not _can_edit(request, subject):
        raise PermissionDenied
    action = request.POST.get("action") if request.method == "POST" else None
    done_form = VisitDoneForm(request.POST if action == "done" else None, instance=copy.copy(visit))
    missed_form = VisitMissedForm(
        request.POST if action == "missed" else None, instance=copy.copy(visit)
    )
    form = {"done": done_form, "missed": missed_form}.get(action or "")
    if form is not None and form.is_valid():
        saved = _declare(request, form, visit, action)
        if saved is not None:
            messages.success(request, _("Visit recorded."))
            if saved.deviation_days:
                messages.warning(
                    request,
                    _("Done outside its window (%(deviation)s): recorded as a protocol deviation.")
                    % {"deviation": saved.deviation_text},
                )
            return _to_schedule(request, subject)
    name = visit_names(request.study, lang=_lang()).get(visit.visit_code, visit.visit_code)
    return render(
        request,
        "followup/visit.html",
        {
            "subject": subject,
            "visit": visit,
            "visit_name": name,
            "state_label": visit.get_state_display(),
            "done_form": done_form,
            "missed_form": missed_form,
            "can_edit": can_edit,
        },
    )


def _crf_choices(request: HttpRequest, subject: Subject) -> list[tuple[str, str]]:
    definition = edc_selectors.protocol_definition(request.study)
    return [
        (code, crf_display_name(definition, code, _lang()))
        for code in services.unscheduled_crf_choices(subject)
    ]


@study_view(Perm.ENTER_DATA)
def unscheduled_add_page(request: HttpRequest, pk, token: uuid.UUID) -> HttpResponse:
    """Add an unscheduled visit: its date, the reason, and the forms to enter for it. The page
    keeps its once-only token in its address (the schedule page draws a new one each time), so
    the back button cannot add the visit twice (edc/submissions.py)."""
    subject = get_object_or_404(
        edc_selectors.subject_list_for_user(request.access, Perm.ENTER_DATA), pk=pk
    )
    if request.method == "GET" and submission_claimed(token):
        messages.info(request, ALREADY_SAVED)
        return _to_schedule(request, subject)
    bound = request.POST if request.method == "POST" else None
    form = UnscheduledVisitForm(
        bound,
        instance=UnscheduledVisit(subject=subject, number=1),
        crf_choices=_crf_choices(request, subject),
    )
    if bound and form.is_valid():
        try:
            row = services.unscheduled_visit_add(
                subject,
                visit_date=form.cleaned_data["visit_date"],
                reason=form.cleaned_data["reason"],
                crf_codes=form.cleaned_data["crf_codes"],
                actor=request.user,
                submission_token=token,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DuplicateSubmission:
            messages.info(request, ALREADY_SAVED)
            return _to_schedule(request, subject)
        else:
            messages.success(
                request, _("Unscheduled visit %(code)s added.") % {"code": row.visit_code}
            )
            return _to_schedule(request, subject)
    return render(
        request,
        "followup/unscheduled_add.html",
        {"subject": subject, "form": form},
    )


@study_view(Perm.VIEW_SUBJECTS)
def deviation_list_page(request: HttpRequest) -> HttpResponse:
    """Visits done outside their window at the sites the user sees, filterable by site."""
    sites = edc_selectors.study_site_list_for_user(request.access, Perm.VIEW_SUBJECTS)
    form = StudySiteFilterForm(request.GET or None, study_sites=sites)
    site = form.cleaned_data["site"] if form.is_valid() else None
    rows = deviation_list(request.access, study_site_id=site.pk if site else "")
    page = paged(request, rows, per_page=DEVIATIONS_PER_PAGE)
    names = visit_names(request.study, lang=_lang())
    return render(
        request,
        "followup/deviations.html",
        {
            "form": form,
            "page": page,
            "rows": [(row, names.get(row.visit_code, row.visit_code)) for row in page],
        },
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
    page = paged(request, rows, per_page=CALENDAR_PER_PAGE)
    return render(
        request,
        "followup/calendar.html",
        cal.context(
            request,
            page=page,
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


# --- Kinetics and B cells, and the swimmer plot ----------------------------------------------

NCA_FLAG_LABELS = {
    "day0_assumed": gettext_lazy("no sample on Day 0: 0 assumed"),
    "blq_after_first_quantifiable_left_out": gettext_lazy(
        "samples below the LLOQ after the first quantifiable one left out"
    ),
    "auc_truncated": gettext_lazy("AUC truncated: last sample before Day 28"),
    "auc_interpolated": gettext_lazy("value on Day 28 interpolated"),
    "no_quantifiable_value": gettext_lazy("no quantifiable value"),
}


def _svg_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@study_view(Perm.VIEW_SUBJECTS)
def kinetics_page(request: HttpRequest, pk) -> HttpResponse:
    """The subject's CAR-T expansion and persistence (NCA, clinical-rules.md §13.7), B-cell
    aplasia and reconstitution, IgG below 4 g/L and the IVIG given, with their two plots."""
    subject = _subject(request, pk)
    kinetics = selectors.subject_kinetics(subject)
    episodes = subject_episodes([subject], lang=_lang()).get(subject.pk, [])
    analytes = [
        (_("Transgene (copies/µg DNA)"), kinetics.transgene),
        (_("CAR+ cells/µL"), kinetics.car_cells),
    ]
    return render(
        request,
        "followup/kinetics.html",
        {
            "subject": subject,
            "kinetics": kinetics,
            "nca_rows": [
                (name, result, [NCA_FLAG_LABELS[f] for f in result.flags] if result else [])
                for name, result in analytes
            ],
            "ivig": selectors.ivig_medications(subject),
            "expansion": charts.course_config(plot_data.expansion_figure(kinetics)),
            "course": charts.course_config(plot_data.b_cell_figure(kinetics, episodes)),
        },
    )


@study_view(Perm.VIEW_SUBJECTS)
def kinetics_expansion_svg(request: HttpRequest, pk) -> HttpResponse:
    """The expansion curve as an SVG file, in the page's language."""
    subject = _subject(request, pk)
    figure = plot_data.expansion_figure(selectors.subject_kinetics(subject))
    return _svg_response(plot_svg.course_svg(figure), f"{subject}-expansion.svg")


def _swimmer_page(request: HttpRequest):
    page = paged(request, selectors.treated_subjects(request.access), per_page=SWIMMER_PER_PAGE)
    return page, plot_data.swimmer_figure(page.object_list, lang=_lang())


@study_view(Perm.VIEW_SUBJECTS)
def swimmer_page(request: HttpRequest) -> HttpResponse:
    """Every treated subject the user may see as a lane from Day 0, with visits, CRS/ICANS
    episodes and the end of study; a hundred lanes a page."""
    page, figure = _swimmer_page(request)
    return render(
        request,
        "followup/swimmer.html",
        {"page": page, "figure": figure, "config": charts.swimmer_config(figure)},
    )


@study_view(Perm.VIEW_SUBJECTS)
def swimmer_svg(request: HttpRequest) -> HttpResponse:
    """The swimmer plot's page as an SVG file, in the page's language."""
    page, figure = _swimmer_page(request)
    name = f"{request.study.registry_id}-swimmer-{page.number}.svg"
    return _svg_response(plot_svg.swimmer_svg(figure), name)
