"""The data of the follow-up plots, built once and drawn twice: by Chart.js on the pages
(followup/charts.py) and by matplotlib in the SVG downloads (followup/plot_svg.py), so the screen
and the file cannot disagree.

A figure here holds plotted numbers and translated words only (the language is the caller's);
what the numbers mean (the NCA, the B-cell course, the lane of a subject) comes from
followup.domain through the selectors.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from edc.domain.crf_status import CrfStatus
from edc.episodes import Episode, subject_episodes
from edc.models import Subject
from edc.selectors import subject_local_date
from followup.domain.immunology import HYPOGAMMAGLOBULINAEMIA_IGG_G_PER_L
from followup.domain.kinetics import B_CELL_THRESHOLD_CELLS_PER_UL
from followup.domain.swimmer import swimmer_lane
from followup.efficacy import DEFINITIONS
from followup.efficacy_labels import DEFINITION_LABELS
from followup.models import EndOfStudy, ResponseAssessment, VisitInstance
from followup.selectors import RECORDED_LLOQ, SubjectKinetics

# Grade colours of the CRS/ICANS markers and boxes (ASTCT grades 1-4, 5 = death).
SWIMMER_PER_PAGE = 100  # one picture: a hundred lanes at most, the rest on the next pages
GRADE_COLOURS = {0: "#adb5bd", 1: "#f2c744", 2: "#f08c00", 3: "#e03131", 4: "#862e9c", 5: "#212529"}
ANALYTE_COLOURS = {
    "transgene": "#1971c2",
    "car_cells": "#2f9e44",
    "b_cells": "#6741d9",
    "igg": "#c2255c",
}


@dataclass(frozen=True)
class PlotPoint:
    """A sample as plotted: a result below the LLOQ is drawn at the LLOQ with an open marker."""

    day: float
    y: float
    blq: bool


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    axis: str  # "y" (left) or "y1" (right)
    points: tuple[PlotPoint, ...]
    tint: str = ""  # a colour of its own (one series per subject); else the analyte's

    @property
    def colour(self) -> str:
        return self.tint or ANALYTE_COLOURS[self.key]


@dataclass(frozen=True)
class Level:
    """A horizontal reference line (an LLOQ, a threshold) on one axis."""

    axis: str
    y: float
    label: str


@dataclass(frozen=True)
class Band:
    """A CRS or ICANS episode as a box from onset to resolution (or the last day shown)."""

    label: str
    start_day: float
    end_day: float
    grade: int
    ongoing: bool

    @property
    def colour(self) -> str:
        return GRADE_COLOURS.get(self.grade, GRADE_COLOURS[5])


@dataclass(frozen=True)
class Axis:
    label: str
    log: bool


@dataclass(frozen=True)
class CourseFigure:
    """Values over study days on one or two y axes, with reference lines, the infusion line and
    episode boxes: the expansion curve and the B-cell/IgG course are both this."""

    title: str
    x_label: str
    axes: dict[str, Axis]
    series: tuple[Series, ...]
    levels: tuple[Level, ...]
    bands: tuple[Band, ...] = ()
    day0_label: str = ""
    blq_label: str = ""

    @property
    def empty(self) -> bool:
        return not any(s.points for s in self.series)


def _points(samples: Sequence[tuple[int, object]], lloq: float) -> tuple[PlotPoint, ...]:
    return tuple(
        PlotPoint(day, lloq if value is None else float(value), value is None)
        for day, value in samples
    )


def expansion_figure(kinetics: SubjectKinetics) -> CourseFigure:
    """Transgene copies/µg DNA (left) and CAR+ cells/µL (right), both on log axes, with each
    axis' LLOQ as a line and the samples below it as open markers on it."""
    lloq = RECORDED_LLOQ
    return CourseFigure(
        title=_("CAR-T expansion and persistence"),
        x_label=_("Study day (Day 0 = infusion)"),
        axes={
            "y": Axis(_("Transgene (copies/µg DNA)"), log=True),
            "y1": Axis(_("CAR+ cells/µL"), log=True),
        },
        series=(
            Series(
                "transgene",
                _("Transgene (copies/µg DNA)"),
                "y",
                _points(kinetics.transgene_samples, lloq),
            ),
            Series("car_cells", _("CAR+ cells/µL"), "y1", _points(kinetics.car_cell_samples, lloq)),
        ),
        levels=(
            Level("y", lloq, _("LLOQ (transgene)")),
            Level("y1", lloq, _("LLOQ (CAR+ cells)")),
        ),
        day0_label=_("Infusion (Day 0)"),
        blq_label=_("open marker: below the LLOQ"),
    )


# Colour-blind-safe colours (Okabe-Ito), one per subject on the study's expansion curves.
SUBJECT_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000")


