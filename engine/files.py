"""The files a user names: only a regular file is read, and only up to a size, so a FIFO, a
device or a huge file is refused at once instead of blocking or filling memory."""
from __future__ import annotations

import os
import stat

MIB = 2 ** 20


def unreadable(path: str | os.PathLike, max_bytes: int) -> str | None:
    """Why the file at path will not be read, in words, or None."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "no such file"
    except OSError as e:
        return f"cannot be read ({e.strerror})"
    if stat.S_ISDIR(info.st_mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a FIFO, a socket or a device), so it is not read"
    if info.st_size > max_bytes:
        return (f"is {info.st_size / MIB:,.0f} MB, more than the {max_bytes / MIB:,.0f} MB "
                "read here")
    return None
