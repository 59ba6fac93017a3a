"""The window while it trains 784-32-10 on MNIST (sigmoid, softmax, cross-entropy, SGD, batch 64
or --batch): event-loop lateness of a 10 ms QTimer (p50, p99), the cost of re-colouring every
connection from a snapshot, a repaint of the canvas in three views (the whole network, 1× and
4× on the first hidden layer, twice a second in turn), and training throughput beside the GUI
against the headless Trainer measured before and after it in this process.

    QT_QPA_PLATFORM=offscreen python bench/gui_latency.py [--data DIR] [--seconds 8]
        [--batch 32] [--select-hidden] [--animate 50]  # as a user watching one neuron would
        [--spec 784-1000-1000-10]   # a ReLU/softmax network of that shape instead of the example
"""
from __future__ import annotations

import argparse
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as main.py sets it for the window
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
TICK_MS = 10


VIEWS = {"whole network": None, "1x on the first hidden layer": 1.0,
         "4x on the first hidden layer": 4.0}


def show_view(w, zoom: float | None) -> None:
    """The whole network, or a zoom centred on the first hidden layer's middle neuron."""
    from PySide6.QtCore import QPointF  # noqa: PLC0415
    if zoom is None:
        w.view.fit()
        return
    net = w.doc.network
    hidden = net.layers[1].neurons
    x, y = net.pos[net.index(hidden[len(hidden) // 2])]
    w.view.resetTransform()
    w.view.zoom(zoom)
    w.view.centerOn(QPointF(x - 40, y))


def network_file(spec: str | None) -> Path:
    """The example 784-32-10, or a fresh He-initialised ReLU network of the given shape."""
    from engine import io  # noqa: PLC0415
    from engine.build import from_spec  # noqa: PLC0415
    from engine.init import initialise  # noqa: PLC0415
    from gui.main_window import example_path  # noqa: PLC0415

    if spec is None:
        return example_path("mnist-784-32-10")
    net = from_spec(spec, "relu", "softmax")
    initialise(net, "he", 0)
    path = Path(tempfile.mkdtemp()) / f"{spec}.json"
    io.save(net, path)
    return path


def headless_samples_per_s(data_dir: str | None, seconds: float, path: Path, batch: int) -> float:
    import torch  # noqa: PLC0415

    from engine.datasets.registry import load  # noqa: PLC0415
    from engine.io import load as load_net  # noqa: PLC0415
    from engine.training import TrainConfig, Trainer  # noqa: PLC0415
    torch.set_num_threads(1)  # as in the trainer process
    data = load("mnist" if data_dir else "mnist-subset", data_dir)
    trainer = Trainer(load_net(path),
                      TrainConfig(loss="ce", lr=0.5, batch_size=batch, epochs=100, device="cpu"),
                      data.train(10))
    start, steps = time.perf_counter(), 0
    for _ in trainer.steps():
        steps += 1
        if time.perf_counter() - start > seconds:
            break
    return steps * batch / (time.perf_counter() - start)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--data", default=os.environ.get("NEUROCANVAS_MNIST", "../shared/data/mnist"))
    p.add_argument("--seconds", type=float, default=8.0)
    p.add_argument("--spec", help="e.g. 784-1000-1000-10 (default: the 784-32-10 example)")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--select-hidden", action="store_true",
                   help="a hidden neuron selected: the Inspector shows its formula and picture")
    p.add_argument("--animate", type=int, default=0, help="play the forward pass every N steps")
    args = p.parse_args()
    path = network_file(args.spec)
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from engine.datasets.mnist import find  # noqa: PLC0415
    from gui.main_window import MainWindow  # noqa: PLC0415

    data_dir = args.data if find(args.data) else None
    # headless before and after the window's run: this machine's speed drifts by 20% a minute
    before = headless_samples_per_s(data_dir, min(args.seconds, 5.0), path, args.batch)
    app = QApplication([])
    w = MainWindow(QSettings(str(Path("/tmp/neurocanvas-bench.ini")), QSettings.Format.IniFormat))
    w.resize(1400, 900)
    w.show()
    while w.client.devices is None:
        app.processEvents()
        time.sleep(0.01)
    w.open_path(path)
    t = w.training
    t.folder.setText(data_dir or "")
    w.doc.settings.update({"dataset": "mnist" if data_dir else "mnist-subset", "loss": "ce",
                           "batch_size": args.batch, "epochs": 100})
    t.animate_every.setValue(args.animate)
    if args.select_hidden:
        net = w.doc.network
        w.scene.neurons[int(net.ids[net.role == 1][0])].setSelected(True)

    weights = w.doc.network.weight.copy()
    recolour = []
    for k in range(50):
        start = time.perf_counter()
        w.scene.edges.set_weights(weights * (1 + 0.01 * k))
        recolour.append(time.perf_counter() - start)

    lateness, clock, rates = [], QElapsedTimer(), []
    clock.start()

    grabbed = []  # the bench's own repaints delay a tick: those ticks are not counted

    def tick() -> None:
        late = max(clock.restart() - TICK_MS, 0)
        if not grabbed:
            lateness.append(late)
        grabbed.clear()

    timer = QTimer()
    timer.timeout.connect(tick)
    repaints: dict[str, list[float]] = {name: [] for name in VIEWS}

    def repaint() -> None:
        name = list(VIEWS)[sum(map(len, repaints.values())) % len(VIEWS)]
        show_view(w, VIEWS[name])
        start = time.perf_counter()
        w.view.viewport().grab()
        repaints[name].append(time.perf_counter() - start)
        grabbed.append(True)

    painter = QTimer()
    painter.timeout.connect(repaint)
    painter.start(500)
    w.client.snapshot.connect(lambda snap: rates.append(snap["samples_per_s"]))
    cpu = time.process_time()
    t.train()
    timer.start(TICK_MS)
    QTimer.singleShot(round(args.seconds * 1000), app.quit)
    app.exec()  # the window's own event loop, as in use (a polling loop here cost a core share)
    timer.stop()
    painter.stop()
    window_cpu = (time.process_time() - cpu) / args.seconds
    w.client.send("stop")
    gui_rate = rates[-1] if rates else 0.0
    w.doc.undo.setClean()
    w.close()
    after = headless_samples_per_s(data_dir, min(args.seconds, 5.0), path, args.batch)
    headless = (before + after) / 2
    late = np.array(lateness[5:] or [0])
    print(f"data: {'full MNIST' if data_dir else 'bundled subset'}, batch {args.batch}, "
          f"{'a hidden neuron selected, ' if args.select_hidden else ''}"
          f"{f'the forward pass every {args.animate} steps, ' if args.animate else ''}"
          f"{len(lateness)} timer ticks over {args.seconds:g} s of training")
    print(f"event-loop lateness  p50 {np.percentile(late, 50):.1f} ms  p99 {np.percentile(late, 99):.1f} ms"
          f"  (goal p99 <= 50 ms)")
    print(f"re-colour {len(weights)} connections: median {1e3 * statistics.median(recolour):.2f} ms"
          f"  (goal <= 2 ms)")
    for name, times in repaints.items():
        print(f"repaint, {name}: median {1e3 * statistics.median(times or [0]):.1f} ms, "
              f"max {1e3 * max(times or [0]):.1f} ms  (goal <= 33 ms, 16 ms)")
    print(f"the window's own CPU while it trains: {window_cpu:.2f} of a core (its repaints for this "
          "bench included)")
    print(f"training beside the GUI {gui_rate:,.0f} samples/s, headless {before:,.0f} before and "
          f"{after:,.0f} after: ratio {gui_rate / headless:.2f}  (goal >= 0.9)")


if __name__ == "__main__":
    main()
