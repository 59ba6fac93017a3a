"""Structural edits carry the endpoint rows and the levels over instead of recomputing them (a
big network's edits stay fast); after any sequence of edits both must equal what a fresh copy
of the network computes from scratch."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.build import from_spec
from engine.network import Network, NetworkError
from tests.engine.random_nets import random_dag


def assert_caches_hold(net: Network) -> None:
    fresh = net.copy()
    si, di = net.endpoints()
    np.testing.assert_array_equal(net.ids[si], net.src)
    np.testing.assert_array_equal(net.ids[di], net.dst)
    np.testing.assert_array_equal(net.levels(), fresh.levels())


EDITS = st.lists(st.tuples(st.sampled_from(["neurons", "connect", "remove", "undo", "role"]),
                           st.integers(0, 2 ** 16)), max_size=12)


@settings(max_examples=150, deadline=None, database=None)
@given(seed=st.integers(0, 1000), edits=EDITS)
def test_kept_levels_and_rows_equal_fresh_ones_after_any_edits(seed, edits):
    net = random_dag(seed, n_hidden=6)
    net.levels()
    undo = []  # last in, first out, as the undo stack takes them back
    for kind, k in edits:
        rng = np.random.default_rng(k)
        if kind == "neurons":  # ids that may fall between existing ones, as undo re-creates
            free = np.setdiff1d(np.arange(net.ids.max() + 3), net.ids)
            ids = net.add_neurons(2, "hidden", "relu", ids=rng.choice(free, 2, replace=False))
            undo.append(lambda ids=ids: net.remove(ids))
        elif kind == "connect":
            s, d = (int(n) for n in rng.choice(net.ids, 2, replace=False))
            if net.connection_problem(s, d) is None:
                net.connect(s, d, 0.5)
                undo.append(lambda s=s, d=d: net.disconnect(s, d))
        elif kind == "remove" and net.n_neurons > 2:
            conns = rng.choice(net.n_connections, min(2, net.n_connections), replace=False)
            removed = net.remove(rng.choice(net.ids, 1), conns)
            undo.append(lambda removed=removed: net.put_back(removed))
        elif kind == "undo" and undo:
            undo.pop()()
        elif kind == "role":
            hidden = net.ids_with_role("hidden")
            if len(hidden) and not np.isin(hidden[0], net.dst):
                net.set_role(int(hidden[0]), "input")
                undo.append(lambda n=int(hidden[0]): net.set_role(n, "hidden"))
        assert_caches_hold(net)


def test_a_new_layer_on_a_deep_chain_lifts_everything_downstream():
    net = from_spec("2-1-1-1-1-1")
    assert net.levels().max() == 5
    first_hidden = int(net.layers[1].neurons[0])
    new = net.add_neurons(1, "hidden", "relu")
    net.connect_many([int(net.inputs[0]), int(new[0])], [int(new[0]), first_hidden], [1.0, 1.0])
    assert net.levels().max() == 6
    assert_caches_hold(net)


def test_removing_the_only_long_path_lowers_the_levels_after_it():
    net = from_spec("2-1-1-1")
    out = int(net.outputs[0])
    net.connect(int(net.inputs[0]), out, 1.0)
    assert net.levels()[net.index(out)] == 3
    net.remove(net.layers[2].neurons)
    assert net.levels()[net.index(out)] == 1
    assert_caches_hold(net)


def test_a_batch_that_closes_a_cycle_is_refused_and_the_caches_stay():
    net = from_spec("2-3-3-1")
    spare = net.add_neurons(70, "hidden", "relu").tolist()  # a batch past the few-at-a-time path
    before = net.levels().copy()
    a, b = net.layers[1].neurons[0], net.layers[2].neurons[0]
    with pytest.raises(NetworkError, match="cycle"):
        net.connect_many([b] + [int(net.inputs[0])] * 70, [a] + spare, 1.0)
    np.testing.assert_array_equal(net.levels(), before)
    assert_caches_hold(net)


def test_removing_a_middle_neuron_whose_connections_came_last_leaves_the_old_rows_alone():
    net = Network()
    a, h, o, x = (net.add_neuron(role) for role in ("input", "hidden", "output", "hidden"))
    net.connect_many([a, x], [x, o], 1.0)
    net.connect_many([a, h], [h, o], 1.0)  # h's connections are the last ones
    before = [r.copy() for r in net.endpoints()]
    held = net.endpoints()
    removed = net.remove([h])
    assert all((r == b).all() for r, b in zip(held, before))  # what others hold is untouched
    assert_caches_hold(net)
    net.put_back(removed)
    assert_caches_hold(net)
