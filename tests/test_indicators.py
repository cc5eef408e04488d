from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frtrade.errors import YearNotAvailableError
from frtrade.indicators import (
    OTHER,
    all_territories,
    headline_facts,
    partners,
    products,
    sankey_links,
    shares,
    top_n_with_other,
    totals,
)
from frtrade.territories import Territory
from frtrade.testing import tiny_trade_flows, trade_flows

INDRE = Territory.resolve("36")
CVL = Territory.region("24")
FRANCE = Territory.france()


# --------------------------------------------------------------------------- exact values


def test_totals_exact():
    t = totals(tiny_trade_flows(), CVL).iloc[0]
    assert (t.export_eur, t.import_eur, t.balance_eur) == (1500.0, 900.0, 600.0)
    assert t.coverage_rate == pytest.approx(1500 / 900)
    f = totals(tiny_trade_flows()).iloc[0]
    assert (f.territory, f.export_eur, f.import_eur) == ("france", 2500.0, 1800.0)


def test_totals_zero_imports_give_nan_coverage():
    flows = tiny_trade_flows()
    t = totals(flows[flows.flow == "export"], INDRE).iloc[0]
    assert t.import_eur == 0.0
    assert math.isnan(t.coverage_rate)


def test_shares_exact():
    s = shares(tiny_trade_flows(), INDRE).set_index("flow")
    # Indre exports in quarters 1-2: the région (Cher: quarter 3) and France
    # (Paris: quarter 4) on those quarters only (see test_shares_quarters.py)
    assert s.loc["export", "region_eur"] == 1000.0
    assert s.loc["export", "share_of_region"] == 1.0
    assert s.loc["export", "shares_quarters"] == "1,2"
    assert s.loc["import", "region_eur"] == 900.0
    assert s.loc["import", "share_of_region"] == pytest.approx(600 / 900)
    assert s.loc["import", "share_of_france"] == pytest.approx(600 / 1800)
    region = shares(tiny_trade_flows(), CVL).set_index("flow")
    assert region["share_of_region"].isna().all()
    # the région exports in quarters 1-3, France in 1-4 too (Paris)
    assert region.loc["export", "share_of_france"] == 1.0  # 1500 / 1500
    assert region.loc["export", "shares_quarters"] == "1,2,3"
    france = shares(tiny_trade_flows(), FRANCE)
    assert france[["share_of_region", "share_of_france"]].isna().all().all()
    assert france.france_eur.tolist() == [2500.0, 1800.0]


def test_products_exact_with_other_last():
    table = products(tiny_trade_flows(), FRANCE, flow="export", n=2)
    assert table.code.tolist() == ["C20B", "C21Z", OTHER]
    assert table.value_eur.tolist() == [1000.0, 900.0, 600.0]
    assert table.name.tolist()[-1] == "Autres produits"
    assert table.share.tolist() == pytest.approx([0.4, 0.36, 0.24])
    assert table["rank"].tolist() == [1, 2, 3]  # ranks start at 1 (C2)


def test_products_coarser_levels_and_cpf4():
    a17 = products(tiny_trade_flows(), FRANCE, flow="import", level="a17")
    assert dict(zip(a17.code, a17.value_eur, strict=True)) == {
        "C5": 1100.0,  # textiles (C14Z) 900 + pharmacy (C21Z) 200
        "C3": 400.0,
        "C4": 300.0,
    }
    cpf4 = products(tiny_trade_flows(), INDRE, flow="export", level="cpf4")
    assert cpf4.code.tolist() == ["2120", "2910"]


def test_ties_ranked_by_code():
    df = pd.DataFrame({"k": ["b", "a", "c"], "v": [1.0, 1.0, 1.0]})
    assert top_n_with_other(df, key="k", value="v", n=2).k.tolist() == ["a", "b", OTHER]


def test_no_other_row_when_nothing_left():
    df = pd.DataFrame({"k": ["a", "b"], "v": [2.0, 1.0]})
    out = top_n_with_other(df, key="k", value="v", n=5)
    assert out.k.tolist() == ["a", "b"]
    assert not out.is_other.any()


def test_partners_exact():
    p = partners(tiny_trade_flows(), FRANCE, n=1)
    # top-1 exporter: US (1 100), top-1 importer: CN (1 300); ordered by X + M
    assert p.code.tolist() == ["CN", "US"]
    p = partners(tiny_trade_flows(), FRANCE, n=2)
    assert p.code.tolist() == ["CN", "US", "DE"]  # X + M: 2 300, 1 100, 900
    assert p.balance_eur.tolist() == [-300.0, 1100.0, -100.0]


