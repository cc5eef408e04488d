"""Issue 12: every fast path gives exactly what the slow one gave.

- ``charts._common.inline`` writes the rows Altair's own DataFrame conversion writes;
- a writer's file-variant spec (fiche chart + ``standalone_title``) is the spec of
  ``chart(stem, standalone=True)``;
- a :class:`RenderPool` renders byte-identical files, and a dead render process
  costs time, never a file;
- ``fiche.write`` gives the same files with and without the pool;
- the untitled SVG derived from a chart file's SVG (one Vega run per chart) is,
  byte for byte, the SVG Vega draws for the fiche's chart, on every chart of the
  hard territories; and where the derivation cannot be sure, Vega draws it;
- the embedded dataset read from the on-disk cache is the parsed one.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
import signal

import altair as alt
import hypothesis.strategies as st
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from frtrade import _vega
from frtrade._vega import untitled_svg
from frtrade.charts._common import Rows, inline
from frtrade.fiche import build_fiche
from frtrade.fiche._fiche import _chart_kwargs
from frtrade.fiche._write import WriteContext, _Prepared
from frtrade.render import (
    RenderPool,
    RenderPoolBrokenError,
    chart_spec,
    render_formats,
    render_spec,
    render_titled,
)
from frtrade.territories import Territory
from frtrade.testing import tiny_trade_flows


def _altair_rows(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The rows Altair itself writes for a DataFrame (its default transformer)."""
    spec = alt.Chart(frame).mark_point().to_dict(validate=False)
    return spec["datasets"][spec["data"]["name"]]


floats = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from([0.0, -0.0, 1e-300, 1e300]),
)


@settings(max_examples=60, deadline=None)
@given(
    numbers=st.lists(floats, min_size=0, max_size=8),
    data=st.data(),
)
def test_inline_rows_are_altairs_rows(numbers, data):
    n = len(numbers)
    texts = data.draw(
        st.lists(st.one_of(st.none(), st.text(max_size=6)), min_size=n, max_size=n)
    )
    ints = data.draw(st.lists(st.integers(-(2**53), 2**53), min_size=n, max_size=n))
    flags = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    frame = pd.DataFrame(
        {
            "x": pd.Series(numbers, dtype=float),
            "label": pd.Series(texts, dtype="str"),
            "objects": pd.Series(texts, dtype=object),
            "count": pd.Series(ints, dtype="int64"),
            "flag": pd.Series(flags, dtype=bool),
        }
    )
    ours = inline(frame).values
    # Altair 6.3 on pandas 3 leaves NaN (invalid JSON) for a missing value of an
    # object column; inline writes null there, and exactly Altair's rows elsewhere.
    theirs = [
        {
            k: None if isinstance(v, float) and math.isnan(v) else v
            for k, v in row.items()
        }
        for row in _altair_rows(frame)
    ]
    text = json.dumps(ours, sort_keys=True, allow_nan=False)  # valid JSON
    assert text == json.dumps(theirs, sort_keys=True)
    for row in ours:
        assert row["x"] is None or math.isfinite(row["x"])


def test_inline_shares_rows_across_altair_copies():
    rows = inline(pd.DataFrame({"a": [1.0, 2.0]}))
    chart = alt.Chart(rows).mark_point().encode(x=alt.X("a:Q"))
    layered = alt.layer(chart, chart.mark_line()).properties(width=10)
    assert isinstance(rows, Rows)
    assert layered.data is rows or all(layer.data is rows for layer in layered.layer)
    spec = layered.to_dict()  # validates against the Vega-Lite schema
    assert list(spec["datasets"].values()) == [[{"a": 1.0}, {"a": 2.0}]]


def test_inline_refuses_what_altair_would_refuse():
    with pytest.raises(ValueError, match="column names"):
        inline(pd.DataFrame({0: [1]}))
    with pytest.raises(TypeError, match="dates"):
        inline(pd.DataFrame({"d": pd.to_datetime(["2024-01-01"])}))


@pytest.fixture(scope="module")
def fictitious():
    from frtrade.datasets import load_fictitious_dataset

    return load_fictitious_dataset()


#: Territories (and a palette each) the speed paths are checked on.
HARD_TERRITORIES = [
    ("13", "default"),
    ("9E", "colorblind"),
    ("76", "default"),
    ("75", "colorblind"),
    ("99", "default"),
    ("region-93", "colorblind"),
    ("france", "default"),
    ("groupe-03-18-36", "default"),
]


