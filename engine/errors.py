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


def printable(text: str) -> str:
    """Text with its control characters escaped (\\x1b, \\n): a label from a file can never
    move a terminal's cursor or change its colours."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escaped(ord(c)) for c in text)


def _escaped(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
