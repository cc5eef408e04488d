"""Issue 10, points 1 and 2: every Sankey and treemap frtrade can draw is legible.

The layouts of every territory of the embedded dataset (101 départements, 14
régions, France), both flows, are checked with the pure geometric checks
:func:`check_sankey_layout` and :func:`check_treemap_layout`.
"""

from __future__ import annotations

import pytest

from frtrade.indicators import all_territories
from frtrade.layouts import (
    check_sankey_layout,
    check_treemap_layout,
    sankey_layout,
    treemap_key,
    treemap_layout,
)

N_TERRITORIES = 101 + 14 + 1


@pytest.fixture(scope="session")
def tables_by_n(fictitious):
    cache = {}

    def get(n: int, level: str = "a129"):
        if (n, level) not in cache:
            cache[(n, level)] = all_territories(fictitious.flows, n=n, level=level)
        return cache[(n, level)]

    return get


@pytest.mark.parametrize("n", [15, 10, 3])
def test_every_sankey_is_legible(tables_by_n, n):
    sankey = tables_by_n(n).sankey
    assert sankey["territory"].nunique() == N_TERRITORIES
    checked = 0
    failures = {}
    for (territory, flow), links in sankey.groupby(["territory", "flow"], sort=False):
        if not (links["value_eur"] > 0).any():
            continue
        layout = sankey_layout(links)
        checked += 1
        problems = check_sankey_layout(layout)
        if problems:
            failures[(territory, flow)] = problems
        # Highlighted links all carry their value in M€.
        red = layout.links[layout.links["highlight"]]
        assert red["value_label"].str.endswith("M€").all()
    assert failures == {}
    assert checked >= 2 * N_TERRITORIES - 10  # a few territories lack one flow


@pytest.mark.parametrize("level", ["a129", "a38", "a17", "cpf4"])
def test_every_treemap_names_every_product(tables_by_n, level):
    products = tables_by_n(10, level).products
    assert products["territory"].nunique() == N_TERRITORIES
    failures = {}
    keyed = 0
    for (territory, flow), rows in products.groupby(["territory", "flow"], sort=False):
        tiles = treemap_layout(rows, width=428, height=354, x=0, y=26)
        key = treemap_key(tiles, x=0, y=388, width=428)
        keyed += len(key)
        problems = check_treemap_layout(tiles, key)
        if problems:
            failures[(territory, flow)] = problems
        # Every product with a tile is named exactly once: in its tile or in the key.
        named_in_tile = set(tiles.loc[~tiles["keyed"] & (tiles["blocks"] >= 2), "code"])
        assert named_in_tile.isdisjoint(set(key["code"]))
        assert named_in_tile | set(key["code"]) == set(tiles["code"])
    assert failures == {}
    assert keyed > 0  # the key is really exercised


def test_hard_territories_keep_honest_proportions(tables_by_n):
    # 13 exports: refined petroleum products dominate; node heights stay
    # proportional to values above the documented 2 px minimum.
    sankey = tables_by_n(10).sankey
    links = sankey[
        (sankey["territory"] == "departement-13") & (sankey["flow"] == "export")
    ]
    layout = sankey_layout(links)
    nodes = layout.nodes
    span = nodes["vy1"] - nodes["vy0"]
    ratio = span / nodes["value_eur"]
    assert ratio.max() == pytest.approx(ratio.min(), rel=1e-9)
    drawn = nodes["y1"] - nodes["y0"]
    assert (drawn >= 2.0 - 1e-9).all()
    assert ((drawn - span).abs() < 1e-9)[span >= 2.0].all()
    assert layout.height == 560.0
    assert not nodes["leader"].any()  # every label is beside its own node


def _position_geometry(svg: str) -> tuple[list[tuple[float, float, float]], dict]:
    """Bars (x0, x1, top) and the label (anchor, x, baseline y, text) of a position SVG."""
    import re

    bars_group = svg.split('class="mark-rect role-mark', 1)[1].split("</g>", 1)[0]
    bars = [
        (float(x), float(x) + float(w), float(y))
        for x, y, w in re.findall(r'd="M([-\d.]+),([-\d.]+)h([\d.]+)v', bars_group)
    ]
    text = re.search(
        r'<text aria-label="([^"]*)"[^>]* text-anchor="(\w+)" '
        r'transform="translate\(([-\d.]+),([-\d.]+)\)"[^>]*>([^<]+)</text>',
        svg.split('class="mark-text role-mark', 1)[1],
    )
    assert text is not None
    aria, anchor, x, y, label = text.groups()
    assert aria == label  # read out as written, not with the height it is drawn at
    return bars, {"anchor": anchor, "x": float(x), "y": float(y), "text": label}


@pytest.mark.parametrize("code", ["9E", "99", "48", "36", "2B", "13", "59", "23"])
def test_position_label_stands_clear_of_the_bars(fictitious, code):
    """The highlighted territory's label never sits on the bars beside it (issue 12 review)."""
    from frtrade.charts import position_chart
    from frtrade.indicators import compute_indicators
    from frtrade.layouts.text import text_width
    from frtrade.render import render_chart

    ranks = compute_indicators(fictitious.flows, names=["ranks"], year=2024)["ranks"]
    key = f"departement-{'20' if code == '2B' else code}"
    svg = render_chart(position_chart(ranks, key, names={key: "X" * 12}), "svg")
    bars, label = _position_geometry(svg.decode("utf-8"))
    assert len(bars) == ranks[ranks["metric"] == "export_eur"]["value"].notna().sum()
    width = text_width(label["text"], 12, bold=True)
    left = label["x"] - width if label["anchor"] == "end" else label["x"]
    bottom = label["y"] + 0.25 * 12  # baseline + descenders
    under = [top for x0, x1, top in bars if x1 > left and x0 < left + width]
    assert under, "the label spans some bars"
    assert min(under) >= bottom, (label, min(under))
