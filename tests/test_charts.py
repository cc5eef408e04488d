from __future__ import annotations

import io
import json
import os
from pathlib import Path

import altair as alt
import numpy as np
import pytest
import vl_convert

from frtrade.charts import (
    COLORBLIND,
    DEFAULT,
    butterfly_chart,
    sankey_chart,
    treemap_chart,
)
from frtrade.charts.theme import Theme, blend
from frtrade.indicators import partners, products, sankey_links
from frtrade.render import VEGALITE_VERSION, chart_spec, render_chart, save_chart
from frtrade.territories import Territory
from frtrade.testing import tiny_trade_flows

SNAPSHOTS = Path(__file__).parent / "snapshots"
PINNED = {"altair": "6.3.0", "vl_convert": "1.9.0.post1"}
FRANCE = Territory.france()


@pytest.fixture(scope="module")
def tiny_charts():
    flows = tiny_trade_flows()
    return {
        "butterfly": butterfly_chart(partners(flows, FRANCE)),
        "treemap": treemap_chart(products(flows, FRANCE)),
        "sankey": sankey_chart(sankey_links(flows, FRANCE, flow="export", k=2)),
    }


@pytest.fixture(scope="module")
def indre_charts(fictitious):
    indre = Territory.resolve("36")
    flows = fictitious.flows
    return {
        "butterfly": butterfly_chart(partners(flows, indre)),
        "treemap": treemap_chart(products(flows, indre)),
        "sankey": sankey_chart(sankey_links(flows, indre, flow="import")),
    }


def datasets(spec):
    return list(spec.get("datasets", {}).values())


# --------------------------------------------------------------------------- spec tests


def test_charts_have_no_config_and_compose(tiny_charts):
    for chart in tiny_charts.values():
        config = chart.to_dict().get("config", {})
        assert set(config) <= {"view"}  # Altair's own default only: no theme baked in
        assert "locale" not in config
    alt.vconcat(*tiny_charts.values()).to_dict()  # composes without TypeError


def test_butterfly_spec(tiny_charts):
    spec = tiny_charts["butterfly"].to_dict()
    left, middle, right, _balance = spec["hconcat"]
    assert left["title"]["text"] == "Importations"
    assert right["title"]["text"] == "Exportations"
    assert left["layer"][0]["mark"]["color"] == DEFAULT.imports
    assert right["layer"][0]["mark"]["color"] == DEFAULT.exports
    # one shared domain for imports and exports, the left one mirrored
    lx = left["layer"][0]["encoding"]["x"]["scale"]
    rx = right["layer"][0]["encoding"]["x"]["scale"]
    assert lx["domain"] == rx["domain"]
    assert lx["reverse"] is True
    assert middle["mark"]["type"] == "text"
    rows = datasets(spec)[0]
    labels = {r["code"]: (r["balance_label"], r["balance_color"]) for r in rows}
    assert labels["US"] == (
        "0,0",
        DEFAULT.surplus,
    )  # +1 100 € rounds to 0,0 M€: no sign
    assert labels["CN"] == ("0,0", DEFAULT.deficit)  # −300 €


def test_treemap_spec_colours_and_other_tint(tiny_charts):
    spec = tiny_charts["treemap"].to_dict()
    tiles = list(datasets(spec)[0])
    fills = {(t["flow"], t["code"]): t["fill"] for t in tiles}
    assert fills[("import", "C14Z")] == DEFAULT.imports
    assert fills[("export", "C20B")] == DEFAULT.exports
    rect = spec["layer"][0]
    assert rect["mark"]["type"] == "rect"
    assert rect["encoding"]["x"]["scale"] is None


def test_treemap_other_is_lighter():
    flows = tiny_trade_flows()
    spec = treemap_chart(products(flows, FRANCE, n=1)).to_dict()
    tiles = datasets(spec)[0]
    other = next(t for t in tiles if t["code"] == "AUTRES" and t["flow"] == "export")
    assert other["fill"] == blend(DEFAULT.exports, 0.45)


def test_sankey_spec_highlighted_links_red_on_top(tiny_charts):
    spec = tiny_charts["sankey"].to_dict()
    grey, red = spec["layer"][0], spec["layer"][1]
    assert grey["mark"]["type"] == "area"
    assert grey["mark"]["color"] == DEFAULT.link
    assert red["mark"]["color"] == DEFAULT.highlight
    assert red["mark"]["interpolate"] == "monotone"
    assert "opacity" not in red["mark"]  # fillOpacity only: opacity slows PNG 4x
    by_name = spec["datasets"]
    red_rows = by_name[red["data"]["name"]]
    assert {(r["source"], r["target"]) for r in red_rows} == {
        ("C20B", "CN"),
        ("C21Z", "US"),
    }


def test_colorblind_palette(tiny_charts):
    flows = tiny_trade_flows()
    spec = sankey_chart(
        sankey_links(flows, FRANCE, flow="export"), colors="colorblind"
    ).to_dict()
    assert spec["layer"][1]["mark"]["color"] == COLORBLIND.highlight
    with pytest.raises(ValueError, match="unknown palette"):
        treemap_chart(products(flows, FRANCE), colors="rainbow")


def test_short_labels():
    flows = tiny_trade_flows()
    spec = treemap_chart(
        products(flows, FRANCE), short_labels={"C21Z": "Pharma"}
    ).to_dict()
    names = {t["code"]: t["name"] for t in datasets(spec)[0]}
    assert names["C21Z"] == "Pharma"


