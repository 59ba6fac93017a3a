"""Both themes: disabled looks disabled, a checked toggle looks checked, the truth table's marks
are readable (WCAG AA, 4.5:1) and the plots follow the theme."""
import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from gui.plotting import BACKGROUND
from gui.theme import contrast

Role, Group = QPalette.ColorRole, QPalette.ColorGroup


@pytest.fixture(params=[False, True], ids=["light", "dark"])
def themed_window(request, window):
    if window.actions_by_name["dark"].isChecked() != request.param:
        window.actions_by_name["dark"].trigger()
    yield window, request.param
    if request.param:
        window.actions_by_name["dark"].trigger()  # back to light for the other tests


def test_disabled_text_looks_disabled(themed_window):
    palette = QApplication.instance().palette()
    button = palette.color(Group.Active, Role.Button)
    enabled = contrast(palette.color(Group.Active, Role.ButtonText), button)
    disabled = contrast(palette.color(Group.Disabled, Role.ButtonText),
                        palette.color(Group.Disabled, Role.Button))
    assert enabled >= 4.5 and disabled < enabled / 2


def test_a_checked_toggle_looks_checked(themed_window):
    window, _dark = themed_window
    bar = window.toolbar
    checked = bar.widgetForAction(window.actions_by_name["tool_select"])
    unchecked = bar.widgetForAction(window.actions_by_name["tool_input"])
    assert checked.isChecked() and not unchecked.isChecked()
    face = [w.grab().toImage().pixelColor(4, w.height() // 2) for w in (checked, unchecked)]
    assert contrast(*face) > 2


def test_the_truth_tables_marks_are_readable(themed_window):
    window, _dark = themed_window
    window.open_example("and")
    table = window.truth_table.table
    last = table.columnCount() - 1
    for r in range(table.rowCount()):
        item = table.item(r, last)
        assert item.text() in ("✓", "✗")
        assert contrast(item.foreground().color(), item.background().color()) >= 4.5


def test_the_plots_follow_the_theme(qtbot, themed_window):
    window, dark = themed_window
    window.docks["Plots"].raise_()
    qtbot.waitUntil(lambda: window.plots._plots is not None)
    for plot in window.plots._plots:
        assert plot.backgroundBrush().color() == QColor(*BACKGROUND[dark])
    window.actions_by_name["dark"].trigger()  # switched while open: they follow
    for plot in window.plots._plots:
        assert plot.backgroundBrush().color() == QColor(*BACKGROUND[not dark])
    window.actions_by_name["dark"].trigger()


def test_the_mnist_captions_are_readable(qtbot, themed_window):
    from gui.panels.digits import caption_colours
    window, _dark = themed_window
    window.open_example("mnist-784-32-10")
    grid = window.mnist.grid
    background = grid.palette().color(grid.backgroundRole())
    for colour in caption_colours(background):
        assert contrast(colour, background) >= 4.5
