#!/usr/bin/env bash
# Side by side: the same simulated Twilio calls against Voxgate (--agent vapi through the Vapi stand-in, then
# --agent echo) and against the seed article's Node.js bridge with its echo peer, each in its own process, one after
# the other in this one invocation. Per gateway process: CPU per call (user and system apart, /proc/<pid>/stat),
# frames lost, per-frame latency as heard (the caller's playout time), RSS; then Voxgate / bridge.
# Writes load-results/side-by-side-<timestamp>/side-by-side.{json,md} and each target's result.json; prints the table.
#   benchmarks/side-by-side.sh --bridge-dir ../shared/peers/seed-bridge --calls 100 --hold-seconds 20
#   benchmarks/side-by-side.sh --bridge-dir DIR --calls 100 --io-transport io_uring --targets voxgate-vapi,voxgate-echo
# Needs node and npm (the bridge is installed with npm ci into its own directory under ${TMPDIR:-/tmp}; nothing of it
# is copied into this repository). Options: benchmarks/side-by-side.sh --help
set -euo pipefail
cd "$(dirname "$0")/.."
bridge_src="../shared/peers/seed-bridge"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --bridge-dir) bridge_src="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
if [ ! -f benchmarks/target/benchmarks.jar ] || [ ! -f gateway-app/target/voxgate.jar ]; then
  echo "side-by-side: building benchmarks.jar and voxgate.jar (first run)..." >&2
  mvn -B -q -DskipTests -pl benchmarks -am package >&2
fi
java_cmd=(java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -XX:+UseZGC -Xms512m -Xmx2g
  -Dio.netty.leakDetection.level=disabled -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar
  io.voxgate.benchmarks.load.SideBySide)
for a in "${args[@]+"${args[@]}"}"; do
  if [ "$a" = "--help" ] || [ "$a" = "-h" ]; then
    exec "${java_cmd[@]}" --help
  fi
done
bridge_run=""
targets="voxgate-vapi,voxgate-echo,bridge"
for ((i = 0; i < ${#args[@]}; i++)); do
  if [ "${args[$i]}" = "--targets" ]; then targets="${args[$((i + 1))]:-}"; fi
done
if [[ "$targets" == *bridge* ]]; then
  for f in server.js echo-peer.mjs package.json package-lock.json; do
    if [ ! -f "$bridge_src/$f" ]; then
      echo "side-by-side: $bridge_src/$f is missing: give the seed bridge's directory with --bridge-dir" >&2
      exit 2
    fi
  done
  command -v node >/dev/null && command -v npm >/dev/null || { echo "side-by-side: node and npm are needed for the bridge" >&2; exit 2; }
  bridge_run="${TMPDIR:-/tmp}/voxgate-seed-bridge"
  mkdir -p "$bridge_run"
  if ! cmp -s "$bridge_src/package-lock.json" "$bridge_run/package-lock.json" || [ ! -d "$bridge_run/node_modules" ]; then
    rm -rf "$bridge_run/node_modules"
    cp "$bridge_src/package.json" "$bridge_src/package-lock.json" "$bridge_run/"
    (cd "$bridge_run" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
  cp "$bridge_src/server.js" "$bridge_src/echo-peer.mjs" "$bridge_run/"
  args+=(--bridge-run-dir "$bridge_run")
fi
exec "${java_cmd[@]}" --voxgate-launcher "$PWD/gateway-app/src/dist/bin/voxgate" \
  --voxgate-jar "$PWD/gateway-app/target/voxgate.jar" "${args[@]+"${args[@]}"}"
