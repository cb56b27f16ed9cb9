"""The disk check of ``/readyz``: free space where the service writes, against ``TRANSLATOR_MIN_FREE_MB``.

A SQLite store on a full disk still answers reads, and even the store's
write-and-read probe can pass on the last free pages; the translations that
follow fail one by one. Checking the free space first says why, before that.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..config import Settings

__all__ = ["disk_check", "written_directories"]

_MB = 1024 * 1024


def written_directories(settings: Settings) -> list[Path]:
    """Where this service writes files: the data directory, and a SQLite store's directory."""
    directories = [Path(settings.data_dir)]
    scheme, _, rest = settings.store.partition("://")
    if scheme.lower() == "sqlite" and rest.startswith("/"):
        directories.append(Path(rest[1:]).expanduser().parent)
    return directories


def _existing(path: Path) -> Path:
    """``path``, or its nearest ancestor that exists (a directory not made yet lives on its parent's disk)."""
    path = path.resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def disk_check(settings: Settings) -> str:
    """``"ok"``, or ``"unavailable: N MB free in PATH, below TRANSLATOR_MIN_FREE_MB=M"``
    (``TRANSLATOR_MIN_FREE_MB=0``: not checked)."""
    if settings.min_free_mb <= 0:
        return "ok"
    for directory in written_directories(settings):
        where = _existing(directory)
        free = shutil.disk_usage(where).free
        if free < settings.min_free_mb * _MB:
            return (f"unavailable: {free // _MB} MB free in {where}, below "
                    f"TRANSLATOR_MIN_FREE_MB={settings.min_free_mb}")
    return "ok"
