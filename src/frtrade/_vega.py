"""The Vega side of rendering, light enough to be a render process on its own.

Only this module calls ``vl_convert``; it imports neither pandas nor Altair,
so ``python -m frtrade._vega`` starts in a few hundredths of a second. Run
that way it is a worker of :class:`frtrade.render.RenderPool`: it reads
length-prefixed pickled requests on stdin and answers each on stdout.
"""

from __future__ import annotations

import contextlib
import json
import math
import pickle
import re
import sys
import threading
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from types import ModuleType

#: Vega-Lite version every chart is rendered with.
VEGALITE_VERSION = "6.4"
#: Output formats understood by the renderer.
FORMATS = ("svg", "png", "pdf", "html")

_FONTS_LOCK = threading.Lock()
_fonts_registered = False
_builtin_font_only = False


def vl_convert() -> ModuleType:
    """``vl_convert``, drawing text in Liberation Sans whatever the machine has, set up once.

    vl-convert reads the machine's fonts when its font database is first
    used, and a family found twice resolves to the copy read first: on a
    machine with another "Liberation Sans" installed (Debian ships 1.07),
    the system's copy would measure and draw every label. So the first use
    decides which fonts the database holds:

    - in a process that only renders frtrade's charts (the render processes
      of :class:`frtrade.render.RenderPool`, the workers of a batch; see
      :func:`use_builtin_font`): **only** vl-convert's built-in Liberation
      Sans, held in memory. Read from a file, a face is opened and mapped
      again for every glyph measured or drawn (~4 system calls per glyph);
      from memory a chart's Vega run is 1.5 to 3 times faster and its PDF 3
      to 4 times, a batch of fiches takes a quarter less time;
    - anywhere else (a user's own process, whose other charts may want the
      machine's fonts): :data:`frtrade.fonts.FONT_DIR` listed before the
      system's fonts (:func:`shipped_fonts_first`), the system's fonts kept
      for a character the family lacks.

    Both draw the same pictures: vl-convert's built-in copy is Liberation
    Sans 2.00.1 and the shipped files 2.1.5, whose advance widths, kerning
    and outlines are the same for every character but a few fractions,
    superscript digits and symbols (compared with fontTools, and the
    fiches' SVGs compared byte for byte). A character the family lacks has
    no fallback from memory: :func:`missing_glyphs` finds them and
    :func:`frtrade.render.chart_spec` warns. (If vl-convert was already
    used in this process before frtrade, its font database is already made;
    the shipped folder is then only added.)
    """
    global _fonts_registered  # noqa: PLW0603 - one registration per process
    import vl_convert as vlc

    if not _fonts_registered:
        with _FONTS_LOCK:
            if not _fonts_registered:
                if _builtin_font_only:
                    with builtin_font_only() as empty:
                        vlc.register_font_directory(empty)
                else:
                    from frtrade.fonts import FONT_DIR

                    with shipped_fonts_first():
                        vlc.register_font_directory(str(FONT_DIR))
                _fonts_registered = True
    return vlc


def use_builtin_font() -> bool:
    """Make this process draw with vl-convert's built-in Liberation Sans only, from memory.

    For processes that render nothing but frtrade's charts: the render
    processes and the workers of a batch call it before their first
    rendering. Too late once vl-convert's font database is made.

    Returns
    -------
    bool
        Whether the setting takes effect (``False`` once charts were drawn).

    Examples
    --------
    In a new process (calling it here would change this one):

    >>> import subprocess, sys
    >>> code = "import frtrade._vega as v; print(v.use_builtin_font())"
    >>> subprocess.run(
    ...     [sys.executable, "-c", code], capture_output=True, text=True
    ... ).stdout.split()
    ['True']
    """
    global _builtin_font_only  # noqa: PLW0603 - a per-process setting
    with _FONTS_LOCK:
        if _fonts_registered:
            return _builtin_font_only
        _builtin_font_only = True
        return True


