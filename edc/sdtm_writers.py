"""Write SDTM datasets as SAS XPORT v5 (pyreadstat) and CDISC Dataset-JSON v1.1.

Both writers check the dataset first (edc.domain.sdtm.check_dataset) and write to a temporary
file renamed into place, so a refused dataset leaves no file behind: pyreadstat leaves a 0-byte
file when it fails on a long name, which a later step could mistake for an empty domain.

Free text that is not ASCII (a Chinese verbatim) is the one thing the two files hold
differently: the .xpt has the coded English term or a blank (edc.domain.sdtm.xpt_value), the
Dataset-JSON file the UTF-8 verbatim, and define.xml says so on the variable.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from edc.domain.sdtm import (
    Dataset,
    DataType,
    Value,
    Variable,
    check_dataset,
    column_length,
    xpt_rows,
)

DATASET_JSON_VERSION = "1.1.0"
JSON_TYPES = {DataType.TEXT: "string", DataType.INTEGER: "integer", DataType.FLOAT: "double"}


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        write(Path(temporary))
        os.chmod(temporary, 0o644)  # mkstemp makes it private; an export is meant to be shared
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _cell(variable: Variable, value: Value) -> str | int | float | None:
    if variable.type is DataType.TEXT:
        return "" if value is None else str(value)
    if value is None:
        return None
    return int(value) if variable.type is DataType.INTEGER else float(value)


# The created and modified stamps (ddMMMyy:hh:mm:ss) of the library and member headers of a
# one-member XPORT v5 file, by byte offset: pyreadstat writes the clock's time there.
_XPT_STAMPS = (144, 160, 464, 480)


def _stamp_xpt(path: Path, created: dt.datetime) -> None:
    """Write `created` into the headers' time stamps, so the file's bytes depend on the data
    and the export's moment only."""
    stamp = created.astimezone(dt.UTC).strftime("%d%b%y:%H:%M:%S").upper().encode("ascii")
    with path.open("r+b") as target:
        for offset in _XPT_STAMPS:
            target.seek(offset)
            target.write(stamp)


def write_xpt(dataset: Dataset, path: Path, created: dt.datetime | None = None) -> Path:
    """One domain as a SAS XPORT version 5 transport file (the FDA's format for SDTM);
    `created` (default: now) is the moment its headers give."""
    import pandas as pd
    import pyreadstat

    spec = dataset.spec
    rows = xpt_rows(dataset)
    check_dataset(Dataset(spec, rows))
    columns = {
        variable.name: pd.Series(
            [_cell(variable, row.get(variable.name)) for row in rows],
            dtype="object" if variable.type is DataType.TEXT else "float64",
        )
        for variable in spec.variables
    }
    frame = pd.DataFrame(columns, columns=spec.names)

    def write(target: Path) -> None:
        pyreadstat.write_xport(
            frame,
            str(target),
            file_format_version=5,
            table_name=spec.name,
            file_label=spec.label,
            column_labels=[variable.label for variable in spec.variables],
        )
        if created is not None:
            _stamp_xpt(target, created)

    atomic_write(path, write)
    return path


def dataset_json(
    dataset: Dataset,
    *,
    study_oid: str,
    created: dt.datetime,
    originator: str = "CAR-T EDC",
    source_version: str = "1",
    metadata_version_oid: str = "MDV.1",
    define_file: str = "define.xml",
) -> dict:
    """The Dataset-JSON v1.1 document of one domain (columns with their Define-XML OIDs, rows
    as arrays in column order); text is UTF-8, so a verbatim keeps its own script."""
    check_dataset(dataset, ascii_only=False)
    spec = dataset.spec
    columns = []
    key_sequence = spec.key_sequence
    for variable in spec.variables:
        column: dict[str, object] = {
            "itemOID": f"IT.{spec.name}.{variable.name}",
            "name": variable.name,
            "label": variable.label,
            "dataType": JSON_TYPES[variable.type],
        }
        if variable.type is DataType.TEXT:
            column["length"] = column_length(dataset, variable)
        if variable.name in key_sequence:
            column["keySequence"] = key_sequence[variable.name]
        columns.append(column)
    rows = [
        [_json_cell(variable, row.get(variable.name)) for variable in spec.variables]
        for row in dataset.rows
    ]
    return {
        "datasetJSONCreationDateTime": created.replace(microsecond=0, tzinfo=None).isoformat(),
        "datasetJSONVersion": DATASET_JSON_VERSION,
        "fileOID": f"{study_oid}.{spec.name}",
        "originator": originator,
        "sourceSystem": {"name": originator, "version": source_version},
        "studyOID": study_oid,
        "metaDataVersionOID": metadata_version_oid,
        "metaDataRef": define_file,
        "itemGroupOID": f"IG.{spec.name}",
        "records": len(rows),
        "name": spec.name,
        "label": spec.label,
        "columns": columns,
        "rows": rows,
    }


def _json_cell(variable: Variable, value: Value) -> str | int | float | None:
    # Dataset-JSON keeps missing text as null, not as the blank XPORT has to write.
    if value is None or value == "":
        return None
    if isinstance(value, Decimal) and variable.type is DataType.FLOAT:
        return float(value)
    return _cell(variable, value)


def write_dataset_json(dataset: Dataset, path: Path, **document_options) -> Path:
    document = dataset_json(dataset, **document_options)

    def write(target: Path) -> None:
        target.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")

    atomic_write(path, write)
    return path
