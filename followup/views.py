"""The follow-up pages: a subject's visit schedule, read-only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from edc import selectors as edc_selectors
from edc.decorators import study_view
from edc.roles import Perm
from followup.selectors import subject_schedule


@study_view(Perm.VIEW_SUBJECTS)
def schedule_page(request: HttpRequest, pk) -> HttpResponse:
    """Each follow-up visit with its target, window and today's status at the subject's site."""
    subject = get_object_or_404(edc_selectors.subject_list_for_user(request.access), pk=pk)
    return render(
        request,
        "followup/schedule.html",
        {"subject": subject, "visits": subject_schedule(subject, lang=get_language() or "en")},
    )
