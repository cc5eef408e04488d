from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frtrade import reference
from frtrade.errors import UnknownTerritoryError
from frtrade.territories import CORSE_NOTICE, Territory
from frtrade.testing import tiny_trade_flows

DEPARTEMENTS = [Territory.departement(c) for c in reference.departements()["code"]]
REGIONS = [t for t in Territory.catalogue() if t.level == "region"]
DEP_CODES = sorted(reference.departements()["code"])


@pytest.mark.parametrize(
    ("query", "code", "name"),
    [
        ("36", "36", "Indre"),
        ("Indre", "36", "Indre"),
        ("indre", "36", "Indre"),
        ("6", "06", "Alpes-Maritimes"),
        ("Cote d'Or", "21", "Côte-d'Or"),
        ("cote d or", "21", "Côte-d'Or"),
        ("974", "9D", "La Réunion"),
        ("9d", "9D", "La Réunion"),
        ("976", "9E", "Mayotte"),
        ("20", "20", "Corse"),
        ("99", "99", "Monaco"),
        ("13", "13", "Bouches-du-Rhône"),
        ("76", "76", "Seine-Maritime"),
        ("44", "44", "Loire-Atlantique"),
        ("59", "59", "Nord"),
        ("75", "75", "Paris"),
    ],
)
def test_departements(query, code, name):
    territory = Territory.resolve(query)
    assert (territory.level, territory.code, territory.name) == (
        "departement",
        code,
        name,
    )
    assert territory.notice is None


@pytest.mark.parametrize("query", ["2A", "2b", "Corse-du-Sud", "haute corse"])
def test_corse_halves_resolve_to_corse_with_a_notice(query):
    territory = Territory.resolve(query)
    assert (territory.code, territory.name) == ("20", "Corse")
    assert territory.notice == CORSE_NOTICE.format(query=query)
    assert "un seul département (20)" in territory.notice
    assert territory == Territory.resolve("20")  # the notice is not identity
    assert territory.slug == "departement-20"
    group = Territory.group([query, "13"])
    assert group.departements == ("13", "20")
    assert group.notice is not None


def test_regions_speak_insee_codes():
    cvl = Territory.region("24")
    assert (cvl.code, cvl.name, cvl.region_dgddi) == ("24", "Centre-Val de Loire", "04")
    assert cvl.slug == "region-24"
    assert Territory.region("04", scheme="dgddi") == cvl
    assert Territory.resolve("centre val de loire") == cvl
    assert Territory.resolve("Auvergne - Rhône-Alpes").code == "84"  # DGDDI spelling
    assert Territory.resolve("Auvergne - Rhône-Alpes").region_dgddi == "18"
    assert cvl.to_dict() == {
        "level": "region",
        "code": "24",
        "name": "Centre-Val de Loire",
        "departements": [],
        "region": None,
        "dgddi_code": "04",
    }
    dom = Territory.region("24", scheme="dgddi")
    assert (dom.code, dom.slug, dom.region_dgddi) == ("DOM", "region-DOM", "24")
    assert Territory.region("DOM") == dom
    corse = Territory.region("94")
    assert (corse.name, corse.region_dgddi) == ("Corse", "22")


@pytest.mark.parametrize(
    ("query", "code", "name"),
    [
        ("La Réunion", "04", "La Réunion"),
        ("Réunion", "04", "La Réunion"),
        ("reunion", "04", "La Réunion"),
        ("LA REUNION", "04", "La Réunion"),
        ("4", "04", "La Réunion"),
        ("Guadeloupe", "01", "Guadeloupe"),
        ("Mayotte", "06", "Mayotte"),
        ("provence alpes cote d azur", "93", "Provence-Alpes-Côte d'Azur"),
        ("Provence-Alpes-Côte d’Azur", "93", "Provence-Alpes-Côte d'Azur"),
        ("PACA", "93", "Provence-Alpes-Côte d'Azur"),
        ("FR-CVL", "24", "Centre-Val de Loire"),
        ("ile-de-france", "11", "Île-de-France"),
        ("Île de France", "11", "Île-de-France"),
        ("hauts de france", "32", "Hauts-de-France"),
        ("bourgogne franche comte", "27", "Bourgogne-Franche-Comté"),
        ("CORSE", "94", "Corse"),
        ("Pays-de-la-Loire", "52", "Pays de la Loire"),
    ],
)
def test_regions_by_any_name(query, code, name):
    territory = Territory.region(query)
    assert (territory.level, territory.code, territory.name) == ("region", code, name)


