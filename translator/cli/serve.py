"""``translator serve``: the HTTP service on waitress, a production WSGI server."""

from __future__ import annotations

import logging
import signal
import sys

import click

from ..config import Settings
from ..errors import ConfigError

__all__ = ["serve"]

log = logging.getLogger("translator.serve")


def _stop(signum, frame) -> None:  # SIGTERM (docker stop, systemd): leave like Ctrl-C
    raise SystemExit(0)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port, logged at start-up).")
@click.option("--threads", default=32, show_default=True, type=click.IntRange(1, 1024),
              help="Request threads; concurrent requests beyond them wait for a thread.")
def serve(host: str, port: int, threads: int) -> None:
    """Serve the translation API over HTTP.

    Configuration comes from TRANSLATOR_* environment variables. The store
    and the glossary are opened first, then the en-fr model is loaded, all
    before the port opens: an unusable store, a malformed glossary or a
    missing model is an error here, not a failing request later.
    """
    import waitress

    from ..web import build_services, create_app
    from ..web.demo import store_demo_article

    settings = Settings.from_env()
    level = logging.getLevelName(settings.log_level.upper())
    if not isinstance(level, int):
        raise ConfigError(f"TRANSLATOR_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {settings.log_level!r}")
    root = logging.getLogger()
    root.setLevel(min(root.level, level))  # -v/-vv on the command line may ask for more
    services = build_services(settings)
    used = services.describe()
    log.info("starting: model %s, backend %s, device %s, store %s, glossary %s", used["model"],
             used["backend"], used["device"], used["store"], used["glossary"])
    if len(services.pairs) > 1:
        log.info("language pairs: %s", used["pairs"])
    services.warm_up()
    if settings.demo:  # GET /demo: its French is usually stored before the first click
        store_demo_article(services.articles())
    app = create_app(services=services)
    server = waitress.create_server(app, host=host, port=port, threads=threads, ident="translator")
    signal.signal(signal.SIGTERM, _stop)
    log.info("serving on http://%s:%s with %d threads", server.effective_host, server.effective_port, threads)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        log.info("shutting down")
        server.close()
        services.close()
    sys.exit(0)
