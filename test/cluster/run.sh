#!/usr/bin/env bash
# npm run test:cluster: a multi-node swarm on one machine, then test/cluster/*.test.ts against it.
# Needs root, the local daemon as a swarm manager (it is initialised here, and left at the end,
# when it is in no swarm), Debian's docker-registry, nsenter and unshare. Two worker daemons in
# network namespaces join as workers labelled mcp-forge.node=n1|n2 and mcp-forge.pool=workers; a
# registry at 10.201.0.1:5001 serves every node. Whatever happens, everything is torn down (trap)
# and a summary is printed last. CLUSTER_WORKERS=1 runs one worker; CLUSTER_ONLY=infra skips the
# forge tests; `run.sh down` only removes what a crashed run left. For working on the tests:
# `run.sh up` builds the cluster and leaves it (no tests; /run/mcpfc/env.sh holds what mocha
# needs), then `run.sh down` removes it: never leave it up.
set -uo pipefail
cd "$(dirname "$0")/../.."
. test/cluster/nodes.sh

WORKERS="${CLUSTER_WORKERS:-2}"
export MCP_FORGE_TEST_RUN="${MCP_FORGE_TEST_RUN:-c$(date +%s | tail -c 7)$RANDOM}"
export TEST_PORT_BASE="${TEST_PORT_BASE:-27001}"
declare -a STEPS=()
initialised_swarm=0
step() { local t0=$SECONDS what=$1; cl_log "$what"; shift; if "$@"; then STEPS+=("ok    $(( SECONDS - t0 ))s  $what"); return 0; fi; STEPS+=("FAIL  $(( SECONDS - t0 ))s  $what"); return 1; }

[ "$(id -u)" -eq 0 ] || { echo "test:cluster needs root (network namespaces, a second dockerd)"; exit 1; }
for cmd in docker-registry nsenter unshare ip iptables curl; do
  command -v "$cmd" >/dev/null || { echo "test:cluster needs $cmd (docker-registry: apt-get install docker-registry)"; exit 1; }
done
exec 9>/run/mcpfc.lock
flock -n 9 || { echo "another test:cluster run holds /run/mcpfc.lock"; exit 1; }

teardown() {
  local t0=$SECONDS
  trap - EXIT INT TERM
  cl_log "tearing down"
  # Services the forge tests left (they carry the run's test label) and ours.
  local run="label=io.mcp-forge.test=${MCP_FORGE_TEST_RUN}" svc
  svc=$(docker service ls -q --filter "$run")
  [ -n "$svc" ] && docker service rm $svc >/dev/null
  cl_teardown
  # What mocha's own leak sweep could not remove (a network still in use by a service then, images).
  cl_wait 30 "the run's task containers to go" sh -c "[ -z \"\$(docker ps -aq --filter '$run')\" ]"
  for id in $(docker network ls -q --filter "$run"); do docker network rm "$id" >/dev/null; done
  for id in $(docker images -q --filter "$run" | sort -u); do docker rmi -f "$id" >/dev/null 2>&1; done
  [ "$initialised_swarm" = 1 ] && docker swarm leave --force >/dev/null
  local left=""
  ip netns list | grep -q '^mcpfc-' && left+=" netns"
  ip link show "$CL_BRIDGE" >/dev/null 2>&1 && left+=" bridge"
  docker node ls --format '{{.Hostname}}' 2>/dev/null | grep -q '^mcpfc-' && left+=" nodes"
  [ -n "$(docker service ls -q --filter "$run")" ] && left+=" services"
  [ -n "$(docker network ls -q --filter "$run")$(docker ps -aq --filter "$run")" ] && left+=" networks/containers"
  cl_main_trusts_registry && left+=" insecure-registry"
  [ -z "$left" ] && STEPS+=("ok    $(( SECONDS - t0 ))s  teardown (no netns, bridge, worker nodes, services, networks, registry entry left)") \
    || STEPS+=("FAIL  $(( SECONDS - t0 ))s  teardown left:${left}")
  echo
  echo "==== test:cluster summary (run ${MCP_FORGE_TEST_RUN}, ${WORKERS} workers, $(( SECONDS ))s) ===="
  printf '  %s\n' "${STEPS[@]}"
  [ -n "${MOCHA_SUMMARY:-}" ] && echo "  mocha: ${MOCHA_SUMMARY}"
  grep -Eis 'down after' /tmp/mcpfc-mocha.log | sed 's/^ */  timing: /' 
  echo "  result: $([ "${rc:-1}" -eq 0 ] && [ -z "$left" ] && echo PASS || echo FAIL)"
  [ -z "$left" ] || rc=1
  exit "${rc:-1}"
}

if [ "${1:-}" = down ]; then
  leave=0; [ -f "${CL_STATE}/initialised-swarm" ] && leave=1
  cl_teardown
  [ "$leave" = 1 ] && docker swarm leave --force >/dev/null
  echo "removed what a cluster run left"; exit 0
fi

rc=1
trap teardown EXIT
trap 'exit 130' INT TERM
cl_teardown

