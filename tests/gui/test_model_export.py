"""File ▸ Export PyTorch Module and Export ONNX, driven through the menu."""
import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QPushButton

from engine.export import load_module
from engine.trace import forward
from tests.gui.drive import choose


def _save_as(monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(path), ""))


def test_pytorch_module_from_the_menu_computes_what_the_canvas_shows(window, tmp_path, monkeypatch):
    window.open_example("xor-2-2-1")
    _save_as(monkeypatch, tmp_path / "xor")  # no extension typed: the chosen type's is added
    choose(window, "File", "Export PyTorch Module…")
    written = tmp_path / "xor.py"
    assert window.statusBar().currentMessage() == f"Exported {written}"
    model = load_module(written.read_text()).Network()
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
    a = model(torch.tensor(x)).detach().numpy()
    assert np.abs(a - forward(window.doc.network, x).outputs).max() < 1e-12
    assert load_module(written.read_text()).TITLE == "example xor-2-2-1 (2-2-1)"


def test_a_wrong_extension_is_refused_in_a_dialog(window, tmp_path, monkeypatch):
    _save_as(monkeypatch, tmp_path / "model.pt")
    choose(window, "File", "Export PyTorch Module…")
    box = window.findChild(QMessageBox, "error")
    assert box.isVisible() and "model.pt: NeuroCanvas exports a network as a PyTorch module" in box.text()
    assert not (tmp_path / "model.pt").exists()


def test_onnx_export_runs_beside_the_window_and_passes_the_checker(window, qtbot, tmp_path,
                                                                  monkeypatch):
    onnx = pytest.importorskip("onnx")
    pytest.importorskip("onnxscript")
    window.open_example("mnist-784-15-10")
    _save_as(monkeypatch, tmp_path / "digits.onnx")
    choose(window, "File", "Export ONNX…")
    progress = window.findChild(QProgressDialog)
    assert progress.isVisible() and "Exporting ONNX" in progress.labelText()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Exported"), timeout=120000)
    assert not progress.isVisible()
    onnx.checker.check_model(str(tmp_path / "digits.onnx"), full_check=True)


def test_cancelling_an_onnx_export_leaves_no_file_and_no_error(window, qtbot, tmp_path, monkeypatch):
    window.open_example("and")
    _save_as(monkeypatch, tmp_path / "gate.onnx")
    choose(window, "File", "Export ONNX…")
    progress = window.findChild(QProgressDialog)
    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not progress.isVisible())
    assert not (tmp_path / "gate.onnx").exists()
    assert window.findChild(QMessageBox, "error") is None
