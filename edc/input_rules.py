"""The text and number rules of edc/domain/text_rules.py, applied on every write path.

- Models: `AuditedModel.clean_fields` calls `clean_fields`, so a ModelForm (`_post_clean`), a
  service (`audited_create` / `audited_update` call `full_clean`) and the admin all normalise and
  check every CharField and TextField, with the message on the field.
- Reasons for change: `clean_reason` in `AuditedModel.save` (every save that carries a reason)
  and `ReasonField` on the forms that ask for one.
- Numbers (and the digits of date-times): every ModelForm of the apps inherits
  `ClinicalModelForm`, whose model fields become the strict fields below (and whose text areas
  get their length limit); forms that declare a number field use `StrictDecimalField` /
  `StrictIntegerField` themselves. A test walks every form and fails on a plain Django number
  field.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edc.domain.text_rules import (
    REASON_LIMIT,
    TEXT_LIMIT,
    Problem,
    check_datetime_literal,
    check_number_literal,
    check_text,
    normalise_text,
)


def message(problem: Problem) -> str:
    """The translated message for a refused value."""
    params = problem.params
    if problem.code == "too_long":
        return _("At most %(limit)s characters (this has %(length)s).") % params
    if problem.code == "invisible_character":
        return (
            _(
                "Remove the invisible character %(codepoint)s (%(name)s) at position "
                "%(position)s: it can change how the text is displayed."
            )
            % params
        )
    if problem.code == "formula":
        return (
            _(
                'A text starting with "%(prefix)s" and containing "%(token)s" would run as a '
                'spreadsheet formula. Reword it, e.g. put a space before "(" or do not start '
                'with "%(prefix)s".'
            )
            % params
        )
    if problem.code == "datetime_literal":
        return _("Enter the date and time with ASCII digits 0-9, e.g. 2026-05-01 10:00.")
    if problem.code == "integer_literal":
        return _("Enter the number with ASCII digits 0-9, e.g. 1000.")
    return _("Enter the number with ASCII digits 0-9 and a decimal point, e.g. 1000 or 12.5.")


def _text_fields(instance: models.Model, exclude: Collection[str]) -> list[models.Field]:
    return [
        f
        for f in instance._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and f.name not in exclude
    ]


def clean_fields(
    instance: models.Model,
    exclude: Collection[str] | None,
    django_clean_fields: Callable[[Collection[str] | None], None],
) -> None:
    """Normalise the instance's text, run Django's field checks, then the text rules on the text
    fields Django accepted; all refusals together, each on its field."""
    fields = _text_fields(instance, exclude or ())
    for f in fields:
        value = getattr(instance, f.attname)
        if isinstance(value, str):
            setattr(
                instance,
                f.attname,
                normalise_text(value, multiline=isinstance(f, models.TextField)),
            )
    errors: dict[str, list[ValidationError]] = {}
    try:
        django_clean_fields(exclude)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    for f in fields:
        value = getattr(instance, f.attname)
        if f.name in errors or not isinstance(value, str):
            continue
        problem = check_text(value, multiline=isinstance(f, models.TextField), limit=f.max_length)
        if problem is not None:
            errors[f.name] = [ValidationError(message(problem), code=problem.code)]
    if errors:
        raise ValidationError(errors)


def _reason_problem(reason: str) -> Problem | None:
    return check_text(reason, multiline=True, limit=REASON_LIMIT)


def clean_reason(reason: str) -> str:
    """The reason for change, normalised; refused (on the field "reason") when it is too long,
    holds invisible characters or would run as a spreadsheet formula."""
    normalised = normalise_text(reason, multiline=True)
    problem = _reason_problem(normalised)
    if problem is not None:
        raise ValidationError({"reason": ValidationError(message(problem), code=problem.code)})
    return normalised


def _validate_reason_text(value: str) -> None:
    problem = _reason_problem(normalise_text(value, multiline=True))
    if problem is not None:
        raise ValidationError(message(problem), code=problem.code)


class ReasonField(forms.CharField):
    """A reason for change: required, multi-line, at most `REASON_LIMIT` characters."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Reason for change"))
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        kwargs.setdefault(
            "help_text", gettext_lazy("Required: it is kept in the audit trail with your change.")
        )
        super().__init__(max_length=REASON_LIMIT, validators=[_validate_reason_text], **kwargs)


class _AsciiNumber:
    """Refuse what int()/Decimal()/float() would take but a clinician never types: "1_000",
    Arabic-Indic, full-width or other non-ASCII digits, NaN, Infinity, exponents."""

    integer = False

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip() not in self.empty_values:  # type: ignore[attr-defined]
            problem = check_number_literal(value, integer=self.integer)
            if problem is not None:
                raise ValidationError(message(problem), code="invalid")
        return super().to_python(value)  # type: ignore[misc]


class StrictIntegerField(_AsciiNumber, forms.IntegerField):
    integer = True


def plain_decimal(value: Decimal) -> str:
    """A stored decimal as a clinician typed it: `3.1000` -> `3.1`, `100.0000` -> `100` (the
    columns keep 4 places; the zeros they add were never entered)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


class StrictDecimalField(_AsciiNumber, forms.DecimalField):
    def prepare_value(self, value: Any) -> Any:
        """Saved values come back without the column's trailing zeros."""
        if isinstance(value, Decimal) and value.is_finite():
            return plain_decimal(value)
        return super().prepare_value(value)


class StrictFloatField(_AsciiNumber, forms.FloatField):
    pass


class StrictDateTimeField(forms.DateTimeField):
    """Refuses non-ASCII digits, which Django's ISO date-time parser would take."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and (problem := check_datetime_literal(value)) is not None:
            raise ValidationError(message(problem), code="invalid")
        return super().to_python(value)


STRICT_NUMBER_FIELDS: dict[type[models.Field], type[forms.Field]] = {
    models.IntegerField: StrictIntegerField,
    models.DecimalField: StrictDecimalField,
    models.FloatField: StrictFloatField,
}
STRICT_FIELDS = {**STRICT_NUMBER_FIELDS, models.DateTimeField: StrictDateTimeField}


def clinical_formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """The form field of a model field: strict numbers and date-times, and a length limit on
    free text."""
    for model_class, form_class in STRICT_FIELDS.items():
        if isinstance(db_field, model_class):
            kwargs.setdefault("form_class", form_class)
    if isinstance(db_field, models.TextField) and not db_field.choices:
        kwargs.setdefault("max_length", db_field.max_length or TEXT_LIMIT)
    return db_field.formfield(**kwargs)


class ClinicalModelForm(forms.ModelForm):
    """The base of every ModelForm of the apps: its model fields are made by
    `clinical_formfield` (a subclass's Meta gets it unless it names its own callback)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Runs before ModelFormMetaclass builds the fields from Meta.
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = clinical_formfield
        super().__init_subclass__(**kwargs)
