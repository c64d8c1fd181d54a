#!/usr/bin/env python3
"""The text source of docs/architecture.svg, the layers diagram of docs/architecture.md.

    python3 docs/architecture_diagram.py            # writes docs/architecture.svg
    python3 docs/architecture_diagram.py --stdout   # prints it instead

Edit BOXES and ARROWS below, then run it and commit both files: the output is a pure function of
this file (no dates, no randomness, fixed number formats), and tests/integration/test_docs.py
fails when the committed SVG is not what this script writes."""

import os
import sys
from xml.sax.saxutils import escape

WIDTH = 980
COLUMN = 280   # a column's box width; three columns with GAP between them
GAP = 30
LEFT = 40
ROW = 100      # from one row's top to the next's
BOX_HEIGHT = 64
TOP = 20


def column_x(column):
    return LEFT + column * (COLUMN + GAP)


# name: (row, first column, columns spanned, fill, title, detail lines)
BOXES = {
    "clients": (0, 0, 3, "#f2f2f2", "Callers",
                ["AWS SDKs and the AWS CLI (POST /, X-Amz-Target: RekognitionService.<Operation>);",
                 "test helpers, curl and the browser view (/_mock/...)"]),
    "net": (1, 0, 3, "#e3eefc", "net: server/net/, server/front_door.hpp",
            ["Listener, HttpSession (Beast, connection_limits.hpp), streamed_response;",
             "FrontDoor: GET /_mock/ping; /_mock/... to the control plane; the rest to the AWS router"]),
    "protocol": (2, 0, 1, "#e6f4e6", "protocol: server/protocol/",
                 ["AwsJsonRouter, sigv4_verifier, caller_scope,", "operations.cpp, request_members,",
                  "encoded caches, error_response.cpp; json/"]),
    "control": (2, 1, 2, "#fdf1dc", "control plane: server/control/",
                ["ControlRouter: origin_guard, route_table, control_routes(), openapi.json;",
                 "MockControl (facade); *_endpoints.cpp per resource; ui/ (the browser view)"]),
    "service": (3, 0, 3, "#fbe4e4", "service: server/service/",
                ["MediaAnalysisService (List, Get, Start): model_validation, pagination_token, lifecycle,",
                 "start_fingerprint, job_id, failure_triggers; JobWorkScheduler (JobWork, ObjectViewer ports)"]),
    "storage": (4, 0, 1, "#ece6f6", "storage: storage/",
                ["JobStore over SQLite: list_page, start,", "update, finish_outputs, load;",
                 "schema, job_columns, rules_sets"]),
    "fixtures": (4, 1, 1, "#f0f0e0", "fixtures: server/fixture_format/",
                 ["FixtureFiles (FixtureSource port):", "fixture_reader, fixture_import,",
                  "rules_files, synthetic_jobs"]),
    "bulk": (4, 2, 1, "#e0f2f1", "bulk analysis: server/bulk_analysis/",
             ["BulkAnalysisWork (JobWork): admit,", "perform; manifest_lines, image_check,",
              "output_files, spool_file"]),
    "moderation": (5, 1, 1, "#f6e6f0", "moderation: server/moderation/",
                   ["RuleBook, moderation_rules, RuleIndex,", "name_convention, moderation_answer,",
                    "the taxonomy (model 7.0)"]),
    "objects": (5, 2, 1, "#e6eef0", "object store: object_store/",
                ["ObjectStore: FolderObjectStore", "(open_beneath), S3ObjectStore", "(S3 client, TLS, retries)"]),
    "foundation": (6, 0, 3, "#f7f7f7", "used by the layers above",
                   ["model/: MediaAnalysisJob, Scope (the shared vocabulary)  \u00b7  crypto/: AES-256-CTR, "
                    "SHA-256, HMAC, random bytes",
                    "sigv4/: signing and URI encoding, for protocol's SigV4 verifier and the S3 client"]),
}

