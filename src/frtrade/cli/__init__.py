"""The ``frtrade`` command line.

Commands
--------
``frtrade fiche 36``
    Build the fiche of a territory into ``./fiches/`` (HTML, PDF, charts,
    tables, facts.json); ``frtrade fiche --all`` builds every département,
    région and France (``--resume`` skips the fiches already complete).
``frtrade summary 36``
    The headline figures of a territory, in French.
``frtrade facts 36``
    The fiche's numbers (:func:`frtrade.headline_facts`) as JSON on stdout.
``frtrade territories [TEXTE] [--kind region] [--region 24] [--json]``
    The territories frtrade knows: codes, names, régions.
``frtrade info FICHIERS``
    What a set of DGDDI files holds: flows, years, quarters, rows, totals,
    findings of the load.

``summary``, ``facts`` and ``fiche`` take the same territory options (a
département code or name, ``--region`` with an INSEE code or any name,
``--france``, ``--departements 18,36 --name ...``), data options (``--data
EXPORT.zip IMPORT.zip``, ``--year``, default the latest year of the data) and
indicator options (``--top N``, ``--level a129|a38|a17|cpf4``, ``--quarters
1-3``). Without ``--data``, the embedded FICTITIOUS dataset is used and the
output says so. Remarks about the data (findings of the load, skipped copies,
a flow without data, a partial year) go to stderr, in French.

Exit codes
----------
0 success; 1 failure of part of a batch (``--all``: the other fiches are
written); 2 wrong usage; 3 unknown territory; 4 missing file, invalid data,
year absent from the data, or an output that cannot be written; 130
interrupted (Ctrl-C). Every failure is one French line on stderr, never a
traceback; a closed pipe (``frtrade territories | head``) ends quietly.
"""

# ruff: noqa: T201  (a command line prints)

from __future__ import annotations

import contextlib
import os
import re
import sys
from typing import TYPE_CHECKING, NoReturn

from frtrade.cli._data import UsageError
from frtrade.errors import (
    DataFormatError,
    FrtradeError,
    OutputError,
    UnknownTerritoryError,
)

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from pathlib import Path

    from frtrade.dgddi import DGDDIData
    from frtrade.territories import Territory

__all__ = [
    "EXIT_DATA",
    "EXIT_FAILURE",
    "EXIT_INTERRUPTED",
    "EXIT_TERRITORY",
    "EXIT_USAGE",
    "console_main",
    "load_data",
    "main",
    "territory_from_args",
]

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_TERRITORY = 3
EXIT_DATA = 4
EXIT_INTERRUPTED = 130


