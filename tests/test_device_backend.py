"""TRANSLATOR_DEVICE and TRANSLATOR_BACKEND=auto: where the model runs and on which backend."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import run_in_process

from translator.config import Settings
from translator.engines import choose_backend
from translator.engines.device import resolve_device, torch_gpu_count
from translator.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
HAS_CUDA = torch_gpu_count() > 0
needs_cuda = pytest.mark.skipif(not HAS_CUDA, reason="needs a CUDA GPU (none visible to torch here)")


@pytest.mark.parametrize("requested, gpus, device", [
    ("auto", 0, "cpu"), ("auto", 1, "cuda"), ("cpu", 2, "cpu"), ("cuda", 1, "cuda")])
def test_the_device_follows_the_setting_and_the_gpus_seen(requested, gpus, device):
    assert resolve_device(requested, gpus, "torch") == device


def test_cuda_without_a_gpu_is_one_clear_error():
    with pytest.raises(ConfigError, match=r"^TRANSLATOR_DEVICE=cuda, but the ctranslate2 backend sees no CUDA GPU; "
                                          r"set TRANSLATOR_DEVICE=cpu \(or auto\)$"):
        resolve_device("cuda", 0, "ctranslate2")


def test_auto_backend_is_ctranslate2_when_installed_else_torch(monkeypatch):
    assert choose_backend("torch") == ("torch", "TRANSLATOR_BACKEND=torch")
    installed = importlib.util.find_spec("ctranslate2") is not None
    assert choose_backend("auto")[0] == ("ctranslate2" if installed else "torch")
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "ctranslate2"
                        else real_find_spec(name, *a))
    backend, why = choose_backend("auto")
    assert backend == "torch"
    assert why == ("TRANSLATOR_BACKEND=auto and the ctranslate2 package is not installed "
                   "(pip install 'translator[fast]' for the faster backend)")


def _translate(env: dict[str, str], stdin: str = "The minister spoke.") -> subprocess.CompletedProcess:
    # A real child process: what `-v` logs depends on the logging set-up of a fresh interpreter.
    base = {k: v for k, v in os.environ.items() if not k.startswith("TRANSLATOR_")}
    return subprocess.run([sys.executable, "-m", "translator", "-v", "translate", "--json"], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**base, "HF_HUB_OFFLINE": "1", "TRANSLATOR_GLOSSARY": "off", **env})


@pytest.mark.skipif(HAS_CUDA, reason="checks the error on a machine without a GPU")
@pytest.mark.parametrize("backend", ["torch", "ctranslate2"])
def test_translator_device_cuda_without_a_gpu_stops_with_one_line(tiny_model_dir, tmp_path, backend):
    result = run_in_process(
        ["translate"], stdin="The minister spoke.",
        env={**{k: v for k, v in os.environ.items() if not k.startswith("TRANSLATOR_")}, "HF_HUB_OFFLINE": "1",
             "TRANSLATOR_MODEL": str(tiny_model_dir), "TRANSLATOR_DATA_DIR": str(tmp_path),
             "TRANSLATOR_DEVICE": "cuda", "TRANSLATOR_BACKEND": backend})
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (f"error: TRANSLATOR_DEVICE=cuda, but the {backend} backend sees no CUDA GPU; "
                             f"set TRANSLATOR_DEVICE=cpu (or auto)\n")


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("ctranslate2") is None, reason="needs the [fast] extra")
def test_the_default_backend_is_ctranslate2_and_the_log_says_why(tiny_model_dir, tmp_path):
    result = _translate({"TRANSLATOR_MODEL": str(tiny_model_dir), "TRANSLATOR_DATA_DIR": str(tmp_path),
                         "TRANSLATOR_THREADS": "1"})
    assert result.returncode == 0, result.stderr
    assert "backend: ctranslate2 (TRANSLATOR_BACKEND=auto and the ctranslate2 package is installed)" in result.stderr
    assert "device: cpu (TRANSLATOR_DEVICE=auto; the ctranslate2 backend sees 0 CUDA GPUs)" in result.stderr
    assert '"model": "marian:tiny-en-fr@' in result.stdout and "|ctranslate2:int8@" in result.stdout


@needs_cuda
def test_torch_on_cuda_runs_fp16_on_the_gpu(tiny_model_dir):
    from translator.engines.marian import MarianEngine

    engine = MarianEngine.load(str(tiny_model_dir), Settings(threads=1, device="cuda"))
    assert next(engine.model.parameters()).dtype.__str__() == "torch.float16"
    assert next(engine.model.parameters()).device.type == "cuda"
    assert "|torch:float16|" in engine.identity
    assert all(engine.translate(["The minister spoke on Monday."]))


@needs_cuda
@pytest.mark.skipif(importlib.util.find_spec("ctranslate2") is None, reason="needs the [fast] extra")
def test_ctranslate2_on_cuda_defaults_to_int8_float16(tiny_model_dir, tmp_path):
    import shutil

    from translator.engines.ctranslate2 import CTranslate2Engine

    model = shutil.copytree(tiny_model_dir, tmp_path / "tiny-en-fr")
    engine = CTranslate2Engine.load(str(model), Settings(threads=1, device="cuda", data_dir=tmp_path))
    assert (engine.device, engine.compute_type) == ("cuda", "int8_float16")
    assert "|ctranslate2:int8_float16@" in engine.identity
    assert all(engine.translate(["The minister spoke on Monday."]))
