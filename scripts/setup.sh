#!/usr/bin/env bash
# Prepare this checkout on a fresh machine: a virtual environment with the pinned packages, and
# (with --browser) Debian's chromium and fonts-noto-cjk for the browser tests and chart images,
# (with --fonts) fonts-noto-cjk alone: chart images and the printable report need a Japanese font.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
want_fonts=0
reqs=requirements.txt
for arg in "$@"; do
  case "$arg" in
    --dev) reqs=requirements-dev.txt ;;
    --browser) want_browser=1 ;;
    --fonts) want_fonts=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

PY=${PYTHON:-python3}
if ! command -v "$PY" >/dev/null 2>&1; then
  echo "setup: $PY が見つかりません。Python 3.11 以上を入れてください (python3 not found)" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: 仮想環境 .venv を作成します"
  if ! "$PY" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    apt_install python3-venv
    "$PY" -m venv .venv
  fi
fi

# A stamp lists the digests of the requirement sets installed; the dev set includes the runtime set,
# so running the dashboard after the tests (or the other way round) does not reinstall anything.
stamp=.venv/.kamiplan-requirements
runtime_digest=$(sha256sum requirements.txt | cut -d' ' -f1)
dev_digest=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ "$reqs" = requirements-dev.txt ]; then want=("$dev_digest"); else want=("$runtime_digest" "$dev_digest"); fi
installed=0
for digest in "${want[@]}"; do
  if [ -f "$stamp" ] && grep -qx "$digest" "$stamp"; then installed=1; fi
done
if [ "$installed" -eq 0 ]; then
  echo "setup: Python パッケージを入れます ($reqs)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$reqs"
  if [ "$reqs" = requirements-dev.txt ]; then
    printf '%s\n%s\n' "$runtime_digest" "$dev_digest" > "$stamp"
  else
    echo "$runtime_digest" > "$stamp"
  fi
fi

if [ "$want_browser" -eq 1 ]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  if ! fc-list 2>/dev/null | grep "Noto Sans CJK JP" >/dev/null; then missing+=(fonts-noto-cjk); fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: Debian パッケージを入れます: ${missing[*]}"
    apt_install "${missing[@]}" fontconfig
  fi
fi

if [ "$want_fonts" -eq 1 ] && [ "$want_browser" -eq 0 ]; then
  if ! fc-list 2>/dev/null | grep "Noto Sans CJK JP" >/dev/null; then
    echo "setup: 日本語フォント fonts-noto-cjk を入れます(グラフの画像・印刷用レポート用)"
    # Not fatal: the dashboard runs without it and says why images cannot be made.
    apt_install fonts-noto-cjk fontconfig || echo "setup: fonts-noto-cjk を入れられませんでした。画像とレポートは作れません (README 参照)" >&2
  fi
fi
