"""The fiche as one ordered document: sections of blocks, rendered to HTML and PDF.

The HTML page and the PDF are two renderings of the same :class:`Document`,
so they carry the same sentences. Texts are already typographed (French
spaces, apostrophes, quotes) when they enter the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ParagraphRole = Literal["body", "lead", "reading", "sentence", "caption", "small"]
NoteKind = Literal["info", "warning", "fictitious"]


@dataclass(frozen=True)
class Span:
    """A run of text inside a paragraph or list item (optionally bold or a link)."""

    text: str
    strong: bool = False
    href: str | None = None


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Heading:
    """A heading inside a section (level 3 = sub-heading)."""

    text: str
    level: int = 3


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``role`` selects its style (reading key, sentence...)."""

    spans: Inline
    role: ParagraphRole = "body"

    @property
    def text(self) -> str:
        """The paragraph's plain text."""
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class BulletList:
    """A bulleted list."""

    items: tuple[Inline, ...]


@dataclass(frozen=True)
class KeyFigures:
    """Label/value pairs (exports, imports, balance...)."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Figure:
    """A chart: its title, its file stem and its accessible description."""

    title: str
    stem: str
    alt: str
    width: float = 1.0  # fraction of the text width in the PDF


@dataclass(frozen=True)
class Note:
    """A boxed note (missing data, fictitious data...)."""

    text: str
    kind: NoteKind = "info"


@dataclass(frozen=True)
class Logo:
    """An image given by the user (overrides), embedded in both renderings."""

    data: bytes
    mime: str
    alt: str


Block = Heading | Paragraph | BulletList | KeyFigures | Figure | Note | Logo


@dataclass(frozen=True)
class Section:
    """A titled part of the fiche (``anchor`` is its HTML id)."""

    anchor: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    """The whole fiche: title area, sections, footer and PDF metadata."""

    title: str
    subtitle: str
    head: tuple[Block, ...]
    sections: tuple[Section, ...]
    footer: str
    author: str = "frtrade"
    subject: str = ""
    keywords: tuple[str, ...] = field(default_factory=tuple)
    language: str = "fr"

    def texts(self) -> list[str]:
        """Every text of the document, in reading order (what both renderings show).

        Chart pictures are not included (their text is inside the chart; the
        heading before each chart is).

        Returns
        -------
        list[str]
            Titles, headings, paragraphs, list items, key figures, notes.

        Examples
        --------
        >>> doc = Document("Titre", "Sous-titre", (Note("Attention."),), (), "Pied")
        >>> doc.texts()
        ['Titre', 'Sous-titre', 'Attention.', 'Pied']
        """
        out = [self.title, self.subtitle]
        out += _block_texts(self.head)
        for section in self.sections:
            out.append(section.title)
            out += _block_texts(section.blocks)
        if self.footer:
            out.append(self.footer)
        return [t for t in out if t]


def _block_texts(blocks: tuple[Block, ...]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading | Note | Paragraph):
            out.append(block.text)
        elif isinstance(block, BulletList):
            out += ["".join(s.text for s in item) for item in block.items]
        elif isinstance(block, KeyFigures):
            for label, value in block.rows:
                out += [label, value]
    return out
