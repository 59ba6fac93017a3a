"""The window with a big network (784-1000-1000-10 by default, 1.79 M connections): opening the
file, a repaint, a weight edit, a bias edit, deleting a neuron, each with its undo, and what the
undo stack holds. Goals (issue 7): open ≤ 1 s, repaint ≤ 50 ms, an edit ≤ 50 ms, undo memory
per step proportional to what the step changed.

    QT_QPA_PLATFORM=offscreen python bench/big_network.py [--spec 784-1000-1000-10] [--profile]
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def timed(fn, repeat: int = 3) -> float:
    """Median seconds of fn() over repeat runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _nbytes(value: object) -> int:
    """The numpy bytes an undo step keeps, through its dicts, lists and dataclasses."""
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, dict):
        return sum(_nbytes(v) for k, v in value.items() if k != "net")  # the document's own
    if isinstance(value, (list, tuple)):
        return sum(_nbytes(v) for v in value)
    if hasattr(value, "__dataclass_fields__"):
        return sum(_nbytes(getattr(value, f)) for f in value.__dataclass_fields__)
    return 0


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--spec", default="784-1000-1000-10")
    p.add_argument("--profile", action="store_true", help="cProfile the edits, top 25 by cumtime")
    args = p.parse_args()
    from PySide6.QtCore import QSettings  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from engine import io  # noqa: PLC0415
    from engine.build import from_spec  # noqa: PLC0415
    from engine.init import initialise  # noqa: PLC0415
    from gui import commands, edit_ops  # noqa: PLC0415
    from gui.main_window import MainWindow  # noqa: PLC0415

    folder = Path(tempfile.mkdtemp())
    net = from_spec(args.spec, "relu", "softmax")
    initialise(net, "he", 0)
    io.save(net, folder / "big.json")
    app = QApplication([])
    w = MainWindow(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat), start_trainer=False)
    w.resize(1400, 900)
    w.show()
    app.processEvents()
    results = {"open": timed(lambda: (w.open_path(folder / "big.json"), app.processEvents()), 1)}
    results["repaint"] = timed(lambda: w.view.viewport().grab())
    doc, net = w.doc, w.doc.network
    s, d = int(net.src[len(net.src) // 2]), int(net.dst[len(net.dst) // 2])
    hidden = int(net.ids[net.role == 1][0])

    def edits() -> None:
        results["weight edit"] = timed(lambda: doc.push(commands.SetWeight(net, s, d, 0.5)))
        results["bias edit"] = timed(lambda: doc.push(commands.SetBias(net, [hidden], 0.25)))
        results["undo (bias)"] = timed(lambda: doc.undo_step(), 1)
        w.scene.clearSelection()
        w.scene.neurons[hidden].setSelected(True)
        results["delete a neuron"] = timed(lambda: edit_ops.delete_selection(w.scene), 1)
        step = doc.undo.command(doc.undo.index() - 1)
        results["undo memory of the delete (MB)"] = _nbytes(step.__dict__) / 1e6
        results["undo (delete)"] = timed(lambda: doc.undo_step(), 1)
        for name, edit in (("duplicate a neuron", lambda: edit_ops.duplicate(w.scene)),
                           ("add a layer of 10 after it",
                            lambda: edit_ops.insert_layer(w.scene, 10, "hidden", "relu"))):
            w.scene.clearSelection()
            w.scene.neurons[hidden].setSelected(True)
            start = time.perf_counter()
            problem = edit()
            results[name] = time.perf_counter() - start
            assert problem is None, problem
        results["undo (layer)"] = timed(lambda: doc.undo_step(), 1)

    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(edits)
        pstats.Stats(profile).sort_stats("cumtime").print_stats(25)
    else:
        edits()
    print(f"{args.spec}: {net.n_neurons:,} neurons, {net.n_connections:,} connections")
    for name, value in results.items():
        unit = "" if "MB" in name else " ms"
        print(f"  {name:32s} {value if 'MB' in name else value * 1000:10.1f}{unit}")
    w.doc.undo.setClean()
    w.close()


if __name__ == "__main__":
    main()
