#!/usr/bin/env bash
# Makes sure an AMQP broker answers at $AMQP_URL (default amqp://guest:guest@localhost:5672/).
#
#   scripts/broker.sh start   use the broker that answers there, or start a private
#                             RabbitMQ (Debian's rabbitmq-server, installed if missing)
#                             on 127.0.0.1 with its files under target/rabbitmq, and a
#                             TLS listener one port below (5671) with the test CA and
#                             certificates in target/rabbitmq/tls (EXTERNAL auth on)
#   scripts/broker.sh stop    stop the private RabbitMQ, if this script started it
#   scripts/broker.sh restart stop it and start it again (its data kept: conform
#                             --restart-cmd, tests/broker_restart.rs)
#   scripts/broker.sh status  say what answers
#
# Installing needs root (apt-get); as another user the script asks before using sudo.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/target/rabbitmq"
url="${AMQP_URL:-amqp://guest:guest@localhost:5672/}"

# host and port of the URL (no user info, no vhost).
hostport=${url#*://}
hostport=${hostport##*@}
hostport=${hostport%%/*}
hostport=${hostport%%\?*}
host=${hostport%:*}
port=${hostport##*:}
[ "$port" = "$hostport" ] && port=5672
[ -z "$host" ] && host=localhost
[ "$host" = localhost ] && host=127.0.0.1
tls_port=$((port - 1))   # 5671 beside 5672, as RabbitMQ's defaults

answers() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null
}

install_rabbitmq() {
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] && return 0
  echo "broker.sh: rabbitmq-server is not installed; installing Debian's package" >&2
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if [ -t 0 ]; then
      read -r -p "Install rabbitmq-server with sudo apt-get? [y/N] " ok
      [ "$ok" = y ] || [ "$ok" = Y ] || { echo "broker.sh: not installing; start a broker at $url yourself" >&2; exit 1; }
      sudo=sudo
    else
      echo "broker.sh: not root and no terminal to ask; run 'sudo apt-get install rabbitmq-server' or set AMQP_URL" >&2
      exit 1
    fi
  fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq rabbitmq-server >&2
}

# TLS for the private broker: a CA, a server certificate for localhost and
# 127.0.0.1, a client certificate with CN=guest (EXTERNAL login), and an
# unrelated CA for tests that must fail verification. Made once, with openssl.
tls="$dir/tls"
setup_tls() {
  [ -f "$tls/client.pem" ] && return 0
  command -v openssl >/dev/null || { echo "broker.sh: no openssl: the private broker gets no TLS listener" >&2; return 1; }
  mkdir -p "$tls"
  (
    cd "$tls"
    o() { openssl "$@" >/dev/null 2>&1; }
    o req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=amqp091 test CA" -keyout ca.key -out ca.pem
    o req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=some other CA" -keyout other-ca.key -out other-ca.pem
    o req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > server.ext
    o x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -extfile server.ext -out server.pem
    o req -newkey rsa:2048 -nodes -subj "/CN=guest" -keyout client.key -out client.csr
    printf 'extendedKeyUsage=clientAuth\n' > client.ext
    o x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -extfile client.ext -out client.pem
    chmod 644 ./*.key
  )
  [ -f "$tls/client.pem" ]
}

write_config() {
  local conf="$dir/rabbitmq.conf"
  : > "$conf"
  if setup_tls; then
    cat >> "$conf" <<CONF
listeners.ssl.1 = 127.0.0.1:$tls_port
ssl_options.cacertfile = $tls/ca.pem
ssl_options.certfile = $tls/server.pem
ssl_options.keyfile = $tls/server.key
ssl_options.verify = verify_peer
ssl_options.fail_if_no_peer_cert = false
ssl_cert_login_from = common_name
auth_mechanisms.1 = PLAIN
auth_mechanisms.2 = AMQPLAIN
auth_mechanisms.3 = EXTERNAL
CONF
    echo '[rabbitmq_auth_mechanism_ssl].' > "$dir/enabled_plugins"
  else
    echo '[].' > "$dir/enabled_plugins"
  fi
}

start() {
  if answers; then
    echo "broker.sh: a broker answers at $host:$port"
    return 0
  fi
  case "$host" in
    127.0.0.1|::1) ;;
    *) echo "broker.sh: nothing answers at $host:$port, and it is not this machine; not starting one" >&2; exit 1 ;;
  esac
  install_rabbitmq
  mkdir -p "$dir"
  write_config
  echo "broker.sh: starting RabbitMQ on 127.0.0.1:$port, TLS on $tls_port (files in $dir)"
  # Its own HOME keeps the Erlang cookie private; no systemd needed.
  HOME="$dir" RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
  RABBITMQ_NODENAME=amqp091@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
  RABBITMQ_NODE_PORT="$port" RABBITMQ_DIST_PORT=$((port + 20000)) \
  RABBITMQ_PID_FILE="$dir/pid" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
  RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
    setsid /usr/lib/rabbitmq/bin/rabbitmq-server > "$dir/out.log" 2>&1 < /dev/null &
  echo $! > "$dir/started-by-script"
  for _ in $(seq 1 120); do
    if answers; then
      echo "broker.sh: RabbitMQ is up"
      return 0
    fi
    if ! kill -0 "$(cat "$dir/started-by-script")" 2>/dev/null; then
      echo "broker.sh: RabbitMQ exited; last lines of $dir/out.log:" >&2
      tail -20 "$dir/out.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "broker.sh: RabbitMQ did not answer within 60 s; see $dir/out.log" >&2
  exit 1
}

stop() {
  [ -f "$dir/started-by-script" ] || { echo "broker.sh: no broker started by this script"; return 0; }
  HOME="$dir" /usr/lib/rabbitmq/bin/rabbitmqctl -n amqp091@localhost stop >/dev/null 2>&1 \
    || kill "$(cat "$dir/started-by-script")" 2>/dev/null || true
  rm -f "$dir/started-by-script"
  echo "broker.sh: stopped"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) if answers; then echo "a broker answers at $host:$port"; else echo "nothing answers at $host:$port"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|restart|status" >&2; exit 2 ;;
esac
