//! Class `connection`: the handshake, tuning, virtual hosts and closing.

use amqp091_codec::method::{ChannelOpen, ConnectionCloseOk, ConnectionOpen, QueueDeclare};
use amqp091_codec::{BasicProperties, ContentHeader, FieldTable, FieldValue, LongStr};
use bytes::Bytes;

use super::code::*;
use super::{scenario, unobservable, Entry, Reason};
use crate::scenario::{short, Expect, Script};
use crate::session::HandshakeOptions;

const C: &str = "connection";

/// The entries of class `connection`.
pub(crate) const ENTRIES: &[Entry] = &[
    scenario(
        "connection/start/protocol-name",
        C,
        "a protocol header with a wrong protocol name gets a valid header back, then the socket closes",
        |s| {
            s.connect_tcp()
                .raw(Bytes::from_static(b"AMQX\x00\x00\x09\x01"), "protocol header AMQX 0 0 9 1")
                .expect(Expect::HeaderThenClose);
        },
    ),
    scenario(
        "connection/start/server-support",
        C,
        "a request for version 2.0 gets a protocol header of a version no higher, then the socket closes",
        |s| {
            s.connect_tcp()
                .raw(Bytes::from_static(b"AMQP\x00\x02\x00\x00"), "protocol header AMQP 0 2 0 0")
                .expect(Expect::HeaderThenClose);
        },
    ),
    unobservable(
        "connection/start/client-support",
        C,
        "a client that cannot handle the server's version closes the socket",
        Reason::ClientObligation,
    ),
    scenario(
        "connection/start/server-properties/required-fields",
        C,
        "server-properties hold host, product, version, platform and information",
        |s| {
            let missing: Vec<&str> = ["host", "product", "version", "platform", "information"]
                .into_iter()
                .filter(|f| s.env.server.properties.get(f).is_none())
                .collect();
            let failure = (!missing.is_empty()).then(|| format!("server-properties without {}", missing.join(", ")));
            s.assert("server-properties with host, product, version, platform, information", failure);
        },
    ),
    scenario(
        "connection/start/locales/required-support",
        C,
        "the locales of connection.start include en_US",
        |s| {
            let locales = s.env.server.locales.clone();
            let failure = (!locales.split(' ').any(|l| l == "en_US")).then(|| format!("locales {locales:?}"));
            s.assert("locales including en_US", failure);
        },
    ),
    unobservable(
        "connection/start-ok/client-properties/required-fields",
        C,
        "the client's properties hold product, version, platform, information",
        Reason::ClientObligation,
    ),
    unobservable(
        "connection/start-ok/mechanism/security",
        C,
        "the client picks the most secure mechanism it can",
        Reason::ClientObligation,
    ),
    scenario(
        "connection/start-ok/mechanism/validity",
        C,
        "a mechanism the server did not offer closes the socket, with no close handshake",
        |s| {
            s.connect_with(HandshakeOptions {
                mechanism: "NO-SUCH-MECHANISM",
                stop_after_start_ok: true,
                ..Default::default()
            })
            .expect(Expect::SocketClose);
        },
    ),
    scenario(
        "connection/tune/frame-max/minimum",
        C,
        "a frame of exactly frame-min-size (4096) octets is accepted",
        |s| {
            let q = s.queue("q");
            s.channel(1).declare_queue(1, &q);
            // A content header frame of exactly 4096 octets: pad a header value.
            let props = |pad: usize| {
                let mut h = FieldTable::new();
                h.insert("pad", FieldValue::LongStr(LongStr::from(vec![b'x'; pad])));
                BasicProperties::default().with_headers(h)
            };
            let base = ContentHeader::basic(2, props(0)).encoded_len() + 8;
            let properties = props(4096 - base);
            s.publish_with(1, publish_to(&q), properties, b"hi")
                .call_check(1, get(&q), "basic.get-ok", "the 2-byte body", |r| {
                    match r.body.as_deref() {
                        Some(b"hi") => Ok(()),
                        other => Err(format!("body {other:?}")),
                    }
                });
        },
    ),
    scenario(
        "connection/tune-ok/channel-max/upper-limit",
        C,
        "a tune-ok channel-max above the server's closes the socket, with no close handshake",
        |s| {
            s.connect_with(HandshakeOptions {
                channel_max_above: true,
                stop_after_tune_ok: true,
                ..Default::default()
            });
            open_vhost(s).expect(Expect::SocketClose);
        },
    ),
    scenario(
        "connection/tune-ok/frame-max/minimum",
        C,
        "a tune-ok frame-max below frame-min-size (4095) is refused: the socket closes",
        |s| {
            s.connect_with(HandshakeOptions {
                frame_max: Some(4095),
                stop_after_tune_ok: true,
                ..Default::default()
            });
            open_vhost(s).expect(Expect::SocketClose);
        },
    ),
    scenario(
        "connection/tune-ok/frame-max/upper-limit",
        C,
        "a tune-ok frame-max above the server's closes the socket, with no close handshake",
        |s| {
            s.connect_with(HandshakeOptions {
                frame_max_above: true,
                stop_after_tune_ok: true,
                ..Default::default()
            });
            open_vhost(s).expect(Expect::SocketClose);
        },
    ),
    unobservable(
        "connection/open/virtual-host/separation",
        C,
        "virtual hosts are fully separated (needs a second virtual host, which the protocol cannot create)",
        Reason::ServerInternal,
    ),
    scenario(
        "connection/open/virtual-host/security",
        C,
        "connection.open of a virtual host the user may not use is refused (530)",
        |s| {
            s.connect_with(HandshakeOptions {
                stop_after_tune_ok: true,
                ..Default::default()
            });
            let vhost = s.name("no-such-vhost");
            s.send(0, ConnectionOpen { virtual_host: short(&vhost), ..Default::default() })
                .expect_connection_close(&[NOT_ALLOWED]);
        },
    ),
    scenario(
        "connection/close/stability",
        C,
        "after the server's connection.close, other methods are discarded until close-ok",
        |s| {
            // A second channel.open on an open channel: a connection error.
            s.channel(1)
                .send(1, ChannelOpen::default())
                .expect_method(0, "connection.close")
                .send(2, ChannelOpen::default())
                .expect_silence()
                .send(0, ConnectionCloseOk::default())
                .expect(Expect::SocketClose);
        },
    ),
    unobservable(
        "connection/close-ok/reporting",
        C,
        "a peer that sees the socket close without close-ok logs it",
        Reason::ServerInternal,
    ),
];

