from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import altair as alt
import numpy as np
import pytest
import vl_convert

from frtrade import _vega
from frtrade.charts import (
    COLORBLIND,
    DEFAULT,
    butterfly_chart,
    sankey_chart,
    treemap_chart,
)
from frtrade.charts.theme import Theme, blend
from frtrade.indicators import partners, products, sankey_links
from frtrade.render import (
    VEGALITE_VERSION,
    chart_spec,
    render_chart,
    render_formats,
    save_chart,
)
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
    assert left["title"]["text"] == "Importations (M€)"
    assert right["title"]["text"] == "Exportations (M€)"
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
                         "fontWeight": "bold" if bold else "normal", "font": Theme().font},
                "encoding": {"text": {"field": "t"}},
                "config": {"view": {"stroke": None}},
            }  # fmt: skip
            from PIL import Image

            png = render_formats(alt.Chart.from_dict(spec), ["png"], scale=1)["png"]
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


@settings(max_examples=6)  # each example validates ~8 specs (0.3 s each)
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


# --------------------------------------------------------------------------- issue 10 / 12


def test_theme_uses_the_shipped_font():
    from frtrade.fonts import FONT_FAMILY

    assert Theme().font.split(",")[0] == FONT_FAMILY == "Liberation Sans"


def test_render_formats_runs_vega_once(monkeypatch, tiny_charts):
    import frtrade.render as render

    calls = []
    real_svg = vl_convert.vegalite_to_svg

    def counting_svg(*args, **kwargs):
        calls.append("svg")
        return real_svg(*args, **kwargs)

    def forbidden(*args, **kwargs):
        raise AssertionError("a second Vega run")

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", counting_svg)
    monkeypatch.setattr(vl_convert, "vegalite_to_png", forbidden)
    monkeypatch.setattr(vl_convert, "vegalite_to_pdf", forbidden)
    out = render.render_formats(tiny_charts["sankey"], ["png", "svg", "pdf"])
    assert calls == ["svg"]
    assert list(out) == ["png", "svg", "pdf"]
    assert isinstance(out["svg"], str)
    assert out["svg"].startswith("<svg")
    assert out["png"][:4] == b"\x89PNG"
    assert out["pdf"][:4] == b"%PDF"
    # The PNG is the rasterised SVG, so both show the same picture (the
    # picture itself is compared with resvg's in test_png_is_the_picture_resvg_draws).
    assert out["png"] == _vega.svg_to_png(out["svg"], scale=2.0)
    with pytest.raises(ValueError, match="gif"):
        render.render_formats(tiny_charts["sankey"], ["gif"])


@pytest.mark.parametrize("kind", ["sankey", "butterfly", "treemap"])
def test_png_is_the_picture_resvg_draws(kind, tiny_charts):
    """PDFium's PNG of the SVG shows what vl-convert's own rasteriser (resvg) shows.

    Same size (floor of width × scale), same colours in the same places: only
    anti-aliased edges may differ. A swapped channel order, a shift or a
    scaling error moves every edge and fails the mean.
    """
    from PIL import Image

    svg = render_formats(tiny_charts[kind], ["svg"])["svg"]
    assert isinstance(svg, str)
    ours = Image.open(io.BytesIO(_vega.svg_to_png(svg, scale=2.0)))
    theirs = Image.open(io.BytesIO(bytes(vl_convert.svg_to_png(svg, scale=2.0))))
    assert ours.mode == theirs.mode == "RGBA"
    assert ours.size == theirs.size
    assert ours.info["dpi"] == pytest.approx(theirs.info["dpi"], abs=0.01)
    diff = np.abs(np.asarray(ours, dtype=int) - np.asarray(theirs, dtype=int)).max(
        axis=2
    )
    assert diff.mean() < 3.0
    assert (diff > 64).mean() < 0.01


def test_every_chart_of_a_fiche_is_the_picture_resvg_draws():
    """Every kind of the fiche's charts (evolution, exposure, position too), titled."""
    from PIL import Image

    from frtrade.datasets import load_fictitious_dataset
    from frtrade.fiche import build_fiche

    data = load_fictitious_dataset()
    fiche = build_fiche(data.flows, Territory.resolve("13"), labels=data.labels)
    charts = fiche.charts(standalone=True)
    assert {"evolution", "exposition", "position", "partenaires", "produits"} <= set(
        charts
    )
    for stem, chart in charts.items():
        svg = render_formats(chart, ["svg"])["svg"]
        assert isinstance(svg, str)
        ours = Image.open(io.BytesIO(_vega.svg_to_png(svg)))
        theirs = Image.open(io.BytesIO(bytes(vl_convert.svg_to_png(svg, scale=2.0))))
        assert ours.size == theirs.size, stem
        diff = np.abs(np.asarray(ours, dtype=int) - np.asarray(theirs, dtype=int)).max(
            axis=2
        )
        assert diff.mean() < 3.0, stem
        assert (diff > 64).mean() < 0.01, stem


