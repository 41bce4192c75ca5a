"""Forms of the eligibility page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from edc.domain.text_rules import check_text, normalise_text
from edc.input_rules import ReasonField, message

NOTE_LIMIT = 500


def _validate_note(value: str) -> None:
    """The text rules of saved notes (EligibilityConfirmation.note), checked on the field."""
    problem = check_text(normalise_text(value, multiline=True), multiline=True, limit=NOTE_LIMIT)
    if problem is not None:
        raise forms.ValidationError(message(problem), code=problem.code)


CRITERION_CHOICES = [("yes", _("Met")), ("no", _("Not met"))]
FINDING_CHOICES = [("yes", _("Yes")), ("no", _("No"))]


@dataclass(frozen=True)
class Judgement:
    """One answer of the form: a confirmation key, the answer and its note."""

    key: str
    met: bool
    note: str


class JudgementsForm(forms.Form):
    """Every investigator judgement of the checklist in one form, saved with one submit.

    One met/not-met choice and a note per confirmation key (`<criterion id>` or
    `<criterion id>/judgement/<n>`); a judgement left blank stays open. Changing a saved one is a
    correction of saved data, so the form then needs the one reason for change.
    """

    reason = ReasonField(
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        help_text=_("Needed when you revise an earlier judgement."),
    )

    def __init__(
        self,
        *args: Any,
        keys: Iterable[tuple[str, bool]],
        saved: Mapping[str, tuple[bool, str]],
        **kwargs: Any,
    ) -> None:
        """`keys`: (key, is a judgement node) in checklist order; `saved`: key -> (met, note)."""
        super().__init__(*args, **kwargs)
        self.saved = saved
        self.keys = [key for key, _ in keys]
        for key, finding in keys:
            met, note = saved.get(key, (None, ""))
            self.fields[self.met_name(key)] = forms.ChoiceField(
                label=_("Finding present") if finding else _("Criterion met"),
                choices=FINDING_CHOICES if finding else CRITERION_CHOICES,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                initial=None if met is None else ("yes" if met else "no"),
            )
            self.fields[self.note_name(key)] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=NOTE_LIMIT,
                validators=[_validate_note],
                initial=note,
                widget=forms.TextInput(
                    attrs={"class": "form-control form-control-sm", "placeholder": _("Note")}
                ),
            )

    @staticmethod
    def met_name(key: str) -> str:
        return f"{key}__met"

    @staticmethod
    def note_name(key: str) -> str:
        return f"{key}__note"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        corrected = False
        for key in self.keys:
            answer, note = data.get(self.met_name(key)), data.get(self.note_name(key), "")
            if key in self.saved:
                if not answer:
                    self.add_error(
                        self.met_name(key),
                        _("A saved judgement cannot be withdrawn; correct it instead."),
                    )
                elif ((answer == "yes"), note) != self.saved[key]:
                    corrected = True
            elif note and not answer:
                self.add_error(self.met_name(key), _("Choose an answer for this note."))
        if corrected and not (data.get("reason") or "").strip():
            self.add_error("reason", _("You changed a saved judgement: give the reason."))
        return data

    def judgements(self) -> list[Judgement]:
        """The new and changed answers (unchanged saved ones and blank ones are left out)."""
        answers = []
        for key in self.keys:
            answer = self.cleaned_data.get(self.met_name(key))
            if not answer:
                continue
            judgement = Judgement(key, answer == "yes", self.cleaned_data[self.note_name(key)])
            if self.saved.get(key) != (judgement.met, judgement.note):
                answers.append(judgement)
        return answers


class ScreenFailForm(forms.Form):
    reason = ReasonField(
        label=_("Reason"), required=False, help_text=_("Needed only when no criterion fails.")
    )
