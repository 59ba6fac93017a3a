"""`make run TORCH=cpu` installs PyTorch's CPU build first; plain `make run` leaves the choice to pip."""
import shutil
import subprocess

import pytest

from tests.paths import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="no make here")


def planned(tmp_path, *args):
    """The commands make would run for a fresh environment, without running them."""
    venv = tmp_path / "venv"
    return subprocess.run(["make", "-n", "run", f"VENV={venv}", *args], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.splitlines()


def test_torch_cpu_installs_the_cpu_build_before_the_app(tmp_path):
    lines = planned(tmp_path, "TORCH=cpu")
    cpu = [k for k, line in enumerate(lines) if "--index-url https://download.pytorch.org/whl/cpu" in line]
    app = [k for k, line in enumerate(lines) if "install -q -e '.[test]'" in line]
    assert len(cpu) == 1 and "install -q torch" in lines[cpu[0]] and cpu[0] < app[0]
    assert not any("download.pytorch.org" in line for line in planned(tmp_path))
