"""``translator translate``: French for files or stdin, on stdout."""

from __future__ import annotations

import json

import click

from ..config import Settings
from ..errors import TranslatorError
from ..runtime import build_translator

__all__ = ["read_input", "translate"]


def read_input(path: str) -> str:
    """The UTF-8 text of ``path`` (``-`` is stdin); unreadable files are one clear error."""
    if path == "-":
        return click.get_text_stream("stdin").read()
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise TranslatorError(f"cannot read {path}: {reason}") from exc


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--model", "model_name", help="Model id or directory (overrides TRANSLATOR_MODEL).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON with segment counts and glossary report.")
def translate(files, model_name: str | None, as_json: bool) -> None:
    """Translate FILES (or stdin) from English to French.

    Paragraphs are blocks separated by blank lines; the output keeps them, in
    order, one blank line apart. Several files are printed one after another,
    separated by a blank line.
    """
    sources = [read_input(f) for f in files] if files else [click.get_text_stream("stdin").read()]
    if not any(s.strip() for s in sources) and not as_json:
        return  # empty input: empty output, no model load
    settings = Settings.from_env(model=model_name)
    translator = build_translator(settings)
    results = translator.translate_texts(sources)
    if as_json:
        click.echo(json.dumps([{
            "text": r.text, "paragraphs": r.paragraphs, "segments": r.counts, "glossary": r.glossary,
            "glossary_version": translator.glossary_version, "model": translator.engine.identity,
        } for r in results], ensure_ascii=False, indent=2))
        return
    click.echo("\n\n".join(r.text for r in results if r.text))
