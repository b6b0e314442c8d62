//! Class `tx`: transactions.

use amqp091_codec::method::{TxCommit, TxRollback, TxSelect};

use super::code::*;
use super::connection::get;
use super::{scenario, unobservable, Entry, Reason};

const C: &str = "tx";

/// The entries of class `tx` (and the semantics of commit and rollback).
pub(crate) const ENTRIES: &[Entry] = &[
    unobservable(
        "tx/not multiple queues",
        C,
        "applications do not rely on atomicity across queues",
        Reason::ClientObligation,
    ),
    unobservable(
        "tx/not immediate",
        C,
        "applications do not rely on transactions with immediate publishes",
        Reason::ClientObligation,
    ),
    unobservable(
        "tx/not mandatory",
        C,
        "applications do not rely on transactions with mandatory publishes",
        Reason::ClientObligation,
    ),
    scenario(
        "tx/commit/transacted",
        C,
        "tx.commit on a channel without tx.select is a channel error 406",
        |s| {
            s.channel(1)
                .send(1, TxCommit {})
                .expect_channel_close(1, &[PRECONDITION_FAILED]);
        },
    ),
    scenario(
        "tx/rollback/transacted",
        C,
        "tx.rollback on a channel without tx.select is a channel error 406",
        |s| {
            s.channel(1)
                .send(1, TxRollback {})
                .expect_channel_close(1, &[PRECONDITION_FAILED]);
        },
    ),
    scenario(
        "semantics/tx/commit-visibility",
        "semantics",
        "a transacted publish reaches the queue at tx.commit, not before",
        |s| {
            let q = s.queue("q");
            s.channel(1)
                .declare_queue(1, &q)
                .channel(2)
                .call(2, TxSelect {}, "tx.select-ok")
                .publish(2, "", &q, b"m")
                .call(1, get(&q), "basic.get-empty")
                .call(2, TxCommit {}, "tx.commit-ok")
                .call(1, get(&q), "basic.get-ok");
        },
    ),
    scenario(
        "semantics/tx/rollback-discards",
        "semantics",
        "a transacted publish rolled back never reaches the queue",
        |s| {
            let q = s.queue("q");
            s.channel(1)
                .declare_queue(1, &q)
                .call(1, TxSelect {}, "tx.select-ok")
                .publish(1, "", &q, b"m")
                .call(1, TxRollback {}, "tx.rollback-ok")
                .call(1, TxCommit {}, "tx.commit-ok")
                .call(1, get(&q), "basic.get-empty");
        },
    ),
];
