"""Edit ▸ Preferences: what the app keeps between sessions (QSettings), with the dialog that
edits it. The View menu's theme, weight numbers and animation speed are the same preferences."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox, QComboBox, QSpinBox, QWidget

from engine.settings import CHOICES
from gui.canvas.propagation import SPEEDS
from gui.dialogs import Form
from gui.recovery import DEFAULT_S

DEFAULTS: dict[str, Any] = {"dark": False, "device": "auto", "autosave_s": DEFAULT_S,
                            "animation": "Normal", "show_weights": False, "neuron_maps": True,
                            "tile_saliency": True}
MAX_AUTOSAVE_S = 3600
DEVICES = dict(zip(CHOICES["device"], ("Auto (a CUDA GPU where PyTorch sees one)", "CPU",
                                         "CUDA GPU")))


def _value(settings: QSettings, key: str, default: Any) -> Any:
    raw = settings.value(key, default)
    if isinstance(default, bool):  # an ini file holds "true"/"false"; anything else is nonsense
        return raw if isinstance(raw, bool) else {"true": True, "false": False}.get(str(raw), default)
    try:
        return type(default)(raw)
    except (TypeError, ValueError):
        return default


def read(settings: QSettings) -> dict[str, Any]:
    """The preferences, each its default where the settings file holds none or nonsense."""
    found = {key: _value(settings, key, default) for key, default in DEFAULTS.items()}
    if found["device"] not in DEVICES:
        found["device"] = DEFAULTS["device"]
    if found["animation"] not in SPEEDS:
        found["animation"] = DEFAULTS["animation"]
    if not 0 <= found["autosave_s"] <= MAX_AUTOSAVE_S:
        found["autosave_s"] = DEFAULTS["autosave_s"]
    return found


class PreferencesDialog(Form):
    def __init__(self, values: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent, "Preferences")
        self.setObjectName("preferences")
        self.theme = QComboBox()
        self.theme.addItems(["Light", "Dark"])
        self.theme.setCurrentIndex(int(values["dark"]))
        self.device = QComboBox()
        for key, text in DEVICES.items():
            self.device.addItem(text, key)
        self.device.setCurrentIndex(self.device.findData(values["device"]))
        self.device.setToolTip("Where a network trains when its file names no device. A network "
                               "saved with its settings keeps its own (Training dock ▸ Device).")
        self.autosave = QSpinBox()
        self.autosave.setRange(0, MAX_AUTOSAVE_S)
        self.autosave.setSuffix(" s")
        self.autosave.setSpecialValueText("Off")
        self.autosave.setValue(values["autosave_s"])
        self.autosave.setToolTip("How often unsaved changes are written to a recovery file, "
                                 "offered back after a crash (0: off)")
        self.animation = QComboBox()
        for name, ms in SPEEDS.items():
            self.animation.addItem(f"{name} ({ms} ms a level)", name)
        self.animation.setCurrentIndex(self.animation.findData(values["animation"]))
        self.animation.setToolTip("How fast View ▸ Play Forward Pass moves from level to level")
        self.show_weights = QCheckBox("Write every weight on its connection")
        self.show_weights.setChecked(values["show_weights"])
        self.neuron_maps = QCheckBox("Show each neuron's output over the input plane")
        self.neuron_maps.setChecked(values["neuron_maps"])
        self.neuron_maps.setToolTip("For networks with 2 inputs: a picture inside every hidden "
                                    "and output neuron of its activation for every input point")
        self.tile_saliency = QCheckBox("Show what the answer rests on beside the digit")
        self.tile_saliency.setChecked(values["tile_saliency"])
        self.tile_saliency.setToolTip("For networks with a 28×28 input tile: ∂a_k/∂x and "
                                      "gradient × input of the answer k, under the tile")
        for label, widget in (("Theme", self.theme), ("Default device", self.device),
                              ("Autosave every", self.autosave),
                              ("Animation speed", self.animation),
                              ("Weight numbers", self.show_weights),
                              ("Neuron pictures", self.neuron_maps),
                              ("Saliency", self.tile_saliency)):
            self.form.addRow(label, widget)
        self.finish()

    def values(self) -> dict[str, Any]:
        return {"dark": self.theme.currentIndex() == 1, "device": self.device.currentData(),
                "autosave_s": self.autosave.value(), "animation": self.animation.currentData(),
                "show_weights": self.show_weights.isChecked(),
                "neuron_maps": self.neuron_maps.isChecked(),
                "tile_saliency": self.tile_saliency.isChecked()}
