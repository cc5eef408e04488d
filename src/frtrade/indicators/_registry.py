"""The indicator registry: each indicator is one function over the long table.

Adding an indicator = one function decorated with :func:`register_indicator`
(name, schema); :func:`compute_indicators` computes every registered one for
one territory or for all territories, and :func:`~frtrade.headline_facts`
reads them by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from frtrade.dgddi import Labels
from frtrade.indicators._core import (
    ProductLevel,
    _group_sum,
    _product_names,
    _year,
    available_years,
    region_key,
)
from frtrade.indicators._long import trade_long

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    import pandera.pandas as pa

    from frtrade.territories import Territory

__all__ = [
    "INDICATORS",
    "Indicator",
    "IndicatorContext",
    "compute_indicators",
    "register_indicator",
]


@dataclass(frozen=True)
class IndicatorContext:
    """What an indicator function receives.

    Attributes
    ----------
    long
        :func:`trade_long` rows of the territories asked for, years ``year``
        and ``year − 1`` (when loaded).
    yearly
        Values by ``territory``, ``year``, ``flow`` over every year loaded.
    france
        :func:`trade_long` rows of France (the reference of ``lq``), same years.
    departements
        :func:`trade_long` rows of every département in ``year`` (for ranks).
    year
        The chosen year.
    years
        Every year loaded, ascending.
    flow_years
        Flow -> years comparable with ``year``: the data hold that flow in
        every quarter they hold it in ``year`` (every quarter, when ``year``
        is complete).
    quarters
        Flow -> the quarters its rows were restricted to, in every year, when
        the data hold only these quarters of that flow in ``year`` (a year in
        progress); empty when ``year`` is complete. Evolution and
        contributions then compare the same quarters of each year.
    partner
        The exposure partner (DGDDI country code).
    groups
        User-defined partner groups (name -> country codes).
    n
        Top-N size of the listed items.
    product_names, country_names
        Labels.
    territories
        Keys of the territories asked for (``None`` = all).
    """

    long: pd.DataFrame
    yearly: pd.DataFrame
    france: pd.DataFrame
    departements: pd.DataFrame
    year: int
    years: tuple[int, ...]
    flow_years: Mapping[str, tuple[int, ...]]
    partner: str = "US"
    quarters: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    groups: Mapping[str, Sequence[str]] = field(default_factory=dict)
    n: int = 10
    product_names: Mapping[str, str] = field(default_factory=dict)
    country_names: Mapping[str, str] = field(default_factory=dict)
    territories: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Indicator:
    """A registered indicator.

    Attributes
    ----------
    name
        Registry key (also the key in :class:`TerritoryTables.indicators`).
    compute
        ``compute(context) -> DataFrame`` grouped by (territory, year).
    schema
        The pandera model the result is validated against.
    description
        One line, in English.
    """

    name: str
    compute: Callable[[IndicatorContext], pd.DataFrame]
    schema: type[pa.DataFrameModel]
    description: str


#: Registered indicators, by name, in registration order.
INDICATORS: dict[str, Indicator] = {}


def register_indicator(
    name: str, schema: type[pa.DataFrameModel], description: str
) -> Callable[
    [Callable[[IndicatorContext], pd.DataFrame]],
    Callable[[IndicatorContext], pd.DataFrame],
]:
    """Register an indicator function (decorator).

    Parameters
    ----------
    name
        Unique name.
    schema
        pandera model of its output.
    description
        One line.

    Returns
    -------
    Callable
        The decorator (returns the function unchanged).

    Examples
    --------
    >>> sorted(INDICATORS)[:3]
    ['balance_contribution', 'concentration', 'contributions']
    """

    def decorate(
        function: Callable[[IndicatorContext], pd.DataFrame],
    ) -> Callable[[IndicatorContext], pd.DataFrame]:
        INDICATORS[name] = Indicator(name, function, schema, description)
        return function

    return decorate


def _context(
    flows: pd.DataFrame,
    territory: Territory | None,
    *,
    year: int | None,
    level: ProductLevel,
    partner: str,
    groups: Mapping[str, Sequence[str]] | None,
    n: int,
    labels: Labels | None,
    long: pd.DataFrame | None = None,
    held: Mapping[tuple[str, int], frozenset[int]] | None = None,
) -> IndicatorContext:
    """The indicators' context; ``held``: :func:`_held_quarters` of ``flows`` if known."""
    y = _year(flows, year)
    years = available_years(flows)
    pair = [v for v in (y - 1, y) if v in years]
    labels = labels or Labels.shipped()
    # Every measure sums its own groups: no need to aggregate the long table.
    if long is None:
        long = trade_long(flows, territory, years=pair, level=level, aggregate=False)
    # Values by year only need (territory, year, flow): group before keying.
    yearly = (
        (
            trade_long(flows, territory, level="a129", aggregate=False)
            .groupby(["territory", "year", "flow"], observed=True)["value_eur"]
            .sum()
            .reset_index()
        )
        if territory is not None
        else _yearly_all(flows)
    )
    if territory is None:
        keys = long["territory"].cat
        is_france = np.asarray(keys.categories == "france")[keys.codes.to_numpy()]
        is_dep = np.asarray(keys.categories.str.startswith("departement-"))[
            keys.codes.to_numpy()
        ]
        france = long.loc[is_france]
        departements = long.loc[is_dep & (long["year"].to_numpy() == y)]
    else:
        france = trade_long(flows, None, years=pair, level=level, kinds=("france",))
        departements = trade_long(
            flows, None, years=[y], level=level, kinds=("departement",)
        )
    if held is None:
        held = _held_quarters(flows)
    flow_years = _comparable_years(held, y)
    return IndicatorContext(
        long=long,
        yearly=yearly,
        france=france,
        departements=departements,
        year=y,
        years=tuple(years),
        flow_years=flow_years,
        partner=partner,
        quarters=_partial_quarters(held, y),
        groups=dict(groups or {}),
        n=n,
        product_names=_product_names(level, labels),
        country_names=labels.countries,
        territories=None if territory is None else (str(long_key(territory)),),
    )


