"""``translator batch``: translate archives and daily feeds of articles from files."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import click

from ..batch import DEFAULT_POOL, BarProgress, Progress, open_input, progress_for, run_batch, write_atomically
from ..batch.outputs import plan_outputs
from ..config import Settings
from ..errors import TranslatorError
from ..service.runtime import build_runtime

__all__ = ["batch"]


_STOPPING = b"\ninterrupted: stopping after the current pass; Ctrl-C again stops at once\n"


@contextlib.contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """The first Ctrl-C (or SIGTERM) sets ``stop``; a second one interrupts at once."""

    def handler(signum, frame) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        os.write(2, _STOPPING)  # async-signal-safe, unlike print while a bar is drawing

    try:
        previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread: no signal handling there
        yield
        return
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _log_through(progress: Progress) -> contextlib.AbstractContextManager:
    """Route log lines around the progress bar instead of through it."""
    if isinstance(progress, BarProgress):
        from tqdm.contrib.logging import logging_redirect_tqdm

        return logging_redirect_tqdm()
    return contextlib.nullcontext()


#: The loggers that warn per segment or per article about text left in English (the summary counts it).
_PER_ITEM_LOGGERS = ("translator.pipeline.translator", "translator.service.articles")


@contextlib.contextmanager
def _segment_warnings(*, shown: bool):
    """``--quiet``: no warning per failed segment or article (the summary counts them: "N failed
    (English kept)"); errors still show."""
    loggers = [logging.getLogger(name) for name in _PER_ITEM_LOGGERS]
    saved = [logger.level for logger in loggers]
    if not shown:
        for logger in loggers:
            logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, saved):
            logger.setLevel(level)


class _BatchGroup(click.Group):
    """``batch INPUT...`` runs a batch (the ``run`` command); ``batch status JOB`` and ``batch collect JOB``
    look after a distributed one (``batch --enqueue INPUT...``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands:
            args = ["run", *args]
        return super().parse_args(ctx, args)


class _RunCommand(click.Command):
    """The local batch, shown as ``translator batch [OPTIONS] INPUTS...`` (its ``run`` name is implicit)."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        path = ctx.parent.command_path if ctx.parent is not None else ctx.command_path
        formatter.write_usage(path, " ".join(self.collect_usage_pieces(ctx)))
        formatter.write_usage(path, "status JOB [--json]", prefix="       ")
        formatter.write_usage(path, "collect JOB --out DIR [--report FILE]", prefix="       ")


@click.group(cls=_BatchGroup, short_help="Translate archives of articles (here, or queued for workers).")
def batch() -> None:
    """Translate archives: 'batch INPUT... --out DIR' here, or with workers:
    'batch --enqueue INPUT...', 'batch status JOB', 'batch collect JOB --out DIR'."""


@batch.command("run", cls=_RunCommand)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True))
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Directory for the French files (created if missing).")
@click.option("--enqueue", is_flag=True,
              help="Store the articles and queue them for the workers (TRANSLATOR_BROKER) on the bulk queue; "
                   "prints a job id for 'batch status' and 'batch collect'.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False),
              help="Also write the summary as JSON to this file.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output and no warning per failed segment (errors "
                                                    "and the summary, which counts failed segments, still print).")
@click.option("--batch-tokens", type=click.IntRange(min=1),
              help="Padded source tokens per engine batch (overrides TRANSLATOR_BATCH_TOKENS).")
@click.option("--threads", type=click.IntRange(min=1), help="CPU threads for the model (overrides TRANSLATOR_THREADS).")
@click.option("--pool", type=click.IntRange(min=1), default=DEFAULT_POOL, show_default=True,
              help="Articles whose segments are pooled into one pipeline pass.")
