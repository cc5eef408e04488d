"""End-to-end tests of the command line (``main([...])`` with capsys, or a subprocess)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frtrade.cli import (
    EXIT_DATA,
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_TERRITORY,
    EXIT_USAGE,
    _data,
    main,
)
from frtrade.datasets import fictitious_dataset_paths
from frtrade.dgddi import write_dgddi
from frtrade.indicators import OTHER, all_territories, headline_facts
from frtrade.territories import Territory

PYTHON = [sys.executable, "-m", "frtrade.cli"]


def run(*args: str, **kw) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("frtrade", path=str(Path(sys.executable).parent))
    command = [exe] if exe else PYTHON
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        **kw,
    )


def call(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out.replace("\u202f", " "), err.replace("\u202f", " ")


def one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("frtrade : ")
    return lines[0]


# --------------------------------------------------------------------------- files


@pytest.fixture(scope="module")
def fictitious(fictitious):
    """The embedded 2024 data: the broken-case files below are one-year files."""
    import dataclasses

    flows = fictitious.flows
    return dataclasses.replace(
        fictitious, flows=flows[flows.year == 2024].reset_index(drop=True)
    )


@pytest.fixture(scope="module")
def cases(tmp_path_factory, fictitious):
    """Small DGDDI files in the real format for the broken cases."""
    root = tmp_path_factory.mktemp("cases")
    flows = fictitious.flows
    small = flows[flows.departement.isin(["18", "36", "75"])]
    exports = small[small.flow == "export"]
    imports = small[small.flow == "import"]
    paths: dict[str, list[str]] = {}

    def put(name: str, *frames_and_names) -> None:
        folder = root / name
        folder.mkdir()
        written = []
        for frame, file in frames_and_names:
            written.append(str(write_dgddi(frame, folder / file)))
        paths[name] = written

    put("full", (exports, "small_regional_2024_export.zip"),
        (imports, "small_regional_2024_import.zip"))  # fmt: skip
    put("export_only", (exports, "small_regional_2024_export.zip"))
    old = exports.assign(year=2023)
    put("mixed", (old, "small_regional_2023_export.zip"),
        (imports, "small_regional_2024_import.zip"))  # fmt: skip
    put("quarter", (exports[exports.quarter == 1], "small_regional_2024_export.zip"),
        (imports[imports.quarter == 1], "small_regional_2024_import.zip"))  # fmt: skip
    no_q3 = exports[~((exports.quarter == 3) & (exports.departement == "36"))]
    put("indre_no_export_q3", (no_q3, "small_regional_2024_export.zip"),
        (imports, "small_regional_2024_import.zip"))  # fmt: skip
    odd = exports.copy()
    odd["country"] = odd["country"].astype(str)
    odd.loc[odd.index[0], "country"] = "9Z"
    put("unknown_code", (odd, "small_regional_2024_export.zip"),
        (imports, "small_regional_2024_import.zip"))  # fmt: skip
    paths["root"] = [str(root)]
    return paths


# --------------------------------------------------------------------------- summary


def test_summary_end_to_end():
    result = run("summary", "36")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout.replace("\u202f", " ")
    assert "Indre – commerce extérieur, données 2024\n" in out
    assert "DONNÉES FICTIVES" in out
    assert (
        "Exportations : 1 274,7 M€, 4,6 % de la région Centre-Val de Loire, 0,22 % de la France"
        in out
    )
    assert (
        "Importations : 1 119,2 M€, 4,2 % de la région Centre-Val de Loire, 0,16 % de la France"
        in out
    )
    assert "Solde : +155,5 M€" in out
    assert "Taux de couverture : 113,9 %" in out
    assert (
        "Principaux partenaires : États-Unis, Allemagne, Chine, Belgique, Espagne\n"
        in out
    )


def test_summary_export_only_says_non_disponible(capsys, cases):
    code, out, err = call(capsys, "summary", "36", "--data", *cases["export_only"])
    assert code == 0
    assert "Exportations : 1 274,7 M€" in out
    assert (
        "Importations : non disponible (aucune donnée d'importation pour ce "
        "territoire en 2024)" in out
    )
    assert "Solde : non disponible" in out
    assert "Taux de couverture : non disponible" in out
    assert "0,0 M€" not in out
    assert "0,0 %" not in out
    assert "Principaux produits importés" not in out
    assert "frtrade : Aucune donnée d'importation pour l'Indre en 2024." in err


def test_summary_2023_exports_with_2024_imports(capsys, cases):
    code, out, err = call(capsys, "summary", "36", "--data", *cases["mixed"])
    assert code == 0
    assert "Indre – commerce extérieur, données 2024" in out  # latest year
    assert (
        "Exportations : non disponible (aucune donnée d'exportation pour ce "
        "territoire en 2024 ; présentes pour 2023)" in out
    )
    assert "Importations : 1 119,2 M€" in out
    assert "Aucune donnée d'exportation pour l'Indre en 2024." in err
    code, out, err = call(
        capsys, "summary", "36", "--data", *cases["mixed"], "--year", "2023"
    )
    assert code == 0
    assert "données 2023" in out
    assert "Exportations : 1 274,7 M€" in out
    assert "Importations : non disponible" in out
    assert "présentes pour 2024" in out


def test_summary_quarter_only_file_is_labelled(capsys, cases, fictitious):
    code, out, _ = call(capsys, "summary", "36", "--data", *cases["quarter"])
    assert code == 0
    assert "Indre – commerce extérieur, données 2024, trimestre 1\n" in out
    flows = fictitious.flows
    q1 = flows[(flows.departement == "36") & (flows.quarter == 1)]
    expected = q1[q1.flow == "export"].value_eur.sum() / 1e6
    assert f"Exportations : {expected:.1f}".replace(".", ",") in out


def test_summary_top_level_and_quarters(capsys, fictitious):
    code, out, _ = call(
        capsys, "summary", "36", "--top", "3", "--level", "a17", "--quarters", "1-3"
    )
    assert code == 0
    assert "Indre – commerce extérieur, données 2024, trimestres 1 à 3\n" in out
    flows = fictitious.flows
    sub = flows[flows.quarter.isin([1, 2, 3])].reset_index(drop=True)
    facts = headline_facts(sub, Territory.resolve("36"), n=3, level="a17")
    partners = [p["name"] for p in facts["partners"] if p["code"] != OTHER][:3]
    assert f"Principaux partenaires : {', '.join(partners)}\n" in out
    products = [p["name"] for p in facts["products"]["export"] if p["code"] != OTHER]
    assert f"Principaux produits exportés : {' · '.join(products[:3])}\n" in out
    total = facts["export"]["total_eur"] / 1e6
    assert f"Exportations : {total:,.1f}".replace(",", " ").replace(".", ",") in out


def test_findings_and_warnings_go_to_stderr(capsys, cases):
    code, out, err = call(capsys, "summary", "36", "--data", *cases["unknown_code"])
    assert code == 0
    assert "Exportations" in out
    lines = [line for line in err.splitlines() if line]
    assert lines
    assert all(line.startswith("frtrade : ") for line in lines)
    assert "9Z" in err


def test_report_messages_use_the_loader_summary_and_skipped_copies():
    report = SimpleNamespace(
        summary_fr=lambda: "2 clés en double (additionnées) : a.txt ligne 3\n",
        skipped_copies=[("b/a.txt", "a.zip!a.txt"), ("c.zip", "a.zip")],
    )
    data = SimpleNamespace(report=report)
    lines = _data._report_messages(data, [])  # type: ignore[arg-type]
    assert lines == [
        "2 clés en double (additionnées) : a.txt ligne 3",
        "copie ignorée : b/a.txt (mêmes données que a.zip!a.txt)",
        "copie ignorée : c.zip (mêmes données que a.zip)",
    ]
    plain = SimpleNamespace(report=SimpleNamespace())
    assert _data._report_messages(plain, []) == []  # type: ignore[arg-type]


# --------------------------------------------------------------------------- facts


def test_facts_matches_the_indicator_functions(capsys):
    from frtrade.datasets import load_fictitious_dataset

    full = load_fictitious_dataset()  # every embedded year, as the command line loads
    code, out, _ = call(capsys, "facts", "36")
    assert code == 0
    printed = json.loads(out)
    expected = json.loads(
        json.dumps(
            headline_facts(
                full.flows,
                Territory.resolve("36"),
                report=full.report,
                labels=full.labels,
            )
        )
    )
    assert printed["evolution"]["years"] == [2019, 2020, 2021, 2022, 2023, 2024]
    assert {k: v for k, v in printed.items() if k != "data"} == {
        k: v for k, v in expected.items() if k != "data"
    }
    assert expected["data"].items() <= printed["data"].items()
    assert printed["data"]["period_label"] == "2024"
    assert printed["data"]["coverage"]["import"] == {
        "available": True,
        "quarters": [1, 2, 3, 4],
    }


def test_facts_top_and_level(capsys, fictitious):
    code, out, _ = call(capsys, "facts", "36", "--top", "3", "--level", "a38")
    assert code == 0
    printed = json.loads(out)
    expected = json.loads(
        json.dumps(
            headline_facts(fictitious.flows, Territory.resolve("36"), n=3, level="a38")
        )
    )
    assert printed["partners"] == expected["partners"]
    assert printed["products"] == expected["products"]
    named = [p for p in printed["partners"] if p["code"] != OTHER]
    assert 3 <= len(named) <= 6  # the 3 first of each flow
    for flow in ("export", "import"):
        assert len([p for p in printed["products"][flow] if p["code"] != OTHER]) == 3
    assert printed["data"]["level"] == "a38"


def test_facts_export_only_is_null_never_zero(capsys, cases):
    code, out, err = call(capsys, "facts", "36", "--data", *cases["export_only"])
    assert code == 0
    facts = json.loads(out)
    assert facts["import"]["total_eur"] is None
    assert facts["import"]["share_of_france"] is None
    assert facts["balance_eur"] is None
    assert facts["coverage_rate"] is None
    assert facts["export"]["total_eur"] == 1_274_700_000.0
    assert facts["data"]["coverage"]["import"]["available"] is False
    assert facts["data"]["complete"] is False
    assert "Aucune donnée d'importation pour l'Indre en 2024." in err


def test_facts_quarters_filter_rows_first(capsys, fictitious):
    code, out, err = call(capsys, "facts", "36", "--quarters", "1,3")
    assert code == 0
    facts = json.loads(out)
    flows = fictitious.flows
    rows = flows[(flows.departement == "36") & flows.quarter.isin([1, 3])]
    assert facts["export"]["total_eur"] == pytest.approx(
        rows[rows.flow == "export"].value_eur.sum(), abs=0.01
    )
    assert facts["data"]["period_label"] == "2024, trimestres 1 et 3"
    assert "données partielles : 2024, trimestres 1 et 3" in err


def test_facts_with_real_layout_files(capsys):
    export, imports = fictitious_dataset_paths()
    code, out, _ = call(
        capsys, "facts", "36", "--data", str(export), str(imports), "--year", "2024"
    )
    assert code == 0
    facts = json.loads(out)
    assert facts["export"]["total_eur"] == 1_274_700_000.0
    assert facts["data"]["fictitious"] is True
    assert len(facts["data"]["files"]) == 2


@pytest.mark.parametrize(
    ("args", "code", "name", "dgddi"),
    [
        (["--region", "24"], "24", "Centre-Val de Loire", "04"),
        (["--region", "04", "--region-scheme", "dgddi"], "24", "Centre-Val de Loire", "04"),
        (["--region", "centre-val-de-loire"], "24", "Centre-Val de Loire", "04"),
        (["--region", "La Réunion"], "04", "La Réunion", None),
        (["--region", "provence alpes cote d azur"], "93", "Provence-Alpes-Côte d'Azur", "21"),
        (["--region", "24", "--region-scheme", "dgddi"], "DOM", "Départements d'outre-mer", "24"),
        (["Centre-Val de Loire"], "24", "Centre-Val de Loire", "04"),
    ],
)  # fmt: skip
def test_region_options(capsys, args, code, name, dgddi):
    status, out, _ = call(capsys, "facts", *args)
    assert status == 0
    facts = json.loads(out)
    assert (facts["territory"]["code"], facts["territory"]["name"]) == (code, name)
    assert facts["territory"]["dgddi_code"] == dgddi


@pytest.mark.parametrize(
    ("args", "code", "name"),
    [
        (["--france"], "FR", "France"),
        (["--departements", "18,36", "--name", "Berry"], "18+36", "Berry"),
        (["9E"], "9E", "Mayotte"),
        (["99"], "99", "Monaco"),
        (["13"], "13", "Bouches-du-Rhône"),
    ],
)
def test_territory_options(capsys, args, code, name):
    status, out, _ = call(capsys, "facts", *args)
    assert status == 0
    facts = json.loads(out)
    assert (facts["territory"]["code"], facts["territory"]["name"]) == (code, name)


@pytest.mark.parametrize("query", ["2A", "2B", "Corse-du-Sud", "Haute-Corse"])
def test_corse_halves_print_a_notice(capsys, query):
    status, out, err = call(capsys, "facts", query)
    assert status == 0
    assert json.loads(out)["territory"]["code"] == "20"
    assert (
        f"frtrade : note : La DGDDI publie la Corse comme un seul département (20) : "
        f"« {query} » désigne ici la Corse entière." in err
    )


# --------------------------------------------------------------------------- errors


def test_unknown_territory_exit_code_and_suggestion(capsys):
    code, _, err = call(capsys, "summary", "Indr")
    assert code == EXIT_TERRITORY
    assert one_line_error(err) == (
        "frtrade : territoire inconnu : « Indr » ; vouliez-vous dire : 36 Indre ? "
        "(liste : frtrade territories)"
    )
    code, _, err = call(capsys, "facts", "--region", "Bretagn")
    assert code == EXIT_TERRITORY
    assert "Bretagne (région)" in one_line_error(err)
    code, _, err = call(capsys, "facts", "--region", "2A")
    assert code == EXIT_TERRITORY
    assert one_line_error(err) == (
        "frtrade : territoire inconnu : « 2A » ; vouliez-vous dire : le département "
        "20 Corse, sans --region ? (liste : frtrade territories)"
    )


def test_missing_file_and_wrong_kind(tmp_path, capsys):
    missing = tmp_path / "missing.zip"
    code, _, err = call(capsys, "facts", "36", "--data", str(missing))
    assert code == EXIT_DATA
    assert one_line_error(err) == f"frtrade : fichier introuvable : {missing}"
    bad = tmp_path / "Region_2024_Export.txt"
    bad.write_text("I;1;2024;36;04;C21Z;2120;DE;10;1\n")
    code, _, err = call(capsys, "facts", "36", "--data", str(bad))
    assert code == EXIT_DATA
    line = one_line_error(err)
    assert line.startswith("frtrade : données invalides : ")
    assert "Region_2024_Export.txt" in line


def test_year_absent_from_the_data(tmp_path):
    for args in (
        ["summary", "36", "--year", "2018"],
        ["fiche", "36", "--out", str(tmp_path), "--year", "2101"],
    ):
        result = run(*args)
        assert result.returncode == EXIT_DATA
        assert "Traceback" not in result.stderr
        year = args[-1]
        assert one_line_error(result.stderr) == (
            f"frtrade : année {year} absente des données "
            "(années présentes : 2019, 2020, 2021, 2022, 2023, 2024)"
        )


def test_year_absent_from_files(capsys, cases):
    code, _, err = call(
        capsys, "summary", "36", "--data", *cases["mixed"], "--year", "2022"
    )
    assert code == EXIT_DATA
    assert one_line_error(err) == (
        "frtrade : année 2022 absente des données (années présentes : 2023, 2024)"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["facts", "36", "--france"], "nommez un seul territoire"),
        (["facts"], "nommez un seul territoire"),
        (["facts", "36", "--year", "abc"], "--year : « abc » n'est pas un entier"),
        (["facts", "36", "--level", "a99"], "--level : « a99 » n'est pas un choix"),
        (["facts", "36", "--top", "0"], "--top : 0 doit être un entier positif"),
        (
            ["facts", "36", "--quarters", "5"],
            "--quarters : « 5 » n'est pas un trimestre",
        ),
        (["facts", "36", "--quarters", "3-1"], "intervalle « 3-1 » à l'envers"),
        (["facts", "36", "--quarters", "T1"], "« T1 » n'est pas un trimestre"),
        (["facts", "36", "--quarters", "1,,2"], "n'est pas un trimestre"),
        (["summary", "36", "--bogus"], "arguments non reconnus : --bogus"),
        (["nothing"], "« nothing » n'est pas un choix possible"),
        (["fiche", "36", "--format", "docx"], "--format : format inconnu docx"),
        (["fiche", "--all", "36"], "--all écrit tous les territoires"),
        (["fiche", "36", "--resume"], "--resume ne s'emploie qu'avec --all"),
        (["fiche", "36", "--csv-dialect", "tsv"], "--csv-dialect : « tsv »"),
        (["info"], "arguments obligatoires : FICHIER"),
    ],
)
def test_usage_errors_are_one_french_line(capsys, tmp_path, args, expected):
    code = main([*args, *(["--out", str(tmp_path)] if args[0] == "fiche" else [])])
    err = capsys.readouterr().err
    assert code == EXIT_USAGE
    line = one_line_error(err)
    assert line.startswith("frtrade : erreur d'usage : ")
    assert expected in line
    assert line.endswith("--help)")
    assert not any(tmp_path.iterdir())  # nothing written


def test_help_and_version_subprocess():
    result = run("--help")
    assert result.returncode == 0
    assert "utilisation : frtrade" in result.stdout
    assert "territories" in result.stdout
    assert "info" in result.stdout
    assert "Codes de sortie" in result.stdout
    for command in ("summary", "facts", "fiche", "territories", "info"):
        result = run(command, "--help")
        assert result.returncode == 0, command
        assert "afficher cette aide et quitter" in result.stdout
    fiche_help = run("fiche", "--help").stdout
    for option in ("--top", "--level", "--quarters", "--resume", "--csv-dialect"):
        assert option in fiche_help
    assert run("--version").stdout.startswith("frtrade ")
    result = run("facts", "36", "--france")
    assert result.returncode == EXIT_USAGE
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_territory_swallowed_by_data_gets_a_hint(capsys, cases):
    data = cases["full"]
    code, _, err = call(capsys, "summary", "--data", *data, "36")
    assert code == EXIT_USAGE
    line = one_line_error(err)
    assert "« 36 » a été lu comme un fichier de --data" in line
    assert f"frtrade summary 36 --data {' '.join(data)}" in line
    assert call(capsys, "summary", "--data", *data, "--", "36")[0] == 0


def test_broken_pipe_exits_quietly():
    command = " ".join([shutil.which("frtrade", path=str(Path(sys.executable).parent))
                        or " ".join(PYTHON), "territories", "|", "head", "-n", "1"])  # fmt: skip
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.stdout.startswith("TYPE")
    assert result.stderr == ""
    assert result.returncode == 0


def test_ctrl_c_exits_130(capsys, monkeypatch):
    from frtrade.cli import _commands

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(_commands, "run_summary", interrupted)
    code, _, err = call(capsys, "summary", "36")
    assert code == EXIT_INTERRUPTED
    assert err.strip() == "frtrade : interrompu (Ctrl-C)"


def test_no_data_for_the_quarters(capsys, cases):
    code, _, err = call(
        capsys, "summary", "36", "--data", *cases["quarter"], "--quarters", "2-4"
    )
    assert code == EXIT_DATA
    assert one_line_error(err) == (
        "frtrade : aucune donnée pour les trimestres 2 à 4 de 2024 (présents : trimestre 1)"
    )


def test_quarters_without_the_territorys_rows_are_named(capsys, cases, tmp_path):
    # Indre exports in quarters 1, 2 and 4 only: kept to quarter 3, its exports
    # are missing for quarter 3, not « en 2024 »
    data = ("--data", *cases["indre_no_export_q3"], "--quarters", "3")
    code, out, err = call(capsys, "summary", "36", *data)
    assert code == 0
    missing = "Aucune donnée d'exportation pour l'Indre au trimestre 3 de 2024."
    assert err.splitlines() == [f"frtrade : {missing}"]  # imports: quarter 3 as asked
    assert "Indre – commerce extérieur, données 2024, trimestre 3\n" in out
    assert (
        "Exportations : non disponible (aucune donnée d'exportation pour ce "
        "territoire au trimestre 3 de 2024)"
    ) in out
    assert "en 2024" not in out + err
    code, out, _ = call(capsys, "facts", "36", *data)
    facts = json.loads(out)
    assert facts["export"]["total_eur"] is None
    assert facts["data"]["notes"] == [missing]
    assert facts["data"]["quarters_filter"] == [3]
    assert facts["data"]["period_label"] == "2024, trimestre 3"
    code, _, err = call(
        capsys, "fiche", "36", *data, "--out", str(tmp_path), "--format", "html"
    )
    assert code == 0
    page = (
        (tmp_path / "departement-36" / "fiche.html").read_text().replace("\u2019", "'")
    )
    assert "pour l'Indre au trimestre 3 de 2024" in page
    assert "None" not in page
    assert "au rang" not in page  # no rank without the exports
    # without --quarters: the same file says which quarters the exports cover,
    # in summary and in fiche alike (one coverage, data_coverage's)
    partial = (
        "frtrade : Données d'exportation limitées aux trimestres 1, 2 et 4 de 2024."
    )
    whole = ("--data", *cases["indre_no_export_q3"])
    code, _, err = call(capsys, "summary", "36", *whole)
    assert partial in err.splitlines()
    code, out, err = call(
        capsys, "fiche", "36", *whole, "--out", str(tmp_path), "--format", "json"
    )
    assert code == 0
    unbalanced = (
        "frtrade : Solde commercial et taux de couverture non calculés : les exportations "
        "couvrent les trimestres 1, 2 et 4 de 2024, les importations les trimestres 1 à 4."
    )
    assert err.splitlines() == [partial, unbalanced]
    assert f"Fiche Indre (données 2024) écrite dans {tmp_path}/departement-36/" in out
    facts = json.loads((tmp_path / "departement-36" / "facts.json").read_text())
    assert facts["data"]["notes"] == [
        note.removeprefix("frtrade : ") for note in (partial, unbalanced)
    ]
    assert facts["balance_eur"] is None


# --------------------------------------------------------------------------- fiche


def test_fiche_one_territory(tmp_path, capsys):
    code, out, _ = call(
        capsys, "fiche", "36", "--out", str(tmp_path), "--format", "html,json"
    )
    assert code == 0
    assert f"Fiche Indre (données 2024) écrite dans {tmp_path}/departement-36/" in out
    assert "DONNÉES FICTIVES" in out
    assert (tmp_path / "departement-36" / "fiche.html").exists()
    assert (tmp_path / "departement-36" / "facts.json").exists()
    assert not (tmp_path / "departement-36" / "fiche.pdf").exists()


def test_fiche_region_uses_insee_code(tmp_path, capsys):
    code, _, _ = call(
        capsys, "fiche", "--region", "Centre-Val de Loire", "--out", str(tmp_path),
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    facts = json.loads((tmp_path / "region-24" / "facts.json").read_text())
    assert facts["territory"]["code"] == "24"
    assert facts["territory"]["dgddi_code"] == "04"
    assert not (tmp_path / "region-04").exists()


def test_fiche_quarter_only_file(tmp_path, capsys, cases):
    code, out, _ = call(
        capsys, "fiche", "36", "--data", *cases["quarter"], "--out", str(tmp_path),
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    assert "Fiche Indre (données 2024, trimestre 1)" in out


def test_fiche_group_and_palette(tmp_path, capsys):
    code, _, _ = call(
        capsys, "fiche", "--departements", "18,36", "--name", "Berry", "--out",
        str(tmp_path), "--format", "svg", "--palette", "colorblind",
    )  # fmt: skip
    assert code == 0
    svg = (
        tmp_path / "groupe-18-36" / "graphiques" / "sankey_export_territoire.svg"
    ).read_text()
    assert "#d55e00" in svg.lower()


def test_out_is_a_file_fails_up_front(tmp_path, capsys, monkeypatch):
    from frtrade.cli import _data as data_module

    def never(*args, **kwargs):
        raise AssertionError("data loaded before --out was checked")

    monkeypatch.setattr(data_module, "load", never)
    target = tmp_path / "fiches"
    target.write_text("not a folder")
    for args in (["fiche", "36"], ["fiche", "--all"]):
        code, _, err = call(capsys, *args, "--out", str(target))
        assert code == EXIT_DATA
        assert one_line_error(err) == (
            f"frtrade : --out {target} : c'est un fichier, pas un dossier"
        )
    code, _, err = call(capsys, "fiche", "36", "--out", str(target / "sub"))
    assert code == EXIT_DATA
    assert f"{target} n'est pas un dossier" in one_line_error(err)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes everywhere")
def test_out_not_writable_fails_up_front(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _, err = call(capsys, "fiche", "36", "--out", str(locked / "fiches"))
        assert code == EXIT_DATA
        assert "impossible d'écrire dans ce dossier" in one_line_error(err)
    finally:
        locked.chmod(0o700)


def test_out_refusing_writes_fails_up_front(tmp_path, capsys, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    code, _, err = call(capsys, "fiche", "--all", "--out", str(tmp_path / "f"))
    assert code == EXIT_DATA
    assert one_line_error(err) == (
        f"frtrade : --out {tmp_path / 'f'} : impossible d'écrire dans ce dossier "
        "(Permission denied)"
    )


def test_disk_full_is_one_line(tmp_path, capsys, monkeypatch):
    from frtrade import fiche as fiche_module

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x.pdf"))

    monkeypatch.setattr(fiche_module.Fiche, "write", full)
    code, _, err = call(
        capsys, "fiche", "36", "--out", str(tmp_path), "--format", "json"
    )
    assert code == EXIT_DATA
    assert one_line_error(err) == (
        f"frtrade : écriture impossible, disque plein : {tmp_path / 'x.pdf'}"
    )


def _region_slug(fictitious, departements) -> str:
    flows = fictitious.flows
    part = flows[flows.departement.isin(departements)].reset_index(drop=True)
    return next(
        s for s in all_territories(part).totals.territory if s.startswith("region-")
    )


def test_fiche_all_on_a_reduced_set(fictitious, tmp_path, capsys, cases):
    out = tmp_path / "out"
    code, stdout, err = call(
        capsys, "fiche", "--all", "--data", *cases["full"], "--out", str(out),
        "--format", "json,csv",
    )  # fmt: skip
    assert code == 0
    assert "6 fiches écrites" in stdout
    assert err == ""  # no progress bar off a terminal
    regions = {
        s for s in all_territories(fictitious.flows[
            fictitious.flows.departement.isin(["18", "36", "75"])
        ].reset_index(drop=True)).totals.territory if s.startswith("region-")
    }  # fmt: skip
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            "departement-18",
            "departement-36",
            "departement-75",
            "france",
            "index.html",
            *regions,
        ]
    )
    facts = json.loads((out / "departement-36" / "facts.json").read_text())
    assert facts["export"]["total_eur"] == 1_274_700_000.0
    assert facts["export"]["share_of_region"] is not None


def test_fiche_all_resume_skips_complete_folders(tmp_path, capsys, cases):
    out = tmp_path / "out"
    base = ["fiche", "--all", "--data", *cases["full"], "--out", str(out)]
    assert call(capsys, *base, "--format", "json")[0] == 0
    kept = out / "departement-36" / "facts.json"
    stamp = kept.stat().st_mtime_ns
    shutil.rmtree(out / "departement-18")
    code, stdout, _ = call(capsys, *base, "--format", "json", "--resume")
    assert code == 0
    assert "1 fiches écrites" in stdout
    assert "(5 fiches déjà complètes conservées)" in stdout
    assert (out / "departement-18" / "facts.json").exists()
    assert kept.stat().st_mtime_ns == stamp
    # a format missing from the folders: every fiche is redone
    code, stdout, _ = call(capsys, *base, "--format", "json,csv", "--resume")
    assert code == 0
    assert "6 fiches écrites" in stdout
    assert any((out / "departement-36" / "tableaux").glob("*.csv"))


def test_fiche_all_reports_failures(tmp_path, capsys, cases, monkeypatch):
    from frtrade import fiche as fiche_module

    real = fiche_module.Fiche.write

    def flaky(self, out_dir, **kwargs):
        if Path(out_dir).name == "departement-18":
            raise RuntimeError("boom")
        return real(self, out_dir, **kwargs)

    monkeypatch.setattr(fiche_module.Fiche, "write", flaky)
    code, stdout, err = call(
        capsys, "fiche", "--all", "--data", *cases["full"], "--out",
        str(tmp_path / "o"), "--format", "json",
    )  # fmt: skip
    assert code == EXIT_FAILURE
    assert "5 fiches écrites" in stdout
    assert "frtrade : 1 fiche(s) en échec :" in err
    assert "departement-18 : RuntimeError('boom')" in err


def test_fiche_all_in_parallel(fictitious, tmp_path, capsys):
    flows = fictitious.flows
    data = []
    for flow in ("export", "import"):
        part = flows[(flows.flow == flow) & (flows.departement == "36")]
        data.append(
            str(write_dgddi(part, tmp_path / f"small_regional_2024_{flow}.zip"))
        )
    out = tmp_path / "out"
    code, stdout, _ = call(
        capsys, "fiche", "--all", "--jobs", "2", "--data", *data, "--out", str(out),
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    assert "3 fiches écrites" in stdout
    assert (out / "france" / "facts.json").exists()


# --------------------------------------------------------------------------- territories


def test_territories_table(capsys):
    code, out, _ = call(capsys, "territories")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["TYPE", "CODE", "NOM", "RÉGION", "IDENTIFIANT"]
    assert len(lines) == 1 + len(Territory.catalogue())
    indre = next(line for line in lines if line.endswith("departement-36"))
    assert indre.split()[:3] == ["département", "36", "Indre"]
    assert "24 Centre-Val de Loire" in indre


def test_territories_filters(capsys):
    code, out, _ = call(capsys, "territories", "--kind", "region")
    assert code == 0
    assert len(out.splitlines()) == 1 + 19
    assert "region-24" in out
    assert "departement-" not in out
    code, out, _ = call(capsys, "territories", "--region", "24")
    slugs = [line.split()[-1] for line in out.splitlines()[1:]]
    assert slugs == [
        "departement-18", "departement-28", "departement-36", "departement-37",
        "departement-41", "departement-45", "region-24",
    ]  # fmt: skip
    code, out, _ = call(capsys, "territories", "--region", "La Réunion")
    assert [line.split()[-1] for line in out.splitlines()[1:]] == [
        "departement-9D",
        "region-04",
    ]
    code, out, _ = call(
        capsys, "territories", "--region", "04", "--region-scheme", "dgddi"
    )
    assert "region-24" in out
    code, out, _ = call(capsys, "territories", "côte", "--kind", "departement")
    slugs = {line.split()[-1] for line in out.splitlines()[1:]}
    assert slugs == {"departement-21", "departement-22"}  # Côte-d'Or, Côtes-d'Armor
    code, out, err = call(capsys, "territories", "zzzz")
    assert (code, out, err) == (0, "", "frtrade : aucun territoire ne correspond\n")


def test_territories_json(capsys):
    code, out, _ = call(capsys, "territories", "--kind", "region", "--json")
    assert code == 0
    rows = json.loads(out)
    cvl = next(r for r in rows if r["code"] == "24")
    assert cvl == {**Territory.region("24").to_dict(), "slug": "region-24"}
    assert {r["slug"] for r in rows} == {
        t.slug for t in Territory.catalogue() if t.level == "region"
    }


def test_territories_unknown_region(capsys):
    code, _, err = call(capsys, "territories", "--region", "Atlantide")
    assert code == EXIT_TERRITORY
    one_line_error(err)


# --------------------------------------------------------------------------- info


def test_info_on_the_embedded_files(capsys, fictitious):
    export, imports = fictitious_dataset_paths()
    code, out, _ = call(capsys, "info", str(export), str(imports))
    assert code == 0
    flows = fictitious.flows
    assert f"Lignes : {len(flows):,} ; années : 2024".replace(",", " ") in out
    for flow, noun in (("export", "Exportations"), ("import", "Importations")):
        part = flows[flows.flow == flow]
        total = f"{part.value_eur.sum() / 1e6:,.1f}".replace(",", " ").replace(".", ",")
        rows = f"{len(part):,}".replace(",", " ")
        assert f"{noun} 2024 : trimestres 1 à 4, {rows} lignes, {total} M€" in out
    assert "Données FICTIVES" in out
    assert "Fichiers de données (2)" in out


def test_info_json_on_mixed_years(capsys, cases, fictitious):
    code, out, _ = call(capsys, "info", *cases["mixed"], "--json")
    assert code == 0
    info = json.loads(out)
    assert info["years"] == [2023, 2024]
    blocks = {(b["flow"], b["year"]): b for b in info["by_flow_and_year"]}
    assert set(blocks) == {("export", 2023), ("import", 2024)}
    flows = fictitious.flows
    small = flows[flows.departement.isin(["18", "36", "75"])]
    assert blocks[("import", 2024)]["total_eur"] == pytest.approx(
        small[small.flow == "import"].value_eur.sum(), abs=0.01
    )
    assert blocks[("export", 2023)]["quarters"] == [1, 2, 3, 4]
    assert isinstance(info["findings"], list)


def test_info_quarter_only_and_errors(capsys, cases, tmp_path):
    code, out, _ = call(capsys, "info", *cases["quarter"])
    assert code == 0
    assert "Exportations 2024 : trimestre 1," in out
    code, _, err = call(capsys, "info", str(tmp_path / "nope.zip"))
    assert code == EXIT_DATA
    assert one_line_error(err).startswith("frtrade : fichier introuvable")
    code, out, _ = call(capsys, "info", *cases["export_only"])
    assert "Importations : aucune donnée" in out


# --------------------------------------------------------------------------- cost


def test_help_imports_nothing_heavy():
    code = (
        "import sys\n"
        "from frtrade.cli import main\n"
        "try:\n"
        "    main(['fiche', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('altair', 'vl_convert', 'typst', 'frtrade.fiche',"
        " 'frtrade.cli._commands', 'tqdm') if m in sys.modules]\n"
        "print(heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stderr.strip() == "[]"


def test_the_frtrade_command_exits_without_heavy_imports():
    """console_main (the installed command) adds nothing to ``--help``."""
    code = (
        "import os, sys\n"
        "real_exit = os._exit\n"
        "def leave(status):\n"
        "    heavy = [m for m in ('altair', 'pandas', 'frtrade.render') if m in sys.modules]\n"
        "    print(heavy, status, file=sys.stderr)\n"
        "    sys.stderr.flush()\n"
        "    real_exit(status)\n"
        "os._exit = leave\n"
        "sys.argv = ['frtrade', '--help']\n"
        "from frtrade.cli import console_main\n"
        "console_main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stderr.strip() == "[] 0"
    assert "fiche" in result.stdout


# --------------------------------------------------------------------------- quarters


@given(st.sets(st.integers(1, 4), min_size=1))
def test_quarters_syntax_round_trips(quarters):
    ordered = sorted(quarters)
    assert _data.parse_quarters(",".join(map(str, ordered))) == tuple(ordered)
    ranges = []
    for q in ordered:  # the same set written as ranges: 1-2,4
        if ranges and ranges[-1][1] == q - 1:
            ranges[-1][1] = q
        else:
            ranges.append([q, q])
    text = ",".join(f"{a}-{b}" if a != b else str(a) for a, b in ranges)
    assert _data.parse_quarters(text) == tuple(ordered)
    label = _data.quarters_text(ordered)
    if len(ordered) == 1:
        assert label == f"trimestre {ordered[0]}"
    elif len(ranges) == 1 and len(ordered) > 2:  # two quarters: « 1 et 2 »
        assert label == f"trimestres {ordered[0]} à {ordered[-1]}"
    else:
        listed = ", ".join(map(str, ordered[:-1]))
        assert label == f"trimestres {listed} et {ordered[-1]}"


@given(st.text(alphabet="0123456789-, T", max_size=6))
def test_quarters_syntax_refuses_anything_else(text):
    errors: list[str] = []
    try:
        parsed = _data.parse_quarters(text)
    except _data.UsageError as exc:
        errors.append(str(exc))
        parsed = ()
    if errors:
        assert errors[0].startswith("--quarters : ")
    else:
        assert parsed
        assert set(parsed) <= {1, 2, 3, 4}
        assert all(part.strip() for part in text.split(","))


def _processes_with(mark: str) -> list[int]:
    """PIDs whose environment holds ``mark`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if mark.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("delay", [0.3, 2.0])
def test_ctrl_c_during_a_fiche_leaves_no_process_and_no_folder(tmp_path, delay):
    """Ctrl-C in a terminal (SIGINT to the process group) while the render
    processes start or draw: exit 130, one French line, nothing left behind."""
    import signal
    import time
    import uuid

    value = uuid.uuid4().hex
    mark = f"FRTRADE_TEST_MARK={value}"
    env = {**os.environ, "FRTRADE_TEST_MARK": value}
    exe = shutil.which("frtrade", path=str(Path(sys.executable).parent))
    command = [exe] if exe else PYTHON
    process = subprocess.Popen(
        [*command, "fiche", "36", "--out", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group, as in a terminal
    )
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    if process.returncode == 0:  # pragma: no cover - a very fast machine
        pytest.skip("the fiche was written before the interruption")
    assert process.returncode == 130
    assert err.decode().strip() == "frtrade : interrompu (Ctrl-C)"
    deadline = time.monotonic() + 10
    while _processes_with(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_with(mark) == []
    assert [p.name for p in tmp_path.iterdir()] == []  # no folder, no staging


def test_sources_line_names_a_single_quarter_in_the_singular(capsys, cases, tmp_path):
    data = ("--data", *cases["indre_no_export_q3"], "--quarters", "3")
    code, _, _ = call(
        capsys, "fiche", "36", *data, "--out", str(tmp_path), "--format", "html"
    )
    assert code == 0
    page = (tmp_path / "departement-36" / "fiche.html").read_text()
    assert "année 2024 (trimestre 3). Exportations FAB" in page  # not « trimestres 3 »
