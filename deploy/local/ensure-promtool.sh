#!/usr/bin/env bash
# Brings promtool, which the unit tests use for `promtool check rules deploy/prometheus/*.yml`.
# It comes from Debian's `prometheus` package; the package's Prometheus server is not wanted here, so
# it is kept from starting (policy-rc.d while installing) and stopped and disabled should it run anyway,
# since it would hold port 9090 on a machine that runs the local stack. Safe to run repeatedly:
# prints nothing when promtool is already on PATH.
set -euo pipefail
command -v promtool >/dev/null 2>&1 && exit 0
command -v apt-get >/dev/null 2>&1 || {
  echo "ensure-promtool: promtool is missing and there is no apt-get; install Prometheus' promtool by hand" >&2
  exit 1
}
echo "install: promtool (Debian package prometheus; its server is not started)"
policy=/usr/sbin/policy-rc.d
added_policy=false
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\n# ensure-promtool.sh: no service starts while prometheus is installed\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  added_policy=true
fi
remove_policy() { if [[ "$added_policy" == true ]]; then rm -f "$policy"; fi; }
trap remove_policy EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends prometheus >/dev/null 2>&1 ||
  { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends prometheus >/dev/null; }
# Should an init system have started the server regardless, stop it and keep it from coming back.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
  systemctl stop prometheus || true
fi
if command -v systemctl >/dev/null 2>&1; then systemctl disable prometheus >/dev/null 2>&1 || true; fi
if [[ -x /etc/init.d/prometheus ]]; then /etc/init.d/prometheus stop >/dev/null 2>&1 || true; fi
command -v promtool >/dev/null 2>&1 || { echo "ensure-promtool: prometheus installed but no promtool on PATH" >&2; exit 1; }
