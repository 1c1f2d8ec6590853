#!/usr/bin/env bash
# The throughput and latency benchmark of the mailer (issue 8, point 4; issue 17, point 4): the mailer with 1
# and 4 SMTP connections against a careful hand-written service with as many reused connections (POOLED), a
# plain Angus Mail client (LIMIT) and a naive KafkaConsumer + Transport.send service (NAIVE), on one in-process
# Kafka broker and one local SMTP sink. Not part of `mvn verify`.
#   bench/run-benchmark.sh --help
# The priority lane (issue 18, point 1): bench/run-benchmark.sh --priority 20000 (HIGH at 5/s while it drains).
# --mailer-property K=V (repeatable) sets a process setting of the MAILER runs, e.g. num.stream.threads=2.
# Templates (issue 19, point 1): bench/run-benchmark.sh --template (each MAILER contender with plain emails and with
# the same emails as a template and data, both rates side by side; target: templated within 10 %).
# The lookup benchmark (issue 15, point 5): status events on the topic, then lookups of one email's status:
#   bench/run-benchmark.sh lookup [--events N (1000000)] [--lookups M (100)] [--partitions P (3)]
# Environment: MVN (default mvn), MVN_FLAGS (default -q -o: offline, quiet), BENCH_SKIP_BUILD=1 to use what
# target/ already holds, BENCH_JAVA_OPTS for the benchmark's own JVM.
set -euo pipefail
cd "$(dirname "$0")/.."

MVN=${MVN:-mvn}
MVN_FLAGS=${MVN_FLAGS:--q -o}
MAIN=io.github.kafkamailer.bench.BenchMain
if [ "${1:-}" = lookup ]; then
  MAIN=io.github.kafkamailer.bench.LookupBench
  shift
fi
CLASSPATH_FILE=target/bench.classpath

built() {
  [ -f target/mailer.jar ] && [ -f "$CLASSPATH_FILE" ] \
    && [ -f target/test-classes/io/github/kafkamailer/bench/BenchMain.class ]
}

wants_help=0
for a in "$@"; do
  case "$a" in -h|--help) wants_help=1 ;; esac
done

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] && ! { [ $wants_help = 1 ] && built; }; then
  echo "Building target/mailer.jar and the benchmark classes (mvn package -DskipTests) ..." >&2
  # shellcheck disable=SC2086
  $MVN $MVN_FLAGS package -DskipTests
  # The test classpath (test scope included): the broker, Angus Mail, Jackson, Kafka clients.
  # shellcheck disable=SC2086
  $MVN $MVN_FLAGS dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" >/dev/null
fi
if ! built; then
  echo "run-benchmark: the build did not leave target/mailer.jar, $CLASSPATH_FILE and the benchmark classes" >&2
  exit 2
fi

# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:-} -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")" "$MAIN" "$@"
