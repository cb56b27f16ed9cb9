"""The ``translator`` command line: one sub-command module per task.

Expected failures (:class:`TranslatorError`) end with one line on stderr and
exit status 1; nothing else prints a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import logging
import sys

import click

from ..errors import TranslatorError
from .batch import batch
from .cache import cache
from .glossary import glossary
from .memory import memory
from .model import model
from .serve import serve
from .store import store
from .translate import translate
from .worker import worker

__all__ = ["main"]


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TranslatorError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=_Group)
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def main(ctx: click.Context, verbose: int, debug: bool) -> None:
    """English-to-French news translation with MarianMT."""
    ctx.ensure_object(dict)["debug"] = debug
    level = logging.DEBUG if verbose > 1 or debug else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)


main.add_command(translate)
main.add_command(model)
main.add_command(serve)
main.add_command(glossary)
main.add_command(cache)
main.add_command(batch)
main.add_command(memory)
main.add_command(worker)
main.add_command(store)
