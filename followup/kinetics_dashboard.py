"""The dashboard's kinetics panel (registered in apps.py with edc.dashboards): the expansion
curves of the treated subjects on one log axis, drawn by the kinetics page's chart builder, and
each subject's Cmax, Tmax and last quantifiable day (followup.domain.kinetics) beneath."""

from __future__ import annotations

from django.utils.translation import gettext as _

from edc.dashboards import Chart, DashboardScope, DataTable, Panel
from followup import charts, plot_data
from followup.domain.kinetics import nca
from followup.selectors import RECORDED_LLOQ, transgene_samples_among, treated_among


def _shown(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def kinetics_panel(scope: DashboardScope) -> Panel:
    subjects = list(treated_among(scope.subjects)[: plot_data.SWIMMER_PER_PAGE])
    samples = transgene_samples_among(subjects)
    labels = {s.pk: str(s) for s in subjects}  # as the swimmer plot labels its lanes
    figure = plot_data.study_expansion_figure(samples, labels)
    rows = []
    for subject in subjects:
        points = samples.get(subject.pk)
        result = nca(samples=points, lloq=RECORDED_LLOQ) if points else None
        rows.append(
            (
                labels[subject.pk],
                _shown(result.cmax if result else None),
                _shown(result.tmax if result else None),
                _shown(result.tlast if result else None),
            )
        )
    chart = Chart("chart-kinetics", figure.title, charts.course_config(figure), wide=True)
    return Panel(
        code="kinetics",
        title=_("Cellular kinetics"),
        note=_(
            "Transgene copies/µg DNA of each treated subject by study day (log axis; open "
            "markers below the LLOQ). Each subject's kinetics page has both analytes and the "
            "B-cell course."
        ),
        charts=(chart,) if not figure.empty else (),
        tables=(
            DataTable(
                _("Transgene expansion per subject"),
                (
                    _("Subject"),
                    _("Cmax (copies/µg DNA)"),
                    _("Tmax (day)"),
                    _("Last quantifiable day"),
                ),
                tuple(rows),
                text_columns=1,
            ),
        ),
    )
