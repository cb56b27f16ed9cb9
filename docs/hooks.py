"""MkDocs hooks: pages generated from the code's single sources, so the docs cannot drift from it.

* ``{{ settings_reference }}`` (configuration page): every ``TRANSLATOR_*`` setting with its default and
  meaning, from :func:`translator.config.settings_reference`;
* ``{{ api_reference }}`` (HTTP API page): every operation of ``translator/web/openapi.yaml``, with its
  summary, parameters and answers.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from translator.config import settings_reference

SPEC = Path(__file__).resolve().parent.parent / "translator" / "web" / "openapi.yaml"
METHODS = ("get", "put", "post", "patch", "delete")


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def settings_table() -> str:
    """The configuration reference as a Markdown table."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    rows += [f"| `{row.variable}` | {_cell(row.default)} | {_cell(row.meaning)} |" for row in settings_reference()]
    return "\n".join(rows)


def _schema_name(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    return schema.get("type", "object")


def _resolve(spec: dict, node: dict) -> dict:
    """``node``, or what its local ``$ref`` (``#/components/...``) points at."""
    while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/"):
        target = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


def api_reference() -> str:
    """Every operation of the OpenAPI spec: a section each, with parameters, body and answers."""
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    out = [f"The service's OpenAPI {spec['openapi']} spec, `{spec['info']['title']}` version "
           f"{spec['info']['version']}, rendered operation by operation. A running service serves the same "
           "spec at `/openapi.yaml` and an interactive explorer at `/docs`.", ""]
    for path, item in spec["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            out += [f"### `{method.upper()} {path}`", ""]
            if operation.get("summary"):
                out += [_cell(operation["summary"]), ""]
            if operation.get("description"):
                out += [operation["description"].strip(), ""]
            parameters = [_resolve(spec, p) for p in item.get("parameters", []) + operation.get("parameters", [])]
            if parameters:
                out += ["| parameter | in | required | meaning |", "|---|---|---|---|"]
                out += [f"| `{p['name']}` | {p['in']} | {'yes' if p.get('required') else 'no'} | "
                        f"{_cell(p.get('description', ''))} |" for p in parameters]
                out.append("")
            body = _resolve(spec, operation.get("requestBody", {})).get("content", {})
            for media, content in body.items():
                out += [f"Body: `{media}`, schema `{_schema_name(content.get('schema', {}))}`.", ""]
            answers = operation.get("responses", {})
            if answers:
                out += ["| status | meaning |", "|---|---|"]
                out += [f"| {status} | {_cell(_resolve(spec, answer).get('description', ''))} |"
                        for status, answer in answers.items()]
                out.append("")
    return "\n".join(out)


_GENERATED = {"{{ settings_reference }}": settings_table, "{{ api_reference }}": api_reference}


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Fill in the generated parts of a page."""
    for marker, render in _GENERATED.items():
        if marker in markdown:
            markdown = markdown.replace(marker, render())
    return markdown
