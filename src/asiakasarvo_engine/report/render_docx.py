"""The report as DOCX, written from the same markdown-it token stream as the HTML.

One handler per block token type (headings, paragraphs, bullet and numbered lists, tables,
quotes, rules as page breaks); inline tokens become runs with bold, italic and strike.
Text is only ever added as run text, so user text stays text in Word too. Charts go in
as PNG; a numbered list restarts at its own start number. Page numbers, the table of
contents and the draft mark are Word fields and page furniture (:mod:`.docx_fields`).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Length, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Row
from docx.text.paragraph import Paragraph
from markdown_it.token import Token

from asiakasarvo_engine.report.charts import chart_png
from asiakasarvo_engine.report.docx_fields import (
    add_contents,
    add_draft_mark,
    add_logo,
    add_page_numbers,
    update_fields_on_open,
)
from asiakasarvo_engine.report.markdown import render_markdown
from asiakasarvo_engine.report.model import Report
from asiakasarvo_engine.report.tokens import chapters, chart_id, parse
from asiakasarvo_engine.report.words import words

TABLE_STYLE = "Light Grid Accent 1"
HEADING_STYLES = {"h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3",
                  "h5": "Heading 4", "h6": "Heading 5"}
CHART_WIDTH = Cm(9.5)
TEXT_WIDTH = Cm(18)
"""A4 width less the margins."""
MIN_COLUMN_CHARS, MAX_COLUMN_CHARS, CELL_PADDING_CHARS = 5, 40, 4
WORD_CHAR_CM, CELL_MARGINS_CM = 0.24, 0.45
"""A generous character width of a bold 9.5 pt table word (wide enough for the DejaVu Sans that
LibreOffice falls back to without Calibri) and a cell's left and right margins."""
LINK_COLOUR = RGBColor(0x1F, 0x4E, 0x79)
_ALIGN = {"text-align:right": WD_ALIGN_PARAGRAPH.RIGHT, "text-align:center": WD_ALIGN_PARAGRAPH.CENTER}


@dataclass
class _Cell:
    inline: Token | None
    header: bool
    align: str


@dataclass
class _ListLevel:
    ordered: bool
    num_id: int | None
    items: int = 0


