"""``GET /openapi.json`` (the OpenAPI document) and ``GET /docs`` (a page rendering it).

The page is rendered on the server from the same document, with no script
and no external assets: it works offline and behind strict CSPs.
"""

from __future__ import annotations

import json

from flask import Blueprint, current_app, render_template

from .openapi import served_spec

__all__ = ["bp"]

bp = Blueprint("docs", __name__)

_METHOD_ORDER = ("get", "post", "put", "delete", "patch")


@bp.get("/openapi.json")
def openapi_json():
    """The OpenAPI 3.1 document of the endpoints this app serves."""
    return served_spec(current_app)


def _resolve(spec: dict, node: dict) -> dict:
    """Follow a local ``$ref`` (``#/components/...``)."""
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


@bp.get("/docs")
def docs():
    """Human-readable API documentation."""
    spec = served_spec(current_app)
    operations = []
    for path, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method in _METHOD_ORDER:
            if method not in item:
                continue
            op = item[method]
            body = _resolve(spec, op.get("requestBody", {}).get("content", {}).get("application/json", {})
                            .get("schema", {}))
            responses = []
            for status, response in op.get("responses", {}).items():
                response = _resolve(spec, response)
                content = response.get("content", {})
                media, schema = next(iter(content.items()), (None, {}))
                responses.append({"status": status, "description": response.get("description", ""),
                                  "schema": json.dumps(_resolve(spec, schema.get("schema", {})), indent=2)
                                  if media == "application/json" else ""})
            operations.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "auth": "security" in op,
                "parameters": [_resolve(spec, p) for p in shared + op.get("parameters", [])],
                "body": json.dumps(body, indent=2) if body else "",
                "responses": responses,
            })
    return render_template("docs.html", info=spec["info"], operations=operations,
                           schemas=spec.get("components", {}).get("schemas", {}),
                           dumps=lambda value: json.dumps(value, indent=2))