@contextlib.contextmanager
def _fontconfig(text: str) -> Iterator[None]:
    """``FONTCONFIG_FILE`` pointing to a file holding ``text``, while it lasts."""
    import os
    import tempfile
    from pathlib import Path

    previous = os.environ.get("FONTCONFIG_FILE")
    handle, name = tempfile.mkstemp(prefix="frtrade-fonts-", suffix=".conf")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.environ["FONTCONFIG_FILE"] = name
        yield
    finally:
        if previous is None:
            os.environ.pop("FONTCONFIG_FILE", None)
        else:
            os.environ["FONTCONFIG_FILE"] = previous
        with contextlib.suppress(OSError):
            Path(name).unlink()


@contextlib.contextmanager
def shipped_fonts_first() -> Iterator[None]:
    """A fontconfig setup listing the shipped fonts before the system's, while it lasts.

    vl-convert's font database follows fontconfig's ``FONTCONFIG_FILE``
    when it is made: this points it, for that moment only, to a file naming
    :data:`frtrade.fonts.FONT_DIR` first and then including the
    configuration in force (``FONTCONFIG_FILE`` or ``/etc/fonts/fonts.conf``).
    The environment is restored and the file removed on exit.
    """
    import os
    from xml.sax.saxutils import escape

    from frtrade.fonts import FONT_DIR

    system = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    with _fontconfig(
        '<?xml version="1.0"?>\n<fontconfig>'
        f"<dir>{escape(str(FONT_DIR))}</dir>"
        f'<include ignore_missing="yes">{escape(system)}</include>'
        "</fontconfig>\n"
    ):
        yield


@contextlib.contextmanager
def builtin_font_only() -> Iterator[str]:
    """A fontconfig setup naming one empty folder, while it lasts; yields the folder.

    vl-convert's font database then holds only the Liberation Sans it carries
    in memory: with no folder listed, the database would fall back to the
    usual system folders, so one empty folder is listed.
    """
    import tempfile
    from xml.sax.saxutils import escape

    with (
        tempfile.TemporaryDirectory(prefix="frtrade-nofonts-") as empty,
        _fontconfig(
            f'<?xml version="1.0"?>\n<fontconfig><dir>{escape(empty)}</dir></fontconfig>\n'
        ),
    ):
        yield empty


_COVERAGE: frozenset[int] | None = None


def missing_glyphs(text: str) -> list[str]:
    """The characters of ``text`` that Liberation Sans cannot draw, in order of code.

    Coverage is that of vl-convert's built-in Liberation Sans 2.00.1, the
    same in its four faces (the shipped 2.1.5 has all of them and a few
    more), read from ``frtrade/fonts/liberation-sans-2.00.1-coverage.txt``.

    Examples
    --------
    >>> missing_glyphs("Exportations\u202f: 12,3\u00a0M€ « autres »")
    []
    >>> missing_glyphs("北京 ₿")
    ['₿', '京', '北']
    """
    global _COVERAGE  # noqa: PLW0603 - read once per process
    if _COVERAGE is None:
        from frtrade.fonts import FONT_DIR

        points: set[int] = set()
        lines = (FONT_DIR / "liberation-sans-2.00.1-coverage.txt").read_text(
            encoding="utf-8"
        )
        for line in lines.splitlines():
            entry = line.split("#", 1)[0].strip()
            if entry:
                first, _, last = entry.partition("-")
                points.update(range(int(first, 16), int(last or first, 16) + 1))
        _COVERAGE = frozenset(points)
    coverage = _COVERAGE
    return sorted(
        (c for c in set(text) if ord(c) not in coverage and c not in "\n\r\t"),
        key=ord,
    )


def render_spec(
    spec: dict[str, Any],
    formats: Sequence[str],
    *,
    scale: float = 2.0,
    ppi: float | None = None,
) -> dict[str, bytes | str]:
    """Render a themed Vega-Lite spec: one Vega run to SVG, PNG and PDF from it.

    See :func:`frtrade.render.render_spec` (the public name).
    """
    _check_formats(formats)
    svg = None
    if set(formats) & {"svg", "png", "pdf"}:
        svg = str(vl_convert().vegalite_to_svg(spec, vl_version=VEGALITE_VERSION))
    return _from_svg(svg, spec, formats, scale=scale, ppi=ppi)


