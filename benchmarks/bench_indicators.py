"""Benchmark: load + every indicator table for every territory, frtrade vs DuckDB.

Usage::

    python benchmarks/bench_indicators.py            # the embedded 2019-2024 dataset
    python benchmarks/bench_indicators.py --large    # a 3.5-million-row-per-flow year

frtrade: ``load_dgddi`` + ``all_territories(indicators=True)`` (the fiche tables and every
registered indicator for every département, région and France). DuckDB (a benchmark-only
dependency, ``pip install duckdb``): reads the same data members and computes, in SQL, the
totals, HHI of partners and products, ``n80_partners``, the US / EU shares, the location
quotients and the CEPII balance contributions for the same territories, and the script
checks that both give the same numbers before printing the time ratio.

Times are CPU times of this process (``time.process_time``: every thread, so
DuckDB's parallel threads count), min - max over ``--repeat`` runs (default
3) alternating frtrade and DuckDB; the machine may be shared.

Measured on 2026-11-28 (2 shared cores), CPU s, min - max over 3 runs:

=============================  ===============  ===============  ============
data                           frtrade          DuckDB           ratio (min)
=============================  ===============  ===============  ============
large, before (``aa17612``)    22.10 - 23.77    14.92 - 16.63    1.48
large, after                   11.46 - 12.74    14.73 - 14.96    0.78
embedded, before               1.27 - 1.45      1.05 - 1.13      1.21
embedded, after                1.13 - 1.29      1.06 - 1.09      1.06
=============================  ===============  ===============  ============
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

import frtrade
from frtrade.datasets import fictitious_dataset_files
from frtrade.indicators import eu_members, region_key

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
    con.execute(f"""
        CREATE TABLE long AS
        WITH base AS (
            SELECT CASE WHEN flux = 'E' THEN 'export' ELSE 'import' END AS flow,
                   dep, reg, a129 AS product, country, value
            FROM raw WHERE year = {year})
        SELECT 'departement-' || dep AS territory, flow, product, country, value
        FROM base
        UNION ALL SELECT rk.key, flow, product, country, value
        FROM base JOIN rk USING (reg)
        UNION ALL SELECT 'france', flow, product, country, value FROM base
    """)
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
