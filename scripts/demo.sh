#!/usr/bin/env bash
# The main job: make sure a broker answers at AMQP_URL (starting a private
# RabbitMQ if none does), then run the tutorial flow with the client.
set -euo pipefail
cd "$(dirname "$0")/.."
export AMQP_URL="${AMQP_URL:-amqp://guest:guest@localhost:5672/%2f}"
scripts/broker.sh start
cargo run --quiet --example tutorial
