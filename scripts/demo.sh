#!/usr/bin/env bash
# The main job: make sure a broker answers at AMQP_URL (starting a private
# RabbitMQ if none does), run the tutorial flow with the library, then a
# publish / get / consume round trip through the command line.
set -euo pipefail
cd "$(dirname "$0")/.."
export AMQP_URL="${AMQP_URL:-amqp://guest:guest@localhost:5672/%2f}"
scripts/broker.sh start

echo; echo "== the tutorial flow (examples/tutorial.rs)"
cargo run --quiet --example tutorial

echo; echo "== the command line (cargo build --features cli)"
cargo build --quiet --features cli --bin amqp091
cli=target/debug/amqp091
q="amqp091-demo-$$"
run() { echo "\$ amqp091 $(printf '%q ' "$@")"; "$cli" "$@"; }
run declare queue "$q" --auto-delete
run publish "" "$q" --body "hello from the amqp091 CLI" --content-type text/plain
run get "$q" --ack
printf 'one\ntwo\nthree\n' > "target/demo-lines.txt"
run publish "" "$q" --file target/demo-lines.txt
run --json consume "$q" --count 3
run frames codec/tests/data/tutorial-producer-client.bin > target/demo-frames.txt
head -20 target/demo-frames.txt
echo "... ($(wc -l < target/demo-frames.txt) lines: every frame the Go client sent in the tutorial capture)"
