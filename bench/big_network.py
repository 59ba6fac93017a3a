"""The window with a big network (784-1000-1000-10 by default, 1.79 M connections): opening the
file, a repaint, a weight and a bias edit, deleting and duplicating a neuron, adding a layer (after
a duplicate, so the layer's connections are no longer one block), the bias, activation and
position of a whole layer of 1,000, each with its undo (medians of three), and what the undo
stack holds. Goals (issue 7): open ≤ 1 s, repaint ≤ 50 ms, an edit ≤ 50 ms, undo memory per
step proportional to what the step changed.

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
from table import print_rows  # bench/table.py: run as a script, bench/ is on the path

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
    memory: list = []

    def select(nid: int) -> None:
        w.scene.clearSelection()
        w.scene.neurons[nid].setSelected(True)

    def undone(name: str, edit) -> None:
        """Median of three: the edit, then its undo (this machine's speed drifts)."""
        done, back = [], []
        for _ in range(3):
            select(hidden)
            done.append(timed(edit, 1))
            back.append(timed(doc.undo_step, 1))
        results[name], results[f"{name}: undo"] = statistics.median(done), statistics.median(back)
        if name == "delete a neuron":
            results["undo memory of the delete (MB)"] = _nbytes(memory[0]) / 1e6

    def edits() -> None:
        results["weight edit"] = timed(lambda: doc.push(commands.SetWeight(net, s, d, 0.5)))
        results["bias edit"] = timed(lambda: doc.push(commands.SetBias(net, [hidden], 0.25)))
        results["undo (bias)"] = timed(lambda: doc.undo_step(), 1)

        def delete() -> None:
            edit_ops.delete_selection(w.scene)
            memory[:] = [doc.undo.command(doc.undo.index() - 1).__dict__]
        undone("delete a neuron", delete)
        undone("duplicate a neuron", lambda: edit_ops.duplicate(w.scene))
        select(hidden)
        edit_ops.duplicate(w.scene)  # kept: the layer's connections are no longer one block
        undone("add a layer of 10 after it", lambda: edit_ops.insert_layer(w.scene, 10, "hidden", "relu"))
        layer = net.layers[1].neurons  # edits of a whole selected layer of 1,000
        rows = net.index(layer)
        undone("bias of a layer", lambda: doc.push(commands.SetBias(net, layer, 0.1)))
        undone("activation of a layer", lambda: doc.push_checked(
            lambda n: commands.SetActivation(n, layer, "tanh")))
        undone("move a layer", lambda: doc.push(commands.MoveNeurons(
            net, layer, net.pos[rows], net.pos[rows] + 30)))

    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(edits)
        pstats.Stats(profile).sort_stats("cumtime").print_stats(25)
    else:
        edits()
    print(f"{args.spec}: {net.n_neurons:,} neurons, {net.n_connections:,} connections")
    # built in the window: New from Spec, then Insert ▸ Network from Spec on an empty canvas
    results["New from Spec"] = timed(lambda: (w._new_spec(args.spec, "relu", "softmax"),
                                              app.processEvents()), 1)
    doc.replace(type(net)())
    results["Insert ▸ Network from Spec"] = timed(lambda: (edit_ops.insert_spec(
        w.scene, args.spec, "relu", "softmax"), app.processEvents()), 1)
    for name, value in results.items():
        unit = "" if "MB" in name else " ms"
        print(f"  {name:40s} {value if 'MB' in name else value * 1000:10.1f}{unit}")
    undo = {name.removesuffix(": undo"): value for name, value in results.items()
            if name.endswith(": undo")}
    print_rows([(name, f"{1000 * value:.1f} ms", f"{1000 * undo[name]:.1f} ms" if name in undo else "")
                for name, value in results.items() if not name.endswith(": undo") and "MB" not in name])
    w.doc.undo.setClean()
    w.close()


if __name__ == "__main__":
    main()
