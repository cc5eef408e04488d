"""The ``frtrade`` command line.

Commands
--------
``frtrade summary 36``
    The headline totals of a territory, in French.
``frtrade facts 36``
    The fiche's numbers (:func:`frtrade.headline_facts`) as JSON on stdout.

Every command takes the same territory options (a département code or name,
``--region``, ``--france``, ``--departements 18,36 --name ...``) and data
options (``--data EXPORT.zip IMPORT.zip``, ``--year``). Without ``--data``,
the embedded FICTITIOUS dataset is used and the output says so.

Exit codes
----------
0 success; 1 unexpected failure; 2 wrong usage; 3 unknown territory;
4 missing file or invalid data.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from frtrade.datasets import FICTITIOUS_NOTICE, load_fictitious_dataset
from frtrade.dgddi import DGDDIData, load_dgddi
from frtrade.errors import DataFormatError, UnknownTerritoryError
from frtrade.formatting import format_meur, format_share, format_signed_meur
from frtrade.indicators import headline_facts
from frtrade.territories import Territory

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["EXIT_DATA", "EXIT_TERRITORY", "EXIT_USAGE", "main"]

EXIT_USAGE = 2
EXIT_TERRITORY = 3
EXIT_DATA = 4


def _add_common(parser: argparse.ArgumentParser) -> None:
    where = parser.add_argument_group("territory (one of)")
    where.add_argument(
        "territory",
        nargs="?",
        help="département code or name (36, 9D, 974, Indre), or a région or 'France'",
    )
    where.add_argument("--region", help="région: INSEE code (24) or name")
    where.add_argument(
        "--region-scheme",
        choices=["insee", "dgddi"],
        default="insee",
        help="coding of a numeric --region (default: insee)",
    )
    where.add_argument("--france", action="store_true", help="France as a whole")
    where.add_argument(
        "--departements", help="custom group: comma-separated départements (18,36)"
    )
    where.add_argument("--name", help="display name of a --departements group")
    data = parser.add_argument_group("data")
    data.add_argument(
        "--data",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="DGDDI zips, .txt data files or folders (default: the embedded "
        "fictitious dataset)",
    )
    data.add_argument(
        "--year", type=int, help="year to use when the files hold several"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frtrade",
        description="Indicateurs clés du commerce extérieur à partir des données "
        "régionales de la DGDDI.",
        epilog="Exit codes: 0 success, 1 failure, 2 usage, 3 unknown territory, "
        "4 missing file or invalid data.",
    )
    from frtrade import __version__

    parser.add_argument("--version", action="version", version=f"frtrade {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    summary = commands.add_parser(
        "summary", help="headline totals of a territory, in French"
    )
    _add_common(summary)
    facts = commands.add_parser("facts", help="the fiche's numbers as JSON on stdout")
    _add_common(facts)
    facts.add_argument("--indent", type=int, default=2, help="JSON indentation")
    return parser


def territory_from_args(args: argparse.Namespace) -> Territory:
    """Build the territory the options name.

    Parameters
    ----------
    args
        Parsed options (``territory``, ``region``, ``france``,
        ``departements``, ``name``).

    Returns
    -------
    Territory
        The territory.

    Raises
    ------
    UnknownTerritoryError
        For an unknown code or name.
    ValueError
        When no territory, or more than one, is given.

    Examples
    --------
    >>> ns = argparse.Namespace(
    ...     territory=None,
    ...     region=None,
    ...     region_scheme="insee",
    ...     france=False,
    ...     departements="18,36",
    ...     name="Berry",
    ... )
    >>> territory_from_args(ns).code
    '18+36'
    """
    given = [
        args.territory is not None,
        args.region is not None,
        bool(args.france),
        args.departements is not None,
    ]
    if sum(given) != 1:
        raise ValueError(
            "name exactly one territory: a département, --region, --france or "
            "--departements"
        )
    if args.france:
        return Territory.france()
    if args.region is not None:
        return Territory.region(args.region, scheme=args.region_scheme)
    if args.departements is not None:
        codes = [c for c in args.departements.split(",") if c.strip()]
        return Territory.group(codes, name=args.name)
    return Territory.resolve(args.territory)


def load_data(paths: Sequence[Path] | None, *, year: int | None) -> DGDDIData:
    """Load the user's files, or the embedded fictitious dataset.

    Parameters
    ----------
    paths
        DGDDI files, or ``None`` for the embedded dataset.
    year
        Year filter.

    Returns
    -------
    DGDDIData
        Flows, report and labels.

    Examples
    --------
    >>> load_data(None, year=None).report.fictitious
    True
    """
    if not paths:
        data = load_fictitious_dataset()
        if year is not None and year not in data.report.years:
            raise DataFormatError(
                f"year {year} is not in the embedded dataset (years: {data.report.years})"
            )
        return data
    return load_dgddi(*paths, year=year)


def _summary(data: DGDDIData, territory: Territory) -> str:
    facts = headline_facts(
        data.flows, territory, report=data.report, labels=data.labels
    )
    parent = territory.parent_region
    lines = [f"{territory.name} – commerce extérieur {facts['year']}"]
    if data.report.fictitious:
        lines.append(FICTITIOUS_NOTICE)
    for flow, noun in (("export", "Exportations"), ("import", "Importations")):
        block = facts[flow]
        parts = [f"{noun} : {format_meur(block['total_eur'])}"]
        if parent is not None and block["share_of_region"] is not None:
            parts.append(
                f"{format_share(block['share_of_region'])} de la région {parent.name}"
            )
        if block["share_of_france"] is not None:
            parts.append(f"{format_share(block['share_of_france'], 2)} de la France")
        lines.append(", ".join(parts))
    lines.append(f"Solde : {format_signed_meur(facts['balance_eur'])} M€")
    lines.append(f"Taux de couverture : {format_share(facts['coverage_rate'])}")
    lines.append(
        "Principaux partenaires : "
        + ", ".join(p["name"] for p in facts["partners"][:5])
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit code.

    Examples
    --------
    >>> main(["facts", "36", "--indent", "0"])  # doctest: +ELLIPSIS
    {...
    0
    """
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        territory = territory_from_args(args)
    except UnknownTerritoryError as exc:
        print(f"frtrade: {exc}", file=sys.stderr)
        return EXIT_TERRITORY
    except ValueError as exc:
        parser.error(str(exc))
    try:
        data = load_data(args.data, year=args.year)
        if args.command == "facts":
            facts = headline_facts(
                data.flows,
                territory,
                year=args.year,
                report=data.report,
                labels=data.labels,
            )
            print(json.dumps(facts, ensure_ascii=False, indent=args.indent or None))
        else:
            print(_summary(data, territory))
    except (FileNotFoundError, DataFormatError) as exc:
        print(f"frtrade: {exc}", file=sys.stderr)
        return EXIT_DATA
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
