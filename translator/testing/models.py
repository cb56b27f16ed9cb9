"""Build random-weight Marian models on disk, offline.

The Hugging Face hub is not always reachable (CI, air-gapped servers), so the
tests and the benchmark build their own Marian directories here: a small
SentencePiece model trained on generated sentences, a ``vocab.json`` laid out
like opus-mt's (``</s>`` = 0, ``<unk>`` = 1, ``<pad>`` last), and a
``MarianMTModel`` with random weights saved with ``save_pretrained``. The
directory loads through exactly the same code as the real opus-mt model.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

__all__ = ["CACHE_ENV", "OPUS_MT_EN_FR_ARCH", "TINY_ARCH", "build_marian_model", "cached_marian_model", "copy_cached_marian_model",
           "model_cache_dir", "sample_corpus"]

log = logging.getLogger(__name__)

#: Overrides the per-machine directory where :func:`cached_marian_model` keeps built models.
CACHE_ENV = "TRANSLATOR_TEST_CACHE"
# The packages whose versions shape what the builder writes: a new one rebuilds every cached model.
_KEYED_PACKAGES = ("torch", "transformers", "sentencepiece")

#: The architecture of Helsinki-NLP/opus-mt-en-fr (speed measurements).
OPUS_MT_EN_FR_ARCH = dict(
    vocab_size=59514, d_model=512, encoder_layers=6, decoder_layers=6,
    encoder_attention_heads=8, decoder_attention_heads=8,
    encoder_ffn_dim=2048, decoder_ffn_dim=2048,
)

#: A model small enough to build and run in a second or two (tests).
TINY_ARCH = dict(
    vocab_size=None, d_model=32, encoder_layers=1, decoder_layers=1,
    encoder_attention_heads=2, decoder_attention_heads=2,
    encoder_ffn_dim=64, decoder_ffn_dim=64,
)

_EN_WORDS = (
    "the government minister said on Monday that parliament will vote on the new budget "
    "police arrested two men after a fire in the harbour of the capital city "
    "prices of rice and fuel rose again this week according to the statistics office "
    "the president met leaders from Africa and Europe to discuss trade and climate "
    "fishermen in the south warned that the cyclone could reach the island tomorrow "
    "a court in the north heard the case of a company accused of fraud "
    "students and teachers protested against the reform of public schools "
    "the central bank kept its interest rate unchanged amid rising inflation "
    "tourism brought more visitors than last year to the beaches and hotels "
    "doctors at the hospital treated dozens of patients during the night"
).split()
_FR_WORDS = (
    "le gouvernement ministre a déclaré lundi que le parlement votera sur le nouveau budget "
    "la police a arrêté deux hommes après un incendie dans le port de la capitale "
    "les prix du riz et du carburant ont encore augmenté cette semaine selon le bureau des statistiques "
    "le président a rencontré des dirigeants d'Afrique et d'Europe pour discuter du commerce et du climat "
    "les pêcheurs du sud ont averti que le cyclone pourrait atteindre l'île demain "
    "un tribunal du nord a entendu l'affaire d'une entreprise accusée de fraude "
    "des élèves et des enseignants ont manifesté contre la réforme des écoles publiques "
    "la banque centrale a maintenu son taux d'intérêt malgré la hausse de l'inflation"
).split()


def sample_corpus(words: list[str], n: int, seed: int) -> list[str]:
    """Return ``n`` pseudo-sentences drawn from ``words`` (deterministic for a seed)."""
    rng = random.Random(seed)
    sentences = []
    for _ in range(n):
        body = " ".join(rng.choice(words) for _ in range(rng.randint(4, 18)))
        sentences.append(body[0].upper() + body[1:] + rng.choice([".", ".", "?", "!", ","]))
    return sentences


def _train_spm(sentences: list[str], prefix: Path, vocab_size: int, model_type: str = "unigram") -> Path:
    import sentencepiece as spm

    corpus = prefix.with_suffix(".txt")
    corpus.write_text("\n".join(sentences) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(prefix), model_type=model_type,
        vocab_size=vocab_size, eos_id=0, unk_id=1, bos_id=-1, pad_id=-1,
        hard_vocab_limit=False, character_coverage=1.0, minloglevel=2,
    )
    return prefix.with_suffix(".model")


def _pieces(model_file: Path) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(model_file))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def build_marian_model(
    out_dir: str | Path,
    *,
    arch: dict | None = None,
    spm_vocab_size: int = 300,
    seed: int = 0,
    max_length: int = 512,
    num_beams: int = 4,
    train_steps: int = 0,
    source_sentences: list[str] | None = None,
    source_spm_type: str = "unigram",
) -> Path:
    """Write a random-weight Marian model and its tokenizer to ``out_dir``.

    ``arch`` is a dict of ``MarianConfig`` sizes (``TINY_ARCH`` by default,
    ``OPUS_MT_EN_FR_ARCH`` for the real architecture). When ``arch`` names a
    ``vocab_size`` larger than the SentencePiece vocabularies, ``vocab.json`` is
    padded with dummy pieces so the embedding matrix has the real size; ``<pad>``
    stays the last entry, as in opus-mt (CTranslate2's converter needs that).

    ``train_steps`` > 0 trains the random model for that many small steps on a
    generated word-for-word "translation" task, so that it emits end-of-sentence
    and input-dependent French-looking output (a few seconds for ``TINY_ARCH``).

    ``source_sentences`` (optional) trains the source SentencePiece model on
    that text instead of the built-in sample, and ``source_spm_type`` ("unigram"
    or "bpe") picks its algorithm, so that a benchmark workload can be cut into
    as many tokens per word as a real vocabulary would cut it.
    """
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    arch = dict(TINY_ARCH if arch is None else arch)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        src = _train_spm(source_sentences or sample_corpus(_EN_WORDS, 600, seed), tmp_path / "source",
                         spm_vocab_size, source_spm_type)
        tgt = _train_spm(sample_corpus(_FR_WORDS, 600, seed + 1), tmp_path / "target", spm_vocab_size)
        vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
        for piece in _pieces(src) + _pieces(tgt):
            vocab.setdefault(piece, len(vocab))
        wanted = arch.pop("vocab_size", None) or len(vocab) + 1
        while len(vocab) < wanted - 1:
            vocab[f"<dummy{len(vocab)}>"] = len(vocab)
        vocab["<pad>"] = len(vocab)
        vocab_file = tmp_path / "vocab.json"
        vocab_file.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        tokenizer = MarianTokenizer(
            source_spm=str(src), target_spm=str(tgt), vocab=str(vocab_file),
            source_lang="en", target_lang="fr", model_max_length=max_length,
        )
        tokenizer.save_pretrained(out)

    size = len(vocab)
    pad = size - 1
    config = MarianConfig(
        vocab_size=size, decoder_vocab_size=size, max_position_embeddings=max_length,
        pad_token_id=pad, decoder_start_token_id=pad, eos_token_id=0, forced_eos_token_id=0,
        activation_function="swish", scale_embedding=True, share_encoder_decoder_embeddings=True,
        static_position_embeddings=True, **arch,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.generation_config = GenerationConfig(
        num_beams=num_beams, max_length=max_length, bad_words_ids=[[pad]],
        decoder_start_token_id=pad, eos_token_id=0, forced_eos_token_id=0, pad_token_id=pad,
    )
    _zero_pad_embedding(model)
    if train_steps:
        _train(model, MarianTokenizer.from_pretrained(out), train_steps, seed)
    model.save_pretrained(out)
    return out


def _zero_pad_embedding(model) -> None:
    """Zero the ``<pad>`` embedding row, as in opus-mt: the decoder starts from a zero
    embedding (CTranslate2's converter relies on it)."""
    import torch

    with torch.no_grad():
        model.get_input_embeddings().weight[model.config.pad_token_id].zero_()


def _word_for_word(sentence: str, mapping: dict[str, str]) -> str:
    words = " ".join(mapping.get(w, w) for w in sentence[:-1].lower().split())
    return words[0].upper() + words[1:] + sentence[-1]


def _train(model, tokenizer, steps: int, seed: int) -> None:
    import torch

    mapping = {w: _FR_WORDS[i % len(_FR_WORDS)] for i, w in enumerate(dict.fromkeys(_EN_WORDS))}
    source = sample_corpus(_EN_WORDS, 800, seed + 2)
    target = [_word_for_word(s, mapping) for s in source]
    rng = random.Random(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(steps):
        picked = rng.sample(range(len(source)), 32)
        batch = tokenizer([source[i] for i in picked], text_target=[target[i] for i in picked],
                          return_tensors="pt", padding=True)
        batch["labels"][batch["labels"] == tokenizer.pad_token_id] = -100
        model(**batch).loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        _zero_pad_embedding(model)  # tied output projection gives the row gradients
    model.eval()


def model_cache_dir() -> Path:
    """The per-machine directory of built test models: ``$TRANSLATOR_TEST_CACHE``, else the user's
    cache directory (``~/.cache/translator-tests`` on Linux)."""
    import platformdirs

    configured = os.environ.get(CACHE_ENV)
    return Path(configured).expanduser() if configured else Path(platformdirs.user_cache_dir("translator-tests"))


def _cache_key(arguments: dict) -> str:
    """A digest of the builder's arguments, its own source and the versions of what it builds with,
    so that a change to any of them builds a new model instead of reusing a stale one."""
    digest = hashlib.sha256()
    digest.update(json.dumps(arguments, sort_keys=True, default=str).encode())
    digest.update(Path(__file__).read_bytes())
    for package in _KEYED_PACKAGES:
        digest.update(f"{package}=={metadata.version(package)}".encode())
    return digest.hexdigest()[:16]


def cached_marian_model(**arguments) -> Path:
    """The directory :func:`build_marian_model` writes for ``arguments`` (its keywords, without
    ``out_dir``), built once per machine and reused by later calls and later runs.

    The model is built in a temporary directory beside the cache entry and renamed into place, so
    concurrent runs never see half a model: the first rename wins and the others drop their copy.
    The returned directory is shared: callers that write into a model directory (a CTranslate2
    conversion lands beside the weights) must work on a copy.
    """
    root = model_cache_dir()
    target = root / f"marian-{_cache_key(arguments)}"
    if target.is_dir():
        return target
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    staging.chmod(0o755)  # mkdtemp's 0700 would follow every copy; a built model is an ordinary directory
    try:
        build_marian_model(staging, **arguments)
        try:
            staging.rename(target)
            log.info("built test model %s", target)
        except OSError:
            if not target.is_dir():
                raise
            log.info("another run built %s first; using its copy", target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def copy_cached_marian_model(out_dir: str | Path, **arguments) -> Path:
    """A private copy of :func:`cached_marian_model`'s directory at ``out_dir``: the same model as
    ``build_marian_model(out_dir, **arguments)`` writes, without building it again, which the
    caller may write into."""
    return Path(shutil.copytree(cached_marian_model(**arguments), out_dir))
