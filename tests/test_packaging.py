"""packaging/neurocanvas.spec names what the bundle needs (CI does not build it: 2 minutes, 1 GB)."""
import importlib.util
from pathlib import Path

from tests.paths import ROOT


def _spec() -> dict:
    """What the spec hands PyInstaller, caught by stand-ins for its build steps."""
    seen: dict = {"exe": []}
    env = {"SPECPATH": str(ROOT / "packaging"),
           "Analysis": lambda scripts, **kw: seen.update(scripts=scripts, **kw) or type("A", (), {
               "pure": [], "scripts": [], "binaries": [], "datas": []})(),
           "PYZ": lambda *a, **kw: None,
           "EXE": lambda *a, **kw: seen["exe"].append(kw) or kw["name"],
           "COLLECT": lambda *a, **kw: seen.update(collect=(a, kw))}
    exec((ROOT / "packaging" / "neurocanvas.spec").read_text(), env)
    return seen


def test_the_bundle_carries_the_examples_the_mnist_subset_and_the_icons():
    datas = {Path(src).relative_to(ROOT).as_posix(): dest for src, dest in _spec()["datas"]}
    for name in ("resources/examples/xor-2-2-1.json", "resources/mnist/t10k-images-idx3-ubyte.gz",
                 "resources/icons/neurocanvas-256.png"):
        assert datas[name] == str(Path(name).parent)


def test_the_modules_it_names_exist_and_it_makes_a_window_and_a_console_program():
    spec = _spec()
    assert spec["scripts"] == [str(ROOT / "main.py")]
    for module in spec["hiddenimports"]:
        assert importlib.util.find_spec(module) is not None, module
    assert {(e["name"], e["console"]) for e in spec["exe"]} == {("NeuroCanvas", False),
                                                                 ("neurocanvas-cli", True)}
