"""Fetching full MNIST when online: progress reported, every file checked by SHA-256."""
from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable

from engine.datasets import DatasetError

MIRROR = "https://ossci-datasets.s3.amazonaws.com/mnist/"
SHA256 = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}
CHUNK = 1 << 16
Progress = Callable[[str, int, int], None]  # file name, bytes so far, total bytes (0 if unknown)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _fetch(url: str, target: Path, name: str, progress: Progress | None) -> None:
    tmp = target.with_suffix(".part")
    try:
        with urllib.request.urlopen(url, timeout=30) as response, open(tmp, "wb") as out:
            total, done = int(response.headers.get("Content-Length") or 0), 0
            for block in iter(lambda: response.read(CHUNK), b""):
                out.write(block)
                done += len(block)
                if progress:
                    progress(name, done, total)
    except (urllib.error.URLError, OSError) as e:
        tmp.unlink(missing_ok=True)
        raise DatasetError(f"could not download {url}: {getattr(e, 'reason', e)}") from None
    if sha256(tmp) != SHA256[name]:
        tmp.unlink()
        raise DatasetError(f"{name} from {url} does not match its published SHA-256; nothing was kept")
    os.replace(tmp, target)


def download(folder: str | os.PathLike, base_url: str = MIRROR,
             progress: Progress | None = None) -> Path:
    """Puts the four .gz files in folder, skipping any already there and intact."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in SHA256:
        target = folder / name
        if not (target.is_file() and sha256(target) == SHA256[name]):
            _fetch(base_url + name, target, name, progress)
    return folder
