"""The fiche of one territory: its numbers, tables, charts and texts.

:func:`build_fiche` gathers everything; :meth:`Fiche.document` is the one
ordered document both the HTML page and the PDF render; :meth:`Fiche.write`
stages every file and moves the complete folder into place.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from frtrade.charts import Palette, butterfly_chart, sankey_chart, treemap_chart
from frtrade.charts._common import (
    plain_title,
    sharing_layers,
    title_params,
    unchecked,
)
from frtrade.charts.evolution import evolution_chart
from frtrade.charts.exposure import exposure_chart
from frtrade.charts.position import position_chart, rank_line
from frtrade.charts.theme import palette
from frtrade.dgddi import Labels, LoadReport
from frtrade.formatting import format_number, format_share
from frtrade.indicators import (
    TerritoryTables,
    compute_indicators,
    data_coverage,
    headline_facts,
    quarters_phrase,
    sankey_links,
    territory_tables,
)
from frtrade.indicators._coverage import period_label as quarters_label
from frtrade.indicators._coverage import shares_basis
from frtrade.indicators._facts import FACTS_INDICATORS
from frtrade.schemas import FLOWS
from frtrade.territories import Territory

from ._overrides import FicheOverrides
from ._texts import (
    TITLE,
    build_document,
    compared_quarters,
    key_figure_rows,
    partner_name,
    period_label,
    source_line,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from concurrent.futures import Future

    import altair as alt
    import pandas as pd

    from frtrade.indicators import Coverage
    from frtrade.render import RenderPool

    from ._model import Document

#: Output formats of :meth:`Fiche.write` (more can be registered, see ``register_writer``).
FICHE_FORMATS = ("html", "pdf", "svg", "png", "csv", "json", "xlsx")

_FLOW_WORDS = {
    "export": ("exportations", "exportée", "Flux à l'export", "export"),
    "import": ("importations", "importée", "Flux à l'import", "import"),
}
_OWN_TITLES = {
    "export": "Flux à l'export par produit et par pays",
    "import": "Flux à l'import par pays et par produit",
}


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
        0.1 M€, the région share to 0.1 %, the national share to 0.01 %. A flow
        without data says so ("données non disponibles"), never "0,0".

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
    >>> flow_sentence({"import": {"total_eur": None}}, "import", parent_name=None)
    'Total des importations : données non disponibles'

    When the région or France has data for more quarters than the territory,
    the shares compare the territory's quarters only, and say so:

    >>> block = {"total_eur": 1e9, "share_of_region": 1.0, "shares_quarters": [1, 2]}
    >>> text = flow_sentence({"export": block}, "export", parent_name="Centre-Val")
    >>> text.split("Centre-Val ")[1]
    '(parts calculées sur la même période : trimestres 1 et 2)'
    """  # noqa: E501
    noun, participle, _, _ = _FLOW_WORDS[flow]
    block = facts[flow]
    if block.get("total_eur") is None:
        return f"Total des {noun} : données non disponibles"
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
    basis = shares_basis(block)
    if basis and text.count(", soit "):
        text += f" (parts calculées sur la même période : {basis})"
    return text


@dataclass(frozen=True)
class SankeyPanel:
    """One Sankey of the fiche: whose, which flow, its links and its caption.

    ``period`` is the period of the panel's own data: the quarters of its flow
    for its territory, which may differ from the fiche's ("" means the
    fiche's period).
    """

    territory: Territory
    flow: str
    links: pd.DataFrame
    title: str
    caption: str
    key: str  # file stem, e.g. "sankey_export_region-04"
    period: str = ""


def _chart_kwargs(
    *, title: str | None, subtitle: str | None, fictitious: bool
) -> dict[str, Any]:
    """Title, subtitle and source line of a chart.

    The source line is « Source : DGDDI – DSECE », or says the figures are
    fictitious when they come from the embedded dataset: a chart file is
    often shared alone, without the fiche's notice.
    """
    source = source_line(fictitious=fictitious)
    return {"title": title, "subtitle": subtitle, "source": source}


def _sankey_headings(territory: Territory, flow: str, period: str) -> tuple[str, str]:
    """Title and subtitle of a standalone Sankey chart."""
    where = f"{territory.name}, {period} – millions d'euros"
    return _FLOW_WORDS[flow][2], where


def _shared_key(
    territory: Territory,
    flow: str,
    *,
    year: int,
    period: str,
    colors: object,
    variant: str,
    fictitious: bool,
    shape: str,
) -> str:
    """Cache key of a comparison Sankey: the same picture in every fiche that shows it.

    ``shape`` is the fiche's ``n`` and product level (``"10:a129"``): the
    links of the same territory differ with them.
    """
    key = f"{territory.slug}:{flow}:{year}:{period}:{colors}:{shape}:{variant}"
    return f"{key}:fictif" if fictitious else key


