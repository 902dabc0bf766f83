#!/bin/sh
# `npm run up` / `npm run down`: the forge under Docker Compose in one command, from a fresh clone.
# up: installs (npm ci, only when node_modules is missing or older than the lock file), builds
# (dist/ and the dashboard), prepares the images (npm run images: Node base, child base, .env with
# NODE_BASE and FORGE_AUTH_TOKEN), builds the forge image, starts it and waits for /healthz.
# Safe to run again: every step reuses what is already there. Compose v2 when the Docker CLI has
# it, else Debian's docker-compose 1.29.
set -eu
cd "$(dirname "$0")/../.."
if docker compose version >/dev/null 2>&1; then compose="docker compose"; else compose="docker-compose"; fi
port="${FORGE_PUBLISH_PORT:-9000}"

case "${1:-up}" in
  up)
    if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
      npm ci --no-audit --no-fund
    fi
    npm run images
    $compose up -d --build
    node -e '
      const url = `http://127.0.0.1:${process.argv[1]}/healthz`;
      const deadline = Date.now() + 120000;
      const probe = () => fetch(url).then((r) => r.ok, () => false).then((ok) => {
        if (ok) return console.log(`MCP-Forge is up: dashboard http://127.0.0.1:${process.argv[1]}/ , MCP http://127.0.0.1:${process.argv[1]}/mcp (token: FORGE_AUTH_TOKEN in .env)`);
        if (Date.now() > deadline) { console.error(`no answer from ${url}; see: '"$compose"' logs forge`); process.exit(1); }
        setTimeout(probe, 500);
      });
      probe();' "$port"
    ;;
  down)
    $compose down
    ;;
  *)
    echo "usage: compose.sh up|down" >&2
    exit 2
    ;;
esac
