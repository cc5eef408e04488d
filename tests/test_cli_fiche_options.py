"""CLI options that need the fiche branch (C5): ``build_fiche(n=, level=)`` and
``Fiche.write(csv_dialect=)``. They may fail on the ``cli`` branch alone; the
integrator runs them after merging ``fiche`` and ``outputs``."""

from __future__ import annotations

import json

import pandas as pd

from frtrade.cli import main


def test_fiche_top_and_level_reach_the_fiche(tmp_path, capsys):
    code = main(
        ["fiche", "36", "--top", "3", "--level", "a17", "--out", str(tmp_path),
         "--format", "json,csv"]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0, err
    facts = json.loads((tmp_path / "departement-36" / "facts.json").read_text())
    assert facts["data"]["level"] == "a17"
    for flow in ("export", "import"):
        named = [p for p in facts["products"][flow] if p["code"] != "AUTRES"]
        assert len(named) == 3
    products = pd.read_csv(tmp_path / "departement-36" / "tableaux" / "produits.csv")
    assert len(products[products["code"] != "AUTRES"]) == 6  # 3 per flow


def test_fiche_all_top_and_quarters(tmp_path, capsys, fictitious):
    from frtrade.dgddi import write_dgddi

    flows = fictitious.flows[fictitious.flows.year == 2024]
    data = []
    for flow in ("export", "import"):
        part = flows[(flows.flow == flow) & (flows.departement == "36")]
        data.append(str(write_dgddi(part, tmp_path / f"s_regional_2024_{flow}.zip")))
    out = tmp_path / "out"
    code = main(
        ["fiche", "--all", "--data", *data, "--top", "2", "--quarters", "1-3",
         "--out", str(out), "--format", "json"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    facts = json.loads((out / "departement-36" / "facts.json").read_text())
    assert facts["data"]["period_label"] == "2024, trimestres 1 à 3"
    rows = flows[(flows.departement == "36") & flows.quarter.isin([1, 2, 3])]
    assert facts["export"]["total_eur"] == round(
        float(rows[rows.flow == "export"].value_eur.sum()), 2
    )


def test_csv_dialect_excel_fr(tmp_path, capsys):
    code = main(
        ["fiche", "36", "--csv-dialect", "excel-fr", "--out", str(tmp_path),
         "--format", "csv"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    path = tmp_path / "departement-36" / "tableaux" / "partenaires.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    assert len(table) > 3
    code = main(
        ["fiche", "36", "--csv-dialect", "standard", "--out", str(tmp_path / "s"),
         "--format", "csv"]
    )  # fmt: skip
    assert code == 0
    standard = tmp_path / "s" / "departement-36" / "tableaux" / "partenaires.csv"
    assert not standard.read_bytes().startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(standard).shape == table.shape


def test_fiche_export_only_is_written_and_says_so(tmp_path, capsys, fictitious):
    from frtrade.dgddi import write_dgddi

    flows = fictitious.flows
    part = flows[(flows.flow == "export") & (flows.departement == "36")]
    data = str(write_dgddi(part, tmp_path / "s_regional_2024_export.zip"))
    code = main(["fiche", "36", "--data", data, "--out", str(tmp_path / "o"),
                 "--format", "json,html"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Traceback" not in captured.err
    facts = json.loads((tmp_path / "o" / "departement-36" / "facts.json").read_text())
    assert facts["import"]["total_eur"] is None
    assert "Aucune donnée d'importation pour l'Indre en 2024." in captured.err


def test_partner_changes_the_exposure_partner(capsys):
    code = main(["facts", "36", "--partner", "cn"])
    out, err = capsys.readouterr()
    assert code == 0, err
    facts = json.loads(out)
    assert facts["exposure"]["partner"] == "CN"
    code = main(["facts", "36", "--partner", "ZZZ"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "--partner : code pays inconnu « ZZZ »" in err
    assert "Traceback" not in err


def test_overrides_file_reaches_the_fiche(tmp_path, capsys):
    texts = tmp_path / "textes.toml"
    texts.write_text(
        'introduction = "Fiche préparée pour le comité local."\n', encoding="utf-8"
    )
    code = main(
        ["fiche", "36", "--overrides", str(texts), "--out", str(tmp_path / "out"),
         "--format", "html", "--partner", "CN"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    page = (tmp_path / "out" / "departement-36" / "fiche.html").read_text("utf-8")
    assert "Fiche préparée pour le comité local." in page
    assert "Exposition à la Chine" in page
    broken = tmp_path / "broken.toml"
    broken.write_text("introduction = [1, 2]\n", encoding="utf-8")
    code = main(["fiche", "36", "--overrides", str(broken), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 4
    assert "broken.toml" in err
    assert "Traceback" not in err