def _fiche_of(fictitious, code, colors):
    """The fiche of a département code or a slug (région, France, group)."""
    territory = (
        Territory.from_slug(code) if not code[0].isdigit() else Territory.resolve(code)
    )
    return build_fiche(
        fictitious.flows,
        territory,
        report=fictitious.report,
        labels=fictitious.labels,
        colors=colors,
    )


@pytest.mark.parametrize(
    ("code", "colors"),
    [
        ("36", "default"),
        ("13", "colorblind"),
        ("9E", "default"),
        ("75", "colorblind"),
        ("region-93", "default"),
        ("france", "colorblind"),
    ],
)
def test_file_variant_is_the_fiche_chart_with_its_standalone_title(
    fictitious, code, colors
):
    fiche = _fiche_of(fictitious, code, colors)
    context = WriteContext(("svg", "png"))
    assert fiche.stems()
    for stem in fiche.stems():
        # what the writer hands to render_titled for the chart file
        derived = {
            **chart_spec(context._prepared(fiche, stem)),
            "title": fiche.standalone_title(stem),
        }
        built = chart_spec(_Prepared(fiche.chart(stem, standalone=True)))
        assert json.dumps(derived, sort_keys=True) == json.dumps(built, sort_keys=True)
        assert derived["title"]["text"]  # every chart file says what it shows


@pytest.mark.parametrize(("code", "colors"), HARD_TERRITORIES)
def test_fiche_charts_built_without_layer_copies_are_altairs_charts(
    fictitious, code, colors
):
    """The writer's charts (validation off, layers shared) have Altair's own specs."""
    fiche = _fiche_of(fictitious, code, colors)
    kwargs = _chart_kwargs(title=None, subtitle=None, fictitious=fiche.fictitious)
    for stem in fiche.stems():
        fast = _Prepared(fiche._drawn_chart(stem)).to_dict(validate=False)
        plain = fiche._chart(stem, kwargs).to_dict()  # validated, every copy deep
        public = fiche.chart(stem).to_dict()
        assert json.dumps(fast, sort_keys=True) == json.dumps(plain, sort_keys=True)
        assert json.dumps(public, sort_keys=True) == json.dumps(plain, sort_keys=True)


def _unit_charts(chart):
    if isinstance(chart, alt.Chart):
        return [chart]
    found = []
    for key in ("layer", "hconcat", "vconcat"):
        for sub in getattr(chart, "_kwds", {}).get(key, None) or []:
            found += _unit_charts(sub)
    return found


def _parts(obj, seen):
    """ids of the schema objects, lists and dicts below ``obj`` (data excepted)."""
    from altair.utils.schemapi import SchemaBase

    if isinstance(obj, Rows):
        return
    if isinstance(obj, SchemaBase):
        seen.add(id(obj))
        for value in obj._kwds.values():
            _parts(value, seen)
    elif isinstance(obj, list | dict):
        seen.add(id(obj))
        for value in obj.values() if isinstance(obj, dict) else obj:
            _parts(value, seen)


def test_charts_handed_to_users_share_no_part_between_layers(fictitious):
    """Fiche.chart builds with Altair's deep copies: editing a layer edits only it."""
    fiche = _fiche_of(fictitious, "13", "default")
    for stem in fiche.stems():
        for chart in (fiche.chart(stem), fiche.chart(stem, standalone=True)):
            owners: dict[int, int] = {}
            for index, layer in enumerate(_unit_charts(chart)):
                ids: set[int] = set()
                for key, value in layer._kwds.items():
                    if key != "data":
                        _parts(value, ids)
                for part in ids:
                    assert owners.setdefault(part, index) == index, (stem, part)


def test_layers_are_deep_copied_outside_the_fiche_building():
    import threading

    from frtrade.charts._common import Chart, sharing_layers

    def make() -> Chart:
        return Chart(inline(pd.DataFrame({"a": [1.0]}))).mark_point().encode(x="a:Q")

    layer = make()
    copied = layer.copy()
    copied.encoding.x["title"] = "changed"
    assert "title" not in layer.to_dict()["encoding"]["x"]  # Altair's deep copy

    seen = {}

    def elsewhere() -> None:  # another thread while this one builds
        other = make()
        twin = other.copy()
        seen["shared"] = twin.encoding is other.encoding

    with sharing_layers():
        inside = layer.copy()
        assert inside is not layer
        assert inside.encoding is layer.encoding  # shared while building
        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
    assert seen == {"shared": False}
    assert layer.copy().encoding is not layer.encoding  # back to deep copies
    import copy

    assert copy.deepcopy(layer).encoding is not layer.encoding