def _check_formats(formats: Sequence[str]) -> None:
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}; use one of {FORMATS}")


def _from_svg(
    svg: str | None,
    spec: dict[str, Any],
    formats: Sequence[str],
    *,
    scale: float,
    ppi: float | None,
) -> dict[str, bytes | str]:
    """Every format asked, from Vega's SVG of ``spec`` (HTML embeds ``spec``)."""
    vlc = vl_convert()
    out: dict[str, bytes | str] = {}
    for fmt in formats:
        if fmt == "svg":
            out[fmt] = str(svg)
        elif fmt == "png":
            out[fmt] = svg_to_png(str(svg), scale=scale, ppi=ppi)
        elif fmt == "pdf":
            out[fmt] = bytes(vlc.svg_to_pdf(svg))
        else:
            out[fmt] = str(
                vlc.vegalite_to_html(spec, vl_version=VEGALITE_VERSION, bundle=True)
            )
    return out


def render_titled(
    spec: dict[str, Any],
    title: dict[str, Any],
    titled_formats: Sequence[str],
    untitled_formats: Sequence[str],
    *,
    scale: float = 2.0,
    ppi: float | None = None,
) -> tuple[dict[str, bytes | str], dict[str, bytes | str]]:
    """Render a chart with a top-level title and without it, in one Vega run.

    See :func:`frtrade.render.render_titled` (the public name).
    """
    _check_formats([*titled_formats, *untitled_formats])
    titled_spec = {**spec, "title": title}
    if not untitled_formats:
        return render_spec(titled_spec, titled_formats, scale=scale, ppi=ppi), {}
    if not titled_formats:
        return {}, render_spec(spec, untitled_formats, scale=scale, ppi=ppi)
    svg = str(vl_convert().vegalite_to_svg(titled_spec, vl_version=VEGALITE_VERSION))
    titled = _from_svg(svg, titled_spec, titled_formats, scale=scale, ppi=ppi)
    bare = untitled_svg(svg, spec, title)
    if bare is None:  # not derivable for sure: Vega draws it
        return titled, render_spec(spec, untitled_formats, scale=scale, ppi=ppi)
    return titled, _from_svg(bare, spec, untitled_formats, scale=scale, ppi=ppi)


# ------------------------------------------------------------------------ PNG

_PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe


