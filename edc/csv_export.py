"""CSV downloads that stream (any size, constant memory) and cannot carry a spreadsheet formula."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse

# A cell starting with one of these is run as a formula by Excel and LibreOffice (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """The value as text, with a leading apostrophe if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_response(
    filename: str, header: Iterable[str], rows: Iterable[Iterable[object]]
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # a BOM, so that Excel reads the UTF-8 (Chinese) text as UTF-8
        yield writer.writerow([spreadsheet_safe(h) for h in header])
        for row in rows:
            yield writer.writerow([spreadsheet_safe(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
