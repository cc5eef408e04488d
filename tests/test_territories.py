from __future__ import annotations

import pytest

from frtrade.errors import UnknownTerritoryError
from frtrade.territories import Territory
from frtrade.testing import tiny_trade_flows


@pytest.mark.parametrize(
    ("query", "code", "name"),
    [
        ("36", "36", "Indre"),
        ("Indre", "36", "Indre"),
        ("indre", "36", "Indre"),
        ("6", "06", "Alpes-Maritimes"),
        ("Cote d'Or", "21", "Côte-d'Or"),
        ("974", "9D", "La Réunion"),
        ("9d", "9D", "La Réunion"),
        ("2B", "20", "Corse"),
        ("99", "99", "Monaco"),
    ],
)
def test_departements(query, code, name):
    territory = Territory.resolve(query)
    assert (territory.level, territory.code, territory.name) == (
        "departement",
        code,
        name,
    )


def test_regions_by_insee_dgddi_and_name():
    assert Territory.region("24").code == "04"
    assert Territory.region("04", scheme="dgddi").name == "Centre-Val de Loire"
    assert Territory.region("24", scheme="dgddi").name == "Départements d'outre-mer"
    assert Territory.resolve("centre val de loire").code == "04"
    assert Territory.resolve("Auvergne - Rhône-Alpes").code == "18"  # DGDDI spelling
    reunion = Territory.region("04")
    assert reunion.departements == ("9D",)
    assert reunion.name == "La Réunion"


def test_parent_region_and_group():
    indre = Territory.resolve("36")
    assert indre.parent_region is not None
    assert indre.parent_region.insee_code == "24"
    assert Territory.resolve("99").parent_region.name == "Provence-Alpes-Côte d'Azur"
    spanning = Territory.group(["36", "75"])
    assert spanning.parent_region is None
    assert spanning.name == "Indre + Paris"
    assert Territory.france().parent() is None


def test_unknown_territory_suggests_close_matches():
    with pytest.raises(UnknownTerritoryError, match="did you mean") as err:
        Territory.resolve("Indr")
    assert "36 Indre" in err.value.suggestions
    with pytest.raises(UnknownTerritoryError) as err:
        Territory.region("Bretagn")
    assert err.value.suggestions == ["Bretagne (région)"]
    with pytest.raises(UnknownTerritoryError):
        Territory.departement("00")


def test_masks_select_rows():
    flows = tiny_trade_flows()
    assert Territory.france().mask(flows).sum() == len(flows)
    assert Territory.region("24").mask(flows).sum() == 7
    assert Territory.group(["18", "36"]).mask(flows).sum() == 7
    assert Territory.resolve("75").mask(flows).sum() == 2


def test_slugs_are_unique_across_levels():
    assert Territory.resolve("24").slug == "departement-24"  # Dordogne
    assert Territory.region("24", scheme="dgddi").slug == "region-24"
    assert Territory.france().slug == "france"
