"""Packaged files: example networks and the bundled MNIST subset (read with importlib.resources)."""
