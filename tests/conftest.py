import atexit
import os
import shutil
import tempfile

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the user's own settings, recent files and autosaves never reach a test (a recovery file left by
# a crashed app would open its dialog over a test's window), and no test writes into them
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="neurocanvas-config-")
atexit.register(shutil.rmtree, os.environ["XDG_CONFIG_HOME"], ignore_errors=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--device", choices=("cpu", "cuda"), default="cpu",
                     help="where the engine's training tests train (default cpu)")


@pytest.fixture
def device(request: pytest.FixtureRequest) -> str:
    """The device the engine's training tests train on; --device cuda skips them without a GPU."""
    name = request.config.getoption("--device")
    if name == "cuda":
        import torch  # here, not at the top: the window's tests check what importing costs
        if not torch.cuda.is_available():
            pytest.skip(f"--device cuda: torch {torch.__version__} sees no CUDA GPU here")
    return name
