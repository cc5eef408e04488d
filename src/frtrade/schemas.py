"""pandera models of the tables that cross module boundaries.

:class:`TradeFlows` is the canonical table every loader returns and every
indicator takes: one row per flow, year, quarter, département, CPF4 class and
partner country, values in euros. Column names are available as class
attributes (``TradeFlows.value_eur == "value_eur"``) so code never spells them
as string literals.
"""

from __future__ import annotations

import re
from typing import Final

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

__all__ = [
    "FLOWS",
    "TRADE_FLOWS_COLUMNS",
    "BalanceContribution",
    "Concentration",
    "Contributions",
    "Dependence",
    "Evolution",
    "Exposure",
    "ExposureProducts",
    "Partners",
    "ProductShares",
    "Ranks",
    "SankeyLinks",
    "Shares",
    "Specialisation",
    "Totals",
    "TradeFlows",
    "validate_trade_flows",
]

FLOWS: Final = ("export", "import")

_DEPARTEMENT = re.compile(r"^[0-9A-Z]{2,3}$")
_REGION = re.compile(r"^[0-9A-Z]{2}$")
_A129 = re.compile(r"^[A-Z]\d{2}[A-Z]$")
_CPF4 = re.compile(r"^\d{4}$")
_COUNTRY = re.compile(r"^[A-Z0-9]{2}$")


