"""Treemap of the main products of each flow (imports blue, exports violet)."""

from __future__ import annotations

from typing import Literal

import altair as alt
import pandas as pd

from frtrade.charts._common import (
    PX,
    SOURCE_HEIGHT,
    Chart,
    inline,
    source_layer,
    title_params,
)
from frtrade.charts.theme import Palette, blend, palette
from frtrade.formatting import format_meur, format_share
from frtrade.layouts.treemap import treemap_key, treemap_layout

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
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    description: str | None = None,
) -> alt.LayerChart:
    """Two treemaps side by side: area proportional to each product's share of its flow.

    "Autres produits" comes last, in a lighter tint of the flow colour. A tile
    too small for its name shows its number, and a numbered key under its
    panel gives the name, value (M€) and share: every product is named.

    Parameters
    ----------
    products
        :class:`~frtrade.schemas.ProductShares` rows of one territory (both flows).
    width, height
        Size of the panels with their titles; the key (when a name does not
        fit its tile) and the source line add to the height.
    gap
        Space between the panels.
    flows
        Panels to draw, left to right.
    colors
        ``"default"``, ``"colorblind"`` or a :class:`~frtrade.charts.theme.Palette`.
    short_labels
        Optional ``code -> label`` shown instead of the product names.
    title, subtitle
        Optional heading drawn above the chart.
    source
        Optional source line drawn under the chart.
    description
        Accessible description of the whole chart (default: a French sentence).

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
    ['rect', 'text', 'text', 'text', 'text', 'text']
    """
    pal = palette(colors)
    title_h = 26
    panel_w = (width - gap * (len(flows) - 1)) / len(flows)
    tiles = []
    titles = []
    keys = []
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
        key = treemap_key(layout, x=x, y=height + 8, width=panel_w)
        keys.append(key.assign(color=color))
        titles.append(
            {"x": x, "y": 4, "text": _FLOW_TITLES.get(flow, flow), "color": color}
        )
    data = pd.concat(tiles, ignore_index=True)
    data["share_label"] = [format_share(s) for s in data["share"]]
    data["value_text"] = [format_meur(v) for v in data["value_eur"]]
    data["description"] = [
        f"{_FLOW_TITLES.get(f, f)}, {n}\u00a0: {v}, {s} du total"
        for f, n, v, s in zip(
            data["flow"], data["name"], data["value_text"], data["share_label"],
            strict=True,
        )
    ]  # fmt: skip
    tooltip = [
        alt.Tooltip("name:N", title="Produit"),
        alt.Tooltip("share_label:N", title="Part du flux"),
        alt.Tooltip("value_text:N", title="Valeur"),
    ]
    base = Chart(inline(data))
    rects = base.mark_rect(stroke="white", strokeWidth=2).encode(
        x=alt.X("x0:Q", **PX),
        x2=alt.X2("x1:Q"),
        y=alt.Y("y0:Q", **PX),
        y2=alt.Y2("y1:Q"),
        color=alt.Color("fill:N", scale=None),
        description=alt.Description("description:N"),
        tooltip=tooltip,
    )
    text_props = {
        "align": "left",
        "baseline": "top",
        "color": "white",
        "lineBreak": "\n",
        "lineHeight": alt.expr("datum.font_size * 1.2"),
        "aria": False,
    }
    names = (
        Chart(inline(data[["label_x", "label_y", "name_label", "font_size"]]))
        .mark_text(fontWeight="bold", **text_props)
        .encode(
            x=alt.X("label_x:Q", **PX),
            y=alt.Y("label_y:Q", **PX),
            text=alt.Text("name_label:N"),
            size=alt.Size("font_size:Q", scale=None),
        )
    )
    values = (
        Chart(inline(data[["label_x", "value_y", "value_label", "font_size"]]))
        .mark_text(**text_props)
        .encode(
            x=alt.X("label_x:Q", **PX),
            y=alt.Y("value_y:Q", **PX),
            text=alt.Text("value_label:N"),
            size=alt.Size("font_size:Q", scale=None),
        )
    )
    heads = (
        Chart(inline(pd.DataFrame(titles)))
        .mark_text(
            align="left", baseline="top", fontWeight="bold", fontSize=15, aria=False
        )
        .encode(
            x=alt.X("x:Q", **PX),
            y=alt.Y("y:Q", **PX),
            text=alt.Text("text:N"),
            color=alt.Color("color:N", scale=None),
        )
    )
    key = pd.concat(keys, ignore_index=True)
    key_props = {
        "align": "left",
        "baseline": "top",
        "fontSize": 11,
        "lineBreak": "\n",
        "lineHeight": 11 * 1.2,
    }
    key_numbers = (
        Chart(inline(key))
        .mark_text(fontWeight="bold", aria=False, **key_props)
        .encode(
            x=alt.X("x:Q", **PX),
            y=alt.Y("y:Q", **PX),
            text=alt.Text("number:N"),
            color=alt.Color("color:N", scale=None),
        )
    )
    key_texts = (
        Chart(inline(key))
        .mark_text(color=pal.text, aria=False, **key_props)
        .encode(
            x=alt.X("text_x:Q", **PX), y=alt.Y("y:Q", **PX), text=alt.Text("text:N")
        )
    )
    total_height = max([height, *key["y1"].tolist()])
    layers: list[alt.Chart] = [rects, names, values, heads, key_numbers, key_texts]
    if source:
        layers.append(source_layer(source, total_height + 8, pal))
        total_height += SOURCE_HEIGHT
    chart = alt.layer(*layers).properties(
        width=width,
        height=total_height,
        description=description
        or "Principaux produits échangés, part de chaque produit dans son flux",
    )
    heading = title_params(title, subtitle, pal)
    if heading is not None:
        chart = chart.properties(title=heading)
    return chart
