"""Start here: the bundled course's lessons in order, each course folder the user opened, and
a ✓ beside every lesson whose goals the user has met."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMenu

from engine import course, lesson
from engine.errors import EngineError
from gui.lesson_run import is_done

if TYPE_CHECKING:
    from gui.main_window import MainWindow

MAX_COURSES = 8


def _title(path: Path) -> str:
    """A lesson's title, read from its file; its file name where it cannot be read."""
    try:
        return lesson.load(path).title
    except EngineError:
        return path.name


class CourseMenu:
    def __init__(self, window: MainWindow, menu: QMenu) -> None:
        self.window, self.menu = window, menu
        self._titles: dict[Path, str] = {}
        menu.aboutToShow.connect(self.fill)
        self.fill()

    def courses(self) -> list[str]:
        return [str(p) for p in self.window.settings.value("courses", [], type=list)]

    def fill(self) -> None:
        """The menu anew: the ticks follow the user's progress."""
        self.menu.clear()
        self._add_course(course.bundled(), self.menu)
        for folder in self.courses():
            try:
                opened = course.load(folder)
            except EngineError:
                continue  # moved or deleted since: it is dropped when a course is opened next
            self._add_course(opened, self.menu.addMenu(opened.title))
        self.menu.addSeparator()
        action = self.menu.addAction("Open &Course Folder…", self.open_dialog)
        action.setToolTip("A folder of lesson files with course.json, which gives their order")

    def _add_course(self, chosen: course.Course, menu: QMenu) -> None:
        settings = self.window.settings
        for k, path in enumerate(chosen.lessons):
            if path not in self._titles:
                self._titles[path] = _title(path)
            mark = "✓ " if is_done(settings, path) else ""
            action = menu.addAction(f"{mark}{k + 1}. {self._titles[path]}",
                                    lambda p=path: self.window.start_lesson(p))
            action.setToolTip(f"{path.name}: open the lesson and its network")

    def open_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "Open a course folder")
        if folder:
            self.open_folder(folder)

    def open_folder(self, folder: str) -> bool:
        """Adds a course folder to Start here; a folder that is no course shows why."""
        try:
            opened = course.load(folder)
        except EngineError as e:
            self.window.show_error("Cannot open the course", str(e))
            return False
        kept = [f for f in self.courses() if f != str(opened.folder) and Path(f).is_dir()]
        self.window.settings.setValue("courses", [str(opened.folder), *kept][:MAX_COURSES])
        self.fill()
        self.window.statusBar().showMessage(f"“{opened.title}” is in Start here: "
                                            f"{len(opened.lessons)} lessons.", 8000)
        return True
