//! What every message carries (run, producer, sequence number, send time)
//! and the check of what the consumers received: the size of each message,
//! order per producer, no duplicate, nothing missing, nothing foreign.

/// Bytes of the header at the start of every body (and the smallest size).
pub const HEADER: usize = 16;

/// The header of one message: `run` (u16), `producer` (u16), `seq` (u32),
/// `sent` (u64, nanoseconds since the run's origin), big-endian.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// This run's id, so that messages of another run are told apart.
    pub run: u16,
    /// The producer's index.
    pub producer: u16,
    /// The producer's sequence number, from 0.
    pub seq: u32,
    /// When it was published, in nanoseconds since the run's origin.
    pub sent: u64,
}

impl Stamp {
    /// Writes the header into the first [`HEADER`] bytes of `body`.
    pub fn write(&self, body: &mut [u8]) {
        body[0..2].copy_from_slice(&self.run.to_be_bytes());
        body[2..4].copy_from_slice(&self.producer.to_be_bytes());
        body[4..8].copy_from_slice(&self.seq.to_be_bytes());
        body[8..16].copy_from_slice(&self.sent.to_be_bytes());
    }

    /// Reads the header of `body`; `None` when it is shorter than one.
    pub fn read(body: &[u8]) -> Option<Stamp> {
        let b = body.get(..HEADER)?;
        Some(Stamp {
            run: u16::from_be_bytes([b[0], b[1]]),
            producer: u16::from_be_bytes([b[2], b[3]]),
            seq: u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
            sent: u64::from_be_bytes(b[8..16].try_into().unwrap_or([0; 8])),
        })
    }
}

/// Problems kept in full; past that, only counted.
const KEPT: usize = 5;

/// What one consumer saw, checked as it comes.
pub struct Checker {
    run: u16,
    size: usize,
    /// Per producer: the sequence numbers received, as a bitmap.
    seen: Vec<Vec<u64>>,
    /// Per producer: the last sequence number received.
    last: Vec<Option<u32>>,
    /// The first problems, worded.
    pub problems: Vec<String>,
    /// Every problem, counted.
    pub problem_count: u64,
}

impl Checker {
    /// A checker for messages of `size` bytes from `producers` producers of run `run`.
    pub fn new(run: u16, producers: usize, size: usize) -> Self {
        Checker {
            run,
            size,
            seen: vec![Vec::new(); producers],
            last: vec![None; producers],
            problems: Vec::new(),
            problem_count: 0,
        }
    }

    fn problem(&mut self, text: impl FnOnce() -> String) {
        self.problem_count += 1;
        if self.problems.len() < KEPT {
            self.problems.push(text());
        }
    }

    /// Checks one received body; its stamp when it is one of this run's messages.
    pub fn message(&mut self, body: &[u8]) -> Option<Stamp> {
        if body.len() != self.size {
            let (len, size) = (body.len(), self.size);
            self.problem(|| format!("a message of {len} bytes, not {size}"));
        }
        let stamp = match Stamp::read(body) {
            Some(s) if s.run == self.run && usize::from(s.producer) < self.seen.len() => s,
            _ => {
                self.problem(|| "a message that is not from this run".into());
                return None;
            }
        };
        let p = usize::from(stamp.producer);
        if let Some(last) = self.last[p] {
            if stamp.seq <= last {
                let seq = stamp.seq;
                self.problem(|| format!("producer {p}: message {seq} after {last}"));
            }
        }
        self.last[p] = Some(stamp.seq);
        let (word, bit) = ((stamp.seq / 64) as usize, stamp.seq % 64);
        let bits = &mut self.seen[p];
        if bits.len() <= word {
            bits.resize(word + 1, 0);
        }
        if bits[word] & (1 << bit) != 0 {
            let seq = stamp.seq;
            self.problem(|| format!("producer {p}: message {seq} twice"));
        }
        self.seen[p][word] |= 1 << bit;
        Some(stamp)
    }
}

/// The verdict on a whole run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Messages of this run received (once each).
    pub received: u64,
    /// Messages sent and never received.
    pub missing: u64,
    /// Every problem found, counted.
    pub problems: u64,
    /// The first problems, worded.
    pub details: Vec<String>,
}

impl Verdict {
    /// Whether everything sent arrived once, whole and in order.
    pub fn ok(&self) -> bool {
        self.problems == 0
    }
}

