"""The window while it trains 784-32-10 on MNIST (sigmoid, softmax, cross-entropy, SGD, batch 64
or --batch): event-loop lateness of a 10 ms QTimer (p50, p99), the cost of re-colouring every
connection from a snapshot, a repaint of the canvas in three views (the whole network, 1× and
4× on the first hidden layer, twice a second in turn), and training throughput beside the GUI
against the headless Trainer in this process. The window trains in --rounds stretches, paused
between them while the headless Trainer runs as long: each stretch is compared with the
headless runs just before and after it (this machine's speed drifts by a fifth within a
minute), and the median of the rounds' ratios is the result.

    QT_QPA_PLATFORM=offscreen python bench/gui_latency.py [--data DIR] [--seconds 9] [--rounds 3]
        [--batch 32] [--select-hidden] [--animate 50]  # as a user watching one neuron would
        [--spec 784-1000-1000-10]   # a ReLU/softmax network of that shape instead of the example
        [--map]                     # the Map dock in front: the first hidden level's map of the
                                    # test set, refreshed as it trains (by the trainer, if far)
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
from table import print_rows  # bench/table.py: run as a script, bench/ is on the path

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
    p.add_argument("--seconds", type=float, default=9.0, help="of training in the window, in all")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--spec", help="e.g. 784-1000-1000-10 (default: the 784-32-10 example)")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--select-hidden", action="store_true",
                   help="a hidden neuron selected: the Inspector shows its formula and picture "
                   "(a convnet: a unit of its first feature map)")
    p.add_argument("--animate", type=int, default=0, help="play the forward pass every N steps")
    p.add_argument("--map", action="store_true", help="the Map dock in front")
    args = p.parse_args()
    path = network_file(args.spec)
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, QTimer  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from engine.datasets.mnist import find  # noqa: PLC0415
    from gui.main_window import MainWindow  # noqa: PLC0415

    data_dir = args.data if find(args.data) else None
    stretch = args.seconds / args.rounds
    alone = [headless_samples_per_s(data_dir, stretch, path, args.batch)]
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
    maps: list[float] = []  # when each map was drawn
    if args.map:
        w.docks["Map"].raise_()
        w.client.map.connect(lambda reply: maps.append(reply.get("seconds", 0.0)))
    if args.select_hidden:
        net = w.doc.network
        hidden = int(net.ids[net.role == 1][0])
        if hidden in w.scene.neurons:
            w.scene.neurons[hidden].setSelected(True)
        else:  # a convnet's: a unit of its first feature map, its window drawn
            w.scene.select_unit(hidden)

    weights = w.doc.network.weight.copy()
    recolour = []
    for k in range(50):
        start = time.perf_counter()
        w.scene.edges.set_weights(weights * (1 + 0.01 * k))
        recolour.append(time.perf_counter() - start)

    lateness, clock = [], QElapsedTimer()
    grabbed = [True]  # a tick after the bench's own repaint or a pause is not counted

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
    heard: list[tuple[float, int]] = []  # (when, step) of each snapshot in this stretch
    w.client.snapshot.connect(lambda snap: heard.append((time.perf_counter(), snap["step"])))
    beside, cpu = [], 0.0
    for k in range(args.rounds):
        heard.clear()
        started = time.process_time()
        if k == 0:
            t.train()
        else:
            t.buttons["pause"].click()  # resume
        clock.start()
        grabbed.append(True)
        timer.start(TICK_MS)
        painter.start(500)
        # an event loop, as in use (a polling loop cost a core share); not app.exec again: the
        # window ends its trainer process when the application's loop quits
        loop = QEventLoop()
        QTimer.singleShot(round(stretch * 1000), loop.quit)
        loop.exec()
        timer.stop()
        painter.stop()
        t.buttons["pause"].click()
        cpu += time.process_time() - started
        (t0, s0), (t1, s1) = heard[0], heard[-1]
        beside.append((s1 - s0) * args.batch / (t1 - t0))
        alone.append(headless_samples_per_s(data_dir, stretch, path, args.batch))
    window_cpu = cpu / args.seconds
    w.client.send("stop")
    w.doc.undo.setClean()
    w.close()
    ratios = [b / ((alone[k] + alone[k + 1]) / 2) for k, b in enumerate(beside)]
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
    if args.map:
        print(f"maps made: {len(maps)}, by the trainer in {', '.join(f'{s:.2f}' for s in maps)} s "
              f"({w.map.note.text()[:60]}…)" if maps else "maps made: 0 by the trainer (the window's own)")
    print(f"training beside the GUI (samples/s), {args.rounds} stretches of {stretch:.1f} s, each "
          "against the headless runs before and after it:")
    for k, (b, ratio) in enumerate(zip(beside, ratios)):
        print(f"  {b:,.0f} against {alone[k]:,.0f} and {alone[k + 1]:,.0f}: {ratio:.2f}")
    print(f"ratio, median of the rounds: {statistics.median(ratios):.2f}  (goal >= 0.9)")
    each = ", ".join(f"{r:.2f}" for r in ratios)
    print_rows([(f"training beside the window, median of the stretches ({each})",
                 f"{statistics.median(ratios):.2f} × headless", "≥ 0.9"),
                ("event-loop lateness p50 / p99",
                 f"{np.percentile(late, 50):.0f} / {np.percentile(late, 99):.0f} ms", "p99 ≤ 50 ms"),
                (f"re-colouring all {len(weights):,} connections from a snapshot",
                 f"{1e3 * statistics.median(recolour):.2f} ms", "≤ 2 ms"),
                *((f"repaint, {name} (median / max)", f"{1e3 * statistics.median(times or [0]):.0f} / "
                   f"{1e3 * max(times or [0]):.0f} ms", "≤ 33 ms (16 ms)") for name, times in repaints.items()),
                ("the window's own CPU while it trains", f"{window_cpu:.2f} of a core", "")])


if __name__ == "__main__":
    main()
