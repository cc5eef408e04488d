"""The fiche's document model: one text for HTML and PDF, every part of the publication,
wording by territory kind and palette, missing or partial data, overrides."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from html.parser import HTMLParser

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from frtrade.fiche import (
    FicheOverrides,
    OverridesError,
    build_fiche,
    load_overrides,
    typo,
)
from frtrade.fiche._model import Figure, Note
from frtrade.territories import Territory


class _Text(HTMLParser):
    """Visible text of a page, without the charts' SVG, styles and <head>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("svg", "style", "head", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("svg", "style", "head", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def squash(text: str) -> str:
    """Compare texts without whitespace (line breaks, NNBSP) and ligatures."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return "".join(text.split())


def html_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return "".join(parser.parts)


def pdf_text(path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def assert_in_order(texts: list[str], haystack: str, what: str) -> None:
    flat = squash(haystack)
    at = 0
    for text in texts:
        found = flat.find(squash(text), at)
        assert found >= 0, f"{what}: missing or out of order: {text!r}"
        at = found + len(squash(text))


def _fiche(fictitious, query, **kw):
    territory = query if isinstance(query, Territory) else Territory.resolve(query)
    return build_fiche(fictitious.flows, territory, report=fictitious.report, **kw)


GROUP = Territory.group(
    ["18", "36", "03"]
)  # Cher, Indre (Centre-Val de Loire) + Allier (ARA)


@pytest.fixture(scope="module")
def written(fictitious, tmp_path_factory):
    out = {}
    root = tmp_path_factory.mktemp("doc")
    for key, territory in (("36", Territory.resolve("36")), ("groupe", GROUP)):
        fiche = _fiche(
            fictitious,
            territory,
            territoires_industrie=["Issoudun"],
            colors="colorblind",
        )
        files = fiche.write(root / territory.slug, formats=["html", "pdf"])
        out[key] = (fiche, files["html"][0], files["pdf"][0])
    return out


@pytest.mark.parametrize("key", ["36", "groupe"])
def test_html_and_pdf_carry_the_same_sentences(written, key):
    fiche, html_path, pdf_path = written[key]
    texts = fiche.document().texts()
    assert len(texts) > 60
    assert_in_order(texts, html_text(html_path.read_text("utf-8")), "HTML")
    assert_in_order(texts, pdf_text(pdf_path), "PDF")
    # and nothing in the HTML's own text that the model does not have
    rest = squash(html_text(html_path.read_text("utf-8")))
    for text in sorted(texts, key=len, reverse=True):
        rest = rest.replace(squash(text), "", 1)
    assert rest == ""


def test_pdf_metadata_language_and_only_the_shipped_font(written):
    _, _, pdf_path = written["36"]
    reader = PdfReader(pdf_path)
    meta = reader.metadata
    assert meta.title.startswith(
        "Les indicateurs clés\u202f: commerce extérieur – Indre (36)"
    )
    assert meta.author == "frtrade"
    assert "Commerce extérieur de l’Indre" in meta.subject
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts <= {"LiberationSans", "LiberationSans-Bold"}, fonts


def _font_programs(resources, seen: set[int], found: set[tuple[str, int]]) -> None:
    """(face, font file object) of every font under ``resources``, charts' forms included."""
    resources = resources.get_object() if resources is not None else None
    if not resources:
        return
    for ref in (resources.get("/Font") or {}).values():
        font = ref.get_object()
        descendants = font.get("/DescendantFonts")
        holder = descendants[0].get_object() if descendants else font
        descriptor = holder["/FontDescriptor"].get_object()
        program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
        assert program is not None, f"{font['/BaseFont']} is not embedded"
        found.add((str(font["/BaseFont"]).split("+")[-1], program.idnum))
    for ref in (resources.get("/XObject") or {}).values():
        if ref.idnum not in seen:
            seen.add(ref.idnum)
            form = ref.get_object()
            if form.get("/Subtype") == "/Form":
                _font_programs(form.get("/Resources"), seen, found)


