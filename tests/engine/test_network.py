import numpy as np
import pytest

from engine.build import add_layer, from_spec
from engine.network import Network, NetworkError
from engine.plan import make_plan


def chain() -> tuple[Network, list[int]]:
    net = Network()
    ids = [net.add_neuron("input", "linear"), net.add_neuron("hidden"), net.add_neuron("hidden"),
           net.add_neuron("output")]
    net.connect(ids[0], ids[1], 0.5)
    net.connect(ids[1], ids[2], -1.0)
    net.connect(ids[2], ids[3], 2.0)
    return net, ids


def test_refuses_a_cycle_and_says_why():
    net, (i, h1, h2, o) = chain()
    with pytest.raises(NetworkError, match=r"cycle \(1 already feeds 2\)"):
        net.connect(h2, h1)
    assert net.n_connections == 3


def test_refuses_connection_into_an_input():
    net, (i, h1, h2, o) = chain()
    with pytest.raises(NetworkError, match="is an input"):
        net.connect(h1, i)


def test_refuses_a_duplicate_connection():
    net, (i, h1, h2, o) = chain()
    with pytest.raises(NetworkError, match="already connected"):
        net.connect(i, h1, 3.0)
    assert net.weight_of(i, h1) == 0.5


def test_refuses_self_loop_and_unknown_neuron_and_output_feeding_others():
    net, (i, h1, h2, o) = chain()
    with pytest.raises(NetworkError, match="itself"):
        net.connect(h1, h1)
    with pytest.raises(NetworkError, match="no neuron 99"):
        net.connect(h1, 99)
    with pytest.raises(NetworkError, match="is an output"):
        net.connect(o, h1)


def test_softmax_only_on_outputs():
    net, (i, h1, h2, o) = chain()
    with pytest.raises(NetworkError, match="softmax works across the output neurons"):
        net.set_activation(h1, "softmax")
    net.set_activation(o, "softmax")
    assert net.neuron(o).activation == "softmax"


def test_remove_neuron_takes_its_connections():
    net, (i, h1, h2, o) = chain()
    net.remove_neuron(h1)
    assert net.n_neurons == 3 and net.n_connections == 1
    assert (net.src[0], net.dst[0]) == (h2, o)


def test_re_adding_a_removed_id_keeps_ids_sorted():
    net, (i, h1, h2, o) = chain()
    net.remove_neuron(h1)
    assert net.add_neuron("hidden", nid=h1) == h1
    assert net.ids.tolist() == [i, h1, h2, o]
    with pytest.raises(NetworkError, match="already taken"):
        net.add_neuron(nid=h2)


def test_levels_put_skip_connections_one_above_their_highest_source():
    net, (i, h1, h2, o) = chain()
    net.connect(i, h2, 1.0)
    assert net.levels().tolist() == [0, 1, 2, 3]


def test_edits_are_announced():
    net, (i, h1, h2, o) = chain()
    seen = []
    net.changed.subscribe(seen.append)
    net.set_weight(i, h1, 0.25)
    net.set_bias(h2, 1.0)
    assert [(c.kind, c.ids, c.pairs) for c in seen] == [("weights", (), ((i, h1),)),
                                                        ("biases", (h2,), ())]


def test_spec_builds_full_dense_levels():
    net = from_spec("784-32-10", "relu", "softmax")
    assert net.n_neurons == 826 and net.n_connections == 784 * 32 + 32 * 10
    assert net.layers[0].shape == (28, 28)
    plan = make_plan(net)
    assert [lv.full for lv in plan.levels] == [True, True]
    assert [len(lv.sources) for lv in plan.levels] == [784, 32]


@pytest.mark.parametrize("spec", ["", "3", "2-x-1", "2-0-1"])
def test_bad_specs_are_refused_in_words(spec):
    with pytest.raises(NetworkError, match="spec|layer"):
        from_spec(spec)


def test_add_layer_connects_from_the_previous_layer():
    net = Network()
    a = add_layer(net, 2, "input")
    b = add_layer(net, 3, "hidden", "tanh", weight=0.5)
    assert net.n_connections == 6
    assert set(net.src.tolist()) == set(a.neurons) and set(net.dst.tolist()) == set(b.neurons)
    assert np.all(net.weight == 0.5)


def test_connection_problem_explains_without_changing_anything():
    net, (i, h1, h2, o) = chain()
    assert net.connection_problem(i, h2) is None
    assert "cycle" in net.connection_problem(h2, h1)
    assert "is an input" in net.connection_problem(h1, i)
    assert "already connected" in net.connection_problem(i, h1)
    assert net.n_connections == 3


