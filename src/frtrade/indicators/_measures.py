"""Issue 11 indicators, each a small function over the long table.

Definitions (T territory, f flow, y year, V the sum of values; shares are
fractions) are those of ``docs/explanation/definitions.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from frtrade.indicators._core import (
    OTHER,
    OTHER_COUNTRIES,
    OTHER_PRODUCTS,
    _group_sum,
    _group_sum_rows,
    _key_codes,
    _name,
    _ranks_in_groups,
)
from frtrade.indicators._registry import IndicatorContext, register_indicator
from frtrade.schemas import (
    FLOWS,
    BalanceContribution,
    Concentration,
    Contributions,
    Dependence,
    Evolution,
    Exposure,
    ExposureProducts,
    Ranks,
    Specialisation,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = ["EU_ACCESSIONS", "eu_members"]

_V = "value_eur"

#: EU member states (DGDDI country codes) and the years they joined / left.
EU_ACCESSIONS: dict[str, tuple[int, int | None]] = {
    **dict.fromkeys(("BE", "DE", "IT", "LU", "NL"), (1958, None)),
    **dict.fromkeys(("DK", "IE"), (1973, None)),
    "GB": (1973, 2020),  # member up to 2019 data (left on 31 January 2020)
    "GR": (1981, None),
    **dict.fromkeys(("ES", "PT"), (1986, None)),
    **dict.fromkeys(("AT", "FI", "SE"), (1995, None)),
    **dict.fromkeys(
        ("CY", "CZ", "EE", "HU", "LT", "LV", "MT", "PL", "SI", "SK"), (2004, None)
    ),
    **dict.fromkeys(("BG", "RO"), (2007, None)),
    "HR": (2013, None),
}


def eu_members(year: int) -> frozenset[str]:
    """EU member states other than France as of ``year``'s data.

    Parameters
    ----------
    year
        The data year.

    Returns
    -------
    frozenset[str]
        DGDDI country codes (the United Kingdom up to 2019).

    Examples
    --------
    >>> "GB" in eu_members(2019), "GB" in eu_members(2020), len(eu_members(2024))
    (True, False, 26)
    """
    return frozenset(
        code
        for code, (start, end) in EU_ACCESSIONS.items()
        if start <= year and (end is None or year < end)
    )


def _sums(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Sum values by ``keys``; keys as plain strings (year as int)."""
    out = _group_sum(frame, list(keys), _V)
    for key in keys:
        if key != "year":
            out[key] = out[key].astype(str)
    out["year"] = out["year"].astype("int64") if "year" in keys else None
    if "year" not in keys:
        out = out.drop(columns="year")
    return out


def _two_years(
    frame: pd.DataFrame, keys: Sequence[str], previous: int, year: int
) -> pd.DataFrame:
    """Sums by ``keys`` in two years, side by side (0 when absent), keys as strings.

    Columns: ``territory``, ``flow``, ``code`` (the last key), ``previous_eur``
    and ``value_eur``; rows sorted by the keys as strings.
    """
    sums = _group_sum(frame, [*keys, "year"], _V)
    groups, rows = _group_sum_rows(sums, keys, _V)
    values = sums[_V].to_numpy()
    columns = {}
    for name, which in (("previous_eur", previous), (_V, year)):
        column = np.zeros(len(groups))
        in_year = sums["year"].to_numpy() == which
        # + 0.0: a sum of one -0.0 is 0.0, as pandas' group-by gives it
        column[rows[in_year]] = values[in_year] + 0.0
        columns[name] = column
    order = np.lexsort([_key_codes(groups[k], as_strings=True) for k in reversed(keys)])
    return pd.DataFrame(
        {
            **{
                name: groups[key].astype(str).iloc[order].reset_index(drop=True)
                for name, key in zip(("territory", "flow", "code"), keys, strict=True)
            },
            **{name: pd.Series(column[order]) for name, column in columns.items()},
        }
    )