def study_expansion_figure(
    samples: dict[uuid.UUID, list[tuple[int, float | None]]], labels: dict[uuid.UUID, str]
) -> CourseFigure:
    """Every treated subject's transgene copies/µg DNA over study days on one log axis (a line
    per subject, in `labels` order), the LLOQ as a line and the samples below it open on it."""
    lloq = RECORDED_LLOQ
    return CourseFigure(
        title=_("CAR-T expansion and persistence of the treated subjects"),
        x_label=_("Study day (Day 0 = infusion)"),
        axes={"y": Axis(_("Transgene (copies/µg DNA)"), log=True)},
        series=tuple(
            Series(
                "transgene",
                label,
                "y",
                _points(samples.get(pk, []), lloq),
                tint=SUBJECT_COLOURS[i % len(SUBJECT_COLOURS)],
            )
            for i, (pk, label) in enumerate(labels.items())
        ),
        levels=(Level("y", lloq, _("LLOQ (transgene)")),),
        day0_label=_("Infusion (Day 0)"),
        blq_label=_("open marker: below the LLOQ"),
    )


def _episode_label(episode: Episode) -> str:
    return _("%(episode)s grade %(grade)s") % {
        "episode": episode.kind.upper(),
        "grade": episode.max_grade,
    }


def episode_bands(episodes: Sequence[Episode], *, last_day: float) -> tuple[Band, ...]:
    """Each episode from onset to resolution; an ongoing one runs to `last_day`. A box is at
    least one day wide, so an episode over within its day still shows."""
    return tuple(
        Band(
            label=_episode_label(e),
            start_day=e.onset_day,
            end_day=max(last_day if e.resolved_day is None else e.resolved_day, e.onset_day + 1),
            grade=e.max_grade,
            ongoing=e.resolved_day is None,
        )
        for e in episodes
    )


def b_cell_figure(kinetics: SubjectKinetics, episodes: Sequence[Episode]) -> CourseFigure:
    """CD19+ B cells/µL (left, log) and IgG g/L (right) over study days, with the aplasia
    threshold and the 4 g/L line, the infusion and the CRS/ICANS episodes."""
    b_cells = _points(kinetics.b_cell_samples, RECORDED_LLOQ)
    igg = tuple(PlotPoint(day, float(value), False) for day, value in kinetics.igg_samples)
    days = [p.day for p in (*b_cells, *igg)] or [0]
    return CourseFigure(
        title=_("B cells and IgG"),
        x_label=_("Study day (Day 0 = infusion)"),
        axes={"y": Axis(_("CD19+ B cells/µL"), log=True), "y1": Axis(_("IgG (g/L)"), log=False)},
        series=(
            Series("b_cells", _("CD19+ B cells/µL"), "y", b_cells),
            Series("igg", _("IgG (g/L)"), "y1", igg),
        ),
        levels=(
            Level("y", B_CELL_THRESHOLD_CELLS_PER_UL, _("B-cell aplasia threshold (1/µL)")),
            Level("y1", float(HYPOGAMMAGLOBULINAEMIA_IGG_G_PER_L), _("IgG 4 g/L")),
        ),
        bands=episode_bands(episodes, last_day=max(days)),
        day0_label=_("Infusion (Day 0)"),
        blq_label=_("open marker: below the LLOQ"),
    )


# --- The swimmer plot -----------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    lane: int  # index of the subject's lane
    day: float
    text: str  # the tooltip and the SVG's words: "D28", "CRS grade 2"
    colour: str


@dataclass(frozen=True)
class MarkerSeries:
    """One kind of marker on the lanes (visits, CRS, ICANS, ends of study...), one legend entry.
    `symbol` is a Chart.js point style (followup/plot_svg.py maps it to matplotlib's)."""

    key: str
    label: str
    symbol: str
    markers: tuple[Marker, ...]


@dataclass(frozen=True)
class SwimmerLane:
    label: str  # the subject id: the plot is de-identified
    end_day: int
    ongoing: bool


@dataclass(frozen=True)
class SwimmerFigure:
    title: str
    x_label: str
    lanes: tuple[SwimmerLane, ...]
    series: tuple[MarkerSeries, ...]
    ongoing_label: str
    lane_label: str = ""


@dataclass(frozen=True)
class SwimmerPage:
    """What every marker builder is given: the page's infused subjects (lane i = subjects[i]),
    their end-of-study rows and the page's language. A builder reads anything else it needs
    for all the page's subjects in one query, so the page answers in constant queries."""

    subjects: tuple[Subject, ...]
    endings: dict[uuid.UUID, EndOfStudy]
    lang: str
    lanes: dict[uuid.UUID, int] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lanes", {s.pk: i for i, s in enumerate(self.subjects)})


MarkerBuilder = Callable[[SwimmerPage], list[MarkerSeries]]


def visit_markers(page: SwimmerPage) -> list[MarkerSeries]:
    """The visits done, on the day they were done."""
    by_pk = {s.pk: s for s in page.subjects}
    rows = VisitInstance.objects.filter(
        subject__in=page.subjects, state=VisitInstance.State.DONE, done_on__isnull=False
    ).order_by("done_on", "pk")
    markers = tuple(
        Marker(
            page.lanes[row.subject_id],
            (row.done_on - by_pk[row.subject_id].day0_date).days,
            row.visit_code,
            "#495057",
        )
        for row in rows
    )
    return [MarkerSeries("visit", _("Visit done"), "circle", markers)]


