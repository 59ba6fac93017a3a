"""File ▸ Export PyTorch Module / ONNX: the .py is written at once; ONNX needs torch, so it runs
in a process of its own while a progress dialog says so and offers Cancel."""
from __future__ import annotations

import multiprocessing as mp

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from engine.export import write_in_process
from engine.network import Network

POLL_MS = 100


class OnnxExport(QObject):
    """One ONNX export under way; done carries the path and "" or why it failed."""
    done = Signal(str, str)

    def __init__(self, net: Network, path: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.path = path
        ctx = mp.get_context("spawn")  # a fresh interpreter: no Qt state is copied into it
        self._conn, child = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=write_in_process, args=(net.copy(), path, child),
                                   daemon=True, name="neurocanvas-onnx-export")
        self.process.start()
        child.close()
        self.progress = QProgressDialog("Exporting ONNX (PyTorch traces the network)…", "Cancel",
                                        0, 0, parent)
        self.progress.setWindowTitle("Export ONNX")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.canceled.connect(self.cancel)
        self.progress.show()
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    def _poll(self) -> None:
        if self._conn.poll():
            try:
                problem = self._conn.recv()
            except EOFError:
                problem = "the export process ended without an answer"
            self._end(problem or "")
        elif not self.process.is_alive():
            self._end(f"the export process stopped unexpectedly (exit code {self.process.exitcode})")

    def cancel(self) -> None:
        if self._timer.isActive():
            self.process.terminate()
            self._end("cancelled")

    def _end(self, problem: str) -> None:
        self._timer.stop()
        self.progress.canceled.disconnect(self.cancel)
        self.progress.close()
        self.process.join(2)
        self.done.emit(self.path, problem)
        self.deleteLater()
