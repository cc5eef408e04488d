from __future__ import annotations

import pytest

from frtrade.errors import DataFormatError
from frtrade.labels import (
    current_labels,
    decode_dgddi_text,
    read_departement_region_file,
    read_label_file,
)

pytestmark = []


@pytest.mark.real_data
class TestRealLabelFiles:
    def test_a129_2025_utf8_bom_crlf_quoted(self, real_dir):
        table = read_label_file(
            real_dir / "dgddi_2025_labels_and_doc" / "Libelle_A129.txt"
        )
        assert len(table) == 76
        assert table.iloc[0]["code"] == "A01Z"  # BOM stripped from the first code
        labels = dict(zip(table.code, table.label, strict=True))
        assert labels["C26E"].replace("\xa0", " ") == (
            "Appareils de mesure, d'essai et de navigation ; articles d'horlogerie"
        )
        assert labels["C21Z"] == "Produits pharmaceutiques"
        assert set(table.valid_from) == {200901}
        assert set(table.valid_to) == {999912}

    def test_a129_2019_lf_same_codes(self, real_dir):
        old = read_label_file(
            real_dir / "dgddi_2019_regional_labels" / "Libelle_A129.txt"
        )
        new = read_label_file(
            real_dir / "dgddi_2025_labels_and_doc" / "Libelle_A129.txt"
        )
        assert old.code.tolist() == new.code.tolist()

    def test_cpf4_2025_windows_1252(self, real_dir):
        table = read_label_file(
            real_dir / "dgddi_2025_labels_and_doc" / "Libelle_CPF4_rev2.1.txt"
        )
        assert len(table) == 576
        assert table.code.str.fullmatch(r"\d{4}").all()
        assert table.iloc[0]["code"] == "0111"  # leading zero kept
        assert table.label.str.contains("œ").any()  # byte 0x9C decoded as cp1252
        assert table.label.str.contains(";").sum() == 23  # quoted labels

    def test_cpf4_2019_pipe_turned_back_into_semicolon(self, real_dir):
        table = read_label_file(
            real_dir / "dgddi_2019_regional_labels" / "Libelle_CPF4.txt"
        )
        assert len(table) == 575
        assert not table.label.str.contains("|", regex=False).any()
        assert table.label.str.contains(";").sum() > 0
        assert "7200" not in set(table.code)

    def test_countries_duplicated_codes_filtered_by_validity(self, real_dir):
        table = read_label_file(
            real_dir / "dgddi_2025_labels_and_doc" / "Libelle_PAYS.txt"
        )
        assert len(table) == 289
        assert (table.valid_to == 999912).sum() == 250
        assert table.code.value_counts()[["QU", "XK", "XS"]].tolist() == [2, 2, 2]
        now = current_labels(table, period=202412)
        assert now["XS"] == "Serbie"
        assert now["XK"] == "Kosovo"
        assert now["QU"] == "Pays et territoires non déterminés"
        assert now["NA"] == "Namibie"
        assert current_labels(table, period=200001)["XS"] == "Saba"

    def test_countries_2019_identical_content(self, real_dir):
        a = read_label_file(
            real_dir / "dgddi_2019_regional_labels" / "Libelle_PAYS.txt"
        )
        b = read_label_file(real_dir / "dgddi_2025_labels_and_doc" / "Libelle_PAYS.txt")
        assert a.equals(b)

    def test_departement_region(self, real_dir):
        table = read_departement_region_file(
            real_dir / "dgddi_2025_labels_and_doc" / "Departement_region.txt"
        )
        assert len(table) == 101
        row = table.set_index("departement").loc["99"]
        assert row.region_dgddi == "21"
        assert set(table.loc[table.region_dgddi == "24", "departement"]) == {
            "9A",
            "9B",
            "9C",
            "9D",
            "9E",
        }


def test_bom_and_cp1252_fallback():
    assert decode_dgddi_text(b"\xef\xbb\xbfabc", source="x") == "abc"
    assert decode_dgddi_text("cœur".encode("cp1252"), source="x") == "cœur"


def test_undecodable_bytes_name_the_line():
    with pytest.raises(DataFormatError, match=r"x\.txt, line 2") as err:
        decode_dgddi_text(
            b"A01Z;ok;200901;999912\n\x81\x81;bad;200901;999912\n", source="x.txt"
        )
    assert err.value.line == 2


def test_label_file_wrong_field_count():
    raw = b"A01Z;Produits;200901;999912\r\nA02Z;Bois;200901\r\n"
    with pytest.raises(DataFormatError, match=r"line 2.*3 fields, expected 4"):
        read_label_file(raw, name="Libelle_A129.txt")


def test_label_file_bad_validity():
    with pytest.raises(DataFormatError) as err:
        read_label_file(b"A01Z;Produits;2009;999912\n", name="L.txt")
    assert (err.value.field, err.value.value) == ("Début", "2009")


def test_label_file_empty():
    with pytest.raises(DataFormatError, match="empty label file"):
        read_label_file(b"\r\n\r\n", name="L.txt")


def test_current_labels_keeps_most_recent_when_none_valid():
    table = read_label_file(b"ZZ;Old;190001;199912\nZZ;Newer;200001;200512\n")
    assert current_labels(table, period=202401) == {"ZZ": "Newer"}
