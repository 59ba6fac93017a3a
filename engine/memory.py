"""Refusing up front what would not fit: a network whose arrays would need more memory than the
machine has left ends in an error that names the size, not in minutes of swapping or a kill."""
from __future__ import annotations

import os

from engine.errors import EngineError

# what one connection and one neuron cost while a network is built, saved, drawn and trained
# (arrays, their undo and snapshot copies, the file's text); measured on 784-1000-1000-10
BYTES_PER_CONNECTION = 100
BYTES_PER_NEURON = 400


class TooBigError(EngineError):
    pass


def available() -> int:
    """Bytes of memory the machine can still give (MemAvailable on Linux)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return 1 << 62  # unknown: let the allocator decide


def _gib(n: float) -> str:
    return f"{n / 2 ** 30:,.1f} GiB" if n >= 2 ** 30 else f"{n / 2 ** 20:,.0f} MiB"


def check_fits(n_neurons: int, n_connections: int, what: str) -> None:
    need = n_neurons * BYTES_PER_NEURON + n_connections * BYTES_PER_CONNECTION
    check_bytes(need, f"{what} has {n_neurons:,} neurons and {n_connections:,} connections: it")


def check_bytes(need: int, what: str) -> None:
    """Raises TooBigError, saying "<what> would need about …", if need exceeds free memory."""
    have = available()
    if need > have:
        raise TooBigError(f"{what} would need about {_gib(need)} of memory, and this machine has "
                          f"{_gib(have)} free")