def test_drom_region_is_its_departement():
    reunion = Territory.region("04")
    assert reunion.departements == ("9D",)
    assert reunion.region_dgddi is None
    assert reunion.to_dict()["dgddi_code"] is None
    assert reunion.slug == "region-04"
    flows = tiny_trade_flows()
    assert reunion.mask(flows).sum() == Territory.resolve("9D").mask(flows).sum()


def test_every_region_name_and_code_resolves_to_itself():
    regions = reference.regions()
    for row in regions.itertuples():
        by_dgddi = Territory.region(str(row.dgddi_code), scheme="dgddi")
        assert Territory.region(str(row.name)) == by_dgddi
        assert Territory.region(str(row.dgddi_label)) == by_dgddi
        if row.insee_code:
            assert Territory.region(str(row.insee_code)) == by_dgddi
            assert by_dgddi.code == row.insee_code


def test_parent_region_and_group():
    indre = Territory.resolve("36")
    assert indre.parent_region is not None
    assert indre.parent_region.insee_code == "24"
    assert indre.parent() == Territory.region("24")
    assert indre.to_dict()["region"] == {
        "code": "24",
        "dgddi_code": "04",
        "name": "Centre-Val de Loire",
    }
    assert Territory.resolve("99").parent_region.name == "Provence-Alpes-Côte d'Azur"
    assert Territory.resolve("99").parent().code == "93"
    assert Territory.resolve("9E").parent().code == "DOM"
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
    for bad in ("05", "99", "", "   ", "25"):
        with pytest.raises(UnknownTerritoryError):
            Territory.region(bad)
    with pytest.raises(UnknownTerritoryError):
        Territory.region("25", scheme="dgddi")


def test_masks_select_rows():
    flows = tiny_trade_flows()
    assert Territory.france().mask(flows).sum() == len(flows)
    assert Territory.region("24").mask(flows).sum() == 7
    assert Territory.group(["18", "36"]).mask(flows).sum() == 7
    assert Territory.resolve("75").mask(flows).sum() == 2


def test_slugs_are_unique_across_levels():
    assert Territory.resolve("24").slug == "departement-24"  # Dordogne
    assert Territory.region("24").slug == "region-24"
    assert Territory.france().slug == "france"
    every = Territory.catalogue()
    assert len({t.slug for t in every}) == len(every)
    assert len({(t.level, t.code) for t in every}) == len(every)


@pytest.mark.parametrize(
    "slug",
    [
        "region-04x",
        "region-4",
        "region-R01",
        "region-dom",
        "departement-6",
        "departement-indre",
        "departement-2A",
        "groupe-36-18",
        "groupe-18-18",
        "groupe-",
        "groupe-18--36",
        "France",
        "pays-FR",
        "departement",
        "",
    ],
)
def test_from_slug_refuses_what_is_not_a_slug(slug):
    with pytest.raises(UnknownTerritoryError):
        Territory.from_slug(slug)


@pytest.mark.parametrize("territory", [*DEPARTEMENTS, *REGIONS, Territory.france()])
def test_from_slug_inverts_slug_for_every_known_territory(territory):
    back = Territory.from_slug(territory.slug)
    assert back == territory
    assert back.slug == territory.slug
    assert back.to_dict() == territory.to_dict()


@given(st.lists(st.sampled_from(DEP_CODES), min_size=1, max_size=8))
def test_from_slug_inverts_slug_for_groups(codes):
    group = Territory.group(codes)
    assert Territory.from_slug(group.slug) == group
    named = Territory.group(codes, name="Mon groupe")
    back = Territory.from_slug(named.slug)
    assert back.slug == named.slug
    assert back.departements == named.departements


@given(
    st.one_of(
        st.sampled_from([*DEPARTEMENTS, *REGIONS, Territory.france()]),
        st.lists(st.sampled_from(DEP_CODES), min_size=1, max_size=5).map(
            Territory.group
        ),
    )
)
def test_slug_round_trip_property(territory):
    slug = territory.slug
    assert Territory.from_slug(slug).slug == slug
    assert Territory.from_slug(slug) == territory
    assert slug.replace("-", "").replace("_", "").isalnum()  # file-name safe


