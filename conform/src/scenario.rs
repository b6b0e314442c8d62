//! Scenarios as data: a list of steps (connect, open a channel, send these
//! frames, expect this reply or this close code) built by a small builder,
//! so that each scenario reads like the rule it checks. [`crate::exec`]
//! runs them.

use std::sync::Arc;
use std::time::Duration;

use amqp091_codec::method::{BasicPublish, QueueDeclare};
use amqp091_codec::{BasicProperties, FieldTable, FieldValue, Method, ShortStr};
use bytes::Bytes;

use crate::session::{HandshakeOptions, ServerInfo};

/// What a scenario sees of a reply: the method and, for methods with
/// content, its properties and body.
#[derive(Debug, Clone)]
pub struct Received {
    /// Channel it arrived on.
    pub channel: u16,
    /// The method.
    pub method: Method,
    /// Content properties, when the method carries content.
    pub properties: Option<BasicProperties>,
    /// Content body, when the method carries content.
    pub body: Option<Bytes>,
}

/// A check on a reply beyond its name: `Err` says what is wrong.
pub type Check = Arc<dyn Fn(&Received) -> Result<(), String> + Send + Sync>;

/// What the broker must do next.
#[derive(Clone)]
pub enum Expect {
    /// This method on this channel (heartbeats and connection.blocked /
    /// unblocked are skipped), passing `check`.
    Method {
        /// Channel.
        channel: u16,
        /// `class.method`.
        name: &'static str,
        /// Further check, described by `what`.
        check: Option<(String, Check)>,
    },
    /// channel.close with one of these reply codes (the scenario then sends
    /// channel.close-ok).
    ChannelClose {
        /// Channel.
        channel: u16,
        /// Acceptable reply codes.
        codes: &'static [u16],
    },
    /// connection.close with one of these reply codes (then close-ok is
    /// sent and the socket must close).
    ConnectionClose {
        /// Acceptable reply codes.
        codes: &'static [u16],
    },
    /// The socket closes with no connection.close before it (errors before
    /// the connection is open).
    SocketClose,
    /// A protocol header, then the socket closes.
    HeaderThenClose,
    /// Nothing arrives for the silence window.
    Silence,
}

impl Expect {
    /// The expectation as the report prints it.
    pub fn describe(&self) -> String {
        match self {
            Expect::Method {
                channel,
                name,
                check,
            } => match check {
                Some((what, _)) => format!("ch{channel} {name} with {what}"),
                None => format!("ch{channel} {name}"),
            },
            Expect::ChannelClose { channel, codes } => {
                format!("ch{channel} channel.close reply-code {}", codes_text(codes))
            }
            Expect::ConnectionClose { codes } => {
                format!("connection.close reply-code {}", codes_text(codes))
            }
            Expect::SocketClose => "the socket closed without connection.close".into(),
            Expect::HeaderThenClose => "a protocol header, then the socket closed".into(),
            Expect::Silence => "nothing (no reply, no close)".into(),
        }
    }
}

fn codes_text(codes: &[u16]) -> String {
    let v: Vec<String> = codes.iter().map(u16::to_string).collect();
    v.join(" or ")
}

/// One step of a scenario, on connection `conn`.
// Publish carries the properties inline (about 400 bytes); scenarios are a
// few hundred steps at most, so boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub enum Step {
    /// TCP connect and full handshake.
    Connect {
        /// Connection index.
        conn: usize,
        /// Client side of the handshake.
        options: HandshakeOptions,
    },
    /// TCP connect only (the scenario sends the protocol header itself).
    ConnectTcp {
        /// Connection index.
        conn: usize,
    },
    /// channel.open, expecting open-ok.
    OpenChannel {
        /// Connection index.
        conn: usize,
        /// Channel.
        channel: u16,
    },
    /// A method frame.
    Send {
        /// Connection index.
        conn: usize,
        /// Channel.
        channel: u16,
        /// The method.
        method: Method,
    },
    /// basic.publish with content.
    Publish {
        /// Connection index.
        conn: usize,
        /// Channel.
        channel: u16,
        /// The publish method.
        publish: BasicPublish,
        /// Content properties.
        properties: BasicProperties,
        /// Body.
        body: Bytes,
    },
    /// Bytes as they are (invalid frames).
    Raw {
        /// Connection index.
        conn: usize,
        /// The bytes.
        bytes: Bytes,
        /// What they are, for the transcript.
        what: String,
    },
    /// The broker's next move.
    Expect {
        /// Connection index.
        conn: usize,
        /// What it must be.
        expect: Expect,
    },
    /// Close the socket without a close handshake.
    Drop {
        /// Connection index.
        conn: usize,
    },
    /// Wait (for the broker to act on something asynchronous).
    Sleep(Duration),
    /// Close every connection, restart the broker with the run's restart
    /// command, and wait until it answers again.
    Restart,
    /// A judgement made while building (on what connection.start announced).
    Assert {
        /// What the rule requires.
        expected: String,
        /// `Some(observed)` when it is not met.
        failure: Option<String>,
    },
}