def svg_to_png(svg: str, *, scale: float = 2.0, ppi: float | None = None) -> bytes:
    r"""The PNG of one of Vega's SVGs: vl-convert makes its PDF, PDFium draws the pixels.

    ``vl_convert.svg_to_png`` (resvg) would draw the same picture, but its
    anti-aliasing costs about 1.5 ms per translucent Sankey ribbon at
    ``scale=2``: 130–150 ms for one Sankey, two thirds of a fiche's PNG
    time. The PDF is the very text and geometry of the SVG (vl-convert's
    ``svg_to_pdf``, the chart's font embedded), PDFium (through pypdfium2)
    rasterises it 3 times faster, and the pictures match to the eye: the
    edges of shapes and glyphs differ by anti-aliasing shades only.

    The size follows vl-convert's rule, ``floor(width * zoom)`` by
    ``floor(height * zoom)`` pixels with ``zoom = scale * ppi / 72``, the
    content scaled by ``zoom`` from the top left; pixels are RGBA
    (transparent where the SVG draws nothing, colours not premultiplied)
    and the file states ``ppi`` (default 72) in its ``pHYs`` chunk. PDFium
    draws a stroke thinner than a pixel one pixel wide (resvg fades it): the
    fiches' strokes are 1 unit wide or more, 2 pixels at the default scale.

    Parameters
    ----------
    svg
        An SVG drawn by vl-convert (``vegalite_to_svg``).
    scale
        Pixels per SVG unit.
    ppi
        Resolution written in the file (default 72); it also scales the
        picture by ``ppi / 72``, as in vl-convert.

    Returns
    -------
    bytes
        The PNG file.

    Raises
    ------
    ValueError
        When the picture would have no pixel, or ``ppi`` is not positive.

    Examples
    --------
    >>> png = svg_to_png(
    ...     '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10.6">'
    ...     '<rect width="5" height="5" fill="red"/></svg>'
    ... )
    >>> png[:8], int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    (b'\x89PNG\r\n\x1a\n', 40, 21)
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    if ppi is not None and not ppi > 0:
        raise ValueError(f"ppi must be positive, not {ppi!r}")
    zoom = scale * (1.0 if ppi is None else ppi / 72.0)  # vl-convert's rule
    pdf = bytes(vl_convert().svg_to_pdf(svg))
    with _PDFIUM_LOCK:
        document = pdfium.PdfDocument(pdf)
        try:
            page = document[0]
            width = math.floor(page.get_width() * zoom)
            height = math.floor(page.get_height() * zoom)
            if width < 1 or height < 1:
                raise ValueError(
                    f"a {page.get_width()}×{page.get_height()} chart at scale {scale} "
                    "has no pixel"
                )
            bitmap = pdfium.PdfBitmap.new_native(
                width, height, format=pdfium_c.FPDFBitmap_BGRA, rev_byteorder=True
            )
            try:
                bitmap.fill_rect((0, 0, 0, 0), 0, 0, width, height)
                pdfium_c.FPDF_RenderPageBitmapWithMatrix(
                    bitmap,
                    page,
                    pdfium_c.FS_MATRIX(zoom, 0, 0, zoom, 0, 0),
                    pdfium_c.FS_RECTF(0, 0, width, height),
                    pdfium_c.FPDF_REVERSE_BYTE_ORDER,
                )
                with memoryview(bitmap.buffer).cast("B") as pixels:
                    return _png(pixels, width, height, bitmap.stride, ppi)
            finally:
                bitmap.close()  # under the lock: PDFium is not thread-safe
        finally:
            document.close()


def _png(
    rgba: memoryview, width: int, height: int, stride: int, ppi: float | None
) -> bytes:
    """A PNG file of 8-bit RGBA rows.

    No row filter, deflated by ISA-L (python-isal) at level 2: six times
    faster than the standard library's zlib at level 1 for the same size,
    and a third smaller than resvg's files.
    """
    from isal import isal_zlib

    row = 4 * width
    parts: list[bytes | memoryview] = []
    for start in range(0, height * stride, stride):
        parts += (b"\x00", rgba[start : start + row])
    per_metre = round((72.0 if ppi is None else ppi) / 0.0254)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return (
            len(data).to_bytes(4, "big")
            + body
            + isal_zlib.crc32(body).to_bytes(4, "big")
        )

    header = (
        width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes((8, 6, 0, 0, 0))
    )
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", header),
            chunk(b"pHYs", per_metre.to_bytes(4, "big") * 2 + b"\x01"),
            chunk(b"IDAT", isal_zlib.compress(b"".join(parts), 2)),
            chunk(b"IEND", b""),
        )
    )


# ----------------------------------------------- the untitled SVG, from the titled


#: Title properties whose layout :func:`untitled_svg` knows (anything else: Vega).
_TITLE_KEYS = frozenset(
    {
        "text", "subtitle", "anchor", "color", "subtitleColor", "font",
        "subtitleFont", "fontSize", "subtitleFontSize", "fontWeight",
        "subtitleFontWeight", "fontStyle", "subtitleFontStyle", "lineHeight",
        "subtitleLineHeight", "subtitlePadding", "offset",
    }
)  # fmt: skip
_NUMBER = r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?"
_HEAD = re.compile(
    rf'<svg ([^>]*?)width="({_NUMBER})" height="({_NUMBER})" '
    rf'viewBox="0 0 ({_NUMBER}) ({_NUMBER})">'
    rf'(?:<rect width="({_NUMBER})" height="({_NUMBER})"([^>]*)/>)?'
    rf'<g fill="none" stroke-miterlimit="10" transform="translate\((\d+),(\d+)\)">'
    r'<g class="mark-group role-frame root"[^>]*><g transform="translate\(0,0\)">'
    rf'<path class="background" aria-hidden="true" d="M0,0h{_NUMBER}v({_NUMBER})h'
)
_TITLE = '<g class="mark-group role-title"><g transform="translate('
_TAGS = re.compile(r"<g(?:\s[^>]*)?>|</g>")  # an empty group ends in "/>"
_TAIL = re.compile(r'(?:</g>|<path class="foreground"[^>]*/>)*</svg>\s*')
_CALIBRATED: dict[str, tuple[float, float]] = {}
_BLOCKS: dict[str, float] = {}  # block height by title layout (without its words)


def _padding(spec: dict[str, Any]) -> dict[str, int] | None:
    """The spec's padding by side (Vega-Lite's default 5), if whole pixels."""
    sides = ("left", "top", "right", "bottom")
    value = spec.get("padding", spec.get("config", {}).get("padding", 5))
    values = value if isinstance(value, dict) else dict.fromkeys(sides, value)
    out = {side: values.get(side, 0) for side in sides}
    if all(type(v) is int for v in out.values()):
        return out
    return None


def _number(value: float) -> str:
    """A number as Vega writes it in SVG (JavaScript's shortest form)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _title_box(
    spec: dict[str, Any], title: dict[str, Any], padding: dict[str, int], drawn: str
) -> tuple[float, float] | None:
    """(height of the title block plus its offset, an upper bound of its width).

    The block's height depends on the title's font sizes, line heights,
    offsets and number of lines, never on its words (Vega sizes a text
    line by its font size): it is measured by Vega once per such layout, on
    an empty chart carrying the title. The width is bounded from the title
    as Vega drew it (``drawn``, its SVG group: the exact font size, weight
    and text of each line) with the font's advance widths and a margin;
    when that is not sure (another font, a character without a known width),
    Vega measures the title itself (cached per title).
    """
    width = _drawn_width_bound(drawn)  # None: not plain lines of known text
    layout = json.dumps(
        [
            _title_layout(title),
            spec.get("config"),
            spec.get("padding"),
            drawn.count("<text"),  # the lines Vega drew (a config may break them)
        ],
        sort_keys=True,
    )
    if width is not None and layout in _BLOCKS:
        return _BLOCKS[layout], width
    measured = _probe_title(spec, title, padding)
    if measured is not None and width is not None:  # a layout of plain lines only
        if len(_BLOCKS) > 512:
            _BLOCKS.clear()
        _BLOCKS[layout] = measured[0]
    return measured


