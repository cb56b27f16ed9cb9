"""The OpenAPI description of the service: loaded once, served as the app really routes it.

``openapi.yaml`` is the single source of truth for the request schemas
(:mod:`translator.web.validation` validates bodies against it) and for the
documentation. The document served at ``/openapi.json`` keeps only the paths
and methods the running app routes, so it never describes an endpoint that
answers 404.
"""

from __future__ import annotations

import copy
import functools
import re
from pathlib import Path
from typing import Any

import yaml
from flask import Flask

__all__ = ["SPEC_FILE", "load_spec", "openapi_path", "served_spec"]

SPEC_FILE = Path(__file__).with_name("openapi.yaml")

_HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
_RULE_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@functools.cache
def load_spec() -> dict[str, Any]:
    """The full OpenAPI document from ``openapi.yaml`` (parsed once; do not mutate)."""
    with SPEC_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def openapi_path(rule: str) -> str:
    """A Flask URL rule in OpenAPI notation: ``/v1/a/<path:x>`` -> ``/v1/a/{x}``."""
    return _RULE_ARGUMENT.sub(r"{\1}", rule)


def served_spec(app: Flask) -> dict[str, Any]:
    """The OpenAPI document restricted to the paths and methods ``app`` routes."""
    routed: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        routed.setdefault(openapi_path(rule.rule), set()).update(m.lower() for m in rule.methods or ())
    spec = copy.deepcopy(load_spec())
    paths = {}
    for path, item in spec["paths"].items():
        methods = routed.get(path, set())
        kept = {key: value for key, value in item.items() if key not in _HTTP_METHODS or key in methods}
        if _HTTP_METHODS & kept.keys():
            paths[path] = kept
    spec["paths"] = paths
    runtime = app.extensions.get("translator")
    if runtime is not None:
        _list_served_languages(spec, runtime)
    return spec


def _list_served_languages(spec: dict[str, Any], runtime) -> None:
    """Make the language parameters enums of what this service really translates, so that the
    document never calls valid a language the service answers 400 for."""
    pairs = [pair.partition("-") for pair in runtime.pairs]
    sources = list(dict.fromkeys(source for source, _, _ in pairs))
    targets = list(dict.fromkeys(target for _, _, target in pairs))
    served = {"type": "string", "enum": runtime.article_languages()}
    translations = spec["paths"].get("/v1/articles/{article_id}/translations/{lang}")
    if translations is not None:
        for parameter in translations.get("parameters", []):
            if parameter.get("name") == "lang":
                parameter["schema"] = dict(served)
    if "Lang" in spec["components"].get("parameters", {}):  # the segments' path parameter
        spec["components"]["parameters"]["Lang"]["schema"] = dict(served)
    review = spec["paths"].get("/v1/review", {}).get("get", {})
    for parameter in review.get("parameters", []):
        if parameter.get("name") == "lang":
            parameter["schema"] = {**served, "default": "fr"}
    request = spec["components"]["schemas"]["TranslateRequest"]["properties"]
    request["source_lang"]["enum"] = sources
    request["target_lang"]["enum"] = targets
