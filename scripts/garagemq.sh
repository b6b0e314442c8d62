#!/usr/bin/env bash
# A private GarageMQ (Debian's `garagemq`, a Go AMQP 0-9-1 broker) for the
# conformance runner: a second, independent broker next to RabbitMQ.
#
#   scripts/garagemq.sh start    install garagemq if missing (as root; otherwise asks
#                                before using sudo), write a config with its AMQP port
#                                ($GARAGEMQ_PORT, default 5674), admin port (+1) and
#                                database under target/garagemq, start it, wait for the port
#   scripts/garagemq.sh stop     stop the GarageMQ this script started
#   scripts/garagemq.sh restart  stop it and start it on the same database (what
#                                durable resources survive: conform --restart-cmd)
#   scripts/garagemq.sh status   say whether it answers
#
# Listens on 127.0.0.1 only; guest/guest, vhost "/".
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/target/garagemq"
port="${GARAGEMQ_PORT:-5674}"
admin_port=$((port + 1))

answers() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; }

install_garagemq() {
  command -v garagemq >/dev/null && [ -f /etc/garagemq/config.yaml ] && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if [ -t 0 ]; then
      read -r -p "Install garagemq with sudo apt-get? [y/N] " ok
      [ "$ok" = y ] || [ "$ok" = Y ] || { echo "garagemq.sh: not installing" >&2; exit 1; }
      sudo=sudo
    else
      echo "garagemq.sh: not root and no terminal to ask; run 'sudo apt-get install garagemq'" >&2
      exit 1
    fi
  fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq garagemq >&2
}

start() {
  local keep_db="${1:-}"
  if answers; then echo "garagemq.sh: something already answers on 127.0.0.1:$port"; return 0; fi
  install_garagemq
  # A fresh database every start (conformance runs begin from the same
  # state), but not on a restart.
  [ -n "$keep_db" ] || rm -rf "$dir/db"
  mkdir -p "$dir/db"
  # The packaged config with our ports, address and database path.
  sed -e "s|^\(  port:\) 5672|\1 $port|" \
      -e "s|^\(  port:\) 15672|\1 $admin_port|" \
      -e "s|^\(  ip:\) .*|\1 127.0.0.1|" \
      -e "s|^\(  defaultPath:\) /var/lib/garagemq/db|\1 $dir/db|" \
      /etc/garagemq/config.yaml > "$dir/config.yaml"
  grep -q "port: $port" "$dir/config.yaml" || { echo "garagemq.sh: could not set the port in the config" >&2; exit 1; }
  garagemq --config "$dir/config.yaml" --log-level warning > "$dir/out.log" 2>&1 &
  echo $! > "$dir/pid"
  for _ in $(seq 1 50); do
    answers && { echo "garagemq.sh: GarageMQ answers on 127.0.0.1:$port (pid $(cat "$dir/pid"))"; return 0; }
    kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
    sleep 0.2
  done
  echo "garagemq.sh: GarageMQ did not start; see $dir/out.log" >&2
  tail -5 "$dir/out.log" >&2 || true
  exit 1
}

stop() {
  [ -f "$dir/pid" ] || { echo "garagemq.sh: not started by this script"; return 0; }
  local pid; pid=$(cat "$dir/pid")
  kill "$pid" 2>/dev/null || true
  # Wait until it has let go of its database lock.
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  # A GarageMQ whose AMQP listener died may ignore TERM.
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start keep-db ;;
  status) if answers; then echo "GarageMQ answers on 127.0.0.1:$port"; else echo "nothing answers on 127.0.0.1:$port"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|restart|status" >&2; exit 2 ;;
esac
