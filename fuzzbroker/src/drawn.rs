//! Argument values drawn from the codec's proptest strategies
//! ([`amqp091_codec::strategies`], the ones its property tests and fuzz
//! targets use): field tables with nested tables and arrays of every value
//! type, short strings of any bytes, long strings, numbers. A proptest
//! [`TestRunner`] with a ChaCha RNG seeded from the fuzzer's own PRNG draws
//! them, so a campaign's seed still decides every input.
//!
//! These values are well formed (the codec reads them back), unlike the
//! boundary values of [`crate::values`]: they probe what a broker does with
//! valid but unusual arguments (`x-` arguments of odd types, names of
//! control bytes).

use amqp091_codec::strategies;
use bytes::BytesMut;
use proptest::arbitrary::any;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// A seeded source of values from the codec's strategies.
pub struct Drawn {
    runner: TestRunner,
}

impl Drawn {
    /// A source whose values `seed` decides.
    pub fn new(seed: u64) -> Drawn {
        let mut key = [0u8; 32];
        for (i, chunk) in key.chunks_mut(8).enumerate() {
            // Four different words from the one seed (SplitMix64's constant).
            let word = seed.wrapping_add((i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &key);
        Drawn {
            runner: TestRunner::new_with_rng(Config::default(), rng),
        }
    }

    fn draw<S: Strategy>(&mut self, s: S) -> Option<S::Value> {
        s.new_tree(&mut self.runner).ok().map(|t| t.current())
    }

    /// A field table, encoded (length, then the fields); empty if the
    /// strategy gives nothing.
    pub fn table(&mut self) -> Vec<u8> {
        let mut buf = BytesMut::new();
        match self.draw(strategies::field_table()) {
            Some(t) => t.encode(&mut buf),
            None => buf.extend_from_slice(&[0, 0, 0, 0]),
        }
        buf.to_vec()
    }

    /// A short string, encoded (length octet, then any bytes).
    pub fn short_str(&mut self) -> Vec<u8> {
        let s = self.draw(strategies::short_str()).unwrap_or_default();
        let mut out = vec![s.as_bytes().len() as u8];
        out.extend_from_slice(s.as_bytes());
        out
    }

    /// A long string, encoded (32-bit length, then any bytes).
    pub fn long_str(&mut self) -> Vec<u8> {
        let s = self.draw(strategies::long_str()).map(|s| s.0);
        let s = s.unwrap_or_default();
        let mut out = (s.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(&s);
        out
    }

    /// Any `n` octets (a number of that width).
    pub fn octets(&mut self, n: usize) -> Vec<u8> {
        let v = self.draw(any::<u64>()).unwrap_or_default();
        v.to_be_bytes()[8 - n.min(8)..].to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::Drawn;
    use amqp091_codec::Method;

    #[test]
    fn the_same_seed_draws_the_same_values() {
        let (mut a, mut b) = (Drawn::new(5), Drawn::new(5));
        let xs: Vec<_> = (0..20).map(|_| (a.table(), a.short_str())).collect();
        let ys: Vec<_> = (0..20).map(|_| (b.table(), b.short_str())).collect();
        assert_eq!(xs, ys);
        let mut c = Drawn::new(6);
        let zs: Vec<_> = (0..20).map(|_| (c.table(), c.short_str())).collect();
        assert_ne!(xs, zs);
    }

    #[test]
    fn drawn_tables_and_strings_are_well_formed() {
        let mut d = Drawn::new(1);
        let mut nonempty = 0;
        for _ in 0..50 {
            let t = d.table();
            let len = u32::from_be_bytes([t[0], t[1], t[2], t[3]]) as usize;
            assert_eq!(len + 4, t.len());
            // queue.declare with the table as its arguments decodes.
            let mut payload = vec![0, 50, 0, 10, 0, 0, 1, b'q', 0];
            payload.extend_from_slice(&t);
            let m = Method::decode(payload.into());
            assert!(matches!(m, Ok(Method::QueueDeclare(_))), "{m:?}");
            nonempty += usize::from(len > 0);
            let s = d.short_str();
            assert_eq!(s[0] as usize + 1, s.len());
            let l = d.long_str();
            assert_eq!(
                u32::from_be_bytes([l[0], l[1], l[2], l[3]]) as usize + 4,
                l.len()
            );
            assert_eq!(d.octets(2).len(), 2);
        }
        assert!(nonempty > 10, "the strategy gives tables with fields");
    }
}
