"""Gallery: main partners as butterflies, the balance on the bars' scale.

Data: frtrade's embedded FICTITIOUS dataset.
"""

from __future__ import annotations

import os
from pathlib import Path

import frtrade
from frtrade.charts import butterfly_chart
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
for query, key in HARD:
    territory = frtrade.Territory.resolve(query)
    table = frtrade.partners(data.flows, territory)
    chart = butterfly_chart(
        table,
        title=f"Principaux pays partenaires – {territory.name}",
        subtitle="Données fictives, en millions d\u2019euros",
        source="Source : DGDDI – DSECE",
    )
    save_chart(chart, OUT / f"butterfly_{key}.svg")
    print(f"{territory.name}: {len(table)} partners")
