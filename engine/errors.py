"""The base of every error that means "the user asked for something impossible", not a bug.

The CLI prints these as one line and the window shows them in a dialog; anything else is a bug.
"""


class EngineError(ValueError):
    pass
