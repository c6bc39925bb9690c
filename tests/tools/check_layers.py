#!/usr/bin/env python3
"""Checks the layering of core/ (docs/architecture.md, "Layers"):

- no include cycle between core/ folders (a folder may include only folders below it);
- no Qt include anywhere in core/ (the engine is Qt-free; the front ends bring Qt);
- no core/ source file over MAX_LINES lines.

Prints the include graph between folders (architecture.md draws it) and exits 1 on a finding.
"""
import os
import re
import sys

MAX_LINES = 600
# Files allowed over MAX_LINES, each with the issue that will split it. Empty since the issue 18
# splits; it may only shrink.
LONG_FILES_ALLOWED: set = set()

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]')


def main(root):
    core = os.path.join(root, "core")
    folders = sorted(d for d in os.listdir(core) if os.path.isdir(os.path.join(core, d)))
    edges = {f: set() for f in folders}
    problems = []
    for folder in folders:
        for dirpath, _, files in os.walk(os.path.join(core, folder)):
            for name in sorted(files):
                if not name.endswith((".cpp", ".hpp", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                with open(path, encoding="utf-8") as fh:
                    lines = fh.read().split("\n")
                if len(lines) > MAX_LINES and rel not in LONG_FILES_ALLOWED:
                    problems.append(f"{rel}: {len(lines)} lines (at most {MAX_LINES})")
                for n, line in enumerate(lines, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    inc = m.group(1)
                    if inc.startswith("Q") or inc.startswith("qt") or "/Q" in inc:
                        problems.append(f"{rel}:{n}: Qt include <{inc}> in core/")
                    top = inc.split("/")[0]
                    if "/" in inc and top in edges and top != folder:
                        edges[folder].add(top)
    # Cycles: a depth-first search over the folder graph.
    state = {}
    stack = []

    def visit(f):
        state[f] = 1
        stack.append(f)
        for g in sorted(edges[f]):
            if state.get(g) == 1:
                cycle = stack[stack.index(g):] + [g]
                problems.append("include cycle: " + " -> ".join(cycle))
            elif g not in state:
                visit(g)
        stack.pop()
        state[f] = 2

    for f in folders:
        if f not in state:
            visit(f)
    print("core/ include graph (folder -> folders it includes):")
    for f in folders:
        print(f"  {f:9} -> {', '.join(sorted(edges[f])) or '-'}")
    for p in problems:
        print("check_layers: " + p, file=sys.stderr)
    return 1 if problems else 0


def self_test():
    """The check must find what it looks for: a tree with a cycle and a Qt include fails."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        for folder, text in (("a", '#include "b/x.hpp"\n'), ("b", '#include "a/x.hpp"\n'),
                             ("c", "#include <QtCore/QString>\n")):
            os.makedirs(os.path.join(tmp, "core", folder))
            with open(os.path.join(tmp, "core", folder, "x.hpp"), "w") as fh:
                fh.write(text)
        import contextlib
        import io
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            rc = main(tmp)
        found = err.getvalue()
        ok = rc == 1 and "include cycle: a -> b -> a" in found and "Qt include" in found
        print("self-test:", "ok" if ok else "FAILED\n" + found)
        return ok


if __name__ == "__main__":
    if not self_test():
        sys.exit(2)
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.getcwd()))
