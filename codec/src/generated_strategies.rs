// GENERATED FILE - DO NOT EDIT.
// Made by `cargo run -p amqp091-spec --bin generate` from spec/amqp0-9-1.extended.xml.

//! A proptest strategy for every method of the spec.

use proptest::prelude::*;
use proptest::strategy::Union;

use super::{field_table, long_str, short_str};
use crate::method::*;
use crate::Method;

/// Any `connection.start`.
pub fn connection_start() -> impl Strategy<Value = ConnectionStart> {
    (
        any::<u8>(),
        any::<u8>(),
        field_table(),
        long_str(),
        long_str(),
    )
        .prop_map(
            |(version_major, version_minor, server_properties, mechanisms, locales)| {
                ConnectionStart {
                    version_major,
                    version_minor,
                    server_properties,
                    mechanisms,
                    locales,
                }
            },
        )
}

/// Any `connection.start-ok`.
pub fn connection_start_ok() -> impl Strategy<Value = ConnectionStartOk> {
    (field_table(), short_str(), long_str(), short_str()).prop_map(
        |(client_properties, mechanism, response, locale)| ConnectionStartOk {
            client_properties,
            mechanism,
            response,
            locale,
        },
    )
}

/// Any `connection.secure`.
pub fn connection_secure() -> impl Strategy<Value = ConnectionSecure> {
    (long_str(),).prop_map(|(challenge,)| ConnectionSecure { challenge })
}

/// Any `connection.secure-ok`.
pub fn connection_secure_ok() -> impl Strategy<Value = ConnectionSecureOk> {
    (long_str(),).prop_map(|(response,)| ConnectionSecureOk { response })
}

/// Any `connection.tune`.
pub fn connection_tune() -> impl Strategy<Value = ConnectionTune> {
    (any::<u16>(), any::<u32>(), any::<u16>()).prop_map(|(channel_max, frame_max, heartbeat)| {
        ConnectionTune {
            channel_max,
            frame_max,
            heartbeat,
        }
    })
}

/// Any `connection.tune-ok`.
pub fn connection_tune_ok() -> impl Strategy<Value = ConnectionTuneOk> {
    (any::<u16>(), any::<u32>(), any::<u16>()).prop_map(|(channel_max, frame_max, heartbeat)| {
        ConnectionTuneOk {
            channel_max,
            frame_max,
            heartbeat,
        }
    })
}

/// Any `connection.open`.
pub fn connection_open() -> impl Strategy<Value = ConnectionOpen> {
    (short_str(), short_str(), any::<bool>()).prop_map(|(virtual_host, reserved_1, reserved_2)| {
        ConnectionOpen {
            virtual_host,
            reserved_1,
            reserved_2,
        }
    })
}

/// Any `connection.open-ok`.
pub fn connection_open_ok() -> impl Strategy<Value = ConnectionOpenOk> {
    (short_str(),).prop_map(|(reserved_1,)| ConnectionOpenOk { reserved_1 })
}

/// Any `connection.close`.
pub fn connection_close() -> impl Strategy<Value = ConnectionClose> {
    (any::<u16>(), short_str(), any::<u16>(), any::<u16>()).prop_map(
        |(reply_code, reply_text, class_id, method_id)| ConnectionClose {
            reply_code,
            reply_text,
            class_id,
            method_id,
        },
    )
}

/// Any `connection.close-ok`.
pub fn connection_close_ok() -> impl Strategy<Value = ConnectionCloseOk> {
    Just(ConnectionCloseOk {})
}

/// Any `connection.blocked`.
pub fn connection_blocked() -> impl Strategy<Value = ConnectionBlocked> {
    (short_str(),).prop_map(|(reason,)| ConnectionBlocked { reason })
}

/// Any `connection.unblocked`.
pub fn connection_unblocked() -> impl Strategy<Value = ConnectionUnblocked> {
    Just(ConnectionUnblocked {})
}

/// Any `connection.update-secret`.
pub fn connection_update_secret() -> impl Strategy<Value = ConnectionUpdateSecret> {
    (long_str(), short_str())
        .prop_map(|(new_secret, reason)| ConnectionUpdateSecret { new_secret, reason })
}

/// Any `connection.update-secret-ok`.
pub fn connection_update_secret_ok() -> impl Strategy<Value = ConnectionUpdateSecretOk> {
    Just(ConnectionUpdateSecretOk {})
}

/// Any `channel.open`.
pub fn channel_open() -> impl Strategy<Value = ChannelOpen> {
    (short_str(),).prop_map(|(reserved_1,)| ChannelOpen { reserved_1 })
}

