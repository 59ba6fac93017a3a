"""The open lesson: its goals checked as the network changes, the controls it hides (classroom
mode), and the student's progress, kept per user in QSettings."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

from engine import lesson as lessons
from engine.goals import Result
from engine.lesson import Lesson

if TYPE_CHECKING:
    from gui.main_window import MainWindow

# a lesson file's control names (engine.lesson.CONTROLS) and the window's docks
DOCKS = {"inspector": "Inspector", "training": "Training", "history": "History",
         "truth-table": "Truth table", "mnist": "MNIST", "plots": "Plots",
         "learn-one-sample": "Learn one sample", "decision-boundary": "Decision boundary",
         "layers": "Layers"}
CHECK_MS = 250  # goals are measured at most four times a second, while training too


def progress_key(where: str) -> str:
    """Where a lesson's progress is kept: under its file's full path (or a title)."""
    return "lessons/" + where.replace("\\", "/").replace("/", "|")


def is_done(settings: QSettings, path: Path) -> bool:
    return settings.value(progress_key(str(path.resolve())), False, type=bool)


class LessonRun(QObject):
    """Follows the window's document while a lesson is open."""
    done = Signal(str)  # every goal met: the lesson's title

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.lesson: Lesson | None = None
        self.trained = False  # a run has trained the network since the lesson opened
        self.results: list[Result] = []
        self._by_lesson: set[str] = set()  # the controls the lesson hid
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        doc = window.doc
        for signal in (doc.traceChanged, doc.structureChanged, doc.settings.changed):
            signal.connect(self._changed)
        doc.replaced.connect(self.stop)  # a lesson goes with its network
        window.training.runStarted.connect(self._trained)
        window.lesson.closed.connect(self.stop)

    def start(self, lesson: Lesson) -> None:
        """Call after the lesson's network is the document's."""
        self.lesson, self.trained = lesson, False
        self._hide(lesson.hide)
        for goal in lesson.goals:  # the Truth table dock shows what the goal asks
            if goal["kind"] == "truth_table" and "targets" in goal:
                self.window.truth_table.set_targets(goal["targets"])
        self.window.lesson.show_lesson(lesson)
        self.check()

    def stop(self) -> None:
        if self.lesson is None:
            return
        self.timer.stop()
        self._hide([])
        self.lesson, self.results = None, []
        self.window.lesson.hide()

    def _trained(self) -> None:
        self.trained = True
        self._changed()

    def _changed(self, *_: object) -> None:
        if self.lesson is not None and not self.timer.isActive():
            self.timer.start()

    def check(self) -> list[Result]:
        if self.lesson is None:
            return []
        doc = self.window.doc
        was_done = bool(self.results) and all(r.met for r in self.results)
        self.results = lessons.measure(self.lesson, doc.network, self.trained, doc.settings.all())
        self.window.lesson.show_results(self.results)
        if self.results and all(r.met for r in self.results) and not was_done:
            where = self.lesson.path.resolve() if self.lesson.path else self.lesson.title
            self.window.settings.setValue(progress_key(str(where)), True)
            self.window.statusBar().showMessage(f"Lesson “{self.lesson.title}”: every goal is "
                                                "met.", 8000)
            self.done.emit(self.lesson.title)
        return self.results

    def _hide(self, controls: list[str]) -> None:
        """Classroom mode: the lesson's hidden docks and Train go, the others come back."""
        for name, dock in DOCKS.items():
            self.window.docks[dock].toggleViewAction().setVisible(name not in controls)
            if name in controls:
                self.window.docks[dock].hide()
            elif name in self._by_lesson:
                self.window.docks[dock].show()
        training = self.window.training
        for name in ("train", "continue"):
            training.buttons[name].setVisible("train" not in controls)
        training.run_action("train").setVisible("train" not in controls)
        self._by_lesson = set(controls)
