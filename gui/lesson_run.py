"""The open lesson: its goals checked as the network changes, the controls it hides (classroom
mode), and the student's progress, kept per user in QSettings."""
from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

from engine import lesson as lessons
from engine.goals import Result
from engine.lesson import Lesson
from gui.training_settings import DATA

if TYPE_CHECKING:
    from gui.main_window import MainWindow

# a lesson file's control names (engine.lesson.CONTROLS) and the window's docks
DOCKS = {"inspector": "Inspector", "training": "Training", "history": "History",
         "truth-table": "Truth table", "mnist": "MNIST", "plots": "Plots",
         "learn-one-sample": "Learn one sample", "decision-boundary": "Decision boundary",
         "layers": "Layers", "loss-surface": "Loss surface", "map": "Map"}
CHECK_MS = 250     # goals are measured at most four times a second after edits,
RUNNING_MS = 2000  # and every two seconds while a run trains
TICK_S = 0.008     # the share of an event-loop turn a measurement takes
DATA_GOALS = {"accuracy", "loss"}  # measured over a data set


def progress_key(where: str) -> str:
    """Where a lesson's progress is kept: under its file's full path (or a title)."""
    return "lessons/" + where.replace("\\", "/").replace("/", "|")


def is_done(settings: QSettings, path: Path) -> bool:
    return settings.value(progress_key(str(path.resolve())), False, type=bool)


class LessonRun(QObject):
    """Follows the window's document while a lesson is open. Goals are measured a chunk of
    samples per turn of the event loop, on a copy of the network, so that measuring the test
    set at 784-1000-1000-10 (170 ms) never holds the window."""
    done = Signal(str)  # every goal met: the lesson's title

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.lesson: Lesson | None = None
        self.trained = False  # a run has trained the network since the lesson opened
        self.results: list[Result] = []
        self._by_lesson: set[str] = set()  # the controls the lesson hid
        self._pass: Iterator[None] | None = None
        self._stale = False  # the network changed while a pass measured it
        self._keep = False   # the next network is the student's own, built for the lesson
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        self.ticker = QTimer(self)
        self.ticker.timeout.connect(self._tick)
        doc = window.doc
        for signal in (doc.traceChanged, doc.structureChanged, doc.settings.changed):
            signal.connect(self._changed)
        doc.replaced.connect(self._replaced)
        window.training.runStarted.connect(self._trained)
        window.training.runningChanged.connect(
            lambda running: self.timer.setInterval(RUNNING_MS if running else CHECK_MS))
        window.lesson.closed.connect(self.stop)

    def start(self, lesson: Lesson) -> None:
        """Call after the lesson's network is the document's; its goals are measured at once."""
        self.lesson, self.trained = lesson, False
        self._hide(lesson.hide)
        for goal in lesson.goals:  # the Truth table dock shows what the goal asks
            if goal["kind"] == "truth_table" and "targets" in goal:
                self.window.truth_table.set_targets(goal["targets"])
        self.window.lesson.show_lesson(lesson)
        self.check()
        while self._pass is not None:
            self._tick()

    def keep_through_replace(self) -> None:
        """The network about to replace the document is one the student builds (New, New from
        Spec) for the open lesson: the lesson stays, with its data set. Any other (a file, an
        example, another lesson) ends it."""
        self._keep = self.lesson is not None

    def _replaced(self) -> None:
        keep, self._keep = self._keep, False
        if not keep:
            self.stop()
            return
        self.trained, self.results = False, []
        data = {k: v for k, v in self.lesson.network.training.items() if k in DATA}
        self.window.doc.settings.update(data)
        self._hide(self.lesson.hide)
        self._changed()

    def stop(self) -> None:
        if self.lesson is None:
            return
        self.timer.stop()
        self.ticker.stop()
        self._pass, self._stale = None, False
        self._hide([])
        self.lesson, self.results = None, []
        self.window.lesson.hide()

    def _trained(self) -> None:
        self.trained = True
        self._changed()

    def _changed(self, *_: object) -> None:
        if self.lesson is None:
            return
        if self._pass is not None:
            self._stale = True
        elif not self.timer.isActive():
            self.timer.start()

    def check(self) -> None:
        """Starts measuring the goals on the network as it is now."""
        if self.lesson is None:
            return
        doc = self.window.doc
        data = any(goal["kind"] in DATA_GOALS for goal in self.lesson.goals)
        net = doc.network.copy() if data else doc.network  # a run goes on changing the original
        self._pass = lessons.measuring(self.lesson, net, self.trained, doc.settings.all(),
                                       doc.plan())
        self.ticker.start()

    def _tick(self) -> None:
        deadline = time.perf_counter() + TICK_S
        try:
            while time.perf_counter() < deadline:
                next(self._pass)
        except StopIteration as done:
            self._pass = None
            self.ticker.stop()
            self._show(done.value)
            if self._stale:
                self._stale = False
                self.timer.start()

    def _show(self, results: list[Result]) -> None:
        was_done = bool(self.results) and all(r.met for r in self.results)
        self.results = results
        self.window.lesson.show_results(results)
        if results and all(r.met for r in results) and not was_done:
            where = self.lesson.path.resolve() if self.lesson.path else self.lesson.title
            self.window.settings.setValue(progress_key(str(where)), True)
            self.window.statusBar().showMessage(f"Lesson “{self.lesson.title}”: every goal is "
                                                "met.", 8000)
            self.done.emit(self.lesson.title)
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
