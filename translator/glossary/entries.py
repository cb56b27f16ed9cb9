"""Glossary entries and the glossary TSV file: parsing and validation with line numbers.

The file format (``glossary/en-fr.tsv``): UTF-8, one entry a line,
``source<TAB>target``, an optional third column of flags (``ci``: match the
source case-insensitively; ``adj=FORM|FORM...``: the French adjective forms of
a name English also uses as an adjective, "Mediterranean diet" -> "régime
méditerranéen"); lines whose first non-blank character is ``#`` and blank
lines are ignored. A target equal to its source means "keep as is".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ADJECTIVE_FLAG", "KNOWN_FLAGS", "MAX_TERM_CHARS", "GlossaryEntry", "Problem", "common_word_warnings", "entry_problems",
           "parse_flags", "read_tsv", "same_source", "validate_tsv"]

#: Flags a glossary entry may carry: ``ci`` = match the source case-insensitively.
KNOWN_FLAGS = frozenset({"ci"})
#: The flag that lists an entry's French adjective forms: ``adj=méditerranéen|méditerranéenne``.
ADJECTIVE_FLAG = "adj="

#: Longest source or target term, in characters: names and titles fit easily, and a term can never
#: push a segment far past the model's input limit (the pipeline also checks what it sends).
MAX_TERM_CHARS = 200

_FLAG_SPLIT = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class GlossaryEntry:
    """One glossary entry: the English ``source``, its French ``target`` and its ``flags``."""

    source: str
    target: str
    flags: frozenset[str] = field(default_factory=frozenset)

    @property
    def keep(self) -> bool:
        """True for a do-not-translate entry (the target is the source)."""
        return self.target == self.source

    @property
    def case_insensitive(self) -> bool:
        return "ci" in self.flags

    @property
    def adjectives(self) -> tuple[str, ...]:
        """The French adjective forms of the name (``adj=`` flag), for its adjective uses in English."""
        return tuple(sorted(form for flag in self.flags if flag.startswith(ADJECTIVE_FLAG)
                            for form in flag[len(ADJECTIVE_FLAG):].split("|") if form))

    def to_dict(self) -> dict:
        """``{"source", "target", "flags": [sorted flags]}`` (JSON-ready)."""
        return {"source": self.source, "target": self.target, "flags": sorted(self.flags)}

    def canonical(self) -> str:
        """One line that identifies the entry's content (hash material)."""
        return f"{self.source}\t{self.target}\t{','.join(sorted(self.flags))}"


