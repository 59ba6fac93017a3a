"""neurocanvas-cli: the engine without a window (scripts, CI, GPU servers).

User mistakes go to stderr as one line and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from typing import Any, Sequence

import numpy as np

from engine import activations, io, settings
from engine.cli_compare import compare_parser, run_compare
from engine.cli_surface import run_surface, surface_parser
from engine.build import from_spec
from engine.datasets.table import KINDS, NORMALISATIONS, read_file, spec_of
from engine.errors import EngineError, printable
from engine.init import SCHEMES, initialise
from engine.network import Network, NetworkError
from engine.trace import forward, truth_table

PROG = "neurocanvas-cli"
UNMET = 4  # lesson check's exit status when a goal is not met


# CLI-only numbers; the training settings' ranges come from engine.settings
EXTRA = {"threads": settings.Limit(1, 1024, whole=True), "param": settings.Limit(0.0, 1.0)}


RUNNING = ("train_accuracy is a running figure: the share of each mini-batch answered right "
           "as it was trained on, over the epoch, while the weights kept changing; "
           "test_accuracy is measured after the epoch.")


# train's numbers: name, default, what it is (its range comes from engine.settings)
TRAIN_NUMBERS = (
    ("epochs", 10, "passes over the data"),
    ("batch_size", 0, "samples per step; 0 = full batch (gradient descent)"),
    ("lr", 0.1, "learning rate η: w ← w − η ∂C/∂w"),
    ("momentum", 0.9, "α for --optimizer momentum: the share of the last step carried into the next"),
    ("l1", 0.0, "L1 regularisation: λ Σ|w| (weights, not biases) is added to the mini-batch's "
                "mean cost"),
    ("l2", 0.0, "L2 regularisation: λ Σw² (weights, not biases) is added to the mini-batch's "
                "mean cost"),
    ("dropout", 0.0, "the chance that a hidden neuron is off in a step"),
    ("init_mean", 0.0, "mean of --init normal"),
    ("init_std", 0.05, "standard deviation of --init normal"),
    ("bias_value", 0.0, "every computed neuron's bias, for --bias-init constant"),
    ("seed", 0, "random seed: shuffles, dropout, initial weights, the validation split"),
    ("validation", 0.0, "share of the training data held out to validate each epoch; its loss "
                        "and accuracy are printed and early stopping watches its loss"),
    ("patience", 0, "early stopping, as scikit-learn's n_iter_no_change but on the validation "
                    "loss where there is a split (scikit-learn watches validation accuracy): the "
                    "run ends once more than this many epochs in a row improved the loss by less "
                    "than --tol (0: never)"),
    ("tol", 1e-4, "the least improvement of the loss that counts, for --patience"),
    ("decay", 0.5, "the --schedule's γ: step's and exponential's factor, inverse's k in "
                   "lr / (1 + k·t)"),
    ("decay_every", 10, "step's epochs between two steps; cosine's period"),
    ("lr_min", 0.0, "the rate cosine falls to"),
)


def training_options(p: argparse.ArgumentParser) -> None:
    """The data set and the settings of a run: train's, and every run of compare's."""
    p.add_argument("--dataset",
                    help="and, or, nand, xor, cheese, circles, moons, spiral, blobs, sin "
                         "(regression: y = sin x + noise, 1 input and 1 output; prints test_loss "
                         "instead of accuracies), mnist-subset (bundled), mnist (full, from --data), "
                         "csv (the data imported into the file, see --csv); default: the file's")
    p.add_argument("--data", help="folder of the full MNIST files")
    p.add_argument("--csv", help="your own data: a CSV file (header detected); with --inputs and "
                                  "--target. Kept in the output file, so --dataset csv trains on "
                                  "it again")
    p.add_argument("--inputs", help="the CSV's input columns, by name, joined by commas")
    p.add_argument("--target", help="the CSV's target column, by name")
    p.add_argument("--target-kind", default="auto", choices=KINDS,
                    help="classes (one-hot, or 0/1 for one output) or numbers (regression); auto: "
                         "classes for text or up to 10 whole numbers")
    p.add_argument("--test-share", type=float, default=0.2,
                    help="share of a toy set's, sin's or the CSV's samples kept for testing "
                         f"({settings.NUMBERS['test_share'].range})")
    p.add_argument("--normalise", default="standard", choices=NORMALISATIONS,
                    help="the inputs: standard (mean 0, deviation 1), minmax ([0, 1]) or none, "
                         "fitted on the training rows")
    p.add_argument("--samples", type=int, default=500, help="points in a 2-D toy set or sin, "
                                                            f"{settings.NUMBERS['samples'].range}")
    p.add_argument("--noise", type=float, default=0.1, help="noise (std) of a 2-D toy set or sin, "
                                                            f"{settings.NUMBERS['noise'].range}")
    p.add_argument("--data-seed", type=int, default=0,
                    help="random seed of a 2-D toy set's or sin's points "
                         f"({settings.NUMBERS['data_seed'].range})")
    for name, default, what in TRAIN_NUMBERS:
        limit = settings.NUMBERS[name]
        p.add_argument("--" + name.replace("_", "-"), type=int if limit.whole else float,
                        default=default, help=f"{what} ({limit.range})")
    p.add_argument("--optimizer", default="sgd", choices=settings.CHOICES["optimizer"],
                    help="sgd; momentum (SGD with momentum α); adam (β = 0.9, 0.999)")
    p.add_argument("--loss", default="mse", choices=settings.CHOICES["loss"],
                    help="mse: 1/(2n) Σ‖y − a‖²; l1: absolute error; bce: binary cross-entropy; "
                         "ce: categorical cross-entropy (softmax outputs)")
    p.add_argument("--init", default="keep", choices=SCHEMES,
                    help="keep the file's weights (default), or draw new ones: uniform "
                         "U(−0.5, 0.5), normal N(mean, std), xavier, he, nielsen (N(0, 1/√n_in), "
                         "biases N(0, 1))")
    p.add_argument("--bias-init", default="scheme", choices=settings.CHOICES["bias_init"],
                    help="with a new --init: scheme (0, or N(0, 1) for nielsen), zeros, "
                         "constant (--bias-value) or random N(0, 1)")
    p.add_argument("--device", default="auto", choices=settings.CHOICES["device"],
                    help="auto takes a CUDA GPU where PyTorch sees one")
    p.add_argument("--schedule", default="constant", choices=settings.CHOICES["schedule"],
                    help="the learning rate per epoch t: constant; step lr·γ^⌊t/n⌋; exponential "
                         "lr·γ^t; inverse lr/(1 + γ·t); cosine from lr to --lr-min over n epochs "
                         "(γ: --decay, n: --decay-every), as torch.optim.lr_scheduler")
    p.add_argument("--dtype", default="float32", choices=settings.CHOICES["dtype"],
                    help="the numbers' precision while training")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description="NeuroCanvas without the window.")
    sub = p.add_subparsers(dest="command", required=True)

    new = sub.add_parser("new", help="build a layered network from a spec such as 784-32-10")
    new.add_argument("--layers", required=True,
                     help="layers joined by '-': sizes, convCkK (C maps of K×K kernels) and poolP, "
                     "e.g. 2-2-1 or 28x28-conv32k3-pool2-conv64k3-pool2-10")
    new.add_argument("--activation", default="sigmoid", choices=activations.NAMES,
                     help="h(z) of the hidden layers (default sigmoid)")
    new.add_argument("--output-activation", choices=activations.NAMES,
                     help="h(z) of the output layer (default: as --activation)")
    new.add_argument("--param", type=float, help="the leaky ReLU slope for z < 0, 0 to 1")
    new.add_argument("--init", default="xavier", choices=SCHEMES,
                     help="initial weights (default xavier: uniform, scaled by fan-in and "
                          "fan-out); keep leaves them 0")
    new.add_argument("--bias-init", default="scheme", choices=settings.CHOICES["bias_init"],
                     help="scheme (0, or N(0, 1) for nielsen), zeros, constant (--bias-value) "
                          "or random N(0, 1)")
    new.add_argument("--bias-value", type=float, default=0.0,
                     help="every computed neuron's bias, for --bias-init constant "
                          f"({settings.NUMBERS['bias_value'].range})")
    new.add_argument("--seed", type=int, default=0, help="random seed of the initial weights")
    new.add_argument("-o", "--output", required=True, help="the network file to write (.json)")

    ev = sub.add_parser("eval", help="the outputs for one input, or the whole truth table")
    ev.add_argument("network", help="a network file (.json)")
    how = ev.add_mutually_exclusive_group(required=True)
    how.add_argument("--input", help="comma-separated input values, e.g. 1,0")
    how.add_argument("--truth-table", action="store_true",
                     help="every 0/1 combination of the inputs, with each output's z and y")

    tr = sub.add_parser(
        "train", help="train and print one JSON line per epoch",
        description="Train with mini-batch gradient descent and print one JSON line per epoch: "
                    "epoch, loss, train_accuracy, test_accuracy (with --validation also "
                    f"validation_loss and validation_accuracy), seconds. {RUNNING}")
    tr.add_argument("network", help="the network file to start from (.json)")
    training_options(tr)
    tr.add_argument("--resume", action="store_true",
                    help="go on exactly where the file's last run ended: its epoch count, the "
                         "optimiser's momentum or Adam's moments and its history are in the file "
                         "(every train writes them); no new weights are drawn. 10 epochs, then 10 "
                         "more with --resume, equal 20 in one go, bit for bit on the CPU")
    tr.add_argument("--threads", type=int, help="torch CPU threads (default: torch's choice)")
    tr.add_argument("-o", "--output", required=True, help="the trained network file to write")

    ex = sub.add_parser("export", help="write the network as a PyTorch module (.py) or ONNX (.onnx)")
    ex.add_argument("network", help="a network file (.json)")
    ex.add_argument("-o", "--output", required=True, help="model.py or model.onnx")

    le = sub.add_parser("lesson", help="a lesson file's goals, checked")
    le_sub = le.add_subparsers(dest="action", required=True, help="check: its goals, met or not")
    lc = le_sub.add_parser(
        "check", help="check a lesson's goals: one JSON line per goal; exit 0 only if all are met",
        description="Checks a lesson's goals on its own network, or on a student's saved network "
                    "(--network), and prints one JSON object per goal: what it asks, the measured "
                    "value, met or not. Goals that need training train a copy as the network's "
                    f"settings say, seeded. Exit status: 0 when every goal is met, {UNMET} when "
                    "one is not, 1 on an error.")
    lc.add_argument("lesson", help="a lesson file (.lesson.json)")
    lc.add_argument("--network", help="a network file to check instead of the lesson's own")

    compare_parser(sub)
    surface_parser(sub)

    dl = sub.add_parser("download-mnist", help="fetch full MNIST into a folder (checked)")
    dl.add_argument("folder", help="where to put the four files")
    return p


def _check_args(args: argparse.Namespace) -> None:
    """Every number and the output path, before any work: a mistake never costs a run."""
    for name, value in vars(args).items():
        if value is None or name not in settings.NUMBERS and name not in EXTRA:
            continue
        why = (EXTRA[name].problem(value) if name in EXTRA
               else settings.NUMBERS[name].problem(value))
        if why:
            raise settings.SettingError("--" + name.replace("_", "-"), why)
    if getattr(args, "output", None) is not None:
        _check_writable(args)


def _check_writable(args: argparse.Namespace) -> None:
    why = io.target_problem(args.output)
    if why:
        raise NetworkError(f"-o {why}")
    if args.command in ("new", "train") and args.output.lower().endswith(".onnx"):
        raise NetworkError(f"-o {args.output}: {args.command} writes a network file (.json); "
                           f"write that, then make ONNX of it with {PROG} export")


def _cmd_new(args: argparse.Namespace) -> int:
    net = from_spec(args.layers, args.activation, args.output_activation, args.param)
    initialise(net, args.init, args.seed, biases=args.bias_init, bias_value=args.bias_value)
    io.save(net, args.output)
    print(f"{args.output}: {net.n_neurons} neurons, {net.n_connections} connections", file=sys.stderr)
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    net = io.load(args.network)
    outs = np.flatnonzero(net.role == 2)
    if args.input is not None:
        try:
            x = [float(v) for v in args.input.split(",")]
        except ValueError:
            raise NetworkError(f"--input {args.input!r}: give numbers separated by commas") from None
        t = forward(net, x)
        for i in outs:
            print(f"{printable(net.name_of(i))}\tz = {t.z[0, i]:.6g}\ty = {t.a[0, i]:.6g}")
        return 0
    t = truth_table(net)
    ins = np.flatnonzero(net.role == 0)
    name = [printable(net.name_of(i)) for i in range(net.n_neurons)]
    head = [name[i] for i in ins] + [f"{k}({name[i]})" for i in outs for k in "zy"]
    rows = [[f"{t.a[r, i]:g}" for i in ins] + [f"{m[r, i]:.6g}" for i in outs for m in (t.z, t.a)]
            for r in range(len(t.a))]
    widths = [max(len(c) for c in col) for col in zip(head, *rows)]
    for row in [head] + rows:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths)))
    return 0


def prepared(args: argparse.Namespace) -> Network:
    """The network to train, with the CSV data --csv names; args.dataset set from the file's
    where the command line gives none."""
    net = io.load(args.network)
    if args.csv:
        if not (args.inputs and args.target):
            raise EngineError("--csv needs --inputs (column names, joined by commas) and --target")
        net.training["csv"] = spec_of(read_file(args.csv), args.inputs.split(","), args.target,
                                      args.target_kind, args.test_share, args.normalise, args.seed)
        args.dataset = "csv"
    args.dataset = args.dataset or net.training.get("dataset")
    if not args.dataset:
        raise EngineError("say what to train on: --dataset NAME or --csv FILE")
    return net


def data_and_config(args: argparse.Namespace, net: Network) -> tuple[Any, Any]:
    """The data set and the run's settings that training_options chose (train's, surface's)."""
    from engine.datasets.registry import load  # noqa: PLC0415 (torch only for these commands)
    from engine.training import TrainConfig  # noqa: PLC0415

    data = load(args.dataset, args.data, args.samples, args.noise, args.data_seed,
                table=net.training.get("csv"), test_share=args.test_share)
    return data, TrainConfig(**{k: getattr(args, k) for k in TrainConfig.__dataclass_fields__
                                if hasattr(args, k)})


