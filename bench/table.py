"""Each bench ends with its rows of docs/performance.md's table, ready to paste there."""
from __future__ import annotations

from typing import Sequence


def print_rows(rows: Sequence[Sequence[object]]) -> None:
    print("\nfor docs/performance.md:")
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
