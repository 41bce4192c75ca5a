"""The casebook document (edc/casebook_document.py) as a PDF, drawn by WeasyPrint.

The print stylesheet names Noto Sans CJK SC (Debian's fonts-noto-cjk, installed by the set-up):
WeasyPrint embeds a subset of it, so the Chinese text is real text in the PDF, not pictures, and
can be searched and extracted. The stylesheet is read from disk, not fetched over HTTP.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from edc.casebook_document import CasebookDocument

STYLESHEET = "edc/casebook_print.css"


def casebook_pdf(document: CasebookDocument, *, lang: str) -> bytes:
    from weasyprint import CSS, HTML  # imported here: it loads Pango, which pages never need

    html = render_to_string("edc/casebook_print.html", {"doc": document, "lang": lang})
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find(STYLESHEET))])
