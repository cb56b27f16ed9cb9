"""The offline demo behind ``make demo``: the service on a small model built on this machine.

No network is needed: the model is the test suite's tiny Marian model (a SentencePiece vocabulary and a
small random model, trained for a few seconds on generated sentences), built once into
``.demo/demo-model-not-a-real-translation`` and marked with :data:`~translator.engines.modelhub.DEMO_MARKER`, so the start-up log
and every page say "demo model: not a real translation". Its "French" is not French: the demo shows the
service (the button, the French pages, the API, the glossary report), not translation quality.

The demo's store is ``.demo/data`` with a few sample articles (text and HTML) stored before the service
starts; ``GET /demo`` shows the button under one of them. ``make run`` is unaffected.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

import click

from ..engines.modelhub import DEMO_MARKER
from ..store import open_store
from .models import copy_cached_marian_model

__all__ = ["SAMPLE_ARTICLES", "main", "prepare_demo"]

log = logging.getLogger("translator.demo")

#: (id, title, body, format) of the articles the demo stores before it starts.
SAMPLE_ARTICLES = (
    ("2026-cyclone-relief", "Cyclone relief reaches the south of Mauritius",
     "Relief teams reached Mahebourg on Monday, two days after the cyclone cut roads across the south.\n\n"
     "The Prime Minister said 1,200 families had received food parcels. Schools in Port Louis will reopen "
     "on Thursday.", "text"),
    ("2026-budget", "Budget: pensions rise by 3.5 percent",
     "<p>The Minister of Finance presented the <strong>2026 budget</strong> in the National Assembly on "
     "Friday.</p>\n<p>Basic pensions rise by 3.5 percent from July, and the <a href=\"https://example.org/"
     "budget\">full speech</a> is online.</p>", "html"),
    ("2026-port", "Port Louis harbour extends its opening hours",
     "The Mauritius Ports Authority will keep the container terminal open at night from next month.", "text"),
)


def prepare_demo(root: Path) -> Path:
    """Build (once) the demo model in ``root/model`` and store the sample articles in ``root/data``;
    return the model directory."""
    model_dir = root / "demo-model-not-a-real-translation"
    if not (model_dir / DEMO_MARKER).is_file():
        shutil.rmtree(model_dir, ignore_errors=True)
        log.info("building the demo model in %s (a few seconds, once)", model_dir)
        copy_cached_marian_model(model_dir, train_steps=300)
        (model_dir / DEMO_MARKER).write_text(
            "This is the offline demo's model, built by `make demo`: a tiny random model trained for a few "
            "seconds on generated sentences. Its output is not French. Use Helsinki-NLP/opus-mt-en-fr for "
            "real translations.\n", encoding="utf-8")
    store = open_store(f"sqlite:///{(root / 'data' / 'translator.sqlite3').resolve()}")
    try:
        for article_id, title, body, format in SAMPLE_ARTICLES:
            store.put_article(article_id, title=title, body=body, format=format)
    finally:
        store.close()
    return model_dir


@click.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to serve on.")
@click.option("--dir", "root", default=".demo", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Where the demo model and store are kept.")
def main(port: int, root: Path) -> None:
    """Build the demo model and start the service on it (``make demo``)."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    root = root.resolve()
    model_dir = prepare_demo(root)
    env = dict(os.environ, TRANSLATOR_MODEL=str(model_dir), TRANSLATOR_DATA_DIR=str(root / "data"),
               TRANSLATOR_STORE="", TRANSLATOR_BROKER="", TRANSLATOR_DEMO="on", HF_HUB_OFFLINE="1")
    log.info("serving the demo on http://127.0.0.1:%d/demo (demo model: not a real translation)", port)
    os.execve(sys.executable, [sys.executable, "-m", "translator", "serve", "--port", str(port)], env)


if __name__ == "__main__":
    main()