def _prefetch_comparisons(
    renderer: ChartCache,
    links: Mapping[tuple[Territory, str], pd.DataFrame],
    *,
    year: int,
    periods: Mapping[tuple[Territory, str], str],
    colors: Palette | Literal["default", "colorblind"],
    fictitious: bool,
    shape: str,
) -> None:
    """Start the comparison Sankeys in the renderer's pool (see :class:`ChartCache`).

    The specs are exactly those the fiche's writer would build (same chart,
    same standalone title), under the same keys, so the writer finds them.
    """
    from ._write import _Prepared, variant_formats

    if renderer.pool is None:
        return
    wanted = {v: variant_formats(renderer.formats, v) for v in ("file", "doc")}
    if not any(wanted.values()):
        return
    pal = palette(colors)
    for (territory, flow), table in links.items():
        with unchecked(), sharing_layers():  # rendered, never handed out
            doc = _Prepared(
                sankey_chart(
                    table,
                    colors=colors,
                    **_chart_kwargs(title=None, subtitle=None, fictitious=fictitious),
                )
            )
        period = periods[(territory, flow)]
        heading = title_params(*_sankey_headings(territory, flow, period), pal)
        assert heading is not None
        keys = tuple(
            _shared_key(
                territory,
                flow,
                year=year,
                period=period,
                colors=colors,
                variant=v,
                fictitious=fictitious,
                shape=shape,
            )
            for v in ("file", "doc")
        )
        renderer.prefetch_titled(
            keys,  # type: ignore[arg-type]
            doc,
            heading.to_dict(),
            wanted["file"],
            wanted["doc"],
        )


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
        Territory, région(s) and France Sankeys for each available flow.
    fictitious
        True when the data are frtrade's embedded fictitious dataset.
    files
        Data files used.
    territoires_industrie
        Territoires d'industrie listed on the fiche.
    colors
        Chart palette.
    n, product_level
        Products and countries detailed; product nomenclature.
    overrides
        User text blocks (introduction, contacts, logo, footer).
    compared_regions
        The régions the fiche compares with (a group spanning two régions
        compares with each).
    available
        Flow -> whether the territory has data for it.
    period
        The period the data cover, e.g. ``"2024, trimestres 1 à 3"``.
    notes
        French notes on missing or partial data, shown in the title area.
    partner
        Partner of the exposure section (DGDDI country code, default ``US``).
    evolution, exposure_products, ranks
        Indicator tables behind the evolution, exposure and position charts
        (None when not computed; ``ranks`` holds every département).
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
    n: int = 10
    product_level: str = "a129"
    overrides: FicheOverrides | None = None
    compared_regions: tuple[Territory, ...] = ()
    available: dict[str, bool] = field(
        default_factory=lambda: {"export": True, "import": True}
    )
    period: str = ""
    notes: tuple[str, ...] = ()
    partner: str = "US"
    evolution: pd.DataFrame | None = None
    exposure_products: pd.DataFrame | None = None
    ranks: pd.DataFrame | None = None

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
        return TITLE

    @property
    def subtitle(self) -> str:
        """Territory, parent région(s) and the period of the data.

        Examples
        --------
        >>> from frtrade.testing import tiny_trade_flows
        >>> build_fiche(tiny_trade_flows(), Territory.resolve("36")).subtitle
        'Indre (36) – région Centre-Val de Loire – données 2024, trimestres 1 et 2'
        """
        where = self.territory.name
        if self.territory.level == "departement":
            where += f" ({self.territory.code})"
        regions = [r.name for r in self.compared_regions]
        if len(regions) == 1:
            where += f" – région {regions[0]}"
        elif regions:
            where += " – régions " + ", ".join(regions[:-1]) + f" et {regions[-1]}"
        return f"{where} – données {self.period or self.year}"

    def key_figures(self) -> list[tuple[str, str]]:
        """Label/value pairs of the key figures block (French).

        Returns
        -------
        list of (str, str)
            Exports, imports, balance, coverage rate and shares; a flow
            without data reads "non disponible", never 0.

        Examples
        --------
        >>> from frtrade.testing import tiny_trade_flows
        >>> fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
        >>> fiche.key_figures()[3]
        ('Taux de couverture', '166,7\u202f%')
        """
        return key_figure_rows(self)

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
        if not self.available.get(flow, True):
            return flow_sentence({flow: {"total_eur": None}}, flow, parent_name=None)
        parent = self.territory.parent_region
        return flow_sentence(
            self.facts, flow, parent_name=parent.name if parent else None
        )

    def document(self) -> Document:
        """The fiche as one ordered document: what the HTML page and the PDF render.

        Returns
        -------
        Document
            Title area, sections (Introduction … Sources) and footer.

        Examples
        --------
        >>> from frtrade.testing import tiny_trade_flows
        >>> doc = build_fiche(tiny_trade_flows(), Territory.resolve("36")).document()
        >>> [s.anchor for s in doc.sections][:3]
        ['introduction', 'contexte', 'balance']
        """
        return build_document(self)

    def charts(self, *, standalone: bool = False) -> dict[str, alt.TopLevelMixin]:
        """Every chart of the fiche, keyed by file stem.

        Parameters
        ----------
        standalone
            Give each chart its title and subtitle (for the SVG/PNG files,
            which must say what they show once pasted elsewhere); inside the
            fiche the headings carry them.

        Returns
        -------
        dict
            ``partenaires``, ``produits``, one ``sankey_…`` per panel, then
            ``evolution`` (several years loaded), ``exposition`` and
            ``position`` (départements) — only the charts the data allow.

        Examples
        --------
        >>> from frtrade.testing import tiny_trade_flows
        >>> sorted(build_fiche(tiny_trade_flows(), Territory.resolve("36")).charts())[
        ...     :3
        ... ]
        ['exposition', 'partenaires', 'position']
        """
        return {stem: self.chart(stem, standalone=standalone) for stem in self.stems()}

    def stems(self) -> list[str]:
        """File stems of the charts the data allow (a missing flow has none).

        Returns
        -------
        list[str]
            E.g. ``["partenaires", "produits", "sankey_export_territoire", ...]``.

        Examples
        --------
        >>> from frtrade.testing import tiny_trade_flows
        >>> build_fiche(tiny_trade_flows(), Territory.resolve("36")).stems()[:2]
        ['partenaires', 'produits']
        """
        return list(self._stems)

    @cached_property
    def _stems(self) -> tuple[str, ...]:
        """The stems, worked out once (a write asks for them many times)."""
        out = []
        if all(self.available.values()):
            out.append("partenaires")
        if any(self.available.values()):
            out.append("produits")
        out += [panel.key for panel in self.sankeys]
        return tuple(
            out + [s for s in ("evolution", "exposition", "position") if self._has(s)]
        )

    def exposed(self) -> pd.DataFrame:
        """Export products most exposed to the partner (empty when none).

        Returns
        -------
        pandas.DataFrame
            :class:`~frtrade.schemas.ExposureProducts` rows of the exports.

        Examples
        --------
        >>> from frtrade.testing import tiny_trade_flows
        >>> fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
        >>> fiche.exposed()[["partner", "code", "value_eur"]].to_dict("records")
        [{'partner': 'US', 'code': 'C21Z', 'value_eur': 600.0}]
        """
        frame = self.exposure_products
        if frame is None:
            return frame_of_nothing()
        out: pd.DataFrame = frame[frame["flow"] == "export"].reset_index(drop=True)
        return out

    def _has(self, stem: str) -> bool:
        if stem == "evolution":
            return (
                "evolution" in self.facts
                and self.evolution is not None
                and not self.evolution.empty
            )
        if stem == "exposition":
            return self.available["export"] and not self.exposed().empty
        if stem == "position":  # a rank only with the territory's exports known
            return (
                self.ranks is not None
                and self.territory.level == "departement"
                and self.available["export"]
                and bool(
                    (
                        (self.ranks["territory"] == self.territory.slug)
                        & (self.ranks["metric"] == "export_eur")
                        & self.ranks["value"].notna()
                    ).any()
                )
            )
        return False

    def chart(self, stem: str, *, standalone: bool = False) -> alt.TopLevelMixin:
        """One chart of the fiche by file stem (see :meth:`charts`).

        Parameters
        ----------
        stem
            As in :meth:`stems`.
        standalone
            As in :meth:`charts`.

        Returns
        -------
        altair chart
            The chart, with its source line (« Source : DGDDI – DSECE », or
            « Source : DONNÉES FICTIVES (frtrade) » for the embedded dataset).

        Examples
        --------
        >>> from frtrade.testing import tiny_trade_flows
        >>> fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
        >>> type(fiche.chart("produits")).__name__
        'LayerChart'
        """
        title, subtitle = self._headings(stem) if standalone else (None, None)
        kwargs = _chart_kwargs(
            title=title, subtitle=subtitle, fictitious=self.fictitious
        )
        with unchecked():  # see charts._common.unchecked
            return self._chart(stem, kwargs)

    def _drawn_chart(self, stem: str) -> alt.TopLevelMixin:
        """The fiche's chart for frtrade's own rendering, never handed out.

        Built with its layers shared rather than deep-copied
        (:func:`frtrade.charts._common.sharing_layers`): the same spec as
        :meth:`chart`, in about half the time.
        """
        kwargs = _chart_kwargs(title=None, subtitle=None, fictitious=self.fictitious)
        with unchecked(), sharing_layers():
            return self._chart(stem, kwargs)

    def _chart(self, stem: str, kwargs: dict[str, Any]) -> alt.TopLevelMixin:
        if stem == "partenaires":
            return butterfly_chart(self.partners, colors=self.colors, **kwargs)
        if stem == "produits":
            flows = tuple(f for f in ("import", "export") if self.available[f])
            return treemap_chart(
                self.products, colors=self.colors, flows=flows, **kwargs
            )
        if stem == "evolution":
            return evolution_chart(self.evolution, colors=self.colors, **kwargs)  # type: ignore[arg-type]
        if stem == "exposition":
            return exposure_chart(self.exposed(), colors=self.colors, **kwargs)
        if stem == "position":
            return position_chart(
                self.ranks,  # type: ignore[arg-type]
                self.territory.slug,
                names={self.territory.slug: self.territory.name},
                colors=self.colors,
                **kwargs,
            )
        panel = next(p for p in self.sankeys if p.key == stem)
        return sankey_chart(panel.links, colors=self.colors, **kwargs)

    def _headings(self, stem: str) -> tuple[str, str | None]:
        """Title and subtitle of the standalone chart ``stem``."""
        name = self.territory.name
        in_meur = f"{name}, {self.period} – millions d'euros"
        if stem == "partenaires":
            return "Principaux pays à l'import et à l'export", in_meur
        if stem == "produits":
            return "Principales activités à l'export et à l'import", in_meur
        if stem == "evolution":
            years = self.facts["evolution"]["years"]
            title = f"Évolution des échanges, {years[0]}–{years[-1]}"
            quarters = compared_quarters(self.facts)
            if quarters is not None:  # a year in progress: its quarters, every year
                kept = (
                    quarters_phrase(quarters) if quarters else "trimestres disponibles"
                )
                name = f"{name}, {kept} de chaque année"
            return title, f"{name} – millions d'euros"
        if stem == "exposition":
            title = f"Produits exportés vers {partner_name(self.partner)}"
            return title, f"{name}, {self.period}"
        if stem == "position":
            return "Exportations des départements", None
        panel = next(p for p in self.sankeys if p.key == stem)
        return _sankey_headings(
            panel.territory, panel.flow, panel.period or self.period
        )

    def standalone_title(self, stem: str) -> dict[str, Any]:
        """The ``title`` of the standalone chart's Vega-Lite spec.

        The standalone chart (``chart(stem, standalone=True)``) is the fiche's
        chart with this title and nothing else changed, so a writer builds
        each chart once and gives the chart files their title from here
        (the test suite checks the two specs agree on every chart).

        Parameters
        ----------
        stem
            As in :meth:`stems`.

        Returns
        -------
        dict
            The top-level ``title`` of the spec.

        Examples
        --------
        >>> from frtrade.testing import tiny_trade_flows
        >>> fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
        >>> fiche.standalone_title("position")["text"]
        'Exportations des départements'
        """
        pal = palette(self.colors)
        title, subtitle = self._headings(stem)
        if stem == "position":
            subtitle = rank_line(self.ranks, self.territory.slug)  # type: ignore[arg-type]
        with unchecked():
            if stem in ("evolution", "exposition", "position"):
                params = plain_title(title, subtitle, pal.muted)
            else:
                params = title_params(title, subtitle, pal)
        assert params is not None  # a standalone chart always has a title
        heading: dict[str, Any] = params.to_dict(validate=False)  # built unchecked
        return heading

    def tables(self) -> dict[str, pd.DataFrame]:
        """The table behind each chart, keyed by file stem.

        Returns
        -------
        dict
            ``partenaires``, ``produits``, one ``sankey_…`` per panel, and
            ``evolution`` / ``exposition`` when the fiche draws them.

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
        if self._has("evolution"):
            out["evolution"] = self.evolution  # type: ignore[assignment]
        if self._has("exposition"):
            out["exposition"] = self.exposed()
        return out

    def shared_key(self, stem: str, variant: str) -> str | None:
        """Batch-cache key of a région or France Sankey (the same in every fiche), else None.

        A région's or France's own fiche shares its Sankeys too: they are
        the picture every other fiche of the batch shows for it.

        Parameters
        ----------
        stem
            Chart stem.
        variant
            ``"doc"`` (inside the fiche) or ``"file"`` (standalone file).

        Returns
        -------
        str or None
            The key, or None for the charts no other fiche shows.

        Examples
        --------
        >>> from frtrade.testing import tiny_trade_flows
        >>> fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
        >>> fiche.shared_key("sankey_export_france", "doc")  # France: all 4 quarters
        'france:export:2024:2024:default:10:a129:doc'
        >>> fiche.shared_key("sankey_export_region-24", "doc")
        'region-24:export:2024:2024, trimestres 1 à 3:default:10:a129:doc'
        >>> fiche.shared_key("sankey_export_territoire", "doc") is None  # Indre's own
        True
        """
        for panel in self.sankeys:
            if panel.key == stem and panel.territory.level in ("region", "france"):
                return _shared_key(
                    panel.territory, panel.flow, year=self.year,
                    period=panel.period or self.period, colors=self.colors,
                    variant=variant, fictitious=self.fictitious,
                    shape=f"{self.n}:{self.product_level}",
                )  # fmt: skip
        return None

    # ------------------------------------------------------------ writing

    def write(
        self,
        out_dir: str | Path,
        *,
        formats: Sequence[str] = FICHE_FORMATS,
        renderer: ChartCache | None = None,
        csv_dialect: Literal["standard", "excel-fr"] = "standard",
        jobs: int | None = None,
    ) -> dict[str, list[Path]]:
        """Write the fiche's files: staged beside ``out_dir``, then moved into place.

        Every file is first written into a per-run staging folder next to
        the target; when all are complete, the folder replaces ``out_dir`` as
        a whole (no stale file of an earlier run survives). A failure, a full
        disk or Ctrl-C leaves the previous complete folder, or nothing.

        Parameters
        ----------
        out_dir
            Target folder (replaced).
        formats
            Any registered format: ``html`` (self-contained page), ``pdf``
            (A4), ``svg`` and ``png`` (each chart), ``csv`` (each table),
            ``json`` (facts), ``xlsx`` (one workbook: key figures and every
            table).
        renderer
            A cache of rendered charts shared between fiches (the région and
            France Sankeys repeat across a batch).
        csv_dialect
            ``"standard"`` or ``"excel-fr"`` (``;``, decimal comma, BOM).
        jobs
            Processes rendering the charts in parallel. None (default): the
            process's shared :func:`~frtrade.render.render_pool`, started on
            the first write (none on a single core); 1: render here. The files
            are the same either way.

        Returns
        -------
        dict
            Written paths (in their final place) by format.

        Raises
        ------
        ValueError
            For an unknown format.
        OutputError
            When the folder cannot be written (names it and the reason).

        Examples
        --------
        >>> import tempfile
        >>> from frtrade.testing import tiny_trade_flows
        >>> fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
        >>> written = fiche.write(tempfile.mkdtemp(), formats=["json", "csv"])
        >>> [p.name for p in written["json"]], len(written["csv"])
        (['facts.json'], 9)
        """
        from ._write import write_fiche

        return write_fiche(
            self,
            Path(out_dir),
            formats=formats,
            renderer=renderer,
            csv_dialect=csv_dialect,
            jobs=jobs,
        )

    def html(self, *, standalone: bool = True, embed_font: bool = True) -> str:
        """The fiche as an HTML page (charts inline as SVG).

        Parameters
        ----------
        standalone
            A whole document (``<!DOCTYPE html>…``); False gives a fragment
            (for Jupyter).
        embed_font
            Embed the shipped font (base64) so the page looks the same on
            every machine.

        Returns
        -------
        str
            The HTML.

        Examples
        --------
        >>> from frtrade.testing import tiny_trade_flows
        >>> page = build_fiche(tiny_trade_flows(), Territory.resolve("36")).html(
        ...     embed_font=False
        ... )
        >>> page.startswith("<!DOCTYPE html>"), 'lang="fr"' in page
        (True, True)
        """
        from ._html import render_html

        cache = ChartCache()
        svgs = {
            stem: cache.render(stem, self._drawn_chart(stem), "svg").decode("utf-8")
            for stem in self.stems()
        }
        return render_html(
            self.document(), svgs, standalone=standalone, embed_font=embed_font
        )

    def _repr_html_(self) -> str:
        """The fiche inline in Jupyter (an HTML fragment, the font named, not embedded)."""
        return self.html(standalone=False, embed_font=False)


def _drawn(
    chart: alt.TopLevelMixin | Callable[[], alt.TopLevelMixin],
) -> alt.TopLevelMixin:
    """The chart itself, from a chart or a function building it."""
    return chart if hasattr(chart, "to_dict") else chart()


@dataclass
class _Job:
    """Pictures being rendered in the pool: one chart, or a titled pair."""

    future: Future[Any]
    keys: tuple[str, ...]
    again: Callable[[], tuple[Mapping[str, bytes | str], ...]]

    def results(self) -> tuple[Mapping[str, bytes | str], ...]:
        """The rendered formats, one mapping per key (rendered here if the pool broke)."""
        from frtrade.render import RenderPoolBrokenError

        try:
            out = self.future.result()
        except RenderPoolBrokenError:  # a render process died: render here
            return self.again()
        return tuple(out) if len(self.keys) > 1 else (out,)


class ChartCache:
    """Rendered charts by key and format, shared by fiches and started early.

    A batch shares one cache: the charts that repeat across fiches (the
    région and France Sankeys) are rendered once. With a
    :class:`~frtrade.render.RenderPool`, :meth:`prefetch` starts a chart in
    the pool and :meth:`render` collects it: :func:`build_fiche` given such a
    cache hands over the comparison Sankeys as soon as their tables exist,
    before it computes the territory's own indicators.

    Parameters
    ----------
    pool
        Processes to render in (None: render in this process, when asked).
    formats
        The formats of the fiches being written (what :meth:`prefetch`
        starts; default: every format).
    folder
        A folder shared by the processes of a batch: a picture missing here
        is read from it when another process has written it there (:meth:`save`).
    """

    def __init__(
        self,
        pool: RenderPool | None = None,
        formats: Sequence[str] = FICHE_FORMATS,
        folder: str | Path | None = None,
    ) -> None:
        self._store: dict[tuple[str, str], bytes] = {}
        self._pending: dict[str, _Job] = {}
        self.pool = pool
        self.formats = tuple(formats)
        self.folder = None if folder is None else Path(folder)

    def __getstate__(self) -> dict[str, Any]:
        """What a batch worker receives: the rendered files, no pool or future."""
        return {"_store": self._store, "formats": self.formats, "folder": self.folder}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(  # type: ignore[misc]
            None, state.get("formats", FICHE_FORMATS), state.get("folder")
        )
        self._store.update(state["_store"])

    def save(self, folder: str | Path) -> int:
        """Write every picture of the store into ``folder`` for other processes.

        Each file is written under a temporary name and renamed, so a reader
        never sees half a picture.

        Parameters
        ----------
        folder
            An existing folder (the ``folder`` of the caches reading them).

        Returns
        -------
        int
            Pictures written.

        Examples
        --------
        >>> import tempfile
        >>> cache = ChartCache()
        >>> cache.store[("sankey:france", "svg")] = b"<svg/>"
        >>> folder = tempfile.mkdtemp()
        >>> cache.save(folder)
        1
        >>> reader = ChartCache(folder=folder)
        >>> reader.render("sankey:france", lambda: 1 / 0, "svg")
        b'<svg/>'
        """
        import os

        written = 0
        for slot, blob in self._store.items():
            path = Path(folder) / _slot_file(slot)
            if path.exists():
                continue
            part = path.with_name(f".{path.name}.{os.getpid()}")
            part.write_bytes(blob)
            part.replace(path)
            written += 1
        return written

    def _from_folder(self, slot: tuple[str, str]) -> None:
        """Read a picture another process saved in :attr:`folder`, if any."""
        if self.folder is None or slot in self._store:
            return
        path = self.folder / _slot_file(slot)
        if path.is_file():
            self._store[slot] = path.read_bytes()

    @property
    def store(self) -> dict[tuple[str, str], bytes]:
        """Rendered files by (key, format) (what :meth:`save` writes to a folder).

        Examples
        --------
        >>> ChartCache().store
        {}
        """
        return self._store

    def prefetch(
        self,
        key: str,
        chart: alt.TopLevelMixin | Callable[[], alt.TopLevelMixin],
        formats: Sequence[str],
    ) -> None:
        r"""Start rendering ``chart`` in ``formats`` in the pool (no pool: nothing).

        Parameters
        ----------
        key
            Identity of the chart (same key, same picture).
        chart
            The chart, or a function building it (called only when the
            pool will render it).
        formats
            ``svg``, ``png``, ``pdf``.

        Examples
        --------
        >>> import altair as alt, pandas as pd
        >>> from frtrade.render import RenderPool
        >>> chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point()
        >>> with RenderPool(1) as pool:
        ...     cache = ChartCache(pool)
        ...     cache.prefetch("point", chart, ["svg", "png"])
        ...     cache.render("point", chart, "png")[:4]
        b'\x89PNG'
        """
        if self.pool is None or not formats or key in self._pending:
            return
        if all((key, fmt) in self._store for fmt in formats):
            return
        from frtrade.render import chart_spec, render_formats

        drawn = _drawn(chart)
        self._pending[key] = _Job(
            self.pool.submit(chart_spec(drawn), formats),
            (key,),
            lambda: (render_formats(drawn, list(formats)),),
        )

    def prefetch_titled(
        self,
        keys: tuple[str, str],
        chart: alt.TopLevelMixin | Callable[[], alt.TopLevelMixin],
        title: dict[str, Any],
        titled_formats: Sequence[str],
        untitled_formats: Sequence[str],
    ) -> None:
        """Start a chart and its titled variant in the pool (one Vega run).

        See :func:`~frtrade.render.render_titled`.

        Parameters
        ----------
        keys
            Keys of the titled and of the untitled picture.
        chart
            The untitled chart, or a function building it.
        title
            The titled variant's top-level ``title``.
        titled_formats, untitled_formats
            Formats of each variant.

        Examples
        --------
        >>> import altair as alt, pandas as pd
        >>> from frtrade.render import RenderPool
        >>> chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point()
        >>> with RenderPool(1) as pool:
        ...     cache = ChartCache(pool)
        ...     cache.prefetch_titled(
        ...         ("t", "u"), chart, {"text": "A"}, ["svg"], ["svg"]
        ...     )
        ...     b"A</text>" in cache.render_titled(
        ...         ("t", "u"),
        ...         chart,
        ...         {"text": "A"},
        ...         "svg",
        ...         standalone=True,
        ...         titled_formats=["svg"],
        ...         untitled_formats=["svg"],
        ...     )
        True
        """
        if self.pool is None or keys[0] in self._pending:
            return
        if not titled_formats and not untitled_formats:
            return
        for key, formats in zip(keys, (titled_formats, untitled_formats), strict=True):
            for f in formats:
                self._from_folder((key, f))
        if all((keys[0], f) in self._store for f in titled_formats) and all(
            (keys[1], f) in self._store for f in untitled_formats
        ):
            return
        from frtrade.render import chart_spec, render_titled

        drawn = _drawn(chart)
        spec = chart_spec(drawn)
        job = _Job(
            self.pool.submit_titled(spec, title, titled_formats, untitled_formats),
            keys,
            lambda: render_titled(spec, title, titled_formats, untitled_formats),
        )
        self._pending[keys[0]] = self._pending[keys[1]] = job

    def render_titled(
        self,
        keys: tuple[str, str],
        chart: alt.TopLevelMixin | Callable[[], alt.TopLevelMixin],
        title: dict[str, Any],
        fmt: str,
        *,
        standalone: bool,
        titled_formats: Sequence[str],
        untitled_formats: Sequence[str],
    ) -> bytes:
        """One variant of a chart drawn with and without ``title``, both rendered once per key.

        Parameters
        ----------
        keys
            Keys of the titled and of the untitled picture.
        chart
            The untitled chart, or a function building it (called on a miss).
        title
            The titled variant's top-level ``title``.
        fmt
            ``svg``, ``png`` or ``pdf``.
        standalone
            The titled variant (else the untitled one).
        titled_formats, untitled_formats
            Every format of each variant to render on a miss.

        Returns
        -------
        bytes
            The rendered file.

        Examples
        --------
        >>> import altair as alt, pandas as pd
        >>> chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point()
        >>> cache = ChartCache()
        >>> svg = cache.render_titled(
        ...     ("t", "u"),
        ...     chart,
        ...     {"text": "Titre"},
        ...     "svg",
        ...     standalone=False,
        ...     titled_formats=["svg"],
        ...     untitled_formats=["svg"],
        ... )
        >>> b"Titre" in svg, b"Titre" in cache.store[("t", "svg")]
        (False, True)
        """
        from frtrade.render import chart_spec, render_chart, render_titled

        key = keys[0] if standalone else keys[1]
        slot = (key, fmt)
        if slot not in self._store and key in self._pending:
            self._finish(self._pending[key])
        self._from_folder(slot)
        if slot not in self._store:
            drawn = _drawn(chart)
            wanted = titled_formats if standalone else untitled_formats
            if fmt in wanted:
                pair = render_titled(
                    chart_spec(drawn), title, titled_formats, untitled_formats
                )
                for k, rendered in zip(keys, pair, strict=True):
                    self._keep(k, rendered)
            else:
                from ._write import _Prepared

                one = _Prepared(drawn).retitled(title) if standalone else drawn
                self._store[slot] = render_chart(one, fmt)  # type: ignore[arg-type]
        return self._store[slot]

    def _finish(self, job: _Job) -> None:
        """Store a pool job's pictures (rendered here if its process died)."""
        for key in job.keys:
            self._pending.pop(key, None)
        for key, rendered in zip(job.keys, job.results(), strict=True):
            self._keep(key, rendered)

    def render(
        self,
        key: str,
        chart: alt.TopLevelMixin | Callable[[], alt.TopLevelMixin],
        fmt: str,
        formats: Sequence[str] | None = None,
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
        formats
            Every format to render on a miss (one Vega run for all of them;
            default: ``fmt`` alone).

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
        from frtrade.render import render_formats

        slot = (key, fmt)
        if slot not in self._store and key in self._pending:
            self._finish(self._pending[key])
        self._from_folder(slot)
        if slot not in self._store:
            drawn = _drawn(chart)
            wanted = list(formats or [fmt])
            if fmt not in wanted:
                wanted.append(fmt)
            self._keep(key, render_formats(drawn, wanted))
        return self._store[slot]

    def _keep(self, key: str, rendered: Mapping[str, bytes | str]) -> None:
        from ._write import as_bytes

        for fmt, blob in as_bytes(rendered).items():
            self._store[(key, fmt)] = blob


def _slot_file(slot: tuple[str, str]) -> str:
    """The file name of a picture in a shared folder (its key hashed, its format)."""
    import hashlib

    key, fmt = slot
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:40]}.{fmt}"


