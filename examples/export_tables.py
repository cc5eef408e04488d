"""Export the tables behind the charts as CSV (and the facts as JSON).

Data: frtrade's embedded FICTITIOUS dataset.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import frtrade

# Pictures go to $FRTRADE_EXAMPLES_OUT (the docs build sets it), else ./example-output.
OUT = Path(os.environ.get("FRTRADE_EXAMPLES_OUT", "example-output"))
OUT.mkdir(parents=True, exist_ok=True)
data = frtrade.load_fictitious_dataset()
indre = frtrade.Territory.resolve("36")
out = OUT
frtrade.partners(data.flows, indre).to_csv(out / "partenaires_36.csv", index=False)
frtrade.products(data.flows, indre).to_csv(out / "produits_36.csv", index=False)
for flow in ("export", "import"):
    links = frtrade.sankey_links(data.flows, indre, flow=flow)
    links.to_csv(out / f"sankey_{flow}_36.csv", index=False)
facts = frtrade.headline_facts(data.flows, indre, report=data.report)
(out / "facts_36.json").write_text(json.dumps(facts, ensure_ascii=False, indent=2))
print(sorted(p.name for p in out.glob("*_36.*")))
