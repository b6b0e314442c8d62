//! Options of the channel methods: one struct per method, every flag `false`
//! by default, so a call names only what it changes:
//! `QueueDeclareOptions { durable: true, ..Default::default() }`; and the
//! results both front ends return ([`QueueInfo`], [`Confirm`]).

use crate::proto::Returned;

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

/// `exchange.declare` flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExchangeDeclareOptions {
    /// Only check that the exchange exists (404 if not).
    pub passive: bool,
    /// Survive a broker restart.
    pub durable: bool,
    /// Delete when the last binding is removed.
    pub auto_delete: bool,
    /// Publishers cannot publish to it directly (only exchange-to-exchange bindings).
    pub internal: bool,
    /// Do not wait for `declare-ok`; an error arrives later as a channel close.
    pub no_wait: bool,
}

/// `exchange.delete` flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExchangeDeleteOptions {
    /// Only delete it if it has no bindings.
    pub if_unused: bool,
    /// Do not wait for `delete-ok`.
    pub no_wait: bool,
}

/// `queue.declare` flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueDeclareOptions {
    /// Only check that the queue exists (404 if not).
    pub passive: bool,
    /// Survive a broker restart.
    pub durable: bool,
    /// Used by this connection only, and deleted when it closes.
    pub exclusive: bool,
    /// Delete when the last consumer goes.
    pub auto_delete: bool,
    /// Do not wait for `declare-ok` (the queue's name must then be given).
    pub no_wait: bool,
}

/// The `no-wait` flag of methods that have no other flag (bind, unbind,
/// purge, exchange bind/unbind).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoWait {
    /// Do not wait for the reply; an error arrives later as a channel close.
    pub no_wait: bool,
}

/// `queue.delete` flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueDeleteOptions {
    /// Only delete it if it has no consumers.
    pub if_unused: bool,
    /// Only delete it if it has no messages.
    pub if_empty: bool,
    /// Do not wait for `delete-ok`.
    pub no_wait: bool,
}

/// `basic.qos` settings besides the prefetch count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BasicQosOptions {
    /// Prefetch window in bytes (RabbitMQ refuses anything but 0 with 540).
    pub prefetch_size: u32,
    /// RabbitMQ: apply to the whole channel instead of each new consumer.
    pub global: bool,
}

/// `basic.publish` flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BasicPublishOptions {
    /// Return the message (`basic.return`) if no queue gets it.
    pub mandatory: bool,
    /// Return it if no consumer can take it at once (RabbitMQ answers with
    /// 540 NOT_IMPLEMENTED and closes the connection).
    pub immediate: bool,
}

/// `basic.get` flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BasicGetOptions {
    /// The message counts as acknowledged once sent.
    pub no_ack: bool,
}

/// `basic.consume` settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicConsumeOptions {
    /// The consumer tag; empty: the client makes a unique one.
    pub consumer_tag: String,
    /// Do not receive messages published on this connection.
    pub no_local: bool,
    /// Messages count as acknowledged once sent.
    pub no_ack: bool,
    /// The only consumer of the queue.
    pub exclusive: bool,
    /// Do not wait for `consume-ok`.
    pub no_wait: bool,
    /// How many deliveries the consumer buffers. Default: the channel's
    /// prefetch count, or 1000
    /// ([`Config::default_consumer_capacity`](crate::proto::Config::default_consumer_capacity)).
    ///
    /// So that a consumer the application reads slowly never stops the
    /// rest of the connection (replies, confirms, other channels), the
    /// broker must not be able to send it more than this: a capacity below
    /// the channel's prefetch count is raised to it, and on a channel with
    /// no prefetch count the client first sends `basic.qos` with this
    /// capacity (per consumer, `global = false`). A `no_ack` consumer has no
    /// such limit: when it is full, the client stops reading the socket.
    pub capacity: Option<usize>,
}

/// `basic.ack` flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BasicAckOptions {
    /// Every unacknowledged message up to this one.
    pub multiple: bool,
}

/// `basic.reject` flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BasicRejectOptions {
    /// Put the message back in the queue (otherwise it is dropped or dead-lettered).
    pub requeue: bool,
}

/// `basic.nack` flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BasicNackOptions {
    /// Every unacknowledged message up to this tag.
    pub multiple: bool,
    /// Put the messages back in the queue (otherwise they are dropped or dead-lettered).
    pub requeue: bool,
}
