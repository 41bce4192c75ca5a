"""The follow-up plots as SVG files (matplotlib, no display), from the same figures the pages
draw with Chart.js (followup/plot_data.py).

Text is drawn as glyph outlines, so the file looks the same wherever it is opened, Chinese
included: the font is Noto Sans CJK SC (fonts-noto-cjk) when matplotlib finds it, else DejaVu
Sans (the default, which draws no Chinese; the file is still made). matplotlib writes each text
as an XML comment beside its outlines, so the words stay searchable.
"""

from __future__ import annotations

import functools
import io

from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from followup.plot_data import CourseFigure, SwimmerFigure

CJK_FONT = "Noto Sans CJK SC"
FALLBACK_FONT = "DejaVu Sans"

# Chart.js point styles as matplotlib markers (followup/charts.py uses the former).
MARKERS = {
    "circle": "o",
    "triangle": "^",
    "rectRot": "D",
    "star": "*",
    "crossRot": "X",
    "rect": "s",
    "rectRounded": "P",
}


@functools.cache
def font_families() -> tuple[str, ...]:
    """The sans-serif families to draw with: the CJK font first when it is installed."""
    try:
        font_manager.findfont(
            font_manager.FontProperties(family=CJK_FONT), fallback_to_default=False
        )
    except ValueError:
        return (FALLBACK_FONT,)
    return (CJK_FONT, FALLBACK_FONT)


def _svg(figure: Figure, title: str) -> bytes:
    out = io.BytesIO()
    FigureCanvasSVG(figure)
    figure.savefig(out, format="svg", metadata={"Title": title, "Date": None})
    return out.getvalue()


def _style():
    return rc_context(
        {
            "font.family": "sans-serif",
            "font.sans-serif": list(font_families()),
            "svg.fonttype": "path",
            "axes.unicode_minus": False,
            "svg.hashsalt": "edc",  # the same figure gives the same file
        }
    )


def course_svg(figure: CourseFigure) -> bytes:
    """The expansion curve or the B-cell/IgG course: log axes as the figure says, reference lines
    dashed, samples below the LLOQ as open markers, the infusion as a line, episodes as boxes."""
    with _style():
        fig = Figure(figsize=(9, 5), layout="constrained")
        left = fig.add_subplot()
        axes = {"y": left}
        if "y1" in figure.axes:
            axes["y1"] = left.twinx()
        for key, axis in figure.axes.items():
            axes[key].set_yscale("log" if axis.log else "linear")
            axes[key].set_ylabel(axis.label)
        for series in figure.series:
            ax = axes[series.axis]
            ax.plot(
                [p.day for p in series.points],
                [p.y for p in series.points],
                color=series.colour,
                linewidth=1.2,
                label=series.label,
            )
            for blq in (False, True):
                chosen = [p for p in series.points if p.blq is blq]
                ax.scatter(
                    [p.day for p in chosen],
                    [p.y for p in chosen],
                    s=30,
                    zorder=3,
                    edgecolors=series.colour,
                    linewidths=1.5,
                    facecolors="none" if blq else series.colour,
                )
        for key, ax in axes.items():
            if not any(s.points for s in figure.series if s.axis == key):
                ax.set_ylim(*((0.05, 10) if figure.axes[key].log else (0, 10)))  # nothing yet
        for level in figure.levels:
            axes[level.axis].axhline(level.y, color="#868e96", linestyle="--", linewidth=1)
            axes[level.axis].annotate(
                level.label,
                (0.01, level.y),
                xycoords=("axes fraction", "data"),
                fontsize=7,
                color="#495057",
                va="bottom",
            )
        left.axvline(0, color="#212529", linewidth=1)
        left.annotate(
            figure.day0_label,
            (0, 1.0),
            xycoords=("data", "axes fraction"),
            fontsize=7,
            va="top",
            ha="left",
        )
        for band in figure.bands:
            left.axvspan(band.start_day, band.end_day, color=band.colour, alpha=0.2, linewidth=0)
            left.annotate(
                band.label,
                (band.start_day, 0.93),
                xycoords=("data", "axes fraction"),
                fontsize=7,
                va="top",
            )
        left.set_xlabel(figure.x_label)
        left.set_title(figure.title)
        fig.legend(loc="outside lower center", ncols=len(figure.series), fontsize=8)
        fig.text(0.99, 0.01, figure.blq_label, ha="right", fontsize=7, color="#495057")
        return _svg(fig, figure.title)


def swimmer_svg(figure: SwimmerFigure) -> bytes:
    """One lane per subject (top to bottom in the page's order), its markers, an arrow at the
    end of a lane still on study."""
    with _style():
        height = 1.5 + 0.3 * max(len(figure.lanes), 1)
        fig = Figure(figsize=(10, height), layout="constrained")
        ax = fig.add_subplot()
        rows = list(range(len(figure.lanes)))
        ax.barh(rows, [lane.end_day for lane in figure.lanes], left=0, height=0.35, color="#ced4da")
        for series in figure.series:
            if not series.markers:
                continue
            ax.scatter(
                [m.day for m in series.markers],
                [m.lane for m in series.markers],
                c=[m.colour for m in series.markers],
                marker=MARKERS[series.symbol],
                s=40,
                zorder=3,
                label=series.label,
            )
        ongoing = [(i, lane) for i, lane in enumerate(figure.lanes) if lane.ongoing]
        if ongoing:
            ax.scatter(
                [lane.end_day for _, lane in ongoing],
                [i for i, _ in ongoing],
                marker=">",
                color="#1971c2",
                s=50,
                zorder=3,
                label=figure.ongoing_label,
            )
        ax.set_yticks(rows, [lane.label for lane in figure.lanes], fontsize=8)
        ax.set_ylim(len(figure.lanes) - 0.5, -0.5)
        ax.set_xlim(left=0)
        ax.set_xlabel(figure.x_label)
        ax.set_title(figure.title)
        if ax.get_legend_handles_labels()[0]:
            fig.legend(loc="outside lower center", ncols=4, fontsize=8)
        return _svg(fig, figure.title)
