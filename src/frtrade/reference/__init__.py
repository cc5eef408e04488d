"""Reference tables shipped with frtrade.

Départements and régions (with the DGDDI -> INSEE crosswalk), the A129 goods
positions (official and short labels, A38/A17 roll-ups), CPF4 classes and
country names. Sources are listed in ``reference/data/SOURCES.md``; every table
is returned as a fresh :class:`pandas.DataFrame` of strings, so callers may
modify it freely.

Examples
--------
>>> from frtrade import reference
>>> deps = reference.departements()
>>> deps.set_index("code").loc["36", ["name", "region_dgddi"]].tolist()
['Indre', '04']
>>> reference.country_names()["NA"]
'Namibie'
"""

from __future__ import annotations

import io
from functools import cache
from importlib.resources import files

import pandas as pd

__all__ = [
    "a17",
    "a38",
    "a129",
    "countries",
    "country_names",
    "cpf4",
    "departements",
    "product_names",
    "regions",
]


@cache
def _read(name: str) -> pd.DataFrame:
    raw = files("frtrade.reference").joinpath("data", name).read_bytes()
    return pd.read_csv(
        io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8"
    )


def departements() -> pd.DataFrame:
    """Départements as coded by DGDDI.

    Returns
    -------
    pandas.DataFrame
        Columns ``code`` (DGDDI: ``01``…``95``, ``20`` Corse, ``99`` Monaco,
        ``9A``…``9E`` DROM), ``name``, ``dgddi_label``, ``region_dgddi``,
        ``insee_code`` (``2A 2B`` for Corse, empty for Monaco),
        ``insee_region``, ``tncc`` (INSEE's article type of the name:
        ``5`` for « de l'Indre »; see :attr:`frtrade.territories.Territory.of_name`).

    Examples
    --------
    >>> len(departements())
    101
    """
    return _read("departements.csv").copy()


def regions() -> pd.DataFrame:
    """Régions as coded by DGDDI, with the INSEE crosswalk.

    Returns
    -------
    pandas.DataFrame
        Columns ``dgddi_code``, ``insee_code`` (empty for DGDDI's single
        ``24`` "DOM" région, which groups five INSEE régions), ``name``,
        ``dgddi_label``, ``iso_3166_2``, ``tncc`` (INSEE's article type).

    Examples
    --------
    >>> regions().set_index("insee_code").loc["24", "dgddi_code"]
    '04'
    """
    return _read("regions.csv").copy()


def a129() -> pd.DataFrame:
    """The 76 A129 goods positions.

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``label`` (official), ``short_label`` (for charts),
        ``division`` (NACE, 2 digits), ``a38``, ``a17``.

    Examples
    --------
    >>> a129().set_index("code").loc["C21Z", "short_label"]
    'Produits pharmaceutiques'
    """
    return _read("a129.csv").copy()


def a38() -> pd.DataFrame:
    """Labels of the A38 positions reachable by goods (columns code, label).

    Returns
    -------
    pandas.DataFrame
        Columns ``code`` and ``label``.

    Examples
    --------
    >>> a38().set_index("code").loc["CF", "label"]
    'Produits pharmaceutiques'
    """
    return _read("a38.csv").copy()


def a17() -> pd.DataFrame:
    """Labels of the A17 positions reachable by goods (columns code, label).

    Returns
    -------
    pandas.DataFrame
        Columns ``code`` and ``label``.

    Examples
    --------
    >>> a17().set_index("code").loc["C4", "label"]
    'Matériels de transport'
    """
    return _read("a17.csv").copy()


def cpf4() -> pd.DataFrame:
    """CPF rév. 2.1 classes with their A129 position.

    Returns
    -------
    pandas.DataFrame
        Columns ``code`` (4 digits), ``label``, ``a129`` (empty for service
        classes, which never occur in goods trade).

    Examples
    --------
    >>> cpf4().set_index("code").loc["2120", "a129"]
    'C21Z'
    """
    return _read("cpf4.csv").copy()


def countries() -> pd.DataFrame:
    """Every DGDDI country code, with validity periods.

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``label`` (DGDDI's), ``name`` (French display
        name), ``iso_alpha2`` (empty for special codes such as ``QU``),
        ``valid_from``, ``valid_to`` (``AAAAMM``). Some codes appear twice
        with different periods (``XS`` Saba, then Serbie).

    Examples
    --------
    >>> c = countries()
    >>> c[c.code == "XS"].name.tolist()
    ['Saba', 'Serbie']
    """
    return _read("countries.csv").copy()


@cache
def _country_names() -> dict[str, str]:
    table = _read("countries.csv").sort_values(["code", "valid_to"])
    return dict(zip(table["code"], table["name"], strict=True))


def country_names() -> dict[str, str]:
    """Map each country code to its current French display name.

    Returns
    -------
    dict[str, str]
        ``code -> name``; for a reused code, the most recent name.

    Examples
    --------
    >>> names = country_names()
    >>> names["US"], names["XS"], names["QU"]
    ('États-Unis', 'Serbie', 'Pays non déterminés')
    """
    return dict(_country_names())


def product_names(level: str = "a129", *, short: bool = True) -> dict[str, str]:
    """Map product codes of one level to their labels.

    Parameters
    ----------
    level
        ``"a129"``, ``"cpf4"``, ``"a38"`` or ``"a17"``.
    short
        For A129, the short display label (default) or the official one.

    Returns
    -------
    dict[str, str]
        ``code -> label``.

    Raises
    ------
    ValueError
        For an unknown level.

    Examples
    --------
    >>> product_names()["C30C"]
    'Aéronautique et spatial'
    >>> product_names(short=False)["C30C"]
    'Produits de la construction aéronautique et spatiale'
    """
    tables = {
        "a129": "a129.csv",
        "cpf4": "cpf4.csv",
        "a38": "a38.csv",
        "a17": "a17.csv",
    }
    if level not in tables:
        raise ValueError(f"unknown product level {level!r}; use one of {list(tables)}")
    table = _read(tables[level])
    column = "short_label" if (level == "a129" and short) else "label"
    return dict(zip(table["code"], table[column], strict=True))
