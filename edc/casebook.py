"""The casebook grid: the protocol's visits and their forms, with each form's status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from edc.crfs import crf_spec, crf_statuses
from edc.derived import crf_summaries
from edc.domain.protocol import ProtocolDefinition
from edc.domain.visits import VisitWindow, visit_window
from edc.models import Subject

NOT_STARTED = "not_started"


@dataclass(frozen=True)
class CasebookCell:
    crf_code: str
    crf_name: str
    status: str  # NOT_STARTED or a CrfStatus value
    implemented: bool  # a registered form exists for this CRF code
    summary: str = ""  # what the services derived from the saved form (edc/derived.py)


@dataclass(frozen=True)
class CasebookRow:
    visit_code: str
    visit_name: str
    day_label: str
    window: VisitWindow | None
    cells: tuple[CasebookCell, ...]


def localised(name: str, name_zh: str | None, lang: str) -> str:
    return name_zh if lang.startswith("zh") and name_zh else name


def crf_display_name(definition: ProtocolDefinition, code: str, lang: str) -> str:
    crf = next(c for c in definition.crfs if c.code == code)
    return localised(crf.name, crf.name_zh, lang)


def casebook_grid(subject: Subject, definition: ProtocolDefinition, lang: str) -> list[CasebookRow]:
    statuses = crf_statuses(subject)
    summaries = crf_summaries(subject)
    crf_names = {c.code: localised(c.name, c.name_zh, lang) for c in definition.crfs}
    rows = []
    for v in definition.visits:
        anchor: dt.date | None = (
            subject.consent_date if v.anchor == "consent" else subject.day0_date
        )
        window = None
        if anchor:
            window = visit_window(
                anchor=anchor,
                day=v.day,
                window_before_days=v.window_before_days,
                window_after_days=v.window_after_days,
            )
        cells = tuple(
            CasebookCell(
                crf_code=code,
                crf_name=crf_names[code],
                status=statuses.get((v.code, code), NOT_STARTED),
                implemented=crf_spec(code) is not None,
                summary=summaries.get((v.code, code), ""),
            )
            for code in v.crfs
        )
        rows.append(
            CasebookRow(
                visit_code=v.code,
                visit_name=localised(v.name, v.name_zh, lang),
                day_label=f"D{v.day:+d}" if v.anchor == "day0" else "SCR",
                window=window,
                cells=cells,
            )
        )
    return rows
