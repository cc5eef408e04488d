"""Two-column Sankey layout: nodes, link slots, link outlines and labels.

Legibility rules (checked by :func:`check_sankey_layout` on every territory):
each node gets a vertical *slot* at least as tall as its label, so every label
sits beside its own node (centred on it) and no two labels overlap; one
pixels-per-euro factor serves both columns, so node and link heights stay
proportional to the values, except that a node is never drawn thinner than
``min_node_height`` (2 px by default; its links keep their true widths, centred
in it). The values of the highlighted links are written in white inside the
band when it is thick enough, otherwise in a white box with a leader line,
dodged so that no two values overlap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from frtrade.formatting import format_meur
from frtrade.layouts.text import contrast_ratio, dodge, text_width, wrap_text

__all__ = ["SankeyLayout", "check_sankey_layout", "sankey_layout"]

_LINE = 1.2
#: Colour of leader lines (7.5:1 against white).
LEADER_COLOR = "#555555"


@dataclass(frozen=True)
class SankeyLayout:
    r"""Geometry of a two-column Sankey diagram (pixels, y downwards).

    Attributes
    ----------
    nodes
        One row per node: ``side`` (``"source"``/``"target"``), ``code``,
        ``name``, ``rank``, ``value_eur``, ``x0``, ``x1``, ``y0``, ``y1`` (the
        drawn bar, at least ``min_node_height`` tall), ``vy0``, ``vy1`` (the
        span proportional to the value, where the links attach), and its
        label: ``label_x`` (the edge next to the node), ``align``,
        ``label_x0``, ``label_x1``, ``label_y`` (top of the block),
        ``label_height``, ``name_label`` (lines joined by ``\n``),
        ``name_lines``, ``value_label``, the anchors of the two text marks
        ``name_x``, ``name_y``, ``value_x``, ``value_y``, ``anchor_y`` (node
        centre) and ``leader`` (whether a leader line joins label and node).
    links
        One row per link: ``link_id``, ``source``, ``target``, ``value_eur``,
        ``highlight``, ``width`` (px), ``sy0`` (top at the source node),
        ``ty0`` (top at the target node), ``value_label``; highlighted links
        also have the box of their value ``box_x0``, ``box_y0``, ``box_x1``,
        ``box_y1``, ``inside`` (written inside the band) and the leader
        ``leader_x0``, ``leader_y0``, ``leader_x1``, ``leader_y1`` (NaN when
        there is none).
    points
        Four points per link for an area mark: ``link_id``, ``highlight``,
        ``x``, ``y`` (top edge), ``y2`` (bottom edge).
    ky
        Pixels per euro, the same on both sides.
    width, height
        Size of the drawing; ``height`` may exceed the requested height when
        the labels need more room.
    font_size
        Label font size.
    leader_color
        Colour of the leader lines.
    """

    nodes: pd.DataFrame
    links: pd.DataFrame
    points: pd.DataFrame
    ky: float
    width: float
    height: float
    font_size: float = 12
    leader_color: str = LEADER_COLOR


def _wrap_name(name: str, size: float, max_width: float) -> list[str]:
    lines = wrap_text(name, max_width, size, bold=True)
    if len(lines) > 2:  # keep two lines: the rest joins the second one
        lines = [lines[0], " ".join(lines[1:])]
    return lines


def _blocks(
    side: dict[str, np.ndarray], size: float, max_width: float, *, inline: bool
) -> dict[str, np.ndarray]:
    """Label text and block size of every node of one column."""
    cols: dict[str, list[object]] = {
        k: []
        for k in (
            "name_label", "name_lines", "value_label", "name_width", "value_width",
            "one_line", "label_width", "label_height",
        )
    }  # fmt: skip
    for name, value in zip(side["name"], side["value_eur"], strict=True):
        value_label = format_meur(float(value))
        value_w = text_width(value_label, size)
        lines = _wrap_name(str(name), size, max_width)
        name_w = max(text_width(line, size, bold=True) for line in lines)
        one_line = inline and len(lines) == 1
        if one_line and name_w + value_w + size / 3 > max_width:
            one_line = False
        if one_line:
            block_w = name_w + size / 3 + value_w
            block_h = size * _LINE
        else:
            block_w = max(name_w, value_w)
            block_h = (len(lines) + 1) * size * _LINE
        for key, item in (
            ("name_label", "\n".join(lines)),
            ("name_lines", len(lines)),
            ("value_label", value_label),
            ("name_width", name_w),
            ("value_width", value_w),
            ("one_line", one_line),
            ("label_width", block_w),
            ("label_height", block_h),
        ):
            cols[key].append(item)
    return {k: np.array(v, dtype=object if k in ("name_label", "value_label") else None)
            for k, v in cols.items()}  # fmt: skip


def _needed(
    values: np.ndarray, labels: np.ndarray, ky: float, min_h: float, pad: float
) -> float:
    slots = np.maximum(np.maximum(values * ky, min_h), labels)
    return float(slots.sum() + pad * (len(values) - 1))


def _solve_ky(
    columns: list[tuple[np.ndarray, np.ndarray]],
    height: float,
    min_h: float,
    pad: float,
) -> float:
    """The largest pixels-per-euro factor with which every column fits ``height``."""
    if any(_needed(v, lab, 0.0, min_h, pad) > height for v, lab in columns):
        return 0.0
    total = max(float(v.sum()) for v, _ in columns)
    low, high = 0.0, height / total
    for _ in range(60):
        mid = (low + high) / 2
        if all(_needed(v, lab, mid, min_h, pad) <= height for v, lab in columns):
            low = mid
        else:
            high = mid
    return low


def sankey_layout(
    links: pd.DataFrame,
    *,
    width: float = 900,
    height: float = 560,
    node_width: float = 14,
    node_padding: float = 8,
    font_size: float = 12,
    max_label_width: float = 260,
    label_gap: float = 6,
    min_node_height: float = 2.0,
    min_flow_share: float = 0.4,
) -> SankeyLayout:
    """Compute a two-column Sankey layout from one flow's links.

    Nodes are ranked by value with ``AUTRES`` last (``source_rank`` /
    ``target_rank`` of :func:`~frtrade.indicators.sankey_links`); one
    value-to-pixel factor serves both columns; at each node, links are stacked
    in the order of the opposite node, so no two links cross at a node face.
    Each node's slot is at least as tall as its label, which is centred on
    the node. When the labels leave less than ``min_flow_share`` of the height
    to the flows, labels go on one line (name then value) and, if that is not
    enough, the drawing grows taller than ``height``.

    Parameters
    ----------
    links
        :class:`~frtrade.schemas.SankeyLinks` rows of one territory and flow.
    width, height
        Size of the drawing, labels included (``height`` is a minimum).
    node_width, node_padding
        Node bar width and the minimum vertical gap between node slots.
    font_size
        Label font size.
    max_label_width
        Labels wider than this wrap onto a second line.
    label_gap
        Space between a node and its label.
    min_node_height
        Thinnest node bar drawn, in pixels (links keep their true width).
    min_flow_share
        Least share of the height the flows (sum of node heights) take.

    Returns
    -------
    SankeyLayout
        Nodes, links, the points of each link outline and the final size.

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
    >>> layout.height, round(float(layout.ky * links.value_eur.sum()), 1)
    (300.0, 257.5)
    >>> layout.nodes[["code", "y0", "y1", "label_y"]].round(1).values.tolist()[-1]
    ['DE', 258.8, 300.0, 265.0]
    >>> check_sankey_layout(layout)
    []
    """
    if (links["value_eur"] < 0).any():
        raise ValueError("Sankey links must not be negative")
    data = links[links["value_eur"] > 0].reset_index(drop=True)
    if data.empty:
        raise ValueError("no positive link to draw")

    sides = [_side_totals(data, side) for side in ("source", "target")]
    total = float(data["value_eur"].sum())

    ky = 0.0
    blocks: list[dict[str, np.ndarray]] = []
    for inline in (False, True):
        blocks = [_blocks(f, font_size, max_label_width, inline=inline) for f in sides]
        columns = [
            (f["value_eur"], b["label_height"].astype(float))
            for f, b in zip(sides, blocks, strict=True)
        ]
        ky = _solve_ky(columns, height, min_node_height, node_padding)
        if ky * total >= min_flow_share * height:
            break
    while ky * total < min_flow_share * height:  # grow until the flows get their share
        height += 10.0
        ky = _solve_ky(columns, height, min_node_height, node_padding)

    left_x0 = float(blocks[0]["label_width"].max()) + label_gap
    right_x1 = width - float(blocks[1]["label_width"].max()) - label_gap

    nodes = _place_nodes(
        sides,
        blocks,
        ky=ky,
        height=height,
        x=(left_x0, right_x1 - node_width),
        node_width=node_width,
        node_padding=node_padding,
        min_node_height=min_node_height,
        font_size=font_size,
        label_gap=label_gap,
    )

    # Link slots: at the source in target order, at the target in source order.
    value = data["value_eur"].to_numpy(dtype=float)
    band = value * ky
    idx = {}
    tops = {}
    for side_nodes, side in zip(sides, ("source", "target"), strict=True):
        position = {str(c): i for i, c in enumerate(side_nodes["code"])}
        idx[side] = np.array([position[str(c)] for c in data[side]], dtype=np.int64)
        tops[side] = nodes.loc[nodes["side"] == side, "vy0"].to_numpy(dtype=float)
    starts = {}
    for own, other in (("source", "target"), ("target", "source")):
        order = np.lexsort((idx[other], idx[own]))
        w = band[order]
        cum = np.cumsum(w) - w
        group_start = np.searchsorted(idx[own][order], idx[own][order], side="left")
        offset = cum - cum[group_start]
        out = np.empty_like(band)
        out[order] = tops[own][idx[own][order]] + offset
        starts[own] = out
    order = np.lexsort((idx["target"], idx["source"]))
    links_out = pd.DataFrame(
        {
            "link_id": np.arange(len(order)),
            "source": data["source"].astype(str).to_numpy()[order],
            "target": data["target"].astype(str).to_numpy()[order],
            "value_eur": value[order],
            "highlight": data["highlight"].to_numpy(dtype=bool)[order],
            "width": band[order],
            "sy0": starts["source"][order],
            "ty0": starts["target"][order],
            "value_label": [format_meur(v) for v in value[order]],
        }
    )
    xa = left_x0 + node_width
    xb = right_x1 - node_width
    links_out = _place_values(links_out, xa, height, font_size - 1)

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
    return SankeyLayout(
        nodes=nodes,
        links=links_out,
        points=points,
        ky=ky,
        width=float(width),
        height=float(height),
        font_size=font_size,
    )


def _place_nodes(
    sides: list[dict[str, np.ndarray]],
    blocks: list[dict[str, np.ndarray]],
    *,
    ky: float,
    height: float,
    x: tuple[float, float],
    node_width: float,
    node_padding: float,
    min_node_height: float,
    font_size: float,
    label_gap: float,
) -> pd.DataFrame:
    """Node bars centred in slots at least as tall as their labels."""
    frames = []
    for side_nodes, block, x0 in zip(sides, blocks, x, strict=True):
        values_px = side_nodes["value_eur"] * ky
        drawn = np.maximum(values_px, min_node_height)
        slots = np.maximum(drawn, block["label_height"].astype(float))
        n = len(slots)
        spare = height - slots.sum() - node_padding * (n - 1)
        gap = node_padding + (spare / (n - 1) if n > 1 else 0.0)
        tops = np.concatenate([[0.0], np.cumsum(slots[:-1] + gap)])
        if n == 1:
            tops = np.array([(height - slots[0]) / 2])
        centres = tops + slots / 2
        columns: dict[str, object] = dict(side_nodes)
        columns.update(
            x0=x0,
            x1=x0 + node_width,
            y0=centres - drawn / 2,
            y1=centres + drawn / 2,
            vy0=centres - values_px / 2,
            vy1=centres + values_px / 2,
        )
        columns.update(_place_labels(columns, block, font_size, label_gap))
        frames.append(pd.DataFrame(columns))
    return pd.concat(frames, ignore_index=True)


def _place_values(
    links: pd.DataFrame, x: float, height: float, size: float
) -> pd.DataFrame:
    """Boxes of the highlighted links' values, just right of the source nodes."""
    n = len(links)
    box = {c: np.full(n, np.nan) for c in ("box_x0", "box_y0", "box_x1", "box_y1")}
    lead = {
        c: np.full(n, np.nan)
        for c in ("leader_x0", "leader_y0", "leader_x1", "leader_y1")
    }
    inside = np.zeros(n, dtype=bool)
    red = np.flatnonzero(links["highlight"].to_numpy(dtype=bool))
    if len(red):
        sy0 = links["sy0"].to_numpy(dtype=float)
        band = links["width"].to_numpy(dtype=float)
        want = sy0 + band / 2
        red = red[np.argsort(want[red], kind="mergesort")]
        box_h = size * _LINE + 3
        labels = links["value_label"].to_numpy()
        placed = dodge(
            list(want[red]), [box_h] * len(red), low=0.0, high=height, gap=1.0
        )
        x0 = x + 3
        for i, centre in zip(red, placed, strict=True):
            w = text_width(str(labels[i]), size, bold=True) + 8
            # White text in the band when it is thick enough and did not move.
            inside[i] = band[i] >= size * _LINE + 1 and abs(centre - want[i]) < 0.5
            half = size * _LINE / 2 if inside[i] else box_h / 2
            box["box_x0"][i], box["box_y0"][i] = x0, centre - half
            box["box_x1"][i], box["box_y1"][i] = x0 + w, centre + half
            if not inside[i]:  # join the box to its band, a little further along
                lead["leader_x0"][i], lead["leader_y0"][i] = x0 + w, centre
                lead["leader_x1"][i], lead["leader_y1"][i] = x0 + w + 14, want[i]
    return links.assign(**box, **lead, inside=inside)


