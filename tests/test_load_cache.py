"""Issue 12 goal 2: the on-disk cache of parsed data members."""

from __future__ import annotations

import dataclasses
import shutil
import warnings
import zipfile

import pandas as pd
import pyarrow as pa

import frtrade
from frtrade.dgddi import clear_cache, load_dgddi

ROWS = (
    "E;1;2024;36;04;C21Z;2120;DE;10;1\n"
    "E;2;2024;75;03;C29A;2910;US;700;3\n"
    "E;1;2024;36;04;C21Z;2120;DE;5;1\n"  # repeats line 1: summed, located
)


def make(tmp_path):
    path = tmp_path / "202502_regional_2024_export.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("R/Region_2024_Export.txt", ROWS)
    return path


def load(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_dgddi(*args, **kwargs)


def test_second_load_hits_and_gives_the_same_result(tmp_path):
    source = make(tmp_path)
    cache = tmp_path / "cache"
    first = load(source, cache=cache)
    member = f"{source}!R/Region_2024_Export.txt"
    assert first.report.cache_misses == [member]
    assert first.report.cache_hits == []
    assert len(list(cache.rglob("[0-9a-f]*.parquet"))) == 1  # the member
    assert len(list(cache.rglob("load-*.parquet"))) == 1  # the whole load
    second = load(source, cache=cache)
    assert second.report.cache_hits == [member]
    assert second.report.cache_misses == []
    pd.testing.assert_frame_equal(second.flows, first.flows)
    assert second.report.findings == first.report.findings  # policies still run
    assert second.report.findings[0].line == 3
    uncached = load(source)
    pd.testing.assert_frame_equal(uncached.flows, first.flows)
    assert uncached.report.cache_hits == uncached.report.cache_misses == []


def test_same_bytes_at_another_path_hit(tmp_path):
    source = make(tmp_path)
    cache = tmp_path / "cache"
    load(source, cache=cache)
    moved = tmp_path / "elsewhere.zip"
    shutil.copy(source, moved)
    again = load(moved, cache=cache)
    assert again.report.cache_hits == [f"{moved}!R/Region_2024_Export.txt"]


def test_corrupt_or_stale_cache_is_rebuilt(tmp_path, monkeypatch):
    source = make(tmp_path)
    cache = tmp_path / "cache"
    reference = load(source, cache=cache).flows
    for parquet in cache.rglob("*.parquet"):
        parquet.write_bytes(b"PAR1 not really parquet")
    rebuilt = load(source, cache=cache)
    assert rebuilt.report.cache_misses
    pd.testing.assert_frame_equal(rebuilt.flows, reference)
    assert load(source, cache=cache).report.cache_hits
    monkeypatch.setattr(frtrade, "__version__", "9.9.9")
    stale = load(source, cache=cache)
    assert stale.report.cache_misses  # another version never reads this cache
    assert (cache / "frtrade-9.9.9").is_dir()


def test_default_folder_and_clear(tmp_path, monkeypatch):
    monkeypatch.setenv("FRTRADE_CACHE_DIR", str(tmp_path / "user-cache"))
    source = make(tmp_path)
    load(source, cache=True)
    assert list((tmp_path / "user-cache").rglob("*.parquet"))
    assert clear_cache() == tmp_path / "user-cache"
    assert not (tmp_path / "user-cache").exists()


def whole_file(cache):
    (path,) = cache.rglob("load-*.parquet")
    return path


def test_whole_load_hit_replays_report_and_warnings(tmp_path):
    source = make(tmp_path)
    cache = tmp_path / "cache"
    with warnings.catch_warnings(record=True) as first_warnings:
        warnings.simplefilter("always")
        first = load_dgddi(source, cache=cache)
    for parquet in cache.rglob("[0-9a-f]*.parquet"):
        parquet.unlink()  # only the whole load is left: a hit must come from it
    with warnings.catch_warnings(record=True) as second_warnings:
        warnings.simplefilter("always")
        second = load_dgddi(source, cache=cache)
    assert second.report.cache_hits == first.report.cache_misses
    assert second.report.cache_misses == []
    pd.testing.assert_frame_equal(second.flows, first.flows, check_exact=True)
    assert list(second.flows["country"].cat.categories) == ["DE", "US"]
    hits = dataclasses.replace(second.report, cache_hits=[], cache_misses=[])
    misses = dataclasses.replace(first.report, cache_hits=[], cache_misses=[])
    assert hits == misses  # findings, counts, hashes: the same report
    assert second.report.findings[0].line == 3
    assert second.report.summary_fr() == first.report.summary_fr()
    assert [(w.category, str(w.message)) for w in second_warnings] == [
        (w.category, str(w.message)) for w in first_warnings
    ]
    assert second_warnings  # the summed duplicate is announced again
    assert second.labels == first.labels


def test_whole_load_depends_on_the_options(tmp_path):
    source = make(tmp_path)
    cache = tmp_path / "cache"
    load(source, cache=cache)
    other = load(source, cache=cache, flows=["import"])
    assert len(other.flows) == 0 or set(other.flows["flow"]) == {"import"}
    assert len(list(cache.rglob("load-*.parquet"))) == 2
    again = load(source, cache=cache)
    assert len(again.flows) == 2


def test_whole_load_with_a_wrong_checksum_is_rebuilt(tmp_path):
    """A file whose numbers differ from the sums stored beside them is never used."""
    import json

    import pyarrow.parquet as pq

    source = make(tmp_path)
    cache = tmp_path / "cache"
    reference = load(source, cache=cache).flows
    path = whole_file(cache)
    table = pq.read_table(path)
    values = table.column("value_eur").to_numpy().copy()
    values[0] += 1.0  # a silent change of one number
    table = table.set_column(
        table.schema.get_field_index("value_eur"), "value_eur", pa.array(values)
    )
    pq.write_table(table, path)
    assert json.loads(table.schema.metadata[b"frtrade.load"])["key"]
    rebuilt = load(source, cache=cache)
    pd.testing.assert_frame_equal(rebuilt.flows, reference, check_exact=True)
    assert rebuilt.flows["value_eur"].sum() == 715.0


def test_whole_load_truncated_is_rebuilt(tmp_path):
    source = make(tmp_path)
    cache = tmp_path / "cache"
    reference = load(source, cache=cache).flows
    path = whole_file(cache)
    path.write_bytes(path.read_bytes()[:100])
    rebuilt = load(source, cache=cache)
    pd.testing.assert_frame_equal(rebuilt.flows, reference, check_exact=True)
    assert whole_file(cache).stat().st_size > 100  # written again