# (caller, callee, label): an arrow from the caller's bottom edge down to the callee's top edge,
# straight down the middle of the narrower of the two; ("side", caller, callee, label) joins two
# boxes of one row edge to edge (its label under the gap), or of two rows centre to centre.
ARROWS = [
    ("clients", "net", "HTTP/1.1"),
    ("net", "protocol", "the AWS API"),
    ("net", "control", "/_mock/..."),
    ("protocol", "service", "typed requests"),
    ("control", "service", "steers, resets, dumps"),
    ("service", "storage", "jobs, tokens"),
    ("service", "fixtures", "reset, seed"),
    ("service", "bulk", "admit, perform"),
    ("bulk", "objects", "read, write"),
    ("side", "fixtures", "storage", "JobStore::load"),
    ("side", "bulk", "moderation", "scripts"),
]


def box_geometry(name):
    row, column, span, *_ = BOXES[name]
    x = column_x(column)
    return x, TOP + row * ROW, span * COLUMN + (span - 1) * GAP, BOX_HEIGHT


def number(value):
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def draw_box(name):
    row, column, span, fill, title, detail = BOXES[name]
    x, y, w, h = box_geometry(name)
    out = [f'<rect x="{number(x)}" y="{number(y)}" width="{number(w)}" height="{number(h)}" '
           f'rx="6" fill="{fill}" stroke="#555"/>',
           f'<text x="{number(x + 8)}" y="{number(y + 16)}" class="title">{escape(title)}</text>']
    for i, line in enumerate(detail):
        out.append(f'<text x="{number(x + 8)}" y="{number(y + 31 + 13 * i)}" class="detail">'
                   f'{escape(line)}</text>')
    return out


def draw_arrow(arrow):
    if arrow[0] == "side":
        _, source, target, label = arrow
        sx, sy, sw, sh = box_geometry(source)
        tx, ty, tw, th = box_geometry(target)
        if ty == sy:      # same row: right edge to left edge (or the reverse)
            x1, x2 = (sx, tx + tw) if tx < sx else (sx + sw, tx)
            y1 = y2 = sy + sh / 2
        else:             # the row below: a quarter into the bottom edge to the top edge's middle
            x1, y1, x2, y2 = sx + sw / 4, sy + sh, tx + tw / 2, ty
        if y1 == y2:
            lx, ly, anchor = (x1 + x2) / 2, sy + sh + 13, "middle"
        else:
            lx, ly, anchor = (x1 + x2) / 2 + 10, (y1 + y2) / 2 + 12, "start"
    else:
        source, target, label = arrow
        sx, sy, sw, sh = box_geometry(source)
        tx, ty, tw, th = box_geometry(target)
        x1 = x2 = sx + sw / 2 if sw <= tw else tx + tw / 2
        y1, y2 = sy + sh, ty
        lx, ly, anchor = x1 + 6, (y1 + y2) / 2 + 4, "start"
    return [f'<line x1="{number(x1)}" y1="{number(y1)}" x2="{number(x2)}" y2="{number(y2)}" '
            f'class="arrow" marker-end="url(#head)"/>',
            f'<text x="{number(lx)}" y="{number(ly)}" class="label" text-anchor="{anchor}">'
            f'{escape(label)}</text>']


def svg():
    rows = max(box[0] for box in BOXES.values()) + 1
    height = TOP * 2 + (rows - 1) * ROW + BOX_HEIGHT
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" '
        'aria-label="The layers of rekognition-mock and the calls between them">',
        "<!-- Generated by docs/architecture_diagram.py: edit that file, not this one. -->",
        "<style>",
        "text { font-family: DejaVu Sans, Helvetica, Arial, sans-serif; fill: #222; }",
        ".title { font-size: 13px; font-weight: bold; }",
        ".detail { font-size: 11px; }",
        ".label { font-size: 10px; fill: #444; font-style: italic; }",
        ".arrow { stroke: #333; stroke-width: 1.4; }",
        "</style>",
        '<defs><marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/>'
        "</marker></defs>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    for name in BOXES:
        lines.extend(draw_box(name))
    for arrow in ARROWS:
        lines.extend(draw_arrow(arrow))
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def main(argv):
    text = svg()
    if argv[1:] == ["--stdout"]:
        sys.stdout.write(text)
        return 0
    if argv[1:]:
        sys.stderr.write(__doc__)
        return 2
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "architecture.svg")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