# --------------------------------------------------------------------------- building


def _region_of(code: str) -> Territory | None:
    return Territory.departement(code).parent()


def _comparisons(territory: Territory) -> list[Territory]:
    """Régions to compare with (each région a group touches), then France."""
    if territory.level == "france":
        return []
    if territory.level == "group" and territory.parent_region is None:
        seen: dict[str, Territory] = {}
        for code in territory.departements:
            region = _region_of(code)
            if region is not None:
                seen.setdefault(region.slug, region)
        return [*seen.values(), Territory.france()]
    parent = territory.parent()
    return [parent, Territory.france()] if parent is not None else [Territory.france()]


def _sankey_periods(
    flows: pd.DataFrame,
    territory: Territory,
    comparisons: Sequence[Territory],
    own: Coverage,
) -> dict[tuple[Territory, str], str]:
    """The period each Sankey's data cover: one flow of one territory, in the fiche's year.

    A Sankey shows one flow, so its period is that flow's quarters (exports
    may cover more quarters than imports). A région or France holds every
    row of a territory inside it: when the territory's flow covers the whole
    year, so does theirs and nothing is scanned. Otherwise (quarters missing,
    or a group spanning two régions) the compared territory's quarters are
    read: its Sankey shows all of them, and its heading must say so.
    """
    out = {
        (territory, f): quarters_label(own.year, own.quarters.get(f, ())) for f in FLOWS
    }
    whole = str(own.year)
    for compared in comparisons:
        inside = compared.level == "france" or territory.parent() == compared
        read: Coverage | None = None
        for flow in FLOWS:
            if inside and own.quarters.get(flow) == (1, 2, 3, 4):
                out[(compared, flow)] = whole
                continue
            if read is None:
                read = data_coverage(flows, compared, year=own.year)
            out[(compared, flow)] = quarters_label(own.year, read.quarters[flow])
    return out