@dataclass(frozen=True)
class Problem:
    """A problem found in a glossary file, at a 1-based ``line``."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def parse_flags(flags: str | Iterable[str] | None) -> frozenset[str]:
    """``"ci"``, ``"ci, x"`` or an iterable of flag names -> a frozenset (unknown names kept)."""
    if flags is None:
        return frozenset()
    if isinstance(flags, str):
        return frozenset(f for f in _FLAG_SPLIT.split(flags.strip().lower()) if f)
    return frozenset(str(f).strip().lower() for f in flags if str(f).strip())


def _has_control_characters(text: str) -> bool:
    # Cc (C0/C1 controls, tabs, newlines) and Cf (zero-width spaces, bidi marks, soft hyphens)
    # are invisible in an editor and silently break matching.
    return any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text)


def entry_problems(source: str, target: str, flags: frozenset[str] = frozenset()) -> list[str]:
    """What is wrong with one entry (empty list when nothing is)."""
    problems = []
    for name, value in (("source", source), ("target", target)):
        if not value.strip():
            problems.append(f"empty {name} term")
            continue
        if len(value) > MAX_TERM_CHARS:
            problems.append(f"{name} term too long: {len(value)} characters (at most {MAX_TERM_CHARS})")
            continue
        if value != value.strip():
            problems.append(f"leading or trailing spaces in {name} term {value!r}")
        if _has_control_characters(value):
            problems.append(f"control character in {name} term {value!r}")
    if source.strip() and not any(ch.isalnum() for ch in source):
        problems.append(f"source term {source!r} has no letter or digit")
    adjectives = [f for f in flags if f.startswith(ADJECTIVE_FLAG)]
    unknown = sorted(flags - KNOWN_FLAGS - set(adjectives))
    if unknown:
        problems.append(f"unknown flag(s) {', '.join(unknown)} (known: {', '.join(sorted(KNOWN_FLAGS))})")
    for flag in adjectives:
        forms = flag[len(ADJECTIVE_FLAG):].split("|")
        if not all(form.strip() and not any(ch in form for ch in " \t") for form in forms):
            problems.append(f"adjective forms must be single words separated by '|': {flag!r}")
    return problems


def same_source(a: GlossaryEntry, b: GlossaryEntry) -> bool:
    """True when ``a`` and ``b`` match the same text (so they cannot have different targets)."""
    a_source, b_source = " ".join(a.source.split()), " ".join(b.source.split())
    if a.case_insensitive or b.case_insensitive:
        return a_source.casefold() == b_source.casefold()
    return a_source == b_source


def _lines(path: Path) -> Iterator[tuple[int, str | None]]:
    """(line number, text) for each line; text is None for a line that is not UTF-8."""
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]  # a byte-order mark from a spreadsheet export
            try:
                yield number, raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                yield number, None


def read_tsv(path: str | Path) -> tuple[list[tuple[int, GlossaryEntry]], list[Problem]]:
    """Parse a glossary TSV file: the (line, entry) pairs that are valid and every problem.

    A source that repeats an earlier source with another target is reported at
    the later line; an exact repeat is reported as a duplicate. Raises OSError
    when the file cannot be read.
    """
    entries: list[tuple[int, GlossaryEntry]] = []
    problems: list[Problem] = []
    by_fold: dict[str, list[tuple[int, GlossaryEntry]]] = {}
    for number, line in _lines(Path(path)):
        if line is None:
            problems.append(Problem(number, "not valid UTF-8"))
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) not in (2, 3):
            problems.append(Problem(number, f"expected 2 or 3 tab-separated columns "
                                            f"(source, target, flags), found {len(columns)}"))
            continue
        source, target = unicodedata.normalize("NFC", columns[0]), unicodedata.normalize("NFC", columns[1])
        flags = parse_flags(columns[2] if len(columns) == 3 else None)
        messages = entry_problems(source, target, flags)
        if messages:
            problems.extend(Problem(number, m) for m in messages)
            continue
        entry = GlossaryEntry(source, target, flags)
        fold = " ".join(source.split()).casefold()
        earlier = next((e for e in by_fold.get(fold, ()) if same_source(e[1], entry)), None)
        if earlier is not None:
            first_line, first = earlier
            if first.target == target and first.flags == flags:
                problems.append(Problem(number, f"duplicate of line {first_line} ({source!r})"))
            else:
                problems.append(Problem(number, f"source {source!r} already has target {first.target!r} "
                                                f"at line {first_line}; here it has {target!r}"))
            continue
        by_fold.setdefault(fold, []).append((number, entry))
        entries.append((number, entry))
    return entries, problems


def common_word_warnings(path: str | Path) -> list[Problem]:
    """Entries whose French form is also an ordinary French word ("Vienne", "Canton"): not
    errors (the check only matches them with their capital and never forces them onto a
    lower-case word), but worth an editor's look."""
    from .words import is_french_common

    warnings = []
    for number, entry in read_tsv(path)[0]:
        words = entry.target.split()
        if not entry.keep and len(words) == 1 and is_french_common(words[0]):
            warnings.append(Problem(number, f"French form {entry.target!r} is also an ordinary French word "
                                            f"({entry.target.lower()!r}): matched only with its capital"))
    return warnings


def validate_tsv(path: str | Path) -> list[Problem]:
    """Every problem in the glossary file at ``path`` (an empty list means it is valid).

    A file that cannot be read is one problem at line 0.
    """
    try:
        return read_tsv(path)[1]
    except OSError as exc:
        return [Problem(0, f"cannot read file: {exc.strerror or exc}")]
