"""``translator glossary``: validate, list, import and export the proper-noun glossary."""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import click

from ..config import Settings
from ..errors import GlossaryError
from ..glossary import Glossary, validate_tsv
from ..glossary.entries import common_word_warnings
from ..text.segmentation import split_paragraphs
from ..html.documents import read_html_article, source_block_texts
from .translate import read_input
from ..glossary.files import DEEPL_FORMATS, deepl_format_for, dump_deepl, merge_into_tsv, parse_deepl

__all__ = ["glossary"]

_PATH = click.Path(dir_okay=False, path_type=Path)


def _glossary_path(path: Path | None) -> Path:
    """``path``, else the configured glossary (TRANSLATOR_GLOSSARY or ./glossary/en-fr.tsv)."""
    if path is not None:
        return path
    configured = Settings.from_env().glossary
    if configured is None:
        raise GlossaryError("no glossary file: pass PATH or set TRANSLATOR_GLOSSARY")
    return configured


@click.group()
def glossary() -> None:
    """Manage the proper-noun glossary (default: TRANSLATOR_GLOSSARY or ./glossary/en-fr.tsv)."""


@glossary.command()
@click.argument("path", required=False, type=_PATH)
def validate(path: Path | None) -> None:
    """Check a glossary file; print each problem as PATH:LINE: problem (exit 1 when any).

    Entries whose French form is also an ordinary French word are warned
    about on stderr (PATH:LINE: warning: ...) without failing.
    """
    path = _glossary_path(path)
    problems = validate_tsv(path)
    for problem in problems:
        click.echo(f"{path}:{problem.line}: {problem.message}")
    if problems:
        click.echo(f"{path}: {len(problems)} problem(s)", err=True)
        sys.exit(1)
    for warning in common_word_warnings(path):
        click.echo(f"{path}:{warning.line}: warning: {warning.message}", err=True)
    loaded = Glossary.from_tsv(path)
    click.echo(f"{path}: OK, {len(loaded)} entries, version {loaded.version}")


@glossary.command("list")
@click.argument("path", required=False, type=_PATH)
@click.option("--json", "as_json", is_flag=True, help="Print JSON: version and entries.")
def list_entries(path: Path | None, as_json: bool) -> None:
    """Print the entries: source, target and flags, tab-separated (keep-as-is marked '=')."""
    loaded = Glossary.from_tsv(_glossary_path(path))
    if as_json:
        click.echo(json.dumps({"version": loaded.version, "entries": [e.to_dict() for e in loaded]},
                              ensure_ascii=False, indent=2))
        return
    for entry in loaded:
        target = "=" if entry.keep else entry.target
        click.echo("\t".join([entry.source, target, *([",".join(sorted(entry.flags))] if entry.flags else [])]))


@glossary.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(DEEPL_FORMATS),
              help="tsv or csv (default: from the extension).")
@click.option("--into", "into", type=_PATH, help="Glossary file to merge into (default: the configured one).")
@click.option("--replace", is_flag=True, help="Overwrite the target of sources the glossary already has.")
def import_entries(file: str, fmt: str | None, into: Path | None, replace: bool) -> None:
    """Merge a DeepL glossary FILE (TSV or CSV) into the glossary file."""
    fmt = deepl_format_for(file, fmt)
    try:
        with click.open_file(file, encoding="utf-8-sig") as fh:
            text = fh.read()
    except UnicodeDecodeError as exc:
        raise GlossaryError(f"cannot read {file}: not UTF-8 ({exc.reason})") from exc
    entries, problems = parse_deepl(text, fmt)
    for problem in problems:
        click.echo(f"{file}:{problem.line}: {problem.message}", err=True)
    if problems:
        raise GlossaryError(f"{file}: {len(problems)} problem(s); nothing imported")
    target = _glossary_path(into)
    report = merge_into_tsv(target, [e for _, e in entries], replace=replace,
                            comment=f"imported from {Path(file).name} on {date.today().isoformat()}")
    if report.conflicts and not replace:
        for existing, new in report.conflicts:
            click.echo(f"conflict: {existing.source!r} is {existing.target!r} in {target}, "
                       f"{new.target!r} in {file}", err=True)
        raise GlossaryError(f"{len(report.conflicts)} conflict(s); nothing imported (use --replace to overwrite)")
    click.echo(f"{target}: {len(report.added)} added, {len(report.updated)} updated, "
               f"{len(report.unchanged)} unchanged")


