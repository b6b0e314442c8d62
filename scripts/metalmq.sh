#!/usr/bin/env bash
# A private MetalMQ (crates.io `metalmq` 0.3, a Rust AMQP 0-9-1 broker) for the
# conformance runner and the fuzzer: a third broker next to RabbitMQ and
# GarageMQ. Not in CI.
#
#   scripts/metalmq.sh start    install metalmq with `cargo install` if missing (into
#                               $METALMQ_ROOT, default target/metalmq), write a config
#                               with its AMQP port ($METALMQ_PORT, default 5677) and HTTP
#                               port ($METALMQ_HTTP_PORT, default 15677) under
#                               target/metalmq, start it, wait for the port
#   scripts/metalmq.sh stop     stop the MetalMQ this script started
#   scripts/metalmq.sh restart  stop it and start it again (MetalMQ keeps nothing on
#                               disk: nothing durable survives; conform --restart-cmd)
#   scripts/metalmq.sh status   say whether it answers
#
# start, stop and restart write their messages to stderr, so that a runner's
# --json on stdout stays JSON when it runs the restart.
# Listens on 127.0.0.1 only; guest/guest (the only user it accepts), vhost "/"
# (the only one). 5675 is not the default: scripts/garagemq.sh puts GarageMQ's
# admin port there.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/target/metalmq"
install_root="${METALMQ_ROOT:-$dir}"
port="${METALMQ_PORT:-5677}"
http_port="${METALMQ_HTTP_PORT:-15677}"
version="${METALMQ_VERSION:-0.3.0}"

answers() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; }

metalmq_bin() {
  if [ -x "$install_root/bin/metalmq" ]; then echo "$install_root/bin/metalmq"
  elif command -v metalmq >/dev/null; then command -v metalmq
  else return 1; fi
}

install_metalmq() {
  metalmq_bin >/dev/null && return 0
  echo "metalmq.sh: cargo install metalmq $version into $install_root (a few minutes)" >&2
  mkdir -p "$install_root"
  timeout 1800 nice cargo install metalmq --version "$version" --locked --root "$install_root" >&2 \
    || timeout 1800 nice cargo install metalmq --version "$version" --root "$install_root" >&2
}

start() {
  if answers; then echo "metalmq.sh: something already answers on 127.0.0.1:$port" >&2; return 0; fi
  install_metalmq
  mkdir -p "$dir"
  cat > "$dir/metalmq.toml" <<EOF
[network]
amqp_listen = "127.0.0.1:$port"
http_listen = "127.0.0.1:$http_port"
EOF
  # Its log goes to stderr (env_logger); errors only unless RUST_LOG says more.
  RUST_LOG="${RUST_LOG:-error}" nice "$(metalmq_bin)" -c "$dir/metalmq.toml" >> "$dir/out.log" 2>&1 &
  echo $! > "$dir/pid"
  for _ in $(seq 1 50); do
    answers && { echo "metalmq.sh: MetalMQ answers on 127.0.0.1:$port (pid $(cat "$dir/pid"))" >&2; return 0; }
    kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
    sleep 0.2
  done
  echo "metalmq.sh: MetalMQ did not start; see $dir/out.log" >&2
  tail -5 "$dir/out.log" >&2 || true
  exit 1
}

stop() {
  [ -f "$dir/pid" ] || { echo "metalmq.sh: not started by this script" >&2; return 0; }
  local pid; pid=$(cat "$dir/pid")
  kill "$pid" 2>/dev/null || true
  # Wait until it has let go of its ports.
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) if answers; then echo "MetalMQ answers on 127.0.0.1:$port"; else echo "nothing answers on 127.0.0.1:$port"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|restart|status" >&2; exit 2 ;;
esac