def test_pdf_charts_are_text_in_the_fonts_embedded_once(written):
    """typst draws the charts' SVGs itself: their labels stay text, in the same two faces.

    Each chart used to come in as its own PDF, with its own copy of both faces
    (24 font programs in Indre's fiche, a PDF 2.3 times heavier).
    """
    fiche, _, pdf_path = written["36"]
    reader = PdfReader(pdf_path)
    found: set[tuple[str, int]] = set()
    seen: set[int] = set()
    for page in reader.pages:
        _font_programs(page.get("/Resources"), seen, found)
    assert sorted(face for face, _ in found) == [
        "LiberationSans",
        "LiberationSans-Bold",
    ]
    # the Sankeys' node labels are in the PDF's text, once per Sankey
    assert squash(pdf_text(pdf_path)).count("Autrespays") == len(fiche.sankeys) == 6


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
@pytest.mark.parametrize("key", ["36", "groupe"])
def test_no_page_but_the_last_more_than_a_third_empty(written, key, tmp_path):
    _, _, pdf_path = written[key]
    subprocess.run(
        ["pdftoppm", "-r", "30", "-gray", str(pdf_path), str(tmp_path / "p")],
        check=True,
    )
    pages = sorted(tmp_path.glob("p-*.pgm"))
    assert len(pages) >= 4
    for page in pages[:-1]:
        magic, width, height, _, pixels = page.read_bytes().split(maxsplit=4)
        assert magic == b"P5"
        w, h = int(width), int(height)
        body = int(h * 0.93)  # without the footer line
        inked = [y for y in range(body) if min(pixels[y * w : (y + 1) * w]) < 200]
        assert inked[-1] / body > 2 / 3 - 0.02, (
            f"{page.name} is more than a third empty"
        )


def test_every_part_of_the_publication_in_order(fictitious):
    doc = _fiche(fictitious, "36", territoires_industrie=["Issoudun"]).document()
    assert [s.anchor for s in doc.sections] == [
        "introduction", "territoires-industrie", "contexte", "balance", "activites",
        "exportations", "importations", "evolution", "exposition", "concentration",
        "informations", "sources",
    ]  # fmt: skip
    texts = [t.replace("\u202f", " ").replace("\u2019", "'") for t in doc.texts()]
    seed = [
        "Introduction",
        "Dans le cadre du programme Territoires d'industrie, copiloté par l'ANCT et la DGE",
        "nous proposons ici un regard départemental — l'échelon le plus fin disponible —",
        "Territoires d'industrie du département",
        "Contexte",
        "Face aux profondes mutations du commerce mondial",
        "Depuis le début de l'année 2025",
        "Pourtant, la traduction territoriale de ces évolutions",
        "Grâce à ce nouvel éclairage",
        "Précisions méthodologiques",
        "Les données sont établies selon le lieu de dédouanement",
        "la présence de grandes infrastructures de transport",
        "Enfin, l'échelle infra-départementale",
        (
            "Les infographies reposent sur les données départementales et régionales du commerce "
            "extérieur pour l'année 2024"
        ),
        "Balance commerciale territoriale",
        (
            "Cette première infographie identifie les principaux pays concernés par des relations "
            "commerciales avec le département"
        ),
        "Clé de lecture : pour chaque pays, figurent à gauche le montant des importations",
        (
            "Figurent en bleu les biens importés dans le département, en violet les biens exportés "
            "depuis le département"
        ),
        "Exportations",
        (
            "Sont représentés les dix premiers biens exportés depuis le département ainsi que les "
            "dix principaux pays acheteurs. La catégorie « autres » comprend"
        ),
        "les cinq principaux flux (tel produit vers telle destination) sont représentés en rouge.",
        "Flux à l'export par produit et par pays, Indre (en valeur, 2024)",
        "Total des exportations : 1 274,7 millions d'euros",
        (
            "Figurent à gauche les principaux biens exportés depuis le département, à droite les "
            "pays de destination."
        ),
        (
            "La situation départementale des exportations représentée ci-dessus peut être comparée "
            "à celle de la région et du pays :"
        ),
        "Flux à l'export, Centre-Val de Loire (en valeur, 2024)",
        "Total des exportations : 27 859,4 millions d'euros",
        "Flux à l'export, France entière (en valeur, 2024)",
        "Importations",
        "De manière similaire, le graphique suivant représente les flux d'importations",
        (
            "Figurent à gauche les principaux pays d'origine, à droite les biens importés dans le "
            "département."
        ),
        "La situation départementale des importations représentée ci-dessus",
        "Total des importations : 684 776,3 millions d'euros",
        "Informations pratiques",
        "Ce document a pour objectif de dresser un état des lieux territorialisé",
        "Portraits socio-économiques des Territoires d'Industrie",
        "Dossier de presse de la dernière Assemblée générale",
        "territoires-industrie@anct.gouv.fr",
        "Retrouvez l'actualité de l'ANCT : https://anct.gouv.fr/actualites",
        "Retrouvez l'actualité de la DGE : https://www.entreprises.gouv.fr/la-dge/actualites",
        # the publication's « Source : DGDDI – DSECE »: these figures are the
        # embedded fictitious ones, and the line says so
        "Source : DONNÉES FICTIVES (frtrade)",
    ]
    assert_in_order(seed, " ".join(texts), "model")
    assert "Source : DGDDI – DSECE" not in " ".join(texts)


