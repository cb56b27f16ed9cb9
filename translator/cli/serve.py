"""``translator serve``: the HTTP service on waitress, a production WSGI server."""

from __future__ import annotations

import logging
import signal
import sys

import click

from ..config import Settings
from ..errors import ConfigError

__all__ = ["BODY_SLACK", "serve", "server_limits"]

log = logging.getLogger("translator.serve")


#: Bytes past the app's body limit that waitress still reads, so that a body just over the limit
#: is answered by the app's JSON 413 rather than waitress' plain-text one.
BODY_SLACK = 1024 * 1024


def server_limits(settings: Settings) -> dict:
    """The waitress options that bound what one client can make the server hold.

    * ``max_request_body_size``: the app's own body limit (derived from
      ``TRANSLATOR_MAX_CHARS``) plus :data:`BODY_SLACK`, so a larger
      ``Content-Length`` is refused by waitress before the body is read
      (its default is 1 GiB); a body just over the app's limit still gets
      the app's JSON 413;
    * ``connection_limit`` (``TRANSLATOR_SERVER_CONNECTIONS``): open connections
      accepted, idle ones included (waitress' default, 100, lets a hundred
      half-open connections lock everyone out);
    * ``channel_timeout`` (``TRANSLATOR_SERVER_CHANNEL_TIMEOUT``): seconds a
      connection may stay silent before it is closed (default 120 s), checked
      every ``cleanup_interval`` seconds;
    * ``asyncore_use_poll``: ``poll()`` rather than ``select()``, which cannot
      watch more than 1,024 descriptors.
    """
    from ..web.validation import max_body_bytes

    return {
        "max_request_body_size": max_body_bytes(settings) + BODY_SLACK,
        "connection_limit": settings.server_connections,
        "channel_timeout": settings.server_channel_timeout,
        "cleanup_interval": max(1.0, min(10.0, settings.server_channel_timeout / 3)),
        "asyncore_use_poll": True,
    }


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
    limits = server_limits(settings)
    server = waitress.create_server(app, host=host, port=port, threads=threads, ident="translator", **limits)
    signal.signal(signal.SIGTERM, _stop)
    log.info("serving on http://%s:%s with %d threads", server.effective_host, server.effective_port, threads)
    log.info("limits: bodies up to %d bytes, %d connections, %g s idle timeout", limits["max_request_body_size"],
             limits["connection_limit"], limits["channel_timeout"])
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        log.info("shutting down")
        server.close()
        services.close()
    sys.exit(0)
