"""Products at A129 (default), CPF4 and the coarser A38 / A17 levels.

Data: frtrade's embedded FICTITIOUS dataset.
"""

from __future__ import annotations

import frtrade

data = frtrade.load_fictitious_dataset()
indre = frtrade.Territory.resolve("36")
for level in ("a129", "cpf4", "a38", "a17"):
    table = frtrade.products(data.flows, indre, flow="export", n=5, level=level)
    print(f"--- {level}")
    print(table[["code", "name", "share"]].to_string(index=False))