EPISODE_SYMBOLS = {"crs": "triangle", "icans": "rectRot"}


def episode_markers(page: SwimmerPage) -> list[MarkerSeries]:
    """The CRS and ICANS episodes at their onset, coloured by their maximum grade."""
    episodes = subject_episodes(page.subjects, lang=page.lang)
    series = []
    for kind, symbol in EPISODE_SYMBOLS.items():
        markers = tuple(
            Marker(
                page.lanes[pk],
                e.onset_day,
                _episode_label(e),
                GRADE_COLOURS.get(e.max_grade, GRADE_COLOURS[5]),
            )
            for pk, rows in episodes.items()
            for e in rows
            if e.kind == kind
        )
        label = (
            _("CRS onset (colour: grade)") if kind == "crs" else _("ICANS onset (colour: grade)")
        )
        series.append(MarkerSeries(kind, label, symbol, markers))
    return series


END_SYMBOLS = {
    "completed": ("star", "#2f9e44"),
    "withdrawn": ("crossRot", "#e8590c"),
    "lost_to_follow_up": ("crossRot", "#868e96"),
    "death": ("rect", "#212529"),
}


def end_of_study_markers(page: SwimmerPage) -> list[MarkerSeries]:
    """Completion, withdrawal, loss to follow-up and death at the end of the lane."""
    labels = dict(EndOfStudy._meta.get_field("ending").choices)
    series = []
    for ending, (symbol, colour) in END_SYMBOLS.items():
        markers = tuple(
            Marker(page.lanes[s.pk], _lane(s, page).end_day, str(labels[ending]), colour)
            for s in page.subjects
            if (row := page.endings.get(s.pk)) is not None and row.ending == ending
        )
        series.append(MarkerSeries(ending, str(labels[ending]), symbol, markers))
    return series


def response_markers(page: SwimmerPage) -> list[MarkerSeries]:
    """The first visit at which the subject's main response definition was met (DORIS remission
    in SLE, the mRSS improvement in SSc, ...: the first of followup.efficacy.DEFINITIONS), from
    the stored verdicts in one query."""
    primary = {
        s.pk: DEFINITIONS[s.stratum.code][0] for s in page.subjects if s.stratum.code in DEFINITIONS
    }
    rows = ResponseAssessment.objects.filter(
        subject__in=page.subjects,
        definition__in=set(primary.values()),
        result=ResponseAssessment.Result.MET,
    ).order_by("subject_id", "study_day")
    first: dict[uuid.UUID, ResponseAssessment] = {}
    for row in rows:
        if primary.get(row.subject_id) == row.definition:
            first.setdefault(row.subject_id, row)
    markers = tuple(
        Marker(
            page.lanes[pk],
            row.study_day,
            _("%(definition)s met (%(visit)s)")
            % {"definition": DEFINITION_LABELS[row.definition], "visit": row.visit_code},
            "#2b8a3e",
        )
        for pk, row in first.items()
    )
    return [MarkerSeries("response", _("Main response first met"), "rectRounded", markers)]


# Each builder adds its series in this order (the legend's).
MARKER_BUILDERS: tuple[MarkerBuilder, ...] = (
    visit_markers,
    episode_markers,
    response_markers,
    end_of_study_markers,
)


def _lane(subject: Subject, page: SwimmerPage):
    row = page.endings.get(subject.pk)
    return swimmer_lane(
        day0=subject.day0_date,
        today=subject_local_date(subject, dt.datetime.now(dt.UTC)),
        end_date=row.end_date if row else None,
        death_date=row.death_date if row else None,
    )


def swimmer_figure(
    subjects: Sequence[Subject],
    *,
    lang: str,
    builders: Sequence[MarkerBuilder] = MARKER_BUILDERS,
) -> SwimmerFigure:
    """The lanes of the infused `subjects` (one page of them, with study_site__site selected)
    from Day 0 to their end of study or today, and the markers of every builder."""
    subjects = tuple(subjects)
    endings = {
        row.subject_id: row
        for row in EndOfStudy.objects.filter(subject__in=subjects).exclude(status=CrfStatus.DRAFT)
    }
    page = SwimmerPage(subjects, endings, lang)
    with translation.override(lang):
        lanes = tuple(
            SwimmerLane(str(s), lane.end_day, lane.ongoing)
            for s in subjects
            for lane in (_lane(s, page),)
        )
        series = tuple(s for builder in builders for s in builder(page))
        return SwimmerFigure(
            title=_("Swimmer plot: follow-up of the treated subjects"),
            x_label=_("Study day (Day 0 = infusion)"),
            lanes=lanes,
            series=series,
            ongoing_label=_("On study (follow-up goes on)"),
            lane_label=_("Follow-up from Day 0"),
        )
