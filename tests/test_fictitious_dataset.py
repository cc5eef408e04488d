from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

import pytest

from frtrade.datasets import (
    FICTITIOUS_YEARS,
    fictitious_dataset_files,
    fictitious_dataset_paths,
)

M = 1e6
TOP10 = {
    "export": [
        ("DE", 77964),
        ("US", 48622),
        ("IT", 48095),
        ("BE", 45317),
        ("ES", 43919),
        ("GB", 37773),
        ("CN", 24277),
        ("NL", 23116),
        ("CH", 19846),
        ("PL", 15124),
    ],
    "import": [
        ("DE", 86342),
        ("CN", 70584),
        ("US", 52595),
        ("BE", 52453),
        ("IT", 50602),
        ("ES", 47139),
        ("NL", 29556),
        ("GB", 26831),
        ("CH", 17465),
        ("PL", 16155),
    ],
}


def test_zips_follow_the_dgddi_layout_and_say_fictitious():
    export, imports = fictitious_dataset_paths()
    total = 0
    for path, flow in ((export, "export"), (imports, "import")):
        names = zipfile.ZipFile(path).namelist()
        folder = f"Regional-2024-{flow}/"
        assert f"{folder}Region_2024_{flow.capitalize()}.txt" in names
        for label in (
            "Libelle_A129.txt",
            "Libelle_CPF4_rev2.1.txt",
            "Libelle_PAYS.txt",
        ):
            assert folder + label in names
        readme = zipfile.ZipFile(path).read(f"{folder}DONNEES_FICTIVES_LISEZ-MOI.txt")
        assert b"FICTIVES" in readme
        assert b"FICTITIOUS" in readme
        total += path.stat().st_size
    assert total < 3_000_000


def test_load_report(fictitious):
    report = fictitious.report
    assert report.fictitious is True
    assert report.years == [2019, 2020, 2021, 2022, 2023, 2024]
    assert report.quarters == {y: [1, 2, 3, 4] for y in report.years}
    assert all(not codes for codes in report.unknown_codes.values())
    assert report.region_mismatches == 0
    assert report.duplicate_keys == 0
    assert report.negative_values == 0


@pytest.mark.parametrize(
    ("flow", "indre", "cvl", "france"),
    [("export", 1274.7, 27859.4, 580354.5), ("import", 1119.2, 26662.5, 684776.3)],
)
def test_calibrated_totals(fictitious, flow, indre, cvl, france):
    flows = fictitious.flows
    rows = flows[(flows.flow == flow) & (flows.year == 2024)]
    assert round(rows[rows.departement == "36"].value_eur.sum() / M, 1) == indre
    assert round(rows[rows.region == "04"].value_eur.sum() / M, 1) == cvl
    assert round(rows.value_eur.sum() / M, 1) == france


@pytest.mark.parametrize("flow", ["export", "import"])
def test_france_top10_partners_order_and_values(fictitious, flow):
    flows = fictitious.flows
    rows = flows[(flows.flow == flow) & (flows.year == 2024)]
    by_country = (
        rows.groupby("country", observed=True)
        .value_eur.sum()
        .sort_values(ascending=False)
    )
    top = [(code, round(value / M)) for code, value in by_country.head(10).items()]
    assert top == TOP10[flow]


def test_looks_real(fictitious):
    flows = fictitious.flows[fictitious.flows.year == 2024]
    assert flows.departement.nunique() == 101
    assert flows.region.nunique() == 14
    assert flows.a129.nunique() == 76
    assert flows.country.nunique() > 200
    for code in ("GR", "XK", "XS", "XC", "XL", "QU", "QR", "QS", "EU", "NA"):
        assert code in set(flows.country), code
    # Every A129 position's CPF4 classes belong to it.
    from frtrade import reference

    mapping = dict(zip(reference.cpf4().code, reference.cpf4().a129, strict=True))
    pairs = flows[["a129", "cpf4"]].drop_duplicates()
    assert all(mapping[c] == a for a, c in zip(pairs.a129, pairs.cpf4, strict=True))
    # Heavy tails: the largest row is orders of magnitude above the median row.
    values = flows.value_eur
    assert values.max() > 1000 * values.median()
    # Sparse: far fewer product x country cells than possible for Indre.
    indre = flows[(flows.departement == "36") & (flows.flow == "export")]
    cells = indre.groupby(["a129", "country"], observed=True).ngroups
    assert cells < 0.2 * 76 * flows.country.nunique()


@pytest.mark.slow
def test_generator_is_deterministic(tmp_path):
    script = (
        Path(__file__).resolve().parents[1] / "scripts" / "make_fictitious_dataset.py"
    )
    spec = importlib.util.spec_from_file_location("make_fictitious_dataset", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main_to(tmp_path)
    for shipped in fictitious_dataset_paths():
        assert (tmp_path / shipped.name).read_bytes() == shipped.read_bytes()


def test_every_year_is_shipped_small_and_fictitious():
    paths = fictitious_dataset_files()
    assert [p.name for p in paths[-2:]] == [p.name for p in fictitious_dataset_paths()]
    assert len(paths) == 2 * len(FICTITIOUS_YEARS)
    for path in paths:
        names = zipfile.ZipFile(path).namelist()
        assert any(n.endswith("DONNEES_FICTIVES_LISEZ-MOI.txt") for n in names)
    # All twelve zips stay well under 8 MB of package data.
    assert sum(p.stat().st_size for p in paths) < 8_000_000


def test_years_follow_a_plausible_path(fictitious):
    flows = fictitious.flows
    by_year = flows.groupby(["year", "flow"], observed=True).value_eur.sum().unstack()
    # The 2020 dip in both flows.
    assert (by_year.loc[2020] < 0.9 * by_year.loc[2019]).all()
    # The 2022 energy-import surge: imports above 2021 by more than exports.
    growth = by_year.loc[2022] / by_year.loc[2021]
    assert growth["import"] > 1.2 > growth["export"]
    energy = flows[(flows.flow == "import") & flows.a129.isin(["B06Z", "C19Z"])]
    per_year = energy.groupby("year").value_eur.sum()
    assert per_year[2022] > 1.8 * per_year[2021]
    # Every département trades in every quarter of every year.
    quarters = flows.groupby(["year", "departement"], observed=True).quarter.nunique()
    assert (quarters == 4).all()
