"""The Datasets page: start an export, follow its progress, download what it wrote."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from edc.datasets import DatasetExport, dataset_export_downloaded, dataset_export_request
from edc.decorators import study_view
from edc.forms import DatasetExportForm, add_service_errors
from edc.pagination import paged
from edc.roles import Perm
from edc.selectors import StudyAccess

EXPORTS_PER_PAGE = 20


def require_all_sites(access: StudyAccess) -> None:
    """An export holds every site's data, so the permission must hold at all sites (as for
    data managers and sponsors); a site-level grant would otherwise see other sites' subjects."""
    if not access.can(Perm.EXPORT_DATASETS):
        raise PermissionDenied


@study_view(Perm.EXPORT_DATASETS)
def dataset_list(request: HttpRequest) -> HttpResponse:
    require_all_sites(request.access)
    # The moment is typed in UTC, whatever the user's site time zone.
    with timezone.override(dt.UTC):
        form = DatasetExportForm(request.POST or None)
        valid = request.method == "POST" and form.is_valid()
    if valid:
        try:
            dataset_export_request(
                study=request.study,
                actor=request.user,
                as_of=form.cleaned_data["as_of"],
                kind=form.cleaned_data["kind"],
                audit_records=form.cleaned_data["audit_records"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The export has started; this page shows its progress."))
            return redirect("edc:datasets", request.study.registry_id)
    exports = DatasetExport.objects.filter(study=request.study).select_related("requested_by")
    page = paged(request, exports, per_page=EXPORTS_PER_PAGE)
    in_progress = any(
        e.status in (DatasetExport.Status.PENDING, DatasetExport.Status.RUNNING) for e in page
    )
    return render(
        request, "edc/datasets.html", {"form": form, "page": page, "in_progress": in_progress}
    )


@study_view(Perm.EXPORT_DATASETS)
def dataset_download(request: HttpRequest, pk) -> FileResponse:
    """The stored file, byte for byte as recorded (its SHA-256 is on the page)."""
    require_all_sites(request.access)
    export = get_object_or_404(DatasetExport, pk=pk, study=request.study)
    if export.status != DatasetExport.Status.DONE or not export.file:
        raise Http404
    export = dataset_export_downloaded(export, actor=request.user)
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.download_name,
        content_type=export.content_type,
    )
