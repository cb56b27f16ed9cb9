"""CTranslate2 settings for the CPU it runs on, chosen once at start-up and logged.

CTranslate2 picks its matrix library by CPU vendor (Intel MKL on Intel,
oneDNN elsewhere) and reads a few ``CT2_*`` environment variables the first
time a model is loaded. What is fastest depends on the CPU's instructions
(AVX2 only, or AVX-512 with VNNI int8 dot products), so the backend looks at
the CPU and sets those variables, unless the operator already set them
(theirs win), before loading the model. The measurements behind each choice
are in benchmarks/README.md ("CTranslate2 on AVX2-only CPUs";
``python -m benchmarks.ct2_tuning`` repeats them). ``TRANSLATOR_CT2_TUNING=off``
leaves CTranslate2's own defaults.
"""

from __future__ import annotations

import logging
import os
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["CpuInfo", "Ct2Tuning", "apply_tuning", "choose_tuning", "cpu_info"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CpuInfo:
    """What matters about the CPU for CTranslate2: vendor, model name and instruction-set flags."""

    vendor: str = ""
    model: str = ""
    flags: frozenset[str] = frozenset()

    @property
    def isa(self) -> str:
        """The widest vector instruction set: ``AVX512``, ``AVX2``, ``AVX`` or ``GENERIC``."""
        for name, flag in (("AVX512", "avx512f"), ("AVX2", "avx2"), ("AVX", "avx")):
            if flag in self.flags:
                return name
        return "GENERIC"

    @property
    def int8_dot_products(self) -> bool:
        """Whether the CPU has VNNI (int8 dot products in one instruction)."""
        return bool({"avx512_vnni", "avx_vnni"} & self.flags)

    def describe(self) -> str:
        vnni = "VNNI" if self.int8_dot_products else "no VNNI"
        return f"{self.model or 'unknown CPU'} ({self.vendor or 'unknown vendor'}, {self.isa}, {vnni})"


def cpu_info(cpuinfo: Path = Path("/proc/cpuinfo")) -> CpuInfo:
    """The first processor's entry of ``/proc/cpuinfo`` (an empty CpuInfo where there is none)."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return CpuInfo()
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            if fields:
                break  # the first processor is enough
            continue
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    return CpuInfo(fields.get("vendor_id", ""), fields.get("model name", ""),
                   frozenset(fields.get("flags", "").split()))


@dataclass(frozen=True)
class Ct2Tuning:
    """The ``CT2_*`` variables chosen for a CPU, and why."""

    environment: dict[str, str] = field(default_factory=dict)
    reason: str = ""


def choose_tuning(cpu: CpuInfo) -> Ct2Tuning:
    """The settings that measured fastest for this kind of CPU (see the module docstring)."""
    if cpu.vendor == "GenuineIntel" or not cpu.flags:
        return Ct2Tuning({}, "CTranslate2's defaults (Intel MKL on Intel CPUs)")
    if cpu.vendor == "AuthenticAMD":
        # CTranslate2 already avoids MKL on non-Intel CPUs; forcing it was about 40x slower on an
        # AVX2-only EPYC (2 against 70-96 tokens/s), so say so explicitly.
        return Ct2Tuning({"CT2_USE_MKL": "0"},
                         f"{cpu.isa} AMD CPU: oneDNN for int8 and float GEMM (MKL measured ~40x slower here)")
    return Ct2Tuning({}, "CTranslate2's defaults")


def apply_tuning(tuning: Ct2Tuning, environ: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """Set the tuning's variables where the operator has not set them; returns what is in effect."""
    env = os.environ if environ is None else environ
    for name, value in tuning.environment.items():
        env.setdefault(name, value)
    return {name: env[name] for name in sorted(env) if name.startswith("CT2_")}
