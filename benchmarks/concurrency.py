"""Cross-request batching under concurrent HTTP clients: pooled vs one request at a time.

Starts the real service (``python -m translator serve``) twice on the same
model: once with cross-request batching (``TRANSLATOR_BATCH_WINDOW_MS``, 5 ms
by default) and once with ``TRANSLATOR_BATCH_WINDOW_MS=0``, where the engine
worker serves one request per model call. In each, ``--clients`` threads
(16) post one different English paragraph each, all at once, for
``--rounds`` rounds; no paragraph is ever sent twice, so the translation
memory never answers. Throughput = requests answered / wall time of the
rounds. The target is pooled >= 3x one-at-a-time.

The model is a full-size random-weight Marian with the exact opus-mt-en-fr
architecture, built once into ``benchmarks/.models/`` (speed does not depend
on the weight values). Random weights rarely emit end-of-sentence, so each
segment decodes to its length bound, then once more with the greedy
fallback: the same work in both modes. ``--quick`` uses a tiny model instead
(a smoke test of the harness, not a measurement).

    python -m benchmarks.concurrency            # the measurement (minutes on 2 cores)
    python -m benchmarks.concurrency --quick    # seconds
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from translator.testing.processes import ServiceProcess, service_environment

REPO = Path(__file__).resolve().parents[1]
MODELS = REPO / "benchmarks" / ".models"

_WORDS = (
    "the government minister said on Monday that parliament will vote on the new budget police arrested "
    "two men after a fire in the harbour of the capital city prices of rice and fuel rose again this week "
    "according to the statistics office the president met leaders from Africa and Europe to discuss trade "
    "and climate fishermen in the south warned that the cyclone could reach the island tomorrow a court in "
    "the north heard the case of a company accused of fraud students and teachers protested against the "
    "reform of public schools"
).split()


def paragraphs(count: int, seed: int = 7) -> list[str]:
    """``count`` different news-like paragraphs of two sentences, 24-34 words in all."""
    rng = random.Random(seed)
    result: list[str] = []
    while len(result) < count:
        sentences = []
        for length in (rng.randint(10, 15), rng.randint(14, 19)):
            words = " ".join(rng.choice(_WORDS) for _ in range(length))
            sentences.append(words[0].upper() + words[1:] + ".")
        text = " ".join(sentences)
        if text not in result:
            result.append(text)
    return result


def ensure_model(quick: bool) -> Path:
    """The benchmark model directory, built on first use (into a temp dir, then renamed)."""
    from translator.testing.models import OPUS_MT_EN_FR_ARCH, build_marian_model

    target = MODELS / ("tiny-en-fr-random" if quick else "opus-mt-en-fr-random")
    if (target / "config.json").is_file():
        return target
    MODELS.mkdir(parents=True, exist_ok=True)
    print(f"building {target.name} (once) ...", file=sys.stderr, flush=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=MODELS))
    try:
        build_marian_model(staging, arch=None if quick else OPUS_MT_EN_FR_ARCH)
        staging.rename(target)
    except OSError:
        if not (target / "config.json").is_file():  # not a concurrent build that won the rename
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


class Service(ServiceProcess):
    """``translator serve`` on a free port with the given batching window and backend."""

    def __init__(self, model: Path, window_ms: float, threads: int, data_dir: Path, backend: str):
        env = service_environment(TRANSLATOR_MODEL=str(model), TRANSLATOR_DATA_DIR=str(data_dir),
                                  TRANSLATOR_BATCH_WINDOW_MS=str(window_ms), TRANSLATOR_THREADS=str(threads),
                                  TRANSLATOR_BACKEND=backend,
                                  TRANSLATOR_RATE_LIMIT="off")  # the benchmark is one client posting hundreds
        super().__init__(env, data_dir / "serve.log", args=["--threads", "64"], cwd=REPO, timeout=600)

    def translate(self, text: str) -> float:
        """POST one text; returns the latency in seconds (raises on any non-200)."""
        body = json.dumps({"text": text}).encode()
        request = urllib.request.Request(f"{self.url}/v1/translate", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=3600) as response:
            answer = json.loads(response.read())
        if not answer["translations"][0]["text"]:
            raise RuntimeError(f"empty translation for {text!r}")
        return time.perf_counter() - start


def run_round(service: Service, texts: list[str]) -> tuple[float, list[float]]:
    """All clients post at once (one text each); (wall seconds, latencies)."""
    latencies: list[float] = [0.0] * len(texts)
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(texts) + 1)

    def client(index: int) -> None:
        barrier.wait()
        try:
            latencies[index] = service.translate(texts[index])
        except BaseException as exc:  # reported below, fails the run
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    if errors:
        raise SystemExit(f"a request failed: {errors[0]!r}")
    return wall, latencies


def measure(mode: str, window_ms: float, model: Path, texts: list[list[str]], threads: int,
            backend: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-data-") as data_dir:
        service = Service(model, window_ms, threads, Path(data_dir), backend)
        try:
            service.translate("Warm up the model before the clock starts.")
            walls, latencies = [], []
            for round_texts in texts:
                wall, round_latencies = run_round(service, round_texts)
                walls.append(wall)
                latencies.extend(round_latencies)
                print(f"  {mode}: {len(round_texts)} requests in {wall:.2f} s", file=sys.stderr, flush=True)
        finally:
            service.stop()
    requests = sum(len(t) for t in texts)
    return {
        "mode": mode, "batch_window_ms": window_ms, "requests": requests, "seconds": round(sum(walls), 3),
        "requests_per_s": round(requests / sum(walls), 3),
        "round_seconds": [round(w, 3) for w in walls],
        "latency_p50_s": round(statistics.median(latencies), 3),
        "latency_max_s": round(max(latencies), 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny model, one round: a smoke test")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=None, help="rounds per mode (default 2; 1 with --quick)")
    parser.add_argument("--window-ms", type=float, default=5.0, help="batching window of the pooled mode")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="TRANSLATOR_THREADS")
    parser.add_argument("--model", type=Path, help="a Marian directory instead of the random one")
    parser.add_argument("--backend", choices=("torch", "ctranslate2"), default="torch",
                        help="TRANSLATOR_BACKEND of the service (default torch)")
    parser.add_argument("--out", type=Path, help="JSON report file (default benchmarks/concurrency-BACKEND.json; "
                                                 "--quick writes none unless given)")
    args = parser.parse_args(argv)
    rounds = args.rounds or (1 if args.quick else 2)

    model = args.model or ensure_model(args.quick)
    # Different paragraphs for every request of every round of both modes' runs (same list per mode).
    batches = paragraphs(args.clients * rounds)
    texts = [batches[r * args.clients:(r + 1) * args.clients] for r in range(rounds)]
    results = [measure("one-at-a-time", 0.0, model, texts, args.threads, args.backend),
               measure("pooled", args.window_ms, model, texts, args.threads, args.backend)]
    sequential, pooled = results
    ratio = pooled["requests_per_s"] / sequential["requests_per_s"]
    report = {
        "benchmark": "concurrency", "quick": args.quick, "model": str(model), "backend": args.backend,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "clients": args.clients,
        "rounds": rounds, "target_ratio": 3.0, "ratio": round(ratio, 2), "results": results,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "torch_threads": args.threads},
    }
    print(f"\n{args.clients} concurrent clients x {rounds} round(s), one different paragraph each "
          f"({'tiny model: smoke test only' if args.quick else model.name}, {args.backend} backend)")
    print(f"{'mode':<15}{'window ms':>10}{'requests':>10}{'seconds':>10}{'req/s':>10}{'p50 s':>9}{'max s':>9}")
    for r in results:
        print(f"{r['mode']:<15}{r['batch_window_ms']:>10g}{r['requests']:>10}{r['seconds']:>10.2f}"
              f"{r['requests_per_s']:>10.2f}{r['latency_p50_s']:>9.2f}{r['latency_max_s']:>9.2f}")
    print(f"pooled / one-at-a-time throughput: {ratio:.2f}x (target >= 3x)")
    out = args.out or (None if args.quick else REPO / "benchmarks" / f"concurrency-{args.backend}.json")
    if out is not None:
        out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
