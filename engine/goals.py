"""A lesson's goals: what each asks, how it is read from a file, and how it is measured on a
network, in numpy (the window checks them live; `neurocanvas-cli lesson check` headless).

A goal is a JSON object with a "kind" (KINDS) and that kind's fields; docs/lesson-format.md
lists them. Neurons are named by label, or "#id".
"""
from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterator
from typing import Any, Callable

import numpy as np

from engine import activations, settings
from engine.datasets import Dataset
from engine.datasets.features import fit_inputs, labels_of
from engine.datasets.gates import RULES
from engine.errors import EngineError, printable, quoted
from engine.network import Network
from engine.plan import Plan, make_plan
from engine.trace import MAX_TRUTH_INPUTS, Trace, binary_inputs, forward, truth_table

SETS = ("train", "test")


class GoalError(EngineError):
    def __init__(self, field: str, why: str) -> None:
        super().__init__(f"{field}: {why}")
        self.field, self.why = field, why


@dataclass(frozen=True)
class Result:
    asks: str                       # the goal in words
    value: float | str | None       # what was measured; None where it could not be
    met: bool
    note: str = ""                  # why it could not be measured, or what it rests on

    def as_json(self) -> dict[str, Any]:
        return {"goal": self.asks, "value": self.value, "met": self.met,
                **({"note": self.note} if self.note else {})}


@dataclass
class Work:
    """What goals are measured on: the network, its training settings, whether training made
    its numbers, and the data set (loaded once, by the caller's loader)."""
    net: Network
    settings: dict
    trained: bool
    data: Callable[[], Dataset]
    plan: Plan | None = None  # the network's, where the caller keeps it


def _number(goal: dict, key: str, where: str) -> float:
    value = goal.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
        raise GoalError(f"{where}.{key}", f"{quoted(value)} should be a number")
    return float(value)


def _range(goal: dict, where: str) -> tuple[float, float]:
    value = goal.get("between")
    if not (isinstance(value, list) and len(value) == 2):
        raise GoalError(f"{where}.between", f"{quoted(value)} should be [low, high]")
    low, high = (_number({"v": v}, "v", f"{where}.between") for v in value)
    if low > high:
        raise GoalError(f"{where}.between", f"{low:g} is above {high:g}")
    return low, high


def _text(goal: dict, key: str, where: str) -> str:
    value = goal.get(key)
    if not isinstance(value, str) or not value:
        raise GoalError(f"{where}.{key}", f"{quoted(value)} should be a neuron's label or #id")
    return value


def find(net: Network, name: str) -> int | None:
    """The index of the neuron labelled name (or "#id"), or None."""
    if name.startswith("#") and name[1:].isdigit():
        hits = np.flatnonzero(net.ids == int(name[1:]))
    else:
        hits = np.array([k for k, label in enumerate(net.labels) if label == name])
    return int(hits[0]) if len(hits) else None


def _neuron(work: Work, name: str) -> int:
    k = find(work.net, name)
    if k is None:
        raise LookupError(f"the network has no neuron {printable(name)!r}")
    return k


# ---- the kinds: each checks its fields (where: the goal's place in the file) and measures -----
def _check_table(goal: dict, where: str) -> None:
    if "gate" in goal:
        if goal["gate"] not in RULES:
            raise GoalError(f"{where}.gate", f"{quoted(goal['gate'])} is not one of "
                            f"{', '.join(RULES)}")
        return
    rows = goal.get("targets")
    if not (isinstance(rows, list) and 2 <= len(rows) <= 2 ** MAX_TRUTH_INPUTS
            and len(rows) & (len(rows) - 1) == 0 and all(v in (0, 1) for v in rows)):
        raise GoalError(f"{where}.targets", "should be a list of 0s and 1s, one per row of the "
                        "truth table (2, 4, 8, … rows), or give a gate")


def _targets(goal: dict) -> np.ndarray:
    if "gate" in goal:
        n, rule = RULES[goal["gate"]]
        return rule(binary_inputs(n)).astype(int)
    return np.asarray(goal["targets"], int)


