//! One set of integration scenarios, run against the real broker by both
//! front ends: `scenarios!` expands the same test bodies once for the tokio
//! client (`async fn`, `.await`) and once for the blocking client (`fn`),
//! so neither API can drift from the other. `aw!` is `.await` for one and
//! nothing for the other; `h::` are small helpers each API has its own
//! version of (a bounded wait for a delivery, a temporary queue).

mod common;

use std::time::Duration;

/// How long a helper waits for a delivery before the test fails.
const WAIT: Duration = Duration::from_secs(60);

macro_rules! aw_async {
    ($e:expr) => {
        $e.await
    };
}
macro_rules! aw_sync {
    ($e:expr) => {
        $e
    };
}

mod async_helpers {
    use amqp091::{Channel, Consumer, Delivery, Error, FieldTable, QueueDeclareOptions};

    pub async fn connect(query: &str) -> Result<amqp091::Connection, Error> {
        amqp091::Connection::connect(&format!("{}{query}", super::common::broker_url())).await
    }

    pub async fn temp_queue(ch: &Channel) -> Result<String, Error> {
        let exclusive = QueueDeclareOptions {
            exclusive: true,
            ..Default::default()
        };
        Ok(ch
            .queue_declare("", exclusive, FieldTable::new())
            .await?
            .name)
    }

    pub async fn recv(c: &mut Consumer) -> Delivery {
        tokio::time::timeout(super::WAIT, c.recv())
            .await
            .expect("a delivery within 60 s")
            .expect("the consumer is running")
    }
}

mod blocking_helpers {
    use amqp091::blocking::{Channel, Consumer, Delivery, Error, FieldTable, QueueDeclareOptions};

    pub fn connect(query: &str) -> Result<amqp091::blocking::Connection, Error> {
        amqp091::blocking::Connection::connect(&format!("{}{query}", super::common::broker_url()))
    }

    pub fn temp_queue(ch: &Channel) -> Result<String, Error> {
        let exclusive = QueueDeclareOptions {
            exclusive: true,
            ..Default::default()
        };
        Ok(ch.queue_declare("", exclusive, FieldTable::new())?.name)
    }

    pub fn recv(c: &mut Consumer) -> Delivery {
        c.recv_timeout(super::WAIT).expect("a delivery within 60 s")
    }
}

