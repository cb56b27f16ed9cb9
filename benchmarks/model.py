"""The benchmark model: a full-size random-weight opus-mt-en-fr, and its CTranslate2 int8 conversion.

Speed does not depend on the weight values, only on the architecture
(:data:`~translator.testing.models.OPUS_MT_EN_FR_ARCH`: vocabulary 59,514,
d_model 512, 6+6 layers, 8 heads, FFN 2048) and on how many tokens are
processed. The source vocabulary is trained on text in the workload's style
(other sentences than the workload's) with a size that cuts it into about 1.3
tokens per word, like a real news vocabulary. Both are built once into
``benchmarks/.models/`` (git-ignored) and reused.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from translator.engines.ct2_conversion import ConvertedModel, ensure_converted
from translator.testing.models import OPUS_MT_EN_FR_ARCH, build_marian_model

from .workload import training_sentences

__all__ = ["MODELS_DIR", "prepare_models"]

log = logging.getLogger(__name__)

MODELS_DIR = Path(__file__).resolve().parent / ".models"
#: Bump when the recipe changes, so an old build is not reused.
RECIPE = "v1"
SOURCE_VOCABULARY = 1000  # BPE pieces: about 1.3 tokens per word on the workload


def _build(target: Path) -> None:
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        build_marian_model(staging, arch=OPUS_MT_EN_FR_ARCH, spm_vocab_size=SOURCE_VOCABULARY,
                           source_sentences=training_sentences(), source_spm_type="bpe")
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def prepare_models(root: Path = MODELS_DIR) -> tuple[Path, ConvertedModel]:
    """The Marian directory and its int8 conversion, building and converting what is missing."""
    root.mkdir(parents=True, exist_ok=True)
    marian_dir = root / f"opus-mt-en-fr-random-{RECIPE}"
    if not (marian_dir / "model.safetensors").is_file():
        log.info("building the full-size random model in %s", marian_dir)
        _build(marian_dir)
    converted = ensure_converted(str(marian_dir), "int8", root / "data")
    return marian_dir, converted