def _measure_table(goal: dict, work: Work) -> tuple[float | str, bool, str]:
    want = _targets(goal)
    net = work.net
    n_in = len(net.inputs)
    if 2 ** n_in != len(want):
        raise LookupError(f"the goal's table has {len(want)} rows; a network of {n_in} inputs "
                          f"has {2 ** n_in}")
    out = truth_table(net).outputs
    # one output reads y ≥ 0.5 as 1; several are one-hot, the largest is the answer
    got = (out[:, 0] >= 0.5).astype(int) if out.shape[1] == 1 else out.argmax(1)
    right = int((got == want).sum())
    return f"{right}/{len(want)}", right == len(want), ""


def _check_share(goal: dict, where: str, key: str) -> None:
    _number(goal, key, where)
    if goal.get("on", "test") not in SETS:
        raise GoalError(f"{where}.on", f"{quoted(goal.get('on'))} is not one of {', '.join(SETS)}")
    if not isinstance(goal.get("trained", False), bool):
        raise GoalError(f"{where}.trained", "should be true or false")


def _samples(goal: dict, work: Work) -> tuple[np.ndarray, np.ndarray, Dataset]:
    data = fit_inputs(work.data(), labels_of(work.net))
    n_out = len(work.net.outputs)
    x, y = data.test(n_out) if goal.get("on", "test") == "test" else data.train(n_out)
    if not len(x):
        raise LookupError(f"the data set has no {goal.get('on', 'test')} samples")
    return x, y, data


CHUNK = 100  # samples a forward pass takes: a window measures between its events


def _tally(net: Network, x: np.ndarray, y: np.ndarray, per_chunk: Callable,
           plan: Plan | None) -> Iterator[None]:
    """Sums per_chunk(trace, targets) over the samples a chunk at a time, yielding after each;
    returns the sum."""
    plan = plan or make_plan(net)
    total = 0.0
    for start in range(0, len(x), CHUNK):
        total += per_chunk(forward(net, x[start:start + CHUNK], plan), y[start:start + CHUNK])
        yield
    return total


def _right(trace: Trace, t: np.ndarray) -> float:
    """Samples answered right, as the trainer counts them."""
    a = trace.outputs
    return float(((a >= 0.5) == (t >= 0.5)).sum() if a.shape[1] == 1 else
                 (a.argmax(1) == t.argmax(1)).sum())


def _costs(loss: str) -> Callable[[Trace, np.ndarray], float]:
    """The summed cost of a chunk, as engine.losses defines it (no regularisation)."""
    def summed(trace: Trace, t: np.ndarray) -> float:
        a, z = trace.outputs, trace.output_z
        if loss == "l1":
            return float(np.abs(a - t).sum())
        if loss == "bce":  # from z, as torch's with logits
            return float((np.logaddexp(0, z) - t * z).sum())
        if loss == "ce":
            return -float((t * (z - np.logaddexp.reduce(z, axis=1, keepdims=True))).sum())
        return 0.5 * float(np.square(a - t).sum())
    return summed


def _drained(steps: Iterator[None]) -> Any:
    try:
        while True:
            next(steps)
    except StopIteration as done:
        return done.value


def accuracy(net: Network, x: np.ndarray, y: np.ndarray) -> float:
    """The share of samples answered right, as the trainer counts it."""
    return _drained(_tally(net, x, y, _right, None)) / len(x)


def cost(net: Network, x: np.ndarray, y: np.ndarray, loss: str) -> float:
    """The mean cost of the samples, as engine.losses defines it (no regularisation)."""
    return _drained(_tally(net, x, y, _costs(loss), None)) / len(x)


def _measure_accuracy(goal: dict, work: Work) -> Iterator[None]:
    x, y, data = _samples(goal, work)
    if data.regression:
        raise LookupError("the data set is a regression: it has a loss, not an accuracy")
    value = (yield from _tally(work.net, x, y, _right, work.plan)) / len(x)
    return round(value, 6), value >= goal["at_least"], ""


def _measure_loss(goal: dict, work: Work) -> Iterator[None]:
    x, y, _ = _samples(goal, work)
    loss = work.settings.get("loss", "mse")
    value = (yield from _tally(work.net, x, y, _costs(loss), work.plan)) / len(x)
    return round(value, 6), value <= goal["at_most"], f"loss {loss}"


