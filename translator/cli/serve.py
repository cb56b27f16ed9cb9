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

__all__ = ["BODY_SLACK", "PROXY_HEADERS", "proxy_options", "serve", "server_limits"]

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


#: The proxy headers believed from a trusted proxy (never ``Forwarded`` with them: they cannot both be trusted).
PROXY_HEADERS = frozenset({"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"})


def proxy_options(settings: Settings) -> dict:
    """Waitress' proxy settings for ``TRANSLATOR_TRUSTED_PROXIES``.

    Waitress drops ``X-Forwarded-*`` headers from peers it does not trust before the app runs, so the
    app's own proxy handling alone would never see them. With N trusted proxies, waitress takes the client
    address N hops from the right of ``X-Forwarded-For`` and sets ``REMOTE_ADDR`` (the rate limits' and the
    access log's client). The peer itself is not checked (``trusted_proxy="*"``): bind the service where
    only the proxy reaches it (compose and the docs do).
    """
    if settings.trusted_proxies <= 0:
        return {}
    return {"trusted_proxy": "*", "trusted_proxy_count": settings.trusted_proxies,
            "trusted_proxy_headers": set(PROXY_HEADERS), "clear_untrusted_proxy_headers": True}


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

    settings = Settings.from_env(**({"model": model} if model else {}))  # None: TRANSLATOR_MODEL
    configure_logging(settings)
    sock = bind_port(host, port)  # first: a busy port fails before anything slow is imported or loaded
    import waitress

    from ..service.runtime import build_runtime
    from ..web import create_app
    from ..web.auth import key_name
    from ..service.demo import store_demo_article

    try:
        runtime = build_runtime(settings, serving=True)
    except BaseException:
        sock.close()
        raise
    limits = server_limits(settings)
    try:
        proxies = proxy_options(settings)
        app = create_app({"SERVER_RESOLVES_PROXIES": bool(proxies)}, runtime=runtime)
        server = waitress.create_server(app, sockets=[sock], threads=threads, ident="translator", **limits,
                                        **proxies)
    except BaseException:
        sock.close()
        runtime.close()
        raise
    used = runtime.describe()
    log.info("starting: model %s, backend %s, device %s, store %s, glossary %s", used["model"],
             used["backend"], used["device"], used["store"], used["glossary"])
    if len(runtime.pairs) > 1:
        log.info("language pairs: %s", used["pairs"])
    keys = [key_name(key) for key in settings.api_keys]  # names only: secrets never reach a log
    log.info("API keys: %s", f"{len(keys)} ({', '.join(keys)})" if keys else
             "none: article writes, corrections and glossary edits are open to every caller (set TRANSLATOR_API_KEYS)")
    log.info("CORS: %s", "origins " + ", ".join(settings.cors_origins) if settings.cors_origins
             else "off (no cross-origin reads; the button works on this service's own pages only)")
    if runtime.tasks is not None:
        log.info("task broker: %s (%s)", runtime.tasks.description,
                 "web engine on: articles go to the workers, POST /v1/translate is answered here"
                 if settings.web_engine else "web engine off: the workers translate everything")
    if runtime.demo_model:
        log.warning("demo model: not a real translation (%s was built by 'make demo'; set TRANSLATOR_MODEL "
                    "to Helsinki-NLP/opus-mt-en-fr for French)", settings.model)
    signal.signal(signal.SIGTERM, _stop)
    try:
        runtime.warm_up()
        for lang, count in runtime.resume_pending().items():
            if count:
                log.info("resumed %d article translation%s into %s accepted before a stop", count,
                         "" if count == 1 else "s", lang)
        if settings.demo:  # GET /demo: its French is usually stored before the first click
            store_demo_article(runtime.demo_articles())
        log.info("serving on http://%s:%s with %d threads", server.effective_host, server.effective_port, threads)
        log.info("limits: bodies up to %d bytes, %d connections, %g s idle timeout",
                 limits["max_request_body_size"], limits["connection_limit"], limits["channel_timeout"])
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        log.info("shutting down")
        server.close()
        runtime.close()
    sys.exit(0)
