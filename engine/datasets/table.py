"""Your own data from a CSV file: read as text (header detected), then made a Dataset from the
columns chosen as inputs and target, with a seeded train/test split and a normalisation fitted on
the training rows. Every problem names the file's row and column.

A network keeps the table and the choices in its training settings ("csv"), so the data set
travels with its file and the trainer process rebuilds exactly the same one.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Generator, Iterable, Iterator, TextIO

import numpy as np

from engine.datasets import Dataset, DatasetError
from engine.errors import quoted
from engine.files import MIB, unreadable

MAX_ROWS = 100_000
MAX_CELLS = 10_000_000  # 100,000 rows of 100 columns
MAX_BYTES = 256 * MIB
MAX_CLASSES = 100
KINDS = ("auto", "classes", "numbers")   # the target: auto, one-hot classes, or numbers to fit
NORMALISATIONS = ("none", "standard", "minmax")


def cell_number(cell: str) -> float | None:
    """The cell as a finite number, or None."""
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[str]
    rows: list[list[str]]
    first_line: int  # the file's line of rows[0], for messages
    # what was read of each column, once per table: a dialog asks again at every change
    _read: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def _places(self) -> dict[str, int]:
        return {name: k for k, name in enumerate(self.columns)}

    def column(self, name: str) -> int:
        if name not in self._places:
            listed = ", ".join(self.columns[:12]) + (", …" if len(self.columns) > 12 else "")
            raise DatasetError(f"{self.name}: there is no column {name!r}; it has {listed}")
        return self._places[name]

    def cells(self, name: str) -> list[str]:
        return self._once(("cells", name), lambda: [row[self.column(name)] for row in self.rows])

    def numbers(self, name: str) -> np.ndarray:
        """The column as numbers (read-only); the first cell that is not one is named by row
        and column."""
        return self._once(("numbers", name), lambda: self._numbers(name))

    def _numbers(self, name: str) -> np.ndarray:
        cells = self.cells(name)
        try:
            out = np.array(cells, dtype=float)  # float()'s own rules, at C speed
        except ValueError:
            out = None
        if out is None or not np.isfinite(out).all():
            r = next(r for r, cell in enumerate(cells) if cell_number(cell) is None)
            raise DatasetError(f"{self.name}: row {r + self.first_line}, column {name!r}: "
                               f"{cells[r]!r} is not a number")
        out.flags.writeable = False
        return out

    def _once(self, key: tuple, read: Callable[[], Any]) -> Any:
        if key not in self._read:
            try:
                self._read[key] = read()
            except DatasetError as e:
                self._read[key] = e
        found = self._read[key]
        if isinstance(found, DatasetError):
            raise found
        return found


def read_table(text: str, name: str = "data.csv") -> Table:
    """Parses CSV text: a first row with a cell that is not a number is the header (else the
    columns are named x1, x2, …); every row must have the header's number of cells."""
    return _finished(_read(io.StringIO(text), name, len(text)))


STEP_ROWS = 500  # rows read between two reports of how far the reading is