def test_a_fiche_of_real_data_cites_the_dgddi():
    from frtrade.fiche import build_fiche
    from frtrade.territories import Territory
    from frtrade.testing import tiny_trade_flows

    doc = build_fiche(tiny_trade_flows(), Territory.resolve("36")).document()
    texts = " ".join(t.replace("\u202f", " ") for t in doc.texts())
    assert "Source : DGDDI – DSECE" in texts
    assert "FICTIVES" not in texts
    assert doc.footer.replace("\u202f", " ").endswith("Source : DGDDI – DSECE")


def test_french_typography_everywhere(fictitious):
    doc = _fiche(fictitious, "36").document()
    for text in doc.texts():
        assert "'" not in text, text
        assert not re.search(r" [:;%?!»]", text), text
        assert "« " not in text, text
        assert not re.search(r"\d \d{3}", text), text


@given(st.text(alphabet="ab '«»:;%?!0123456789 ,\u202f", max_size=40))
def test_typo_is_idempotent(text):
    assert typo(typo(text)) == typo(text)


def test_typo_examples():
    assert typo("Total : 27 859,4 M€ ; « autres » l'export") == (
        "Total\u202f: 27\u202f859,4 M€\u202f; «\u202fautres\u202f» l’export"
    )


def test_colour_words_follow_the_palette(fictitious):
    default = " ".join(_fiche(fictitious, "36").document().texts())
    blind = " ".join(_fiche(fictitious, "36", colors="colorblind").document().texts())
    assert "en bleu" in default
    assert "en violet" in default
    assert "en rouge" in default
    assert "en rose" in blind
    assert "en violet" not in blind
    assert "en orange" in blind


def test_region_and_france_wording(fictitious):
    region = _fiche(fictitious, Territory.region("24"))
    texts = " ".join(region.document().texts()).replace("\u2019", "'")
    assert "Elle situe la région par rapport à la France." in texts
    assert "comparée à celle du pays" in texts
    assert "regard régional" in texts
    assert "sa région" not in texts
    assert [p.territory.level for p in region.sankeys] == ["region", "france"] * 2
    france = _fiche(fictitious, Territory.france())
    ftexts = " ".join(france.document().texts()).replace("\u2019", "'")
    assert "par rapport à sa région" not in ftexts
    assert "Part des exportations de la France" not in ftexts  # 100 % says nothing
    assert [p.key for p in france.sankeys] == [
        "sankey_export_territoire",
        "sankey_import_territoire",
    ]


