"""``translator model``: fetch a model for offline use, convert it for CTranslate2."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import Settings
from ..engines.modelhub import fetch_model

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


@model.command("convert")
@click.argument("name", required=False)
@click.option("--compute-type", default=None,
              help="Weight type (default: TRANSLATOR_COMPUTE_TYPE, else int8; int8_float16 with "
                   "TRANSLATOR_DEVICE=cuda): int8, int8_float32, int8_float16, int16, float32, ...")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Write the converted model here (default: the cache the ctranslate2 backend looks in).")
def convert(name: str | None, compute_type: str | None, out_dir: str | None) -> None:
    """Convert model NAME (default: TRANSLATOR_MODEL) for the ctranslate2 backend.

    Without --out the result goes where TRANSLATOR_BACKEND=ctranslate2 finds it
    by itself (next to a local model, else under TRANSLATOR_DATA_DIR); with
    --out, point TRANSLATOR_MODEL at that directory. Prints the directory.
    """
    from ..engines.ct2_conversion import convert_model, ensure_converted, import_ctranslate2
    from ..engines.modelhub import resolve_model

    from ..engines.ctranslate2 import DEFAULT_COMPUTE_TYPES

    import_ctranslate2()  # fail with the install hint before any other work
    given = {"model": name, "compute_type": compute_type}
    settings = Settings.from_env(**{key: value for key, value in given.items() if value is not None})
    # Unset: the CPU's default (int8) unless the service is told to run on the GPU (int8_float16).
    compute_type = settings.compute_type or DEFAULT_COMPUTE_TYPES["cuda" if settings.device == "cuda" else "cpu"]
    if out_dir:
        converted = convert_model(settings.model, resolve_model(settings.model), Path(out_dir),
                                  compute_type=compute_type)
    else:
        converted = ensure_converted(settings.model, compute_type, settings.data_dir)
    click.echo(str(converted.path))
