"""The index page of a folder of fiches: content, and behaviour in headless Chromium."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
from pathlib import Path

import pytest

import frtrade
from frtrade.errors import OutputError
from frtrade.outputs import write_index
from frtrade.testing import tiny_trade_flows

T = frtrade.Territory


def _territories() -> list[frtrade.Territory]:
    return [
        T.france(),
        T.region("24"),
        T.region("11"),
        *(T.resolve(c) for c in ("36", "13", "75", "9E", "20", "99", "76")),
        T.group(["18", "36"], name="Cher et Indre"),
    ]


def _write(out: Path, slug: str, facts: dict, *, pdf: bool = True) -> None:
    folder = out / slug
    folder.mkdir(parents=True)
    (folder / "facts.json").write_text(
        json.dumps(facts, ensure_ascii=False), encoding="utf-8"
    )
    name = facts["territory"]["name"]
    (folder / "fiche.html").write_text(
        f'<!DOCTYPE html><html lang="fr"><meta charset="utf-8"><title>{name}</title>'
        f'<h1 id="titre">Fiche {name}</h1></html>',
        encoding="utf-8",
    )
    if pdf:
        (folder / "fiche.pdf").write_bytes(b"%PDF-1.4\n%placeholder\n")
        (folder / "fiche.xlsx").write_bytes(b"PK placeholder")


@pytest.fixture(scope="module")
def fiches(tmp_path_factory) -> Path:
    """A folder like `fiche --all` writes, with real facts of the embedded data."""
    data = frtrade.load_fictitious_dataset()
    out = tmp_path_factory.mktemp("fiches")
    for territory in _territories():
        facts = frtrade.headline_facts(data.flows, territory, report=data.report)
        _write(out, territory.slug, facts)
    # a territory with no import data (schema 2 says None, never 0) and no PDF
    facts = frtrade.headline_facts(data.flows, T.resolve("44"), report=data.report)
    facts = copy.deepcopy(facts)
    facts["import"] = {
        "total_eur": None,
        "share_of_region": None,
        "share_of_france": None,
    }
    facts["balance_eur"] = None
    facts["coverage_rate"] = None
    facts["partners"] = [{**p, "import_eur": None} for p in facts["partners"]]
    facts["products"]["import"] = []
    facts["data"]["period_label"] = "2024, trimestres 1 à 3"
    _write(out, "departement-44", facts, pdf=False)
    (out / "not-a-fiche").mkdir()  # folders without facts.json are ignored
    write_index(out)
    return out


N_FICHES = 12


def test_page_lists_every_fiche_with_french_figures(fiches):
    page = (fiches / "index.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in page
    assert page.count('<tr data-level="') == N_FICHES
    assert "12 territoires" in page
    # Indre: exports 1 274,7 M€, coverage 113,9 %, relative links
    row = re.search(r'<tr [^>]*data-slug="departement-36".*?</tr>', page).group(0)
    assert ">1\u202f274,7</td>" in row
    assert ">113,9\u202f%</td>" in row
    assert 'data-v="1274700000.0"' in row
    assert 'href="departement-36/fiche.html"' in row
    assert 'href="departement-36/fiche.pdf"' in row
    assert 'href="departement-36/fiche.xlsx"' in row
    assert "États-Unis" in row  # first client
    assert "Viandes" in row  # first exported product
    assert ">0,22\u202f%</td>" in row  # share of France: two decimals below 1 %
    mayotte = re.search(r'<tr [^>]*data-slug="departement-9E".*?</tr>', page).group(0)
    assert ">0,0\u202f%<" not in mayotte  # a tiny share never reads as zero
    assert ">0,01\u202f%</td>" in mayotte
    # the région is listed under its INSEE-or-DGDDI slug, whatever Territory says
    assert f'data-slug="{T.region("24").slug}"' in page


def test_missing_figures_are_nd_never_zero(fiches):
    page = (fiches / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr [^>]*data-slug="departement-44".*?</tr>', page).group(0)
    assert row.count('nd" data-v="" title="non disponible">n.d.</td>') == 7
    assert ">0,0<" not in row
    assert "2024, trimestres 1 à 3" in row
    assert "fiche.pdf" not in row  # no PDF written: no link
    assert "fiche.xlsx" not in row
    assert "fiche.html" in row


def test_self_contained_and_fictitious_banner(fiches):
    page = (fiches / "index.html").read_text(encoding="utf-8")
    assert "http://" not in page
    assert "https://" not in page
    assert "<script src" not in page
    assert "<link" not in page
    assert 'id="donnees-fictives"' in page
    assert frtrade.FICTITIOUS_NOTICE in page
    assert "Source : DONNÉES FICTIVES (frtrade)." in page
    assert "DGDDI – DSECE" not in page


def test_real_data_without_banner_and_escaping(tmp_path):
    facts = frtrade.headline_facts(tiny_trade_flows(), T.resolve("36"))
    facts["territory"]["name"] = '<script>alert("x")</script> & Cie'
    _write(tmp_path, "departement-36", facts)
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert "donnees-fictives" not in page
    assert "Source : DGDDI – DSECE." in page
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Cie" in page
    assert "1 territoire ·" in page


def test_empty_folder_and_errors(tmp_path):
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert "0 territoire" in page
    assert 'id="aucun" class="none">' in page  # the "no match" line is shown
    with pytest.raises(OutputError, match="pas un dossier"):
        write_index(tmp_path / "index.html")
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "facts.json").write_text("{", encoding="utf-8")
    with pytest.raises(OutputError, match=r"x/facts\.json : facts\.json illisible"):
        write_index(tmp_path)
    (tmp_path / "x" / "facts.json").write_text("[]", encoding="utf-8")
    with pytest.raises(OutputError, match="territory"):
        write_index(tmp_path)


# --------------------------------------------------------------------------- browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
]


def _chromium() -> str | None:
    for candidate in (os.environ.get("FRTRADE_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    if executable is None:
        pytest.skip(
            "no Chromium found (install the Debian package: apt-get install -y chromium, "
            "or set FRTRADE_CHROMIUM); the index page is tested in a real browser"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="playwright is a dev dependency: pip install -e '.[dev]'",
    )
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, fiches):
    context = browser.new_context(
        viewport={"width": 1500, "height": 900}, locale="fr-FR"
    )
    context.route(re.compile(r"^https?://"), lambda route: route.abort())  # offline
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console", lambda msg: errors.append(msg.text) if msg.type == "error" else None
    )
    page.goto((fiches / "index.html").as_uri())
    yield page
    assert errors == []
    context.close()


def _visible_slugs(page) -> list[str]:
    return page.eval_on_selector_all(
        "#fiches tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.slug)"
    )


def _column_values(page, key: str) -> list[str]:
    index = page.eval_on_selector_all(
        "#fiches thead th", f"ths => ths.findIndex(th => th.dataset.key === '{key}')"
    )
    return page.eval_on_selector_all(
        "#fiches tbody tr:not([hidden])",
        f"rows => rows.map(r => r.cells[{index}].getAttribute('data-v'))",
    )


def test_browser_sorts_a_column(page, fiches):
    assert len(_visible_slugs(page)) == N_FICHES
    assert page.text_content("#compte") == "12\u00a0territoires affichés sur 12"
    header = page.locator('#fiches th[data-key="import"] button')
    header.click()
    assert (
        page.get_attribute('#fiches th[data-key="import"]', "aria-sort") == "ascending"
    )
    values = _column_values(page, "import")
    numbers = [float(v) for v in values if v]
    assert numbers == sorted(numbers)
    assert values[-1] == ""  # the missing figure is last
    assert len(numbers) == N_FICHES - 1
    header.click()
    assert (
        page.get_attribute('#fiches th[data-key="import"]', "aria-sort") == "descending"
    )
    values = _column_values(page, "import")
    numbers = [float(v) for v in values if v]
    assert numbers == sorted(numbers, reverse=True)
    assert values[-1] == ""  # still last
    assert _visible_slugs(page)[0] == "france"
    page.locator('#fiches th[data-key="territory"] button').click()
    names = _column_values(page, "territory")
    assert names[0] == "Bouches-du-Rhône"
    assert names.index("Île-de-France") < names.index("Indre") < names.index("Mayotte")


def test_browser_filters_by_name_code_accents_and_level(page):
    search = page.locator("#recherche")
    search.fill("rhone")  # accent-insensitive
    assert _visible_slugs(page) == ["departement-13"]
    search.fill("ILE DE FRANCE")  # case and hyphens ignored; Paris is in the région
    assert set(_visible_slugs(page)) == {T.region("11").slug, "departement-75"}
    search.fill("9e")
    assert _visible_slugs(page) == ["departement-9E"]
    search.fill("indre")
    assert set(_visible_slugs(page)) == {"departement-36", T.group(["18", "36"]).slug}
    assert page.text_content("#compte") == "2\u00a0territoires affichés sur 12"
    search.fill("centre val")  # the région name finds its départements too
    assert set(_visible_slugs(page)) == {
        T.region("24").slug,
        "departement-36",
        T.group(["18", "36"]).slug,  # both départements are in Centre-Val de Loire
    }
    search.fill("zzz")
    assert _visible_slugs(page) == []
    assert page.is_visible("#aucun")
    search.fill("")
    page.select_option("#niveau", "region")
    assert set(_visible_slugs(page)) == {T.region("24").slug, T.region("11").slug}
    page.select_option("#niveau", "")
    assert len(_visible_slugs(page)) == N_FICHES


def test_browser_follows_a_link_and_screenshot(page, fiches, tmp_path):
    page.locator('#fiches th[data-key="balance"] button').click()
    page.screenshot(path=str(fiches / "index.png"), full_page=True)
    assert (fiches / "index.png").stat().st_size > 10_000
    page.locator("#recherche").fill("Indre")
    page.locator('tr[data-slug="departement-36"] a', has_text="HTML").click()
    page.wait_for_load_state()
    assert page.url == (fiches / "departement-36" / "fiche.html").as_uri()
    assert page.text_content("#titre") == "Fiche Indre"