@pytest.mark.parametrize(("code", "colors"), HARD_TERRITORIES)
def test_untitled_svg_is_what_vega_draws(fictitious, code, colors):
    fiche = _fiche_of(fictitious, code, colors)
    derived = []
    for stem in fiche.stems():
        spec = chart_spec(_Prepared(fiche.chart(stem)))
        title = fiche.standalone_title(stem)
        titled = render_spec({**spec, "title": title}, ["svg"])["svg"]
        vega = render_spec(spec, ["svg"])["svg"]
        bare = untitled_svg(str(titled), spec, title)
        if bare is not None:
            assert bare == vega, stem
            derived.append(stem)
        # through the public function, derived or not: Vega's bytes
        pair = render_titled(spec, title, ["svg"], ["svg"])
        assert pair == ({"svg": titled}, {"svg": vega})
    # every chart but the ranking (its fiche chart has a title of its own)
    assert sorted(derived) == sorted(s for s in fiche.stems() if s != "position")


def _point_spec(**extra):
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [2.0, 1.0, 3.0]})
    chart = alt.Chart(frame).mark_point().encode(x="x:Q", y="y:Q")
    return chart_spec(chart.properties(**{"width": 120, "height": 80, **extra}))


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"title": {"text": "Un titre", "anchor": "middle"}}, "centred title"),
        ({"title": {"text": "Un titre", "frame": "group"}}, "another frame"),
        ({"title": {"text": "Un titre", "dy": 3}}, "moved title"),
        ({"title": {"text": "Un titre très long " * 4, "anchor": "start"}}, "wide"),
        ({"spec": {"title": "Le sien"}}, "a title of its own"),
        ({"spec": {"autosize": {"type": "fit"}}}, "another autosize"),
        ({"spec": {"padding": 4.5}}, "fractional padding"),
    ],
)
def test_untitled_svg_refuses_what_it_cannot_be_sure_of(change, why):
    spec = {**_point_spec(), **change.get("spec", {})}
    title = change.get("title", {"text": "Un titre", "anchor": "start"})
    titled = render_spec({**spec, "title": title}, ["svg"])["svg"]
    assert untitled_svg(str(titled), spec, title) is None, why
    # the pair is still right: Vega drew the untitled chart
    pair = render_titled(spec, title, ["svg", "pdf"], ["svg"])
    assert pair[1]["svg"] == render_spec(spec, ["svg"])["svg"]
    assert pair[0]["svg"] == titled
    assert bytes(pair[0]["pdf"]).startswith(b"%PDF")


def test_untitled_svg_refuses_an_svg_of_another_shape():
    spec = _point_spec()
    title = {"text": "Un titre", "anchor": "start"}
    titled = str(render_spec({**spec, "title": title}, ["svg"])["svg"])
    assert untitled_svg(titled, spec, title) is not None
    untitled = str(render_spec(spec, ["svg"])["svg"])
    # the root's items close right after the title group
    root_end = titled.rindex('</g><path class="foreground" aria-hidden="true" d=""')
    broken = {
        "not Vega's": '<svg xmlns="http://www.w3.org/2000/svg"/>',
        "no title": untitled,
        # an item after the title: the title is no longer the root's last one
        "title not last": titled[:root_end] + "<g></g>" + titled[root_end:],
        "sizes disagree": titled.replace('viewBox="0 0 ', 'viewBox="0 0 1', 1),
    }
    assert broken["title not last"] != titled
    for why, svg in broken.items():
        assert untitled_svg(svg, spec, title) is None, why


def test_untitled_svg_derives_a_plain_chart_and_a_two_line_title():
    spec = _point_spec()
    for title in (
        {"text": "Un titre", "anchor": "start"},
        {"text": ["Deux", "lignes"], "subtitle": "et un sous-titre", "anchor": "start"},
        {"text": "Décalé", "anchor": "start", "offset": 13, "subtitlePadding": 7,
         "subtitle": "sous-titre", "fontSize": 17.5},
    ):  # fmt: skip
        titled = render_spec({**spec, "title": title}, ["svg"])["svg"]
        bare = untitled_svg(str(titled), spec, title)
        assert bare is not None, title
        assert bare == render_spec(spec, ["svg"])["svg"], title


_WORDS = [
    "Un titre",
    "Évolution des échanges, 2019–2024 – millions d'euros",
    "WWWW MMMM %%%% 8888",
    "iiii llll ....",
    "Provence-Alpes-Côte d'Azur « autres » œuvres",
]


