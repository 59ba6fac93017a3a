"""neurocanvas --install-desktop / --uninstall-desktop: a Linux menu entry, icons and a file type."""
import configparser
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtGui import QImage

import main as app_main
from engine import course
from gui import desktop
from gui.main_window import example_path

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop only")


def test_install_writes_a_menu_entry_icons_and_a_file_type_and_uninstall_takes_them_away(
        tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert app_main.main(["--install-desktop"]) == 0
    assert f"wrote {3 + len(desktop.ICON_SIZES)} files under {tmp_path}" in capsys.readouterr().out
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(tmp_path / "applications" / "neurocanvas.desktop")
    e = entry["Desktop Entry"]
    assert (e["Type"], e["Name"], e["Icon"], e["Categories"], e["MimeType"]) == (
        "Application", "NeuroCanvas", "neurocanvas", "Education;Science;",
        f"{desktop.MIME};{desktop.LESSON_MIME};")
    assert e["Exec"].endswith(" %f")  # a double-clicked file is passed to the app
    for size in desktop.ICON_SIZES:
        icon = QImage(str(tmp_path / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "neurocanvas.png"))
        assert (icon.width(), icon.height()) == (size, size)
    mime = ET.parse(tmp_path / "mime" / "packages" / "neurocanvas.xml").getroot()
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    types = {t.get("type"): t.find("m:magic/m:match", ns) for t in mime.findall("m:mime-type", ns)}
    assert set(types) == {desktop.MIME, desktop.LESSON_MIME}
    files = {desktop.MIME: example_path("and"),
             desktop.LESSON_MIME: course.bundled().lessons[0]}
    for kind, magic in types.items():
        start, stop = (int(n) for n in magic.get("offset").split(":"))
        for other, path in files.items():
            head = path.read_text()[:stop + len(magic.get("value"))]
            # the magic finds its own kind of file where it is, and not the other kind
            assert (magic.get("value") in head[start:]) == (kind == other)
    assert app_main.main(["--uninstall-desktop"]) == 0
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and "neurocanvas" in p.name]


def test_a_bundled_app_starts_its_own_program(monkeypatch, tmp_path):
    bundle = tmp_path / "NeuroCanvas" / "NeuroCanvas"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(bundle))
    assert desktop.command() == f'"{bundle}"'


@pytest.mark.skipif(not (shutil.which("update-mime-database") and shutil.which("gio")),
                    reason="needs shared-mime-info and gio")
def test_the_desktop_tells_a_lesson_from_a_network(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    desktop.install()
    renamed = tmp_path / "saved-by-a-teacher.json"  # a lesson under a plain .json name
    renamed.write_text(course.bundled().lessons[1].read_text())

    def kind(path):
        out = subprocess.run(["gio", "info", "-a", "standard::content-type", str(path)],
                             capture_output=True, text=True, env={**os.environ}).stdout
        return out.rsplit("standard::content-type:", 1)[-1].strip()
    assert kind(course.bundled().lessons[0]) == desktop.LESSON_MIME
    assert kind(renamed) == desktop.LESSON_MIME
    assert kind(example_path("and")) == desktop.MIME
