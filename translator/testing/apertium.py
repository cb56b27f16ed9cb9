"""A real, imperfect machine-translation engine for fidelity tests: Apertium, English -> Spanish -> French.

Debian's ``apertium``, ``apertium-eng-spa`` and ``apertium-fr-es`` give a
rule-based engine nobody here wrote: it translates names word by word
("Port Louis" -> "Louis Portuaire"), garbles function words, mangles months
and percentages, and gives no scores and no alignment. There is no
English-French pair, so two are chained (``apertium -u eng-spa | apertium -u
es-fr``; ``-u`` drops the ``*`` marks on unknown words).

* :class:`ApertiumEngine` calls the programs (used only to refresh a fixture);
* :class:`FixtureEngine` answers from a recorded fixture (``input -> output``),
  so the test suite needs neither Apertium nor its start-up time.

``benchmarks/fidelity.py`` records the fixture for the corpus in
``tests/data/apertium/`` and measures the glossary, typography and the numbers
check on it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["APERTIUM_PACKAGES", "ApertiumEngine", "FixtureEngine", "MissingFixture", "apertium_versions",
           "load_fixture", "save_fixture"]

#: The Debian packages that make the chain.
APERTIUM_PACKAGES = ("apertium", "apertium-eng-spa", "apertium-fr-es")
_MODES = ("eng-spa", "es-fr")
# Texts go through the programs in one call, separated by blank lines (paragraphs survive the chain);
# a batch that comes back with another count is translated one text at a time.
_SEPARATOR = "\n\n"


class MissingFixture(KeyError):
    """The fixture has no answer for a text: refresh it (``python -m benchmarks.fidelity --refresh``)."""


class _WordCountTokens:
    """Token counting for engines without a tokenizer: whitespace words plus one."""

    max_input_tokens = 512

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1


class ApertiumEngine(_WordCountTokens):
    """The Apertium chain as an :class:`~translator.engines.Engine` (one hypothesis, no score)."""

    identity = "apertium:eng-spa|es-fr"

    def __init__(self, timeout: float = 120.0):
        if shutil.which("apertium") is None:
            raise RuntimeError("apertium is not installed (apt-get install " + " ".join(APERTIUM_PACKAGES) + ")")
        self.timeout = timeout

    def _run(self, text: str) -> str:
        for mode in _MODES:
            text = subprocess.run(["apertium", "-u", mode], input=text, capture_output=True, text=True,
                                  check=True, timeout=self.timeout).stdout
        return text

    def translate(self, texts: Sequence[str], *, fallback: bool = False) -> list[str]:
        if not texts:
            return []
        if not any(_SEPARATOR in t or "\n" in t for t in texts):
            parts = self._run(_SEPARATOR.join(texts)).rstrip("\n").split(_SEPARATOR)
            if len(parts) == len(texts):
                return [p.strip() for p in parts]
        return [self._run(t).strip() for t in texts]


class FixtureEngine(_WordCountTokens):
    """An engine that answers from recorded translations; an unknown text raises :class:`MissingFixture`."""

    def __init__(self, translations: Mapping[str, str], identity: str = "apertium-fixture"):
        self.translations = dict(translations)
        self.identity = identity
        self.seen: list[str] = []

    @classmethod
    def from_file(cls, path: str | Path) -> "FixtureEngine":
        return cls(load_fixture(path)["translations"])

    def translate(self, texts: Sequence[str], *, fallback: bool = False) -> list[str]:
        out = []
        for text in texts:
            self.seen.append(text)
            if text not in self.translations:
                raise MissingFixture(f"no recorded translation for {text!r}: refresh the fixture "
                                     f"(python -m benchmarks.fidelity --refresh)")
            out.append(self.translations[text])
        return out


def apertium_versions() -> dict[str, str]:
    """The installed version of each Debian package of the chain ("" when not installed)."""
    versions = {}
    for package in APERTIUM_PACKAGES:
        try:
            versions[package] = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package],
                                               capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            versions[package] = ""
    return versions


def load_fixture(path: str | Path) -> dict:
    """``{"engine", "versions", "translations": {input: output}}`` from a fixture file."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def save_fixture(path: str | Path, translations: Mapping[str, str], versions: Mapping[str, str]) -> None:
    """Write a fixture file: sorted, one translation a line, so a refresh gives a readable diff."""
    data = {"engine": "apertium -u eng-spa | apertium -u es-fr", "versions": dict(versions),
            "translations": dict(sorted(translations.items()))}
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
