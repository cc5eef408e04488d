"""Gallery: product → country (exports) and country → product (imports) Sankeys.

The hardest cases: ports and industrial départements where a few products
dominate (13, 76, 59, 44), Paris (75), Mayotte (9E, very small flows), a région
and France. Every label sits beside its own node and every red flow shows its
value (see ``frtrade.layouts.check_sankey_layout``).

Data: frtrade's embedded FICTITIOUS dataset.
"""

from __future__ import annotations

import os
from pathlib import Path

import frtrade
from frtrade.charts import sankey_chart
from frtrade.layouts import check_sankey_layout, sankey_layout
from frtrade.render import save_chart

# Pictures go to $FRTRADE_EXAMPLES_OUT (the docs build sets it), else ./example-output.
OUT = Path(os.environ.get("FRTRADE_EXAMPLES_OUT", "example-output"))
OUT.mkdir(parents=True, exist_ok=True)
# (query, file key): a département's code, "paca" for the région, "france".
HARD = [(code, code) for code in ("36", "13", "76", "75", "59", "44", "9E")] + [
    ("Provence-Alpes-Côte d'Azur", "paca"),
    ("France", "france"),
]
FLOW_WORDS = {"export": "Exportations", "import": "Importations"}
data = frtrade.load_fictitious_dataset()
for query, key in HARD:
    territory = frtrade.Territory.resolve(query)
    for flow in ("export", "import"):
        links = frtrade.sankey_links(data.flows, territory, flow=flow)
        if not (links.value_eur > 0).any():
            print(territory.name, flow, "no data")
            continue
        chart = sankey_chart(
            links,
            title=f"{FLOW_WORDS[flow]} – {territory.name}",
            subtitle="Données fictives, en millions d\u2019euros",
            source="Source : DGDDI – DSECE",
        )
        save_chart(chart, OUT / f"sankey_{flow}_{key}.svg")
        problems = check_sankey_layout(sankey_layout(links))
        print(
            territory.name, flow, f"{len(links)} links, legibility problems: {problems}"
        )
