"""``make bench``: the speed benchmark, every system side by side in one run.

    python -m benchmarks.run [--runs 3] [--quick] [--systems a,b] [--no-full]

1. Builds (once) the full-size random-weight opus-mt-en-fr and its CTranslate2
   int8 conversion under ``benchmarks/.models/``.
2. Comparison: every system translates the same article(s) of the workload
   (default: the article of median length), each run in a fresh process,
   systems interleaved run by run; figures are medians over ``--runs``.
   Every system must have generated exactly the same number of tokens, or the
   run fails.
3. Full workload: the fast systems (and the archive job, which only makes
   sense over many articles) translate all 20 articles (``--full-runs``
   times), the figure that matters for the overnight archive batch.
4. First paragraph first: time to the first French paragraph and to the
   whole article for the uncached ~600-word article, torch and CTranslate2
   (:mod:`benchmarks.first_paragraph`; ``--no-latency`` skips it).
5. Prints the table, writes ``benchmarks/results.json`` and puts the table
   into ``benchmarks/README.md`` (not with ``--quick``).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from .forced_length import OUTPUT_RATIO
from .model import MODELS_DIR, prepare_models
from .systems import BASELINE, SYSTEMS
from .workload import news_articles

log = logging.getLogger("benchmarks")

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
README = HERE / "README.md"
TABLE_START, TABLE_END = "<!-- results:start -->", "<!-- results:end -->"
TORCH_PIPELINE, CT2_PIPELINE = "pipeline-torch", "pipeline-ct2-int8"
TARGETS = {TORCH_PIPELINE: 4.0, CT2_PIPELINE: 15.0}  # speed-up over the baseline (tokens/s)
CT2_RSS_TARGET = 0.5  # CTranslate2 int8 peak RSS as a share of the torch pipeline's
CT2_RSS_LIMIT_MB = 500  # and in MB
FIRST_PARAGRAPH_TARGET_S = 1.0  # CTranslate2: the first French paragraph of an uncached article


class BenchmarkFailed(SystemExit):
    """The run is not a valid comparison (the message says why)."""


def machine() -> dict:
    """What the numbers were measured on."""
    import ctranslate2
    import torch
    import transformers

    cpu = platform.processor()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(memory_gib, 1),
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "torch": torch.__version__, "transformers": transformers.__version__,
            "ctranslate2": ctranslate2.__version__}


def run_worker(system: str, marian_dir: Path, ct2_dir: Path, articles: list[int], threads: int) -> dict:
    """One measurement of one system, in a fresh process."""
    command = [sys.executable, "-m", "benchmarks.worker", system, str(marian_dir), str(ct2_dir),
               "--articles", ",".join(map(str, articles)), "--threads", str(threads)]
    load_before = os.getloadavg()[0]
    done = subprocess.run(command, cwd=HERE.parent, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchmarkFailed(f"{system} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["load_average_before"] = load_before
    result["tokens_per_s"] = result["generated_tokens"] / result["seconds"]
    result["articles_per_min"] = result["articles"] / result["seconds"] * 60
    log.info("  %-26s %7.1f s  %7.1f tok/s  %6.0f MB", system, result["seconds"], result["tokens_per_s"],
             result["peak_rss_mb"])
    return result


def measure(systems: list[str], marian_dir: Path, ct2_dir: Path, articles: list[int], runs: int,
            threads: int) -> dict[str, list[dict]]:
    """``runs`` rounds, every system once per round (interleaved, so slow drifts hit all alike)."""
    results: dict[str, list[dict]] = {s: [] for s in systems}
    for round_ in range(1, runs + 1):
        log.info("run %d/%d on article(s) %s", round_, runs, articles)
        for system in systems:
            results[system].append(run_worker(system, marian_dir, ct2_dir, articles, threads))
    return results


def check_same_work(results: dict[str, list[dict]]) -> dict:
    """Every run of every system did the same work, or the comparison is void."""
    work = {(r["segments"], r["source_tokens"], r["generated_tokens"])
            for runs in results.values() for r in runs}
    if len(work) != 1:
        detail = {s: sorted({(r["segments"], r["source_tokens"], r["generated_tokens"]) for r in runs})
                  for s, runs in results.items()}
        raise BenchmarkFailed(f"systems did different work (segments, source tokens, generated tokens): {detail}")
    segments, source_tokens, generated_tokens = work.pop()
    return {"segments": segments, "source_tokens": source_tokens, "generated_tokens": generated_tokens}


def summarise(results: dict[str, list[dict]]) -> dict[str, dict]:
    """Medians per system, and ratios to the baseline where it ran."""
    summary = {}
    for system, runs in results.items():
        summary[system] = {
            "description": SYSTEMS[system].description,
            "runs": len(runs),
            "tokens_per_s": statistics.median(r["tokens_per_s"] for r in runs),
            "articles_per_min": statistics.median(r["articles_per_min"] for r in runs),
            "peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in runs),
            "seconds": statistics.median(r["seconds"] for r in runs),
            "decoded_tokens": runs[0]["decoded_tokens"],
            "torch_imported": runs[0]["torch_imported"],
        }
    if BASELINE in summary:
        base = summary[BASELINE]
        for row in summary.values():
            row["speedup"] = row["tokens_per_s"] / base["tokens_per_s"]
            row["rss_vs_baseline"] = row["peak_rss_mb"] / base["peak_rss_mb"]
    return summary


def verdicts(summary: dict[str, dict]) -> list[dict]:
    """The issue's targets, met or not."""
    out = []
    for system, target in TARGETS.items():
        if system in summary and "speedup" in summary[system]:
            reached = summary[system]["speedup"]
            out.append({"target": f"{system} >= {target:g}x baseline tokens/s", "reached": f"{reached:.1f}x",
                        "met": reached >= target})
    if TORCH_PIPELINE in summary and CT2_PIPELINE in summary:
        share = summary[CT2_PIPELINE]["peak_rss_mb"] / summary[TORCH_PIPELINE]["peak_rss_mb"]
        out.append({"target": f"{CT2_PIPELINE} peak RSS <= {CT2_RSS_TARGET:g} x {TORCH_PIPELINE}'s",
                    "reached": f"{share:.2f} x", "met": share <= CT2_RSS_TARGET})
    if CT2_PIPELINE in summary:
        rss = summary[CT2_PIPELINE]["peak_rss_mb"]
        out.append({"target": f"{CT2_PIPELINE} peak RSS <= {CT2_RSS_LIMIT_MB} MB", "reached": f"{rss:.0f} MB",
                    "met": rss <= CT2_RSS_LIMIT_MB})
    return out


