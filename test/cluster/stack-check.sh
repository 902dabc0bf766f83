#!/usr/bin/env bash
# config/stack.yaml, tried for real: builds the forge image from this checkout, pushes it to the
# registry (REGISTRY, default 127.0.0.1:5000), `docker stack deploy`s it on the local swarm
# manager, then over MCP (the official SDK, with the token): tools/list, create_server, the child's
# echo through the forge's gateway, delete_server. Removes the stack, its volume, the images and
# their manifests in the registry whatever happens. Needs `npm ci && npm run build && npm run images`.
set -uo pipefail
cd "$(dirname "$0")/../.."
REGISTRY="${REGISTRY:-127.0.0.1:5000}"
STACK=mcpfc-stack
PORT="${STACK_PORT:-27990}"
RUN="stack$(date +%s)"
IMAGE="${REGISTRY}/mcp-forge-stack-check/forge:${RUN}"
CHILDREN="mcp-forge-stack-check/child"
TOKEN="stack-check-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
NODE_BASE=$(sed -n 's/^NODE_BASE=//p' .env 2>/dev/null); NODE_BASE=${NODE_BASE:-node:20-bookworm-slim}
say() { echo "[stack] $*" >&2; }

cleanup() {
  trap - EXIT
  docker stack rm "$STACK" >/dev/null 2>&1
  for _ in $(seq 1 60); do
    [ -z "$(docker ps -aq --filter "label=com.docker.stack.namespace=${STACK}")$(docker network ls -q --filter name=mcpfc-stack-net)" ] && break; sleep 1
  done
  docker volume rm "${STACK}_forge-data" >/dev/null 2>&1
  for s in $(docker service ls -q --filter "label=io.mcp-forge.test=${RUN}"); do docker service rm "$s" >/dev/null; done
  for i in $(docker images -q --filter "label=io.mcp-forge.test=${RUN}" | sort -u); do docker rmi -f "$i" >/dev/null 2>&1; done
  for repo in mcp-forge-stack-check/forge "$CHILDREN"; do
    for tag in $(curl -fsS "http://${REGISTRY}/v2/${repo}/tags/list" 2>/dev/null | grep -o '"tags":\[[^]]*' | grep -o '"[^"]*"' | tr -d '"' | grep -v tags); do
      d=$(curl -fsSI -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://${REGISTRY}/v2/${repo}/manifests/${tag}" | tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p')
      [ -n "$d" ] && curl -fsS -X DELETE "http://${REGISTRY}/v2/${repo}/manifests/${d}" >/dev/null
    done
  done
  local left; left="$(docker service ls -q --filter "label=io.mcp-forge.test=${RUN}")$(docker network ls -q --filter name=mcpfc-stack-net)$(docker volume ls -q --filter name="${STACK}_")"
  echo "[stack] removed the stack, its volume, images and manifests$([ -n "$left" ] && echo "; LEFT: $left")"
  echo "[stack] result: $([ "${rc:-1}" -eq 0 ] && [ -z "$left" ] && echo PASS || echo FAIL)"
  exit "${rc:-1}"
}
rc=1
trap cleanup EXIT

say "building ${IMAGE} (NODE_BASE ${NODE_BASE})"
docker build -q -f images/forge/Dockerfile --build-arg NODE_BASE="$NODE_BASE" --label "io.mcp-forge.test=${RUN}" -t "$IMAGE" . >/tmp/mcpfc-stack.log 2>&1 || { tail -20 /tmp/mcpfc-stack.log; exit 1; }
docker push -q "$IMAGE" >/dev/null || exit 1
say "docker stack deploy -c config/stack.yaml ${STACK}"
FORGE_IMAGE="$IMAGE" FORGE_AUTH_TOKEN="$TOKEN" FORGE_RUNTIME_REGISTRY="$REGISTRY" FORGE_PUBLISH_PORT="$PORT" \
  FORGE_NETWORK=mcpfc-stack-net FORGE_PORT_RANGE_START=27950 FORGE_PORT_RANGE_END=27989 FORGE_CHILD_REPOSITORY="$CHILDREN" \
  NODE_BASE="$NODE_BASE" FORGE_EXTRA_LABELS="io.mcp-forge.test=${RUN}" FORGE_RUNTIME_PLACEMENT=node.role==manager \
  docker stack deploy -c config/stack.yaml "$STACK" >/tmp/mcpfc-stack.log 2>&1 || { cat /tmp/mcpfc-stack.log; exit 1; }
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:${PORT}/healthz" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "http://127.0.0.1:${PORT}/healthz" >/dev/null || { docker service ps --no-trunc "${STACK}_forge"; exit 1; }
say "the forge answers /healthz on port ${PORT} ($(docker service ps --format '{{.Node}}' "${STACK}_forge" | head -1))"
STACK_RUN="$RUN" node --input-type=module - "http://127.0.0.1:${PORT}" "$TOKEN" <<'JS'
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
const [base, token] = process.argv.slice(2);
const open = async (url, auth = token) => {
  const c = new Client({ name: 'stack-check', version: '1.0.0' });
  await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${auth}` } } }));
  return c;
};
const refused = await open(`${base}/mcp`, 'not-the-token').then((c) => c.close().then(() => false), () => true);
console.log(`[stack] a wrong token is refused: ${refused}`);
const client = await open(`${base}/mcp`);
const { tools } = await client.listTools();
console.log(`[stack] tools/list: ${tools.length} tools`);
const t0 = Date.now();
const r = await client.callTool({ name: 'create_server', arguments: { name: 'stack-echo', description: 'made by the stack forge' } }, undefined, { timeout: 300000 });
const c = r.structuredContent;
console.log(`[stack] create_server: ${c.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s${c.error ? `: ${c.error.message}` : ''}`);
let echoed = false;
if (c.status === 'success') {
  const gw = await open(`${base}/gateway/mcp`);
  const e = await gw.callTool({ name: 'stack-echo__echo', arguments: { message: 'hello through the stack forge' } });
  echoed = JSON.stringify(e.content).includes('hello through the stack forge');
  console.log(`[stack] gateway echo: ${echoed}`);
  await gw.close();
  const { execFileSync } = await import('node:child_process');
  const run = process.env.STACK_RUN;
  const services = execFileSync('docker', ['service', 'ls', '-q', '--filter', `label=io.mcp-forge.test=${run}`]).toString().trim();
  const containers = execFileSync('docker', ['ps', '-q', '--filter', `label=io.mcp-forge.test=${run}`, '--filter', 'label=io.mcp-forge.kind=child']).toString().trim();
  console.log(`[stack] the child runs as ${services ? 'a swarm service' : containers ? 'a container (docker runtime)' : 'nothing found'}`);
  console.log(`[stack] delete_server: ${(await client.callTool({ name: 'delete_server', arguments: { server_id: c.server.id } })).structuredContent.status}`);
}
await client.close();
process.exit(refused && tools.length > 0 && echoed ? 0 : 1);
JS
rc=$?