def test_png_size_scale_and_transparency():
    """vl-convert's size rule, the content scaled from the top left, nothing drawn: transparent."""
    from PIL import Image

    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10.6">'
        '<rect x="2" y="3" width="5" height="4" fill="#ff0000"/></svg>'
    )
    cases = [(2.0, None, (40, 21)), (3.0, None, (60, 31)), (1.5, None, (30, 15))]
    cases += [(2.0, 144, (80, 42)), (1.0, 96, (26, 14)), (0.5, 300, (41, 22))]
    for scale, ppi, size in cases:
        png = _vega.svg_to_png(svg, scale=scale, ppi=ppi)
        theirs = bytes(vl_convert.svg_to_png(svg, scale=scale, ppi=ppi))
        assert theirs[16:24] == png[16:24]  # width and height: vl-convert's
        image = Image.open(io.BytesIO(png))
        assert image.size == size
        dpi = Image.open(io.BytesIO(theirs)).info["dpi"]
        assert image.info["dpi"] == pytest.approx(dpi, abs=0.01)
        assert dpi == pytest.approx((ppi or 72,) * 2, abs=0.05)  # in pixels per metre
        zoom = scale * (ppi or 72) / 72
        pixels = np.asarray(image)
        inside = pixels[round(3 * zoom) + 1 : round(7 * zoom) - 1, round(2 * zoom) + 1]
        assert (inside == [255, 0, 0, 255]).all()
        assert (pixels[0, 0] == 0).all()
        assert (pixels[-1, -1] == 0).all()
    with pytest.raises(ValueError, match="no pixel"):
        _vega.svg_to_png(svg, scale=0.01)
    with pytest.raises(ValueError, match="ppi must be positive"):
        _vega.svg_to_png(svg, ppi=0)


def test_pdf_embeds_the_shipped_font(tiny_charts):
    import re

    pdf = render_formats(tiny_charts["butterfly"], ["pdf"])["pdf"]
    assert isinstance(pdf, bytes)
    fonts = {f.split(b"+")[-1] for f in re.findall(rb"/BaseFont\s*/(\S+)", pdf)}
    assert fonts == {b"LiberationSans", b"LiberationSans-Bold"}


def test_png_size_follows_the_spec(tiny_charts):
    from PIL import Image

    out = render_formats(tiny_charts["treemap"], ["svg", "png"], scale=2)
    width = int(str(out["svg"]).split('width="')[1].split('"')[0])
    png = Image.open(io.BytesIO(out["png"]))  # type: ignore[arg-type]
    assert png.size[0] == 2 * width


def title_of(spec):
    return spec["title"]["text"], spec["title"].get("subtitle")


def test_charts_stand_alone_with_title_subtitle_and_source():
    flows = tiny_trade_flows()
    kwargs = {
        "title": "Exportations de la France",
        "subtitle": "2024, en millions d\u2019euros",
        "source": "Source : DGDDI – DSECE",
    }
    charts = [
        butterfly_chart(partners(flows, FRANCE), **kwargs),
        treemap_chart(products(flows, FRANCE), **kwargs),
        sankey_chart(sankey_links(flows, FRANCE, flow="export"), **kwargs),
    ]
    for chart in charts:
        spec = chart.to_dict()
        assert title_of(spec) == (kwargs["title"], kwargs["subtitle"])
        texts = json.dumps(spec, ensure_ascii=False)
        assert "Source : DGDDI – DSECE" in texts
        svg = render_formats(chart, ["svg"])["svg"]
        assert "Source : DGDDI – DSECE" in str(svg)
        assert kwargs["title"] in str(svg)
    # Without them: no title, no source line.
    bare = sankey_chart(sankey_links(flows, FRANCE, flow="export")).to_dict()
    assert "title" not in bare
    assert "Source" not in json.dumps(bare, ensure_ascii=False)


def test_accessible_descriptions_are_french_sentences(indre_charts, fictitious):
    indre = Territory.resolve("36")
    chart = butterfly_chart(partners(fictitious.flows, indre))
    rows = datasets(chart.to_dict())[0]
    germany = next(r for r in rows if r["code"] == "DE")
    assert germany["export_desc"] == (
        f"Exportations, Allemagne\u00a0: {germany['export_label']}\u202fM€"
    )
    svg = str(render_formats(indre_charts["sankey"], ["svg"])["svg"])
    labels = re.findall(r'aria-label="([^"]*)"', svg)
    assert any(label.startswith("Importations, ") for label in labels)
    for label in labels:  # never Vega-Lite's default "x0: 12; y0: 40" descriptions
        assert not re.search(r"\b(x0|y0|x|y|y2|link_id|value_eur)\s*:", label), label
    for name in ("butterfly", "treemap", "sankey"):
        assert indre_charts[name].to_dict()["description"]


