"""The casebook grid: the protocol's visits and their forms for one subject.

Apps that own CRFs contribute statuses through `register_crf_status_source`; the grid itself does
not know any CRF model, so a new form needs no change here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from edc.domain.protocol import ProtocolDefinition
from edc.models import Subject
from followup.domain.schedule import VisitWindow, visit_window

# (subject) -> {(visit_code, crf_code): status}
StatusSource = Callable[[Subject], dict[tuple[str, str], str]]
_status_sources: list[StatusSource] = []


def register_crf_status_source(source: StatusSource) -> None:
    if source not in _status_sources:
        _status_sources.append(source)


@dataclass(frozen=True)
class CasebookCell:
    crf_code: str
    crf_name: str
    status: str  # "not_started" or a CrfStatus value


@dataclass(frozen=True)
class CasebookRow:
    visit_code: str
    visit_name: str
    day_label: str
    window: VisitWindow | None
    cells: tuple[CasebookCell, ...]


def casebook_grid(subject: Subject, definition: ProtocolDefinition, lang: str) -> list[CasebookRow]:
    statuses: dict[tuple[str, str], str] = {}
    for source in _status_sources:
        statuses.update(source(subject))
    crf_names = {
        c.code: (c.name_zh if lang.startswith("zh") and c.name_zh else c.name)
        for c in definition.crfs
    }
    rows = []
    for v in definition.visits:
        anchor: dt.date | None = (
            subject.consent_date if v.anchor == "consent" else subject.day0_date
        )
        window = (
            visit_window(
                anchor=anchor,
                day=v.day,
                window_before_days=v.window_before_days,
                window_after_days=v.window_after_days,
            )
            if anchor
            else None
        )
        rows.append(
            CasebookRow(
                visit_code=v.code,
                visit_name=v.name_zh if lang.startswith("zh") and v.name_zh else v.name,
                day_label=f"D{v.day:+d}" if v.anchor == "day0" else "SCR",
                window=window,
                cells=tuple(
                    CasebookCell(code, crf_names[code], statuses.get((v.code, code), "not_started"))
                    for code in v.crfs
                ),
            )
        )
    return rows
