"""French typography for machine output: a deterministic, idempotent post-processing step.

French news copy differs from English in its punctuation and numbers:

* a non-breaking space before ``:`` (U+00A0) and before ``;``, ``!`` and ``?``
  (U+00A0, or the narrow U+202F in ``narrow`` mode);
* « guillemets » with non-breaking spaces inside instead of “…” or "…", and
  “…” for a quotation inside a quotation (« Il a dit “non” hier »): quotation
  marks are paired, and the outer pair becomes guillemets, the inner ones
  curly quotes (single quotes inside a quotation count as inner quotes);
* the typographic apostrophe ’ between letters (aujourd’hui, l’État), the
  same throughout: an elision before a protected name and the protected
  name's own apostrophes included (l’ICAC, L’Express);
* a decimal comma (3,5) and a non-breaking space as the thousands separator
  (1 000 000), and a non-breaking space before ``%`` and currency signs.

What is never touched: URLs, e-mail addresses and domain names, code in
backticks, HTML tags, entities and ``notranslate`` elements, numbers that are
part of an identifier (COVID-19, A320, 192.168.0.1), dotted numbers that are
clock times or part numbers ("at 7.45", "release 3.1": see
:mod:`translator.text.dotted`, which reads the English ``source`` when given),
and the caller's protected forms (the glossary's keep-as-is terms) apart from
their apostrophes. Protected spans are swapped for private-use placeholder
characters while the rules run, then put back byte for byte.

Ambiguous numbers are left alone rather than guessed: ``3.125`` (a decimal
point or a thousands dot?) stays as it is, so that applying the step twice
gives the same text as applying it once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .dotted import not_decimals

__all__ = ["MODES", "NARROW_NBSP", "NBSP", "Typography", "french_typography"]

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
#: ``TRANSLATOR_FR_TYPOGRAPHY`` values: ``on`` (U+00A0 everywhere), ``narrow`` (U+202F before
#: ; ! ? and between thousands), ``off``.
MODES = ("on", "narrow", "off")

#: Passes at most until the text no longer changes (two in practice).
_MAX_PASSES = 4
# Private-use characters stand in for protected spans while the rules run.
_PUA_START, _PUA_END = 0xE000, 0xF8FF
_PUA = re.compile("[\ue000-\uf8ff]")

# The rest of a URL: sentence punctuation at its end is not part of it.
_URL_REST = r"""(?:[^\s<>"«»“”`]*[^\s<>"«»“”`.,;:!?)])?"""
# Each kind of protected span is found on its own and overlapping spans are merged, so a URL
# running into an entity or a code span never hides it.
_PROTECTED = [re.compile(pattern, re.DOTALL | re.IGNORECASE) for pattern in (
    r"""<(?P<tag>[A-Za-z][\w-]*)\b[^<>]*(?:\bnotranslate\b|\btranslate\s*=\s*["']?no\b)[^<>]*>.*?</(?P=tag)\s*>""",
    r"""<[^<>\n]*>""",                                   # any other tag
    r"""&(?:\#\d+|\#x[0-9a-fA-F]+|[A-Za-z]\w*);""",      # entities
    r"""`[^`\n]*`""",                                    # code
    r"""\b(?:[A-Za-z][A-Za-z0-9+.-]*)://""" + _URL_REST,  # URLs with a scheme
    r"""\bwww\.""" + _URL_REST,
    r"""[\w.+-]+@[\w-]+(?:\.[\w-]+)+""",                 # e-mail addresses
    r"""\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|fr|mu|io|gov|edu|info|eu|uk|de|int)\b(?:/""" + _URL_REST + ")?",
)]

_SPACE = f"[ \t{NBSP}{NARROW_NBSP}]"
# A number that stands on its own: not glued to letters, hyphens or other digit groups.
_BEFORE = r"(?<![\w.,\-/])(?<!\d[ \u00a0\u202f])"
_AFTER = r"(?![\w\-]|[.,]\d)"
_GROUPED = re.compile(_BEFORE + r"(\d{1,3})((?:,\d{3})+)(?:\.(\d+))?" + _AFTER)
_GROUPED_SPACES = re.compile(_BEFORE + r"(\d{1,3})((?:[ \u00a0\u202f]\d{3})+)(?:,(\d+))?" + _AFTER)
# A decimal point with anything but exactly three decimals (3.500 could mean 3 500).
_DECIMAL = re.compile(_BEFORE + r"(\d+)\.(\d{1,2}|\d{4,})" + _AFTER)
_UNIT_SIGN = re.compile(r"(?<=\d)[ \u00a0\u202f]?([%€$£‰])(?!\w)")

# Quotation marks: openers, closers, and the straight ones that can be either (closing an opener of their family).
_FAMILY = {'"': '"«“', "'": "'‘"}
_DOUBLE_MARKS = re.compile(r'[«»“”"]')
_SINGLE_MARKS = re.compile(r"(?<![^\W\d_])['‘’]|['‘’](?![^\W\d_])")
_OPEN_GUILLEMET = re.compile(r"«" + _SPACE + "*")
_CLOSE_GUILLEMET = re.compile(_SPACE + "*»")
_OPEN_CURLY = re.compile(r"“" + _SPACE + "+")
_CLOSE_CURLY = re.compile(_SPACE + "+”")
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
# High punctuation after something (not at the start, not after an opening bracket), not glued
# to a following word or digit (12:30, Re:Invent).
_HIGH = re.compile(r"(?<=[^\s(\[«])" + _SPACE + r"*([;:!?][!?]*)(?![\w/])")


@dataclass(frozen=True)
class Typography:
    """French typography with a chosen space before ``; ! ?`` and between thousands.

    ``mode``: ``"on"`` (U+00A0 everywhere), ``"narrow"`` (U+202F before
    ``; ! ?``, inside nothing else, and between thousands), ``"off"`` (no change).
    """

    mode: str = "on"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"typography mode must be one of {', '.join(MODES)}, not {self.mode!r}")

    @property
    def enabled(self) -> bool:
        return self.mode != "off"

    @property
    def thin(self) -> str:
        """The space before ``; ! ?`` and between thousands."""
        return NARROW_NBSP if self.mode == "narrow" else NBSP

    def apply(self, text: str, protected: Iterable[str] = (), *, source: str | None = None) -> str:
        """``text`` with French typography; ``protected`` forms (glossary keep terms) stay as they are
        but for their apostrophes; ``source``: the English ``text`` was translated from, which tells
        dotted clock times and part numbers from decimals."""
        if not self.enabled or not text or _PUA.search(text):
            return text  # private-use characters are our placeholders: never risk mixing them up
        # One pass changes the spaces and marks around quotation marks, which a second pass reads to
        # pair them: repeat until nothing changes, so that applying the step twice is applying it once.
        for _ in range(_MAX_PASSES):
            typeset = self._pass(text, protected, source)
            if typeset == text:
                break
            text = typeset
        return text

    def _pass(self, text: str, protected: Iterable[str], source: str | None) -> str:
        masked, spans = _mask(text, protected, not_decimals(text, source))
        masked = self._numbers(masked)
        masked = _quotes(masked)
        masked = _HIGH.sub(self._high, masked)
        # Apostrophes last, on the text with only its structural spans (URLs, code, tags) hidden: one
        # apostrophe throughout, protected names and the elisions before them included.
        masked, spans = _mask(_unmask(masked, spans), ())
        return _unmask(_APOSTROPHE.sub("’", masked), spans)

    def _numbers(self, text: str) -> str:
        thin = self.thin

        def grouped(match: re.Match) -> str:
            head, groups, decimals = match.groups()
            out = head + "".join(thin + g for g in groups.split(",")[1:])
            return out + ("," + decimals if decimals else "")

        def spaced(match: re.Match) -> str:
            head, groups, decimals = match.groups()
            out = head + "".join(thin + g for g in re.split(r"[ \u00a0\u202f]", groups)[1:])
            return out + ("," + decimals if decimals else "")

        text = _GROUPED.sub(grouped, text)
        text = _GROUPED_SPACES.sub(spaced, text)
        text = _DECIMAL.sub(r"\1,\2", text)
        return _UNIT_SIGN.sub(NBSP + r"\1", text)

    def _high(self, match: re.Match) -> str:
        marks = match.group(1)
        return (NBSP if marks[0] == ":" else self.thin) + marks


