"""Articles and files for the batch tests."""

from __future__ import annotations

import json
import random
from pathlib import Path

__all__ = ["make_articles", "read_jsonl", "write_jsonl"]

_WORDS = ("the government minister said on Monday that parliament will vote on the new budget police arrested "
          "two men after a fire in the harbour of the capital city").split()


def make_articles(n: int, seed: int = 7) -> list[dict]:
    """``n`` short news articles (2-4 paragraphs of 1-2 sentences), each text unique, with an extra field."""
    rng = random.Random(seed)

    def sentence(tag: str) -> str:
        return f"{tag} " + " ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 8))) + "."

    articles = []
    for i in range(n):
        paragraphs = [" ".join(sentence(f"Story {i} part {p}") if s == 0 else sentence("Then")
                               for s in range(rng.randint(1, 2)))
                      for p in range(rng.randint(2, 4))]
        articles.append({"id": f"art-{i:03d}", "title": f"Headline {i} " + sentence("about"),
                         "body": "\n\n".join(paragraphs), "format": "text", "section": f"s{i % 3}"})
    return articles


def write_jsonl(path: Path, records: list, raw_lines: dict[int, str] | None = None) -> Path:
    """Write ``records`` one per line; ``raw_lines`` {position: text} inserts verbatim lines (0-based)."""
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    for position, text in sorted((raw_lines or {}).items()):
        lines.insert(position, text)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict]:
    """Every line of a JSON Lines file, parsed (the file must end with a newline)."""
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]
