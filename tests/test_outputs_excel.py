"""Excel workbook: real numbers, French formats, frozen headers, notices."""

from __future__ import annotations

import copy

import pandas as pd
import pytest
from openpyxl import load_workbook

import frtrade
from frtrade.errors import OutputError
from frtrade.fiche import build_fiche
from frtrade.outputs import write_xlsx


@pytest.fixture(scope="module")
def indre():
    data = frtrade.load_fictitious_dataset()
    return build_fiche(data.flows, frtrade.Territory.resolve("36"), report=data.report)


@pytest.fixture(scope="module")
def book(indre, tmp_path_factory):
    path = tmp_path_factory.mktemp("x") / "fiche.xlsx"
    assert write_xlsx(indre.tables(), indre.facts, path, fictitious=True) == path
    return load_workbook(path)


def _rows(ws):
    return {
        ws.cell(row=r, column=1).value: (
            ws.cell(row=r, column=2),
            ws.cell(row=r, column=3),
        )
        for r in range(4, ws.max_row + 1)
    }


def test_sheets_one_per_table_after_key_figures(book, indre):
    assert book.sheetnames == ["Chiffres clés", *indre.tables()]


def test_key_figures_values_and_formats(book, indre):
    ws = book["Chiffres clés"]
    assert ws["A1"].value == "Chiffres clés – Indre (36), 2024"
    assert ws["A2"].value == frtrade.FICTITIOUS_NOTICE
    assert ws.freeze_panes == "A4"
    rows = _rows(ws)
    assert rows["Territoire"][0].value == "Indre"
    assert rows["Code"][0].value == "36"
    assert rows["Niveau"][0].value == "Département"
    assert rows["Période"][0].value == "2024"
    exports, exports_meur = rows["Exportations (FAB, €)"]
    assert exports.value == 1_274_700_000
    assert exports.number_format == "#,##0"
    assert exports_meur.value == pytest.approx(1274.7)
    assert exports_meur.number_format == "#,##0.0"
    assert rows["Importations (CAF, €)"][0].value == 1_119_200_000
    assert rows["Solde commercial (€)"][0].value == 155_500_000
    coverage = rows["Taux de couverture"][0]
    assert coverage.value == pytest.approx(1274.7 / 1119.2)
    assert coverage.number_format == "0.0%"
    share = rows["Part des exportations de la région"][0]
    # Excel keeps 15-16 significant digits
    assert share.value == pytest.approx(
        indre.facts["export"]["share_of_region"], rel=1e-15
    )
    assert share.number_format == "0.0%"
    assert rows["Part des exportations de la France"][0].number_format == "0.00%"
    assert rows["Premier client"][0].value == "États-Unis"
    assert rows["Premier fournisseur"][0].value == "Chine"
    assert rows["Premier produit exporté"][0].value == "Viandes"
    assert rows["Source : DGDDI – DSECE"][0].value is None


def test_table_sheet_numbers_formats_ranks_from_one(book, indre):
    ws = book["partenaires"]
    table = indre.tables()["partenaires"]
    headers = [c.value for c in ws[1]]
    assert headers == [
        "Territoire", "Année", "Code", "Libellé", "Exportations (€)", "Importations (€)",
        "Solde (€)", "Échanges totaux (€)", "Rang",
    ]  # fmt: skip
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:I{len(table) + 1}"
    assert ws["D2"].value == "États-Unis"
    assert ws["E2"].value == 375_748_236
    assert ws["E2"].number_format == "#,##0"
    assert ws["G3"].value == -5_840_033  # a negative balance is a number
    assert [ws.cell(row=r, column=9).value for r in range(2, len(table) + 2)] == list(
        range(1, len(table) + 1)
    )
    total = sum(ws.cell(row=r, column=5).value for r in range(2, len(table) + 2))
    assert total == table["export_eur"].sum()
    assert ws.cell(row=len(table) + 3, column=1).value == "Source : DGDDI – DSECE"
    assert ws.cell(row=len(table) + 4, column=1).value == frtrade.FICTITIOUS_NOTICE
    products = book["produits"]
    assert products["C1"].value == "Flux"
    assert products["C2"].value == "Exportations"
    assert products["G2"].number_format == "0.0%"
    assert products["G2"].value == pytest.approx(
        indre.tables()["produits"]["share"].iloc[0], rel=1e-15
    )
    assert products["I2"].value == "non"  # is_other -> oui/non


def test_missing_figures_say_non_disponible_never_zero(tmp_path, indre):
    facts = copy.deepcopy(indre.facts)
    facts["import"] = {
        "total_eur": None,
        "share_of_region": None,
        "share_of_france": None,
    }
    facts["balance_eur"] = None
    facts["coverage_rate"] = None
    facts["partners"] = []
    facts["products"]["import"] = []
    facts.setdefault("data", {})["period_label"] = "2024, trimestres 1 à 3"
    facts["data"]["notes"] = ["Aucune donnée d'importation pour l'Indre en 2024."]
    path = write_xlsx(
        {}, facts, tmp_path / "f.xlsx", fictitious=False, source="Source : test"
    )
    ws = load_workbook(path)["Chiffres clés"]
    assert ws["A1"].value == "Chiffres clés – Indre (36), 2024, trimestres 1 à 3"
    rows = _rows(ws)
    for label in ("Importations (CAF, €)", "Solde commercial (€)", "Taux de couverture",
                  "Part des importations de la France", "Premier fournisseur",
                  "Premier produit importé"):  # fmt: skip
        assert rows[label][0].value == "non disponible", label
    assert rows["Importations (CAF, €)"][1].value == "non disponible"
    assert rows["Exportations (FAB, €)"][0].value == 1_274_700_000
    values = [c.value for row in ws.iter_rows() for c in row]
    assert frtrade.FICTITIOUS_NOTICE not in values
    assert "Source : test" in values
    notes = values.index("Notes")
    assert values[notes + 3] == "Aucune donnée d'importation pour l'Indre en 2024."


