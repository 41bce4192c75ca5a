"""The SDTM mapper registry and the export of a study's domains to files.

Each clinical app registers the domains built from its own CRF rows in AppConfig.ready()
(`register_sdtm_mapper("AE", ae_dataset)`), so the core never imports a clinical app and a
new CRF adds its domain where its model lives. A mapper takes the study and returns its
Dataset; the shared keys (STUDYID, USUBJID, --DY against RFSTDTC) come from `subject_keys`.

The data are de-identified by construction: mappers read no name, initials or date of birth
(Subject.PERSONAL_DATA_FIELDS); the age at consent stands in for the date of birth.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from edc.domain.define_xml import StudyMetadata, define_xml
from edc.domain.sdtm import Dataset, dtc, study_day, subjid, usubjid
from edc.models import Study, Subject
from edc.sdtm_writers import atomic_write, write_dataset_json, write_xpt
from edc.selectors import site_local

Mapper = Callable[[Study], Dataset]
FORMATS = ("xpt", "json")

Rows = Callable[[Study], list[dict]]

_MAPPERS: dict[str, Mapper] = {}
_CONTRIBUTIONS: dict[str, list[Rows]] = {}


def register_sdtm_mapper(domain: str, mapper: Mapper) -> None:
    if domain in _MAPPERS and _MAPPERS[domain] is not mapper:
        raise ValueError(f"SDTM domain {domain} is already mapped by {_MAPPERS[domain]!r}")
    _MAPPERS[domain] = mapper


def register_sdtm_rows(domain: str, rows: Rows) -> None:
    """Add records to a domain another app maps: an app that collects, say, B-cell counts gives
    LB rows without --SEQ, and the LB mapper numbers them with its own (one LB per study)."""
    if rows not in _CONTRIBUTIONS.setdefault(domain, []):
        _CONTRIBUTIONS[domain].append(rows)


def contributed_rows(domain: str, study: Study) -> list[dict]:
    return [row for rows in _CONTRIBUTIONS.get(domain, []) for row in rows(study)]


def sdtm_domains() -> list[str]:
    return sorted(_MAPPERS)


def sdtm_dataset(domain: str, study: Study) -> Dataset:
    return _MAPPERS[domain](study)


def studyid(study: Study) -> str:
    return study.study_code


def subject_keys(subject: Subject, domain: str) -> dict[str, str]:
    """STUDYID, DOMAIN and USUBJID of a subject's records (the subject id, never a name)."""
    code = studyid(subject.study)
    return {
        "STUDYID": code,
        "DOMAIN": domain,
        "USUBJID": usubjid(code, subjid(subject.subject_identifier or "", code)),
    }


def reference_start(subject: Subject) -> dt.date | None:
    """RFSTDTC: the infusion date (the EDC's Day 0), against which every --DY is counted."""
    return subject.day0_date


def timing(subject: Subject, prefix: str, value) -> dict[str, object]:
    """--DTC and --DY of one date, e.g. timing(subject, "AEST", onset) -> AESTDTC, AESTDY.
    An aware datetime (a stored instant) is written as the site's clock showed it."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = site_local(subject, value)
    return {f"{prefix}DTC": dtc(value), f"{prefix}DY": study_day(value, reference_start(subject))}


def enrolled_subjects(study: Study):
    """The subjects SDTM covers: those given a subject id at enrolment (screen failures keep only
    their screening number and are not submitted in DM)."""
    return (
        Subject.objects.filter(study=study, subject_identifier__isnull=False)
        .select_related("study", "study_site__site", "stratum")
        .order_by("subject_identifier")
    )


def study_metadata(study: Study, created: dt.datetime) -> StudyMetadata:
    return StudyMetadata(
        oid=f"ST.{studyid(study)}",
        name=studyid(study),
        description=study.title,
        protocol=study.registry_id,
        created=created,
    )


def export_sdtm(
    study: Study,
    outdir: Path,
    formats: tuple[str, ...] = FORMATS,
    *,
    created: dt.datetime | None = None,
    datasets: dict[str, Dataset] | None = None,
) -> list[Path]:
    """Write every registered domain of the study into `outdir` (dm.xpt, dm.json, ...) and the
    define.xml that describes them, its leaves pointing at the .xpt files (at the .json files
    when only those were written). `created` (default: now) is the moment the files give;
    `datasets` (domain -> Dataset) are written instead of the mappers' current ones (a data cut,
    see edc/dataset_formats.py)."""
    outdir.mkdir(parents=True, exist_ok=True)
    stamped = created
    created = created or dt.datetime.now(dt.UTC)
    metadata = study_metadata(study, created)
    written: list[Path] = []
    described: dict[str, Dataset] = {}
    if datasets is None:
        datasets = {domain: sdtm_dataset(domain, study) for domain in sdtm_domains()}
    for domain, dataset in sorted(datasets.items()):
        stem = outdir / domain.lower()
        if "xpt" in formats:
            written.append(write_xpt(dataset, stem.with_suffix(".xpt"), stamped))
        if "json" in formats:
            written.append(
                write_dataset_json(
                    dataset,
                    stem.with_suffix(".json"),
                    study_oid=metadata.oid,
                    created=created,
                    metadata_version_oid=metadata.metadata_version_oid,
                )
            )
        described[stem.with_suffix(".xpt" if "xpt" in formats else ".json").name] = dataset
    document = define_xml(metadata, described)
    define = outdir / "define.xml"
    atomic_write(define, lambda target: target.write_bytes(document))
    written.append(define)
    return written
