"""``translator memory``: exchange the human translation memory with CAT tools as TMX 1.4."""

from __future__ import annotations

import click

from ..config import Settings
from ..service.runtime import open_settings_store
from ..editorial.human_memory import HumanEntry
from ..editorial.tmx import MachineSegment, iter_tmx, write_tmx
from ..pipeline.status import SegmentStatus

__all__ = ["memory"]


@click.group()
def memory() -> None:
    """Export or import the editors' translation memory (the store TRANSLATOR_STORE names)."""


@memory.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.option("--format", "file_format", type=click.Choice(["tmx"]), default="tmx", show_default=True,
              help="The file format (TMX 1.4).")
@click.option("--lang", default=None, help="Only entries into this language (default: all).")
@click.option("--machine", "with_machine", is_flag=True,
              help="Also export the machine translations of each article's latest version into --lang "
                   "(default fr), marked x-origin=machine.")
def export(file: str, file_format: str, lang: str | None, with_machine: bool) -> None:
    """Write the human entries (corrections and approvals) to FILE."""
    store = open_settings_store(Settings.from_env())
    try:
        human = store.human_entries(lang)
        machine = list(_machine_segments(store, lang)) if with_machine else []
    finally:
        store.close()
    count = write_tmx(file, human, machine)
    click.echo(f"wrote {count} translation units to {file} ({len(human)} human, {len(machine)} machine)")


@memory.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_(file: str) -> None:
    """Read FILE (TMX 1.4) into the human memory; entries for the same source are replaced.

    Units marked x-origin=machine are not imported: a machine translation only becomes a
    human entry when an editor approves it.
    """
    settings = Settings.from_env()
    counts = {"human": 0, "machine": 0}

    def human_entries():
        for item in iter_tmx(file, max_bytes=settings.tmx_max_mb * 1024 * 1024):
            if isinstance(item, HumanEntry):
                counts["human"] += 1
                yield item
            else:
                counts["machine"] += 1

    store = open_settings_store(settings)
    try:
        # Streamed into one transaction: a bad unit late in the file, or a killed import, stores nothing.
        store.put_human_entries(human_entries())
    finally:
        store.close()
    click.echo(f"imported {counts['human']} human entries from {file}"
               + (f" ({counts['machine']} machine units skipped)" if counts["machine"] else ""))


def _machine_segments(store, lang: str | None):
    """Source -> machine target of the latest version of every article, once per source."""
    seen: set[tuple[str, str]] = set()
    for language in [lang or "fr"]:
        articles: set[str] = set()
        for translation in store.recent_translations(language):
            latest = store.get_article(translation.id)
            if translation.id in articles or latest is None or latest.version != translation.version:
                continue
            articles.add(translation.id)
            for unit in translation.units:
                machine = unit.machine
                if machine is not None and machine.status in (SegmentStatus.TRANSLATED, SegmentStatus.MEMORY) \
                        and (language, unit.source) not in seen:
                    seen.add((language, unit.source))
                    yield MachineSegment(language, unit.source, machine.target, translation.translated_at)
