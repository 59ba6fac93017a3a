"""DESIGN.md's rules that code review alone would let slip."""
import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_IN_ENGINE = ("PySide6", "shiboken6", "pyqtgraph", "gui")


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_engine_never_imports_qt():
    offenders = {str(p.relative_to(ROOT)): sorted(imported_modules(p) & set(FORBIDDEN_IN_ENGINE))
                 for p in (ROOT / "engine").rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_every_engine_module_loads_no_qt():
    modules = [".".join(p.relative_to(ROOT).with_suffix("").parts) for p in (ROOT / "engine").rglob("*.py")]
    code = (f"import sys\nfor m in {modules!r}: __import__(m)\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN_IN_ENGINE!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_window_paints_before_importing_torch_or_pyqtgraph():
    """torch stays in the trainer process; pyqtgraph (0.2 s) waits for the window's first paint,
    just after which the Plots dock makes its plots."""
    code = ("import sys\nfrom PySide6.QtWidgets import QApplication, QGraphicsView\n"
            "app = QApplication([])\nfrom gui.main_window import MainWindow\n"
            "w = MainWindow(start_trainer=False)\nw.show()\nw.repaint()\napp.processEvents()\n"
            "print('torch' in sys.modules, 'pyqtgraph' in sys.modules)\n"
            "while len(w.plots.findChildren(QGraphicsView)) < 2: app.processEvents()\n"
            "print('torch' in sys.modules, 'pyqtgraph' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                              "XDG_CONFIG_HOME": "/tmp/neurocanvas-test-config"}, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["False False", "False True"]


WALL_CLOCKS = {"time", "perf_counter", "monotonic", "process_time", "perf_counter_ns",
               "monotonic_ns", "time_ns"}


def test_no_test_reads_the_wall_clock():
    """Machines here differ 4x in speed: a test waits for its result, and timings live in bench/."""
    readers = []
    for path in (ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "time"
                    and node.func.attr in WALL_CLOCKS):
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            elif isinstance(node, ast.ImportFrom) and node.module == "time":
                readers += [f"{path.relative_to(ROOT)}:{node.lineno}" for a in node.names
                            if a.name in WALL_CLOCKS]
    assert readers == []