def _pairs(text: str, marks: Sequence[re.Match], can_open, can_close) -> list[tuple[int, int, int]]:
    """``(open, close, depth)`` of each pair of quotation marks, ``marks`` in order. « and “ (‘) open,
    » and ” (’) close, a straight mark closes an open one of its family where it can, else opens; a mark
    that closes nothing, or an opener never closed, stays unpaired."""
    stack: list[tuple[int, str]] = []      # (position, mark)
    pairs = []
    for m in marks:
        i, ch = m.start(), m.group()
        straight = ch in "\"'"
        if straight and stack and stack[-1][1] in _FAMILY[ch] and can_close(text, i):
            pairs.append((stack.pop()[0], i))
        elif (straight and can_open(text, i)) or ch in "«“‘":
            stack.append((i, ch))
        elif not straight:
            # A closing mark closes the nearest typographic opener; straight openers above it stay unpaired.
            while stack and stack[-1][1] in "\"'":
                stack.pop()
            if stack:
                pairs.append((stack.pop()[0], i))
    # The depth counts the pairs around a pair (openers that were never closed do not count).
    return [(o, c, sum(1 for o2, c2 in pairs if o2 < o and c < c2)) for o, c in pairs]


def _can_open(text: str, i: int) -> bool:
    """A straight mark can open a quotation: something follows it (spaces skipped: the spaces this
    step puts before ! ? : ; must not change the pairing on a second pass), not a closing
    punctuation, and it is not glued to the word before with a space after it."""
    rest = text[i + 1:].lstrip()
    if not rest or rest[0] in ".,;:!?)»”":
        return False
    glued = i > 0 and (text[i - 1].isalnum() or text[i - 1] in ".,;!?»”)\"'’")
    return not (glued and text[i + 1].isspace())


