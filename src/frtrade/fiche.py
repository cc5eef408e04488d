"""The "indicateurs clés : commerce extérieur" fiche of a territory.

:func:`build_fiche` gathers every number, table, sentence and chart of the
fiche; :meth:`Fiche.write` writes it as a self-contained HTML page, an A4 PDF
(typeset by typst, with vector charts), each chart as SVG/PNG, the table
behind each chart as CSV, and ``facts.json``. Everything is in French and
works offline.
"""

from __future__ import annotations

import html
import json
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from frtrade.charts import Palette, butterfly_chart, sankey_chart, treemap_chart
from frtrade.datasets import FICTITIOUS_NOTICE
from frtrade.dgddi import Labels, LoadReport
from frtrade.formatting import NNBSP, format_number, format_share, format_signed_meur
from frtrade.indicators import (
    TerritoryTables,
    headline_facts,
    sankey_links,
    territory_tables,
)
from frtrade.render import render_chart
from frtrade.territories import Territory

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import ModuleType

    import altair as alt
    import pandas as pd

__all__ = [
    "FICHE_FORMATS",
    "BatchResult",
    "ChartCache",
    "Fiche",
    "build_fiche",
    "flow_sentence",
    "territory_from_slug",
    "write_all_fiches",
]

#: Output formats of :meth:`Fiche.write`.
FICHE_FORMATS = ("html", "pdf", "svg", "png", "csv", "json")
FicheFormat = Literal["html", "pdf", "svg", "png", "csv", "json"]

_FLOW_WORDS = {
    "export": ("exportations", "exportée", "Flux à l'export", "export"),
    "import": ("importations", "importée", "Flux à l'import", "import"),
}

CONTEXT = (
    "Cette fiche présente les échanges de biens du territoire avec l'étranger : montants "
    "exportés et importés, principaux pays partenaires, principales activités et flux entre "
    "produits et pays. Elle situe le territoire par rapport à sa région et à la France."
)
METHODOLOGY = (
    (
        "Source : statistiques régionales et départementales du commerce extérieur de la "
        "Direction générale des douanes et droits indirects (DGDDI), données brutes de collecte, "
        "hors matériel militaire."
    ),
    (
        "Les exportations sont valorisées FAB (franco à bord), les importations CAF (coût, "
        "assurance, fret)."
    ),
    (
        "Les données sont établies selon le lieu de dédouanement, qui ne reflète pas toujours le "
        "lieu de production : un bien fabriqué dans un département peut être exporté depuis un "
        "autre ; les chiffres dépendent des chaînes logistiques des entreprises."
    ),
    (
        "Les grandes infrastructures de transport introduisent des biais (effet port) : les "
        "zones industrialo-portuaires concentrent par exemple les importations d'hydrocarbures, "
        "utilisées bien au-delà du département."
    ),
    (
        "Le département est l'échelon le plus fin disponible : pour un territoire "
        "interdépartemental, consulter les fiches des départements concernés."
    ),
    (
        "Les produits sont regroupés selon la nomenclature A129 (CPF rév. 2.1) ; les dix "
        "premiers sont détaillés, les autres sont regroupés dans « Autres produits »."
    ),
)


def _meur_text(value_eur: float, decimals: int = 1) -> str:
    return format_number(value_eur / 1e6, decimals)


def flow_sentence(facts: dict[str, Any], flow: str, *, parent_name: str | None) -> str:
    """The fiche's sentence on a flow total and its shares, in French.

    Parameters
    ----------
    facts
        Output of :func:`~frtrade.indicators.headline_facts`.
    flow
        ``"export"`` or ``"import"``.
    parent_name
        Name of the parent région (``None`` to leave the région share out).

    Returns
    -------
    str
        E.g. "Total des exportations : 1 274,7 millions d'euros, soit 4,6 % de la
        valeur exportée par la région Centre-Val de Loire, soit 0,22 % de la
        valeur exportée au niveau national" (narrow no-break spaces). Totals to
        0.1 M€, the région share to 0.1 %, the national share to 0.01 %.

    Examples
    --------
    >>> facts = {
    ...     "export": {
    ...         "total_eur": 1_274_700_000.0,
    ...         "share_of_region": 0.045755,
    ...         "share_of_france": 0.0021964,
    ...     }
    ... }
    >>> flow_sentence(facts, "export", parent_name="Centre-Val de Loire").replace(
    ...     "\u202f", " "
    ... )
    "Total des exportations : 1 274,7 millions d'euros, soit 4,6 % de la valeur exportée par la région Centre-Val de Loire, soit 0,22 % de la valeur exportée au niveau national"
    """  # noqa: E501
    noun, participle, _, _ = _FLOW_WORDS[flow]
    block = facts[flow]
    text = f"Total des {noun} : {_meur_text(block['total_eur'])} millions d'euros"
    if parent_name is not None and block.get("share_of_region") is not None:
        text += (
            f", soit {format_share(block['share_of_region'], 1)} de la valeur {participle} "
            f"par la région {parent_name}"
        )
    if block.get("share_of_france") is not None:
        text += (
            f", soit {format_share(block['share_of_france'], 2)} de la valeur {participle} "
            "au niveau national"
        )
    return text


