"""Linux desktop integration (freedesktop.org): `neurocanvas --install-desktop` puts NeuroCanvas in
the applications menu with its icon, and teaches the desktop that a saved network and a lesson
file open in it;
`--uninstall-desktop` takes all of it away again. Everything goes under the user's
$XDG_DATA_HOME (~/.local/share): no root needed, nothing outside it touched."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

MIME = "application/x-neurocanvas+json"
LESSON_MIME = "application/x-neurocanvas-lesson+json"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def _mime_type(mime: str, comment: str, fmt: str, glob: str = "") -> str:
    """A file type known by its first key, which says what it is (docs/file-format.md,
    docs/lesson-format.md), and by its name where it has a name of its own."""
    pattern = f'\n    <glob pattern="{glob}" weight="60"/>' if glob else ""
    return f"""  <mime-type type="{mime}">
    <comment>{comment}</comment>
    <sub-class-of type="application/json"/>
    <generic-icon name="neurocanvas"/>{pattern}
    <magic priority="80">
      <match type="string" offset="0:64" value="&quot;format&quot;: &quot;{fmt}&quot;"/>
    </magic>
  </mime-type>
"""


MIME_XML = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">\n'
            + _mime_type(MIME, "NeuroCanvas network", "neurocanvas")
            + _mime_type(LESSON_MIME, "NeuroCanvas lesson", "neurocanvas-lesson", "*.lesson.json")
            + "</mime-info>\n")


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def command() -> str:
    """How the desktop starts the app: the bundle's program (packaging/), the gui-script beside
    this Python, else `python -m main`."""
    if getattr(sys, "frozen", False):
        return f'"{sys.executable}"'
    script = Path(sys.executable).parent / "neurocanvas"
    return f'"{script}"' if script.exists() else f'"{sys.executable}" -m main'


def desktop_entry() -> str:
    return "\n".join([
        "[Desktop Entry]", "Type=Application", "Name=NeuroCanvas",
        "GenericName=Neural network playground",
        "Comment=Build, hand-tune and train neural networks visually",
        f"Exec={command()} %f", "Icon=neurocanvas", "Terminal=false",
        "Categories=Education;Science;", f"MimeType={MIME};{LESSON_MIME};",
        "Keywords=neural;network;perceptron;MNIST;machine learning;", ""])


def _files(home: Path) -> dict[Path, bytes]:
    icons = resources.files("resources") / "icons"
    files = {home / "applications" / "neurocanvas.desktop": desktop_entry().encode(),
             home / "mime" / "packages" / "neurocanvas.xml": MIME_XML.encode(),
             home / "icons" / "hicolor" / "scalable" / "apps" / "neurocanvas.svg":
                 (icons / "neurocanvas.svg").read_bytes()}
    for size in ICON_SIZES:
        files[home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "neurocanvas.png"] = \
            (icons / f"neurocanvas-{size}.png").read_bytes()
    return files


def _refresh(home: Path) -> None:
    """Tells the desktop's caches, where their tools exist (they are optional)."""
    for tool, folder in (("update-desktop-database", "applications"),
                         ("update-mime-database", "mime"),
                         ("gtk-update-icon-cache", "icons/hicolor")):
        if shutil.which(tool) and (home / folder).is_dir():
            subprocess.run([tool, "-q", str(home / folder)] if tool != "update-mime-database"
                           else [tool, str(home / folder)], check=False, capture_output=True)


def install(home: Path | None = None) -> list[Path]:
    """Writes the menu entry, the icons and the file type; returns the files written."""
    home = home or data_home()
    written = []
    for path, content in _files(home).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(path)
    _refresh(home)
    return written


def uninstall(home: Path | None = None) -> list[Path]:
    """Removes what install wrote; returns the files removed."""
    home = home or data_home()
    removed = [path for path in _files(home) if path.exists()]
    for path in removed:
        path.unlink()
    _refresh(home)
    return removed


def main(flag: str) -> int:
    """`--install-desktop` or `--uninstall-desktop`, saying what was done."""
    if not sys.platform.startswith("linux"):
        print("--install-desktop is for Linux desktops; on Windows make a shortcut to the "
              "neurocanvas program, on macOS see the README.", file=sys.stderr)
        return 2
    done = install() if flag == "--install-desktop" else uninstall()
    verb = "wrote" if flag == "--install-desktop" else "removed"
    print(f"NeuroCanvas: {verb} {len(done)} files under {data_home()}")
    for path in done:
        print(f"  {path}")
    return 0
