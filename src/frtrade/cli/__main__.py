"""``python -m frtrade.cli``."""

from __future__ import annotations

import sys

from frtrade.cli import main

sys.exit(main())
