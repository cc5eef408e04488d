from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from frtrade.cli import EXIT_DATA, EXIT_TERRITORY, main
from frtrade.datasets import fictitious_dataset_paths
from frtrade.indicators import headline_facts
from frtrade.territories import Territory


def run(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("frtrade", path=str(Path(sys.executable).parent))
    command = [exe] if exe else [sys.executable, "-m", "frtrade.cli"]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, check=False, timeout=120
    )


def test_summary_end_to_end():
    result = run("summary", "36")
    assert result.returncode == 0, result.stderr
    out = result.stdout.replace("\u202f", " ")
    assert "Indre – commerce extérieur 2024" in out
    assert "DONNÉES FICTIVES" in out
    assert (
        "Exportations : 1 274,7 M€, 4,6 % de la région Centre-Val de Loire, 0,22 % de la France"
        in out
    )
    assert (
        "Importations : 1 119,2 M€, 4,2 % de la région Centre-Val de Loire, 0,16 % de la France"
        in out
    )


def test_facts_matches_the_indicator_functions(capsys, fictitious):
    assert main(["facts", "36"]) == 0
    printed = json.loads(capsys.readouterr().out)
    expected = headline_facts(
        fictitious.flows, Territory.resolve("36"), report=fictitious.report
    )
    assert printed == json.loads(json.dumps(expected))


@pytest.mark.parametrize(
    ("args", "code", "name"),
    [
        (["--region", "24"], "04", "Centre-Val de Loire"),
        (["--region", "04", "--region-scheme", "dgddi"], "04", "Centre-Val de Loire"),
        (["--france"], "FR", "France"),
        (["--departements", "18,36", "--name", "Berry"], "18+36", "Berry"),
        (["Centre-Val de Loire"], "04", "Centre-Val de Loire"),
    ],
)
def test_territory_options(capsys, args, code, name):
    assert main(["facts", *args]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert (facts["territory"]["code"], facts["territory"]["name"]) == (code, name)


def test_facts_with_real_layout_files(tmp_path, capsys):
    export, imports = fictitious_dataset_paths()
    assert (
        main(["facts", "36", "--data", str(export), str(imports), "--year", "2024"])
        == 0
    )
    facts = json.loads(capsys.readouterr().out)
    assert facts["export"]["total_eur"] == 1_274_700_000.0
    assert facts["data"]["fictitious"] is True
    assert len(facts["data"]["files"]) == 2


def test_unknown_territory_exit_code_and_suggestion(capsys):
    assert main(["summary", "Indr"]) == EXIT_TERRITORY
    assert "did you mean: 36 Indre" in capsys.readouterr().err


def test_missing_file_and_wrong_kind(tmp_path, capsys):
    assert main(["facts", "36", "--data", str(tmp_path / "missing.zip")]) == EXIT_DATA
    assert "no such file" in capsys.readouterr().err
    bad = tmp_path / "Region_2024_Export.txt"
    bad.write_text("I;1;2024;36;04;C21Z;2120;DE;10;1\n")
    assert main(["facts", "36", "--data", str(bad)]) == EXIT_DATA
    assert "wrong kind" in capsys.readouterr().err


def test_year_absent_from_the_data(capsys):
    assert main(["facts", "36", "--year", "2019"]) == EXIT_DATA
    assert "year 2019" in capsys.readouterr().err


def test_usage_errors_exit_2():
    result = run("facts", "36", "--france")
    assert result.returncode == 2
    assert "exactly one territory" in result.stderr
    assert run("--help").returncode == 0
    assert run("facts", "--help").returncode == 0


# --------------------------------------------------------------------------- fiche


def small_zips(fictitious, tmp_path, departements=("18", "36")):
    from frtrade.dgddi import write_dgddi

    flows = fictitious.flows
    paths = []
    for flow in ("export", "import"):
        part = flows[(flows.flow == flow) & flows.departement.isin(departements)]
        paths.append(
            str(write_dgddi(part, tmp_path / f"small_regional_2024_{flow}.zip"))
        )
    return paths


def test_fiche_one_territory(tmp_path, capsys):
    assert main(["fiche", "36", "--out", str(tmp_path), "--format", "html,json"]) == 0
    out = capsys.readouterr().out
    assert "Fiche Indre (2024) écrite dans" in out
    assert "DONNÉES FICTIVES" in out
    assert (tmp_path / "departement-36" / "fiche.html").exists()
    assert (tmp_path / "departement-36" / "facts.json").exists()
    assert not (tmp_path / "departement-36" / "fiche.pdf").exists()


def test_fiche_group_and_palette(tmp_path):
    code = main(
        ["fiche", "--departements", "18,36", "--name", "Berry", "--out", str(tmp_path),
         "--format", "svg", "--palette", "colorblind"]
    )  # fmt: skip
    assert code == 0
    svg = (
        tmp_path / "groupe-18-36" / "graphiques" / "sankey_export_territoire.svg"
    ).read_text()
    assert "#d55e00" in svg.lower()


def test_fiche_all_on_a_reduced_set(fictitious, tmp_path, capsys):
    data = small_zips(fictitious, tmp_path)
    out = tmp_path / "out"
    code = main(
        ["fiche", "--all", "--data", *data, "--out", str(out), "--format", "json,csv"]
    )
    assert code == 0
    captured = capsys.readouterr()
    assert "4 fiches écrites" in captured.out
    assert "4/4 france ok" in captured.err
    assert sorted(p.name for p in out.iterdir()) == [
        "departement-18", "departement-36", "france", "region-04",
    ]  # fmt: skip
    facts = json.loads((out / "departement-36" / "facts.json").read_text())
    assert facts["export"]["total_eur"] == 1_274_700_000.0
    assert facts["export"]["share_of_region"] is not None


def test_fiche_all_in_parallel(fictitious, tmp_path, capsys):
    data = small_zips(fictitious, tmp_path, departements=("36",))
    out = tmp_path / "out"
    code = main(
        [
            "fiche",
            "--all",
            "--jobs",
            "2",
            "--data",
            *data,
            "--out",
            str(out),
            "--format",
            "json",
        ]
    )
    assert code == 0
    assert "3 fiches écrites" in capsys.readouterr().out
    assert (out / "france" / "facts.json").exists()


def test_fiche_errors():
    assert run("fiche", "36", "--format", "docx").returncode == 2
    assert run("fiche", "--all", "36").returncode == 2
    assert run("fiche", "--help").returncode == 0
