"""Two-column Sankey of one flow: product → country (exports), country → product (imports)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import altair as alt
import numpy as np

from frtrade.charts.theme import Palette, palette
from frtrade.layouts.sankey import sankey_layout

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["sankey_chart"]


def sankey_chart(
    links: pd.DataFrame,
    *,
    width: float = 900,
    height: float = 560,
    colors: Palette | Literal["default", "colorblind"] = "default",
    font_size: float = 12,
    short_labels: dict[str, str] | None = None,
) -> alt.LayerChart:
    """Sankey diagram of one flow's links, the highlighted links in red on top.

    Parameters
    ----------
    links
        :class:`~frtrade.schemas.SankeyLinks` rows of one territory and flow.
    width, height
        Size of the drawing, labels included.
    colors
        ``"default"``, ``"colorblind"`` or a :class:`~frtrade.charts.theme.Palette`.
    font_size
        Label font size.
    short_labels
        Optional ``code -> name`` shown instead of node names.

    Returns
    -------
    altair.LayerChart
        An unconfigured chart in pixel coordinates.

    Examples
    --------
    >>> from frtrade.testing import tiny_trade_flows
    >>> from frtrade.indicators import sankey_links
    >>> from frtrade.territories import Territory
    >>> links = sankey_links(tiny_trade_flows(), Territory.france(), flow="export")
    >>> chart = sankey_chart(links)
    >>> [layer.mark.type for layer in chart.layer]
    ['area', 'area', 'rect', 'rule', 'text', 'text', 'text', 'text', 'text']
    """
    pal = palette(colors)
    if short_labels:
        links = links.assign(
            **{
                f"{side}_name": [
                    short_labels.get(str(c), str(n))
                    for c, n in zip(links[side], links[f"{side}_name"], strict=True)
                ]
                for side in ("source", "target")
            }
        )
    flow = str(links["flow"].iloc[0]) if len(links) else "export"
    layout = sankey_layout(links, width=width, height=height, font_size=font_size)
    px = {"scale": None, "axis": None}
    points = layout.points
    info = layout.links.set_index("link_id")
    points = points.assign(
        source=points["link_id"].map(info["source"]),
        target=points["link_id"].map(info["target"]),
        value_label=points["link_id"].map(info["value_label"]),
    )

    def band(*, highlight: bool) -> alt.Chart:
        rows = points[points["highlight"] == highlight]
        return (
            alt.Chart(rows)
            .mark_area(
                interpolate="monotone",
                orient="vertical",
                color=pal.highlight if highlight else pal.link,
                fillOpacity=0.8 if highlight else 0.55,
                stroke="white",
                strokeWidth=0.3,
            )
            .encode(
                x=alt.X("x:Q", **px),
                y=alt.Y("y:Q", **px),
                y2="y2:Q",
                detail="link_id:N",
                tooltip=[
                    alt.Tooltip("source:N", title="De"),
                    alt.Tooltip("target:N", title="Vers"),
                    alt.Tooltip("value_label:N", title="Valeur"),
                ],
            )
        )

    nodes = layout.nodes
    node_marks = (
        alt.Chart(nodes)
        .mark_rect(color=pal.flow(flow))
        .encode(
            x=alt.X("x0:Q", **px),
            x2="x1:Q",
            y=alt.Y("y0:Q", **px),
            y2="y1:Q",
            tooltip=[
                alt.Tooltip("name:N", title="Nœud"),
                alt.Tooltip("value_label:N", title="Valeur"),
            ],
        )
    )
    moved = nodes[nodes["leader"]].copy()
    towards_node = np.where(moved["align"].to_numpy() == "right", 1.0, -1.0)
    moved["lx0"] = moved["label_x"].to_numpy(dtype=float) + 3.0 * towards_node
    moved["lx1"] = moved["label_x"].to_numpy(dtype=float) + 1.0 * towards_node
    moved["ly1"] = moved["label_y"] + moved["label_height"] / 2
    leaders = (
        alt.Chart(moved)
        .mark_rule(color="#888888", strokeWidth=0.7)
        .encode(
            x=alt.X("lx0:Q", **px), x2="lx1:Q", y=alt.Y("anchor_y:Q", **px), y2="ly1:Q"
        )
    )
    labels = nodes.assign(
        value_y=nodes["label_y"] + nodes["name_lines"] * font_size * 1.2
    )
    text_layers = []
    for align in ("right", "left"):
        side = labels[labels["align"] == align]
        common = {
            "align": align,
            "baseline": "top",
            "fontSize": font_size,
            "lineBreak": "\n",
        }
        text_layers.append(
            alt.Chart(side)
            .mark_text(fontWeight="bold", color=pal.text, **common)
            .encode(
                x=alt.X("label_x:Q", **px),
                y=alt.Y("label_y:Q", **px),
                text="name_label:N",
            )
        )
        text_layers.append(
            alt.Chart(side)
            .mark_text(color=pal.muted, **common)
            .encode(
                x=alt.X("label_x:Q", **px),
                y=alt.Y("value_y:Q", **px),
                text="value_label:N",
            )
        )
    top_links = layout.links[
        layout.links["highlight"] & (layout.links["width"] >= font_size + 1)
    ]
    top_links = top_links.assign(
        tx=float(nodes.loc[nodes["side"] == "source", "x1"].max()) + 6,
        ty=top_links["sy0"] + top_links["width"] / 2,
    )
    link_values = (
        alt.Chart(top_links)
        .mark_text(
            align="left",
            baseline="middle",
            color="white",
            fontWeight="bold",
            fontSize=font_size - 1,
        )
        .encode(x=alt.X("tx:Q", **px), y=alt.Y("ty:Q", **px), text="value_label:N")
    )
    return alt.layer(
        band(highlight=False),
        band(highlight=True),
        node_marks,
        leaders,
        *text_layers,
        link_values,
    ).properties(width=width, height=height)
