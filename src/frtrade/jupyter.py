"""Charts in Jupyter without a network: an Altair renderer backed by vl-convert.

Altair's default renderer draws charts in the browser with Vega loaded from a
CDN, so nothing shows offline, in a saved notebook viewed elsewhere, or behind
a proxy. ``enable`` registers and turns on the ``"frtrade"`` renderer:
each chart is rendered in the kernel by vl-convert (the Vega-Lite version
frtrade pins, frtrade's French theme and shipped font) and shown as inline
SVG (default) or PNG. The notebook then holds the picture itself.
"""

from __future__ import annotations

import base64
from typing import Any, Literal

__all__ = ["RENDERER", "enable"]

#: Name of the renderer in Altair's registry.
RENDERER = "frtrade"

ImageFormat = Literal["svg", "png"]


def _mimebundle(
    spec: dict[str, Any], *, image: ImageFormat, scale: float
) -> dict[str, Any]:
    from frtrade._vega import render_spec
    from frtrade.charts.theme import Theme

    spec = dict(spec)  # as frtrade.render.chart_spec: the theme's settings win
    spec["config"] = {**dict(spec.get("config") or {}), **Theme().config()}
    text = "Graphique Vega-Lite (rendu hors ligne par frtrade)"
    # frtrade's renderer (font set-up, one Vega run): the fiche files' pictures
    picture = render_spec(spec, [image], scale=scale)[image]
    if isinstance(picture, bytes):
        encoded = base64.b64encode(picture).decode("ascii")
        return {"image/png": encoded, "text/plain": text}
    return {"image/svg+xml": picture, "text/plain": text}


def _register_font() -> None:
    """Put frtrade's fonts in vl-convert's database, as ``render_chart`` has them.

    Not ``register_font_directory`` alone: used first, it would make the
    database with the machine's fonts read first (Debian's Liberation Sans
    1.07 would then draw the labels, see :func:`frtrade._vega.vl_convert`).
    """
    from frtrade._vega import vl_convert

    vl_convert()


def enable(format: ImageFormat = "svg", *, scale: float = 2.0) -> None:
    """Show Altair charts offline in Jupyter, rendered by vl-convert.

    Registers the ``"frtrade"`` renderer in ``altair.renderers`` and enables
    it: every chart displayed afterwards (frtrade's and your own) is rendered
    in the kernel with the pinned Vega-Lite version, frtrade's French theme
    (decimal comma, Liberation Sans) and shown as an inline picture, exactly
    as ``frtrade.render.render_chart`` draws it for the fiche's files. No
    CDN, no JavaScript, no network; the picture is saved in the notebook.
    The theme sets the font, locale, background and view; your other
    ``configure_*`` settings are kept.

    Parameters
    ----------
    format
        ``"svg"`` (sharp at any zoom, default) or ``"png"``.
    scale
        PNG pixel scale (ignored for SVG).

    Raises
    ------
    ValueError
        For another format.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> enable()
    >>> alt.renderers.active
    'frtrade'
    >>> chart = alt.Chart(pd.DataFrame({"x": [1.5, 2]})).mark_bar().encode(x="x")
    >>> bundle = chart._repr_mimebundle_()
    >>> sorted(bundle), bundle["image/svg+xml"][:4]
    (['image/svg+xml', 'text/plain'], '<svg')
    >>> alt.renderers.enable("default")  # back to Altair's own
    RendererRegistry.enable('default')
    """
    import altair as alt

    if format not in ("svg", "png"):
        raise ValueError(f"unknown image format {format!r}; use 'svg' or 'png'")
    _register_font()

    def render(spec: dict[str, Any], **_metadata: object) -> dict[str, Any]:
        return _mimebundle(spec, image=format, scale=scale)

    alt.renderers.register(RENDERER, render)
    alt.renderers.enable(RENDERER)
