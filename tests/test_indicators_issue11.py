"""Issue 11 indicators: exact values on a hand-made table, and properties."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from hypothesis import given, settings

from frtrade.errors import YearNotAvailableError
from frtrade.indicators import (
    INDICATORS,
    OTHER,
    all_territories,
    compute_indicators,
    data_coverage,
    eu_members,
    headline_facts,
    territory_key,
)
from frtrade.schemas import TRADE_FLOWS_COLUMNS, validate_trade_flows
from frtrade.territories import Territory
from frtrade.testing import tiny_trade_flows, trade_flows

INDRE = Territory.resolve("36")

ROWS = [
    # flow, year, quarter, dép, région, A129, CPF4, country, value, mass
    ("export", 2023, 1, "36", "04", "C21Z", "2120", "US", 100.0, 1.0),
    ("export", 2023, 1, "36", "04", "C21Z", "2120", "DE", 300.0, 1.0),
    ("export", 2023, 2, "36", "04", "C29A", "2910", "DE", 100.0, 1.0),
    ("import", 2023, 1, "36", "04", "C26A", "2611", "CN", 200.0, 1.0),
    ("export", 2024, 1, "36", "04", "C21Z", "2120", "US", 300.0, 1.0),
    ("export", 2024, 2, "36", "04", "C21Z", "2120", "DE", 200.0, 1.0),
    ("export", 2024, 3, "36", "04", "C29A", "2910", "GB", 100.0, 1.0),
    ("import", 2024, 1, "36", "04", "C26A", "2611", "CN", 400.0, 1.0),
    ("import", 2024, 4, "36", "04", "C21Z", "2120", "DE", 200.0, 1.0),
    ("export", 2024, 1, "75", "03", "C29A", "2910", "US", 400.0, 1.0),
]


# Each year of each flow held in its four quarters (zero rows of existing
# keys: no value changes), so that the two years compare whole years; a year
# in progress is tested in tests/test_year_in_progress.py.
WHOLE_YEAR_ROWS = [
    *ROWS,
    *(("export", 2023, q, "36", "04", "C21Z", "2120", "US", 0.0, 0.0) for q in (3, 4)),
    ("export", 2024, 4, "36", "04", "C21Z", "2120", "US", 0.0, 0.0),
    *(
        ("import", 2023, q, "36", "04", "C26A", "2611", "CN", 0.0, 0.0)
        for q in (2, 3, 4)
    ),
    *(("import", 2024, q, "36", "04", "C26A", "2611", "CN", 0.0, 0.0) for q in (2, 3)),
]


def hand_made(rows: list[tuple[object, ...]] = ROWS) -> pd.DataFrame:
    return validate_trade_flows(
        pd.DataFrame.from_records(rows, columns=list(TRADE_FLOWS_COLUMNS))
    )


def whole_years() -> pd.DataFrame:
    return hand_made(WHOLE_YEAR_ROWS)


@pytest.fixture(scope="module")
def indre() -> dict[str, pd.DataFrame]:
    return compute_indicators(whole_years(), INDRE)


def test_registry_lists_every_issue11_indicator():
    assert set(INDICATORS) == {
        "evolution",
        "contributions",
        "exposure",
        "exposure_products",
        "dependence",
        "concentration",
        "specialisation",
        "balance_contribution",
        "ranks",
    }


def test_evolution_exact(indre):
    evo = indre["evolution"].set_index(["flow", "year"])
    assert evo.loc[("export", 2023), "value_eur"] == 500.0
    assert evo.loc[("export", 2024), "change_eur"] == 100.0
    assert evo.loc[("export", 2024), "change_pct"] == pytest.approx(0.2)
    assert evo.loc[("export", 2024), "cagr"] == pytest.approx(0.2)
    assert evo.loc[("import", 2024), "change_pct"] == pytest.approx(2.0)
    assert evo.loc[("balance", 2023), "value_eur"] == 300.0
    assert evo.loc[("balance", 2024), "change_eur"] == -300.0
    assert math.isnan(evo.loc[("export", 2023), "change_eur"])


def test_contributions_exact(indre):
    c = indre["contributions"]
    partners = c[(c.flow == "export") & (c.dimension == "partner")]
    # |change| 200 for DE and US (tie: code), then GB.
    assert partners.code.tolist() == ["DE", "US", "GB"]
    assert partners.change_eur.tolist() == [-200.0, 200.0, 100.0]
    assert partners.contribution_pp.tolist() == pytest.approx([-40.0, 40.0, 20.0])
    assert partners["rank"].tolist() == [1, 2, 3]
    assert partners.name.tolist()[0] == "Allemagne"
    balance = c[(c.flow == "balance")].set_index("code")
    # Balance by partner: CN −200, DE −400 (exports −200, imports +200), US +200.
    assert balance.loc["CN", "change_eur"] == -200.0
    assert balance.loc["DE", "change_eur"] == -400.0
    assert balance.change_eur.sum() == -300.0
    assert balance.contribution_pp.sum() == pytest.approx(-100.0)  # / |B(y−1)|


def test_contributions_gather_the_rest_in_autres():
    codes = ["AT", "BE", "CH", "DE", "ES", "FI", "GB", "IT", "JP", "NL", "PL", "US"]
    rows = []
    for m, code in enumerate(codes, start=1):  # 2023: m €, 2024: 2m € (+5 for US)
        for year, value in ((2023, m), (2024, 2 * m + (5 if code == "US" else 0))):
            rows.append(
                ("export", year, 1, "36", "04", "C21Z", "2120", code, value, 1.0)
            )
    flows = validate_trade_flows(
        pd.DataFrame.from_records(rows, columns=list(TRADE_FLOWS_COLUMNS))
    )
    table = compute_indicators(flows, INDRE, names=["contributions"])["contributions"]
    partners = table[(table.flow == "export") & (table.dimension == "partner")]
    assert len(partners) == 11
    assert partners.code.iloc[-1] == OTHER
    assert partners.name.iloc[-1] == "Autres pays"
    assert partners.is_other.iloc[-1]
    # Two smallest changes (1 and 2) are in AUTRES; US (12 + 5) is first.
    assert partners.code.iloc[0] == "US"
    assert partners.change_eur.iloc[-1] == 3.0
    assert partners.change_eur.sum() == 78.0 + 5.0


def test_exposure_exact(indre):
    e = indre["exposure"]
    export = e[e.flow == "export"].set_index("group")
    assert export.loc["US", "share"] == pytest.approx(0.5)
    assert export.loc["EU", "share"] == pytest.approx(1 / 3)  # GB is not EU in 2024
    assert export.loc["non_EU", "value_eur"] == 400.0
    assert export.loc["CN", "value_eur"] == 0.0
    products = indre["exposure_products"]
    row = products[products.flow == "export"].iloc[0]
    assert (row.code, row.value_eur, row["rank"]) == ("C21Z", 300.0, 1)
    assert row.share_of_product == pytest.approx(0.6)
    assert row.share_of_partner == pytest.approx(1.0)
    assert products[products.flow == "import"].empty  # no import from the US


def test_eu_membership_follows_the_year():
    assert "GB" in eu_members(2019)
    assert "GB" not in eu_members(2020)
    assert "HR" in eu_members(2019)
    assert "FR" not in eu_members(2024)
    flows = hand_made().assign(year=lambda f: f.year - 5)  # 2018-2019
    e = compute_indicators(flows, INDRE, names=["exposure"])["exposure"]
    export = e[e.flow == "export"].set_index("group")
    assert export.loc["EU", "share"] == pytest.approx(0.5)  # DE 200 + GB 100


def test_dependence_exact(indre):
    d = indre["dependence"]
    assert d.code.tolist() == ["C26A", "C21Z"]
    assert d.top_supplier.tolist() == ["CN", "DE"]
    assert d.top_supplier_share.tolist() == [1.0, 1.0]


def test_concentration_exact(indre):
    c = indre["concentration"].set_index("flow")
    assert c.loc["export", "hhi_partners"] == pytest.approx(
        2500 + 10000 / 9 + 10000 / 36
    )
    assert c.loc["export", "hhi_products"] == pytest.approx(
        (500 / 6) ** 2 + (100 / 6) ** 2
    )
    assert c.loc["export", "n80_partners"] == 2
    assert c.loc["import", "n80_partners"] == 2  # CN 2/3 < 80 %


def test_n80_reaches_exactly_80_percent():
    rows = [
        ("export", 2024, 1, "36", "04", "C21Z", "2120", "DE", 80.0, 1.0),
        ("export", 2024, 1, "36", "04", "C21Z", "2120", "US", 20.0, 1.0),
    ]
    flows = validate_trade_flows(
        pd.DataFrame.from_records(rows, columns=list(TRADE_FLOWS_COLUMNS))
    )
    c = compute_indicators(flows, INDRE, names=["concentration"])["concentration"]
    assert c.n80_partners.tolist() == [1]  # "≥ 80 %"


def test_specialisation_exact(indre):
    s = indre["specialisation"]
    export = s[s.flow == "export"].set_index("code")
    assert export.loc["C21Z", "share_france"] == pytest.approx(0.5)
    assert export.loc["C21Z", "lq"] == pytest.approx(5 / 3)
    assert export.loc["C29A", "lq"] == pytest.approx(1 / 3)
    assert export["rank"].tolist() == [1, 2]
    b = indre["balance_contribution"].set_index("code")
    assert b.loc["C21Z", "contribution_pct"] == pytest.approx(50.0)
    assert b.loc["C29A", "contribution_pct"] == pytest.approx(100 / 6)
    assert b.loc["C26A", "contribution_pct"] == pytest.approx(-400 / 6)


def test_ranks_exact(indre):
    r = indre["ranks"].set_index("metric")
    assert r.loc["export_eur", "rank"] == 1
    assert r.loc["export_eur", "of"] == 2
    assert r.loc["balance_eur", "rank"] == 2  # Paris 400 > Indre 0
    assert r.loc["coverage_rate", "rank"] == 1
    assert r.loc["coverage_rate", "of"] == 1  # Paris has no imports: no rate
    assert r.loc["us_share_export", "rank"] == 2  # Paris 100 %
    assert compute_indicators(hand_made(), Territory.france())["ranks"].empty


def test_year_choice_and_errors():
    flows = hand_made()
    one = compute_indicators(flows, INDRE, year=2023)
    assert one["contributions"].empty  # 2022 is not loaded
    assert one["concentration"].year.unique().tolist() == [2023]
    with pytest.raises(YearNotAvailableError):
        compute_indicators(flows, INDRE, year=2022)
    with pytest.raises(ValueError, match="unknown indicators"):
        compute_indicators(flows, INDRE, names=["nope"])


# --------------------------------------------------------------------------- coverage, facts


def test_coverage_and_none_for_missing_flows():
    flows = hand_made()
    exports_2023 = flows[(flows.flow == "export") & (flows.year == 2023)]
    imports_2024 = flows[(flows.flow == "import") & (flows.year == 2024)]
    mixed = pd.concat([exports_2023, imports_2024], ignore_index=True)
    coverage = data_coverage(mixed, INDRE)
    assert coverage.year == 2024
    assert coverage.available == {"export": False, "import": True}
    assert coverage.notes == (
        "Aucune donnée d'exportation pour l'Indre en 2024.",
        "Données d'importation limitées aux trimestres 1 et 4 de 2024.",
    )
    assert coverage.period_label == "2024, trimestres 1 et 4"
    facts = headline_facts(mixed, INDRE)
    assert facts["export"] == {
        "total_eur": None,
        "share_of_region": None,
        "share_of_france": None,
    }
    assert facts["balance_eur"] is None
    assert facts["coverage_rate"] is None
    assert facts["products"]["export"] == []
    assert facts["sankey"]["export"] == []
    assert all(p["export_eur"] is None for p in facts["partners"])
    assert facts["exposure"]["export"] == {
        "value_eur": None,
        "share": None,
        "products": [],
    }
    assert facts["concentration"]["export"]["hhi_partners"] is None
    assert facts["data"]["coverage"]["export"] == {"available": False, "quarters": []}
    json.dumps(facts, allow_nan=False)


def test_period_labels():
    flows = tiny_trade_flows()
    label = data_coverage(flows[flows.quarter <= 3], Territory.france()).period_label
    assert label == "2024, trimestres 1 à 3"
    france = data_coverage(flows, Territory.france())
    # Exports cover four quarters, imports two: the year, with a note.
    assert france.period_label == "2024"
    assert not france.complete
    assert france.notes == (
        "Données d'importation limitées aux trimestres 1 et 2 de 2024.",
        (
            "Solde commercial et taux de couverture non calculés : les exportations "
            "couvrent les trimestres 1 à 4 de 2024, les importations les trimestres 1 et 2."
        ),
    )
    assert not france.balanced


def test_facts_issue11_keys(indre):
    facts = headline_facts(whole_years(), INDRE)
    assert "quarters" not in facts["evolution"]["export"]  # whole years
    evo = facts["evolution"]
    assert evo["years"] == [2023, 2024]
    assert evo["export"]["by_year"] == [
        {"year": 2023, "value_eur": 500.0},
        {"year": 2024, "value_eur": 600.0},
    ]
    assert evo["export"]["change_pct"] == pytest.approx(0.2)
    assert evo["balance"]["change_eur"] == -300.0
    first = evo["export"]["contributions"]["partners"][0]
    assert set(first) == {"code", "label", "change_eur", "contribution_pp"}
    assert facts["exposure"]["partner"] == "US"
    assert facts["exposure"]["export"]["share"] == pytest.approx(0.5)
    groups = facts["exposure"]["groups"]["export"]
    assert groups["EU"] + groups["non_EU"] == pytest.approx(1.0)
    assert facts["dependence"]["import"][0]["top_supplier"] == "CN"
    assert facts["ranks"]["export_eur"] == {"rank": 1, "of": 2}
    china = headline_facts(hand_made(), INDRE, partner="CN")
    assert china["exposure"]["import"]["share"] == pytest.approx(2 / 3)
    json.dumps(facts, allow_nan=False)
    one_year = headline_facts(hand_made()[lambda f: f.year == 2024], INDRE)
    assert "evolution" not in one_year
    assert "ranks" not in headline_facts(hand_made(), Territory.france())


def test_all_territories_keys_regions_by_insee():
    tables = all_territories(hand_made(), indicators=True)
    assert "region-24" in set(tables.totals.territory)  # Centre-Val de Loire
    assert "region-11" in set(tables.totals.territory)  # Île-de-France
    assert territory_key(Territory.region("24", scheme="dgddi")) == "region-DOM"
    assert set(tables.indicators) == set(INDICATORS)


# --------------------------------------------------------------------------- properties

TWO_YEARS = trade_flows(years=(2023, 2024), max_rows=40)


@settings(max_examples=25)
@given(flows=TWO_YEARS)
def test_properties_of_every_indicator(flows):
    out = compute_indicators(flows, None, n=3)
    # Contributions sum to the change (to the cent) and the points to 100 × pct.
    c = out["contributions"]
    evo = out["evolution"].set_index(["territory", "flow", "year"])
    for (territory, flow, _), group in c.groupby(["territory", "flow", "dimension"]):
        change = evo.loc[(territory, flow, 2024), "change_eur"]
        assert abs(group.change_eur.sum() - change) < 0.005
        assert len(group) <= 4
        pct = evo.loc[(territory, flow, 2024), "change_pct"]
        if flow != "balance" and not math.isnan(pct):
            assert group.contribution_pp.sum() == pytest.approx(100 * pct)
    # HHI in [10 000 / N, 10 000].
    conc = out["concentration"]
    long = flows[flows.year == 2024]
    for r in conc.itertuples():
        if r.value_eur == 0:
            continue
        assert 0 < r.hhi_partners <= 10_000 + 1e-6
    # Group shares in [0, 1], EU + non_EU = 1.
    e = out["exposure"].dropna(subset=["share"])
    assert ((e.share >= 0) & (e.share <= 1)).all()
    if not e.empty:
        wide = e.pivot_table(
            index=["territory", "flow"], columns="group", values="share"
        )
        assert ((wide["EU"] + wide["non_EU"] - 1).abs() < 1e-9).all()
    # Σ share_France × lq = 1 per territory and flow.
    s = out["specialisation"]
    totals = (s.share_france * s.lq).groupby([s.territory, s.flow]).sum()
    assert ((totals - 1).abs() < 1e-9).all()
    # Σ c_k = 0.
    b = out["balance_contribution"].groupby("territory").contribution_pct.sum()
    assert (b.abs() < 1e-6).all()
    assert len(long) >= 0


@settings(max_examples=15)
@given(flows=TWO_YEARS)
def test_hhi_lower_bound(flows):
    conc = compute_indicators(flows, None, names=["concentration"])["concentration"]
    latest = flows.year.max()
    sums = (
        flows[(flows.year == latest) & (flows.value_eur > 0)]
        .groupby(["flow", "country"], observed=True)
        .value_eur.sum()
    )
    france = conc[conc.territory == "france"].set_index("flow")
    for flow, hhi in france.hhi_partners.dropna().items():
        n = int((sums.loc[flow] > 0).sum())
        assert 10_000 / n - 1e-6 <= hhi <= 10_000 + 1e-6


@settings(max_examples=15)
@given(flows=TWO_YEARS)
def test_all_territories_equal_one_territory(flows):
    everything = compute_indicators(flows, None)
    for code in sorted(flows.departement.unique())[:3]:
        territory = Territory.departement(str(code))
        one = compute_indicators(flows, territory)
        key = territory_key(territory)
        for name, table in everything.items():
            mine = table[table.territory == key].reset_index(drop=True)
            pd.testing.assert_frame_equal(
                mine, one[name], check_exact=False, check_categorical=False
            )


@settings(max_examples=15)
@given(flows=TWO_YEARS)
def test_one_year_gives_the_same_year_figures(flows):
    latest = flows[flows.year == 2024].reset_index(drop=True)
    if latest.empty:
        return
    both = headline_facts(flows, INDRE)
    one = headline_facts(latest, INDRE)
    both.pop("evolution", None)
    assert both == one


def test_evolution_of_a_year_without_the_flow_is_unknown_not_zero():
    flows = whole_years()
    flows = flows[~((flows.year == 2023) & (flows.flow == "import"))]
    evo = compute_indicators(flows, INDRE, names=["evolution"])["evolution"]
    evo = evo.set_index(["flow", "year"])
    assert math.isnan(evo.loc[("import", 2023), "value_eur"])
    assert math.isnan(evo.loc[("balance", 2023), "value_eur"])
    assert math.isnan(evo.loc[("import", 2024), "change_eur"])
    assert evo.loc[("export", 2024), "change_eur"] == 100.0


@pytest.mark.parametrize(
    ("partner", "flow", "where"),
    [
        ("US", "export", "vont vers les États-Unis"),
        ("US", "import", "viennent des États-Unis"),
        ("CN", "import", "viennent de Chine"),
        ("DE", "import", "viennent d'Allemagne"),
        ("LU", "import", "viennent du Luxembourg"),
    ],
)
def test_exposure_sentence_says_where_in_french(partner, flow, where):
    from frtrade.indicators import exposure_sentence

    facts = {
        "exposure": {
            "partner": partner,
            flow: {"share": 0.25, "value_eur": 1.5e8, "products": []},
        }
    }
    sentence = exposure_sentence(facts, flow)
    assert sentence is not None
    assert where in sentence.replace("\u202f", " ")
