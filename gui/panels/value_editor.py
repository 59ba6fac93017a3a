"""A number with a spin box and a slider; a slider drag is one undo step (one merge token)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QSlider, QWidget

from gui.commands import new_drag_token

SLIDER_SCALE = 100  # slider units per 1.0


class ValueEditor(QWidget):
    edited = Signal(float, int)  # the new value, and the drag's merge token (0: a step of its own)

    def __init__(self, slider_range: float = 10.0, tooltip: str = "") -> None:
        super().__init__()
        self.spin = QDoubleSpinBox()
        self.spin.setRange(-1e6, 1e6)
        self.spin.setDecimals(4)
        self.spin.setSingleStep(0.1)
        self.spin.setKeyboardTracking(False)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(round(-slider_range * SLIDER_SCALE), round(slider_range * SLIDER_SCALE))
        self.setToolTip(tooltip)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.spin, 1)
        layout.addWidget(self.slider, 2)
        self._updating = False
        self._token = 0
        self.slider.sliderPressed.connect(self._new_drag)
        self.slider.valueChanged.connect(self._from_slider)
        self.spin.valueChanged.connect(self._from_spin)

    def _new_drag(self) -> None:
        self._token = new_drag_token()

    def set_value(self, value: float) -> None:
        self._updating = True
        self.spin.setValue(value)
        self.slider.setValue(round(value * SLIDER_SCALE))
        self._updating = False

    def value(self) -> float:
        return self.spin.value()

    def _from_slider(self, raw: int) -> None:
        if not self._updating:
            value = raw / SLIDER_SCALE
            self._updating = True
            self.spin.setValue(value)
            self._updating = False
            self.edited.emit(value, self._token if self.slider.isSliderDown() else 0)

    def _from_spin(self, value: float) -> None:
        if not self._updating:
            self._updating = True
            self.slider.setValue(round(value * SLIDER_SCALE))
            self._updating = False
            self.edited.emit(value, 0)
