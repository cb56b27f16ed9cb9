"""``translator translate``: French for files or stdin, on stdout."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from ..config import Settings
from ..errors import GlossaryError, TranslatorError
from ..glossary import Glossary
from ..service.formats import FORMATS
from ..service.requests import TranslateRequest, translate_request
from ..service.runtime import build_runtime

__all__ = ["format_of_files", "problem_summary", "read_input", "translate"]


def read_input(path: str) -> str:
    """The UTF-8 text of ``path`` (``-`` is stdin); unreadable files are one clear error."""
    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise TranslatorError(f"cannot read {path}: {reason}") from exc


def problem_summary(results) -> str:
    """One line naming missed glossary terms and segments kept in English; "" when none."""
    missed = [m for r in results for m in r.glossary["missed"] if m.get("reason") != "segment not translated"]
    failed = sum(r.counts["failed"] for r in results)
    total = sum(r.counts["total"] for r in results)
    parts = []
    if missed:
        names = ", ".join(dict.fromkeys(m["source"] for m in missed))
        parts.append(f"{len(missed)} glossary term(s) missed ({names})")
    if failed:
        parts.append(f"{failed} of {total} segment(s) not translated (English kept)")
    return ("warning: " + "; ".join(parts)) if parts else ""


def format_of_files(paths: Sequence[str]) -> str:
    """``html`` when every file is named .html or .htm, else ``text`` (stdin is text)."""
    html = bool(paths) and all(Path(p).suffix.lower() in (".html", ".htm") for p in paths)
    return "html" if html else "text"


def _parse_term(term: str) -> tuple[str, str]:
    """``SOURCE=TARGET`` -> (source, target); split at the first '='."""
    source, sep, target = term.partition("=")
    if not sep:
        raise GlossaryError(f"--term {term!r}: expected SOURCE=TARGET")
    return source.strip(), target.strip()


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--model", "model_name", help="Model id or directory (overrides TRANSLATOR_MODEL).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON with segment counts and glossary report.")
@click.option("--glossary", "glossary_path", type=click.Path(dir_okay=False),
              help="Glossary TSV file (overrides TRANSLATOR_GLOSSARY).")
@click.option("--no-glossary", is_flag=True, help="Translate without the glossary.")
@click.option("--term", "terms", multiple=True, metavar="SOURCE=TARGET",
              help="An extra glossary entry for this run (repeatable; SOURCE=SOURCE keeps a name as is).")
@click.option("--no-repair", is_flag=True, help="The glossary only reports; it never changes the French.")
@click.option("--format", "source_format", type=click.Choice(FORMATS), default=None,
              help="text or html (default: html for .html/.htm files, else text).")
def translate(files, model_name: str | None, as_json: bool, glossary_path: str | None, no_glossary: bool,
              terms: tuple[str, ...], no_repair: bool, source_format: str | None) -> None:
    """Translate FILES (or stdin) from English to French.

    Text: paragraphs are blocks separated by blank lines; the output keeps
    them, in order, one blank line apart. HTML (``--format html``, or files
    named .html/.htm): the output is the French fragment, same elements,
    sanitised. Several files are printed one after another, separated by a
    blank line. When glossary terms were missed or segments kept their
    English, one summary line goes to stderr, and so does a warning for
    each input that looks like HTML but is read as text (the exit status
    does not change).
    """
    sources = [read_input(f) for f in files] if files else [sys.stdin.read()]
    source_format = source_format or format_of_files(files)
    if not any(s.strip() for s in sources) and not as_json:
        return  # empty input: empty output, no model load
    given: dict[str, object] = {}
    if model_name:
        given["model"] = model_name
    if glossary_path:
        given["glossary"] = Path(glossary_path)
    if no_glossary:
        given["glossary"] = None  # not even read: a broken file cannot stop this run
    settings = Settings.from_env(**given)
    extra = [_parse_term(t) for t in terms]
    Glossary.from_pairs(extra)  # checked before the model loads
    # The glossary file with the live edits made over HTTP, as the service uses it: one snapshot.
    request = TranslateRequest(texts=sources, format=source_format, glossary=not no_glossary,
                               glossary_entries=() if no_glossary else extra, repair=not no_repair)
    with build_runtime(settings) as runtime:
        translated = translate_request(runtime, request)
    results = translated.results
    # As POST /v1/translate says it: HTML read as text (--format text, or a file not named .html) is no
    # silent mistake.
    names = list(files) or ["-"]
    for name, warnings in zip(names, translated.warnings):
        for warning in warnings:
            click.echo(f"warning: {'stdin' if name == '-' else name}: {warning}", err=True)
    summary = problem_summary(results)
    if summary:
        click.echo(summary, err=True)
    if as_json:
        items = []
        for index, r in enumerate(results):
            item = {"text": r.text, "paragraphs": r.paragraphs, "segments": r.counts, "status": r.status,
                    "glossary": r.glossary, "glossary_version": translated.glossary_version,
                    "model": translated.model}
            if index < len(translated.warnings) and translated.warnings[index]:
                item["warnings"] = list(translated.warnings[index])
            items.append(item)
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    click.echo("\n\n".join(r.text for r in results if r.text))
