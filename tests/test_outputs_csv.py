"""CSV dialects: French Excel reads back exactly, formulas are neutralised."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import frtrade
from frtrade.errors import OutputError
from frtrade.fiche import build_fiche
from frtrade.outputs import write_csv


@pytest.fixture(scope="module")
def indre_tables() -> dict[str, pd.DataFrame]:
    data = frtrade.load_fictitious_dataset()
    fiche = build_fiche(data.flows, frtrade.Territory.resolve("36"), report=data.report)
    return fiche.tables()


def test_excel_fr_reads_back_to_the_same_values(tmp_path, indre_tables):
    table = indre_tables["partenaires"]
    path = write_csv(table, tmp_path / "p.csv", dialect="excel-fr")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    assert b"\r\n" in raw
    assert "États-Unis".encode() in raw
    back = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    assert list(back.columns) == list(table.columns)
    assert back["name"].tolist() == table["name"].tolist()
    assert back["name"].iloc[0] == "États-Unis"
    for column in ("export_eur", "import_eur", "balance_eur", "rank"):
        assert back[column].tolist() == table[column].tolist()
    assert (back["balance_eur"] < 0).any()  # negative numbers stay numbers


def test_excel_fr_shares_keep_every_digit(tmp_path, indre_tables):
    table = indre_tables["produits"]
    path = write_csv(table, tmp_path / "p.csv", dialect="excel-fr")
    text = path.read_text(encoding="utf-8-sig")
    assert "0,2974525464815251" in text  # decimal comma, full precision
    back = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    assert back["share"].tolist() == table["share"].tolist()
    assert back["value_eur"].sum() == table["value_eur"].sum()


def test_standard_dialect_is_plain_utf8_comma_csv(tmp_path, indre_tables):
    table = indre_tables["produits"]
    path = write_csv(table, tmp_path / "p.csv")
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in raw
    assert (
        raw.splitlines()[0]
        == b"territory,year,flow,code,name,value_eur,share,rank,is_other"
    )
    back = pd.read_csv(path)
    assert back["value_eur"].tolist() == table["value_eur"].tolist()
    assert back["name"].tolist() == table["name"].tolist()


@pytest.mark.parametrize("dialect", ["standard", "excel-fr"])
def test_injected_formulas_are_neutralised_numbers_untouched(tmp_path, dialect):
    table = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://evil","x")', "+33 1", "-rm", "@SUM(A1)", "\tx",
                     "Chine", "Côte d'Ivoire"],
            "value_eur": [-5.0, 1.5, -0.25, 0.0, 2.0, 3.0, 4.0],
        }
    )  # fmt: skip
    table["name"] = table["name"].astype("string")
    path = write_csv(table, tmp_path / "t.csv", dialect=dialect)
    sep, dec = (";", ",") if dialect == "excel-fr" else (",", ".")
    back = pd.read_csv(path, sep=sep, decimal=dec, encoding="utf-8-sig")
    assert back["name"].tolist() == [
        "'=HYPERLINK(\"http://evil\",\"x\")", "'+33 1", "'-rm", "'@SUM(A1)", "'\tx",
        "Chine", "Côte d'Ivoire",
    ]  # fmt: skip
    assert back["value_eur"].tolist() == [-5.0, 1.5, -0.25, 0.0, 2.0, 3.0, 4.0]
    text = path.read_text(encoding="utf-8-sig")
    assert f"{sep}-5{dec}0" in text  # a negative number is written bare
    assert "\n=" not in text.replace("\r\n", "\n")  # no line starts a formula


def test_categorical_and_missing_text_cells(tmp_path):
    table = pd.DataFrame(
        {
            "name": pd.Categorical(["=1+1", "Chine", "=1+1"]),
            "label": pd.array(["@x", pd.NA, "ok"], dtype="string"),
            "value": [1.0, float("nan"), -2.0],
        }
    )
    path = write_csv(table, tmp_path / "t.csv", dialect="excel-fr")
    back = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    assert back["name"].tolist() == ["'=1+1", "Chine", "'=1+1"]
    assert back["label"].iloc[0] == "'@x"
    assert back["label"].isna().tolist() == [False, True, False]
    assert back["value"].iloc[2] == -2.0
    assert back["value"].isna().tolist() == [False, True, False]  # empty, never 0
    assert table["name"].tolist() == ["=1+1", "Chine", "=1+1"]  # input untouched


def test_unknown_dialect_and_unwritable_path(tmp_path):
    table = pd.DataFrame({"a": [1]})
    with pytest.raises(ValueError, match="unknown CSV dialect"):
        write_csv(table, tmp_path / "t.csv", dialect="tsv")  # type: ignore[arg-type]
    with pytest.raises(OutputError, match="impossible d'écrire"):
        write_csv(table, tmp_path / "absent" / "t.csv")


_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
)


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(_text, min_size=1, max_size=5),
    values=st.lists(
        st.floats(allow_nan=False, allow_infinity=False, width=64),
        min_size=5,
        max_size=5,
    ),
)
def test_excel_fr_round_trip_property(tmp_path_factory, names, values):
    """Every number comes back exactly; every text comes back, neutralised."""
    n = len(names)
    table = pd.DataFrame({"name": names, "value": values[:n]})
    path = write_csv(table, tmp_path_factory.mktemp("p") / "t.csv", dialect="excel-fr")
    back = pd.read_csv(
        path, sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False,
        dtype={"name": str},
    )  # fmt: skip
    assert [float(v) for v in back["value"]] == [float(v) for v in values[:n]]
    expected = [
        "'" + s if s.startswith(("=", "+", "-", "@", "\t", "\r")) else s for s in names
    ]
    got = back["name"].tolist()
    # the csv reader normalises bare line ends inside quoted cells; compare the rest
    assert [g.replace("\r\n", "\n").replace("\r", "\n") for g in got] == [
        e.replace("\r\n", "\n").replace("\r", "\n") for e in expected
    ]
    assert not any(math.isnan(v) for v in back["value"])
