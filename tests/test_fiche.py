from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from pypdf import PdfReader

from frtrade.fiche import build_fiche, territory_from_slug, write_all_fiches
from frtrade.indicators import headline_facts
from frtrade.territories import Territory

SECTIONS = (
    "chiffres-cles",
    "introduction",
    "territoires-industrie",
    "contexte",
    "balance",
    "activites",
    "exportations",
    "importations",
    "evolution",
    "exposition",
    "concentration",
    "informations",
    "sources",
)


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ").replace("\u2019", "'")


@pytest.fixture(scope="module")
def indre_fiche(fictitious):
    return build_fiche(
        fictitious.flows,
        Territory.resolve("36"),
        report=fictitious.report,
        territoires_industrie=["Châteauroux – Buzançais – Argenton", "Issoudun"],
    )


@pytest.fixture(scope="module")
def indre_files(indre_fiche, tmp_path_factory):
    out = tmp_path_factory.mktemp("fiche") / "departement-36"
    return out, indre_fiche.write(out)


def test_sentences_exact_for_indre(indre_fiche):
    assert plain(indre_fiche.sentence("export")) == (
        "Total des exportations : 1 274,7 millions d'euros, soit 4,6 % de la valeur exportée "
        "par la région Centre-Val de Loire, soit 0,22 % de la valeur exportée au niveau national"
    )
    assert plain(indre_fiche.sentence("import")) == (
        "Total des importations : 1 119,2 millions d'euros, soit 4,2 % de la valeur importée "
        "par la région Centre-Val de Loire, soit 0,16 % de la valeur importée au niveau national"
    )
    captions = [plain(p.caption) for p in indre_fiche.sankeys if p.caption]
    assert captions == [
        "Total des exportations : 27 859,4 millions d'euros",
        "Total des exportations : 580 354,5 millions d'euros",
        "Total des importations : 26 662,5 millions d'euros",
        "Total des importations : 684 776,3 millions d'euros",
    ]


def test_every_output_is_written(indre_files):
    out, written = indre_files
    assert {k: len(v) for k, v in written.items()} == {
        "html": 1, "pdf": 1, "svg": 11, "png": 11, "csv": 10, "json": 1, "xlsx": 1,
    }  # fmt: skip
    for paths in written.values():
        for path in paths:
            assert path.stat().st_size > 0
    assert (out / "graphiques" / "sankey_export_region-24.png").read_bytes()[
        :4
    ] == b"\x89PNG"


def test_html_has_every_section_and_says_fictitious(indre_files):
    out, _ = indre_files
    page = (out / "fiche.html").read_text()
    for section in SECTIONS:
        assert f'id="{section}"' in page, section
    assert 'id="donnees-fictives"' in page
    assert page.count("<svg") == 11
    assert "Châteauroux – Buzançais – Argenton" in page
    assert "Total des exportations : 1 274,7 millions d'euros" in plain(page)
    assert "http://" not in page.replace("http://www.w3.org", "")  # nothing fetched


def test_pdf_pages_and_text(indre_files):
    out, _ = indre_files
    reader = PdfReader(out / "fiche.pdf")
    assert len(reader.pages) == 8
    first = plain(reader.pages[0].extract_text())
    assert "Les indicateurs clés : commerce extérieur" in first
    assert "DONNÉES FICTIVES" in first
    assert "Contexte et méthodologie" in first
    last_two = plain(reader.pages[-2].extract_text() + reader.pages[-1].extract_text())
    assert "Sources et données" in last_two  # the list of the 12 files spills over
    assert "FICTIF_regional_2024_import.zip" in plain(reader.pages[-1].extract_text())
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=1)  # A4


def test_pdf_pages_for_region_and_france(fictitious, tmp_path):
    for territory, pages in ((Territory.region("24"), 7), (Territory.france(), 6)):
        fiche = build_fiche(fictitious.flows, territory, report=fictitious.report)
        written = fiche.write(tmp_path / territory.slug, formats=["pdf"])
        assert len(PdfReader(written["pdf"][0]).pages) == pages


def test_facts_json_and_tables(indre_files, fictitious):
    out, _ = indre_files
    facts = json.loads((out / "facts.json").read_text())
    expected = headline_facts(
        fictitious.flows, Territory.resolve("36"), report=fictitious.report
    )
    assert facts == json.loads(json.dumps(expected))
    products = pd.read_csv(out / "tableaux" / "produits.csv", keep_default_na=False)
    exports = products[products.flow == "export"]
    assert exports.value_eur.sum() == pytest.approx(1_274_700_000.0, abs=0.01)
    links = pd.read_csv(
        out / "tableaux" / "sankey_import_territoire.csv", keep_default_na=False
    )
    assert links.value_eur.sum() == pytest.approx(1_119_200_000.0, abs=0.01)
    assert links.highlight.sum() == 5


def test_unknown_format(indre_fiche, tmp_path):
    with pytest.raises(ValueError, match="unknown formats"):
        indre_fiche.write(tmp_path, formats=["docx"])