def check_sankey_layout(
    layout: SankeyLayout, *, background: str = "#ffffff"
) -> list[str]:
    """Legibility violations of a Sankey layout (an empty list when it is legible).

    The rules: each node label is beside its own node (its vertical centre
    within the node's bar) or joined to it by a leader line with a contrast of
    at least 3:1 against the background; no two labels (node labels and link
    values) overlap; no label leaves the canvas; every highlighted link shows
    its value, inside its band or joined to it by a leader line.

    Parameters
    ----------
    layout
        A layout from :func:`sankey_layout`.
    background
        Background colour the leader lines are drawn on.

    Returns
    -------
    list[str]
        One sentence per violation.

    Examples
    --------
    >>> from frtrade.testing import tiny_trade_flows
    >>> from frtrade.indicators import sankey_links
    >>> from frtrade.territories import Territory
    >>> links = sankey_links(tiny_trade_flows(), Territory.france(), flow="import")
    >>> check_sankey_layout(sankey_layout(links))
    []
    """
    eps = 1e-6
    problems: list[str] = []
    boxes: list[tuple[str, float, float, float, float]] = []
    leader_ok = contrast_ratio(layout.leader_color, background) >= 3.0
    for node in layout.nodes.to_dict("records"):
        name = f"label of {node['side']} node {node['code']!r}"
        top, tall = float(node["label_y"]), float(node["label_height"])
        centre = top + tall / 2
        beside = float(node["y0"]) - eps <= centre <= float(node["y1"]) + eps
        if not beside and not (bool(node["leader"]) and leader_ok):
            problems.append(f"{name} is not beside its node and has no visible leader")
        boxes.append(
            (name, float(node["label_x0"]), top, float(node["label_x1"]), top + tall)
        )
    for link in layout.links.to_dict("records"):
        if not link["highlight"]:
            continue
        name = f"value of link {link['source']!r} -> {link['target']!r}"
        box = tuple(float(link[c]) for c in ("box_x0", "box_y0", "box_x1", "box_y1"))
        if not link["value_label"] or np.isnan(box[0]):
            problems.append(f"{name} is missing")
            continue
        band_top = float(link["sy0"])
        band_bottom = band_top + float(link["width"])
        if link["inside"] and not (
            band_top - eps <= box[1] and box[3] <= band_bottom + eps
        ):
            problems.append(f"{name} is drawn inside its band but does not fit in it")
        if not link["inside"] and (np.isnan(float(link["leader_x0"])) or not leader_ok):
            problems.append(f"{name} is outside its band and has no visible leader")
        boxes.append((name, box[0], box[1], box[2], box[3]))
    for name, x0, y0, x1, y1 in boxes:
        if (
            x0 < -eps
            or y0 < -eps
            or x1 > layout.width + eps
            or y1 > layout.height + eps
        ):
            problems.append(f"{name} leaves the canvas")
    for i, (a, ax0, ay0, ax1, ay1) in enumerate(boxes):
        for b, bx0, by0, bx1, by1 in boxes[i + 1 :]:
            if (
                ax0 < bx1 - eps
                and bx0 < ax1 - eps
                and ay0 < by1 - eps
                and by0 < ay1 - eps
            ):
                problems.append(f"{a} overlaps {b}")
    return problems


