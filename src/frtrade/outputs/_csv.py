"""CSV tables in two dialects: standard and French Excel."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from frtrade.errors import OutputError

if TYPE_CHECKING:
    import pandas as pd

CsvDialect = Literal["standard", "excel-fr"]

#: Dialects understood by ``write_csv``.
CSV_DIALECTS: tuple[CsvDialect, ...] = ("standard", "excel-fr")

# A text cell starting with one of these is read as a formula by spreadsheets
# (CSV/formula injection): it is written with a leading apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_text(value: object) -> object:
    r"""A text cell made safe for spreadsheets; any other value unchanged.

    Parameters
    ----------
    value
        A cell.

    Returns
    -------
    object
        ``"'" + value`` when ``value`` is a string starting with ``=``, ``+``,
        ``-``, ``@``, a tab or a carriage return; ``value`` itself otherwise
        (numbers are never touched: ``-5.0`` stays a number).

    Examples
    --------
    >>> neutralise_text('=HYPERLINK("http://x")')
    '\'=HYPERLINK("http://x")'
    >>> neutralise_text(-5.0), neutralise_text("États-Unis")
    (-5.0, 'États-Unis')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and headers are neutralised.

    Parameters
    ----------
    frame
        Any table.

    Returns
    -------
    pandas.DataFrame
        The same table with ``neutralise_text`` applied to every text
        cell and column name; numeric columns are not touched.

    Examples
    --------
    >>> import pandas as pd
    >>> neutralised(pd.DataFrame({"name": ["@cmd", "Chine"], "v": [-1.5, 2.0]}))
        name    v
    0  '@cmd -1.5
    1  Chine  2.0
    """
    import pandas as pd

    out = frame.copy()  # a copy: the caller may edit it (pandas 2 has no copy-on-write)
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        if (
            isinstance(series.dtype, pd.StringDtype)
            and not series.str.startswith(_FORMULA_STARTS, na=False).any()
        ):
            continue  # a text column with nothing to neutralise (the usual case)
        mapped = series.astype(object).map(neutralise_text, na_action="ignore")
        if isinstance(series.dtype, pd.CategoricalDtype):
            out[column] = mapped  # new texts are not among the categories
        else:
            out[column] = mapped.astype(series.dtype)
    out.columns = [neutralise_text(c) for c in out.columns]
    return out


def write_csv(
    frame: pd.DataFrame, path: str | Path, *, dialect: CsvDialect = "standard"
) -> Path:
    r"""Write a table as CSV, safe to open in a spreadsheet.

    Parameters
    ----------
    frame
        The table (written without its index).
    path
        Target file (its folder must exist).
    dialect
        ``"standard"``: ``,`` separator, ``.`` decimals, UTF-8, ``\n`` line
        ends (for programs). ``"excel-fr"``: ``;`` separator, decimal comma,
        UTF-8 with a byte-order mark and ``\r\n`` line ends, so that French
        Excel opens it in columns with accents intact. In both, text cells
        starting with ``= + - @`` (or a tab or carriage return) are prefixed
        with ``'`` so that no spreadsheet runs them as formulas; numbers are
        written as numbers.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    ValueError
        For an unknown dialect.
    frtrade.errors.OutputError
        When the file cannot be written.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from pathlib import Path
    >>> table = pd.DataFrame({"name": ["États-Unis"], "value_eur": [1234.5]})
    >>> path = write_csv(table, Path(tempfile.mkdtemp()) / "t.csv", dialect="excel-fr")
    >>> path.read_bytes()
    b'\xef\xbb\xbfname;value_eur\r\n\xc3\x89tats-Unis;1234,5\r\n'
    """
    if dialect not in CSV_DIALECTS:
        raise ValueError(f"unknown CSV dialect {dialect!r}; use one of {CSV_DIALECTS}")
    target = Path(path)
    safe = neutralised(frame)
    try:
        if dialect == "excel-fr":
            safe.to_csv(
                target,
                index=False,
                sep=";",
                decimal=",",
                encoding="utf-8-sig",
                lineterminator="\r\n",
            )
        else:
            safe.to_csv(target, index=False, encoding="utf-8", lineterminator="\n")
    except OSError as exc:
        raise OutputError(
            f"impossible d'écrire {target} : {exc.strerror or exc}"
        ) from exc
    return target
