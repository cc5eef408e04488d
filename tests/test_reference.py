from __future__ import annotations

import pytest

from frtrade import reference
from frtrade.labels import current_labels, read_departement_region_file, read_label_file


def test_departements_and_crosswalk():
    deps = reference.departements().set_index("code")
    assert len(deps) == 101
    assert deps.loc[
        "36", ["name", "region_dgddi", "insee_code", "insee_region"]
    ].tolist() == [
        "Indre",
        "04",
        "36",
        "24",
    ]
    assert deps.loc["20", "insee_code"] == "2A 2B"
    assert deps.loc["99", "region_dgddi"] == "21"  # Monaco counted in PACA
    assert deps.loc["9D", ["insee_code", "insee_region", "region_dgddi"]].tolist() == [
        "974",
        "04",
        "24",
    ]
    regions = reference.regions().set_index("dgddi_code")
    assert len(regions) == 14
    assert regions.loc["04", "insee_code"] == "24"
    assert (
        regions.loc["24", "insee_code"] == ""
    )  # DGDDI's DOM groups five INSEE régions
    assert set(deps.region_dgddi) == set(regions.index)


def test_a129_positions_with_short_labels_and_rollups():
    a129 = reference.a129().set_index("code")
    assert len(a129) == 76
    assert (a129.short_label.str.len() <= 34).all()
    assert a129.loc["C21Z", ["short_label", "a38", "a17"]].tolist() == [
        "Produits pharmaceutiques",
        "CF",
        "C5",
    ]
    assert a129.loc["C29A", ["a38", "a17"]].tolist() == ["CL", "C4"]
    assert a129.loc["D35A", ["a38", "a17"]].tolist() == ["DZ", "DE"]
    assert set(a129.a38) <= set(reference.a38().code)
    assert set(a129.a17) <= set(reference.a17().code)


def test_every_a129_has_cpf4_classes_and_each_class_one_position():
    cpf4 = reference.cpf4()
    goods = cpf4[cpf4.a129 != ""]
    assert set(goods.a129) == set(reference.a129().code)
    assert goods.code.is_unique
    assert goods.set_index("code").loc["2120", "a129"] == "C21Z"
    assert goods.set_index("code").loc["3030", "a129"] == "C30C"
    assert goods.set_index("code").loc["0111", "a129"] == "A01Z"


def test_country_names_cover_special_codes():
    names = reference.country_names()
    for code in (
        "GR",
        "XK",
        "XS",
        "XC",
        "XL",
        "QU",
        "QP",
        "QQ",
        "QR",
        "QS",
        "EU",
        "FR",
        "NA",
    ):
        assert names[code], code
    assert names["XK"] == "Kosovo"
    assert names["XS"] == "Serbie"
    assert names["NA"] == "Namibie"
    assert names["US"] == "États-Unis"
    assert names["DE"] == "Allemagne"


def test_product_names_levels():
    assert reference.product_names("a38")["CL"] == "Matériels de transport"
    with pytest.raises(ValueError, match="unknown product level"):
        reference.product_names("nace")


def test_returned_tables_are_copies():
    table = reference.departements()
    table.loc[0, "name"] = "changed"
    assert reference.departements().loc[0, "name"] != "changed"


@pytest.mark.real_data
def test_shipped_tables_agree_with_real_label_files(real_dir):
    src = real_dir / "dgddi_2025_labels_and_doc"
    a129 = current_labels(read_label_file(src / "Libelle_A129.txt"))
    assert dict(zip(reference.a129().code, reference.a129().label, strict=True)) == a129
    cpf4 = current_labels(read_label_file(src / "Libelle_CPF4_rev2.1.txt"))
    assert dict(zip(reference.cpf4().code, reference.cpf4().label, strict=True)) == cpf4
    pays = read_label_file(src / "Libelle_PAYS.txt")
    shipped = reference.countries()
    assert (
        shipped.code.tolist() == pays.sort_values(["code", "valid_from"]).code.tolist()
    )
    assert sorted(zip(shipped.code, shipped.label, strict=False)) == sorted(
        zip(pays.code, pays.label, strict=False)
    )
    deps = read_departement_region_file(src / "Departement_region.txt")
    assert dict(zip(deps.departement, deps.region_dgddi, strict=True)) == dict(
        zip(
            reference.departements().code,
            reference.departements().region_dgddi,
            strict=True,
        )
    )
