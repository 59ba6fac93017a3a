"""The forward-propagation animation, level by level."""
from gui.canvas.propagation import MAX_PULSES
from tests.gui.drive import click, shortcut


def reveals(window):
    return {nid: item.reveal for nid, item in window.scene.neurons.items()}


def test_step_by_level_shows_z_then_a(window):
    window.open_example("xor-hand-tuned")
    for nid in (0, 1):
        click(window, *window.doc.network.pos[nid])  # inputs 1, 1
    prop = window.propagation
    shortcut(window, "F6")  # the hidden level is done; pulses wait at the inputs for the output
    assert reveals(window) == {0: None, 1: None, 2: None, 3: None, 4: "blank"}
    assert window.scene.neurons[3].a == 1.0  # AND fired
    assert len(prop.pulses.points) == 2
    assert prop.pulses.points[0].tolist() == window.scene.edges.segments([4])[0][0].tolist()
    prop._show_at(1.7)  # the output's z shows before its a
    assert reveals(window)[4] == "z" and window.scene.neurons[4].z == 1 - 2 - 1
    shortcut(window, "F6")
    assert reveals(window)[4] is None and window.scene.neurons[4].a == 0.0
    assert len(prop.pulses.points) == 0


def test_play_runs_to_the_end(qtbot, window):
    window.open_example("xor-2-2-1")
    prop = window.propagation
    prop.ms_per_level = 60
    levels = []
    prop.levelReached.connect(levels.append)
    with qtbot.waitSignal(prop.finished, timeout=3000):
        shortcut(window, "F5")
    assert levels[-1] == 2 and all(r is None for r in reveals(window).values())
    assert len(prop.pulses.points) == 0


def test_a_big_level_sends_a_few_hundred_pulses_from_all_over_its_inputs(window):
    """784-32-10's first level has 25,088 connections: its pulses are a spread sample of them
    (each frame's dots cost 5-9 ms at 2,000), starting from the whole input tile."""
    window.open_example("mnist-784-32-10")
    prop = window.propagation
    shortcut(window, "F6")  # the first level done: pulses wait at the hidden layer's sources
    prop._show_at(0.0)  # the first level's pulses at its inputs
    points = prop.pulses.points
    net = window.doc.network
    tile = net.pos[net.index(net.layers[0].neurons)]
    assert 100 <= len(points) <= MAX_PULSES
    # they leave from the tile's first and last rows alike, not from its top only
    assert points[:, 1].min() <= tile[:, 1].min() + 2 and points[:, 1].max() >= tile[:, 1].max() - 2


def test_every_frame_shows_each_level_as_far_as_the_sample_got(window):
    """Frames touch only the levels whose look changes: walked frame by frame through a
    three-level network, every neuron still shows blank, z or a as its level's slot says."""
    from engine.build import from_spec
    from gui.canvas.propagation import PULSE_END, Z_END
    window.doc.replace(from_spec("2-3-2-1", "sigmoid"))
    prop = window.propagation
    prop._prepare()
    plan, net = prop.plan, window.doc.network
    for step in range(0, 61):
        position = step / 20  # 0 … 3 levels, in twentieths of a slot
        prop._show_at(position)
        done, frac = int(position), position - int(position)
        for k, level in enumerate(plan.levels):
            expected = (None if k < done or (k == done and frac >= Z_END) else
                        "z" if k == done and frac >= PULSE_END else "blank")
            assert {window.scene.neurons[int(net.ids[i])].reveal for i in level.neurons} == {expected}, (
                position, k)
