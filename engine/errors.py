"""The base of every error that means "the user asked for something impossible", not a bug.

The CLI prints these as one line and the window shows them in a dialog; anything else is a bug.
"""


from typing import Any


class EngineError(ValueError):
    pass


def quoted(value: Any) -> str:
    """A value as an error message quotes it: short, even for a 4,000-digit number."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:40]}… ({len(text):,} characters)"