def test_territory_from_slug():
    assert territory_from_slug("departement-9D").name == "La Réunion"
    assert territory_from_slug("france").level == "france"


def test_batch_continues_past_a_failure(fictitious, tmp_path):
    flows = fictitious.flows
    small = flows[flows.departement.isin(["36", "18"]) & (flows.year == 2024)].copy()
    bad = small.head(3).copy()
    bad["departement"] = pd.Categorical(["X1"] * 3)
    small = pd.concat([small, bad], ignore_index=True)
    for column in ("departement", "region", "a129", "cpf4", "country"):
        small[column] = small[column].astype(str).astype("category")
    seen = []
    results = write_all_fiches(
        small, tmp_path, formats=["json"], progress=lambda r, d, t: seen.append((d, t))
    )
    by_slug = {r.slug: r for r in results}
    assert set(by_slug) == {
        "departement-18",
        "departement-36",
        "departement-X1",
        "region-24",
        "france",
    }
    assert not by_slug["departement-X1"].ok
    assert re.search("unknown territory", by_slug["departement-X1"].error)
    assert all(r.ok for s, r in by_slug.items() if s != "departement-X1")
    assert seen[-1] == (5, 5)
    assert (tmp_path / "region-24" / "facts.json").exists()


# Sentences and figures the Indre demo fiche had before the document model (issue 10:
# "make demo output for Indre keeps every figure and sentence it has today").
OLD_INDRE_TEXTS = (
    "Les indicateurs clés : commerce extérieur",
    "Indre (36) – région Centre-Val de Loire – données 2024",
    "Territoires d'industrie du département",
    "Châteauroux – Buzançais – Argenton",
    "Issoudun",
    "Exportations", "1 274,7 M€", "Importations", "1 119,2 M€",
    "Solde commercial", "+155,5 M€", "Taux de couverture", "113,9 %",
    "Part des exportations de la région", "4,6 %",
    "Part des exportations de la France", "0,22 %",
    "Part des importations de la région", "4,2 %",
    "Part des importations de la France", "0,16 %",
    "Contexte et méthodologie",
    ("Cette fiche présente les échanges de biens du territoire avec l'étranger : montants "
    "exportés et importés, principaux pays partenaires, principales activités et flux entre "
    "produits et pays. Elle situe le territoire par rapport à sa région et à la France."),
    ("Source : statistiques régionales et départementales du commerce extérieur de la "
    "Direction générale des douanes et droits indirects (DGDDI), données brutes de collecte, "
    "hors matériel militaire."),
    ("Les exportations sont valorisées FAB (franco à bord), les importations CAF (coût, "
    "assurance, fret)."),
    ("Les produits sont regroupés selon la nomenclature A129 (CPF rév. 2.1) ; les dix "
    "premiers sont détaillés, les autres sont regroupés dans « Autres produits »."),
    "Balance commerciale territoriale",
    "Principaux pays à l'import et à l'export, Indre (2024)",
    ("Clé de lecture : pour chaque pays, figurent à gauche le montant des importations et à "
    "droite celui des exportations, en millions d'euros."),
    "Principales activités",
    "Principales activités à l'export et à l'import, Indre (2024)",
    "Exportations",
    ("Total des exportations : 1 274,7 millions d'euros, soit 4,6 % de la valeur exportée "
    "par la région Centre-Val de Loire, soit 0,22 % de la valeur exportée au niveau national"),
    "Flux à l'export, Centre-Val de Loire (en valeur, 2024)",
    "Total des exportations : 27 859,4 millions d'euros",
    "Flux à l'export, France entière (en valeur, 2024)",
    "Total des exportations : 580 354,5 millions d'euros",
    "Importations",
    ("Total des importations : 1 119,2 millions d'euros, soit 4,2 % de la valeur importée "
    "par la région Centre-Val de Loire, soit 0,16 % de la valeur importée au niveau national"),
    "Flux à l'import, Centre-Val de Loire (en valeur, 2024)",
    "Total des importations : 26 662,5 millions d'euros",
    "Flux à l'import, France entière (en valeur, 2024)",
    "Total des importations : 684 776,3 millions d'euros",
    "Sources et données",
    ("Données départementales et régionales du commerce extérieur, DGDDI, année 2024 "
    "(trimestres 1 à 4). Exportations FAB, importations CAF. Fiche produite avec "
    "frtrade."),
    "Fichiers utilisés :",
)  # fmt: skip


def test_indre_keeps_every_old_sentence_and_figure(indre_fiche, indre_files):
    out, _ = indre_files
    from html import unescape

    page = plain(unescape(re.sub(r"<[^>]+>", " ", (out / "fiche.html").read_text())))
    page = re.sub(r"\s+", " ", page)
    texts = [plain(t) for t in indre_fiche.document().texts()]
    for old in OLD_INDRE_TEXTS:
        assert old in page, old
        assert any(old in t for t in texts), old
