"""Reading batch inputs: JSON Lines files (or stdin) and directories of text files.

Every input becomes a list of items in input order: an :class:`ArticleItem`
(a valid article) or a :class:`BadItem` (a line or file that cannot be used,
with the reason). Nothing here touches the store or the model.

JSON Lines: one object per line, ``{"id": str, "title": str, "body": str,
"format": "text"}``; ``format`` (``"text"`` or ``"html"``) may be left out, ``url`` (string or null) is
stored as the article's URL, every other field is carried through to the
output untouched. Lines holding only whitespace are skipped. Line numbers
count every physical line, from 1.

Text directories: every ``*.txt`` and ``*.md`` file below the directory
(hidden files and directories left out), in path order. The id is the path
relative to the directory (``/``-separated), the first non-blank line is the
title (for ``.md`` without its leading ``#`` marks), the rest is the body.
``*.html`` and ``*.htm`` files are HTML articles: the first ``<h1>`` (else
``<title>``) is the title, the document's body is the body.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Union

from ..errors import TranslatorError
from ..editorial.ids import id_problem
from ..text.control import describe_control_character, find_control_character
from ..service.formats import FORMATS

__all__ = ["ArticleItem", "BadItem", "BatchInput", "Item", "JsonLinesInput", "TextDirectoryInput", "TextLayout",
           "open_input", "parse_article_line", "parse_text_file"]

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
_MARKDOWN_HEADING = re.compile(r"#{1,6}[ \t]+")


@dataclass(frozen=True)
class TextLayout:
    """What surrounds a text file's title and body, so the French file keeps the same shape."""

    leading: str = ""      # blank lines before the title line
    heading: str = ""      # what precedes the title on its line: indentation, Markdown marks ("# ")
    separator: str = "\n"  # from the end of the title to the start of the body
    trailing: str = ""     # whitespace after the body


@dataclass(frozen=True)
class ArticleItem:
    """One valid article of an input."""

    position: int                   # index among the input's items
    id: str
    title: str
    body: str
    format: str = "text"
    url: str | None = None
    line: int | None = None         # JSON Lines: the line number
    fields: dict | None = None      # JSON Lines: the object as read, carried through
    path: str | None = None         # text files: the path relative to the directory
    layout: TextLayout | None = None

    def same_content(self, other: "ArticleItem") -> bool:
        """Whether storing ``other`` would give the same article version as storing this."""
        return (self.title, self.body, self.format, self.url) == (other.title, other.body, other.format, other.url)


@dataclass(frozen=True)
class BadItem:
    """A line or file that is not a usable article, and why."""

    position: int
    error: str
    line: int | None = None
    path: str | None = None
    id: str | None = None           # when the line had a usable id


Item = Union[ArticleItem, BadItem]


# -- JSON Lines --------------------------------------------------------------------------------------

def _json_type(value: object) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null",
            int: "number", float: "number"}.get(type(value), type(value).__name__)


