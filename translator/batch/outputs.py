"""Writing batch outputs: atomically, and only when complete.

A JSON Lines input ``NAME.jsonl`` gives ``DIR/NAME.fr.jsonl``, one line per
input line in the same order, written once every line is settled (translated
or failed). A text directory gives ``DIR/<same relative path>`` per article,
written as soon as that article is translated. Every file is written to a
temporary file beside it and renamed into place, so a reader (or a run
killed mid-write) sees the previous complete file or the new complete file,
never a truncated one.
"""

from __future__ import annotations

import glob
import json
import logging
import os
from pathlib import Path
from typing import Union

from ..errors import TranslatorError
from .inputs import ArticleItem, BadItem, BatchInput, Item, JsonLinesInput, TextDirectoryInput
from .report import Outcome

__all__ = ["JsonLinesWriter", "OutputConflict", "TextFilesWriter", "Writer", "json_lines_record", "plan_outputs",
           "text_file", "write_atomically"]

log = logging.getLogger(__name__)

#: Output fields that replace input fields of the same name.
OUTPUT_FIELDS = ("title", "body", "version", "glossary", "segments", "status", "error", "line")


class OutputConflict(TranslatorError):
    """The outputs would overwrite each other or an input."""


# -- files ---------------------------------------------------------------------------------------

def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files left beside ``path`` by runs that were killed while writing it."""
    for temporary in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = temporary.name[len(path.name) + 2:-len(".tmp")]
        if pid.isdigit() and not _pid_alive(int(pid)):
            temporary.unlink(missing_ok=True)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and a rename, synced to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    try:  # make the rename itself durable
        directory = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(directory)
    except OSError:
        pass
    finally:
        os.close(directory)


# -- rendering -----------------------------------------------------------------------------------

def json_lines_record(item: Item, outcome: Outcome) -> dict:
    """The output object for one input line.

    Translated: the input object with ``title`` and ``body`` in French, plus
    ``version``, ``glossary``, ``segments`` (counts) and ``status``: ``"ok"``, or
    ``"partial"`` when some segments kept their English. Failed: the input object
    without ``title`` and ``body``, plus ``line``, ``status: "error"`` and
    ``error``; a line that is not an object: ``{"line", "status", "error"}``.
    """
    if isinstance(item, BadItem):
        record = {"id": item.id} if item.id is not None else {}
        return {**record, "line": item.line, "status": "error", "error": outcome.error or item.error}
    base = {k: v for k, v in item.fields.items() if k not in OUTPUT_FIELDS}
    translation = outcome.translation
    if translation is None:
        return {**base, "line": item.line, "status": "error", "error": outcome.error}
    record: dict = {}
    for name, value in item.fields.items():  # French title and body where the English ones were
        if name in ("title", "body"):
            record[name] = translation.title if name == "title" else translation.body
        elif name not in OUTPUT_FIELDS:
            record[name] = value
    return {**record, "version": translation.version, "glossary": translation.glossary,
            "segments": translation.segments, "status": translation.status}


def text_file(item: ArticleItem, outcome: Outcome) -> str:
    """The French text file: the source file's layout around the French title and body (for an HTML
    file, a French HTML document)."""
    layout = item.layout
    translation = outcome.translation
    if item.format == "html":
        from ..html.documents import french_html_document

        return french_html_document(translation.title, translation.body)
    body = translation.body if item.body else ""
    return f"{layout.leading}{layout.heading}{translation.title}{layout.separator}{body}{layout.trailing}"


# -- writers ---------------------------------------------------------------------------------------

class JsonLinesWriter:
    """Collects one JSON Lines input's outcomes; writes ``NAME.fr.jsonl`` once all are in."""

    kind = "jsonl"

    def __init__(self, source: JsonLinesInput, out_dir: Path):
        self.source = source
        self.path = out_dir / source.output_name
        self.output = str(self.path)
        self._outcomes: dict[int, Outcome] = {}
        self.written = 0

    @property
    def paths(self) -> list[Path]:
        return [self.path]

    def settle(self, item: Item, outcome: Outcome) -> None:
        """Record one line's outcome."""
        self._outcomes[item.position] = outcome

    def flush(self) -> int:
        """Write the file if every line is settled and it is not written yet; how many files were written."""
        if self.written or len(self._outcomes) < len(self.source.items):
            return 0
        lines = [json.dumps(json_lines_record(item, self._outcomes[item.position]), ensure_ascii=False)
                 for item in self.source.items]
        write_atomically(self.path, "".join(line + "\n" for line in lines))
        log.info("wrote %s (%d lines)", self.path, len(lines))
        self.written = 1
        return 1


class TextFilesWriter:
    """Writes each translated article of a text directory to ``DIR/<relative path>``."""

    kind = "text"

    def __init__(self, source: TextDirectoryInput, out_dir: Path):
        self.source = source
        self.out_dir = out_dir
        self.output = str(out_dir)
        self._ready: list[tuple[ArticleItem, Outcome]] = []
        self.written = 0

    @property
    def paths(self) -> list[Path]:
        return [self.out_dir / item.path for item in self.source.items]

    def settle(self, item: Item, outcome: Outcome) -> None:
        """Queue a translated article's file (a failed one gets none)."""
        if outcome.ok and isinstance(item, ArticleItem):
            self._ready.append((item, outcome))

    def flush(self) -> int:
        """Write the queued files; how many were written."""
        ready, self._ready = self._ready, []
        for item, outcome in ready:
            write_atomically(self.out_dir / item.path, text_file(item, outcome))
        self.written += len(ready)
        return len(ready)


Writer = Union[JsonLinesWriter, TextFilesWriter]


def _writer(source: BatchInput, out_dir: Path) -> Writer:
    if isinstance(source, JsonLinesInput):
        return JsonLinesWriter(source, out_dir)
    return TextFilesWriter(source, out_dir)


def _inside(path: Path, directory: Path) -> bool:
    return path == directory or directory in path.parents


def plan_outputs(inputs: list[BatchInput], out_dir: Path) -> list[Writer]:
    """One writer per input; :class:`OutputConflict` when two outputs share a path, an output
    would replace an input file, or ``out_dir`` lies inside a text input directory (a rerun would
    read the French files as articles)."""
    writers = [_writer(source, out_dir) for source in inputs]
    out_resolved = out_dir.resolve()
    input_files: dict[Path, str] = {}
    for source in inputs:
        if isinstance(source, TextDirectoryInput):
            root = source.root.resolve()
            if _inside(out_resolved, root):
                where = "is" if out_resolved == root else "is inside"
                raise OutputConflict(f"--out {out_dir} {where} the input directory {source.label}; "
                                     f"choose an output directory outside it")
            input_files.update({(root / item.path).resolve(): source.label for item in source.items})
        elif source.path is not None:
            input_files[source.path.resolve()] = source.label
    claimed: dict[Path, str] = {}
    for writer, source in zip(writers, inputs):
        for path in writer.paths:
            if not _inside(path.parent.resolve(), out_resolved):  # a symlinked folder inside --out
                raise OutputConflict(f"output {path} would be written through a symbolic link out of --out "
                                     f"{out_dir}; remove the link or choose another output directory")
            resolved = path.resolve()
            if resolved in input_files:
                raise OutputConflict(f"output {path} would overwrite the input {input_files[resolved]}")
            if resolved in claimed:
                raise OutputConflict(f"inputs {claimed[resolved]} and {source.label} would both write {path}")
            claimed[resolved] = source.label
    return writers
