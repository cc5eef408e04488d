"""Issue 12: the numpy aggregations equal the plain pandas they replace.

Each fast helper of the indicators and the loader is checked, on generated
frames (ties, missing keys, text and categorical keys, -0.0, empty frames),
against the pandas code it stands for:

- ``_group_sum_rows``: the sums of ``groupby(...).sum()`` and, per row, its group;
- ``_ranks_in_groups`` and ``_rank``: ``sort_values(kind="mergesort")`` + ``cumcount``;
- ``_two_years``: the ``pivot_table`` of two years;
- the Sankey links: a plain pandas Sankey (rank, merge, group-by) written here;
- ``_held_quarters``, ``schemas._used_values``, ``dgddi._distinct``: their pandas forms.
"""

from __future__ import annotations

import hypothesis.strategies as st
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from frtrade import schemas
from frtrade.dgddi import _distinct
from frtrade.indicators import sankey_links
from frtrade.indicators._core import (
    OTHER,
    _group_sum,
    _group_sum_rows,
    _rank_within,
    _ranks_in_groups,
)
from frtrade.indicators._measures import _rank, _two_years
from frtrade.indicators._registry import _held_quarters
from frtrade.territories import Territory
from frtrade.testing import tiny_trade_flows

CODES = ["B", "A", "AB", "a", "É", "10", "9", "AUTRES"]


@st.composite
def frames(draw: st.DrawFn, *, min_rows: int = 0) -> pd.DataFrame:
    """Rows with a categorical, a text, a small integer key and tied values."""
    n = draw(st.integers(min_rows, 40))
    categories = draw(st.permutations(CODES))  # categories not in text order
    pick = st.lists(st.sampled_from(CODES), min_size=n, max_size=n)
    values = st.lists(
        st.sampled_from([0.0, -0.0, 1.0, 2.5, 2.5, 1e9, -3.0, 0.1, 0.2]),
        min_size=n,
        max_size=n,
    )
    cat = pd.Categorical(draw(pick), categories=categories)
    if n and draw(st.booleans()):
        cat[draw(st.integers(0, n - 1))] = np.nan  # a missing key
    return pd.DataFrame(
        {
            "c": cat,
            "t": pd.Series(draw(pick), dtype=str),
            "y": np.array(
                draw(
                    st.lists(
                        st.sampled_from([2019, 2020, 2024]), min_size=n, max_size=n
                    )
                ),
                dtype=np.int64,
            ),
            "value_eur": draw(values),
        }
    )


@settings(max_examples=150, deadline=None)
@given(frame=frames(), keys=st.sampled_from([["c"], ["t"], ["y"], ["c", "y", "t"]]))
def test_group_sum_rows_are_pandas_groupby(frame, keys):
    sums, rows = _group_sum_rows(frame, keys)
    expected = frame.groupby(keys, observed=True)["value_eur"].sum().reset_index()
    assert list(sums.columns) == [*keys, "value_eur"]
    assert len(sums) == len(expected)
    for key in keys:
        assert sums[key].astype(str).tolist() == expected[key].astype(str).tolist()
    np.testing.assert_allclose(sums["value_eur"], expected["value_eur"], rtol=1e-12)
    # each row points at its own group, -1 when a key is missing
    assert len(rows) == len(frame)
    missing = frame[keys].isna().any(axis=1).to_numpy()
    assert (rows[missing] == -1).all()
    kept = frame.loc[~missing, keys].reset_index(drop=True)
    assert kept.astype(str).equals(
        sums.iloc[rows[~missing]][keys].astype(str).reset_index(drop=True)
    )
    assert _group_sum(frame, keys).equals(sums)


@settings(max_examples=150, deadline=None)
@given(frame=frames(), key=st.sampled_from(["c", "t"]))
def test_ranks_in_groups_are_the_mergesort_ranks(frame, key):
    by = ["y"]
    sums = _group_sum(frame, [*by, key])
    rank = _ranks_in_groups(sums, by, key)
    expected = _rank_within(frame, by, key)  # value desc, then the code as text
    got = sums.assign(rank=rank)
    got[key] = got[key].astype(str)
    merged = expected.merge(got, on=[*by, key], suffixes=("", "_fast"))
    assert len(merged) == len(expected) == len(sums)
    assert (merged["rank"] == merged["rank_fast"]).all()


@settings(max_examples=150, deadline=None)
@given(
    frame=frames(),
    order=st.sampled_from(
        [
            (["value_eur", "t"], [False, True]),
            (["t", "value_eur"], [True, False]),
            (["c"], [False]),
            (["value_eur"], [True]),
        ]
    ),
    by=st.sampled_from([[], ["y"], ["y", "c"]]),
)
def test_rank_is_pandas_sort_then_cumcount(frame, order, by):
    columns, ascending = order
    frame = frame.dropna(subset=by)
    got = _rank(frame, by, columns, ascending)
    expected = frame.sort_values(
        [*by, *columns], ascending=[True] * len(by) + ascending, kind="mergesort"
    ).reset_index(drop=True)
    if by:
        expected["rank"] = expected.groupby(by, sort=False).cumcount() + 1
    else:
        expected["rank"] = np.arange(1, len(expected) + 1)
    pd.testing.assert_frame_equal(got, expected.astype({"rank": "int64"}))


