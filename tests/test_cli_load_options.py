"""The loader's policies reach the command line: --overlap, --negative, --duplicates, --no-cache."""

from __future__ import annotations

import pytest

from frtrade.cli import main
from frtrade.dgddi import write_dgddi


def call(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out.replace("\u202f", " "), err.replace("\u202f", " ")


@pytest.fixture(scope="module")
def small(fictitious):
    flows = fictitious.flows
    return flows[(flows.departement == "36") & (flows.flow == "export")].reset_index(
        drop=True
    )


def test_overlap_refused_then_latest_kept(tmp_path, capsys, small):
    older = write_dgddi(small, tmp_path / "202501_regional_2024_export.zip")
    newer_rows = small.assign(value_eur=small.value_eur * 2)
    newer = write_dgddi(newer_rows, tmp_path / "202506_regional_2024_export.zip")
    code, out, err = call(capsys, "summary", "36", "--data", str(older), str(newer))
    assert code == 4
    assert "overlap" in err
    assert out == ""
    code, out, err = call(
        capsys, "summary", "36", "--data", str(older), str(newer), "--overlap", "latest"
    )
    assert code == 0
    assert "Exportations : 2 549,4 M€" in out  # the newer publication, once
    assert "remplacées par la publication plus récente" in err


def test_negative_values_refused_unless_kept(tmp_path, capsys, small):
    rows = small.copy()
    rows.loc[0, "value_eur"] = -10.0
    path = write_dgddi(rows, tmp_path / "neg_regional_2024_export.zip")
    code, _, err = call(capsys, "summary", "36", "--data", str(path))
    assert code == 4
    assert "negative value" in err
    assert "line 1" in err
    code, out, err = call(
        capsys, "summary", "36", "--data", str(path), "--negative", "keep"
    )
    assert code == 0
    assert "Exportations" in out


def test_duplicates_summed_or_refused(tmp_path, capsys, small):
    import pandas as pd

    rows = pd.concat([small, small.iloc[[0]]], ignore_index=True)
    path = write_dgddi(rows, tmp_path / "dup_regional_2024_export.zip")
    code, _out, err = call(capsys, "facts", "36", "--data", str(path))
    assert code == 0
    assert "clé" in err  # the findings summary names the repeated key
    code, _, err = call(
        capsys, "facts", "36", "--data", str(path), "--duplicates", "error"
    )
    assert code == 4


def test_no_cache_and_cache_give_the_same_figures(tmp_path, capsys, small, monkeypatch):
    monkeypatch.setenv("FRTRADE_CACHE_DIR", str(tmp_path / "cache"))
    path = write_dgddi(small, tmp_path / "c_regional_2024_export.zip")
    first = call(capsys, "summary", "36", "--data", str(path))
    assert any((tmp_path / "cache").rglob("*")), "the command line caches by default"
    second = call(capsys, "summary", "36", "--data", str(path))
    third = call(capsys, "summary", "36", "--data", str(path), "--no-cache")
    assert first[1] == second[1] == third[1]
    assert "Exportations : 1 274,7 M€" in first[1]