def test_sankey_export_and_import_directions():
    exp = sankey_links(
        tiny_trade_flows(), FRANCE, flow="export", n_products=2, n_countries=2, k=2
    )
    assert set(exp.source) == {"C20B", "C21Z", OTHER}
    assert set(exp.target) <= {"CN", "US", OTHER}
    assert exp.value_eur.sum() == 2500.0
    top = exp[exp.highlight]
    assert list(zip(top.source, top.target, strict=True)) == [
        ("C20B", "CN"),
        ("C21Z", "US"),
    ]
    imp = sankey_links(tiny_trade_flows(), INDRE, flow="import")
    assert list(zip(imp.source, imp.target, strict=True)) == [
        ("CN", "C26A"),
        ("DE", "C21Z"),
    ]
    assert imp.source_name.tolist() == ["Chine", "Allemagne"]


def test_year_defaults_to_the_latest():
    flows = pd.concat(
        [tiny_trade_flows(), tiny_trade_flows().assign(year=np.int16(2023))]
    )
    flows = flows.reset_index(drop=True)
    # C2: the latest year by default, a clear error naming the years present.
    assert shares(flows, INDRE).year.tolist() == [2024, 2024]
    assert shares(flows, INDRE, year=2023).value_eur.tolist() == [1000.0, 600.0]
    assert totals(flows, INDRE).year.tolist() == [2023, 2024]
    with pytest.raises(YearNotAvailableError) as info:
        products(flows, INDRE, year=1999)
    assert info.value.available == [2023, 2024]


def test_functions_do_not_mutate_input():
    flows = tiny_trade_flows()
    before = flows.copy()
    headline_facts(flows, INDRE)
    all_territories(flows)
    pd.testing.assert_frame_equal(flows, before)


def test_headline_facts_shape_and_json(fictitious):
    facts = headline_facts(fictitious.flows, INDRE, report=fictitious.report)
    text = json.dumps(facts, allow_nan=False)
    assert json.loads(text)["schema_version"] == 2
    assert facts["territory"] == {
        "level": "departement",
        "code": "36",
        "name": "Indre",
        "region": {"code": "24", "dgddi_code": "04", "name": "Centre-Val de Loire"},
    }
    assert facts["year"] == 2024
    assert facts["quarters"] == [1, 2, 3, 4]
    assert facts["export"]["total_eur"] == 1_274_700_000.0
    assert facts["import"]["total_eur"] == 1_119_200_000.0
    assert round(facts["export"]["share_of_region"] * 100, 1) == 4.6
    assert round(facts["export"]["share_of_france"] * 100, 2) == 0.22
    assert round(facts["import"]["share_of_region"] * 100, 1) == 4.2
    assert round(facts["import"]["share_of_france"] * 100, 2) == 0.16
    assert facts["balance_eur"] == 155_500_000.0
    assert facts["data"]["fictitious"] is True
    assert facts["data"]["valuation"] == {"export": "FAB", "import": "CAF"}
    assert facts["products"]["export"][-1]["code"] == OTHER
    for flow in ("export", "import"):
        links = facts["sankey"][flow]
        assert sum(link["value_eur"] for link in links) == facts[flow]["total_eur"]
        assert sum(link["highlight"] for link in links) == 5
        assert (
            sum(p["value_eur"] for p in facts["products"][flow])
            == facts[flow]["total_eur"]
        )
    france = headline_facts(fictitious.flows, FRANCE)
    assert france["export"]["share_of_region"] is None
    assert france["export"]["share_of_france"] is None
    assert france["territory"]["region"] is None


