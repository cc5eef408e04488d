"""A share never divides two quarters by three.

When the région (or France) has rows of a flow in quarters where the territory
has none (a missing file, a partial load), the territory's share is computed on
its own quarters, ``shares_quarters`` names them, and every text that shows the
share says so: the fiche sentence, the key figures (HTML, PDF, xlsx) and
``frtrade summary``. With every quarter present nothing changes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from frtrade.cli import main
from frtrade.datasets import load_fictitious_dataset
from frtrade.dgddi import write_dgddi
from frtrade.fiche import build_fiche
from frtrade.fiche._fiche import flow_sentence
from frtrade.indicators import all_territories, headline_facts, shares
from frtrade.outputs._facts import key_figures
from frtrade.territories import Territory
from frtrade.testing import tiny_trade_flows, trade_flows

SAME_PERIOD = "(parts calculées sur la même période : trimestres 1 et 2)"


def test_indre_export_shares_compare_its_two_quarters():
    # Indre exports in quarters 1-2 (1000); Cher, same région, in quarter 3 (500);
    # Paris in quarter 4 (1000). Imports: every territory within quarters 1-2.
    s = shares(tiny_trade_flows(), Territory.resolve("36")).set_index("flow")
    assert s.loc["export", "region_eur"] == 1000.0  # not 1500: Cher's quarter 3
    assert s.loc["export", "france_eur"] == 1000.0  # not 2500
    assert s.loc["export", "share_of_region"] == 1.0
    assert s.loc["export", "shares_quarters"] == "1,2"
    assert s.loc["import", "region_eur"] == 900.0
    assert s.loc["import", "share_of_france"] == pytest.approx(600 / 1800)
    assert pd.isna(s.loc["import", "shares_quarters"])


def test_cher_import_share_is_on_its_one_quarter():
    s = shares(tiny_trade_flows(), Territory.resolve("18")).set_index("flow")
    # Cher imports in quarter 1 (300); Indre in quarters 1 (400) and 2 (200)
    assert s.loc["import", "region_eur"] == 700.0
    assert s.loc["import", "share_of_region"] == pytest.approx(300 / 700)
    assert s.loc["import", "shares_quarters"] == "1"


def test_batch_shares_are_the_single_territory_shares():
    flows = tiny_trade_flows()
    batch = all_territories(flows).shares
    for slug in batch["territory"].unique():
        if slug == "france":
            territory = Territory.france()
        elif slug.startswith("region-"):
            territory = Territory.region(slug.removeprefix("region-"))
        else:
            territory = Territory.resolve(slug.removeprefix("departement-"))
        one = shares(flows, territory)
        pd.testing.assert_frame_equal(
            batch[batch["territory"] == slug].reset_index(drop=True), one
        )


@settings(max_examples=60, deadline=None)
@given(flows=trade_flows(min_rows=2, max_rows=40))
def test_a_share_divides_the_same_quarters(flows):
    territory = Territory.resolve(str(flows["departement"].iloc[0]))
    parent = territory.parent()
    got = shares(flows, territory).set_index("flow")
    batch = all_territories(flows).shares
    batch = batch[batch["territory"] == f"departement-{territory.code}"]
    pd.testing.assert_frame_equal(
        batch.set_index("flow"), got, check_exact=False, rtol=1e-12
    )
    for flow in ("export", "import"):
        own = flows[territory.mask(flows) & (flows["flow"] == flow).to_numpy()]
        quarters = set(own["quarter"])
        in_parent = flows[parent.mask(flows) & (flows["flow"] == flow).to_numpy()]
        if quarters and not set(in_parent["quarter"]) <= quarters:
            expected = in_parent.loc[in_parent["quarter"].isin(quarters), "value_eur"]
            assert got.loc[flow, "region_eur"] == pytest.approx(expected.sum())
            assert got.loc[flow, "shares_quarters"] == ",".join(
                str(q) for q in sorted(quarters)
            )
        else:
            assert got.loc[flow, "region_eur"] == pytest.approx(
                in_parent["value_eur"].sum()
            )
        everywhere = flows[(flows["flow"] == flow).to_numpy()]
        if not quarters or set(everywhere["quarter"]) <= quarters:
            assert pd.isna(got.loc[flow, "shares_quarters"])
            assert got.loc[flow, "france_eur"] == pytest.approx(
                everywhere["value_eur"].sum()
            )


def test_every_text_of_the_fiche_says_the_shares_period():
    flows = tiny_trade_flows()
    facts = headline_facts(flows, Territory.resolve("36"))
    assert facts["export"]["shares_quarters"] == [1, 2]
    assert "shares_quarters" not in facts["import"]
    sentence = flow_sentence(facts, "export", parent_name="Centre-Val de Loire")
    assert sentence.endswith(SAME_PERIOD)
    assert "parts calculées" not in flow_sentence(
        facts, "import", parent_name="Centre-Val de Loire"
    )
    labels = {k.key: k.label for k in key_figures(facts)}
    assert labels["export_share_region"].endswith("région (trimestres 1 et 2)")
    assert labels["export_share_france"].endswith("France (trimestres 1 et 2)")
    assert labels["import_share_region"] == "Part des importations de la région"
    fiche = build_fiche(flows, Territory.resolve("36"))
    html = fiche.html(standalone=False)
    assert SAME_PERIOD in html.replace("\u202f", " ")


def test_summary_says_the_shares_period(tmp_path, capsys):
    path = write_dgddi(tiny_trade_flows(), tmp_path / "tiny_regional_2024.zip")
    code = main(["summary", "36", "--data", str(path)])
    out = capsys.readouterr().out.replace("\u202f", " ")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("Exportations"))
    assert line.endswith("(parts calculées sur la même période : trimestres 1 et 2)"), (
        line
    )
    line = next(x for x in out.splitlines() if x.startswith("Importations"))
    assert "même période" not in line


def test_whole_quarters_change_nothing():
    data = load_fictitious_dataset()
    table = all_territories(data.flows).shares
    assert table["shares_quarters"].isna().all()
    for code in ("36", "13", "9E", "99"):
        facts = headline_facts(data.flows, Territory.resolve(code), report=data.report)
        assert "shares_quarters" not in facts["export"]
        assert "shares_quarters" not in facts["import"]


def test_a_territory_without_a_flow_keeps_the_whole_denominators():
    flows = tiny_trade_flows()
    flows = flows[~((flows["departement"] == "36") & (flows["flow"] == "export"))]
    s = shares(flows.reset_index(drop=True), Territory.resolve("36")).set_index("flow")
    assert s.loc["export", "value_eur"] == 0.0
    assert s.loc["export", "region_eur"] == 500.0  # Cher's quarter 3: every quarter
    assert pd.isna(s.loc["export", "shares_quarters"])
    assert np.isfinite(s.loc["export", "share_of_region"])


def test_index_page_marks_a_share_on_fewer_quarters():
    from frtrade.outputs._index import SAME_PERIOD_MARK, _cell

    facts = headline_facts(tiny_trade_flows(), Territory.resolve("36"))
    figures = {k.key: k for k in key_figures(facts)}
    marked = _cell(figures["export_share_region"])
    assert marked.endswith(f"{SAME_PERIOD_MARK}</td>")
    assert 'title="Part calculée sur la même période : trimestres 1 et 2"' in marked
    assert SAME_PERIOD_MARK not in _cell(figures["import_share_region"])


def test_index_legend_only_when_a_share_is_marked(tmp_path):
    import json

    from frtrade.outputs import write_index

    facts = headline_facts(tiny_trade_flows(), Territory.resolve("36"))
    folder = tmp_path / "departement-36"
    folder.mkdir()
    (folder / "facts.json").write_text(json.dumps(facts), encoding="utf-8")
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert "part calculée sur les seuls trimestres" in page
    facts["export"].pop("shares_quarters")
    (folder / "facts.json").write_text(json.dumps(facts), encoding="utf-8")
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert "part calculée sur les seuls trimestres" not in page


def test_one_quarter_reads_au_trimestre():
    from frtrade.indicators import data_coverage

    flows = tiny_trade_flows()
    notes = data_coverage(flows, Territory.resolve("18")).notes
    assert "Données d'exportation limitées au trimestre 3 de 2024." in notes
    notes = data_coverage(flows, Territory.resolve("36")).notes
    assert "Données d'exportation limitées aux trimestres 1 et 2 de 2024." in notes


# ------------------------------------------------ quarters_filter and the rows given


def test_quarters_filter_must_match_the_rows(tmp_path):
    # a fiche "au trimestre 3 de 2024" built on the whole year would count
    # quarters 1, 2 and 4 under a false period: an error, in every entry point
    from frtrade.fiche import write_all_fiches
    from frtrade.indicators import check_quarters_filter, data_coverage

    flows = tiny_trade_flows()
    indre = Territory.resolve("36")
    message = (
        r"quarters_filter=\[3\] but the rows hold quarters 1, 2, 4 too: keep only the "
        r'rows of quarter 3 \(flows\[flows\["quarter"\]\.isin\(\[3\]\)\]\)'
    )
    with pytest.raises(ValueError, match=message):
        data_coverage(flows, indre, quarters_filter=[3])
    with pytest.raises(ValueError, match=message):
        headline_facts(flows, indre, quarters_filter=[3])
    with pytest.raises(ValueError, match=message):
        build_fiche(flows, indre, quarters_filter=[3])
    with pytest.raises(ValueError, match=message):
        write_all_fiches(flows, tmp_path, formats=["json"], quarters_filter=[3])
    with pytest.raises(
        ValueError, match=r"hold quarters 3, 4 too: keep only the rows of quarters 1, 2"
    ):
        check_quarters_filter(flows, (2, 1, 1))
    for bad in ([], [0], [5], [1, 5], [2.5], [True], [3.0], ["3"]):
        with pytest.raises(ValueError, match="must name quarters 1 to 4"):
            check_quarters_filter(flows, bad)
    # the rows of the filtered quarters pass, and so does no filter at all
    check_quarters_filter(flows[flows["quarter"].isin([1, 2])], [2, 1])
    check_quarters_filter(flows, None)
    check_quarters_filter(flows[flows["quarter"] == 3], [np.int64(3)])
    assert not any(tmp_path.iterdir())  # refused before any fiche was written
    coverage = data_coverage(flows[flows["quarter"] == 3], indre, quarters_filter=[3])
    assert coverage.quarters_filter == (3,)
