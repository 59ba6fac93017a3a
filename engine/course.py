"""A course: a folder of lesson files with course.json, which names them in order
(docs/lesson-format.md). The bundled course is resources/lessons."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from engine.errors import quoted
from engine.files import MIB, unreadable
from engine.io import FileFormatError
from engine.lesson import SUFFIX

FORMAT = "neurocanvas-course"
ORDER = "course.json"


@dataclass(frozen=True)
class Course:
    title: str
    folder: Path
    lessons: tuple[Path, ...]   # in the course's order


def bundled_folder() -> Path:
    return Path(str(resources.files("resources") / "lessons"))


def load(folder: str | os.PathLike) -> Course:
    """The course in folder; FileFormatError says what is wrong with its order (its lessons are
    read one at a time, as they are opened)."""
    folder = Path(folder)
    order = folder / ORDER
    if not folder.is_dir():
        raise FileFormatError(str(folder), "", "is not a folder")
    if not order.exists():
        found = sorted(p.name for p in folder.glob(f"*{SUFFIX}"))
        raise FileFormatError(str(folder), "", f"has no {ORDER}, which gives the lessons' order"
                              + (f" (it holds {len(found)} lesson files: list them in {ORDER} "
                                 "under \"lessons\")" if found else ""))
    why = unreadable(order, MIB)
    if why:
        raise FileFormatError(str(order), "", why)
    try:
        doc = json.loads(order.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise FileFormatError(str(order), "", f"not valid JSON ({e})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise FileFormatError(ORDER, "format", "this is not a NeuroCanvas course file")
    if doc.get("version") != 1:
        raise FileFormatError(ORDER, "version", f"{quoted(doc.get('version'))}: this NeuroCanvas "
                              "reads courses of version 1")
    title, names = doc.get("title"), doc.get("lessons")
    if not isinstance(title, str) or not title:
        raise FileFormatError(ORDER, "title", "should be the course's name")
    if not isinstance(names, list) or not names:
        raise FileFormatError(ORDER, "lessons", "should list the lesson files in order")
    for k, name in enumerate(names):
        if not isinstance(name, str) or "/" in name or "\\" in name or \
                not (folder / name).is_file():
            raise FileFormatError(ORDER, f"lessons[{k}]", f"{quoted(name)} is not a lesson file "
                                  "in the course's folder")
    if len(set(names)) != len(names):
        raise FileFormatError(ORDER, "lessons", "names a lesson twice")
    return Course(title, folder, tuple(folder / name for name in names))


def bundled() -> Course:
    return load(bundled_folder())
