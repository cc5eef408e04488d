"""Spec tests of the issue 11 charts (evolution, exposure, position)."""

from __future__ import annotations

import pandas as pd
import pytest

from frtrade.charts.evolution import evolution_chart
from frtrade.charts.exposure import exposure_chart
from frtrade.charts.position import position_chart
from frtrade.indicators import compute_indicators
from frtrade.render import render_chart
from frtrade.territories import Territory
from frtrade.testing import tiny_trade_flows

INDRE = Territory.resolve("36")


def two_years() -> pd.DataFrame:
    # quarters 1 and 2, those of the tiny imports: both flows compared on the
    # same quarters, so the balance is known (Indre has no row in 3 and 4)
    new = tiny_trade_flows()[lambda f: f.quarter <= 2]
    old = new.assign(year=2023)
    old["value_eur"] = old["value_eur"] / 2
    return pd.concat([old, new], ignore_index=True)


def test_evolution_chart_draws_values_in_meur_with_french_labels():
    evo = compute_indicators(two_years(), INDRE, names=["evolution"])["evolution"]
    spec = evolution_chart(evo, title="Évolution", source="Source : DGDDI").to_dict()
    layers = spec["vconcat"][0]["layer"]
    values = {d["serie"]: d for d in spec["datasets"][layers[2]["data"]["name"]]}
    assert set(values) == {"Exportations", "Importations"}
    balance = spec["datasets"][layers[0]["data"]["name"]]
    assert [d["meur"] * 1e6 for d in balance] == pytest.approx([200.0, 400.0])
    assert spec["title"]["text"] == "Évolution"
    note = spec["datasets"][spec["vconcat"][1]["data"]["name"]]
    assert note == [{"text": "Source : DGDDI"}]
    assert b"<svg" in render_chart(evolution_chart(evo), "svg")


def test_evolution_chart_leaves_unknown_years_out_and_refuses_two_territories():
    flows = two_years()
    flows = flows[~((flows.year == 2023) & (flows.flow == "import"))]
    evo = compute_indicators(flows, INDRE, names=["evolution"])["evolution"]
    spec = evolution_chart(evo).to_dict()
    drawn = [d for name, rows in spec["datasets"].items() for d in rows if "serie" in d]
    assert not [d for d in drawn if d["year"] == "2023" and d["flow"] != "export"]
    both = compute_indicators(flows, None, names=["evolution"])["evolution"]
    with pytest.raises(ValueError, match="one territory"):
        evolution_chart(both)


def test_exposure_chart_values_and_shares():
    rows = compute_indicators(
        tiny_trade_flows(), Territory.france(), names=["exposure_products"]
    )["exposure_products"].query("flow == 'export'")
    spec = exposure_chart(rows).to_dict()
    data = next(iter(spec["datasets"].values()))
    assert [d["code"] for d in data] == ["C21Z", "C30C"]  # 600 €, 500 €
    assert [d["share_label"] for d in data] == ["66,7\u202f%", "100,0\u202f%"]
    with pytest.raises(ValueError, match="nothing to draw"):
        exposure_chart(rows.iloc[0:0])


def test_position_chart_highlights_the_territory():
    ranks = compute_indicators(tiny_trade_flows(), names=["ranks"])["ranks"]
    spec = position_chart(ranks, "departement-36").to_dict()
    data = spec["datasets"][spec["layer"][0]["data"]["name"]]
    mine = [d for d in data if d["is_me"]]
    assert len(mine) == 1
    assert mine[0]["rank"] == 1  # Indre exports 1 000 €, like Paris; code 36 < 75
    assert spec["title"]["subtitle"] == "Rang 1 sur 3 départements"
    with pytest.raises(ValueError, match="unknown metric"):
        position_chart(ranks, "departement-36", metric="nope")
    with pytest.raises(ValueError, match="nothing to situate"):
        position_chart(ranks, "departement-13")