def test_theme_locale_and_font_stack():
    config = chart_spec(alt.Chart().mark_point())["config"]
    assert config["locale"]["number"]["decimal"] == ","
    assert config["font"].endswith("sans-serif")
    with pytest.raises(ValueError, match="sans-serif"):
        Theme(font="Nonexistent Font").config()


def test_specs_validate_against_the_vega_lite_schema(indre_charts):
    for chart in indre_charts.values():
        chart.to_dict(validate=True)


# --------------------------------------------------------------------------- rendering


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf", "html"])
def test_save_every_format(tmp_path, tiny_charts, fmt):
    out = save_chart(tiny_charts["treemap"], tmp_path / f"chart.{fmt}")
    head = out.read_bytes()[:16]
    expected = {
        "svg": b"<svg",
        "png": b"\x89PNG",
        "pdf": b"%PDF",
        "html": b"<!DOCTYPE html>",
    }[fmt]
    assert head.lower().startswith(expected.lower())
    if fmt == "html":
        html = out.read_text()
        assert "cdn.jsdelivr" not in html  # self-contained, works offline


def test_unknown_format(tmp_path, tiny_charts):
    with pytest.raises(ValueError, match="format"):
        save_chart(tiny_charts["treemap"], tmp_path / "chart.gif")


def test_svg_is_deterministic(tiny_charts):
    chart = tiny_charts["sankey"]
    assert render_chart(chart, "svg") == render_chart(chart, "svg")


def dark_pixels(png: bytes, box: tuple[int, int, int, int]) -> int:
    from PIL import Image

    image = np.asarray(Image.open(io.BytesIO(png)).convert("L").crop(box))
    return int((image < 100).sum())


def test_png_contains_text(indre_charts):
    # Label columns of the Sankey hold nothing but text: dark pixels there prove
    # the font was found (a missing font silently removes all text).
    png = render_chart(indre_charts["sankey"], "png", scale=1)
    assert dark_pixels(png, (0, 0, 60, 560)) > 200
    missing_font = Theme(font="Nonexistent Font, sans-serif")
    png = render_chart(indre_charts["sankey"], "png", scale=1, theme=missing_font)
    assert dark_pixels(png, (0, 0, 60, 560)) > 200  # falls back to sans-serif


def test_text_metrics_match_the_renderer():
    from frtrade.layouts.text import text_width

    for text in ("Produits pharmaceutiques", "États-Unis", "1\u202f274,7\u202fM€"):
        for bold in (False, True):
            spec = {
                "width": 400, "height": 20, "background": "white", "padding": 0,
                "data": {"values": [{"t": text}]},
                "mark": {"type": "text", "fontSize": 12, "align": "left", "x": 0, "y": 10,
                         "fontWeight": "bold" if bold else "normal", "font": "Arial, sans-serif"},
                "encoding": {"text": {"field": "t"}},
                "config": {"view": {"stroke": None}},
            }  # fmt: skip
            from PIL import Image

            png = vl_convert.vegalite_to_png(spec, scale=1)
            image = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
            cols = np.where((image < 200).any(axis=0))[0]
            measured = cols.max() - cols.min() + 1
            assert abs(measured - text_width(text, 12, bold=bold)) <= 3


# --------------------------------------------------------------------------- snapshots


def versions_pinned() -> bool:
    from importlib.metadata import version

    return (
        version("altair") == PINNED["altair"]
        and version("vl-convert-python") == PINNED["vl_convert"]
    )


@pytest.mark.parametrize("name", ["butterfly", "treemap", "sankey"])
def test_svg_snapshots(tiny_charts, name):
    """Golden SVGs; regenerate with `make snapshots` after a deliberate change."""
    if not versions_pinned():
        pytest.skip(
            f"snapshots were made with {PINNED}; run `make snapshots` to refresh"
        )
    svg = render_chart(tiny_charts[name], "svg").decode()
    path = SNAPSHOTS / f"{name}.svg"
    if os.environ.get("FRTRADE_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(svg)
        (SNAPSHOTS / "versions.json").write_text(
            json.dumps({**PINNED, "vega_lite": VEGALITE_VERSION}, indent=2) + "\n"
        )
    assert path.exists(), "no snapshot yet: run `make snapshots`"
    assert svg == path.read_text()


def test_sankey_without_moved_labels():
    # Few nodes: no label has to move, so no leader line (an empty layer must still build).
    links = sankey_links(tiny_trade_flows(), Territory.resolve("36"), flow="import")
    spec = sankey_chart(links).to_dict()
    assert spec["layer"][3]["mark"]["type"] == "rule"


# --------------------------------------------------------------------------- robustness

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from frtrade.testing import trade_flows  # noqa: E402


@settings(max_examples=15)
@given(flows=trade_flows(min_rows=1, max_rows=30), n=st.integers(1, 6))
def test_every_chart_builds_a_valid_spec_on_any_table(flows, n):
    for territory in (FRANCE, Territory.resolve("36")):
        if territory.mask(flows).any():
            butterfly_chart(partners(flows, territory, n=n)).to_dict(validate=True)
            treemap_chart(products(flows, territory, n=n)).to_dict(validate=True)
            for flow in ("export", "import"):
                links = sankey_links(
                    flows, territory, flow=flow, n_products=n, n_countries=n
                )
                if (links.value_eur > 0).any():
                    sankey_chart(links).to_dict(validate=True)