def _check_count(goal: dict, where: str) -> None:
    value = goal.get("at_most")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise GoalError(f"{where}.at_most", f"{quoted(value)} should be a whole number ≥ 0")


def _measure_hidden(goal: dict, work: Work) -> tuple[float | str, bool, str]:
    n = int((work.net.role == 1).sum())
    return n, n <= goal["at_most"], ""


def _measure_connections(goal: dict, work: Work) -> tuple[float | str, bool, str]:
    n = work.net.n_connections
    return n, n <= goal["at_most"], ""


def _check_weight(goal: dict, where: str) -> None:
    _text(goal, "from", where)
    _text(goal, "to", where)
    _range(goal, where)


def _measure_weight(goal: dict, work: Work) -> tuple[float | str, bool, str]:
    net = work.net
    src, dst = _neuron(work, goal["from"]), _neuron(work, goal["to"])
    k = net.connection_index(int(net.ids[src]), int(net.ids[dst]))
    if k is None:
        raise LookupError(f"{printable(goal['from'])} is not connected to {printable(goal['to'])}")
    value = float(net.weight[k])
    low, high = goal["between"]
    return value, low <= value <= high, ""


def _check_neuron_range(goal: dict, where: str) -> None:
    _text(goal, "neuron", where)
    _range(goal, where)


def _measure_bias(goal: dict, work: Work) -> tuple[float | str, bool, str]:
    value = float(work.net.bias[_neuron(work, goal["neuron"])])
    low, high = goal["between"]
    return value, low <= value <= high, ""


def _check_output(goal: dict, where: str) -> None:
    _check_neuron_range(goal, where)
    x = goal.get("input")
    if not (isinstance(x, list) and x and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v) for v in x)):
        raise GoalError(f"{where}.input", "should be a list of numbers, one per input")
    if goal.get("value", "a") not in ("a", "z"):
        raise GoalError(f"{where}.value", "should be \"a\" (the output h(z)) or \"z\"")


def _measure_output(goal: dict, work: Work) -> tuple[float | str, bool, str]:
    net, k = work.net, _neuron(work, goal["neuron"])
    if len(goal["input"]) != len(net.inputs):
        raise LookupError(f"the goal gives {len(goal['input'])} inputs; the network has "
                          f"{len(net.inputs)}")
    trace = forward(net, [goal["input"]])
    value = float((trace.z if goal.get("value", "a") == "z" else trace.a)[0, k])
    low, high = goal["between"]
    return value, low <= value <= high, ""


def _check_activation(goal: dict, where: str) -> None:
    _text(goal, "neuron", where)
    if goal.get("is") not in activations.NAMES:
        raise GoalError(f"{where}.is", f"{quoted(goal.get('is'))} is not one of "
                        f"{', '.join(activations.NAMES)}")


def _measure_activation(goal: dict, work: Work) -> tuple[float | str, bool, str]:
    name = activations.NAMES[work.net.act[_neuron(work, goal["neuron"])]]
    return name, name == goal["is"], ""


def _check_outputs(goal: dict, where: str) -> None:
    count = goal.get("count")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise GoalError(f"{where}.count", f"{quoted(count)} should be a whole number ≥ 1")
    if "activation" in goal and goal["activation"] not in activations.NAMES:
        raise GoalError(f"{where}.activation", f"{quoted(goal['activation'])} is not one of "
                        f"{', '.join(activations.NAMES)}")


def _measure_outputs(goal: dict, work: Work) -> tuple[float | str, bool, str]:
    net = work.net
    names = sorted({activations.NAMES[a] for a in net.act[net.role == 2]})
    value = f"{len(net.outputs)} × {'/'.join(names) or '-'}"
    want = goal.get("activation")
    return value, len(net.outputs) == goal["count"] and (want is None or names == [want]), ""


