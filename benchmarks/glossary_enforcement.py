"""Measure glossary enforcement: how often terms are applied directly, repaired, or missed.

    python -m benchmarks.glossary_enforcement [--sentences 300] [--seed 0] [--skip-tiny] [--n-best 1 4]

The real opus-mt model is not reachable offline, so this measures on

* the tiny trained Marian model (``model_builder``, random words, no names in
  its vocabulary: a worst case for copying names), with and without putting
  the French forms into the source;
* a simulated engine that copies its input but corrupts term occurrences the
  ways NMT does (drops, garbles a letter, changes case, reorders a multi-word
  name, translates a common-word surname, repeats a name), each with a fixed
  probability; it also counts how often the text around the terms differs
  from the uncorrupted output (collateral damage of repairs);

and times matching and enforcement on the starter glossary.

**n-best**: the simulated engine returns n hypotheses for each sentence,
each corrupted independently; the glossary picks the first one that keeps
every name (``choose``), else repairs the best. The share of occurrences
applied *without any repair* is reported for each n (README: glossary).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from translator.glossary import Glossary, enforce
from translator.glossary.enforcement import choose
from translator.testing.models import _EN_WORDS

GLOSSARY_FILE = Path(__file__).resolve().parent.parent / "glossary" / "en-fr.tsv"

#: Per-occurrence probabilities of the simulated engine's failure modes.
FAILURES = {"drop": 0.05, "garble": 0.10, "case": 0.05, "reorder": 0.05, "translate": 0.05, "repeat": 0.03}
_TRANSLATIONS = {"Stone": "Pierre", "Rice": "Riz", "Bush": "Buisson", "May": "Mai", "Brown": "Brun",
                 "Gates": "Portes", "Cook": "Cuisinier", "Hunt": "Chasse", "Price": "Prix", "News": "Nouvelles",
                 "Cotton": "Coton", "Miller": "Meunier", "Shadow": "Ombre", "Dome": "Dôme", "House": "Maison"}


def sentences(glossary: Glossary, count: int, seed: int) -> list[str]:
    """``count`` sentences of filler words with one to three glossary terms each."""
    rng = random.Random(seed)
    sources = [e.source for e in glossary.entries]
    out = []
    for _ in range(count):
        words = [rng.choice(_EN_WORDS) for _ in range(rng.randint(5, 14))]
        for _ in range(rng.randint(1, 3)):
            term = rng.choice(sources)
            words.insert(rng.randint(0, len(words)), term + ("'s" if rng.random() < 0.1 else ""))
        sentence = " ".join(words)
        out.append(sentence[0].upper() + sentence[1:] + ".")
    return out


def corrupt(prepared, rng: random.Random) -> tuple[str, Counter]:
    """The engine text (a perfect copy) with term occurrences corrupted at the FAILURES rates."""
    parts, position, injected = [], 0, Counter()
    source = prepared.source
    for m in prepared.matches:
        parts.append(source[position:m.start])
        target = source[m.start:m.end] if m.entry.keep else m.entry.target
        new = target
        for kind, p in FAILURES.items():
            if rng.random() >= p:
                continue
            injected[kind] += 1
            words = new.split()
            if kind == "drop":
                new = ""
            elif kind == "garble" and len(new) > 3:
                i = rng.randrange(1, len(new) - 1)
                new = new[:i] + new[i + 1:]
            elif kind == "case":
                new = new.lower()
            elif kind == "reorder" and len(words) > 1:
                new = " ".join(words[1:] + words[:1])
            elif kind == "translate":
                new = " ".join(_TRANSLATIONS.get(w, w) for w in words)
            elif kind == "repeat":
                new = f"{new} {new}"
            if new == target:
                injected[kind] -= 1   # this kind cannot change this term
                continue
            break
        parts.append(new)
        position = m.end
    parts.append(source[position:])
    return "".join(parts), injected


def report(title: str, counts: Counter, total: int) -> None:
    print(f"\n{title}: {total} term occurrences")
    for key in ("applied directly", "applied after repair", "missed"):
        print(f"  {key:22s} {counts[key]:5d}  {100 * counts[key] / max(total, 1):5.1f}%")
    kinds = {k: v for k, v in counts.items() if k.startswith("repair:")}
    if kinds:
        print("  repairs by kind:", ", ".join(f"{k[7:]} {v}" for k, v in sorted(kinds.items())))


def tally(prepared, result, counts: Counter) -> None:
    for kind, _ in result.repairs:
        counts["repair:" + kind] += 1
    counts["missed"] += len(result.missed)
    # A duplicate collapse touches the text but not a name's own span: those count as repaired too.
    collapsed = any(kind == "duplicate" for kind, _ in result.repairs)
    fixed = sum(1 for item in result.applied if "repair" in item or collapsed)
    counts["applied after repair"] += fixed
    counts["applied directly"] += len(result.applied) - fixed


def measure_nbest(glossary: Glossary, texts: list[str], seed: int, n_values: list[int]) -> dict[int, float]:
    """Share of occurrences applied without repair when the engine returns n hypotheses."""
    shares = {}
    for n in n_values:
        rng = random.Random(seed)
        counts, total = Counter(), 0
        for text in texts:
            prepared = glossary.prepare(text)
            hypotheses = [corrupt(prepared, rng)[0] for _ in range(n)]
            index = choose(prepared, hypotheses)
            tally(prepared, enforce(prepared, hypotheses), counts)
            total += len(prepared.matches)
            counts["chosen not first"] += index > 0
        shares[n] = counts["applied directly"] / max(total, 1)
        report(f"simulated engine, n-best {n} (choose, then repair the best)", counts, total)
        print(f"  hypothesis other than the first chosen: {counts['chosen not first']} of {len(texts)} sentences")
    return shares


def measure_simulated(glossary: Glossary, texts: list[str], seed: int) -> None:
    rng = random.Random(seed)
    counts, failures, total, clean, damaged = Counter(), Counter(), 0, 0, 0
    for text in texts:
        prepared = glossary.prepare(text)
        output, injected = corrupt(prepared, rng)
        failures.update(injected)
        result = enforce(prepared, output)
        tally(prepared, result, counts)
        total += len(prepared.matches)
        if not result.missed:
            # Every term is back: the text should be exactly the uncorrupted output.
            clean += 1
            damaged += result.text != prepared.engine_text
    print(f"\nsimulated engine failures injected: {dict(+failures)}")
    report("simulated engine, inline French forms + repair", counts, total)
    print(f"  segments with every term applied whose text differs from the uncorrupted output: "
          f"{damaged} of {clean}")


def measure_tiny(glossary: Glossary, texts: list[str]) -> None:
    from translator.config import Settings
    from translator.engines.marian import MarianEngine
    from translator.testing.models import build_marian_model

    with tempfile.TemporaryDirectory() as tmp:
        model_dir = build_marian_model(Path(tmp) / "tiny", train_steps=300)
        engine = MarianEngine.load(str(model_dir), Settings(threads=2, glossary=None))
        for inline in (True, False):
            counts, total = Counter(), 0
            prepared = [glossary.prepare(t) for t in texts]
            if not inline:
                prepared = [replace(p, engine_text=p.source) for p in prepared]
            started = time.perf_counter()
            outputs = engine.translate([p.engine_text for p in prepared])
            elapsed = time.perf_counter() - started
            for p, output in zip(prepared, outputs):
                tally(p, enforce(p, output), counts)
                total += len(p.matches)
            label = "inline French forms" if inline else "source as is (no injection)"
            report(f"tiny Marian model, {label} + repair ({elapsed:.1f} s engine time)", counts, total)


def measure_speed(glossary: Glossary, texts: list[str]) -> None:
    article = " ".join(texts)
    started = time.perf_counter()
    for _ in range(10):
        glossary.find(article)
    find_ms = (time.perf_counter() - started) / 10 * 1000
    prepared = [glossary.prepare(t) for t in texts]
    started = time.perf_counter()
    for p in prepared:
        enforce(p, p.engine_text)
    enforce_ms = (time.perf_counter() - started) / len(prepared) * 1000
    print(f"\nspeed: find over {len(article)} characters {find_ms:.1f} ms; "
          f"enforce {enforce_ms:.2f} ms per segment (copied output)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-tiny", action="store_true", help="Skip the tiny Marian model (slow to build).")
    parser.add_argument("--n-best", type=int, nargs="*", default=[1, 4], help="Hypothesis counts to compare.")
    args = parser.parse_args()
    glossary = Glossary.from_tsv(GLOSSARY_FILE)
    texts = sentences(glossary, args.sentences, args.seed)
    print(f"glossary {GLOSSARY_FILE.name}: {len(glossary)} entries, version {glossary.version}; "
          f"{len(texts)} sentences")
    measure_simulated(glossary, texts, args.seed)
    shares = measure_nbest(glossary, texts, args.seed, args.n_best)
    print("\napplied without repair: " + ", ".join(f"n={n} {100 * s:.1f}%" for n, s in shares.items()))
    measure_speed(glossary, texts)
    if not args.skip_tiny:
        measure_tiny(glossary, texts)


if __name__ == "__main__":
    main()
