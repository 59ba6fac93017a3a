"""NeuroCanvas start-up: `python main.py [net.json]` opens the window; `python main.py new|eval|train
...` runs the headless commands of neurocanvas-cli; `--install-desktop` / `--uninstall-desktop`
add it to (or take it from) a Linux desktop's menu and file types."""
from __future__ import annotations

import multiprocessing
import os
import sys

# Before numpy loads: the window's numpy work is one sample's forward pass, and a multi-threaded
# BLAS there only fights the trainer process for the cores (at 784-1000-1000-10 a 0.3 ms forward
# pass took 10 ms, and training beside the window ran 10% slower).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def main(argv: list[str] | None = None) -> int:
    # in a bundled app (packaging/) the trainer process starts this program again: this call
    # runs the trainer there and never returns; everywhere else it does nothing
    multiprocessing.freeze_support()
    argv = sys.argv[1:] if argv is None else argv
    from engine.cli import COMMANDS  # noqa: PLC0415 (numpy only: no torch at start-up)

    if argv and argv[0] in ("--install-desktop", "--uninstall-desktop"):
        from gui.desktop import main as desktop  # noqa: PLC0415 (files only, no Qt)
        return desktop(argv[0])
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help")):
        from engine.cli import main as cli  # noqa: PLC0415
        return cli(argv)
    from gui.app import run  # noqa: PLC0415
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