def _can_close(text: str, i: int) -> bool:
    """A straight mark can close a quotation: it follows something that is not a space, or no word follows it."""
    return i > 0 and (not text[i - 1].isspace() or not text[i + 1:i + 2] or not text[i + 1].isalnum())


def _quotes(text: str) -> str:
    """Pair the quotation marks: guillemets for the outer quotation, “…” inside it."""
    replacements: dict[int, str] = {}
    quotations = _pairs(text, list(_DOUBLE_MARKS.finditer(text)), _can_open, _can_close)
    for opened, closed, depth in quotations:
        replacements[opened], replacements[closed] = ("«", "»") if depth == 0 else ("“", "”")
    for opened, closed, depth in quotations:
        if depth == 0:   # single quotes inside a quotation are the inner quotation's marks
            inner = [m for m in _SINGLE_MARKS.finditer(text, opened + 1, closed)]
            for start, end, _ in _pairs(text, inner, _can_open, _can_close):
                if start not in replacements and end not in replacements:
                    replacements[start], replacements[end] = "“", "”"
    if replacements:
        chars = list(text)
        for i, ch in replacements.items():
            chars[i] = ch
        text = _CLOSE_CURLY.sub("”", _OPEN_CURLY.sub("“", "".join(chars)))
    text = _OPEN_GUILLEMET.sub("«" + NBSP, text)
    return _CLOSE_GUILLEMET.sub(NBSP + "»", text)


def _mask(text: str, protected: Iterable[str], extra: Sequence[tuple[int, int]] = ()) -> tuple[str, list[str]]:
    """Replace every protected span (and ``extra`` ranges) by one private-use character; returns (text, spans)."""
    ranges: list[tuple[int, int]] = [m.span() for pattern in _PROTECTED for m in pattern.finditer(text)]
    ranges += extra
    # Forms are found whatever their apostrophes (this step makes them typographic).
    searched = text.replace("’", "'")
    for form in sorted({p.replace("’", "'") for p in protected if p}, key=len, reverse=True):
        start = searched.find(form)
        while start != -1:
            ranges.append((start, start + len(form)))
            start = searched.find(form, start + len(form))
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    if len(merged) > _PUA_END - _PUA_START:
        merged = merged[:_PUA_END - _PUA_START]  # absurdly many: the rest is treated as text
    parts: list[str] = []
    spans: list[str] = []
    position = 0
    for index, (start, end) in enumerate(merged):
        parts.append(text[position:start])
        parts.append(chr(_PUA_START + index))
        spans.append(text[start:end])
        position = end
    parts.append(text[position:])
    return "".join(parts), spans


def _unmask(text: str, spans: list[str]) -> str:
    return _PUA.sub(lambda m: spans[ord(m.group()) - _PUA_START], text)


def french_typography(text: str, *, mode: str = "on", protected: Iterable[str] = (), source: str | None = None) -> str:
    """:meth:`Typography.apply` in one call."""
    return Typography(mode).apply(text, protected, source=source)