@dataclass(frozen=True)
class SankeyPanel:
    """One Sankey of the fiche: whose, which flow, its links and its caption."""

    territory: Territory
    flow: str
    links: pd.DataFrame
    title: str
    caption: str
    key: str  # file stem, e.g. "sankey_export_region-04"


@dataclass(frozen=True)
class Fiche:
    """Everything the fiche of one territory shows (see :func:`build_fiche`).

    Attributes
    ----------
    territory, year
        Whose fiche, which year.
    facts
        :func:`~frtrade.indicators.headline_facts` of the territory.
    partners, products
        Tables behind the butterfly and the treemap.
    sankeys
        Territory, région and France Sankeys for each flow.
    fictitious
        True when the data are frtrade's embedded fictitious dataset.
    files
        Data files used.
    territoires_industrie
        Territoires d'industrie listed on the fiche.
    colors
        Chart palette.
    """

    territory: Territory
    year: int
    facts: dict[str, Any]
    partners: pd.DataFrame
    products: pd.DataFrame
    sankeys: list[SankeyPanel]
    fictitious: bool
    files: list[str]
    territoires_industrie: list[str] = field(default_factory=list)
    colors: Palette | Literal["default", "colorblind"] = "default"

    # ------------------------------------------------------------ content

    @property
    def title(self) -> str:
        """Title line: "Les indicateurs clés : commerce extérieur".

        Examples
        --------
        >>> from frtrade.testing import tiny_trade_flows
        >>> build_fiche(tiny_trade_flows(), Territory.resolve("36")).title
        'Les indicateurs clés : commerce extérieur'
        """
        return "Les indicateurs clés : commerce extérieur"

    @property
    def subtitle(self) -> str:
        """Territory, parent région and year.

        Examples
        --------
        >>> from frtrade.testing import tiny_trade_flows
        >>> build_fiche(tiny_trade_flows(), Territory.resolve("36")).subtitle
        'Indre (36) – région Centre-Val de Loire – données 2024'
        """
        parent = self.territory.parent_region
        where = self.territory.name
        if self.territory.level == "departement":
            where += f" ({self.territory.code})"
        if parent is not None:
            where += f" – région {parent.name}"
        return f"{where} – données {self.year}"

    def key_figures(self) -> list[tuple[str, str]]:
        """Label/value pairs of the key figures block (French).

        Returns
        -------
        list of (str, str)
            Exports, imports, balance, coverage rate and shares.

        Examples
        --------
        >>> from frtrade.testing import tiny_trade_flows
        >>> fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
        >>> fiche.key_figures()[3]
        ('Taux de couverture', '166,7\u202f%')
        """
        f = self.facts
        rows = [
            ("Exportations", f"{_meur_text(f['export']['total_eur'])}{NNBSP}M€"),
            ("Importations", f"{_meur_text(f['import']['total_eur'])}{NNBSP}M€"),
            ("Solde commercial", f"{format_signed_meur(f['balance_eur'])}{NNBSP}M€"),
            ("Taux de couverture", format_share(f["coverage_rate"])),
        ]
        parent = self.territory.parent_region
        for flow, noun in (("export", "exportations"), ("import", "importations")):
            if parent is not None and f[flow]["share_of_region"] is not None:
                rows.append(
                    (
                        f"Part des {noun} de la région",
                        format_share(f[flow]["share_of_region"]),
                    )
                )
            if f[flow]["share_of_france"] is not None:
                rows.append(
                    (
                        f"Part des {noun} de la France",
                        format_share(f[flow]["share_of_france"], 2),
                    )
                )
        return rows

    def sentence(self, flow: str) -> str:
        """The total-and-shares sentence of a flow (see :func:`flow_sentence`).

        Parameters
        ----------
        flow
            ``"export"`` or ``"import"``.

        Returns
        -------
        str
            The sentence, in French.

        Examples
        --------
        >>> from frtrade.testing import tiny_trade_flows
        >>> fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
        >>> print(
        ...     fiche.sentence("import").replace("\u202f", " ")
        ... )  # doctest: +NORMALIZE_WHITESPACE
        Total des importations : 0,0 millions d'euros, soit 66,7 % de la valeur importée par
        la région Centre-Val de Loire, soit 33,33 % de la valeur importée au niveau national
        """
        parent = self.territory.parent_region
        return flow_sentence(
            self.facts, flow, parent_name=parent.name if parent else None
        )

    def charts(self) -> dict[str, alt.TopLevelMixin]:
        """Every chart of the fiche, keyed by file stem.

        Returns
        -------
        dict
            ``partenaires``, ``produits`` and one ``sankey_…`` per panel.

        Examples
        --------
        >>> from frtrade.testing import tiny_trade_flows
        >>> sorted(build_fiche(tiny_trade_flows(), Territory.resolve("36")).charts())[
        ...     :3
        ... ]
        ['partenaires', 'produits', 'sankey_export_france']
        """
        return {stem: self._chart(stem) for stem in self._stems()}

    def _stems(self) -> list[str]:
        return ["partenaires", "produits", *(panel.key for panel in self.sankeys)]

    def _chart(self, stem: str) -> alt.TopLevelMixin:
        if stem == "partenaires":
            return butterfly_chart(self.partners, colors=self.colors)
        if stem == "produits":
            return treemap_chart(self.products, colors=self.colors)
        panel = next(p for p in self.sankeys if p.key == stem)
        return sankey_chart(panel.links, colors=self.colors)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The table behind each chart, keyed by file stem.

        Returns
        -------
        dict
            ``partenaires``, ``produits`` and one ``sankey_…`` per panel.

        Examples
        --------
        >>> from frtrade.testing import tiny_trade_flows
        >>> tables = build_fiche(tiny_trade_flows(), Territory.resolve("36")).tables()
        >>> tables["produits"].value_eur.sum()
        np.float64(1600.0)
        """
        out = {"partenaires": self.partners, "produits": self.products}
        for panel in self.sankeys:
            out[panel.key] = panel.links
        return out

    # ------------------------------------------------------------ writing

    def write(
        self,
        out_dir: str | Path,
        *,
        formats: tuple[str, ...] | list[str] = FICHE_FORMATS,
        renderer: ChartCache | None = None,
    ) -> dict[str, list[Path]]:
        """Write the fiche's files into ``out_dir`` (created if needed).

        Parameters
        ----------
        out_dir
            Target folder.
        formats
            Any of ``html`` (self-contained page), ``pdf`` (A4), ``svg`` and
            ``png`` (each chart), ``csv`` (each table), ``json`` (facts).
        renderer
            A cache of rendered charts shared between fiches (the région and
            France Sankeys repeat across a batch).

        Returns
        -------
        dict
            Written paths by format.

        Raises
        ------
        ValueError
            For an unknown format.

        Examples
        --------
        >>> import tempfile
        >>> from frtrade.testing import tiny_trade_flows
        >>> fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
        >>> written = fiche.write(tempfile.mkdtemp(), formats=["json", "csv"])
        >>> [p.name for p in written["json"]], len(written["csv"])
        (['facts.json'], 8)
        """
        unknown = set(formats) - set(FICHE_FORMATS)
        if unknown:
            raise ValueError(f"unknown formats {sorted(unknown)}; use {FICHE_FORMATS}")
        target = Path(out_dir)
        target.mkdir(parents=True, exist_ok=True)
        shared = renderer or ChartCache()
        local = ChartCache()  # this fiche's own charts: reused across formats only
        built: dict[str, alt.TopLevelMixin] = {}

        def picture(stem: str, fmt: str) -> bytes:
            def build() -> alt.TopLevelMixin:
                if stem not in built:
                    built[stem] = self._chart(stem)
                return built[stem]

            key = self._shared_key(stem)
            if key is None:
                return local.render(stem, build, fmt)
            return shared.render(key, build, fmt)  # built only on a miss

        drawn = {"svg", "png", "html", "pdf"} & set(formats)
        stems = self._stems() if drawn else []  # tables and facts need no chart
        written: dict[str, list[Path]] = {f: [] for f in formats}
        for fmt in ("svg", "png"):
            if fmt in formats:
                (target / "graphiques").mkdir(exist_ok=True)
                for stem in stems:
                    path = target / "graphiques" / f"{stem}.{fmt}"
                    path.write_bytes(picture(stem, fmt))
                    written[fmt].append(path)
        if "csv" in formats:
            (target / "tableaux").mkdir(exist_ok=True)
            for stem, table in self.tables().items():
                path = target / "tableaux" / f"{stem}.csv"
                table.to_csv(path, index=False, encoding="utf-8")
                written["csv"].append(path)
        if "json" in formats:
            path = target / "facts.json"
            path.write_text(
                json.dumps(self.facts, ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
            written["json"].append(path)
        if "html" in formats:
            svgs = {stem: picture(stem, "svg").decode("utf-8") for stem in stems}
            path = target / "fiche.html"
            path.write_text(_html(self, svgs), encoding="utf-8")
            written["html"].append(path)
        if "pdf" in formats:
            pdfs = {stem: picture(stem, "pdf") for stem in stems}
            path = target / "fiche.pdf"
            path.write_bytes(_pdf(self, pdfs))
            written["pdf"].append(path)
        return written

    def _shared_key(self, stem: str) -> str | None:
        """Batch-cache key of a comparison Sankey (the same in every fiche), else None."""
        for panel in self.sankeys:
            if panel.key == stem and panel.territory != self.territory:
                return f"{panel.territory.slug}:{panel.flow}:{self.year}:{self.colors}"
        return None


class ChartCache:
    """Rendered charts by key and format, reused across the fiches of a batch.

    Only the charts that repeat across fiches (the région and France Sankeys)
    go into the cache a batch shares; each fiche's own charts are not kept.
    """

    def __init__(self) -> None:
        self._store: dict[tuple[str, str], bytes] = {}

    def render(
        self,
        key: str,
        chart: alt.TopLevelMixin | Callable[[], alt.TopLevelMixin],
        fmt: str,
    ) -> bytes:
        """Render ``chart`` in ``fmt`` once per key.

        Parameters
        ----------
        key
            Identity of the chart (same key, same picture).
        chart
            The chart, or a function building it (called only on a cache miss).
        fmt
            ``svg``, ``png`` or ``pdf``.

        Returns
        -------
        bytes
            The rendered file.

        Examples
        --------
        >>> import altair as alt, pandas as pd
        >>> cache = ChartCache()
        >>> chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point()
        >>> cache.render("point", chart, "svg") is cache.render("point", chart, "svg")
        True
        """
        slot = (key, fmt)
        if slot not in self._store:
            drawn = chart if hasattr(chart, "to_dict") else chart()
            self._store[slot] = render_chart(drawn, fmt)  # type: ignore[arg-type]
        return self._store[slot]


# --------------------------------------------------------------------------- building


def _comparisons(territory: Territory) -> list[Territory]:
    if territory.level == "france":
        return []
    parent = territory.parent()
    return [parent, Territory.france()] if parent is not None else [Territory.france()]


def build_fiche(
    flows: pd.DataFrame,
    territory: Territory,
    *,
    year: int | None = None,
    report: LoadReport | None = None,
    labels: Labels | None = None,
    territoires_industrie: list[str] | None = None,
    colors: Palette | Literal["default", "colorblind"] = "default",
    tables: TerritoryTables | None = None,
) -> Fiche:
    """Gather everything the fiche of a territory shows.

    Parameters
    ----------
    flows
        A :class:`~frtrade.schemas.TradeFlows` table.
    territory
        Whose fiche.
    year
        The year (default: the only year of the data).
    report
        The load report (data files, fictitious flag).
    labels
        Names (default: frtrade's shipped labels).
    territoires_industrie
        Territoires d'industrie to list under the title.
    colors
        Chart palette (``"colorblind"`` for Okabe-Ito colours).
    tables
        Precomputed :func:`~frtrade.indicators.all_territories` tables, to
        build many fiches from one pass over the data.

    Returns
    -------
    Fiche
        The fiche, ready to :meth:`~Fiche.write`.

    Examples
    --------
    >>> from frtrade.datasets import load_fictitious_dataset
    >>> data = load_fictitious_dataset()
    >>> fiche = build_fiche(data.flows, Territory.resolve("36"), report=data.report)
    >>> print(fiche.sentence("export").replace("\u202f", " "))
    Total des exportations : 1 274,7 millions d'euros, soit 4,6 % de la valeur exportée par la région Centre-Val de Loire, soit 0,22 % de la valeur exportée au niveau national
    >>> [p.title for p in fiche.sankeys][:3]
    ['Flux à l’export, Indre', 'Flux à l’export, Centre-Val de Loire', 'Flux à l’export, France entière']
    """  # noqa: E501
    labels = labels or Labels.shipped()
    batch = set(tables.totals["territory"]) if tables is not None else set()
    own = (
        tables.for_territory(territory)
        if tables is not None and territory.slug in batch
        else territory_tables(flows, territory, year=year, labels=labels)
    )
    facts = headline_facts(
        flows, territory, year=year, report=report, labels=labels, tables=own
    )
    y = int(facts["year"])

    def table_of(t: Territory, kind: str, flow: str | None = None) -> pd.DataFrame:
        source = own if t == territory else None
        if source is None and tables is not None and t.slug in batch:
            source = tables.for_territory(t)
        if source is None:
            return sankey_links(flows, t, flow=flow, year=y, labels=labels)  # type: ignore[arg-type]
        frame: pd.DataFrame = getattr(source, kind)
        if flow is not None:
            frame = frame[frame["flow"] == flow]
        out: pd.DataFrame = frame.reset_index(drop=True)
        return out

    panels: list[SankeyPanel] = []
    for flow in ("export", "import"):
        noun, _, heading, short = _FLOW_WORDS[flow]
        for t in [territory, *_comparisons(territory)]:
            links = table_of(t, "sankey", flow)
            name = "France entière" if t.level == "france" else t.name
            if t == territory:
                caption = ""
            else:
                total = float(links["value_eur"].sum())
                caption = f"Total des {noun} : {_meur_text(total)} millions d'euros"
            kind = "territoire" if t == territory else t.slug
            panels.append(
                SankeyPanel(
                    territory=t,
                    flow=flow,
                    links=links,
                    title=f"{heading.replace(chr(39), '’')}, {name}",
                    caption=caption,
                    key=f"sankey_{short}_{kind}",
                )
            )
    return Fiche(
        territory=territory,
        year=y,
        facts=facts,
        partners=table_of(territory, "partners"),
        products=table_of(territory, "products"),
        sankeys=panels,
        fictitious=bool(report.fictitious) if report else False,
        files=list(report.files) if report else [],
        territoires_industrie=list(territoires_industrie or []),
        colors=colors,
    )


# --------------------------------------------------------------------------- HTML


_CSS = """
body{font-family:Arial,'Liberation Sans',Helvetica,sans-serif;color:#222;margin:0;
background:#f4f4f4}
main{max-width:980px;margin:0 auto;background:#fff;padding:32px 40px 48px}
h1{font-size:28px;margin:0 0 4px}h2{font-size:21px;margin:36px 0 8px;color:#2b2b5c;
border-bottom:2px solid #7b3f98;padding-bottom:4px}h3{font-size:16px;margin:24px 0 6px}
.subtitle{font-size:17px;color:#444;margin:0 0 16px}.fictif{background:#fff3cd;border:2px solid
#c8102e;color:#7a0010;padding:10px 14px;font-weight:bold;margin:12px 0}.key{border-collapse:
collapse;margin:8px 0}.key td{padding:4px 14px 4px 0}.key td+td{font-weight:bold;text-align:right}
.sentence{font-size:15px;margin:8px 0 4px}.reading{color:#555;font-size:13px}figure{margin:8px 0}
figure svg{max-width:100%;height:auto}.sources{font-size:13px;color:#444}
"""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _html(fiche: Fiche, svgs: dict[str, str]) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        f"<title>{_esc(fiche.title)} – {_esc(fiche.territory.name)}</title>",
        f"<style>{_CSS}</style></head><body><main>",
        f"<h1>{_esc(fiche.title)}</h1>",
        f'<p class="subtitle">{_esc(fiche.subtitle)}</p>',
    ]
    if fiche.fictitious:
        parts.append(
            f'<p class="fictif" id="donnees-fictives">{_esc(FICTITIOUS_NOTICE)}</p>'
        )
    if fiche.territoires_industrie:
        parts.append("<h3>Territoires d'industrie du département</h3><ul>")
        parts += [f"<li>{_esc(t)}</li>" for t in fiche.territoires_industrie]
        parts.append("</ul>")
    parts.append(
        '<section id="chiffres-cles"><h2>Chiffres clés</h2><table class="key">'
    )
    parts += [
        f"<tr><td>{_esc(k)}</td><td>{_esc(v)}</td></tr>" for k, v in fiche.key_figures()
    ]
    parts.append("</table></section>")
    parts.append('<section id="contexte"><h2>Contexte et méthodologie</h2>')
    parts.append(f"<p>{_esc(CONTEXT)}</p><ul>")
    parts += [f"<li>{_esc(m)}</li>" for m in METHODOLOGY]
    parts.append("</ul></section>")
    parts.append('<section id="balance"><h2>Balance commerciale territoriale</h2>')
    parts.append(
        f"<h3>Principaux pays à l'import et à l'export, {_esc(fiche.territory.name)} "
        f"({fiche.year})</h3><figure>{svgs['partenaires']}</figure>"
    )
    parts.append(
        '<p class="reading">Clé de lecture : pour chaque pays, figurent à gauche le montant '
        "des importations et à droite celui des exportations, en millions d'euros. Le solde "
        "(exportations − importations) est indiqué en rouge lorsqu'il est négatif, en vert "
        "lorsqu'il est positif.</p></section>"
    )
    parts.append('<section id="activites"><h2>Principales activités</h2>')
    parts.append(
        f"<h3>Principales activités à l'export et à l'import, {_esc(fiche.territory.name)} "
        f"({fiche.year})</h3><figure>{svgs['produits']}</figure>"
    )
    parts.append(
        '<p class="reading">Figurent en bleu les biens importés, en violet les biens '
        "exportés. L'aire de chaque compartiment est proportionnelle au poids du bien dans "
        "son flux ; les dix premiers biens sont détaillés.</p></section>"
    )
    for flow, section, reading in (
        ("export", "Exportations", ("Figurent à gauche les principaux biens exportés, à droite "
         "les pays de destination ; les cinq principaux flux sont en rouge.")),
        ("import", "Importations", ("Figurent à gauche les principaux pays d'origine, à droite "
         "les biens importés ; les cinq principaux flux sont en rouge.")),
    ):  # fmt: skip
        parts.append(f'<section id="{section.lower()}"><h2>{section}</h2>')
        for panel in [p for p in fiche.sankeys if p.flow == flow]:
            parts.append(f"<h3>{_esc(panel.title)} (en valeur, {fiche.year})</h3>")
            parts.append(f"<figure>{svgs[panel.key]}</figure>")
            if panel.territory == fiche.territory:
                parts.append(f'<p class="sentence">{_esc(fiche.sentence(flow))}</p>')
                parts.append(f'<p class="reading">{_esc(reading)}</p>')
            else:
                parts.append(f'<p class="sentence">{_esc(panel.caption)}</p>')
        parts.append("</section>")
    parts.append(_sources_html(fiche))
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


def _file_label(name: str) -> str:
    """``/path/a.zip!dir/member.txt`` -> ``a.zip (dir/member.txt)``."""
    archive, _, member = name.partition("!")
    return Path(archive).name + (f" ({member})" if member else "")


def _sources_html(fiche: Fiche) -> str:
    files = "".join(f"<li>{_esc(_file_label(f))}</li>" for f in fiche.files)
    text = (
        '<section id="sources" class="sources"><h2>Sources et données</h2>'
        "<p>Données départementales et régionales du commerce extérieur, DGDDI, "
        f"année {fiche.year} (trimestres "
        + ", ".join(str(q) for q in fiche.facts["quarters"])
        + "). Exportations FAB, importations CAF. Fiche produite avec frtrade.</p>"
    )
    if files:
        text += f"<p>Fichiers utilisés :</p><ul>{files}</ul>"
    if fiche.fictitious:
        text += f'<p class="fictif">{_esc(FICTITIOUS_NOTICE)}</p>'
    return text + "</section>"


# --------------------------------------------------------------------------- PDF


def _typ(text: str) -> str:
    """Escape text for typst markup."""
    out = text
    for char in "\\#$*_@<>[]`~=/+-":
        out = out.replace(char, "\\" + char)
    return out


@cache
def _typst_module() -> ModuleType:
    import typst

    return typst


def _pdf(fiche: Fiche, pdfs: dict[str, bytes]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="frtrade-fiche-") as tmp:
        root = Path(tmp)
        for stem, data in pdfs.items():
            (root / f"{stem}.pdf").write_bytes(data)
        (root / "fiche.typ").write_text(_typst_source(fiche), encoding="utf-8")
        result: bytes = _typst_module().compile(str(root / "fiche.typ"), root=str(root))
        return result


def _typst_source(fiche: Fiche) -> str:
    name = _typ(fiche.territory.name)
    banner = (
        f'#block(fill: rgb("#fff3cd"), stroke: 1.5pt + rgb("#c8102e"), inset: 8pt, '
        f"width: 100%)[*{_typ(FICTITIOUS_NOTICE)}*]\n"
        if fiche.fictitious
        else ""
    )
    lines = [
        '#set page(paper: "a4", margin: (x: 1.6cm, y: 1.5cm), footer: context [',
        (
            f'  #set text(size: 8pt, fill: rgb("#666666")); {_typ(fiche.title)} – {name}, '
            f'{fiche.year} #h(1fr) #counter(page).display("1 / 1", both: true)])'
        ),
        '#set text(font: ("Liberation Sans", "Arial", "DejaVu Sans"), size: 10pt, lang: "fr")',
        "#set par(justify: true)",
        '#show heading.where(level: 1): set text(size: 15pt, fill: rgb("#2b2b5c"))',
        "#show heading.where(level: 2): set text(size: 11.5pt)",
        f'#text(size: 20pt, weight: "bold")[{_typ(fiche.title)}]\\',
        f"#text(size: 13pt)[{_typ(fiche.subtitle)}]",
        banner,
    ]
    if fiche.territoires_industrie:
        lines.append("== Territoires d'industrie du département".replace("'", "’"))
        lines += [f"- {_typ(t)}" for t in fiche.territoires_industrie]
    lines.append("= Chiffres clés")
    cells = ", ".join(f"[{_typ(k)}], [*{_typ(v)}*]" for k, v in fiche.key_figures())
    lines.append(
        f"#table(columns: (auto, auto), stroke: none, align: (left, right), {cells})"
    )
    lines.append("= Contexte et méthodologie")
    lines.append(_typ(CONTEXT))
    lines += [f"- {_typ(m)}" for m in METHODOLOGY]
    lines.append("#pagebreak()")
    lines.append("= Balance commerciale territoriale")
    lines.append(f"== Principaux pays à l’import et à l’export, {name} ({fiche.year})")
    lines.append('#image("partenaires.pdf", width: 100%)')
    lines.append(
        "#text(size: 9pt)[Clé de lecture : pour chaque pays, figurent à gauche les "
        "importations et à droite les exportations (millions d’euros). Le solde est en rouge "
        "s’il est négatif, en vert s’il est positif.]"
    )
    lines.append("= Principales activités")
    lines.append(
        f"== Principales activités à l’export et à l’import, {name} ({fiche.year})"
    )
    lines.append('#image("produits.pdf", width: 100%)')
    lines.append(
        "#text(size: 9pt)[En bleu les biens importés, en violet les biens exportés ; l’aire "
        "de chaque compartiment est proportionnelle au poids du bien dans son flux.]"
    )
    for flow, section in (("export", "Exportations"), ("import", "Importations")):
        panels = [p for p in fiche.sankeys if p.flow == flow]
        lines.append("#pagebreak()")
        lines.append(f"= {section}")
        own = panels[0]
        lines.append(f"== {_typ(own.title)} (en valeur, {fiche.year})")
        lines.append(f'#image("{own.key}.pdf", width: 100%)')
        lines.append(f"*{_typ(fiche.sentence(flow))}*")
        if len(panels) > 1:
            lines.append("#pagebreak()")
            for panel in panels[1:]:
                lines.append(f"== {_typ(panel.title)} (en valeur, {fiche.year})")
                lines.append(f'#image("{panel.key}.pdf", width: 84%)')
                lines.append(f"*{_typ(panel.caption)}*")
    lines.append("#pagebreak()")
    lines.append("= Sources et données")
    quarters = ", ".join(str(q) for q in fiche.facts["quarters"])
    lines.append(
        _typ(
            f"Données départementales et régionales du commerce extérieur, DGDDI, année "
            f"{fiche.year} (trimestres {quarters}). Exportations FAB, importations CAF. "
            "Fiche produite avec frtrade."
        )
    )
    lines += [f"- {_typ(_file_label(f))}" for f in fiche.files]
    lines.append(banner)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- batches


@dataclass(frozen=True)
class BatchResult:
    """Outcome of one fiche in :func:`write_all_fiches`."""

    slug: str
    ok: bool
    seconds: float
    error: str = ""


_BATCH: dict[str, Any] = {}


def territory_from_slug(slug: str) -> Territory:
    """The territory of a slug (``departement-36``, ``region-04``, ``france``).

    Parameters
    ----------
    slug
        As in :attr:`Territory.slug`.

    Returns
    -------
    Territory
        The territory.

    Raises
    ------
    UnknownTerritoryError
        For a code absent from the reference tables.

    Examples
    --------
    >>> territory_from_slug("region-04").name
    'Centre-Val de Loire'
    """
    if slug == "france":
        return Territory.france()
    level, _, code = slug.partition("-")
    if level == "region":
        return Territory.region(code, scheme="dgddi")
    return Territory.departement(code)


def _one(slug: str) -> BatchResult:
    import time

    start = time.perf_counter()
    try:
        fiche = build_fiche(
            _BATCH["flows"],
            territory_from_slug(slug),
            year=_BATCH["year"],
            report=_BATCH["report"],
            labels=_BATCH["labels"],
            colors=_BATCH["colors"],
            tables=_BATCH["tables"],
        )
        fiche.write(
            Path(_BATCH["out"]) / slug,
            formats=_BATCH["formats"],
            renderer=_BATCH["cache"],
        )
    except Exception as exc:  # a batch goes on past a failure and reports it
        return BatchResult(
            slug, ok=False, seconds=time.perf_counter() - start, error=repr(exc)
        )
    return BatchResult(slug, ok=True, seconds=time.perf_counter() - start)


def write_all_fiches(
    flows: pd.DataFrame,
    out_dir: str | Path,
    *,
    formats: tuple[str, ...] | list[str] = FICHE_FORMATS,
    year: int | None = None,
    report: LoadReport | None = None,
    labels: Labels | None = None,
    colors: Palette | Literal["default", "colorblind"] = "default",
    jobs: int = 1,
    progress: Callable[[BatchResult, int, int], None] | None = None,
) -> list[BatchResult]:
    """Write the fiche of every département, région and France present in the data.

    The indicator tables are computed once (:func:`~frtrade.indicators.all_territories`)
    and rendered charts are reused (the région and France Sankeys repeat);
    with ``jobs > 1`` the fiches are spread over processes. A failing fiche
    does not stop the batch: it is reported in the result.

    Parameters
    ----------
    flows
        A :class:`~frtrade.schemas.TradeFlows` table.
    out_dir
        Folder receiving one sub-folder per territory (its slug).
    formats
        As in :meth:`Fiche.write`.
    year, report, labels, colors
        As in :func:`build_fiche`.
    jobs
        Processes to use.
    progress
        Called with each :class:`BatchResult` and the counts done/total.

    Returns
    -------
    list[BatchResult]
        One result per territory, in order.

    Examples
    --------
    >>> import tempfile
    >>> from frtrade.testing import tiny_trade_flows
    >>> results = write_all_fiches(
    ...     tiny_trade_flows(), tempfile.mkdtemp(), formats=["json"]
    ... )
    >>> [(r.slug, r.ok) for r in results]  # doctest: +NORMALIZE_WHITESPACE
    [('departement-18', True), ('departement-36', True), ('departement-75', True),
     ('region-03', True), ('region-04', True), ('france', True)]
    """
    from frtrade.indicators import all_territories

    labels = labels or Labels.shipped()
    tables = all_territories(flows, year=year, labels=labels)
    slugs = sorted(
        set(tables.totals["territory"]),
        key=lambda s: (s == "france", s.startswith("region-"), s),
    )
    _BATCH.update(
        flows=flows,
        year=year,
        report=report,
        labels=labels,
        colors=colors,
        tables=tables,
        out=str(out_dir),
        formats=tuple(formats),
        cache=ChartCache(),
    )
    results: list[BatchResult] = []
    try:
        if jobs <= 1:
            for slug in slugs:
                results.append(_one(slug))
                if progress is not None:
                    progress(results[-1], len(results), len(slugs))
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                for result in pool.map(_one, slugs):
                    results.append(result)
                    if progress is not None:
                        progress(result, len(results), len(slugs))
    finally:
        _BATCH.clear()
    return results
