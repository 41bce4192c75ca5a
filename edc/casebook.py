"""The casebook grid: the protocol's visits and the subject's forms, each with its state at a
glance and where it is entered.

Most forms are registered CRFs (edc/crfs.py) and open on the generic form page. A few protocol
forms live on an app's own page (eligibility, the CRS/ICANS episodes); the app that owns the page
registers it here with `register_casebook_page`, so the core never imports a clinical app. A form
that is neither is shown as unavailable and never linked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from edc.crfs import crf_spec, crf_statuses, extra_visits
from edc.derived import crf_summaries
from edc.domain.casebook import CellState, Tally, counts_as, form_state, page_state, tally
from edc.domain.locks import LockScope, RecordPlace, effective_status
from edc.domain.protocol import ProtocolDefinition, Visit
from edc.domain.visits import VisitWindow, visit_window
from edc.locking import DataLock, covering_lock
from edc.models import Subject
from edc.query_selectors import unresolved_by_cell
from edc.subject_conditions import subject_conditions

NOT_STARTED = "not_started"

# In the legend's order: work to do first, then the workflow of a saved form, then the others.
CELL_STATE_LABELS: dict[CellState, Promise] = {
    CellState.MISSING: _("Missing (window closed)"),
    CellState.DUE: _("Due (window open)"),
    CellState.NOT_YET_DUE: _("Not yet due"),
    CellState.DRAFT: _("Draft"),
    CellState.COMPLETE: _("Complete"),
    CellState.VERIFIED: _("Verified"),
    CellState.SIGNED: _("Signed"),
    CellState.LOCKED: _("Locked"),
    CellState.NONE_RECORDED: _("Log, none recorded"),
    CellState.OWN_PAGE: _("On its own page"),
    CellState.UNAVAILABLE: _("Not available yet"),
    CellState.NOT_EXPECTED: _("Not expected (visit missed or not applicable)"),
}


@dataclass(frozen=True)
class CasebookPage:
    """A protocol form kept on an app's own page instead of a registered CRF."""

    # (subject, visit code) -> the page's address
    url: Callable[[Subject, str], str]
    # Whether the subject's page is done; None: filled only if something happens (an episode).
    done: Callable[[Subject], bool] | None = None


_PAGES: dict[str, CasebookPage] = {}

# (subject, language) -> {visit code: how the visit was closed, in words}: the visits declared
# missed or not applicable, which an app's schedule knows (followup) and the core does not.
VisitClosures = Callable[..., dict[str, str]]
_CLOSURES: list[VisitClosures] = []


@dataclass(frozen=True)
class VisitNote:
    """A line an app adds under a visit of the casebook (a response verdict), with its tone:
    "success", "secondary" or "warning" (the badge colour), and where it is explained."""

    text: str
    tone: str = "secondary"
    url: str = ""


# (subject, language) -> {visit code: [VisitNote]}: what an app computed for each visit (the
# follow-up app's response verdicts), which the core shows and does not know.
VisitNotes = Callable[..., dict[str, list[VisitNote]]]
_VISIT_NOTES: list[VisitNotes] = []


def register_visit_notes(source: VisitNotes) -> None:
    if source not in _VISIT_NOTES:
        _VISIT_NOTES.append(source)


# (subject, protocol definition, language) -> lines the casebook shows above the grid (the end
# of a contraception window): facts the site team must keep in mind that no form holds.
CasebookNotes = Callable[..., list[str]]
_NOTES: list[CasebookNotes] = []


def register_casebook_notes(source: CasebookNotes) -> None:
    if source not in _NOTES:
        _NOTES.append(source)


def _visit_notes(subject: Subject, lang: str) -> dict[str, list[VisitNote]]:
    notes: dict[str, list[VisitNote]] = {}
    for source in _VISIT_NOTES:
        for code, found in source(subject, lang=lang).items():
            notes.setdefault(code, []).extend(found)
    return notes


def casebook_notes(subject: Subject, definition: ProtocolDefinition, lang: str) -> list[str]:
    """Why the subject has forms others do not (conditions met), then the apps' notes."""
    conditions = [r.explanation for r in subject_conditions(subject, lang).values() if r.met]
    notes = [note for source in _NOTES for note in source(subject, definition, lang=lang)]
    return [*conditions, *notes]


def register_casebook_page(code: str, page: CasebookPage) -> None:
    _PAGES[code] = page


def register_visit_closures(source: VisitClosures) -> None:
    if source not in _CLOSURES:
        _CLOSURES.append(source)


def _closed_visits(subject: Subject, lang: str) -> dict[str, str]:
    return {code: how for source in _CLOSURES for code, how in source(subject, lang=lang).items()}


@dataclass(frozen=True)
class CasebookCell:
    crf_code: str
    crf_name: str
    status: str  # NOT_STARTED or a CrfStatus value
    state: CellState
    counts_as: Tally | None
    url: str | None  # None: the product has no page for this form
    summary: str = ""  # what the services derived from the saved form (edc/derived.py)
    open_queries: int = 0  # unresolved data queries on the form (edc/data_queries.py)

    @property
    def state_label(self) -> Promise:
        return CELL_STATE_LABELS[self.state]