def test_formula_text_is_stored_as_text_and_nan_not_zero(tmp_path, indre):
    table = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://evil","x")', "Chine"],
            "value_eur": [float("nan"), -3.5],
            "rank": [0, 1],
        }
    )
    path = write_xlsx({"t": table, "t/2": table}, indre.facts, tmp_path / "f.xlsx",
                      fictitious=False)  # fmt: skip
    book = load_workbook(path)
    assert book.sheetnames == ["Chiffres clés", "t", "t-2"]
    ws = book["t"]
    assert ws["A2"].data_type == "s"
    assert ws["A2"].value == '=HYPERLINK("http://evil","x")'
    assert ws["B2"].value == "non disponible"
    assert ws["B3"].value == -3.5
    assert [ws["C2"].value, ws["C3"].value] == [1, 2]  # ranks from 1


def test_unwritable_path(tmp_path, indre):
    target = tmp_path / "absent" / "f.xlsx"
    with pytest.raises(OutputError, match="impossible d'écrire") as caught:
        write_xlsx({}, indre.facts, target, fictitious=False)
    assert str(target) in str(caught.value)


def test_a_failed_write_leaves_no_partial_file(tmp_path, indre, monkeypatch):
    import xlsxwriter

    def disk_full(self):
        raise xlsxwriter.exceptions.FileCreateError(OSError(28, "No space left"))

    monkeypatch.setattr(xlsxwriter.Workbook, "close", disk_full)
    (tmp_path / "f.xlsx").write_bytes(b"previous")
    with pytest.raises(OutputError, match="No space left"):
        write_xlsx({}, indre.facts, tmp_path / "f.xlsx", fictitious=False)
    assert (tmp_path / "f.xlsx").read_bytes() == b"previous"  # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["f.xlsx"]


def test_sheet_names_excel_accepts(tmp_path, indre):
    table = pd.DataFrame({"value_eur": [1.0]})
    stems = ["a" * 30 + "'b", "'cité'", "😀" * 20, "x/y", "", "History", "a" * 40,
             "a" * 41, "ctrl\x07char"]  # fmt: skip
    path = write_xlsx(dict.fromkeys(stems, table), indre.facts, tmp_path / "f.xlsx",
                      fictitious=False)  # fmt: skip
    names = load_workbook(path).sheetnames[1:]
    assert names == [
        "a" * 30, "cité", "😀" * 15, "x-y", "tableau", "History~2", "a" * 31,
        "a" * 29 + "~2", "ctrl\ufffdchar",
    ]  # fmt: skip


def test_control_characters_are_shown_never_dropped(tmp_path, indre):
    table = pd.DataFrame({"name": ["Chine\x01", "ok"], "value_eur": [1.0, 2.0]})
    path = write_xlsx({"t": table}, indre.facts, tmp_path / "f.xlsx", fictitious=False)
    ws = load_workbook(path)["t"]
    assert ws["A2"].value == "Chine\ufffd"
    assert ws["B3"].value == 2.0


@pytest.mark.parametrize("code", ["9E", "99", "75", "20"])
def test_hard_territories_write(tmp_path, code):
    data = frtrade.load_fictitious_dataset()
    fiche = build_fiche(data.flows, frtrade.Territory.resolve(code), report=data.report)
    path = write_xlsx(fiche.tables(), fiche.facts, tmp_path / "f.xlsx", fictitious=True)
    ws = load_workbook(path)["Chiffres clés"]
    rows = _rows(ws)
    exports = rows["Exportations (FAB, €)"][0].value
    expected = fiche.facts["export"]["total_eur"]
    assert exports == ("non disponible" if expected is None else expected)


def test_infinite_ratio_reads_infini_never_a_number(tmp_path, indre):
    # a ratio over zero in a user's table: said, not a number Excel rejects
    table = pd.DataFrame({"coverage_rate": [float("inf"), -float("inf"), 0.5]})
    path = write_xlsx({"t": table}, indre.facts, tmp_path / "f.xlsx", fictitious=False)
    ws = load_workbook(path)["t"]
    assert [ws["A2"].value, ws["A3"].value, ws["A4"].value] == [
        "infini",
        "−infini",
        0.5,
    ]
    assert ws["A2"].data_type == "s"


def test_fonts_fills_and_widths_survive_the_writer(book):
    ws = book["Chiffres clés"]
    assert ws["A1"].font.b
    assert ws["A1"].font.sz == 14
    assert ws["A2"].font.b
    assert ws["A2"].font.color.rgb.endswith("C00000")
    assert ws["A3"].fill.fgColor.rgb.endswith("DDE3EE")
    assert ws["A3"].font.b
    partners = book["partenaires"]
    assert partners.column_dimensions["D"].width > partners.column_dimensions["B"].width
    # the source line is italic grey, after one empty row
    last = partners.max_row - 1
    assert partners.cell(row=last, column=1).value == "Source : DGDDI – DSECE"
    assert partners.cell(row=last, column=1).font.i
