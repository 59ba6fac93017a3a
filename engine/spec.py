"""Layer specs: "784-32-10", and with convolutions "28x28-conv32k3-pool2-conv64k3-pool2-10".

The first part is the input: a size, or an image HxW. convCkK is C feature maps of K×K kernels
(stride 1, no padding; sS and pP after it set them, e.g. conv8k3s2p1); poolP is P×P max-pooling
with stride P; a bare number is a dense layer, the last one the outputs.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from engine.conv import Conv, ShapeError, grid_of, out_shape
from engine.network import NetworkError

_CONV = re.compile(r"conv(\d+)k(\d+)(?:s(\d+))?(?:p(\d+))?")
_POOL = re.compile(r"pool(\d+)")
_IMAGE = re.compile(r"(\d+)x(\d+)")
EXAMPLE = "e.g. 2-2-1, 784-32-10 or 28x28-conv32k3-pool2-conv64k3-pool2-10"


@dataclass(frozen=True)
class Part:
    """One layer of a spec: its neurons' shape, and for a convolution or pooling how it reads."""

    shape: tuple[int, ...]
    conv: Conv | None = None
    channels: int = 0

    @property
    def size(self) -> int:
        return math.prod(self.shape)


@dataclass(frozen=True)
class Spec:
    parts: tuple[Part, ...]

    @property
    def sizes(self) -> list[int]:
        return [part.size for part in self.parts]

    @property
    def neurons(self) -> int:
        return sum(self.sizes)

    @property
    def drawn(self) -> int:
        """The neurons drawn one by one: a convolution's units are pixels of its maps."""
        return sum(part.size for part in self.parts if part.conv is None)

    @property
    def connections(self) -> int:
        """The connections the network stores: dense ones, and each kernel once."""
        total = 0
        for before, part in zip(self.parts, self.parts[1:]):
            if part.conv is None:
                total += before.size * part.size
            elif part.conv.kind == "conv":
                total += part.shape[0] * grid_of(before.shape, "")[0] * part.conv.size ** 2
        return total


def _input(text: str, spec: str) -> Part:
    image = _IMAGE.fullmatch(text)
    if image:
        return Part((int(image[1]), int(image[2])))
    if text.isdigit():
        return Part((int(text),))
    raise NetworkError(f"{spec!r} is not a layer spec: the input {text!r} should be a size "
                       f"(784) or an image (28x28); {EXAMPLE}")


def _part(text: str, before: Part, k: int, spec: str) -> Part:
    conv, pool = _CONV.fullmatch(text), _POOL.fullmatch(text)
    if text.isdigit():
        return Part((int(text),))
    if not (conv or pool):
        raise NetworkError(f"{spec!r} is not a layer spec: part {k + 1}, {text!r}, is no layer; "
                           f"write sizes, convCkK or poolP joined by '-', {EXAMPLE}")
    try:
        grid = grid_of(before.shape if len(before.shape) > 1 else None, f"part {k}")
        if conv:
            c, size = int(conv[1]), int(conv[2])
            made = Conv("conv", "", size, int(conv[3] or 1), int(conv[4] or 0))
        else:
            c, made = 0, Conv("pool", "", int(pool[1]), int(pool[1]))
        return Part(out_shape(made, grid, c), made, c)
    except ShapeError as e:
        raise NetworkError(f"{spec!r}: {text}: {e}") from None


def parse(spec: str) -> Spec:
    """The layers a spec makes, their shapes worked out; refuses, in words, what cannot be
    built: a kernel larger than its input, a stride that does not fit, pooling a 1×1 map, a
    convolution after a dense layer."""
    texts = spec.replace(" ", "").lower().split("-")
    if len(texts) < 2 or not texts[0]:
        raise NetworkError(f"{spec!r}: a network needs an input and an output layer, "
                           f"{EXAMPLE}")
    parts = [_input(texts[0], spec)]
    for k, text in enumerate(texts[1:], 1):
        parts.append(_part(text, parts[-1], k, spec))
    if any(part.size < 1 for part in parts):
        raise NetworkError(f"{spec!r}: every layer needs at least one neuron")
    if parts[-1].conv is not None:
        raise NetworkError(f"{spec!r}: the last layer gives the answers: end with a dense layer "
                           "(a size, e.g. 10)")
    return Spec(tuple(parts))