def test_group_across_two_regions_lists_and_compares_each(written):
    fiche, _, _ = written["groupe"]
    texts = (
        " ".join(fiche.document().texts()).replace("\u2019", "'").replace("\u202f", " ")
    )
    assert (
        "Ce territoire réunit 3 départements : Allier (03), Cher (18) et Indre (36)."
        in texts
    )
    assert "Territoires d'industrie du territoire" in texts
    regions = [p.territory.name for p in fiche.sankeys if p.flow == "export"][1:]
    assert regions == ["Auvergne-Rhône-Alpes", "Centre-Val de Loire", "France"]
    assert (
        "celles des régions qu'il touche (Auvergne-Rhône-Alpes et Centre-Val de Loire) et du pays"
        in texts
    )
    assert "régions Auvergne-Rhône-Alpes et Centre-Val de Loire" in fiche.subtitle
    assert "de la valeur exportée par la région" not in texts  # no single parent région


def test_a_missing_flow_is_said_never_drawn_never_zero(fictitious, tmp_path):
    flows = fictitious.flows[fictitious.flows["flow"] == "export"]
    fiche = build_fiche(flows, Territory.resolve("36"), report=fictitious.report)
    assert fiche.available == {"export": True, "import": False}
    assert [p.flow for p in fiche.sankeys] == ["export"] * 3
    assert "partenaires" not in fiche.stems()
    doc = fiche.document()
    texts = [t.replace("\u202f", " ") for t in doc.texts()]
    joined = " ".join(texts).replace("\u2019", "'")
    assert "Aucune donnée d'importation pour l'Indre en 2024." in joined
    assert "0,0 M€" not in joined
    assert "0,0 millions" not in joined
    assert dict(fiche.key_figures())["Importations"] == "non disponible"
    assert dict(fiche.key_figures())["Solde commercial"] == "non disponible"
    notes = [b for s in doc.sections for b in s.blocks if isinstance(b, Note)]
    assert any("importation" in n.text and "pas tracé" in n.text for n in notes)
    figures = [b.stem for s in doc.sections for b in s.blocks if isinstance(b, Figure)]
    assert not any("import" in stem for stem in figures)
    written = fiche.write(tmp_path / "d36", formats=["html", "json"])
    page = written["html"][0].read_text("utf-8")
    assert not re.search("(?<![\\d\u202f])0,0\u202fM€", page)
    assert page.count("<svg") == len(fiche.stems())


def test_partial_year_in_the_title_area(fictitious):
    flows = fictitious.flows[fictitious.flows["quarter"] <= 3]
    fiche = build_fiche(flows, Territory.resolve("36"))
    assert fiche.period == "2024, trimestres 1 à 3"
    assert fiche.subtitle.endswith("données 2024, trimestres 1 à 3")
    texts = " ".join(fiche.document().texts()).replace("\u2019", "'")
    assert fiche.notes == (
        "Données d'exportation limitées aux trimestres 1 à 3 de 2024.",
        "Données d'importation limitées aux trimestres 1 à 3 de 2024.",
    )
    head = [b.text for b in fiche.document().head if b.__class__.__name__ == "Note"]
    assert [t.replace("\u2019", "'") for t in head] == list(fiche.notes)
    assert "pour l'année 2024 (trimestres 1 à 3 seulement)" in texts


def test_a_compared_sankey_states_its_own_period():
    from frtrade.testing import tiny_trade_flows

    # Indre holds quarters 1-2; its région's exports 1-3 (Cher's quarter 3),
    # its imports 1-2; France's exports all four (Paris's quarter 4), imports 1-2
    fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
    assert fiche.period == "2024, trimestres 1 et 2"
    subtitles = {
        p.key: fiche.standalone_title(p.key)["subtitle"] for p in fiche.sankeys
    }
    assert subtitles["sankey_export_territoire"].startswith(
        "Indre, 2024, trimestres 1 et 2 "
    )
    assert subtitles["sankey_export_region-24"].startswith(
        "Centre-Val de Loire, 2024, trimestres 1 à 3 "
    )
    assert subtitles["sankey_export_france"].startswith("France, 2024 ")
    assert subtitles["sankey_import_france"].startswith(
        "France, 2024, trimestres 1 et 2 "
    )
    headings = [t for t in fiche.document().texts() if "(en valeur" in t]
    assert [h.rsplit("(en valeur, ", 1)[1] for h in headings] == [
        "2024, trimestres 1 et 2)", "2024, trimestres 1 à 3)", "2024)",
        "2024, trimestres 1 et 2)", "2024, trimestres 1 et 2)", "2024, trimestres 1 et 2)",
    ]  # fmt: skip