@settings(max_examples=150, deadline=None)
@given(frame=frames())
def test_two_years_is_the_pivot_of_two_years(frame):
    frame = frame.assign(territory=frame["t"], flow=frame["c"], year=frame["y"])
    got = _two_years(frame, ["territory", "flow", "t"], 2019, 2024)
    sums = (
        frame.dropna(subset=["flow"])
        .groupby(["territory", "flow", "t", "year"], observed=True)["value_eur"]
        .sum()
        .reset_index()
    )
    for column in ("territory", "flow", "t"):
        sums[column] = sums[column].astype(str)
    if sums.empty:
        assert got.empty
        return
    wide = sums.pivot_table(
        index=["territory", "flow", "t"],
        columns="year",
        values="value_eur",
        aggfunc="sum",
        fill_value=0.0,
    )
    wide = wide.reindex(columns=[2019, 2024], fill_value=0.0).reset_index()
    wide.columns = ["territory", "flow", "code", "previous_eur", "value_eur"]
    pd.testing.assert_frame_equal(got, wide, check_dtype=False)


def _plain_sankey(flows: pd.DataFrame, territory: Territory, flow: str, n: int):
    """The Sankey links in plain pandas: rank each side, cap at n + 1, group."""
    rows = flows.loc[territory.mask(flows) & (flows["flow"] == flow).to_numpy()]
    cells = rows.groupby(["a129", "country"], observed=True)["value_eur"].sum()
    cells = cells.reset_index().astype({"a129": str, "country": str})
    for key in ("a129", "country"):
        side = cells.groupby(key)["value_eur"].sum().reset_index()
        side = side.sort_values(["value_eur", key], ascending=[False, True])
        side[f"{key}_rank"] = np.minimum(np.arange(1, len(side) + 1), n + 1)
        cells = cells.merge(side[[key, f"{key}_rank"]], on=key)
        cells[key] = np.where(cells[f"{key}_rank"] > n, OTHER, cells[key])
    return cells.groupby(["a129", "country", "a129_rank", "country_rank"])[
        "value_eur"
    ].sum()


@pytest.mark.parametrize("n", [1, 2, 10])
@pytest.mark.parametrize("flow", ["export", "import"])
@pytest.mark.parametrize("code", ["36", "18", "75"])
def test_sankey_links_are_the_plain_pandas_links(code, flow, n):
    flows = tiny_trade_flows()
    territory = Territory.departement(code)
    links = sankey_links(flows, territory, flow=flow, n_products=n, n_countries=n)
    product, country = (
        ("source", "target") if flow == "export" else ("target", "source")
    )
    got = links.set_index([product, country, f"{product}_rank", f"{country}_rank"])[
        "value_eur"
    ]
    expected = _plain_sankey(flows, territory, flow, n)
    assert len(got) == len(expected)
    for key, value in expected.items():
        assert got.loc[key] == pytest.approx(value, rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    years=st.lists(st.sampled_from([2019, 2023, 2024]), min_size=0, max_size=12),
    data=st.data(),
)
def test_held_quarters_are_the_groupby_triples(years, data):
    n = len(years)
    flows_ = data.draw(
        st.lists(st.sampled_from(["export", "import"]), min_size=n, max_size=n)
    )
    quarters = data.draw(st.lists(st.integers(1, 4), min_size=n, max_size=n))
    frame = pd.DataFrame(
        {
            "flow": pd.Categorical(flows_, categories=["export", "import"]),
            "year": np.array(years, dtype=np.int16),
            "quarter": np.array(quarters, dtype=np.int8),
        }
    )
    triples = frame.groupby(["flow", "year", "quarter"], observed=True).size().index
    expected: dict[tuple[str, int], set[int]] = {}
    for f, y, q in triples:
        expected.setdefault((str(f), int(y)), set()).add(int(q))
    assert _held_quarters(frame) == {k: frozenset(v) for k, v in expected.items()}
    assert _held_quarters(frame.astype({"flow": str})) == _held_quarters(frame)


@settings(max_examples=100, deadline=None)
@given(frame=frames())
def test_used_values_and_distinct_are_numpys_unique(frame):
    codes = np.unique(np.asarray(frame["c"].cat.codes))
    categories = list(frame["c"].cat.categories)
    assert schemas._used_values(frame["c"]) == [categories[i] for i in codes if i >= 0]
    assert _distinct(frame["y"].to_numpy()).tolist() == np.unique(frame["y"]).tolist()