def latency_verdict(latency: dict[str, dict]) -> list[dict]:
    """The first-paragraph goal, met or not."""
    row = latency.get("ctranslate2")
    if not row:
        return []
    first = row["first_paragraph_s"]
    return [{"target": f"CTranslate2: first French paragraph of an uncached ~600-word article "
                       f"< {FIRST_PARAGRAPH_TARGET_S:g} s", "reached": f"{first:.2f} s",
             "met": first < FIRST_PARAGRAPH_TARGET_S}]


def run_latency(backend: str, marian_dir: Path, ct2_dir: Path, threads: int) -> dict:
    """Time to first paragraph and whole article on one backend, in a fresh process."""
    command = [sys.executable, "-m", "benchmarks.first_paragraph", backend, str(marian_dir), str(ct2_dir),
               "--threads", str(threads)]
    done = subprocess.run(command, cwd=HERE.parent, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchmarkFailed(f"first-paragraph measurement on {backend} failed (exit {done.returncode}):\n"
                              f"{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    log.info("  %-12s first paragraph %.2f s, whole article %.2f s (one pass %.2f s)", backend,
             result["first_paragraph_s"], result["whole_article_s"], result["one_pass_s"])
    return result


def measure_latency(marian_dir: Path, ct2_dir: Path, runs: int, threads: int) -> dict[str, dict]:
    """Medians over ``runs`` fresh processes per backend (backends interleaved)."""
    results: dict[str, list[dict]] = {"torch": [], "ctranslate2": []}
    for round_ in range(1, runs + 1):
        log.info("first paragraph first, run %d/%d", round_, runs)
        for backend, rows in results.items():
            rows.append(run_latency(backend, marian_dir, ct2_dir, threads))
    summary = {}
    for backend, rows in results.items():
        summary[backend] = {**rows[0], "runs": len(rows),
                            **{k: statistics.median(r[k] for r in rows)
                               for k in ("first_paragraph_s", "whole_article_s", "one_pass_s")}}
    return summary


def render(report: dict) -> str:
    """The results as Markdown: machine, method line, tables, targets."""
    m, c = report["machine"], report["comparison"]
    lines = [f"Measured {report['date']} on {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB "
             f"({m['os']}; Python {m['python']}, torch {m['torch']}, transformers {m['transformers']}, "
             f"CTranslate2 {m['ctranslate2']}); {report['threads']} threads per system; load average "
             f"{report['load_average'][0]:.2f} before, {report['load_average'][1]:.2f} after.", ""]
    work = c["work"]
    lines += [f"**Comparison** (all systems, same work): workload article(s) {c['articles']} = "
              f"{work['segments']} segments (title + paragraphs), {work['source_tokens']} source tokens, "
              f"{work['generated_tokens']} generated tokens per system ({OUTPUT_RATIO:g} x source, forced); "
              f"median of {c['runs']} run(s), each system in its own process. \"decoded / generated\": decoding "
              f"steps done (shorter members of a batch decode as long as its longest) per token credited.", "",
              "| system | what | tokens/s | articles/min | peak RSS (MB) | speed vs baseline | RSS vs baseline "
              "| decoded / generated |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for system, row in c["summary"].items():
        speedup = f"{row['speedup']:.1f}x" if "speedup" in row else "-"
        rss_share = f"{row['rss_vs_baseline']:.2f}" if "rss_vs_baseline" in row else "-"
        padding = row["decoded_tokens"] / work["generated_tokens"]
        lines.append(f"| `{system}` | {row['description']} | {row['tokens_per_s']:.1f} | "
                     f"{row['articles_per_min']:.2f} | {row['peak_rss_mb']:.0f} | {speedup} | {rss_share} | "
                     f"{padding:.2f} |")
    full = report.get("full_workload")
    if full:
        fw = full["work"]
        lines += ["", f"**Full workload** (fast systems only): all {full['articles']} articles = "
                  f"{fw['segments']} segments, {fw['source_tokens']} source tokens, {fw['generated_tokens']} "
                  f"generated tokens per system; median of {full['runs']} run(s). Tokens/s are computed as "
                  f"above; the last column divides them by the baseline's tokens/s on the comparison article.",
                  "", "| system | what | tokens/s | articles/min | peak RSS (MB) | seconds for all articles "
                  "| tokens/s vs baseline |", "|---|---|---:|---:|---:|---:|---:|"]
        for system, row in full["summary"].items():
            ratio = row.get("speedup_vs_comparison_baseline")
            lines.append(f"| `{system}` | {row['description']} | {row['tokens_per_s']:.1f} | "
                         f"{row['articles_per_min']:.2f} | {row['peak_rss_mb']:.0f} | {row['seconds']:.0f} | "
                         f"{f'{ratio:.1f}x' if ratio else '-'} |")
    latency = report.get("latency")
    if latency:
        any_row = next(iter(latency.values()))
        lines += ["", f"**First paragraph first** (the service, uncached article {any_row['article']}: "
                  f"{any_row['words']} words, {any_row['paragraphs']} paragraphs; forced lengths as above; "
                  f"median of {any_row['runs']} run(s), each backend in its own process): seconds from the "
                  f"click until the 202 can show the title and first paragraph, and until the whole article is "
                  f"stored; \"one pass\": the same article in one `translate_article` call, nothing shown "
                  f"before the end.", "",
                  "| backend | first paragraph (s) | whole article (s) | one pass (s) |", "|---|---:|---:|---:|"]
        for backend, row in latency.items():
            lines.append(f"| {backend} | {row['first_paragraph_s']:.2f} | {row['whole_article_s']:.2f} | "
                         f"{row['one_pass_s']:.2f} |")
    if report["targets"]:
        lines += ["", "| target | reached | met |", "|---|---:|:---:|"]
        lines += [f"| {t['target']} | {t['reached']} | {'yes' if t['met'] else 'NO'} |" for t in report["targets"]]
    return "\n".join(lines)


def update_readme(table: str) -> None:
    """Put ``table`` between the result markers of benchmarks/README.md."""
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(TABLE_START) + ".*?" + re.escape(TABLE_END), re.DOTALL)
    README.write_text(pattern.sub(lambda _: f"{TABLE_START}\n{table}\n{TABLE_END}", text), encoding="utf-8")


def median_article(articles) -> int:
    """Index of the article of median length (words): a representative single article."""
    ranked = sorted(range(len(articles)), key=lambda i: (articles[i].words, i))
    return ranked[len(ranked) // 2]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Translation speed benchmark (see benchmarks/README.md).")
    parser.add_argument("--runs", type=int, default=3, help="runs per system; figures are medians (default 3)")
    parser.add_argument("--full-runs", type=int, default=1, help="runs of the full workload (default 1)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 1 run on the shortest article, no full workload, README untouched")
    parser.add_argument("--systems", help=f"comma-separated subset of: {', '.join(SYSTEMS)}")
    parser.add_argument("--articles", help="comma-separated workload indices for the comparison "
                                           "(default: the article of median length)")
    parser.add_argument("--no-full", action="store_true", help="skip the full-workload measurement")
    parser.add_argument("--no-latency", action="store_true",
                        help="skip the time-to-first-paragraph measurement")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--output", type=Path, help="results file (default benchmarks/results.json; "
                                                     "benchmarks/.models/results-quick.json with --quick)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    workload = news_articles()
    systems = args.systems.split(",") if args.systems else list(SYSTEMS)
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown system(s) {sorted(unknown)}; choose from {sorted(SYSTEMS)}")
    compared = [s for s in systems if SYSTEMS[s].comparison]
    if not compared:
        parser.error("choose at least one system that runs on the comparison article(s)")
    if args.articles:
        articles = [int(i) for i in args.articles.split(",")]
    elif args.quick:
        articles = [min(range(len(workload)), key=lambda i: workload[i].words)]
    else:
        articles = [median_article(workload)]
    runs = 1 if args.quick else args.runs
    output = args.output or (MODELS_DIR / "results-quick.json" if args.quick else RESULTS)

    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    if load_start > 1.5:
        log.warning("load average is %.2f: other work on this machine will distort the figures", load_start)
    marian_dir, converted = prepare_models()
    log.info("model %s, CTranslate2 int8 conversion %s", marian_dir, converted.path)

    comparison = measure(compared, marian_dir, converted.path, articles, runs, args.threads)
    report = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
              "threads": args.threads, "output_ratio": OUTPUT_RATIO,
              "comparison": {"articles": articles, "runs": runs, "work": check_same_work(comparison),
                             "summary": summarise(comparison), "raw": comparison}}
    fast = [s for s in systems if SYSTEMS[s].full]
    if fast and not (args.quick or args.no_full):
        everything = list(range(len(workload)))
        log.info("full workload (%d articles) for %s", len(everything), ", ".join(fast))
        full = measure(fast, marian_dir, converted.path, everything, args.full_runs, args.threads)
        full_summary = summarise(full)
        base = report["comparison"]["summary"].get(BASELINE)
        for row in full_summary.values():
            if base:  # tokens/s are computed the same way on both workloads
                row["speedup_vs_comparison_baseline"] = row["tokens_per_s"] / base["tokens_per_s"]
        report["full_workload"] = {"articles": len(everything), "runs": args.full_runs,
                                   "work": check_same_work(full), "summary": full_summary, "raw": full}
    report["targets"] = verdicts(report["comparison"]["summary"])
    if not (args.quick or args.no_latency):
        report["latency"] = measure_latency(marian_dir, converted.path, args.full_runs, args.threads)
        report["targets"] += latency_verdict(report["latency"])
    report["load_average"] = [load_start, os.getloadavg()[0]]
    report["wall_seconds"] = time.perf_counter() - started

    table = render(report)
    print(table)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    log.info("wrote %s (%.0f s in all)", output, report["wall_seconds"])
    if not args.quick and output == RESULTS:
        update_readme(table)
        log.info("updated %s", README)


if __name__ == "__main__":
    main()
