"""Rank every département by its exports, in one pass over the data.

Run: ``python examples/all_departements.py``
"""

from __future__ import annotations

import frtrade

data = frtrade.load_fictitious_dataset()  # FICTITIOUS figures
tables = frtrade.all_territories(data.flows)
deps = tables.totals[tables.totals.territory.str.startswith("departement-")]
top = deps.sort_values("export_eur", ascending=False).head(10)
print(
    top[["territory", "export_eur", "import_eur", "coverage_rate"]].to_string(
        index=False
    )
)
