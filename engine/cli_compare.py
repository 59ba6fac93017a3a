"""`neurocanvas-cli compare`: one setting at several values, over seeds, trained at once; the
results table as JSON lines or CSV (engine.compare)."""
from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any

from engine import compare, settings


def compare_parser(sub: Any) -> None:
    from engine.cli import training_options  # noqa: PLC0415 (the CLI imports this module)

    co = sub.add_parser(
        "compare", help="train one setting at several values side by side; print a table",
        description="Trains the network once per value of one setting and per seed, in "
                    "processes at once, every value of a seed from the same initial weights and "
                    "shuffles, and prints per value the final loss, train and test accuracy "
                    "(mean and standard deviation over the seeds), the epochs to --reach, the "
                    "seeds solved (every test sample right: a gate's whole truth table) and the "
                    "time. Each run is the one `train` makes with the same settings.")
    co.add_argument("network", help="the network file to start from (.json)")
    co.add_argument("--vary", required=True,
                    help=f"SETTING=V1,V2,…: one of {', '.join(compare.VARIES)} (activation: of "
                         "the hidden neurons; hidden: every hidden layer's size; regularization: "
                         "none, l1:λ, l2:λ or dropout:p, each run with that penalty alone), 2 to "
                         f"{compare.MAX_VALUES} values")
    co.add_argument("--seeds", default="0",
                    help="seeds of the initial weights, shuffles and dropout: 0-19, or 0,3,7 "
                         "(default 0); with --init keep every seed starts from the file's weights")
    co.add_argument("--reach", type=float,
                    help="the test accuracy (or, for a regression, the test loss) whose first "
                         "epoch is counted")
    co.add_argument("--jobs", type=int, help="runs at once (default: one per core)")
    co.add_argument("--format", default="jsonl", choices=("jsonl", "csv"),
                    help="one JSON object per value, or CSV with a header")
    training_options(co)


def run_compare(args: argparse.Namespace) -> int:
    from engine.cli import PROG, prepared  # noqa: PLC0415

    name, values = compare.parse_vary(args.vary)
    seeds = compare.parse_seeds(args.seeds)
    if args.jobs is not None and args.jobs < 1:
        raise compare.CompareError(f"--jobs {args.jobs}: give 1 or more")
    net = prepared(args)
    chosen = {k: getattr(args, k) for k in settings.RUN}
    chosen.update(dataset=args.dataset, samples=args.samples, noise=args.noise,
                  test_share=args.test_share, data_seed=args.data_seed, data_dir=args.data,
                  csv=net.training.get("csv"))
    found = compare.variants(net, chosen, name, values, seeds)
    print(f"{PROG}: {len(found)} runs ({len(values)} values × {len(seeds)} seeds)",
          file=sys.stderr)
    results = []
    for k, result in enumerate(compare.run_all(found, args.jobs), 1):
        results.append(result)
        if sys.stderr.isatty():
            print(f"\r{PROG}: {k}/{len(found)} runs done", end="", file=sys.stderr, flush=True)
    print(f"\r{PROG}: {len(results)} runs done", file=sys.stderr)
    rows = compare.table(results, values, args.reach)
    if args.format == "csv":
        out = csv.writer(sys.stdout)
        out.writerow(compare.CSV_HEAD)
        out.writerows(compare.csv_rows(rows))
    else:
        for row in rows:
            print(json.dumps(row.as_json()))
    failed = [r for r in results if r["stopped"]]
    if failed:
        print(f"{PROG}: {len(failed)} runs stopped early, e.g. value {failed[0]['value']} seed "
              f"{failed[0]['seed']}: {failed[0]['stopped']}", file=sys.stderr)
    return 0
