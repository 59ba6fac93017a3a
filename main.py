"""NeuroCanvas start-up: `python main.py [net.json]` opens the window; `python main.py new|eval|train
...` runs the headless commands of neurocanvas-cli."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from engine.cli import COMMANDS  # noqa: PLC0415 (numpy only: no torch at start-up)

    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help")):
        from engine.cli import main as cli  # noqa: PLC0415
        return cli(argv)
    from gui.app import run  # noqa: PLC0415
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
