#!/usr/bin/env python3
"""Rewrites the generated tables of docs/scenario-reference.md from the parameter tables.

    scripts/update-reference-tables.py [BUILD_DIR]      (default: build)

Every block between "<!-- generated: TITLE -->" and "<!-- end generated -->" is
replaced by the table that `m2msim schema --markdown` prints under "### TITLE".
The test Schema.ReferenceDocTablesAreGenerated fails when a block differs or a
section has no block, so the tables and the loader cannot drift apart.
"""
import re
import subprocess
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
build = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "build"
out = subprocess.run([str(build / "cli" / "m2msim"), "schema", "--markdown"], check=True, capture_output=True,
                     text=True).stdout
tables = {}
for part in out.split("### ")[1:]:
    title, _, body = part.partition("\n\n")
    tables[title.strip()] = body.strip() + "\n"

doc_path = root / "docs" / "scenario-reference.md"
doc = doc_path.read_text()
seen = set()


def replace(m):
    title = m.group(1)
    if title not in tables:
        sys.exit(f"docs/scenario-reference.md: no section titled '{title}' in m2msim schema")
    seen.add(title)
    return f"<!-- generated: {title} -->\n{tables[title]}<!-- end generated -->"


doc = re.sub(r"<!-- generated: ([^\n]*?) -->\n.*?<!-- end generated -->", replace, doc, flags=re.S)
doc_path.write_text(doc)
for t in tables:
    if t not in seen:
        print(f"note: section '{t}' has no block in docs/scenario-reference.md; add '<!-- generated: {t} -->'")
