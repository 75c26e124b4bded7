#!/usr/bin/env bash
# Load generator: N simulated Twilio Media Streams calls (or SIP/RTP calls from a built-in UAC, --edge sip) against
# a loopback gateway, with per-frame round-trip latency (echo agent), gateway-added latency per direction, lost
# frames, call setup time and rate, barge-in reaction (parrot agent) and the gateway's CPU, heap, direct memory,
# RSS and GC pauses; memory sampled every 10 s.
# Writes load-results/<timestamp>/result.json, latency.png and memory.png; prints a summary.
# Options: benchmarks/load.sh --help
#   benchmarks/load.sh --calls 200 --hold-seconds 30                 gateway in this JVM (shares machine and JVM)
#   benchmarks/load.sh --calls 500 --hold-seconds 60 --duration-seconds 600
#                                                                    soak: 500 calls kept up 10 min, memory verdict
#   benchmarks/load.sh --calls 100 --agent parrot --barge-in-calls 0.5
#                                                                    half the calls talk over the parrot's replay
#   benchmarks/load.sh --calls 100 --agent vapi                      through the Vapi stand-in (echo) on loopback
#   benchmarks/load.sh --calls 200 --external-port 8080 --external-pid 1234 --external-gc-log /tmp/voxgate-gc.log
#                                                                    a gateway started with
#       VOXGATE_JAVA_OPTS='-Xlog:gc*:file=/tmp/voxgate-gc.log' \
#       ./voxgate run --insecure-no-signature --public-url http://127.0.0.1:8080 --agent echo --agent-format pcm16/16000
#     (for a soak against it, add -XX:ZCollectionInterval=10 to VOXGATE_JAVA_OPTS, as load.sh does in-process)
#   benchmarks/load.sh --edge sip --calls 500 --ramp-per-second 100 --hold-seconds 30
#                                                                    SIP/RTP calls from the built-in UAC (UDP, PCMU)
#   benchmarks/load.sh --edge sip --ramp-per-second 100 --hold-seconds 5 --duration-seconds 60 --calls 700
#                                                                    sustained setup rate: 100 calls/s for 60 s
#   benchmarks/load.sh --edge sip --external-sip-port 5060 --external-port 8080 --external-pid 1234
#       ./voxgate run --insecure-no-signature --public-url http://127.0.0.1:8080 --agent echo --sip-port 5060
# JVM options can be added with VOXGATE_LOAD_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f benchmarks/target/benchmarks.jar ]; then
  echo "load: building benchmarks.jar (first run)..." >&2
  mvn -B -q -DskipTests -pl benchmarks -am package >&2
fi
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  set -- --help
fi
# Same collector and flags as ./voxgate, so the in-process gateway runs as it does in production (see that script).
java_major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1)
gc_flags=(-XX:+UseZGC)
if [ "${java_major:-17}" -ge 21 ] && [ "${java_major:-17}" -lt 23 ]; then
  gc_flags+=(-XX:+ZGenerational)
fi
# A sustained run judges the heap left after collections, sampled every 10 s: have ZGC collect at least that often
# (concurrently), or a quiet 2 GiB heap may go minutes without one and every sample repeats the same stale figure.
for arg in "$@"; do
  if [ "$arg" = "--duration-seconds" ]; then
    gc_flags+=(-XX:ZCollectionInterval=10)
  fi
done
# shellcheck disable=SC2086
exec java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED "${gc_flags[@]}" -Xms512m -Xmx2g \
  -Dio.netty.leakDetection.level=disabled -Djava.awt.headless=true \
  ${VOXGATE_LOAD_JAVA_OPTS:-} -cp benchmarks/target/benchmarks.jar io.voxgate.benchmarks.load.LoadGenerator "$@"
