"""Tag projection: where each inline tag of an English run goes in its French translation.

Input: the English run text, its inline tags (character spans), the French
text, and for each segment the pipeline translated, where it sits in both
texts and (when the engine gave one) its alignment. Output: one French span
per tag, snapped to whole tokens, and the French run rebuilt as text and
elements.

For each tag, the first rule that applies places it:

0. **glossary name**: a tag wrapping exactly a name the glossary placed wraps exactly the French form its
   report gives;
1. **whole run**: a tag wrapping every word of the run wraps the whole French
   (trailing punctuation stays outside when it was outside);
2. **verbatim**: a tagged text of 3+ characters found exactly once in both the
   English and the French (names, numbers, code) is wrapped where it is;
3. **alignment**: the French tokens whose model pieces were aligned to the
   tagged English characters; when they are not contiguous, the largest
   cluster (gaps of one token allowed: articles, prepositions);
4. **proportional**: the same relative position and length, in tokens, in
   the French of the same segment (exact for an engine that keeps the word
   count; the fallback when there is no alignment).

Each rule's span is then trimmed of the punctuation at its edges that the
English tag did not have there (``<a>Reuters</a>,`` keeps its comma outside),
and a span holding no word, for a tag that wrapped words, moves to the
nearest French word.

Guarantees, whatever the engine did: every tag comes out exactly once, a tag
that wrapped text wraps at least one French token, children stay inside their
parent, spans never cross (overlaps are cut back, or the later tag widened to
contain the other), and a protected element (code, ``translate="no"``) gets
back its original content in place of the French words aligned to it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lxml import etree

from .blocks import InlineTag
from .tokens import tokens

__all__ = ["SegmentLink", "project", "render"]

Spans = Callable[[int, int], list[tuple[int, int]]]


@dataclass(frozen=True)
class SegmentLink:
    """One translated segment of a run: ``[source_start, source_end)`` of the English run became
    ``[target_start, target_end)`` of the French. ``spans(a, b)`` gives, for local source offsets,
    the local target spans aligned to them (None: no alignment)."""

    source_start: int
    source_end: int
    target_start: int
    target_end: int
    spans: Spans | None = None


@dataclass
class _Placed:
    index: int
    start: int   # token indices of the French, end exclusive; start == end for a point
    end: int
    protected: bool
    point: bool
    children: list["_Placed"] = field(default_factory=list)


class _Projector:
    def __init__(self, source: str, target: str, tags: Sequence[InlineTag], links: Sequence[SegmentLink],
                 names: Sequence[tuple[int, int, int, int]] = ()):
        self.source, self.target, self.tags = source, target, tags
        self.names = names
        self.links = sorted(links, key=lambda link: link.source_start) or [
            SegmentLink(0, len(source), 0, len(target))]
        self.src_tokens = tokens(source)
        self.tgt_tokens = tokens(target)

    # -- candidate spans ------------------------------------------------------------------------

    def _tgt_index_range(self, char_start: int, char_end: int) -> tuple[int, int] | None:
        """The tokens overlapping ``[char_start, char_end)`` of the French."""
        inside = [i for i, (s, e) in enumerate(self.tgt_tokens) if s < char_end and char_start < e]
        return (inside[0], inside[-1] + 1) if inside else None

    def _links_over(self, a: int, b: int) -> list[SegmentLink]:
        found = [link for link in self.links if link.source_start < b and a < link.source_end]
        if found:
            return found
        return [min(self.links, key=lambda link: min(abs(link.source_start - a), abs(link.source_end - b)))]

    def _whole(self, a: int, b: int) -> tuple[int, int] | None:
        words = [(s, e) for s, e in self.src_tokens if self.source[s:e][0].isalnum() or self.source[s] == "_"]
        if not words or words[0][0] < a or words[-1][1] > b:
            return None
        start, end = 0, len(self.tgt_tokens)
        if any(s >= b for s, _ in self.src_tokens):  # punctuation after the tag stays outside
            while end - start > 1 and not self._is_word(end - 1):
                end -= 1
        if any(e <= a for _, e in self.src_tokens):
            while end - start > 1 and not self._is_word(start):
                start += 1
        return start, end

    def _is_word(self, index: int) -> bool:
        s, e = self.tgt_tokens[index]
        return self.target[s].isalnum() or self.target[s] == "_"

    def _verbatim(self, a: int, b: int) -> tuple[int, int] | None:
        text = self.source[a:b]
        if len(text) < 3 or not any(ch.isalnum() for ch in text):
            return None
        if self.source.count(text) != 1 or self.target.count(text) != 1:
            return None
        start = self.target.index(text)
        boundaries = {s for s, _ in self.tgt_tokens}, {e for _, e in self.tgt_tokens}
        if start not in boundaries[0] or start + len(text) not in boundaries[1]:
            return None
        return self._tgt_index_range(start, start + len(text))

    def _aligned(self, a: int, b: int) -> tuple[int, int] | None:
        links = self._links_over(a, b)
        indices: list[int] = []
        for link in links:
            if link.spans is None:
                return None
            local_a, local_b = max(a, link.source_start) - link.source_start, min(b, link.source_end) - \
                link.source_start
            for s, e in link.spans(local_a, max(local_b, local_a + 1)):
                found = self._tgt_index_range(link.target_start + s, link.target_start + max(e, s + 1))
                if found:
                    indices.extend(range(*found))
        if not indices:
            return None
        indices = sorted(set(indices))
        if len(links) > 1:
            return indices[0], indices[-1] + 1
        clusters: list[list[int]] = [[indices[0]]]
        for index in indices[1:]:
            if index - clusters[-1][-1] <= 2:
                clusters[-1].append(index)
            else:
                clusters.append([index])
        best = max(clusters, key=len)  # max keeps the first of equals: the earliest
        return best[0], best[-1] + 1

    def _link_tokens(self, link: SegmentLink) -> tuple[list[int], list[int]]:
        src = [i for i, (s, e) in enumerate(self.src_tokens) if link.source_start <= s and e <= link.source_end]
        tgt = [i for i, (s, e) in enumerate(self.tgt_tokens) if link.target_start <= s and e <= link.target_end]
        return src, tgt

    def _proportional_gap(self, link: SegmentLink, position: int) -> int:
        """The French token gap (index of the token after it) matching English offset ``position``."""
        src, tgt = self._link_tokens(link)
        if not tgt:
            nearest = [i for i, (s, _) in enumerate(self.tgt_tokens) if s >= link.target_start]
            return nearest[0] if nearest else len(self.tgt_tokens)
        before = sum(1 for i in src if self.src_tokens[i][1] <= position)
        ratio = before / len(src) if src else 0.0
        return tgt[0] + min(len(tgt), round(ratio * len(tgt)))

    def _proportional(self, a: int, b: int) -> tuple[int, int]:
        links = self._links_over(a, b)
        first, last = links[0], links[-1]
        start = self._proportional_gap(first, a)
        src, _ = self._link_tokens(last)
        # the end gap: tokens of the English ending at or before b, mapped the same way
        end = self._proportional_gap(last, b)
        return start, max(end, start + 1)

    def _named(self, a: int, b: int) -> tuple[int, int] | None:
        """The French form the glossary placed for a name the tag wraps exactly (the report's span)."""
        for start, end, target_start, target_end in self.names:
            if (start, end) == (a, b) and target_start < target_end:
                return self._tgt_index_range(target_start, target_end)
        return None

    def candidate(self, tag: InlineTag) -> tuple[int, int]:
        a, b = tag.start, tag.end
        for rule in (self._named, self._whole, self._verbatim, self._aligned):
            found = rule(a, b)
            if found:
                return self._on_words(a, b, *found)
        return self._on_words(a, b, *self._proportional(a, b))

    def _on_words(self, a: int, b: int, start: int, end: int) -> tuple[int, int]:
        """``[start, end)`` without the punctuation at its edges that the English tag did not have there,
        or the nearest word when it holds none but the English tag held one: a tag (a protected element
        above all, which replaces the French it lands on) must not take a full stop with it."""
        text = self.source[a:b].strip()
        if not any(ch.isalnum() for ch in text):
            return start, end
        end = min(end, len(self.tgt_tokens))
        if text[0].isalnum() or text[0] == "_":
            while start < end - 1 and not self._is_word(start):
                start += 1
        if text[-1].isalnum() or text[-1] == "_":
            while end - 1 > start and not self._is_word(end - 1):
                end -= 1
        if any(self._is_word(i) for i in range(start, end)):
            return start, end
        words = [i for i in range(len(self.tgt_tokens)) if self._is_word(i)]
        if not words:
            return start, end
        nearest = min(words, key=lambda i: (abs(i - start), i))
        return nearest, nearest + 1

    def candidate_point(self, tag: InlineTag) -> int:
        p = tag.start
        if not self.src_tokens or p <= self.src_tokens[0][0]:
            return 0
        if p >= self.src_tokens[-1][1]:
            return len(self.tgt_tokens)
        following = next(i for i, (s, _) in enumerate(self.src_tokens) if s >= p)
        s, e = self.src_tokens[following]
        found = self._aligned(s, e)
        if found:
            return found[0]
        link = self._links_over(p, p + 1)[0]
        return self._proportional_gap(link, p)

    # -- placing ------------------------------------------------------------------------------------

    def place(self) -> list[_Placed]:
        n = len(self.tgt_tokens)
        placed: list[_Placed | None] = [None] * len(self.tags)
        ranges: list[_Placed] = []
        for index, tag in enumerate(self.tags):
            parent = self._parent_range(index, placed)
            lo, hi = (parent.start, parent.end) if parent else (0, n)
            if tag.point:
                gap = min(max(self.candidate_point(tag), lo), hi)
                placed[index] = _Placed(index, gap, gap, tag.protected, True)
                continue
            start, end = self.candidate(tag)
            start, end = max(start, lo), min(end, hi)
            if start >= end:
                start = min(max(start, lo), hi - 1)
                end = start + 1
            start, end = self._laminar(start, end, tag.protected, ranges, lo, hi)
            item = _Placed(index, start, end, tag.protected, False)
            placed[index] = item
            ranges.append(item)
        for item in placed:  # a point never sits inside protected content
            if item.point:
                for other in ranges:
                    if other.protected and other.start < item.start < other.end:
                        item.start = item.end = other.end
        return [p for p in placed if p is not None]

    def _parent_range(self, index: int, placed: list[_Placed | None]) -> _Placed | None:
        parent = self.tags[index].parent
        while parent is not None:
            item = placed[parent]
            if item is not None and not item.point:
                return item
            parent = self.tags[parent].parent
        return None

    @staticmethod
    def _laminar(start: int, end: int, protected: bool, ranges: list[_Placed], lo: int, hi: int
                 ) -> tuple[int, int]:
        """Adjust ``[start, end)`` until it crosses no placed range and holds no other one's protected
        content: cut back (keeping the larger side) or, when nothing would be left, take the whole
        ``[lo, hi)`` of the parent (which every range inside the parent nests in)."""
        for _ in range(4 * len(ranges) + 4):
            changed = False
            for other in ranges:
                s, e = other.start, other.end
                if e <= start or end <= s:
                    continue  # disjoint
                inside = start <= s and e <= end
                around = s <= start and end <= e
                if other.protected and around and (s, e) != (start, end):
                    start, end, changed = s, e, True  # equal spans: the protected one nests innermost
                elif protected and inside and (s, e) != (start, end):
                    left, right = (start, s), (e, end)
                    best = max((left, right), key=lambda r: r[1] - r[0])
                    start, end = best if best[1] > best[0] else (s, e)
                    changed = True
                elif not inside and not around:
                    left, right = (start, s), (e, end)
                    best = max((left, right), key=lambda r: r[1] - r[0])
                    if best[1] > best[0]:
                        start, end = best
                    else:
                        start, end = min(start, s), max(end, e)
                    changed = True
            if not changed:
                return start, end
        return lo, hi


def project(source: str, target: str, tags: Sequence[InlineTag], links: Sequence[SegmentLink],
            names: Sequence[tuple[int, int, int, int]] = ()) -> list[tuple[int, int]]:
    """The French character span of every tag (``start == end`` for a point), in tag order.

    ``names``: ``(start, end, target_start, target_end)`` of each name the glossary placed (its report):
    a tag wrapping exactly such a name wraps exactly its French form.
    """
    projector = _Projector(source, target, tags, links, names)
    if not projector.tgt_tokens:
        return [(0, 0) for _ in tags]
    spans = []
    toks = projector.tgt_tokens
    for item in projector.place():
        if item.point:
            gap = item.start
            after_space = tags[item.index].space_before
            if gap < len(toks) and (gap == 0 or after_space):
                char = toks[gap][0]
            else:
                char = toks[gap - 1][1]
            spans.append((char, char))
        else:
            spans.append((toks[item.start][0], toks[item.end - 1][1]))
    return spans


def _settle(target: str, tags: Sequence[InlineTag], spans: Sequence[tuple[int, int]]
            ) -> tuple[list[tuple[int, int]], set[int]]:
    """Spans every tag can be rendered in, whatever the engine made of the French: ``(spans, inserted)``.

    * a protected element is a leaf (it brings back its own content): a tag inside its span wraps it
      instead, and a second protected element on the same words is inserted after the first, whole;
    * a tag that wrapped words but got no French wraps the nearest French word (a word may then carry
      several tags, nested), so no tag is ever empty or dropped.

    ``inserted``: the protected elements inserted at a point rather than in place of French words.
    """
    settled = [tuple(span) for span in spans]
    inserted: set[int] = set()
    words = tokens(target)
    claimed: list[tuple[int, int]] = []
    for i, tag in enumerate(tags):
        if not tag.protected or tag.point:
            continue
        start, end = settled[i]
        if start == end or any(a < end and start < b for a, b in claimed):
            inserted.add(i)
            anchor = next((b for a, b in claimed if a < end and start < b), start)
            settled[i] = (anchor, anchor)
        else:
            claimed.append((start, end))
    for i, tag in enumerate(tags):
        if tag.protected or tag.point:
            continue
        start, end = settled[i]
        if start == end and words:
            start, end = min(words, key=lambda word: (abs(word[0] - start), word[0]))
        for a, b in claimed:
            if a <= start and end <= b:  # inside a protected element's words: wrap the element
                start, end = a, b
        settled[i] = (start, end)
    # A link inside a link is not HTML (a parser splits them, leaving an empty one): a link on another
    # link's words moves to the nearest word no link (and no protected element) holds, when there is one.
    links = [i for i, tag in enumerate(tags) if tag.name == "a" and not tag.point and i not in inserted]
    for position, i in enumerate(links):
        start, end = settled[i]
        held = [settled[j] for j in links[:position]]
        if not any(a <= start and end <= b or start <= a and b <= end for a, b in held):
            continue
        free = [word for word in words if not any(a < word[1] and word[0] < b for a, b in [*held, *claimed])]
        if free:
            settled[i] = min(free, key=lambda word: (abs(word[0] - start), word[0]))
    return settled, inserted


def render(target: str, tags: Sequence[InlineTag], spans: Sequence[tuple[int, int]]) -> list:
    """The French run as a list of strings and elements, each tag in its span (see :func:`project`).

    Every tag comes out exactly once (:func:`_settle`).
    """
    spans, inserted = _settle(target, tags, spans)
    ranges = [(s, e, i) for i, ((s, e), tag) in enumerate(zip(spans, tags)) if not tag.point and i not in inserted]
    # Laminar spans: sorted by start, longest first; equal spans nest by order, protected innermost.
    ranges.sort(key=lambda r: (r[0], -r[1], tags[r[2]].protected, r[2]))
    roots: list[dict] = []
    stack: list[dict] = []
    for s, e, i in ranges:
        node = {"start": s, "end": e, "index": i, "children": [], "points": []}
        while stack and not (stack[-1]["start"] <= s and e <= stack[-1]["end"]):
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(node)
        stack.append(node)
    top = {"start": 0, "end": len(target), "index": None, "children": roots, "points": []}

    def ancestors_of(index: int) -> set[int]:
        found, parent = set(), tags[index].parent
        while parent is not None:
            found.add(parent)
            parent = tags[parent].parent
        return found

    def home(node: dict, char: int, family: set[int]) -> dict:
        for child in node["children"]:
            if tags[child["index"]].protected:
                continue
            strictly = child["start"] < char < child["end"]
            edge = child["index"] in family and child["start"] <= char <= child["end"]
            if strictly or edge:
                return home(child, char, family)
        return node

    for i, tag in enumerate(tags):
        if tag.point or i in inserted:
            char = spans[i][0]
            node = home(top, char, ancestors_of(i))
            node["points"].append((min(max(char, node["start"]), node["end"]), i))

    def build(node: dict) -> list:
        events = [(c["start"], 1, c["index"], c) for c in node["children"]] + \
                 [(char, 0, i, None) for char, i in node["points"]]
        events.sort(key=lambda ev: (ev[0], ev[1], ev[2]))
        items: list = []
        position = node["start"]
        for char, _, i, child in events:
            if char > position:
                items.append(target[position:char])
                position = char
            if child is None and i in inserted:
                # A protected element brought in whole where another one took the French words: a word of
                # its own, so spaces keep it off the words beside it.
                element = copy.deepcopy(tags[i].element)
                if _ends_in_word(items):
                    items.append(" ")
                items.append(element)
                if _WORDLIKE.match(target[position:position + 1]):
                    items.append(" ")
                continue
            if child is None:
                element = copy.deepcopy(tags[i].element)
                if element.tag == "br" and target[position:position + 1] == " " and position < node["end"]:
                    position += 1  # the space the line break stood for in the text the engine saw
                elif tags[i].space_before and position == len(target) and not target.endswith(" "):
                    items.append(" ")  # "text <img>" at the very end: the space was stripped from the text
            elif tags[i].protected:
                element = copy.deepcopy(tags[i].element)
                position = child["end"]
            else:
                element = copy.deepcopy(tags[i].element)
                _fill(element, build(child))
                position = child["end"]
            items.append(element)
        if node["end"] > position:
            items.append(target[position:node["end"]])
        return items

    return build(top)


#: A character that is part of a word (a word keeps its hyphens and apostrophes, :mod:`.tokens`).
_WORDLIKE = re.compile(r"[\w'\u2019\u2010\u2011-]")


def _ends_in_word(items: list) -> bool:
    """Whether what ``items`` render ends with a word character or an element (no space after it)."""
    if not items:
        return False
    last = items[-1]
    if isinstance(last, str):
        return bool(last) and _WORDLIKE.match(last[-1]) is not None
    return True


def _fill(element: etree._Element, items: list) -> None:
    """Set ``element``'s content to ``items`` (strings and elements)."""
    element.text = None
    last = None
    for item in items:
        if isinstance(item, str):
            if last is None:
                element.text = (element.text or "") + item
            else:
                last.tail = (last.tail or "") + item
        else:
            item.tail = None
            element.append(item)
            last = item
