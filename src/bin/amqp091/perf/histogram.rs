//! A latency histogram with log-linear buckets: exact below 32 µs, then 32
//! buckets per power of two (at most about 3 % too high), fixed memory.

/// Sub-buckets per power of two.
const SUB: u64 = 32;
/// Buckets for every `u64` value.
const BUCKETS: usize = (64 - 5) * SUB as usize + SUB as usize;

/// Counts of latencies in microseconds.
#[derive(Clone)]
pub struct Histogram {
    counts: Vec<u64>,
    total: u64,
    max: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: vec![0; BUCKETS],
            total: 0,
            max: 0,
        }
    }
}

fn index(v: u64) -> usize {
    if v < SUB {
        return v as usize;
    }
    let exp = 63 - v.leading_zeros() as u64; // >= 5
    let shift = exp - 5;
    ((shift + 1) * SUB + ((v >> shift) - SUB)) as usize
}

/// The largest value that falls in bucket `i`.
fn upper(i: usize) -> u64 {
    let i = i as u64;
    if i < SUB {
        return i;
    }
    let shift = i / SUB - 1;
    let low = (SUB + i % SUB) << shift;
    low + ((1u64 << shift) - 1)
}

impl Histogram {
    /// Counts one latency of `micros` µs.
    pub fn record(&mut self, micros: u64) {
        self.counts[index(micros)] += 1;
        self.total += 1;
        self.max = self.max.max(micros);
    }

    /// How many latencies it holds.
    pub fn len(&self) -> u64 {
        self.total
    }

    /// The largest latency counted (0 when empty).
    pub fn max(&self) -> u64 {
        self.max
    }

    /// The latency under which a fraction `q` (0..=1) of them fall, as the
    /// upper end of its bucket (never above the maximum); `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<u64> {
        if self.total == 0 {
            return None;
        }
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Some(upper(i).min(self.max));
            }
        }
        Some(self.max)
    }

    /// Empties it.
    pub fn clear(&mut self) {
        if self.total > 0 {
            self.counts.iter_mut().for_each(|c| *c = 0);
        }
        self.total = 0;
        self.max = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_values_are_exact_and_large_ones_within_three_percent() {
        for v in [
            0,
            1,
            31,
            32,
            33,
            100,
            1000,
            123_456,
            10_000_000,
            u64::MAX / 3,
        ] {
            let mut h = Histogram::default();
            h.record(v);
            h.record(u64::MAX); // keeps the maximum from capping the bucket
            let got = h.quantile(0.5).unwrap();
            assert!(got >= v, "{got} < {v}");
            assert!(
                got as f64 <= v as f64 * 1.032 + 1.0,
                "{got} too far above {v}"
            );
        }
    }

    #[test]
    fn quantiles_follow_the_ranks() {
        let mut h = Histogram::default();
        for v in 1..=100 {
            h.record(v);
        }
        assert_eq!(h.quantile(0.0), Some(1));
        assert_eq!(h.quantile(0.5).map(|v| (48..=52).contains(&v)), Some(true));
        assert_eq!(
            h.quantile(0.99).map(|v| (99..=100).contains(&v)),
            Some(true)
        );
        assert_eq!(h.quantile(1.0), Some(100));
        assert_eq!(h.max(), 100);
        h.clear();
        assert_eq!((h.len(), h.quantile(0.5)), (0, None));
    }

    #[test]
    fn every_bucket_holds_the_values_that_index_to_it() {
        for i in 0..BUCKETS - 1 {
            assert_eq!(index(upper(i)), i);
            assert_eq!(index(upper(i) + 1), i + 1);
        }
        assert_eq!(index(u64::MAX), BUCKETS - 1);
    }
}
