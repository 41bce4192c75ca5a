"""Data queries: a question on one field of a subject's form, and its thread of messages.

A query belongs to the subject (it is on the subject's audit trail), names the form row and the
field it is about, and moves open -> answered -> closed (reopened when the answer does not
settle it) by the rules of edc/domain/query_workflow.py. Its messages are appended, never
changed. The services are edc/services/data_queries.py; edit checks open and close the
system's queries (edc/edit_checks.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from edc.audit import AuditedModel
from edc.domain.query_workflow import QueryOrigin, QueryStatus
from edc.models import Subject

QUERY_STATUS_LABELS = {
    QueryStatus.OPEN: _("Open"),
    QueryStatus.ANSWERED: _("Answered"),
    QueryStatus.CLOSED: _("Closed"),
}
QUERY_ORIGIN_LABELS = {
    QueryOrigin.SYSTEM: _("Edit check"),
    QueryOrigin.MANUAL: _("Manual"),
}
# Awaiting someone: the site's answer (open) or the raiser's review (answered).
UNRESOLVED = (QueryStatus.OPEN, QueryStatus.ANSWERED)


class Query(AuditedModel):
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="queries", verbose_name=_("subject")
    )
    visit_code = models.CharField(_("visit"), max_length=20)
    crf_code = models.CharField(_("form"), max_length=40)
    row_id = models.UUIDField(_("form row"), null=True, blank=True)
    field_name = models.CharField(_("field"), max_length=80)
    origin = models.CharField(_("origin"), max_length=10, choices=list(QUERY_ORIGIN_LABELS.items()))
    # The protocol's edit check that opened a system query; empty for a manual one.
    check_id = models.CharField(_("edit check"), max_length=60, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="raised_queries",
        verbose_name=_("raised by"),
    )
    # The role the raiser held (the role that closes it); empty for a system query.
    raised_role = models.CharField(_("raised as"), max_length=30, blank=True)
    status = models.CharField(
        _("query status"),
        max_length=10,
        choices=list(QUERY_STATUS_LABELS.items()),
        default=QueryStatus.OPEN,
    )

    class Meta:
        verbose_name = _("data query")
        verbose_name_plural = _("data queries")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["subject", "status"], name="query_subject_status"),
            models.Index(fields=["status", "created_at"], name="query_status_age"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "visit_code", "crf_code", "row_id", "field_name", "check_id"],
                condition=Q(origin=QueryOrigin.SYSTEM, status__in=UNRESOLVED),
                name="one_unresolved_system_query_per_check",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.visit_code} {self.crf_code}.{self.field_name}"

    @property
    def is_unresolved(self) -> bool:
        return self.status in UNRESOLVED


class QueryMessage(AuditedModel):
    """One message of a query's thread; a system message carries its Chinese text beside it."""

    subject_path = "query.subject"

    query = models.ForeignKey(
        Query, on_delete=models.PROTECT, related_name="messages", verbose_name=_("data query")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="query_messages",
        verbose_name=_("author"),
    )
    role = models.CharField(_("role"), max_length=30, blank=True)
    action = models.CharField(_("step"), max_length=10)
    text = models.TextField(_("message"))
    text_zh = models.TextField(_("message (Chinese)"), blank=True)

    class Meta:
        verbose_name = _("query message")
        verbose_name_plural = _("query messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.query}: {self.text[:40]}"

    @property
    def display_text(self) -> str:
        language = get_language() or ""
        return self.text_zh if language.startswith("zh") and self.text_zh else self.text
