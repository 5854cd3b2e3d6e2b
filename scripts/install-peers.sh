#!/usr/bin/env bash
# Installs the real peers the tests and benches talk to, from Debian's packages, without daemons:
# `apt-get download` + `dpkg -x` into .peers/ (gitignored). Idempotent: a package already
# extracted is skipped. Prints the path of every binary it provides.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest="${TENANTWIRE_PEERS_DIR:-$here/.peers}"
mkdir -p "$dest/debs" "$dest/root"
# kubernetes-client is Debian's kubectl: the deploy tests render the kustomize manifests with it.
packages=(prometheus prometheus-alertmanager victoria-metrics wrk kubernetes-client)
missing=()
for p in "${packages[@]}"; do
  [ -f "$dest/debs/.done-$p" ] || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ ! -f "$dest/.apt-updated" ] || [ -n "$(find "$dest/.apt-updated" -mmin +1440 2>/dev/null)" ]; then
    apt-get update -qq >/dev/null
    touch "$dest/.apt-updated"
  fi
  # wrk links against LuaJIT; pull its runtime library too so the binary runs from .peers/.
  extra=()
  for p in "${missing[@]}"; do
    if [ "$p" = wrk ]; then extra+=(libluajit-5.1-2); fi
  done
  ( cd "$dest/debs" && apt-get download -qq -o APT::Sandbox::User=root "${missing[@]}" "${extra[@]}" >/dev/null )
  for deb in "$dest"/debs/*.deb; do
    dpkg -x "$deb" "$dest/root"
  done
  rm -f "$dest"/debs/*.deb
  for p in "${missing[@]}"; do touch "$dest/debs/.done-$p"; done
fi
for b in prometheus prometheus-alertmanager amtool promtool victoria-metrics vmagent wrk kubectl; do
  for d in "$dest/root/usr/bin" "$dest/root/usr/sbin"; do
    if [ -x "$d/$b" ]; then echo "$b=$d/$b"; fi
  done
done
