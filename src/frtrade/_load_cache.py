"""On-disk columnar cache of parsed DGDDI data members (private to the loader).

One parquet file per data member, named by the SHA-256 of the member's
decompressed bytes, in ``<cache dir>/frtrade-<version>/``. A small index maps
a cheap file signature (path, size, modification time, zip member name, CRC32
and size) to that hash, so that a second load of unchanged files finds its
parquet without inflating anything. A cache file is trusted only when its
metadata names the same hash and frtrade version and its columns are the
canonical ones; anything else (corrupt, stale, unreadable) is rebuilt.

The cache directory is ``$FRTRADE_CACHE_DIR`` when set, else the user cache
directory (``platformdirs.user_cache_dir("frtrade")`` when platformdirs is
installed, else ``$XDG_CACHE_HOME/frtrade`` or ``~/.cache/frtrade``). Delete
it to clear the cache (``frtrade.dgddi.clear_cache()``).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

_META_HASH = b"frtrade.sha256"
_META_VERSION = b"frtrade.version"
_COLUMNS = (
    "flow",
    "year",
    "quarter",
    "departement",
    "region",
    "a129",
    "cpf4",
    "country",
    "value_eur",
    "mass_kg",
)


def default_dir() -> Path:
    """The user cache directory of frtrade (not created)."""
    env = os.environ.get("FRTRADE_CACHE_DIR")
    if env:
        return Path(env)
    try:
        import platformdirs
    except ImportError:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "frtrade"
    return Path(platformdirs.user_cache_dir("frtrade", appauthor=False))


def _version() -> str:
    from frtrade import __version__

    return str(__version__)


class Cache:
    """A versioned cache folder."""

    def __init__(self, root: Path) -> None:
        self.dir = root / f"frtrade-{_version()}"
        self._index: dict[str, str] | None = None

    # index: signature -> content hash ------------------------------------------
    def _index_path(self) -> Path:
        return self.dir / "index.json"

    def _load_index(self) -> dict[str, str]:
        if self._index is None:
            try:
                loaded = json.loads(self._index_path().read_text("utf-8"))
                self._index = {
                    str(k): str(v)
                    for k, v in loaded.items()
                    if isinstance(k, str) and isinstance(v, str)
                }
            except (OSError, ValueError, AttributeError):
                self._index = {}
        return self._index

    def digest_for(self, signature: str) -> str | None:
        return self._load_index().get(signature)

    def remember(self, signature: str, digest: str) -> None:
        index = self._load_index()
        if index.get(signature) == digest:
            return
        index[signature] = digest
        with contextlib.suppress(OSError):
            self.dir.mkdir(parents=True, exist_ok=True)
            _atomic_write(self._index_path(), json.dumps(index).encode("utf-8"))

    # frames ----------------------------------------------------------------------
    def _path(self, digest: str) -> Path:
        return self.dir / f"{digest}.parquet"

    def read(self, digest: str) -> pd.DataFrame | None:
        """The cached frame of ``digest``, or None (a bad file is removed)."""
        path = self._path(digest)
        if not path.is_file():
            return None
        try:
            import pyarrow.parquet as pq

            table = pq.read_table(path)
            meta = table.schema.metadata or {}
            if (
                meta.get(_META_HASH) != digest.encode()
                or meta.get(_META_VERSION) != _version().encode()
                or tuple(table.column_names) != _COLUMNS
            ):
                raise ValueError("stale or foreign cache file")
            frame: pd.DataFrame = table.to_pandas()
            if (
                str(frame["year"].dtype) != "int16"
                or str(frame["quarter"].dtype) != "int8"
            ):
                raise ValueError("unexpected dtypes")
        except Exception:  # corrupt, truncated, stale: never trusted, rebuilt
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        return frame

    def write(self, digest: str, frame: pd.DataFrame) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(frame, preserve_index=False)
            meta = dict(table.schema.metadata or {})
            meta[_META_HASH] = digest.encode()
            meta[_META_VERSION] = _version().encode()
            table = table.replace_schema_metadata(meta)
            self.dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.dir, suffix=".tmp")
            os.close(fd)
            try:
                pq.write_table(table, tmp, compression="zstd")
                Path(tmp).replace(self._path(digest))
            finally:
                with contextlib.suppress(OSError):
                    Path(tmp).unlink()
        except Exception:  # a cache that cannot be written is only slower
            return


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(path)
    finally:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()


def clear(root: Path | None = None) -> Path:
    """Delete the cache folder; return its path."""
    target = root if root is not None else default_dir()
    shutil.rmtree(target, ignore_errors=True)
    return target
