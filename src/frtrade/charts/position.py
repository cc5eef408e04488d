"""Position chart: a territory among the départements (sorted bars, one in colour)."""

from __future__ import annotations

import math
from typing import Literal

import altair as alt
import pandas as pd

from frtrade.charts._common import Chart, inline
from frtrade.charts.evolution import titled
from frtrade.charts.theme import Palette, Theme, blend, palette
from frtrade.formatting import format_meur, format_number, format_share
from frtrade.layouts.text import text_width

__all__ = ["METRIC_LABELS", "position_chart", "rank_line"]

#: French axis label and value format of each ranked metric.
METRIC_LABELS: dict[str, tuple[str, str]] = {
    "export_eur": ("Exportations (M€)", "meur"),
    "import_eur": ("Importations (M€)", "meur"),
    "balance_eur": ("Solde commercial (M€)", "meur"),
    "coverage_rate": ("Taux de couverture", "pct"),
    "us_share_export": ("Part vers les États-Unis", "pct"),
    "hhi_partners_export": ("HHI des pays (exportations)", "num"),
}


def rank_line(ranks: pd.DataFrame, territory: str, metric: str = "export_eur") -> str:
    """The default subtitle of :func:`position_chart`: « Rang r sur n départements ».

    Parameters
    ----------
    ranks, territory, metric
        As in :func:`position_chart`.

    Returns
    -------
    str
        The line.

    Raises
    ------
    ValueError
        When the territory has no value of the metric.

    Examples
    --------
    >>> from frtrade.testing import tiny_trade_flows
    >>> from frtrade.indicators import compute_indicators
    >>> ranks = compute_indicators(tiny_trade_flows(), names=["ranks"])["ranks"]
    >>> rank_line(ranks, "departement-36")
    'Rang 1 sur 3 départements'
    """
    rows = ranks[
        (ranks["metric"] == metric)
        & ranks["value"].notna()
        & (ranks["territory"] == territory)
    ]
    if rows.empty:
        raise ValueError(f"{territory} has no value of {metric}: nothing to situate")
    row = rows.iloc[0]
    return f"Rang {int(row['rank'])} sur {int(row['of'])} départements"


def position_chart(
    ranks: pd.DataFrame,
    territory: str,
    *,
    metric: str = "export_eur",
    names: dict[str, str] | None = None,
    width: float = 520,
    height: float = 180,
    colors: Palette | Literal["default", "colorblind"] = "default",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
) -> alt.TopLevelMixin:
    """Every département as a bar sorted by a metric; the territory stands out.

    Parameters
    ----------
    ranks
        :class:`~frtrade.schemas.Ranks` rows of every département
        (``compute_indicators(flows, None, names=["ranks"])["ranks"]``).
    territory
        Key of the territory to highlight (``"departement-36"``).
    metric
        One of :data:`METRIC_LABELS`.
    names
        Optional ``key -> name`` for the highlighted label.
    width, height
        Plot size.
    colors
        ``"default"``, ``"colorblind"`` or a :class:`~frtrade.charts.theme.Palette`.
    title, subtitle, source
        Optional texts; the default subtitle says "rang r sur n".

    Returns
    -------
    altair.TopLevelMixin
        An unconfigured chart.

    Raises
    ------
    ValueError
        When the metric is unknown or the territory has no value.

    Examples
    --------
    >>> from frtrade.testing import tiny_trade_flows
    >>> from frtrade.indicators import compute_indicators
    >>> ranks = compute_indicators(tiny_trade_flows(), names=["ranks"])["ranks"]
    >>> chart = position_chart(ranks, "departement-36")
    >>> [layer.to_dict()["mark"]["type"] for layer in chart.layer]
    ['bar', 'text']
    """
    if metric not in METRIC_LABELS:
        raise ValueError(f"unknown metric {metric!r}; use one of {list(METRIC_LABELS)}")
    pal = palette(colors)
    rows = ranks[(ranks["metric"] == metric) & ranks["value"].notna()].copy()
    mine = rows[rows["territory"] == territory]
    if mine.empty:
        raise ValueError(f"{territory} has no value of {metric}: nothing to situate")
    axis_title, kind = METRIC_LABELS[metric]
    scale = 1e6 if kind == "meur" else 1.0
    frame = pd.DataFrame(
        {
            "territory": rows["territory"].astype(str),
            "rank": rows["rank"].astype(int),
            "value": rows["value"].to_numpy(dtype=float) / scale,
        }
    )
    frame["code"] = frame["territory"].str.removeprefix("departement-")

    def show(value: float) -> str:
        if kind == "meur":
            return format_meur(value * 1e6)
        if kind == "pct":
            return format_share(value)
        return format_number(value, 0)

    frame["label"] = [show(v) for v in frame["value"]]
    frame["is_me"] = frame["territory"] == territory
    frame["color"] = [
        pal.exports if me else blend(pal.muted, 0.6) for me in frame["is_me"]
    ]
    row = mine.iloc[0]
    name = (names or {}).get(territory, territory.removeprefix("departement-"))
    label = f"{name} : {show(float(row['value']) / scale)}"
    right_side = int(row["rank"]) <= len(frame) / 2
    # The label runs beside the bar, over its neighbours on that side: it is
    # drawn above the tallest bar it spans (on the left, the bars are taller:
    # Mayotte's label used to sit on the bars of ranks 80-100).
    step = width / len(frame)
    reach = text_width(label, Theme().font_size, bold=True) + 4  # + its dx
    span = math.ceil(reach / step) + 1
    rank = int(row["rank"])
    spanned = frame["rank"].between(
        rank if right_side else rank - span, rank + span if right_side else rank
    )
    me = frame[frame["is_me"]].assign(
        text=label, value=float(frame.loc[spanned, "value"].max())
    )
    x = alt.X(
        "rank:O",
        title="Départements, du premier au dernier",
        axis=alt.Axis(labels=False, ticks=False),
    )
    y = alt.Y(
        "value:Q",
        title=axis_title,
        axis=alt.Axis(format=".0%" if kind == "pct" else ",.0f", titleLimit=height),
    )
    bars = (
        Chart(inline(frame))
        .mark_bar()
        .encode(
            x=x,
            y=y,
            color=alt.Color("color:N", scale=None),
            tooltip=[
                alt.Tooltip("code:N", title="Département"),
                alt.Tooltip("rank:Q", title="Rang"),
                alt.Tooltip("label:N", title=axis_title),
            ],
        )
    )
    text = (
        Chart(inline(me))
        .mark_text(
            align="left" if right_side else "right",
            dx=4 if right_side else -4,
            dy=-8,
            fontWeight="bold",
            color=pal.exports,
        )
        # read out as the label itself (its height may be a neighbour's value)
        .encode(
            x=x, y=y, text=alt.Text("text:N"), description=alt.Description("text:N")
        )
    )
    subtitle = subtitle if subtitle is not None else rank_line(ranks, territory, metric)
    chart = alt.layer(bars, text).properties(width=width, height=height)
    return titled(chart, title=title, subtitle=subtitle, source=source, muted=pal.muted)