def _title_layout(title: dict[str, Any]) -> dict[str, Any]:
    """The title without its words: each line of text or subtitle, empty or not."""

    def lines(value: object) -> object:
        if isinstance(value, str):
            return bool(value)
        if isinstance(value, list):
            return [lines(v) for v in value]
        return value

    return {k: lines(v) if k in ("text", "subtitle") else v for k, v in title.items()}


_TEXT = re.compile(r"<text ([^>]*)>([^<]*)</text>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
_TEXT_ATTRIBUTES = frozenset(
    {"text-anchor", "transform", "font-family", "font-size", "font-weight", "fill",
     "opacity"}
)  # fmt: skip


def _drawn_width_bound(drawn: str) -> float | None:
    """An upper bound of the width of the title group's text, or None if unsure.

    Every line must be a plain ``<text>`` in Liberation Sans, upright, each
    character's advance width known (:mod:`frtrade._metrics`); the bound adds
    10 % and 2 px to the sum of advance widths (kerning only narrows a line).
    """
    import html

    from frtrade._metrics import BOLD, REGULAR, char_width, known

    if "<tspan" in drawn:
        return None
    widest = None
    for match in _TEXT.finditer(drawn):
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        size = attributes.get("font-size", "")
        weight = attributes.get("font-weight", "normal")
        if (
            set(attributes) - _TEXT_ATTRIBUTES
            or attributes.get("text-anchor", "start") != "start"
            or not attributes.get("font-family", "").startswith("Liberation Sans,")
            or not re.fullmatch(r"\d+(?:\.\d+)?px", size)
            or weight not in ("normal", "bold")
        ):
            return None
        table = BOLD if weight == "bold" else REGULAR
        text = html.unescape(match.group(2))
        if not all(known(c, table) for c in text):
            return None
        width = sum(char_width(c, table) for c in text) * float(size[:-2]) / 1000
        widest = max(width, widest or 0.0)
    if widest is None or drawn.count("<text") != drawn.count("</text>"):
        return None
    return widest * 1.1 + 2


def _probe_title(
    spec: dict[str, Any], title: dict[str, Any], padding: dict[str, int]
) -> tuple[float, float] | None:
    """(block height plus offset, width bound) measured by Vega (cached per title)."""
    key = json.dumps([title, spec.get("config"), spec.get("padding")], sort_keys=True)
    if key not in _CALIBRATED:
        config = {**spec.get("config", {}), "view": {"stroke": None}}
        probe = {
            "config": config,
            "title": {**title, "frame": "group"},
            "width": 1,
            "height": 1,
            "mark": "point",
            "data": {"values": []},
        }
        if "padding" in spec:
            probe["padding"] = spec["padding"]
        svg = str(vl_convert().vegalite_to_svg(probe, vl_version=VEGALITE_VERSION))
        head = _HEAD.match(svg)
        start = svg.rfind(_TITLE)
        if head is None or start < 0:
            return None
        _, y = _translate(svg, start)
        width = float(head.group(2)) - int(head.group(9)) - padding["right"]
        if len(_CALIBRATED) > 512:
            _CALIBRATED.clear()
        _CALIBRATED[key] = (-y, width)
    return _CALIBRATED[key]


def _translate(svg: str, start: int) -> tuple[float, float]:
    begin = start + len(_TITLE)
    x, y = svg[begin : svg.index(")", begin)].split(",")
    return float(x), float(y)


def untitled_svg(svg: str, spec: dict[str, Any], title: dict[str, Any]) -> str | None:
    """The SVG Vega draws for ``spec`` alone, from its SVG with ``title`` on top.

    A top-level title only adds a block above the chart: Vega places it at
    the top of the chart's bounds (``y1 - block height - offset``), at their
    left for ``anchor="start"``, and grows the picture by what the block
    sticks out. So the untitled SVG is the titled one without the title
    group, moved up and shortened by that much — byte for byte what Vega
    writes (the test suite compares them over every chart of many
    territories). ``None`` whenever that cannot be sure: another title
    layout (anchor, frame, orient, offsets), a spec with its own title or
    another autosize, a title that may set the width, a top on a rounding
    edge, an SVG of another shape.

    Parameters
    ----------
    svg
        Vega's SVG of ``{**spec, "title": title}``.
    spec
        The themed spec without a title.
    title
        The top-level title added.

    Returns
    -------
    str or None
        The untitled SVG, or None (render ``spec`` with Vega then).
    """
    padding = _known_layout(spec, title)
    head = _HEAD.match(svg) if padding is not None else None
    group = _root_title(svg, head.end(10)) if head else None
    if padding is None or head is None or group is None:
        return None
    box = _title_box(spec, title, padding, svg[group[0] : group[1]])
    widths = {head.group(2), head.group(4), head.group(6) or head.group(2)}
    heights = {head.group(3), head.group(5), head.group(7) or head.group(3)}
    if box is None or len(widths) != 1 or len(heights) != 1:
        return None  # the svg, its viewBox and its background disagree
    title_x, title_y = _translate(svg, group[0])
    block, title_width = box
    left, top = int(head.group(9)), int(head.group(10))
    # the chart's top is where Vega put the title, plus the block and offset
    chart_top = title_y + block
    if top != padding["top"] + max(0, math.ceil(-title_y)) or (
        not (title_y.is_integer() and block.is_integer())
        and abs(chart_top - round(chart_top)) < 1e-6
    ):
        return None  # something above the title, or ceil() could go either way
    if title_x + title_width + 1.01 >= float(head.group(2)) - padding["right"] - left:
        return None  # the title may be what sets the width
    new_top = padding["top"] + max(0, math.ceil(-chart_top))
    height = _height(float(head.group(3)), float(head.group(11)), top, new_top, padding)
    if height is None:
        return None
    rect = f'<rect width="{head.group(6)}" height="{height}"{head.group(8)}/>'
    return (
        f'<svg {head.group(1)}width="{head.group(2)}" height="{height}" '
        f'viewBox="0 0 {head.group(4)} {height}">{rect if head.group(6) else ""}'
        f'<g fill="none" stroke-miterlimit="10" transform="translate({left},{new_top})">'
        + svg[head.end(10) + 3 : group[0]]
        + svg[group[1] :]
    )


def _known_layout(spec: dict[str, Any], title: dict[str, Any]) -> dict[str, int] | None:
    """The padding, when the title's layout is the one :func:`untitled_svg` knows."""
    config = spec.get("config", {})
    if "title" in spec or "autosize" in spec or config.get("autosize"):
        return None
    if set(title) - _TITLE_KEYS or title.get("anchor") != "start":
        return None
    if set(config.get("title", {})) - _TITLE_KEYS:
        return None
    return _padding(spec)


def _root_title(svg: str, begin: int) -> tuple[int, int] | None:
    """Where the top-level title group starts and ends: the root's last item."""
    start = svg.rfind(_TITLE)
    if start < 0:
        return None
    depth = 0  # groups open inside the root's translated group
    for tag in _TAGS.finditer(svg, begin):
        if tag.start() == start and depth != 3:
            return None
        if tag.group() == "</g>":
            depth -= 1
        elif not tag.group().endswith("/>"):
            depth += 1
        if tag.start() > start and depth == 3:
            return (start, tag.end()) if _TAIL.fullmatch(svg, tag.end()) else None
    return None


def _height(
    height: float,
    group_height: float,
    top: int,
    new_top: int,
    padding: dict[str, int],
) -> str | None:
    """The SVG height once the top is ``new_top``, in Vega's arithmetic and writing.

    Vega sets it to ``group height + top + bottom + padding top + padding
    bottom``, added in that order (floats: the order matters for the last
    digit); ``bottom`` is found back from the titled height and checked.
    """
    pad_top, pad_bottom = padding["top"], padding["bottom"]
    bottom = round(height - pad_top - pad_bottom - group_height - (top - pad_top))
    if (
        bottom < 0
        or group_height + (top - pad_top) + bottom + pad_top + pad_bottom != height
    ):
        return None
    return _number(group_height + (new_top - pad_top) + bottom + pad_top + pad_bottom)


def warm_up() -> None:
    """Start Vega (the first conversion of a process costs ~0.4 s)."""
    vl_convert().vegalite_to_svg(
        {"mark": "point", "data": {"values": []}}, vl_version=VEGALITE_VERSION
    )


# ----------------------------------------------------------------- the protocol


def send(stream: IO[bytes], message: object) -> None:
    """Write one length-prefixed pickled message."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(8, "little") + data)
    stream.flush()


def receive(stream: IO[bytes]) -> tuple[Any, ...]:
    """Read one message (EOFError when the other side has closed)."""
    header = stream.read(8)
    if len(header) < 8:
        raise EOFError("render process closed")
    size = int.from_bytes(header, "little")
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("render process closed mid-message")
    message: tuple[Any, ...] = pickle.loads(data)  # our own parent/child pipe
    return message


#: What a render process may be asked to run.
_TASKS: dict[str, Callable[..., object]] = {
    "render_spec": render_spec,
    "render_titled": render_titled,
}


def _answer(request: tuple[Any, ...]) -> tuple[bool, object]:
    name, args, kwargs = request
    try:
        return True, _TASKS[name](*args, **kwargs)
    except Exception as exc:  # sent back and raised in the parent
        try:
            pickle.dumps(exc)
        except Exception:
            return False, RuntimeError(f"{type(exc).__name__}: {exc}")
        return False, exc


def serve() -> None:  # pragma: no cover - runs in the render processes
    """Answer requests until stdin closes (Ctrl-C is left to the parent)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    use_builtin_font()
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not break the protocol
    warm_up()
    send(answers, (True, "ready"))
    while True:
        try:
            request = receive(requests)
        except EOFError:
            return
        send(answers, _answer(request))


if __name__ == "__main__":  # pragma: no cover
    serve()
