"""The plots' data, as the Chart.js configurations carry it: log axes, the LLOQ as a line, open
markers for samples below the LLOQ, the infusion and the episodes as annotations."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from edc.episodes import Episode
from followup.charts import OPEN, course_config, swimmer_config
from followup.plot_data import (
    GRADE_COLOURS,
    Marker,
    MarkerSeries,
    SwimmerFigure,
    SwimmerLane,
    b_cell_figure,
    episode_bands,
    expansion_figure,
)
from followup.selectors import RECORDED_LLOQ, SubjectKinetics

KINETICS = SubjectKinetics(
    day0=dt.date(2026, 5, 6),
    transgene=None,
    car_cells=None,
    b_cells=None,
    igg=None,
    transgene_samples=((0, 150.0), (7, 45000.0), (90, None)),
    car_cell_samples=((0, 0.3), (7, 90.0), (90, None)),
    b_cell_samples=((-1, 182.0), (7, None), (90, 12.0)),
    igg_samples=((28, Decimal("3.6")),),
)


def _episode(kind="crs", onset=1, resolved=4, grade=2):
    return Episode(uuid.uuid4(), kind, kind.upper(), onset, resolved, grade)


def test_the_expansion_curve_has_both_analytes_on_log_axes():
    scales = course_config(expansion_figure(KINETICS))["options"]["scales"]
    assert (scales["y"]["type"], scales["y1"]["type"]) == ("logarithmic", "logarithmic")
    assert scales["x"]["type"] == "linear"


def test_the_lloq_is_a_dashed_line_on_each_analyte_axis():
    annotations = course_config(expansion_figure(KINETICS))["options"]["plugins"]["annotation"]
    lines = [a for a in annotations["annotations"].values() if a.get("borderDash")]
    assert [(a["scaleID"], a["value"]) for a in lines] == [
        ("y", RECORDED_LLOQ),
        ("y1", RECORDED_LLOQ),
    ]


def test_a_sample_below_the_lloq_is_an_open_marker_on_the_lloq():
    transgene = course_config(expansion_figure(KINETICS))["data"]["datasets"][0]
    assert transgene["data"][-1] == {"x": 90, "y": RECORDED_LLOQ}
    assert transgene["pointBackgroundColor"][-1] == OPEN
    assert OPEN not in transgene["pointBackgroundColor"][:2]


def test_the_infusion_is_a_line_on_day_0():
    annotations = course_config(expansion_figure(KINETICS))["options"]["plugins"]["annotation"]
    assert annotations["annotations"]["day0"]["scaleID"] == "x"
    assert annotations["annotations"]["day0"]["value"] == 0


def test_an_episode_is_a_box_from_onset_to_resolution_coloured_by_grade():
    config = course_config(b_cell_figure(KINETICS, [_episode(onset=1, resolved=4, grade=3)]))
    box = config["options"]["plugins"]["annotation"]["annotations"]["episode0"]
    assert (box["type"], box["xMin"], box["xMax"]) == ("box", 1, 4)
    assert box["borderColor"] == GRADE_COLOURS[3]
    assert box["label"]["content"] == "CRS grade 3"


def test_an_ongoing_episode_runs_to_the_last_day_shown():
    (band,) = episode_bands([_episode(onset=5, resolved=None)], last_day=90)
    assert (band.end_day, band.ongoing) == (90, True)


def test_an_episode_over_within_its_day_is_still_a_day_wide():
    (band,) = episode_bands([_episode(onset=5, resolved=5)], last_day=90)
    assert band.end_day == 6


def test_the_b_cell_course_shows_the_aplasia_threshold_and_the_igg_line():
    config = course_config(b_cell_figure(KINETICS, []))
    lines = config["options"]["plugins"]["annotation"]["annotations"]
    assert (lines["level0"]["scaleID"], lines["level0"]["value"]) == ("y", 1.0)
    assert (lines["level1"]["scaleID"], lines["level1"]["value"]) == ("y1", 4.0)
    assert config["options"]["scales"]["y1"]["type"] == "linear"


FIGURE = SwimmerFigure(
    title="t",
    x_label="day",
    lanes=(SwimmerLane("CT-01", 120, True), SwimmerLane("CT-02", 60, False)),
    series=(MarkerSeries("crs", "CRS", "triangle", (Marker(1, 2, "CRS grade 2", "#f08c00"),)),),
    ongoing_label="on study",
)


def test_a_swimmer_lane_runs_from_day_0_to_its_end():
    lanes = swimmer_config(FIGURE)["data"]["datasets"][0]
    assert lanes["data"] == [[0, 120], [0, 60]]
    assert swimmer_config(FIGURE)["options"]["indexAxis"] == "y"


def test_only_a_subject_still_on_study_gets_the_arrow():
    arrows = swimmer_config(FIGURE)["data"]["datasets"][-1]
    assert arrows["data"] == [{"x": 120, "y": "CT-01"}]
    assert (arrows["pointStyle"], arrows["rotation"]) == ("triangle", 90)


def test_a_marker_sits_on_its_subjects_lane_with_its_words():
    crs = swimmer_config(FIGURE)["data"]["datasets"][1]
    assert crs["data"] == [{"x": 2, "y": "CT-02", "label": "CRS grade 2"}]
    assert crs["pointBackgroundColor"] == ["#f08c00"]


def test_an_event_on_the_day_of_a_visit_is_drawn_over_the_visit_marker():
    visit = MarkerSeries("visit", "Visit", "circle", (Marker(1, 2, "D1", "#495057"),))
    figure = SwimmerFigure("t", "day", FIGURE.lanes, (visit, *FIGURE.series), "on study")
    visits, crs = swimmer_config(figure)["data"]["datasets"][1:3]
    assert visits["order"] > crs["order"]  # Chart.js draws the lowest order on top
    assert visits["pointRadius"] < crs["pointRadius"]
