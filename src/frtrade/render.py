"""Render charts offline to SVG, PNG, PDF or self-contained HTML with vl-convert.

Only this module imports ``vl_convert``. The Vega-Lite version is pinned
(:data:`VEGALITE_VERSION`) so that an upgrade of vl-convert cannot silently
change the output; the same input gives byte-identical SVG.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from frtrade.charts.theme import Theme

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import ModuleType

    import altair as alt

__all__ = [
    "FORMATS",
    "VEGALITE_VERSION",
    "chart_spec",
    "render_chart",
    "render_formats",
    "save_chart",
]

#: Vega-Lite version every chart is rendered with.
VEGALITE_VERSION = "6.4"
#: Output formats understood by :func:`save_chart`.
FORMATS = ("svg", "png", "pdf", "html")
Format = Literal["svg", "png", "pdf", "html"]

_FONTS_LOCK = threading.Lock()
_fonts_registered = False


def _vl_convert() -> ModuleType:
    """``vl_convert``, with frtrade's shipped font registered once per process.

    Registering :data:`frtrade.fonts.FONT_DIR` before the first conversion makes
    "Liberation Sans" resolve to the shipped files whatever the machine has
    installed, so SVG metrics, PNG and PDF are the same everywhere.
    """
    global _fonts_registered  # noqa: PLW0603 - one registration per process
    import vl_convert as vlc

    if not _fonts_registered:
        with _FONTS_LOCK:
            if not _fonts_registered:
                from frtrade.fonts import FONT_DIR

                vlc.register_font_directory(str(FONT_DIR))
                _fonts_registered = True
    return vlc


def chart_spec(
    chart: alt.TopLevelMixin, *, theme: Theme | None = None
) -> dict[str, Any]:
    """The Vega-Lite spec of a chart with the theme's config applied.

    Parameters
    ----------
    chart
        An unconfigured Altair chart.
    theme
        The theme (default: :class:`~frtrade.charts.theme.Theme`).

    Returns
    -------
    dict
        The spec, ready for vl-convert.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> spec = chart_spec(alt.Chart(pd.DataFrame({"a": [1]})).mark_point())
    >>> spec["config"]["locale"]["number"]["decimal"]
    ','
    """
    import altair as alt

    with alt.data_transformers.disable_max_rows():
        # No schema validation here (0.2–0.5 s per Sankey): the factories' specs
        # are validated by the test suite, and vl-convert rejects a broken spec.
        spec: dict[str, Any] = chart.to_dict(validate=False)
    config = dict(spec.get("config", {}))
    config.update((theme or Theme()).config())
    spec["config"] = config
    return spec


def render_chart(
    chart: alt.TopLevelMixin,
    format: Format,
    *,
    scale: float = 2.0,
    ppi: float | None = None,
    theme: Theme | None = None,
) -> bytes:
    """Render a chart to the bytes of one format.

    Parameters
    ----------
    chart
        An unconfigured Altair chart.
    format
        ``"svg"``, ``"png"``, ``"pdf"`` or ``"html"`` (self-contained, works
        offline).
    scale
        PNG pixel scale (2 doubles the resolution).
    ppi
        PNG resolution written in the file.
    theme
        The theme applied.

    Returns
    -------
    bytes
        The rendered file.

    Raises
    ------
    ValueError
        For an unknown format.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point()
    >>> render_chart(chart, "svg")[:4]
    b'<svg'
    """
    vlc = _vl_convert()
    spec = chart_spec(chart, theme=theme)
    if format == "svg":
        return str(vlc.vegalite_to_svg(spec, vl_version=VEGALITE_VERSION)).encode(
            "utf-8"
        )
    if format == "png":
        return bytes(
            vlc.vegalite_to_png(spec, vl_version=VEGALITE_VERSION, scale=scale, ppi=ppi)
        )
    if format == "pdf":
        return bytes(vlc.vegalite_to_pdf(spec, vl_version=VEGALITE_VERSION))
    if format == "html":
        html = vlc.vegalite_to_html(spec, vl_version=VEGALITE_VERSION, bundle=True)
        return str(html).encode("utf-8")
    raise ValueError(f"unknown format {format!r}; use one of {FORMATS}")


def render_formats(
    chart: alt.TopLevelMixin,
    formats: Sequence[str],
    *,
    scale: float = 2.0,
    ppi: float | None = None,
    theme: Theme | None = None,
) -> dict[str, bytes | str]:
    r"""Render a chart once and derive every requested format from that rendering.

    The spec is built once and Vega runs once, to SVG; PNG and
    PDF are converted from that SVG (``vl_convert.svg_to_png`` /
    ``svg_to_pdf``), with the shipped font, so the three files show exactly
    the same picture. HTML, when asked, embeds the same spec.

    Parameters
    ----------
    chart
        An unconfigured Altair chart.
    formats
        Any of ``"svg"``, ``"png"``, ``"pdf"``, ``"html"``.
    scale
        PNG pixel scale (2 doubles the resolution).
    ppi
        PNG resolution written in the file (default 72).
    theme
        The theme applied.

    Returns
    -------
    dict
        ``format -> content``: ``str`` for SVG and HTML, ``bytes`` for PNG and PDF.

    Raises
    ------
    ValueError
        For an unknown format.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point()
    >>> out = render_formats(chart, ["svg", "png", "pdf"])
    >>> out["svg"][:4], out["png"][:4], out["pdf"][:4]
    ('<svg', b'\x89PNG', b'%PDF')
    """
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}; use one of {FORMATS}")
    vlc = _vl_convert()
    spec = chart_spec(chart, theme=theme)
    out: dict[str, bytes | str] = {}
    wanted = set(formats)
    if wanted & {"svg", "png", "pdf"}:
        svg = str(vlc.vegalite_to_svg(spec, vl_version=VEGALITE_VERSION))
        if "svg" in wanted:
            out["svg"] = svg
        if "png" in wanted:
            out["png"] = bytes(vlc.svg_to_png(svg, scale=scale, ppi=ppi))
        if "pdf" in wanted:
            out["pdf"] = bytes(vlc.svg_to_pdf(svg))
    if "html" in wanted:
        out["html"] = str(
            vlc.vegalite_to_html(spec, vl_version=VEGALITE_VERSION, bundle=True)
        )
    return {fmt: out[fmt] for fmt in formats}


def save_chart(
    chart: alt.TopLevelMixin,
    path: str | Path,
    *,
    format: Format | None = None,
    scale: float = 2.0,
    ppi: float | None = None,
    theme: Theme | None = None,
) -> Path:
    """Render a chart and write it to ``path`` (format from the suffix by default).

    Parameters
    ----------
    chart
        An unconfigured Altair chart.
    path
        Output file: ``.svg``, ``.png``, ``.pdf`` or ``.html``.
    format
        Overrides the suffix.
    scale, ppi
        PNG resolution (see :func:`render_chart`).
    theme
        The theme applied.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import tempfile, altair as alt, pandas as pd
    >>> chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point()
    >>> out = save_chart(chart, tempfile.mkdtemp() + "/point.pdf")
    >>> out.read_bytes()[:4]
    b'%PDF'
    """
    target = Path(path)
    kind = format or target.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ValueError(
            f"cannot tell the format of {target.name!r}; use one of {FORMATS}"
        )
    target.write_bytes(render_chart(chart, kind, scale=scale, ppi=ppi, theme=theme))  # type: ignore[arg-type]
    return target