/// Any `channel.open-ok`.
pub fn channel_open_ok() -> impl Strategy<Value = ChannelOpenOk> {
    (long_str(),).prop_map(|(reserved_1,)| ChannelOpenOk { reserved_1 })
}

/// Any `channel.flow`.
pub fn channel_flow() -> impl Strategy<Value = ChannelFlow> {
    (any::<bool>(),).prop_map(|(active,)| ChannelFlow { active })
}

/// Any `channel.flow-ok`.
pub fn channel_flow_ok() -> impl Strategy<Value = ChannelFlowOk> {
    (any::<bool>(),).prop_map(|(active,)| ChannelFlowOk { active })
}

/// Any `channel.close`.
pub fn channel_close() -> impl Strategy<Value = ChannelClose> {
    (any::<u16>(), short_str(), any::<u16>(), any::<u16>()).prop_map(
        |(reply_code, reply_text, class_id, method_id)| ChannelClose {
            reply_code,
            reply_text,
            class_id,
            method_id,
        },
    )
}

/// Any `channel.close-ok`.
pub fn channel_close_ok() -> impl Strategy<Value = ChannelCloseOk> {
    Just(ChannelCloseOk {})
}

/// Any `exchange.declare`.
pub fn exchange_declare() -> impl Strategy<Value = ExchangeDeclare> {
    (
        any::<u16>(),
        short_str(),
        short_str(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        field_table(),
    )
        .prop_map(
            |(
                reserved_1,
                exchange,
                kind,
                passive,
                durable,
                auto_delete,
                internal,
                no_wait,
                arguments,
            )| ExchangeDeclare {
                reserved_1,
                exchange,
                kind,
                passive,
                durable,
                auto_delete,
                internal,
                no_wait,
                arguments,
            },
        )
}

/// Any `exchange.declare-ok`.
pub fn exchange_declare_ok() -> impl Strategy<Value = ExchangeDeclareOk> {
    Just(ExchangeDeclareOk {})
}

/// Any `exchange.delete`.
pub fn exchange_delete() -> impl Strategy<Value = ExchangeDelete> {
    (any::<u16>(), short_str(), any::<bool>(), any::<bool>()).prop_map(
        |(reserved_1, exchange, if_unused, no_wait)| ExchangeDelete {
            reserved_1,
            exchange,
            if_unused,
            no_wait,
        },
    )
}

/// Any `exchange.delete-ok`.
pub fn exchange_delete_ok() -> impl Strategy<Value = ExchangeDeleteOk> {
    Just(ExchangeDeleteOk {})
}

/// Any `exchange.bind`.
pub fn exchange_bind() -> impl Strategy<Value = ExchangeBind> {
    (
        any::<u16>(),
        short_str(),
        short_str(),
        short_str(),
        any::<bool>(),
        field_table(),
    )
        .prop_map(
            |(reserved_1, destination, source, routing_key, no_wait, arguments)| ExchangeBind {
                reserved_1,
                destination,
                source,
                routing_key,
                no_wait,
                arguments,
            },
        )
}

/// Any `exchange.bind-ok`.
pub fn exchange_bind_ok() -> impl Strategy<Value = ExchangeBindOk> {
    Just(ExchangeBindOk {})
}

/// Any `exchange.unbind`.
pub fn exchange_unbind() -> impl Strategy<Value = ExchangeUnbind> {
    (
        any::<u16>(),
        short_str(),
        short_str(),
        short_str(),
        any::<bool>(),
        field_table(),
    )
        .prop_map(
            |(reserved_1, destination, source, routing_key, no_wait, arguments)| ExchangeUnbind {
                reserved_1,
                destination,
                source,
                routing_key,
                no_wait,
                arguments,
            },
        )
}

/// Any `exchange.unbind-ok`.
pub fn exchange_unbind_ok() -> impl Strategy<Value = ExchangeUnbindOk> {
    Just(ExchangeUnbindOk {})
}

/// Any `queue.declare`.
pub fn queue_declare() -> impl Strategy<Value = QueueDeclare> {
    (
        any::<u16>(),
        short_str(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        field_table(),
    )
        .prop_map(
            |(reserved_1, queue, passive, durable, exclusive, auto_delete, no_wait, arguments)| {
                QueueDeclare {
                    reserved_1,
                    queue,
                    passive,
                    durable,
                    exclusive,
                    auto_delete,
                    no_wait,
                    arguments,
                }
            },
        )
}

/// Any `queue.declare-ok`.
pub fn queue_declare_ok() -> impl Strategy<Value = QueueDeclareOk> {
    (short_str(), any::<u32>(), any::<u32>()).prop_map(|(queue, message_count, consumer_count)| {
        QueueDeclareOk {
            queue,
            message_count,
            consumer_count,
        }
    })
}

/// Any `queue.bind`.
pub fn queue_bind() -> impl Strategy<Value = QueueBind> {
    (
        any::<u16>(),
        short_str(),
        short_str(),
        short_str(),
        any::<bool>(),
        field_table(),
    )
        .prop_map(
            |(reserved_1, queue, exchange, routing_key, no_wait, arguments)| QueueBind {
                reserved_1,
                queue,
                exchange,
                routing_key,
                no_wait,
                arguments,
            },
        )
}

/// Any `queue.bind-ok`.
pub fn queue_bind_ok() -> impl Strategy<Value = QueueBindOk> {
    Just(QueueBindOk {})
}

/// Any `queue.unbind`.
pub fn queue_unbind() -> impl Strategy<Value = QueueUnbind> {
    (
        any::<u16>(),
        short_str(),
        short_str(),
        short_str(),
        field_table(),
    )
        .prop_map(
            |(reserved_1, queue, exchange, routing_key, arguments)| QueueUnbind {
                reserved_1,
                queue,
                exchange,
                routing_key,
                arguments,
            },
        )
}

/// Any `queue.unbind-ok`.
pub fn queue_unbind_ok() -> impl Strategy<Value = QueueUnbindOk> {
    Just(QueueUnbindOk {})
}

/// Any `queue.purge`.
pub fn queue_purge() -> impl Strategy<Value = QueuePurge> {
    (any::<u16>(), short_str(), any::<bool>()).prop_map(|(reserved_1, queue, no_wait)| QueuePurge {
        reserved_1,
        queue,
        no_wait,
    })
}

/// Any `queue.purge-ok`.
pub fn queue_purge_ok() -> impl Strategy<Value = QueuePurgeOk> {
    (any::<u32>(),).prop_map(|(message_count,)| QueuePurgeOk { message_count })
}

/// Any `queue.delete`.
pub fn queue_delete() -> impl Strategy<Value = QueueDelete> {
    (
        any::<u16>(),
        short_str(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(reserved_1, queue, if_unused, if_empty, no_wait)| QueueDelete {
                reserved_1,
                queue,
                if_unused,
                if_empty,
                no_wait,
            },
        )
}

/// Any `queue.delete-ok`.
pub fn queue_delete_ok() -> impl Strategy<Value = QueueDeleteOk> {
    (any::<u32>(),).prop_map(|(message_count,)| QueueDeleteOk { message_count })
}

/// Any `basic.qos`.
pub fn basic_qos() -> impl Strategy<Value = BasicQos> {
    (any::<u32>(), any::<u16>(), any::<bool>()).prop_map(
        |(prefetch_size, prefetch_count, global)| BasicQos {
            prefetch_size,
            prefetch_count,
            global,
        },
    )
}

/// Any `basic.qos-ok`.
pub fn basic_qos_ok() -> impl Strategy<Value = BasicQosOk> {
    Just(BasicQosOk {})
}

/// Any `basic.consume`.
pub fn basic_consume() -> impl Strategy<Value = BasicConsume> {
    (
        any::<u16>(),
        short_str(),
        short_str(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        field_table(),
    )
        .prop_map(
            |(reserved_1, queue, consumer_tag, no_local, no_ack, exclusive, no_wait, arguments)| {
                BasicConsume {
                    reserved_1,
                    queue,
                    consumer_tag,
                    no_local,
                    no_ack,
                    exclusive,
                    no_wait,
                    arguments,
                }
            },
        )
}

/// Any `basic.consume-ok`.
pub fn basic_consume_ok() -> impl Strategy<Value = BasicConsumeOk> {
    (short_str(),).prop_map(|(consumer_tag,)| BasicConsumeOk { consumer_tag })
}

/// Any `basic.cancel`.
pub fn basic_cancel() -> impl Strategy<Value = BasicCancel> {
    (short_str(), any::<bool>()).prop_map(|(consumer_tag, no_wait)| BasicCancel {
        consumer_tag,
        no_wait,
    })
}

/// Any `basic.cancel-ok`.
pub fn basic_cancel_ok() -> impl Strategy<Value = BasicCancelOk> {
    (short_str(),).prop_map(|(consumer_tag,)| BasicCancelOk { consumer_tag })
}

/// Any `basic.publish`.
pub fn basic_publish() -> impl Strategy<Value = BasicPublish> {
    (
        any::<u16>(),
        short_str(),
        short_str(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(reserved_1, exchange, routing_key, mandatory, immediate)| BasicPublish {
                reserved_1,
                exchange,
                routing_key,
                mandatory,
                immediate,
            },
        )
}

/// Any `basic.return`.
pub fn basic_return() -> impl Strategy<Value = BasicReturn> {
    (any::<u16>(), short_str(), short_str(), short_str()).prop_map(
        |(reply_code, reply_text, exchange, routing_key)| BasicReturn {
            reply_code,
            reply_text,
            exchange,
            routing_key,
        },
    )
}

/// Any `basic.deliver`.
pub fn basic_deliver() -> impl Strategy<Value = BasicDeliver> {
    (
        short_str(),
        any::<u64>(),
        any::<bool>(),
        short_str(),
        short_str(),
    )
        .prop_map(
            |(consumer_tag, delivery_tag, redelivered, exchange, routing_key)| BasicDeliver {
                consumer_tag,
                delivery_tag,
                redelivered,
                exchange,
                routing_key,
            },
        )
}

/// Any `basic.get`.
pub fn basic_get() -> impl Strategy<Value = BasicGet> {
    (any::<u16>(), short_str(), any::<bool>()).prop_map(|(reserved_1, queue, no_ack)| BasicGet {
        reserved_1,
        queue,
        no_ack,
    })
}

/// Any `basic.get-ok`.
pub fn basic_get_ok() -> impl Strategy<Value = BasicGetOk> {
    (
        any::<u64>(),
        any::<bool>(),
        short_str(),
        short_str(),
        any::<u32>(),
    )
        .prop_map(
            |(delivery_tag, redelivered, exchange, routing_key, message_count)| BasicGetOk {
                delivery_tag,
                redelivered,
                exchange,
                routing_key,
                message_count,
            },
        )
}

/// Any `basic.get-empty`.
pub fn basic_get_empty() -> impl Strategy<Value = BasicGetEmpty> {
    (short_str(),).prop_map(|(reserved_1,)| BasicGetEmpty { reserved_1 })
}

/// Any `basic.ack`.
pub fn basic_ack() -> impl Strategy<Value = BasicAck> {
    (any::<u64>(), any::<bool>()).prop_map(|(delivery_tag, multiple)| BasicAck {
        delivery_tag,
        multiple,
    })
}

/// Any `basic.reject`.
pub fn basic_reject() -> impl Strategy<Value = BasicReject> {
    (any::<u64>(), any::<bool>()).prop_map(|(delivery_tag, requeue)| BasicReject {
        delivery_tag,
        requeue,
    })
}

/// Any `basic.recover-async`.
pub fn basic_recover_async() -> impl Strategy<Value = BasicRecoverAsync> {
    (any::<bool>(),).prop_map(|(requeue,)| BasicRecoverAsync { requeue })
}

/// Any `basic.recover`.
pub fn basic_recover() -> impl Strategy<Value = BasicRecover> {
    (any::<bool>(),).prop_map(|(requeue,)| BasicRecover { requeue })
}

/// Any `basic.recover-ok`.
pub fn basic_recover_ok() -> impl Strategy<Value = BasicRecoverOk> {
    Just(BasicRecoverOk {})
}

/// Any `basic.nack`.
pub fn basic_nack() -> impl Strategy<Value = BasicNack> {
    (any::<u64>(), any::<bool>(), any::<bool>()).prop_map(|(delivery_tag, multiple, requeue)| {
        BasicNack {
            delivery_tag,
            multiple,
            requeue,
        }
    })
}

/// Any `tx.select`.
pub fn tx_select() -> impl Strategy<Value = TxSelect> {
    Just(TxSelect {})
}

/// Any `tx.select-ok`.
pub fn tx_select_ok() -> impl Strategy<Value = TxSelectOk> {
    Just(TxSelectOk {})
}

/// Any `tx.commit`.
pub fn tx_commit() -> impl Strategy<Value = TxCommit> {
    Just(TxCommit {})
}

/// Any `tx.commit-ok`.
pub fn tx_commit_ok() -> impl Strategy<Value = TxCommitOk> {
    Just(TxCommitOk {})
}

/// Any `tx.rollback`.
pub fn tx_rollback() -> impl Strategy<Value = TxRollback> {
    Just(TxRollback {})
}

/// Any `tx.rollback-ok`.
pub fn tx_rollback_ok() -> impl Strategy<Value = TxRollbackOk> {
    Just(TxRollbackOk {})
}

/// Any `confirm.select`.
pub fn confirm_select() -> impl Strategy<Value = ConfirmSelect> {
    (any::<bool>(),).prop_map(|(nowait,)| ConfirmSelect { nowait })
}

/// Any `confirm.select-ok`.
pub fn confirm_select_ok() -> impl Strategy<Value = ConfirmSelectOk> {
    Just(ConfirmSelectOk {})
}

/// Any method the spec defines, uniformly over methods.
pub fn known_method() -> impl Strategy<Value = Method> {
    Union::new(vec![
        connection_start().prop_map(Method::from).boxed(),
        connection_start_ok().prop_map(Method::from).boxed(),
        connection_secure().prop_map(Method::from).boxed(),
        connection_secure_ok().prop_map(Method::from).boxed(),
        connection_tune().prop_map(Method::from).boxed(),
        connection_tune_ok().prop_map(Method::from).boxed(),
        connection_open().prop_map(Method::from).boxed(),
        connection_open_ok().prop_map(Method::from).boxed(),
        connection_close().prop_map(Method::from).boxed(),
        connection_close_ok().prop_map(Method::from).boxed(),
        connection_blocked().prop_map(Method::from).boxed(),
        connection_unblocked().prop_map(Method::from).boxed(),
        connection_update_secret().prop_map(Method::from).boxed(),
        connection_update_secret_ok().prop_map(Method::from).boxed(),
        channel_open().prop_map(Method::from).boxed(),
        channel_open_ok().prop_map(Method::from).boxed(),
        channel_flow().prop_map(Method::from).boxed(),
        channel_flow_ok().prop_map(Method::from).boxed(),
        channel_close().prop_map(Method::from).boxed(),
        channel_close_ok().prop_map(Method::from).boxed(),
        exchange_declare().prop_map(Method::from).boxed(),
        exchange_declare_ok().prop_map(Method::from).boxed(),
        exchange_delete().prop_map(Method::from).boxed(),
        exchange_delete_ok().prop_map(Method::from).boxed(),
        exchange_bind().prop_map(Method::from).boxed(),
        exchange_bind_ok().prop_map(Method::from).boxed(),
        exchange_unbind().prop_map(Method::from).boxed(),
        exchange_unbind_ok().prop_map(Method::from).boxed(),
        queue_declare().prop_map(Method::from).boxed(),
        queue_declare_ok().prop_map(Method::from).boxed(),
        queue_bind().prop_map(Method::from).boxed(),
        queue_bind_ok().prop_map(Method::from).boxed(),
        queue_unbind().prop_map(Method::from).boxed(),
        queue_unbind_ok().prop_map(Method::from).boxed(),
        queue_purge().prop_map(Method::from).boxed(),
        queue_purge_ok().prop_map(Method::from).boxed(),
        queue_delete().prop_map(Method::from).boxed(),
        queue_delete_ok().prop_map(Method::from).boxed(),
        basic_qos().prop_map(Method::from).boxed(),
        basic_qos_ok().prop_map(Method::from).boxed(),
        basic_consume().prop_map(Method::from).boxed(),
        basic_consume_ok().prop_map(Method::from).boxed(),
        basic_cancel().prop_map(Method::from).boxed(),
        basic_cancel_ok().prop_map(Method::from).boxed(),
        basic_publish().prop_map(Method::from).boxed(),
        basic_return().prop_map(Method::from).boxed(),
        basic_deliver().prop_map(Method::from).boxed(),
        basic_get().prop_map(Method::from).boxed(),
        basic_get_ok().prop_map(Method::from).boxed(),
        basic_get_empty().prop_map(Method::from).boxed(),
        basic_ack().prop_map(Method::from).boxed(),
        basic_reject().prop_map(Method::from).boxed(),
        basic_recover_async().prop_map(Method::from).boxed(),
        basic_recover().prop_map(Method::from).boxed(),
        basic_recover_ok().prop_map(Method::from).boxed(),
        basic_nack().prop_map(Method::from).boxed(),
        tx_select().prop_map(Method::from).boxed(),
        tx_select_ok().prop_map(Method::from).boxed(),
        tx_commit().prop_map(Method::from).boxed(),
        tx_commit_ok().prop_map(Method::from).boxed(),
        tx_rollback().prop_map(Method::from).boxed(),
        tx_rollback_ok().prop_map(Method::from).boxed(),
        confirm_select().prop_map(Method::from).boxed(),
        confirm_select_ok().prop_map(Method::from).boxed(),
    ])
}
