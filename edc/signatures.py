"""The principal investigator's electronic signatures of a form, a visit or a whole casebook.

Signing re-enters the password (edc.accounts.verify_password: attempt-limited, failures in the
access log) and records who signed (printed name, role), when, what it means and exactly what it
covers: each form row and the row version at signing (21 CFR 11.50, 11.70). Covered forms become
signed. Verification is not required first: ICH E6(R3) leaves the order of monitoring and the
investigator's approval to the monitoring plan, so a complete form may be signed before source
verification. A draft cannot be signed; a locked form is already frozen and is not covered again.
A later change to a covered form invalidates the signature: the row is kept, marked with when
and why, and the forms it alone covered go back to verified or complete.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edc.accounts import verify_password
from edc.audit import AuditedModel, audited_create, audited_update
from edc.audit_reasons import register_system_reasons
from edc.crfs import CrfSpec, crf_spec, registered_specs
from edc.domain.crf_status import CrfStatus, check_crf_transition, status_after_unsigning
from edc.models import CrfModel, Subject
from edc.roles import Role
from edc.sdv import source_verified


class Scope(models.TextChoices):
    FORM = "form", gettext_lazy("Form")
    VISIT = "visit", gettext_lazy("Visit")
    CASEBOOK = "casebook", gettext_lazy("Casebook")


# What the signer declares, shown in the reader's language; the English text is kept on the row.
MEANINGS = {
    Scope.FORM: gettext_lazy("I approve the data recorded in this form"),
    Scope.VISIT: gettext_lazy("I approve the data recorded at this visit"),
    Scope.CASEBOOK: gettext_lazy("I approve the data recorded in this casebook"),
}

register_system_reasons(
    [
        (
            r"Signed: I approve the data recorded in this form",
            gettext_lazy("Signed: I approve the data recorded in this form"),
        ),
        (
            r"Signed: I approve the data recorded at this visit",
            gettext_lazy("Signed: I approve the data recorded at this visit"),
        ),
        (
            r"Signed: I approve the data recorded in this casebook",
            gettext_lazy("Signed: I approve the data recorded in this casebook"),
        ),
        (r"Signature invalidated: (?P<why>.*)", gettext_lazy("Signature invalidated: %(why)s")),
    ]
)

SIGNABLE = (CrfStatus.COMPLETE, CrfStatus.VERIFIED, CrfStatus.SIGNED)


class Signature(AuditedModel):
    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=gettext_lazy("subject"),
    )
    scope = models.CharField(gettext_lazy("scope"), max_length=10, choices=Scope.choices)
    visit_code = models.CharField(gettext_lazy("visit"), max_length=20, blank=True)
    crf_code = models.CharField(gettext_lazy("form"), max_length=40, blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("signed by"),
    )
    printed_name = models.CharField(gettext_lazy("printed name"), max_length=300)
    role = models.CharField(gettext_lazy("role"), max_length=30, choices=Role.choices)
    signed_at = models.DateTimeField(gettext_lazy("signed at"))
    meaning = models.CharField(gettext_lazy("meaning"), max_length=200)
    invalidated_at = models.DateTimeField(gettext_lazy("invalidated at"), null=True, blank=True)
    invalidated_reason = models.TextField(gettext_lazy("why invalidated"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("signature")
        verbose_name_plural = gettext_lazy("signatures")
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"{self.printed_name} {self.scope} {self.signed_at:%Y-%m-%d %H:%M}"

    @property
    def meaning_display(self) -> str:
        """The meaning in the reader's language."""
        return str(MEANINGS[Scope(self.scope)])

    @property
    def is_valid(self) -> bool:
        return self.invalidated_at is None


class SignedForm(AuditedModel):
    """One form row a signature covers, at the row version signed."""

    signature = models.ForeignKey(
        Signature,
        on_delete=models.PROTECT,
        related_name="forms",
        verbose_name=gettext_lazy("signature"),
    )
    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("subject"),
    )
    crf_code = models.CharField(gettext_lazy("form"), max_length=40)
    visit_code = models.CharField(gettext_lazy("visit"), max_length=20)
    form_id = models.UUIDField(gettext_lazy("form record"), db_index=True)
    form_version = models.PositiveIntegerField(gettext_lazy("form version signed"))

    class Meta:
        verbose_name = gettext_lazy("signed form")
        verbose_name_plural = gettext_lazy("signed forms")
        ordering = ["visit_code", "crf_code"]

    def __str__(self) -> str:
        return f"{self.crf_code} {self.visit_code} v{self.form_version}"