def _side_totals(data: pd.DataFrame, side: str) -> dict[str, np.ndarray]:
    """Nodes of one column: code, name, rank (AUTRES last) and value."""
    codes = data[side].astype(str).to_numpy()
    unique, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    sums = np.bincount(inverse, weights=data["value_eur"].to_numpy(dtype=float))
    ranks = data[f"{side}_rank"].to_numpy()[first]
    order = np.lexsort((unique, ranks))
    names = data[f"{side}_name"].astype(str).to_numpy()[first]
    return {
        "side": np.full(len(order), side, dtype=object),
        "code": unique[order].astype(object),
        "name": names[order].astype(object),
        "rank": np.arange(len(order)),
        "value_eur": sums[order],
    }


def _place_labels(
    node: dict[str, object], block: dict[str, np.ndarray], size: float, gap: float
) -> dict[str, object]:
    """Label blocks centred on their nodes (their slots guarantee the room)."""
    right = str(np.asarray(node["side"])[0]) == "source"  # labels left of the node
    y0 = np.asarray(node["y0"], dtype=float)
    y1 = np.asarray(node["y1"], dtype=float)
    centres = (y0 + y1) / 2
    heights = block["label_height"].astype(float)
    widths = block["label_width"].astype(float)
    one_line = block["one_line"].astype(bool)
    value_w = block["value_width"].astype(float)
    name_w = block["name_width"].astype(float)
    edge = float(node["x0"]) - gap if right else float(node["x1"]) + gap  # type: ignore[arg-type]
    label_y = centres - heights / 2
    space = size / 3
    out: dict[str, object] = {k: v for k, v in block.items() if k != "one_line"}
    out.update(
        anchor_y=centres,
        label_y=label_y,
        leader=np.zeros(len(centres), dtype=bool),
        align="right" if right else "left",
        label_x=edge,
        label_x0=edge - widths if right else np.full(len(centres), edge),
        label_x1=np.full(len(centres), edge) if right else edge + widths,
        name_y=label_y,
        value_y=np.where(
            one_line,
            label_y,
            label_y + block["name_lines"].astype(float) * size * _LINE,
        ),
    )
    if right:  # inline: "Name 12,3 M€" ends at the edge, value last
        out["name_x"] = np.where(one_line, edge - value_w - space, edge)
        out["value_x"] = np.full(len(centres), edge)
    else:
        out["name_x"] = np.full(len(centres), edge)
        out["value_x"] = np.where(one_line, edge + name_w + space, edge)
    return out
