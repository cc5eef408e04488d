"""Excel workbook of a fiche: key figures and every table, French formats."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frtrade.datasets import FICTITIOUS_NOTICE
from frtrade.errors import OutputError
from frtrade.outputs._facts import NOT_AVAILABLE, KeyFigure, key_figures, period_label

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

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
    # openpyxl refuses control characters; make them visible, never drop them
    return _ILLEGAL.sub("\ufffd", value)


def _put_text(ws: Worksheet, row: int, column: int, value: str) -> Cell:
    cell = ws.cell(row=row, column=column, value=_text(value))
    cell.data_type = "s"  # "=..." stays text: openpyxl would store a formula
    return cell


def _sheet_name(stem: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("-", stem).strip("'") or "tableau"
    base = base[:31]
    name, i = base, 2
    while name.lower() in taken:
        suffix = f"~{i}"
        name, i = base[: 31 - len(suffix)] + suffix, i + 1
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


def _footer(ws: Worksheet, row: int, source: str, *, fictitious: bool) -> None:
    from openpyxl.styles import Font

    _put_text(ws, row, 1, source).font = Font(italic=True, color="555555")
    if fictitious:
        _put_text(ws, row + 1, 1, FICTITIOUS_NOTICE).font = Font(
            bold=True, color="C00000"
        )


def _widths(ws: Worksheet, widths: dict[int, int]) -> None:
    from openpyxl.utils import get_column_letter

    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(
            max(width + 2, 8), 60
        )


def _figure_cells(ws: Worksheet, row: int, figure: KeyFigure) -> None:
    """Columns B (value) and C (millions of euros) of one key figure."""
    from openpyxl.styles import Font

    if figure.value is None:
        for column in (2, 3) if figure.kind == "eur" else (2,):
            _put_text(ws, row, column, NOT_AVAILABLE).font = Font(
                italic=True, color="555555"
            )
    elif figure.kind == "text":
        _put_text(ws, row, 2, str(figure.value))
    elif figure.kind == "eur":
        ws.cell(row=row, column=2, value=float(figure.value)).number_format = EUR_FORMAT
        meur = ws.cell(row=row, column=3, value=float(figure.value) / 1e6)
        meur.number_format = MEUR_FORMAT
    else:
        cell = ws.cell(row=row, column=2, value=float(figure.value))
        small = abs(float(figure.value)) < 0.01
        cell.number_format = SMALL_SHARE_FORMAT if small else SHARE_FORMAT


def _key_figures_sheet(
    ws: Worksheet, facts: Mapping[str, Any], source: str, *, fictitious: bool
) -> None:
    from openpyxl.styles import Font, PatternFill

    territory = facts.get("territory") or {}
    title = f"Chiffres clés – {territory.get('name', '')}"
    if territory.get("code") not in (None, ""):
        title += f" ({territory['code']})"
    title += f", {period_label(facts)}"
    _put_text(ws, 1, 1, title).font = Font(bold=True, size=14)
    if fictitious:
        _put_text(ws, 2, 1, FICTITIOUS_NOTICE).font = Font(bold=True, color="C00000")
    header_fill = PatternFill("solid", fgColor="DDE3EE")
    for column, label in enumerate(("Indicateur", "Valeur", "En millions d'euros"), 1):
        cell = _put_text(ws, 3, column, label)
        cell.font = Font(bold=True)
        cell.fill = header_fill
    row = 4
    widths = {1: 30, 2: 18, 3: 20}
    for figure in key_figures(facts):
        _put_text(ws, row, 1, figure.label)
        _figure_cells(ws, row, figure)
        if figure.kind == "text" and figure.value is not None:
            widths[2] = max(widths[2], len(str(figure.value)))
        row += 1
    notes = [str(n) for n in (facts.get("data") or {}).get("notes") or []]
    if notes:
        row += 1
        _put_text(ws, row, 1, "Notes").font = Font(bold=True)
        for note in notes:
            row += 1
            _put_text(ws, row, 1, note).font = Font(italic=True)
        row += 1
    _footer(ws, row + 1, source, fictitious=fictitious)
    ws.freeze_panes = "A4"
    _widths(ws, widths)


def _table_sheet(
    ws: Worksheet, table: pd.DataFrame, source: str, *, fictitious: bool
) -> None:
    import pandas as pd
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    table = _one_based(table)
    header_fill = PatternFill("solid", fgColor="DDE3EE")
    widths: dict[int, int] = {}
    for j, column in enumerate(table.columns, 1):
        cell = _put_text(ws, 1, j, _header(column))
        cell.font = Font(bold=True)
        cell.fill = header_fill
        widths[j] = len(_header(column))
    for j, column in enumerate(table.columns, 1):
        name = str(column)
        series = table[column]
        numeric = pd.api.types.is_numeric_dtype(
            series
        ) and not pd.api.types.is_bool_dtype(series)
        if name.endswith("_eur"):
            fmt = EUR_FORMAT
        elif _is_share(name):
            fmt = SHARE_FORMAT
        elif _is_rank(name) or name == "year" or pd.api.types.is_integer_dtype(series):
            fmt = INTEGER_FORMAT
        else:
            fmt = NUMBER_FORMAT
        for i, value in enumerate(series.tolist(), 2):
            if (
                value is None
                or (isinstance(value, float) and math.isnan(value))
                or value is pd.NA
            ):
                _put_text(ws, i, j, NOT_AVAILABLE).font = Font(
                    italic=True, color="555555"
                )
            elif isinstance(value, bool):
                _put_text(ws, i, j, "oui" if value else "non")
            elif numeric and isinstance(value, int | float):
                cell = ws.cell(row=i, column=j, value=value)
                cell.number_format = fmt
                widths[j] = max(widths[j], 16 if fmt == EUR_FORMAT else 8)
            else:
                text = (
                    _FLOWS.get(str(value), str(value)) if name == "flow" else str(value)
                )
                _put_text(ws, i, j, text)
                widths[j] = max(widths[j], len(text))
    last = len(table) + 1
    if len(table.columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{last}"
    ws.freeze_panes = "A2"
    _footer(ws, last + 2, source, fictitious=fictitious)
    _widths(ws, widths)


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
    >>> from openpyxl import load_workbook
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
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None  # a new workbook has one sheet
    first.title = KEY_FIGURES_SHEET
    _key_figures_sheet(first, facts, source, fictitious=fictitious)
    taken = {KEY_FIGURES_SHEET.lower()}
    for stem, table in tables.items():
        ws = book.create_sheet(_sheet_name(str(stem), taken))
        _table_sheet(ws, table, source, fictitious=fictitious)
    territory = facts.get("territory") or {}
    book.properties.title = f"Chiffres clés – {territory.get('name', '')}"
    book.properties.creator = "frtrade"
    target = Path(path)
    try:
        book.save(target)
    except OSError as exc:
        raise OutputError(
            f"impossible d'écrire {target} : {exc.strerror or exc}"
        ) from exc
    return target