def test_all_territories_on_the_embedded_dataset(fictitious):
    tables = all_territories(fictitious.flows)
    assert tables.totals.territory.nunique() == 101 + 14 + 1
    one = tables.for_territory(INDRE)
    pd.testing.assert_frame_equal(one.products, products(fictitious.flows, INDRE))
    pd.testing.assert_frame_equal(one.partners, partners(fictitious.flows, INDRE))
    expected = pd.concat(
        [sankey_links(fictitious.flows, INDRE, flow=f) for f in ("export", "import")],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(one.sankey, expected)
    pd.testing.assert_frame_equal(one.shares, shares(fictitious.flows, INDRE))


# --------------------------------------------------------------------------- properties


@given(flows=trade_flows(), n=st.integers(0, 6))
def test_top_n_plus_other_equals_total_to_the_cent(flows, n):
    for flow in ("export", "import"):
        rows = flows[flows.flow == flow]
        if rows.empty:
            continue
        table = products(rows, FRANCE, flow=flow, n=n)
        assert abs(table.value_eur.sum() - rows.value_eur.sum()) < 0.005
        assert (table["rank"].diff().dropna() > 0).all()
        assert table.is_other.sum() <= 1
        if table.is_other.any():
            assert table.is_other.iloc[-1]
        assert len(table) <= n + 1


@given(flows=trade_flows())
def test_shares_within_unit_interval_and_sum_to_one(flows):
    table = products(flows, FRANCE, n=3)
    for _, group in table.groupby("flow"):
        if group.value_eur.sum() > 0:
            assert group.share.between(0, 1).all()
            assert group.share.sum() == pytest.approx(1.0)


@settings(max_examples=25)
@given(flows=trade_flows(), seed=st.integers(0, 2**32 - 1))
def test_invariant_to_row_order(flows, seed):
    shuffled = flows.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    a, b = all_territories(flows, n=3, k=2), all_territories(shuffled, n=3, k=2)
    for name in ("totals", "shares", "partners", "products", "sankey"):
        left = (
            getattr(a, name)
            .sort_values(list(getattr(a, name).columns[:4]))
            .reset_index(drop=True)
        )
        right = (
            getattr(b, name)
            .sort_values(list(getattr(b, name).columns[:4]))
            .reset_index(drop=True)
        )
        pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-12)


@settings(max_examples=30)
@given(flows=trade_flows(max_rows=30), parts=st.integers(2, 4))
def test_invariant_to_splitting_a_row_into_quarters(flows, parts):
    row = flows.iloc[[0]]
    value = float(row.value_eur.iloc[0])
    pieces = [np.floor(value / parts)] * (parts - 1)
    pieces.append(value - sum(pieces))
    split = pd.concat([row] * parts, ignore_index=True)
    split["value_eur"] = pieces
    split["quarter"] = np.arange(1, parts + 1, dtype=np.int8)
    more = pd.concat([flows.iloc[1:], split], ignore_index=True)
    for flow in ("export", "import"):
        a = products(flows, FRANCE, flow=flow)
        b = products(more, FRANCE, flow=flow)
        pd.testing.assert_frame_equal(a, b)


@given(flows=trade_flows(), n=st.integers(1, 5), k=st.integers(0, 6))
def test_sankey_links_sum_to_flow_and_node_totals(flows, n, k):
    for flow in ("export", "import"):
        rows = flows[flows.flow == flow]
        if rows.empty:
            continue
        links = sankey_links(rows, FRANCE, flow=flow, n_products=n, n_countries=n, k=k)
        assert abs(links.value_eur.sum() - rows.value_eur.sum()) < 0.005
        product_side = "source" if flow == "export" else "target"
        product_totals = rows.groupby(rows.a129.astype(str)).value_eur.sum()
        for code, value in links.groupby(product_side).value_eur.sum().items():
            if code != OTHER:
                assert value == pytest.approx(product_totals[code])
        assert links.groupby(product_side).ngroups <= n + 1
        # Highlighted links are the k largest eligible ones.
        eligible = links[(links.source != OTHER) & (links.target != OTHER)]
        expected = eligible.sort_values(
            ["value_eur", "source", "target"], ascending=[False, True, True]
        ).head(k)
        assert set(expected.index) == set(links.index[links.highlight])


@settings(max_examples=20)
@given(flows=trade_flows(max_rows=40))
def test_all_territories_agrees_with_one_territory_functions(flows):
    tables = all_territories(flows, n=3, k=2)
    for slug in tables.totals.territory.unique():
        if slug == "france":
            territory = FRANCE
        elif slug == "region-DOM":
            territory = Territory.region("24", scheme="dgddi")
        elif slug.startswith("region-"):  # INSEE code (C1)
            territory = Territory.region(slug.removeprefix("region-"))
        else:
            territory = Territory.departement(slug.removeprefix("departement-"))
        one = tables.for_territory(territory)
        pd.testing.assert_frame_equal(one.totals, totals(flows, territory))
        pd.testing.assert_frame_equal(
            one.shares, shares(flows, territory), check_exact=False
        )
        pd.testing.assert_frame_equal(one.products, products(flows, territory, n=3))
        pd.testing.assert_frame_equal(one.partners, partners(flows, territory, n=3))


