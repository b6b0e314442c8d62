#!/usr/bin/env bash
# A real three-node RabbitMQ cluster on this machine, for failover tests.
#
#   scripts/cluster.sh start          start the three nodes and join 2 and 3 to 1 (quick and
#                                     idempotent when they are up already); prints how long it took
#   scripts/cluster.sh stop           stop the three nodes (their files stay: a later start
#                                     brings the same cluster back)
#   scripts/cluster.sh status         which nodes answer, and `rabbitmq-diagnostics cluster_status`
#   scripts/cluster.sh kill NODE      kill -9 that node's Erlang VM (NODE: 1, 2, 3 or rabbit-N)
#   scripts/cluster.sh restart NODE   start that node again (stopping it first if it runs); it
#                                     rejoins the cluster from its own files
#   scripts/cluster.sh clean          stop the nodes and delete target/cluster
#
# Nodes rabbit-1@localhost, rabbit-2@localhost, rabbit-3@localhost (Debian's rabbitmq-server),
# AMQP on 127.0.0.1:5681, 5682, 5683, Erlang distribution on 127.0.0.1:25681, 25682, 25683,
# CLI tools from 35681 up, no plugins (no management), one Erlang cookie in
# target/cluster/home/.erlang.cookie (HOME for the nodes and for rabbitmqctl), each node's
# files under target/cluster/rabbit-N. guest/guest, vhost /. To use rabbitmqctl yourself:
#   HOME=target/cluster/home rabbitmqctl -n rabbit-1@localhost cluster_status
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
base="$root/target/cluster"
home="$base/home"
bin=/usr/lib/rabbitmq/bin
nodes=(1 2 3)

amqp_port() { echo $((5680 + $1)); }
dist_port() { echo $((25680 + $1)); }
name() { echo "rabbit-$1@localhost"; }
dir() { echo "$base/rabbit-$1"; }

# The node number from 1, rabbit-1 or rabbit-1@localhost.
parse_node() {
  local n=${1:-}
  n=${n%%@*}
  n=${n#rabbit-}
  case "$n" in
    1|2|3) echo "$n" ;;
    *) echo "cluster.sh: no node '${1:-}' (1, 2, 3, or rabbit-N)" >&2; exit 2 ;;
  esac
}

answers() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$(amqp_port "$1")" 2>/dev/null
}

ctl() {
  local n=$1
  shift
  HOME="$home" RABBITMQ_CTL_DIST_PORT_MIN=$((35680 + n)) RABBITMQ_CTL_DIST_PORT_MAX=$((35690 + n)) \
    "$bin/rabbitmqctl" -n "$(name "$n")" "$@"
}

setup() {
  if [ ! -x "$bin/rabbitmq-server" ]; then
    echo "cluster.sh: rabbitmq-server is not installed (apt-get install rabbitmq-server)" >&2
    exit 1
  fi
  mkdir -p "$home"
  if [ ! -f "$home/.erlang.cookie" ]; then
    # One cookie for the three nodes and the CLI tools; private to this cluster.
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$home/.erlang.cookie"
    chmod 400 "$home/.erlang.cookie"
  fi
  local n d
  for n in "${nodes[@]}"; do
    d=$(dir "$n")
    mkdir -p "$d"
    echo '[].' > "$d/enabled_plugins"
    cat > "$d/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$(amqp_port "$n")
loopback_users.guest = true
CONF
  done
}

