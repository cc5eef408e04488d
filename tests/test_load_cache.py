"""Issue 12 goal 2: the on-disk cache of parsed data members."""

from __future__ import annotations

import shutil
import warnings
import zipfile

import pandas as pd

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
    assert len(list(cache.rglob("*.parquet"))) == 1
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
    (parquet,) = cache.rglob("*.parquet")
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
