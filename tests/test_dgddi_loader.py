from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from frtrade.dgddi import DGDDI_FIELDS, load_dgddi, read_dgddi, write_dgddi
from frtrade.errors import DataFormatError, DataQualityWarning, UnknownCodeWarning
from frtrade.schemas import TradeFlows
from frtrade.testing import trade_flows

if TYPE_CHECKING:
    from pathlib import Path

# The four regional example rows printed in DGDDI's specification (PDF §V).
SPEC_ROWS = (
    "I;3;2018;01;18;A01Z;0111;AR;52;11\n"
    "I;3;2018;01;18;A01Z;0111;AT;29916;20815\n"
    "E;3;2018;01;18;A01Z;0111;BE;406473;1210935\n"
    "E;3;2018;01;18;A01Z;0111;BR;11228;250\n"
)


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def make_zip(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, payload in members.items():
            zf.writestr(name, payload)
    return path


def test_spec_rows_exact_values(tmp_path):
    flows = read_dgddi(write(tmp_path, "Region_2018_mixed.txt", SPEC_ROWS))
    TradeFlows.validate(flows)
    assert flows.flow.tolist() == ["import", "import", "export", "export"]
    assert flows.quarter.tolist() == [3, 3, 3, 3]
    assert flows.year.tolist() == [2018] * 4
    assert flows.departement.tolist() == ["01"] * 4
    assert flows.region.tolist() == ["18"] * 4
    assert flows.a129.tolist() == ["A01Z"] * 4
    assert flows.cpf4.tolist() == ["0111"] * 4
    assert flows.country.tolist() == ["AR", "AT", "BE", "BR"]
    assert flows.value_eur.tolist() == [52.0, 29916.0, 406473.0, 11228.0]
    assert flows.mass_kg.tolist() == [11.0, 20815.0, 1210935.0, 250.0]
    for column in ("flow", "departement", "region", "a129", "cpf4", "country"):
        assert isinstance(flows[column].dtype, pd.CategoricalDtype)
    assert flows.year.dtype == np.int16
    assert flows.quarter.dtype == np.int8


def test_annual_zips_in_real_layout(tmp_path):
    export = make_zip(
        tmp_path / "202502_regional_2024_export.zip",
        {
            "Regional-2024-export/Region_2024_Export.txt": "E;1;2024;36;04;C21Z;2120;NA;1000;2\n"
            "E;2;2024;20;22;C11Z;1102;US;500;100\n",
            "Regional-2024-export/Libelle_PAYS.txt": "NA;Namibie;190001;999912\r\n",
        },
    )
    imports = make_zip(
        tmp_path / "202502_regional_2024_import.zip",
        {
            "Regional-2024-import/Regional_2024_Import.txt": "I;4;2024;99;21;C26A;2611;CN;700;1\n"
            "I;1;2024;9D;24;A01Z;0111;XS;300;30\n",
        },
    )
    data = load_dgddi(export, imports)
    flows = data.flows
    assert len(flows) == 4
    assert flows.groupby("flow", observed=True).value_eur.sum().to_dict() == {
        "export": 1500.0,
        "import": 1000.0,
    }
    # NA is Namibia, not a missing value; special départements kept as codes.
    assert "NA" in set(flows.country)
    assert flows.country.notna().all()
    assert set(flows.departement) == {"36", "20", "99", "9D"}
    assert data.report.rows_read == 4
    assert data.report.rows_kept == 4
    assert data.report.years == [2024]
    assert data.report.quarters == {2024: [1, 2, 4]}
    assert data.report.files[0].endswith("Region_2024_Export.txt")
    assert any(f.endswith("Libelle_PAYS.txt") for f in data.report.label_files)
    assert data.labels.countries["NA"] == "Namibie"
    assert data.labels.countries["XS"] == "Serbie"
    assert data.report.fictitious is False
    assert all(not codes for codes in data.report.unknown_codes.values())


def test_last_five_quarters_variant(tmp_path):
    zipped = make_zip(
        tmp_path / "dernière_publication.zip",
        {
            "REGIONAL_CPF4PAYSE.txt": "E;4;2024;36;04;C21Z;2120;DE;10;1\n"
            "E;1;2025;36;04;C21Z;2120;DE;20;1\n",
            "REGIONAL_CPF4PAYSI.txt": "I;4;2024;36;04;C21Z;2120;DE;5;1\n",
            "Departement_region.txt": "36;Indre;04;Centre-Val de Loire\r\n",
            "Libelle_CPF4_rev2.1.txt": "2120;Préparations pharmaceutiques;201501;999912\r\n".encode(
                "cp1252"
            ),
        },
    )
    data = load_dgddi(zipped)
    assert data.report.years == [2024, 2025]
    assert data.report.quarters == {2024: [4], 2025: [1]}
    only_2025 = load_dgddi(zipped, year=2025)
    assert only_2025.flows.value_eur.tolist() == [20.0]
    assert only_2025.report.rows_other_years == 2
    assert load_dgddi(zipped, flows=["import"]).flows.value_eur.tolist() == [5.0]


def test_directory_of_zips(tmp_path):
    make_zip(
        tmp_path / "a_regional_2024_export.zip",
        {
            "R/Region_2024_Export.txt": SPEC_ROWS[:0]
            + "E;1;2024;36;04;C21Z;2120;DE;1;1\n"
        },
    )
    make_zip(
        tmp_path / "a_regional_2024_import.zip",
        {"R/Region_2024_Import.txt": "I;1;2024;36;04;C21Z;2120;DE;2;1\n"},
    )
    assert read_dgddi(tmp_path).value_eur.sum() == 3.0


def test_crlf_bom_and_decimal_comma(tmp_path):
    text = "\ufeffE;1;2024;36;04;C21Z;2120;DE;12,5;1,25\r\nE;2;2024;36;04;C21Z;2120;DE;7;1\r\n"
    flows = read_dgddi(write(tmp_path, "Region_2024_Export.txt", text))
    assert flows.value_eur.tolist() == [12.5, 7.0]
    assert flows.mass_kg.tolist() == [1.25, 1.0]


def test_unknown_codes_are_kept_reported_and_warned(tmp_path):
    path = write(
        tmp_path,
        "Region_2024_Export.txt",
        "E;1;2024;36;04;C21Z;2120;DE;10;1\nE;1;2024;X1;04;C21Z;2120;ZZ;5;1\n",
    )
    with pytest.warns(UnknownCodeWarning, match=r"departement: 'X1'.*country: 'ZZ'"):
        data = load_dgddi(path)
    assert data.flows.value_eur.sum() == 15.0
    assert data.report.unknown_codes["departement"] == {"X1": 1}
    assert data.report.unknown_codes["country"] == {"ZZ": 1}


def test_region_mismatch_and_negative_values_located(tmp_path):
    path = write(
        tmp_path,
        "Region_2024_Export.txt",
        "E;1;2024;36;03;C21Z;2120;DE;-10;1\nE;2;2024;36;04;C21Z;2120;DE;30;1\n",
    )
    with pytest.raises(DataFormatError, match="negative value") as err:
        load_dgddi(path)
    assert (err.value.file, err.value.line, err.value.field, err.value.value) == (
        str(path),
        1,
        "Valeur",
        "-10",
    )
    with pytest.warns(DataQualityWarning) as caught:
        data = load_dgddi(path, negative="keep")
    messages = [str(w.message) for w in caught]
    assert any("negative value(s) kept" in m and "line 1" in m for m in messages)
    assert any(
        "contradicts Departement_region.txt" in m and "région 03 instead of 04" in m
        for m in messages
    )
    assert data.report.region_mismatches == 1
    assert data.report.negative_values == 1
    assert data.flows.value_eur.sum() == 20.0  # kept on request
    kinds = {f.kind: f for f in data.report.findings}
    assert kinds["negative_value"].line == 1
    assert kinds["negative_value"].values == {"Valeur": "-10"}
    assert kinds["region_mismatch"].line == 1
    assert kinds["region_mismatch"].values == {
        "Code département": "36",
        "Code région": "03",
        "attendu": "04",
    }
    assert data.report.finding_counts == {"negative_value": 1, "region_mismatch": 1}


def test_negative_mass_refused(tmp_path):
    path = write(
        tmp_path, "Region_2024_Export.txt", GOOD + GOOD.replace(";1\n", ";-1\n")
    )
    with pytest.raises(DataFormatError, match="negative") as err:
        load_dgddi(path)
    assert (err.value.line, err.value.field, err.value.value) == (2, "Masse", "-1")


def test_duplicated_keys_summed_or_refused(tmp_path):
    path = write(
        tmp_path,
        "Region_2024_Export.txt",
        "E;1;2024;36;04;C21Z;2120;DE;10;1\n"
        "E;2;2024;36;04;C21Z;2120;DE;1;1\n"
        "E;1;2024;36;04;C21Z;2120;DE;5;2\n",
    )
    with pytest.warns(DataQualityWarning, match="lines 1 and 3"):
        data = load_dgddi(path)
    assert data.report.duplicate_keys == 1
    assert data.report.rows_read == 3
    assert data.report.rows_kept == 2
    flows = data.flows.sort_values("quarter")
    assert flows.value_eur.tolist() == [15.0, 1.0]
    assert flows.mass_kg.tolist() == [3.0, 1.0]
    (finding,) = [f for f in data.report.findings if f.kind == "duplicate_key"]
    assert finding.line == 3
    assert finding.values["lignes"] == "1 et 3"
    assert "E;2024;1;36;2120;DE" in finding.message
    assert "ligne 3" in data.report.summary_fr()
    with pytest.raises(DataFormatError, match="lines 1 and 3") as err:
        load_dgddi(path, duplicates="error")
    assert err.value.line == 3


def test_report_summary_and_dict(tmp_path):
    data = load_dgddi(write(tmp_path, "Region_2018_spec.txt", SPEC_ROWS))
    assert data.report.to_dict()["rows_by_flow"] == {"export": 2, "import": 2}
    assert "read 4 rows from 1 file(s), kept 4" in data.report.summary()


# --------------------------------------------------------------------------- bad inputs


GOOD = "E;1;2024;36;04;C21Z;2120;DE;10;1\n"


@pytest.mark.parametrize(
    ("text", "line", "field", "value", "message"),
    [
        (
            GOOD + "E;1;2024;36;04;C21Z;2120;DE;10\n" + GOOD,
            2,
            None,
            None,
            "9 fields, expected 10",
        ),
        (
            GOOD + "E;1;2024;36;04;C21Z;2120;DE;1O;1\n",
            2,
            "Valeur",
            "1O",
            "not a number",
        ),
        (
            GOOD + "E;1;2024;36;04;C21Z;2120;DE;10;abc\n",
            2,
            "Masse",
            "abc",
            "not a number",
        ),
        (
            GOOD + "X;1;2024;36;04;C21Z;2120;DE;10;1\n",
            2,
            "Flux",
            "X",
            "unknown flow code",
        ),
        (
            GOOD + "E;5;2024;36;04;C21Z;2120;DE;10;1\n",
            2,
            "Trimestre",
            "5",
            "quarter outside 1-4",
        ),
        (
            GOOD + "E;0;2024;36;04;C21Z;2120;DE;10;1\n",
            2,
            "Trimestre",
            "0",
            "quarter outside 1-4",
        ),
        (
            "Flux;Trimestre;Annee;Dep;Reg;A129;CPF4;Pays;Valeur;Masse\n" + GOOD,
            1,
            "Flux",
            "Flux",
            "header line",
        ),
        (GOOD + GOOD + "E;1;2024;36;04;C2", 3, None, None, "last line looks truncated"),
        (
            GOOD + "E;1;2024;36;04;C21Z;212;DE;10;1\n",
            2,
            "Code CPF4",
            "212",
            "malformed code",
        ),
        (
            GOOD + "E;1;2024;36;04;21Z;2120;DE;10;1\n",
            2,
            "Code A129",
            "21Z",
            "malformed code",
        ),
        (
            GOOD + "E;1;2024;36;04;C21Z;2120;;10;1\n",
            2,
            "Code Pays",
            "",
            "malformed code",
        ),
        (GOOD + "E;1;24;36;04;C21Z;2120;DE;10;1\n", 2, "Année", "24", "4 digits"),
    ],
)
def test_bad_line_names_file_line_field_value(
    tmp_path, text, line, field, value, message
):
    path = write(tmp_path, "Region_2024_Export.txt", text)
    with pytest.raises(DataFormatError, match=message) as err:
        read_dgddi(path)
    assert err.value.file == str(path)
    assert err.value.line == line
    assert err.value.field == field
    if value is not None:
        assert err.value.value == value
    assert f"line {line}" in str(err.value)


def test_empty_file(tmp_path):
    with pytest.raises(DataFormatError, match="empty data file"):
        read_dgddi(write(tmp_path, "Region_2024_Export.txt", "\n"))


def test_undecodable_bytes(tmp_path):
    path = write(
        tmp_path,
        "Region_2024_Export.txt",
        GOOD.encode() + b"E;1;2024;36;04;C21Z;2120;D\xe9;10;1\n",
    )
    with pytest.raises(DataFormatError, match="not UTF-8") as err:
        read_dgddi(path)
    assert err.value.line == 2


def test_corrupt_zip(tmp_path):
    good = make_zip(
        tmp_path / "x_regional_2024_export.zip", {"R/Region_2024_Export.txt": GOOD * 50}
    )
    data = bytearray(good.read_bytes())
    data[60:80] = b"\x00" * 20  # damage the compressed member
    broken = write(tmp_path, "broken_regional_2024_export.zip", bytes(data))
    with pytest.raises(DataFormatError, match=r"broken_regional_2024_export\.zip"):
        read_dgddi(broken)
    not_a_zip = write(tmp_path, "fake.zip", b"this is not a zip")
    with pytest.raises(DataFormatError, match="not a readable zip"):
        read_dgddi(not_a_zip)


def test_zip_without_data_member(tmp_path):
    zipped = make_zip(
        tmp_path / "labels_only.zip",
        {"Libelle_PAYS.txt": "DE;Allemagne;190001;999912\n"},
    )
    with pytest.raises(DataFormatError, match="no DGDDI data member"):
        read_dgddi(zipped)


def test_file_of_the_wrong_kind(tmp_path):
    path = write(
        tmp_path, "Region_2024_Export.txt", "I;1;2024;36;04;C21Z;2120;DE;10;1\n"
    )
    with pytest.raises(DataFormatError, match="holds import rows"):
        read_dgddi(path)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_dgddi(tmp_path / "nope.zip")


def test_error_message_format():
    err = DataFormatError("bad", file="f.txt", line=3, field=DGDDI_FIELDS[1], value="9")
    assert str(err) == "f.txt, line 3, field 'Trimestre', value '9': bad"


# --------------------------------------------------------------------------- round trip


KEY = ["flow", "year", "quarter", "departement", "cpf4", "country"]


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in key order, codes as plain strings (category order is not data)."""
    text = frame.astype(
        dict.fromkeys(("flow", "departement", "region", "a129", "cpf4", "country"), str)
    )
    return text.sort_values(KEY, ignore_index=True)


@given(flows=trade_flows(max_rows=40), as_zip=st.booleans())
def test_round_trip_any_valid_table(tmp_path_factory, flows, as_zip):
    folder = tmp_path_factory.mktemp("rt")
    paths = []
    for flow in ("export", "import"):
        part = flows[flows.flow == flow]
        if len(part):
            name = f"Region_2024_{flow.capitalize()}" + (".zip" if as_zip else ".txt")
            paths.append(write_dgddi(part, folder / name))
    back = read_dgddi(*paths)
    TradeFlows.validate(back)
    pd.testing.assert_frame_equal(canonical(back), canonical(flows), check_exact=True)


EXPORT_2019 = "".join(
    line.replace("2018", "2019") + "\n"
    for line in SPEC_ROWS.splitlines()
    if line[0] == "E"
)


@pytest.mark.real_data
def test_real_label_files_inside_a_zip_win(real_dir, tmp_path):
    labels = real_dir / "dgddi_2019_regional_labels"
    zipped = make_zip(
        tmp_path / "202002_regional_2019_export.zip",
        {
            "Regional-2019-export/Region_2019_Export.txt": EXPORT_2019,
            **{
                f"Regional-2019-export/{p.name}": p.read_bytes()
                for p in labels.iterdir()
                if p.suffix == ".txt"
            },
        },
    )
    data = load_dgddi(zipped)
    assert len(data.report.label_files) == 3
    assert data.labels.countries["AR"] == "Argentine"
    assert (
        data.labels.countries["US"] == "États-Unis"
    )  # display name kept: same meaning
    assert data.labels.products_official["0111"].startswith("Céréales")
    assert data.report.years == [2019]
