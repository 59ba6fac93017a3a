"""Weights as pictures: an image view coloured as the canvas colours weights."""
from __future__ import annotations

from functools import cache

import numpy as np

from gui.canvas.style import NEGATIVE, POSITIVE, WHITE
from gui.plotting import pg


@cache
def diverging() -> pg.ColorMap:
    """Orange (negative) through white (0) to blue (positive), as the canvas colours weights."""
    return pg.ColorMap([0.0, 0.5, 1.0], [NEGATIVE.getRgb(), WHITE.getRgb(), POSITIVE.getRgb()])


def image_view(title: str, tip: str) -> tuple[pg.PlotWidget, pg.ImageItem]:
    """A still view of one image, row 0 at the top, square pixels."""
    view = pg.PlotWidget(background="w")
    view.setToolTip(tip)
    view.setTitle(title, size="9pt")
    view.setMenuEnabled(False)
    view.setMouseEnabled(False, False)
    view.hideButtons()
    for axis in ("left", "bottom"):
        view.hideAxis(axis)
    view.setAspectLocked(True)
    view.invertY(True)
    image = pg.ImageItem(axisOrder="row-major")
    image.setLookupTable(diverging().getLookupTable(nPts=256))
    view.addItem(image)
    return view, image


def show_weights(image: pg.ImageItem, weights: np.ndarray) -> None:
    """Centred on 0 (white), as far each way as the largest weight; NaN (no connection) white."""
    reach = float(np.nanmax(np.abs(weights), initial=0.0)) or 1.0
    image.setImage(np.nan_to_num(weights), levels=(-reach, reach))