def test_to_dict_is_json_ready():
    for territory in Territory.catalogue():
        assert json.loads(json.dumps(territory.to_dict())) == territory.to_dict()


def test_repr_html():
    page = Territory.region("24")._repr_html_()
    assert ">Centre-Val de Loire</caption>" in page
    assert "<th>Type</th><td>région</td>" in page
    assert "<th>Code DGDDI</th><td>04</td>" in page
    assert "<th>Identifiant</th><td>region-24</td>" in page
    dep = Territory.resolve("Côte-d'Or")._repr_html_()
    assert "Côte-d&#x27;Or" in dep
    assert "<th>Région</th><td>Bourgogne-Franche-Comté (27)</td>" in dep
    corse = Territory.resolve("2A")._repr_html_()
    assert "un seul département" in corse
    group = Territory.group(["18", "36"], name="<Berry>")._repr_html_()
    assert "&lt;Berry&gt;" in group
    assert "<th>Départements</th><td>18, 36</td>" in group


@pytest.mark.parametrize(
    ("territory", "expected"),
    [
        (Territory.resolve("36"), "de l'Indre"),
        (Territory.resolve("18"), "du Cher"),
        (Territory.resolve("13"), "des Bouches-du-Rhône"),
        (Territory.resolve("76"), "de la Seine-Maritime"),
        (Territory.resolve("28"), "d'Eure-et-Loir"),
        (Territory.resolve("49"), "de Maine-et-Loire"),  # INSEE: no article since 2021
        (Territory.resolve("75"), "de Paris"),
        (Territory.resolve("59"), "du Nord"),
        (Territory.resolve("9E"), "de Mayotte"),
        (Territory.resolve("9D"), "de La Réunion"),
        (Territory.resolve("9A"), "de la Guadeloupe"),
        (Territory.resolve("20"), "de Corse"),
        (Territory.resolve("99"), "de Monaco"),
        (Territory.region("24"), "du Centre-Val de Loire"),
        (Territory.region("11"), "d'Île-de-France"),
        (Territory.region("32"), "des Hauts-de-France"),
        (Territory.region("75"), "de la Nouvelle-Aquitaine"),
        (Territory.region("DOM"), "des départements d'outre-mer"),  # a common noun
        (Territory.france(), "de la France"),
        (Territory.group(["03", "36"]), "de l'Allier et de l'Indre"),
        (Territory.group(["03", "18", "36"]), "de l'Allier, du Cher et de l'Indre"),
        (Territory.group(["36"]), "de l'Indre"),
        (Territory.group(["18", "36"], name="Berry"), "de Berry"),  # its user's name
    ],
    ids=lambda x: x.slug if isinstance(x, Territory) else "",
)
def test_of_name_follows_insees_articles(territory, expected):
    assert territory.of_name == expected


def test_every_departement_and_region_has_an_article_type():
    of = {"0": "de ", "1": "d'", "2": "du ", "3": "de la ", "4": "des ", "5": "de l'"}
    deps = reference.departements().set_index("code")
    for territory in DEPARTEMENTS:
        tncc = deps.loc[territory.code, "tncc"]
        assert territory.of_name == of[tncc] + territory.name, territory
    for row in reference.regions().itertuples():
        region = Territory.region(row.insee_code or "DOM")
        name = region.name if row.insee_code else "départements d'outre-mer"
        assert region.of_name == of[row.tncc] + name, region


def test_name_with_article_follows_insees_articles():
    cases = {"36": "l'Indre", "18": "le Cher", "13": "les Bouches-du-Rhône",
             "76": "la Seine-Maritime", "28": "Eure-et-Loir", "75": "Paris",
             "9D": "La Réunion"}  # fmt: skip
    for code, expected in cases.items():
        assert Territory.resolve(code).name_with_article == expected
    assert Territory.region("32").name_with_article == "les Hauts-de-France"
    assert Territory.france().name_with_article == "la France"
    assert Territory.region("DOM").name_with_article == "les départements d'outre-mer"
    assert Territory.group(["03", "36"]).name_with_article == "l'Allier et l'Indre"
    assert Territory.group(["03", "36"], name="Bourbonnais").name_with_article == (
        "Bourbonnais"
    )
