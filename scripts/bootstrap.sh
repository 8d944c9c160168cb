#!/usr/bin/env bash
# Installs what Liuhen needs on a fresh Debian machine, only when missing:
# system packages (ffmpeg, CJK fonts, chromium, poppler, postgresql) and the .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v ffmpeg   >/dev/null 2>&1 || need+=(ffmpeg)
command -v ffprobe  >/dev/null 2>&1 || need+=(ffmpeg)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# The browser's own controls (file and date pickers) in Chinese, as an agency's users see them.
[ -f /usr/lib/chromium/locales/zh-CN.pak ] || need+=(chromium-l10n)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
[ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto | grep -q CJK || need+=(fonts-noto-cjk)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
    echo "bootstrap: installing system packages: ${need[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        $(printf '%s\n' "${need[@]}" | sort -u) >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "bootstrap: creating .venv"
    "$PY" -m venv .venv
fi
# Reinstall only when pyproject.toml or constraints.txt changed since the last install.
stamp=.venv/.liuhen-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
    echo "bootstrap: installing Python packages"
    log=$(mktemp)
    # pip's output goes to a log, shown only when it fails (setuptools' warnings are noise here).
    if ! { .venv/bin/pip install -q --upgrade pip && .venv/bin/pip install -q -e '.[dev]' -c constraints.txt; } >"$log" 2>&1; then
        cat "$log"; rm -f "$log"; echo "bootstrap: pip install failed" >&2; exit 1
    fi
    rm -f "$log"
    touch "$stamp"
fi