def frame_of_nothing() -> pd.DataFrame:
    """An empty table."""
    import pandas as pd

    return pd.DataFrame()


def _indicator_tables(
    flows: pd.DataFrame,
    territory: Territory,
    *,
    year: int,
    tables: TerritoryTables | None,
    partner: str,
    labels: Labels,
    own: Mapping[str, pd.DataFrame] | None = None,
) -> dict[str, pd.DataFrame]:
    """Evolution, exposure products and ranks: from the batch's tables when given.

    ``own``: the indicators :func:`_own_indicators` computed for a fiche alone.
    """
    if own is not None and "evolution" in own:
        out = {
            "evolution": own["evolution"],
            "exposure_products": own["exposure_products"],
        }
        if "all_ranks" in own:
            out["ranks"] = own["all_ranks"]
        elif tables is not None and "ranks" in tables.indicators:
            # a batch's territory: its own ranks are in ``own``, the position
            # chart needs every département's
            out["ranks"] = tables.indicators["ranks"]
        return out
    if (
        tables is not None
        and {"evolution", "exposure_products", "ranks"} <= set(tables.indicators)
        and territory.slug in set(tables.totals["territory"])
    ):
        exposed = tables.table("exposure_products", territory)
        if (exposed["partner"] == partner).all():  # computed for this partner
            return {
                "evolution": tables.table("evolution", territory),
                "exposure_products": exposed,
                "ranks": tables.indicators["ranks"],
            }
    names = ["evolution", "exposure_products"]
    if territory.level == "departement":
        names.append("ranks")
    own = compute_indicators(
        flows, territory, year=year, names=names[:2], partner=partner, labels=labels
    )
    out = dict(own)
    if territory.level == "departement":
        out["ranks"] = compute_indicators(
            flows, None, year=year, names=["ranks"], partner=partner, labels=labels
        )["ranks"]
    return out


