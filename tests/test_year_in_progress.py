"""A year in progress (quarters 1 to 3 only) is compared with the same quarters of the year before.

Before: 2024's three quarters were compared with 2023's four, and the fiche read
« Les exportations ont reculé de 23,1 % en 2024 » for Indre where the same
quarters fell by 6,4 %.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from frtrade.datasets import load_fictitious_dataset
from frtrade.fiche import build_fiche
from frtrade.indicators import (
    all_territories,
    compute_indicators,
    evolution_sentence,
    headline_facts,
)
from frtrade.schemas import TRADE_FLOWS_COLUMNS, validate_trade_flows
from frtrade.territories import Territory

INDRE = Territory.resolve("36")


@pytest.fixture(scope="module")
def in_progress() -> pd.DataFrame:
    """The fictitious data without the fourth quarter of 2024."""
    flows = load_fictitious_dataset().flows
    return flows[~((flows.year == 2024) & (flows.quarter == 4))]


def _sum(flows: pd.DataFrame, *, flow: str, year: int, quarters: list[int]) -> float:
    rows = flows[
        (flows.departement == "36")
        & (flows.flow == flow)
        & (flows.year == year)
        & flows.quarter.isin(quarters)
    ]
    return float(rows.value_eur.sum())


def test_each_year_counts_the_quarters_of_the_year_in_progress(in_progress):
    evo = compute_indicators(in_progress, INDRE, names=["evolution"])["evolution"]
    evo = evo.set_index(["flow", "year"])
    for flow in ("export", "import"):
        before = _sum(in_progress, flow=flow, year=2023, quarters=[1, 2, 3])
        now = _sum(in_progress, flow=flow, year=2024, quarters=[1, 2, 3])
        assert evo.loc[(flow, 2023), "value_eur"] == pytest.approx(before, abs=0.01)
        assert evo.loc[(flow, 2024), "change_eur"] == pytest.approx(
            now - before, abs=0.01
        )
        assert evo.loc[(flow, 2024), "change_pct"] == pytest.approx(now / before - 1)
    assert set(evo["quarters"]) == {"1,2,3"}
    # Indre's exports: −6.4 % on the same quarters (a false −23.1 % before)
    assert evo.loc[("export", 2024), "change_pct"] == pytest.approx(-0.064025, abs=1e-6)


def test_contributions_add_up_to_the_change_of_the_same_quarters(in_progress):
    out = compute_indicators(in_progress, INDRE, names=["evolution", "contributions"])
    evo = out["evolution"].set_index(["flow", "year"])
    contributions = out["contributions"]
    for flow in ("export", "import", "balance"):
        for dimension in ("partner", "product") if flow != "balance" else ("partner",):
            rows = contributions[
                (contributions.flow == flow) & (contributions.dimension == dimension)
            ]
            assert rows.change_eur.sum() == pytest.approx(
                evo.loc[(flow, 2024), "change_eur"], abs=0.01
            )
    assert set(contributions["quarters"]) == {"1,2,3"}


def test_the_batch_tables_say_the_same(in_progress):
    tables = all_territories(in_progress, indicators=True)
    batch = tables.indicators["evolution"]
    batch = batch[batch.territory == "departement-36"].reset_index(drop=True)
    one = compute_indicators(in_progress, INDRE, names=["evolution"])["evolution"]
    pd.testing.assert_frame_equal(batch, one)


def test_the_sentences_and_the_fiche_name_the_quarters(in_progress):
    facts = headline_facts(in_progress, INDRE)
    assert facts["evolution"]["export"]["quarters"] == [1, 2, 3]
    assert evolution_sentence(facts, "export") == (
        "Les exportations des trimestres 1 à 3 de 2024 ont reculé de 6,4\u202f% par "
        "rapport aux mêmes trimestres de 2023 ; la Belgique y a contribué pour 1,7 point."
    )
    fiche = build_fiche(in_progress, INDRE)
    texts = fiche.document().texts()
    assert "Évolution des échanges, Indre (2019–2024, trimestres 1 à 3)" in texts
    assert not any("en 2024 ;" in t for t in texts if "ont reculé" in t)
    assert fiche.standalone_title("evolution")["subtitle"] == (
        "Indre, trimestres 1 à 3 de chaque année – millions d'euros"
    )


def test_whole_years_are_unchanged():
    flows = load_fictitious_dataset().flows
    out = compute_indicators(flows, INDRE, names=["evolution", "contributions"])
    assert "quarters" not in out["evolution"].columns
    assert "quarters" not in out["contributions"].columns
    facts = headline_facts(flows, INDRE)
    assert evolution_sentence(facts, "export") == (
        "Les exportations ont reculé de 0,2\u202f% en 2024 ; "
        "la Belgique y a contribué pour 1,4 point."
    )


def _flows(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    return validate_trade_flows(
        pd.DataFrame.from_records(rows, columns=list(TRADE_FLOWS_COLUMNS))
    )


def test_an_earlier_year_with_fewer_quarters_is_unknown_not_compared():
    rows = [
        ("export", 2023, q, "36", "24", "C21Z", "2120", "US", 100.0, 1.0)
        for q in (1, 2)
    ] + [
        ("export", 2024, q, "36", "24", "C21Z", "2120", "US", 100.0, 1.0)
        for q in (1, 2, 3, 4)
    ]
    evo = compute_indicators(_flows(rows), INDRE, names=["evolution"])["evolution"]
    evo = evo.set_index(["flow", "year"])
    # half of 2023 against the whole of 2024 would read +100 %
    assert math.isnan(evo.loc[("export", 2023), "value_eur"])
    assert math.isnan(evo.loc[("export", 2024), "change_pct"])
    assert evo.loc[("export", 2024), "value_eur"] == 400.0


def test_flows_on_different_quarters_have_no_balance():
    rows = [
        ("export", year, q, "36", "24", "C21Z", "2120", "US", 100.0 * year, 1.0)
        for year in (2023, 2024)
        for q in ((1, 2, 3, 4) if year == 2023 else (1, 2, 3))
    ] + [
        ("import", year, q, "36", "24", "C26A", "2611", "CN", 50.0, 1.0)
        for year in (2023, 2024)
        for q in (1, 2, 3, 4)
    ]
    out = compute_indicators(_flows(rows), INDRE, names=["evolution", "contributions"])
    evo = out["evolution"].set_index(["flow", "year"])
    assert evo.loc[("export", 2023), "value_eur"] == 3 * 100.0 * 2023
    assert evo.loc[("import", 2023), "value_eur"] == 200.0  # whole years
    assert math.isnan(evo.loc[("balance", 2024), "value_eur"])
    assert evo.loc[("export", 2024), "quarters"] == "1,2,3"
    assert pd.isna(evo.loc[("import", 2024), "quarters"])
    assert "balance" not in set(out["contributions"]["flow"])


def test_the_last_five_quarters_give_no_variation_and_say_why():
    """DGDDI's « dernière publication »: 2023's quarters 3-4, 2024's 1-3."""
    flows = load_fictitious_dataset().flows
    last_five = flows[
        ((flows.year == 2023) & (flows.quarter >= 3))
        | ((flows.year == 2024) & (flows.quarter <= 3))
    ]
    facts = headline_facts(last_five, INDRE)
    assert facts["evolution"]["export"]["by_year"][0] == {
        "year": 2023,
        "value_eur": None,
    }
    assert facts["evolution"]["export"]["change_pct"] is None
    assert evolution_sentence(facts, "export") is None
    texts = build_fiche(last_five, INDRE).document().texts()
    assert (
        "Les données de 2023 ne sont pas comparables à celles de 2024 (trimestres ou flux "
        "manquants)\u202f: aucune variation n’est calculée." in texts
    )
    assert not any("phrases ci-dessous" in t for t in texts)