@pytest.mark.parametrize(
    "layout",
    [
        {"anchor": "start"},
        {"anchor": "start", "subtitle": "", "fontSize": 15, "fontWeight": "bold"},
        {"anchor": "start", "offset": 8, "subtitleFontSize": 12, "subtitle": "s"},
        {"anchor": "start", "fontSize": 17.5, "subtitlePadding": 7, "subtitle": "s"},
    ],
)
def test_title_block_height_depends_on_the_layout_not_the_words(layout):
    # _title_box measures the block once per layout: Vega must agree for any words
    spec = _point_spec()
    padding = _vega._padding(spec)
    blocks = set()
    for words in [*_WORDS, "北京 ₿"]:
        title = {**layout, "text": words}
        if layout.get("subtitle"):
            title["subtitle"] = words[::-1]
        blocks.add(_vega._probe_title(spec, title, padding)[0])
    assert len(blocks) == 1, blocks
    two_lines = {**layout, "text": ["Deux", "lignes"]}
    assert _vega._probe_title(spec, two_lines, padding)[0] > blocks.pop()


def test_title_width_bound_is_above_what_vega_measures():
    spec = _point_spec(width=900)
    padding = _vega._padding(spec)
    for words in _WORDS:
        for style in ({}, {"fontWeight": "bold", "fontSize": 15}, {"fontSize": 9}):
            title = {
                "anchor": "start",
                "text": words,
                "subtitle": words.upper(),
                **style,
            }
            svg = str(render_spec({**spec, "title": title}, ["svg"])["svg"])
            start = svg.rfind(_vega._TITLE)
            bound = _vega._drawn_width_bound(svg[start:])
            exact = _vega._probe_title(spec, title, padding)[1]
            # the bound is above Vega's measure, and tight enough to be useful
            assert exact <= bound <= 1.15 * exact + 4, (words, style)


@pytest.mark.parametrize(
    ("title", "why"),
    [
        ({"text": "Pékin 北京"}, "a character without a known width"),
        ({"text": "Un ½ ﬁn"}, "compatibility forms: ½ is not 1, ﬁ is not f"),
        ({"text": "Un titre", "font": "DejaVu Serif"}, "another font"),
        ({"text": "Un titre", "fontStyle": "italic"}, "italic"),
        ({"text": "Un titre", "fontWeight": 300}, "a numeric weight"),
    ],
)
def test_title_width_bound_refuses_what_it_cannot_measure(title, why):
    spec = _point_spec(width=900)
    svg = str(
        render_spec({**spec, "title": {**title, "anchor": "start"}}, ["svg"])["svg"]
    )
    start = svg.rfind(_vega._TITLE)
    assert _vega._drawn_width_bound(svg[start:]) is None, why


def test_untitled_svg_with_new_words_in_a_known_layout(monkeypatch):
    # the block measured on one title serves another of the same layout
    monkeypatch.setattr(_vega, "_BLOCKS", {})
    monkeypatch.setattr(_vega, "_CALIBRATED", {})
    spec = _point_spec(width=600)
    layout = {"anchor": "start", "fontSize": 15, "subtitle": "x", "offset": 8}
    probes = []
    real = _vega._probe_title
    monkeypatch.setattr(
        _vega, "_probe_title", lambda *a: probes.append(a[1]["text"]) or real(*a)
    )
    for words in _WORDS:
        title = {**layout, "text": words, "subtitle": words[::-1]}
        titled = render_spec({**spec, "title": title}, ["svg"])["svg"]
        assert (
            untitled_svg(str(titled), spec, title) == render_spec(spec, ["svg"])["svg"]
        )
    assert probes == [_WORDS[0]]  # Vega measured the first title only


@pytest.fixture(scope="module")
def specs():
    flows = tiny_trade_flows()
    fiche = build_fiche(flows, Territory.resolve("36"))
    return [chart_spec(fiche.chart(stem)) for stem in fiche.stems()]


def test_pool_renders_the_same_bytes(specs):
    with RenderPool(2) as pool:
        futures = [pool.submit(spec, ["svg", "png", "pdf"]) for spec in specs]
        results = [f.result(timeout=120) for f in futures]
    for spec, result in zip(specs, results, strict=True):
        here = render_spec(spec, ["svg", "png", "pdf"])
        assert result["svg"] == here["svg"]
        assert result["png"] == here["png"]
        # vl-convert's PDF is not byte-stable even in one process (the order of
        # its font subsets varies), so the PDF is compared by its page box
        box = re.compile(rb"/MediaBox \[[^\]]*\]")
        assert box.findall(result["pdf"]) == box.findall(here["pdf"])  # type: ignore[arg-type]
        assert result["pdf"][:5] == b"%PDF-"


