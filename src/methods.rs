//! The methods the two front ends send, built from the options structs:
//! one place for the mapping from `&str` names and option flags to the
//! spec's fields, and from replies to results, so that the tokio and the
//! blocking `Channel` cannot drift. No protocol rule here (what a method
//! expects, and when, is the core's).

use crate::codec::method::*;
use crate::codec::{FieldTable, Method, ShortStr};
use crate::options::*;
use crate::Error;

/// A `&str` as a short string, or why it cannot be one.
pub(crate) fn short(s: &str, what: &str) -> Result<ShortStr, Error> {
    ShortStr::copy_from_str(s).map_err(|e| Error::InvalidArgument(format!("{what}: {e}")))
}

pub(crate) fn exchange_declare(
    name: &str,
    kind: &str,
    options: ExchangeDeclareOptions,
    arguments: FieldTable,
) -> Result<Method, Error> {
    Ok(ExchangeDeclare {
        exchange: short(name, "exchange name")?,
        kind: short(kind, "exchange type")?,
        passive: options.passive,
        durable: options.durable,
        auto_delete: options.auto_delete,
        internal: options.internal,
        no_wait: options.no_wait,
        arguments,
        ..Default::default()
    }
    .into())
}

pub(crate) fn exchange_delete(name: &str, options: ExchangeDeleteOptions) -> Result<Method, Error> {
    Ok(ExchangeDelete {
        exchange: short(name, "exchange name")?,
        if_unused: options.if_unused,
        no_wait: options.no_wait,
        ..Default::default()
    }
    .into())
}

/// `exchange.bind` (`bind`) or `exchange.unbind`.
pub(crate) fn exchange_binding(
    bind: bool,
    destination: &str,
    source: &str,
    routing_key: &str,
    options: NoWait,
    arguments: FieldTable,
) -> Result<Method, Error> {
    let (destination, source) = (
        short(destination, "exchange name")?,
        short(source, "exchange name")?,
    );
    let routing_key = short(routing_key, "routing key")?;
    Ok(if bind {
        ExchangeBind {
            destination,
            source,
            routing_key,
            no_wait: options.no_wait,
            arguments,
            ..Default::default()
        }
        .into()
    } else {
        ExchangeUnbind {
            destination,
            source,
            routing_key,
            no_wait: options.no_wait,
            arguments,
            ..Default::default()
        }
        .into()
    })
}

pub(crate) fn queue_declare(
    name: &str,
    options: QueueDeclareOptions,
    arguments: FieldTable,
) -> Result<Method, Error> {
    Ok(QueueDeclare {
        queue: short(name, "queue name")?,
        passive: options.passive,
        durable: options.durable,
        exclusive: options.exclusive,
        auto_delete: options.auto_delete,
        no_wait: options.no_wait,
        arguments,
        ..Default::default()
    }
    .into())
}

/// What `queue.declare` answered (the name asked for, and zeros, with no-wait).
pub(crate) fn queue_info(reply: Option<Method>, name: &str) -> QueueInfo {
    match reply {
        Some(Method::QueueDeclareOk(ok)) => QueueInfo {
            name: ok.queue.to_string(),
            message_count: ok.message_count,
            consumer_count: ok.consumer_count,
        },
        _ => QueueInfo {
            name: name.to_string(),
            message_count: 0,
            consumer_count: 0,
        },
    }
}

pub(crate) fn queue_bind(
    queue: &str,
    exchange: &str,
    routing_key: &str,
    options: NoWait,
    arguments: FieldTable,
) -> Result<Method, Error> {
    Ok(QueueBind {
        queue: short(queue, "queue name")?,
        exchange: short(exchange, "exchange name")?,
        routing_key: short(routing_key, "routing key")?,
        no_wait: options.no_wait,
        arguments,
        ..Default::default()
    }
    .into())
}

pub(crate) fn queue_unbind(
    queue: &str,
    exchange: &str,
    routing_key: &str,
    arguments: FieldTable,
) -> Result<Method, Error> {
    Ok(QueueUnbind {
        queue: short(queue, "queue name")?,
        exchange: short(exchange, "exchange name")?,
        routing_key: short(routing_key, "routing key")?,
        arguments,
        ..Default::default()
    }
    .into())
}

pub(crate) fn queue_purge(queue: &str, options: NoWait) -> Result<Method, Error> {
    Ok(QueuePurge {
        queue: short(queue, "queue name")?,
        no_wait: options.no_wait,
        ..Default::default()
    }
    .into())
}

pub(crate) fn queue_delete(queue: &str, options: QueueDeleteOptions) -> Result<Method, Error> {
    Ok(QueueDelete {
        queue: short(queue, "queue name")?,
        if_unused: options.if_unused,
        if_empty: options.if_empty,
        no_wait: options.no_wait,
        ..Default::default()
    }
    .into())
}

/// The message count of a `purge-ok` or `delete-ok` (0 with no-wait).
pub(crate) fn message_count(reply: Option<Method>) -> u32 {
    match reply {
        Some(Method::QueuePurgeOk(ok)) => ok.message_count,
        Some(Method::QueueDeleteOk(ok)) => ok.message_count,
        _ => 0,
    }
}

pub(crate) fn basic_qos(prefetch_count: u16, options: BasicQosOptions) -> Method {
    BasicQos {
        prefetch_size: options.prefetch_size,
        prefetch_count,
        global: options.global,
    }
    .into()
}

pub(crate) fn basic_get(queue: &str, options: BasicGetOptions) -> Result<Method, Error> {
    Ok(BasicGet {
        queue: short(queue, "queue name")?,
        no_ack: options.no_ack,
        ..Default::default()
    }
    .into())
}

/// `basic.consume` (an empty tag: the core makes one).
pub(crate) fn basic_consume(
    queue: &str,
    options: &BasicConsumeOptions,
    arguments: FieldTable,
) -> Result<BasicConsume, Error> {
    Ok(BasicConsume {
        queue: short(queue, "queue name")?,
        consumer_tag: short(&options.consumer_tag, "consumer tag")?,
        no_local: options.no_local,
        no_ack: options.no_ack,
        exclusive: options.exclusive,
        no_wait: options.no_wait,
        arguments,
        ..Default::default()
    })
}

pub(crate) fn basic_cancel(consumer_tag: &str, no_wait: bool) -> Result<Method, Error> {
    Ok(BasicCancel {
        consumer_tag: short(consumer_tag, "consumer tag")?,
        no_wait,
    }
    .into())
}

pub(crate) fn basic_ack(delivery_tag: u64, multiple: bool) -> Method {
    BasicAck {
        delivery_tag,
        multiple,
    }
    .into()
}

pub(crate) fn basic_nack(delivery_tag: u64, options: BasicNackOptions) -> Method {
    BasicNack {
        delivery_tag,
        multiple: options.multiple,
        requeue: options.requeue,
    }
    .into()
}

pub(crate) fn basic_reject(delivery_tag: u64, requeue: bool) -> Method {
    BasicReject {
        delivery_tag,
        requeue,
    }
    .into()
}

pub(crate) fn confirm_select(options: NoWait) -> Method {
    ConfirmSelect {
        nowait: options.no_wait,
    }
    .into()
}