/// What a scenario is built from: the run id, the broker's announced
/// properties and the rule, for names and broker-dependent choices.
#[derive(Debug, Clone)]
pub struct Env {
    /// Prefix of every resource name of this run.
    pub run_id: String,
    /// The rule's key in a form usable in names.
    pub slug: String,
    /// What the broker announced in connection.start and tune.
    pub server: ServerInfo,
    /// Declare queues with `x-expires` (the broker is known to support it).
    pub x_expires: bool,
    /// The virtual host of the target.
    pub vhost: String,
}

/// The builder of a scenario's steps.
pub struct Script {
    /// The environment.
    pub env: Env,
    /// The steps so far.
    pub steps: Vec<Step>,
    /// Queues to delete afterwards.
    pub queues: Vec<String>,
    /// Exchanges to delete afterwards.
    pub exchanges: Vec<String>,
    conn: usize,
    connected: Vec<bool>,
}

impl Script {
    /// An empty script.
    pub fn new(env: Env) -> Script {
        Script {
            env,
            steps: Vec::new(),
            queues: Vec::new(),
            exchanges: Vec::new(),
            conn: 0,
            connected: Vec::new(),
        }
    }

    fn push(&mut self, step: Step) -> &mut Self {
        let needs_connection = !matches!(
            step,
            Step::Connect { .. }
                | Step::ConnectTcp { .. }
                | Step::Sleep(_)
                | Step::Restart
                | Step::Assert { .. }
        );
        if needs_connection && !self.is_connected(self.conn) {
            self.mark(self.conn);
            self.steps.push(Step::Connect {
                conn: self.conn,
                options: HandshakeOptions::default(),
            });
        }
        self.steps.push(step);
        self
    }

    fn is_connected(&self, conn: usize) -> bool {
        self.connected.get(conn).copied().unwrap_or(false)
    }

    fn mark(&mut self, conn: usize) {
        if self.connected.len() <= conn {
            self.connected.resize(conn + 1, false);
        }
        self.connected[conn] = true;
    }

    /// Makes `conn` the connection the next steps use (opened with a full
    /// handshake at its first use).
    pub fn on(&mut self, conn: usize) -> &mut Self {
        self.conn = conn;
        self
    }

    /// Opens the current connection with these handshake options.
    pub fn connect_with(&mut self, options: HandshakeOptions) -> &mut Self {
        self.mark(self.conn);
        let conn = self.conn;
        self.push(Step::Connect { conn, options })
    }

    /// Opens the current connection's socket only.
    pub fn connect_tcp(&mut self) -> &mut Self {
        self.mark(self.conn);
        let conn = self.conn;
        self.push(Step::ConnectTcp { conn })
    }

    /// A resource name unique to this run and rule.
    pub fn name(&self, what: &str) -> String {
        format!("{}.{}.{what}", self.env.run_id, self.env.slug)
    }

    /// A queue name, deleted after the scenario.
    pub fn queue(&mut self, what: &str) -> String {
        let n = self.name(what);
        self.queues.push(n.clone());
        n
    }

    /// An exchange name, deleted after the scenario.
    pub fn exchange(&mut self, what: &str) -> String {
        let n = self.name(what);
        self.exchanges.push(n.clone());
        n
    }

    /// A queue.declare for `name` (with `x-expires` where supported).
    pub fn queue_declare(&self, name: &str) -> QueueDeclare {
        let mut arguments = FieldTable::new();
        if self.env.x_expires {
            arguments.insert("x-expires", FieldValue::I32(120_000));
        }
        QueueDeclare {
            queue: short(name),
            arguments,
            ..Default::default()
        }
    }

    /// Opens `channel`.
    pub fn channel(&mut self, channel: u16) -> &mut Self {
        let conn = self.conn;
        self.push(Step::OpenChannel { conn, channel })
    }

    /// Sends a method.
    pub fn send(&mut self, channel: u16, method: impl Into<Method>) -> &mut Self {
        let conn = self.conn;
        self.push(Step::Send {
            conn,
            channel,
            method: method.into(),
        })
    }