def test_every_table_says_its_period_when_quarters_are_missing(in_progress, tmp_path):
    """A CSV shared alone must not pass three quarters for the year."""
    from openpyxl import load_workbook

    fiche = build_fiche(in_progress, INDRE)
    written = fiche.write(tmp_path / "partial", formats=["csv", "xlsx"])
    tables = {p.stem: pd.read_csv(p, keep_default_na=False) for p in written["csv"]}
    assert set(tables) == set(fiche.tables())
    for stem, table in tables.items():
        if stem == "evolution":
            expected = {f"{y}, trimestres 1 à 3" for y in range(2019, 2025)}
        else:
            expected = {"2024, trimestres 1 à 3"}
        assert set(table["periode"]) == expected, stem
    book = load_workbook(written["xlsx"][0])
    headers = [cell.value for cell in book["produits"][1]]
    assert "Période" in headers
    assert "Trimestres comparés" in [cell.value for cell in book["evolution"][1]]

    whole = build_fiche(load_fictitious_dataset().flows, INDRE)
    written = whole.write(tmp_path / "whole", formats=["csv"])
    for path in written["csv"]:
        assert "periode" not in pd.read_csv(path).columns, path.name


def test_one_quarter_is_named_in_the_singular():
    flows = load_fictitious_dataset().flows
    q3 = flows[flows.quarter == 3]
    facts = headline_facts(q3, INDRE, quarters_filter=[3])
    assert evolution_sentence(facts, "export") == (
        "Les exportations du trimestre 3 de 2024 ont progressé de 5,9\u202f% par rapport "
        "au même trimestre de 2023 ; l'Italie y a contribué pour 4,2 points."
    )
    texts = build_fiche(q3, INDRE, quarters_filter=[3]).document().texts()
    assert any(
        "sur le trimestre 3 de chaque année (le seul disponible" in t for t in texts
    )


