"""The documentation holds together: every relative link and image in README.md and docs/*.md
names a file of the checkout, every #anchor a heading of the page it points into (as GitHub
makes anchors of headings), the README links every page of the manual, and the committed
architecture diagram (docs/architecture.svg) is what its text source (docs/architecture_diagram.py)
draws."""

import os
import re
import subprocess
import sys
import unittest

from doc_snippets import Document, documents
from project import source_root

# [text](target) and ![alt](target), with an optional "title"; the text may hold `code`.
LINK = re.compile(r"!?\[(?:[^\]`]|`[^`]*`)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
INLINE_CODE = re.compile(r"(`+).*?\1")


def slug(title):
    """The anchor GitHub gives a heading: lower case, punctuation dropped (`code` marks
    included), spaces made hyphens."""
    text = title.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    """The anchors of a Markdown file's headings, duplicates numbered as GitHub numbers them."""
    seen = {}
    found = set()
    for _, _, title in Document(path).headings:
        base = slug(title)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(path):
    """(line number, target) of each link outside code blocks and code spans; a link's text may
    run over a line break."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    kept, fenced = [], False
    for line in lines:
        if line.startswith("```"):
            fenced = not fenced
            kept.append("")
        else:
            # A code span is no link: blanked, as long as it was, so line numbers stay.
            kept.append("" if fenced else INLINE_CODE.sub(lambda m: "x" * len(m.group(0)), line))
    text = "\n".join(kept)
    return [(text.count("\n", 0, match.start()) + 1, match.group(1))
            for match in LINK.finditer(text)]


class DocumentationLinkTest(unittest.TestCase):
    def test_every_relative_link_and_anchor_resolves(self):
        root = source_root()
        broken = []
        for path in documents():
            for line, target in links(path):
                if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                    continue  # http:, https:, mailto:: not this test's to fetch
                file_part, _, anchor = target.partition("#")
                resolved = (os.path.normpath(os.path.join(os.path.dirname(path), file_part))
                            if file_part else path)
                where = f"{os.path.relpath(path, root)}:{line}: {target}"
                if not resolved.startswith(root + os.sep) and resolved != root:
                    broken.append(f"{where} (outside the checkout)")
                elif not os.path.exists(resolved):
                    broken.append(f"{where} (no such file)")
                elif anchor and not resolved.endswith(".md"):
                    broken.append(f"{where} (an anchor into a file that is not Markdown)")
                elif anchor and anchor not in anchors(resolved):
                    broken.append(f"{where} (no heading with that anchor)")
        self.assertEqual(broken, [])

    def test_the_links_are_found(self):
        # The checker sees links in tables, with code in their text, and images.
        readme = os.path.join(source_root(), "README.md")
        targets = [target for _, target in links(readme)]
        self.assertIn("docs/sdks.md", targets)
        self.assertIn("docs/screenshots/jobs.png", targets)
        self.assertIn("docs/helpers.md#from-nodetest", targets)
        self.assertEqual(slug("From node:test"), "from-nodetest")
        self.assertEqual(slug("The API's behaviour"), "the-apis-behaviour")
        self.assertEqual(slug("`--s3-dir` and `--db`"), "--s3-dir-and---db")

    def test_the_readme_links_every_page_of_the_manual(self):
        root = source_root()
        readme = os.path.join(root, "README.md")
        linked = {os.path.normpath(os.path.join(root, target.partition("#")[0]))
                  for _, target in links(readme)}
        pages = [path for path in documents() if path != readme]
        self.assertGreaterEqual(len(pages), 10)
        self.assertEqual([os.path.relpath(p, root) for p in pages if p not in linked], [])


class ArchitectureDiagramTest(unittest.TestCase):
    def test_the_committed_svg_is_what_the_source_draws(self):
        docs = os.path.join(source_root(), "docs")
        drawn = subprocess.run([sys.executable, os.path.join(docs, "architecture_diagram.py"),
                                "--stdout"], capture_output=True, text=True, timeout=60)
        self.assertEqual(drawn.returncode, 0, drawn.stderr)
        with open(os.path.join(docs, "architecture.svg"), encoding="utf-8") as f:
            committed = f.read()
        self.assertTrue(drawn.stdout.startswith("<svg"), drawn.stdout[:200])
        self.assertEqual(committed, drawn.stdout,
                         "docs/architecture.svg is stale: run python3 docs/architecture_diagram.py")


if __name__ == "__main__":
    unittest.main()