def territory_from_args(args: argparse.Namespace) -> Territory:
    """Build the territory the options name.

    Parameters
    ----------
    args
        Parsed options (``territory``, ``region``, ``region_scheme``,
        ``france``, ``departements``, ``name``).

    Returns
    -------
    Territory
        The territory (its :attr:`~frtrade.Territory.notice`, if any, is for
        the user).

    Raises
    ------
    UnknownTerritoryError
        For an unknown code or name.
    ValueError
        When no territory, or more than one, is given.

    Examples
    --------
    >>> import argparse
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
    from frtrade.territories import Territory

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
        try:
            return Territory.region(args.region, scheme=args.region_scheme)
        except UnknownTerritoryError as exc:
            try:  # a département given as --region: say how to ask for it
                dep = Territory.departement(args.region)
            except UnknownTerritoryError:
                raise exc from None
            hint = f"le département {dep.code} {dep.name}, sans --region"
            raise UnknownTerritoryError(args.region, [hint, *exc.suggestions]) from None
    if args.departements is not None:
        codes = [c.strip() for c in args.departements.split(",") if c.strip()]
        return Territory.group(codes, name=args.name)
    return Territory.resolve(args.territory)


def load_data(paths: Sequence[Path] | None, *, year: int | None) -> DGDDIData:
    """Load the user's files, or the embedded fictitious dataset.

    Parameters
    ----------
    paths
        DGDDI files, or ``None`` for the embedded dataset.
    year
        A year the data must hold (every year is loaded).

    Returns
    -------
    DGDDIData
        Flows, report and labels.

    Raises
    ------
    YearNotAvailableError
        When ``year`` is not in the data.

    Examples
    --------
    >>> load_data(None, year=None).report.fictitious
    True
    """
    from frtrade.cli import _data

    return _data.load(paths, year=year).data


def _no_territory_hint(args: argparse.Namespace) -> str | None:
    """The hint for ``--data a b 36``: the territory was read as a data path."""
    from frtrade.territories import Territory

    paths = getattr(args, "data", None) or []
    if not paths or args.territory or args.region or args.france or args.departements:
        return None
    last = paths[-1]
    if last.exists():
        return None
    try:
        Territory.resolve(str(last))
    except UnknownTerritoryError:
        return None
    kept = " ".join(str(p) for p in paths[:-1])
    return (
        f"aucun territoire : « {last} » a été lu comme un fichier de --data ; "
        f"placez le territoire avant --data (frtrade {args.command} {last} "
        f"--data {kept}) ou après « -- »"
    )


def _territory_error(exc: UnknownTerritoryError) -> str:
    message = f"territoire inconnu : « {exc.query} »"
    if exc.suggestions:
        message += " ; vouliez-vous dire : " + ", ".join(exc.suggestions) + " ?"
    return message + " (liste : frtrade territories)"


def _data_error(exc: Exception) -> str:
    if isinstance(exc, FileNotFoundError):
        name = exc.filename
        if name is None:  # the loader's message: "no such file or directory: X"
            name = re.sub(r"^(\[Errno \d+\] )?no such file( or directory)?:? *", "",
                          str(exc), flags=re.IGNORECASE)  # fmt: skip
        message = f"fichier introuvable : {name}"
    elif isinstance(exc, DataFormatError):
        message = f"données invalides : {exc}"
    else:
        message = str(exc)
    return message


def _output_error(exc: OSError) -> str:
    import errno

    if isinstance(exc, OutputError):
        return str(exc)
    where = f" : {exc.filename}" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return f"écriture impossible, disque plein{where}"
    return f"écriture impossible{where} ({exc.strerror or exc})"


def _run(argv: Sequence[str] | None) -> int:
    from frtrade.cli._parser import build_parser

    parser = build_parser()
    args = parser.parse_args(argv)
    from frtrade.cli import _commands  # after parsing: --help stays light

    try:
        whole = {
            "territories": _commands.run_territories,
            "info": _commands.run_info,
            "fiche": _commands.run_fiche_all if getattr(args, "all", False) else None,
        }.get(args.command)
        if whole is not None:
            return whole(args)
        try:
            territory = territory_from_args(args)
        except ValueError as exc:
            if isinstance(exc, UnknownTerritoryError):
                raise
            hint = _no_territory_hint(args)
            raise UsageError(
                hint
                or "nommez un seul territoire : un département, --region, "
                "--france ou --departements"
            ) from exc
        if territory.notice:
            print(f"frtrade : note : {territory.notice}", file=sys.stderr)
        command = {
            "facts": _commands.run_facts,
            "fiche": _commands.run_fiche,
            "summary": _commands.run_summary,
        }[args.command]
        return command(args, territory)
    except UsageError as exc:
        parser_of = parser
        print(
            f"frtrade : erreur d'usage : {exc} (aide : {parser_of.prog} "
            f"{args.command} --help)",
            file=sys.stderr,
        )
        return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:  # noqa: PLR0911
    """Run the command line.

    Parameters
    ----------
    argv
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit code (see the module documentation).

    Examples
    --------
    >>> main(["facts", "36", "--indent", "0"])  # doctest: +ELLIPSIS
    {...
    0
    """
    try:
        try:
            return _run(argv)
        except SystemExit as exc:  # argparse: --help, --version, usage errors
            code = exc.code
            return code if isinstance(code, int) else (0 if code is None else 1)
        except UnknownTerritoryError as exc:
            print(f"frtrade : {_territory_error(exc)}", file=sys.stderr)
            return EXIT_TERRITORY
        except OutputError as exc:
            print(f"frtrade : {_output_error(exc)}", file=sys.stderr)
            return EXIT_DATA
        except (FrtradeError, FileNotFoundError) as exc:
            print(f"frtrade : {_data_error(exc)}", file=sys.stderr)
            return EXIT_DATA
        except BrokenPipeError:
            raise
        except OSError as exc:
            print(f"frtrade : {_output_error(exc)}", file=sys.stderr)
            return EXIT_DATA
        except KeyboardInterrupt:
            print("\nfrtrade : interrompu (Ctrl-C)", file=sys.stderr)
            return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, and keep Python
        # from complaining again when it flushes stdout at exit.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):  # stdout is not a real file (tests)
            pass
        return 0


def console_main() -> NoReturn:  # pragma: no cover - exits the process
    """The ``frtrade`` command: :func:`main`, then a quick exit.

    Once the command has finished, every file is closed and flushed; what
    remains is the interpreter's teardown of pandas, pyarrow, Altair and
    pandera (~0.2 s, a twentieth of ``frtrade fiche``) that changes nothing
    on disk. So the render processes are stopped, stdout and stderr flushed,
    and the process leaves with ``os._exit``. :func:`main` itself returns
    normally (tests, ``python -m frtrade.cli``, callers from Python).

    Examples
    --------
    >>> import subprocess, sys
    >>> code = (
    ...     "import sys; sys.argv = ['frtrade', '--version']; "
    ...     "from frtrade.cli import console_main; console_main()"
    ... )
    >>> run = subprocess.run(
    ...     [sys.executable, "-c", code], capture_output=True, text=True
    ... )
    >>> run.returncode, run.stdout.startswith("frtrade")
    (0, True)
    """
    code = main()
    render = sys.modules.get("frtrade.render")  # imported only if charts were drawn
    if render is not None:
        render.shutdown_pool()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to say
            stream.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