@dataclass(frozen=True)
class CasebookRow:
    visit_code: str
    visit_name: str
    day_label: str
    window: VisitWindow | None
    cells: tuple[CasebookCell, ...]
    closed: str = ""  # how the visit was closed (missed, not applicable), in words
    notes: tuple[VisitNote, ...] = ()
    lock: DataLock | None = None  # the lock covering the whole visit (or more), if any

    @property
    def counts(self) -> dict[Tally, int]:
        return tally(c.counts_as for c in self.cells)


def localised(name: str, name_zh: str | None, lang: str) -> str:
    return name_zh if lang.startswith("zh") and name_zh else name


def crf_display_name(definition: ProtocolDefinition, code: str, lang: str) -> str:
    crf = next(c for c in definition.crfs if c.code == code)
    return localised(crf.name, crf.name_zh, lang)


def _window(subject: Subject, visit: Visit) -> VisitWindow | None:
    anchor: dt.date | None = (
        subject.consent_date if visit.anchor == "consent" else subject.day0_date
    )
    if anchor is None:
        return None
    return visit_window(
        anchor=anchor,
        day=visit.day,
        window_before_days=visit.window_before_days,
        window_after_days=visit.window_after_days,
    )


def _cell(
    subject: Subject,
    visit_code: str,
    code: str,
    *,
    name: str,
    status: str | None,
    window: VisitWindow | None,
    today: dt.date,
    summary: str,
    visit_closed: bool,
    open_queries: int = 0,
) -> CasebookCell:
    page, spec = _PAGES.get(code), crf_spec(code)
    if spec is not None:
        state = form_state(
            status, window, today, repeating=spec.repeating, visit_closed=visit_closed
        )
        args = [subject.study.registry_id, subject.pk, visit_code, code]
        url: str | None = reverse("edc:crf", args=args)
    elif page is not None:
        done = page.done(subject) if page.done else None
        state = page_state(done, window, today, visit_closed=visit_closed)
        url = page.url(subject, visit_code)
    else:
        state, url = CellState.UNAVAILABLE, None
    return CasebookCell(
        crf_code=code,
        crf_name=name,
        status=status or NOT_STARTED,
        state=state,
        counts_as=counts_as(state, window, today),
        url=url,
        summary=summary,
        open_queries=open_queries,
    )


def casebook_lock(locks: Sequence[DataLock]) -> DataLock | None:
    """The lock of the whole casebook (the subject's, or its site's), for the banner."""
    return next((lock for lock in locks if lock.scope in (LockScope.SUBJECT, LockScope.SITE)), None)


def casebook_grid(
    subject: Subject,
    definition: ProtocolDefinition,
    lang: str,
    *,
    today: dt.date,
    locks: Sequence[DataLock] = (),
) -> list[CasebookRow]:
    """Every visit of the protocol with the forms of the subject's stratum; `today` is the
    site's date, against which a form not saved yet is due or missing. A saved form that a lock
    in `locks` covers shows as locked (edc/domain/locks.py)."""

    def place(visit_code: str, crf_code: str = "") -> RecordPlace:
        return RecordPlace(subject.study_site_id, subject.pk, visit_code, crf_code)

    statuses = {
        key: effective_status(status, locked=covering_lock(locks, place(*key)) is not None).value
        for key, status in crf_statuses(subject).items()
    }
    summaries = crf_summaries(subject)
    queries = unresolved_by_cell(subject)
    crf_names = {c.code: localised(c.name, c.name_zh, lang) for c in definition.crfs}
    stratum = subject.stratum.code
    conditions = frozenset(c for c, r in subject_conditions(subject, lang).items() if r.met)
    closed = _closed_visits(subject, lang)
    notes = _visit_notes(subject, lang)

    def cells(visit_code: str, codes: tuple[str, ...], window: VisitWindow | None):
        return tuple(
            _cell(
                subject,
                visit_code,
                code,
                name=crf_names[code],
                status=statuses.get((visit_code, code)),
                window=window,
                today=today,
                summary=summaries.get((visit_code, code), ""),
                visit_closed=visit_code in closed,
                open_queries=queries.get((visit_code, code), 0),
            )
            for code in codes
        )

    rows = []
    for v in definition.visits:
        window = _window(subject, v)
        rows.append(
            CasebookRow(
                visit_code=v.code,
                visit_name=localised(v.name, v.name_zh, lang),
                day_label=f"D{v.day:+d}" if v.anchor == "day0" else "SCR",
                window=window,
                cells=cells(v.code, definition.visit_crfs(v, stratum, conditions), window),
                closed=closed.get(v.code, ""),
                notes=tuple(notes.get(v.code, ())),
                lock=covering_lock(locks, place(v.code)),
            )
        )
    for extra in extra_visits(subject, lang):  # unscheduled visits, on their own date
        window = VisitWindow(target=extra.date, earliest=extra.date, latest=extra.date)
        rows.append(
            CasebookRow(
                visit_code=extra.code,
                visit_name=extra.name,
                day_label=extra.day_label,
                window=window,
                cells=cells(extra.code, extra.crfs, window),
                notes=tuple(notes.get(extra.code, ())),
                lock=covering_lock(locks, place(extra.code)),
            )
        )
    return rows
