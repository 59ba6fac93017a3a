"""A tiny Qt-free publish/subscribe event, so the GUI can turn model changes into Qt signals."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class Event(Generic[T]):
    def __init__(self) -> None:
        self._handlers: list[Callable[[T], None]] = []

    def subscribe(self, handler: Callable[[T], None]) -> None:
        self._handlers.append(handler)

    def unsubscribe(self, handler: Callable[[T], None]) -> None:
        self._handlers.remove(handler)

    def emit(self, value: T) -> None:
        for handler in list(self._handlers):
            handler(value)


@dataclass(frozen=True)
class Change:
    """What an edit changed. kind is one of:
    "structure" (neurons or connections added/removed), "weights", "biases", "parameters" (every
    weight and bias), "neurons" (activation, role, label or position). ids name the neurons
    touched; pairs the (source, target) connections; an empty tuple with kind "weights"/"biases"
    means all of them.
    """

    kind: str
    ids: tuple[int, ...] = ()
    pairs: tuple[tuple[int, int], ...] = ()
