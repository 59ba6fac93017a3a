"""pyqtgraph, imported when one of its names is first read.

Importing it takes 0.2-0.25 s, half of a bare Qt + pyqtgraph window's start-up, and nothing on
the window's way to its first paint draws a plot: the Plots dock makes its plots just after that
paint (bench/startup.py). importlib's LazyLoader cannot do this before Python 3.12: every later
`import pyqtgraph` reads the module's __spec__, which loads it.
"""
from __future__ import annotations

import importlib
import sys
from typing import Any


class _OnFirstUse:
    def __getattr__(self, name: str) -> Any:
        value = getattr(importlib.import_module("pyqtgraph"), name)
        setattr(self, name, value)  # read once: later reads skip this method
        return value


pg: Any = _OnFirstUse()


# the plots follow the window's theme: background, axes, ticks and titles
BACKGROUND = {False: (255, 255, 255), True: (30, 30, 32)}
FOREGROUND = {False: (90, 90, 90), True: (215, 215, 215)}
_theme = {"dark": False}


def themed(plot: Any) -> Any:
    """A PlotWidget in the current theme's colours; returns it."""
    dark = _theme["dark"]
    plot.setBackground(BACKGROUND[dark])
    item = plot.getPlotItem()
    for name in ("left", "bottom", "right", "top"):
        axis = item.getAxis(name)
        axis.setPen(FOREGROUND[dark])
        axis.setTextPen(FOREGROUND[dark])
    title = item.titleLabel
    if title.text:
        title.setText(title.text, color=FOREGROUND[dark])
    return plot


def set_dark(dark: bool, root: Any) -> None:
    """The theme for plots made from now on, and every plot already under root."""
    _theme["dark"] = dark
    if "pyqtgraph" in sys.modules:  # else no plot exists yet, and none is imported for this
        pg.setConfigOption("foreground", FOREGROUND[dark])
        for plot in root.findChildren(pg.PlotWidget):
            themed(plot)
