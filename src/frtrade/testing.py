"""Test helpers: tiny hand-made tables and hypothesis strategies.

Use them to property-test your own code on valid trade tables::

    from hypothesis import given
    from frtrade.testing import trade_flows


    @given(trade_flows())
    def test_my_indicator_keeps_the_total(flows): ...

Every strategy draws valid :class:`~frtrade.schemas.TradeFlows` tables
(codes from small realistic pools, so that groups collide and aggregations
have something to do).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from hypothesis import strategies as st

from frtrade.schemas import TRADE_FLOWS_COLUMNS, validate_trade_flows

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["TINY_ROWS", "tiny_trade_flows", "trade_flows", "trade_rows"]

#: Rows of :func:`tiny_trade_flows`: flow, year, quarter, département,
#: région (DGDDI), A129, CPF4, country, value (€), mass (kg).
TINY_ROWS: tuple[tuple[str, int, int, str, str, str, str, str, float, float], ...] = (
    ("export", 2024, 1, "36", "04", "C21Z", "2120", "US", 600.0, 10.0),
    ("export", 2024, 2, "36", "04", "C21Z", "2120", "DE", 300.0, 5.0),
    ("export", 2024, 1, "36", "04", "C29A", "2910", "DE", 100.0, 50.0),
    ("export", 2024, 3, "18", "04", "C30C", "3030", "US", 500.0, 2.0),
    ("export", 2024, 4, "75", "03", "C20B", "2042", "CN", 1000.0, 40.0),
    ("import", 2024, 1, "36", "04", "C26A", "2611", "CN", 400.0, 4.0),
    ("import", 2024, 2, "36", "04", "C21Z", "2120", "DE", 200.0, 3.0),
    ("import", 2024, 1, "18", "04", "C29A", "2910", "DE", 300.0, 150.0),
    ("import", 2024, 2, "75", "03", "C14Z", "1413", "CN", 900.0, 90.0),
)
_COLUMNS = list(TRADE_FLOWS_COLUMNS)


def tiny_trade_flows() -> pd.DataFrame:
    """A nine-row TradeFlows table, small enough to check results by hand.

    Exports: Indre (36) 1 000 €, Cher (18) 500 €, Paris (75) 1 000 €;
    imports: Indre 600 €, Cher 300 €, Paris 900 €.

    Returns
    -------
    pandas.DataFrame
        A validated :class:`~frtrade.schemas.TradeFlows` table.

    Examples
    --------
    >>> tiny_trade_flows().groupby("flow", observed=True).value_eur.sum().to_dict()
    {'export': 2500.0, 'import': 1800.0}
    """
    return validate_trade_flows(pd.DataFrame.from_records(TINY_ROWS, columns=_COLUMNS))


_DEPARTEMENTS = (
    ("36", "04"),
    ("18", "04"),
    ("37", "04"),
    ("75", "03"),
    ("92", "03"),
    ("99", "21"),
    ("20", "22"),
    ("9D", "24"),
)
_PRODUCTS = (
    ("C21Z", "2120"),
    ("C21Z", "2110"),
    ("C29A", "2910"),
    ("C30C", "3030"),
    ("C20B", "2042"),
    ("C26A", "2611"),
    ("A01Z", "0111"),
    ("C10E", "1051"),
)
_COUNTRIES = ("DE", "US", "CN", "IT", "BE", "NA", "XS", "QU", "GB", "CH", "ES", "NL")


@st.composite
def trade_rows(
    draw: st.DrawFn,
    *,
    flows: Sequence[str] = ("export", "import"),
    years: Sequence[int] = (2024,),
    max_value: int = 10**9,
) -> tuple[str, int, int, str, str, str, str, str, float, float]:
    """Draw one valid row of a TradeFlows table.

    Parameters
    ----------
    draw
        Supplied by hypothesis.
    flows, years
        Pools to draw the flow and year from.
    max_value
        Largest value in euros (values are whole euros, as DGDDI publishes).

    Returns
    -------
    tuple
        A row in :data:`TINY_ROWS` order.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(trade_rows(flows=["export"]))
    ... def check(row):
    ...     assert row[0] == "export" and 1 <= row[2] <= 4
    >>> check()
    """
    dep, reg = draw(st.sampled_from(_DEPARTEMENTS))
    a129, cpf4 = draw(st.sampled_from(_PRODUCTS))
    return (
        draw(st.sampled_from(list(flows))),
        draw(st.sampled_from(list(years))),
        draw(st.integers(1, 4)),
        dep,
        reg,
        a129,
        cpf4,
        draw(st.sampled_from(_COUNTRIES)),
        float(draw(st.integers(0, max_value))),
        float(draw(st.integers(0, max_value // 10))),
    )


@st.composite
def trade_flows(
    draw: st.DrawFn,
    *,
    min_rows: int = 1,
    max_rows: int = 60,
    flows: Sequence[str] = ("export", "import"),
    years: Sequence[int] = (2024,),
    unique_keys: bool = True,
) -> pd.DataFrame:
    """Draw a valid :class:`~frtrade.schemas.TradeFlows` table.

    Parameters
    ----------
    draw
        Supplied by hypothesis.
    min_rows, max_rows
        Size bounds.
    flows, years
        Pools of flows and years.
    unique_keys
        When true (default), no two rows share flow, year, quarter,
        département, CPF4 and country, as in DGDDI's files.

    Returns
    -------
    pandas.DataFrame
        A validated table.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(trade_flows(max_rows=5))
    ... def check(flows):
    ...     assert (flows.value_eur >= 0).all()
    >>> check()
    """
    row = trade_rows(flows=flows, years=years)
    if unique_keys:
        rows = draw(
            st.lists(
                row,
                min_size=min_rows,
                max_size=max_rows,
                unique_by=lambda r: (r[0], r[1], r[2], r[3], r[6], r[7]),
            )
        )
    else:
        rows = draw(st.lists(row, min_size=min_rows, max_size=max_rows))
    return validate_trade_flows(pd.DataFrame.from_records(rows, columns=_COLUMNS))
