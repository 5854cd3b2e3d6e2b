#!/usr/bin/env bash
# Runs a command under another Node.js major: `bash scripts/with-node.sh 24 npm test`.
# The Node binary comes from the npm registry's `node` package (it pulls the platform build,
# node-<os>-<arch>, from the same registry) and is kept in .tmp/node-<major>/ (gitignored), so
# later runs reuse it. The command runs with that Node first on PATH; npm itself is the one
# installed with the machine's Node, run by the chosen Node.
set -euo pipefail
if [ "$#" -lt 2 ]; then
  echo "usage: bash scripts/with-node.sh <major> <command> [args...]" >&2
  exit 2
fi
major=$1
shift
here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/.tmp/node-$major"
bin="$dest/node_modules/node/bin"

works() {
  [ -x "$bin/node" ] && "$bin/node" --version 2>/dev/null | grep -q "^v$major\."
}

if ! works; then
  echo "with-node: fetching node@$major from the npm registry into ${dest#"$here"/}" >&2
  rm -rf "$dest"
  mkdir -p "$dest"
  # The `node` package installs its platform binary in a preinstall step: scripts must run.
  npm install --prefix "$dest" --no-save --no-audit --no-fund --no-package-lock --ignore-scripts=false "node@$major" >&2
  if ! works; then
    echo "with-node: $bin/node is not a working Node $major (install scripts disabled, or no build for $(uname -sm))" >&2
    exit 1
  fi
fi
echo "with-node: $("$bin/node" --version) at ${bin#"$here"/}" >&2
PATH="$bin:$PATH" exec "$@"
