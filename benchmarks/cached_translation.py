"""Cache first: how long the service takes to answer a French version that is already stored,
next to a static file of the same size served by the same server.

Starts the real service (``python -m translator serve``, waitress) with
``TRANSLATOR_SERVER_TIMING=on`` on the tiny test model: a cached answer never
touches the model, so its size does not matter (the run checks that no
translation was made while measuring). The cached article is the demo story,
stored with ``PUT`` under its own id and translated before measuring. Then,
over one keep-alive HTTP connection, it requests in turn, ``--requests``
times each (after a warm-up):

* ``api``: ``GET /v1/articles/bench-cached/translations/fr`` (what the
  widget asks; JSON);
* ``page``: ``GET /articles/bench-cached/fr`` (the French page; HTML);
* ``api 304`` and ``page 304``: the same with ``If-None-Match`` holding the
  ``ETag`` they answered (what a browser with the translation in its cache
  sends after ``max-age``): ``304 Not Modified``, no body;
* for each of ``api`` and ``page``, a static file of exactly the same number
  of bytes, written into ``translator/web/static/`` for the run and deleted after.

Server-side time is the service's own ``Server-Timing: app;dur=`` header:
from the moment waitress hands the request to the app until the app starts
its response (routing, the store read, serialisation, the hooks; not the
network, not waitress's queueing, not sending the body). Round trip is what
the client measured (request sent to body read, on 127.0.0.1). Medians,
p90 and p99 in milliseconds.

    python -m benchmarks.cached_translation            # 1,000 requests each
    python -m benchmarks.cached_translation --requests 100
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from translator.testing.processes import ServiceProcess, service_environment

REPO = Path(__file__).resolve().parents[1]
STATIC_DIR = REPO / "translator" / "web" / "static"
ARTICLE_ID = "bench-cached"
_SERVER_TIMING = re.compile(r"(?:^|,)\s*app;dur=([0-9.]+)")


class Service(ServiceProcess):
    """``translator serve`` with Server-Timing on, logging to a file in ``data_dir``."""

    def __init__(self, model: Path, data_dir: Path):
        env = service_environment(TRANSLATOR_MODEL=str(model), TRANSLATOR_DATA_DIR=str(data_dir),
                                  TRANSLATOR_SERVER_TIMING="on", TRANSLATOR_THREADS="1")
        super().__init__(env, data_dir / "serve.log", cwd=REPO)

    def translations_made(self) -> int:
        """How many article translations the service has made (ArticleService logs each)."""
        return len(re.findall(r"translated \S+ v\d+ into fr", self.log))


class Client:
    """One keep-alive HTTP/1.1 connection; every GET returns (status, body, server ms, round-trip ms)."""

    def __init__(self, host: str, port: int):
        self.connection = http.client.HTTPConnection(host, port, timeout=60)
        self.last_etag: str | None = None

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, float, float]:
        started = time.perf_counter()
        self.connection.request("GET", path, headers=headers or {})
        response = self.connection.getresponse()
        body = response.read()
        round_trip_ms = (time.perf_counter() - started) * 1000
        match = _SERVER_TIMING.search(response.getheader("Server-Timing") or "")
        if match is None:
            raise SystemExit(f"GET {path}: no Server-Timing header (is TRANSLATOR_SERVER_TIMING on?)")
        self.last_etag = response.getheader("ETag")
        return response.status, body, float(match.group(1)), round_trip_ms

    def put_json(self, path: str, body: dict) -> int:
        self.connection.request("PUT", path, body=json.dumps(body), headers={"Content-Type": "application/json"})
        response = self.connection.getresponse()
        response.read()
        return response.status

    def close(self) -> None:
        self.connection.close()


def wait_for_cached(client: Client, path: str, timeout: float = 300) -> bytes:
    """The body of ``path`` once it answers 200 (the demo's translation runs at start-up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body, _, _ = client.get(path)
        if status == 200:
            return body
        if status != 202:
            raise SystemExit(f"GET {path} answered {status}: {body[:200]!r}")
        time.sleep(0.2)
    raise SystemExit(f"GET {path} was still pending after {timeout:.0f} s")


def summary(values: list[float]) -> dict:
    ordered = sorted(values)

    def percentile(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    return {"median_ms": round(statistics.median(ordered), 4), "p90_ms": round(percentile(90), 4),
            "p99_ms": round(percentile(99), 4), "mean_ms": round(statistics.fmean(ordered), 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="measured requests per target (1,000)")
    parser.add_argument("--warmup", type=int, default=50, help="unmeasured requests per target first")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "cached_translation.json",
                        help="JSON report file")
    args = parser.parse_args(argv)

    from benchmarks.concurrency import ensure_model

    model = ensure_model(quick=True)  # the model is not touched by cached answers
    static_files: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="bench-cached-") as tmp:
        service = Service(model, Path(tmp))
        client = Client(service.host, service.port)
        try:
            from translator.service.demo import DEMO_BODY, DEMO_TITLE

            status = client.put_json(f"/v1/articles/{ARTICLE_ID}", {"title": DEMO_TITLE, "body": DEMO_BODY})
            if status not in (200, 201):
                raise SystemExit(f"PUT /v1/articles/{ARTICLE_ID} answered {status}")
            # name -> (path, request headers, expected status)
            targets: dict[str, tuple[str, dict[str, str], int]] = {
                "api": (f"/v1/articles/{ARTICLE_ID}/translations/fr", {}, 200),
                "page": (f"/articles/{ARTICLE_ID}/fr", {}, 200)}
            sizes: dict[str, int] = {}
            for name, (path, _, _) in list(targets.items()):
                body = wait_for_cached(client, path)
                sizes[name] = len(body)
                if client.last_etag:  # the browser's revalidation once max-age has passed
                    targets[f"{name} 304"] = (path, {"If-None-Match": client.last_etag}, 304)
                    sizes[f"{name} 304"] = 0
                # A static file of exactly the same size, served by the same app and server.
                static = STATIC_DIR / f"bench-{uuid.uuid4().hex[:8]}-{name}.txt"
                static.write_bytes(b"x" * len(body))
                static_files.append(static)
                targets[f"static ({name} size)"] = (f"/static/{static.name}", {}, 200)
                sizes[f"static ({name} size)"] = len(body)

            made_before = service.translations_made()
            server_ms: dict[str, list[float]] = {name: [] for name in targets}
            round_trip_ms: dict[str, list[float]] = {name: [] for name in targets}
            for index in range(args.warmup + args.requests):
                for name, (path, headers, expected) in targets.items():  # interleaved: the same machine noise
                    status, body, server, round_trip = client.get(path, headers)
                    if status != expected or len(body) != sizes[name]:
                        raise SystemExit(f"GET {path}: {status}, {len(body)} bytes (expected {expected}, "
                                         f"{sizes[name]})")
                    if index >= args.warmup:
                        server_ms[name].append(server)
                        round_trip_ms[name].append(round_trip)
            made_during = service.translations_made() - made_before
        finally:
            client.close()
            service.stop()
            for static in static_files:
                static.unlink(missing_ok=True)

    results = [{"target": name, "path": targets[name][0] if not name.startswith("static") else "/static/<file>",
                "status": targets[name][2],
                "bytes": sizes[name], "requests": args.requests, "server": summary(server_ms[name]),
                "round_trip": summary(round_trip_ms[name])} for name in targets]
    report = {
        "benchmark": "cached_translation",
        "server_time": "Server-Timing app;dur: app entry to response start (waitress, keep-alive, 127.0.0.1)",
        "requests_per_target": args.requests, "warmup_per_target": args.warmup,
        "translations_made_while_measuring": made_during,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "results": results,
    }
    print(f"\n{args.requests} requests per target after {args.warmup} warm-up, one keep-alive connection; "
          f"ms (server = Server-Timing app;dur, round trip = client)")
    print(f"{'target':<20}{'bytes':>7}{'server p50':>12}{'p90':>8}{'p99':>8}{'round trip p50':>16}{'p99':>8}")
    for r in results:
        print(f"{r['target']:<20}{r['bytes']:>7}{r['server']['median_ms']:>12.3f}{r['server']['p90_ms']:>8.3f}"
              f"{r['server']['p99_ms']:>8.3f}{r['round_trip']['median_ms']:>16.3f}{r['round_trip']['p99_ms']:>8.3f}")
    print(f"translations made while measuring: {made_during}")
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    return 0 if made_during == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
