"""The one long table every indicator reads, grouped by (territory, year)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from frtrade.indicators._core import (
    _VALUE,
    ProductLevel,
    _categorical,
    _from_codes,
    _group_sum,
    _product_codes,
    region_key,
    territory_key,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from frtrade.territories import Territory

__all__ = ["LONG_COLUMNS", "trade_long"]

#: Columns of :func:`trade_long`.
LONG_COLUMNS = ("territory", "year", "flow", "product", "country", _VALUE)

_KINDS = ("departement", "region", "france")


def trade_long(
    flows: pd.DataFrame,
    territory: Territory | None = None,
    *,
    years: Sequence[int] | None = None,
    level: ProductLevel = "a129",
    kinds: Sequence[str] = _KINDS,
    aggregate: bool = True,
) -> pd.DataFrame:
    """Values summed by territory, year, flow, product and partner country.

    Parameters
    ----------
    flows
        A :class:`~frtrade.schemas.TradeFlows` table.
    territory
        One territory, or ``None`` for every département, région and France
        present (keys of :func:`territory_key` / :func:`region_key`).
    years
        Years to keep (default: all).
    level
        Product level of the ``product`` column.
    kinds
        With ``territory=None``: which kinds of territories to include
        (``"departement"``, ``"region"``, ``"france"``).
    aggregate
        Sort the rows by key (default). Keys are unique either way (a
        région's and France's rows are summed over their départements);
        indicators that sum anyway pass ``False`` to skip the final pass:
        rows then come by kind of territory (départements, régions, France).

    Returns
    -------
    pandas.DataFrame
        ``territory``, ``year`` (int64), ``flow``, ``product``, ``country``
        (categoricals) and ``value_eur``; one row per key (with
        ``aggregate=True``), zero-value rows kept as in the data.

    Examples
    --------
    >>> from frtrade.testing import tiny_trade_flows
    >>> long = trade_long(tiny_trade_flows())
    >>> long.groupby("territory", observed=True).value_eur.sum().to_dict()["region-24"]
    2400.0
    """
    sub = flows
    if years is not None:
        sub = sub.loc[np.isin(sub["year"].to_numpy(), list(years))]
    if territory is not None:
        sub = sub.loc[territory.mask(sub)]
    base = _group_sum(
        pd.DataFrame(
            {
                "year": sub["year"].to_numpy().astype(np.int64),
                "departement": _categorical(sub["departement"]),
                "region": _categorical(sub["region"]),
                "flow": _categorical(sub["flow"]),
                "product": _product_codes(sub, level),
                "country": _categorical(sub["country"]),
                _VALUE: sub[_VALUE].to_numpy(dtype=float),
            }
        ),
        ["year", "departement", "region", "flow", "product", "country"],
    )
    cols = ["year", "flow", "product", "country", _VALUE]

    def keyed(column: str | None, key: str) -> pd.DataFrame:
        part = base[cols].copy()
        if column is None:
            part["territory"] = _from_codes(np.zeros(len(base), dtype=np.int64), [key])
        else:
            codes = base[column].cat
            names = [
                region_key(str(c)) if column == "region" else f"departement-{c}"
                for c in codes.categories
            ]
            part["territory"] = _from_codes(codes.codes.to_numpy(), names)
        if column == "departement":
            return part
        # A région's (France's) rows repeat once per département: sum them
        # once here so that every later pass reads 3x fewer rows.
        keys = ["territory", *cols[:-1]]
        return _group_sum(part, keys)[[*cols, "territory"]]

    if territory is not None:
        parts = [keyed(None, territory_key(territory))]
    else:
        parts = []
        if "departement" in kinds:
            parts.append(keyed("departement", "departement"))
        if "region" in kinds:
            parts.append(keyed("region", "region"))
        if "france" in kinds:
            parts.append(keyed(None, "france"))
    if not parts:
        raise ValueError(f"kinds must name some of {_KINDS}, got {list(kinds)}")
    data: dict[str, object] = {}
    for column in ("territory", *cols):
        if column in (_VALUE, "year"):
            data[column] = np.concatenate([p[column].to_numpy() for p in parts])
        else:
            data[column] = union_categoricals([p[column] for p in parts])
    long = pd.DataFrame(data)
    if aggregate:
        long = _group_sum(long, list(LONG_COLUMNS[:-1]))
    long["year"] = long["year"].astype(np.int64)
    return long[list(LONG_COLUMNS)]
