"""Exposure chart: the products most exposed to one partner (value and share)."""

from __future__ import annotations

from typing import Literal

import altair as alt
import pandas as pd

from frtrade.charts._common import Chart, inline
from frtrade.charts.evolution import titled
from frtrade.charts.theme import Palette, palette
from frtrade.formatting import format_number, format_share
from frtrade.layouts.text import text_width

__all__ = ["exposure_chart"]


def exposure_chart(
    products: pd.DataFrame,
    *,
    bar_width: float = 260,
    row_height: float = 24,
    colors: Palette | Literal["default", "colorblind"] = "default",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
) -> alt.TopLevelMixin:
    """Bars of the value sent to (or received from) a partner, by product.

    Each bar is labelled with its value in M€; a second column gives the
    share of the product's whole flow that goes to the partner
    (``share_of_product``), i.e. how exposed the product is.

    Parameters
    ----------
    products
        :class:`~frtrade.schemas.ExposureProducts` rows of one territory and
        one flow, in rank order.
    bar_width
        Width of the bar panel.
    row_height
        Height of one product row.
    colors
        ``"default"``, ``"colorblind"`` or a :class:`~frtrade.charts.theme.Palette`.
    title, subtitle, source
        Optional texts.

    Returns
    -------
    altair.TopLevelMixin
        An unconfigured chart.

    Raises
    ------
    ValueError
        When the rows hold several territories or flows, or none.

    Examples
    --------
    >>> from frtrade.testing import tiny_trade_flows
    >>> from frtrade.indicators import compute_indicators
    >>> from frtrade.territories import Territory
    >>> out = compute_indicators(
    ...     tiny_trade_flows(), Territory.france(), names=["exposure_products"]
    ... )
    >>> rows = out["exposure_products"].query("flow == 'export'")
    >>> chart = exposure_chart(rows, title="Exportations vers les États-Unis")
    >>> len(chart.hconcat)
    3
    """
    if products.empty:
        raise ValueError("no product trades with this partner: nothing to draw")
    if (
        len(pd.unique(products["territory"])) > 1
        or len(pd.unique(products["flow"])) > 1
    ):
        raise ValueError("exposure_chart draws one territory and one flow")
    pal = palette(colors)
    color = pal.exports if str(products["flow"].iloc[0]) == "export" else pal.imports
    frame = pd.DataFrame(
        {
            "code": products["code"].astype(str),
            "name": products["name"].astype(str),
            "meur": products["value_eur"].to_numpy(dtype=float) / 1e6,
            "share": products["share_of_product"].to_numpy(dtype=float),
        }
    )
    frame["value_label"] = [format_number(v, 1) for v in frame["meur"]]
    frame["share_label"] = [format_share(s) for s in frame["share"]]
    order = frame["code"].tolist()
    height = row_height * len(frame)
    name_width = max(text_width(n, 12) for n in frame["name"]) + 12
    y = alt.Y("code:N", sort=order, axis=None, scale=alt.Scale(paddingInner=0.3))
    tooltip = [
        alt.Tooltip("name:N", title="Produit"),
        alt.Tooltip("value_label:N", title="M€"),
        alt.Tooltip("share_label:N", title="Part du produit"),
    ]
    base = Chart(inline(frame)).properties(height=height)
    names = (
        base.mark_text(align="right", color=pal.text)
        .encode(y=y, text=alt.Text("name:N"), x=alt.XValue(name_width - 6))
        .properties(width=name_width)
    )
    top = float(frame["meur"].max()) or 1.0
    x = alt.X("meur:Q", axis=None, scale=alt.Scale(domain=[0, top * 1.25], nice=False))
    bars = base.mark_bar(color=color).encode(x=x, y=y, tooltip=tooltip)
    labels = base.mark_text(align="left", dx=3, color=pal.text).encode(
        x=x, y=y, text=alt.Text("value_label:N")
    )
    panel = (bars + labels).properties(
        width=bar_width,
        title=alt.TitleParams("Valeur (M€)", color=color, anchor="start", fontSize=12),
    )
    share = (
        base.mark_text(align="right", color=pal.muted, fontWeight="bold")
        .encode(y=y, text=alt.Text("share_label:N"), x=alt.XValue(70))
        .properties(
            width=76,
            title=alt.TitleParams(
                "Part du produit", color=pal.muted, anchor="end", fontSize=12
            ),
        )
    )
    chart = alt.hconcat(names, panel, share, spacing=4)
    return titled(chart, title=title, subtitle=subtitle, source=source, muted=pal.muted)
