"""``GET /openapi.json`` (the OpenAPI document) and ``GET /docs`` (Swagger UI reading it).

Swagger UI's own files come from the ``swagger-ui-py`` package and are
served by this app under ``/docs/assets/``: the page works offline, makes
no request to another host, and runs under the pages' strict CSP (its
start-up code is ``/static/docs.js``, not an inline script). "Try it out"
sends its requests to this same server, and the descriptions in
``openapi.yaml`` render as Markdown.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, redirect, render_template, send_from_directory, url_for

from .openapi import served_spec

__all__ = ["SWAGGER_UI_ASSETS", "bp", "swagger_ui_dir"]

bp = Blueprint("docs", __name__)

#: The files of the Swagger UI distribution the page uses (nothing else is served from it).
SWAGGER_UI_ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png",
                               "favicon-16x16.png"})


def swagger_ui_dir() -> Path:
    """The directory of Swagger UI's distribution files inside the ``swagger-ui-py`` package."""
    import swagger_ui

    return Path(swagger_ui.__file__).resolve().parent / "static"


@bp.get("/openapi.json")
def openapi_json():
    """The OpenAPI 3.1 document of the endpoints this app serves."""
    return served_spec(current_app)


@bp.get("/docs")
def docs():
    """Interactive API documentation (Swagger UI on ``/openapi.json``)."""
    spec = served_spec(current_app)
    return render_template("docs.html", info=spec["info"])


@bp.get("/docs/")
def docs_with_slash():
    """``/docs/`` is where people type it: a permanent redirect to ``/docs``."""
    return redirect(url_for(".docs"), 308)


@bp.get("/docs/assets/<name>")
def docs_asset(name: str):
    """One of Swagger UI's own files (cached by browsers: they change only with the package)."""
    if name not in SWAGGER_UI_ASSETS:
        abort(404)
    return send_from_directory(swagger_ui_dir(), name, max_age=86_400)
