"""Gallery: main products of each flow as treemaps, with their numbered key.

Every product is named: in its tile when the name fits, otherwise by a number
in the tile and a line of the key under the panel (name, M€, share). Shown for
the hardest territories, and at the A38 level for Bouches-du-Rhône.

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
# (query, file key): a département's code, "paca" for the région, "france".
HARD = [(code, code) for code in ("36", "13", "76", "75", "59", "44", "9E")] + [
    ("Provence-Alpes-Côte d'Azur", "paca"),
    ("France", "france"),
]
data = frtrade.load_fictitious_dataset()
cases = [(query, key, "a129") for query, key in HARD] + [("13", "13", "a38")]
for query, key, level in cases:
    territory = frtrade.Territory.resolve(query)
    table = frtrade.products(data.flows, territory, level=level)  # top 10 + « autres »
    chart = treemap_chart(
        table,
        title=f"Principaux produits échangés – {territory.name}",
        subtitle=f"Données fictives, niveau {level.upper()}, part de chaque produit",
        source="Source : DGDDI – DSECE",
    )
    suffix = "" if level == "a129" else f"_{level}"
    save_chart(chart, OUT / f"treemap_{key}{suffix}.svg")
    print(
        territory.name, level, table.groupby("flow").value_eur.sum().round(-5).to_dict()
    )
