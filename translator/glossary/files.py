"""DeepL glossary files (TSV and CSV), and merging entries into our glossary TSV file.

DeepL's formats: TSV is ``source<TAB>target`` a line, nothing else; CSV is
``source,target`` with standard CSV quoting, optionally followed by the
source and target language codes (``en,fr``) and, in exports of DeepL's
glossary generator, a relevance column. Neither has comments or flags: an
export drops the ``ci`` flag (DeepL matches case-insensitively anyway) and
an import creates plain case-sensitive entries.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GlossaryError
from .entries import GlossaryEntry, Problem, entry_problems, read_tsv, same_source

__all__ = ["DEEPL_FORMATS", "MergeReport", "deepl_format_for", "dump_deepl", "merge_into_tsv", "parse_deepl"]

DEEPL_FORMATS = ("tsv", "csv")


def deepl_format_for(path: str | Path, explicit: str | None = None) -> str:
    """``explicit`` if given, else ``csv`` for a ``.csv`` file and ``tsv`` otherwise."""
    if explicit:
        return explicit.lower()
    return "csv" if Path(path).suffix.lower() == ".csv" else "tsv"


def _rows(text: str, fmt: str) -> Iterable[tuple[int, list[str]]]:
    if fmt == "tsv":
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield number, line.split("\t")
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    for row in reader:
        if any(cell.strip() for cell in row):
            yield reader.line_num, row


def _language_problem(row: list[str]) -> str | None:
    source_lang, target_lang = row[2].strip().lower(), row[3].strip().lower()
    if source_lang.split("-")[0] != "en" or target_lang.split("-")[0] != "fr":
        return f"language pair {row[2]}->{row[3]} is not en->fr"
    return None


def parse_deepl(text: str, fmt: str) -> tuple[list[tuple[int, GlossaryEntry]], list[Problem]]:
    """Entries of a DeepL glossary file (``fmt`` ``"tsv"`` or ``"csv"``) and its problems."""
    if fmt not in DEEPL_FORMATS:
        raise GlossaryError(f"unknown glossary format {fmt!r} (use tsv or csv)")
    entries: list[tuple[int, GlossaryEntry]] = []
    problems: list[Problem] = []
    seen: dict[str, list[tuple[int, GlossaryEntry]]] = {}
    try:
        rows = list(_rows(text.lstrip("\ufeff"), fmt))
    except csv.Error as exc:
        return [], [Problem(0, f"not a valid CSV file: {exc}")]
    for number, row in rows:
        if fmt == "tsv" and len(row) != 2:
            problems.append(Problem(number, f"expected 2 tab-separated columns, found {len(row)}"))
            continue
        if fmt == "csv" and len(row) not in (2, 4, 5):
            problems.append(Problem(number, f"expected source,target[,source_lang,target_lang], "
                                            f"found {len(row)} columns"))
            continue
        if len(row) >= 4 and (message := _language_problem(row)):
            problems.append(Problem(number, message))
            continue
        source, target = (unicodedata.normalize("NFC", cell) for cell in row[:2])
        messages = entry_problems(source, target)
        if source.lstrip().startswith("#"):
            messages.append(f"source term {source!r} starts with '#', which the glossary file reads as a comment")
        if messages:
            problems.extend(Problem(number, m) for m in messages)
            continue
        entry = GlossaryEntry(source, target)
        bucket = seen.setdefault(_folded_source(entry), [])  # same_source only within a bucket: linear
        earlier = next(((n, e) for n, e in bucket if same_source(e, entry)), None)
        if earlier is not None:
            if earlier[1].target != target:
                problems.append(Problem(number, f"source {source!r} already has target {earlier[1].target!r} "
                                                f"at line {earlier[0]}; here it has {target!r}"))
            continue
        entries.append((number, entry))
        bucket.append((number, entry))
    return entries, problems


#: First characters that make a spreadsheet read a cell as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe(value: str) -> str:
    """``value``, with a leading ``'`` when a spreadsheet would run it as a formula (``=HYPERLINK(...)``):
    OWASP's advice for CSV files opened in Excel or LibreOffice."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def dump_deepl(entries: Iterable[GlossaryEntry], fmt: str) -> str:
    """The entries in DeepL's TSV or CSV format (CSV with the ``en,fr`` language columns)."""
    if fmt == "tsv":
        return "".join(f"{e.source}\t{e.target}\n" for e in entries)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for e in entries:
            writer.writerow([_spreadsheet_safe(e.source), _spreadsheet_safe(e.target), "en", "fr"])
        return buffer.getvalue()
    raise GlossaryError(f"unknown glossary format {fmt!r} (use tsv or csv)")


@dataclass
class MergeReport:
    """What :func:`merge_into_tsv` did (or, with conflicts and no ``replace``, would not do)."""

    added: list[GlossaryEntry] = field(default_factory=list)
    updated: list[tuple[GlossaryEntry, GlossaryEntry]] = field(default_factory=list)  # (old, new)
    unchanged: list[GlossaryEntry] = field(default_factory=list)
    conflicts: list[tuple[GlossaryEntry, GlossaryEntry]] = field(default_factory=list)  # (existing, imported)


def _folded_source(entry: GlossaryEntry) -> str:
    return " ".join(entry.source.split()).casefold()


def _line(entry: GlossaryEntry) -> str:
    flags = ",".join(sorted(entry.flags))
    return f"{entry.source}\t{entry.target}" + (f"\t{flags}" if flags else "")


def merge_into_tsv(path: str | Path, imported: Sequence[GlossaryEntry], *, replace: bool = False,
                   comment: str = "") -> MergeReport:
    """Merge ``imported`` entries into the glossary TSV file at ``path``, keeping its comments.

    New sources are appended (after ``comment``, if given). A source the file
    already has with another target is a conflict: with ``replace`` its line is
    rewritten in place (keeping its flags); without, nothing is written and the
    conflicts are reported. A missing file is created.
    """
    path = Path(path)
    report = MergeReport()
    lines: list[str] = []
    existing: list[tuple[int, GlossaryEntry]] = []
    if path.exists():
        existing, problems = read_tsv(path)
        if problems:
            raise GlossaryError(f"{path}:{problems[0].line}: {problems[0].message} (fix it before importing)")
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    # Entries by case-folded source: same_source is only ever true within one bucket, so each imported
    # entry is compared with a handful, not the whole file (8,000 entries took 59 s when it was).
    buckets: dict[str, list[tuple[int, GlossaryEntry]]] = {}
    for number, known in existing:
        buckets.setdefault(_folded_source(known), []).append((number, known))
    for entry in imported:
        bucket = buckets.setdefault(_folded_source(entry), [])
        match = next(((n, e) for n, e in bucket if same_source(e, entry)), None)
        if match is None:
            report.added.append(entry)
            bucket.append((0, entry))
        elif match[1].target == entry.target:
            report.unchanged.append(entry)
        elif replace and match[0]:
            new = GlossaryEntry(match[1].source, entry.target, match[1].flags)
            lines[match[0] - 1] = _line(new)
            report.updated.append((match[1], new))
        else:
            report.conflicts.append((match[1], entry))
    if report.conflicts and not replace:
        return report
    if report.added:
        if lines and lines[-1].strip():
            lines.append("")
        if comment:
            lines.append(f"# {comment}")
        lines.extend(_line(e) for e in report.added)
    if report.added or report.updated:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return report
