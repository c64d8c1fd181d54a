"""The user's documentation (README.md and the manual's pages, docs/*.md) as the snippet tests read
it: its fenced code blocks, found by the section that holds them, whichever file that section is
in. A section is a heading and what follows it up to the next heading of its level or above; a
`#` line inside a fenced block (a shell comment) is no heading. Each section a test names must
exist exactly once across the files, so a snippet moved from one page to another is still found,
and run exactly once."""

import glob
import os
import re

from project import source_root

HEADING = re.compile(r"^(#{1,6}) +(.+?) *#* *$")
FENCE = re.compile(r"^```(\w*)")


def documents():
    """README.md, then the manual's pages in name order."""
    root = source_root()
    return [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md")))


class Document:
    """A Markdown file's headings and fenced blocks, in order, with their line numbers."""

    def __init__(self, path):
        self.path = path
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        self.headings = []  # (line, level, title)
        self.blocks = []    # (line, language, body): body as between the fences, newline-ended
        fence = None
        for number, line in enumerate(lines):
            if fence is not None:
                if line.startswith("```"):
                    language, start = fence
                    self.blocks.append((start, language, "".join(l + "\n" for l in
                                                                 lines[start + 1:number])))
                    fence = None
                continue
            opened = FENCE.match(line)
            if opened:
                fence = (opened.group(1), number)
                continue
            heading = HEADING.match(line)
            if heading:
                self.headings.append((number, len(heading.group(1)), heading.group(2)))
        if fence is not None:
            raise AssertionError(f"{path}: the block opened on line {fence[1] + 1} never closes")

    def section(self, title):
        """The (first, last) line numbers of the section titled `title`, or None."""
        for i, (line, level, text) in enumerate(self.headings):
            if text == title:
                end = next((other for other, other_level, _ in self.headings[i + 1:]
                            if other_level <= level), 1 << 30)
                return line, end
        return None


def section_blocks(title, language):
    """The fenced blocks in `language` of the one section titled `title` (its heading's text,
    without the #s) in README.md or docs/*.md, in order. AssertionError when no file or several
    hold such a section."""
    found = []
    for path in documents():
        document = Document(path)
        span = document.section(title)
        if span is not None:
            found.append((document, span))
    if len(found) != 1:
        where = ", ".join(os.path.relpath(d.path, source_root()) for d, _ in found) or "no file"
        raise AssertionError(f"expected one section titled {title!r} in README.md and docs/*.md, "
                             f"found it in {where}")
    document, (first, last) = found[0]
    return [body for line, lang, body in document.blocks
            if first < line < last and lang == language]


def all_blocks(language):
    """Every fenced block in `language` of README.md and docs/*.md."""
    return [body for path in documents() for _, lang, body in Document(path).blocks
            if lang == language]
