"""Gallery: main partners of Indre (small) and Bouches-du-Rhône (large) as butterflies.

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
data = frtrade.load_fictitious_dataset()
for code in ("36", "13"):
    territory = frtrade.Territory.resolve(code)
    table = frtrade.partners(data.flows, territory)
    chart = butterfly_chart(table)
    save_chart(chart, OUT / f"butterfly_{code}.svg")
    print(f"{territory.name}: {len(table)} partners")
