//! Class `confirm` (RabbitMQ's publisher confirms; run when the broker
//! advertises `publisher_confirms`).

use amqp091_codec::method::{BasicPublish, ConfirmSelect, TxSelect};
use amqp091_codec::{BasicProperties, Method};

use super::code::*;
use super::{scenario_if, Entry, Needs};
use crate::scenario::short;

const C: &str = "confirm";
const NEEDS: Needs = Needs::Capability("publisher_confirms");

/// The entries of class `confirm`.
pub(crate) const ENTRIES: &[Entry] = &[
    scenario_if(
        "confirm/select/ack",
        C,
        "on a confirm channel a routed publish is acknowledged with delivery-tag 1",
        NEEDS,
        |s| {
            let q = s.queue("q");
            s.channel(1)
                .declare_queue(1, &q)
                .call(1, ConfirmSelect { nowait: false }, "confirm.select-ok")
                .publish(1, "", &q, b"m")
                .expect_check(1, "basic.ack", "delivery-tag 1", |r| match &r.method {
                    Method::BasicAck(a) if a.delivery_tag == 1 => Ok(()),
                    _ => Err("another delivery-tag".into()),
                });
        },
    ),
    scenario_if(
        "confirm/select/return-before-ack",
        C,
        "an unroutable mandatory publish on a confirm channel is returned (312), then acknowledged",
        NEEDS,
        |s| {
            let nowhere = s.name("nowhere");
            s.channel(1)
                .call(1, ConfirmSelect { nowait: false }, "confirm.select-ok")
                .publish_with(
                    1,
                    BasicPublish {
                        exchange: short("amq.direct"),
                        routing_key: short(&nowhere),
                        mandatory: true,
                        ..Default::default()
                    },
                    BasicProperties::default(),
                    b"m",
                )
                .expect_method(1, "basic.return")
                .expect_method(1, "basic.ack");
        },
    ),
    scenario_if(
        "confirm/select/not-with-tx",
        C,
        "tx.select on a confirm channel is a channel error 406",
        NEEDS,
        |s| {
            s.channel(1)
                .call(1, ConfirmSelect { nowait: false }, "confirm.select-ok")
                .send(1, TxSelect {})
                .expect_channel_close(1, &[PRECONDITION_FAILED]);
        },
    ),
    scenario_if(
        "confirm/select/nowait",
        C,
        "confirm.select with nowait gets no reply",
        NEEDS,
        |s| {
            s.channel(1)
                .send(1, ConfirmSelect { nowait: true })
                .expect_silence();
        },
    ),
];
