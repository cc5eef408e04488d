"""Atomic, honest outputs: staging, whole-folder replacement, lock, full disk, Ctrl-C,
writer registry, CSV dialects, failures.json and resume."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from frtrade.errors import OutputError
from frtrade.fiche import _write as writing
from frtrade.fiche import (
    build_fiche,
    register_writer,
    registered_formats,
    write_all_fiches,
)
from frtrade.indicators import all_territories
from frtrade.territories import Territory
from frtrade.testing import tiny_trade_flows


@pytest.fixture(scope="module")
def fiche():
    return build_fiche(tiny_trade_flows(), Territory.resolve("36"))


def tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_rerun_replaces_the_whole_folder(fiche, tmp_path):
    target = tmp_path / "departement-36"
    fiche.write(target, formats=["json", "csv"])
    assert "tableaux/produits.csv" in tree(target)
    written = fiche.write(target, formats=["json"])
    assert tree(target) == {"facts.json"}  # no stale CSV from the first run
    assert written == {"json": [target / "facts.json"]}
    assert leftovers(tmp_path) == []


def _failing(exc: BaseException):
    def writer(fiche, folder, context):
        (folder / "partial.txt").write_text("half")
        raise exc

    return writer


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), OutputError),
        (KeyboardInterrupt(), KeyboardInterrupt),
        (RuntimeError("renderer crashed"), RuntimeError),
    ],
)
def test_failure_keeps_the_previous_complete_folder(fiche, tmp_path, exc, expected):
    target = tmp_path / "departement-36"
    fiche.write(target, formats=["json"])
    before = (target / "facts.json").read_bytes()
    register_writer("broken", _failing(exc))
    try:
        with pytest.raises(expected) as info:
            fiche.write(target, formats=["csv", "broken"])
    finally:
        writing._WRITERS.pop("broken")
    assert tree(target) == {"facts.json"}
    assert (target / "facts.json").read_bytes() == before
    assert leftovers(tmp_path) == []  # no staging folder, no lock
    if expected is OutputError:
        assert "disque plein" in str(info.value)
        assert str(target) in str(info.value)


def test_failure_on_a_first_run_leaves_nothing(fiche, tmp_path):
    register_writer("broken", _failing(OSError(errno.ENOSPC, "full")))
    try:
        with pytest.raises(OutputError):
            fiche.write(tmp_path / "departement-36", formats=["json", "broken"])
    finally:
        writing._WRITERS.pop("broken")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_swap_puts_the_previous_folder_back(fiche, tmp_path, monkeypatch):
    target = tmp_path / "departement-36"
    fiche.write(target, formats=["json"])
    real = Path.rename

    def rename(self, other):
        if ".tmp-" in self.name:
            raise OSError(errno.ENOSPC, "full")
        return real(self, other)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OutputError):
        fiche.write(target, formats=["csv"])
    monkeypatch.undo()
    assert tree(target) == {"facts.json"}
    assert leftovers(tmp_path) == []


def test_a_live_lock_refuses_and_a_dead_one_is_taken_over(fiche, tmp_path):
    target = tmp_path / "departement-36"
    lock = tmp_path / ".departement-36.lock"
    lock.write_text(str(os.getppid()))  # a live process
    with pytest.raises(OutputError, match="une autre exécution"):
        fiche.write(target, formats=["json"])
    assert lock.exists()  # not ours to remove
    lock.write_text("999999999")  # no such process
    fiche.write(target, formats=["json"])
    assert tree(target) == {"facts.json"}
    assert not lock.exists()


def test_out_dir_that_is_a_file(fiche, tmp_path):
    target = tmp_path / "departement-36"
    target.write_text("not a folder")
    with pytest.raises(OutputError, match="n'est pas un dossier"):
        fiche.write(target, formats=["json"])


def test_registry_and_unknown_formats(fiche, tmp_path):
    assert registered_formats()[:7] == (
        "html",
        "pdf",
        "svg",
        "png",
        "csv",
        "json",
        "xlsx",
    )

    def write_txt(fiche, folder, context):
        path = folder / "resume.txt"
        path.write_text(f"{fiche.subtitle} {context.csv_dialect}", encoding="utf-8")
        return [path]

    register_writer("txt", write_txt)
    try:
        written = fiche.write(tmp_path / "f", formats=["txt"], csv_dialect="excel-fr")
    finally:
        writing._WRITERS.pop("txt")
    assert written["txt"][0].read_text("utf-8").endswith("excel-fr")
    with pytest.raises(ValueError, match="unknown formats"):
        fiche.write(tmp_path / "g", formats=["docx"])
    with pytest.raises(ValueError, match="csv_dialect"):
        fiche.write(tmp_path / "g", formats=["csv"], csv_dialect="latin")  # type: ignore[arg-type]


def test_csv_dialects(fiche, tmp_path):
    standard = fiche.write(tmp_path / "a", formats=["csv"])["csv"]
    excel = fiche.write(tmp_path / "b", formats=["csv"], csv_dialect="excel-fr")["csv"]
    name = "produits.csv"
    s = next(p for p in standard if p.name == name)
    e = next(p for p in excel if p.name == name)
    assert not s.read_bytes().startswith(b"\xef\xbb\xbf")
    assert e.read_bytes().startswith(b"\xef\xbb\xbf")
    frame_s = pd.read_csv(s, keep_default_na=False)
    frame_e = pd.read_csv(
        e, sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False
    )
    assert frame_s["value_eur"].sum() == frame_e["value_eur"].sum() == 1600.0


def test_batch_records_failures_and_resumes(fictitious, tmp_path):
    flows = fictitious.flows
    small = flows[flows.departement.isin(["36", "18"]) & (flows.year == 2024)].copy()
    bad = small.head(3).copy()
    bad["departement"] = pd.Categorical(["X1"] * 3)
    small = pd.concat([small, bad], ignore_index=True)
    for column in ("departement", "region", "a129", "cpf4", "country"):
        small[column] = small[column].astype(str).astype("category")
    first = write_all_fiches(small, tmp_path, formats=["json"])
    failures = json.loads((tmp_path / "failures.json").read_text("utf-8"))
    assert [f["slug"] for f in failures["failed"]] == ["departement-X1"]
    assert "unknown territory" in failures["failed"][0]["error"]
    assert [r.slug for r in first if r.ok] == [
        "departement-18", "departement-36", "region-24", "france",
    ]  # fmt: skip
    (tmp_path / "departement-36" / "facts.json").unlink()  # incomplete: redone
    again = write_all_fiches(small, tmp_path, formats=["json"], resume=True)
    skipped = {r.slug for r in again if r.skipped}
    assert skipped == {"departement-18", "region-24", "france"}
    assert (tmp_path / "departement-36" / "facts.json").exists()
    clean = small[small.departement != "X1"].copy()
    for column in ("departement",):
        clean[column] = clean[column].astype(str).astype("category")
    write_all_fiches(clean, tmp_path, formats=["json"], resume=True)
    assert not (tmp_path / "failures.json").exists()


def test_resume_never_keeps_a_fiche_of_other_data_or_options(fictitious, tmp_path):
    flows = fictitious.flows
    mine = flows.departement.isin(["36", "18"])
    y2024 = flows[mine & (flows.year == 2024)].reset_index(drop=True)
    y2023 = flows[mine & (flows.year == 2023)].reset_index(drop=True)
    write_all_fiches(y2024, tmp_path, formats=["json"])
    same = write_all_fiches(y2024, tmp_path, formats=["json"], resume=True)
    assert all(r.skipped for r in same)
    other_year = write_all_fiches(y2023, tmp_path, formats=["json"], resume=True)
    assert not any(r.skipped for r in other_year)
    facts = json.loads((tmp_path / "departement-36" / "facts.json").read_text("utf-8"))
    assert facts["year"] == 2023
    other_top = write_all_fiches(y2023, tmp_path, formats=["json"], n=3, resume=True)
    assert not any(r.skipped for r in other_top)
    again = write_all_fiches(y2023, tmp_path, formats=["json"], n=3, resume=True)
    assert all(r.skipped for r in again)


def test_comparison_tasks_one_departement_per_region_and_france():
    from frtrade.fiche._batch import _comparison_tasks

    slugs = [
        "departement-18",
        "departement-36",
        "departement-75",
        "region-04",
        "france",
    ]
    ordered = _comparison_tasks(slugs)
    tasks = {which: slug for slug, which in ordered}
    centre = Territory.departement("36").parent().slug
    paris = Territory.departement("75").parent().slug
    assert tasks == {
        centre: "departement-18",
        paris: "departement-75",
        "france": "departement-18",
    }
    assert ordered[0] == ("departement-18", "france")  # every fiche needs it: first


def test_parallel_batch_draws_the_shared_sankeys_once_into_a_folder(
    tmp_path, monkeypatch
):
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    flows = tiny_trade_flows()
    formats = ["html", "svg", "png"]
    one = write_all_fiches(flows, tmp_path / "one", formats=formats, jobs=1)
    seen: list[list[str]] = []

    def progress(result, done, total):
        # the parent, as fiches come back: the shared pictures are in the folder
        # (the last fiche ends long after the comparisons, dequeued first)
        seen.append(sorted(p.suffix for p in scratch.glob("frtrade-charts-*/*")))

    two = write_all_fiches(
        flows, tmp_path / "two", formats=formats, jobs=2, progress=progress
    )
    assert all(r.ok for r in one + two)
    # régions 11 and 24, France; 2 flows; the fiche's SVG, the file's SVG and PNG
    assert seen[-1] == [".png"] * 6 + [".svg"] * 12
    assert not list(scratch.iterdir())  # the shared folder is gone
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*")
                   if p.is_file() and p.name != ".frtrade-run.json")  # fmt: skip
    assert any(f.name == "sankey_export_france.png" for f in files)
    for name in files:
        a = (tmp_path / "one" / name).read_bytes()
        assert a == (tmp_path / "two" / name).read_bytes(), name


def test_a_region_and_france_share_their_own_sankeys_with_the_batch(tmp_path):
    from frtrade.fiche import ChartCache

    flows = tiny_trade_flows()
    dep = build_fiche(flows, Territory.resolve("36"))
    region = build_fiche(flows, Territory.from_slug("region-24"))
    france = build_fiche(flows, Territory.france())
    for variant in ("file", "doc"):
        own = "sankey_export_territoire"
        assert region.shared_key(own, variant) == dep.shared_key(
            "sankey_export_region-24", variant
        )
        assert france.shared_key(own, variant) == dep.shared_key(
            "sankey_export_france", variant
        )
        assert dep.shared_key(own, variant) is None  # no other fiche shows it
    # drawn apart, the région's own Sankey is the picture the département shows
    formats = ["svg", "png"]
    dep.write(tmp_path / "dep", formats=formats)
    region.write(tmp_path / "alone", formats=formats)
    for flow in ("export", "import"):
        for ext in formats:
            a = tmp_path / "alone" / "graphiques" / f"sankey_{flow}_territoire.{ext}"
            b = tmp_path / "dep" / "graphiques" / f"sankey_{flow}_region-24.{ext}"
            assert a.read_bytes() == b.read_bytes(), (flow, ext)
    # the fiche's own (untitled) variant too: the HTML's SVG, from which the PDF's is made
    from frtrade.fiche._write import WriteContext

    mine = WriteContext(("html",)).picture(region, "sankey_import_territoire", "svg")
    shown = WriteContext(("html",)).picture(dep, "sankey_import_region-24", "svg")
    assert mine == shown
    # so a batch draws it once: the région's fiche takes it from the shared cache
    cache = ChartCache()
    key = dep.shared_key("sankey_export_region-24", "file")
    cache.store[(key, "svg")] = b"<svg>already drawn</svg>"
    region.write(tmp_path / "shared", formats=["svg"], renderer=cache)
    own = tmp_path / "shared" / "graphiques" / "sankey_export_territoire.svg"
    assert own.read_bytes() == b"<svg>already drawn</svg>"


def test_comparison_pictures_go_to_the_shared_folder(tmp_path):
    from frtrade.fiche import ChartCache, _batch

    flows = tiny_trade_flows()
    cache = ChartCache(folder=tmp_path)
    tables = all_territories(flows, indicators=True)
    _batch._BATCH.update(
        flows=flows, year=None, report=None, labels=None, colors="default",
        tables=tables, formats=("html", "png"), cache=cache, n=10, level="a129",
        overrides=None, csv_dialect="standard", partner="US",
    )  # fmt: skip
    try:
        written = _batch._comparison_pictures(("departement-36", "france"))
    finally:
        _batch._BATCH.clear()
    # two flows x (the fiche's SVG + the file's PNG)
    assert written == len(list(tmp_path.iterdir())) == 4
    fiche = build_fiche(flows, Territory.resolve("36"))
    reader = ChartCache(folder=tmp_path)
    key = fiche.shared_key("sankey_export_france", "file")
    assert key is not None
    png = reader.render(key, lambda: 1 / 0, "png")  # read, never drawn again
    assert png.startswith(b"\x89PNG")


def test_parallel_batch_writes_the_same_pages_as_a_sequential_one(tmp_path):
    flows = tiny_trade_flows()
    one = write_all_fiches(flows, tmp_path / "one", formats=["html"], jobs=1)
    two = write_all_fiches(flows, tmp_path / "two", formats=["html"], jobs=2)
    assert [r.slug for r in one] == [r.slug for r in two]
    assert all(r.ok for r in one + two)
    for result in one:
        a = (tmp_path / "one" / result.slug / "fiche.html").read_bytes()
        b = (tmp_path / "two" / result.slug / "fiche.html").read_bytes()
        assert a == b, result.slug


def test_xlsx_written_by_the_fiche_opens_with_openpyxl(tmp_path):
    from openpyxl import load_workbook

    fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
    written = fiche.write(tmp_path / "departement-36", formats=["xlsx"])
    assert [p.name for p in written["xlsx"]] == ["fiche.xlsx"]
    book = load_workbook(written["xlsx"][0])
    assert book.sheetnames[0] == "Chiffres clés"
    assert len(book.sheetnames) == 1 + len(fiche.tables())


def test_csv_goes_through_the_outputs_neutralisation(tmp_path):
    fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
    partners = fiche.partners.copy()
    partners["name"] = partners["name"].astype(object)
    partners.loc[0, "name"] = "=HYPERLINK(1)"
    fiche = dataclasses.replace(fiche, partners=partners)
    written = fiche.write(tmp_path / "d", formats=["csv"], csv_dialect="excel-fr")
    path = next(p for p in written["csv"] if p.name == "partenaires.csv")
    text = path.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in text
    assert "'=HYPERLINK(1)" in text.decode("utf-8-sig")


def test_batch_writes_an_index_of_every_fiche_and_skips_staging(tmp_path):
    (tmp_path / ".departement-36.tmp-1-abc").mkdir(parents=True)
    (tmp_path / ".departement-36.tmp-1-abc" / "facts.json").write_text("{}")
    results = write_all_fiches(tiny_trade_flows(), tmp_path, formats=["json", "html"])
    page = (tmp_path / "index.html").read_text("utf-8")
    slugs = re.findall(r'data-slug="([^"]+)"', page)
    assert sorted(slugs) == sorted(r.slug for r in results)
    assert len(slugs) == 6
    for r in results:
        assert f'href="{r.slug}/fiche.html"' in page


def test_batch_computes_the_indicators_once(monkeypatch, tmp_path):
    from frtrade.fiche import _fiche

    def boom(*args, **kwargs):
        raise AssertionError("a fiche of the batch recomputed its indicators")

    monkeypatch.setattr(_fiche, "compute_indicators", boom)
    results = write_all_fiches(
        tiny_trade_flows(), tmp_path, formats=["json", "csv"], partner="CN"
    )
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    facts = json.loads((tmp_path / "departement-36" / "facts.json").read_text("utf-8"))
    assert facts["exposure"]["partner"] == "CN"


def test_chart_files_and_tables_of_fictitious_data_say_so(fictitious, tmp_path):
    """A chart file or a CSV travels alone: each says the figures are fictitious."""
    fake = build_fiche(
        fictitious.flows, Territory.resolve("9E"), year=2024, report=fictitious.report,
        labels=fictitious.labels,
    )  # fmt: skip
    assert fake.fictitious
    fake.write(tmp_path / "fake", formats=("svg", "csv"), jobs=1)
    files = sorted((tmp_path / "fake").rglob("graphiques/*.svg"))
    assert len(files) == len(fake.stems())
    for path in files:
        svg = path.read_text(encoding="utf-8")
        assert "Source : DONNÉES FICTIVES (frtrade)" in svg, path
        assert "DGDDI – DSECE" not in svg, path
    for stem in ("produits", "sankey_export_france"):
        spec = json.dumps(fake.chart(stem).to_dict(), ensure_ascii=False)
        assert "DONNÉES FICTIVES" in spec  # the fiche's own charts too

    # every CSV table too: a last column « donnees_fictives » worth « oui »
    tables = fake.tables()
    csvs = sorted((tmp_path / "fake").rglob("tableaux/*.csv"))
    assert [p.stem for p in csvs] == sorted(tables)
    for path in csvs:
        read = pd.read_csv(path, keep_default_na=False)
        assert list(read.columns) == [*tables[path.stem].columns, "donnees_fictives"]
        assert len(read) == len(tables[path.stem]) > 0
        assert set(read["donnees_fictives"]) == {"oui"}

    real = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
    assert not real.fictitious
    spec = json.dumps(real.chart("produits").to_dict(), ensure_ascii=False)
    assert "Source : DGDDI – DSECE" in spec
    assert "FICTIVES" not in spec
    real.write(tmp_path / "real", formats=("csv",), jobs=1)
    for path in (tmp_path / "real").rglob("tableaux/*.csv"):
        header = path.read_text(encoding="utf-8").splitlines()[0]
        assert "donnees_fictives" not in header


@pytest.mark.parametrize("code", ["13", "9E", "75", "99"])
def test_the_fictitious_source_line_widens_no_chart(fictitious, code):
    """The line fits where « Source : DGDDI – DSECE » fits (the butterfly's first panel)."""
    import re

    from frtrade.fiche._fiche import _chart_kwargs
    from frtrade.render import render_formats

    fiche = build_fiche(
        fictitious.flows, Territory.resolve(code), year=2024, report=fictitious.report,
        labels=fictitious.labels,
    )  # fmt: skip

    def size(stem: str, *, fictitious: bool) -> tuple[str, str]:
        kwargs = _chart_kwargs(title=None, subtitle=None, fictitious=fictitious)
        svg = str(render_formats(fiche._chart(stem, kwargs), ("svg",))["svg"])
        found = re.match(r'<svg[^>]* width="([0-9.]+)" height="([0-9.]+)"', svg)
        assert found is not None
        return found.group(1), found.group(2)

    for stem in fiche.stems():
        if "region" in stem or "france" in stem:
            continue  # Sankeys: the same layer as the territory's
        assert size(stem, fictitious=True) == size(stem, fictitious=False), stem
