//! Publisher confirms of one channel: sequence numbers for publishes, and
//! which of them the server's `basic.ack`/`basic.nack` settle.
//!
//! Publishes are numbered from 1 after `confirm.select` (the server counts
//! the same way). The unsettled ones are a window from the lowest unsettled
//! number, so a `multiple` ack settles a prefix and a single ack may settle
//! out of order.

use std::collections::VecDeque;
use std::ops::RangeInclusive;

/// The confirm state of a channel in confirm mode.
#[derive(Debug)]
pub(crate) struct Confirms {
    /// Sequence number of the next publish.
    next: u64,
    /// The lowest unsettled sequence number (`next` when all are settled).
    base: u64,
    /// For `base..next`: whether each is settled (out-of-order single acks).
    settled: VecDeque<bool>,
    /// Added to the server's tags: after a recovery the server counts from
    /// 1 again while the numbers given to the application go on.
    offset: u64,
}

impl Confirms {
    pub(crate) fn new() -> Self {
        Confirms {
            next: 1,
            base: 1,
            settled: VecDeque::new(),
            offset: 0,
        }
    }

    /// Numbers a publish.
    pub(crate) fn publish(&mut self) -> u64 {
        let seq = self.next;
        self.next += 1;
        self.settled.push_back(false);
        seq
    }

    /// How many publishes wait for their settlement.
    pub(crate) fn unsettled(&self) -> usize {
        self.settled.iter().filter(|s| !**s).count()
    }

    /// Whether `tag` names a publish that was made.
    pub(crate) fn was_published(&self, tag: u64) -> bool {
        let tag = tag.saturating_add(self.offset);
        tag > self.offset && tag < self.next
    }

    /// Settles `tag` (and every earlier one, with `multiple`). Returns the
    /// range newly settled (`None` if those were settled already).
    ///
    /// A tag above the last publish settles nothing alone; with `multiple`
    /// it settles every publish made, as the Java and Go clients read it
    /// (the server acknowledges at least all of them).
    pub(crate) fn settle(&mut self, tag: u64, multiple: bool) -> Option<RangeInclusive<u64>> {
        if tag == 0 {
            return None;
        }
        let tag = tag.saturating_add(self.offset);
        let tag = if multiple {
            tag.min(self.next - 1)
        } else {
            tag
        };
        if tag < self.base || tag >= self.next {
            return None;
        }
        let offset = (tag - self.base) as usize;
        let range = if multiple {
            let range = self.base..=tag;
            self.settled.drain(..=offset);
            self.base = tag + 1;
            range
        } else {
            match self.settled.get_mut(offset) {
                Some(s) if !*s => *s = true,
                _ => return None,
            }
            tag..=tag
        };
        while self.settled.front() == Some(&true) {
            self.settled.pop_front();
            self.base += 1;
        }
        Some(range)
    }

    /// Everything unsettled, which will never be settled now (the channel
    /// ended), as the range that holds it.
    pub(crate) fn fail_all(&mut self) -> Option<RangeInclusive<u64>> {
        if self.base == self.next {
            return None;
        }
        let range = self.base..=self.next - 1;
        self.base = self.next;
        self.settled.clear();
        Some(range)
    }

    /// The transport was lost: everything unsettled fails (as
    /// [`fail_all`](Self::fail_all)), and the server of the next transport
    /// counts from 1 again while the numbers go on.
    pub(crate) fn suspend(&mut self) -> Option<RangeInclusive<u64>> {
        let failed = self.fail_all();
        self.offset = self.next - 1;
        failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published(n: u64) -> Confirms {
        let mut c = Confirms::new();
        for i in 1..=n {
            assert_eq!(c.publish(), i);
        }
        c
    }

    #[test]
    fn a_multiple_ack_settles_every_earlier_publish() {
        let mut c = published(5);
        assert_eq!(c.settle(3, true), Some(1..=3));
        assert_eq!(c.unsettled(), 2);
        assert_eq!(c.settle(5, true), Some(4..=5));
        assert_eq!(c.unsettled(), 0);
        assert_eq!(c.fail_all(), None);
    }

    #[test]
    fn single_acks_may_come_out_of_order() {
        let mut c = published(4);
        assert_eq!(c.settle(2, false), Some(2..=2));
        assert_eq!(c.settle(2, false), None, "a repeated ack settles nothing");
        assert_eq!(c.settle(1, false), Some(1..=1));
        // 1 and 2 settled: the window starts at 3.
        assert_eq!(c.settle(4, true), Some(3..=4));
        assert_eq!(c.unsettled(), 0);
    }

    #[test]
    fn a_multiple_ack_below_the_window_settles_nothing() {
        let mut c = published(3);
        assert_eq!(c.settle(2, true), Some(1..=2));
        assert_eq!(c.settle(1, true), None);
        assert_eq!(c.settle(2, false), None);
    }

    #[test]
    fn a_tag_above_the_last_publish_settles_only_with_multiple() {
        let mut c = published(3);
        assert!(!c.was_published(4));
        assert_eq!(c.settle(4, false), None);
        assert_eq!(c.settle(0, false), None);
        assert_eq!(c.unsettled(), 3, "nothing settled by a single unknown tag");
        assert_eq!(c.settle(u64::MAX, true), Some(1..=3), "no overflow");
        assert_eq!(c.settle(u64::MAX, true), None);
        let mut none = Confirms::new();
        assert_eq!(none.settle(u64::MAX, true), None, "nothing published");
    }

    #[test]
    fn the_unsettled_fail_when_the_channel_ends() {
        let mut c = published(5);
        assert_eq!(c.settle(2, true), Some(1..=2));
        assert_eq!(c.settle(4, false), Some(4..=4));
        assert_eq!(c.fail_all(), Some(3..=5));
        assert_eq!(c.fail_all(), None, "failed once");
        assert_eq!(c.publish(), 6, "numbering goes on");
    }

    #[test]
    fn after_a_recovery_the_servers_tags_map_onto_the_numbers_that_go_on() {
        let mut c = published(3);
        assert_eq!(c.settle(1, false), Some(1..=1));
        assert_eq!(
            c.suspend(),
            Some(2..=3),
            "in flight when the transport went"
        );
        assert_eq!(c.publish(), 4);
        assert_eq!(c.publish(), 5);
        assert!(c.was_published(2), "the new server's 2 is our 5");
        assert!(!c.was_published(3));
        assert_eq!(
            c.settle(1, false),
            Some(4..=4),
            "the new server's 1 is our 4"
        );
        assert_eq!(c.settle(9, true), Some(5..=5));
        assert_eq!(c.unsettled(), 0);
    }
}
