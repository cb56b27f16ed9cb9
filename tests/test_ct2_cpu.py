"""CTranslate2 settings chosen for the CPU: parsing /proc/cpuinfo, the choice, and the operator's word wins."""

from __future__ import annotations

import logging

from translator.config import Settings
from translator.engines.ct2_cpu import CpuInfo, Ct2Tuning, apply_tuning, choose_tuning, cpu_info

AMD = """processor\t: 0
vendor_id\t: AuthenticAMD
model name\t: AMD EPYC 7B13
flags\t\t: fpu sse sse2 avx avx2 fma

processor\t: 1
vendor_id\t: SomethingElse
"""
INTEL = "vendor_id\t: GenuineIntel\nmodel name\t: Intel Xeon\nflags\t\t: avx avx2 avx512f avx512_vnni\n"


def test_cpuinfo_is_read_from_the_first_processor(tmp_path):
    (tmp_path / "cpuinfo").write_text(AMD)
    cpu = cpu_info(tmp_path / "cpuinfo")
    assert (cpu.vendor, cpu.model, cpu.isa, cpu.int8_dot_products) == ("AuthenticAMD", "AMD EPYC 7B13", "AVX2", False)
    assert cpu.describe() == "AMD EPYC 7B13 (AuthenticAMD, AVX2, no VNNI)"
    assert cpu_info(tmp_path / "missing") == CpuInfo()


def test_avx2_amd_keeps_mkl_off_and_intel_keeps_ctranslate2_defaults(tmp_path):
    (tmp_path / "amd").write_text(AMD)
    (tmp_path / "intel").write_text(INTEL)
    assert choose_tuning(cpu_info(tmp_path / "amd")).environment == {"CT2_USE_MKL": "0"}
    intel = cpu_info(tmp_path / "intel")
    assert (intel.isa, intel.int8_dot_products) == ("AVX512", True)
    assert choose_tuning(intel).environment == {}


def test_variables_the_operator_set_win():
    env = {"CT2_USE_MKL": "1", "PATH": "/bin"}
    tuning = Ct2Tuning({"CT2_USE_MKL": "0", "CT2_USE_EXPERIMENTAL_PACKED_GEMM": "1"}, "test")
    assert apply_tuning(tuning, env) == {"CT2_USE_EXPERIMENTAL_PACKED_GEMM": "1", "CT2_USE_MKL": "1"}
    assert env["CT2_USE_MKL"] == "1"


def test_the_setting_reads_on_and_off():
    assert Settings.from_env({}).ct2_tuning is True
    assert Settings.from_env({"TRANSLATOR_CT2_TUNING": "off"}).ct2_tuning is False


def test_the_ctranslate2_engine_logs_its_choice(tiny_model_dir, tmp_path, caplog, monkeypatch):
    from translator.engines.ctranslate2 import CTranslate2Engine

    monkeypatch.delenv("CT2_USE_MKL", raising=False)
    with caplog.at_level(logging.INFO, logger="translator.engines.ctranslate2"):
        CTranslate2Engine.load(str(tiny_model_dir), Settings(data_dir=tmp_path, threads=1, glossary=None))
    (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("CTranslate2 on ")]
    assert cpu_info().describe() in line and "in effect:" in line
