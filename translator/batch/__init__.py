"""Batch translation: many articles from files, through the same pipeline as the service.

    from translator.batch import open_input, run_batch
    report = run_batch([open_input("articles.jsonl")], Path("out"), article_service)
    report.summary_lines()  # what was done; report.to_dict() is the JSON report

Modules: :mod:`.inputs` (JSON Lines files, stdin, text directories),
:mod:`.runner` (storing versions, pooled passes, interruption),
:mod:`.outputs` (atomic, complete output files), :mod:`.progress` (bar,
lines, silence), :mod:`.report` (outcomes, totals, summary). The
``translator batch`` command is :mod:`translator.cli.batch`.
"""

from .inputs import ArticleItem, BadItem, BatchInput, JsonLinesInput, TextDirectoryInput, open_input
from .outputs import OutputConflict, write_atomically
from .progress import BarProgress, LineProgress, Progress, ProgressSnapshot, SilentProgress, progress_for
from .report import BatchReport, InputReport, Outcome
from .runner import DEFAULT_POOL, run_batch

__all__ = ["ArticleItem", "BadItem", "BarProgress", "BatchInput", "BatchReport", "DEFAULT_POOL", "InputReport",
           "JsonLinesInput", "LineProgress", "Outcome", "OutputConflict", "Progress", "ProgressSnapshot",
           "SilentProgress", "TextDirectoryInput", "open_input", "progress_for", "run_batch", "write_atomically"]
