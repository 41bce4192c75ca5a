"""Which reminders a visit calls for on a given day at its site.

Three moments matter to a site: the window opens (the visit can be booked), the target date is
tomorrow (the patient should come), and the window has closed without the visit (overdue). The
daily run asks this function for every open visit with the site's today; the reminders table
(one row per visit, kind and recipient, ever) makes the answer safe to ask again and again.

A run that did not happen for a few days catches up, but never says something untrue:

- the window-opens reminder is due on any day inside the window (a late run still tells the site
  the visit can be done now); once the window has closed it is no longer sent: the overdue
  reminder says what matters then;
- the due-tomorrow reminder is due only on the day before the target date: the day after, "due
  tomorrow" would be false, and the window-opens reminder has already told the site;
- the overdue reminder is due on any day after the window (first day after window end, or the
  first run after it).

A visit that is done, missed or not applicable calls for nothing.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from edc.domain.visits import VisitWindow
from followup.domain.schedule import VisitState

DAY = dt.timedelta(days=1)


class ReminderKind(StrEnum):
    WINDOW_OPENS = "window_opens"
    DUE_TOMORROW = "due_tomorrow"
    OVERDUE = "overdue"


def reminders_due(
    *, state: VisitState, window: VisitWindow, today: dt.date
) -> frozenset[ReminderKind]:
    """The reminders this visit calls for today at its site (see the module's catch-up rules)."""
    if state is not VisitState.OPEN:
        return frozenset()
    due: set[ReminderKind] = set()
    if window.contains(today):
        due.add(ReminderKind.WINDOW_OPENS)
    if today == window.target - DAY:
        due.add(ReminderKind.DUE_TOMORROW)
    if today > window.latest:
        due.add(ReminderKind.OVERDUE)
    return frozenset(due)


def run_horizon(utc_today: dt.date) -> dt.date:
    """The latest window start a run must look at: no site's today is more than one day ahead of
    UTC's (UTC+14 at most), and due-tomorrow looks one day further."""
    return utc_today + 2 * DAY