/// Puts the consumers' findings together: each producer's messages
/// `0..sent[p]` must have arrived exactly once across all consumers.
pub fn verdict(checkers: &[Checker], sent: &[u64]) -> Verdict {
    let mut problems: u64 = checkers.iter().map(|c| c.problem_count).sum();
    let mut details: Vec<String> = checkers.iter().flat_map(|c| c.problems.clone()).collect();
    let (mut received, mut missing) = (0u64, 0u64);
    for (p, &n) in sent.iter().enumerate() {
        let words = (n as usize).div_ceil(64);
        let mut union = vec![0u64; words];
        let mut beyond = 0u64;
        for c in checkers {
            for (w, &bits) in c.seen[p].iter().enumerate() {
                match union.get_mut(w) {
                    Some(u) => {
                        if *u & bits != 0 {
                            problems += u64::from((*u & bits).count_ones());
                            details.push(format!("producer {p}: a message received twice"));
                        }
                        *u |= bits;
                    }
                    None => beyond += u64::from(bits.count_ones()),
                }
            }
        }
        // Bits past `sent` in the last word.
        if n % 64 != 0 {
            if let Some(last) = union.last_mut() {
                beyond += u64::from((*last >> (n % 64)).count_ones());
                *last &= (1u64 << (n % 64)) - 1;
            }
        }
        if beyond > 0 {
            problems += beyond;
            details.push(format!("producer {p}: {beyond} messages it did not send"));
        }
        let got: u64 = union.iter().map(|w| u64::from(w.count_ones())).sum();
        received += got;
        if got < n {
            missing += n - got;
            problems += n - got;
            details.push(format!("producer {p}: {} of {n} messages missing", n - got));
        }
    }
    details.truncate(KEPT);
    Verdict {
        received,
        missing,
        problems,
        details,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(run: u16, producer: u16, seq: u32, size: usize) -> Vec<u8> {
        let mut b = vec![b'x'; size];
        Stamp {
            run,
            producer,
            seq,
            sent: 7,
        }
        .write(&mut b);
        b
    }

    #[test]
    fn a_stamp_reads_back_as_written() {
        let s = Stamp {
            run: 0xfeed,
            producer: 3,
            seq: 0x0102_0304,
            sent: u64::MAX - 1,
        };
        let mut b = [0u8; HEADER];
        s.write(&mut b);
        assert_eq!(Stamp::read(&b), Some(s));
        assert_eq!(Stamp::read(&b[..HEADER - 1]), None);
    }

    #[test]
    fn everything_sent_received_once_in_order_passes() {
        let (mut a, mut b) = (Checker::new(9, 2, 20), Checker::new(9, 2, 20));
        for i in 0..100u32 {
            let c = if i % 3 == 0 { &mut a } else { &mut b };
            c.message(&body(9, (i % 2) as u16, i / 2, 20));
        }
        let v = verdict(&[a, b], &[50, 50]);
        assert!(v.ok(), "{v:?}");
        assert_eq!((v.received, v.missing), (100, 0));
    }

    #[test]
    fn wrong_size_foreign_run_reordering_duplicates_and_losses_fail() {
        let mut c = Checker::new(1, 1, 16);
        c.message(&body(1, 0, 0, 17)); // wrong size
        c.message(&body(2, 0, 1, 16)); // another run
        c.message(b"hello"); // not ours at all
        c.message(&body(1, 0, 3, 16));
        c.message(&body(1, 0, 2, 16)); // out of order
        let mut other = Checker::new(1, 1, 16);
        other.message(&body(1, 0, 3, 16)); // twice across consumers
        let v = verdict(&[c, other], &[5]);
        assert!(!v.ok());
        assert_eq!(v.received, 3, "{v:?}");
        assert_eq!(v.missing, 2, "1 and 4: {v:?}");
        // size, run, not ours (size and run), order, twice, two missing
        assert_eq!(v.problems, 8, "{v:?}");
        assert!(v.details[0].contains("17 bytes"), "{v:?}");
    }

    #[test]
    fn a_message_beyond_what_was_sent_fails() {
        let mut c = Checker::new(1, 1, 16);
        c.message(&body(1, 0, 0, 16));
        c.message(&body(1, 0, 200, 16));
        let v = verdict(&[c], &[1]);
        assert_eq!((v.received, v.missing, v.problems), (1, 0, 1), "{v:?}");
    }
}
