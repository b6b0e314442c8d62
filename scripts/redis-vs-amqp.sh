#!/usr/bin/env bash
# Redis pub/sub against amqp091 on RabbitMQ, back to back on this machine:
# one publisher, 1 and 10 subscribers, 16 B messages, end-to-end latency
# p50/p99 and messages per second (docs/redis-pubsub.md has the figures).
#
#   scripts/redis-vs-amqp.sh [ROUNDS]      # default 5 interleaved rounds
#
# Starts a private redis-server on 127.0.0.1:$REDIS_PORT (default 6390) with
# no persistence, its files under target/redis, and stops it at the end; it
# installs Debian's redis-server first if it is missing. The AMQP side uses
# the broker at AMQP_URL, or starts the project's private RabbitMQ
# (scripts/broker.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
port="${REDIS_PORT:-6390}"
export AMQP_URL="${AMQP_URL:-amqp://guest:guest@localhost:5672/%2f}"

if ! command -v redis-server >/dev/null; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
fi
scripts/broker.sh start

# Build first, so that the server does not wait through the compile.
cargo bench --quiet --manifest-path benches/redis-vs-amqp/Cargo.toml --bench pubsub --no-run

dir="$PWD/target/redis"; mkdir -p "$dir"
redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
  --dir "$dir" --logfile "$dir/redis.log" --daemonize no &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true' EXIT
# Wait (at most 10 s) until it answers.
for _ in $(seq 100); do
  if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then break; fi
  kill -0 "$redis_pid" 2>/dev/null || { echo "redis-server exited: $dir/redis.log" >&2; exit 1; }
  sleep 0.1
done
redis-cli -h 127.0.0.1 -p "$port" ping | grep -q PONG

echo "# $(redis-server --version | cut -d' ' -f1-3), RabbitMQ at the AMQP_URL broker, $(nproc) cores"
cargo bench --quiet --manifest-path benches/redis-vs-amqp/Cargo.toml --bench pubsub -- \
  "redis://127.0.0.1:$port/" "$AMQP_URL" "$rounds"