@given(flows=trade_flows())
def test_share_of_france_is_share_of_region_times_region_share(flows):
    # On the same quarters: the département's own quarters of the flow (its
    # shares divide the région and France on those quarters only).
    for code in flows.departement.unique():
        dep = Territory.departement(str(code))
        dep_shares = shares(flows, dep).set_index("flow")
        for flow in ("export", "import"):
            s_r = dep_shares.loc[flow, "share_of_region"]
            if np.isnan(s_r):
                continue
            own = flows[dep.mask(flows) & (flows["flow"] == flow).to_numpy()]
            quarters = set(own["quarter"])
            same = flows[flows["quarter"].isin(quarters)] if quarters else flows
            reg_shares = shares(same.reset_index(drop=True), dep.parent())
            reg_shares = reg_shares.set_index("flow")
            if quarters:  # without rows of its own, the value is 0: 0 = 0 * x
                assert pd.isna(reg_shares.loc[flow, "shares_quarters"])
            assert dep_shares.loc[flow, "share_of_france"] == pytest.approx(
                s_r * reg_shares.loc[flow, "share_of_france"]
            )


def test_territory_without_rows_has_unknown_totals_never_zero():
    # C2: a flow with no row for the territory is unavailable: None, never 0.
    facts = headline_facts(tiny_trade_flows(), Territory.resolve("13"))
    assert facts["export"] == {
        "total_eur": None,
        "share_of_region": None,
        "share_of_france": None,
    }
    assert facts["balance_eur"] is None
    assert facts["coverage_rate"] is None
    assert facts["data"]["coverage"]["export"]["available"] is False
    assert facts["partners"] == []
    assert facts["sankey"] == {"export": [], "import": []}


def test_territory_tables_match_single_functions(fictitious):
    from frtrade.indicators import territory_tables

    one = territory_tables(fictitious.flows, INDRE)
    pd.testing.assert_frame_equal(one.partners, partners(fictitious.flows, INDRE))
    pd.testing.assert_frame_equal(one.products, products(fictitious.flows, INDRE))
    pd.testing.assert_frame_equal(
        one.totals, totals(fictitious.flows, INDRE, year=2024)
    )


def test_table_of_one_territory_is_the_filtered_table(fictitious):
    # the row index of TerritoryTables.table gives exactly the mask filter
    tables = all_territories(fictitious.flows, indicators=True)
    slugs = sorted(set(tables.totals["territory"]))
    assert len(tables.names()) > 5
    for slug in [*slugs[::7], "france", "departement-9E", "nowhere"]:
        for name in tables.names():
            whole = getattr(tables, name, None)
            if name in tables.indicators:
                whole = tables.indicators[name]
            expected = whole[whole["territory"] == slug].reset_index(drop=True)
            pd.testing.assert_frame_equal(tables.table(name, slug), expected)
    one = tables.for_territory("departement-36")
    assert set(one.totals["territory"]) == {"departement-36"}
    with pytest.raises(KeyError, match="no table 'sankeys'"):
        tables.table("sankeys", "france")


def test_table_index_follows_a_replaced_table():
    tables = all_territories(tiny_trade_flows(), indicators=True)
    assert len(tables.table("evolution", "departement-36"))
    indicators = dict(tables.indicators)
    shorter = indicators["evolution"].iloc[:0]
    object.__setattr__(tables, "indicators", {**indicators, "evolution": shorter})
    assert tables.table("evolution", "departement-36").empty  # not the stale rows


def test_table_index_follows_a_table_reordered_in_place():
    tables = all_territories(tiny_trade_flows())
    before = tables.table("partners", "departement-36")
    partners = tables.partners  # the same frame object, its rows reversed in place
    for column in partners.columns:
        partners[column] = partners[column].iloc[::-1].to_numpy()
    after = tables.table("partners", "departement-36")
    assert set(after["territory"]) == {"departement-36"}
    pd.testing.assert_frame_equal(
        after.sort_values("code").reset_index(drop=True),
        before.sort_values("code").reset_index(drop=True),
    )


@pytest.mark.parametrize("year", [2024, 2021])
def test_contributions_depend_on_the_two_years_compared_only(fictitious, year):
    # six years loaded: the other four change nothing (they are left out early)
    from frtrade.indicators import compute_indicators

    flows = fictitious.flows
    assert flows["year"].nunique() == 6
    two = flows[flows["year"].isin([year - 1, year])].reset_index(drop=True)
    for territory in (None, Territory.resolve("13")):
        whole = compute_indicators(flows, territory, year=year, names=["contributions"])
        only = compute_indicators(two, territory, year=year, names=["contributions"])
        table = whole["contributions"]
        assert len(table) > 100 if territory is None else len(table) > 20
        pd.testing.assert_frame_equal(table, only["contributions"], check_exact=True)
