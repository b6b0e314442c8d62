#!/usr/bin/env bash
# The fuzzer's own benchmark (docs/fuzzing.md): executions per second of
# `amqp091 fuzz-broker` against the local RabbitMQ (the beam.smp listening on
# 5672) with 1, 4 and 8 connections and no rate limit, 60 s each; the CPU of
# the fuzzer and of beam.smp from 5 s to 55 s into each run (utime+stime from
# /proc/PID/stat; 100% is one core) and the machine's load average.
#
#   cargo build --release --features cli --bin amqp091
#   bash fuzzbroker/scripts/bench.sh        # BIN=..., OUT=DIR for the JSON logs
set -u
bin=${BIN:-target/release/amqp091}
beam=$(ss -tlnp | grep ':5672 ' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
tck=$(getconf CLK_TCK)
cpu() { awk '{print $14+$15}' /proc/$1/stat 2>/dev/null || echo 0; }
for k in 1 4 8; do
  $bin fuzz-broker amqp://guest:guest@localhost:5672/%2f --duration 60s --seed 5 \
      --connections $k --rate 100000 --json > ${OUT:-/tmp}/bench-$k.log 2>&1 &
  fz=$!
  sleep 5
  b0=$(cpu $beam); f0=$(cpu $fz)
  sleep 50
  b1=$(cpu $beam); f1=$(cpu $fz); load=$(cut -d' ' -f1-3 /proc/loadavg)
  wait $fz
  echo "k=$k fuzzer_cpu=$(( (f1-f0)*100/(50*tck) ))% beam_cpu=$(( (b1-b0)*100/(50*tck) ))% load=$load"
  tail -1 ${OUT:-/tmp}/bench-$k.log | cut -c1-220
done
