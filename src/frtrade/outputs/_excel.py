"""Excel workbook of a fiche: key figures and every table, French formats."""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frtrade.datasets import FICTITIOUS_NOTICE
from frtrade.errors import OutputError
from frtrade.outputs._facts import NOT_AVAILABLE, KeyFigure, key_figures, period_label

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

#: Title of the first sheet.
KEY_FIGURES_SHEET = "Chiffres clés"

# Excel stores format codes in the invariant (US) form and shows them in the
# reader's locale: "#,##0" reads "1 274 700 000" and "0.0%" reads "4,6 %" in
# a French Excel or LibreOffice.
EUR_FORMAT = "#,##0"
MEUR_FORMAT = "#,##0.0"
SHARE_FORMAT = "0.0%"
SMALL_SHARE_FORMAT = "0.00%"  # shares of France: 0,01 %, not a false 0,0 %
INTEGER_FORMAT = "0"
NUMBER_FORMAT = "#,##0.0##"

_HEADERS = {
    "territory": "Territoire",
    "year": "Année",
    "flow": "Flux",
    "code": "Code",
    "name": "Libellé",
    "export_eur": "Exportations (€)",
    "import_eur": "Importations (€)",
    "balance_eur": "Solde (€)",
    "total_eur": "Échanges totaux (€)",
    "value_eur": "Valeur (€)",
    "share": "Part du flux",
    "share_of_region": "Part de la région",
    "share_of_france": "Part de la France",
    "coverage_rate": "Taux de couverture",
    "rank": "Rang",
    "is_other": "Regroupement « autres »",
    "source": "Origine (code)",
    "target": "Destination (code)",
    "source_name": "Origine",
    "target_name": "Destination",
    "source_rank": "Rang de l'origine",
    "target_rank": "Rang de la destination",
    "highlight": "Flux mis en évidence",
    "quarters": "Trimestres comparés",
    "periode": "Période",
}
_FLOWS = {"export": "Exportations", "import": "Importations"}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _header(column: object) -> str:
    return _HEADERS.get(str(column), str(column))


def _is_rank(column: str) -> bool:
    return column == "rank" or column.endswith("_rank")


def _is_share(column: str) -> bool:
    return column == "share" or column.startswith("share_") or column == "coverage_rate"


def _text(value: str) -> str:
    # control characters are not allowed in a cell: make them visible, never drop them
    return _ILLEGAL.sub("\ufffd", value)


class _Sheet:
    """One worksheet and the workbook's shared cell formats (xlsxwriter)."""

    def __init__(
        self, book: Workbook, ws: Worksheet, formats: dict[str, Format]
    ) -> None:
        self.book, self.ws, self._formats = book, ws, formats

    def style(self, name: str) -> Format:
        """A named cell format, created once per workbook."""
        if name not in self._formats:
            self._formats[name] = self.book.add_format(_STYLES[name])
        return self._formats[name]

    def text(self, row: int, column: int, value: str, style: str | None = None) -> None:
        """Text at 1-based (row, column): "=..." stays text, never a formula."""
        fmt = self.style(style) if style else None
        self.ws.write_string(row - 1, column - 1, _text(value), fmt)

    def number(self, row: int, column: int, value: float, number_format: str) -> None:
        """A number at 1-based (row, column) shown with ``number_format``.

        An infinite value (a ratio over zero in a user's table) reads
        « infini », never a number Excel would reject or a formula.
        """
        if math.isinf(value):
            self.text(row, column, "infini" if value > 0 else "−infini", "missing")
        else:
            self.ws.write_number(row - 1, column - 1, value, self.style(number_format))


_STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14},
    "notice": {"bold": True, "font_color": "#C00000"},
    "source": {"italic": True, "font_color": "#555555"},
    "missing": {"italic": True, "font_color": "#555555"},
    "header": {"bold": True, "pattern": 1, "bg_color": "#DDE3EE"},
    "bold": {"bold": True},
    "note": {"italic": True},
    **{
        fmt: {"num_format": fmt}
        for fmt in (EUR_FORMAT, MEUR_FORMAT, SHARE_FORMAT, SMALL_SHARE_FORMAT,
                    INTEGER_FORMAT, NUMBER_FORMAT)
    },
}  # fmt: skip


def _fit(name: str, limit: int) -> str:
    """``name`` cut to ``limit`` UTF-16 units (Excel's count), without edge apostrophes."""
    while len(name.encode("utf-16-le")) > 2 * limit:
        name = name[:-1]
    return name.strip("'")


