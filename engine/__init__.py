"""NeuroCanvas engine: the network model, its maths and training. Never imports Qt.

The model, file I/O, datasets and the numpy forward pass import no torch, so the window starts fast;
engine.compile and engine.training import torch and run in the trainer process.
"""
