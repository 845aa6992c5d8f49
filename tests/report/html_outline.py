"""An HTML document read back with the standard library's parser: tags, attributes, text, comments."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


@dataclass
class Outline:
    elements: list[Element] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    declarations: list[str] = field(default_factory=list)

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def texts(self, tag: str) -> list[str]:
        return [e.text.strip() for e in self.all(tag)]

    @property
    def body_text(self) -> str:
        return "".join(self.text)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.outline = Outline()
        self.open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.outline.elements.append(element)
        if tag not in {"br", "hr", "img", "meta", "link", "input"}:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text += data
        if not any(e.tag in {"style", "title"} for e in self.open):
            self.outline.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.outline.comments.append(data)

    def handle_decl(self, decl: str) -> None:
        self.outline.declarations.append(decl)


def outline(html: str) -> Outline:
    """The tags, attributes, text and comments of ``html``."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.outline
