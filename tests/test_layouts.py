from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from frtrade.indicators import OTHER, products, sankey_links
from frtrade.layouts import (
    check_sankey_layout,
    check_treemap_layout,
    contrast_ratio,
    dodge,
    sankey_layout,
    squarify,
    text_width,
    treemap_key,
    treemap_layout,
    wrap_text,
)
from frtrade.territories import Territory
from frtrade.testing import trade_flows

FRANCE = Territory.france()
values = st.lists(st.floats(0.01, 1e6, allow_nan=False), min_size=1, max_size=25)


@given(values=values, width=st.floats(50, 1200), height=st.floats(50, 800))
def test_squarify_tiles_the_rectangle(values, width, height):
    ordered = sorted(values, reverse=True)
    rects = squarify(ordered, 0, 0, width, height)
    assert len(rects) == len(ordered)
    eps = 1e-6 * max(width, height)
    areas = []
    for x0, y0, x1, y1 in rects:
        assert -eps <= x0 <= x1 <= width + eps
        assert -eps <= y0 <= y1 <= height + eps
        areas.append((x1 - x0) * (y1 - y0))
    assert sum(areas) == pytest.approx(width * height, rel=1e-6)
    expected = np.array(ordered) / sum(ordered) * width * height
    np.testing.assert_allclose(areas, expected, rtol=1e-6, atol=1e-6 * width * height)
    for i, a in enumerate(rects):  # no two tiles overlap
        for b in rects[i + 1 :]:
            overlap_w = min(a[2], b[2]) - max(a[0], b[0])
            overlap_h = min(a[3], b[3]) - max(a[1], b[1])
            assert overlap_w <= eps or overlap_h <= eps


def test_squarify_refuses_non_positive_values():
    with pytest.raises(ValueError, match="positive"):
        squarify([1.0, 0.0], 0, 0, 10, 10)


@settings(max_examples=30)
@given(flows=trade_flows(min_rows=3), n=st.integers(1, 8))
def test_treemap_layout_labels_stay_inside_tiles(flows, n):
    table = products(flows, FRANCE, flow="export", n=n)
    assume((table.value_eur > 0).any())
    tiles = treemap_layout(table, width=400, height=300)
    assert tiles.code.tolist() == table[table.value_eur > 0].code.tolist()  # order kept
    if OTHER in set(tiles.code):
        assert tiles.code.iloc[-1] == OTHER
    for t in tiles.itertuples():
        if t.blocks == 0:
            continue
        inset = t.label_x - t.x0  # 6 px, or 2 px for a small tile
        assert inset == pytest.approx(t.label_y - t.y0)
        inner_w = t.x1 - t.x0 - 2 * inset
        lines = (t.name_label.split("\n") if t.name_label else []) + (
            t.value_label.split("\n") if t.value_label else []
        )
        for i, line in enumerate(lines):
            bold = i < t.name_lines
            assert text_width(line, t.font_size, bold=bold) <= inner_w + 1e-9
        assert len(lines) * t.font_size * 1.2 <= t.y1 - t.y0 - 2 * inset + 1e-9
        if t.keyed:  # a keyed tile shows its number, never a bare share
            assert t.name_label == str(t.key_number)
    key = treemap_key(tiles, x=0, y=310, width=400)
    assert check_treemap_layout(tiles, key) == []
    assert set(key.code) == set(tiles.code[tiles.keyed])


@given(
    centres=st.lists(st.floats(0, 500), min_size=1, max_size=15),
    heights=st.lists(st.floats(1, 30), min_size=15, max_size=15),
)
def test_dodge_keeps_order_gaps_and_bounds(centres, heights):
    centres = sorted(centres)
    heights = heights[: len(centres)]
    assume(sum(heights) + 2 * len(heights) <= 500)
    out = dodge(centres, heights, low=0, high=500, gap=2)
    for i in range(len(out) - 1):
        assert out[i + 1] - heights[i + 1] / 2 >= out[i] + heights[i] / 2 + 2 - 1e-9
    assert out[0] - heights[0] / 2 >= -1e-9
    assert out[-1] + heights[-1] / 2 <= 500 + 1e-9
    assert dodge(out, heights, low=0, high=500, gap=2) == pytest.approx(out)


def test_wrap_text_never_splits_words():
    assert wrap_text("Aéronautique et spatial", 10, 12) == [
        "Aéronautique",
        "et",
        "spatial",
    ]
    assert wrap_text("", 100, 12) == [""]


