"""Autosave and recovery: every few seconds a modified network is written, atomically, to a
recovery file beside the settings; a clean close or a save removes it, so a recovery file found
at start-up means the last session ended without saving, and the window offers it back."""
from __future__ import annotations

import json
import time
from pathlib import Path

from PySide6.QtCore import QIODevice, QObject, QSaveFile, QTimer

from engine import io
from gui.document import Document

DEFAULT_S = 30
NETWORK, ABOUT = "recovery.json", "recovery-about.json"


def _write(path: Path, text: str) -> None:
    f = QSaveFile(str(path))  # atomic: a crash while writing leaves the last recovery whole
    if f.open(QIODevice.OpenModeFlag.WriteOnly) and f.write(text.encode("utf-8")) >= 0:
        f.commit()
    else:
        f.cancelWriting()


class Autosave(QObject):
    def __init__(self, doc: Document, folder: Path, interval_s: int = DEFAULT_S) -> None:
        super().__init__(doc)
        self.doc, self.folder = doc, folder
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.write)
        self.set_interval(interval_s)
        doc.undo.cleanChanged.connect(lambda clean: clean and self.discard())

    def set_interval(self, seconds: int) -> None:
        """0 turns autosave off."""
        self.timer.stop()
        if seconds > 0:
            self.timer.start(seconds * 1000)

    def write(self) -> None:
        if not self.doc.modified:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        _write(self.folder / NETWORK, io.dumps(self.doc.network))
        _write(self.folder / ABOUT, json.dumps({"path": str(self.doc.path) if self.doc.path else None,
                                                "name": self.doc.name, "time": time.time()}))

    def discard(self) -> None:
        for name in (NETWORK, ABOUT):
            (self.folder / name).unlink(missing_ok=True)

    def pending(self) -> dict | None:
        """What a session that ended without saving left: {"path", "name", "time"}, or None."""
        try:
            about = json.loads((self.folder / ABOUT).read_text())
        except (OSError, ValueError):
            return None
        return about if (self.folder / NETWORK).is_file() and isinstance(about, dict) else None

    @property
    def network_file(self) -> Path:
        return self.folder / NETWORK
