"""``translator serve``: the HTTP service on waitress, a production WSGI server."""

from __future__ import annotations

import errno
import logging
import signal
import socket
import sys

import click

from ..config import Settings
from ..errors import ConfigError

__all__ = ["serve"]

log = logging.getLogger("translator.serve")


def _stop(signum, frame) -> None:  # SIGTERM (docker stop, systemd): leave like Ctrl-C
    raise SystemExit(0)


def bind_port(host: str, port: int) -> socket.socket:
    """Bind ``host:port`` now, before the store, the glossary or any model is touched, so a port in
    use or a bad host is one clear :class:`ConfigError` within a moment of starting."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError):
        raise ConfigError(f"cannot listen on {host}:{port}: {host!r} is not an address or host name of this "
                          "machine (try --host 127.0.0.1 or --host 0.0.0.0)") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as waitress does: restart at once
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(f"cannot listen on {host}:{port}: the port is already in use (another "
                              "'translator serve'?); stop it or choose another --port") from None
        if exc.errno == errno.EACCES:
            raise ConfigError(f"cannot listen on {host}:{port}: permission denied (ports below 1024 need "
                              "privileges); choose a --port above 1023") from None
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port, logged at start-up).")
@click.option("--threads", default=32, show_default=True, type=click.IntRange(1, 1024),
              help="Request threads; concurrent requests beyond them wait for a thread.")
@click.option("--model", default=None, help="Model id or local directory (default: TRANSLATOR_MODEL).")
def serve(host: str, port: int, threads: int, model: str | None) -> None:
    """Serve the translation API over HTTP.

    Configuration comes from TRANSLATOR_* environment variables. The store
    and the glossary are opened first and the port is bound, then the en-fr
    model is loaded, all before the first request is answered: an unusable
    store, a malformed glossary, a port in use or a missing model is one line
    on stderr and exit status 1 here, not a failing request later.
    """
    from ..logs import configure_logging

    settings = Settings.from_env(model=model)
    configure_logging(settings)
    sock = bind_port(host, port)  # first: a busy port fails before anything slow is imported or loaded
    import waitress

    from ..web import Services, create_app
    from ..web.demo import store_demo_article

    try:
        services = Services(settings)
    except BaseException:
        sock.close()
        raise
    try:
        app = create_app(services=services)
        server = waitress.create_server(app, sockets=[sock], threads=threads, ident="translator")
    except BaseException:
        sock.close()
        services.close()
        raise
    used = services.describe()
    log.info("starting: model %s, backend %s, store %s, glossary %s", used["model"], used["backend"],
             used["store"], used["glossary"])
    if len(services.pairs) > 1:
        log.info("language pairs: %s", used["pairs"])
    signal.signal(signal.SIGTERM, _stop)
    try:
        services.warm_up()
        if settings.demo:  # GET /demo: its French is usually stored before the first click
            store_demo_article(services.demo_articles())
        log.info("serving on http://%s:%s with %d threads", server.effective_host, server.effective_port, threads)
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        log.info("shutting down")
        server.close()
        services.close()
    sys.exit(0)
