"""The embedded FICTITIOUS dataset that lets frtrade run offline.

frtrade ships twelve zips in DGDDI's exact annual regional layout,
``FICTIF_regional_<year>_export.zip`` and ``..._import.zip`` for 2019 to
2024: complete years, every département, both flows, the 76 A129 positions
with their CPF4 classes and every partner country. **Their values are made
up** (by ``scripts/make_fictitious_dataset.py``, seeded). 2024 is the full,
detailed year; 2019–2023 are derived from it with fewer, coarser rows (cells
of at least 1 M€, one CPF4 class per product), along a plausible national
path (the 2020 dip, the 2022 energy-import surge). Only a few published 2024
aggregates are matched exactly (to the 0.1 M€):

- Indre (36): exports 1 274,7 M€, imports 1 119,2 M€;
- Centre-Val de Loire: 27 859,4 / 26 662,5 M€;
- France: 580 354,5 / 684 776,3 M€;
- France's ten first partners per flow, order and values in M€.

Each zip holds a ``DONNEES_FICTIVES_LISEZ-MOI.txt`` member; the loader sees
it and sets ``LoadReport.fictitious``, and every output made from these data
says "données fictives".
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from frtrade.dgddi import DGDDIData, load_dgddi

__all__ = [
    "FICTITIOUS_NOTICE",
    "FICTITIOUS_YEARS",
    "fictitious_dataset_files",
    "fictitious_dataset_paths",
    "load_fictitious_dataset",
]

#: Years of the embedded dataset.
FICTITIOUS_YEARS = (2019, 2020, 2021, 2022, 2023, 2024)

#: Sentence every output made from the embedded dataset carries (French).
FICTITIOUS_NOTICE = (
    "DONNÉES FICTIVES : ces chiffres sont générés par frtrade pour la démonstration "
    "et ne sont pas des statistiques de la DGDDI (seuls quelques totaux publiés "
    "pour 2024 sont respectés)."
)

#: The source line of every chart, page and index made from the embedded dataset
#: (instead of « Source : DGDDI – DSECE »); as short as the butterfly chart's first
#: panel needs (tested: no chart widens).
FICTITIOUS_SOURCE_LINE = "Source : DONNÉES FICTIVES (frtrade)"


def fictitious_dataset_paths() -> tuple[Path, Path]:
    """Paths of the embedded 2024 export and import zips (the detailed year).

    See :func:`fictitious_dataset_files` for every year.

    Returns
    -------
    tuple[pathlib.Path, pathlib.Path]
        ``(export_zip, import_zip)``.

    Examples
    --------
    >>> [p.name for p in fictitious_dataset_paths()]
    ['FICTIF_regional_2024_export.zip', 'FICTIF_regional_2024_import.zip']
    """
    folder = files("frtrade.data")
    return (
        Path(str(folder.joinpath("FICTIF_regional_2024_export.zip"))),
        Path(str(folder.joinpath("FICTIF_regional_2024_import.zip"))),
    )


def fictitious_dataset_files() -> tuple[Path, ...]:
    """Paths of every embedded zip, 2019 to 2024, export then import per year.

    Returns
    -------
    tuple[pathlib.Path, ...]
        Twelve zips, oldest year first.

    Examples
    --------
    >>> files = fictitious_dataset_files()
    >>> len(files), files[-1].name
    (12, 'FICTIF_regional_2024_import.zip')
    """
    folder = files("frtrade.data")
    return tuple(
        Path(str(folder.joinpath(f"FICTIF_regional_{year}_{flow}.zip")))
        for year in FICTITIOUS_YEARS
        for flow in ("export", "import")
    )


@cache
def _load(on_disk: bool) -> DGDDIData:  # noqa: FBT001 - a cache key
    return load_dgddi(*fictitious_dataset_files(), cache=on_disk)


def load_fictitious_dataset(*, cache: bool = False) -> DGDDIData:
    """Load the embedded fictitious 2019–2024 dataset (cached per process).

    Every indicator works on the latest year (2024) by default; evolution
    indicators use the whole range.

    Parameters
    ----------
    cache
        Also keep the parsed table in the on-disk cache (see
        :func:`~frtrade.dgddi.load_dgddi`): the next process reads it in
        ~0.1 s instead of parsing the 12 zips (~0.7 s). The command line
        does, unless ``--no-cache``.

    Returns
    -------
    DGDDIData
        Flows, report (``report.fictitious`` is true) and labels. The flows
        frame is a copy: callers may modify it.

    Examples
    --------
    >>> data = load_fictitious_dataset()
    >>> data.report.fictitious
    True
    >>> exports = data.flows[data.flows.flow == "export"]
    >>> data.report.years
    [2019, 2020, 2021, 2022, 2023, 2024]
    >>> in_2024 = exports[(exports.departement == "36") & (exports.year == 2024)]
    >>> round(float(in_2024.value_eur.sum()) / 1e6, 1)
    1274.7
    """
    data = _load(cache)
    return DGDDIData(data.flows.copy(), data.report, data.labels)
