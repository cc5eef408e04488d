"""PDF rendering (typst) of the fiche's :class:`~._model.Document`."""

from __future__ import annotations

import json
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from frtrade.fonts import FONT_DIR, FONT_FAMILY

from ._model import (
    Block,
    BulletList,
    Document,
    Figure,
    Heading,
    Inline,
    KeyFigures,
    Logo,
    Note,
    Paragraph,
)

if TYPE_CHECKING:
    from types import ModuleType

_EXT = {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}


@cache
def _typst_module() -> ModuleType:
    import typst

    return typst


def _s(text: str) -> str:
    """A typst string literal (text inserted verbatim, no markup)."""
    return json.dumps(text, ensure_ascii=False)


def _inline(spans: Inline) -> str:
    out = []
    for span in spans:
        piece = f"#{_s(span.text)}"
        if span.href:
            piece = f"#link({_s(span.href)})[{piece}]"
        if span.strong:
            piece = f"#strong[{piece}]"
        out.append(piece)
    return "".join(out)


def _block(block: Block, logos: dict[int, str]) -> str:  # noqa: PLR0911
    if isinstance(block, Heading):
        return f"#heading(level: {block.level - 1})[#{_s(block.text)}]"
    if isinstance(block, Paragraph):
        if block.role == "reading":
            return f'#text(size: 9pt, fill: rgb("#555555"))[{_inline(block.spans)}]\n'
        if block.role == "sentence":
            return f"#strong[{_inline(block.spans)}]\n"
        return f"{_inline(block.spans)}\n"
    if isinstance(block, BulletList):
        return "\n".join(f"- {_inline(item)}" for item in block.items) + "\n"
    if isinstance(block, KeyFigures):
        cells = ", ".join(f"[#{_s(k)}], [*#{_s(v)}*]" for k, v in block.rows)
        return (
            "#table(columns: (auto, auto), stroke: none, inset: (x: 0pt, y: 3pt), "
            f"column-gutter: 18pt, align: (left, right), {cells})"
        )
    if isinstance(block, Figure):
        return (
            f'#align(center)[#image("{block.stem}.svg", width: {block.width * 100:.0f}%, '
            f"alt: {_s(block.alt)})]"
        )
    if isinstance(block, Note):
        fill, stroke = {
            "fictitious": ("#fff3cd", "#c8102e"),
            "warning": ("#fdecea", "#c8102e"),
            "info": ("#eef3fb", "#2b5c9e"),
        }[block.kind]
        body = (
            f"#strong[#{_s(block.text)}]"
            if block.kind == "fictitious"
            else f"#{_s(block.text)}"
        )
        return (
            f'#block(fill: rgb("{fill}"), stroke: 1.5pt + rgb("{stroke}"), inset: 8pt, '
            f"width: 100%)[{body}]"
        )
    if isinstance(block, Logo):
        return f'#image("{logos[id(block)]}", height: 2cm, alt: {_s(block.alt)})'
    raise TypeError(f"unknown block {block!r}")  # pragma: no cover


def _blocks(blocks: tuple[Block, ...], logos: dict[int, str]) -> list[str]:
    """Typst of a run of blocks; a heading stays with the figure that follows it."""
    out: list[str] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if isinstance(block, Heading) and isinstance(nxt, Figure | Note):
            out.append(
                "#block(breakable: false, width: 100%)["
                + _block(block, logos)
                + "\n"
                + _block(nxt, logos)
                + "]"
            )
            i += 2
            continue
        out.append(_block(block, logos))
        i += 1
    return out


def typst_source(doc: Document, logos: dict[int, str] | None = None) -> str:
    """The typst source of the document (charts as ``<stem>.svg`` beside it).

    Parameters
    ----------
    doc
        The fiche's document.
    logos
        File names of the logo blocks, by ``id(block)``.

    Returns
    -------
    str
        Typst markup.
    """
    logos = logos or {}
    keywords = ", ".join(_s(k) for k in doc.keywords)
    lines = [
        (
            f"#set document(title: {_s(doc.title + ' – ' + doc.subtitle)}, "
            f"author: {_s(doc.author)}, description: {_s(doc.subject)}, "
            f"keywords: ({keywords},))"
        ),
        '#set page(paper: "a4", margin: (x: 1.6cm, top: 1.4cm, bottom: 1.6cm), footer: context [',
        (
            f'  #set text(size: 8pt, fill: rgb("#666666")); #{_s(doc.footer)} #h(1fr) '
            '#counter(page).display("1 / 1", both: true)])'
        ),
        (
            f'#set text(font: "{FONT_FAMILY}", size: 10pt, lang: "{doc.language}", '
            "hyphenate: false)"
        ),
        "#set par(justify: true, spacing: 0.9em)",
        "#set block(spacing: 0.9em)",
        '#show heading.where(level: 1): set text(size: 15pt, fill: rgb("#2b2b5c"))',
        "#show heading.where(level: 1): set block(above: 1.2em, below: 0.7em)",
        "#show heading.where(level: 2): set text(size: 11pt)",
        "#show heading: set par(justify: false)",
        f'#text(size: 20pt, weight: "bold")[#{_s(doc.title)}]\\',
        f"#text(size: 13pt)[#{_s(doc.subtitle)}]",
        "",
    ]
    lines += _blocks(doc.head, logos)
    for section in doc.sections:
        lines.append(f"#heading(level: 1)[#{_s(section.title)}]")
        lines += _blocks(section.blocks, logos)
    return "\n".join(lines) + "\n"


def render_pdf(doc: Document, svgs: dict[str, bytes]) -> bytes:
    """Typeset the document as an A4 PDF with the shipped font only.

    The charts go in as the SVGs the HTML page shows: typst draws them as
    vector graphics with their text as text, in the same Liberation Sans
    it embeds once for the whole PDF.

    Parameters
    ----------
    doc
        The fiche's document.
    svgs
        Each chart as SVG bytes (the fiche's variant, without a title), by stem.

    Returns
    -------
    bytes
        The PDF.
    """
    with tempfile.TemporaryDirectory(prefix="frtrade-fiche-") as tmp:
        root = Path(tmp)
        for stem, data in svgs.items():
            (root / f"{stem}.svg").write_bytes(data)
        logos: dict[int, str] = {}
        for block in doc.head:
            if isinstance(block, Logo):
                name = f"logo-{len(logos)}.{_EXT.get(block.mime, 'png')}"
                (root / name).write_bytes(block.data)
                logos[id(block)] = name
        (root / "fiche.typ").write_text(typst_source(doc, logos), encoding="utf-8")
        result: bytes = _typst_module().compile(
            str(root / "fiche.typ"),
            root=str(root),
            font_paths=[str(FONT_DIR)],
            ignore_system_fonts=True,
        )
        return result
