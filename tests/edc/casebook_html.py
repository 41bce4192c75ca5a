"""Reading a casebook page as a browser does: its cells and its links, from the HTML."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass(frozen=True)
class Cell:
    tag: str  # "a" when linked, "span" when not
    visit: str
    crf: str
    state: str
    classes: frozenset[str]
    href: str | None


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[Cell] = []
        self.links: list[str] = []
        self.legend: list[frozenset[str]] = []
        self._in_legend = False
        self._visit = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = frozenset((a.get("class") or "").split())
        if a.get("data-testid") == "casebook-legend":
            self._in_legend = True
        elif self._in_legend and "crf-cell" in classes:
            self.legend.append(classes)
        if tag == "tr" and "data-visit" in a:
            self._visit = a["data-visit"]
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if "data-crf" in a:
            cell = Cell(tag, self._visit, a["data-crf"], a["data-state"], classes, a.get("href"))
            self.cells.append(cell)

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_legend = False


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page
