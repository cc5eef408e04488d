"""Gallery: main products of each flow as treemaps (Indre and Bouches-du-Rhône).

Data: frtrade's embedded FICTITIOUS dataset.
"""

from __future__ import annotations

import os
from pathlib import Path

import frtrade
from frtrade.charts import treemap_chart
from frtrade.render import save_chart

# Pictures go to $FRTRADE_EXAMPLES_OUT (the docs build sets it), else ./example-output.
OUT = Path(os.environ.get("FRTRADE_EXAMPLES_OUT", "example-output"))
OUT.mkdir(parents=True, exist_ok=True)
data = frtrade.load_fictitious_dataset()
for code in ("36", "13"):
    territory = frtrade.Territory.resolve(code)
    table = frtrade.products(
        data.flows, territory
    )  # top 10 + "Autres produits" per flow
    save_chart(treemap_chart(table), OUT / f"treemap_{code}.svg")
    print(territory.name, table.groupby("flow").value_eur.sum().round(-5).to_dict())
