"""Word fields and page furniture of the DOCX report: page numbers, a table of contents, the
draft mark and the organisation's logo.

Word computes fields when the document opens (``updateFields``): the page numbers in the
footer and the table of contents over the "Heading 1" chapters. Until then the contents
field shows the chapter titles it was written with, so it is never empty.
"""

from __future__ import annotations

import io

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

MUTED = RGBColor(0x5B, 0x64, 0x72)
DRAFT_COLOUR = RGBColor(0xB5, 0x52, 0x3B)
CONTENTS_FIELD = 'TOC \\o "1-1" \\h \\z \\u'
"""Word's table of contents of the level-1 headings (the report's chapters), as links."""


def _field_char(paragraph: Paragraph, kind: str) -> None:
    run = paragraph.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def _instruction(paragraph: Paragraph, code: str) -> None:
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {code} "
    run._r.append(text)


def _simple_field(paragraph: Paragraph, code: str, shown: str) -> None:
    """A field Word computes (``PAGE``, ``NUMPAGES``), showing ``shown`` until it does."""
    _field_char(paragraph, "begin")
    _instruction(paragraph, code)
    _field_char(paragraph, "separate")
    paragraph.add_run(shown)
    _field_char(paragraph, "end")


def add_page_numbers(section: Section) -> None:
    """"n / N" at the right of the section's footer."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _simple_field(paragraph, "PAGE", "1")
    paragraph.add_run(" / ")
    _simple_field(paragraph, "NUMPAGES", "1")
    for run in paragraph.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = MUTED


def add_draft_mark(section: Section, text: str) -> None:
    """The draft mark in the section's header, on every page."""
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(14)
    run.font.color.rgb = DRAFT_COLOUR


def add_logo(section: Section, image: bytes) -> None:
    """The organisation's logo at the right of the section's header, 1.2 cm high."""
    paragraph = section.header.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run().add_picture(io.BytesIO(image), height=Cm(1.2))


def add_contents(document: DocumentObject, title: str, chapters: list[str]) -> None:
    """The table of contents: its title, then a TOC field that shows the chapter titles
    until Word fills in their page numbers."""
    heading = document.add_paragraph()
    label = heading.add_run(title)
    label.bold = True
    field = document.add_paragraph()
    _field_char(field, "begin")
    _instruction(field, CONTENTS_FIELD)
    _field_char(field, "separate")
    for index, chapter in enumerate(chapters):
        if index:
            field.add_run().add_break()
        field.add_run(f"{index + 1}. {chapter}")
    _field_char(field, "end")


def update_fields_on_open(document: DocumentObject) -> None:
    """Ask Word to compute the fields (page numbers, contents) when the document opens."""
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
