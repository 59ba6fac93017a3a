"""What the user sees: pixels that change with the numbers, and exported pictures."""
import numpy as np
from PySide6.QtGui import QColor, QImage

from gui.canvas.style import NEGATIVE, POSITIVE
from gui.export import export_image
from tests.gui.drive import at, click


def colour_near(image: QImage, point, radius=3) -> set[tuple[int, int, int]]:
    return {QColor(image.pixel(point.x() + dx, point.y() + dy)).getRgb()[:3]
            for dx in range(-radius, radius + 1) for dy in range(-radius, radius + 1)}


def test_a_negative_weight_turns_its_connection_orange(window):
    window.open_example("and")
    p = at(window, 110, -22)  # on the x1 → AND connection
    before = colour_near(window.view.viewport().grab().toImage(), p)
    assert POSITIVE.getRgb()[:3] in before
    window.doc.network.set_weight(0, 2, -1.5)
    window.view.viewport().repaint()
    after = colour_near(window.view.viewport().grab().toImage(), p)
    assert NEGATIVE.getRgb()[:3] in after and POSITIVE.getRgb()[:3] not in after


def test_a_firing_neuron_fills_blue(window):
    window.open_example("or")
    out = at(window, 220, 0)
    window.doc.set_input(0, 1.0)
    window.view.viewport().repaint()
    assert POSITIVE.getRgb()[:3] in colour_near(window.view.viewport().grab().toImage(), out + type(out)(0, 8), 1)


def test_export_png_and_svg(window, tmp_path):
    window.open_example("xor-hand-tuned")
    assert export_image(window.scene, str(tmp_path / "net.png")) is None
    image = QImage(str(tmp_path / "net.png"))
    assert image.width() > 400 and POSITIVE.getRgb()[:3] in {
        QColor(image.pixel(x, y)).getRgb()[:3] for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)}
    assert export_image(window.scene, str(tmp_path / "net.svg")) is None
    svg = (tmp_path / "net.svg").read_text()
    assert svg.startswith("<?xml") and "<path" in svg


def test_the_vectorised_looks_tell_apart_exactly_what_an_item_draws_differently(qapp):
    from gui.canvas.neuron_item import NeuronItem, looks
    values = np.concatenate([np.linspace(-1.2, 1.2, 2001), [np.nan, np.inf, -np.inf, 0.0, -0.0,
                                                             0.55, -0.55, 0.5499, 1.0, -1.0]])
    item = NeuronItem(0)
    item.role = "hidden"
    drawn = []
    for v in values.tolist():
        item.a = v
        drawn.append(item._look())
    index: dict = {}
    look_ids = [index.setdefault(look, len(index)) for look in drawn]
    keys = looks(values).tolist()
    pairs = set(zip(keys, look_ids))
    # one look per key: values with equal keys draw alike, so skipping their repaint is safe;
    # and keys merge the values of a shade, or nothing would be skipped
    assert len(pairs) == len(set(keys)) < len(values) / 3
    assert len(index) > 400


def test_a_hidden_mnist_neuron_shows_its_784_weights_as_a_28_by_28_picture(window, qtbot):
    from gui.commands import SetWeight
    window.open_example("mnist-784-32-10")
    net, inspector = window.doc.network, window.inspector
    hidden, source = int(net.layers[1].neurons[3]), int(net.layers[0].neurons[28 * 14 + 14])
    click(window, *net.pos[net.index(hidden)])
    qtbot.waitUntil(lambda: inspector.picture_view.isVisible())
    shown = inspector.picture.image
    assert shown.shape == (28, 28) and shown[14, 14] == net.weight_of(source, hidden)
    before = inspector.picture_view.grab().toImage()
    window.doc.push(SetWeight(net, source, hidden, 5.0))  # the centre pixel turns deep blue
    assert inspector.picture.image[14, 14] == 5.0
    assert inspector.picture_view.grab().toImage() != before
    click(window, *net.pos[net.index(int(net.outputs[0]))])  # fed by 32 hidden neurons
    qtbot.waitUntil(lambda: not inspector.picture_view.isVisible())


def test_mnist_outputs_carry_their_digits_and_the_answer_is_marked_with_a_bar(window):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter

    from gui.canvas.style import PREDICTED
    from gui.commands import SetBias
    window.open_example("mnist-784-32-10")
    net, scene = window.doc.network, window.scene
    outputs = [int(n) for n in net.outputs]
    assert [scene.neurons[n].label for n in outputs] == [str(d) for d in range(10)]

    def answer() -> list[int]:
        return [n for n in outputs if scene.neurons[n].predicted]

    probabilities = window.doc.trace.outputs[0]
    assert answer() == [outputs[int(np.argmax(probabilities))]]
    other = next(n for n in outputs if n not in answer())

    def green_pixels(nid: int) -> int:
        x, y = net.pos[net.index(nid)]
        image = QImage(120, 60, QImage.Format.Format_RGB32)
        image.fill(0xFFFFFFFF)
        painter = QPainter(image)
        scene.render(painter, QRectF(0, 0, 120, 60), QRectF(x - 30, y - 30, 120, 60))
        painter.end()
        return sum(image.pixelColor(i, j) == PREDICTED for i in range(120) for j in range(60))

    before = green_pixels(other)
    window.doc.push(SetBias(net, [other], 50.0))  # its softmax share goes to ~1
    assert answer() == [other] and before == 0
    assert green_pixels(other) > 8 * 20  # a long green bar (and a green ring)


