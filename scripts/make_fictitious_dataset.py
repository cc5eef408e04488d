"""Generate frtrade's embedded FICTITIOUS 2019–2024 dataset (both flows, every département).

Run from the repository root::

    python scripts/make_fictitious_dataset.py

It writes ``src/frtrade/data/FICTIF_regional_2024_export.zip`` and
``..._import.zip`` in exactly DGDDI's annual regional layout
(``Regional-2024-export/Region_2024_Export.txt`` plus label files), with a
``DONNEES_FICTIVES_LISEZ-MOI.txt`` member that makes every frtrade output say
that the figures are made up.

The numbers are **fictitious**. They are drawn (seeded, so the output is
byte-identical from run to run) to look like French regional trade:
heavy-tailed département and product sizes, the partner mix of French trade
(EU neighbours, United States, China large, long tail), sparse product x
country cells, special country codes. They are calibrated so that these
published 2024 aggregates hold exactly to the 0.1 M€: Indre, Centre-Val de
Loire and France totals per flow, and France's top-10 partners per flow (order
and values in M€).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from frtrade import reference
from frtrade.dgddi import write_dgddi
from frtrade.schemas import TRADE_FLOWS_COLUMNS, validate_trade_flows

SEED = 20240101
YEAR = 2024
#: Earlier years, derived from 2024 (fewer, coarser rows: see ``earlier_year``).
EARLIER_YEARS = (2019, 2020, 2021, 2022, 2023)
# National value of each year relative to 2024 (shaped on French customs
# totals: the 2020 dip, the 2022 energy-import surge; values are fictitious).
YEAR_RATIO = {
    "export": {2019: 0.875, 2020: 0.737, 2021: 0.862, 2022: 1.013, 2023: 1.046},
    "import": {2019: 0.828, 2020: 0.720, 2021: 0.854, 2022: 1.098, 2023: 1.032},
}
# Products whose path differs from the rest (relative to 2024).
PRODUCT_PATH = {
    "import": {
        code: {2019: 0.85, 2020: 0.50, 2021: 0.85, 2022: 1.90, 2023: 1.30}
        for code in ("B06Z", "C19Z", "D35A", "D35B")
    },
    "export": {
        "C30C": {2019: 1.05, 2020: 0.55, 2021: 0.65, 2022: 0.80, 2023: 0.92},
        "C19Z": {2019: 0.80, 2020: 0.50, 2021: 0.80, 2022: 1.60, 2023: 1.20},
    },
}
# Cells (département x product x country) below this are left out of earlier
# years, cells below SPLIT_QUARTERS get one row in one quarter (smaller files).
MIN_CELL = 1_000_000
SPLIT_QUARTERS = 20_000_000
OUT = Path(__file__).resolve().parents[1] / "src" / "frtrade" / "data"
M = 1_000_000

FRANCE = {"export": 580_354.5, "import": 684_776.3}
CENTRE_VAL_DE_LOIRE = {"export": 27_859.4, "import": 26_662.5}
INDRE = {"export": 1_274.7, "import": 1_119.2}
TOP10 = {
    "export": [
        ("DE", 77_964),
        ("US", 48_622),
        ("IT", 48_095),
        ("BE", 45_317),
        ("ES", 43_919),
        ("GB", 37_773),
        ("CN", 24_277),
        ("NL", 23_116),
        ("CH", 19_846),
        ("PL", 15_124),
    ],
    "import": [
        ("DE", 86_342),
        ("CN", 70_584),
        ("US", 52_595),
        ("BE", 52_453),
        ("IT", 50_602),
        ("ES", 47_139),
        ("NL", 29_556),
        ("GB", 26_831),
        ("CH", 17_465),
        ("PL", 16_155),
    ],
}
# Next partners, in decreasing order (plausible, not published figures).
NEXT = {
    "export": [
        "JP",
        "SE",
        "AT",
        "PT",
        "TR",
        "SG",
        "AE",
        "CZ",
        "IE",
        "KR",
        "DZ",
        "MA",
        "DK",
        "CA",
        "IN",
        "HK",
        "RO",
        "SA",
        "HU",
        "AU",
        "BR",
        "FI",
        "NO",
        "GR",
        "MX",
        "TN",
        "SK",
        "QA",
        "IL",
        "LU",
    ],
    "import": [
        "IE",
        "KR",
        "JP",
        "TR",
        "IN",
        "VN",
        "SE",
        "AT",
        "CZ",
        "PT",
        "NO",
        "SA",
        "DZ",
        "KZ",
        "MA",
        "TW",
        "TN",
        "RO",
        "BD",
        "HU",
        "DK",
        "SK",
        "FI",
        "TH",
        "NG",
        "LY",
        "BR",
        "AZ",
        "IL",
        "MY",
    ],
}
NOT_PARTNERS = {"AQ", "BV", "HM", "UM", "PN", "TK", "IO", "GS", "CC", "CX", "NF"}
SPECIAL = ["QU", "QP", "QQ", "QR", "QS", "XK", "XS", "XC", "XL", "GR", "EU", "NA"]

# Relative size of the largest départements (others drawn log-normally).
BIG_DEPARTEMENTS = {
    "export": {
        "13": 9,
        "31": 12,
        "59": 9,
        "75": 10,
        "92": 9,
        "69": 7,
        "76": 7,
        "67": 6,
        "94": 5,
        "95": 6,
        "77": 5,
        "78": 5,
        "57": 5,
        "68": 4,
        "33": 4,
        "44": 4,
        "38": 4,
        "91": 4,
        "62": 3,
        "60": 3,
        "06": 3,
        "51": 3,
        "21": 2,
        "25": 2,
        "74": 2,
        "35": 3,
        "49": 2,
        "63": 2,
        "42": 2,
        "34": 2,
    },
    "import": {
        "13": 14,
        "75": 12,
        "59": 10,
        "92": 10,
        "95": 9,
        "94": 7,
        "69": 7,
        "76": 9,
        "77": 6,
        "78": 5,
        "91": 5,
        "67": 6,
        "57": 4,
        "31": 6,
        "33": 4,
        "44": 5,
        "38": 3,
        "62": 3,
        "60": 3,
        "68": 3,
        "06": 2,
        "01": 2,
        "51": 2,
        "45": 2,
        "34": 2,
        "35": 3,
        "49": 2,
        "63": 2,
        "42": 2,
        "83": 2,
    },
}
# Relative national size of the leading products.
BIG_PRODUCTS = {
    "export": {
        "C30C": 14,
        "C21Z": 9,
        "C29A": 7,
        "C20B": 7,
        "C11Z": 6,
        "C20A": 8,
        "C28D": 4,
        "C29B": 4,
        "C27B": 4,
        "C24A": 3,
        "C19Z": 3,
        "A01Z": 4,
        "C26E": 3,
        "C28A": 4,
        "C22B": 2,
        "C10H": 2,
        "C14Z": 2,
        "C15Z": 3,
        "C32C": 2,
        "C24B": 3,
        "C26A": 2,
        "C10E": 2,
        "D35A": 2,
    },
    "import": {
        "B06Z": 12,
        "C29A": 9,
        "C19Z": 6,
        "C21Z": 7,
        "C20A": 7,
        "C26B": 4,
        "C14Z": 5,
        "C30C": 6,
        "C26C": 4,
        "C28A": 4,
        "C27B": 4,
        "C29B": 4,
        "C22B": 3,
        "C20C": 3,
        "C24A": 3,
        "C28D": 3,
        "A01Z": 3,
        "C10H": 3,
        "C15Z": 3,
        "C24B": 3,
        "C26A": 3,
        "C32C": 3,
        "C20B": 2,
        "C31Z": 2,
    },
}
# Département specialisations (multiplies the département's weight of a product).
SPECIALISATION = {
    "31": {"C30C": 40},
    "13": {"B06Z": 30, "C19Z": 10},
    "76": {"C19Z": 25, "B06Z": 8},
    "75": {"D35A": 80, "D35B": 80, "B06Z": 5, "C20B": 8},
    "51": {"C11Z": 40},
    "33": {"C11Z": 20, "C30C": 5},
    "21": {"C11Z": 15},
    "16": {"C11Z": 30},
    "69": {"C21Z": 6, "C20A": 5},
    "45": {"C20B": 15, "C21Z": 8},
    "28": {"C20B": 12, "C21Z": 6},
    "37": {"C21Z": 10},
    "36": {"C29B": 6, "C22B": 4, "C14Z": 3, "C15Z": 3},
    "18": {"C25C": 30, "C28D": 4},
    "41": {"C10H": 6},
    "67": {"C21Z": 4},
    "68": {"C29A": 5},
    "25": {"C29A": 10, "C29B": 8},
    "78": {"C29A": 8},
    "59": {"C24A": 8, "C29A": 4},
    "44": {"C30A": 15, "C30C": 5},
    "29": {"C10A": 10},
    "22": {"C10A": 10},
    "35": {"C10A": 8, "C29A": 4},
    "56": {"C10B": 10},
    "62": {"C10B": 8},
    "64": {"C30C": 6},
    "95": {"C30C": 8, "C26B": 6},
    "94": {"C10H": 5},
    "92": {"C26C": 5, "C26B": 5},
    "91": {"C26A": 6},
    "38": {"C26A": 8, "C27B": 5},
    "74": {"C28C": 10, "C26E": 5},
}
# Price per kg (€) by product, for the mass column.
PRICE_PER_KG = {
    "B06Z": 0.5,
    "C19Z": 0.7,
    "B08Z": 0.05,
    "B05Z": 0.15,
    "C23B": 0.3,
    "E38Z": 0.4,
    "E37Z": 0.1,
    "A01Z": 0.6,
    "C10K": 0.6,
    "C10F": 0.8,
    "C21Z": 120.0,
    "C30C": 600.0,
    "C20B": 25.0,
    "C26A": 300.0,
    "C26B": 90.0,
    "C26C": 200.0,
    "C32A": 2000.0,
    "C25C": 90.0,
    "R90Z": 5000.0,
    "R91Z": 800.0,
}


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split an integer total in proportion to weights, exactly."""
    shares = weights / weights.sum() * total
    floors = np.floor(shares).astype(np.int64)
    rest = int(total - floors.sum())
    if rest:
        order = np.argsort(-(shares - floors), kind="stable")[:rest]
        floors[order] += 1
    return floors