macro_rules! scenarios {
    ($name:ident, $($api:ident)::+, $helpers:ident, $aw:ident, [$($test:tt)*], $($asyncness:ident)?) => {
        mod $name {
            use $($api)::+::{
                BasicAckOptions, BasicConsumeOptions, BasicGetOptions, BasicNackOptions,
                BasicProperties, BasicPublishOptions, BasicRejectOptions, Confirm, ConsumerEnd,
                Error, ExchangeDeclareOptions, FieldTable, Initiator, NoWait, QueueDeclareOptions,
                QueueDeleteOptions, ReplyCode,
            };
            use super::$helpers as h;

            fn props() -> BasicProperties {
                BasicProperties::default()
            }

            $($test)*
            $($asyncness)? fn every_queue_and_exchange_method() -> Result<(), Error> {
                let conn = $aw!(h::connect(""))?;
                let ch = $aw!(conn.open_channel())?;
                let ex = super::common::unique("matrix-ex");
                let auto = ExchangeDeclareOptions { auto_delete: true, ..Default::default() };
                $aw!(ch.exchange_declare(&ex, "direct", auto, FieldTable::new()))?;
                let ex2 = super::common::unique("matrix-ex2");
                $aw!(ch.exchange_declare(&ex2, "fanout", auto, FieldTable::new()))?;
                let q = $aw!(h::temp_queue(&ch))?;
                // Bound first: an auto-delete exchange goes with its last binding.
                $aw!(ch.queue_bind(&q, &ex, "k", NoWait::default(), FieldTable::new()))?;
                $aw!(ch.exchange_bind(&ex2, &ex, "k", NoWait::default(), FieldTable::new()))?;
                $aw!(ch.exchange_unbind(&ex2, &ex, "k", NoWait::default(), FieldTable::new()))?;
                for i in 0..3u8 {
                    $aw!(ch.basic_publish(&ex, "k", BasicPublishOptions::default(), &props(), &[i][..]))?;
                }
                let passive = QueueDeclareOptions { passive: true, ..Default::default() };
                // The get waits for the publishes before it (one channel, in order).
                let got = $aw!(ch.basic_get(&q, BasicGetOptions::default()))?.expect("a message");
                assert_eq!(&got.body[..], &[0]);
                assert_eq!(got.message_count, 2);
                $aw!(got.ack(BasicAckOptions::default()))?;
                let info = $aw!(ch.queue_declare(&q, passive, FieldTable::new()))?;
                assert_eq!(info.message_count, 2);
                assert_eq!($aw!(ch.queue_purge(&q, NoWait::default()))?, 2);
                assert!($aw!(ch.basic_get(&q, BasicGetOptions::default()))?.is_none());
                $aw!(ch.basic_qos(10, Default::default()))?;
                $aw!(ch.exchange_delete(&ex2, Default::default()))?;
                $aw!(ch.queue_unbind(&q, &ex, "k", FieldTable::new()))?;
                assert_eq!($aw!(ch.queue_delete(&q, QueueDeleteOptions::default()))?, 0);
                $aw!(ch.close())?;
                assert!(!ch.is_open());
                $aw!(conn.close())?;
                Ok(())
            }

            $($test)*
            $($asyncness)? fn a_404_closes_the_channel_and_later_calls_say_so() -> Result<(), Error> {
                let conn = $aw!(h::connect(""))?;
                let ch = $aw!(conn.open_channel())?;
                let passive = QueueDeclareOptions { passive: true, ..Default::default() };
                let missing = super::common::unique("matrix-missing");
                let err = $aw!(ch.queue_declare(&missing, passive, FieldTable::new())).unwrap_err();
                assert!(
                    matches!(&err, Error::ChannelClosed { reason, by: Initiator::Server, .. }
                        if reason.code == ReplyCode::NOT_FOUND && reason.method_name() == Some("queue.declare")),
                    "{err}"
                );
                let later = $aw!(ch.queue_purge(&missing, NoWait::default())).unwrap_err();
                assert_eq!(later.reply_code(), Some(ReplyCode::NOT_FOUND), "{later}");
                assert_eq!(ch.close_reason().and_then(|e| e.reply_code()), Some(ReplyCode::NOT_FOUND));
                assert_eq!($aw!(ch.closed()).reply_code(), Some(ReplyCode::NOT_FOUND));
                // The connection and its other channels go on.
                let other = $aw!(conn.open_channel())?;
                $aw!(h::temp_queue(&other))?;
                assert!(conn.is_open());
                $aw!(conn.close())?;
                Ok(())
            }

            $($test)*
            $($asyncness)? fn a_406_for_an_exchange_of_another_type() -> Result<(), Error> {
                let conn = $aw!(h::connect(""))?;
                let ch = $aw!(conn.open_channel())?;
                let ex = super::common::unique("matrix-406");
                let auto = ExchangeDeclareOptions { auto_delete: true, ..Default::default() };
                $aw!(ch.exchange_declare(&ex, "direct", auto, FieldTable::new()))?;
                let err = $aw!(ch.exchange_declare(&ex, "fanout", auto, FieldTable::new())).unwrap_err();
                assert_eq!(err.reply_code(), Some(ReplyCode::PRECONDITION_FAILED), "{err}");
                // A publish to a missing exchange cannot fail the call; the channel's end says why.
                let ch = $aw!(conn.open_channel())?;
                let missing = super::common::unique("matrix-noex");
                $aw!(ch.basic_publish(&missing, "k", BasicPublishOptions::default(), &props(), "x"))?;
                assert_eq!($aw!(ch.closed()).reply_code(), Some(ReplyCode::NOT_FOUND));
                $aw!(conn.close())?;
                Ok(())
            }

            $($test)*
            $($asyncness)? fn confirms_acks_and_a_returned_mandatory_publish() -> Result<(), Error> {
                let conn = $aw!(h::connect(""))?;
                let ch = $aw!(conn.open_channel())?;
                $aw!(ch.confirm_select(NoWait::default()))?;
                let mut returns = ch.returns()?;
                let q = $aw!(h::temp_queue(&ch))?;
                let mut confirms = Vec::new();
                for i in 0..200u32 {
                    let body = i.to_be_bytes();
                    confirms.push($aw!(ch.basic_publish("", &q, BasicPublishOptions::default(), &props(), &body[..]))?);
                }
                for (i, c) in confirms.into_iter().enumerate() {
                    assert_eq!(c.sequence(), Some(i as u64 + 1));
                    assert_eq!($aw!(c.wait())?, Confirm::Ack);
                }
                let mandatory = BasicPublishOptions { mandatory: true, ..Default::default() };
                let nowhere = super::common::unique("matrix-noroute");
                let c = $aw!(ch.basic_publish("", &nowhere, mandatory, &props(), "lost"))?;
                match $aw!(c.wait())? {
                    Confirm::Returned(m) => {
                        assert_eq!(m.reply_code, ReplyCode(312));
                        assert_eq!(&m.body[..], b"lost");
                    }
                    other => panic!("expected Returned, got {other:?}"),
                }
                let returned = $aw!(returns.recv()).expect("the collector hears of it too");
                assert_eq!(returned.routing_key.as_str(), Some(nowhere.as_str()));
                // A channel not in confirm mode: nothing to wait for.
                let plain = $aw!(conn.open_channel())?;
                let c = $aw!(plain.basic_publish("", &q, BasicPublishOptions::default(), &props(), "x"))?;
                assert_eq!($aw!(c.wait())?, Confirm::NotRequested);
                $aw!(conn.close())?;
                Ok(())
            }

            $($test)*
            $($asyncness)? fn consumer_in_order_with_ack_nack_reject_and_cancel() -> Result<(), Error> {
                let conn = $aw!(h::connect(""))?;
                let ch = $aw!(conn.open_channel())?;
                let q = $aw!(h::temp_queue(&ch))?;
                for i in 0..50u32 {
                    $aw!(ch.basic_publish("", &q, BasicPublishOptions::default(), &props(), &i.to_be_bytes()[..]))?;
                }
                let mut consumer = $aw!(ch.basic_consume(&q, BasicConsumeOptions::default(), FieldTable::new()))?;
                for i in 0..50u32 {
                    let d = $aw!(h::recv(&mut consumer));
                    assert_eq!(&d.body[..], &i.to_be_bytes());
                    match i {
                        // Requeued: comes back after the others, redelivered.
                        7 => $aw!(d.nack(BasicNackOptions { requeue: true, ..Default::default() }))?,
                        8 => $aw!(d.reject(BasicRejectOptions { requeue: false }))?,
                        _ => $aw!(d.ack(BasicAckOptions::default()))?,
                    }
                }
                let again = $aw!(h::recv(&mut consumer));
                assert!(again.redelivered);
                assert_eq!(&again.body[..], &7u32.to_be_bytes());
                $aw!(again.ack(BasicAckOptions::default()))?;
                $aw!(consumer.cancel())?;
                assert!($aw!(consumer.recv()).is_none(), "the queue ends after a cancel");
                assert!(matches!(consumer.end_reason(), Some(ConsumerEnd::Cancelled)));
                $aw!(conn.close())?;
                Ok(())
            }

            $($test)*
            $($asyncness)? fn the_consumer_capacity_bounds_what_the_broker_sends() -> Result<(), Error> {
                let conn = $aw!(h::connect(""))?;
                let ch = $aw!(conn.open_channel())?;
                let q = $aw!(h::temp_queue(&ch))?;
                for _ in 0..200 {
                    $aw!(ch.basic_publish("", &q, BasicPublishOptions::default(), &props(), "m"))?;
                }
                // No prefetch on the channel: the core sends basic.qos with the capacity.
                let opts = BasicConsumeOptions { capacity: Some(10), ..Default::default() };
                let mut consumer = $aw!(ch.basic_consume(&q, opts, FieldTable::new()))?;
                assert_eq!(consumer.capacity(), 10);
                let first = $aw!(h::recv(&mut consumer));
                let passive = QueueDeclareOptions { passive: true, ..Default::default() };
                let other = $aw!(conn.open_channel())?;
                let ready = $aw!(other.queue_declare(&q, passive, FieldTable::new()))?.message_count;
                assert!(ready >= 190, "at most 10 unacknowledged sent, {ready} still ready");
                assert!(consumer.len() <= 10);
                $aw!(first.ack(BasicAckOptions::default()))?;
                for _ in 1..200 {
                    let d = $aw!(h::recv(&mut consumer));
                    $aw!(d.ack(BasicAckOptions::default()))?;
                }
                $aw!(conn.close())?;
                Ok(())
            }

            $($test)*
            $($asyncness)? fn a_deleted_queue_ends_its_consumer() -> Result<(), Error> {
                let conn = $aw!(h::connect(""))?;
                let ch = $aw!(conn.open_channel())?;
                let q = $aw!(h::temp_queue(&ch))?;
                let mut consumer = $aw!(ch.basic_consume(&q, BasicConsumeOptions::default(), FieldTable::new()))?;
                let other = $aw!(conn.open_channel())?;
                $aw!(other.queue_delete(&q, QueueDeleteOptions::default()))?;
                assert!(matches!($aw!(consumer.next_delivery()), Err(ConsumerEnd::CancelledByServer)));
                $aw!(conn.close())?;
                Ok(())
            }

            $($test)*
            $($asyncness)? fn transactions_commit_and_roll_back() -> Result<(), Error> {
                let conn = $aw!(h::connect(""))?;
                let ch = $aw!(conn.open_channel())?;
                let q = $aw!(h::temp_queue(&ch))?;
                $aw!(ch.tx_select())?;
                $aw!(ch.basic_publish("", &q, BasicPublishOptions::default(), &props(), "dropped"))?;
                $aw!(ch.tx_rollback())?;
                assert!($aw!(ch.basic_get(&q, BasicGetOptions { no_ack: true }))?.is_none());
                $aw!(ch.basic_publish("", &q, BasicPublishOptions::default(), &props(), "kept"))?;
                $aw!(ch.tx_commit())?;
                let got = $aw!(ch.basic_get(&q, BasicGetOptions { no_ack: true }))?.expect("committed");
                assert_eq!(&got.body[..], b"kept");
                $aw!(ch.basic_recover(true))?;
                $aw!(conn.close())?;
                Ok(())
            }

            $($test)*
            $($asyncness)? fn heartbeats_and_server_properties_are_negotiated() -> Result<(), Error> {
                let conn = $aw!(h::connect("?heartbeat=7"))?;
                assert_eq!(conn.tuning().heartbeat, 7);
                assert!(conn.tuning().frame_max >= 4096);
                assert!(conn.server_properties().get("product").is_some());
                assert_eq!(conn.blocked(), None);
                $aw!(conn.update_secret(b"guest", "matrix"))
                    .or_else(|e| if e.reply_code().is_some() { Ok(()) } else { Err(e) })?;
                $aw!(conn.close())?;
                Ok(())
            }

            $($test)*
            $($asyncness)? fn a_closed_connection_fails_every_call_with_its_reason() -> Result<(), Error> {
                let conn = $aw!(h::connect(""))?;
                let ch = $aw!(conn.open_channel())?;
                $aw!(conn.close())?;
                assert!(!conn.is_open());
                let err = $aw!(conn.open_channel()).unwrap_err();
                assert!(matches!(&err, Error::ConnectionClosed { by: Initiator::Application, .. }), "{err}");
                let err = $aw!(ch.queue_declare("x", Default::default(), FieldTable::new())).unwrap_err();
                assert!(matches!(&err, Error::ConnectionClosed { .. } | Error::ChannelClosed { .. }), "{err}");
                assert!(matches!($aw!(conn.closed()), Error::ConnectionClosed { .. }));
                Ok(())
            }
        }
    };
}

scenarios!(
    tokio_client,
    amqp091,
    async_helpers,
    aw_async,
    [#[tokio::test(flavor = "multi_thread", worker_threads = 2)]],
    async
);
scenarios!(blocking_client, amqp091::blocking, blocking_helpers, aw_sync, [#[test]],);