/// Sends connection.open for the target's virtual host (after a handshake
/// stopped at tune-ok).
fn open_vhost(s: &mut Script) -> &mut Script {
    let vhost = short(&s.env.vhost);
    s.send(
        0,
        ConnectionOpen {
            virtual_host: vhost,
            ..Default::default()
        },
    )
}

/// basic.publish to the default exchange with routing key `queue`.
pub(crate) fn publish_to(queue: &str) -> amqp091_codec::method::BasicPublish {
    amqp091_codec::method::BasicPublish {
        routing_key: short(queue),
        ..Default::default()
    }
}

/// basic.get of `queue` with no-ack.
pub(crate) fn get(queue: &str) -> amqp091_codec::method::BasicGet {
    amqp091_codec::method::BasicGet {
        queue: short(queue),
        no_ack: true,
        ..Default::default()
    }
}

/// A passive queue.declare of `queue`: declare-ok if it exists, a 404 if not.
pub(crate) fn passive_declare(queue: &str) -> QueueDeclare {
    QueueDeclare {
        passive: true,
        ..bare_declare(queue)
    }
}

/// A queue.declare with only the name set (for passive and equivalence checks).
pub(crate) fn bare_declare(queue: &str) -> QueueDeclare {
    QueueDeclare {
        queue: short(queue),
        ..Default::default()
    }
}