_WHOLE_YEAR = frozenset((1, 2, 3, 4))


def _held_quarters(flows: pd.DataFrame) -> dict[tuple[str, int], frozenset[int]]:
    """(flow, year) -> the quarters in which ``flows`` holds rows of it (one hashing pass)."""
    flow = flows["flow"]
    if not isinstance(flow.dtype, pd.CategoricalDtype):
        flow = flow.astype("category")
    codes = flow.cat.codes.to_numpy().astype(np.int64)
    year = flows["year"].to_numpy().astype(np.int64)
    quarter = flows["quarter"].to_numpy().astype(np.int64)
    keys = pd.unique(codes * 100_000 + year * 10 + quarter)
    categories = list(flow.cat.categories)
    held: dict[tuple[str, int], set[int]] = {}
    for k in keys.tolist():
        if k >= 0:
            name = str(categories[k // 100_000])
            held.setdefault((name, (k // 10) % 10_000), set()).add(k % 10)
    return {key: frozenset(q) for key, q in held.items()}


def _partial_quarters(
    held: Mapping[tuple[str, int], frozenset[int]], year: int
) -> dict[str, tuple[int, ...]]:
    """Flow -> its quarters in ``year``, for the flows the data hold in part of it."""
    out = {}
    for f in ("export", "import"):
        quarters = held.get((f, year))
        if quarters and quarters != _WHOLE_YEAR:
            out[f] = tuple(sorted(quarters))
    return out


def _comparable_years(
    held: Mapping[tuple[str, int], frozenset[int]], year: int
) -> dict[str, tuple[int, ...]]:
    """Flow -> the years holding it in every quarter it is held in ``year``.

    A year holding fewer quarters (a file of a year in progress, an earlier
    partial file) cannot be compared with ``year``: its value is unknown.
    """
    out = {}
    for f in ("export", "import"):
        wanted = held.get((f, year)) or _WHOLE_YEAR
        out[f] = tuple(
            sorted(y for (g, y), q in held.items() if g == f and q >= wanted)
        )
    return out


def same_quarters_as(flows: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows of every year in the quarters ``year`` holds, flow by flow.

    When the data hold only some quarters of ``year`` for a flow (a year in
    progress), the rows of that flow in the other years are restricted to
    these quarters, so that an evolution compares like with like; else
    ``flows`` itself is returned.

    Parameters
    ----------
    flows
        A :class:`~frtrade.schemas.TradeFlows` table.
    year
        The year whose quarters are kept.

    Returns
    -------
    pandas.DataFrame
        ``flows`` or its comparable rows (``year``'s own rows all kept).

    Examples
    --------
    2024 exports in quarters 1 to 3 only: the 2023 exports keep these quarters.

    >>> import pandas as pd
    >>> from frtrade.testing import tiny_trade_flows
    >>> flows = tiny_trade_flows()
    >>> exports = flows[flows.flow == "export"]
    >>> both = pd.concat([exports.assign(year=2023), exports[exports.quarter <= 3]])
    >>> kept = same_quarters_as(both, 2024)
    >>> sorted(set(kept.quarter[kept.year == 2023])), len(kept) == len(both)
    ([1, 2, 3], False)
    >>> same_quarters_as(exports, 2024) is exports  # a whole year: the same table
    True
    """
    partial = _partial_quarters(_held_quarters(flows), year)
    return _restricted(flows, partial) if partial else flows


def _restricted(
    flows: pd.DataFrame, partial: Mapping[str, tuple[int, ...]]
) -> pd.DataFrame:
    """The rows of each flow of ``partial`` in its quarters (the others all kept)."""
    flow = flows["flow"].astype(str).to_numpy()
    quarter = flows["quarter"].to_numpy()
    keep = np.ones(len(flows), dtype=bool)
    for f, quarters in partial.items():
        keep &= (flow != f) | np.isin(quarter, quarters)
    return flows.loc[keep]


def _yearly_all(flows: pd.DataFrame) -> pd.DataFrame:
    """Values by territory (départements, régions, France), year and flow."""
    sums = _group_sum(flows, ["year", "departement", "region", "flow"])
    parts = [
        sums.assign(territory="departement-" + sums["departement"].astype(str)),
        sums.assign(territory=[region_key(str(r)) for r in sums["region"]]),
        sums.assign(territory="france"),
    ]
    out = (
        pd.concat(parts, ignore_index=True)
        .groupby(["territory", "year", "flow"], observed=True)["value_eur"]
        .sum()
        .reset_index()
    )
    out["year"] = out["year"].astype("int64")
    out["flow"] = out["flow"].astype(str)
    return out


def long_key(territory: Territory) -> str:
    """Alias of :func:`~frtrade.indicators.territory_key` (kept private)."""
    from frtrade.indicators._core import territory_key

    return territory_key(territory)


def compute_indicators(
    flows: pd.DataFrame,
    territory: Territory | None = None,
    *,
    year: int | None = None,
    names: Sequence[str] | None = None,
    level: ProductLevel = "a129",
    partner: str = "US",
    groups: Mapping[str, Sequence[str]] | None = None,
    n: int = 10,
    labels: Labels | None = None,
) -> dict[str, pd.DataFrame]:
    """Compute registered indicators for one territory or for all of them.

    Parameters
    ----------
    flows
        A :class:`~frtrade.schemas.TradeFlows` table (one or several years).
    territory
        One territory, or ``None`` for every département, région and France.
    year
        The year (default: the latest); evolution covers every year loaded.
    names
        Which indicators (default: every registered one, see
        :data:`INDICATORS`).
    level
        Product level.
    partner
        Exposure partner (DGDDI country code), default ``"US"``.
    groups
        Extra partner groups for the exposure table (name -> country codes).
    n
        Top-N size of listed items.
    labels
        Names (default: frtrade's shipped labels).

    Returns
    -------
    dict[str, pandas.DataFrame]
        Name -> table validated by the indicator's schema; the ``territory``
        column holds :func:`territory_key` keys. Ranks are over départements
        (a non-département territory gets an empty ranks table).

    Examples
    --------
    >>> from frtrade.testing import tiny_trade_flows
    >>> from frtrade.territories import Territory
    >>> out = compute_indicators(
    ...     tiny_trade_flows(), Territory.resolve("36"), names=["concentration"]
    ... )
    >>> out["concentration"][["flow", "hhi_partners", "n80_partners"]].round(1)
         flow  hhi_partners  n80_partners
    0  export        5200.0             2
    1  import        5555.6             2
    """
    return _compute_indicators(
        flows,
        territory,
        year=year,
        names=names,
        level=level,
        partner=partner,
        groups=groups,
        n=n,
        labels=labels,
    )


def _compute_indicators(
    flows: pd.DataFrame,
    territory: Territory | None = None,
    *,
    year: int | None = None,
    names: Sequence[str] | None = None,
    level: ProductLevel = "a129",
    partner: str = "US",
    groups: Mapping[str, Sequence[str]] | None = None,
    n: int = 10,
    labels: Labels | None = None,
    long: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """:func:`compute_indicators`, reusing the caller's long table.

    ``long``: :func:`trade_long` rows (``aggregate=False``) of every territory
    in the year and the year before, or ``None`` to compute them.
    """
    from frtrade.indicators import _measures  # noqa: F401  (registers)

    chosen = list(INDICATORS) if names is None else list(names)
    unknown = [name for name in chosen if name not in INDICATORS]
    if unknown:
        raise ValueError(f"unknown indicators {unknown}; known: {sorted(INDICATORS)}")
    y = _year(flows, year)
    held = _held_quarters(flows)  # one pass over the rows, for both uses below
    partial = _partial_quarters(held, y)
    if partial:  # a year in progress: the same quarters each year (same_quarters_as)
        flows, long = _restricted(flows, partial), None
        held = {
            (f, yr): kept
            for (f, yr), quarters in held.items()
            if (kept := quarters & frozenset(partial.get(f, quarters)))
        }
    context = _context(
        flows,
        territory,
        year=y,
        level=level,
        partner=partner,
        groups=groups,
        n=n,
        labels=labels,
        long=long,
        held=held,
    )
    out: dict[str, pd.DataFrame] = {}
    for name in chosen:
        indicator = INDICATORS[name]
        table = indicator.compute(context)
        if context.territories is not None:
            keep = table["territory"].isin(context.territories).to_numpy()
            table = table.loc[keep].reset_index(drop=True)
        out[name] = indicator.schema.validate(table)
    return out
