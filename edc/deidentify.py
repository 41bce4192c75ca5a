"""What every dataset format leaves out or changes about a study's subjects, read once from the
study's protocol and the settings: the free-text fields the protocol marks `identifying_fields`
(per CRF) and the date shift (`deidentification.date_shift_days`, off unless the protocol sets
it). The names, initials and dates of birth are never exported by any format.

The shift's secret is derived from `DATASET_DATE_SHIFT_SECRET` (SECRET_KEY when unset) and the
study code, so the same subject moves by the same number of days in every export of the study
and the offsets cannot be recomputed from the files.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from django.conf import settings

from edc.domain.deidentification import NO_SHIFT, DateShift
from edc.models import Study


@dataclass(frozen=True)
class ExportPrivacy:
    identifying: dict[str, frozenset[str]] = field(default_factory=dict)
    date_shift: DateShift = NO_SHIFT


def _secret(study: Study) -> bytes:
    key = getattr(settings, "DATASET_DATE_SHIFT_SECRET", "") or settings.SECRET_KEY
    return hmac.new(
        key.encode("utf-8"), f"date-shift:{study.study_code}".encode(), hashlib.sha256
    ).digest()


def export_privacy(study: Study) -> ExportPrivacy:
    from edc.selectors import protocol_definition  # selectors import models, which import this

    definition = protocol_definition(study)
    days = definition.deidentification.date_shift_days
    return ExportPrivacy(
        identifying={crf.code: frozenset(crf.identifying_fields) for crf in definition.crfs},
        date_shift=DateShift(secret=_secret(study), max_days=days) if days else NO_SHIFT,
    )