def _cmd_train(args: argparse.Namespace) -> int:
    from engine.training import Trainer, apply  # noqa: PLC0415 (torch only for this command)
    import torch  # noqa: PLC0415

    if args.threads:
        torch.set_num_threads(args.threads)
    net = prepared(args)
    data, config = data_and_config(args, net)
    if args.resume:
        why = ("the file holds no optimiser state: train it once without --resume"
               if net.resume is None else net.resume.why_not(net, config.optimizer, config.dtype))
        if why:
            raise EngineError(f"--resume: {why}")
    # the trained file holds the weights again and one or two optimiser moments per number
    moments = {"sgd": 0, "momentum": 1, "adam": 2}[config.optimizer]
    why = io.space_problem(args.output, (1 + moments) * len(io.dumps(net).encode("utf-8")))
    if why:
        raise NetworkError(f"-o {why}")
    trainer = Trainer.on(net, config, data)
    if trainer.device_note:
        print(f"{PROG}: {trainer.device_note}", file=sys.stderr)
    print(f"{PROG}: {RUNNING}", file=sys.stderr)
    if trainer.test is None:
        print(f"{PROG}: no samples are left for testing (the test share rounds to 0), so "
              "test_accuracy and test_loss are null", file=sys.stderr)

    def report(snap, seconds: float) -> None:
        if snap.epoch_end:
            line = {"epoch": snap.epoch, "loss": snap.epoch_loss}
            if trainer.regression:  # numbers to fit: the test set's cost says how well
                line["test_loss"] = snap.test_loss
            else:
                line.update(train_accuracy=snap.train_accuracy, test_accuracy=snap.test_accuracy)
            if trainer.validation is not None:
                line.update(validation_loss=snap.validation_loss,
                            validation_accuracy=snap.validation_accuracy)
            if trainer.config.schedule != "constant":
                line["lr"] = trainer.optimizer.lr
            print(json.dumps({**line, "seconds": round(seconds, 4)}), flush=True)

    last = trainer.run(on_epoch=report)
    if last is not None:
        apply(net, last)
    net.resume = trainer.state()
    table = net.training.get("csv")
    net.training = {k: v for k, v in asdict(config).items() if k != "resume"}
    net.training.update(dataset=args.dataset, samples=args.samples, noise=args.noise,
                        test_share=args.test_share, data_seed=args.data_seed)
    if table is not None:
        net.training["csv"] = table
    io.save(net, args.output)
    if last is not None and last.stopped:
        print(f"{PROG}: stopped: {last.stopped}", file=sys.stderr)
        return 3
    if last is not None and last.early_stop:
        print(f"{PROG}: {last.early_stop}", file=sys.stderr)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from engine import export  # noqa: PLC0415 (ONNX imports torch)

    net = io.load(args.network)
    export.write(net, args.output, os.path.basename(args.network))
    print(f"{args.output}: {len(net.inputs)} inputs, {len(net.outputs)} outputs, "
          f"{net.n_connections} connections", file=sys.stderr)
    return 0


