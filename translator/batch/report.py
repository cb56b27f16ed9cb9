"""What a batch run did: per-article outcomes, totals, the summary text and the JSON report."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..store import StoredTranslation

__all__ = ["BatchReport", "InputReport", "Outcome", "format_duration"]

#: Exit statuses of ``translator batch``.
EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130

#: How many errors the text summary lists (the JSON report has them all).
SUMMARY_ERRORS = 20


@dataclass(frozen=True)
class Outcome:
    """How one article ended: its stored translation, or the reason it failed."""

    translation: StoredTranslation | None = None
    error: str | None = None
    from_store: bool = False  # its current translation was already stored: no pipeline pass at all

    @property
    def ok(self) -> bool:
        return self.translation is not None


@dataclass
class InputReport:
    """One input: how many of its articles ended which way, and whether its output was written."""

    input: str
    output: str
    kind: str       # "jsonl" (one output file) or "text" (one output file per article)
    articles: int
    ok: int = 0
    failed: int = 0
    written: int = 0  # output files written (JSON Lines: 0 or 1; text directories: one per article)

    def to_dict(self) -> dict:
        return {"input": self.input, "output": self.output, "kind": self.kind, "articles": self.articles, "ok": self.ok,
                "failed": self.failed, "not_done": self.articles - self.ok - self.failed,
                "written": self.written}


def format_duration(seconds: float) -> str:
    """``0:07``, ``12:05``, ``1:02:03``."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass
