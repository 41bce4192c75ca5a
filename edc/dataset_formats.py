"""Every dataset format through one path: the Datasets page's task and `manage.py
export_datasets` both call `write_export`, so the file a data manager scripts is the file the
page offers, byte for byte.

Formats: the analysis CSV zip (edc/dataset_files.py); SDTM as a submission zip (XPORT v5 and
Dataset-JSON v1.1 of every registered domain with their define.xml), or XPORT only or
Dataset-JSON only (each with the define.xml whose leaves point at those files), or define.xml
alone; and CDISC ODM 1.3.2 (edc/odm_export.py). Each reads the data as of
the export's moment, de-identified the same way (edc/deidentify.py): no initials or date of
birth, the protocol's identifying fields left out, the study's date shift applied (SDTM: every
--DTC moved, --DY kept). The files are stamped with the export's moment, not the clock, so an
export as of a past moment is the same bytes whenever it is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from edc.as_of_snapshot import as_of_snapshot
from edc.dataset_files import WrittenFile, _member, dataset_file_count, write_analysis_zip
from edc.deidentify import ExportPrivacy
from edc.domain.deidentification import DateShift
from edc.domain.sdtm import Dataset
from edc.models import Study
from edc.odm_export import ODM_FILE, write_odm
from edc.sdtm import export_sdtm, sdtm_dataset, sdtm_domains

CSV = "analysis_csv"
SDTM = "sdtm"
XPT = "xpt"
DATASET_JSON = "dataset_json"
DEFINE = "define"
ODM = "odm"
# The command line's names of the formats.
COMMAND_FORMATS = {
    "csv": CSV,
    "sdtm": SDTM,
    "xpt": XPT,
    "json": DATASET_JSON,
    "define": DEFINE,
    "odm": ODM,
}
_SDTM_FILES = {SDTM: ("xpt", "json"), XPT: ("xpt",), DATASET_JSON: ("json",), DEFINE: ("xpt",)}


@dataclass(frozen=True)
class ExportFile:
    """What a format's stored file is: a zip of several files, or one XML document."""

    extension: str
    content_type: str


def export_file(kind: str) -> ExportFile:
    if kind in (DEFINE, ODM):
        return ExportFile("xml", "application/xml")
    return ExportFile("zip", "application/zip")


def file_count(kind: str) -> int:
    """How many files the export writes, for its progress bar."""
    if kind == CSV:
        return dataset_file_count()
    if kind in (DEFINE, ODM):
        return 1
    return len(_SDTM_FILES[kind]) * len(sdtm_domains()) + 1  # and the define.xml


def shifted(dataset: Dataset, date_shift: DateShift) -> Dataset:
    """The dataset with every --DTC of each subject moved by the subject's offset; --DY, counted
    between two dates that moved alike, stays as the mapper derived it."""
    if not date_shift.active:
        return dataset
    dates = [v.name for v in dataset.spec.variables if v.name.endswith("DTC")]
    rows = []
    for row in dataset.rows:
        key = str(row.get("USUBJID") or "")
        moved = {name: date_shift.iso_text(key, str(row[name])) for name in dates if row.get(name)}
        rows.append({**row, **moved})
    return replace(dataset, rows=rows)


def sdtm_datasets(study: Study, as_of: dt.datetime, privacy: ExportPrivacy) -> dict[str, Dataset]:
    """Every registered domain as of `as_of`, de-identified: the mappers run against the data
    cut (edc/as_of_snapshot.py), then the dates are shifted."""
    with as_of_snapshot(as_of, privacy.identifying):
        built = {domain: sdtm_dataset(domain, study) for domain in sdtm_domains()}
    return {domain: shifted(dataset, privacy.date_shift) for domain, dataset in built.items()}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sdtm_rows(datasets: dict[str, Dataset], name: str) -> int:
    if name == "define.xml":
        return len(datasets)
    return len(datasets[Path(name).stem.upper()].rows)


def _write_sdtm(
    target: IO[bytes],
    kind: str,
    study: Study,
    as_of: dt.datetime,
    privacy: ExportPrivacy,
    progress: Callable[[int], None],
) -> list[WrittenFile]:
    datasets = sdtm_datasets(study, as_of, privacy)
    with tempfile.TemporaryDirectory() as directory:
        paths = export_sdtm(
            study, Path(directory), _SDTM_FILES[kind], created=as_of, datasets=datasets
        )
        if kind == DEFINE:
            data = (Path(directory) / "define.xml").read_bytes()
            target.write(data)
            progress(1)
            return [WrittenFile("define.xml", len(datasets), _digest(data))]
        written = []
        with zipfile.ZipFile(target, "w") as archive:
            for path in sorted(paths, key=lambda p: p.name):
                data = path.read_bytes()
                archive.writestr(_member(path.name, as_of), data)
                written.append(
                    WrittenFile(path.name, _sdtm_rows(datasets, path.name), _digest(data))
                )
                progress(len(written))
    return written


class _Hashing:
    """A binary file that keeps the SHA-256 of what is written to it."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target, self.sha256 = target, hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        return self.target.write(data)


def write_export(
    target: IO[bytes],
    *,
    kind: str,
    study: Study,
    as_of: dt.datetime,
    privacy: ExportPrivacy,
    audit_records: bool = False,
    progress: Callable[[int], None] = lambda _done: None,
) -> list[WrittenFile]:
    """Write the export of `kind` into `target` (a binary file); each file's rows and SHA-256."""
    if kind == CSV:
        return write_analysis_zip(
            target, study=study, as_of=as_of, privacy=privacy, progress=progress
        )
    if kind == ODM:
        from edc.selectors import protocol_definition  # selectors import models

        hashing = _Hashing(target)
        odm = write_odm(
            hashing,
            study=study,
            definition=protocol_definition(study),
            as_of=as_of,
            privacy=privacy,
            audit_records=audit_records,
        )
        progress(1)
        return [WrittenFile(ODM_FILE, odm.rows, hashing.sha256.hexdigest())]
    return _write_sdtm(target, kind, study, as_of, privacy, progress)