def test_a_territory_without_a_compared_quarter_gets_no_variation(in_progress):
    """Indre without rows in 2024's quarter 2: its data are « limitées » to 1 and 3."""
    gap = in_progress[
        ~(
            (in_progress.year == 2024)
            & (in_progress.quarter == 2)
            & (in_progress.departement == "36")
        )
    ]
    facts = headline_facts(gap, INDRE)
    block = facts["evolution"]["export"]
    assert block["missing_quarters"] == [2]
    assert block["change_pct"] is None
    assert block["contributions"] == {"partners": [], "products": []}
    assert facts["evolution"]["balance"]["change_eur"] is None
    assert evolution_sentence(facts, "export") is None
    texts = build_fiche(gap, INDRE).document().texts()
    assert (
        "Aucune donnée d’exportation de l’Indre au trimestre 2 de 2024\u202f: la variation "
        "des exportations n’est pas calculée." in texts
    )


def test_a_missing_year_before_is_named(in_progress):
    texts = build_fiche(in_progress[in_progress.year != 2023], INDRE).document().texts()
    assert "Aucune donnée pour 2023\u202f: aucune variation n’est calculée." in texts


def test_partners_table_names_a_missing_flow(in_progress):
    from frtrade.fiche._write import dated_tables

    no_imports = in_progress[
        ~((in_progress.year == 2024) & (in_progress.flow == "import"))
    ]
    table = dated_tables(build_fiche(no_imports, INDRE))["partenaires"]
    assert set(table["periode"]) == {
        "exportations\u202f: 2024, trimestres 1 à 3\u202f; importations\u202f: non disponible"
    }


@pytest.fixture(scope="module")
def imports_one_quarter_short(in_progress) -> pd.DataFrame:
    """Exports of 2024's quarters 1 to 3, imports of quarters 1 and 2 only."""
    late = (in_progress.year == 2024) & (in_progress.flow == "import")
    return in_progress[~(late & (in_progress.quarter == 3))]


def test_no_balance_between_flows_of_different_quarters(imports_one_quarter_short):
    """Exports Q1–Q3 less imports Q1–Q2 was given as Indre's balance (+406,5 M€)."""
    flows = imports_one_quarter_short
    facts = headline_facts(flows, INDRE)
    exports = _sum(flows, flow="export", year=2024, quarters=[1, 2, 3])
    imports = _sum(flows, flow="import", year=2024, quarters=[1, 2])
    assert facts["export"]["total_eur"] == pytest.approx(exports, abs=0.01)
    assert facts["import"]["total_eur"] == pytest.approx(imports, abs=0.01)
    assert facts["balance_eur"] is None
    assert facts["coverage_rate"] is None
    assert facts["data"]["balanced"] is False
    assert {p["balance_eur"] for p in facts["partners"]} == {None}
    assert all(p["export_eur"] is not None for p in facts["partners"])
    assert facts["ranks"]["balance_eur"]["rank"] is None
    assert facts["ranks"]["coverage_rate"]["rank"] is None
    assert facts["ranks"]["export_eur"]["rank"] is not None
    assert facts["data"]["notes"][-1] == (
        "Solde commercial et taux de couverture non calculés : les exportations couvrent "
        "les trimestres 1 à 3 de 2024, les importations les trimestres 1 et 2."
    )


def test_the_same_quarters_keep_their_balance(in_progress):
    facts = headline_facts(in_progress, INDRE)
    exports = _sum(in_progress, flow="export", year=2024, quarters=[1, 2, 3])
    imports = _sum(in_progress, flow="import", year=2024, quarters=[1, 2, 3])
    assert facts["data"]["balanced"] is True
    assert facts["balance_eur"] == pytest.approx(exports - imports, abs=0.01)
    assert facts["ranks"]["balance_eur"]["rank"] is not None


def test_the_fiche_draws_no_balance_between_flows_of_different_quarters(
    imports_one_quarter_short,
):
    from frtrade.fiche._texts import key_figure_rows

    fiche = build_fiche(imports_one_quarter_short, INDRE)
    assert fiche.partners["balance_eur"].isna().all()
    assert fiche.partners["import_eur"].notna().all()
    assert not set(fiche.ranks["metric"]) & {"balance_eur", "coverage_rate"}
    rows = dict(key_figure_rows(fiche))
    assert rows["Solde commercial"] == rows["Taux de couverture"] == "non disponible"
    panels = fiche.chart("partenaires").to_dict()["hconcat"]
    assert len(panels) == 3  # imports, names, exports: no « Solde (M€) » panel
    assert "Solde" not in str(panels)
    evolution = json.dumps(fiche.chart("evolution").to_dict(), ensure_ascii=False)
    assert "Exportations" in evolution
    assert "Solde (" not in evolution  # no key of a series with no value
    text = repr(fiche.document())
    assert "La balance commerciale par pays n’est pas établie" in text
    assert "les exportations couvrent les trimestres 1 à 3 de 2024" in text
    assert "Le delta constitue la balance commerciale" not in text
    assert "la balance globale" not in text
    assert "la balance globale" in repr(
        build_fiche(load_fictitious_dataset().flows, INDRE).document()
    )
