#!/usr/bin/env bash
# amqp091 against rabbitmq-c and the broker's limit, side by side: the
# scenarios of issue 16, interleaved and repeated, medians and ratios as a
# markdown table (docs/PERFORMANCE.md has the figures).
#
#   scripts/bench-compare.sh [ROUNDS]          # default 3 rounds
#   BENCH_C=path/to/bench-c scripts/bench-compare.sh
#
# Clients, each run as its own process against the broker at AMQP_URL
# (default amqp://guest:guest@localhost:5672/%2f; nothing is started or
# stopped):
#   multi     examples/perf --runtime multi    (tokio multi-thread, as #[tokio::main])
#   spawn     examples/perf --runtime multi-spawn (the same, the scenario in a spawned task)
#   current   examples/perf --runtime current  (tokio current-thread)
#   blocking  examples/blocking_perf           (amqp091::blocking)
#   c         rabbitmq-c's bench-c, from $BENCH_C (default target/bench-c/bench-c;
#             build it with bench-c's build.sh; skipped when missing)
#   raw       examples/raw_limit               (pre-encoded frames, blocking socket)
# BASELINE=path/to/an/older/perf adds that build's perf example as two more
# clients, "base-multi" and "base-current" (before/after a change, interleaved).
# Every round runs every scenario with every client, the clients' order
# rotated per round; a failed run counts as missing. Raw figures go to
# target/bench-compare/runs.tsv (round, scenario, client, msgs/s, CPU µs/msg, p50 µs).
#
# SCENARIOS (default: all of the table) selects rows, e.g.
# SCENARIOS="consume:16 get:16". COUNT_SCALE (default 1) multiplies the counts.
set -uo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
export AMQP_URL="${AMQP_URL:-amqp://guest:guest@localhost:5672/%2f}"
bench_c="${BENCH_C:-target/bench-c/bench-c}"
scale="${COUNT_SCALE:-1}"
scenarios="${SCENARIOS:-publish:16 confirm:16 consume:16 consume:4096 get:16 roundtrip:16}"
out=target/bench-compare; mkdir -p "$out"
runs="$out/runs.tsv"; : > "$runs"

cargo build --quiet --release --features blocking \
  --example perf --example blocking_perf --example raw_limit || exit 1
clients="multi spawn current blocking raw"
if [ -x "$bench_c" ]; then clients="multi spawn current blocking c raw"; else
  echo "note: no bench-c at $bench_c (BENCH_C), rabbitmq-c left out" >&2; fi
baseline="${BASELINE:-}"
[ -z "$baseline" ] || clients="base-multi base-current $clients"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
count_of() { # scenario size -> count
  local n
  case "$1:$2" in
    get:*|roundtrip:*) n=20000 ;;
    *:4096) n=50000 ;;
    *) n=200000 ;;
  esac
  awk -v n="$n" -v s="$scale" 'BEGIN { printf "%d", n * s }'
}

# One run: prints "msgs/s cpu p50" (p50 "-" when the scenario has none).
run_one() { # client scenario size count
  local ex=target/release/examples line
  case "$1" in
    multi) line=$("$ex/perf" --runtime multi "$2" "$3" "$4" | tail -1) ;;
    spawn) line=$("$ex/perf" --runtime multi-spawn "$2" "$3" "$4" | tail -1) ;;
    base-multi) line=$("$baseline" --runtime multi "$2" "$3" "$4" | tail -1) ;;
    base-current) line=$("$baseline" --runtime current "$2" "$3" "$4" | tail -1) ;;
    current) line=$("$ex/perf" --runtime current "$2" "$3" "$4" | tail -1) ;;
    blocking) line=$("$ex/blocking_perf" "$2" "$3" "$4" | tail -1) ;;
    raw) line=$("$ex/raw_limit" "$2" "$3" "$4" | tail -1) ;;
    c)
      local s="$2"; [ "$s" = confirm ] && s=publish-confirm
      "$bench_c" "$s" --url "$AMQP_URL" --count "$4" --size "$3" --prefetch 1000 \
        | jq -r '"\(.msgs_per_s) \(.cpu_us_per_msg) \(.p50_us // "-")"'
      return ;;
  esac
  [ -n "$line" ] && echo "$line" | awk '{ print $4, $5, $6 }'
}

