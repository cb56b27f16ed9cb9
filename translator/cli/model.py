"""``translator model``: fetch a model for offline use."""

from __future__ import annotations

import click

from ..config import Settings
from ..modelhub import fetch_model

__all__ = ["model"]


@click.group()
def model() -> None:
    """Manage translation models."""


@model.command("fetch")
@click.argument("name", required=False)
@click.option("--dir", "target_dir", type=click.Path(file_okay=False), help="Download into this directory.")
def fetch(name: str | None, target_dir: str | None) -> None:
    """Download model NAME (default: TRANSLATOR_MODEL) from the Hugging Face hub.

    Without --dir it goes into the Hugging Face cache, where the service finds
    it by id; with --dir, point TRANSLATOR_MODEL at that directory.
    """
    name = name or Settings.from_env().model
    path = fetch_model(name, target_dir)
    click.echo(str(path))