swarm_state=$(docker info --format '{{.Swarm.LocalNodeState}}')
if [ "$swarm_state" = inactive ]; then
  addr=$(ip -4 route get 1.1.1.1 2>/dev/null | grep -Po 'src \K[0-9.]+' || echo 127.0.0.1)
  step "swarm init --advertise-addr ${addr}" docker swarm init --advertise-addr "$addr" >/dev/null || exit 1
  initialised_swarm=1
elif [ "$(docker info --format '{{.Swarm.ControlAvailable}}')" != true ]; then
  echo "the local daemon is in a swarm but not a manager"; exit 1
fi
MANAGER=$(docker info --format '{{.Swarm.NodeAddr}}')

join_workers() {
  local token n; token=$(docker swarm join-token -q worker)
  for n in $(seq 1 "$WORKERS"); do
    cl_docker "n$n" swarm join --advertise-addr "$(cl_addr "n$n")" --token "$token" "${MANAGER}:2377" >/dev/null || return 1
  done
  for n in $(seq 1 "$WORKERS"); do
    cl_wait 60 "node n$n Ready" sh -c "docker node ls --format '{{.Hostname}} {{.Status}}' | grep -qx '$(cl_hostname "n$n") Ready'" || return 1
    docker node update --label-add "mcp-forge.node=n$n" --label-add mcp-forge.pool=workers "$(cl_hostname "n$n")" >/dev/null || return 1
  done
}

# The child base's layers on every worker, through the registry (child images share them).
BASE="${FORGE_CHILD_BASE_IMAGE:-mcp-forge/child-base:1}"
export CLUSTER_BASE_IMAGE="${CL_REGISTRY}/mcp-forge-cluster/child-base:1"
preload() {
  docker tag "$BASE" "$CLUSTER_BASE_IMAGE" && docker push -q "$CLUSTER_BASE_IMAGE" >/dev/null || return 1
  docker rmi "$CLUSTER_BASE_IMAGE" >/dev/null
  for n in $(seq 1 "$WORKERS"); do cl_docker "n$n" pull -q "$CLUSTER_BASE_IMAGE" >/dev/null || return 1; done
}

start_nodes() { local n; for n in $(seq 1 "$WORKERS"); do cl_node_up "n$n" || return 1; done; }
trust_registry() { cl_daemon_json add && cl_wait 20 "the main daemon to trust ${CL_REGISTRY}" cl_main_trusts_registry; }

step "bridge ${CL_BRIDGE} ${CL_HOST_IP}/24" cl_bridge_up || exit 1
step "registry ${CL_REGISTRY}" cl_registry_up || exit 1
step "main daemon trusts ${CL_REGISTRY} (daemon.json + HUP)" trust_registry || exit 1
step "${WORKERS} worker daemons in network namespaces" start_nodes || exit 1
step "workers joined ${MANAGER}:2377 and labelled" join_workers || exit 1
step "child base pushed and pulled on every worker" preload || exit 1
docker node ls

nodes_json() {
  local n sep=""; printf '['
  for n in $(seq 1 "$WORKERS"); do
    printf '%s{"name":"n%s","hostname":"%s","id":"%s","address":"%s","engine":"%s","netns":"mcpfc-n%s","pidfile":"%s"}' "$sep" "$n" \
      "$(cl_hostname "n$n")" "$(docker node inspect -f '{{.ID}}' "$(cl_hostname "n$n")")" "$(cl_addr "n$n")" "$(cl_sock "n$n")" "$n" "${CL_STATE}/n$n/dockerd.pid"
    sep=","
  done
  printf ']'
}
export CLUSTER_NODES; CLUSTER_NODES=$(nodes_json)
export CLUSTER_REGISTRY="$CL_REGISTRY" CLUSTER_MANAGER="$MANAGER"
if [ "${1:-}" = up ]; then
  trap - EXIT INT TERM
  [ "$initialised_swarm" = 1 ] && touch "${CL_STATE}/initialised-swarm"
  declare -p CLUSTER_NODES CLUSTER_REGISTRY CLUSTER_MANAGER CLUSTER_BASE_IMAGE MCP_FORGE_TEST_RUN TEST_PORT_BASE | sed 's/^declare -x/export/' >"${CL_STATE}/env.sh"
  echo "cluster up: . ${CL_STATE}/env.sh && npx mocha --no-parallel test/cluster/...; then bash test/cluster/run.sh down"
  exit 0
fi
files=(test/cluster/infra.test.ts)
[ "${CLUSTER_ONLY:-}" = infra ] || files+=(test/cluster/forge-on-swarm.test.ts)
t0=$SECONDS
npx mocha --no-parallel --timeout 600000 "${files[@]}" 2>&1 | tee /tmp/mcpfc-mocha.log
rc=${PIPESTATUS[0]}
MOCHA_SUMMARY=$(grep -Eo '^ +[0-9]+ (passing|failing|pending)' /tmp/mcpfc-mocha.log | tr -s ' ' | paste -sd, -)
STEPS+=("$([ "$rc" -eq 0 ] && echo 'ok  ' || echo 'FAIL')  $(( SECONDS - t0 ))s  mocha ${files[*]}")
exit "$rc"