def _used_values(series: pd.Series) -> list[object]:
    """Distinct values of a column, cheaply for categoricals."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = np.asarray(series.cat.codes)
        categories = list(series.cat.categories)
        # counting, not sorting, the codes: linear in the rows
        used = np.bincount(codes[codes >= 0], minlength=len(categories))
        return [categories[int(i)] for i in np.flatnonzero(used)]
    return list(pd.unique(series.dropna()))


def _all_match(series: pd.Series, pattern: re.Pattern[str]) -> bool:
    values = _used_values(series)
    return bool(series.notna().all()) and all(
        isinstance(v, str) and pattern.match(v) for v in values
    )


class TradeFlows(pa.DataFrameModel):
    """Canonical foreign-trade table (one row per flow × quarter × département × CPF4 × country).

    Codes are strings (leading zeros kept, ``NA`` = Namibia) stored as
    categoricals; ``value_eur`` is in euros (FAB at export, CAF at import) and
    ``mass_kg`` in kilograms (net mass).

    Examples
    --------
    >>> from frtrade.testing import tiny_trade_flows
    >>> TradeFlows.validate(tiny_trade_flows()).shape[1]
    10
    """

    flow: Series[pd.CategoricalDtype] = pa.Field(
        dtype_kwargs={"categories": list(FLOWS), "ordered": False}
    )
    year: Series[np.int16] = pa.Field(ge=1900, le=2100)
    quarter: Series[np.int8] = pa.Field(isin=[1, 2, 3, 4])
    departement: Series[pd.CategoricalDtype]
    region: Series[pd.CategoricalDtype]
    a129: Series[pd.CategoricalDtype]
    cpf4: Series[pd.CategoricalDtype]
    country: Series[pd.CategoricalDtype]
    value_eur: Series[float] = pa.Field(nullable=False)
    mass_kg: Series[float] = pa.Field(nullable=False)

    class Config:
        """Schema options."""

        strict = True
        coerce = False

    @pa.check("departement", name="departement_code_format")
    @classmethod
    def _departement(cls, series: Series[str]) -> bool:
        return _all_match(series, _DEPARTEMENT)

    @pa.check("region", name="region_code_format")
    @classmethod
    def _region(cls, series: Series[str]) -> bool:
        return _all_match(series, _REGION)

    @pa.check("a129", name="a129_code_format")
    @classmethod
    def _a129(cls, series: Series[str]) -> bool:
        return _all_match(series, _A129)

    @pa.check("cpf4", name="cpf4_code_format")
    @classmethod
    def _cpf4(cls, series: Series[str]) -> bool:
        return _all_match(series, _CPF4)

    @pa.check("country", name="country_code_format")
    @classmethod
    def _country(cls, series: Series[str]) -> bool:
        return _all_match(series, _COUNTRY)

    @pa.check("value_eur", "mass_kg", name="finite")
    @classmethod
    def _finite(cls, series: Series[float]) -> bool:
        return bool(np.isfinite(series.to_numpy(dtype=float)).all())


CODE_COLUMNS: Final = ("departement", "region", "a129", "cpf4", "country")
#: Columns of :class:`TradeFlows`, in order.
TRADE_FLOWS_COLUMNS: Final = (
    "flow",
    "year",
    "quarter",
    *CODE_COLUMNS,
    "value_eur",
    "mass_kg",
)


def validate_trade_flows(frame: pd.DataFrame) -> pd.DataFrame:
    """Coerce a frame to the :class:`TradeFlows` dtypes and validate it.

    Use it to bring one's own data (codes as plain strings, any integer
    dtype) into the canonical schema.

    Parameters
    ----------
    frame
        A frame with the ten :class:`TradeFlows` columns.

    Returns
    -------
    pandas.DataFrame
        A new, validated frame with compact dtypes.

    Raises
    ------
    pandera.errors.SchemaError
        When a column is missing or a value is invalid.

    Examples
    --------
    >>> raw = pd.DataFrame(
    ...     {
    ...         "flow": ["export"],
    ...         "year": [2024],
    ...         "quarter": [1],
    ...         "departement": ["36"],
    ...         "region": ["04"],
    ...         "a129": ["C21Z"],
    ...         "cpf4": ["2120"],
    ...         "country": ["NA"],
    ...         "value_eur": [52.0],
    ...         "mass_kg": [11.0],
    ...     }
    ... )
    >>> validate_trade_flows(raw).dtypes["country"]
    CategoricalDtype(categories=['NA'], ordered=False, categories_dtype=str)
    """
    missing = [c for c in TradeFlows.to_schema().columns if c not in frame.columns]
    if missing:
        raise pa.errors.SchemaError(  # type: ignore[no-untyped-call]
            TradeFlows.to_schema(), frame, f"missing columns: {missing}"
        )
    out = pd.DataFrame(
        {
            "flow": pd.Categorical(frame["flow"].astype(str), categories=list(FLOWS)),
            "year": frame["year"].astype("int16"),
            "quarter": frame["quarter"].astype("int8"),
            **{
                c: frame[c].astype(str).astype("category")
                if not isinstance(frame[c].dtype, pd.CategoricalDtype)
                else frame[c]
                for c in CODE_COLUMNS
            },
            "value_eur": frame["value_eur"].astype("float64"),
            "mass_kg": frame["mass_kg"].astype("float64"),
        },
        index=pd.RangeIndex(len(frame)),
    )
    if out["flow"].isna().any():
        bad = frame.loc[out["flow"].isna().to_numpy(), "flow"].iloc[0]
        raise pa.errors.SchemaError(  # type: ignore[no-untyped-call]
            TradeFlows.to_schema(),
            frame,
            f"flow must be 'export' or 'import', got {bad!r}",
        )
    return TradeFlows.validate(out)


# --------------------------------------------------------------------------- indicator tables


class Totals(pa.DataFrameModel):
    """Exports, imports, balance and coverage rate of territories, per year.

    ``coverage_rate`` = exports / imports (NaN when imports are zero).
    """

    territory: Series[str]
    year: Series[int]
    export_eur: Series[float]
    import_eur: Series[float]
    balance_eur: Series[float]
    coverage_rate: Series[float] = pa.Field(nullable=True)

    class Config:
        """Schema options."""

        strict = True


class Shares(pa.DataFrameModel):
    """A territory's value per flow and its shares of its région and of France.

    Shares are fractions (0.046, not 4.6); NaN where there is no parent région
    or the denominator is zero.
    """

    territory: Series[str]
    year: Series[int]
    flow: Series[str] = pa.Field(isin=list(FLOWS))
    value_eur: Series[float]
    region_eur: Series[float] = pa.Field(nullable=True)
    france_eur: Series[float]
    share_of_region: Series[float] = pa.Field(nullable=True)
    share_of_france: Series[float] = pa.Field(nullable=True)
    #: Missing when the région and France cover the territory's quarters of
    #: the flow and no more; else the territory's quarters (``"1,2"``), over
    #: which ``region_eur``, ``france_eur`` and both shares are computed.
    shares_quarters: Series[str] = pa.Field(nullable=True, required=False)

    class Config:
        """Schema options."""

        strict = True


class ProductShares(pa.DataFrameModel):
    """Top products of a flow plus one ``AUTRES`` row, with shares of the flow total."""

    territory: Series[str]
    year: Series[int]
    flow: Series[str] = pa.Field(isin=list(FLOWS))
    code: Series[str]
    name: Series[str]
    value_eur: Series[float]
    share: Series[float] = pa.Field(nullable=True)
    rank: Series[int] = pa.Field(ge=1)
    is_other: Series[bool]

    class Config:
        """Schema options."""

        strict = True


class Partners(pa.DataFrameModel):
    """Main partner countries with exports, imports and balance (butterfly).

    ``balance_eur`` is unknown (NaN) in a fiche whose exports and imports
    cover different quarters (:attr:`frtrade.indicators.Coverage.balanced`).
    """

    territory: Series[str]
    year: Series[int]
    code: Series[str]
    name: Series[str]
    export_eur: Series[float]
    import_eur: Series[float]
    balance_eur: Series[float] = pa.Field(nullable=True)
    total_eur: Series[float]
    rank: Series[int] = pa.Field(ge=1)

    class Config:
        """Schema options."""

        strict = True


class SankeyLinks(pa.DataFrameModel):
    """Links of a two-column Sankey: product → country (export), country → product (import).

    ``source_rank`` / ``target_rank`` give the node order (``AUTRES`` last);
    ``highlight`` marks the k largest links whose two ends are not ``AUTRES``.
    """

    territory: Series[str]
    year: Series[int]
    flow: Series[str] = pa.Field(isin=list(FLOWS))
    source: Series[str]
    target: Series[str]
    source_name: Series[str]
    target_name: Series[str]
    source_rank: Series[int] = pa.Field(ge=1)
    target_rank: Series[int] = pa.Field(ge=1)
    value_eur: Series[float]
    highlight: Series[bool]

    class Config:
        """Schema options."""

        strict = True


# --------------------------------------------------------------------------- issue 11 indicators


class Evolution(pa.DataFrameModel):
    """Value by year of each flow and of the balance, with its changes.

    ``change_eur`` = V(y) − V(y−1) (null when y−1 is not loaded);
    ``change_pct`` = change / V(y−1) (a fraction; null when V(y−1) = 0 and
    for the balance); ``cagr`` = (V(y)/V(y0))^(1/(y−y0)) − 1 from the first
    year loaded y0 (null for y0, when V(y0) ≤ 0, and for the balance).
    ``value_eur`` is null for a year in which the data hold no row of the flow,
    or hold it in fewer quarters than in the chosen year (then ``cagr``, from
    the first year loaded, is null too when that first year is such a year).

    When the chosen year is in progress (the data hold only some of its
    quarters, e.g. 1 to 3), every year's value covers these quarters only, so
    that each change compares the same quarters: ``quarters`` lists them
    (``"1,2,3"``; for the balance, when both flows have the same quarters,
    else the balance is null). Without it, every value covers a whole year.
    """

    territory: Series[str]
    year: Series[int]
    flow: Series[str] = pa.Field(isin=["export", "import", "balance"])
    value_eur: Series[float] = pa.Field(nullable=True)
    change_eur: Series[float] = pa.Field(nullable=True)
    change_pct: Series[float] = pa.Field(nullable=True)
    cagr: Series[float] = pa.Field(nullable=True)
    quarters: Series[str] = pa.Field(nullable=True, required=False)

    class Config:
        """Schema options."""

        strict = True


class Contributions(pa.DataFrameModel):
    """Contributions of partners or products to the change of a flow or the balance.

    ``contribution_pp`` = 100 × change_item / V(y−1) (for the balance: / |B(y−1)|).
    Top 10 by |change_eur| (ties: code) plus ``AUTRES``; the rows sum exactly
    to the total change. ``quarters``: as in :class:`Evolution` (both years
    compared on the chosen year's quarters when it is in progress; no
    balance rows when the two flows have different quarters).
    """

    territory: Series[str]
    year: Series[int]
    flow: Series[str] = pa.Field(isin=["export", "import", "balance"])
    dimension: Series[str] = pa.Field(isin=["partner", "product"])
    code: Series[str]
    name: Series[str]
    previous_eur: Series[float]
    value_eur: Series[float]
    change_eur: Series[float]
    contribution_pp: Series[float] = pa.Field(nullable=True)
    rank: Series[int] = pa.Field(ge=1)
    is_other: Series[bool]
    quarters: Series[str] = pa.Field(nullable=True, required=False)

    class Config:
        """Schema options."""

        strict = True


class Exposure(pa.DataFrameModel):
    """Share of a flow going to (exports) or coming from (imports) a partner group."""

    territory: Series[str]
    year: Series[int]
    flow: Series[str] = pa.Field(isin=list(FLOWS))
    group: Series[str]
    value_eur: Series[float] = pa.Field(ge=0)
    share: Series[float] = pa.Field(ge=0, le=1, nullable=True)

    class Config:
        """Schema options."""

        strict = True


class ExposureProducts(pa.DataFrameModel):
    """The products with the largest value to (from) one partner."""

    territory: Series[str]
    year: Series[int]
    flow: Series[str] = pa.Field(isin=list(FLOWS))
    partner: Series[str]
    code: Series[str]
    name: Series[str]
    value_eur: Series[float] = pa.Field(gt=0)
    share_of_product: Series[float] = pa.Field(ge=0, le=1)
    share_of_partner: Series[float] = pa.Field(ge=0, le=1)
    rank: Series[int] = pa.Field(ge=1)

    class Config:
        """Schema options."""

        strict = True


class Dependence(pa.DataFrameModel):
    """For the largest imported products: the largest supplier and its share."""

    territory: Series[str]
    year: Series[int]
    code: Series[str]
    name: Series[str]
    value_eur: Series[float] = pa.Field(gt=0)
    top_supplier: Series[str]
    top_supplier_name: Series[str]
    top_supplier_share: Series[float] = pa.Field(ge=0, le=1)
    rank: Series[int] = pa.Field(ge=1)

    class Config:
        """Schema options."""

        strict = True


class Concentration(pa.DataFrameModel):
    """Herfindahl-Hirschman indices (0–10 000) and the partners making 80 %."""

    territory: Series[str]
    year: Series[int]
    flow: Series[str] = pa.Field(isin=list(FLOWS))
    value_eur: Series[float] = pa.Field(ge=0)
    hhi_partners: Series[float] = pa.Field(ge=0, le=10_000.000001, nullable=True)
    hhi_products: Series[float] = pa.Field(ge=0, le=10_000.000001, nullable=True)
    n80_partners: Series[pd.Int64Dtype] = pa.Field(ge=1, nullable=True)

    class Config:
        """Schema options."""

        strict = True


class Specialisation(pa.DataFrameModel):
    """Location quotients against France, per flow and product."""

    territory: Series[str]
    year: Series[int]
    flow: Series[str] = pa.Field(isin=list(FLOWS))
    code: Series[str]
    name: Series[str]
    value_eur: Series[float] = pa.Field(gt=0)
    share: Series[float] = pa.Field(gt=0, le=1)
    share_france: Series[float] = pa.Field(gt=0, le=1)
    lq: Series[float] = pa.Field(gt=0)
    rank: Series[int] = pa.Field(ge=1)

    class Config:
        """Schema options."""

        strict = True


class BalanceContribution(pa.DataFrameModel):
    """CEPII contribution to the trade balance of each product (sums to 0)."""

    territory: Series[str]
    year: Series[int]
    code: Series[str]
    name: Series[str]
    export_eur: Series[float] = pa.Field(ge=0)
    import_eur: Series[float] = pa.Field(ge=0)
    contribution_pct: Series[float]
    rank: Series[int] = pa.Field(ge=1)

    class Config:
        """Schema options."""

        strict = True


class Ranks(pa.DataFrameModel):
    """Rank of each département among the départements with rows in the year."""

    territory: Series[str]
    year: Series[int]
    metric: Series[str]
    value: Series[float] = pa.Field(nullable=True)
    rank: Series[pd.Int64Dtype] = pa.Field(ge=1, nullable=True)
    of: Series[int] = pa.Field(ge=0)

    class Config:
        """Schema options."""

        strict = True
