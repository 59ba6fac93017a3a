"""pyqtgraph, imported when one of its names is first read.

Importing it takes 0.2-0.25 s, half of a bare Qt + pyqtgraph window's start-up, and nothing on
the window's way to its first paint draws a plot: the Plots dock makes its plots just after that
paint (bench/startup.py). importlib's LazyLoader cannot do this before Python 3.12: every later
`import pyqtgraph` reads the module's __spec__, which loads it.
"""
from __future__ import annotations

import importlib
from typing import Any


class _OnFirstUse:
    def __getattr__(self, name: str) -> Any:
        value = getattr(importlib.import_module("pyqtgraph"), name)
        setattr(self, name, value)  # read once: later reads skip this method
        return value


pg: Any = _OnFirstUse()