def _sheet_name(stem: str, taken: set[str]) -> str:
    """A sheet name Excel accepts, unique in the workbook (case-insensitive).

    At most 31 UTF-16 units, no forbidden character, no apostrophe at either end.
    """
    base = _fit(_text(_SHEET_FORBIDDEN.sub("-", stem)), 31) or "tableau"
    name, i = base, 2
    while name.lower() in taken:
        suffix = f"~{i}"
        name, i = (_fit(base, 31 - len(suffix)) or "tableau") + suffix, i + 1
    taken.add(name.lower())
    return name


def _one_based(table: pd.DataFrame) -> pd.DataFrame:
    """Rank columns numbered from 1 (a column whose minimum is 0 is shifted)."""
    import pandas as pd

    out = table
    for column in table.columns:
        name = str(column)
        series = table[column]
        if (
            _is_rank(name)
            and pd.api.types.is_integer_dtype(series)
            and len(series)
            and series.min() == 0
        ):
            out = out.copy() if out is table else out
            out[column] = series + 1
    return out


def _footer(sheet: _Sheet, row: int, source: str, *, fictitious: bool) -> None:
    sheet.text(row, 1, source, "source")
    if fictitious:
        sheet.text(row + 1, 1, FICTITIOUS_NOTICE, "notice")


def _widths(sheet: _Sheet, widths: dict[int, int]) -> None:
    for column, width in widths.items():
        sheet.ws.set_column(column - 1, column - 1, min(max(width + 2, 8), 60))


def _figure_cells(sheet: _Sheet, row: int, figure: KeyFigure) -> None:
    """Columns B (value) and C (millions of euros) of one key figure."""
    if figure.value is None:
        for column in (2, 3) if figure.kind == "eur" else (2,):
            sheet.text(row, column, NOT_AVAILABLE, "missing")
    elif figure.kind == "text":
        sheet.text(row, 2, str(figure.value))
    elif figure.kind == "eur":
        sheet.number(row, 2, float(figure.value), EUR_FORMAT)
        sheet.number(row, 3, float(figure.value) / 1e6, MEUR_FORMAT)
    else:
        small = abs(float(figure.value)) < 0.01
        sheet.number(
            row, 2, float(figure.value), SMALL_SHARE_FORMAT if small else SHARE_FORMAT
        )


def _key_figures_sheet(
    sheet: _Sheet, facts: Mapping[str, Any], source: str, *, fictitious: bool
) -> None:
    territory = facts.get("territory") or {}
    title = f"Chiffres clés – {territory.get('name', '')}"
    if territory.get("code") not in (None, ""):
        title += f" ({territory['code']})"
    title += f", {period_label(facts)}"
    sheet.text(1, 1, title, "title")
    if fictitious:
        sheet.text(2, 1, FICTITIOUS_NOTICE, "notice")
    for column, label in enumerate(("Indicateur", "Valeur", "En millions d'euros"), 1):
        sheet.text(3, column, label, "header")
    row = 4
    widths = {1: 30, 2: 18, 3: 20}
    for figure in key_figures(facts):
        sheet.text(row, 1, figure.label)
        _figure_cells(sheet, row, figure)
        if figure.kind == "text" and figure.value is not None:
            widths[2] = max(widths[2], len(str(figure.value)))
        row += 1
    notes = [str(n) for n in (facts.get("data") or {}).get("notes") or []]
    if notes:
        row += 1
        sheet.text(row, 1, "Notes", "bold")
        for note in notes:
            row += 1
            sheet.text(row, 1, note, "note")
        row += 1
    _footer(sheet, row + 1, source, fictitious=fictitious)
    sheet.ws.freeze_panes(3, 0)  # rows 1-3 stay in view
    _widths(sheet, widths)


def _number_format(name: str, series: pd.Series) -> str:
    import pandas as pd

    if name.endswith("_eur"):
        return EUR_FORMAT
    if _is_share(name):
        return SHARE_FORMAT
    if _is_rank(name) or name == "year" or pd.api.types.is_integer_dtype(series):
        return INTEGER_FORMAT
    return NUMBER_FORMAT


