"""The project's own translations (locale/): the Chinese of the admin screens where Wagtail's zh-hans catalogue has
gaps. The .po files are the source; the .mo files Django reads are made from them at install, run and test time."""

import os
import tempfile
from pathlib import Path

import polib


def translations_compile(*, root: Path) -> list[Path]:
    """Write each locale/<lang>/LC_MESSAGES/*.po under `root` as its .mo where that is missing or older; returns
    the files written. Each is written whole (to a temporary file, then renamed): parallel callers never see half."""
    written = []
    for po_path in sorted(root.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalogue = polib.pofile(str(po_path))
        handle, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
        os.close(handle)
        try:
            catalogue.save_as_mofile(temporary)
            os.replace(temporary, mo_path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        written.append(mo_path)
    return written
