"""Where the tests find full MNIST: $NEUROCANVAS_MNIST, else ../shared/data/mnist beside the repo."""
import os
from pathlib import Path

import pytest

from engine.datasets.mnist import find

ROOT = Path(__file__).resolve().parents[1]
MNIST = Path(os.environ.get("NEUROCANVAS_MNIST") or ROOT.parent / "shared" / "data" / "mnist")
full_mnist = pytest.mark.skipif(find(MNIST) is None, reason=f"full MNIST is not in {MNIST}")
