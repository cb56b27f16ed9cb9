"""A real HTTP server for a WSGI app, in a background thread, on a free 127.0.0.1 port; and the news
site that the browser tests publish their article pages on."""

from __future__ import annotations

import threading

from flask import Flask, Response, request
from werkzeug.serving import WSGIRequestHandler, make_server

__all__ = ["NewsSite", "WsgiThreadServer"]


class _QuietHandler(WSGIRequestHandler):
    # HTTP/1.0 closes every connection after its response, so once stop() returns the port refuses
    # connections: no browser keep-alive connection outlives the server.
    protocol_version = "HTTP/1.0"

    def log_request(self, *args, **kwargs) -> None:  # tests assert on requests, not on access logs
        pass


class WsgiThreadServer:
    """Serve ``app`` with werkzeug's threaded server until :meth:`stop` (also a context manager)."""

    def __init__(self, app, host: str = "127.0.0.1"):
        self._server = make_server(host, 0, app, threaded=True, request_handler=_QuietHandler)
        self.host = host
        self.port = self._server.server_port
        self.url = f"http://{host}:{self.port}"
        # serve_forever notices shutdown() only between polls: its default half second would be paid at
        # every stop, twice per browser test.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name=f"wsgi-{self.port}", daemon=True)
        self._thread.start()
        self.running = True

    def stop(self) -> None:
        """Stop accepting connections and close the listening socket (idempotent)."""
        if self.running:
            self.running = False
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=10)

    def __enter__(self) -> WsgiThreadServer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


class NewsSite:
    """The site embedding the widget (its own origin): serves the article pages a test publishes."""

    def __init__(self):
        self.pages: dict[str, str] = {}
        self.paths: list[str] = []  # every path requested from the site
        app = Flask(__name__)
        app.add_url_rule("/<path:name>", "page", self._page)
        self.server = WsgiThreadServer(app)
        self.url = self.server.url

    def publish(self, name: str, page: str) -> str:
        """Serve ``page`` (HTML) at ``/name``; returns its URL."""
        self.pages[name] = page
        return f"{self.url}/{name}"

    def _page(self, name: str):
        self.paths.append(request.path)
        if name not in self.pages:
            return Response("not found", 404)
        return Response(self.pages[name], content_type="text/html; charset=utf-8")
