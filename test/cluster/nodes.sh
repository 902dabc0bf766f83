# Worker daemons in network namespaces, a registry every node reaches, and their removal.
# Sourced by test/cluster/run.sh (bash, root). Everything is named mcpfc* so teardown finds only ours.
# Layout: bridge mcpfc0 10.201.0.1/24 on the host; worker nK in netns mcpfc-nK at 10.201.0.(K+1),
# default route via 10.201.0.1 (so it reaches the manager's advertise address), own hostname
# (unshare --uts), data-root, exec-root, pidfile and socket; registry 10.201.0.1:5001.

CL_BRIDGE=mcpfc0
CL_HOST_IP=10.201.0.1
CL_REGISTRY="${CL_HOST_IP}:5001"
CL_STATE=/run/mcpfc
CL_DATA=/var/lib/mcpfc
CL_DAEMON_JSON=/etc/docker/daemon.json

cl_log() { echo "[cluster] $*" >&2; }
cl_sock() { echo "unix://${CL_STATE}/$1/docker.sock"; }
cl_docker() { local n=$1; shift; docker -H "$(cl_sock "$n")" "$@"; }
cl_addr() { echo "10.201.0.$(( ${1#n} + 1 ))"; }
cl_hostname() { echo "mcpfc-$1"; }

# Polls a command until it succeeds: cl_wait <seconds> <what> <cmd...>
cl_wait() {
  local secs=$1 what=$2; shift 2
  local end=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -ge "$end" ] && { cl_log "timed out after ${secs}s waiting for ${what}"; return 1; }
    sleep 0.5
  done
}

cl_bridge_up() {
  ip link show "$CL_BRIDGE" >/dev/null 2>&1 || ip link add "$CL_BRIDGE" type bridge
  ip addr replace "${CL_HOST_IP}/24" dev "$CL_BRIDGE"
  ip link set "$CL_BRIDGE" up
  # Docker's FORWARD policy is DROP and bridged frames pass iptables: let workers talk to each other.
  iptables -C DOCKER-USER -i "$CL_BRIDGE" -o "$CL_BRIDGE" -j ACCEPT 2>/dev/null \
    || iptables -I DOCKER-USER -i "$CL_BRIDGE" -o "$CL_BRIDGE" -j ACCEPT
}

# cl_node_up nK: netns, veth on the bridge, dockerd; waits until it answers.
cl_node_up() {
  local n=$1 ns="mcpfc-$1" addr; addr=$(cl_addr "$n")
  ip netns add "$ns"
  ip link add "mcpfc-${n}h" type veth peer name "mcpfc-${n}c"
  ip link set "mcpfc-${n}c" netns "$ns"
  ip link set "mcpfc-${n}h" master "$CL_BRIDGE" up
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" ip addr add "${addr}/24" dev "mcpfc-${n}c"
  ip netns exec "$ns" ip link set "mcpfc-${n}c" up
  ip netns exec "$ns" ip route add default via "$CL_HOST_IP"
  cl_daemon_start "$n"
}

# cl_daemon_start nK: the worker's dockerd in its netns (again, after cl_node_stop: it rejoins the swarm).
cl_daemon_start() {
  local n=$1
  mkdir -p "${CL_STATE}/${n}" "${CL_DATA}/${n}"
  # Its own config file: by default dockerd would read the main daemon's /etc/docker/daemon.json.
  echo "{\"insecure-registries\": [\"${CL_REGISTRY}\"]}" >"${CL_STATE}/${n}/daemon.json"
  # nsenter, not `ip netns exec` (that remounts /sys and dockerd loses the cgroup mounts).
  nsenter --net="/var/run/netns/mcpfc-${n}" unshare --uts sh -c "hostname $(cl_hostname "$n") && exec dockerd \
    --data-root ${CL_DATA}/${n} --exec-root ${CL_STATE}/${n}/exec --pidfile ${CL_STATE}/${n}/dockerd.pid \
    -H $(cl_sock "$n") --cgroup-parent mcpfc-${n} --config-file ${CL_STATE}/${n}/daemon.json" \
    >>"${CL_STATE}/${n}/dockerd.log" 2>&1 9>&- &
  cl_wait 60 "dockerd of $n" cl_docker "$n" info || { tail -20 "${CL_STATE}/${n}/dockerd.log" >&2; return 1; }
}

# cl_node_stop nK: stops the worker's dockerd (it stops its containers) and what it started.
cl_node_stop() {
  local n=$1 pidfile="${CL_STATE}/$1/dockerd.pid" pid
  pid=$(cat "$pidfile" 2>/dev/null) || return 0
  kill -TERM "$pid" 2>/dev/null
  cl_wait 40 "dockerd of $n to exit" sh -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null
  # containerd and shims under this node's exec-root, by pid.
  for p in $(grep -l -s "${CL_STATE}/${n}/exec" /proc/[0-9]*/cmdline | cut -d/ -f3); do kill -KILL "$p" 2>/dev/null; done
  rm -f "$pidfile"
}

