//! The CPU time the benchmark examples report (`perf`, `blocking_perf`,
//! `raw_limit`), measured one way for all of them.

use std::time::Duration;

/// CPU time (user + system) of this process so far, from `/proc/self/stat`
/// (clock ticks of 10 ms, the Linux default of 100 per second); zero where
/// that file does not exist.
pub fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may contain spaces).
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the ')'.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}
