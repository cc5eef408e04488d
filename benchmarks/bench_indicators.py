"""Benchmark: load + every indicator table for every territory, frtrade vs DuckDB.

Usage::

    python benchmarks/bench_indicators.py            # the embedded 2019-2024 dataset
    python benchmarks/bench_indicators.py --large    # a 3.5-million-row-per-flow year

frtrade: ``load_dgddi`` + ``all_territories(indicators=True)`` (the fiche tables and every
registered indicator for every département, région and France). DuckDB (a benchmark-only
dependency, ``pip install duckdb``): reads the same data members, sums them once into
(territory, year, flow, product, country) cells, and computes from them, in SQL, the same
14 tables: totals, shares of région and France, top partners, top products + AUTRES,
Sankey links (top 10 + autres on both sides, 5 highlighted), evolution over every year,
contributions of partners and products (and the balance by partner), US / EU / CN
exposure, exposure products, dependence, concentration (HHI, ``n80_partners``),
location quotients, CEPII balance contributions and ranks among départements. The script
checks that both give the same numbers (every row and value of every table) before
printing the time ratio.

Times are CPU times of this process (``time.process_time``: every thread, so
DuckDB's parallel threads count), min - max over ``--repeat`` runs (default
3) alternating frtrade and DuckDB; the machine may be shared. The first frtrade run
also pays one-time imports (pandera imports hypothesis on its first validation).

Measured on 2026-11-28 (2 shared cores), CPU s, min - max:

==========================================  ===============  ===============  =====
data                                        frtrade          DuckDB           ratio
==========================================  ===============  ===============  =====
large, subset peer, ``aa17612``             22.10 - 23.77    14.92 - 16.63    1.48
large, subset peer, ``f6135e7``             11.46 - 12.74    14.73 - 14.96    0.78
embedded, subset peer, ``f6135e7``          1.13 - 1.29      1.06 - 1.09      1.06
large, same-work peer, ``8cd4f04`` (2)      14.34 - 14.87    13.66 - 13.88    1.05
embedded, same-work peer, ``8cd4f04`` (5)   1.41 - 1.65      1.30 - 1.36      1.08
large, same-work peer, ``63269fe`` (3)      9.66 - 11.34     13.60 - 14.45    0.71
embedded, same-work peer, ``63269fe`` (5)   1.18 - 1.54      1.30 - 1.36      0.91
==========================================  ===============  ===============  =====

The ratio is min / min. "Subset peer": DuckDB computed 5 of the 14 tables, for one
year; the same-work peer computes all of them.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

import frtrade
from frtrade.datasets import fictitious_dataset_files
from frtrade.indicators import eu_members, region_key

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

HERE = Path(__file__).parent
DATA = HERE / "data"

COLUMNS = (
    "flux VARCHAR, quarter INTEGER, year INTEGER, dep VARCHAR, reg VARCHAR, "
    "a129 VARCHAR, cpf4 VARCHAR, country VARCHAR, value DOUBLE, mass DOUBLE"
)


def _members(files: list[Path], into: Path) -> list[Path]:
    out = []
    for path in files:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                base = name.rsplit("/", 1)[-1].lower()
                if base.startswith(("region_", "regional_")) and base.endswith(".txt"):
                    target = into / f"{path.stem}_{base}"
                    target.write_bytes(archive.read(name))
                    out.append(target)
    return out


def duckdb_tables(files: list[Path], year: int) -> dict[str, pd.DataFrame]:
    """The same indicators in SQL (one year, every territory)."""
    import duckdb

    con = duckdb.connect()
    with tempfile.TemporaryDirectory() as tmp:
        members = _members(files, Path(tmp))
        listing = ", ".join(f"'{m}'" for m in members)
        con.execute(
            f"CREATE TABLE raw AS SELECT * FROM read_csv([{listing}], delim=';', "
            f"header=false, columns={{{_columns_dict()}}})"
        )
    regions = frtrade.reference.regions()
    mapping = ", ".join(
        f"('{d}', '{region_key(str(d))}')" for d in regions["dgddi_code"]
    )
    eu = ", ".join(f"'{c}'" for c in sorted(eu_members(year)))
    con.execute(f"CREATE TABLE rk AS SELECT * FROM (VALUES {mapping}) t(reg, key)")
    deps = frtrade.reference.departements()
    parents = ", ".join(
        f"('departement-{c}', '{region_key(str(r))}')"
        for c, r in zip(deps["code"], deps["region_dgddi"], strict=True)
    )
    con.execute(
        f"CREATE TABLE parent_of AS SELECT * FROM (VALUES {parents}) t(territory, parent)"
    )
    # The year and the year before (the contributions compare them), every
    # territory (département, its région, France), summed once by product and
    # country: every query below reads these cells.
    con.execute(f"""
        CREATE TABLE pair AS
        WITH base AS (
            SELECT year, CASE WHEN flux = 'E' THEN 'export' ELSE 'import' END AS flow,
                   dep, reg, a129 AS product, country, sum(value) AS value
            FROM raw WHERE year IN ({year - 1}, {year}) GROUP BY ALL)
        SELECT 'departement-' || dep AS territory, year, flow, product, country,
               sum(value) AS value
        FROM base GROUP BY ALL
        UNION ALL SELECT rk.key, year, flow, product, country, sum(value)
        FROM base JOIN rk USING (reg) GROUP BY ALL
        UNION ALL SELECT 'france', year, flow, product, country, sum(value)
        FROM base GROUP BY ALL
    """)
    con.execute(f"CREATE VIEW long AS SELECT * FROM pair WHERE year = {year}")
    out: dict[str, pd.DataFrame] = {}
    out["totals"] = con.execute(
        "SELECT territory, flow, sum(value) AS value FROM long GROUP BY ALL"
    ).df()
    out["concentration"] = con.execute("""
        WITH c AS (SELECT territory, flow, country, sum(value) v FROM long
                   GROUP BY ALL HAVING sum(value) > 0),
             p AS (SELECT territory, flow, product, sum(value) v FROM long
                   GROUP BY ALL HAVING sum(value) > 0),
             sc AS (SELECT territory, flow, v,
                        100 * v / sum(v) OVER (PARTITION BY territory, flow) AS s,
                        sum(v) OVER (PARTITION BY territory, flow ORDER BY v DESC, country
                                     ROWS UNBOUNDED PRECEDING)
                          / sum(v) OVER (PARTITION BY territory, flow) AS cum,
                        row_number() OVER (PARTITION BY territory, flow
                                           ORDER BY v DESC, country) AS r
                    FROM c),
             sp AS (SELECT territory, flow,
                        100 * v / sum(v) OVER (PARTITION BY territory, flow) AS s FROM p)
        SELECT a.territory, a.flow, a.hhi_partners, b.hhi_products, a.n80_partners
        FROM (SELECT territory, flow, sum(s * s) AS hhi_partners,
                     min(r) FILTER (WHERE cum >= 0.8 - 1e-12) AS n80_partners
              FROM sc GROUP BY ALL) a
        JOIN (SELECT territory, flow, sum(s * s) AS hhi_products FROM sp GROUP BY ALL) b
        USING (territory, flow)
    """).df()
    out["exposure"] = con.execute(f"""
        SELECT territory, flow,
               sum(value) FILTER (WHERE country = 'US') / sum(value) AS us,
               sum(value) FILTER (WHERE country IN ({eu})) / sum(value) AS eu
        FROM long WHERE value > 0 GROUP BY ALL
    """).df()
    out["specialisation"] = con.execute("""
        WITH t AS (SELECT territory, flow, product, sum(value) v FROM long
                   GROUP BY ALL HAVING sum(value) > 0),
             s AS (SELECT *, v / sum(v) OVER (PARTITION BY territory, flow) AS share
                   FROM t)
        SELECT s.territory, s.flow, s.product, s.share / f.share AS lq
        FROM s JOIN s f ON f.territory = 'france' AND f.flow = s.flow
                       AND f.product = s.product
    """).df()
    out["balance_contribution"] = con.execute("""
        WITH k AS (SELECT territory, product,
                          sum(value) FILTER (WHERE flow = 'export') AS x,
                          sum(value) FILTER (WHERE flow = 'import') AS m
                   FROM long GROUP BY ALL),
             k2 AS (SELECT territory, product, coalesce(x, 0) x, coalesce(m, 0) m FROM k
                    WHERE coalesce(x, 0) + coalesce(m, 0) > 0),
             t AS (SELECT *, sum(x) OVER (PARTITION BY territory) AS xt,
                          sum(m) OVER (PARTITION BY territory) AS mt FROM k2)
        SELECT territory, product,
               100 * ((x - m) - (xt - mt) * (x + m) / (xt + mt)) / ((xt + mt) / 2) AS c
        FROM t
    """).df()
    out.update(_duckdb_fiche_tables(con))
    out.update(_duckdb_more_indicators(con, year))
    return out


def _duckdb_fiche_tables(
    con: DuckDBPyConnection, n: int = 10, k: int = 5
) -> dict[str, pd.DataFrame]:
    """Shares, top partners, top products + AUTRES, Sankey links of the year."""
    out: dict[str, pd.DataFrame] = {}
    con.execute("""
        CREATE TABLE tot AS
        SELECT t.territory, f.flow, coalesce(sum(l.value), 0) AS v
        FROM (SELECT DISTINCT territory FROM long) t
        CROSS JOIN (VALUES ('export'), ('import')) f(flow)
        LEFT JOIN long l ON l.territory = t.territory AND l.flow = f.flow
        GROUP BY ALL
    """)
    out["shares"] = con.execute("""
        SELECT t.territory, t.flow, t.v,
               CASE WHEN p.v <> 0 THEN t.v / p.v END AS share_of_region,
               CASE WHEN f.v <> 0 AND t.territory <> 'france' THEN t.v / f.v END
                   AS share_of_france
        FROM tot t
        LEFT JOIN parent_of d USING (territory)
        LEFT JOIN tot p ON p.territory = d.parent AND p.flow = t.flow
        LEFT JOIN tot f ON f.territory = 'france' AND f.flow = t.flow
    """).df()
    out["partners"] = con.execute(f"""
        WITH c AS (SELECT territory, country,
                          coalesce(sum(value) FILTER (WHERE flow = 'export'), 0) AS x,
                          coalesce(sum(value) FILTER (WHERE flow = 'import'), 0) AS m
                   FROM long GROUP BY ALL),
             r AS (SELECT *,
                     row_number() OVER (PARTITION BY territory ORDER BY x DESC, country)
                         AS rx,
                     row_number() OVER (PARTITION BY territory ORDER BY m DESC, country)
                         AS rm
                   FROM c)
        SELECT territory, country AS code, x, m, x - m AS balance,
               row_number() OVER (PARTITION BY territory ORDER BY x + m DESC, country)
                   AS rank
        FROM r WHERE (rx <= {n} AND x <> 0) OR (rm <= {n} AND m <> 0)
    """).df()
    out["products"] = con.execute(f"""
        WITH p AS (SELECT territory, flow, product, sum(value) AS v FROM long GROUP BY ALL),
             r AS (SELECT *, row_number() OVER (PARTITION BY territory, flow
                                               ORDER BY v DESC, product) AS rk FROM p),
             t AS (SELECT territory, flow,
                          CASE WHEN rk <= {n} THEN product ELSE 'AUTRES' END AS code,
                          least(rk, {n + 1}) AS rank, sum(v) AS v
                   FROM r GROUP BY ALL)
        SELECT *, CASE WHEN sum(v) OVER w <> 0 THEN v / sum(v) OVER w END AS share
        FROM t WINDOW w AS (PARTITION BY territory, flow)
    """).df()
    out["sankey"] = con.execute(f"""
        WITH cell AS (SELECT territory, flow, product, country, sum(value) AS v
                      FROM long GROUP BY ALL),
             pr AS (SELECT territory, flow, product,
                           row_number() OVER (PARTITION BY territory, flow
                                              ORDER BY sum(v) DESC, product) AS r
                    FROM cell GROUP BY territory, flow, product),
             cr AS (SELECT territory, flow, country,
                           row_number() OVER (PARTITION BY territory, flow
                                              ORDER BY sum(v) DESC, country) AS r
                    FROM cell GROUP BY territory, flow, country),
             links AS (
                 SELECT territory, flow,
                        CASE WHEN pr.r <= {n} THEN product ELSE 'AUTRES' END AS p,
                        CASE WHEN cr.r <= {n} THEN country ELSE 'AUTRES' END AS c,
                        least(pr.r, {n + 1}) AS p_rank, least(cr.r, {n + 1}) AS c_rank,
                        sum(v) AS v
                 FROM cell JOIN pr USING (territory, flow, product)
                           JOIN cr USING (territory, flow, country)
                 GROUP BY ALL),
             st AS (SELECT *,
                           CASE WHEN flow = 'export' THEN p ELSE c END AS source,
                           CASE WHEN flow = 'export' THEN c ELSE p END AS target,
                           CASE WHEN flow = 'export' THEN p_rank ELSE c_rank END
                               AS source_rank,
                           CASE WHEN flow = 'export' THEN c_rank ELSE p_rank END
                               AS target_rank,
                           p <> 'AUTRES' AND c <> 'AUTRES' AS eligible
                    FROM links)
        SELECT territory, flow, source, target, source_rank, target_rank, v,
               eligible AND row_number() OVER (
                   PARTITION BY territory, flow
                   ORDER BY eligible DESC, v DESC, source, target) <= {k} AS highlight
        FROM st
    """).df()
    return out


def _duckdb_more_indicators(
    con: DuckDBPyConnection, year: int, n: int = 10, partner: str = "US"
) -> dict[str, pd.DataFrame]:
    """Evolution (every year), contributions, exposure products, dependence, ranks."""
    out: dict[str, pd.DataFrame] = {}
    out["evolution"] = con.execute("""
        WITH d AS (SELECT year, CASE WHEN flux = 'E' THEN 'export' ELSE 'import' END
                              AS flow, dep, reg, sum(value) AS v
                   FROM raw GROUP BY ALL),
             y AS (SELECT 'departement-' || dep AS territory, year, flow, v FROM d
                   UNION ALL SELECT rk.key, year, flow, v FROM d JOIN rk USING (reg)
                   UNION ALL SELECT 'france', year, flow, v FROM d),
             fy AS (SELECT DISTINCT year, flow FROM y),
             g AS (SELECT territory, fy.year, fy.flow
                   FROM (SELECT DISTINCT territory FROM y) CROSS JOIN fy),
             -- 0 for a territory without rows of a flow in a year, unknown
             -- (NULL) when no territory has any (the file is missing)
             w AS (SELECT g.territory, g.year,
                          CASE WHEN count(*) FILTER (WHERE g.flow = 'export') > 0
                               THEN coalesce(sum(y.v) FILTER (WHERE g.flow = 'export'), 0)
                          END AS x,
                          CASE WHEN count(*) FILTER (WHERE g.flow = 'import') > 0
                               THEN coalesce(sum(y.v) FILTER (WHERE g.flow = 'import'), 0)
                          END AS m
                   FROM g LEFT JOIN y USING (territory, year, flow) GROUP BY ALL),
             l AS (SELECT territory, year, 'export' AS flow, x AS v FROM w
                   UNION ALL SELECT territory, year, 'import', m FROM w
                   UNION ALL SELECT territory, year, 'balance', x - m FROM w)
        SELECT territory, year, flow, v,
               v - lag(v) OVER s AS change,
               CASE WHEN flow <> 'balance' AND lag(v) OVER s <> 0
                    THEN (v - lag(v) OVER s) / lag(v) OVER s END AS pct,
               CASE WHEN flow <> 'balance' AND year > min(year) OVER t
                         AND first(v) OVER s > 0 AND v >= 0
                    THEN pow(v / first(v) OVER s, 1.0 / (year - min(year) OVER t)) - 1
               END AS cagr
        FROM l
        WINDOW s AS (PARTITION BY territory, flow ORDER BY year
                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
               t AS (PARTITION BY territory, flow)
    """).df()
    # A flow without rows in either year has no known change (nothing at all
    # when the data hold one year), and then no balance either.
    known = [
        flow
        for (flow,) in con.execute(
            "SELECT flow FROM pair GROUP BY flow HAVING count(DISTINCT year) = 2"
        ).fetchall()
    ]
    listing = ", ".join(f"'{f}'" for f in known) or "NULL"
    frames = []
    for dimension, column in (("partner", "country"), ("product", "product")):
        balance = (
            """
            UNION ALL
            SELECT territory, 'balance', code,
                   sum(CASE WHEN flow = 'export' THEN p ELSE -p END),
                   sum(CASE WHEN flow = 'export' THEN v ELSE -v END),
                   abs(sum(sum(CASE WHEN flow = 'export' THEN p ELSE -p END))
                       OVER (PARTITION BY territory))
            FROM w GROUP BY territory, code"""
            if dimension == "partner" and len(known) == 2
            else ""
        )
        frames.append(
            con.execute(f"""
            WITH s AS (SELECT territory, flow, {column} AS code,
                              coalesce(sum(value) FILTER (WHERE year = {year - 1}), 0) p,
                              coalesce(sum(value) FILTER (WHERE year = {year}), 0) v
                       FROM pair WHERE flow IN ({listing}) GROUP BY ALL),
                 w AS (SELECT * FROM s WHERE p > 0 OR v > 0),
                 parts AS (SELECT territory, flow, code, p, v,
                                  sum(p) OVER (PARTITION BY territory, flow) AS den
                           FROM w {balance}),
                 r AS (SELECT *, row_number() OVER (PARTITION BY territory, flow
                                                    ORDER BY abs(v - p) DESC, code) AS rk
                       FROM parts),
                 t AS (SELECT territory, flow,
                              CASE WHEN rk <= {n} THEN code ELSE 'AUTRES' END AS code,
                              least(rk, {n + 1}) AS rank, sum(p) AS p, sum(v) AS v,
                              any_value(den) AS den
                       FROM r GROUP BY ALL)
            SELECT territory, flow, '{dimension}' AS dimension, code, rank, p, v,
                   v - p AS change,
                   CASE WHEN den <> 0 THEN 100 * (v - p) / den END AS contribution_pp
            FROM t
        """).df()
        )
    out["contributions"] = pd.concat(frames, ignore_index=True)
    out["exposure_products"] = con.execute(f"""
        WITH pt AS (SELECT territory, flow, product, sum(value) AS t FROM long
                    GROUP BY ALL),
             tp AS (SELECT territory, flow, product, sum(value) AS v FROM long
                    WHERE country = '{partner}' GROUP BY ALL HAVING sum(value) > 0),
             r AS (SELECT tp.*, least(v / t, 1) AS share_of_product,
                          least(v / sum(v) OVER w, 1) AS share_of_partner,
                          row_number() OVER (w ORDER BY v DESC, product) AS rank
                   FROM tp JOIN pt USING (territory, flow, product)
                   WINDOW w AS (PARTITION BY territory, flow))
        SELECT * FROM r WHERE rank <= {n}
    """).df()
    out["dependence"] = con.execute(f"""
        WITH c AS (SELECT territory, product, country, sum(value) AS v FROM long
                   WHERE flow = 'import' GROUP BY ALL HAVING sum(value) > 0),
             p AS (SELECT territory, product, sum(v) AS v,
                          row_number() OVER (PARTITION BY territory
                                             ORDER BY sum(v) DESC, product) AS rank
                   FROM c GROUP BY territory, product),
             s AS (SELECT territory, product, country, v FROM (
                     SELECT *, row_number() OVER (PARTITION BY territory, product
                                                  ORDER BY v DESC, country) AS r
                     FROM c) WHERE r = 1)
        SELECT p.territory, p.product AS code, p.v, p.rank, s.country AS top_supplier,
               least(s.v / p.v, 1) AS top_supplier_share
        FROM p JOIN s USING (territory, product) WHERE p.rank <= {n}
    """).df()
    out["ranks"] = con.execute("""
        WITH c AS (SELECT territory, flow, country, sum(value) AS v FROM long
                   WHERE territory LIKE 'departement-%' GROUP BY ALL),
             f AS (SELECT territory,
                          coalesce(sum(v) FILTER (WHERE flow = 'export'), 0) AS x,
                          coalesce(sum(v) FILTER (WHERE flow = 'import'), 0) AS m,
                          coalesce(sum(v) FILTER (WHERE flow = 'export'
                                                  AND country = 'US'), 0) AS us
                   FROM c GROUP BY ALL),
             h AS (SELECT territory, sum(pow(100 * v / tot, 2)) AS hhi FROM (
                     SELECT *, sum(v) OVER (PARTITION BY territory) AS tot FROM c
                     WHERE flow = 'export' AND v > 0) GROUP BY ALL),
             wide AS (SELECT territory, x AS export_eur, m AS import_eur,
                             x - m AS balance_eur,
                             CASE WHEN m > 0 THEN x / m END AS coverage_rate,
                             CASE WHEN x > 0 THEN us / x END AS us_share_export,
                             h.hhi AS hhi_partners_export
                      FROM f LEFT JOIN h USING (territory)),
             metrics AS (
                 FROM wide UNPIVOT INCLUDE NULLS (value FOR metric IN (
                     export_eur, import_eur, balance_eur, coverage_rate,
                     us_share_export, hhi_partners_export)))
        SELECT territory, metric, value,
               CASE WHEN value IS NOT NULL THEN
                   row_number() OVER (PARTITION BY metric, value IS NULL
                                      ORDER BY value DESC,
                                               replace(territory, 'departement-', ''))
               END AS rank,
               count(value) OVER (PARTITION BY metric) AS of
        FROM metrics
    """).df()
    return out


def _columns_dict() -> str:
    parts = [c.strip().split(" ") for c in COLUMNS.split(",")]
    return ", ".join(f"'{name}': '{kind}'" for name, kind in parts)


def check_equal(tables: frtrade.TerritoryTables, duck: dict[str, pd.DataFrame]) -> int:
    """Compare frtrade and DuckDB numbers; return how many values were compared."""
    compared = 0

    def close(a: pd.Series, b: pd.Series, what: str) -> None:
        nonlocal compared
        a, b = a.align(b, join="outer")
        both_nan = a.isna() & b.isna()
        ok = both_nan | np.isclose(a, b, rtol=1e-9, atol=1e-6)
        if not ok.all():
            bad = pd.DataFrame({"frtrade": a[~ok], "duckdb": b[~ok]}).head()
            raise AssertionError(f"{what} differ:\n{bad}")
        compared += len(a)

    totals = tables.totals.melt(
        id_vars=["territory"], value_vars=["export_eur", "import_eur"], var_name="flow"
    )
    totals["flow"] = totals["flow"].str.removesuffix("_eur")
    mine = totals.set_index(["territory", "flow"])["value"]
    mine = mine[mine > 0]
    close(mine, duck["totals"].set_index(["territory", "flow"])["value"], "totals")
    conc = tables.indicators["concentration"].set_index(["territory", "flow"])
    theirs = duck["concentration"].set_index(["territory", "flow"])
    for column in ("hhi_partners", "hhi_products", "n80_partners"):
        close(conc[column].astype(float), theirs[column].astype(float), column)
    exposure = tables.indicators["exposure"]
    for group, column in (("US", "us"), ("EU", "eu")):
        share = exposure[exposure["group"] == group].set_index(["territory", "flow"])
        ref = duck["exposure"].set_index(["territory", "flow"])[column].fillna(0.0)
        close(share["share"], ref, f"{group} share")
    spec = tables.indicators["specialisation"].set_index(["territory", "flow", "code"])
    ref = duck["specialisation"].set_index(["territory", "flow", "product"])["lq"]
    ref.index.names = spec.index.names
    close(spec["lq"], ref, "lq")
    bal = tables.indicators["balance_contribution"].set_index(["territory", "code"])
    ref = duck["balance_contribution"].set_index(["territory", "product"])["c"]
    ref.index.names = bal.index.names
    close(bal["contribution_pct"], ref, "CEPII contribution")

    def same(mine: pd.DataFrame, theirs: pd.DataFrame, what: str) -> None:
        """Same rows (outer join on the index), every column close or equal."""
        mine, theirs = mine.align(theirs, join="outer", axis=0)
        for column in theirs.columns:
            a, b = mine[column], theirs[column]
            if pd.api.types.is_string_dtype(a) or pd.api.types.is_string_dtype(b):
                bad = a.astype(str) != b.astype(str)
                if bad.any():
                    raise AssertionError(f"{what}.{column} differ:\n{a[bad].head()}")
                nonlocal compared
                compared += len(a)
            else:
                close(a.astype(float), b.astype(float), f"{what}.{column}")

    def keyed(
        frame: pd.DataFrame, keys: list[str], columns: dict[str, str]
    ) -> pd.DataFrame:
        return frame.set_index(keys)[list(columns)].rename(columns=columns)

    # The SQL divides by the région's and France's whole values: frtrade does
    # too when every territory has the région's quarters (it takes them on the
    # territory's quarters otherwise, see frtrade.indicators.shares).
    if tables.shares["shares_quarters"].notna().any():
        raise AssertionError("shares on fewer quarters: the SQL peer does not do that")
    shares = tables.shares.set_index(["territory", "flow"])
    ref_shares = duck["shares"].set_index(["territory", "flow"])
    same(
        shares[["value_eur", "share_of_region", "share_of_france"]],
        ref_shares.rename(columns={"v": "value_eur"})[
            ["value_eur", "share_of_region", "share_of_france"]
        ],
        "shares",
    )
    same(
        keyed(
            tables.partners,
            ["territory", "code"],
            {
                "export_eur": "x",
                "import_eur": "m",
                "balance_eur": "balance",
                "rank": "rank",
            },
        ),
        duck["partners"].set_index(["territory", "code"]),
        "partners",
    )
    same(
        keyed(
            tables.products,
            ["territory", "flow", "code"],
            {"value_eur": "v", "share": "share", "rank": "rank"},
        ),
        duck["products"].set_index(["territory", "flow", "code"]),
        "products",
    )
    same(
        keyed(
            tables.sankey,
            ["territory", "flow", "source", "target"],
            {
                "value_eur": "v",
                "source_rank": "source_rank",
                "target_rank": "target_rank",
                "highlight": "highlight",
            },
        ),
        duck["sankey"].set_index(["territory", "flow", "source", "target"]),
        "sankey",
    )
    more = tables.indicators
    same(
        keyed(
            more["evolution"],
            ["territory", "year", "flow"],
            {
                "value_eur": "v",
                "change_eur": "change",
                "change_pct": "pct",
                "cagr": "cagr",
            },
        ),
        duck["evolution"].set_index(["territory", "year", "flow"]),
        "evolution",
    )
    same(
        keyed(
            more["contributions"],
            ["territory", "flow", "dimension", "code"],
            {
                "previous_eur": "p",
                "value_eur": "v",
                "change_eur": "change",
                "contribution_pp": "contribution_pp",
                "rank": "rank",
            },
        ),
        duck["contributions"].set_index(["territory", "flow", "dimension", "code"]),
        "contributions",
    )
    same(
        keyed(
            more["exposure_products"],
            ["territory", "flow", "code"],
            {
                "value_eur": "v",
                "share_of_product": "share_of_product",
                "share_of_partner": "share_of_partner",
                "rank": "rank",
            },
        ),
        duck["exposure_products"]
        .rename(columns={"product": "code"})
        .set_index(["territory", "flow", "code"]),
        "exposure_products",
    )
    same(
        keyed(
            more["dependence"],
            ["territory", "code"],
            {
                "value_eur": "v",
                "rank": "rank",
                "top_supplier": "top_supplier",
                "top_supplier_share": "top_supplier_share",
            },
        ),
        duck["dependence"].set_index(["territory", "code"]),
        "dependence",
    )
    same(
        keyed(
            more["ranks"],
            ["territory", "metric"],
            {"value": "value", "rank": "rank", "of": "of"},
        ),
        duck["ranks"].set_index(["territory", "metric"]),
        "ranks",
    )
    return compared


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large", action="store_true", help="the large benchmark file")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs (min - max are printed)"
    )
    args = parser.parse_args()
    if args.large:
        files = [DATA / f"BENCH_regional_2024_{f}.zip" for f in ("export", "import")]
        if not all(f.exists() for f in files):
            subprocess.run(
                [sys.executable, str(HERE / "make_large_file.py")], check=True
            )
    else:
        files = list(fictitious_dataset_files())

    ours: list[tuple[float, float]] = []
    theirs: list[float] = []
    for run in range(args.repeat):
        # CPU time of this process (every thread: DuckDB's too), not wall time:
        # the machine is shared.
        start = time.process_time()
        data = frtrade.load_dgddi(*files)
        loaded = time.process_time()
        year = data.report.years[-1]
        tables = frtrade.all_territories(data.flows, indicators=True)
        done = time.process_time()
        ours.append((loaded - start, done - loaded))
        start = time.process_time()
        duck = duckdb_tables(files, year)
        theirs.append(time.process_time() - start)
        if run == 0:
            print(f"{len(data.flows):,} rows, years {data.report.years}")
            compared = check_equal(tables, duck)
            print(f"equal numbers: {compared:,} values compared")
        del data, tables, duck

    def span(values: list[float]) -> str:
        return f"{min(values):6.2f} - {max(values):6.2f} s"

    load = [a for a, _ in ours]
    work = [b for _, b in ours]
    total = [a + b for a, b in ours]
    ratios = [a / b for a, b in zip(total, theirs, strict=True)]
    print(f"CPU time, min - max over {args.repeat} runs (same process, alternated):")
    print(f"  frtrade load                            {span(load)}")
    print(f"  frtrade every indicator, every territory {span(work)}")
    print(f"  frtrade load + indicators               {span(total)}")
    print(f"  DuckDB  load + the same indicators (SQL) {span(theirs)}")
    print(
        f"ratio frtrade / DuckDB: {min(total) / min(theirs):.2f} (min / min); "
        f"per run {min(ratios):.2f} - {max(ratios):.2f}"
    )


if __name__ == "__main__":
    main()