def test_f7_puts_a_test_digit_on_the_input_tile_and_the_outputs_answer(window):
    from engine.datasets.mnist import load_subset
    from tests.gui.drive import shortcut
    shortcut(window, "F7")  # the perceptron canvas has no 28×28 input layer
    assert "needs a 28×28 input layer" in window.statusBar().currentMessage()
    window.open_example("mnist-784-32-10")
    net, scene = window.doc.network, window.scene
    tile = net.layers[0].neurons
    blank = window.view.grab().toImage()
    shortcut(window, "F7")
    digits = load_subset()
    shown = [scene.neurons[n].a for n in tile]
    assert np.array_equal(shown, digits.x_test[0])  # the pixel neurons hold the digit
    assert window.view.grab().toImage() != blank
    message = window.statusBar().currentMessage()
    answer = int(window.doc.trace.predicted()[0])
    assert message.startswith(f"Test digit 1: a {digits.labels_test[0]}; the network answers {answer}")
    assert [n for n in map(int, net.outputs) if scene.neurons[n].predicted] == [int(net.outputs[answer])]
    truth = int(net.outputs[digits.labels_test[0]])  # the outputs are labelled 0-9 in order
    assert [n for n in map(int, net.outputs) if scene.neurons[n].truth] == [truth]
    shortcut(window, "F7")
    assert np.array_equal([scene.neurons[n].a for n in tile], digits.x_test[1])
    assert scene.neurons[int(net.outputs[digits.labels_test[1]])].truth
    window.open_example("xor-2-2-1")  # another network: no sample's class is known
    assert not any(item.truth for item in scene.neurons.values())


def test_export_without_an_extension_takes_the_chosen_type_and_a_wrong_one_says_so(
        window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox
    window.open_example("xor-hand-tuned")
    for typed, chosen, written in (("net", "PNG image (*.png)", "net.png"),
                                   ("drawing", "SVG drawing (*.svg)", "drawing.svg")):
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda *args, t=typed, c=chosen: (str(tmp_path / t), c))
        window.export_dialog()
        assert (tmp_path / written).stat().st_size > 100
        assert window.statusBar().currentMessage() == f"Exported {tmp_path / written}"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args: (str(tmp_path / "net.jpg"), "PNG image (*.png)"))
    window.export_dialog()
    box = window.findChild(QMessageBox, "error")
    assert box.isVisible() and "net.jpg: NeuroCanvas writes pictures as .png or .svg, not .jpg" in box.text()
    assert not (tmp_path / "net.jpg").exists()


def test_weight_numbers_neither_pile_up_at_a_neuron_nor_meet_where_lines_cross(window):
    window.open_example("xor-2-2-1")
    edges = window.scene.edges
    places = edges.label_places()
    points = edges.label_points()
    gaps = np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1))
    assert gaps[np.triu_indices(len(points), 1)].min() >= 25  # apart by more than a number's height
    assert ((0.3 <= places) & (places <= 0.7)).all()


def test_weight_numbers_that_would_collide_leave_the_weaker_out(qtbot, window):
    from engine.build import from_spec
    from engine.explain import number
    from engine.init import initialise
    net = from_spec("3-12-4", "tanh", "sigmoid")  # 84 lines fanning in and out
    initialise(net, "xavier", seed=2)
    window.doc.replace(net)
    window.view.fit()
    window.actions_by_name["show_weights"].trigger()
    edges = window.scene.edges
    qtbot.waitUntil(lambda: len(edges.labels_drawn) > 0)
    texts, rects = zip(*edges.labels_drawn)
    assert len(rects) < net.n_connections  # some left out at this zoom
    for a in range(len(rects)):
        for b in range(a + 1, len(rects)):
            assert not rects[a].intersects(rects[b])
    from PySide6.QtCore import QRectF
    from gui.canvas.style import RADIUS
    circles = [QRectF(x - RADIUS, y - RADIUS, 2 * RADIUS, 2 * RADIUS) for x, y in net.pos]
    assert not any(r.intersects(c) for r in rects for c in circles)  # no number over a neuron
    kept = {number(round(float(w), 3)) for w in net.weight}
    assert set(texts) <= kept
    window.view.zoom_centred(3.0)  # closer: room for more of them
    window.view.viewport().repaint()
    assert len(edges.labels_drawn) > len(rects)
    window.actions_by_name["show_weights"].trigger()
