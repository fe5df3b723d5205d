#!/usr/bin/env bash
# System Chromium + CJK fonts for screenshots, browser tests and the Chinese PDFs (portal/pdf.py).
#
#   scripts/browser.sh ensure   # install chromium, fonts-noto-cjk and fonts-wqy-microhei if missing (root or passwordless sudo)
#   scripts/browser.sh path     # print the Chromium executable path
#
# We use Debian's chromium package with Playwright's `executable_path`; never run
# `playwright install` (it downloads browsers from the internet).
set -euo pipefail

CHROMIUM=/usr/bin/chromium
PACKAGES=(chromium fonts-noto-cjk fonts-wqy-microhei)

log() { printf 'browser.sh: %s\n' "$*" >&2; }
die() {
    printf 'browser.sh: ERROR: %s\n' "$*" >&2
    exit 1
}

is_installed() {
    local status
    status="$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" || return 1
    [[ "$status" == installed ]]
}

missing_packages() {
    local p
    for p in "${PACKAGES[@]}"; do
        is_installed "$p" || printf '%s\n' "$p"
    done
}

can_install() {
    [[ "$(id -u)" -eq 0 ]] && return 0
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null
}

as_admin() {
    if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo -n "$@"; fi
}

cmd_ensure() {
    local missing=()
    mapfile -t missing < <(missing_packages)
    if ((${#missing[@]} == 0)) && [[ -x "$CHROMIUM" ]]; then
        return 0
    fi
    ((${#missing[@]} > 0)) || missing=(chromium) # package "installed" but binary gone: reinstall
    if ! can_install; then
        die "missing: ${missing[*]} (need $CHROMIUM and CJK fonts); cannot install (not root, no passwordless sudo). Run: sudo apt-get install -y --no-install-recommends ${missing[*]}"
    fi
    log "installing ${missing[*]} with apt-get ..."
    as_admin env DEBIAN_FRONTEND=noninteractive apt-get update >&2 ||
        die "apt-get update failed"
    local reinstall=()
    if is_installed chromium && [[ ! -x "$CHROMIUM" ]]; then reinstall=(--reinstall); fi
    as_admin env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        "${reinstall[@]}" "${missing[@]}" >&2 ||
        die "apt-get install ${missing[*]} failed"
    mapfile -t missing < <(missing_packages)
    ((${#missing[@]} == 0)) || die "still missing after apt-get install: ${missing[*]}"
    [[ -x "$CHROMIUM" ]] || die "chromium is installed but $CHROMIUM does not exist"
    log "ok: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
}

case "${1:-}" in
ensure) cmd_ensure ;;
path) printf '%s\n' "$CHROMIUM" ;;
-h | --help | help)
    printf 'usage: %s {ensure|path}\n' "$0" >&2
    ;;
*)
    printf 'usage: %s {ensure|path}\n' "$0" >&2
    exit 2
    ;;
esac
