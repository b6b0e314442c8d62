#!/usr/bin/env bash
# Every test. First the workspace's tests (`cargo test --workspace --all-features`,
# against the broker at AMQP_URL, started by scripts/broker.sh when nothing answers),
# then, one at a time, the tests that manage brokers themselves and are
# therefore ignored by a plain `cargo test`: a restart of the private RabbitMQ
# (tests/broker_restart.rs) and a three-node RabbitMQ cluster started by
# scripts/cluster.sh (tests/cluster.rs, tests/cluster_failover.rs; the nodes
# are stopped at the end). Arguments go to the first cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --all-features "$@"
trap 'bash scripts/cluster.sh stop >/dev/null 2>&1 || true' EXIT
cargo test --all-features --test broker_restart --test cluster --test cluster_failover \
  -- --ignored --nocapture --test-threads 1