def _check_setting(goal: dict, where: str) -> None:
    name = goal.get("name")
    if name not in settings.CHOICES and name not in settings.NUMBERS:
        raise GoalError(f"{where}.name", f"{quoted(name)} is not a training setting")
    if "is" not in goal:
        raise GoalError(f"{where}.is", "missing")
    try:
        settings.check(name, goal["is"])
    except settings.SettingError as e:
        raise GoalError(f"{where}.is", e.why) from None


def _measure_setting(goal: dict, work: Work) -> tuple[float | str, bool, str]:
    value = {**settings.DEFAULTS, **work.settings}.get(goal["name"])
    return value, value == goal["is"], ""


BY = {"solved": "solves the most seeds", "test_accuracy": "has the highest test accuracy",
      "final_loss": "ends on the lowest loss"}


def _check_comparison(goal: dict, where: str) -> None:
    if not isinstance(goal.get("vary"), str) or not goal["vary"]:
        raise GoalError(f"{where}.vary", "should name the setting compared, e.g. \"activation\"")
    values = goal.get("values")
    if not (isinstance(values, list) and len(values) >= 2):
        raise GoalError(f"{where}.values", "should list two values or more")
    if goal.get("best") not in values:
        raise GoalError(f"{where}.best", f"{quoted(goal.get('best'))} is not one of the values")
    if goal.get("by", "solved") not in BY:
        raise GoalError(f"{where}.by", f"{quoted(goal.get('by'))} is not one of {', '.join(BY)}")
    seeds = goal.get("seeds", 1)
    if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 1:
        raise GoalError(f"{where}.seeds", f"{quoted(seeds)} should be a whole number ≥ 1")


