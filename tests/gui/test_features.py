"""The Training dock's feature inputs: each toggle adds (or removes) an input neuron computing
x₁², x₂², … from the plane, one undo step; a perceptron with the squares learns the circles."""
from PySide6.QtCore import Qt

from engine.build import from_spec
from engine.datasets.features import labels_of
from engine.init import initialise
from tests.gui.drive import shortcut


def test_toggle_the_squares_then_a_single_neuron_learns_circles(qtbot, trained_window):
    w = trained_window
    net = from_spec("2-1", "sigmoid", "sigmoid")
    initialise(net, "xavier", seed=0)
    w.doc.replace(net)
    w.doc.settings.update({"dataset": "circles", "optimizer": "adam", "lr": 0.1,
                           "batch_size": 32, "epochs": 60})
    assert w.training.features["x₁²"].isVisible()
    for name in ("x₁²", "x₂²"):
        qtbot.mouseClick(w.training.features[name], Qt.MouseButton.LeftButton)
    assert labels_of(net) == ["", "", "x₁²", "x₂²"] and w.doc.undo.undoText() == "Add input x₂²"
    assert w.training.features["x₂²"].isChecked() and w.truth_table.table.rowCount() == 4
    w.doc.set_input(int(net.inputs[0]), 1.0)
    assert w.doc.input_vector().tolist() == [1.0, 0.0, 1.0, 0.0]  # x₁² computed from x₁
    epochs = []
    w.client.epochsEnded.connect(epochs.extend)
    with qtbot.waitSignal(w.client.finished, timeout=60000):
        qtbot.mouseClick(w.training.buttons["train"], Qt.MouseButton.LeftButton)
    assert epochs[-1]["test_accuracy"] > 0.95
    shortcut(w, "Ctrl+Z")  # the run
    qtbot.mouseClick(w.training.features["x₂²"], Qt.MouseButton.LeftButton)  # off again
    assert labels_of(net) == ["", "", "x₁²"] and w.doc.undo.undoText() == "Remove input x₂²"
    assert not w.training.features["x₂²"].isChecked()