def _of_year(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    out: pd.DataFrame = frame.loc[frame["year"].to_numpy() == year]
    return out


def _rank(
    frame: pd.DataFrame,
    by: Sequence[str],
    order: Sequence[str],
    ascending: Sequence[bool],
) -> pd.DataFrame:
    """Sort by ``by`` then ``order`` and number the rows within each ``by`` group.

    ``frame.sort_values([*by, *order], kind="mergesort")`` then a group-wise
    ``cumcount() + 1``, computed with one stable ``np.lexsort`` on numbers
    (text keys become the codes of their sorted values; missing values last).
    """
    columns = [*by, *order]
    directions = [True] * len(by) + list(ascending)
    keys = [
        _sort_key(frame[column], ascending=up)
        for column, up in zip(reversed(columns), reversed(directions), strict=True)
    ]
    position = np.lexsort(keys) if keys else np.arange(len(frame))
    out = frame.take(position).reset_index(drop=True)
    rank = np.arange(1, len(out) + 1, dtype=np.int64)
    if by and len(out):
        starts = np.zeros(len(out), dtype=bool)
        starts[0] = True
        for key in keys[len(order) :]:
            ordered = key[position]
            starts[1:] |= ordered[1:] != ordered[:-1]
        first = np.flatnonzero(starts)
        rank -= first[np.cumsum(starts) - 1]
    out["rank"] = rank
    return out


def _sort_key(series: pd.Series, *, ascending: bool) -> np.ndarray[Any, Any]:
    """Numbers that sort like ``series`` (NaN last either way, as pandas sorts)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy().astype(np.float64)
    elif pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(
        series.dtype
    ):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        return values if ascending else -values
    else:
        codes = pd.factorize(series, sort=True)[0].astype(np.float64)
    codes[codes < 0] = np.nan
    return codes if ascending else -codes


# --------------------------------------------------------------------------- evolution


@register_indicator("evolution", Evolution, "value by year, changes and CAGR")
def evolution(ctx: IndicatorContext) -> pd.DataFrame:
    """Value by year of exports, imports and balance, with changes and CAGR."""
    yearly = ctx.yearly.copy()
    yearly["territory"] = yearly["territory"].astype(str)
    yearly["flow"] = yearly["flow"].astype(str)
    territories = sorted(yearly["territory"].unique())
    grid = pd.MultiIndex.from_product(
        [territories, list(ctx.years), list(FLOWS)], names=["territory", "year", "flow"]
    )
    values = yearly.set_index(["territory", "year", "flow"])[_V].reindex(grid)
    frame = values.reset_index()
    # An item absent in a year counts as 0, unless the data hold no row of the
    # flow at all that year (file missing): then the value is unknown.
    known = np.array(
        [
            y in ctx.flow_years.get(f, ())
            for y, f in zip(frame["year"], frame["flow"], strict=True)
        ],
        dtype=bool,
    )
    frame[_V] = np.where(known, frame[_V].fillna(0.0), np.nan)
    # unstack, not pivot_table: a sum over nothing would turn unknown into 0.
    wide = frame.set_index(["territory", "year", "flow"])[_V].unstack("flow")
    wide = wide.reindex(columns=list(FLOWS))
    wide["balance"] = wide["export"] - wide["import"]
    if ctx.quarters.get("export") != ctx.quarters.get("import"):
        # each flow compared on its own quarters: their difference is no balance
        wide["balance"] = np.nan
    long = wide.reset_index().melt(
        id_vars=["territory", "year"], var_name="flow", value_name=_V
    )
    long = long.sort_values(["territory", "flow", "year"], kind="mergesort")
    long = long.reset_index(drop=True)
    key = long.set_index(["territory", "flow", "year"])[_V]
    prev_index = pd.MultiIndex.from_arrays(
        [long["territory"], long["flow"], long["year"] - 1]
    )
    prev = key.reindex(prev_index).to_numpy()
    first_year = min(ctx.years)
    first = key.reindex(
        pd.MultiIndex.from_arrays(
            [long["territory"], long["flow"], np.full(len(long), first_year)]
        )
    ).to_numpy()
    value = long[_V].to_numpy(dtype=float)
    is_balance = (long["flow"] == "balance").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        change = value - prev
        pct = np.where((prev == 0) | is_balance, np.nan, change / prev)
        span = long["year"].to_numpy() - first_year
        cagr = np.where(
            (span > 0) & (first > 0) & ~is_balance & (value >= 0),
            np.power(value / first, 1.0 / np.maximum(span, 1)) - 1.0,
            np.nan,
        )
    out = pd.DataFrame(
        {
            "territory": long["territory"].astype(str),
            "year": long["year"].astype("int64"),
            "flow": long["flow"].astype(str),
            _V: value,
            "change_eur": change,
            "change_pct": pct,
            "cagr": cagr,
        }
    )
    return _with_quarters(out, ctx)


def _quarters_of(ctx: IndicatorContext) -> dict[str, str | None]:
    """Flow (and balance) -> ``"1,2,3"`` when compared on these quarters only."""
    label = {f: ",".join(map(str, q)) for f, q in ctx.quarters.items()}
    out: dict[str, str | None] = {f: label.get(f) for f in FLOWS}
    same = ctx.quarters.get("export") == ctx.quarters.get("import")
    out["balance"] = label.get("export") if same else None
    return out


def _with_quarters(table: pd.DataFrame, ctx: IndicatorContext) -> pd.DataFrame:
    """A ``quarters`` column when the chosen year is in progress (see the schemas)."""
    if not ctx.quarters:
        return table
    of = _quarters_of(ctx)
    table["quarters"] = pd.Series(
        [of.get(f) for f in table["flow"]], dtype="str", index=table.index
    )
    return table


# --------------------------------------------------------------------------- contributions


def _top_changes(
    frame: pd.DataFrame,
    by: Sequence[str],
    n: int,
    names: Mapping[str, str],
    other_name: str,
) -> pd.DataFrame:
    """Top ``n`` items by |change| (ties: code) + AUTRES, per ``by`` group."""
    work = frame.assign(abs_change=frame["change_eur"].abs())
    work = _rank(work, by, ["abs_change", "code"], [False, True])
    top = work[work["rank"] <= n]
    rest = work[work["rank"] > n]
    other = (
        rest.groupby(list(by), sort=False)[["previous_eur", _V, "change_eur"]]
        .sum()
        .reset_index()
    )
    other["code"] = OTHER
    other["rank"] = n + 1
    denominators = work.groupby(list(by), sort=False)["denominator"].first()
    other = other.merge(denominators.reset_index(), on=list(by), how="left")
    out = pd.concat([top, other], ignore_index=True)
    out = out.sort_values([*by, "rank"], kind="mergesort").reset_index(drop=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        denominator = out["denominator"].to_numpy(dtype=float)
        out["contribution_pp"] = np.where(
            denominator == 0,
            np.nan,
            100.0 * out["change_eur"].to_numpy(dtype=float) / denominator,
        )
    out["name"] = _name(out["code"], names, other_name)
    out["is_other"] = out["code"] == OTHER
    out["rank"] = out["rank"].astype("int64")
    return out


_CONTRIBUTION_COLUMNS = [
    "territory",
    "year",
    "flow",
    "dimension",
    "code",
    "name",
    "previous_eur",
    _V,
    "change_eur",
    "contribution_pp",
    "rank",
    "is_other",
]


@register_indicator(
    "contributions",
    Contributions,
    "contributions of partners and products to the change of each flow",
)
def contributions(ctx: IndicatorContext) -> pd.DataFrame:
    """Top 10 partners / products by |change| + AUTRES; the balance by partner."""
    y, prev = ctx.year, ctx.year - 1
    if prev not in ctx.years:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=t)
                for c, t in (
                    ("territory", str),
                    ("year", "int64"),
                    ("flow", str),
                    ("dimension", str),
                    ("code", str),
                    ("name", str),
                    ("previous_eur", float),
                    (_V, float),
                    ("change_eur", float),
                    ("contribution_pp", float),
                    ("rank", "int64"),
                    ("is_other", bool),
                )
            }
        )
    frames = []
    # only the two years compared: the other years would be summed, then dropped
    years = ctx.long["year"].to_numpy()
    compared = ctx.long.loc[(years == prev) | (years == y)]
    for dimension, column, names, other_name in (
        ("partner", "country", ctx.country_names, OTHER_COUNTRIES),
        ("product", "product", ctx.product_names, OTHER_PRODUCTS),
    ):
        wide = _two_years(compared, ["territory", "flow", column], prev, y)
        # A flow missing from the data in either year has no known change.
        known = [f for f in FLOWS if {prev, y} <= set(ctx.flow_years.get(f, ()))]
        wide = wide[
            ((wide["previous_eur"] > 0) | (wide[_V] > 0)) & wide["flow"].isin(known)
        ].copy()
        wide["change_eur"] = wide[_V] - wide["previous_eur"]
        wide["denominator"] = wide.groupby(["territory", "flow"])[
            "previous_eur"
        ].transform("sum")
        parts = [wide]
        same_quarters = ctx.quarters.get("export") == ctx.quarters.get("import")
        if dimension == "partner" and len(known) == len(FLOWS) and same_quarters:
            signed = wide.copy()
            sign = np.where(signed["flow"] == "export", 1.0, -1.0)
            signed["previous_eur"] *= sign
            signed[_V] *= sign
            signed["change_eur"] *= sign
            balance = (
                signed.groupby(["territory", "code"], sort=False)[
                    ["previous_eur", _V, "change_eur"]
                ]
                .sum()
                .reset_index()
            )
            balance["flow"] = "balance"
            balance["denominator"] = (
                balance.groupby("territory")["previous_eur"].transform("sum").abs()
            )
            parts.append(balance)
        for part in parts:
            top = _top_changes(part, ["territory", "flow"], ctx.n, names, other_name)
            top["dimension"] = dimension
            top["year"] = y
            frames.append(top)
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(["territory", "flow", "dimension", "rank"], kind="mergesort")
    out = out[_CONTRIBUTION_COLUMNS].reset_index(drop=True).astype({"year": "int64"})
    return _with_quarters(out, ctx)


# --------------------------------------------------------------------------- exposure


@register_indicator("exposure", Exposure, "share of each flow by partner group")
def exposure(ctx: IndicatorContext) -> pd.DataFrame:
    """Shares of US, CN, EU (as of the year), non_EU and user groups."""
    sums = _sums(_of_year(ctx.long, ctx.year), ["territory", "year", "flow", "country"])
    sums = sums[sums[_V] > 0]
    totals = sums.groupby(["territory", "year", "flow"])[_V].sum()
    eu = eu_members(ctx.year)
    groups: dict[str, frozenset[str]] = {
        "US": frozenset({"US"}),
        "CN": frozenset({"CN"}),
        "EU": eu,
        **{name: frozenset(codes) for name, codes in ctx.groups.items()},
    }
    frames = []
    for name, codes in groups.items():
        inside = sums[sums["country"].isin(codes)]
        value = inside.groupby(["territory", "year", "flow"])[_V].sum()
        frames.append(value.reindex(totals.index, fill_value=0.0).rename(name))
    table = pd.concat(frames, axis=1)
    table["non_EU"] = totals - table["EU"]
    out = table.reset_index().melt(
        id_vars=["territory", "year", "flow"], var_name="group", value_name=_V
    )
    total = totals.reindex(
        pd.MultiIndex.from_frame(out[["territory", "year", "flow"]])
    ).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(total > 0, out[_V].to_numpy() / total, np.nan)
    out["year"] = out["year"].astype("int64")
    return out.sort_values(
        ["territory", "flow", "group"], kind="mergesort"
    ).reset_index(drop=True)


@register_indicator(
    "exposure_products",
    ExposureProducts,
    "the products with the largest value to (from) the exposure partner",
)
def exposure_products(ctx: IndicatorContext) -> pd.DataFrame:
    """Top ``n`` products to the partner, with share of product and of partner."""
    keys = ["territory", "year", "flow", "product"]
    long = _of_year(ctx.long, ctx.year)
    product_total = _sums(long, keys).set_index(keys)[_V]
    partner_rows = long.loc[(long["country"] == ctx.partner).to_numpy()]
    to_partner = _sums(partner_rows, keys)
    to_partner = to_partner[to_partner[_V] > 0].copy()
    partner_total = to_partner.groupby(["territory", "year", "flow"])[_V].transform(
        "sum"
    )
    index = pd.MultiIndex.from_frame(
        to_partner[["territory", "year", "flow", "product"]]
    )
    to_partner["share_of_product"] = (
        to_partner[_V].to_numpy() / product_total.reindex(index).to_numpy()
    )
    to_partner["share_of_partner"] = (
        to_partner[_V].to_numpy() / partner_total.to_numpy()
    )
    ranked = _rank(
        to_partner.rename(columns={"product": "code"}),
        ["territory", "year", "flow"],
        [_V, "code"],
        [False, True],
    )
    ranked = ranked[ranked["rank"] <= ctx.n]
    return pd.DataFrame(
        {
            "territory": ranked["territory"],
            "year": ranked["year"].astype("int64"),
            "flow": ranked["flow"],
            "partner": ctx.partner,
            "code": ranked["code"],
            "name": _name(ranked["code"], ctx.product_names, OTHER_PRODUCTS),
            _V: ranked[_V].astype(float),
            "share_of_product": ranked["share_of_product"].clip(upper=1.0),
            "share_of_partner": ranked["share_of_partner"].clip(upper=1.0),
            "rank": ranked["rank"],
        }
    ).reset_index(drop=True)


# --------------------------------------------------------------------------- dependence


@register_indicator(
    "dependence",
    Dependence,
    "largest supplier of each of the largest imported products",
)
def dependence(ctx: IndicatorContext) -> pd.DataFrame:
    """For the ``n`` largest imported products: top supplier and its share."""
    imports = _of_year(ctx.long, ctx.year)
    imports = imports[(imports["flow"] == "import").to_numpy()]
    # Cells stay categorical (sorted by their codes); only the chosen
    # products' rows become strings.
    by = ["territory", "year", "product"]
    cells = _group_sum(imports, [*by, "country"])
    cells = cells[cells[_V].to_numpy() > 0]
    groups = cells.groupby(by, observed=True, sort=True)
    products = groups[_V].sum().reset_index()
    products["rank"] = _ranks_in_groups(products, ["territory", "year"], "product")
    chosen = (products["rank"].to_numpy() <= ctx.n)[groups.ngroup().to_numpy()]
    top_cells = cells.loc[chosen]
    first = _ranks_in_groups(top_cells, by, "country") == 1
    suppliers = top_cells.loc[first, [*by, "country", _V]].rename(
        columns={"country": "top_supplier", _V: "supplier_eur"}
    )
    products = products[products["rank"] <= ctx.n]
    out = products.merge(suppliers, on=by, how="left")
    for column in ("territory", "product", "top_supplier"):
        out[column] = out[column].astype(str)
    out = out.sort_values(["territory", "rank"], kind="mergesort").reset_index(
        drop=True
    )
    return pd.DataFrame(
        {
            "territory": out["territory"],
            "year": out["year"].astype("int64"),
            "code": out["product"],
            "name": _name(out["product"], ctx.product_names, OTHER_PRODUCTS),
            _V: out[_V].astype(float),
            "top_supplier": out["top_supplier"].astype(str),
            "top_supplier_name": _name(
                out["top_supplier"].astype(str), ctx.country_names, OTHER_COUNTRIES
            ),
            "top_supplier_share": (out["supplier_eur"] / out[_V]).clip(upper=1.0),
            "rank": out["rank"].astype("int64"),
        }
    )


# --------------------------------------------------------------------------- concentration


def _hhi(cells: pd.DataFrame, by: Sequence[str]) -> pd.Series:
    total = cells.groupby(list(by))[_V].transform("sum")
    share = 100.0 * cells[_V] / total
    return (share**2).groupby([cells[b] for b in by]).sum()


def _concentration(sums_c: pd.DataFrame, sums_p: pd.DataFrame) -> pd.DataFrame:
    by = ["territory", "year", "flow"]
    sums_c = sums_c[sums_c[_V] > 0]
    sums_p = sums_p[sums_p[_V] > 0]
    totals = sums_c.groupby(by)[_V].sum()
    hhi_c = _hhi(sums_c, by)
    hhi_p = _hhi(sums_p, by)
    ranked = _rank(sums_c, by, [_V, "country"], [False, True])
    cum = ranked.groupby(by, sort=False)[_V].cumsum()
    total = ranked.groupby(by, sort=False)[_V].transform("sum")
    reached = ranked[(cum / total >= 0.8 - 1e-12).to_numpy()]
    n80 = reached.groupby(by)["rank"].min()
    out = pd.DataFrame(
        {
            _V: totals,
            "hhi_partners": hhi_c.reindex(totals.index),
            "hhi_products": hhi_p.reindex(totals.index),
            "n80_partners": n80.reindex(totals.index).astype("Int64"),
        }
    ).reset_index()
    out["year"] = out["year"].astype("int64")
    return out


@register_indicator(
    "concentration", Concentration, "HHI of partners and products, partners making 80 %"
)
def concentration(ctx: IndicatorContext) -> pd.DataFrame:
    """``hhi_partners``, ``hhi_products`` (0–10 000), ``n80_partners``."""
    long = _of_year(ctx.long, ctx.year)
    return _concentration(
        _sums(long, ["territory", "year", "flow", "country"]),
        _sums(long, ["territory", "year", "flow", "product"]),
    )


# --------------------------------------------------------------------------- specialisation


@register_indicator(
    "specialisation", Specialisation, "location quotient of each product against France"
)
def specialisation(ctx: IndicatorContext) -> pd.DataFrame:
    """``lq`` = (V_k(T)/V(T)) / (V_k(France)/V(France)) for V_k(T) > 0."""
    by = ["territory", "year", "flow"]
    sums = _sums(_of_year(ctx.long, ctx.year), [*by, "product"])
    sums = sums[sums[_V] > 0].copy()
    sums["share"] = sums[_V] / sums.groupby(by)[_V].transform("sum")
    france = _sums(_of_year(ctx.france, ctx.year), ["year", "flow", "product"])
    france = france[france[_V] > 0]
    france["share_france"] = france[_V] / france.groupby("flow")[_V].transform("sum")
    out = sums.merge(
        france[["flow", "product", "share_france"]], on=["flow", "product"], how="left"
    )
    out["lq"] = out["share"] / out["share_france"]
    out = _rank(
        out.rename(columns={"product": "code"}), by, ["lq", "code"], [False, True]
    )
    return pd.DataFrame(
        {
            "territory": out["territory"],
            "year": out["year"].astype("int64"),
            "flow": out["flow"],
            "code": out["code"],
            "name": _name(out["code"], ctx.product_names, OTHER_PRODUCTS),
            _V: out[_V].astype(float),
            "share": out["share"].clip(upper=1.0),
            "share_france": out["share_france"].clip(upper=1.0),
            "lq": out["lq"],
            "rank": out["rank"],
        }
    )


@register_indicator(
    "balance_contribution",
    BalanceContribution,
    "CEPII contribution of each product to the trade balance",
)
def balance_contribution(ctx: IndicatorContext) -> pd.DataFrame:
    """c_k = 100 [(X_k − M_k) − (X − M)(X_k + M_k)/(X + M)] / ((X + M)/2)."""
    sums = _sums(_of_year(ctx.long, ctx.year), ["territory", "year", "flow", "product"])
    wide = sums.pivot_table(
        index=["territory", "year", "product"],
        columns="flow",
        values=_V,
        aggfunc="sum",
        fill_value=0.0,
    )
    wide = wide.reindex(columns=list(FLOWS), fill_value=0.0).reset_index()
    wide.columns.name = None
    wide = wide[(wide["export"] + wide["import"]) > 0].copy()
    x = wide.groupby("territory")["export"].transform("sum")
    m = wide.groupby("territory")["import"].transform("sum")
    xk, mk = wide["export"], wide["import"]
    wide["contribution_pct"] = (
        100.0 * ((xk - mk) - (x - m) * (xk + mk) / (x + m)) / ((x + m) / 2.0)
    )
    out = _rank(
        wide.rename(columns={"product": "code"}),
        ["territory", "year"],
        ["contribution_pct", "code"],
        [False, True],
    )
    return pd.DataFrame(
        {
            "territory": out["territory"],
            "year": out["year"].astype("int64"),
            "code": out["code"],
            "name": _name(out["code"], ctx.product_names, OTHER_PRODUCTS),
            "export_eur": out["export"].astype(float),
            "import_eur": out["import"].astype(float),
            "contribution_pct": out["contribution_pct"].astype(float),
            "rank": out["rank"],
        }
    )


# --------------------------------------------------------------------------- ranks

#: Metrics ranked among the départements (1 = the largest value).
RANK_METRICS = (
    "export_eur",
    "import_eur",
    "balance_eur",
    "coverage_rate",
    "us_share_export",
    "hhi_partners_export",
)


@register_indicator("ranks", Ranks, "rank of each département among the départements")
def ranks(ctx: IndicatorContext) -> pd.DataFrame:
    """Ranks (1 = largest; ties: code) over the départements with rows in the year."""
    long = ctx.departements
    by_country = _sums(long, ["territory", "year", "flow", "country"])
    flows = by_country.groupby(["territory", "flow"])[_V].sum().unstack("flow")
    flows = flows.reindex(columns=list(FLOWS)).fillna(0.0)
    us = by_country[(by_country["flow"] == "export") & (by_country["country"] == "US")]
    us_value = us.groupby("territory")[_V].sum().reindex(flows.index, fill_value=0.0)
    conc = _concentration(
        by_country, _sums(long, ["territory", "year", "flow", "product"])
    )
    hhi = conc[conc["flow"] == "export"].set_index("territory")["hhi_partners"]
    x, m = flows["export"], flows["import"]
    with np.errstate(divide="ignore", invalid="ignore"):
        metrics = pd.DataFrame(
            {
                "export_eur": x,
                "import_eur": m,
                "balance_eur": x - m,
                "coverage_rate": np.where(m > 0, x / m, np.nan),
                "us_share_export": np.where(x > 0, us_value / x, np.nan),
                "hhi_partners_export": hhi.reindex(flows.index),
            },
            index=flows.index,
        )
    rows = metrics.reset_index().melt(
        id_vars="territory", var_name="metric", value_name="value"
    )
    rows["code"] = rows["territory"].str.removeprefix("departement-")
    valid = rows[rows["value"].notna()]
    ranked = _rank(valid, ["metric"], ["value", "code"], [False, True])
    of = valid.groupby("metric").size()
    out = rows.merge(
        ranked[["territory", "metric", "rank"]], on=["territory", "metric"], how="left"
    )
    out["of"] = out["metric"].map(of).fillna(0).astype("int64")
    out["rank"] = out["rank"].astype("Int64")
    out["year"] = ctx.year
    out["metric"] = pd.Categorical(out["metric"], categories=list(RANK_METRICS))
    out = out.sort_values(["territory", "metric"], kind="mergesort")
    out["metric"] = out["metric"].astype(str)
    return (
        out[["territory", "year", "metric", "value", "rank", "of"]]
        .astype({"year": "int64", "value": float})
        .reset_index(drop=True)
    )