def _cmd_lesson(args: argparse.Namespace) -> int:
    from engine import lesson  # noqa: PLC0415
    from engine.lesson_check import check  # noqa: PLC0415 (torch only for goals that train)

    chosen = lesson.load(args.lesson)
    net = io.load(args.network) if args.network else None
    results = check(chosen, net)
    for result in results:
        print(json.dumps(result.as_json(), ensure_ascii=False), flush=True)
    met = sum(r.met for r in results)
    print(f"{PROG}: {met} of {len(results)} goals met", file=sys.stderr)
    return 0 if met == len(results) else UNMET


def _cmd_download(args: argparse.Namespace) -> int:
    from engine.datasets.download import download  # noqa: PLC0415

    def progress(name: str, done: int, total: int) -> None:
        share = f"{100 * done / total:5.1f}%" if total else f"{done >> 10} KiB"
        print(f"\r{name}: {share}", end="", file=sys.stderr, flush=True)

    folder = download(args.folder, progress=progress)
    print(f"\nMNIST is in {folder}; use --data {folder} or NEUROCANVAS_MNIST={folder}",
          file=sys.stderr)
    return 0


COMMANDS = {"new": _cmd_new, "eval": _cmd_eval, "train": _cmd_train, "export": _cmd_export,
            "lesson": _cmd_lesson, "compare": run_compare, "surface": run_surface,
            "download-mnist": _cmd_download}


def _values_joined(argv: Sequence[str]) -> list[str]:
    """`--input -1,0` as `--input=-1,0`: argparse takes a value that starts with '-' (and is
    no plain number) for an option."""
    out, rest = [], list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--input" and rest and rest[0].startswith("-") and rest[0][1:2] in "0123456789.":
            arg = f"--input={rest.pop(0)}"
        out.append(arg)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(_values_joined(sys.argv[1:] if argv is None else argv))
    try:
        _check_args(args)
        return COMMANDS[args.command](args)
    except (EngineError, OSError) as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 1
