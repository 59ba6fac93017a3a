"""Lesson files: versioned JSON (docs/lesson-format.md), read with the same care as a network file.

A lesson is a network to start from (a bundled example, a network file beside the lesson, or one
written inside it), training settings laid over the network's own, a task in Qt's rich text,
hints shown one at a time, goals (engine.goals) and the controls it hides.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from collections.abc import Iterator
from typing import Any

from engine import goals, io
from engine.datasets import Dataset
from engine.errors import EngineError, quoted
from engine.files import MIB, unreadable
from engine.io import FileFormatError
from engine.network import Network
from engine.plan import Plan

FORMAT = "neurocanvas-lesson"
VERSION = 1
SUFFIX = ".lesson.json"
SOLUTION = ".solution.json"
MAX_BYTES = 256 * MIB  # as the window's network files: a lesson may hold one
MAX_TEXT = 20_000
# what a lesson can hide (classroom mode): the docks by name, and the Train button
CONTROLS = ("inspector", "training", "history", "truth-table", "mnist", "plots",
            "learn-one-sample", "decision-boundary", "layers", "loss-surface", "map", "train")
FIELDS = ("format", "version", "title", "network", "training", "task", "hints", "goals", "hide",
          "next")


def examples_folder() -> Path:
    return Path(str(resources.files("resources") / "examples"))


@dataclass
class Lesson:
    title: str
    network: Network                 # the start, with the lesson's settings laid over its own
    task: str = ""                   # Qt rich text
    hints: list[str] = field(default_factory=list)
    goals: list[dict] = field(default_factory=list)
    hide: list[str] = field(default_factory=list)
    next: str = ""                   # said once every goal is met
    source: Any = None               # "network" as the file gave it: an example's name, a file
    path: Path | None = None

    def solution_path(self) -> Path | None:
        """NAME.solution.json beside NAME.lesson.json, where there is one."""
        if self.path is None or not self.path.name.endswith(SUFFIX):
            return None
        found = self.path.with_name(self.path.name[:-len(SUFFIX)] + SOLUTION)
        return found if found.is_file() else None


def _text(doc: dict, key: str, where: str, required: bool = False) -> str:
    if key not in doc:
        if required:
            raise FileFormatError(where, key, "missing")
        return ""
    value = doc[key]
    if not isinstance(value, str):
        raise FileFormatError(where, key, f"{quoted(value)} should be text")
    if len(value) > MAX_TEXT:
        raise FileFormatError(where, key, f"{len(value):,} characters is more than the "
                              f"{MAX_TEXT:,} a lesson's text may have")
    return value


def _list(doc: dict, key: str, where: str) -> list:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise FileFormatError(where, key, f"{quoted(value)} should be a list")
    return value


def _network(value: Any, folder: Path | None, where: str) -> Network:
    """The start: an example's name, {"file": a network file beside the lesson}, or a network."""
    if isinstance(value, str):
        path = examples_folder() / f"{value}.json"
        if os.sep in value or "/" in value or not path.is_file():
            names = sorted(p.stem for p in examples_folder().glob("*.json"))
            raise FileFormatError(where, "network", f"{quoted(value)} is not a bundled example "
                                  f"({', '.join(names)})")
        return io.load(path)
    if isinstance(value, dict) and set(value) == {"file"}:
        name = value["file"]
        if not isinstance(name, str) or not name or "/" in name or "\\" in name or name in (".", ".."):
            raise FileFormatError(where, "network.file", "should be the name of a network file "
                                  "in the lesson's folder")
        if folder is None:
            raise FileFormatError(where, "network.file", "a lesson read from text has no folder")
        try:
            return io.load(folder / name, limit=None)
        except FileFormatError as e:
            raise FileFormatError(where, "network.file", str(e)) from None
    if isinstance(value, dict):
        try:
            return io.from_dict(value, f"{where}: network")
        except FileFormatError as e:
            raise FileFormatError(where, f"network.{e.field}".rstrip("."), e.why) from None
    raise FileFormatError(where, "network", "should be a bundled example's name, "
                          "{\"file\": NAME} or a network object")


def _names(lesson: Lesson, where: str) -> None:
    """Every neuron a goal names is in the lesson's own network."""
    for k, goal in enumerate(lesson.goals):
        for key in ("neuron", "from", "to"):
            if key in goal and goals.find(lesson.network, goal[key]) is None:
                raise FileFormatError(where, f"goals[{k}].{key}", f"the lesson's network has no "
                                      f"neuron {quoted(goal[key])}")