@dataclass
class _DocxWriter:
    """Walks block tokens and writes them to a python-docx document."""

    document: DocumentObject
    charts: Mapping[str, bytes]
    lists: list[_ListLevel] = field(default_factory=list)
    quote_depth: int = 0
    item_paragraphs: int = 0
    table_rows: list[list[_Cell]] | None = None
    pending_break: bool = False
    heading: str | None = None
    styles: dict[str, Any] = field(default_factory=dict)
    contents: tuple[str, list[str]] | None = None
    """The table of contents' title and chapters, written before the first chapter."""

    # -- blocks -------------------------------------------------------------------------

    def _style(self, name: str) -> Any:
        """A style by name, looked up once (python-docx looks names up slowly)."""
        if name not in self.styles:
            self.styles[name] = self.document.styles[name]
        return self.styles[name]

    def _paragraph(self, style: str | None = None) -> Paragraph:
        paragraph = self.document.add_paragraph()
        if style:  # the style's id set directly: python-docx's lookup scans every style each time
            paragraph._p.style = self._style(style).style_id
        if self.pending_break:
            paragraph.paragraph_format.page_break_before = True
            self.pending_break = False
        return paragraph

    def _list_paragraph(self) -> Paragraph:
        level = self.lists[-1]
        depth = min(len(self.lists), 3)
        suffix = "" if depth == 1 else f" {depth}"
        if self.item_paragraphs > 0:
            return self._paragraph(f"List Continue{suffix}")
        paragraph = self._paragraph(f"List Number{suffix}" if level.ordered else f"List Bullet{suffix}")
        if level.ordered and level.num_id is not None:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_numId().val = level.num_id
            num_pr.get_or_add_ilvl().val = 0
        return paragraph

    def _block_paragraph(self) -> Paragraph:
        if self.lists:
            paragraph = self._list_paragraph()
            self.item_paragraphs += 1
            return paragraph
        return self._paragraph("Quote" if self.quote_depth else None)

    def heading_open(self, token: Token) -> None:
        if token.tag == "h2" and self.contents is not None:
            add_contents(self.document, *self.contents)
            self.contents = None
        self.heading = HEADING_STYLES.get(token.tag, "Heading 5")

    def heading_close(self, token: Token) -> None:
        self.heading = None

    def inline(self, token: Token) -> None:
        if self.table_rows is not None:
            self.table_rows[-1][-1].inline = token
            return
        paragraph = self._paragraph(self.heading) if self.heading else self._block_paragraph()
        self._runs(paragraph, token.children or [])

    def bullet_list_open(self, token: Token) -> None:
        self.lists.append(_ListLevel(ordered=False, num_id=None))

    def ordered_list_open(self, token: Token) -> None:
        start = int(str(token.attrGet("start") or 1))
        self.lists.append(_ListLevel(ordered=True, num_id=self._restart_numbering(start)))

    def list_close(self, token: Token) -> None:
        self.lists.pop()

    def list_item(self, token: Token) -> None:
        self.item_paragraphs = 0

    def blockquote_open(self, token: Token) -> None:
        self.quote_depth += 1

    def blockquote_close(self, token: Token) -> None:
        self.quote_depth -= 1

    def hr(self, token: Token) -> None:
        self.pending_break = True

    def code_block(self, token: Token) -> None:
        paragraph = self._paragraph("No Spacing")
        run = paragraph.add_run(token.content.rstrip("\n"))
        run.font.name = "Consolas"

    def table_open(self, token: Token) -> None:
        self.table_rows = []

    def tr_open(self, token: Token) -> None:
        assert self.table_rows is not None
        self.table_rows.append([])

    def cell_open(self, token: Token) -> None:
        assert self.table_rows is not None
        self.table_rows[-1].append(_Cell(None, header=token.type == "th_open",
                                         align=str(token.attrGet("style") or "")))

    def table_close(self, token: Token) -> None:
        rows, self.table_rows = self.table_rows or [], None
        if not rows:
            return
        if self.pending_break:
            self._paragraph()
        width = max(len(row) for row in rows)
        table = self.document.add_table(rows=len(rows), cols=width)
        table.style = self._style(TABLE_STYLE)
        _plain_first_column(table)
        widths = _column_widths(rows, width)
        table.autofit = False
        for column, column_width in zip(table.columns, widths, strict=True):
            column.width = column_width  # the grid, which LibreOffice follows; Word follows the cells
        for row, docx_row in zip(rows, table.rows, strict=True):
            if row and all(cell.header for cell in row):
                _repeat_as_header(docx_row)
            for cell, docx_cell, column_width in zip(row, docx_row.cells, widths, strict=False):
                docx_cell.width = column_width
                paragraph = docx_cell.paragraphs[0]
                if cell.align in _ALIGN:
                    paragraph.alignment = _ALIGN[cell.align]
                self._runs(paragraph, cell.inline.children or [] if cell.inline else [])
        self.document.add_paragraph()

    # -- inline -------------------------------------------------------------------------

    def _runs(self, paragraph: Paragraph, children: Sequence[Token]) -> None:
        bold = italic = strike = link = 0
        for child in children:
            kind = child.type
            if kind in ("text", "code_inline"):
                if not child.content:
                    continue
                run = paragraph.add_run(child.content)
                if bold:  # only what a run has: setting None still builds and empties its properties
                    run.bold = True
                if italic:
                    run.italic = True
                if strike:
                    run.font.strike = True
                if link:
                    run.underline = True
                    run.font.color.rgb = LINK_COLOUR
                if kind == "code_inline":
                    run.font.name = "Consolas"
            elif kind == "softbreak":
                paragraph.add_run(" ")
            elif kind == "hardbreak":
                paragraph.add_run().add_break()
            elif kind in ("strong_open", "strong_close"):
                bold += 1 if kind.endswith("open") else -1
            elif kind in ("em_open", "em_close"):
                italic += 1 if kind.endswith("open") else -1
            elif kind in ("s_open", "s_close"):
                strike += 1 if kind.endswith("open") else -1
            elif kind in ("link_open", "link_close"):
                link += 1 if kind.endswith("open") else -1
            elif kind == "image":
                self._image(paragraph, child)

    def _image(self, paragraph: Paragraph, token: Token) -> None:
        png = self.charts.get(chart_id(str(token.attrGet("src") or "")) or "")
        if png is None:
            paragraph.add_run(token.content)
            return
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run().add_picture(io.BytesIO(png), width=CHART_WIDTH)

    # -- numbering ----------------------------------------------------------------------

    def _restart_numbering(self, start: int) -> int | None:
        """A new numbering instance of the "List Number" style that starts at ``start``."""
        style = self.document.styles["List Number"].element
        p_pr = style.pPr
        if p_pr is None or p_pr.numPr is None or p_pr.numPr.numId is None:
            return None
        numbering = self.document.part.numbering_part.numbering_definitions._numbering
        abstract = numbering.num_having_numId(p_pr.numPr.numId.val).abstractNumId.val
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return int(num.numId)

    def write(self, tokens: Sequence[Token]) -> None:
        """Write every block token (types without a handler, such as closing tags, are skipped)."""
        for token in tokens:
            handler = HANDLERS.get(token.type)
            if handler is not None:
                handler(self, token)


