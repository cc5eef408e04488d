"""The fiche's numbers for one territory as a JSON-ready dict (facts.json)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from frtrade.dgddi import Labels, LoadReport
from frtrade.indicators._core import (
    _TABLES,
    _VALUE,
    ProductLevel,
    TerritoryTables,
    _year,
    available_years,
    territory_key,
    territory_tables,
)
from frtrade.indicators._coverage import Coverage, data_coverage
from frtrade.indicators._registry import compute_indicators
from frtrade.schemas import FLOWS

if TYPE_CHECKING:
    from collections.abc import Hashable, Mapping, Sequence

    from frtrade.territories import Territory

__all__ = ["FACTS_SCHEMA_VERSION", "headline_facts"]

#: Version of the facts layout (2: coverage keys and issue 11 indicators).
FACTS_SCHEMA_VERSION = 2

#: The registered indicators the facts read.
FACTS_INDICATORS = (
    "evolution",
    "contributions",
    "exposure",
    "exposure_products",
    "dependence",
    "concentration",
    "specialisation",
    "balance_contribution",
    "ranks",
)


def _num(value: object) -> float | None:
    """A finite float, or None (for JSON: NaN is not valid JSON)."""
    if value is None or value is pd.NA:
        return None
    number = float(value)  # type: ignore[arg-type]
    return number if np.isfinite(number) else None


def headline_facts(
    flows: pd.DataFrame,
    territory: Territory,
    *,
    year: int | None = None,
    report: LoadReport | None = None,
    labels: Labels | None = None,
    n: int = 10,
    k: int = 5,
    level: ProductLevel = "a129",
    tables: TerritoryTables | None = None,
    partner: str = "US",
    coverage: Coverage | None = None,
    quarters_filter: Sequence[int] | None = None,
) -> dict[str, Any]:
    """The fiche's numbers for one territory, as a plain JSON-ready dict.

    Parameters
    ----------
    flows
        A :class:`~frtrade.schemas.TradeFlows` table.
    territory
        The territory.
    year
        The year (default: the latest year of the data).
    report
        The load report (for the ``data`` block: files, fictitious flag).
    labels
        Names (default: frtrade's shipped labels).
    n, k, level
        As in :func:`products` and :func:`sankey_links`.
    tables
        Precomputed tables holding this territory (from :func:`territory_tables`
        or :func:`all_territories`, made with the same ``n``, ``k``, ``level``;
        with ``indicators=True`` its issue 11 tables are reused).
    partner
        Partner of the ``exposure`` block (DGDDI country code, default US).
    coverage
        ``data_coverage(flows, territory, year=year)`` when already known
        (read again when it is for another year).
    quarters_filter
        The quarters ``flows`` were restricted to (the command line's
        ``--quarters``), for the coverage notes and ``data.quarters_filter``
        (see :func:`data_coverage`).

    Returns
    -------
    dict
        ``schema_version``, ``territory``, ``year``, ``quarters``,
        ``export`` / ``import`` (``total_eur``, ``share_of_region``,
        ``share_of_france``, and ``shares_quarters`` when the région or
        France has data for more quarters than the territory: the shares are
        then computed on the territory's quarters, listed there),
        ``balance_eur``, ``coverage_rate``, ``partners``, ``products``,
        ``sankey``, ``data`` (with ``coverage``, ``complete``,
        ``period_label``, ``notes`` and ``findings``), and the issue 11
        blocks ``evolution`` (only when several years are loaded; each
        flow's block has ``quarters`` when the year is in progress: every
        year is then compared on these quarters only; and
        ``missing_quarters``, with no change, when the territory has no row
        in some of them), ``exposure``,
        ``dependence``, ``concentration``, ``specialisation`` and ``ranks``
        (départements only). Shares are fractions; values are unrounded
        euros; ``None`` where a share has no parent, a ratio a zero
        denominator, or the flow is unavailable (never 0).

    Raises
    ------
    ValueError
        When ``quarters_filter`` is set and the rows hold another quarter
        (see :func:`~frtrade.indicators.check_quarters_filter`).

    Examples
    --------
    >>> from frtrade.territories import Territory
    >>> from frtrade.testing import tiny_trade_flows
    >>> facts = headline_facts(tiny_trade_flows(), Territory.resolve("36"))
    >>> facts["import"]["total_eur"], round(facts["import"]["share_of_region"], 4)
    (600.0, 0.6667)
    >>> facts["balance_eur"]
    400.0

    Indre exports in quarters 1 and 2, its région (Cher) in quarter 3 too: the
    export shares compare quarters 1 and 2.

    >>> facts["export"]["share_of_region"], facts["export"]["shares_quarters"]
    (1.0, [1, 2])
    >>> facts["schema_version"], facts["data"]["period_label"]
    (2, '2024, trimestres 1 et 2')
    >>> facts["concentration"]["export"]
    {'hhi_partners': 5200.0, 'hhi_products': 8200.0, 'n80_partners': 2}
    """
    y = _year(flows, year)
    labels = labels or Labels.shipped()
    if tables is None:
        tables = territory_tables(
            flows, territory, year=y, n=n, k=k, level=level, labels=labels
        )
    else:
        tables = _of_territory(tables, territory_key(territory))
        if tables.totals.empty:  # not among the precomputed territories
            tables = territory_tables(
                flows, territory, year=y, n=n, k=k, level=level, labels=labels
            )
    if coverage is None or coverage.year != y:
        coverage = data_coverage(
            flows, territory, year=y, quarters_filter=quarters_filter
        )
    available = coverage.available
    both = coverage.balanced  # both flows, over the same quarters
    share_rows = {str(r["flow"]): r for r in tables.shares.to_dict("records")}
    total_row = tables.totals.to_dict("records")[0]
    quarters = sorted({q for f in FLOWS for q in coverage.quarters[f]})
    partner_table = tables.partners
    product_table = tables.products
    territory_dict = territory.to_dict()
    territory_dict.pop("departements")
    if territory.level == "group":
        territory_dict["departements"] = list(territory.departements)

    def flow_block(flow: str) -> dict[str, float | None]:
        row = share_rows[flow]
        if not available[flow]:
            return {"total_eur": None, "share_of_region": None, "share_of_france": None}
        block: dict[str, Any] = {
            "total_eur": float(row[_VALUE]),
            "share_of_region": _num(row["share_of_region"]),
            "share_of_france": _num(row["share_of_france"]),
        }
        restricted = row.get("shares_quarters")
        if isinstance(restricted, str) and restricted:
            # shares on the territory's quarters (the région or France has more)
            block["shares_quarters"] = [int(q) for q in restricted.split(",")]
        return block

    link_columns = {
        c: c
        for c in ("source", "target", "source_name", "target_name", _VALUE, "highlight")
    }
    links = tables.sankey.to_dict("records")
    sankey = {
        flow: _project(_of_flow(links, flow), link_columns) if available[flow] else []
        for flow in FLOWS
    }
    partner_columns = {
        c: c for c in ("code", "name", "export_eur", "import_eur", "balance_eur")
    }
    partner_records = _project(partner_table.to_dict("records"), partner_columns)
    for record in partner_records:
        for flow in FLOWS:
            if not available[flow]:
                record[f"{flow}_eur"] = None
        if not both:
            record["balance_eur"] = None
    product_columns = {c: c for c in ("code", "name", _VALUE, "share")}
    product_rows = product_table.to_dict("records")
    data: dict[str, Any] = {
        "fictitious": bool(report.fictitious) if report else False,
        "files": list(report.files) if report else [],
        "valuation": {"export": "FAB", "import": "CAF"},
        "level": level,
        **coverage.to_dict(),
    }
    if report is not None:
        data["findings"] = _findings(report)
    facts: dict[str, Any] = {
        "schema_version": FACTS_SCHEMA_VERSION,
        "territory": territory_dict,
        "year": y,
        "quarters": quarters,
        "export": flow_block("export"),
        "import": flow_block("import"),
        "balance_eur": float(total_row["balance_eur"]) if both else None,
        "coverage_rate": _num(total_row["coverage_rate"]) if both else None,
        "partners": partner_records,
        "products": {
            flow: _project(_of_flow(product_rows, flow), product_columns)
            if available[flow]
            else []
            for flow in FLOWS
        },
        "sankey": sankey,
        "data": data,
    }
    indicator_tables = dict(tables.indicators)
    if not indicator_tables or _partner_of(indicator_tables) not in (None, partner):
        indicator_tables = compute_indicators(
            flows,
            territory,
            year=y,
            names=FACTS_INDICATORS,
            level=level,
            partner=partner,
            n=n,
            labels=labels,
        )
    facts.update(
        _issue11_blocks(
            indicator_tables,
            key=territory_key(territory),
            year=y,
            years=available_years(flows),
            available=available,
            partner=partner,
            is_departement=territory.level == "departement",
            balanced=both,
        )
    )
    _no_change_over_gaps(facts.get("evolution"), coverage)
    return facts


def _no_change_over_gaps(evolution: dict[str, Any] | None, coverage: Coverage) -> None:
    """No variation for a flow the territory lacks in some of the compared quarters.

    The evolution compares the quarters the data hold in the year (all four,
    or those of a year in progress); a territory without rows in one of them
    has its data « limitées » to the others (the coverage notes): its change
    would set those quarters against the same quarters of the year before.
    Its change, rate and contributions become unknown and
    ``missing_quarters`` lists the quarters it lacks.
    """
    if not evolution:
        return
    for flow in FLOWS:
        block = evolution.get(flow)
        own = set(coverage.quarters.get(flow, ()))
        if not block or not coverage.available.get(flow, False):
            continue
        missing = sorted(set(block.get("quarters") or (1, 2, 3, 4)) - own)
        if not missing:
            continue
        block["missing_quarters"] = missing
        for name in ("change_eur", "change_pct", "cagr"):
            block[name] = None
        block["contributions"] = {k: [] for k in block["contributions"]}
        balance = evolution.get("balance") or {}
        balance["change_eur"] = None
        balance["contributions"] = {k: [] for k in balance.get("contributions", {})}


def _of_territory(tables: TerritoryTables, slug: str) -> TerritoryTables:
    """The tables of ``slug``, read only: as they are when they hold nothing else.

    The fiche hands over tables already filtered to its territory; filtering
    them again would index every table once more.
    """
    frames = [getattr(tables, name) for name in _TABLES]
    for frame in [*frames, *tables.indicators.values()]:
        index = frame.index
        if len(frame) and not (
            isinstance(index, pd.RangeIndex)
            and index.start == 0
            and index.step == 1
            and (frame["territory"] == slug).all()
        ):
            return tables.for_territory(slug)
    return tables


def _findings(report: LoadReport) -> list[Any]:
    to_dict = getattr(report, "to_dict", None)
    if to_dict is None:
        return []
    found = to_dict().get("findings", [])
    return list(found) if isinstance(found, list) else []


def _partner_of(tables: dict[str, pd.DataFrame]) -> str | None:
    table = tables.get("exposure_products")
    if table is None or table.empty:
        return None
    return str(table["partner"].iloc[0])


def _clean(record: Mapping[Hashable, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, (float, np.floating)) or value is pd.NA:
            out[str(key)] = _num(value)
        elif isinstance(value, np.integer):
            out[str(key)] = int(value)
        else:
            out[str(key)] = value
    return out


def _rows(frame: pd.DataFrame, columns: dict[str, str]) -> list[dict[str, Any]]:
    return _project(frame.to_dict("records"), columns)


def _project(
    records: list[dict[Hashable, Any]], columns: dict[str, str]
) -> list[dict[str, Any]]:
    """``columns`` (old name: new name) of each record, cleaned for JSON."""
    return [_clean({new: r[old] for old, new in columns.items()}) for r in records]


def _of_flow(
    records: list[dict[Hashable, Any]], flow: str
) -> list[dict[Hashable, Any]]:
    return [r for r in records if r["flow"] == flow]


def _issue11_blocks(  # noqa: PLR0915
    tables: dict[str, pd.DataFrame],
    *,
    key: str,
    year: int,
    years: list[int],
    available: dict[str, bool],
    partner: str,
    is_departement: bool,
    balanced: bool = True,
) -> dict[str, Any]:
    # Each table's rows of the territory and year, converted once: the blocks
    # below pick their rows among them (small lists, no DataFrame per pick).
    def pick(name: str) -> list[dict[Hashable, Any]]:
        table = tables[name]
        years_kept = table["year"].to_numpy()
        keep = (table["territory"] == key).to_numpy() & (
            years_kept <= year if name == "evolution" else years_kept == year
        )
        out: list[dict[Hashable, Any]] = table.loc[keep].to_dict("records")
        return out

    def where(
        records: list[dict[Hashable, Any]], **equal: object
    ) -> list[dict[Hashable, Any]]:
        return [r for r in records if all(r[c] == v for c, v in equal.items())]

    blocks: dict[str, Any] = {}
    if len([v for v in years if v <= year]) > 1:
        evo = pick("evolution")
        contrib = pick("contributions")
        shown = [v for v in years if v <= year]

        def by_year(flow: str) -> list[dict[str, Any]]:
            rows = sorted(where(evo, flow=flow), key=lambda r: r["year"])
            return [
                {"year": int(r["year"]), "value_eur": _num(r[_VALUE])} for r in rows
            ]

        def last(flow: str, column: str) -> float | None:
            rows = where(evo, flow=flow, year=year)
            return _num(rows[0][column]) if rows else None

        def contributions(flow: str, dimension: str) -> list[dict[str, Any]]:
            return _project(
                where(contrib, flow=flow, dimension=dimension),
                {
                    "code": "code",
                    "name": "label",
                    "change_eur": "change_eur",
                    "contribution_pp": "contribution_pp",
                },
            )

        def compared_quarters(flow: str) -> list[int] | None:
            """The quarters each year's value covers, when not the whole year."""
            rows = where(evo, flow=flow, year=year)
            label = rows[0].get("quarters") if rows else None
            if not isinstance(label, str) or not label:
                return None
            return [int(q) for q in label.split(",")]

        evolution: dict[str, Any] = {"years": shown}
        for flow in FLOWS:
            evolution[flow] = {
                "by_year": by_year(flow),
                "change_eur": last(flow, "change_eur"),
                "change_pct": last(flow, "change_pct"),
                "cagr": last(flow, "cagr"),
                "contributions": {
                    "partners": contributions(flow, "partner"),
                    "products": contributions(flow, "product"),
                },
            }
        evolution["balance"] = {
            "by_year": by_year("balance"),
            "change_eur": last("balance", "change_eur"),
            "contributions": {"partners": contributions("balance", "partner")},
        }
        for flow in (*FLOWS, "balance"):
            quarters = compared_quarters(flow)
            if quarters is not None:
                evolution[flow]["quarters"] = quarters
        blocks["evolution"] = evolution

    groups = pick("exposure")
    products = pick("exposure_products")
    exposure: dict[str, Any] = {"partner": partner}
    for flow in FLOWS:
        share_of = {str(r["group"]): r for r in where(groups, flow=flow)}
        own = share_of.get(partner)
        if not available[flow]:
            exposure[flow] = {"value_eur": None, "share": None, "products": []}
            continue
        exposure[flow] = {
            "value_eur": 0.0 if own is None else float(own[_VALUE]),
            "share": 0.0 if own is None else _num(own["share"]),
            "products": _project(
                where(products, flow=flow),
                {
                    "code": "code",
                    "name": "label",
                    _VALUE: _VALUE,
                    "share_of_product": "share_of_product",
                    "share_of_partner": "share_of_partner",
                },
            ),
        }
    exposure["groups"] = {
        flow: {
            group: (_num(share_of_row["share"]) if available[flow] else None)
            for group, share_of_row in {
                str(r["group"]): r for r in where(groups, flow=flow)
            }.items()
            if group in ("EU", "non_EU", "US", "CN")
        }
        if available[flow]
        else {"EU": None, "non_EU": None, "US": None, "CN": None}
        for flow in FLOWS
    }
    blocks["exposure"] = exposure

    blocks["dependence"] = {
        "import": _project(
            pick("dependence"),
            {
                "code": "code",
                "name": "label",
                _VALUE: _VALUE,
                "top_supplier": "top_supplier",
                "top_supplier_share": "top_supplier_share",
            },
        )
        if available["import"]
        else []
    }
    conc = pick("concentration")
    concentration: dict[str, Any] = {}
    for flow in FLOWS:
        rows = where(conc, flow=flow)
        if not rows or not available[flow]:
            concentration[flow] = {
                "hhi_partners": None,
                "hhi_products": None,
                "n80_partners": None,
            }
        else:
            concentration[flow] = _project(
                rows,
                {
                    "hhi_partners": "hhi_partners",
                    "hhi_products": "hhi_products",
                    "n80_partners": "n80_partners",
                },
            )[0]
    blocks["concentration"] = concentration
    spec = pick("specialisation")
    specialisation: dict[str, Any] = {
        flow: _project(
            where(spec, flow=flow),
            {
                "code": "code",
                "name": "label",
                "lq": "lq",
                "share": "share",
                "share_france": "share_france",
            },
        )
        for flow in FLOWS
    }
    specialisation["balance_contribution"] = (
        _project(
            pick("balance_contribution"),
            {"code": "code", "name": "label", "contribution_pct": "contribution_pct"},
        )
        if all(available.values())
        else []
    )
    blocks["specialisation"] = specialisation
    if is_departement:
        needs = {
            "export_eur": ("export",),
            "import_eur": ("import",),
            "us_share_export": ("export",),
            "hhi_partners_export": ("export",),
        }
        blocks["ranks"] = {}
        for r in pick("ranks"):
            metric = str(r["metric"])
            known = all(available[f] for f in needs.get(metric, FLOWS))
            known = known and (metric in needs or balanced)  # exports vs imports
            rank = r["rank"]
            blocks["ranks"][metric] = {
                "rank": int(rank) if known and not pd.isna(rank) else None,
                "of": int(r["of"]),
            }
    return blocks