def test_each_sankey_states_the_quarters_of_its_flow():
    from frtrade.indicators import data_coverage
    from frtrade.indicators._coverage import period_label as quarters_label
    from frtrade.testing import tiny_trade_flows

    flows = tiny_trade_flows()
    whole_indre = flows.copy()
    indre = (whole_indre["departement"] == "36").to_numpy()
    quarters = [1 + i % 4 for i in range(int(indre.sum()))]
    whole_indre.loc[indre, "quarter"] = pd.array(quarters, dtype=flows["quarter"].dtype)
    hosts = ["36", "18", "75", "region-24", "groupe-36-75", "groupe-18-36"]
    for data in (flows, whole_indre):
        for host in hosts:
            territory = (
                Territory.from_slug(host)
                if not host[0].isdigit()
                else Territory.resolve(host)
            )
            fiche = build_fiche(data, territory)
            for panel in fiche.sankeys:  # read or not, what the data hold
                held = data_coverage(data, panel.territory).quarters[panel.flow]
                assert panel.period == quarters_label(2024, held), (host, panel.key)


def test_a_group_across_two_regions_reads_each_regions_period():
    from frtrade.testing import tiny_trade_flows

    flows = tiny_trade_flows()
    indre = flows[flows["departement"] == "36"]
    spread = []  # Indre's rows in each quarter: both its flows cover the year
    for quarter in (1, 2, 3, 4):
        rows = indre.copy()
        rows["quarter"] = pd.array([quarter] * len(rows), dtype=flows["quarter"].dtype)
        rows["value_eur"] = rows["value_eur"] / 4
        spread.append(rows)
    flows = pd.concat([flows[flows["departement"] != "36"], *spread], ignore_index=True)
    # the group has every quarter of each flow; Paris's région does not: it is
    # read, not assumed from the group's
    fiche = build_fiche(flows, Territory.group(["36", "75"]))
    assert fiche.period == "2024"
    periods = {(p.territory.slug, p.flow): p.period for p in fiche.sankeys}
    assert periods == {
        ("groupe-36-75", "export"): "2024",
        ("groupe-36-75", "import"): "2024",
        ("region-11", "export"): "2024, trimestre 4",
        ("region-11", "import"): "2024, trimestre 2",
        ("region-24", "export"): "2024",
        ("region-24", "import"): "2024",
        ("france", "export"): "2024",
        ("france", "import"): "2024",
    }


def test_period_label_from_the_indicators_wins(fictitious):
    fiche = _fiche(fictitious, "36")
    facts = dict(
        fiche.facts, data={"period_label": "2024, trimestre 1", "notes": ["Note."]}
    )
    from frtrade.fiche._texts import period_label

    assert period_label(facts) == "2024, trimestre 1"