cl_node_down() {
  local n=$1
  cl_docker "$n" swarm leave --force >/dev/null 2>&1
  cl_node_stop "$n"
  grep -o " ${CL_STATE}/${n}[^ ]*\| ${CL_DATA}/${n}[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
  ip netns del "mcpfc-${n}" 2>/dev/null
  ip link del "mcpfc-${n}h" 2>/dev/null
  rm -rf "${CL_STATE:?}/${n}" "${CL_DATA:?}/${n}"
}

# A second registry at CL_REGISTRY (the bridge address: every node reaches it), root in a temp dir.
cl_registry_up() {
  mkdir -p "${CL_STATE}/registry"
  cat >"${CL_STATE}/registry/config.yml" <<YAML
version: 0.1
storage:
  filesystem:
    rootdirectory: ${CL_STATE}/registry/data
  delete:
    enabled: true
http:
  addr: ${CL_REGISTRY}
log:
  level: warn
YAML
  docker-registry serve "${CL_STATE}/registry/config.yml" >"${CL_STATE}/registry/log" 2>&1 9>&- &
  echo $! >"${CL_STATE}/registry/pid"
  cl_wait 20 "registry ${CL_REGISTRY}" curl -fsS "http://${CL_REGISTRY}/v2/"
}

cl_registry_down() {
  local pid; pid=$(cat "${CL_STATE}/registry/pid" 2>/dev/null) && kill "$pid" 2>/dev/null
  rm -rf "${CL_STATE:?}/registry"
}

# Adds (add) or removes (remove) CL_REGISTRY in the main daemon's insecure-registries, then HUP
# (that setting reloads live). Other keys and entries are kept. A reload changes only the keys the
# file sets (a missing file or key keeps the old list), so removal writes [] first; cl_daemon_json
# tidy then drops the empty key, and the file when this script created it.
cl_daemon_json() {
  [ -f "$CL_DAEMON_JSON" ] || { mkdir -p "$CL_STATE"; touch "${CL_STATE}/daemon-json-created"; }
  node -e '
    const fs = require("fs"); const [file, op, reg] = process.argv.slice(1);
    const cfg = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8") || "{}") : {};
    const list = (cfg["insecure-registries"] ?? []).filter((r) => r !== reg);
    if (op === "add") list.push(reg);
    if (op === "tidy" && !list.length) delete cfg["insecure-registries"]; else cfg["insecure-registries"] = list;
    if (op === "tidy" && !Object.keys(cfg).length && process.argv[4] === "created") fs.unlinkSync(file);
    else fs.writeFileSync(file, JSON.stringify(cfg, null, 2) + "\n");
  ' "$CL_DAEMON_JSON" "$1" "$CL_REGISTRY" "$([ -f "${CL_STATE}/daemon-json-created" ] && echo created)"
  [ "$1" = tidy ] || kill -HUP "$(cat /var/run/docker.pid)"
}
cl_main_trusts_registry() { docker info --format '{{json .RegistryConfig.IndexConfigs}}' | grep -q "\"${CL_REGISTRY}\""; }

# Everything of ours, whatever state a run (or a crashed one) left: idempotent.
cl_teardown() {
  local svc ids downs=()
  svc=$(docker service ls -q --filter label=io.mcp-forge.cluster-test 2>/dev/null)
  [ -n "$svc" ] && docker service rm $svc >/dev/null
  # In parallel; waited for by pid (the daemons and the registry are background jobs of this shell too).
  for d in "${CL_STATE}"/n*; do [ -d "$d" ] && { cl_node_down "$(basename "$d")" & downs+=($!); }; done
  [ ${#downs[@]} -gt 0 ] && wait "${downs[@]}"
  for ns in $(ip netns list | grep -o '^mcpfc-n[0-9]*'); do ip netns del "$ns"; done
  ids=$(docker node ls --filter role=worker --format '{{.ID}} {{.Hostname}}' 2>/dev/null | awk '$2 ~ /^mcpfc-/ {print $1}')
  [ -n "$ids" ] && docker node rm --force $ids >/dev/null
  cl_registry_down
  if grep -q "\"${CL_REGISTRY}\"" "$CL_DAEMON_JSON" 2>/dev/null; then
    cl_daemon_json remove && cl_wait 20 "the main daemon to drop ${CL_REGISTRY}" sh -c "! docker info --format '{{json .RegistryConfig.IndexConfigs}}' | grep -q '\"${CL_REGISTRY}\"'"
  fi
  [ -f "$CL_DAEMON_JSON" ] && cl_daemon_json tidy
  rm -f "${CL_STATE}/daemon-json-created"
  iptables -D DOCKER-USER -i "$CL_BRIDGE" -o "$CL_BRIDGE" -j ACCEPT 2>/dev/null
  ip link del "$CL_BRIDGE" 2>/dev/null
  rm -rf "${CL_DATA:?}" "${CL_STATE:?}"
  true
}