def geometric_tail(total: float, first: float, n: int) -> np.ndarray:
    """n decreasing values starting at ``first`` and summing to ``total``."""
    lo, hi = 1e-9, 1 - 1e-12
    for _ in range(200):
        r = (lo + hi) / 2
        s = first * (1 - r**n) / (1 - r)
        lo, hi = (r, hi) if s < total else (lo, r)
    return first * r ** np.arange(n)


def country_totals(flow: str, rng: np.random.Generator) -> pd.Series:
    countries = reference.countries()
    valid = countries[countries["valid_to"] == "999912"]["code"].tolist()
    codes = [c for c in valid if c not in NOT_PARTNERS and c != "FR"]
    if flow == "import":
        codes.append("FR")  # returned French goods
    top = dict(TOP10[flow])
    middle = [c for c in NEXT[flow] if c not in top]
    rest = [c for c in codes if c not in top and c not in middle]
    rest = list(rng.permutation(rest))
    remaining = FRANCE[flow] - sum(top.values())  # M€
    tail_codes = middle + rest
    tail = geometric_tail(remaining, 0.8 * min(top.values()), len(tail_codes))
    # Long tail with noise, order of the named middle partners kept.
    noise = np.exp(rng.normal(0, 0.35, len(tail)))
    noise[: len(middle)] = 1.0
    tail = np.sort(tail * noise)[::-1]
    tail = tail * remaining / tail.sum()
    totals = {
        **{c: float(v) for c, v in top.items()},
        **dict(zip(tail_codes, tail.tolist(), strict=True)),
    }
    return pd.Series(totals) * M