class BatchReport:
    """Totals of one run, filled in as articles finish.

    Articles are counted per input line or file. ``from_store`` articles had
    their current translation stored already; ``translated`` ones went
    through the pipeline in this run (their segments from the translation
    memory or the model). ``model_segments`` / ``source_tokens``: what the
    model itself was given (fallback retries included); ``tokens_per_s`` is
    source tokens through the model per second of the whole run.
    """

    model: str
    glossary_version: str
    store: str
    inputs: list[InputReport] = field(default_factory=list)
    ok: int = 0
    failed: int = 0
    partial: int = 0    # ok articles with segments kept in English
    from_store: int = 0
    translated: int = 0
    paragraphs: int = 0
    segments: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("total", "from_memory", "translated", "unchanged", "failed"), 0))
    glossary_applied: int = 0
    glossary_missed: int = 0
    model_segments: int = 0
    source_tokens: int = 0
    elapsed_s: float = 0.0
    interrupted: bool = False
    errors: list[dict] = field(default_factory=list)

    # -- filling in ------------------------------------------------------------------------------

    @property
    def total(self) -> int:
        return sum(i.articles for i in self.inputs)

    @property
    def not_done(self) -> int:
        return self.total - self.ok - self.failed

    def record(self, input_index: int, outcome: Outcome, *, line: int | None = None, path: str | None = None,
               article_id: str | None = None) -> None:
        """Count one article's outcome (and its error, with where it came from)."""
        entry = self.inputs[input_index]
        if not outcome.ok:
            entry.failed += 1
            self.failed += 1
            self.errors.append({"input": entry.input, "line": line, "path": path, "id": article_id,
                                "error": outcome.error})
            return
        entry.ok += 1
        self.ok += 1
        translation = outcome.translation
        self.paragraphs += len(translation.paragraphs)
        self.glossary_applied += len(translation.glossary.get("applied", ()))
        self.glossary_missed += len(translation.glossary.get("missed", ()))
        counts = translation.segments
        unchanged, failed = counts.get("unchanged", 0), counts.get("failed", 0)
        self.partial += failed > 0
        self.segments["total"] += counts.get("total", 0)
        self.segments["unchanged"] += unchanged
        self.segments["failed"] += failed
        if outcome.from_store:
            # Nothing was translated for it in this run: all its French came from the store.
            self.from_store += 1
            self.segments["from_memory"] += counts.get("total", 0) - unchanged - failed
        else:
            self.translated += 1
            self.segments["from_memory"] += counts.get("from_memory", 0)
            self.segments["translated"] += counts.get("translated", 0)

    # -- results ---------------------------------------------------------------------------------

    @property
    def tokens_per_s(self) -> float:
        return self.source_tokens / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def exit_code(self) -> int:
        """130 when interrupted, else 1 when any article failed, else 0."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        return EXIT_FAILED if self.failed else EXIT_OK

    @property
    def status(self) -> str:
        return "interrupted" if self.interrupted else "completed"

    def to_dict(self) -> dict:
        """The JSON report (``--report FILE``)."""
        return {
            "status": self.status,
            "exit_code": self.exit_code,
            "model": self.model,
            "glossary_version": self.glossary_version,
            "store": self.store,
            "articles": {"total": self.total, "ok": self.ok, "failed": self.failed, "not_done": self.not_done,
                         "from_store": self.from_store, "translated": self.translated},
            "paragraphs": self.paragraphs,
            "segments": dict(self.segments),
            "glossary": {"applied": self.glossary_applied, "missed": self.glossary_missed},
            "model_input": {"segments": self.model_segments, "source_tokens": self.source_tokens},
            "elapsed_s": round(self.elapsed_s, 3),
            "source_tokens_per_s": round(self.tokens_per_s, 1),
            "inputs": [i.to_dict() for i in self.inputs],
            "errors": list(self.errors),
        }

    def summary_lines(self) -> list[str]:
        """The human summary printed at the end of a run."""
        elapsed = f"{self.elapsed_s:.1f} s"
        if self.interrupted:
            head = (f"Batch interrupted after {elapsed}: {self.ok + self.failed} of {self.total} articles done "
                    f"({self.ok} ok, {self.failed} failed). Rerun the same command to finish: finished "
                    f"articles are kept in the store and are not translated again.")
        else:
            head = f"Batch completed in {elapsed}: {self.total} articles, {self.ok} ok, {self.failed} failed."
        seg = self.segments
        if self.model_segments:
            model = (f"{self.tokens_per_s:,.0f} source tokens/s ({self.source_tokens:,} source tokens in "
                     f"{self.model_segments:,} segments through the model)")
        else:
            model = "not called" + (": every segment came from the store" if self.ok else "")
        lines = [
            head,
            f"  articles    {self.ok} ok ({self.from_store} already translated in the store, "
            f"{self.translated} translated now), {self.failed} failed"
            + (f", {self.not_done} not done" if self.not_done else "")
            + (f"; {self.partial} partial (some English kept)" if self.partial else ""),
            f"  paragraphs  {self.paragraphs}",
            f"  segments    {seg['total']}: {seg['from_memory']} from memory, {seg['translated']} translated "
            f"by the model, {seg['unchanged']} unchanged, {seg['failed']} failed (English kept)",
            f"  glossary    {self.glossary_applied} terms applied, {self.glossary_missed} missed",
            f"  model       {model}",
            f"  elapsed     {elapsed}",
        ]
        for entry in self.inputs:
            if entry.written:
                files = (f" ({entry.written} file{'' if entry.written == 1 else 's'})" if entry.kind == "text"
                         else "")
                lines.append(f"  output      {entry.output}{files}")
            elif self.interrupted and entry.articles:
                lines.append(f"  not written {entry.output} (its input was not finished)")
        if self.errors:
            lines.append("errors:")
            for error in self.errors[:SUMMARY_ERRORS]:
                lines.append(f"  {error_location(error)}: {error['error']}")
            if len(self.errors) > SUMMARY_ERRORS:
                lines.append(f"  ... and {len(self.errors) - SUMMARY_ERRORS} more (see --report)")
        return lines


def error_location(error: dict) -> str:
    """``INPUT:LINE`` for JSON Lines, the file's path for text files."""
    if error.get("line") is not None:
        return f"{error['input']}:{error['line']}"
    if error.get("path"):
        return f"{error['input'].rstrip('/')}/{error['path']}"
    return error["input"]
