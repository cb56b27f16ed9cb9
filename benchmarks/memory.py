"""Peak memory of the current process, as each benchmark worker reports it (no heavy imports here)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["peak_rss_mb"]


def peak_rss_mb() -> float:
    """This process's own peak resident memory in MB (``VmHWM``: its address space's high-water mark).

    Not ``getrusage(RUSAGE_SELF).ru_maxrss``: Linux carries that figure over
    ``fork`` and ``exec``, so a worker started by a parent that had loaded a
    model reports the parent's peak (every system showed the same 898 MB).
    ``VmHWM`` belongs to the address space, which ``exec`` replaces.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError("/proc/self/status has no VmHWM line (not Linux?)")
