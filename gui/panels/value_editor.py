"""A number with a spin box and a slider; a slider drag, or a wheel gesture on the focused
field, is one undo step (one merge token)."""
from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QSlider, QWidget

from gui.commands import WHEEL_GESTURE_S, new_drag_token

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
        self._wheel: tuple[int, float] | None = None  # the gesture's token, its last notch
        self._wheeling = False
        for field in (self.spin, self.slider):
            field.installEventFilter(self)
        self.slider.sliderPressed.connect(self._new_drag)
        self.slider.valueChanged.connect(self._from_slider)
        self.spin.valueChanged.connect(self._from_spin)

    def _new_drag(self) -> None:
        self._token = new_drag_token()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Notches of the wheel close together on a focused field: one gesture, one token."""
        if event.type() == QEvent.Type.Wheel and watched.hasFocus():
            now = time.monotonic()
            if self._wheel is None or now - self._wheel[1] > WHEEL_GESTURE_S:
                self._wheel = (new_drag_token(), now)
            self._wheel = (self._wheel[0], now)
            self._wheeling = True
            try:
                watched.wheelEvent(event)
            finally:
                self._wheeling = False
            return True
        return False

    def _gesture(self) -> int:
        if self._wheeling:
            return self._wheel[0]
        return self._token if self.slider.isSliderDown() else 0

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
            self.edited.emit(value, self._gesture())

    def _from_spin(self, value: float) -> None:
        if not self._updating:
            self._updating = True
            self.slider.setValue(round(value * SLIDER_SCALE))
            self._updating = False
            self.edited.emit(value, self._gesture())
