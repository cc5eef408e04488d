"""Two-column Sankey layout: nodes, link slots, link outlines and labels."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from frtrade.formatting import format_meur
from frtrade.layouts.text import dodge, text_width, wrap_text

__all__ = ["SankeyLayout", "sankey_layout"]

_LINE = 1.2


@dataclass(frozen=True)
class SankeyLayout:
    r"""Geometry of a two-column Sankey diagram (pixels, y downwards).

    Attributes
    ----------
    nodes
        One row per node: ``side`` (``"source"``/``"target"``), ``code``,
        ``name``, ``rank``, ``value_eur``, ``x0``, ``x1``, ``y0``, ``y1``, and
        its label: ``label_x``, ``label_y`` (top of the block), ``align``,
        ``name_label`` (lines joined by ``\n``), ``value_label``,
        ``label_height``, ``anchor_y`` (node centre) and ``leader`` (whether
        the label moved away from its node).
    links
        One row per link: ``link_id``, ``source``, ``target``, ``value_eur``,
        ``highlight``, ``width`` (px), ``sy0`` (top at the source node),
        ``ty0`` (top at the target node), ``value_label``.
    points
        Four points per link for an area mark: ``link_id``, ``highlight``,
        ``x``, ``y`` (top edge), ``y2`` (bottom edge).
    ky
        Pixels per euro, the same on both sides.
    """

    nodes: pd.DataFrame
    links: pd.DataFrame
    points: pd.DataFrame
    ky: float


def _label_block(
    name: str, value: str, size: float, max_width: float
) -> tuple[list[str], float]:
    lines = wrap_text(name, max_width, size, bold=True)
    if len(lines) > 2:  # keep two lines: the rest joins the second one
        lines = [lines[0], " ".join(lines[1:])]
    width = max(
        [text_width(line, size, bold=True) for line in lines]
        + [text_width(value, size)]
    )
    return lines, width


def sankey_layout(
    links: pd.DataFrame,
    *,
    width: float = 900,
    height: float = 560,
    node_width: float = 14,
    node_padding: float = 10,
    font_size: float = 12,
    max_label_width: float = 260,
    label_gap: float = 6,
) -> SankeyLayout:
    """Compute a two-column Sankey layout from one flow's links.

    Nodes are ranked by value with ``AUTRES`` last (``source_rank`` /
    ``target_rank`` of :func:`~frtrade.indicators.sankey_links`); one
    value-to-pixel factor serves both columns; at each node, links are stacked
    in the order of the opposite node, so no two links cross at a node face.

    Parameters
    ----------
    links
        :class:`~frtrade.schemas.SankeyLinks` rows of one territory and flow.
    width, height
        Size of the drawing, labels included.
    node_width, node_padding
        Node bar width and the minimum vertical gap between nodes.
    font_size
        Label font size.
    max_label_width
        Labels wider than this wrap onto a second line.
    label_gap
        Space between a node and its label.

    Returns
    -------
    SankeyLayout
        Nodes, links and the points of each link outline.

    Raises
    ------
    ValueError
        When a link value is negative or there is no positive link.

    Examples
    --------
    >>> from frtrade.testing import tiny_trade_flows
    >>> from frtrade.indicators import sankey_links
    >>> from frtrade.territories import Territory
    >>> links = sankey_links(tiny_trade_flows(), Territory.france(), flow="export")
    >>> layout = sankey_layout(links, width=600, height=300)
    >>> layout.nodes.groupby("side").apply(
    ...     lambda n: round(n.y1.max() - n.y0.min())
    ... ).to_dict()
    {'source': 300, 'target': 300}
    """
    if (links["value_eur"] < 0).any():
        raise ValueError("Sankey links must not be negative")
    data = links[links["value_eur"] > 0].reset_index(drop=True)
    if data.empty:
        raise ValueError("no positive link to draw")

    sides = [_side_totals(data, side) for side in ("source", "target")]
    total = float(data["value_eur"].sum())
    most = max(len(s) for s in sides)
    ky = (height - (most - 1) * node_padding) / total

    blocks, col_width = _label_columns(sides, font_size, max_label_width, label_gap)
    left_x0 = col_width["source"]
    right_x1 = width - col_width["target"]

    node_frames = []
    for side_frame in sides:
        side = str(side_frame["side"].iloc[0])
        heights = side_frame["value_eur"].to_numpy() * ky
        n = len(heights)
        spare = height - heights.sum()
        gap = spare / (n - 1) if n > 1 else 0.0
        y0 = (
            np.concatenate([[0.0], np.cumsum(heights[:-1] + gap)])
            if n
            else np.array([])
        )
        if n == 1:
            y0 = np.array([(height - heights[0]) / 2])
        x0 = left_x0 if side == "source" else right_x1 - node_width
        frame = side_frame.assign(x0=x0, x1=x0 + node_width, y0=y0, y1=y0 + heights)
        node_frames.append(_place_labels(frame, blocks, font_size, height, label_gap))
    nodes = pd.concat(node_frames, ignore_index=True)

    # Link slots: at the source in target order, at the target in source order.
    rank_of: dict[tuple[str, str], int] = {}
    top_of: dict[tuple[str, int], float] = {}
    for record in nodes.to_dict("records"):
        rank_of[(str(record["side"]), str(record["code"]))] = int(record["rank"])
        top_of[(str(record["side"]), int(record["rank"]))] = float(record["y0"])
    link = data.assign(
        width=data["value_eur"].to_numpy(dtype=float) * ky,
        s_idx=[rank_of[("source", str(c))] for c in data["source"]],
        t_idx=[rank_of[("target", str(c))] for c in data["target"]],
    )
    for side, own, other, column in (
        ("source", "s_idx", "t_idx", "sy0"),
        ("target", "t_idx", "s_idx", "ty0"),
    ):
        link = link.sort_values([own, other], kind="mergesort")
        node_top = np.array([top_of[(side, int(i))] for i in link[own]])
        stacked = (
            link.groupby(own)["width"].cumsum().to_numpy() - link["width"].to_numpy()
        )
        link[column] = node_top + stacked
    link = link.sort_values(["s_idx", "t_idx"], kind="mergesort").reset_index(drop=True)
    link["link_id"] = np.arange(len(link))
    link["value_label"] = [format_meur(v) for v in link["value_eur"]]
    links_out = link[
        ["link_id", "source", "target", "value_eur", "highlight", "width", "sy0", "ty0",
         "value_label"]
    ].reset_index(drop=True)  # fmt: skip

    xa = left_x0 + node_width
    xb = right_x1 - node_width
    xs = np.array([xa, xa + 0.5, xb - 0.5, xb])
    top = np.stack(
        [links_out["sy0"], links_out["sy0"], links_out["ty0"], links_out["ty0"]], axis=1
    )
    points = pd.DataFrame(
        {
            "link_id": np.repeat(links_out["link_id"].to_numpy(), 4),
            "highlight": np.repeat(links_out["highlight"].to_numpy(dtype=bool), 4),
            "x": np.tile(xs, len(links_out)),
            "y": top.ravel(),
            "y2": (top + links_out["width"].to_numpy()[:, None]).ravel(),
        }
    )
    return SankeyLayout(nodes=nodes, links=links_out, points=points, ky=ky)


def _label_columns(
    sides: list[pd.DataFrame], size: float, max_width: float, gap: float
) -> tuple[dict[tuple[str, str], tuple[list[str], float]], dict[str, float]]:
    """Wrapped label lines of every node, and the width of each label column."""
    blocks: dict[tuple[str, str], tuple[list[str], float]] = {}
    col_width: dict[str, float] = {}
    for side_frame in sides:
        side = str(side_frame["side"].iloc[0])
        widest = 0.0
        for code, name, value in zip(
            side_frame["code"], side_frame["name"], side_frame["value_eur"], strict=True
        ):
            lines, w = _label_block(name, format_meur(value), size, max_width)
            blocks[(side, code)] = (lines, w)
            widest = max(widest, w)
        col_width[side] = widest + gap
    return blocks, col_width


def _side_totals(data: pd.DataFrame, side: str) -> pd.DataFrame:
    """Nodes of one column: code, name, rank (AUTRES last) and value."""
    grouped = (
        data.groupby([side, f"{side}_name", f"{side}_rank"], sort=False)["value_eur"]
        .sum()
        .reset_index()
        .sort_values([f"{side}_rank", side], kind="mergesort")
    )
    return pd.DataFrame(
        {
            "side": side,
            "code": grouped[side].astype(str).to_numpy(),
            "name": grouped[f"{side}_name"].astype(str).to_numpy(),
            "rank": np.arange(len(grouped)),
            "value_eur": grouped["value_eur"].to_numpy(dtype=float),
        }
    )


def _place_labels(
    frame: pd.DataFrame,
    blocks: dict[tuple[str, str], tuple[list[str], float]],
    size: float,
    height: float,
    gap: float,
) -> pd.DataFrame:
    side = str(frame["side"].iloc[0])
    lines = [blocks[(side, str(c))][0] for c in frame["code"]]
    block_h = [(len(ls) + 1) * size * _LINE for ls in lines]
    centres = ((frame["y0"] + frame["y1"]) / 2).to_numpy()
    placed = dodge(list(centres), block_h, low=0, high=height, gap=1)
    out = frame.copy()
    out["anchor_y"] = centres
    out["label_height"] = block_h
    out["label_y"] = [c - h / 2 for c, h in zip(placed, block_h, strict=True)]
    out["leader"] = np.abs(np.array(placed) - centres) > 3
    out["align"] = "right" if side == "source" else "left"
    out["label_x"] = out["x0"] - gap if side == "source" else out["x1"] + gap
    out["name_label"] = ["\n".join(ls) for ls in lines]
    out["name_lines"] = [len(ls) for ls in lines]
    out["value_label"] = [format_meur(v) for v in frame["value_eur"]]
    return out
