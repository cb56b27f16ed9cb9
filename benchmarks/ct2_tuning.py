"""Which CTranslate2 settings are fastest on this CPU: one configuration per fresh process.

    python -m benchmarks.ct2_tuning [--runs 2] [--configs default,packed-gemm] [--articles 11]

Each configuration translates the comparison article(s) of ``make bench``
through the pipeline on the forced-length CTranslate2 engine (same work as
``pipeline-ct2-int8``: beam 4, ``ceil(1.2 n)`` tokens per segment), in its
own process, because CTranslate2 reads its ``CT2_*`` variables once. Runs
are interleaved (every configuration once per round); the table gives each
configuration's median tokens/s and its ratio to ``default`` measured in the
same rounds, so that load from other work on the machine hits all alike.
Results go to ``benchmarks/.models/ct2-tuning.json``; the table is printed
(benchmarks/README.md keeps the one that chose the defaults).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

log = logging.getLogger("benchmarks.ct2_tuning")

HERE = Path(__file__).resolve().parent

#: name -> (what it changes, environment, engine changes)
CONFIGS: dict[str, tuple[str, dict[str, str], dict]] = {
    "default": ("what the backend picks on this CPU at start-up", {}, {}),
    "no-tuning": ("CTranslate2's own defaults: no CT2_* variable set by the backend (TRANSLATOR_CT2_TUNING=off)",
                  {}, {"ct2_tuning": False}),
    "packed-gemm": ("CT2_USE_EXPERIMENTAL_PACKED_GEMM=1", {"CT2_USE_EXPERIMENTAL_PACKED_GEMM": "1"}, {}),
    "no-packed-gemm": ("CT2_USE_EXPERIMENTAL_PACKED_GEMM=0", {"CT2_USE_EXPERIMENTAL_PACKED_GEMM": "0"}, {}),
    "mkl": ("CT2_USE_MKL=1 (Intel MKL on an AMD CPU)", {"CT2_USE_MKL": "1"}, {}),
    "no-mkl": ("CT2_USE_MKL=0 (oneDNN)", {"CT2_USE_MKL": "0"}, {}),
    "isa-avx": ("CT2_FORCE_CPU_ISA=AVX", {"CT2_FORCE_CPU_ISA": "AVX"}, {}),
    "int8_float32": ("compute type int8_float32", {}, {"compute_type": "int8_float32"}),
    "float32": ("compute type float32", {}, {"compute_type": "float32"}),
    "1x2": ("inter_threads=1, intra_threads=2 (one batch at a time on both cores)", {}, {"split": (1, 2)}),
    "padding-off": ("batches not cut at length breaks (the previous batching)", {}, {"padding": None}),
    "padding-0.10": ("batches cut at 10% padding", {}, {"padding": 0.10}),
    "padding-0.20": ("batches cut at 20% padding", {}, {"padding": 0.20}),
    "budget-512": ("TRANSLATOR_BATCH_TOKENS=512", {}, {"batch_tokens": 512}),
    "budget-4096": ("TRANSLATOR_BATCH_TOKENS=4096", {}, {"batch_tokens": 4096}),
    "ct2-batching": ("CTranslate2's own batching: one translate_batch call, batch_type=\"tokens\", "
                     "max_batch_size=2048 (every row forced to the article's longest)", {}, {"ct2_batching": 2048}),
    "ct2-batching-fixed": ("same length for every row, our batches (the fair partner of ct2-batching)",
                           {}, {"fixed_length": True}),
}


def run_one(name: str, marian_dir: Path, ct2_dir: Path, articles: list[int], threads: int) -> dict:
    """One configuration in this process (the environment is already set by the parent)."""
    from .forced_length import ForcedLengthCTranslate2Engine, forced_output_tokens
    from .memory import peak_rss_mb
    from .systems import PipelineRunner, _settings
    from .worker import WARM_UP
    from .workload import news_articles

    _, _, changes = CONFIGS[name]
    settings = _settings(threads, **{k: changes[k] for k in ("compute_type", "batch_tokens", "ct2_tuning")
                                    if k in changes})
    engine = ForcedLengthCTranslate2Engine.load(str(ct2_dir), settings)
    if "split" in changes:
        import ctranslate2

        inter, intra = changes["split"]
        engine.translator = ctranslate2.Translator(str(engine.converted.path), device="cpu",
                                                   compute_type=engine.compute_type, inter_threads=inter,
                                                   intra_threads=intra)
        engine.streams = inter
    if "padding" in changes:
        engine.padding = changes["padding"]
    if changes.get("fixed_length") or changes.get("ct2_batching"):
        _force_one_length(engine, changes.get("ct2_batching"), forced_output_tokens)
    runner = PipelineRunner(engine)
    chosen = [news_articles()[i] for i in articles]
    runner.translate([WARM_UP])
    started = time.perf_counter()
    done = runner.translate(chosen)
    seconds = time.perf_counter() - started
    return {"config": name, "seconds": seconds, "generated_tokens": done.generated_tokens,
            "decoded_tokens": done.decoded_tokens, "tokens_per_s": done.generated_tokens / seconds,
            "peak_rss_mb": peak_rss_mb()}


def _force_one_length(engine, budget: int | None, forced_output_tokens) -> None:
    """Every row of a call decodes as long as the call's longest (so that CTranslate2's own batching,
    which takes one length limit per call, does the same work as ours)."""
    from translator.engines.batched import DecodedOutput, DecodeOptions, LengthLimits

    original = type(engine).decode_batches

    def decode_batches(batches, limits, *, options=DecodeOptions()):
        steps = max(forced_output_tokens(len(ids)) for batch in batches for ids in batch)
        limits = [LengthLimits(steps) for _ in batches]
        if not budget:
            return original(engine, batches, limits, options=options)
        rows = [ids for batch in batches for ids in batch]
        source = [engine.tokenizer.convert_ids_to_tokens(list(ids)) for ids in rows]
        decoding = engine.decoding_options(limits[0], options)
        results = engine.translator.translate_batch(source, max_batch_size=budget, batch_type="tokens", **decoding)
        outputs = iter(DecodedOutput(engine._output(r, options).token_ids[:steps], True) for r in results)
        for ids in rows:
            engine.segments += 1
            engine.source_tokens += len(ids)
            engine.generated_tokens += forced_output_tokens(len(ids))
            engine.decoded_tokens += steps
        return [[next(outputs) for _ in batch] for batch in batches]

    engine.decode_batches = decode_batches


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--articles", help="workload indices (default: make bench's comparison article)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # child process: run this configuration
    parser.add_argument("--dirs", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from .run import median_article
    from .workload import news_articles

    articles = ([int(i) for i in args.articles.split(",")] if args.articles
                else [median_article(news_articles())])
    if args.one:
        print(json.dumps(run_one(args.one, args.dirs[0], args.dirs[1], articles, args.threads)))
        return
    from .model import MODELS_DIR, prepare_models

    marian_dir, converted = prepare_models()
    names = args.configs.split(",")
    results: dict[str, list[dict]] = {n: [] for n in names}
    for round_ in range(args.runs):
        for name in names:
            env = {**os.environ, **CONFIGS[name][1]}
            command = [sys.executable, "-m", "benchmarks.ct2_tuning", "--one", name, "--dirs", str(marian_dir),
                       str(converted.path), "--articles", ",".join(map(str, articles)),
                       "--threads", str(args.threads)]
            done = subprocess.run(command, cwd=HERE.parent, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                log.error("%s failed:\n%s", name, done.stderr[-2000:])
                continue
            result = json.loads(done.stdout.strip().splitlines()[-1])
            result["load_average"] = os.getloadavg()[0]
            results[name].append(result)
            log.info("round %d %-16s %6.1f tok/s  decoded/generated %.2f  %4.0f MB", round_ + 1, name,
                     result["tokens_per_s"], result["decoded_tokens"] / result["generated_tokens"],
                     result["peak_rss_mb"])
    base = results.get("default") or []
    print("| configuration | what | tokens/s (median) | vs default, same rounds | decoded / generated |")
    print("|---|---|---:|---:|---:|")
    for name, runs in results.items():
        if not runs:
            continue
        ratios = [r["tokens_per_s"] / b["tokens_per_s"] for r, b in zip(runs, base)]
        print(f"| `{name}` | {CONFIGS[name][0]} | {statistics.median(r['tokens_per_s'] for r in runs):.1f} | "
              f"{statistics.median(ratios):.2f} | "
              f"{runs[0]['decoded_tokens'] / runs[0]['generated_tokens']:.2f} |")
    out = MODELS_DIR / "ct2-tuning.json"
    out.write_text(json.dumps({"articles": articles, "threads": args.threads, "results": results}, indent=2))


if __name__ == "__main__":
    main()