def test_pool_sends_back_a_rendering_error(specs):
    with RenderPool(1) as pool:
        future = pool.submit(specs[0], ["gif"])
        with pytest.raises(ValueError, match="gif"):
            future.result(timeout=60)
        # the process is still serving
        assert (
            pool.submit(specs[0], ["svg"]).result(timeout=60)["svg"].startswith("<svg")
        )


def test_a_dead_render_process_fails_its_tasks_not_the_caller(specs):
    pool = RenderPool(1)
    try:
        assert pool.submit(specs[0], ["svg"]).result(timeout=60)
        os.kill(pool._processes[0].pid, signal.SIGKILL)
        pool._processes[0].wait(timeout=10)
        with pytest.raises(RenderPoolBrokenError):
            pool.submit(specs[0], ["svg"]).result(timeout=60)
        with pytest.raises(RenderPoolBrokenError):  # nobody left: refused at once
            pool.submit(specs[0], ["svg"]).result(timeout=60)
    finally:
        pool.close()


def test_write_with_and_without_pool_gives_the_same_files(tmp_path):
    fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
    formats = ["html", "svg", "png", "json"]
    here = fiche.write(tmp_path / "here", formats=formats, jobs=1)
    pooled = fiche.write(tmp_path / "pool", formats=formats, jobs=2)
    assert list(here) == list(pooled) == formats  # paths in the order asked
    for fmt in formats:
        for a, b in zip(here[fmt], pooled[fmt], strict=True):
            assert a.name == b.name
            assert a.read_bytes() == b.read_bytes(), a.name


def test_write_falls_back_to_this_process_when_the_pool_is_gone(tmp_path):
    fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
    pool = RenderPool(1)
    os.kill(pool._processes[0].pid, signal.SIGKILL)
    pool._processes[0].wait(timeout=10)
    context = WriteContext(("svg",), pool=pool)
    try:
        context.prefetch(fiche)
        svg = context.picture(fiche, "produits", "svg")
    finally:
        pool.close()
    assert svg == render_formats(fiche.chart("produits"), ["svg"])["svg"].encode()


def test_write_refuses_zero_jobs(tmp_path):
    fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
    with pytest.raises(ValueError, match="jobs"):
        fiche.write(tmp_path, formats=["svg"], jobs=0)


def test_embedded_dataset_from_the_disk_cache_is_the_parsed_one(tmp_path, monkeypatch):
    from frtrade import datasets
    from frtrade.dgddi import load_dgddi

    monkeypatch.setenv("FRTRADE_CACHE_DIR", str(tmp_path))
    files = datasets.fictitious_dataset_files()
    first = load_dgddi(*files, cache=True)
    second = load_dgddi(*files, cache=True)
    assert second.report.cache_hits
    assert not second.report.cache_misses
    assert second.report.fictitious
    assert second.report.years == first.report.years
    assert second.flows.dtypes.equals(first.flows.dtypes)
    assert second.flows.equals(first.flows)  # (assert_frame_equal takes 20 s here)
    datasets._load.cache_clear()
    try:
        cached = datasets.load_fictitious_dataset(cache=True)
    finally:
        datasets._load.cache_clear()
    assert cached.flows.equals(first.flows)
    assert np.isclose(cached.flows["value_eur"].sum(), first.flows["value_eur"].sum())


def test_a_fiche_alone_and_a_batch_fiche_draw_the_same_exposure(fictitious):
    """One indicator pass per fiche alone: the exposure chart follows ``level``
    like facts.json and like a batch (it used to stay at A129 alone)."""
    from frtrade.indicators import all_territories

    territory = Territory.resolve("36")
    tables = all_territories(
        fictitious.flows, labels=fictitious.labels, level="a38", indicators=True
    )
    alone = build_fiche(
        fictitious.flows, territory, labels=fictitious.labels, level="a38"
    )
    batch = build_fiche(
        fictitious.flows,
        territory,
        labels=fictitious.labels,
        level="a38",
        tables=tables,
    )
    mine = alone.exposure_products.reset_index(drop=True)
    assert mine.equals(batch.exposure_products.reset_index(drop=True))
    exported = mine[mine["flow"] == "export"]
    facts_codes = [p["code"] for p in alone.facts["exposure"]["export"]["products"]]
    assert facts_codes == exported["code"].tolist()[: len(facts_codes)]
    assert exported["code"].str.len().eq(2).all()  # A38 codes (A129: 4 characters)