def test_a_copy_is_independent_and_put_back_announces_the_structure():
    net, (i, h1, h2, o) = chain()
    before = net.copy()
    removed = net.remove([h1])
    seen = []
    net.changed.subscribe(seen.append)
    net.put_back(removed)
    assert net.n_neurons == 4 and net.weight_of(i, h1) == 0.5 and seen[0].kind == "structure"
    net.set_bias(h1, 9.0)
    assert before.neuron(h1).bias == 0.0


def test_copy_and_paste_keep_inner_connections_only():
    from engine.build import merge, subnetwork
    net, (i, h1, h2, o) = chain()
    part = subnetwork(net, [h1, h2])
    assert part.n_neurons == 2 and part.n_connections == 1
    new = merge(net, part, (30.0, 30.0))
    assert len(new) == 2 and net.n_neurons == 6
    assert net.weight_of(new[0], new[1]) == -1.0
    assert tuple(net.pos[net.index(new[0])]) == (30.0, 30.0)


def test_remove_then_put_back_restores_every_array_bit_for_bit():
    from engine import io
    from engine.build import from_spec
    from engine.init import initialise
    net = from_spec("6-5-4-3")
    initialise(net, "he", 2)
    net.layers[1].shape = (5, 1)
    before = io.dumps(net)
    removed = net.remove([3, 7, 12], connections=[0, 40])
    assert net.n_neurons == 15 and 3 not in net.ids and net.connection_index(0, 6) is None
    assert [len(layer.neurons) for layer in net.layers] == [5, 4, 3, 3]
    net.put_back(removed)
    assert io.dumps(net) == before


def test_a_removal_keeps_only_what_it_removed():
    from engine.build import from_spec
    net = from_spec("784-100-10")
    hidden = int(net.ids[net.role == 1][0])
    removed = net.remove([hidden])
    arrays = [removed.rows, removed.conns, removed.src, removed.dst, removed.weight,
              *removed.neurons.values()]
    assert len(removed.conns) == 784 + 10
    assert sum(a.nbytes for a in arrays) <= 40 * (784 + 10 + 1)  # not the 79,400 connections


def test_the_endpoint_rows_follow_removals_and_put_backs():
    from engine.build import from_spec
    net = from_spec("5-4-3")

    def rows_match() -> bool:
        si, di = net.endpoints()
        return (net.ids[si] == net.src).all() and (net.ids[di] == net.dst).all()
    net.endpoints()
    removed = net.remove([1, 6], [3])
    assert rows_match()
    net.put_back(removed)
    assert rows_match()


def test_edits_of_many_neurons_change_all_or_nothing_and_announce_once():
    net = from_spec("3-4-2")
    hidden, outputs = net.layers[1].neurons, [int(n) for n in net.outputs]
    seen = []
    net.changed.subscribe(seen.append)
    net.set_bias(hidden, [0.1, 0.2, 0.3, 0.4])
    net.set_activation(hidden, "leaky_relu", 0.2)
    net.move(outputs, np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert [(c.kind, c.ids) for c in seen] == [("biases", tuple(hidden)), ("neurons", tuple(hidden)),
                                               ("positions", tuple(outputs))]
    assert [net.neuron(n).bias for n in hidden] == [0.1, 0.2, 0.3, 0.4]
    assert {(net.neuron(n).activation, net.neuron(n).param) for n in hidden} == {("leaky_relu", 0.2)}
    assert net.neuron(outputs[1]).position == (3.0, 4.0)
    with pytest.raises(NetworkError, match="softmax"):  # a hidden neuron among them: none change
        net.set_activation(outputs + hidden[:1], "softmax")
    assert net.neuron(outputs[0]).activation == "sigmoid" and len(seen) == 3


def test_a_shaped_layer_that_loses_a_neuron_loses_its_shape_and_undo_gives_it_back():
    from engine import io
    net = from_spec("784-3-10")
    net.layers[0].shape = (28, 28)
    removed = net.remove([net.layers[0].neurons[400]])
    assert net.layers[0].shape is None and len(net.layers[0].neurons) == 783
    assert io.loads(io.dumps(net)).n_neurons == 783 + 13  # it saves as a file that opens
    net.put_back(removed)
    assert net.layers[0].shape == (28, 28) and len(net.layers[0].neurons) == 784
