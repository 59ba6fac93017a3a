"""Autosave and recovery: every few seconds a modified network is written, atomically, to a
recovery file beside the settings; a clean close or a save removes it, so a recovery file found
at start-up means a session ended without saving, and the window offers it back. Each window
has files of its own, named by process and window, so two open windows never overwrite each
other's, and only those of a window that is gone (its process ended) are offered."""
from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path

from PySide6.QtCore import QIODevice, QObject, QSaveFile, QSettings, QTimer

from engine import io
from gui.document import Document

DEFAULT_S = 30
NETWORK, ABOUT = ".json", ".about.json"  # after the window's name: "<pid>-<n>"
_numbers = itertools.count(1)
_open: set[str] = set()  # the names of this process's windows that are still open


def private_folder(folder: Path) -> None:
    """The folder, made where missing, readable by this user only: it holds their work."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)


def keep_private(settings: QSettings) -> None:
    """The settings written now, readable by this user only (they name the user's files)."""
    settings.sync()
    path = Path(settings.fileName())
    if path.is_file():
        private_folder(path.parent)
        os.chmod(path, 0o600)


def _write(path: Path, text: str) -> None:
    f = QSaveFile(str(path))  # atomic: a crash while writing leaves the last recovery whole
    if f.open(QIODevice.OpenModeFlag.WriteOnly) and f.write(text.encode("utf-8")) >= 0:
        f.commit()
        os.chmod(path, 0o600)
    else:
        f.cancelWriting()


class Autosave(QObject):
    def __init__(self, doc: Document, folder: Path, interval_s: int = DEFAULT_S) -> None:
        super().__init__(doc)
        self.doc, self.folder = doc, folder
        self.name = name = f"{os.getpid()}-{next(_numbers)}"
        _open.add(name)
        # gone as the document goes: its undo stack then reports "clean" as it empties, which
        # is no save, so the recovery stays
        doc.destroyed.connect(lambda: _open.discard(name))
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.write)
        self.set_interval(interval_s)
        doc.undo.cleanChanged.connect(lambda clean: clean and name in _open and self.discard())

    def set_interval(self, seconds: int) -> None:
        """0 turns autosave off."""
        self.timer.stop()
        if seconds > 0:
            self.timer.start(seconds * 1000)

    def write(self) -> None:
        if not self.doc.modified:
            return
        private_folder(self.folder.parent)  # the settings' folder
        private_folder(self.folder)
        _write(self.network_file, io.dumps(self.doc.network))
        _write(self.folder / (self.name + ABOUT), json.dumps(
            {"path": str(self.doc.path) if self.doc.path else None, "name": self.doc.name,
             "time": time.time()}))

    def discard(self, name: str | None = None) -> None:
        """Removes this window's recovery files, or those of the window of that name."""
        for end in (NETWORK, ABOUT):
            (self.folder / ((name or self.name) + end)).unlink(missing_ok=True)

    def pending(self) -> dict | None:
        """The newest recovery a window that is gone left: {"path", "name", "time", "window"}
        (the window's name, for network_of and discard), or None."""
        found = []
        for about_file in self.folder.glob("*" + ABOUT):
            name = about_file.name[:-len(ABOUT)]
            if not _gone(name) or not (self.folder / (name + NETWORK)).is_file():
                continue
            try:
                about = json.loads(about_file.read_text())
            except (OSError, ValueError):
                continue
            if isinstance(about, dict) and isinstance(about.get("time", 0), (int, float)):
                found.append({**about, "window": name})
        return max(found, key=lambda about: about.get("time", 0), default=None)

    def network_of(self, window: str) -> Path:
        return self.folder / (window + NETWORK)

    @property
    def network_file(self) -> Path:
        return self.network_of(self.name)


def _gone(window: str) -> bool:
    """Whether the window of that name has closed or crashed: its process ended, or it was one
    of this process's and is no longer open."""
    pid = window.split("-", 1)[0]
    if not pid.isdigit():
        return False
    return window not in _open if int(pid) == os.getpid() else not io.process_alive(int(pid))
