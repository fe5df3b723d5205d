#!/usr/bin/env bash
# The page checkers the browser tests run over one page of every page type:
#   axe-core (accessibility, injected into the page) and the Nu HTML checker (vnu-jar, run with the system Java).
#
#   scripts/checkers.sh ensure   # install them from npm into var/checkers (pinned, with integrity hashes)
#   scripts/checkers.sh path     # print the folder the tests read them from
#
# The versions and hashes are in tests/e2e/checkers/package.json and package-lock.json. Install scripts are not run
# (vnu-jar's would fetch a Java runtime; the system's is used). Nothing is fetched when the tests run.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VAR_DIR="${JINCAI_VAR_DIR:-$ROOT/var}"
TARGET="$VAR_DIR/checkers"
SOURCE="$ROOT/tests/e2e/checkers"

cmd_ensure() {
    if [[ -f "$TARGET/node_modules/axe-core/axe.min.js" && -f "$TARGET/node_modules/vnu-jar/build/dist/vnu.jar" ]] &&
        cmp -s "$SOURCE/package-lock.json" "$TARGET/package-lock.json"; then
        return 0
    fi
    if ! command -v npm >/dev/null && [[ "$(id -u)" -eq 0 ]]; then
        echo "checkers.sh: installing npm with apt-get ..." >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm >&2
    fi
    command -v npm >/dev/null || { echo "checkers.sh: npm is needed (apt-get install npm)" >&2; exit 1; }
    command -v java >/dev/null || { echo "checkers.sh: java is needed for the Nu HTML checker" >&2; exit 1; }
    mkdir -p "$TARGET"
    cp "$SOURCE/package.json" "$SOURCE/package-lock.json" "$TARGET/"
    (cd "$TARGET" && npm ci --ignore-scripts --no-audit --no-fund >&2)
    echo "checkers.sh: installed in $TARGET" >&2
}

case "${1:-}" in
ensure) cmd_ensure ;;
path) printf '%s\n' "$TARGET" ;;
*) printf 'usage: %s {ensure|path}\n' "$0" >&2; exit 2 ;;
esac
