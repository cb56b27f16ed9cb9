"""Fidelity on real machine-translation output: glossary repairs, typography, numbers, unlisted names.

    python -m benchmarks.fidelity             # the table for docs/glossary.md (from the recorded fixture)
    python -m benchmarks.fidelity --details   # and every repair, typography change and flag, for review
    python -m benchmarks.fidelity --refresh   # translate the corpus with Apertium again, rewrite the fixture

The corpus (``tests/data/apertium/corpus.yaml``) is English news written for
these tests, with hand-labelled truth; the French comes from Apertium
(English -> Spanish -> French, :mod:`translator.testing.apertium`), recorded in
``tests/data/apertium/fixture.json`` so that the measure (and the test that
asserts its thresholds, ``tests/test_fidelity_corpus.py``) needs neither
Apertium nor its time. Each text goes through the real pipeline
(:class:`~translator.pipeline.Translator`) with the starter glossary
``glossary/en-fr.tsv``, once without and once with French typography.

What is counted:

* **repairs**: every change the glossary made to Apertium's French (a
  word-level diff); each is labelled by hand in the corpus (``ok`` or
  ``damage``), and any change deleting a French function word at its edge or
  leaving a word twice in a row counts as damage whatever the label says;
  an unlabelled change is listed as *unreviewed* (the test fails on it);
* **false applied**: names reported applied where the French does not hold
  them (a damaging repair, or a label ``false_applied``);
* **typography**: wrong changes: a dotted time or section number given a
  decimal comma (the ``keep`` labels), guillemets inside curly quotes, a
  paragraph mixing ' and ’, a second pass that changes the text;
* **numbers**: precision and recall of the ``number_missing`` check per
  English mention (figure, month or unit), against the ``numbers`` labels;
* **unlisted**: precision (and recall) of the reported names against the
  ``unlisted`` labels (exact spans).
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from translator.glossary import Glossary
from translator.pipeline.translator import TextTranslation, Translator
from translator.testing.apertium import ApertiumEngine, FixtureEngine, apertium_versions, save_fixture
from translator.text.numbers import missing_numbers
from translator.text.typography import Typography

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "apertium" / "corpus.yaml"
FIXTURE = ROOT / "tests" / "data" / "apertium" / "fixture.json"
GLOSSARY = ROOT / "glossary" / "en-fr.tsv"

#: What the corpus measure must reach (docs/glossary.md).
THRESHOLDS = {"numbers_precision": 0.9, "numbers_recall": 0.9, "unlisted_precision": 0.8}

_TOKEN = re.compile(r"\w+|[^\w\s]")
_FUNCTION_WORDS = frozenset("et a le la les de des du".split())
_MIXED_APOSTROPHES = (re.compile(r"(?<=\w)'(?=\w)"), re.compile(r"(?<=\w)\u2019(?=\w)"))


@dataclass(frozen=True)
class Item:
    """One corpus text and its labels (see the corpus file's header)."""

    id: int
    en: str
    numbers: tuple[str, ...] = ()
    unlisted: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    repairs: dict = field(default_factory=dict)
    false_applied: tuple[str, ...] = ()
    heldout: bool = False


def load_corpus(path: Path = CORPUS) -> list[Item]:
    """The corpus items, in file order."""
    items = []
    for raw in yaml.safe_load(path.read_text(encoding="utf-8")):
        items.append(Item(int(raw["id"]), raw["en"], tuple(raw.get("numbers") or ()),
                          tuple(raw.get("unlisted") or ()), tuple(str(k) for k in raw.get("keep") or ()),
                          dict(raw.get("repairs") or {}), tuple(raw.get("false_applied") or ()),
                          bool(raw.get("heldout"))))
    return items


def translate(items: list[Item], engine, *, typography: bool) -> list[TextTranslation]:
    """Every item through the pipeline with the starter glossary (one engine pass)."""
    translator = Translator(engine, glossary=Glossary.from_tsv(GLOSSARY),
                            typography=Typography("on") if typography else None)
    return translator.translate_texts([item.en for item in items])


def refresh(corpus: Path = CORPUS, fixture: Path = FIXTURE) -> int:
    """Translate the corpus with Apertium (what the pipeline sends it) and rewrite the fixture."""
    items = load_corpus(corpus)
    engine = ApertiumEngine()
    recorded: dict[str, str] = {}

    class Recording:
        identity, max_input_tokens = engine.identity, engine.max_input_tokens
        count_tokens = staticmethod(engine.count_tokens)

        @staticmethod
        def translate(texts, *, fallback=False):
            out = engine.translate(texts)
            recorded.update(zip(texts, out))
            return out

    translate(items, Recording(), typography=False)
    save_fixture(fixture, recorded, apertium_versions())
    return len(recorded)


# -- the measure ----------------------------------------------------------------------------------

def _edits(before: str, after: str) -> list[tuple[str, str]]:
    """The word-level changes from ``before`` to ``after``: ``(old, new)`` text spans."""
    a, b = list(_TOKEN.finditer(before)), list(_TOKEN.finditer(after))
    matcher = difflib.SequenceMatcher(None, [t.group() for t in a], [t.group() for t in b], autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        old = before[a[i1].start():a[i2 - 1].end()] if i2 > i1 else ""
        new = after[b[j1].start():b[j2 - 1].end()] if j2 > j1 else ""
        out.append((old, new))
    return out


def _damaging(old: str, new: str, after: str) -> bool:
    """A change that by itself shows damage: a function word dropped at its edge, or a word twice."""
    old_words, new_words = old.split(), new.split()
    for index in (0, -1):
        if old_words and old_words[index].casefold() in _FUNCTION_WORDS and (
                not new_words or new_words[index].casefold() != old_words[index].casefold()):
            return True
    doubled = re.compile(r"\b(\w{3,})\W+\1\b", re.IGNORECASE)
    return bool(new) and any(new in m.group() or m.group() in new for m in doubled.finditer(after))


def _quotes_inverted(text: str) -> bool:
    """Guillemets inside curly quotes (French nests « … “ … ” … »)."""
    depth_curly = 0
    for ch in text:
        if ch == "\u201c":
            depth_curly += 1
        elif ch == "\u201d" and depth_curly:
            depth_curly -= 1
        elif ch == "«" and depth_curly:
            return True
    return False


def _spans(text: str, needles: tuple[str, ...]) -> list[tuple[int, int]]:
    """The span of each needle in ``text`` (a repeated needle: its next occurrence)."""
    spans, used = [], Counter()
    for needle in needles:
        start = -1
        for _ in range(used[needle] + 1):
            start = text.find(needle, start + 1)
        used[needle] += 1
        if start < 0:
            raise ValueError(f"label {needle!r} is not in {text!r}")
        spans.append((start, start + len(needle)))
    return spans


@dataclass
class Measure:
    """The counts behind the table, and the lines to review (``details``)."""

    items: int = 0
    segments: int = 0
    occurrences: int = 0
    applied: int = 0
    missed: Counter = field(default_factory=Counter)
    repairs: int = 0
    damaging: int = 0
    unreviewed: int = 0
    false_applied: int = 0
    typography_changed: int = 0
    typography_wrong: int = 0
    numbers: dict = field(default_factory=dict)     # typography on/off -> (tp, predicted, gold)
    unlisted: tuple[int, int, int] = (0, 0, 0)     # tp, predicted, gold
    details: list[str] = field(default_factory=list)

    @staticmethod
    def ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    def numbers_precision(self, typography: bool = True) -> float:
        tp, predicted, _ = self.numbers[typography]
        return self.ratio(tp, predicted)

    def numbers_recall(self, typography: bool = True) -> float:
        tp, _, gold = self.numbers[typography]
        return self.ratio(tp, gold)

    @property
    def unlisted_precision(self) -> float:
        return self.ratio(self.unlisted[0], self.unlisted[1])

    @property
    def unlisted_recall(self) -> float:
        return self.ratio(self.unlisted[0], self.unlisted[2])


def _numbers_score(item: Item, french: str) -> tuple[int, int, int, list[str]]:
    gold = _spans(item.en, item.numbers)
    flagged = missing_numbers(item.en, french)
    matched: set[int] = set()
    tp = 0
    notes = []
    for mention in flagged:
        hit = next((k for k, (s, e) in enumerate(gold) if k not in matched and s < mention.end and mention.start < e),
                   None)
        if hit is None:
            notes.append(f"  numbers: false alarm {item.en[mention.start:mention.end]!r} ({mention.reason})")
        else:
            matched.add(hit)
            tp += 1
    for k, (s, e) in enumerate(gold):
        if k not in matched:
            notes.append(f"  numbers: not flagged {item.en[s:e]!r}")
    return tp, len(flagged), len(gold), notes


def measure(fixture: Path = FIXTURE, corpus: Path = CORPUS, *, heldout_only: bool = False) -> Measure:
    """The measure over the corpus (or only its held-out part, written after the rules were settled),
    from the recorded fixture."""
    items = [item for item in load_corpus(corpus) if item.heldout or not heldout_only]
    engine = FixtureEngine.from_file(fixture)
    plain = translate(items, engine, typography=False)
    typeset = translate(items, engine, typography=True)
    m = Measure(items=len(items))
    numbers = {True: [0, 0, 0], False: [0, 0, 0]}
    unlisted = [0, 0, 0]
    for item, g, t in zip(items, plain, typeset):
        notes: list[str] = []
        m.segments += len(g.segments)
        raw = " ".join(s.engine_result.text for s in g.segments if s.engine_result is not None)
        # Glossary: what it changed in Apertium's French, and what it reported.
        for old, new in _edits(raw, g.text):
            m.repairs += 1
            label = item.repairs.get(f"{old} -> {new}")
            bad = _damaging(old, new, g.text) or label == "damage"
            m.damaging += bad
            m.false_applied += bad
            if label is None:
                m.unreviewed += 1
            if bad or label is None:
                notes.append(f"  repair {'DAMAGE' if bad else 'unreviewed'}: {old!r} -> {new!r}")
        for segment in g.segments:
            m.occurrences += len(segment.applied) + len(segment.missed)
            m.applied += len(segment.applied)
            m.missed.update(x["reason"] for x in segment.missed)
            m.false_applied += sum(1 for x in segment.applied if x["source"] in item.false_applied)
            for x in segment.missed:
                notes.append(f"  missed {x['source']!r}: {x['reason']}")
        # Typography: wrong changes.
        if t.text != g.text:
            m.typography_changed += 1
        wrong = [k for k in item.keep if k in g.text and k not in t.text]
        wrong += ["« inside “ ”"] if _quotes_inverted(t.text) else []
        wrong += ["' and ’ mixed"] if all(p.search(t.text) for p in _MIXED_APOSTROPHES) else []
        keep_forms = [x["target"] for s in t.segments for x in s.applied if x["target"] == x["source"]]
        if Typography("on").apply(t.text, keep_forms, source=item.en) != t.text and not wrong:
            wrong.append("a second pass changes the text")
        m.typography_wrong += len(wrong)
        notes += [f"  typography WRONG: {w}" for w in wrong]
        # Numbers, with and without typography.
        for on, result in ((True, t), (False, g)):
            tp, predicted, gold, number_notes = _numbers_score(item, result.text)
            for k, v in enumerate((tp, predicted, gold)):
                numbers[on][k] += v
            if on:
                notes += number_notes
        # Unlisted names.
        reported = [x["text"] for s in g.segments for x in s.unlisted]
        expected = Counter(item.unlisted)
        correct = Counter(reported) & expected
        unlisted[0] += sum(correct.values())
        unlisted[1] += len(reported)
        unlisted[2] += len(item.unlisted)
        notes += [f"  unlisted: false {x!r}" for x in (Counter(reported) - expected).elements()]
        notes += [f"  unlisted: not reported {x!r}" for x in (expected - Counter(reported)).elements()]
        if notes:
            m.details.append(f"#{item.id} {item.en}\n  raw: {raw}\n  out: {t.text}\n" + "\n".join(notes))
    m.numbers = {on: tuple(v) for on, v in numbers.items()}
    m.unlisted = tuple(unlisted)
    return m


def table(m: Measure, heldout: Measure | None = None) -> str:
    """The table of docs/glossary.md (with a row for the held-out part, when given)."""
    missed = ", ".join(f"{n} {reason}" for reason, n in sorted(m.missed.items())) or "none"
    tp, predicted, gold = m.numbers[True]
    tp_off, predicted_off, gold_off = m.numbers[False]
    rows = [
        ("Corpus", f"{m.items} texts ({m.segments} segments), Apertium eng-spa then es-fr"),
        ("Glossary occurrences", f"{m.occurrences}: {m.applied} applied, {m.occurrences - m.applied} missed ({missed})"),
        ("Changes made by repairs", f"{m.repairs} ({m.unreviewed} not reviewed)"),
        ("Repairs that delete or duplicate a word outside the name", str(m.damaging)),
        ("False \"applied\"", str(m.false_applied)),
        ("Wrong typography changes", f"{m.typography_wrong} (in {m.typography_changed} texts typography changed)"),
        ("Numbers check, typography on", f"precision {m.ratio(tp, predicted):.2f}, recall {m.ratio(tp, gold):.2f} "
                                         f"({tp} of {predicted} flags right, {gold} to find)"),
        ("Numbers check, typography off", f"precision {m.ratio(tp_off, predicted_off):.2f}, "
                                          f"recall {m.ratio(tp_off, gold_off):.2f}"),
        ("`unlisted`", f"precision {m.unlisted_precision:.2f}, recall {m.unlisted_recall:.2f} "
                       f"({m.unlisted[0]} of {m.unlisted[1]} right, {m.unlisted[2]} to find)"),
    ]
    if heldout is not None:
        rows.append((f"Held-out part ({heldout.items} texts)",
                     f"{heldout.damaging} damaging repairs, {heldout.typography_wrong} wrong typography changes, "
                     f"numbers precision {heldout.numbers_precision():.2f} and recall {heldout.numbers_recall():.2f}, "
                     f"`unlisted` precision {heldout.unlisted_precision:.2f}"))
    lines = ["| Measure | Result |", "|---|---|"]
    lines += [f"| {a} | {b} |" for a, b in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--refresh", action="store_true", help="translate the corpus with Apertium again")
    parser.add_argument("--details", action="store_true", help="print every item with something to review")
    args = parser.parse_args(argv)
    if args.refresh:
        count = refresh()
        print(f"recorded {count} translations in {FIXTURE.relative_to(ROOT)}")
    m = measure()
    if args.details:
        print("\n\n".join(m.details))
        print()
    print(table(m, measure(heldout_only=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
