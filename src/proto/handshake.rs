//! The handshake: `connection.start` to `open-ok`, the client properties
//! we announce, SASL responses, and the negotiation of channel_max,
//! frame_max and heartbeat.

use crate::codec::method::*;
use crate::codec::{
    encode_method, FieldTable, FieldValue, LongStr, Method, ProtocolHeader, ReplyCode, ShortStr,
    FRAME_MIN_SIZE,
};
use crate::connection_options::{AuthMechanism, ConnectionOptions};
use crate::error::Error;

use super::connection::{Phase, Step};
use super::Connection;

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

/// The heartbeat interval (seconds) the client asks for when the options
/// leave it to the server and the server proposes none: a dead peer is
/// noticed unless heartbeats are turned off on purpose (`heartbeat=0`).
pub(crate) const DEFAULT_HEARTBEAT: u16 = 60;

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
            None if heartbeat == 0 => DEFAULT_HEARTBEAT,
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

impl Connection {
    /// A method on channel 0 before the connection is open.
    pub(crate) fn handshake_method(&mut self, step: Step, method: Method) {
        match (step, method) {
            (Step::Start, Method::ConnectionStart(start)) => self.on_start(start),
            (Step::Tune, Method::ConnectionSecure(_)) => {
                let response = sasl_response(&self.config.options);
                encode_method(&mut self.out, 0, &ConnectionSecureOk { response });
            }
            (Step::Tune, Method::ConnectionTune(t)) => self.on_tune(t),
            (Step::OpenOk, Method::ConnectionOpenOk(_)) => self.opened(),
            (_, m) => {
                // A connection-class method out of order is a command the
                // handshake does not allow; anything else has no place here.
                let code = if m.class_id() == ConnectionStart::CLASS_ID {
                    ReplyCode::COMMAND_INVALID
                } else {
                    ReplyCode::CHANNEL_ERROR
                };
                self.unexpected_on_channel_0(m, code)
            }
        }
    }

    fn set_step(&mut self, next: Step) {
        if let Phase::Handshake { step, .. } = &mut self.phase {
            *step = next;
        }
    }

    fn on_start(&mut self, start: ConnectionStart) {
        if (start.version_major, start.version_minor) != (0, 9) {
            return self.finish(Error::UnsupportedProtocol {
                offered: ProtocolHeader {
                    protocol_id: 0,
                    major: start.version_major,
                    minor: start.version_minor,
                    revision: 0,
                },
            });
        }
        let wanted = self.config.options.auth_mechanism.name();
        let offered = start.mechanisms.to_string();
        if !offered.split(' ').any(|m| m == wanted) {
            // Nothing we can say to the server: it waits for start-ok. Drop the connection.
            return self.finish(Error::AuthMechanism { wanted, offered });
        }
        let locale = &self.config.options.locale;
        let locales = start.locales.to_string();
        let locale = if locales.split(' ').any(|l| l == locale) {
            locale.clone()
        } else {
            locales.split(' ').next().unwrap_or("en_US").to_string()
        };
        self.server_properties = start.server_properties;
        let start_ok = ConnectionStartOk {
            client_properties: client_properties(self.config.connection_name.as_deref()),
            mechanism: ShortStr::from_static(wanted),
            response: sasl_response(&self.config.options),
            locale: ShortStr::copy_from_str(&locale).unwrap_or_default(),
        };
        encode_method(&mut self.out, 0, &start_ok);
        self.set_step(Step::Tune);
    }

    fn on_tune(&mut self, t: ConnectionTune) {
        if t.frame_max != 0 && t.frame_max < FRAME_MIN_SIZE {
            return self.violation(
                ReplyCode::SYNTAX_ERROR,
                format!(
                    "frame_max {} is below the minimum of {FRAME_MIN_SIZE}",
                    t.frame_max
                ),
                ConnectionTune::CLASS_ID,
                ConnectionTune::METHOD_ID,
            );
        }
        let tuning = tune(
            &self.config.options,
            t.channel_max,
            t.frame_max,
            t.heartbeat,
        );
        self.tuning = tuning;
        self.decoder.set_max_frame_size(tuning.frame_max);
        encode_method(
            &mut self.out,
            0,
            &ConnectionTuneOk {
                channel_max: tuning.channel_max,
                frame_max: tuning.frame_max,
                heartbeat: tuning.heartbeat,
            },
        );
        let vhost = match ShortStr::copy_from_str(&self.config.options.vhost) {
            Ok(v) => v,
            Err(e) => {
                return self.finish(Error::InvalidArgument(format!("virtual host: {e}")));
            }
        };
        encode_method(
            &mut self.out,
            0,
            &ConnectionOpen {
                virtual_host: vhost,
                ..Default::default()
            },
        );
        self.set_step(Step::OpenOk);
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
        assert_eq!(
            tune(&opts, 0, 4096, 0).heartbeat,
            DEFAULT_HEARTBEAT,
            "the server proposes none: the client's default"
        );
        opts.heartbeat = Some(0);
        assert_eq!(tune(&opts, 0, 4096, 0).heartbeat, 0, "off on purpose");
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