# The OS pid of the node's Erlang VM, if it runs.
pid_of() {
  local n=$1 f p
  f="$(dir "$n")/pid"
  if [ -f "$f" ]; then
    p=$(cat "$f")
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null && grep -q beam "/proc/$p/comm" 2>/dev/null; then
      echo "$p"
      return 0
    fi
  fi
  # No pid file yet (still booting): look for the VM by its environment.
  for p in $(pgrep -x beam.smp 2>/dev/null); do
    if tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -qx "RABBITMQ_NODENAME=$(name "$n")"; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

launch() {
  local n=$1 d
  d=$(dir "$n")
  if pid_of "$n" >/dev/null; then
    return 0
  fi
  HOME="$home" RABBITMQ_NODENAME="$(name "$n")" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
  RABBITMQ_NODE_PORT="$(amqp_port "$n")" RABBITMQ_DIST_PORT="$(dist_port "$n")" \
  RABBITMQ_MNESIA_BASE="$d/mnesia" RABBITMQ_LOG_BASE="$d/log" RABBITMQ_PID_FILE="$d/pid" \
  RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" \
  RABBITMQ_ADVANCED_CONFIG_FILE="$d/advanced.config" RABBITMQ_CONF_ENV_FILE="$d/rabbitmq-env.conf" \
  RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    setsid "$bin/rabbitmq-server" > "$d/out.log" 2>&1 < /dev/null &
}

# Waits until the node's AMQP port answers and the broker has finished booting.
wait_up() {
  local n=$1 i
  for i in $(seq 1 300); do
    if answers "$n"; then
      return 0
    fi
    if [ "$i" -gt 10 ] && ! pid_of "$n" >/dev/null; then
      echo "cluster.sh: $(name "$n") exited; last lines of $(dir "$n")/out.log:" >&2
      tail -20 "$(dir "$n")/out.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "cluster.sh: $(name "$n") did not answer within 60 s; see $(dir "$n")/out.log" >&2
  exit 1
}

join() {
  local n=$1
  [ -f "$(dir "$n")/joined" ] && return 0
  echo "cluster.sh: joining $(name "$n") to $(name 1)"
  # join_cluster logs harmless errors about the stopped app's tables; keep them in a file.
  local log
  log="$(dir "$n")/join.log"
  ctl "$n" stop_app >> "$log" 2>&1
  ctl "$n" join_cluster "$(name 1)" >> "$log" 2>&1 || { cat "$log" >&2; exit 1; }
  ctl "$n" start_app >> "$log" 2>&1
  touch "$(dir "$n")/joined"
}

now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

start() {
  local t0 n all_up=1
  t0=$(now)
  for n in "${nodes[@]}"; do
    { answers "$n" && [ -f "$(dir "$n")/joined" ]; } || all_up=0
  done
  if [ "$all_up" = 1 ]; then
    echo "cluster.sh: the three nodes are up on 127.0.0.1:5681-5683 (checked in $(took "$t0"))"
    return 0
  fi
  setup
  for n in "${nodes[@]}"; do launch "$n"; done
  for n in "${nodes[@]}"; do wait_up "$n"; done
  touch "$(dir 1)/joined"
  join 2
  join 3
  echo "cluster.sh: cluster up: $(name 1) :5681, $(name 2) :5682, $(name 3) :5683 (started in $(took "$t0"))"
}

stop_node() {
  local n=$1 p
  p=$(pid_of "$n") || return 0
  ctl "$n" stop >/dev/null 2>&1 || kill "$p" 2>/dev/null || true
  while kill -0 "$p" 2>/dev/null; do sleep 0.2; done
  echo "cluster.sh: stopped $(name "$n")"
}

stop() {
  local n
  for n in 3 2 1; do stop_node "$n"; done
}

kill_node() {
  local n p
  n=$(parse_node "$1")
  if ! p=$(pid_of "$n"); then
    echo "cluster.sh: $(name "$n") is not running"
    return 0
  fi
  kill -9 "$p"
  while kill -0 "$p" 2>/dev/null; do sleep 0.05; done
  echo "cluster.sh: killed $(name "$n") (pid $p, kill -9)"
}

restart_node() {
  local n t0
  n=$(parse_node "$1")
  t0=$(now)
  stop_node "$n"
  setup
  launch "$n"
  wait_up "$n"
  ctl "$n" await_startup >/dev/null
  echo "cluster.sh: $(name "$n") is up again on 127.0.0.1:$(amqp_port "$n") (in $(took "$t0"))"
}

status() {
  local n up=""
  for n in "${nodes[@]}"; do
    if answers "$n"; then
      echo "$(name "$n"): answers on 127.0.0.1:$(amqp_port "$n")"
      [ -z "$up" ] && up=$n
    else
      echo "$(name "$n"): down"
    fi
  done
  [ -n "$up" ] || exit 1
  HOME="$home" RABBITMQ_CTL_DIST_PORT_MIN=35690 RABBITMQ_CTL_DIST_PORT_MAX=35699 \
    "$bin/rabbitmq-diagnostics" -n "$(name "$up")" cluster_status
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  kill) kill_node "${2:-}" ;;
  restart) restart_node "${2:-}" ;;
  clean) stop; rm -rf "$base"; echo "cluster.sh: removed $base" ;;
  *) echo "usage: $0 start|stop|status|kill NODE|restart NODE|clean" >&2; exit 2 ;;
esac