@settings(max_examples=30)
@given(flows=trade_flows(min_rows=2), n=st.integers(1, 6))
def test_sankey_layout_geometry(flows, n):
    for flow in ("export", "import"):
        links = sankey_links(flows, FRANCE, flow=flow, n_products=n, n_countries=n)
        if not (links.value_eur > 0).any():
            continue
        layout = sankey_layout(links, width=800, height=400.0)
        height = layout.height
        assert height >= 400.0
        nodes, lk = layout.nodes, layout.links
        # Same pixels per euro on both sides; value spans proportional to values;
        # drawn bars never thinner than the documented 2 px minimum.
        np.testing.assert_allclose(
            nodes.vy1 - nodes.vy0, nodes.value_eur * layout.ky, rtol=1e-7, atol=1e-9
        )
        np.testing.assert_allclose(
            nodes.y1 - nodes.y0,
            np.maximum(nodes.value_eur * layout.ky, 2.0),
            rtol=1e-7,
            atol=1e-9,
        )
        assert (nodes.y0 >= -1e-6).all()
        assert (nodes.y1 <= height + 1e-6).all()
        # The flows take at least 40 % of the height.
        assert layout.ky * links.value_eur.clip(lower=0).sum() >= 0.4 * height - 1e-6
        assert check_sankey_layout(layout) == []
        for side in ("source", "target"):
            col = nodes[nodes.side == side].sort_values("rank")
            assert (np.diff(col.y0) > 0).all() or len(col) == 1  # ranked top to bottom
            if OTHER in set(col.code):
                assert col.code.iloc[-1] == OTHER
            # Links fill each node exactly and contiguously, ordered by the other side.
            top = "sy0" if side == "source" else "ty0"
            other = "target" if side == "source" else "source"
            rank_other = nodes[nodes.side == other].set_index("code")["rank"]
            for node in col.itertuples():
                mine = lk[lk[side] == node.code].copy()
                mine["other_rank"] = mine[other].map(rank_other)
                mine = mine.sort_values("other_rank")
                starts = mine[top].to_numpy()
                ends = starts + mine.width.to_numpy()
                assert starts[0] == pytest.approx(node.vy0)
                assert ends[-1] == pytest.approx(node.vy1)
                np.testing.assert_allclose(starts[1:], ends[:-1], atol=1e-6)
        pts = layout.points
        assert len(pts) == 4 * len(lk)
        assert (pts.y2 >= pts.y).all()


def test_sankey_layout_rejects_negative_links():
    links = pd.DataFrame(
        {
            "source": ["A"], "target": ["B"], "source_name": ["A"], "target_name": ["B"],
            "source_rank": [0], "target_rank": [0], "value_eur": [-1.0], "highlight": [False],
        }
    )  # fmt: skip
    with pytest.raises(ValueError, match="negative"):
        sankey_layout(links)


def test_check_sankey_layout_finds_violations():
    from dataclasses import replace

    links = sankey_links(
        trade_flows_example(), FRANCE, flow="export", n_products=3, n_countries=3
    )
    layout = sankey_layout(links, width=600, height=300)
    assert check_sankey_layout(layout) == []
    nodes = layout.nodes.copy()
    nodes.loc[0, "label_y"] = nodes.loc[
        1, "label_y"
    ]  # away from its node, onto another
    nodes.loc[2, "label_x0"] = -5.0
    problems = check_sankey_layout(replace(layout, nodes=nodes))
    assert any("not beside its node" in p for p in problems)
    assert any("overlaps" in p for p in problems)
    assert any("leaves the canvas" in p for p in problems)
    # A leader line saves a moved label only when it is visible (contrast >= 3:1).
    nodes = layout.nodes.copy()
    nodes.loc[0, "label_y"] = float(layout.height) - nodes.loc[0, "label_height"]
    nodes.loc[0, "leader"] = True
    moved = replace(layout, nodes=nodes)
    beside = [p for p in check_sankey_layout(moved) if "beside" in p]
    assert beside == []
    faint = replace(moved, leader_color="#dddddd")
    assert contrast_ratio("#dddddd", "#ffffff") < 3
    assert any("beside" in p for p in check_sankey_layout(faint))
    links_missing = layout.links.copy()
    red = links_missing.index[links_missing.highlight][0]
    links_missing.loc[red, "box_x0"] = np.nan
    assert any(
        "missing" in p
        for p in check_sankey_layout(replace(layout, links=links_missing))
    )


def trade_flows_example():
    from frtrade.testing import tiny_trade_flows

    return tiny_trade_flows()