def scope_forms(
    subject: Subject, scope: str, *, visit_code: str = "", crf_code: str = "", form_id=None
) -> list[tuple[CrfSpec, CrfModel]]:
    """The saved form rows a signature of this scope would cover (locked ones are frozen and
    left out), in visit and form order."""
    if scope == Scope.FORM:
        spec = crf_spec(crf_code)
        specs = [spec] if spec is not None else []
    else:
        specs = registered_specs()
    found = []
    for spec in specs:
        rows = spec.model.objects.filter(subject=subject).exclude(status=CrfStatus.LOCKED)
        if scope == Scope.FORM:
            rows = rows.filter(pk=form_id, visit_code=visit_code)
        elif scope == Scope.VISIT:
            rows = rows.filter(visit_code=visit_code)
        found.extend((spec, row) for row in rows.order_by("created_at"))
    return found


def casebook_sign(
    subject: Subject,
    *,
    scope: str,
    visit_code: str = "",
    crf_code: str = "",
    form_id=None,
    password: str,
    role: str,
    actor: AbstractBaseUser,
    request: HttpRequest,
    now: dt.datetime,
) -> Signature:
    """Sign a form, a visit or the casebook. The password is checked first, outside the
    transaction, so that a refused attempt's failure record is kept (edc/accounts.py)."""
    verify_password(request, actor, password)
    with transaction.atomic():
        Subject.objects.select_for_update().get(pk=subject.pk)
        covered = scope_forms(
            subject, scope, visit_code=visit_code, crf_code=crf_code, form_id=form_id
        )
        if not covered:
            raise ValidationError(_("There is no saved form to sign here; nothing was signed."))
        drafts = [spec.code for spec, row in covered if row.status not in SIGNABLE]
        if drafts:
            raise ValidationError(
                _("Complete these forms before signing; nothing was signed: %(forms)s.")
                % {"forms": ", ".join(drafts)}
            )
        with translation.override("en"):
            meaning = str(MEANINGS[Scope(scope)])
        signature = audited_create(
            Signature(
                subject=subject,
                scope=scope,
                visit_code=visit_code,
                crf_code=crf_code,
                signer=actor,
                printed_name=actor.get_full_name().strip() or actor.get_username(),
                role=role,
                signed_at=now,
                meaning=meaning,
            ),
            actor=actor,
            reason=f"Signed: {meaning}",
        )
        for _spec, row in covered:
            if row.status != CrfStatus.SIGNED:
                check_crf_transition(row.status, CrfStatus.SIGNED)
                row = audited_update(
                    row,
                    actor=actor,
                    reason=f"Signed: {meaning}",
                    changes={"status": CrfStatus.SIGNED},
                    expected_version=None,
                )
            audited_create(
                SignedForm(
                    signature=signature,
                    subject=subject,
                    crf_code=_spec.code,
                    visit_code=row.visit_code,
                    form_id=row.pk,
                    form_version=row.row_version,
                ),
                actor=actor,
                reason=f"Signed: {meaning}",
            )
    return signature


def invalidate_after_change(
    instance: CrfModel, *, crf_code: str, actor, reason: str, now: dt.datetime
) -> None:
    """A change to a signed form undoes every valid signature covering it (in the change's
    transaction); the other forms those signatures alone covered are no longer signed."""
    covering = SignedForm.objects.filter(form_id=instance.pk).values("signature_id")
    signatures = list(
        Signature.objects.select_for_update().filter(pk__in=covering, invalidated_at__isnull=True)
    )
    if not signatures:
        return
    why = f"{crf_code} at {instance.visit_code} changed: {reason}"
    for signature in signatures:
        audited_update(
            signature,
            actor=actor,
            reason=f"Signature invalidated: {why}",
            changes={"invalidated_at": now, "invalidated_reason": why},
            expected_version=None,
        )
    others = SignedForm.objects.filter(signature__in=signatures).exclude(form_id=instance.pk)
    still_signed = set(
        SignedForm.objects.filter(
            form_id__in=others.values("form_id"), signature__invalidated_at__isnull=True
        ).values_list("form_id", flat=True)
    )
    for covered in others:
        if covered.form_id in still_signed:
            continue
        spec = crf_spec(covered.crf_code)
        row = spec.model.objects.filter(pk=covered.form_id, status=CrfStatus.SIGNED).first()
        if row is None:
            continue
        audited_update(
            row,
            actor=actor,
            reason=f"Signature invalidated: {why}",
            changes={"status": status_after_unsigning(source_verified=source_verified(spec, row))},
            expected_version=None,
        )


def subject_signatures(subject: Subject) -> QuerySet[Signature]:
    """Every signature of a subject's casebook, newest first, with what each covers: for the
    casebook page, the PDF casebook and the exports."""
    return (
        Signature.objects.filter(subject=subject)
        .select_related("signer")
        .prefetch_related("forms")
        .order_by("-signed_at")
    )


def form_signatures(instance: CrfModel) -> list[Signature]:
    """The signatures covering one form row, newest first."""
    return list(
        Signature.objects.filter(forms__form_id=instance.pk).distinct().order_by("-signed_at")
    )
