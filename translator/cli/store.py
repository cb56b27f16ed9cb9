"""``translator store``: the store's schema (PostgreSQL's versioned migrations)."""

from __future__ import annotations

import click

from ..config import Settings
from ..errors import StoreError
from ..store.postgresql import PostgreSQLStore

__all__ = ["store"]


@click.group()
def store() -> None:
    """Manage the store TRANSLATOR_STORE names."""


@store.command("migrate")
def migrate() -> None:
    """Create or upgrade the PostgreSQL store's schema to this version's (safe to run again, and from
    several machines at once). SQLite and Redis stores upgrade themselves when opened."""
    settings = Settings.from_env()
    if settings.store_kind != "postgresql":
        raise StoreError(f"translator store migrate is for a PostgreSQL store; TRANSLATOR_STORE is a "
                         f"{settings.store_kind} store, which upgrades itself when opened")
    opened = PostgreSQLStore.from_url(settings.store, timeout=settings.store_timeout, check=False)
    try:
        applied = opened.migrate()
    finally:
        opened.close()
    if applied:
        click.echo(f"{opened.description}: applied schema migration(s) {', '.join(map(str, applied))}")
    else:
        click.echo(f"{opened.description}: schema already up to date")
