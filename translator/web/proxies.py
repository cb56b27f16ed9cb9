"""``TRANSLATOR_TRUSTED_PROXIES``: how many reverse proxies stand in front of the service.

Only then is ``X-Forwarded-For`` (and ``-Proto``, ``-Host``) believed, through
werkzeug's :class:`~werkzeug.middleware.proxy_fix.ProxyFix`, taking the
client address that many hops from the right (under ``translator serve``,
waitress does this itself: see :func:`translator.cli.serve.proxy_options`). With the default 0 the
header is ignored: any client could otherwise forge it to dodge the rate
limit or to put another address in the access log.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

__all__ = ["init_proxy_fix"]


def init_proxy_fix(app: Flask, trusted_proxies: int) -> None:
    """Trust ``trusted_proxies`` hops of ``X-Forwarded-*`` headers (none when 0), unless the server already
    resolved them (``SERVER_RESOLVES_PROXIES``: ``translator serve`` has waitress do it, which drops the
    headers of untrusted peers before the app sees them)."""
    if trusted_proxies > 0 and not app.config.get("SERVER_RESOLVES_PROXIES"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted_proxies, x_proto=trusted_proxies,
                                x_host=trusted_proxies)