def test_overrides_from_the_api_and_from_files(fictitious, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    fiche = _fiche(
        fictitious,
        "36",
        overrides={
            "introduction": ["Mon introduction."],
            "contacts_append": "Contact local : dreets@example.fr",
            "footer": "DREETS Centre-Val de Loire",
        },
    )
    doc = fiche.document()
    intro = doc.sections[0]
    assert [b.text for b in intro.blocks] == ["Mon introduction."]
    assert doc.footer == "DREETS Centre-Val de Loire"
    assert doc.sections[-2].blocks[-1].text == "Contact local\u202f: dreets@example.fr"
    toml = tmp_path / "textes.toml"
    toml.write_text(
        'introduction_append = "En plus."\ncontacts = ["Écrire à x@y.fr."]\n'
        'logo = "logo.png"\nlogo_alt = "Mon logo"\n',
        encoding="utf-8",
    )
    loaded = load_overrides(toml)
    assert loaded.logo == logo.read_bytes()
    assert loaded.logo_mime == "image/png"
    assert loaded.contacts == ("Écrire à x@y.fr.",)
    as_json = tmp_path / "textes.json"
    as_json.write_text(json.dumps({"footer": "Pied"}), encoding="utf-8")
    assert load_overrides(as_json) == FicheOverrides(footer="Pied")
    fiche = _fiche(fictitious, "36", overrides=loaded)
    page = fiche.html(embed_font=False)
    assert 'alt="Mon logo"' in page
    assert "En plus." in page
    assert "Écrire à x@y.fr." in page
    bad = tmp_path / "bad.toml"
    bad.write_text('intro = "x"\n', encoding="utf-8")
    with pytest.raises(OverridesError, match=r"bad\.toml : clé inconnue « intro »"):
        load_overrides(bad)
    with pytest.raises(OverridesError, match="logo"):
        FicheOverrides.from_mapping({"logo": "absent.png"}, base=tmp_path)


def test_repr_html_is_a_fragment(fictitious):
    fiche = build_fiche(
        fictitious.flows, Territory.resolve("36"), report=fictitious.report
    )
    fragment = fiche._repr_html_()
    assert "<html" not in fragment
    assert "<body" not in fragment
    assert "body{" not in fragment  # does not restyle the notebook
    assert fragment.count("<svg") == 11  # 8 + evolution, exposure, position
    assert 'id="exportations"' in fragment


def test_page_is_responsive_printable_and_embeds_the_font(fictitious):
    fiche = build_fiche(fictitious.flows, Territory.resolve("36"))
    page = fiche.html()
    assert (
        '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    )
    assert "@media print" in page
    assert "@page{size:A4" in page
    assert page.count("@font-face{font-family:'Liberation Sans'") == 2
    assert "data:font/ttf;base64," in page


def test_n_and_level_reach_the_texts_and_tables(fictitious):
    fiche = _fiche(fictitious, "36", n=5, level="a38")
    texts = " ".join(fiche.document().texts()).replace("\u2019", "'")
    assert "les cinq premiers biens exportés" in texts
    assert "nomenclature A38" in texts
    products = fiche.products[fiche.products["flow"] == "export"]
    assert len(products) == 6  # five and « Autres produits »
    assert products["value_eur"].sum() == pytest.approx(1_274_700_000.0, abs=0.01)


def test_no_text_block_is_empty(fictitious):
    for query in ("36", "13", "75"):
        doc = _fiche(fictitious, query).document()
        assert all(t.strip() for t in doc.texts())
        assert isinstance(doc.sections[0].blocks[0].text, str)


def test_tables_unchanged_types(fictitious):
    fiche = _fiche(fictitious, "13")
    assert isinstance(fiche.tables()["produits"], pd.DataFrame)


def _section_texts(fiche, anchor):
    [section] = [s for s in fiche.document().sections if s.anchor == anchor]
    texts = [section.title] + [
        getattr(b, "text", b.__class__.__name__) for b in section.blocks
    ]
    return [t.replace("\u202f", " ").replace("\u2019", "'") for t in texts]


def test_issue_11_sections_exact_for_indre(fictitious, written):
    fiche = written["36"][0]
    anchors = [s.anchor for s in fiche.document().sections]
    assert anchors[anchors.index("importations") + 1 :][:3] == [
        "evolution", "exposition", "concentration",
    ]  # fmt: skip
    assert _section_texts(fiche, "evolution") == [
        "Évolution 2019–2024",
        (
            "Ce graphique retrace les exportations, les importations et le solde commercial "
            "de l'Indre de 2019 à 2024, en millions d'euros ; les phrases ci-dessous décrivent la "
            "variation entre 2023 et 2024 et le pays qui y a le plus contribué."
        ),
        (
            "Les exportations ont reculé de 0,2 % en 2024 ; la Belgique y a contribué pour "
            "1,4 point."
        ),
        (
            "Les importations ont reculé de 1,6 % en 2024 ; la Chine y a contribué pour "
            "2,3 points."
        ),
        "Évolution des échanges, Indre (2019–2024)",
        "Figure",
    ]
    assert _section_texts(fiche, "exposition")[:4] == [
        "Exposition aux États-Unis",
        (
            "Cette partie mesure la part des échanges de l'Indre réalisée avec les États-Unis, et "
            "les produits exportés qui en dépendent le plus."
        ),
        (
            "29,5 % des exportations (375,7 M€) vont vers les États-Unis ; premier produit : "
            "viandes (68,0 %)."
        ),
        (
            "4,3 % des importations (48,2 M€) viennent des États-Unis ; premier produit : "
            "produits pharmaceutiques (32,6 %)."
        ),
    ]
    concentration = _section_texts(fiche, "concentration")
    assert concentration[0] == "Concentration et spécialisation"
    assert concentration[2:] == [
        (
            "Les exportations sont peu concentrées par pays (indice de Herfindahl-Hirschman : "
            "1 342) : 11 pays en font 80 %."
        ),
        (
            "Les importations sont peu concentrées par pays (indice de Herfindahl-Hirschman : "
            "1 054) : 10 pays en font 80 %."
        ),
        (
            "Aliments pour animaux : 11,2 fois plus de poids dans les exportations du territoire "
            "que dans celles de la France (2,8 % contre 0,2 %)."
        ),
        (
            "Cycles et motocycles : 9,7 fois plus de poids dans les importations du territoire "
            "que dans celles de la France (5,1 % contre 0,5 %)."
        ),
        "Exportations des départements, Indre au rang 79 sur 101 (2024)",
        "Figure",
    ]
    assert fiche.stems()[-3:] == ["evolution", "exposition", "position"]


def test_one_year_has_no_evolution_and_partner_is_configurable(fictitious):
    flows = fictitious.flows[fictitious.flows["year"] == 2024]
    fiche = build_fiche(flows, Territory.resolve("36"), partner="CN")
    anchors = [s.anchor for s in fiche.document().sections]
    assert "evolution" not in anchors
    assert "evolution" not in fiche.stems()
    exposure = _section_texts(fiche, "exposition")
    assert exposure[0] == "Exposition à la Chine"
    assert exposure[2] == (
        "2,1 % des exportations (26,6 M€) vont vers la Chine ; premier produit : "
        "matériel électrique (75,8 %)."
    )
    assert exposure[5:] == ["Figure", (
        "Clé de lecture : la barre donne la valeur exportée vers la Chine ; la colonne de "
        "droite, la part des exportations du produit qui y est destinée."
    )]  # fmt: skip


def test_no_exports_to_the_partner_gives_a_note_not_a_chart(fictitious):
    flows = fictitious.flows[fictitious.flows["year"] == 2024]
    flows = flows[~((flows["flow"] == "export") & (flows["country"] == "US"))]
    fiche = build_fiche(flows, Territory.resolve("36"))
    assert "exposition" not in fiche.stems()
    texts = _section_texts(fiche, "exposition")
    assert texts[-1] == (
        "Aucune exportation de l'Indre vers les États-Unis (2024) : ce graphique n'est pas tracé."
    )


def test_a_batch_fiche_says_what_the_fiche_alone_says(fictitious):
    """With the batch's tables a département's fiche lost its position chart."""
    from frtrade.indicators import all_territories

    tables = all_territories(
        fictitious.flows, labels=fictitious.labels, indicators=True
    )
    for code in ("36", "13", "9E"):
        alone = _fiche(fictitious, code)
        batch = _fiche(fictitious, code, tables=tables)
        assert batch.stems() == alone.stems(), code
        assert "position" in batch.stems()
        assert batch.document().texts() == alone.document().texts(), code