@glossary.command("export")
@click.argument("path", required=False, type=_PATH)
@click.option("--format", "fmt", type=click.Choice(DEEPL_FORMATS), default="tsv", show_default=True,
              help="DeepL's TSV or CSV glossary format.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write here instead of stdout.")
def export_entries(path: Path | None, fmt: str, output) -> None:
    """Write the glossary in DeepL's TSV or CSV format (flags are dropped)."""
    loaded = Glossary.from_tsv(_glossary_path(path))
    output.write(dump_deepl(loaded, fmt))
    flagged = sum(1 for e in loaded if e.flags)
    if flagged:
        click.echo(f"note: {flagged} entries lost their flags (DeepL glossaries have none)", err=True)


#: The files ``glossary suggest`` reads inside a directory (recursively).
SUGGEST_SUFFIXES = (".txt", ".md", ".jsonl", ".html", ".htm")


def _articles_in(path: str) -> list[list[str]]:
    """The articles of one input, each as its texts: a JSON Lines file's records (title and body; an
    HTML body as its block texts), an HTML file (its blocks, and its title when no block holds it), else
    the file's text as one article."""
    text = read_input(path)
    if path.endswith(".jsonl"):
        articles = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GlossaryError(f"{path}:{number}: not JSON ({exc.msg})") from None
            if isinstance(record, dict):
                html = record.get("format") == "html"
                texts = []
                for key in ("title", "body"):
                    value = record.get(key)
                    if isinstance(value, str):
                        texts.extend(source_block_texts(value) if html and key == "body" else [value])
                articles.append(texts)
        return articles
    if path.lower().endswith((".html", ".htm")):
        article = read_html_article(text)
        if article is None:
            return []
        title, blocks = article[0], source_block_texts(article[1])
        return [blocks if title in blocks else [title, *blocks]]
    return [[text]]


def _suggest_inputs(paths: tuple[str, ...]) -> list[str]:
    """``paths`` with each directory replaced by the article files under it (:data:`SUGGEST_SUFFIXES`)."""
    inputs = []
    for path in paths:
        if path != "-" and Path(path).is_dir():
            found = sorted(str(p) for p in Path(path).rglob("*") if p.is_file()
                           and p.suffix.lower() in SUGGEST_SUFFIXES)
            if not found:
                raise GlossaryError(f"{path}: no article files ({', '.join(SUGGEST_SUFFIXES)}) in this directory")
            inputs.extend(found)
        else:
            inputs.append(path)
    return inputs


@glossary.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True))
@click.option("--glossary", "glossary_path", type=_PATH, help="Glossary file (default: the configured one).")
@click.option("--min-count", type=click.IntRange(min=1), default=1, show_default=True,
              help="Only names seen at least this often.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: [{name, count, articles}].")
def suggest(files: tuple[str, ...], glossary_path: Path | None, min_count: int, as_json: bool) -> None:
    """List the names in FILES that the glossary does not cover, most frequent first.

    FILES are text files (one article each), HTML files (their title and
    blocks), JSON Lines files of articles (their "title" and "body"), or
    directories holding such files (read recursively). A name is a run of capitalised words that is
    not an ordinary word starting a sentence; the count is its mentions, and
    ``articles`` how many articles mention it.
    """
    loaded = Glossary.from_tsv(_glossary_path(glossary_path))
    mentions: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    for path in _suggest_inputs(files):
        for texts in _articles_in(path):
            names = [" ".join(paragraph[s:e].split()) for text in texts for paragraph in split_paragraphs(text)
                     for s, e in loaded.unlisted(paragraph)]
            mentions.update(names)
            articles.update(set(names))
    ranked = sorted(((n, c) for n, c in mentions.items() if c >= min_count), key=lambda nc: (-nc[1], nc[0]))
    if as_json:
        click.echo(json.dumps([{"name": n, "count": c, "articles": articles[n]} for n, c in ranked],
                              ensure_ascii=False, indent=2))
        return
    for name, count in ranked:
        click.echo(f"{count}\t{articles[name]}\t{name}")
