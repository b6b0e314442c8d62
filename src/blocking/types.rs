//! The result types the two clients share, for builds without the tokio
//! client (with it, `blocking` re-exports the tokio client's own types, so
//! that code using both sees one type). Keep these identical to
//! `src/client/confirm.rs`'s `Confirm` and `src/client/channel.rs`'s `QueueInfo`.

use crate::proto::Returned;

/// How the broker settled a publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// `basic.ack`: the broker took responsibility for the message.
    Ack,
    /// `basic.nack`: the broker could not take it (the publisher should retry).
    Nack,
    /// The broker returned the message (`basic.return`, e.g. 312 NO_ROUTE
    /// for a `mandatory` publish no queue took) and then acknowledged it:
    /// it was not delivered anywhere.
    Returned(Box<Returned>),
    /// The channel is not in confirm mode: there is nothing to wait for.
    NotRequested,
}

/// What `queue.declare` answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueInfo {
    /// The queue's name (the server's choice when the request left it empty).
    pub name: String,
    /// Messages ready in the queue.
    pub message_count: u32,
    /// Consumers of the queue.
    pub consumer_count: u32,
}
