from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# The command line caches loaded files; tests never touch the user's cache folder.
os.environ["FRTRADE_CACHE_DIR"] = tempfile.mkdtemp(prefix="frtrade-test-cache-")

ROOT = Path(__file__).resolve().parents[1]
REAL = Path(
    os.environ.get("FRTRADE_REAL_DATA", ROOT.parent / "shared" / "data" / "real")
)


@pytest.fixture(scope="session")
def real_dir() -> Path:
    if not (REAL / "dgddi_2025_labels_and_doc").is_dir():
        pytest.skip(
            f"real DGDDI label files not found in {REAL} (they sit in ../shared/data/real "
            "beside a checkout; set FRTRADE_REAL_DATA to point elsewhere)"
        )
    return REAL


@pytest.fixture(scope="session")
def fictitious():
    from frtrade.datasets import load_fictitious_dataset

    return load_fictitious_dataset()