    /// Sends a method and expects the reply named `reply`.
    pub fn call(
        &mut self,
        channel: u16,
        method: impl Into<Method>,
        reply: &'static str,
    ) -> &mut Self {
        self.send(channel, method).expect_method(channel, reply)
    }

    /// Sends a method and expects `reply` passing `check` (described by `what`).
    pub fn call_check(
        &mut self,
        channel: u16,
        method: impl Into<Method>,
        reply: &'static str,
        what: &str,
        check: impl Fn(&Received) -> Result<(), String> + Send + Sync + 'static,
    ) -> &mut Self {
        self.send(channel, method)
            .expect_check(channel, reply, what, check)
    }

    /// Declares queue `name` (default flags) and expects declare-ok.
    pub fn declare_queue(&mut self, channel: u16, name: &str) -> &mut Self {
        let d = self.queue_declare(name);
        self.call(channel, d, "queue.declare-ok")
    }

    /// Publishes `body` to `exchange` with `routing_key`.
    pub fn publish(
        &mut self,
        channel: u16,
        exchange: &str,
        routing_key: &str,
        body: &'static [u8],
    ) -> &mut Self {
        let publish = BasicPublish {
            exchange: short(exchange),
            routing_key: short(routing_key),
            ..Default::default()
        };
        self.publish_with(channel, publish, BasicProperties::default(), body)
    }

    /// Publishes with a given method and properties.
    pub fn publish_with(
        &mut self,
        channel: u16,
        publish: BasicPublish,
        properties: BasicProperties,
        body: &'static [u8],
    ) -> &mut Self {
        let conn = self.conn;
        self.push(Step::Publish {
            conn,
            channel,
            publish,
            properties,
            body: Bytes::from_static(body),
        })
    }

    /// Sends raw bytes.
    pub fn raw(&mut self, bytes: Bytes, what: &str) -> &mut Self {
        let conn = self.conn;
        self.push(Step::Raw {
            conn,
            bytes,
            what: what.to_string(),
        })
    }

    /// Expects a method.
    pub fn expect_method(&mut self, channel: u16, name: &'static str) -> &mut Self {
        self.expect(Expect::Method {
            channel,
            name,
            check: None,
        })
    }

    /// Expects a method passing `check`.
    pub fn expect_check(
        &mut self,
        channel: u16,
        name: &'static str,
        what: &str,
        check: impl Fn(&Received) -> Result<(), String> + Send + Sync + 'static,
    ) -> &mut Self {
        self.expect(Expect::Method {
            channel,
            name,
            check: Some((what.to_string(), Arc::new(check))),
        })
    }

    /// Expects channel.close with one of `codes`.
    pub fn expect_channel_close(&mut self, channel: u16, codes: &'static [u16]) -> &mut Self {
        self.expect(Expect::ChannelClose { channel, codes })
    }

    /// Expects connection.close with one of `codes`.
    pub fn expect_connection_close(&mut self, codes: &'static [u16]) -> &mut Self {
        self.expect(Expect::ConnectionClose { codes })
    }

    /// Expects any expectation.
    pub fn expect(&mut self, expect: Expect) -> &mut Self {
        let conn = self.conn;
        self.push(Step::Expect { conn, expect })
    }

    /// Expects nothing for the silence window.
    pub fn expect_silence(&mut self) -> &mut Self {
        self.expect(Expect::Silence)
    }

    /// Closes the current connection's socket abruptly.
    pub fn drop_connection(&mut self) -> &mut Self {
        let conn = self.conn;
        if self.connected.len() > conn {
            self.connected[conn] = false;
        }
        self.steps.push(Step::Drop { conn });
        self
    }

    /// Records a judgement made from what the broker announced.
    pub fn assert(&mut self, expected: &str, failure: Option<String>) -> &mut Self {
        self.steps.push(Step::Assert {
            expected: expected.to_string(),
            failure,
        });
        self
    }

    /// Restarts the broker (`--restart-cmd`); the connections are closed
    /// first, and the steps after it open new ones.
    pub fn restart_broker(&mut self) -> &mut Self {
        self.connected.clear();
        self.steps.push(Step::Restart);
        self
    }

    /// Waits.
    pub fn sleep(&mut self, ms: u64) -> &mut Self {
        self.steps.push(Step::Sleep(Duration::from_millis(ms)));
        self
    }
}

/// A short string from a name written in a scenario (truncated past 255 bytes).
pub fn short(s: &str) -> ShortStr {
    ShortStr::copy_from_str(s)
        .unwrap_or_else(|_| ShortStr::copy_from_str(&s[..255]).unwrap_or_default())
}
