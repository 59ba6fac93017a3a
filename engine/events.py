"""A tiny Qt-free publish/subscribe event, so the GUI can turn model changes into Qt signals."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Generic, Iterator, TypeVar

T = TypeVar("T")


class Event(Generic[T]):
    def __init__(self) -> None:
        self._handlers: list[Callable[[T], None]] = []
        self._held: list[T] | None = None

    def subscribe(self, handler: Callable[[T], None]) -> None:
        self._handlers.append(handler)

    def unsubscribe(self, handler: Callable[[T], None]) -> None:
        self._handlers.remove(handler)

    def emit(self, value: T) -> None:
        if self._held is not None:
            self._held.append(value)
            return
        for handler in list(self._handlers):
            handler(value)

    @contextmanager
    def held(self, merge: Callable[[list[T]], T]) -> Iterator[None]:
        """Emits what is emitted inside as one value, merged, at the end (even when it fails
        half-way): a compound edit redraws once, not once per part."""
        if self._held is not None:  # nested: the outermost one emits
            yield
            return
        self._held = []
        try:
            yield
        finally:
            values, self._held = self._held, None
            if values:
                self.emit(merge(values))


@dataclass(frozen=True)
class Change:
    """What an edit changed. kind is one of:
    "structure" (neurons or connections added/removed), "weights", "biases", "parameters" (every
    weight and bias), "neurons" (activation, role or label), "positions", "frozen" (what
    training may change, no number). ids name the neurons
    touched; pairs the (source, target) connections; an empty tuple with kind "weights"/"biases"
    means all of them.
    """

    kind: str
    ids: tuple[int, ...] = ()
    pairs: tuple[tuple[int, int], ...] = ()

    @staticmethod
    def merged(changes: list[Change]) -> Change:
        """One change that says what all of them did: a mix of kinds counts as "structure"."""
        kinds = {c.kind for c in changes}
        kind = kinds.pop() if len(kinds) == 1 else "structure"
        if kind in ("weights", "biases") and any(not c.ids and not c.pairs for c in changes):
            return Change(kind)  # one of them changed all
        return Change(kind, tuple(dict.fromkeys(i for c in changes for i in c.ids)),
                      tuple(dict.fromkeys(p for c in changes for p in c.pairs)))
