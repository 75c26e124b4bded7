#!/usr/bin/env bash
# Runs every JMH benchmark of the media path with the GC profiler and writes the results next to this
# script (benchmarks/target/jmh-result.json) for docs/performance.md. Extra arguments go to JMH, e.g.
#   benchmarks/run.sh 'MuLaw'            # only the benchmarks whose name matches
#   benchmarks/run.sh -f 1 -wi 2 -i 3    # shorter runs
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f benchmarks/target/benchmarks.jar ] || [ -n "$(find gateway-*/src benchmarks/src -newer benchmarks/target/benchmarks.jar -type f 2>/dev/null | head -n 1)" ]; then
  mvn -B -q -DskipTests -pl benchmarks -am package
fi
java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar \
  -prof gc -rf json -rff benchmarks/target/jmh-result.json "$@"
