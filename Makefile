# Two commands for a fresh machine: `make run` and `make test` (each makes .venv when missing).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# `make run TORCH=cpu`: PyTorch's CPU build, for machines without an NVIDIA GPU (an environment
# of about 1.3 GB instead of the CUDA build's 5.7 GB that pip picks on Linux)
TORCH ?=
TORCH_CPU_INDEX := https://download.pytorch.org/whl/cpu

.PHONY: run test fuzz bench bundle
run: $(VENV)/.installed
	$(PY) main.py $(ARGS)

test: $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

fuzz: $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m fuzz tests/test_fuzz.py

bench: $(VENV)/.installed
	$(PY) bench/engine_vs_torch.py

# a one-folder app that runs without Python (packaging/neurocanvas.spec): dist/NeuroCanvas/
bundle: $(VENV)/.installed
	$(PY) -m pip install -q pyinstaller
	$(PY) -m PyInstaller --noconfirm packaging/neurocanvas.spec

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(if $(filter cpu,$(TORCH)),$(PY) -m pip install -q torch --index-url $(TORCH_CPU_INDEX))
	$(PY) -m pip install -q -e '.[test]'
	touch $@