def _key(value: Any) -> str:
    """A compared value as text: 0 and 0.0 are one value."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return repr(float(value)) if number else str(value)


def _score(row: dict, by: str) -> float:
    """Higher is better."""
    if by == "solved":
        return row["solved"]
    pair = row.get(by) or {}
    mean = pair.get("mean") if isinstance(pair, dict) else None
    if mean is None:
        return -np.inf
    return -mean if by == "final_loss" else mean


def _measure_comparison(goal: dict, work: Work) -> tuple[float | str, bool, str]:
    """Read from the comparison kept with the network (Compare…, or neurocanvas-cli compare)."""
    kept = work.settings.get("comparison")
    seeds = goal.get("seeds", 1)
    if not isinstance(kept, dict) or kept.get("vary") != goal["vary"] or \
            sorted(map(_key, kept.get("values", []))) != sorted(map(_key, goal["values"])):
        raise LookupError(f"run Compare… on {goal['vary']} with "
                          f"{', '.join(map(str, goal['values']))} over {seeds} seed{'s' * (seeds != 1)}")
    if len(kept.get("seeds", [])) < seeds:
        raise LookupError(f"the comparison ran {len(kept.get('seeds', []))} seeds; run it over "
                          f"{seeds}")
    by = goal.get("by", "solved")
    rows = {_key(row["value"]): row for row in kept.get("rows", [])}
    scores = {value: _score(row, by) for value, row in rows.items()}
    best = _key(goal["best"])
    said = ", ".join(f"{row['value']} {row['solved']}/{row['runs']}" if by == "solved" else
                     f"{row['value']} {abs(scores[v]):.4g}" for v, row in rows.items())
    others = [score for value, score in scores.items() if value != best]
    return said, best in scores and all(scores[best] > s for s in others), ""


def _check_nothing(goal: dict, where: str) -> None:
    pass


def _measure_untrained(goal: dict, work: Work) -> tuple[float | str, bool, str]:
    return ("trained" if work.trained else "set by hand"), not work.trained, ""


@dataclass(frozen=True)
class Kind:
    check: Callable[[dict, str], None]
    measure: Callable[[dict, Work], Any]  # (value, met, note), or a generator that returns it
    words: Callable[[dict], str]
    fields: tuple[str, ...]


def _where(goal: dict) -> str:
    return f"{goal.get('on', 'test')} "


def _span(goal: dict) -> str:
    low, high = goal["between"]
    return f"from {low:g} to {high:g}"


KINDS: dict[str, Kind] = {
    "truth_table": Kind(_check_table, _measure_table,
                        lambda g: f"the truth table of {g['gate'].upper()} all correct" if "gate"
                        in g else "every row of the truth table right (targets "
                                  f"{''.join(map(str, g['targets']))})", ("gate", "targets")),
    "accuracy": Kind(lambda g, w: _check_share(g, w, "at_least"), _measure_accuracy,
                     lambda g: f"{_where(g)}accuracy ≥ {g['at_least']:g}",
                     ("on", "at_least", "trained")),
    "loss": Kind(lambda g, w: _check_share(g, w, "at_most"), _measure_loss,
                 lambda g: f"{_where(g)}loss ≤ {g['at_most']:g}", ("on", "at_most", "trained")),
    "hidden_neurons": Kind(_check_count, _measure_hidden,
                           lambda g: f"at most {g['at_most']} hidden neurons", ("at_most",)),
    "connections": Kind(_check_count, _measure_connections,
                        lambda g: f"at most {g['at_most']} connections", ("at_most",)),
    "weight": Kind(_check_weight, _measure_weight,
                   lambda g: f"the weight {g['from']} → {g['to']} {_span(g)}",
                   ("from", "to", "between")),
    "bias": Kind(_check_neuron_range, _measure_bias,
                 lambda g: f"the bias of {g['neuron']} {_span(g)}", ("neuron", "between")),
    "output": Kind(_check_output, _measure_output,
                   lambda g: f"{g.get('value', 'a')}({g['neuron']}) for input "
                             f"({', '.join(f'{v:g}' for v in g['input'])}) {_span(g)}",
                   ("neuron", "input", "between", "value")),
    "activation": Kind(_check_activation, _measure_activation,
                       lambda g: f"{g['neuron']} uses {g['is']}", ("neuron", "is")),
    "outputs": Kind(_check_outputs, _measure_outputs,
                    lambda g: f"{g['count']} output{'s' * (g['count'] != 1)}"
                              + (f" using {g['activation']}" if "activation" in g else ""),
                    ("count", "activation")),
    "setting": Kind(_check_setting, _measure_setting,
                    lambda g: f"the setting {g['name']} = {g['is']}", ("name", "is")),
    "comparison": Kind(_check_comparison, _measure_comparison,
                       lambda g: f"Compare… over {g['vary']}: {g['best']} "
                                 f"{BY[g.get('by', 'solved')]}", ("vary", "values", "best", "by",
                                                                   "seeds")),
    "without_training": Kind(_check_nothing, _measure_untrained,
                             lambda g: "the numbers set by hand, without training", ()),
}


def check(goal: Any, where: str) -> dict:
    """The goal as read from a file, its fields checked; GoalError names the first bad one."""
    if not isinstance(goal, dict):
        raise GoalError(where, "should be an object with a kind")
    kind = KINDS.get(goal.get("kind"))
    if kind is None:
        raise GoalError(f"{where}.kind", f"{quoted(goal.get('kind'))} is not one of "
                        f"{', '.join(KINDS)}")
    unknown = set(goal) - {"kind", "text", *kind.fields}
    if unknown:
        raise GoalError(f"{where}.{sorted(unknown)[0]}", f"is not a field of a {goal['kind']} goal")
    if "text" in goal and not isinstance(goal["text"], str):
        raise GoalError(f"{where}.text", "should be text")
    kind.check(goal, where)
    return goal


def describe(goal: dict) -> str:
    return goal.get("text") or KINDS[goal["kind"]].words(goal)


def needs_training(goal: dict) -> bool:
    return bool(goal.get("trained", False))


def measuring(goal: dict, work: Work) -> Iterator[None]:
    """The goal on this network, yielding between chunks of samples; returns its Result. A
    goal it cannot be measured on (a neuron it lacks, data that does not fit) is unmet, with
    the reason."""
    try:
        found = KINDS[goal["kind"]].measure(goal, work)
        if isinstance(found, Iterator):
            found = yield from found
        value, met, note = found
    except (LookupError, EngineError) as e:
        return Result(describe(goal), None, False, str(e))
    return Result(describe(goal), value, bool(met), note)


def measure(goal: dict, work: Work) -> Result:
    return _drained(measuring(goal, work))