def from_dict(doc: Any, where: str = "<lesson>", folder: Path | None = None) -> Lesson:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise FileFormatError(where, "format", "this is not a NeuroCanvas lesson file")
    version = io._get(doc, "version", int, where, "")
    if not 1 <= version <= VERSION:
        raise FileFormatError(where, "version", f"the file is version {version}; this NeuroCanvas "
                              f"reads lessons of version 1 to {VERSION}")
    unknown = sorted(set(doc) - set(FIELDS))
    if unknown:
        raise FileFormatError(where, unknown[0], "is not a field of a lesson")
    if "network" not in doc:
        raise FileFormatError(where, "network", "missing")
    net = _network(doc["network"], folder, where)
    net.training = {**net.training, **io._training(doc.get("training", {}), where)}
    hints = _list(doc, "hints", where)
    for k, hint in enumerate(hints):
        if not isinstance(hint, str) or len(hint) > MAX_TEXT:
            raise FileFormatError(where, f"hints[{k}]", f"should be text of at most {MAX_TEXT:,} "
                                  "characters")
    hide = _list(doc, "hide", where)
    for k, name in enumerate(hide):
        if name not in CONTROLS:
            raise FileFormatError(where, f"hide[{k}]", f"{quoted(name)} is not one of "
                                  f"{', '.join(CONTROLS)}")
    try:
        checked = [goals.check(g, f"goals[{k}]") for k, g in enumerate(_list(doc, "goals", where))]
    except goals.GoalError as e:
        raise FileFormatError(where, e.field, e.why) from None
    io._savable(doc, where)
    lesson = Lesson(_text(doc, "title", where, required=True), net, _text(doc, "task", where),
                    hints, checked, hide, _text(doc, "next", where),
                    doc["network"] if not isinstance(doc["network"], dict) or
                    "file" in doc["network"] else None)
    _names(lesson, where)
    return lesson


def loads(text: str, where: str = "<lesson>", folder: Path | None = None) -> Lesson:
    try:
        doc = json.loads(text, parse_constant=lambda c: c)
    except (json.JSONDecodeError, RecursionError, ValueError) as e:
        raise FileFormatError(where, "", f"not valid JSON ({e})") from None
    return from_dict(doc, where, folder)


def load(path: str | os.PathLike) -> Lesson:
    path = Path(path)
    why = unreadable(path, MAX_BYTES)
    if why:
        raise FileFormatError(str(path), "", why)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise FileFormatError(str(path), "", f"cannot be read ({e})") from None
    lesson = loads(text, path.name, path.parent)
    lesson.path = path
    return lesson


def is_lesson(path: str | os.PathLike) -> bool:
    """A lesson file, by its name or by its first bytes (a lesson saved under another name)."""
    if str(path).endswith(SUFFIX):
        return True
    if unreadable(path, MAX_BYTES):  # a FIFO would block the read: io.load says why
        return False
    try:
        with open(path, "rb") as f:
            head = f.read(200)
    except OSError:
        return False
    return f'"format": "{FORMAT}"'.encode() in head


def to_dict(lesson: Lesson) -> dict[str, Any]:
    """The lesson with its network written inside it: one file to hand out."""
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "title": lesson.title,
                           "task": lesson.task, "hints": lesson.hints, "goals": lesson.goals,
                           "hide": lesson.hide}
    if lesson.next:
        doc["next"] = lesson.next
    doc["network"] = io.to_dict(lesson.network, with_resume=False)
    return doc


def save(lesson: Lesson, path: str | os.PathLike) -> None:
    why = io.target_problem(path)
    if why:
        raise EngineError(why)
    try:
        text = json.dumps(to_dict(lesson), allow_nan=False, indent=1, ensure_ascii=False)
    except ValueError:
        raise EngineError("the network holds a NaN or infinite number and cannot be saved") from None
    io.write_atomic(text, path)


def data_of(values: dict) -> Dataset:
    """The data set a network's settings name (loaded once for the same settings)."""
    from engine.datasets.registry import args_of, cached  # noqa: PLC0415
    return cached(args_of(values))


def work(net: Network, trained: bool, values: dict | None = None,
         plan: Plan | None = None) -> goals.Work:
    """What goals are measured on, for this network as it is; values: its training settings
    where they are not (yet) in the network (the window's Training dock)."""
    values = dict(net.training if values is None else values)
    return goals.Work(net, values, trained, lambda: data_of(values), plan)


def measuring(lesson: Lesson, net: Network, trained: bool, values: dict | None = None,
              plan: Plan | None = None) -> Iterator[None]:
    """Every goal's result, yielding between chunks of samples (a window's events go between)."""
    on = work(net, trained, values, plan)
    results = []
    for goal in lesson.goals:
        results.append((yield from goals.measuring(goal, on)))
    return results


def measure(lesson: Lesson, net: Network, trained: bool,
            values: dict | None = None) -> list[goals.Result]:
    on = work(net, trained, values)
    return [goals.measure(goal, on) for goal in lesson.goals]