def departement_totals(flow: str, rng: np.random.Generator) -> pd.Series:
    deps = reference.departements()
    weights = pd.Series(
        np.exp(rng.normal(0, 0.8, len(deps))) * 0.8, index=deps["code"].tolist()
    )
    for code, w in BIG_DEPARTEMENTS[flow].items():
        weights[code] = w * (1 + 0.1 * rng.random())
    weights["99"] = 0.3  # Monaco
    weights["20"] = 0.15  # Corse
    for code in ("9A", "9B", "9C", "9D", "9E"):
        weights[code] = 0.2 if code != "9E" else 0.03
    cvl = deps.loc[deps["region_dgddi"] == "04", "code"].tolist()
    others_cvl = [c for c in cvl if c != "36"]
    rest = [c for c in weights.index if c not in cvl]
    totals = pd.Series(0.0, index=weights.index)
    totals["36"] = INDRE[flow]
    totals[others_cvl] = (
        weights[others_cvl]
        / weights[others_cvl].sum()
        * (CENTRE_VAL_DE_LOIRE[flow] - INDRE[flow])
    )
    totals[rest] = (
        weights[rest] / weights[rest].sum() * (FRANCE[flow] - CENTRE_VAL_DE_LOIRE[flow])
    )
    return totals * M


def fit_matrix(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Iterative proportional fitting of a non-negative matrix to both margins."""
    m = seed.copy()
    for _ in range(2000):
        m *= (rows / m.sum(axis=1))[:, None]
        m *= (cols / m.sum(axis=0))[None, :]
        if np.abs(m.sum(axis=1) / rows - 1).max() < 1e-12:
            break
    m *= (rows / m.sum(axis=1))[:, None]
    return m


def integer_matrix(m: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Round to whole euros keeping each row total exact."""
    out = np.zeros(m.shape, dtype=np.int64)
    for i in range(m.shape[0]):
        out[i] = largest_remainder(int(rows[i]), np.maximum(m[i], 0))
    return out


def generate_flow(flow: str, rng: np.random.Generator) -> pd.DataFrame:
    deps = reference.departements()
    region_of = dict(zip(deps["code"], deps["region_dgddi"], strict=True))
    a129 = reference.a129()["code"].tolist()
    cpf4 = reference.cpf4()
    classes = {p: cpf4.loc[cpf4["a129"] == p, "code"].tolist() for p in a129}

    dep_totals = departement_totals(flow, rng)
    cty_totals = country_totals(flow, rng)
    dep_codes = dep_totals.index.tolist()
    cty_codes = cty_totals.index.tolist()
    rows_target = np.round(dep_totals.to_numpy())
    cols_target = cty_totals.to_numpy() * rows_target.sum() / cty_totals.sum()

    # Which départements trade with which countries: large ones with most.
    dep_w = dep_totals.to_numpy() / dep_totals.max()
    cty_w = cty_totals.to_numpy() / cty_totals.max()
    presence = np.clip(
        0.03
        + 2.0 * np.sqrt(dep_w)[:, None] * np.sqrt(cty_w)[None, :]
        + 0.4 * cty_w[None, :] ** 0.4,
        0,
        1,
    )
    mask = rng.random(presence.shape) < presence
    mask[:, :25] = True  # every département trades with the main partners
    for code in SPECIAL:
        if code in cty_codes:
            j = cty_codes.index(code)
            mask[:, j] |= rng.random(len(dep_codes)) < 0.3
            mask[dep_codes.index("13"), j] = True
    for j in np.flatnonzero(~mask.any(axis=0)):  # every partner trades with someone
        mask[
            rng.choice(len(dep_codes), size=3, replace=False, p=dep_w / dep_w.sum()), j
        ] = True
    seed = (
        np.outer(dep_totals.to_numpy(), cty_totals.to_numpy())
        * np.exp(rng.normal(0, 0.5, mask.shape))
        * mask
    )
    fitted = fit_matrix(seed, rows_target, cols_target)
    assert np.isfinite(fitted).all()
    cells = integer_matrix(fitted, rows_target)

    # National product weights, then each département's own mix.
    base = pd.Series(np.exp(rng.normal(0, 1.3, len(a129))) * 0.3, index=a129)
    for code, w in BIG_PRODUCTS[flow].items():
        base[code] = w
    for code in ("D35A", "D35B"):
        base[code] = base[code] * 0.05
    class_w = {p: np.exp(rng.normal(0, 1.2, len(c))) for p, c in classes.items()}

    records: list[tuple[str, str, str, str, str, int]] = []
    for i, dep in enumerate(dep_codes):
        mix = base * np.exp(rng.normal(0, 1.0, len(a129)))
        for code, boost in SPECIALISATION.get(dep, {}).items():
            mix[code] *= boost
        if dep != "75":
            mix[["D35A", "D35B"]] *= 0.01
        mix_values = mix.to_numpy()
        for j, cty in enumerate(cty_codes):
            value = int(cells[i, j])
            if value <= 0:
                continue
            k = int(np.clip(1 + 1.7 * (np.log10(value) - 4.5), 1, 25))
            affinity = mix_values * np.exp(rng.normal(0, 0.6, len(a129)))
            chosen = rng.choice(
                len(a129), size=k, replace=False, p=affinity / affinity.sum()
            )
            weights = affinity[chosen] * rng.gamma(2.0, 1.0, k)
            for p_idx, part in zip(
                chosen, largest_remainder(value, weights), strict=True
            ):
                if part <= 0:
                    continue
                product = a129[p_idx]
                cls = classes[product]
                n_cls = int(
                    np.clip(1 + (np.log10(max(part, 1)) - 6) * 0.8, 1, min(3, len(cls)))
                )
                cw = class_w[product]
                picked = rng.choice(
                    len(cls), size=n_cls, replace=False, p=cw / cw.sum()
                )
                for c_idx, piece in zip(
                    picked,
                    largest_remainder(int(part), cw[picked] * rng.gamma(2, 1, n_cls)),
                    strict=True,
                ):
                    if piece <= 0:
                        continue
                    if piece < 200_000:
                        quarters = rng.choice(
                            4, size=int(rng.integers(1, 4)), replace=False
                        )
                    else:
                        quarters = np.arange(4)
                    split = largest_remainder(
                        int(piece), rng.dirichlet(np.full(len(quarters), 6.0))
                    )
                    for q, v in zip(quarters, split, strict=True):
                        if v > 0:
                            records.append(
                                (dep, product, cls[c_idx], cty, str(q + 1), int(v))
                            )

    frame = pd.DataFrame.from_records(
        records,
        columns=["departement", "a129", "cpf4", "country", "quarter", "value_eur"],
    )
    price = frame["a129"].map(lambda p: PRICE_PER_KG.get(p, 6.0)).to_numpy()
    noise = np.exp(rng.normal(0, 0.5, len(frame)))
    mass = np.round(frame["value_eur"].to_numpy() / price * noise)
    mass[frame["a129"].isin(["D35A", "D35B"]).to_numpy()] = 0
    frame = frame.assign(
        flow=flow,
        year=YEAR,
        region=frame["departement"].map(region_of),
        quarter=frame["quarter"].astype(int),
        value_eur=frame["value_eur"].astype(float),
        mass_kg=mass,
    ).sort_values(["quarter", "departement", "a129", "cpf4", "country"], kind="stable")
    return validate_trade_flows(frame[list(TRADE_FLOWS_COLUMNS)])


def earlier_year(frame: pd.DataFrame, year: int, flow: str) -> pd.DataFrame:
    """A fictitious earlier year derived from the 2024 rows of a flow.

    Cells (département, A129, country) of 2024 are scaled by the national
    ratio of the year, the path of a few products (energy, aircraft) and
    noise per département and per cell; small cells are left out and middle
    ones put in one quarter, so that earlier years weigh little.
    """
    rng = np.random.default_rng(SEED + year + (0 if flow == "export" else 7))
    cells = (
        frame.groupby(["departement", "region", "a129", "country"], observed=True)
        .value_eur.sum()
        .reset_index()
    )
    main_class = (
        frame.groupby(["departement", "a129", "cpf4"], observed=True)
        .value_eur.sum()
        .reset_index()
        .sort_values(
            ["departement", "a129", "value_eur", "cpf4"],
            ascending=[True, True, False, True],
            kind="stable",
        )
        .drop_duplicates(["departement", "a129"])
        .set_index(["departement", "a129"])["cpf4"]
    )
    dep_total = cells.groupby("departement", observed=True).value_eur.sum()
    cells = cells[cells["value_eur"] >= MIN_CELL].reset_index(drop=True)
    # Kept cells carry the value of the left-out ones of their département, so
    # that every département follows the national path (not a fake jump).
    kept = cells.groupby("departement", observed=True).value_eur.sum()
    compensation = (dep_total / kept).reindex(kept.index)
    cells["value_eur"] = cells["value_eur"] * cells["departement"].map(
        compensation
    ).to_numpy(dtype=float)
    deps = sorted(cells["departement"].astype(str).unique())
    dep_noise = dict(zip(deps, np.exp(rng.normal(0, 0.05, len(deps))), strict=True))
    path = PRODUCT_PATH[flow]
    special = cells["a129"].astype(str).isin(list(path)).to_numpy()
    product_factor = np.array(
        [path.get(str(p), {}).get(year, 1.0) for p in cells["a129"]], dtype=float
    )
    values = (
        cells["value_eur"].to_numpy()
        * cells["departement"].astype(str).map(dep_noise).to_numpy(dtype=float)
        * np.exp(rng.normal(0, 0.08, len(cells)))
        * product_factor
    )
    target = frame["value_eur"].sum() * YEAR_RATIO[flow][year]
    rest = target - values[special].sum()
    values[~special] *= rest / values[~special].sum()
    values = np.round(values)
    records: list[tuple[str, str, str, str, str, int, int]] = []
    for cell, value in zip(cells.itertuples(index=False), values, strict=True):
        cpf = main_class[(cell.departement, cell.a129)]
        if value >= SPLIT_QUARTERS:
            parts = largest_remainder(int(value), rng.dirichlet(np.full(4, 6.0)))
            quarters = [1, 2, 3, 4]
        else:
            parts = np.array([int(value)])
            quarters = [int(rng.integers(1, 5))]
        for q, v in zip(quarters, parts, strict=True):
            if v > 0:
                records.append(
                    (
                        cell.departement,
                        cell.region,
                        cell.a129,
                        cpf,
                        cell.country,
                        q,
                        int(v),
                    )
                )
    out = pd.DataFrame.from_records(
        records,
        columns=[
            "departement",
            "region",
            "a129",
            "cpf4",
            "country",
            "quarter",
            "value_eur",
        ],
    )
    price = out["a129"].map(lambda p: PRICE_PER_KG.get(p, 6.0)).to_numpy()
    mass = np.round(
        out["value_eur"].to_numpy() / price * np.exp(rng.normal(0, 0.5, len(out)))
    )
    mass[out["a129"].isin(["D35A", "D35B"]).to_numpy()] = 0
    out = out.assign(
        flow=flow,
        year=year,
        value_eur=out["value_eur"].astype(float),
        mass_kg=mass,
    ).sort_values(["quarter", "departement", "a129", "cpf4", "country"], kind="stable")
    return validate_trade_flows(out[list(TRADE_FLOWS_COLUMNS)])


def label_files() -> dict[str, bytes]:
    """Label files in DGDDI's format, from frtrade's reference tables."""

    def lines(rows: list[list[str]], *, bom: bool) -> bytes:
        text = "".join(
            ";".join(f'"{f}"' if ";" in f else f for f in row) + "\r\n" for row in rows
        )
        return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")

    a129 = reference.a129()
    cpf4 = reference.cpf4()
    countries = reference.countries()
    deps = reference.departements()
    regions = reference.regions().set_index("dgddi_code")
    return {
        "Libelle_A129.txt": lines(
            [[r.code, r.label, "200901", "999912"] for r in a129.itertuples()], bom=True
        ),
        "Libelle_CPF4_rev2.1.txt": lines(
            [[r.code, r.label, "201501", "999912"] for r in cpf4.itertuples()],
            bom=False,
        ),
        "Libelle_PAYS.txt": lines(
            [
                [r.code, r.label, r.valid_from, r.valid_to]
                for r in countries.itertuples()
            ],
            bom=False,
        ),
        "Departement_region.txt": lines(
            [
                [
                    r.code,
                    r.dgddi_label,
                    r.region_dgddi,
                    regions.loc[r.region_dgddi, "dgddi_label"],
                ]
                for r in deps.itertuples()
            ],
            bom=False,
        ),
    }


README = """DONNEES FICTIVES - FICTITIOUS DATA
===================================

Ce fichier accompagne le jeu de donnees embarque de frtrade. Les valeurs de
ce zip sont FICTIVES : elles ont ete tirees au hasard (generateur
scripts/make_fictitious_dataset.py du depot frtrade, graine fixe) au format
exact des fichiers regionaux annuels de la DGDDI. Seuls quelques agregats
publies pour 2024 sont respectes (totaux de l'Indre, du Centre-Val de Loire
et de la France, dix premiers pays partenaires de la France). Les annees 2019
a 2023 sont derivees de 2024 (evolution nationale vraisemblable, creux de
2020, flambee des importations d'energie en 2022). Ne pas utiliser comme
statistique.

The values in this zip are FICTITIOUS, drawn at random in DGDDI's exact
annual regional format by frtrade's generator. Only a few published 2024
aggregates are matched; 2019-2023 are derived from 2024. Do not use them as
statistics.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    main_to(args.out)


def main_to(out: Path) -> None:
    """Write both zips to the folder ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    labels = label_files()
    frames = {flow: generate_flow(flow, rng) for flow in ("export", "import")}
    for flow, frame in frames.items():
        write_year(out, YEAR, flow, frame, labels)
    for year in EARLIER_YEARS:
        for flow, frame in frames.items():
            write_year(out, year, flow, earlier_year(frame, year, flow), labels)


def write_year(
    out: Path, year: int, flow: str, frame: pd.DataFrame, labels: dict[str, bytes]
) -> Path:
    """Write one year and flow as a DGDDI-layout zip in ``out``."""
    folder = f"Regional-{year}-{flow}"
    member = f"{folder}/Region_{year}_{flow.capitalize()}.txt"
    extra = {f"{folder}/{name}": data for name, data in labels.items()}
    extra[f"{folder}/DONNEES_FICTIVES_LISEZ-MOI.txt"] = README.encode("utf-8")
    path = write_dgddi(
        frame,
        out / f"FICTIF_regional_{year}_{flow}.zip",
        member=member,
        extra_members=extra,
    )
    print(f"wrote {path}: {len(frame):,} rows, {path.stat().st_size / 1e6:.2f} MB")
    return path


if __name__ == "__main__":
    main()
