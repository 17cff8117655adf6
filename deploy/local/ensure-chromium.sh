#!/usr/bin/env bash
# Brings what the console's browser tests need (services/console/test, driven by playwright-core,
# which downloads no browser): Debian's `chromium` package and a CJK font (fonts-wqy-microhei), so
# the zh-CN pages and their screenshots render Chinese text. Safe to run repeatedly: prints
# nothing when both are there. CHROMIUM_PATH names another Chromium and skips that package.
# Installing needs root (or passwordless sudo) and the Debian archive; without them it says what
# to run and exits non-zero.
set -euo pipefail
missing=()
if [[ -n "${CHROMIUM_PATH:-}" ]]; then
  [[ -x "$CHROMIUM_PATH" ]] || { echo "ensure-chromium: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2; exit 1; }
elif [[ ! -x /usr/bin/chromium ]]; then
  missing+=(chromium)
fi
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then missing+=(fonts-wqy-microhei); fi
(( ${#missing[@]} )) || exit 0

if [[ "$(id -u)" -eq 0 ]]; then
  as_root=()
elif sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "ensure-chromium: ${missing[*]} missing and this user cannot install; run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "install: Debian packages ${missing[*]} (apt-get) for the console's browser tests"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq >/dev/null
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if [[ -z "${CHROMIUM_PATH:-}" ]]; then
  /usr/bin/chromium --version >/dev/null || { echo "ensure-chromium: /usr/bin/chromium does not run" >&2; exit 1; }
fi