def _read(stream: TextIO, name: str, size: int) -> Generator[float, None, Table]:
    """Reads row by row, saying every STEP_ROWS rows how far it is (a share of size, in
    characters), and stops at the first row past a limit: a huge file costs no more than the
    limit before it is refused."""
    try:
        dialect = csv.Sniffer().sniff(stream.read(4096), delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    stream.seek(0)
    done = [0]
    reader = csv.reader(_counted(stream, done), dialect)
    lines: list[tuple[int, list[str]]] = []
    cells, start = 0, 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                lines.append((start, [cell.strip() for cell in row]))
                cells += len(row)
                if len(lines) > MAX_ROWS + 1 or cells > MAX_CELLS:
                    raise DatasetError(f"{name}: more than {MAX_ROWS:,} rows or "
                                       f"{MAX_CELLS:,} cells; a table here may have at most that")
            start = reader.line_num + 1
            if start % STEP_ROWS == 0:
                yield min(done[0] / max(size, 1), 1.0)
    except csv.Error as e:
        why = (f"a cell is longer than {csv.field_size_limit():,} characters, or a quote is "
               "never closed" if "field limit" in str(e) else str(e))
        raise DatasetError(f"{name}: line {start}: {why}") from None
    return _table(lines, name)


def _counted(lines: Iterable[str], done: list[int]) -> Iterator[str]:
    for line in lines:
        done[0] += len(line)
        yield line


def _finished(steps: Generator[float, None, Table]) -> Table:
    while True:
        try:
            next(steps)
        except StopIteration as end:
            return end.value


def _table(lines: list[tuple[int, list[str]]], name: str) -> Table:
    if not lines:
        raise DatasetError(f"{name}: the file holds no rows")
    first = lines[0][1]
    header = any(cell_number(cell) is None for cell in first)
    columns = first if header else [f"x{k + 1}" for k in range(len(first))]
    if header and len(set(columns)) != len(columns):
        raise DatasetError(f"{name}: row {lines[0][0]}: two columns share a name")
    body = lines[1:] if header else lines
    if not body:
        raise DatasetError(f"{name}: the file has a header but no rows")
    if len(body) > MAX_ROWS:
        raise DatasetError(f"{name}: {len(body):,} rows is more than {MAX_ROWS:,}")
    for line, row in body:
        if len(row) != len(columns):
            raise DatasetError(f"{name}: row {line} has {len(row)} cells; the "
                               f"{'header' if header else 'first row'} has {len(columns)}")
    return Table(name, columns, [row for _, row in body], body[0][0])


def read_file(path: str | Path) -> Table:
    """A CSV file, refused before reading when it is no file or too big to be a table here."""
    return _finished(reading(path))


def reading(path: str | Path) -> Generator[float, None, Table]:
    """read_file a step at a time: yields how far it is (a share) every few hundred rows and
    returns the Table, so that a window reads a big file between its events, with progress and
    Cancel (closing the generator), and no thread."""
    path = Path(path)
    why = unreadable(path, MAX_BYTES)
    if why:
        raise DatasetError(f"{path.name}: {why}")
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            return (yield from _read(stream, path.name, path.stat().st_size))
    except UnicodeDecodeError:
        raise DatasetError(f"{path.name}: is not UTF-8 text (a CSV file is)") from None
    except OSError as e:
        raise DatasetError(f"{path.name}: cannot read it: {e.strerror}") from None


def target_kind(table: Table, target: str, kind: str = "auto") -> str:
    """classes or numbers: auto takes classes for text, or for few whole numbers."""
    if kind != "auto":
        return kind
    try:
        values = table.numbers(target)
    except DatasetError:
        return "classes"
    few = len(np.unique(values[:10_000])) <= 10 and len(np.unique(values)) <= 10
    return "classes" if few and bool(np.all(values == np.round(values))) else "numbers"


def class_names(table: Table, target: str) -> list[str]:
    """The target's different values in class order: numbers by value, then text."""
    return table._once(("classes", target), lambda: sorted(
        set(table.cells(target)), key=lambda c: (cell_number(c) is None, cell_number(c) or 0, c)))


def spec_problem(spec: Any) -> tuple[str, str] | None:
    """The field of a network's "csv" setting that does not hold what make_dataset reads, and
    why, or None: a file's damaged table is refused when it opens, never in the middle of a run."""
    from engine.settings import NUMBERS, Limit  # noqa: PLC0415 (settings checks files, which hold this)
    if not isinstance(spec, dict):
        return "", "should be an object: the table and the choices"
    for key in ("name", "columns", "rows", "inputs", "target"):
        if key not in spec:
            return key, "missing"
    for key in ("name", "target"):
        if not isinstance(spec[key], str):
            return key, f"{quoted(spec[key])} should be text"
    columns, rows = spec["columns"], spec["rows"]
    if not (isinstance(columns, list) and columns and all(isinstance(c, str) for c in columns)):
        return "columns", "should be a list of column names"
    if len(set(columns)) != len(columns):
        return "columns", "two columns share a name"
    if not isinstance(rows, list) or not rows or len(rows) > MAX_ROWS:
        return "rows", f"should be a list of 1 to {MAX_ROWS:,} rows"
    for k, row in enumerate(rows):
        if not (isinstance(row, list) and len(row) == len(columns) and
                all(isinstance(c, str) for c in row)):
            return f"rows[{k}]", f"should be a list of {len(columns)} cells of text"
    inputs = spec["inputs"]
    if not (isinstance(inputs, list) and inputs and all(isinstance(c, str) for c in inputs)):
        return "inputs", "should be a list of column names"
    for key, names in (("inputs", inputs), ("target", [spec["target"]])):
        missing = next((c for c in names if c not in columns), None)
        if missing is not None:
            return key, f"{missing!r} is not one of the columns"
    classes = spec.get("classes", ["0"])
    if not (isinstance(classes, list) and 0 < len(classes) <= MAX_CLASSES and
            all(isinstance(c, str) for c in classes) and len(set(classes)) == len(classes)):
        return "classes", f"should be a list of 1 to {MAX_CLASSES} different class names"
    for key, choices in (("kind", KINDS), ("normalise", NORMALISATIONS)):
        if key in spec and spec[key] not in choices:
            return key, f"{quoted(spec[key])} is not one of {', '.join(choices)}"
    for key, limit in (("first_line", Limit(1, 10 ** 9, whole=True)),
                       ("test", NUMBERS["test_share"]), ("seed", NUMBERS["data_seed"])):
        why = limit.problem(spec[key]) if key in spec else None
        if why:
            return key, why
    return None


def _listed(table: Table, target: str, classes: list[str]) -> list[str]:
    """The classes a table names itself (painted points of class 1 alone are class 1, not the
    first of one), where every cell is one of them."""
    known = set(classes)
    for r, cell in enumerate(table.cells(target)):
        if cell not in known:
            raise DatasetError(f"{table.name}: row {r + table.first_line}, column {target!r}: "
                               f"{cell!r} is not one of the classes {', '.join(classes)}")
    return classes


@dataclass(frozen=True)
class Outline:
    """What make_dataset makes of a table and its choices, without making it."""
    n_train: int
    n_test: int
    kind: str                  # classes or numbers
    classes: list[str] | None  # the target's values, for classes


def outline(table: Table, spec: dict[str, Any], n_inputs: int | None = None,
            n_outputs: int | None = None) -> Outline:
    """make_dataset's checks and messages for these choices, and the split's sizes: each column
    is read once per table, so a dialog's change of a choice costs what changed. n_inputs and
    n_outputs, if given, must fit the chosen columns and target."""
    inputs, target = list(spec["inputs"]), spec["target"]
    if not inputs:
        raise DatasetError(f"{table.name}: choose at least one input column")
    if target in inputs:
        raise DatasetError(f"{table.name}: the column {target!r} cannot be an input and the target")
    if n_inputs is not None and len(inputs) != n_inputs:
        raise DatasetError(f"{table.name}: {len(inputs)} input column{'s' * (len(inputs) != 1)} "
                           f"chosen, but the network has {n_inputs} input neurons")
    for name in inputs:
        table.numbers(name)
    kind = target_kind(table, target, spec.get("kind", "auto"))
    n = len(table.rows)
    cut = n - int(round(n * spec.get("test", 0.2)))
    if cut < 1:
        raise DatasetError(f"{table.name}: {n} rows leave none to train on with a test share of "
                           f"{spec.get('test', 0.2)}")
    classes = (_listed(table, target, spec["classes"]) if "classes" in spec and kind == "classes"
               else class_names(table, target) if kind == "classes" else None)
    if classes is not None and len(classes) > MAX_CLASSES:
        raise DatasetError(f"{table.name}: the target {target!r} has {len(classes)} different "
                           f"values; as classes it may have at most {MAX_CLASSES}")
    if kind == "numbers":
        table.numbers(target)
    if n_outputs is not None:  # the data set's own check, on no rows
        none, empty = np.zeros(0, np.int64), np.zeros((0, len(inputs)), np.float32)
        Dataset(table.name, empty, none, empty, none, max(len(classes), 2) if classes else 0,
                y_train=None if classes else np.zeros((0, 1), np.float32)).train(n_outputs)
    return Outline(cut, n - cut, kind, classes)


def make_dataset(spec: dict[str, Any], n_inputs: int | None = None,
                 table: Table | None = None) -> Dataset:
    """The Dataset a network's "csv" setting describes: its table ("columns", "rows", "name",
    "first_line"), "inputs" (column names), "target", "kind", "test" (share), "normalise",
    "seed", and "classes" where the table names its classes in order. n_inputs, if given, must match the input columns. table: the spec's table, read
    already (its columns' numbers are kept)."""
    if table is None:
        problem = spec_problem(spec)
        if problem:
            raise DatasetError(f"the network's CSV data is damaged ({problem[0]}: {problem[1]}): "
                               "import the file again")
        table = Table(spec["name"], spec["columns"], spec["rows"], spec.get("first_line", 2))
    plan = outline(table, spec, n_inputs)
    x = np.stack([table.numbers(c) for c in spec["inputs"]], 1)
    order = np.random.default_rng(spec.get("seed", 0)).permutation(len(x))
    train, test = order[:plan.n_train], order[plan.n_train:]
    x = _normalised(x, train, spec.get("normalise", "standard")).astype(np.float32)
    if plan.classes is not None:
        number_of = {name: i for i, name in enumerate(plan.classes)}  # not index: rows × classes
        labels = np.array([number_of[cell] for cell in table.cells(spec["target"])], np.int64)
        return Dataset(table.name, x[train], labels[train], x[test], labels[test],
                       max(len(plan.classes), 2))
    y = table.numbers(spec["target"]).astype(np.float32)[:, None]
    none = np.zeros(len(x), np.int64)
    return Dataset(table.name, x[train], none[train], x[test], none[test], 0,
                   y_train=y[train], y_test=y[test])


def _normalised(x: np.ndarray, train: np.ndarray, how: str) -> np.ndarray:
    """Scaled by the training rows' statistics only: the test rows stay unseen."""
    if how == "none":
        return x
    fit = x[train]
    if how == "standard":
        spread = fit.std(0)
        return (x - fit.mean(0)) / np.where(spread > 0, spread, 1.0)
    low, high = fit.min(0), fit.max(0)
    return (x - low) / np.where(high > low, high - low, 1.0)


def spec_of(table: Table, inputs: list[str], target: str, kind: str = "auto", test: float = 0.2,
            normalise: str = "standard", seed: int = 0) -> dict[str, Any]:
    """The "csv" setting a network keeps: the table and the choices, plain JSON."""
    if kind not in KINDS or normalise not in NORMALISATIONS:
        raise DatasetError(f"kind should be one of {KINDS}, normalise one of {NORMALISATIONS}")
    return {"name": table.name, "columns": table.columns, "rows": table.rows,
            "first_line": table.first_line, "inputs": inputs, "target": target,
            "kind": kind, "test": test, "normalise": normalise, "seed": seed}
