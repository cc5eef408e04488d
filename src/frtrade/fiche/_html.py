"""HTML rendering of the fiche's :class:`~._model.Document`."""

from __future__ import annotations

import base64
import html
from functools import cache

from frtrade.fonts import FONT_FAMILY, FONT_FILES

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

_PAGE_CSS = (
    "body{margin:0;background:#f4f4f4}"
    "@media print{@page{size:A4;margin:15mm 16mm}body{background:#fff}}"
)
_CSS = """
.fiche{--ink:#222;--accent:#2b2b5c;--rule:#7b3f98;
font-family:'%(family)s',Arial,Helvetica,sans-serif;color:var(--ink);line-height:1.45;
max-width:980px;margin:0 auto;background:#fff;padding:32px 40px 48px;
box-sizing:border-box}
.fiche h1{font-size:28px;margin:0 0 4px;line-height:1.2}
.fiche h2{font-size:21px;margin:32px 0 8px;color:var(--accent);
border-bottom:2px solid var(--rule);padding-bottom:4px}
.fiche h3{font-size:16px;margin:22px 0 6px}
.fiche .subtitle{font-size:17px;color:#444;margin:0 0 16px}
.fiche .note{border:2px solid #c8102e;padding:10px 14px;margin:12px 0}
.fiche .note-fictitious{background:#fff3cd;color:#7a0010;font-weight:bold}
.fiche .note-warning{background:#fdecea;color:#5c0010}
.fiche .note-info{background:#eef3fb;border-color:#2b5c9e}
.fiche table.key{border-collapse:collapse;margin:8px 0}
.fiche table.key td{padding:4px 14px 4px 0}
.fiche table.key td+td{font-weight:bold;text-align:right}
.fiche .sentence{font-size:15px;font-weight:bold;margin:8px 0 4px}
.fiche .reading{color:#555;font-size:13px}
.fiche figure{margin:8px 0;break-inside:avoid}
.fiche figure svg{max-width:100%%;height:auto}
.fiche .logo{max-height:80px;max-width:50%%}
.fiche footer{margin-top:32px;font-size:12px;color:#666;border-top:1px solid #ccc;padding-top:6px}
.fiche a{color:var(--accent)}
@media (max-width:640px){.fiche{padding:16px 12px}.fiche h1{font-size:22px}
.fiche h2{font-size:18px}}
@media print{.fiche{max-width:none;padding:0}.fiche h2{break-after:avoid}
.fiche h3{break-after:avoid}.fiche section{break-inside:auto}}
"""


@cache
def font_face_css(*, embed: bool) -> str:
    """``@font-face`` rules for the shipped font (base64 when ``embed``)."""
    if not embed:
        return ""
    rules = []
    for style, weight, key in (
        ("normal", "normal", "regular"),
        ("normal", "bold", "bold"),
    ):
        data = base64.b64encode(FONT_FILES[key].read_bytes()).decode("ascii")
        rules.append(
            f"@font-face{{font-family:'{FONT_FAMILY}';font-style:{style};"
            f"font-weight:{weight};font-display:swap;"
            f"src:url(data:font/ttf;base64,{data}) format('truetype')}}"
        )
    return "\n".join(rules)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _inline(spans: Inline) -> str:
    out = []
    for span in spans:
        text = _esc(span.text)
        if span.href:
            text = f'<a href="{_esc(span.href)}">{text}</a>'
        if span.strong:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


def _block(block: Block, svgs: dict[str, str]) -> str:  # noqa: PLR0911
    if isinstance(block, Heading):
        return f"<h{block.level}>{_esc(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        cls = f' class="{block.role}"' if block.role != "body" else ""
        return f"<p{cls}>{_inline(block.spans)}</p>"
    if isinstance(block, BulletList):
        return "<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in block.items) + "</ul>"
    if isinstance(block, KeyFigures):
        rows = "".join(
            f"<tr><td>{_esc(k)}</td><td>{_esc(v)}</td></tr>" for k, v in block.rows
        )
        return f'<table class="key" id="chiffres-cles">{rows}</table>'
    if isinstance(block, Figure):
        svg = svgs.get(block.stem, "")
        return (
            f'<figure id="graphique-{_esc(block.stem)}" role="img" '
            f'aria-label="{_esc(block.alt)}">{svg}</figure>'
        )
    if isinstance(block, Note):
        extra = ' id="donnees-fictives"' if block.kind == "fictitious" else ""
        return f'<p class="note note-{block.kind}"{extra}>{_esc(block.text)}</p>'
    if isinstance(block, Logo):
        data = base64.b64encode(block.data).decode("ascii")
        return f'<img class="logo" src="data:{block.mime};base64,{data}" alt="{_esc(block.alt)}">'
    raise TypeError(f"unknown block {block!r}")  # pragma: no cover


def render_html(
    doc: Document,
    svgs: dict[str, str],
    *,
    standalone: bool = True,
    embed_font: bool = True,
) -> str:
    """Render the document as HTML (a whole page, or a fragment for Jupyter).

    Parameters
    ----------
    doc
        The fiche's document.
    svgs
        SVG text of each chart, by stem.
    standalone
        A whole page with ``<head>`` (viewport, metadata, styles).
    embed_font
        Embed the shipped font as base64 ``@font-face`` (≈ 1,1 Mo).

    Returns
    -------
    str
        The HTML.
    """
    body = [
        '<div class="fiche"><header>',
        f"<h1>{_esc(doc.title)}</h1>",
        f'<p class="subtitle">{_esc(doc.subtitle)}</p>',
    ]
    body += [_block(b, svgs) for b in doc.head]
    body.append("</header>")
    for section in doc.sections:
        body.append(
            f'<section id="{_esc(section.anchor)}"><h2>{_esc(section.title)}</h2>'
        )
        body += [_block(b, svgs) for b in section.blocks]
        body.append("</section>")
    if doc.footer:
        body.append(f"<footer>{_esc(doc.footer)}</footer>")
    body.append("</div>")
    css = font_face_css(embed=embed_font) + _CSS % {"family": FONT_FAMILY}
    if not standalone:
        return f"<style>{css}</style>\n" + "\n".join(body) + "\n"
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{doc.language}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(doc.title)} – {_esc(doc.subtitle)}</title>",
        f'<meta name="author" content="{_esc(doc.author)}">',
        f'<meta name="description" content="{_esc(doc.subject)}">',
        f'<meta name="keywords" content="{_esc(", ".join(doc.keywords))}">',
        f"<style>{_PAGE_CSS}{css}</style></head><body>",
    ]
    return "\n".join([*head, *body, "</body></html>"]) + "\n"
