"""Evolution chart: exports, imports (lines) and balance (bars) by year, in M€."""

from __future__ import annotations

from typing import Literal

import altair as alt
import pandas as pd

from frtrade.charts._common import Chart, inline, plain_title
from frtrade.charts.theme import Palette, palette
from frtrade.formatting import format_number, format_signed_meur

__all__ = ["evolution_chart"]


def titled(
    chart: alt.TopLevelMixin,
    *,
    title: str | None,
    subtitle: str | None,
    source: str | None,
    muted: str,
) -> alt.TopLevelMixin:
    """Add a title, a subtitle and a source line (the C4 signature style).

    Parameters
    ----------
    chart
        Any chart.
    title, subtitle
        Text above the chart (``None``: none).
    source
        Source line below the chart (``None``: none).
    muted
        Colour of the subtitle and source.

    Returns
    -------
    altair.TopLevelMixin
        The chart, titled (a vertical concatenation when there is a source).

    Examples
    --------
    >>> chart = titled(
    ...     Chart(pd.DataFrame({"a": [1]})).mark_point(),
    ...     title="T",
    ...     subtitle=None,
    ...     source="Source : DGDDI",
    ...     muted="#555",
    ... )
    >>> type(chart).__name__
    'VConcatChart'
    """
    if source is not None:
        note = (
            Chart(inline(pd.DataFrame({"text": [source]})))
            .mark_text(align="left", baseline="top", color=muted, fontSize=10)
            .encode(text=alt.Text("text:N"), x=alt.XValue(0), y=alt.YValue(0))
            .properties(height=14)
        )
        chart = alt.vconcat(chart, note, spacing=8)
    params = plain_title(title, subtitle, muted)
    if params is not None:
        chart = chart.properties(title=params)
    return chart


def evolution_chart(
    evolution: pd.DataFrame,
    *,
    width: float = 420,
    height: float = 220,
    colors: Palette | Literal["default", "colorblind"] = "default",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
) -> alt.TopLevelMixin:
    """Exports and imports (lines) and the balance (bars) by year, in M€.

    Parameters
    ----------
    evolution
        :class:`~frtrade.schemas.Evolution` rows of one territory
        (``compute_indicators(...)["evolution"]``). Years with an unknown value
        (no data for the flow) are left out, never drawn as 0.
    width, height
        Plot size in pixels.
    colors
        ``"default"``, ``"colorblind"`` or a :class:`~frtrade.charts.theme.Palette`.
    title, subtitle, source
        Optional texts (see :func:`titled`).

    Returns
    -------
    altair.TopLevelMixin
        An unconfigured chart (apply a theme when rendering).

    Raises
    ------
    ValueError
        When the rows hold several territories.

    Examples
    --------
    >>> from frtrade.testing import tiny_trade_flows
    >>> from frtrade.indicators import compute_indicators
    >>> from frtrade.territories import Territory
    >>> flows = pd.concat([tiny_trade_flows().assign(year=2023), tiny_trade_flows()])
    >>> evo = compute_indicators(flows, Territory.resolve("36"), names=["evolution"])
    >>> chart = evolution_chart(evo["evolution"], title="Évolution")
    >>> [layer.mark.type for layer in chart.layer]
    ['bar', 'rule', 'line', 'text']
    """
    if len(pd.unique(evolution["territory"])) > 1:
        raise ValueError("evolution_chart draws one territory: filter the rows first")
    pal = palette(colors)
    data = evolution.dropna(subset=["value_eur"])
    frame = pd.DataFrame(
        {
            "year": data["year"].astype(int).astype(str),
            "flow": data["flow"].astype(str),
            "meur": data["value_eur"].to_numpy(dtype=float) / 1e6,
        }
    )
    solde = f"Solde ({pal.word('surplus')} : excédent, {pal.word('deficit')} : déficit)"
    names = {"export": "Exportations", "import": "Importations", "balance": solde}
    frame["serie"] = frame["flow"].map(names)
    frame["label"] = [
        format_signed_meur(v * 1e6) if f == "balance" else format_number(v, 1)
        for f, v in zip(frame["flow"], frame["meur"], strict=True)
    ]
    frame["color"] = [
        (pal.deficit if v < 0 else pal.surplus) if f == "balance" else ""
        for f, v in zip(frame["flow"], frame["meur"], strict=True)
    ]
    x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0))
    y = alt.Y("meur:Q", title="M€", axis=alt.Axis(format=",.0f"))
    tooltip = [
        alt.Tooltip("year:N", title="Année"),
        alt.Tooltip("serie:N", title="Série"),
        alt.Tooltip("label:N", title="M€"),
    ]
    balance = frame[frame["flow"] == "balance"]
    flows = frame[frame["flow"] != "balance"]
    bars = (
        Chart(inline(balance))
        .mark_bar(opacity=0.8, size=max(6, width / max(len(balance), 1) / 3))
        .encode(x=x, y=y, color=alt.Color("color:N", scale=None), tooltip=tooltip)
    )
    zero = (
        Chart(inline(pd.DataFrame({"meur": [0.0]})))
        .mark_rule(color=pal.muted)
        .encode(y=alt.Y("meur:Q"))
    )
    # no balance known (flows of different quarters): no « Solde » key
    keys = ["Exportations", "Importations"] + ([solde] if len(balance) else [])
    colours = [pal.exports, pal.imports, pal.muted]
    lines = (
        Chart(inline(flows))
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "serie:N",
                title=None,
                scale=alt.Scale(domain=keys, range=colours[: len(keys)]),
                legend=alt.Legend(orient="top", direction="horizontal", labelLimit=400),
            ),
            tooltip=tooltip,
        )
    )
    last_year = frame["year"].max() if len(frame) else ""
    end_labels = (
        Chart(inline(flows[flows["year"] == last_year]))
        .mark_text(align="left", dx=6, fontWeight="bold")
        .encode(
            x=x,
            y=y,
            text=alt.Text("label:N"),
            color=alt.Color("serie:N", scale=None, legend=None),
        )
        .transform_calculate(
            color=f"datum.flow == 'export' ? '{pal.exports}' : '{pal.imports}'"
        )
        .encode(color=alt.Color("color:N", scale=None))
    )
    chart = alt.layer(bars, zero, lines, end_labels).properties(
        width=width, height=height
    )
    return titled(chart, title=title, subtitle=subtitle, source=source, muted=pal.muted)
