"""Chart.js configurations of the follow-up plots, complete and JSON-ready, from the figures of
followup/plot_data.py: static/edc/charts.js draws them without page script (strict CSP).

Per-point styles are arrays (an open marker is a transparent fill); reference lines, the
infusion and the episodes are chartjs-plugin-annotation lines and boxes. A point's `label` is
shown in its tooltip (charts.js).
"""

from __future__ import annotations

from typing import Any

from followup.plot_data import CourseFigure, SwimmerFigure

OPEN = "rgba(0,0,0,0)"  # the fill of an open marker
LANE_COLOUR = "#ced4da"
ARROW_COLOUR = "#1971c2"


def _title(text: str) -> dict[str, Any]:
    return {"display": True, "text": text}


def _line_annotation(**where: object) -> dict[str, Any]:
    return {"type": "line", "borderWidth": 1, **where}


def course_config(figure: CourseFigure) -> dict[str, Any]:
    """Lines with markers over study days on log or linear y axes; BLQ samples open."""
    datasets = [
        {
            "label": series.label,
            "data": [{"x": p.day, "y": p.y} for p in series.points],
            "yAxisID": series.axis,
            "showLine": True,
            "borderColor": series.colour,
            "backgroundColor": series.colour,
            "pointBorderColor": series.colour,
            "pointBackgroundColor": [OPEN if p.blq else series.colour for p in series.points],
            "pointRadius": 4,
            "pointBorderWidth": 2,
        }
        for series in figure.series
    ]
    scales: dict[str, Any] = {"x": {"type": "linear", "title": _title(figure.x_label)}}
    for key, axis in figure.axes.items():
        scales[key] = {
            "type": "logarithmic" if axis.log else "linear",
            "position": "left" if key == "y" else "right",
            "title": _title(axis.label),
            **({} if key == "y" else {"grid": {"drawOnChartArea": False}}),
        }
    annotations: dict[str, Any] = {}
    for i, level in enumerate(figure.levels):
        annotations[f"level{i}"] = _line_annotation(
            scaleID=level.axis,
            value=level.y,
            borderColor="#868e96",
            borderDash=[6, 4],
            label={"display": True, "content": level.label, "position": "start"},
        )
    annotations["day0"] = _line_annotation(
        scaleID="x",
        value=0,
        borderColor="#212529",
        label={"display": True, "content": figure.day0_label, "position": "end"},
    )
    for i, band in enumerate(figure.bands):
        annotations[f"episode{i}"] = {
            "type": "box",
            "xScaleID": "x",
            "xMin": band.start_day,
            "xMax": band.end_day,
            "backgroundColor": band.colour + "33",
            "borderColor": band.colour,
            "borderWidth": 1,
            "label": {"display": True, "content": band.label, "position": "start"},
        }
    return {
        "type": "scatter",
        "data": {"datasets": datasets},
        "options": {
            "scales": scales,
            "plugins": {
                "title": _title(figure.title),
                "subtitle": _title(figure.blq_label),
                "annotation": {"annotations": annotations},
            },
        },
    }


def swimmer_aspect_ratio(lanes: int) -> float:
    """Width over height of the swimmer plot, for a page about 1000 px wide."""
    return round(max(0.3, min(3.0, 1000 / (30 * lanes + 120))), 3)


VISIT_SERIES = "visit"


def swimmer_config(figure: SwimmerFigure) -> dict[str, Any]:
    """A floating bar per subject from Day 0 to its lane's end, marker series on top, and an
    arrow (a triangle turned right) at the end of every lane still on study."""
    labels = [lane.label for lane in figure.lanes]
    datasets: list[dict[str, Any]] = [
        {
            "type": "bar",
            "label": figure.lane_label,
            "data": [[0, lane.end_day] for lane in figure.lanes],
            "backgroundColor": LANE_COLOUR,
            "barPercentage": 0.35,
            "categoryPercentage": 1,
            "order": 2,
        }
    ]
    for series in figure.series:
        datasets.append(
            {
                "type": "scatter",
                "label": series.label,
                "data": [
                    {"x": m.day, "y": labels[m.lane], "label": m.text} for m in series.markers
                ],
                "pointStyle": series.symbol,
                "pointBackgroundColor": [m.colour for m in series.markers],
                "pointBorderColor": [m.colour for m in series.markers],
                # Visits are many and small, under the events: a CRS onset or a response on
                # the day of a visit stays visible (the lowest order is drawn on top).
                "pointRadius": 4 if series.key == VISIT_SERIES else 7,
                "order": 1.5 if series.key == VISIT_SERIES else 1,
            }
        )
    ongoing = [lane for lane in figure.lanes if lane.ongoing]
    datasets.append(
        {
            "type": "scatter",
            "label": figure.ongoing_label,
            "data": [{"x": lane.end_day, "y": lane.label} for lane in ongoing],
            "pointStyle": "triangle",
            "rotation": 90,
            "pointBackgroundColor": ARROW_COLOUR,
            "pointBorderColor": ARROW_COLOUR,
            "pointRadius": 7,
            "order": 1,
        }
    )
    return {
        "type": "bar",
        "data": {"labels": labels, "datasets": datasets},
        "options": {
            "indexAxis": "y",
            # Taller the more lanes, without a style on the page (CSP): about 30 px a lane.
            "aspectRatio": swimmer_aspect_ratio(len(labels)),
            "scales": {
                "x": {"type": "linear", "min": 0, "title": _title(figure.x_label)},
                "y": {"type": "category", "labels": labels},
            },
            "plugins": {
                "title": _title(figure.title),
                "legend": {"labels": {"usePointStyle": True}},
            },
        },
    }
