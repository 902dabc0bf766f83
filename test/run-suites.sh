#!/usr/bin/env bash
# `npm test`: the docker suite and, beside it in its own process (its own child port range, its
# log printed after the docker suite's), the swarm suite; exits non-zero when either failed. They
# share no state: each run has its own test label, forges, image repositories and ports.
set -u
cd "$(dirname "$0")/.."
swarm_log=$(mktemp)
# One run id per suite, from one base (MCP_FORGE_TEST_RUN_BASE, e.g. .ci/run's): every Docker object
# a suite makes carries its id as the test label, so a leak check can tell this run's from another's.
base="${MCP_FORGE_TEST_RUN_BASE:-t$(date +%s%N | cut -c1-13)$$}"
MCP_FORGE_TEST_RUN="${base}s" TEST_PORT_BASE="${SWARM_TEST_PORT_BASE:-21001}" node --import tsx test/support/swarm-gate.ts npm run test:swarm >"$swarm_log" 2>&1 &
swarm=$!
MCP_FORGE_TEST_RUN="${base}d" mocha 'test/unit/**/*.test.ts' 'test/integration/**/*.test.ts' 'test/contract/**/*.test.ts'
docker_rc=$?
wait "$swarm"
swarm_rc=$?
echo
echo "== swarm suite (ran beside the docker suite) =="
cat "$swarm_log"
rm -f "$swarm_log"
[ "$docker_rc" -eq 0 ] && [ "$swarm_rc" -eq 0 ]
