//! Semantics of acknowledgement that the XML states in a field's doc
//! rather than a `<rule>`: `multiple` on basic.ack ("up to and including",
//! and tag zero for everything outstanding); reject and nack of a tag never
//! delivered or already settled are refused as an ack of one is (rule
//! `exists` of basic.ack's `multiple` field). (The message-count of
//! queue.declare-ok is not checked: RabbitMQ 3.10's lags publishes made
//! just before on the same channel, 0 or 1 of 2 in three runs, so the
//! verdict would change from run to run.)

use amqp091_codec::method::{BasicAck, BasicGet, BasicNack, BasicQos, BasicReject, ChannelClose};
use amqp091_codec::Method;

use super::code::PRECONDITION_FAILED;
use super::{scenario, scenario_if, Entry, Needs};
use crate::scenario::{short, Received, Script};

const C: &str = "semantics";

/// basic.get in acknowledgement mode.
fn get_ack(queue: &str) -> BasicGet {
    BasicGet {
        queue: short(queue),
        ..Default::default()
    }
}

fn close(s: &mut Script, channel: u16) -> &mut Script {
    let c = ChannelClose {
        reply_code: 200,
        ..Default::default()
    };
    s.call(channel, c, "channel.close-ok")
}

/// basic.get-ok with this body.
fn body(want: &'static [u8]) -> impl Fn(&Received) -> Result<(), String> + Send + Sync {
    move |r| match r.body.as_deref() {
        Some(b) if b == want => Ok(()),
        other => Err(format!("body {:?}", other.map(String::from_utf8_lossy))),
    }
}

/// `settle(tag, requeue)` of a tag never delivered (channel 1), and of one
/// already acked (channel 2), each closes its channel with 406.
fn refused_unless_outstanding(s: &mut Script, settle: fn(u64, bool) -> Method) {
    s.channel(1)
        .send(1, settle(7, false))
        .expect_channel_close(1, &[PRECONDITION_FAILED]);
    let q = s.queue("q");
    s.channel(2).declare_queue(2, &q);
    s.publish(2, "", &q, b"m")
        .call(2, get_ack(&q), "basic.get-ok")
        .send(
            2,
            BasicAck {
                delivery_tag: 1,
                multiple: false,
            },
        )
        .send(2, settle(1, true))
        .expect_channel_close(2, &[PRECONDITION_FAILED]);
}

/// The entries.
pub(crate) const ENTRIES: &[Entry] = &[
    scenario(
        "semantics/basic/reject/unknown-tag",
        C,
        "rejecting a tag never delivered, or one already acked, is a channel error 406 (as basic.ack's rule exists says)",
        |s| {
            refused_unless_outstanding(s, |delivery_tag, requeue| {
                BasicReject { delivery_tag, requeue }.into()
            })
        },
    ),
    scenario_if(
        "semantics/basic/nack/unknown-tag",
        C,
        "nacking a tag never delivered, or one already acked, is a channel error 406 (RabbitMQ's basic.nack, as basic.ack)",
        Needs::Capability("basic.nack"),
        |s| {
            refused_unless_outstanding(s, |delivery_tag, requeue| {
                BasicNack { delivery_tag, multiple: false, requeue }.into()
            })
        },
    ),
    scenario(
    "semantics/basic/ack/multiple",
    C,
    "an ack with multiple settles every delivery up to and including its tag, with tag 0 all outstanding",
    |s| {
        let q = s.queue("q");
        s.channel(1).declare_queue(1, &q);
        for b in [b"1", b"2", b"3", b"4"] {
            s.publish(1, "", &q, b);
        }
        // Tags 1 to 3 delivered, 1 and 2 acked at once: closing the channel
        // requeues 3 only, so 3 and 4 are what is left.
        for _ in 0..3 {
            s.call(1, get_ack(&q), "basic.get-ok");
        }
        // A round trip before each close, so the ack is handled first
        // (as in basic/10).
        s.send(1, BasicAck { delivery_tag: 2, multiple: true })
            .call(1, BasicQos::default(), "basic.qos-ok");
        close(s, 1);
        s.channel(2)
            .call_check(2, get_ack(&q), "basic.get-ok", "body 3", body(b"3"))
            .call_check(2, get_ack(&q), "basic.get-ok", "body 4", body(b"4"))
            .call(2, get_ack(&q), "basic.get-empty")
            // Tag 0 with multiple: everything outstanding on the channel.
            .send(2, BasicAck { delivery_tag: 0, multiple: true })
            .call(2, BasicQos::default(), "basic.qos-ok");
        close(s, 2);
        s.channel(3).call(3, get_ack(&q), "basic.get-empty");
    },
    ),
];
