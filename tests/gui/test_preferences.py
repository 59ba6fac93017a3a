"""Edit ▸ Preferences: applied at once, kept for the next session, the same as the View menu's."""
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from engine import io
from engine.build import from_spec
from gui.main_window import MainWindow
from gui.preferences import DEFAULTS, read
from tests.gui.drive import choose, shortcut, type_into


def _dialog(window):
    choose(window, "Edit", "Preferences…")
    dialog = window.findChild(QDialog, "preferences")
    assert dialog.isVisible()
    return dialog


def _press(qtbot, dialog, which):
    buttons = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(buttons.button(which), Qt.MouseButton.LeftButton)


def test_preferences_apply_at_once_and_come_back_next_session(window, qtbot, settings):
    d = _dialog(window)
    qtbot.keyClicks(d.theme, "Dark")
    qtbot.keyClicks(d.device, "CPU")
    type_into(d.autosave, "5")
    qtbot.keyClicks(d.animation, "Fast")
    qtbot.mouseClick(d.show_weights, Qt.MouseButton.LeftButton, pos=d.show_weights.rect().center())
    qtbot.mouseClick(d.neuron_maps, Qt.MouseButton.LeftButton, pos=d.neuron_maps.rect().center())
    qtbot.mouseClick(d.tile_saliency, Qt.MouseButton.LeftButton,
                     pos=d.tile_saliency.rect().center())
    _press(qtbot, d, QDialogButtonBox.StandardButton.Ok)
    try:
        assert not window.actions_by_name["neuron_maps"].isChecked()
        assert not window.actions_by_name["tile_saliency"].isChecked()
        assert not window.tile_saliency.enabled
        assert window.actions_by_name["dark"].isChecked()
        assert window.actions_by_name["show_weights"].isChecked() and window.scene.edges.show_labels
        assert window.actions_by_name["speed Fast"].isChecked()
        assert window.propagation.ms_per_level == 250
        assert window.autosave.timer.interval() == 5000
        window.new()
        assert window.training.device.currentData() == "cpu"  # a network that names no device
        settings.sync()
        again = MainWindow(QSettings(settings.fileName(), QSettings.Format.IniFormat),
                           start_trainer=False)
        qtbot.addWidget(again)
        assert again.prefs == {"dark": True, "device": "cpu", "autosave_s": 5,
                               "animation": "Fast", "show_weights": True, "neuron_maps": False,
                               "tile_saliency": False}
        assert again.actions_by_name["speed Fast"].isChecked() and again.scene.edges.show_labels
    finally:
        window.set_preferences(DEFAULTS)  # the theme is the whole application's
    assert not window.actions_by_name["dark"].isChecked()


def test_a_network_that_names_its_device_keeps_it(window, tmp_path):
    window.set_preference("device", "cpu")
    window.open_example("xor-2-2-1")  # its settings name no device: the preference
    assert window.training.device.currentData() == "cpu"
    net = from_spec("2-2-1")
    net.training = {"device": "auto"}
    io.save(net, tmp_path / "own.json")
    window.open_path(tmp_path / "own.json")
    assert window.training.device.currentData() == "auto"


def test_the_view_menu_and_the_dialog_show_one_preference(window, qtbot):
    window.actions_by_name["show_weights"].trigger()
    d = _dialog(window)
    assert d.show_weights.isChecked() and window.prefs["show_weights"]
    qtbot.mouseClick(d.show_weights, Qt.MouseButton.LeftButton, pos=d.show_weights.rect().center())
    _press(qtbot, d, QDialogButtonBox.StandardButton.Cancel)  # cancelled: nothing changes
    assert window.actions_by_name["show_weights"].isChecked() and window.scene.edges.show_labels


def test_nonsense_in_the_settings_file_gives_the_defaults(settings):
    for key, value in (("animation", "Warp"), ("autosave_s", -5), ("device", "tpu"), ("dark", "x"),
                       ("show_weights", 3)):
        settings.setValue(key, value)
    assert read(settings) == DEFAULTS


def test_a_number_that_is_no_number_gives_the_default(settings):
    settings.setValue("autosave_s", "soon")
    assert read(settings)["autosave_s"] == DEFAULTS["autosave_s"]


def test_ctrl_comma_opens_the_preferences(window, qtbot):
    shortcut(window, "Ctrl+,")
    dialog = window.findChild(QDialog, "preferences")
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