def _table_sheet(
    sheet: _Sheet, table: pd.DataFrame, source: str, *, fictitious: bool
) -> None:
    import pandas as pd

    table = _one_based(table)
    widths: dict[int, int] = {}
    for j, column in enumerate(table.columns, 1):
        sheet.text(1, j, _header(column), "header")
        widths[j] = len(_header(column))
    for j, column in enumerate(table.columns, 1):
        name = str(column)
        series = table[column]
        numeric = pd.api.types.is_numeric_dtype(
            series
        ) and not pd.api.types.is_bool_dtype(series)
        fmt = _number_format(name, series)
        for i, value in enumerate(series.tolist(), 2):
            if (
                value is None
                or (isinstance(value, float) and math.isnan(value))
                or value is pd.NA
            ):
                sheet.text(i, j, NOT_AVAILABLE, "missing")
            elif isinstance(value, bool):
                sheet.text(i, j, "oui" if value else "non")
            elif numeric and isinstance(value, int | float):
                sheet.number(i, j, value, fmt)
                widths[j] = max(widths[j], 16 if fmt == EUR_FORMAT else 8)
            else:
                text = (
                    _FLOWS.get(str(value), str(value)) if name == "flow" else str(value)
                )
                sheet.text(i, j, text)
                widths[j] = max(widths[j], len(text))
    last = len(table) + 1
    if len(table.columns):
        sheet.ws.autofilter(0, 0, last - 1, len(table.columns) - 1)
    sheet.ws.freeze_panes(1, 0)
    _footer(sheet, last + 2, source, fictitious=fictitious)
    _widths(sheet, widths)


def write_xlsx(
    tables: Mapping[str, pd.DataFrame],
    facts: Mapping[str, Any],
    path: str | Path,
    *,
    fictitious: bool,
    source: str = "Source : DGDDI – DSECE",
) -> Path:
    """Write a fiche's key figures and tables as one Excel workbook.

    The first sheet, "Chiffres clés", lists the territory, the period, exports,
    imports, balance, coverage, shares and the main partners and products; a
    missing figure reads "non disponible" (never 0). Then one sheet per table,
    named after its key (the CSV file stem), with French column headers, a
    frozen header row and a filter. Values are real numbers: amounts in euros
    (format ``#,##0``; the key figures also give millions of euros), shares and
    rates as percentages (``0.0%``), ranks from 1. Excel and LibreOffice show
    these formats the French way (``1 274 700 000``, ``4,6 %``). Each sheet
    ends with the source line and, for fictitious data, the « données
    fictives » notice (also at the top of the first sheet); the notes of the
    facts (``facts["data"]["notes"]``: a missing flow, a partial year) follow
    the key figures.

    Parameters
    ----------
    tables
        Tables by name (e.g. ``frtrade.fiche.Fiche.tables``).
    facts
        The fiche's facts (``frtrade.headline_facts``).
    path
        The ``.xlsx`` file to write (its folder must exist).
    fictitious
        Whether the data are fictitious (adds the notice).
    source
        The source line.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    frtrade.errors.OutputError
        When the file cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from openpyxl import load_workbook  # a reader (pandas.read_excel uses it)
    >>> from frtrade import Territory, headline_facts
    >>> from frtrade.fiche import build_fiche
    >>> from frtrade.testing import tiny_trade_flows
    >>> fiche = build_fiche(tiny_trade_flows(), Territory.resolve("36"))
    >>> path = write_xlsx(
    ...     fiche.tables(),
    ...     fiche.facts,
    ...     Path(tempfile.mkdtemp()) / "f.xlsx",
    ...     fictitious=False,
    ... )
    >>> book = load_workbook(path)
    >>> book.sheetnames[:3]
    ['Chiffres clés', 'partenaires', 'produits']
    >>> book["Chiffres clés"]["B8"].value, book["Chiffres clés"]["B8"].number_format
    (1000, '#,##0')
    """
    import xlsxwriter
    from xlsxwriter.exceptions import FileCreateError

    target = Path(path)
    # written whole under a temporary name, then renamed: never a partial file
    part = target.with_name(f".{target.name}.{os.getpid()}.part")
    book = xlsxwriter.Workbook(str(part), {"in_memory": True})
    formats: dict[str, Format] = {}
    first = _Sheet(book, book.add_worksheet(KEY_FIGURES_SHEET), formats)
    _key_figures_sheet(first, facts, source, fictitious=fictitious)
    taken = {KEY_FIGURES_SHEET.lower(), "history"}  # Excel reserves "History"
    for stem, table in tables.items():
        ws = book.add_worksheet(_sheet_name(str(stem), taken))
        _table_sheet(_Sheet(book, ws, formats), table, source, fictitious=fictitious)
    territory = facts.get("territory") or {}
    book.set_properties(
        {"title": f"Chiffres clés – {territory.get('name', '')}", "author": "frtrade"}
    )
    try:  # nothing is written before close()
        book.close()
        part.replace(target)
    except (FileCreateError, OSError) as exc:  # FileCreateError wraps the OSError
        part.unlink(missing_ok=True)
        cause = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else exc
        reason = getattr(cause, "strerror", None) or cause
        raise OutputError(f"impossible d'écrire {target} : {reason}") from exc
    return target
