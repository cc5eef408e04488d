"""Write a realistic 3.5-million-row DGDDI regional file per flow for benchmarks.

Usage: ``python benchmarks/make_large_file.py [--rows 3500000] [--out benchmarks/data]``

Rows are unique (flow, quarter, département, CPF4, country) keys drawn at random
from the real code lists, with heavy-tailed values: the shape of a real annual
file (3-4 million rows per flow), not its numbers. Output is zipped like DGDDI's.
"""

from __future__ import annotations

import argparse
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from frtrade import reference


def make(flow: str, rows: int, out: Path, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    deps = reference.departements()
    cpf4 = reference.cpf4()
    cpf4 = cpf4[cpf4.a129 != ""]
    countries = reference.countries()
    countries = countries[countries.valid_to == "999912"].code.to_numpy()
    n_dep, n_cpf, n_cty = len(deps), len(cpf4), len(countries)
    space = 4 * n_dep * n_cpf * n_cty
    keys = np.sort(rng.choice(space, size=rows, replace=False))
    quarter, rest = np.divmod(keys, n_dep * n_cpf * n_cty)
    dep, rest = np.divmod(rest, n_cpf * n_cty)
    cpf, cty = np.divmod(rest, n_cty)
    values = np.round(np.exp(rng.normal(9, 2.5, rows))).astype(np.int64)
    frame = pd.DataFrame(
        {
            "flux": "E" if flow == "export" else "I",
            "quarter": quarter + 1,
            "year": 2024,
            "dep": deps.code.to_numpy()[dep],
            "reg": deps.region_dgddi.to_numpy()[dep],
            "a129": cpf4.a129.to_numpy()[cpf],
            "cpf4": cpf4.code.to_numpy()[cpf],
            "country": countries[cty],
            "value": values,
            "mass": np.round(values / np.exp(rng.normal(1.5, 1.5, rows))).astype(
                np.int64
            ),
        }
    )
    out.mkdir(parents=True, exist_ok=True)
    text = frame.to_csv(sep=";", header=False, index=False, lineterminator="\n")
    path = out / f"BENCH_regional_2024_{flow}.zip"
    with zipfile.ZipFile(
        path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1
    ) as zf:
        zf.writestr(f"Regional-2024-{flow}/Region_2024_{flow.capitalize()}.txt", text)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=3_500_000)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    args = parser.parse_args()
    for i, flow in enumerate(("export", "import")):
        start = time.perf_counter()
        path = make(flow, args.rows, args.out, seed=i)
        took = time.perf_counter() - start
        print(
            f"{path}: {args.rows:,} rows, {path.stat().st_size / 1e6:.0f} MB in {took:.1f} s"
        )


if __name__ == "__main__":
    main()
