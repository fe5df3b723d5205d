#!/usr/bin/env bash
# The screenshots docs/editors.md shows: the browser test that walks the editor's manual saves each step's screen,
# then each PNG is reduced to a 256-colour palette (a screen of text and flat colours loses nothing a reader sees;
# the files shrink four- to sixfold). Run from the repository root; rewrites docs/images/*.png.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/images
mkdir -p "$out"
JINCAI_DOC_SCREENSHOTS="$out" .venv/bin/python -m pytest tests/e2e/test_editor_guide.py -x -q -p no:cacheprovider
.venv/bin/python - "$out" <<'PY'
import sys
from pathlib import Path

from PIL import Image

total = 0
for path in sorted(Path(sys.argv[1]).glob("*.png")):
    with Image.open(path) as picture:
        small = picture.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)
    total += path.stat().st_size
    print(f"{path.name}: {path.stat().st_size // 1024} KB")
print(f"共 {total / 1024 / 1024:.2f} MB")
PY
