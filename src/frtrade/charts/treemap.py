"""Treemap of the main products of each flow (imports blue, exports violet)."""

from __future__ import annotations

from typing import Literal

import altair as alt
import pandas as pd

from frtrade.charts.theme import Palette, blend, palette
from frtrade.layouts.treemap import treemap_layout

__all__ = ["treemap_chart"]

_FLOW_TITLES = {"import": "Importations", "export": "Exportations"}


def treemap_chart(
    products: pd.DataFrame,
    *,
    width: float = 880,
    height: float = 380,
    gap: float = 24,
    flows: tuple[str, ...] = ("import", "export"),
    colors: Palette | Literal["default", "colorblind"] = "default",
    short_labels: dict[str, str] | None = None,
) -> alt.LayerChart:
    """Two treemaps side by side: area proportional to each product's share of its flow.

    "Autres produits" comes last, in a lighter tint of the flow colour. A tile
    too small for its name shows only the share.

    Parameters
    ----------
    products
        :class:`~frtrade.schemas.ProductShares` rows of one territory (both flows).
    width, height
        Size of the whole chart (both panels and their titles).
    gap
        Space between the panels.
    flows
        Panels to draw, left to right.
    colors
        ``"default"``, ``"colorblind"`` or a :class:`~frtrade.charts.theme.Palette`.
    short_labels
        Optional ``code -> label`` shown instead of the product names.

    Returns
    -------
    altair.LayerChart
        An unconfigured chart in pixel coordinates.

    Examples
    --------
    >>> from frtrade.testing import tiny_trade_flows
    >>> from frtrade.indicators import products
    >>> from frtrade.territories import Territory
    >>> chart = treemap_chart(products(tiny_trade_flows(), Territory.france()))
    >>> [layer.mark.type for layer in chart.layer]
    ['rect', 'text', 'text', 'text']
    """
    pal = palette(colors)
    title_h = 26
    panel_w = (width - gap * (len(flows) - 1)) / len(flows)
    tiles = []
    titles = []
    for i, flow in enumerate(flows):
        rows = products[products["flow"] == flow]
        x = i * (panel_w + gap)
        layout = treemap_layout(
            rows,
            width=panel_w,
            height=height - title_h,
            x=x,
            y=title_h,
            short_labels=short_labels,
        )
        color = pal.flow(flow)
        layout["fill"] = [
            blend(color, 0.45) if o else color for o in layout["is_other"]
        ]
        layout["flow"] = flow
        tiles.append(layout)
        titles.append(
            {"x": x, "y": 4, "text": _FLOW_TITLES.get(flow, flow), "color": color}
        )
    data = pd.concat(tiles, ignore_index=True)
    data["share_label"] = [
        f"{s * 100:.1f}".replace(".", ",") + "\u202f%" for s in data["share"]
    ]
    data["value_meur"] = data["value_eur"] / 1e6
    px = {"scale": None, "axis": None}
    tooltip = [
        alt.Tooltip("name:N", title="Produit"),
        alt.Tooltip("share_label:N", title="Part du flux"),
        alt.Tooltip("value_meur:Q", title="M€", format=",.1f"),
    ]
    base = alt.Chart(data)
    rects = base.mark_rect(stroke="white", strokeWidth=2).encode(
        x=alt.X("x0:Q", **px),
        x2="x1:Q",
        y=alt.Y("y0:Q", **px),
        y2="y1:Q",
        color=alt.Color("fill:N", scale=None),
        tooltip=tooltip,
    )
    text_props = {
        "align": "left",
        "baseline": "top",
        "color": "white",
        "lineBreak": "\n",
        "lineHeight": alt.expr("datum.font_size * 1.2"),
    }
    names = base.mark_text(fontWeight="bold", **text_props).encode(
        x=alt.X("label_x:Q", **px),
        y=alt.Y("label_y:Q", **px),
        text="name_label:N",
        size=alt.Size("font_size:Q", scale=None),
    )
    values = base.mark_text(**text_props).encode(
        x=alt.X("label_x:Q", **px),
        y=alt.Y("value_y:Q", **px),
        text="value_label:N",
        size=alt.Size("font_size:Q", scale=None),
    )
    heads = (
        alt.Chart(pd.DataFrame(titles))
        .mark_text(align="left", baseline="top", fontWeight="bold", fontSize=15)
        .encode(
            x=alt.X("x:Q", **px),
            y=alt.Y("y:Q", **px),
            text="text:N",
            color=alt.Color("color:N", scale=None),
        )
    )
    return alt.layer(rects, names, values, heads).properties(width=width, height=height)
