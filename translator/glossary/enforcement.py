"""Glossary enforcement: French forms into the source, then check each name by position.

The technique works through the plain :class:`~translator.engines.Engine`
protocol, so every backend (PyTorch, CTranslate2, fakes) gets it, and uses
what :func:`~translator.engines.results.translate_detailed` adds where the
engine has it (n-best hypotheses, alignment):

1. **Inline French forms.** Each occurrence of a term in the source is
   replaced by its French form before translation ("Putin's army" ->
   "Poutine's army"): NMT models copy names they do not know. Keep-as-is
   terms stay as they are; in all-caps text the form is upper-cased.
2. **Check, per occurrence, by position.** The output is searched for every
   form (whole words; a form starting in lower case may take a capital at
   the start of a sentence; "Vienne" never matches "vienne"); URLs, e-mail
   addresses, @handles and #hashtags are skipped. Each occurrence is tied to
   one found form:

   * by the cross-attention **alignment** where the hypothesis has one (the
     found form must lie where the occurrence's French was generated);
   * else by **order and count**: a form found exactly as often as the source
     has it ties its occurrences in order; those ties, where they keep the
     source order, cut the text into regions, and a form whose count in a
     region equals its occurrences there ties them too. One mention is never
     credited for another: whatever stays undecided is missed.
3. **n-best.** Of several hypotheses, the first (best-scoring) one in which
   every occurrence is tied is chosen; otherwise the best one is repaired.
4. **Repairs that cannot hurt** (unless ``repair=False``). A name repeated
   back to back ("Poutine Poutine") loses the repeat. A missed occurrence is
   repaired only on a span that is tied to it: the span the alignment gives
   for it (every piece in it aligned to that name), or, without alignment,
   the one candidate in its region when that region is missing only this
   occurrence (the English form left in place, the target's words reordered,
   a close misspelling scored against the French form only, each of its
   words made of the form's letters, a partly translated name). A repair
   replaces only characters of the garbled name: a span is never taken when
   it overlaps a found form, a URL or handle, crosses an apostrophe, follows
   an elided article the form cannot take ("l'" before a consonant), is a
   derived word of the name ("Mauriciens" for "Maurice"), has a French
   function word at an edge the form does not ("et", "a", "le", "des"...),
   cuts a hyphenated word, has a word of the name beside it or, for a word
   it lacks, elsewhere in the text (it would come out twice), or is a
   lower-case word for a capitalised form (except, with alignment, the same
   words re-cased, when they are not an ordinary French word). Otherwise
   the occurrence is missed and the text left alone. An adjective use
   (:mod:`.uses`) is never repaired.
5. **Report.** One item per occurrence, in source order:
   ``{"source", "target", "start", "end"}`` (offsets in the source) plus
   ``target_start``/``target_end`` (offsets in the final French) when
   applied, ``repair`` when a repair put it there, ``reason`` when missed.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..engines.results import AlignedPiece, Hypothesis
from .entries import GlossaryEntry
from .matching import APOSTROPHES, HYPHENS, Match, TermMatcher
from .spans import overlaps, protected_spans, starts_sentence
from .uses import adjective_use, redundant_initials
from .words import is_french_common, is_french_function_word

__all__ = ["TECHNIQUE", "Enforcement", "InlinedSegment", "Occurrence", "choose", "enforce", "inject",
           "inject_occurrences", "segment_fingerprint"]

#: Names the way terms reach the engine; part of every segment fingerprint (cache key), so
#: changing the technique invalidates cached segments that contain terms.
TECHNIQUE = "inline-target-v3"

#: Minimum similarity (difflib ratio over letters) for a garbled spelling to be repaired.
FUZZY_THRESHOLD = 0.8
#: Terms shorter than this (in letters and digits) are only repaired on an exact match.
FUZZY_MIN_LETTERS = 5

#: Why an occurrence is missed.
NOT_FOUND = "not found"
UNCERTAIN = "position uncertain"
NOT_REPAIRED = "no safe repair"
NOT_TRANSLATED = "segment not translated"
TOO_LONG = "French forms too long for the model"
ADJECTIVE = "adjective use"

_WORD = re.compile(r"\w+")
_SPACE_JOIN = re.compile(r"[\s" + re.escape(HYPHENS) + r"]{1,3}")
_APOSTROPHE_JOIN = re.compile(r"[\s" + re.escape(HYPHENS + APOSTROPHES) + r"]{1,3}")
_VOWEL_START = re.compile(r"[aeiouyhàâäéèêëîïôöùûüœæ]", re.IGNORECASE)
_POSSESSIVE = re.compile(r"[" + re.escape(APOSTROPHES) + r"]s\b")

Key = tuple[str, bool]


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of an entry in a source segment.

    ``start``/``end``: in the source; ``engine_start``/``engine_end``: where its
    form is in the text the engine was given; ``form``: what the French must
    hold (the target, upper-cased in all-caps text; the source text itself
    for a keep-as-is entry); ``caps``: the source is all-caps text.
    ``adjective``: an adjective use (:mod:`.uses`): the engine got the English,
    and ``surfaces`` (``(text, case_insensitive)``) are the French that satisfy
    it. ``host``: the index of the occurrence whose form ends with this one's
    initials (the English gave them in parentheses, left out for the engine).
    """

    entry: GlossaryEntry
    start: int
    end: int
    engine_start: int
    engine_end: int
    form: str
    caps: bool = False
    adjective: bool = False
    surfaces: tuple[tuple[str, bool], ...] = ()
    host: int | None = None

    @property
    def key(self) -> Key:
        """Occurrences with the same key are satisfied by the same French text."""
        if self.adjective:
            return "adj:" + self.entry.source, True
        return self.form, self.entry.case_insensitive or self.caps

    def forms(self) -> tuple[tuple[str, bool], ...]:
        """``(text, case_insensitive)`` of each French text that satisfies the occurrence."""
        return self.surfaces if self.adjective else ((self.form, self.key[1]),)

    def item(self) -> dict:
        return {"source": self.entry.source, "target": self.entry.target, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class InlinedSegment:
    """A source segment with its glossary terms found and their French forms inlined in
    ``engine_text``: what :meth:`Glossary.prepare <translator.glossary.Glossary.prepare>` returns
    (a :class:`~translator.glossary.contract.PreparedText`).

    ``unlisted``: ``(start, end)`` of capitalised names in the source that no
    entry covers (see :mod:`translator.glossary.unlisted`). ``n_best`` and
    ``alignment``: what the pipeline should ask the engine for.
    """

    source: str
    engine_text: str
    fingerprint: str
    matches: tuple[Match, ...] = ()
    occurrences: tuple[Occurrence, ...] = ()
    unlisted: tuple[tuple[int, int], ...] = ()
    #: What the pipeline asks the engine for (see :mod:`translator.engines.results`): several
    #: hypotheses to choose from and the alignment, for segments with names.
    n_best: int = 1
    alignment: bool = False


@dataclass
class Enforcement:
    """The checked output of one segment.

    ``applied``/``missed``: report items (offsets relative to the segment);
    ``repairs``: (kind, entry) pairs, for measurement; ``hypothesis``: the
    index of the hypothesis chosen.
    """

    text: str
    applied: list[dict] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    repairs: list[tuple[str, GlossaryEntry]] = field(default_factory=list)
    hypothesis: int = 0
    unlisted: list[dict] = field(default_factory=list)


def segment_fingerprint(entries: Sequence[GlossaryEntry]) -> str:
    """A hash of the distinct entries occurring in a segment ("" when none)."""
    if not entries:
        return ""
    lines = sorted({e.canonical() for e in entries})
    return hashlib.sha256("\n".join([TECHNIQUE, *lines]).encode("utf-8")).hexdigest()[:16]


def inject(source: str, matches: Sequence[Match], *, caps: bool = False) -> str:
    """``source`` with every matched term replaced by its French form (keep-as-is terms unchanged)."""
    return inject_occurrences(source, matches, caps=caps)[0]


def inject_occurrences(source: str, matches: Sequence[Match], *, caps: bool = False) -> tuple[str, tuple[Occurrence, ...]]:
    """``source`` with the French forms in place, and each occurrence with its offsets there.

    An adjective use keeps its English; initials in parentheses that the form before them already
    ends with are left out (:mod:`.uses`)."""
    adjectival = [not caps and adjective_use(source, m.start, m.end, m.entry) for m in matches]
    nouns = {m.entry for m, adjective in zip(matches, adjectival) if not adjective}
    parts, occurrences, position, length = [], [], 0, 0
    skipped_until, host = -1, None
    for m, adjective in zip(matches, adjectival):
        own = source[m.start:m.end] if m.entry.keep else (m.entry.target.upper() if caps else m.entry.target)
        if m.start < skipped_until:
            # The initials in the parenthesis left out: satisfied by the end of the host's form.
            occurrences.append(Occurrence(m.entry, m.start, m.end, length, length, own, caps, host=host))
            continue
        before = source[position:m.start]
        parts.append(before)
        length += len(before)
        form = source[m.start:m.end] if adjective else own
        surfaces: tuple[tuple[str, bool], ...] = ()
        if adjective:
            surfaces = tuple((a, True) for a in m.entry.adjectives)
            if m.entry not in nouns:
                surfaces += ((m.entry.target, m.entry.case_insensitive),)
        parts.append(form)
        occurrences.append(Occurrence(m.entry, m.start, m.end, length, length + len(form), form, caps,
                                      adjective, surfaces))
        length += len(form)
        position = m.end
        end = None if adjective else redundant_initials(source, m.end, form)
        if end is not None:
            skipped_until, position, host = end, end, len(occurrences) - 1
    parts.append(source[position:])
    return "".join(parts), tuple(occurrences)


# -- helpers -----------------------------------------------------------------------------------

def _fold(text: str) -> str:
    """Case, accents and punctuation removed: what two spellings of a name share."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


def _adapt_initial(form: str, text: str, start: int, end: int) -> str:
    """``form`` to put at ``text[start:end]``, capitalised where a sentence starts there
    or where the engine capitalised the same first word (a form starting in lower case)."""
    found = text[start:end]
    if not (form[:1].islower() and found[:1].isupper()):
        return form
    same_first_word = bool(found.split()) and _fold(found.split()[0]) == _fold(form.split()[0])
    if same_first_word or starts_sentence(text, start) or (start > 0 and text[start - 1] == ":"):
        return form[:1].upper() + form[1:]
    return form


@dataclass(frozen=True)
class _Hit:
    key: Key
    start: int
    end: int


def _form_matcher(occurrences: Sequence[Occurrence]) -> TermMatcher[Key]:
    terms: dict[tuple[str, bool], Key] = {}
    for o in occurrences:
        for form in o.forms():
            terms.setdefault(form, o.key)
    return TermMatcher(((form, ci, key) for (form, ci), key in terms.items()), flexible_lower_initial=True)


def _find_hits(matcher: TermMatcher[Key], text: str, protected: Sequence[tuple[int, int]]) -> list[_Hit]:
    return [_Hit(key, s, e) for key, s, e in matcher.finditer(text) if not overlaps(s, e, protected)]


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``pairs`` (sorted by first) whose seconds increase too."""
    if not pairs:
        return []
    best = [1] * len(pairs)
    back = [-1] * len(pairs)
    for i in range(len(pairs)):
        for j in range(i):
            if pairs[j][1] < pairs[i][1] and best[j] + 1 > best[i]:
                best[i], back[i] = best[j] + 1, j
    i = max(range(len(pairs)), key=lambda k: best[k])
    out = []
    while i >= 0:
        out.append(pairs[i])
        i = back[i]
    return out[::-1]


@dataclass
class _Decision:
    """Which found form each occurrence is tied to, and for the rest why not."""

    hit: list[int | None]
    reason: list[str]
    # For an occurrence the order rule left undecided with no form in its region and no other
    # occurrence of its key there: the (start, end) of that region in the output.
    region: list[tuple[int, int] | None]

    @property
    def complete(self) -> bool:
        return all(h is not None for h in self.hit)


def _decide(occurrences: Sequence[Occurrence], hits: Sequence[_Hit], text: str,
            hypothesis: Hypothesis | None) -> _Decision:
    n = len(occurrences)
    hit: list[int | None] = [None] * n
    used: set[int] = set()
    # 1. Alignment: the one found form of the occurrence's key where its French was generated.
    if hypothesis is not None and hypothesis.alignment:
        for i, o in enumerate(occurrences):
            span = hypothesis.target_span(o.engine_start, o.engine_end)
            if span is None:
                continue
            candidates = [j for j, h in enumerate(hits)
                          if j not in used and h.key == o.key and h.start < span[1] and span[0] < h.end]
            if len(candidates) == 1:
                hit[i] = candidates[0]
                used.add(candidates[0])
    # 2. Count: a key found exactly as often as it still needs ties its occurrences in order.
    open_occ: dict[Key, list[int]] = {}
    open_hits: dict[Key, list[int]] = {}
    for i, o in enumerate(occurrences):
        if hit[i] is None:
            open_occ.setdefault(o.key, []).append(i)
    for j, h in enumerate(hits):
        if j not in used:
            open_hits.setdefault(h.key, []).append(j)
    for key, occ in list(open_occ.items()):
        found = open_hits.get(key, [])
        if len(found) == len(occ):
            for i, j in zip(occ, found):
                hit[i] = j
                used.add(j)
            del open_occ[key]
    # 2b. A name that is also a word of longer names the output garbled ("Mauritius" of "Mauritius
    # Revenue Authority" -> "... du les Maurice"): each longer name still missing accounts for one
    # surplus form; when that makes the count, the forms are tied in source order, and the ones
    # inside the longer names are used up (they never make the standalone name uncertain).
    for key, occ in list(open_occ.items()):
        found = [j for j in open_hits.get(key, []) if j not in used]
        if len(found) <= len(occ):
            continue
        english = occurrences[occ[0]].entry.source
        shadows = [i for i, o in enumerate(occurrences)
                   if hit[i] is None and o.key != key and _contains_words(o.entry.source, english)]
        if len(found) != len(occ) + len(shadows):
            continue
        for i, j in zip(sorted(occ + shadows, key=lambda i: occurrences[i].start), found):
            used.add(j)
            if i in occ:
                hit[i] = j
        del open_occ[key]
    # 3. Order: ties that keep the source order cut source and output into regions; within a
    # region, a key whose count matches its occurrences ties them in order.
    anchors = _longest_increasing(sorted((i, hit[i]) for i in range(n) if hit[i] is not None))
    reason = ["" if h is not None else NOT_FOUND for h in hit]
    region: list[tuple[int, int] | None] = [None] * n

    def region_of_occ(i: int) -> int:
        return sum(1 for a, _ in anchors if a < i)

    def region_of_hit(j: int) -> int:
        return sum(1 for _, b in anchors if b < j)

    def bounds(r: int) -> tuple[int, int]:
        lo = hits[anchors[r - 1][1]].end if r > 0 else 0
        hi = hits[anchors[r][1]].start if r < len(anchors) else len(text)
        return lo, hi

    for key, occ in open_occ.items():
        by_region: dict[int, tuple[list[int], list[int]]] = {}
        for i in occ:
            by_region.setdefault(region_of_occ(i), ([], []))[0].append(i)
        for j in open_hits.get(key, []):
            if j not in used:
                by_region.setdefault(region_of_hit(j), ([], []))[1].append(j)
        for r, (occ_r, hits_r) in by_region.items():
            if occ_r and len(occ_r) == len(hits_r):
                for i, j in zip(occ_r, hits_r):
                    hit[i] = j
                    used.add(j)
                    reason[i] = ""
                continue
            for i in occ_r:
                reason[i] = UNCERTAIN if hits_r else NOT_FOUND
                if not hits_r and len(occ_r) == 1:
                    region[i] = bounds(r)
    # A name the segment has once and the output never: its one candidate anywhere is tied to it.
    for key, occ in open_occ.items():
        if len(occ) == 1 and hit[occ[0]] is None and not open_hits.get(key) and \
                sum(1 for o in occurrences if o.key == key) == 1:
            region[occ[0]] = (0, len(text))
    return _Decision(hit, reason, region)


def _contains_words(longer: str, shorter: str) -> bool:
    """True when the name ``shorter`` is a whole-word part of the longer name ``longer``."""
    return longer != shorter and re.search(rf"(?<!\w){re.escape(shorter)}(?!\w)", longer) is not None


# -- repairs -----------------------------------------------------------------------------------

def _derived(word: str, form_words: Sequence[str]) -> bool:
    """True when ``word`` is a longer word built on a word of the name ("Mauriciens" on "Maurice");
    function words are neither ("des" is not built on "de")."""
    folded = _fold(word)
    if is_french_function_word(word):
        return False
    for fw in (_fold(w) for w in form_words if not is_french_function_word(w)):
        stem = fw[:max(3, len(fw) - 1)]
        if len(fw) >= 4 and folded != fw and len(folded) > len(fw) and folded.startswith(stem):
            return True
    return False


def _similar(word: str, name_word: str) -> bool:
    """``word`` is ``name_word`` of a name, maybe garbled ("Pot" for "Port") or glued to another
    word of it ("SergueïChoïgou")."""
    a, b = _fold(word), _fold(name_word)
    if a == b or (len(b) >= 4 and b in a):
        return True
    return min(len(a), len(b)) >= 3 and difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= FUZZY_THRESHOLD


def _neighbours(text: str, start: int, end: int) -> list[str]:
    """The words joined to ``text[start:end]`` by a space or hyphen on either side."""
    joiner = r"[\s" + re.escape(HYPHENS) + r"]{1,3}"
    before = re.search(r"(\w+)" + joiner + "$", text[max(0, start - 60):start])
    after = re.match(joiner + r"(\w+)", text[end:end + 60])
    return [m.group(1) for m in (before, after) if m]


def _safe(text: str, start: int, end: int, occurrence: Occurrence, blocked: Sequence[tuple[int, int]], *,
          tied_by_alignment: bool) -> bool:
    """May ``text[start:end]`` be replaced by the occurrence's form without damaging the French?"""
    if start >= end or overlaps(start, end, blocked):
        return False
    span, form = text[start:end], occurrence.form
    form_words = _WORD.findall(form)
    span_words = _WORD.findall(span)
    if not span_words or len(span_words) > len(form_words) + 2 or len(span) > 2 * len(form) + 10:
        return False
    # Never across an apostrophe (an elision: "l'ONU s'est") unless the form has one itself.
    if any(ch in APOSTROPHES for ch in span) and not any(ch in APOSTROPHES for ch in form):
        return False
    if start > 0 and text[start - 1] in APOSTROPHES and not _VOWEL_START.match(form):
        return False     # "l'Organisation" cannot become "l'Nations unies"
    if end < len(text) and text[end] in APOSTROPHES and not _POSSESSIVE.match(text, end):
        return False     # the span's last word is elided
    if (start > 0 and text[start - 1].isalnum()) or text[end:end + 1].isalnum():
        return False     # not whole words
    if (start > 0 and text[start - 1] in HYPHENS) or (end < len(text) and text[end] in HYPHENS):
        return False     # part of a hyphenated word: the rest of it would stay
    folded_form = {_fold(w) for w in form_words}
    if not folded_form & {_fold(w) for w in span_words} and any(_derived(w, form_words) for w in span_words):
        return False     # a demonym or adjective of the place: a correct French word
    for index in (0, -1):
        if is_french_function_word(span_words[index]) and not is_french_function_word(form_words[index]):
            return False     # an article, conjunction or auxiliary next to the name is never swallowed
    name_words = [w for w in form_words if len(_fold(w)) >= 3 and not is_french_function_word(w)]
    if any(_similar(n, w) for n in _neighbours(text, start, end) for w in name_words):
        return False     # part of the garbled name lies outside the span: it would come out twice
    # A word of the name the span lacks, which the text has elsewhere ("KCNA Kim dite Jong-un"): the
    # engine moved it, and putting it back in the span would say it twice.
    in_span = {_fold(w) for w in span_words}
    outside = {_fold(w) for w in _WORD.findall(text[:start] + " " + text[end:])}
    if any(_fold(w) not in in_span and _fold(w) in outside for w in name_words):
        return False
    if form[:1].isupper() and not span[:1].isupper() and not occurrence.caps:
        # A lower-case word is only re-cased when the alignment ties it to the name and it is
        # the name's own words ("maison blanche" -> "Maison Blanche"), never an ordinary word.
        same_words = [_fold(w) for w in span_words] == [_fold(w) for w in form_words]
        common = len(form_words) == 1 and is_french_common(form_words[0])
        if not (tied_by_alignment and same_words and not common):
            return False
    return True


def _windows(text: str, size: int, lo: int, hi: int, *, apostrophes: bool):
    """(start, end, words) for runs of ``size`` consecutive words inside ``[lo, hi)`` joined only
    by spaces and hyphens (and apostrophes when ``apostrophes``)."""
    joiner = _APOSTROPHE_JOIN if apostrophes else _SPACE_JOIN
    words = [w for w in _WORD.finditer(text, lo, hi)]
    for i in range(len(words) - size + 1):
        j = i + size - 1
        if any(not joiner.fullmatch(text[words[k].end():words[k + 1].start()]) for k in range(i, j)):
            continue
        yield words[i].start(), words[j].end(), [w.group() for w in words[i:j + 1]]


class _Candidates:
    """Spans in one region of the output that could be a garbled form of one occurrence."""

    def __init__(self, occurrence: Occurrence, entries: Sequence[GlossaryEntry], source_words: set[str]):
        self.occurrence = occurrence
        self.source_words = source_words   # words copied from the source are not garbled names
        form = occurrence.form
        self.apostrophes = any(ch in APOSTROPHES for ch in form)
        self.english = TermMatcher(((e.source, e.case_insensitive or occurrence.caps, e)
                                    for e in entries if not e.keep), flexible_lower_initial=True)
        self.form_words = [_fold(w) for w in _WORD.findall(form)]
        self.form_word_set = set(_WORD.findall(form))
        self.form_key = "".join(self.form_words)

    def find(self, text: str, lo: int, hi: int, blocked: Sequence[tuple[int, int]]) -> tuple[str, int, int] | None:
        """(kind, start, end) of the one candidate in ``[lo, hi)``; None when there is none or more than one."""
        def ok(s: int, e: int) -> bool:
            return _safe(text, s, e, self.occurrence, blocked, tied_by_alignment=False)

        for kind, spans in (("source-form", self._english(text, lo, hi)), ("reordered", self._reordered(text, lo, hi)),
                            ("fuzzy", self._fuzzy(text, lo, hi, ok)), ("partial", self._partial(text, lo, hi))):
            spans = [s for s in spans if ok(*s)]
            if len(spans) == 1:
                return kind, *spans[0]
            if spans:
                return None     # two candidates: which one is this name's is not known
        return None

    def _english(self, text: str, lo: int, hi: int) -> list[tuple[int, int]]:
        return [(s, e) for _, s, e in self.english.finditer(text[:hi]) if s >= lo]

    def _reordered(self, text: str, lo: int, hi: int) -> list[tuple[int, int]]:
        k = len(self.form_words)
        if k < 2:
            return []
        return [(s, e) for s, e, words in _windows(text, k, lo, hi, apostrophes=self.apostrophes)
                if sorted(_fold(w) for w in words) == sorted(self.form_words)]

    def _fuzzy(self, text: str, lo: int, hi: int, ok) -> list[tuple[int, int]]:
        if len(self.form_key) < FUZZY_MIN_LETTERS:
            return []
        k = len(self.form_words)
        sizes = range(max(1, k - 1), k + 2)
        capitalised = self.occurrence.form[:1].isupper()
        scored = []
        for size in sorted(sizes):
            for s, e, words in _windows(text, size, lo, hi, apostrophes=self.apostrophes):
                if (capitalised and not words[0][:1].isupper()) or set(words) <= self.source_words:
                    continue
                if any(w in self.source_words and w not in self.form_word_set for w in (words[0], words[-1])):
                    continue   # the window reaches into a word copied from the source
                # Scored against the French form only (a window like the English name is not the name),
                # and every word of the window must be made of the form's letters: a neighbour is not.
                score, attributed = _resemblance([_fold(w) for w in words], self.form_key)
                if score >= FUZZY_THRESHOLD and attributed and ok(s, e):
                    scored.append((score, -abs(len(words) - k), s, e))
        if not scored:
            return []
        best = max(scored, key=lambda c: c[:2])
        # Every other window is the same spot garbled differently, or a second candidate.
        others = [(s, e) for _, _, s, e in scored if not (s < best[3] and best[2] < e)]
        return [(best[2], best[3]), *others[:1]]

    def _partial(self, text: str, lo: int, hi: int) -> list[tuple[int, int]]:
        k = len(self.form_words)
        if k < 2:
            return []
        out = []
        for s, e, words in _windows(text, k, lo, hi, apostrophes=self.apostrophes):
            starts = [m.start() for m in _WORD.finditer(text, s, e)]
            hyphenated = any(ch in HYPHENS for ch in text[s:e])
            folded = [_fold(w) for w in words]
            same = sum(a == b for a, b in zip(folded, self.form_words))
            others = [(w, start) for w, f, t, start in zip(words, folded, self.form_words, starts) if f != t]
            # A translated word of the name ("Rose-Colline", "Donald Surpasse") is capitalised, not a word
            # of the source, not a function word, and not merely the capitalised first word of a sentence
            # ("Selon Ramgoolam") unless hyphenated to the rest of the name.
            if (same * 2 >= k and all(w[:1].isupper() and not is_french_function_word(w) for w, _ in others)
                    and not {w for w, _ in others} & self.source_words
                    and not any(starts_sentence(text, start) and not hyphenated for _, start in others)):
                out.append((s, e))
        return out


def _resemblance(window: Sequence[str], form_key: str) -> tuple[float, bool]:
    """How much the (folded) words of a window look like the form, and whether each word is mostly
    made of the form's letters (at least half of them in the matching blocks)."""
    key = "".join(window)
    matcher = difflib.SequenceMatcher(None, key, form_key, autojunk=False)
    covered = [False] * len(key)
    for a, _, size in matcher.get_matching_blocks():
        covered[a:a + size] = [True] * size
    position, attributed = 0, True
    for word in window:
        if word and 2 * sum(covered[position:position + len(word)]) < len(word):
            attributed = False
        position += len(word)
    return matcher.ratio(), attributed


def _aligned_span(hypothesis: Hypothesis, occurrence: Occurrence, text: str) -> tuple[int, int] | None:
    """The output span the alignment ties to the occurrence, widened to whole words; None when
    a piece inside it is aligned elsewhere (not a faithful span)."""
    pieces = hypothesis.pieces_in(occurrence.engine_start, occurrence.engine_end)
    if not pieces:
        return None
    start, end = min(p.target_start for p in pieces), max(p.target_end for p in pieces)
    for p in hypothesis.alignment or ():
        if start <= p.target_start and p.target_end <= end and p not in pieces and text[
                p.target_start:p.target_end].strip():
            return None
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def _collapse_duplicates(text: str, occurrences: Sequence[Occurrence], hits: list[_Hit],
                         entries: dict[Key, list[GlossaryEntry]],
                         protected: Sequence[tuple[int, int]]) -> tuple[int, int, Key] | None:
    """The span to delete for one back-to-back repetition of a name found more often than
    the source has it ("Poutine Poutine", "Poutine Putin", "Vladimir Poutine Poutine")."""
    needed: dict[Key, int] = {}
    for o in occurrences:
        needed[o.key] = needed.get(o.key, 0) + 1
    english = TermMatcher(((e.source, e.case_insensitive, key) for key, es in entries.items() for e in es
                           if not e.keep), flexible_lower_initial=True)
    forms = sorted([(h.key, True, h.start, h.end) for h in hits]
                   + [(key, False, s, e) for key, s, e in english.finditer(text) if not overlaps(s, e, protected)],
                   key=lambda f: f[2])
    surplus = {key: -n for key, n in needed.items()}
    for key, is_form, _, _ in forms:
        surplus[key] = surplus.get(key, 0) + is_form
    for (key1, form1, s1, e1), (key2, form2, s2, e2) in zip(forms, forms[1:]):
        if s2 < e1 or not text[e1:s2].isspace():
            continue
        if key1 == key2 and form1 != form2 and surplus[key1] >= 0:
            # The French form is already there as often as needed: the English one is a repeat.
            return (s1, s2, key1) if not form1 else (e1, e2, key1)   # drop the English form
        if not (form1 and form2):
            continue
        if key1 == key2 and surplus[key2] > 0:
            return e1, e2, key2
        if surplus[key2] > 0 and _fold(text[s1:e1]).endswith(_fold(text[s2:e2])):
            return e1, e2, key2     # "Vladimir Poutine Poutine"
        if surplus[key1] > 0 and _fold(text[s2:e2]).startswith(_fold(text[s1:e1])):
            return s1, s2, key1     # "Vladimir Vladimir Poutine"
    return None


def _shift(hypothesis: Hypothesis | None, start: int, end: int, inserted: int) -> Hypothesis | None:
    """``hypothesis``'s alignment after ``text[start:end]`` became ``inserted`` characters."""
    if hypothesis is None or not hypothesis.alignment:
        return hypothesis
    delta = inserted - (end - start)
    pieces = []
    for p in hypothesis.alignment:
        if p.target_end <= start:
            pieces.append(p)
        elif p.target_start >= end:
            pieces.append(AlignedPiece(p.target_start + delta, p.target_end + delta, p.source_start, p.source_end))
    return Hypothesis(hypothesis.text, hypothesis.score, tuple(pieces))


# -- enforcement -------------------------------------------------------------------------------

def _hypotheses(output: str | Hypothesis | Sequence[Hypothesis]) -> list[Hypothesis]:
    if isinstance(output, str):
        return [Hypothesis(output)]
    if isinstance(output, Hypothesis):
        return [output]
    hypotheses = [h if isinstance(h, Hypothesis) else Hypothesis(h) for h in output]
    if not hypotheses:
        raise ValueError("no hypothesis to check")
    return hypotheses


def choose(prepared: InlinedSegment, output: str | Hypothesis | Sequence[Hypothesis]) -> int:
    """The index of the first hypothesis (best first) in which every occurrence is tied to its
    French form; 0 (the best, to be repaired) when there is none."""
    hypotheses = _hypotheses(output)
    checked = _checked(prepared.occurrences)
    if len(hypotheses) == 1 or not checked:
        return 0
    matcher = _form_matcher(checked)
    for index, hypothesis in enumerate(hypotheses):
        text = hypothesis.text
        hits = _find_hits(matcher, text, protected_spans(text))
        if _decide(checked, hits, text, hypothesis).complete:
            return index
    return 0


def _checked(occurrences: Sequence[Occurrence]) -> list[Occurrence]:
    """The occurrences checked in the output (initials left out for the engine follow their host)."""
    return [o for o in occurrences if o.host is None]


def enforce(prepared: InlinedSegment, output: str | Hypothesis | Sequence[Hypothesis], *,
            repair: bool = True) -> Enforcement:
    """Check the engine's French for ``prepared``, choose among hypotheses, repair, report.

    ``output``: the text, one :class:`Hypothesis` or several (best first).
    Returns the final text and one ``applied`` or ``missed`` item per
    occurrence in the source, in source order (offsets relative to the
    segment and to the returned text).
    """
    hypotheses = _hypotheses(output)
    index = choose(prepared, hypotheses)
    hypothesis: Hypothesis | None = hypotheses[index]
    text = hypothesis.text
    result = Enforcement(text, hypothesis=index)
    occurrences = _checked(prepared.occurrences)
    if not occurrences:
        return result
    matcher = _form_matcher(occurrences)
    entries: dict[Key, list[GlossaryEntry]] = {}
    for o in occurrences:
        if not o.adjective and o.entry not in entries.setdefault(o.key, []):
            entries[o.key].append(o.entry)
    nouns = [o for o in occurrences if not o.adjective]

    protected = protected_spans(text)
    hits = _find_hits(matcher, text, protected)
    decision = _decide(occurrences, hits, text, hypothesis)
    if repair and not decision.complete:
        # Collapse names the engine repeated back to back, then decide again.
        while True:
            span = _collapse_duplicates(text, nouns, [h for h in hits if h.key in entries], entries, protected)
            if span is None:
                break
            start, end, key = span
            text = text[:start] + text[end:]
            hypothesis = _shift(hypothesis, start, end, 0)
            result.repairs.append(("duplicate", entries[key][0]))
            protected = protected_spans(text)
            hits = _find_hits(matcher, text, protected)
        decision = _decide(occurrences, hits, text, hypothesis)

    # Edits: (start, end, replacement, occurrence index or None), on ``text``.
    edits: list[tuple[int, int, str, int | None]] = []
    repaired: dict[int, str] = {}
    if repair:
        blocked = [*protected, *((h.start, h.end) for h in hits)]
        source_words = set(_WORD.findall(prepared.source))
        for i, o in enumerate(occurrences):
            if decision.hit[i] is not None:
                continue
            if o.adjective:
                # An adjective use is never repaired: the noun would replace a correct French adjective.
                if decision.reason[i] == NOT_FOUND and not o.entry.adjectives:
                    decision.reason[i] = ADJECTIVE
                continue
            spot = None
            aligned = hypothesis.pieces_in(o.engine_start, o.engine_end) if hypothesis is not None else []
            if aligned:
                span = _aligned_span(hypothesis, o, text)
                if span is not None and _safe(text, *span, o, blocked, tied_by_alignment=True):
                    spot = ("aligned", *span)
            elif decision.region[i] is not None:
                spot = _Candidates(o, entries[o.key], source_words).find(text, *decision.region[i], blocked)
            if spot is None:
                if decision.reason[i] == NOT_FOUND:
                    decision.reason[i] = NOT_REPAIRED
                continue
            kind, start, end = spot
            edits.append((start, end, _adapt_initial(o.form, text, start, end), i))
            blocked.append((start, end))
            repaired[i] = kind
            result.repairs.append((kind, o.entry))
    # Spell every tied form exactly as the glossary has it (apostrophes, spaces, case for ci).
    for i, j in enumerate(decision.hit):
        if j is None or occurrences[i].adjective:
            continue
        h = hits[j]
        exact = _adapt_initial(occurrences[i].form, text, h.start, h.end)
        if text[h.start:h.end] != exact:
            edits.append((h.start, h.end, exact, None))

    spans = {i: (hits[j].start, hits[j].end) for i, j in enumerate(decision.hit) if j is not None}
    final, moved = _apply(text, edits, spans)
    result.text = final
    checked_index = {id(o): i for i, o in enumerate(occurrences)}
    for o in prepared.occurrences:
        item = o.item()
        host = prepared.occurrences[o.host] if o.host is not None else o
        i = checked_index[id(host)]
        span, reason = moved.get(i), decision.reason[i] or NOT_FOUND
        if span is not None and host is not o:
            span = (span[1] - len(host.form.split()[-1]), span[1])   # initials left out: they end the host's form
        if span is not None:
            item["target_start"], item["target_end"] = span
            if o.host is None and i in repaired:
                item["repair"] = repaired[i]
            result.applied.append(item)
        else:
            item["reason"] = reason
            result.missed.append(item)
    return result


def _apply(text: str, edits: list[tuple[int, int, str, int | None]],
           spans: dict[int, tuple[int, int]]) -> tuple[str, dict[int, tuple[int, int]]]:
    """``text`` with the (non-overlapping) edits made, and the new span of every occurrence
    that is tied to a form (found in ``spans`` or put there by an edit)."""
    edits = sorted(edits, key=lambda e: e[0])
    parts, position, delta = [], 0, 0
    starts: list[tuple[int, int]] = []   # (old position, delta from then on)
    moved: dict[int, tuple[int, int]] = {}
    for start, end, replacement, occurrence in edits:
        parts.append(text[position:start])
        new_start = start + delta
        parts.append(replacement)
        if occurrence is not None:
            moved[occurrence] = (new_start, new_start + len(replacement))
        delta += len(replacement) - (end - start)
        starts.append((start, delta))
        position = end
    parts.append(text[position:])

    def shift(pos: int) -> int:
        d = 0
        for edit_start, after in starts:
            if edit_start < pos:
                d = after
        return pos + d

    for i, (s, e) in spans.items():
        # A tied form that was respelled by an edit starting exactly at it: the edit's own span.
        edit = next((ed for ed in edits if ed[0] == s and ed[1] == e), None)
        if edit is not None:
            new_start = shift(s)
            moved[i] = (new_start, new_start + len(edit[2]))
        else:
            moved[i] = (shift(s), shift(s) + (e - s))
    return "".join(parts), moved