def _comparison_links(
    flows: pd.DataFrame,
    territory: Territory,
    flow: str,
    *,
    year: int,
    tables: TerritoryTables | None,
    batch: set[str],
    labels: Labels,
    n: int,
    level: Literal["a129", "a38", "a17", "cpf4"],
) -> pd.DataFrame:
    """The Sankey links of a compared territory (from the batch's tables when there)."""
    if tables is not None and territory.slug in batch:
        frame = tables.table("sankey", territory)
        out: pd.DataFrame = frame[frame["flow"] == flow].reset_index(drop=True)
        return out
    return sankey_links(
        flows, territory, flow=flow, year=year, labels=labels, n_products=n,  # type: ignore[arg-type]
        n_countries=n, level=level,
    )  # fmt: skip


def _own_indicators(
    flows: pd.DataFrame,
    territory: Territory,
    *,
    year: int | None,
    labels: Labels,
    n: int,
    level: Literal["a129", "a38", "a17", "cpf4"],
    partner: str,
) -> dict[str, pd.DataFrame]:
    """The indicators of the facts and of the fiche's charts, each computed once.

    The facts' tables (:data:`~frtrade.indicators._facts.FACTS_INDICATORS`)
    for the territory, plus ``all_ranks``: the ranks of every département
    (the position chart), from which a département's own ranks are taken.
    """
    names = list(FACTS_INDICATORS)
    departement = territory.level == "departement"
    if departement:
        names.remove("ranks")
    out = dict(
        compute_indicators(
            flows, territory, year=year, names=names, level=level, partner=partner,
            n=n, labels=labels,
        )
    )  # fmt: skip
    if departement:
        all_ranks = compute_indicators(
            flows, None, year=year, names=["ranks"], partner=partner, labels=labels
        )["ranks"]
        mine = all_ranks[all_ranks["territory"] == territory.slug]
        out["ranks"] = mine.reset_index(drop=True)
        out["all_ranks"] = all_ranks
    return out