def test_butterfly_balance_uses_the_bars_scale(fictitious):
    chart = butterfly_chart(partners(fictitious.flows, Territory.resolve("13")))
    spec = chart.to_dict()
    left, _, right, balance = spec["hconcat"]
    bars = right["layer"][0]["encoding"]["x"]["scale"]["domain"]
    px_per_meur = right["width"] / (bars[1] - bars[0])
    low, high = balance["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert balance["width"] / (high - low) == pytest.approx(px_per_meur)
    assert left["title"]["text"] == "Importations (M€)"
    assert right["title"]["text"] == "Exportations (M€)"
    assert balance["title"]["text"] == "Solde (M€)"


def test_treemap_chart_has_its_numbered_key(fictitious):
    table = products(fictitious.flows, Territory.resolve("13"), level="a38")
    spec = treemap_chart(table).to_dict()
    tiles = datasets(spec)[0]
    keyed = [t for t in tiles if t["keyed"]]
    assert keyed, "Bouches-du-Rhône has small tiles"
    key_layer = spec["layer"][5]
    key_rows = spec["datasets"][key_layer["data"]["name"]]
    assert {(r["code"], r["number"]) for r in key_rows} == {
        (t["code"], str(t["key_number"])) for t in keyed
    }
    assert spec["height"] > 380  # the key adds to the chart


def test_shipped_font_is_registered_once(monkeypatch):
    import frtrade._vega as vega
    from frtrade.fonts import FONT_DIR

    calls = []
    monkeypatch.setattr(vega, "_fonts_registered", False)
    monkeypatch.setattr(vega, "_builtin_font_only", False)  # a user's process
    monkeypatch.setattr(vl_convert, "register_font_directory", calls.append)
    vega.vl_convert()
    vega.vl_convert()
    assert calls == [str(FONT_DIR)]


# The system's own "Liberation Sans" (Debian: 1.07.4, no U+202F, '·' 569 units
# wide) must not win over the shipped 2.1.5 ('·' 682 units) in vl-convert.
SYSTEM_LIBERATION = Path(
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"
)


def _width_spec(char: str) -> dict[str, object]:
    """40 ``char`` at 2048/40 px: the picture is one advance wide, in font units."""
    return {
        "padding": 0, "width": 1, "height": 1, "config": {"view": {"stroke": None}},
        "data": {"values": [{"t": char * 40}]},
        "mark": {"type": "text", "font": "Liberation Sans", "fontSize": 51.2,
                 "align": "left", "baseline": "top"},
        "encoding": {"text": {"field": "t"}},
    }  # fmt: skip


# argv: the mode (guarded / unguarded: the shipped fonts listed first or not;
# builtin: a render process; default: a user's process) and the spec
_MEASURE = """
import contextlib, json, re, sys
import frtrade._vega as vega
if sys.argv[1] == "unguarded":
    vega.shipped_fonts_first = contextlib.nullcontext
if sys.argv[1] == "builtin":
    assert vega.use_builtin_font()
spec = json.loads(sys.argv[2])
print(re.search(r'width="([0-9.]+)"', vega.vl_convert().vegalite_to_svg(spec)).group(1))
print(vega.use_builtin_font())
"""


def _measurer(tmp_path: Path, folder: Path):
    """Measure a character's width in a new process whose fontconfig lists ``folder``."""
    import subprocess
    import sys

    import frtrade

    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{folder}</dir></fontconfig>',
        encoding="utf-8",
    )
    src = str(Path(frtrade.__file__).resolve().parents[1])
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "PYTHONPATH": src}

    def measure(mode: str, char: str) -> tuple[float, str]:
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE, mode, json.dumps(_width_spec(char))],
            env=env, capture_output=True, text=True, check=True, timeout=120,
        )  # fmt: skip
        width, late = done.stdout.split()
        return float(width), late

    return measure


@pytest.mark.skipif(
    not SYSTEM_LIBERATION.exists(),
    reason="no other Liberation Sans installed here to compete with the shipped one",
)
def test_charts_measure_text_with_the_shipped_font_not_the_systems(tmp_path):
    measure = _measurer(tmp_path, SYSTEM_LIBERATION.parent)

    def width(mode: str) -> float:
        return measure(mode, "\u00b7")[0]

    assert width("guarded") == pytest.approx(682, abs=1)  # the shipped 2.1.5
    assert width("unguarded") == pytest.approx(569, abs=1)  # what won before: 1.07
    assert os.environ.get("FONTCONFIG_FILE") != str(tmp_path / "fonts.conf")