HANDLERS: dict[str, Callable[[_DocxWriter, Token], None]] = {
    "heading_open": _DocxWriter.heading_open, "heading_close": _DocxWriter.heading_close,
    "inline": _DocxWriter.inline,
    "bullet_list_open": _DocxWriter.bullet_list_open, "bullet_list_close": _DocxWriter.list_close,
    "ordered_list_open": _DocxWriter.ordered_list_open, "ordered_list_close": _DocxWriter.list_close,
    "list_item_open": _DocxWriter.list_item, "list_item_close": _DocxWriter.list_item,
    "blockquote_open": _DocxWriter.blockquote_open, "blockquote_close": _DocxWriter.blockquote_close,
    "hr": _DocxWriter.hr, "code_block": _DocxWriter.code_block, "fence": _DocxWriter.code_block,
    "table_open": _DocxWriter.table_open, "tr_open": _DocxWriter.tr_open,
    "th_open": _DocxWriter.cell_open, "td_open": _DocxWriter.cell_open,
    "table_close": _DocxWriter.table_close,
}
"""One handler per block token type; paragraphs need none (their inline token writes them)."""


def _cell_text(cell: _Cell) -> str:
    return "".join(child.content for child in (cell.inline.children or [] if cell.inline else []))


def _min_width(rows: list[list[_Cell]], column: int) -> int:
    """The narrowest a column can be without breaking its longest word (bold headers included)."""
    words = [word for row in rows if column < len(row) for word in _cell_text(row[column]).split()]
    longest = max((len(word) for word in words), default=1)
    return int(Cm(longest * WORD_CHAR_CM + CELL_MARGINS_CM))


def _column_widths(rows: list[list[_Cell]], count: int) -> list[Length]:
    """Column widths in proportion to their longest text (within bounds), filling the text
    width, and never so narrow that a word breaks mid-word ("Piste|et")."""
    weights = []
    for column in range(count):
        longest = max((len(_cell_text(row[column])) for row in rows if column < len(row)), default=1)
        weights.append(min(max(longest, MIN_COLUMN_CHARS), MAX_COLUMN_CHARS) + CELL_PADDING_CHARS)
    total = sum(weights)
    widths = [TEXT_WIDTH * weight / total for weight in weights]
    floors: list[float] = [_min_width(rows, column) for column in range(count)]
    if sum(floors) > TEXT_WIDTH:  # words too long for any layout: shrink every floor alike
        floors = [floor * TEXT_WIDTH / sum(floors) for floor in floors]
    short = sum(max(floor - width, 0) for floor, width in zip(floors, widths, strict=True))
    spare = sum(max(width - floor, 0) for floor, width in zip(floors, widths, strict=True))
    if short > 0 and spare > 0:  # widen the narrow columns, taking from the others' room above their floor
        widths = [floor if width <= floor else width - (width - floor) * short / spare
                  for floor, width in zip(floors, widths, strict=True)]
    return [Emu(int(width)) for width in widths]


def _repeat_as_header(row: _Row) -> None:
    """Mark a header row so Word repeats it on every page a long table spans."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _plain_first_column(table: DocxTable) -> None:
    """Header row styled, first column not (the style's default would bold it)."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.set(qn("w:firstColumn"), "0")
        look.set(qn("w:val"), "0420")


def _setup(document: DocumentObject, title: str) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.5)  # leaves TEXT_WIDTH
    section.top_margin, section.bottom_margin = Cm(1.5), Cm(1.7)
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(9.5)
    document.core_properties.title = title
    document.core_properties.author = "asiakasarvo-engine"


def render_docx(report: Report, path: str | Path | None = None, markdown: str | None = None) -> bytes:
    """The report as DOCX bytes (also written to ``path`` when given)."""
    text = render_markdown(report) if markdown is None else markdown
    document = Document()
    company = report.cover.company
    _setup(document, f"{report.cover.title}: {company}" if company else report.cover.title)
    table = words(report.lang)
    section = document.sections[0]
    add_page_numbers(section)
    if not report.final:
        add_draft_mark(section, str(table["draft"]))
    if report.logo is not None:
        add_logo(section, report.logo)
    tokens = parse(text)
    writer = _DocxWriter(document, {chart.id: chart_png(chart) for chart in report.charts},
                         contents=(str(table["contents"]), [title for _, title in chapters(tokens)]))
    writer.write(tokens)
    update_fields_on_open(document)
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data