def _balance_known(
    partners: pd.DataFrame, ranks: pd.DataFrame | None, *, balanced: bool
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The partners and ranks tables, without balances when the flows' quarters differ.

    Exports of quarters 1 to 3 less imports of quarters 1 and 2 is a number
    of no period: each partner's balance becomes unknown (NaN) and the
    ranks of the balance and of the coverage rate are left out.
    """
    if balanced:
        return partners, ranks
    partners = partners.assign(balance_eur=float("nan"))
    if ranks is not None:
        mixed = ranks["metric"].isin(["balance_eur", "coverage_rate"])
        ranks = ranks[~mixed].reset_index(drop=True)
    return partners, ranks


def _availability(facts: dict[str, Any]) -> dict[str, bool]:
    """Flow -> whether the territory has rows for it (``facts["data"]["coverage"]``)."""
    coverage = facts["data"]["coverage"]
    return {flow: bool(coverage[flow]["available"]) for flow in ("export", "import")}


def _notes(facts: dict[str, Any]) -> tuple[str, ...]:
    """Notes on missing or partial data: the indicators' wording (``facts["data"]["notes"]``)."""
    return tuple(str(n) for n in (facts.get("data") or {}).get("notes") or ())


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
    n: int = 10,
    level: Literal["a129", "a38", "a17", "cpf4"] = "a129",
    overrides: FicheOverrides | Mapping[str, Any] | None = None,
    partner: str = "US",
    renderer: ChartCache | None = None,
    quarters_filter: Sequence[int] | None = None,
) -> Fiche:
    """Gather everything the fiche of a territory shows.

    Parameters
    ----------
    flows
        A :class:`~frtrade.schemas.TradeFlows` table.
    territory
        Whose fiche.
    year
        The year (default: the latest year of the data).
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
    n
        Products and countries detailed (the rest is « autres »).
    level
        Product nomenclature (``a129``, ``a38``, ``a17``, ``cpf4``).
    overrides
        User text blocks: a :class:`FicheOverrides`, a mapping (same keys as
        the overrides file) or None (see :func:`load_overrides`).
    partner
        Partner of the "Exposition" section (DGDDI country code, e.g. ``CN``).
    renderer
        A :class:`ChartCache` with a render pool, to give to
        :meth:`~Fiche.write` too: the comparison Sankeys (région, France),
        whose tables come first, are rendered while the rest is computed.
    quarters_filter
        The quarters ``flows`` were restricted to (the command line's
        ``--quarters``): missing data are then said missing for those
        quarters, not for the year (see :func:`~frtrade.indicators.data_coverage`).

    Returns
    -------
    Fiche
        The fiche, ready to :meth:`~Fiche.write`.

    Raises
    ------
    ValueError
        When ``quarters_filter`` is set and the rows hold another quarter
        (see :func:`~frtrade.indicators.check_quarters_filter`).

    Examples
    --------
    >>> from frtrade.datasets import load_fictitious_dataset
    >>> data = load_fictitious_dataset()
    >>> fiche = build_fiche(data.flows, Territory.resolve("36"), report=data.report)
    >>> print(fiche.sentence("export").replace("\u202f", " "))
    Total des exportations : 1 274,7 millions d'euros, soit 4,6 % de la valeur exportée par la région Centre-Val de Loire, soit 0,22 % de la valeur exportée au niveau national
    >>> [p.title for p in fiche.sankeys][:3]
    ["Flux à l'export par produit et par pays, Indre", "Flux à l'export, Centre-Val de Loire", "Flux à l'export, France entière"]
    """  # noqa: E501
    labels = labels or Labels.shipped()
    if overrides is not None and not isinstance(overrides, FicheOverrides):
        overrides = FicheOverrides.from_mapping(overrides)
    usable = tables is not None and n == 10 and level == "a129"
    batch = set(tables.totals["territory"]) if usable and tables is not None else set()

    def tables_of(t: Territory) -> TerritoryTables:
        if tables is not None and t.slug in batch:
            return tables.for_territory(t)
        return territory_tables(flows, t, year=year, labels=labels, n=n, level=level)

    # The comparison Sankeys first: their tables need nothing of the territory
    # but its coverage, and a renderer can draw them while the rest is computed.
    coverage = data_coverage(
        flows, territory, year=year, quarters_filter=quarters_filter
    )
    comparisons = _comparisons(territory)
    periods = _sankey_periods(flows, territory, comparisons, coverage)
    compared: dict[tuple[Territory, str], pd.DataFrame] = {}
    for flow in ("export", "import"):
        if coverage.available.get(flow, False):
            for t in comparisons:
                compared[(t, flow)] = _comparison_links(
                    flows, t, flow, year=coverage.year, tables=tables, batch=batch,
                    labels=labels, n=n, level=level,
                )  # fmt: skip
    if renderer is not None:
        _prefetch_comparisons(
            renderer, compared, year=coverage.year, periods=periods, colors=colors,
            fictitious=bool(report.fictitious) if report else False,
            shape=f"{n}:{level}",
        )  # fmt: skip
    own = tables_of(territory)
    if not own.indicators:  # one fiche alone: every indicator computed once
        own = replace(
            own,
            indicators=_own_indicators(
                flows, territory, year=year, labels=labels, n=n, level=level,
                partner=partner,
            ),
        )  # fmt: skip
    facts = headline_facts(
        flows, territory, year=year, report=report, labels=labels, tables=own,
        n=n, level=level, partner=partner, coverage=coverage,
    )  # fmt: skip
    y = int(facts["year"])
    extra = _indicator_tables(
        flows, territory, year=y, tables=tables, partner=partner, labels=labels,
        own=own.indicators,
    )  # fmt: skip
    period = period_label(facts)
    available = _availability(facts)
    partners, ranks = _balance_known(
        own.partners.reset_index(drop=True),
        extra.get("ranks"),
        balanced=coverage.balanced,
    )

    def table_of(t: Territory, kind: str, flow: str | None = None) -> pd.DataFrame:
        frame: pd.DataFrame = getattr(own, kind)
        if flow is not None:
            frame = frame[frame["flow"] == flow]
        out: pd.DataFrame = frame.reset_index(drop=True)
        return out

    panels: list[SankeyPanel] = []
    for flow in ("export", "import"):
        if not available[flow]:
            continue
        noun, _, heading, short = _FLOW_WORDS[flow]
        for t in [territory, *comparisons]:
            links = table_of(t, "sankey", flow) if t == territory else compared[t, flow]
            name = "France entière" if t.level == "france" else t.name
            if t == territory:
                caption = ""
                title = f"{_OWN_TITLES[flow]}, {name}"
            else:
                total = float(links["value_eur"].sum())
                caption = f"Total des {noun} : {_meur_text(total)} millions d'euros"
                title = f"{heading}, {name}"
            kind = "territoire" if t == territory else t.slug
            panels.append(
                SankeyPanel(
                    territory=t, flow=flow, links=links, title=title, caption=caption,
                    key=f"sankey_{short}_{kind}", period=periods[(t, flow)],
                )
            )  # fmt: skip
    return Fiche(
        territory=territory,
        year=y,
        facts=facts,
        partners=partners,
        products=table_of(territory, "products"),
        sankeys=panels,
        fictitious=bool(report.fictitious) if report else False,
        files=list(report.files) if report else [],
        territoires_industrie=list(territoires_industrie or []),
        colors=colors,
        n=n,
        product_level=level,
        overrides=overrides,
        compared_regions=tuple(t for t in comparisons if t.level == "region"),
        available=available,
        period=period,
        notes=_notes(facts),
        partner=partner,
        evolution=extra.get("evolution"),
        exposure_products=extra.get("exposure_products"),
        ranks=ranks,
    )
