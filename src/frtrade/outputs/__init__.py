"""Outputs for analysts' tools: CSV dialects, Excel workbooks, an index page.

* ``write_csv`` writes a table as CSV, standard or for French Excel;
* ``write_xlsx`` writes a fiche's tables and key figures as a workbook;
* ``write_index`` writes a browsable ``index.html`` over a folder of fiches.
"""

from __future__ import annotations

from frtrade.outputs._csv import CSV_DIALECTS, write_csv
from frtrade.outputs._excel import write_xlsx
from frtrade.outputs._index import write_index

__all__ = ["CSV_DIALECTS", "write_csv", "write_index", "write_xlsx"]
