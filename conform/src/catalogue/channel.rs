//! Class `channel`: opening, flow control and closing.

use amqp091_codec::method::{BasicConsume, ChannelCloseOk, ChannelFlow, ChannelOpen};

use super::code::*;
use super::connection::{bare_declare, passive_declare};
use super::{scenario, unobservable, Entry, Reason};
use crate::scenario::{short, Script};

const C: &str = "channel";

/// The entries of class `channel`.
pub(crate) const ENTRIES: &[Entry] = &[
    scenario(
        "channel/open/state",
        C,
        "channel.open on a channel already open is a connection error 504 (channel-error)",
        |s| {
            s.channel(1)
                .send(1, ChannelOpen::default())
                .expect_connection_close(&[CHANNEL_ERROR]);
        },
    ),
    scenario(
        "channel/flow/initial-state",
        C,
        "a new channel is active: a consumer on it gets deliveries at once",
        |s| {
            let q = s.queue("q");
            s.channel(1).declare_queue(1, &q);
            consume(s, 1, &q, "c1");
            s.publish(1, "", &q, b"m").expect_method(1, "basic.deliver");
        },
    ),
    scenario(
        "channel/flow/bidirectional",
        C,
        "channel.flow active=false is answered with flow-ok, stops deliveries, and active=true resumes them",
        |s| {
            let q = s.queue("q");
            s.channel(1).declare_queue(1, &q);
            consume(s, 1, &q, "c1");
            s.call(1, ChannelFlow { active: false }, "channel.flow-ok")
                .channel(2)
                .publish(2, "", &q, b"m")
                .expect_silence()
                .call(1, ChannelFlow { active: true }, "channel.flow-ok")
                .expect_method(1, "basic.deliver");
        },
    ),
    unobservable(
        "channel/flow/throttling",
        C,
        "a peer may throttle with channel.flow",
        Reason::Permissive,
    ),
    unobservable(
        "channel/flow/expected-behaviour",
        C,
        "a peer may disconnect one that ignores its channel.flow",
        Reason::Permissive,
    ),
    scenario(
        "channel/close/stability",
        C,
        "after the server's channel.close, methods on that channel are discarded until close-ok",
        |s| {
            let missing = s.name("missing");
            let passive = passive_declare(&missing);
            s.channel(1)
                .send(1, passive)
                .expect_method(1, "channel.close")
                .send(1, bare_declare(&missing))
                .expect_silence()
                .send(1, ChannelCloseOk::default())
                .channel(1);
        },
    ),
    unobservable(
        "channel/close-ok/reporting",
        C,
        "a peer that sees the socket close without channel.close-ok logs it",
        Reason::ServerInternal,
    ),
];

/// basic.consume of `queue` with tag `tag` (no-ack), expecting consume-ok.
pub(crate) fn consume<'a>(
    s: &'a mut Script,
    channel: u16,
    queue: &str,
    tag: &str,
) -> &'a mut Script {
    s.call(
        channel,
        BasicConsume {
            queue: short(queue),
            consumer_tag: short(tag),
            no_ack: true,
            ..Default::default()
        },
        "basic.consume-ok",
    )
}
