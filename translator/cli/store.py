"""``translator store``: the store's schema (PostgreSQL's versioned migrations) and moving between stores."""

from __future__ import annotations

import sys

import click

from ..config import Settings, url_kind
from ..errors import StoreError
from ..store import Store, open_store, redact_url
from ..store.copy import copy_store, work_to_copy
from ..store.postgresql import PostgreSQLStore

__all__ = ["store"]


@click.group()
def store() -> None:
    """Manage the store TRANSLATOR_STORE names, or copy one store into another."""


@store.command("migrate")
def migrate() -> None:
    """Create or upgrade the PostgreSQL store's schema to this version's (safe to run again, and from
    several machines at once). SQLite and Redis stores upgrade themselves when opened."""
    settings = Settings.from_env()
    if settings.store_kind != "postgresql":
        raise StoreError(f"translator store migrate is for a PostgreSQL store; TRANSLATOR_STORE is a "
                         f"{settings.store_kind} store, which upgrades itself when opened")
    applied, description = _migrate(settings.store, settings.store_timeout)
    if applied:
        click.echo(f"{description}: applied schema migration(s) {', '.join(map(str, applied))}")
    else:
        click.echo(f"{description}: schema already up to date")


@store.command("copy")
@click.argument("from_url")
@click.argument("to_url")
def copy(from_url: str, to_url: str) -> None:
    """Copy everything the store FROM_URL holds into the store TO_URL (sqlite:///..., redis://...,
    postgresql://...): memory, article versions, translations of every configured pair, publication
    state, human memory, glossary edits. Run it again to resume; the counts are compared at the end.
    A PostgreSQL target is migrated first."""
    from tqdm import tqdm

    settings = Settings.from_env()
    if url_kind(to_url) == "postgresql":
        _migrate(to_url, settings.store_timeout)
    source = _open(from_url, settings)
    try:
        target = _open(to_url, settings)
        try:
            pairs = list(settings.pairs)
            with tqdm(total=work_to_copy(source, pairs), unit="item", file=sys.stderr, disable=None,
                      desc="copy") as bar:
                copied = copy_store(source, target, langs=[pair.partition("-")[2] for pair in pairs], pairs=pairs,
                                    progress=bar.update)
        finally:
            target.close()
    finally:
        source.close()
    figures = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in copied.figures().items())
    click.echo(f"copied {figures} from {redact_url(from_url)} to {redact_url(to_url)}; the counts match")


def _open(url: str, settings: Settings) -> Store:
    # Every kept version is copied: the target must not prune what the source keeps.
    return open_store(url, keep_versions=max(settings.keep_versions, 10_000), timeout=settings.store_timeout)


def _migrate(url: str, timeout: float) -> tuple[list[int], str]:
    opened = PostgreSQLStore.from_url(url, timeout=timeout, check=False)
    try:
        return opened.migrate(), opened.description
    finally:
        opened.close()
