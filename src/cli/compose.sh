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
    # Waits for /healthz; the interval keeps Node alive while a fetch to a port that Docker's proxy
    # accepts but nothing serves yet is pending (Node would otherwise exit early, printing nothing).
    node -e '
      const port = process.argv[1];
      const url = `http://127.0.0.1:${port}/healthz`;
      const deadline = Date.now() + 120000;
      const alive = setInterval(() => {}, 1000);
      (async () => {
        for (;;) {
          const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
          if (ok) break;
          if (Date.now() > deadline) {
            console.error(`no answer from ${url}; see: '"$compose"' logs forge`);
            process.exit(1);
          }
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        clearInterval(alive);
        console.log(`MCP-Forge is up: dashboard http://127.0.0.1:${port}/ , MCP http://127.0.0.1:${port}/mcp (token: FORGE_AUTH_TOKEN in .env)`);
      })();' "$port"
    ;;
  down)
    $compose down
    ;;
  *)
    echo "usage: compose.sh up|down" >&2
    exit 2
    ;;
esac