def parse_article_line(raw: bytes, line: int, position: int) -> Item | None:
    """One JSON Lines line as an item; ``None`` for a blank line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return BadItem(position, f"not UTF-8 (byte {exc.start + 1})", line=line)
    if not text.strip():
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return BadItem(position, f"invalid JSON: {exc.msg} (column {exc.colno})", line=line)
    if not isinstance(data, dict):
        return BadItem(position, f"expected a JSON object, got {_json_type(data)}", line=line)
    article_id = data.get("id")
    if not isinstance(article_id, str) or not article_id:
        shown = "missing" if "id" not in data else f"got {_json_type(article_id)}" if not isinstance(
            article_id, str) else "got an empty string"
        return BadItem(position, f"'id' must be a non-empty string ({shown})", line=line)
    problem = id_problem(article_id)
    if problem is not None:
        return BadItem(position, problem, line=line)
    problems = [f"'{name}' must be a string ({'missing' if name not in data else 'got ' + _json_type(data[name])})"
                for name in ("title", "body") if not isinstance(data.get(name), str)]
    problems += [f"'{name}': {describe_control_character(data[name], offset)}" for name in ("title", "body")
                 if isinstance(data.get(name), str) and (offset := find_control_character(data[name])) is not None]
    if "format" in data and data["format"] not in FORMATS:
        problems.append(f"'format' must be \"text\" or \"html\" (got {json.dumps(data['format'], ensure_ascii=False)})")
    if data.get("url") is not None and not isinstance(data["url"], str):
        problems.append(f"'url' must be a string or null (got {_json_type(data['url'])})")
    if problems:
        return BadItem(position, "; ".join(problems), line=line, id=article_id)
    return ArticleItem(position, article_id, data["title"], data["body"], format=data.get("format", "text"),
                       url=data.get("url"), line=line, fields=data)


def _read_lines(stream: BinaryIO) -> list[Item]:
    items: list[Item] = []
    for number, raw in enumerate(stream.read().split(b"\n"), start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # a UTF-8 byte order mark
        item = parse_article_line(raw.rstrip(b"\r"), number, len(items))
        if item is not None:
            items.append(item)
    return items


@dataclass
class JsonLinesInput:
    """A JSON Lines file (``path``) or stdin (``path`` None); its output is ``NAME.fr.jsonl``."""

    label: str
    output_name: str
    items: list[Item] = field(default_factory=list)
    path: Path | None = None

    @classmethod
    def from_path(cls, path: Path) -> "JsonLinesInput":
        """Read and parse the whole file (:class:`TranslatorError` when it cannot be read)."""
        try:
            with path.open("rb") as stream:
                items = _read_lines(stream)
        except OSError as exc:
            raise TranslatorError(f"cannot read {path}: {exc.strerror or exc}") from exc
        stem = path.name[:-len(".jsonl")] if path.name.endswith(".jsonl") else path.stem
        return cls(str(path), f"{stem}.fr.jsonl", items, path)

    @classmethod
    def from_stream(cls, stream: BinaryIO, label: str = "<stdin>", output_name: str = "stdin.fr.jsonl"
                    ) -> "JsonLinesInput":
        """Read and parse a whole stream (stdin)."""
        return cls(label, output_name, _read_lines(stream))

    def location(self, item: Item) -> str:
        """``LABEL:LINE`` for messages."""
        return f"{self.label}:{item.line}"


# -- text directories --------------------------------------------------------------------------------

def parse_html_file(text: str, relative: str, position: int) -> Item:
    """An HTML file as an article: the first ``<h1>`` (else ``<title>``) is the title, the body the body."""
    from ..html.documents import read_html_article

    found = read_html_article(text.removeprefix("\ufeff")) if text.strip() else None
    if found is None:
        return BadItem(position, "no <h1> or <title> to use as the title", path=relative, id=relative)
    title, body = found
    return ArticleItem(position, relative, title, body, format="html", path=relative)


def parse_text_file(text: str, relative: str, position: int) -> Item:
    """A text or Markdown file as an article: first non-blank line = title, the rest = body."""
    problem = id_problem(relative)
    if problem is not None:
        return BadItem(position, problem, path=relative)
    offset = find_control_character(text)
    if offset is not None:
        return BadItem(position, describe_control_character(text, offset), path=relative, id=relative)
    if relative.endswith(HTML_SUFFIXES):
        return parse_html_file(text, relative, position)
    text = text.removeprefix("\ufeff")
    stripped = text.lstrip()
    if not stripped:
        return BadItem(position, "empty file (no title line)", path=relative, id=relative)
    leading = text[:len(text) - len(stripped)]
    leading = leading[:leading.rfind("\n") + 1]  # whole blank lines only; indentation stays with the title
    title_line, newline, after = text[len(leading):].partition("\n")
    title = title_line.strip()
    heading = title_line[:len(title_line) - len(title_line.lstrip())]
    title_end = title_line[len(title_line.rstrip()):]
    marks = _MARKDOWN_HEADING.match(title) if relative.endswith(".md") else None
    if marks:
        heading += marks.group()
        title = title[marks.end():]
    body = after.strip()
    if body:
        start = len(after) - len(after.lstrip())
        separator, trailing = title_end + newline + after[:start], after[start + len(body):]
    else:
        separator, trailing = "", title_end + newline + after
    return ArticleItem(position, relative, title, body, path=relative,
                       layout=TextLayout(leading, heading, separator, trailing))


@dataclass
class TextDirectoryInput:
    """A directory of ``.txt`` / ``.md`` / ``.html`` articles; each output is ``DIR/<same relative path>``."""

    label: str
    root: Path
    items: list[Item] = field(default_factory=list)

    @classmethod
    def from_path(cls, root: Path) -> "TextDirectoryInput":
        """Find and read every text file below ``root``; an unreadable file is a :class:`BadItem`."""
        real_root = root.resolve()
        # Symbolic links are followed only within the input directory: never out of it.
        files = sorted(p for p in root.rglob("*")
                       if p.suffix in TEXT_SUFFIXES + HTML_SUFFIXES and p.is_file()
                       and not any(part.startswith(".") for part in p.relative_to(root).parts)
                       and p.resolve().is_relative_to(real_root))
        items: list[Item] = []
        for file in files:
            relative = file.relative_to(root).as_posix()
            try:
                text = file.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                items.append(BadItem(len(items), f"not UTF-8 (byte {exc.start + 1})", path=relative, id=relative))
                continue
            except OSError as exc:
                items.append(BadItem(len(items), f"cannot read: {exc.strerror or exc}", path=relative,
                                     id=relative))
                continue
            items.append(parse_text_file(text, relative, len(items)))  # newlines already \n
        return cls(str(root), root, items)

    def location(self, item: Item) -> str:
        """The file's path for messages."""
        return str(self.root / item.path)


BatchInput = Union[JsonLinesInput, TextDirectoryInput]


def open_input(name: str, stdin: BinaryIO | None = None) -> BatchInput:
    """``-`` (JSON Lines on ``stdin``), a directory (text files) or a file (JSON Lines)."""
    if name == "-":
        if stdin is None:
            raise TranslatorError("'-' given but there is no standard input")
        return JsonLinesInput.from_stream(stdin)
    path = Path(name)
    if path.is_dir():
        return TextDirectoryInput.from_path(path)
    if not path.exists():
        raise TranslatorError(f"input not found: {name}")
    return JsonLinesInput.from_path(path)
