"""Two-column Sankey of one flow: product → country (exports), country → product (imports)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import altair as alt
import numpy as np

from frtrade.charts._common import (
    PX,
    SOURCE_HEIGHT,
    Chart,
    inline,
    source_layer,
    title_params,
)
from frtrade.charts.theme import Palette, palette
from frtrade.layouts.sankey import sankey_layout

if TYPE_CHECKING:
    import pandas as pd

    from frtrade.layouts.sankey import SankeyLayout

__all__ = ["sankey_chart"]

# Ribbons have no outline: a 0.3 px white stroke on ~400 translucent areas made
# the PNG rasterisation 2-2.5x slower (issue 12). The same thin seam between
# neighbouring ribbons comes from insetting each ribbon's edges instead.
_RIBBON_EDGE: dict[str, float | str] = {"strokeWidth": 0}
_SEAM = 0.2  # px taken off each edge of a ribbon (at most a quarter of its width)


def sankey_chart(
    links: pd.DataFrame,
    *,
    width: float = 900,
    height: float = 560,
    colors: Palette | Literal["default", "colorblind"] = "default",
    font_size: float = 12,
    short_labels: dict[str, str] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    description: str | None = None,
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
    title, subtitle
        Optional heading drawn above the chart.
    source
        Optional source line drawn under the chart (the fiche passes
        ``"Source : DGDDI – DSECE"``).
    description
        Accessible description of the whole chart (default: a French
        sentence naming the flow).

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
    ['area', 'area', 'rect', 'rule', 'text', 'text', 'text', 'text', 'rect', 'text']
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
    height = layout.height
    flow_word = "Exportations" if flow == "export" else "Importations"
    columns, highlighted = _ribbon_columns(layout, flow)

    def band(*, highlight: bool) -> alt.Chart:
        keep = highlighted == highlight
        return (
            Chart(inline({name: cells[keep] for name, cells in columns.items()}))
            .mark_area(
                interpolate="monotone",
                orient="vertical",
                color=pal.highlight if highlight else pal.link,
                fillOpacity=0.8 if highlight else 0.55,
                **_RIBBON_EDGE,
            )
            .encode(
                x=alt.X("x:Q", **PX),
                y=alt.Y("y:Q", **PX),
                y2=alt.Y2("y2:Q"),
                detail=alt.Detail("link_id:N"),
                description=alt.Description("description:N"),
                tooltip=[
                    alt.Tooltip("source_name:N", title="De"),
                    alt.Tooltip("target_name:N", title="Vers"),
                    alt.Tooltip("value_label:N", title="Valeur"),
                ],
            )
        )

    nodes = layout.nodes.assign(
        description=[
            f"{flow_word}, {n}\u00a0: {v}"
            for n, v in zip(
                layout.nodes["name"], layout.nodes["value_label"], strict=True
            )
        ]
    )
    node_marks = (
        Chart(
            inline(
                nodes[["x0", "x1", "y0", "y1", "name", "value_label", "description"]]
            )
        )
        .mark_rect(color=pal.flow(flow))
        .encode(
            x=alt.X("x0:Q", **PX),
            x2=alt.X2("x1:Q"),
            y=alt.Y("y0:Q", **PX),
            y2=alt.Y2("y1:Q"),
            description=alt.Description("description:N"),
            tooltip=[
                alt.Tooltip("name:N", title="Nœud"),
                alt.Tooltip("value_label:N", title="Valeur"),
            ],
        )
    )
    red = layout.links[layout.links["highlight"].astype(bool)]
    boxed = red[~red["inside"].astype(bool)]
    leader_rows = boxed.dropna(subset=["leader_x0"])
    leaders = (
        Chart(inline(leader_rows[["leader_x0", "leader_x1", "leader_y0", "leader_y1"]]))
        .mark_rule(color=layout.leader_color, strokeWidth=1, aria=False)
        .encode(
            x=alt.X("leader_x0:Q", **PX),
            x2=alt.X2("leader_x1:Q"),
            y=alt.Y("leader_y0:Q", **PX),
            y2=alt.Y2("leader_y1:Q"),
        )
    )
    text_layers = []
    for align in ("right", "left"):
        side = nodes[nodes["align"] == align]
        common = {
            "align": align,
            "baseline": "top",
            "fontSize": font_size,
            "lineBreak": "\n",
            "aria": False,
        }
        text_layers.append(
            Chart(inline(side[["name_x", "name_y", "name_label"]]))
            .mark_text(fontWeight="bold", color=pal.text, **common)
            .encode(
                x=alt.X("name_x:Q", **PX),
                y=alt.Y("name_y:Q", **PX),
                text=alt.Text("name_label:N"),
            )
        )
        text_layers.append(
            Chart(inline(side[["value_x", "value_y", "value_label"]]))
            .mark_text(color=pal.muted, **common)
            .encode(
                x=alt.X("value_x:Q", **PX),
                y=alt.Y("value_y:Q", **PX),
                text=alt.Text("value_label:N"),
            )
        )
    value_boxes = (
        Chart(inline(boxed[["box_x0", "box_x1", "box_y0", "box_y1"]]))
        .mark_rect(fill="white", stroke=pal.highlight, strokeWidth=1, aria=False)
        .encode(
            x=alt.X("box_x0:Q", **PX),
            x2=alt.X2("box_x1:Q"),
            y=alt.Y("box_y0:Q", **PX),
            y2=alt.Y2("box_y1:Q"),
        )
    )
    values = red.assign(
        tx=red["box_x0"] + 4,
        ty=(red["box_y0"] + red["box_y1"]) / 2,
        color=[pal.text if not i else "white" for i in red["inside"].astype(bool)],
    )
    link_values = (
        Chart(inline(values[["tx", "ty", "value_label", "color"]]))
        .mark_text(
            align="left",
            baseline="middle",
            fontWeight="bold",
            fontSize=font_size - 1,
            aria=False,
        )
        .encode(
            x=alt.X("tx:Q", **PX),
            y=alt.Y("ty:Q", **PX),
            text=alt.Text("value_label:N"),
            color=alt.Color("color:N", scale=None),
        )
    )
    layers: list[alt.Chart] = [
        band(highlight=False),
        band(highlight=True),
        node_marks,
        leaders,
        *text_layers,
        value_boxes,
        link_values,
    ]
    total_height = height
    if source:
        layers.append(source_layer(source, height + 8, pal))
        total_height = height + SOURCE_HEIGHT
    chart = alt.layer(*layers).properties(
        width=width,
        height=total_height,
        description=description
        or f"Diagramme de Sankey des {flow_word.lower()}, en millions d\u2019euros",
    )
    heading = title_params(title, subtitle, pal)
    if heading is not None:
        chart = chart.properties(title=heading)
    return chart


def _ribbon_columns(
    layout: SankeyLayout, flow: str
) -> tuple[dict[str, np.ndarray[Any, Any]], np.ndarray[Any, Any]]:
    """The ribbons' points with their link's texts, as arrays; and which are red.

    Each link's texts are lists, given to its points by position: no DataFrame
    of text columns (converting them was most of a Sankey's build).
    """
    points = layout.points
    info = layout.links
    node_name = {
        (side, code): name
        for side, code, name in zip(
            layout.nodes["side"],
            layout.nodes["code"],
            layout.nodes["name"],
            strict=True,
        )
    }
    flow_word = "Exportations" if flow == "export" else "Importations"
    where = "destination" if flow == "export" else "provenance"
    texts: dict[str, list[Any]] = {
        "source": info["source"].tolist(),
        "target": info["target"].tolist(),
    }
    texts["source_name"] = [node_name[("source", str(c))] for c in texts["source"]]
    texts["target_name"] = [node_name[("target", str(c))] for c in texts["target"]]
    texts["value_label"] = info["value_label"].tolist()
    product, country = (
        ("source_name", "target_name")
        if flow == "export"
        else ("target_name", "source_name")
    )
    texts["description"] = [
        f"{flow_word}, {p}, {where} {c}\u00a0: {v}"
        for p, c, v in zip(
            texts[product], texts[country], texts["value_label"], strict=True
        )
    ]
    from pandas import Index

    link_of_point = points["link_id"].to_numpy()
    of_link = Index(info["link_id"]).get_indexer(link_of_point)  # its link, once
    assert (of_link >= 0).all(), "a Sankey point without its link"  # built from them
    top, bottom = points["y"].to_numpy(dtype=float), points["y2"].to_numpy(dtype=float)
    inset = np.minimum(_SEAM, (bottom - top) / 4)
    columns: dict[str, np.ndarray[Any, Any]] = {
        "link_id": link_of_point,
        "x": points["x"].to_numpy(dtype=float),
        "y": top + inset,
        "y2": bottom - inset,
    }
    for column in (
        "source",
        "target",
        "source_name",
        "target_name",
        "value_label",
        "description",
    ):
        cells = np.empty(len(texts[column]), dtype=object)
        cells[:] = texts[column]
        columns[column] = cells[of_link]
    return columns, points["highlight"].to_numpy(dtype=bool)