def test_comparisons_started_by_build_fiche_give_the_same_files(tmp_path):
    """The CLI's pipeline: build_fiche hands the région/France Sankeys to the
    pool first, the writer collects them: same files as rendering here."""
    import pickle

    from frtrade.fiche import ChartCache

    formats = ["html", "svg", "png"]
    flows = tiny_trade_flows()
    territory = Territory.resolve("36")
    here = build_fiche(flows, territory).write(
        tmp_path / "here", formats=formats, jobs=1
    )
    with RenderPool(2) as pool:
        cache = ChartCache(pool, formats)
        fiche = build_fiche(flows, territory, renderer=cache)
        assert len(cache._pending) == 4 * 2  # région + France, 2 flows, 2 variants
        piped = fiche.write(tmp_path / "piped", formats=formats, renderer=cache)
        assert not cache._pending  # every started chart was collected
        clone = pickle.loads(pickle.dumps(cache))  # what a batch worker gets
    assert clone.pool is None
    assert clone.store == cache.store
    for fmt in formats:
        for a, b in zip(here[fmt], piped[fmt], strict=True):
            assert a.read_bytes() == b.read_bytes(), a.name


def test_no_interpreter_to_start_means_rendering_here(monkeypatch, tmp_path):
    import frtrade.render as render

    monkeypatch.setattr(render.sys, "executable", str(tmp_path / "no-python"))
    with pytest.raises(FileNotFoundError, match="no-python"):
        RenderPool(2)
    render.shutdown_pool()
    assert render.render_pool() is None  # the shared pool: none, not an error
    assert not render.pool_started()
    fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
    written = fiche.write(tmp_path / "out", formats=["svg"])  # rendered here
    assert written["svg"][0].read_bytes().startswith(b"<svg")


@pytest.mark.parametrize(
    "config",
    [{"lineBreak": "\n"}, {"style": {"group-title": {"lineBreak": "\n"}}}],
)
def test_a_config_breaking_title_lines_never_reuses_a_one_line_block(
    monkeypatch, config
):
    # a title broken into two lines by the config has a taller block: it must not
    # be taken for, or give its height to, the same layout on one line
    monkeypatch.setattr(_vega, "_BLOCKS", {})
    monkeypatch.setattr(_vega, "_CALIBRATED", {})
    spec = _point_spec(width=600)
    spec["config"] = {**spec["config"], **config}
    for words in ("Un titre", "Un\ntitre", "Un autre titre", "Deux\nlignes"):
        title = {"text": words, "anchor": "start"}
        titled = render_spec({**spec, "title": title}, ["svg"])["svg"]
        bare = untitled_svg(str(titled), spec, title)
        assert bare == render_spec(spec, ["svg"])["svg"], words


def test_facts_from_the_fiches_own_tables_and_coverage_are_the_same(fictitious):
    from frtrade.indicators import all_territories, data_coverage, headline_facts
    from frtrade.indicators._facts import _of_territory

    flows = fictitious.flows
    tables = all_territories(flows, indicators=True)
    for code in ("13", "9E", "99"):
        territory = Territory.resolve(code)
        alone = headline_facts(flows, territory, tables=tables)  # filtered, read
        own = tables.for_territory(territory)
        assert _of_territory(own, own.totals["territory"].iloc[0]) is own  # kept
        coverage = data_coverage(flows, territory)
        fast = headline_facts(flows, territory, tables=own, coverage=coverage)
        assert json.dumps(fast, sort_keys=True) == json.dumps(alone, sort_keys=True)
    # tables holding other territories, or not indexed from 0, are filtered
    slug = "departement-13"
    assert _of_territory(tables, slug).totals["territory"].tolist() == [slug]
    own = tables.for_territory(slug)
    shifted = dataclasses.replace(own, totals=own.totals.set_axis([5]))
    assert _of_territory(shifted, slug).totals.index.tolist() == [0]
    # a coverage of another year is read again
    stale = dataclasses.replace(
        data_coverage(flows, Territory.resolve("13")), year=2019
    )
    again = headline_facts(flows, Territory.resolve("13"), coverage=stale)
    assert again["data"] == headline_facts(flows, Territory.resolve("13"))["data"]
