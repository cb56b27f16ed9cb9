"""``translator cache``: look into and clean the store (translation memory, articles)."""

from __future__ import annotations

import json
import sys

import click

from ..config import Settings
from ..errors import TranslatorError
from ..service.runtime import open_settings_store

__all__ = ["cache"]


@click.group()
def cache() -> None:
    """Inspect or purge the store named by TRANSLATOR_STORE."""


@cache.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of aligned text.")
def stats(as_json: bool) -> None:
    """Memory entries, articles, versions, translations, size, and hit ratio.

    Hits and misses are counted by the process that looks segments up: the
    running service reports them on /metrics, so this command points there.
    """
    store = open_settings_store(Settings.from_env())
    try:
        figures = store.stats()
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    ratio = figures["hit_ratio"]
    _echo_table([
        ("store", figures["store"]),
        ("entries", figures["entries"]),
        ("articles", figures["articles"]),
        ("versions", figures["versions"]),
        ("translations", figures["translations"]),
        ("size", _human_size(figures["size_bytes"])),
        ("hit ratio", "see the service's /metrics (translator_memory_lookups_total by result)" if ratio is None
         else f"{ratio:.1%} ({figures['hits']} hits, {figures['misses']} misses)"),
    ])


@cache.command("purge")
@click.option("--article", "article_id", help="Only this article: all its versions and translations "
                                              "(with --older-than: its old translations and old versions).")
@click.option("--older-than", "older_than_days", type=click.FloatRange(min=0), metavar="DAYS",
              help="Only what was written more than DAYS ago; each article's latest version stays.")
@click.option("--yes", "-y", is_flag=True, help="Purge everything without asking (needed off a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of aligned text.")
def purge(article_id: str | None, older_than_days: float | None, yes: bool, as_json: bool) -> None:
    """Delete cached data; with no option, everything (live glossary edits are kept).

    Purging everything asks for confirmation on a terminal and needs --yes
    elsewhere (scripts, cron). An --article that is not in the store is an
    error (exit status 1), so a mistyped id is not taken for a done job.
    """
    store = open_settings_store(Settings.from_env())
    try:
        if article_id is None and older_than_days is None and not yes:
            if not sys.stdin.isatty():
                raise TranslatorError(f"'cache purge' without --article or --older-than deletes everything in "
                                      f"{store.description}; add --yes to confirm")
            if not click.confirm(f"Delete every memory entry, article, version and translation in "
                                 f"{store.description}?", default=False, err=True):
                raise TranslatorError("nothing purged")
        if article_id is not None and store.get_article(article_id) is None:
            raise TranslatorError(f"no article {article_id!r} in {store.description}; nothing purged")
        removed = store.purge(article_id=article_id, older_than_days=older_than_days)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps({"removed": removed}, indent=2))
        return
    _echo_table([(f"removed {name}", count) for name, count in removed.items()])


def _echo_table(rows: list[tuple[str, object]]) -> None:
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        click.echo(f"{name.ljust(width)}  {value}")


def _human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit} ({size} bytes)"
        value /= 1024
    raise AssertionError("unreachable")
