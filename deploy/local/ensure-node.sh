#!/usr/bin/env bash
# Brings the pinned Node.js LTS (package.json "yujing.node") into .tools/node from the npm registry's
# node-linux-<arch> package, which ships the official binary, since this machine's Debian Node 20 is
# past its end of life (2026-04-30). Safe to run repeatedly: a matching binary is kept.
# Prints nothing when the binary is already there; the Makefile and env.sh put .tools/node/bin first
# on PATH, so every make target, test and service runs on it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
want="$(sed -n 's/.*"node-runtime": *"\([0-9.]*\)".*/\1/p' "$root/package.json")"
[[ -n "$want" ]] || { echo "ensure-node: package.json has no yujing.node-runtime version" >&2; exit 1; }
bin="$root/.tools/node/bin"
if [[ -x "$bin/node" && "$("$bin/node" --version)" == "v$want" ]]; then exit 0; fi
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "ensure-node: no node-linux package for $(uname -m)" >&2; exit 1 ;;
esac
echo "install: Node.js $want (node-linux-$arch from the npm registry) into .tools/node"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$tmp" "node-linux-$arch@$want" >/dev/null
rm -rf "$root/.tools/node"
mkdir -p "$root/.tools"
mv "$tmp/node_modules/node-linux-$arch" "$root/.tools/node"
"$bin/node" --version >/dev/null || { echo "ensure-node: $bin/node does not run" >&2; exit 1; }
