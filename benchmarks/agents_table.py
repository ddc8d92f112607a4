"""Write the baselines table into docs/agents.md (between its agents-table markers): every
baseline agent on every goal family, as `neuripsquest agents eval` plays them.

    PYTHONPATH=src python benchmarks/agents_table.py          # rewrite the table
    PYTHONPATH=src python benchmarks/agents_table.py --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from neuripsquest.agents import table

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "agents.md"


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    new = table.table(ROOT / "world")
    if "--check" in argv:
        ok = table.in_doc(text) == new
        print("docs/agents.md: table up to date" if ok else "docs/agents.md: table out of date")
        return 0 if ok else 1
    DOC.write_text(table.replace_in_doc(text, new), encoding="utf-8")
    print(new, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