for r in $(seq "$rounds"); do
  # Rotate the clients' order, so that no client always runs first.
  set -- $clients; for _ in $(seq $(( (r - 1) % $# ))); do set -- "${@:2}" "$1"; done
  order="$*"
  for sc in $scenarios; do
    s="${sc%%:*}"; size="${sc##*:}"; n=$(count_of "$s" "$size")
    for c in $order; do
      res=$(run_one "$c" "$s" "$size" "$n" 2>"$out/last.err") || res=""
      [ -n "$res" ] || { echo "round $r $s $size $c: FAILED $(tail -1 "$out/last.err")" >&2; res="- - -"; }
      printf '%s\t%s:%s\t%s\t%s\n' "$r" "$s" "$size" "$c" "$(echo "$res" | tr ' ' '\t')" >> "$runs"
      echo "round $r $s $size $c: $res (load $(cut -d' ' -f1 /proc/loadavg))" >&2
    done
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$runs" "$clients" "$rounds" <<'EOF'
import sys, statistics
runs, clients, rounds = sys.argv[1], sys.argv[2].split(), sys.argv[3]
data = {}
for line in open(runs):
    r, sc, c, rate, cpu, p50 = line.rstrip("\n").split("\t")
    f = lambda v: None if v in ("-", "null", "") else float(v)
    data.setdefault((sc, c), []).append((f(rate), f(cpu), f(p50)))
def med(sc, c, i):
    v = [x[i] for x in data.get((sc, c), []) if x[i] is not None]
    return statistics.median(v) if v else None
names = {"multi": "amqp091 multi-thread", "spawn": "amqp091 multi-thread, spawned",
         "base-multi": "baseline multi-thread", "base-current": "baseline current-thread",
         "current": "amqp091 current-thread",
         "blocking": "amqp091 blocking", "c": "rabbitmq-c", "raw": "raw limit"}
scs = list(dict.fromkeys(k[0] for k in data))
latency = lambda sc: sc.split(":")[0] in ("get", "roundtrip")
def cell(sc, c):
    rate, cpu, p50 = med(sc, c, 0), med(sc, c, 1), med(sc, c, 2)
    if cpu is None: return "failed"
    first = f"{p50:.0f} µs" if latency(sc) and p50 is not None else f"{rate/1000:.0f}k"
    return f"{first} · {cpu:.2f}"
print(f"\nMedians of {rounds} interleaved rounds: msgs/s · client CPU µs per message "
      "(get, roundtrip: p50 µs · CPU µs per operation)\n")
print("| scenario | " + " | ".join(names[c] for c in clients) + " |")
print("| --- |" + " --- |" * len(clients))
for sc in scs:
    print(f"| {sc.replace(':', ' ')} B | " + " | ".join(cell(sc, c) for c in clients) + " |")
ours = [c for c in clients if c in ("base-multi", "base-current", "multi", "spawn", "current", "blocking")]
print("\nRatios of the medians: CPU / rabbitmq-c's CPU; rate / raw limit's rate "
      "(get, roundtrip: p50 − raw limit's p50)\n")
print("| scenario | " + " | ".join(f"{names[c]}: CPU vs C · vs raw" for c in ours) + " |")
print("| --- |" + " --- |" * len(ours))
for sc in scs:
    cells = []
    for c in ours:
        cpu, ccpu = med(sc, c, 1), med(sc, "c", 1)
        a = f"{cpu / ccpu:.2f}×" if cpu is not None and ccpu else "-"
        if latency(sc):
            p, rp = med(sc, c, 2), med(sc, "raw", 2)
            b = f"{p - rp:+.0f} µs" if p is not None and rp is not None else "-"
        else:
            rate, rr = med(sc, c, 0), med(sc, "raw", 0)
            b = f"{100 * rate / rr:.0f}%" if rate and rr else "-"
        cells.append(f"{a} · {b}")
    print(f"| {sc.replace(':', ' ')} B | " + " | ".join(cells) + " |")
EOF
