from __future__ import annotations

import importlib
import importlib.util
import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(
    p for p in (ROOT / "examples").glob("*.py") if not p.name.startswith("_")
)


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(script, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples that write into the current folder
    monkeypatch.setenv("FRTRADE_EXAMPLES_OUT", str(tmp_path))
    runpy.run_path(str(script), run_name="__main__")
    out = capsys.readouterr().out
    assert out.strip()


PUBLIC_MODULES = (
    "frtrade",
    "frtrade.charts",
    "frtrade.layouts",
    "frtrade.render",
    "frtrade.fiche",
    "frtrade.reference",
    "frtrade.testing",
    "frtrade.formatting",
    "frtrade.dgddi",
    "frtrade.labels",
    "frtrade.errors",
    "frtrade.territories",
    "frtrade.outputs",
    "frtrade.jupyter",
)


def test_every_public_name_has_a_docs_entry():
    text = "\n".join(p.read_text() for p in (ROOT / "docs" / "reference").glob("*.md"))
    targets = set(re.findall(r"^::: ([\w.]+)", text, flags=re.M))
    missing = []
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        if module_name in targets and module_name != "frtrade":
            continue  # the whole module is documented
        for name in module.__all__:
            if name == "__version__":
                continue
            if (
                f"{module_name}.{name}" not in targets
                and f"frtrade.{name}" not in targets
            ):
                missing.append(f"{module_name}.{name}")
    assert not missing, f"public names without a docs entry: {missing}"


def test_every_public_function_has_an_example():
    import inspect

    missing = []
    for module_name in (*PUBLIC_MODULES, "frtrade.dgddi", "frtrade.labels", "frtrade.indicators",
                        "frtrade.territories", "frtrade.datasets", "frtrade.cli"):  # fmt: skip
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            members = [(name, obj)]
            if inspect.isclass(obj):
                members += [
                    (f"{name}.{k}", v.__func__ if isinstance(v, classmethod) else v)
                    for k, v in vars(obj).items()
                    if not k.startswith("_")
                    and (inspect.isfunction(v) or isinstance(v, classmethod))
                ]
            for label, member in members:
                if inspect.isfunction(member) and ">>>" not in (
                    inspect.getdoc(member) or ""
                ):
                    missing.append(f"{module_name}.{label}")
    assert not missing, f"public functions without an example: {sorted(set(missing))}"


# ------------------------------------------------ Sphinx roles in the API reference

ROLE_TEXT = re.compile(r":(?:class|func|meth|attr|mod|data|exc|obj|const):[`<]")


def _roles_extension():
    spec = importlib.util.spec_from_file_location(
        "griffe_roles", ROOT / "docs" / "griffe_roles.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def roles():
    return _roles_extension()


@pytest.fixture(scope="module")
def frtrade_api(roles):
    """frtrade as mkdocstrings loads it, with the roles extension."""
    import griffe

    extension = roles.SphinxRoles()
    package = griffe.load(
        "frtrade",
        search_paths=[str(ROOT / "src")],
        extensions=griffe.load_extensions(extension),
    )
    anchors = roles.documented_anchors(package.modules_collection)
    return package, anchors


def test_roles_become_cross_references(roles, frtrade_api):
    package, anchors = frtrade_api
    fiche = package["fiche"]
    rewrite = roles.rewrite
    collection = package.modules_collection
    sample = (
        "A :class:`~frtrade.schemas.TradeFlows` table, see :func:`totals`, "
        ":attr:`Territory.slug`, :meth:`~Fiche.write`, :func:`frtrade.headline_facts`, "
        ":class:`pandas.DataFrame`, :func:`!products`, :func:`the loader <load_dgddi>`."
    )
    assert rewrite(sample, fiche, collection, anchors) == (
        "A [`TradeFlows`][frtrade.TradeFlows] table, see [`totals()`][frtrade.totals], "
        "[`Territory.slug`][frtrade.Territory.slug], [`write()`][frtrade.fiche.Fiche.write], "
        "[`frtrade.headline_facts()`][frtrade.headline_facts], "
        "`pandas.DataFrame`, `products()`, [`the loader`][frtrade.load_dgddi]."
    )
    # a method named from inside its class resolves against the class first
    territory = package["territories.Territory.resolve"]
    assert rewrite(":meth:`region`", territory, collection, anchors) == (
        "[`region()`][frtrade.Territory.region]"
    )
    # the role's kind counts: from TerritoryTables, :func:`totals` is not its attribute
    tables = package["indicators.TerritoryTables"]
    assert rewrite(":func:`totals`", tables, collection, anchors) == (
        "[`totals()`][frtrade.totals]"
    )
    # what mkdocstrings does not render (no docstring) is plain code, not a dead link
    trade_rows = package["testing.trade_rows"]
    assert rewrite(":data:`TINY_ROWS`", trade_rows, collection, anchors) == (
        "`TINY_ROWS`"
    )
    # a documented module's members link under the module's anchor; private ones do not
    assert anchors[package["formatting.format_meur"].path] == (
        "frtrade.formatting.format_meur"
    )
    assert package["dgddi._visible"].path not in anchors


def _headings() -> set[str]:
    """The ``:::`` targets of the reference pages (their members are anchored below)."""
    pages = (ROOT / "docs" / "reference").glob("*.md")
    text = "\n".join(page.read_text() for page in pages)
    return set(re.findall(r"^::: ([\w.]+)", text, flags=re.M))


def test_no_documented_docstring_keeps_a_raw_role(frtrade_api):
    package, anchors = frtrade_api
    documented = set(anchors)
    left, links = [], []
    todo = [package]
    while todo:
        obj = todo.pop()
        todo.extend(m for m in obj.members.values() if not m.is_alias)
        if obj.docstring is None or obj.path not in documented:
            continue
        text = obj.docstring.value
        left += [f"{obj.path}: {m[0]}" for m in ROLE_TEXT.finditer(text)]
        links += re.findall(r"\]\[([\w.]+)\]", text)
    assert not left, left
    assert len(links) >= 30  # the API reference is cross-linked
    # every link targets an anchor that exists: a ::: target or one of its members
    roots = _headings()
    assert set(links) <= set(anchors.values())
    assert all(any(a == r or a.startswith(r + ".") for r in roots) for a in links)


def test_built_reference_has_links_not_roles(tmp_path, caplog):
    """The API reference built with the extension: no raw role, every link resolved."""
    import logging
    import shutil

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs" / "reference", docs / "reference")
    (docs / "index.md").write_text("# API\n")
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(
        f"""
site_name: test
docs_dir: {docs}
site_dir: {tmp_path / "site"}
plugins:
  - autorefs
  - mkdocstrings:
      handlers:
        python:
          paths: [{ROOT / "src"}]
          options:
            docstring_style: numpy
            show_root_heading: true
            show_source: false
            extensions:
              - {ROOT / "docs" / "griffe_roles.py"}:SphinxRoles:
                  pages: {docs / "reference"}
"""
    )
    with caplog.at_level(logging.WARNING):
        build(load_config(str(config_file)))
    unresolved = [r.getMessage() for r in caplog.records if "autorefs" in r.name]
    assert not unresolved, unresolved
    site = tmp_path / "site" / "reference"
    html = "\n".join(p.read_text() for p in site.rglob("*.html"))
    assert not ROLE_TEXT.search(html)
    links = re.findall(
        r'<a class="autorefs autorefs-internal"[^>]*href="([^"]+)"', html
    )
    assert len(links) >= 30
    indicators = (site / "indicators" / "index.html").read_text()
    assert (
        'href="../schemas/#frtrade.TradeFlows"><code>TradeFlows</code></a>'
        in indicators
    )
    territories = (site / "territories" / "index.html").read_text()
    assert 'href="#frtrade.Territory.region"><code>region()</code></a>' in territories


# ------------------------------------------------ the home page's fiche


def test_home_page_hook_embeds_the_fiche(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

    spec = importlib.util.spec_from_file_location(
        "hooks_home", ROOT / "docs" / "hooks_home.py"
    )
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    # the real fiche is built by `make docs`; here its bytes stand in
    monkeypatch.setattr(
        hooks, "_built", {"fiche.html": b"<html/>", "fiche.pdf": b"%PDF"}
    )
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text('# Accueil\n\n<div class="frtrade-fiche"></div>\n')
    config = MkDocsConfig()
    config.load_dict(
        {"site_name": "t", "docs_dir": str(docs), "site_dir": str(tmp_path / "site")}
    )
    assert config.validate() == ([], [])
    config.plugins._current_plugin = (
        "hooks_home"  # as MkDocs sets it while running a hook
    )
    index = File("index.md", str(docs), str(tmp_path / "site"), True)
    files = hooks.on_files(Files([index]), config)
    assert files.get_file_from_path("assets/fiche-indre/fiche.pdf").content_bytes == (
        b"%PDF"
    )
    html = hooks.on_page_content(
        '<h1>Accueil</h1>\n<div class="frtrade-fiche"></div>',
        SimpleNamespace(file=index),
        config,
        files,
    )
    assert '<iframe class="frtrade-fiche" src="assets/fiche-indre/fiche.html"' in html
    assert "<div" not in html
    other = "<p>no placeholder</p>"
    assert hooks.on_page_content(other, SimpleNamespace(file=index), config, files) == (
        other
    )
