"""Issue 9: one copy of the data, overlaps, several years, hostile files."""

from __future__ import annotations

import os
import shutil
import struct
import sys
import warnings
import zipfile
from typing import TYPE_CHECKING

import pytest

from frtrade.datasets import fictitious_dataset_paths
from frtrade.dgddi import Labels, LoadReport, load_dgddi, read_dgddi
from frtrade.errors import DataFormatError, DataQualityWarning, FrtradeError

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

GOOD = "E;1;2024;36;04;C21Z;2120;DE;10;1\n"
EXPORT_2024 = GOOD + "E;2;2024;75;03;C29A;2910;US;700;3\n"
IMPORT_2024 = "I;1;2024;36;04;C21Z;2120;CN;40;1\nI;3;2024;13;21;C26A;2611;US;60;2\n"


def make_zip(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, payload in members.items():
            zf.writestr(name, payload)
    return path


def totals(flows: pd.DataFrame) -> dict[str, float]:
    return flows.groupby("flow", observed=True).value_eur.sum().to_dict()


def quiet_load(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_dgddi(*args, **kwargs)


# --------------------------------------------------------------------------- one copy


def test_same_file_given_twice_is_read_once(tmp_path):
    path = tmp_path / "Region_2024_Export.txt"
    path.write_text(EXPORT_2024)
    with pytest.warns(DataQualityWarning, match="same content"):
        data = load_dgddi(path, path)
    assert totals(data.flows) == {"export": 710.0}
    assert data.report.files == [str(path)]
    assert data.report.skipped_copies == [(str(path), str(path))]
    assert data.report.finding_counts == {"skipped_copy": 1}
    assert "1 copie identique ignorée" in data.report.summary_fr()


def test_zip_beside_its_extracted_member_is_read_once(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    zipped = make_zip(
        folder / "202502_regional_2024_export.zip",
        {"Regional-2024-export/Region_2024_Export.txt": EXPORT_2024},
    )
    extracted = folder / "Regional-2024-export"
    extracted.mkdir()
    (extracted / "Region_2024_Export.txt").write_text(EXPORT_2024)
    (folder / "Region_2024_Export.txt").write_text(EXPORT_2024)
    data = quiet_load(folder)
    assert totals(data.flows) == {"export": 710.0}
    kept = f"{zipped}!Regional-2024-export/Region_2024_Export.txt"
    assert data.report.files == [kept]
    assert sorted(data.report.skipped_copies) == sorted(
        [
            (str(extracted / "Region_2024_Export.txt"), kept),
            (str(folder / "Region_2024_Export.txt"), kept),
        ]
    )


def test_duplicated_member_inside_a_zip(tmp_path):
    zipped = make_zip(
        tmp_path / "x_regional_2024_export.zip",
        {
            "A/Region_2024_Export.txt": EXPORT_2024,
            "B/Region_2024_Export.txt": EXPORT_2024,
        },
    )
    data = quiet_load(zipped)
    assert totals(data.flows) == {"export": 710.0}
    assert len(data.report.skipped_copies) == 1


def test_same_crc_is_not_enough(tmp_path):
    # Two different members of the same size: both read, overlap refused.
    a = tmp_path / "Region_2024_Export.txt"
    b = tmp_path / "Region_2024_Export_bis.txt"
    a.write_text(GOOD)
    b.write_text(GOOD.replace(";10;", ";11;"))
    with pytest.raises(DataFormatError, match="cover the same rows"):
        load_dgddi(a, b)


def test_embedded_zips_with_their_extracted_members(tmp_path):
    alone = load_dgddi(*fictitious_dataset_paths())
    folder = tmp_path / "downloads"
    folder.mkdir()
    for path in fictitious_dataset_paths():
        shutil.copy(path, folder)
        with zipfile.ZipFile(path) as zf:
            zf.extractall(folder)
    with pytest.warns(DataQualityWarning, match="same content"):
        both = load_dgddi(folder)
    assert totals(both.flows) == totals(alone.flows)
    assert both.report.rows_kept == alone.report.rows_kept
    assert len(both.report.skipped_copies) == 2
    assert both.report.fictitious
    assert "2 copies identiques ignorées" in both.report.summary_fr()


# --------------------------------------------------------------------------- overlaps


def test_two_publications_of_one_year_refused_naming_both(tmp_path):
    old = make_zip(
        tmp_path / "202502_regional_2024_export.zip",
        {"R/Region_2024_Export.txt": EXPORT_2024},
    )
    new = make_zip(
        tmp_path / "202506_regional_2024_export.zip",
        {"R/Region_2024_Export.txt": EXPORT_2024.replace(";700;", ";900;")},
    )
    with pytest.raises(DataFormatError) as err:
        load_dgddi(old, new)
    text = str(err.value)
    assert "202502_regional_2024_export.zip" in text
    assert "202506_regional_2024_export.zip" in text
    assert "export 2024 quarter(s) 1, 2" in text
    with pytest.warns(DataQualityWarning, match="replaced by the more recent"):
        data = load_dgddi(old, new, overlap="latest")
    assert totals(data.flows) == {"export": 910.0}
    assert data.report.superseded == [
        {
            "file": f"{old}!R/Region_2024_Export.txt",
            "by": f"{new}!R/Region_2024_Export.txt",
            "flow": "export",
            "year": 2024,
            "quarters": [1, 2],
        }
    ]
    assert "remplacées par la publication plus récente" in data.report.summary_fr()


def test_annual_file_and_five_quarter_file(tmp_path):
    annual = make_zip(
        tmp_path / "202502_regional_2024_export.zip",
        {"R/Region_2024_Export.txt": EXPORT_2024 + "E;4;2024;36;04;C21Z;2120;DE;5;1\n"},
    )
    rolling = make_zip(
        tmp_path / "derniere_publication.zip",
        {
            "REGIONAL_CPF4PAYSE.txt": "E;4;2024;36;04;C21Z;2120;DE;8;1\n"
            "E;1;2025;36;04;C21Z;2120;DE;3;1\n"
        },
    )
    with pytest.raises(DataFormatError, match="export 2024 quarter\\(s\\) 4"):
        load_dgddi(annual, rolling)
    data = quiet_load(annual, rolling, overlap="latest")  # later period wins
    assert data.flows.groupby("year").value_eur.sum().to_dict() == {
        2024: 718.0,
        2025: 3.0,
    }


def test_several_years_load_into_one_table(tmp_path):
    y23 = make_zip(
        tmp_path / "202402_regional_2023_export.zip",
        {"R/Region_2023_Export.txt": EXPORT_2024.replace("2024", "2023")},
    )
    y24 = make_zip(
        tmp_path / "202502_regional_2024_export.zip",
        {"R/Region_2024_Export.txt": EXPORT_2024},
    )
    imp = make_zip(
        tmp_path / "202502_regional_2024_import.zip",
        {"R/Region_2024_Import.txt": IMPORT_2024},
    )
    data = load_dgddi(y23, y24, imp)
    assert data.report.years == [2023, 2024]
    assert data.report.quarters == {2023: [1, 2], 2024: [1, 2, 3]}
    assert data.flows.groupby(
        ["year", "flow"], observed=True
    ).value_eur.sum().to_dict() == {
        (2023, "export"): 710.0,
        (2024, "export"): 710.0,
        (2024, "import"): 100.0,
    }
    assert data.report.findings == []
    assert data.report.summary_fr() == ""


def test_labels_follow_the_year(tmp_path):
    pays = "XS;Saba;190001;200505\r\nXS;Serbie;200506;999912\r\n"
    old = make_zip(
        tmp_path / "200502_regional_2004_export.zip",
        {"R/Region_2004_Export.txt": GOOD.replace("2024", "2004").replace("DE", "XS"),
         "R/Libelle_PAYS.txt": pays},
    )  # fmt: skip
    new = make_zip(
        tmp_path / "202502_regional_2024_export.zip",
        {
            "R/Region_2024_Export.txt": GOOD.replace("DE", "XS"),
            "R/Libelle_PAYS.txt": pays,
        },
    )
    data = load_dgddi(old, new)
    assert data.labels.countries["XS"] == "Serbie"  # latest year loaded
    assert data.labels.for_year(2004).countries["XS"] == "Saba"
    assert data.labels.for_year(2024).countries["XS"] == "Serbie"
    only_old = load_dgddi(old)
    assert only_old.labels.countries["XS"] == "Saba"
    assert len(data.report.label_files) == 1  # the same label bytes once


# --------------------------------------------------------------------------- bad values


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ("E;1;2101;36;04;C21Z;2120;DE;10;1", "Année", "year outside 1900-2100"),
        ("E;1;20240;36;04;C21Z;2120;DE;10;1", "Année", "4 digits"),
        ("E;1;1899;36;04;C21Z;2120;DE;10;1", "Année", "year outside"),
        ("E;1;２０２４;36;04;C21Z;2120;DE;10;1", "Année", "4 digits"),
        ("E;١;2024;36;04;C21Z;2120;DE;10;1", "Trimestre", "quarter"),
        ("E;1;2024;36;04;C21Z;２１２０;DE;10;1", "Code CPF4", "malformed code"),
        ("E;1;2024;36;04;C21Z;2120;DE;١٠;1", "Valeur", "not a number"),
        ("E;1;2024;36;04;C21Z;2120;DE;1e3;1", "Valeur", "exponent notation"),
        ("E;1;2024;36;04;C21Z;2120;DE;10;1E2", "Masse", "exponent notation"),
        ("E;1;2024;36;04;C21Z;2120;DE;inf;1", "Valeur", "not a number"),
        ("E;1;2024;36;04;C21Z;2120;DE;nan;1", "Valeur", "not a number"),
        ("E;1;2024;36;04;C21Z;2120;DE;9007199254740993;1", "Valeur", r"2\^53"),
        ("E;1;2024;36;04;C21Z;2120;DE;99999999999999999999;1", "Valeur", r"2\^53"),
        ("E;1;2024;36;04;C21Z;2120;DE;1\r0;1", "Valeur", "carriage return"),
        ("E;1;2024;36;04;C21Z;2120;D\rE;10;1", "Code Pays", "carriage return"),
        ("", None, "blank line"),
        ("   ", None, "blank line"),
        ('E;1;2024;36;04;C21Z;"2120";DE;10;1', "Code CPF4", "malformed code"),
    ],
)
def test_malformed_values_name_file_and_line(tmp_path, line, field, message):
    path = tmp_path / "Region_2024_Export.txt"
    path.write_bytes((GOOD + line + "\n" + GOOD.replace(";1;", ";2;")).encode())
    with pytest.raises(DataFormatError, match=message) as err:
        read_dgddi(path)
    assert err.value.file == str(path)
    assert err.value.line == 2
    assert err.value.field == field


def test_large_integers_exact(tmp_path):
    path = tmp_path / "Region_2024_Export.txt"
    path.write_text("E;1;2024;36;04;C21Z;2120;DE;9007199254740991;1\n")
    assert read_dgddi(path).value_eur.iloc[0] == 2**53 - 1


def test_lone_cr_between_lines_is_refused(tmp_path):
    path = tmp_path / "Region_2024_Export.txt"
    path.write_bytes((GOOD.strip() + "\r" + GOOD).encode())
    with pytest.raises(DataFormatError, match="carriage return") as err:
        read_dgddi(path)
    assert err.value.line == 1


# --------------------------------------------------------------------------- hostile files


def test_control_characters_in_labels_are_cleaned_and_reported(tmp_path):
    zipped = make_zip(
        tmp_path / "x_regional_2024_export.zip",
        {
            "R/Region_2024_Export.txt": GOOD.replace("DE", "CN"),
            "R/Libelle_PAYS.txt": "DE;Allemagne;190001;999912\r\nCN;Chine\x07;190001;999912\r\n",
        },
    )
    with pytest.warns(DataQualityWarning, match="line 2, code CN"):
        data = load_dgddi(zipped)
    assert data.labels.countries["CN"] == "Chine"
    (finding,) = data.report.findings
    assert (finding.kind, finding.line, finding.file) == (
        "label_cleaned",
        2,
        f"{zipped}!R/Libelle_PAYS.txt",
    )
    assert finding.values == {"code": "CN", "libellé lu": "Chine\\x07"}
    assert "\x07" not in data.report.summary_fr()
    assert "1 libellé nettoyé" in data.report.summary_fr()


def test_long_labels_capped_for_drawing_full_text_kept(tmp_path):
    long = "Produit " + "très " * 60 + "long"
    zipped = make_zip(
        tmp_path / "x_regional_2024_export.zip",
        {
            "R/Region_2024_Export.txt": GOOD,
            "R/Libelle_CPF4.txt": f"2120;{long};201501;999912\n",
        },
    )
    data = load_dgddi(zipped)
    assert len(data.labels.products["2120"]) <= 160
    assert data.labels.products["2120"].endswith("…")
    assert data.labels.products_official["2120"] == long


def test_zip_bomb_refused_before_reading(tmp_path):
    bomb = tmp_path / "bomb_regional_2024_export.zip"
    with (
        zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf,
        zf.open("R/Region_2024_Export.txt", "w") as member,
    ):
        block = b"0" * (1 << 20)
        for _ in range(64):  # 64 MiB of zeros: about 64 KiB compressed
            member.write(block)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(DataFormatError, match="zip bomb") as err:
        read_dgddi(bomb)
    assert err.value.file.endswith("!R/Region_2024_Export.txt")
    with pytest.raises(DataFormatError, match="more than the limit of 1,000,000"):
        read_dgddi(bomb, max_member_bytes=1_000_000, max_ratio=10**9)


def _patch_local_and_central(path: Path, offset: int, value: int) -> None:
    """Overwrite a 2-byte field of every local and central header of a zip."""
    data = bytearray(path.read_bytes())
    for signature, base in ((b"PK\x03\x04", 0), (b"PK\x01\x02", 2)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            struct.pack_into("<H", data, at + base + offset, value)
            start = at + 4
    path.write_bytes(bytes(data))


def test_encrypted_member_named(tmp_path):
    zipped = make_zip(
        tmp_path / "x_regional_2024_export.zip", {"R/Region_2024_Export.txt": GOOD}
    )
    _patch_local_and_central(zipped, 6, 0x0001)  # general purpose flags: encrypted
    with pytest.raises(DataFormatError, match="encrypted") as err:
        read_dgddi(zipped)
    assert err.value.file == f"{zipped}!R/Region_2024_Export.txt"


def test_unsupported_compression_named(tmp_path):
    zipped = make_zip(
        tmp_path / "x_regional_2024_export.zip", {"R/Region_2024_Export.txt": GOOD}
    )
    _patch_local_and_central(zipped, 8, 99)  # compression method 99 (AES / unknown)
    with pytest.raises(DataFormatError, match="unsupported zip compression") as err:
        read_dgddi(zipped)
    assert err.value.file == f"{zipped}!R/Region_2024_Export.txt"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")
def test_non_regular_files_refused(tmp_path):
    fifo = tmp_path / "Region_2024_Export.txt"
    os.mkfifo(fifo)
    with pytest.raises(DataFormatError, match="not a regular file"):
        read_dgddi(fifo)
    with pytest.raises(DataFormatError, match="not a regular file"):
        read_dgddi("/dev/zero")
    with pytest.raises(DataFormatError, match="not a regular file"):
        read_dgddi(tmp_path)  # a folder holding the FIFO


# --------------------------------------------------------------------------- report


def test_report_dict_summary_and_html(tmp_path):
    path = tmp_path / "Region_2024_Export.txt"
    path.write_text(GOOD + "E;1;2024;36;04;C21Z;2120;ZZ;5;1\n" + GOOD)
    data = quiet_load(path)
    d = data.report.to_dict()
    assert d["finding_counts"] == {"duplicate_key": 1, "unknown_code": 1}
    assert {f["kind"] for f in d["findings"]} == {"duplicate_key", "unknown_code"}
    unknown = next(f for f in d["findings"] if f["kind"] == "unknown_code")
    assert (unknown["line"], unknown["field"], unknown["values"]) == (
        2,
        "Code Pays",
        {"Code Pays": "ZZ"},
    )
    summary = data.report.summary_fr()
    assert summary.startswith(
        "Données : 1 ligne répétant une clé (valeurs additionnées)"
    )
    assert "1 code inconnu conservé, premier cas : " in summary
    assert f"{path}, ligne 2 (Code Pays ZZ)" in summary
    page = data.report._repr_html_()
    assert "<table>" in page
    assert "duplicate_key" in page
    assert "ZZ" in page
    assert LoadReport()._repr_html_().count("Aucune anomalie") == 1


def test_every_error_is_a_frtrade_error(tmp_path):
    odd = tmp_path / "Region_2024_Export.txt"
    odd.write_bytes(b"\x00\xff" * 50)
    with pytest.raises(FrtradeError):
        read_dgddi(odd)


def test_labels_for_year_without_tables_is_shipped():
    assert Labels.shipped().for_year(2020).countries["DE"] == "Allemagne"
