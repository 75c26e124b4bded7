#!/usr/bin/env bash
# Load generator: N simulated Twilio Media Streams calls (or SIP/RTP calls, --edge sip) against a loopback gateway,
# with per-frame round-trip latency (echo agent), lost frames, call setup time and the gateway's CPU, heap, direct memory and GC pauses.
# Writes load-results/<timestamp>/result.json and latency.png; prints a summary. Options: benchmarks/load.sh --help
#   benchmarks/load.sh --calls 200 --hold-seconds 30                 gateway in this JVM (shares machine and JVM)
#   benchmarks/load.sh --calls 200 --external-port 8080 --external-pid 1234
#                                                                    a gateway started with
#       ./voxgate run --insecure-no-signature --public-url http://127.0.0.1:8080 --agent echo --agent-format pcm16/16000
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
# shellcheck disable=SC2086
exec java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED "${gc_flags[@]}" -Xms512m -Xmx2g \
  -Dio.netty.leakDetection.level=disabled -Djava.awt.headless=true \
  ${VOXGATE_LOAD_JAVA_OPTS:-} -cp benchmarks/target/benchmarks.jar io.voxgate.benchmarks.load.LoadGenerator "$@"
