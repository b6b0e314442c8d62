//! Handshake pieces: the client properties we announce, SASL responses, and
//! the negotiation of channel_max, frame_max and heartbeat.

use crate::codec::{FieldTable, FieldValue, LongStr};
use crate::uri::{AuthMechanism, ConnectionOptions};

/// Negotiated connection limits (after `connection.tune`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tuning {
    /// Highest channel number (1..=channel_max are usable).
    pub channel_max: u16,
    /// Largest frame, header and frame-end included (0: no limit).
    pub frame_max: u32,
    /// Heartbeat interval in seconds (0: no heartbeats).
    pub heartbeat: u16,
}

/// RabbitMQ's rule, as its clients apply it: when either side says 0 ("no
/// limit"), the other side's value wins; otherwise the smaller one.
pub(crate) fn negotiate<T: Ord + Default + Copy>(client: T, server: T) -> T {
    let zero = T::default();
    if client == zero || server == zero {
        client.max(server)
    } else {
        client.min(server)
    }
}

/// Negotiates from the server's `connection.tune` and our options.
pub(crate) fn tune(
    opts: &ConnectionOptions,
    channel_max: u16,
    frame_max: u32,
    heartbeat: u16,
) -> Tuning {
    Tuning {
        channel_max: match negotiate(opts.channel_max, channel_max) {
            0 => u16::MAX,
            n => n,
        },
        frame_max: negotiate(opts.frame_max, frame_max),
        heartbeat: match opts.heartbeat {
            None => heartbeat,
            Some(ours) => negotiate(ours, heartbeat),
        },
    }
}

/// The capabilities this client implements, announced in `client-properties`.
pub(crate) const CAPABILITIES: &[&str] = &[
    "publisher_confirms",
    "exchange_exchange_bindings",
    "basic.nack",
    "consumer_cancel_notify",
    "connection.blocked",
    "authentication_failure_close",
    "per_consumer_qos",
];

/// `client-properties` for `connection.start-ok`.
pub(crate) fn client_properties(connection_name: Option<&str>) -> FieldTable {
    let mut caps = FieldTable::new();
    for cap in CAPABILITIES {
        caps.insert(cap, true);
    }
    let mut props = FieldTable::new();
    props.insert("product", "amqp091");
    props.insert("version", env!("CARGO_PKG_VERSION"));
    props.insert("platform", "Rust");
    props.insert("information", "https://github.com/amqp091/amqp091");
    props.insert("capabilities", caps);
    if let Some(name) = connection_name {
        props.insert(
            "connection_name",
            FieldValue::LongStr(name.to_string().into()),
        );
    }
    props
}

/// The SASL response for the configured mechanism.
pub(crate) fn sasl_response(opts: &ConnectionOptions) -> LongStr {
    match opts.auth_mechanism {
        AuthMechanism::Plain => {
            let mut r = Vec::with_capacity(2 + opts.username.len() + opts.password.len());
            r.push(0);
            r.extend_from_slice(opts.username.as_bytes());
            r.push(0);
            r.extend_from_slice(opts.password.as_bytes());
            LongStr::from(r)
        }
        AuthMechanism::AmqPlain => {
            // A field table without its length prefix: LOGIN and PASSWORD as long strings.
            let mut t = FieldTable::new();
            t.insert("LOGIN", FieldValue::LongStr(opts.username.clone().into()));
            t.insert(
                "PASSWORD",
                FieldValue::LongStr(opts.password.clone().into()),
            );
            let mut buf = bytes::BytesMut::new();
            t.encode(&mut buf);
            LongStr(buf.freeze().slice(4..))
        }
        AuthMechanism::External => LongStr::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_means_the_other_side_decides() {
        assert_eq!(negotiate(0u16, 60), 60);
        assert_eq!(negotiate(30u16, 0), 30);
        assert_eq!(negotiate(30u16, 60), 30);
        assert_eq!(negotiate(0u32, 0), 0);
    }

    #[test]
    fn tune_applies_options() {
        let mut opts = ConnectionOptions {
            channel_max: 0,
            frame_max: 131_072,
            heartbeat: None,
            ..Default::default()
        };
        let t = tune(&opts, 0, 4096, 60);
        assert_eq!(
            t,
            Tuning {
                channel_max: u16::MAX,
                frame_max: 4096,
                heartbeat: 60
            }
        );
        opts.heartbeat = Some(10);
        assert_eq!(tune(&opts, 2047, 0, 60).heartbeat, 10);
        assert_eq!(tune(&opts, 2047, 0, 60).frame_max, 131_072);
    }

    #[test]
    fn sasl_plain_and_amqplain() {
        let mut opts = ConnectionOptions {
            username: "u".into(),
            password: "p".into(),
            ..Default::default()
        };
        assert_eq!(sasl_response(&opts).as_bytes(), b"\0u\0p");
        opts.auth_mechanism = AuthMechanism::AmqPlain;
        assert_eq!(
            sasl_response(&opts).as_bytes(),
            b"\x05LOGINS\x00\x00\x00\x01u\x08PASSWORDS\x00\x00\x00\x01p"
        );
    }
}
