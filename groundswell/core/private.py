"""Files that hold supporters' data (the SQLite database, uploaded CSV imports): read
and written by the account that runs Groundswell, and nobody else on the machine."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


def private_file(path: Path) -> None:
    """Make sure `path` exists with FILE_MODE: created so (with its folder, if missing,
    at DIRECTORY_MODE), or tightened if it is open to others."""
    if not path.parent.exists():
        path.parent.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(FILE_MODE)


def private_storage(location: Path) -> Any:
    """A file storage under `location` whose files and folders only their owner reads."""
    from django.core.files.storage import FileSystemStorage

    class PrivateStorage(FileSystemStorage):
        def _save(self, name: str, content: Any) -> str:
            saved = str(super()._save(name, content))  # type: ignore[misc]
            # Folders made before files were private are closed as files arrive.
            folder = Path(self.path(saved)).parent
            while folder != Path(self.location).parent and folder.exists():
                if stat.S_IMODE(folder.stat().st_mode) != DIRECTORY_MODE:
                    folder.chmod(DIRECTORY_MODE)
                if folder == Path(self.location):
                    break
                folder = folder.parent
            return saved

    return PrivateStorage(
        location=location,
        base_url=None,
        file_permissions_mode=FILE_MODE,
        directory_permissions_mode=DIRECTORY_MODE,
    )


def close_up(root: Path) -> int:
    """Make everything already under `root` its owner's alone; returns how many
    files and folders changed (an upgrade runs it once)."""
    changed = 0
    if not root.exists():
        return 0
    for path in [root, *root.rglob("*")]:
        wanted = DIRECTORY_MODE if path.is_dir() else FILE_MODE
        if stat.S_IMODE(path.stat().st_mode) != wanted:
            path.chmod(wanted)
            changed += 1
    return changed
