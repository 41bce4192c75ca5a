"""The dashboard's query-ageing panel (registered in apps.py with edc.dashboards): how long the
open and answered queries of each site shown have waited, by age band, and the median age. The
counting is edc/domain/query_ageing.py."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from edc.dashboards import (
    Chart,
    DashboardScope,
    DataTable,
    Panel,
    bar_config,
    dataset,
    palette_colour,
    shown_sites,
)
from edc.domain.query_ageing import AGE_BANDS, AgeBand, ages_by_group, band_counts, median_age
from edc.query_selectors import unresolved_raised_on


def _band_label(band: AgeBand) -> str:
    if band.high is None:
        return _(">%(low)d days") % {"low": band.low - 1}
    return _("%(low)d–%(high)d days") % {"low": band.low, "high": band.high}


def query_ageing_panel(scope: DashboardScope) -> Panel:
    sites = list(shown_sites(scope))
    ages = ages_by_group(
        unresolved_raised_on(scope.subjects), timezone.localdate(), [ss.pk for ss in sites]
    )
    counts = {ss.pk: band_counts(ages[ss.pk]) for ss in sites}
    bands = [_band_label(band) for band in AGE_BANDS]
    datasets = [
        dataset(label, [counts[ss.pk][i] for ss in sites], palette_colour(i))
        for i, label in enumerate(bands)
    ]
    config = bar_config(
        [str(ss) for ss in sites],
        datasets,
        x_title=_("Site"),
        y_title=_("Unresolved queries"),
        stacked=True,
    )
    every_age = [days for site_ages in ages.values() for days in site_ages]
    rows = [(str(ss), *counts[ss.pk], len(ages[ss.pk]), median_age(ages[ss.pk])) for ss in sites]
    rows.append((_("All shown"), *band_counts(every_age), len(every_age), median_age(every_age)))
    return Panel(
        code="query_ageing",
        title=_("Query ageing"),
        note=_(
            "Open and answered queries by whole days since they were raised; closed queries "
            "count nowhere."
        ),
        charts=(Chart("chart-query-ageing", _("Unresolved queries by age"), config),),
        tables=(
            DataTable(
                _("Unresolved queries by age band"),
                (_("Site"), *bands, _("Total"), _("Median age (days)")),
                tuple(rows),
            ),
        ),
    )
