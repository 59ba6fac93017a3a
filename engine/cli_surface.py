"""`neurocanvas-cli surface`: a slice of the loss surface through the network's numbers, and with
--train the path a run took down it, as one JSON object (engine.surface)."""
from __future__ import annotations

import argparse
import dataclasses
import json
from typing import Any

from engine import surface


def surface_parser(sub: Any) -> None:
    from engine.cli import training_options  # noqa: PLC0415 (the CLI imports this module)

    su = sub.add_parser(
        "surface", help="the loss over a slice through the network's numbers, as JSON",
        description="Computes the cost (as training does, without dropout) at θ + α·d₁ + β·d₂ "
                    "on a grid of α and β from −span to span, θ being the network's numbers, "
                    "and prints {alphas, betas, loss, centre, path, along}. Each d is one "
                    "weight or bias (--along), or a random direction scaled per neuron to its "
                    "incoming weights' norm (Li et al. 2018). With --train the network first "
                    "trains as `train` does, and path holds its steps projected onto the slice.")
    su.add_argument("network", help="the network file (.json)")
    su.add_argument("--along", action="append",
                    help="A:B for the weight from neuron A to B, or B for B's bias; once for a 1-D "
                         "slice, twice for 2-D (default: two random directions)")
    su.add_argument("--span", type=float, default=1.0, help="the grid's reach either side")
    su.add_argument("--points", type=int, default=41,
                    help=f"grid points per side, odd, 3 to {surface.MAX_POINTS}")
    su.add_argument("--on", default="train", choices=("train", "test"),
                    help="the data whose cost is computed")
    su.add_argument("--slice-samples", type=int, default=1000,
                    help=f"its first samples used, 1 to {surface.MAX_SAMPLES:,}")
    su.add_argument("--direction-seed", type=int, default=0,
                    help="seed of the random directions")
    su.add_argument("--train", action="store_true",
                    help="train first with the options below, recording the path")
    training_options(su)


def run_surface(args: argparse.Namespace) -> int:
    from engine.cli import data_and_config, prepared  # noqa: PLC0415
    from engine.training import Trainer  # noqa: PLC0415

    surface.check(args.span, args.points, args.slice_samples)
    if args.along and len(args.along) > 2:
        raise surface.SurfaceError("--along: a slice has one or two directions")
    net = prepared(args)
    data, config = data_and_config(args, net)
    if not args.train:  # the file's own numbers
        config = dataclasses.replace(config, init="keep")
    trainer = Trainer.on(net, config, data)
    path = surface.Path(trainer.model.flat.numel()) if args.train else None
    if path is not None:
        path.add(trainer.model.flat)
        for _ in trainer.steps():
            path.add(trainer.model.flat)
    directions = ([surface.named(trainer, name) for name in args.along] if args.along else
                  [surface.random(trainer, args.direction_seed + k) for k in range(2)])
    found = surface.compute(trainer, directions, args.span, args.points, args.on,
                            args.slice_samples, path)
    print(json.dumps(found.as_json()))
    return 0