@click.pass_context
def run(ctx: click.Context, inputs: tuple[str, ...], out_dir: str | None, enqueue: bool, report_path: str | None,
        quiet: bool, batch_tokens: int | None, threads: int | None, pool: int) -> None:
    """Translate the articles in INPUTS into French files under --out.

    \b
    INPUTS:
      FILE       JSON Lines, one article per line:
                 {"id": "...", "title": "...", "body": "...", "format": "text"}
                 ("format": "text" or "html", optional; "url" is stored; other fields are
                 carried through)
                 -> OUT/NAME.fr.jsonl: one line per input line, same order, with the French
                 title and body, "version", "glossary" and "status" ("ok", or "error" + "error")
      DIRECTORY  every .txt / .md file below it: id = relative path, first line = title;
                 every .html / .htm file: first <h1> (else <title>) = title
                 -> OUT/<same relative path>
      -          JSON Lines on stdin -> OUT/stdin.fr.jsonl

    Articles are stored as versions and translated through the translation
    memory and glossary of TRANSLATOR_STORE, exactly as over HTTP, so the
    service then serves them from its cache, and a rerun calls the model for
    nothing. If an id occurs more than once, the last occurrence is
    translated; earlier lines with different content fail.

    A bad line or article is reported and skipped. Ctrl-C (or SIGTERM) stops
    after the current pass: finished articles are kept in the store, text
    files and JSON Lines files whose input is complete are written, an
    unfinished JSON Lines input's file is not written (an old one is left as
    it was). Rerun the same command to finish: it resumes where it stopped.
    Output files are written whole (temporary file + rename), never truncated.

    With --enqueue (and TRANSLATOR_BROKER, TRANSLATOR_STORE=redis://...) the
    articles are stored and queued for 'translator worker' processes instead,
    and a job id is printed: 'translator batch status JOB' shows progress,
    'translator batch collect JOB --out DIR' writes the same files and
    report. Enqueueing again never translates an article twice.

    Exit status: 0 all translated, 1 some article failed, 130 interrupted.
    """
    if inputs.count("-") > 1:
        raise click.UsageError("'-' (stdin) can be given only once")
    if enqueue:
        if out_dir is not None:
            raise click.UsageError("--enqueue writes nothing: give --out to 'batch collect JOB'")
        _enqueue(inputs)
        return
    if out_dir is None:
        raise click.UsageError("Missing option '--out'.")
    sources = [open_input(name, stdin=sys.stdin.buffer if name == "-" else None) for name in inputs]
    out = Path(out_dir)
    plan_outputs(sources, out)  # conflicts fail before the model loads
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TranslatorError(f"cannot create --out {out}: {exc.strerror or exc}") from exc
    given = {"threads": threads, "batch_tokens": batch_tokens}
    settings = Settings.from_env(**{name: value for name, value in given.items() if value is not None})
    # The same graph as the service's (store, live glossary: file + edits made over HTTP), so
    # translations stored here carry the glossary version the service serves, under the same keys.
    with build_runtime(settings) as runtime:
        pair = runtime.pair()
        service = pair.articles
        progress = progress_for(sys.stderr, quiet=quiet)
        stop = threading.Event()
        try:
            with _stop_on_signals(stop), _log_through(progress), _segment_warnings(shown=not quiet):
                report = run_batch(sources, out, service, pool=pool, progress=progress, stop=stop, work=pair.work)
        except KeyboardInterrupt:
            click.echo("error: stopped at once (second interrupt); finished passes are kept in the store; "
                       "rerun the same command to finish", err=True)
            ctx.exit(130)
    click.echo("\n".join(report.summary_lines()))
    if report_path:
        write_atomically(Path(report_path), json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    ctx.exit(report.exit_code)


# -- distributed batches -----------------------------------------------------------------------------

@contextlib.contextmanager
def _remote_services() -> Iterator:
    """The object graph without a model: store, glossary, task dispatcher (TRANSLATOR_BROKER needed)."""

    settings = Settings.from_env()
    if not settings.broker:
        raise TranslatorError("distributed batches need TRANSLATOR_BROKER (and TRANSLATOR_STORE=redis://...) "
                              "shared with the workers")
    runtime = build_runtime(settings.replace(web_engine=False), serving=True)
    try:
        yield runtime
    finally:
        runtime.close()


def _enqueue(inputs: tuple[str, ...]) -> None:
    from ..batch.distributed import enqueue_job

    if "-" in inputs:
        raise click.UsageError("--enqueue cannot read '-': collect reads the inputs again; save them to a file")
    sources = [open_input(name) for name in inputs]
    with _remote_services() as runtime:
        job = enqueue_job(sources, runtime.articles(), runtime.tasks)
    click.echo(job.id)
    click.echo(f"queued {job.queued} of {job.articles} articles on the bulk queue "
               f"({job.articles - job.queued} already translated); 'translator batch status {job.id}' "
               "shows progress", err=True)


@batch.command("status")
@click.argument("job")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status(job: str, as_json: bool) -> None:
    """Articles of an enqueued JOB done, failed and pending (from the store)."""
    from ..batch.distributed import job_status

    with _remote_services() as runtime:
        found = job_status(job, runtime.articles(), runtime.tasks)
    click.echo(json.dumps(found.to_dict()) if as_json else found.line())


@batch.command("collect")
@click.argument("job")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Directory for the French files (created if missing).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False),
              help="Also write the summary as JSON to this file.")
@click.pass_context
def collect(ctx: click.Context, job: str, out_dir: str, report_path: str | None) -> None:
    """Write the outputs of a finished JOB, as 'translator batch' would (no model is called).

    Fails while articles are pending. Exit status: 0 all translated, 1 some article failed.
    """
    from ..batch.distributed import job_results

    out = Path(out_dir)
    with _remote_services() as runtime:
        sources, results, _ = job_results(job, runtime.articles(), runtime.tasks)
        plan_outputs(sources, out)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise TranslatorError(f"cannot create --out {out}: {exc.strerror or exc}") from exc
        report = run_batch(sources, out, runtime.articles(), results=results)
    click.echo("\n".join(report.summary_lines()))
    if report_path:
        write_atomically(Path(report_path), json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    ctx.exit(report.exit_code)
