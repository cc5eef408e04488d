"""A browsable ``index.html`` over a folder of fiches (``fiche --all``)."""

from __future__ import annotations

import html
import json
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from frtrade.datasets import FICTITIOUS_NOTICE, FICTITIOUS_SOURCE_LINE
from frtrade.errors import OutputError
from frtrade.formatting import format_number, format_share
from frtrade.outputs._facts import (
    LEVEL_FR,
    NOT_AVAILABLE,
    KeyFigure,
    is_fictitious,
    key_figures,
    period_label,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

_LEVEL_ORDER = {"france": 0, "region": 1, "departement": 2, "group": 3}
_LEVEL_PLURAL = {
    "france": "France",
    "region": "Régions",
    "departement": "Départements",
    "group": "Groupes de départements",
}


@dataclass(frozen=True)
class _Column:
    key: str
    label: str
    title: str
    kind: str  # "text" | "meur" | "share"


_COLUMNS = (
    _Column("territory", "Territoire", "Nom du territoire", "text"),
    _Column("code", "Code", "Code du territoire", "text"),
    _Column("level", "Niveau", "Niveau", "text"),
    _Column("period", "Période", "Période couverte par les données", "text"),
    _Column("export", "Exportations (M€)", "Exportations FAB, millions d'euros", "meur"),
    _Column("import", "Importations (M€)", "Importations CAF, millions d'euros", "meur"),
    _Column("balance", "Solde (M€)", "Exportations − importations, millions d'euros", "meur"),
    _Column("coverage", "Couverture", "Taux de couverture : exportations / importations", "share"),
    _Column("export_share_region", "Export : part région", "Exportations : part région", "share"),
    _Column("export_share_france", "Export : part France", "Exportations : part France", "share"),
    _Column("import_share_region", "Import : part région", "Importations : part région", "share"),
    _Column("import_share_france", "Import : part France", "Importations : part France", "share"),
    _Column("client", "Premier client", "Premier pays de destination des exportations", "text"),
    _Column("supplier", "Premier fournisseur", "Premier pays d'origine des importations", "text"),
    _Column("export_product", "Premier produit exporté", "Premier produit exporté", "text"),
    _Column("import_product", "Premier produit importé", "Premier produit importé", "text"),
)  # fmt: skip


#: After a share computed on the territory's quarters only (see ``shares``).
SAME_PERIOD_MARK = "\u202f*"


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _fold(text: str) -> str:
    """Lower case without accents (the page's search does the same)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _asset(name: str) -> str:
    return (resources.files("frtrade.outputs") / "assets" / name).read_text(
        encoding="utf-8"
    )


def _read_facts(path: Path) -> dict[str, Any]:
    try:
        facts = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OutputError(f"{path} : facts.json illisible ({exc})") from exc
    if not isinstance(facts, dict) or not isinstance(facts.get("territory"), dict):
        raise OutputError(f"{path} : facts.json sans bloc « territory »")
    return facts


def _share_text(fraction: float) -> str:
    """A share in French; small shares get two decimals, never a false "0,0 %"."""
    if fraction == 0 or abs(fraction) >= 0.01:
        return format_share(fraction)
    if abs(fraction) >= 0.00005:
        return format_share(fraction, 2)
    return "< 0,01\u202f%" if fraction > 0 else "> \u22120,01\u202f%"


def _cell(figure: KeyFigure) -> str:
    value = figure.value
    if value is None:
        css = "nd" if figure.kind == "text" else "num nd"
        return f'<td class="{css}" data-v="" title="{NOT_AVAILABLE}">n.d.</td>'
    if figure.kind == "text":
        return f'<td data-v="{_esc(value)}">{_esc(value)}</td>'
    number = float(value)
    if figure.kind == "eur":
        text = format_number(number / 1e6, 1)
        css = "num neg" if round(number / 1e6, 1) < 0 else "num"
    else:
        text = _share_text(number)
        css = "num"
        if figure.label.endswith(")"):  # « … (trimestres 1 et 2) »: fewer quarters
            basis = figure.label.rsplit(" (", 1)[1].rstrip(")")
            title = f"Part calculée sur la même période : {basis}"
            return (
                f'<td class="{css}" data-v="{number!r}" title="{_esc(title)}">'
                f"{_esc(text)}{SAME_PERIOD_MARK}</td>"
            )
    return f'<td class="{css}" data-v="{number!r}">{_esc(text)}</td>'


def _row(folder: Path, facts: Mapping[str, Any]) -> tuple[tuple[int, str], str, str]:
    """(sort key, level, ``<tr>``) of one fiche."""
    figures = {f.key: f for f in key_figures(facts)}
    territory = facts.get("territory") or {}
    level = str(territory.get("level", ""))
    name = str(territory.get("name", folder.name))
    code = str(territory.get("code") or "")
    region = territory.get("region") or {}
    search = " ".join(
        s for s in (name, code, folder.name, str(region.get("name") or "")) if s
    )
    cells = []
    for column in _COLUMNS:
        figure = figures[column.key]
        if column.key == "territory":
            cells.append(f'<th scope="row" data-v="{_esc(name)}">{_esc(name)}</th>')
        elif column.key == "level":
            cells.append(
                f'<td data-v="{_LEVEL_ORDER.get(level, 9)}">{_esc(figure.value)}</td>'
            )
        else:
            cells.append(_cell(figure))
    links = []
    for file, label in (
        ("fiche.html", "HTML"),
        ("fiche.pdf", "PDF"),
        ("fiche.xlsx", "Excel"),
    ):
        if (folder / file).is_file():
            href = f"{quote(folder.name)}/{file}"
            links.append(
                f'<a href="{_esc(href)}" title="{_esc(name)} : fiche {label}">{label}</a>'
            )
    cells.append(
        f"<td>{' · '.join(links) if links else '<span class=nd>absente</span>'}</td>"
    )
    row = (
        f'<tr data-level="{_esc(level)}" data-slug="{_esc(folder.name)}" '
        f'data-search="{_esc(search)}">' + "".join(cells) + "</tr>"
    )
    return (_LEVEL_ORDER.get(level, 9), _fold(code).zfill(3) + folder.name), level, row


def write_index(out_dir: str | Path) -> Path:
    """Write ``index.html``: a browsable table of every fiche in a folder.

    Scans ``out_dir/*/facts.json`` (the folders written by ``fiche --all``;
    hidden folders such as a fiche still being staged, ``.slug.tmp-*``, are
    skipped) and
    writes ``out_dir/index.html``: one row per territory with its headline
    figures (exports, imports, balance, coverage rate, shares of the région and
    of France, first client, first supplier, first products), linked to the
    ``fiche.html``, ``fiche.pdf`` and ``fiche.xlsx`` beside each ``facts.json``
    (relative links; a file that is not there gets no link).
    Columns sort on a click (missing figures last), a search box filters on
    name, code or région (accents and case ignored) and a menu on the level.
    The page is self-contained (inline CSS and JavaScript, no CDN) and works
    opened from the file system. It is in French, with French number formats;
    a missing figure reads "n.d." (non disponible), never 0, and a banner says
    « données fictives » when any fiche says so.

    Parameters
    ----------
    out_dir
        The folder holding one sub-folder per fiche.

    Returns
    -------
    pathlib.Path
        ``out_dir/index.html``.

    Raises
    ------
    frtrade.errors.OutputError
        When ``out_dir`` is not a folder, a ``facts.json`` cannot be read, or
        the page cannot be written.

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> from frtrade import Territory, headline_facts
    >>> from frtrade.testing import tiny_trade_flows
    >>> out = Path(tempfile.mkdtemp())
    >>> (out / "departement-36").mkdir()
    >>> facts = headline_facts(tiny_trade_flows(), Territory.resolve("36"))
    >>> _ = (out / "departement-36" / "facts.json").write_text(json.dumps(facts))
    >>> page = write_index(out).read_text(encoding="utf-8")
    >>> "Indre" in page, "1 territoire" in page
    (True, True)
    """
    root = Path(out_dir)
    if not root.is_dir():
        raise OutputError(f"{root} : ce n'est pas un dossier")
    entries = []
    fictitious = False
    periods: set[str] = set()
    for path in sorted(root.glob("*/facts.json")):
        if path.parent.name.startswith("."):  # a fiche being written (.slug.tmp-*)
            continue
        facts = _read_facts(path)
        fictitious = fictitious or is_fictitious(facts)
        periods.add(period_label(facts))
        entries.append(_row(path.parent, facts))
    entries.sort(key=lambda e: e[0])
    count = len(entries)
    levels = sorted({e[1] for e in entries}, key=lambda lv: _LEVEL_ORDER.get(lv, 9))
    period_text = " ; ".join(sorted(periods)) if periods else "aucune"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Fiches du commerce extérieur – index</title>",
        f"<style>{_asset('index.css')}</style></head><body><main>",
        "<h1>Fiches du commerce extérieur</h1>",
        (
            f'<p class="subtitle">{count} territoire{"s" if count > 1 else ""} · '
            f"données {_esc(period_text)} · montants en millions d'euros</p>"
        ),
    ]
    if fictitious:
        parts.append(
            f'<p class="fictif" id="donnees-fictives">{_esc(FICTITIOUS_NOTICE)}</p>'
        )
    options = "".join(
        f'<option value="{_esc(lv)}">'
        f"{_esc(_LEVEL_PLURAL.get(lv, LEVEL_FR.get(lv, lv)))}</option>"
        for lv in levels
    )
    parts.append(
        '<div class="controls" role="search">'
        '<label for="recherche">Rechercher un territoire (nom, code ou région)'
        '<input id="recherche" type="search" autocomplete="off" '
        'placeholder="ex. Indre, 36, Réunion"></label>'
        '<label for="niveau">Niveau<select id="niveau">'
        f'<option value="">Tous les niveaux</option>{options}</select></label>'
        f'<span id="compte" aria-live="polite">{count} territoire'
        f"{'s' if count > 1 else ''}</span></div>"
    )

    def header(c: _Column) -> str:
        css = "num" if c.kind != "text" else "txt"
        kind = "num" if c.kind != "text" or c.key == "level" else "text"
        return (
            f'<th scope="col" class="{css}" data-key="{c.key}" data-kind="{kind}" '
            f'aria-sort="none" title="{_esc(c.title)}">'
            f'<button type="button">{_esc(c.label)}</button></th>'
        )

    head = "".join(header(c) for c in _COLUMNS)
    parts.append(
        '<div class="wrap"><table id="fiches"><thead><tr>'
        f'{head}<th scope="col">Fiche</th></tr></thead><tbody>'
    )
    parts += [e[2] for e in entries]
    parts.append("</tbody></table></div>")
    parts.append(
        f'<p id="aucun" class="none"{" hidden" if count else ""}>'
        "Aucun territoire ne correspond à la recherche.</p>"
    )
    source = FICTITIOUS_SOURCE_LINE if fictitious else "Source : DGDDI – DSECE"
    same_period = (
        f"{SAME_PERIOD_MARK.strip()} : part calculée sur les seuls trimestres couverts "
        "par les données du territoire (la région ou la France en ont davantage). "
        if any(SAME_PERIOD_MARK in e[2] for e in entries)
        else ""
    )
    parts.append(
        f'<p class="sources">{_esc(source)}. Exportations FAB, importations CAF. '
        f"n.d. : non disponible. {same_period}Index produit avec frtrade.</p>"
    )
    parts.append(f"</main><script>{_asset('index.js')}</script></body></html>")
    target = root / "index.html"
    staging = root / ".index.html.tmp"
    try:
        staging.write_text("\n".join(parts) + "\n", encoding="utf-8")
        staging.replace(target)
    except OSError as exc:
        staging.unlink(missing_ok=True)
        raise OutputError(
            f"impossible d'écrire {target} : {exc.strerror or exc}"
        ) from exc
    return target