# A render process draws from vl-convert's built-in Liberation Sans 2.00.1, in
# memory, and reads no font file: listed fonts of the same family do not win.
# '⁴' tells the copies apart: 682 units in 2.00.1, 880 in the shipped 2.1.5.
def test_render_processes_draw_with_the_builtin_font_from_memory(tmp_path):
    import shutil

    from frtrade.fonts import FONT_FILES

    listed = tmp_path / "listed"
    listed.mkdir()
    shutil.copy(FONT_FILES["regular"], listed)
    measure = _measurer(tmp_path, listed)

    assert measure("builtin", "\u2074") == (pytest.approx(682, abs=1), "True")
    # a user's process: the shipped files, listed first, as before
    assert measure("default", "\u2074") == (pytest.approx(880, abs=1), "False")
    # the copies agree on the characters of the fiches
    assert measure("builtin", "\u00b7")[0] == pytest.approx(682, abs=1)
    assert measure("builtin", "\u202f")[0] == measure("default", "\u202f")[0]


def test_render_pool_processes_use_the_builtin_font():
    from frtrade.render import RenderPool

    with RenderPool(1) as pool:
        svg = str(
            pool.submit(_width_spec("\u2074"), ("svg",)).result(timeout=120)["svg"]
        )
    width = re.search(r'width="([0-9.]+)"', svg)
    assert width is not None
    assert float(width.group(1)) == pytest.approx(682, abs=1)


def test_missing_glyphs_are_named_in_a_warning():
    from frtrade._vega import missing_glyphs
    from frtrade.errors import MissingGlyphWarning

    french = "Exportations\u202f: 1\u202f234,5\u00a0M€ « Côte d’Ivoire » – œuvre…"
    assert missing_glyphs(french) == []
    assert missing_glyphs("Kraków Ελλάδα Россия") == []
    assert missing_glyphs("₿ 北京 ‐") == ["‐", "₿", "京", "北"]

    chart = (
        alt.Chart(alt.Data(values=[{"a": "Pékin 北京"}])).mark_text().encode(text="a:N")
    )
    with pytest.warns(MissingGlyphWarning) as caught:
        chart_spec(chart)
    message = str(caught[0].message)
    assert "« 北 » (U+5317)" in message
    assert "« 京 » (U+4EAC)" in message
    assert "(U+00E9)" not in message  # « é » of Pékin is drawn

    import warnings

    from frtrade.render import render_titled

    with pytest.warns(MissingGlyphWarning, match="U\\+20BF"):
        render_titled(chart_spec(alt.Chart().mark_point()), {"text": "₿"}, ["svg"], [])

    fine = alt.Chart(alt.Data(values=[{"a": french}])).mark_text().encode(text="a:N")
    with warnings.catch_warnings():
        warnings.simplefilter("error", MissingGlyphWarning)
        chart_spec(fine)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.just(0.0)),
            st.integers(-(2**40), 2**40),
            st.booleans(),
            st.one_of(st.none(), st.text(max_size=5)),
        ),
        max_size=12,
    )
)
def test_inline_from_arrays_gives_the_rows_of_the_frame(rows):
    import pandas as pd

    from frtrade.charts._common import inline

    frame = pd.DataFrame(rows, columns=["f", "i", "b", "s"])
    frame = frame.astype({"f": float, "i": "int64", "b": bool, "s": "str"})
    arrays = {name: frame[name].to_numpy() for name in frame.columns}
    expected = inline(frame).values
    assert inline(arrays).values == expected
    assert all(v is None or np.isfinite(v) for row in expected for v in [row["f"]])
    assert [row["s"] for row in expected] == [r[3] for r in rows]


def test_sankey_ribbons_carry_their_link_texts():
    links = sankey_links(tiny_trade_flows(), Territory.france(), flow="export")
    spec = sankey_chart(links).to_dict()
    ribbons = [
        row
        for layer in spec["layer"][:2]
        for row in spec["datasets"][layer["data"]["name"]]
    ]
    by_link = {}
    for row in ribbons:
        by_link.setdefault(row["link_id"], []).append(row)
    assert len(by_link) == len(links)
    for rows in by_link.values():
        assert len(rows) == 4
        assert len({(r["source"], r["target"], r["description"]) for r in rows}) == 1
        first = rows[0]
        assert first["description"].startswith(
            f"Exportations, {first['source_name']}, "
        )
        assert first["description"].endswith(first["value_label"])
        assert first["y"] < first["y2"]
