//! The raw session: one client-side TCP connection that speaks frames
//! through the codec, performs the handshake itself, and afterwards only
//! records what the broker sends. It never answers on its own (no
//! heartbeats, no close-ok, no flow-ok): a scenario says what to send.
//!
//! Every frame exchanged, in both directions, is kept in a [`Transcript`]
//! line as the report prints it.

use std::time::{Duration, Instant};

use amqp091_codec::method::{
    ChannelOpen, ConnectionOpen, ConnectionStartOk, ConnectionTuneOk, MethodArgs,
};
use amqp091_codec::{
    encode_content, encode_method, BasicProperties, FieldTable, FieldValue, Frame, FrameDecoder,
    LongStr, Method, ProtocolHeader, ShortStr,
};
use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::describe::describe_frame;
use crate::target::Target;

/// Why a session could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The TCP connect failed or timed out.
    #[error("cannot connect to {addr}: {reason}")]
    Connect {
        /// `host:port`.
        addr: String,
        /// What the OS or the timer said.
        reason: String,
    },
    /// The handshake did not complete as the protocol says.
    #[error("handshake failed: {0}")]
    Handshake(String),
    /// Reading or writing the socket failed.
    #[error("socket error: {0}")]
    Io(#[from] std::io::Error),
}

/// What arrived (or did not) when the session waited.
#[derive(Debug, Clone)]
pub enum Event {
    /// A frame, decoded.
    Frame(Frame),
    /// A protocol header (the server's answer to a header it refuses).
    Header(ProtocolHeader),
    /// The broker closed the socket.
    Closed,
    /// Bytes that do not decode (the text says why).
    Malformed(String),
    /// Nothing within the time allowed.
    Timeout,
}

/// Which way a recorded frame went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Client to server.
    Sent,
    /// Server to client.
    Received,
}

/// One recorded line: a frame, raw bytes, or a socket event.
#[derive(Debug, Clone)]
pub struct Line {
    /// Milliseconds since the session started.
    pub at_ms: u64,
    /// Which way.
    pub direction: Direction,
    /// The frame as the report prints it.
    pub text: String,
}

/// Everything a session sent and received, in order.
pub type Transcript = Vec<Line>;

/// How the client side of the handshake behaves.
#[derive(Debug, Clone)]
pub struct HandshakeOptions {
    /// channel-max for tune-ok (`None`: the server's value).
    pub channel_max: Option<u16>,
    /// frame-max for tune-ok (`None`: the server's value).
    pub frame_max: Option<u32>,
    /// SASL mechanism named in start-ok.
    pub mechanism: &'static str,
    /// Stop after sending start-ok (for scenarios about the start phase).
    pub stop_after_start_ok: bool,
    /// Stop after sending tune-ok (the scenario sends connection.open).
    pub stop_after_tune_ok: bool,
    /// Ask in tune-ok for one channel more than the server's channel-max.
    pub channel_max_above: bool,
    /// Ask in tune-ok for one octet more than the server's frame-max.
    pub frame_max_above: bool,
    /// Announce RabbitMQ's client capabilities in start-ok.
    pub capabilities: bool,
    /// Send a wrong password.
    pub wrong_password: bool,
}

impl Default for HandshakeOptions {
    fn default() -> Self {
        HandshakeOptions {
            channel_max: None,
            frame_max: None,
            mechanism: "PLAIN",
            stop_after_start_ok: false,
            stop_after_tune_ok: false,
            channel_max_above: false,
            frame_max_above: false,
            capabilities: true,
            wrong_password: false,
        }
    }
}

/// What the server announced during the handshake.
#[derive(Debug, Clone, Default)]
pub struct ServerInfo {
    /// connection.start server-properties.
    pub properties: FieldTable,
    /// connection.start mechanisms.
    pub mechanisms: String,
    /// connection.start locales.
    pub locales: String,
    /// connection.start version-major and version-minor.
    pub version: (u8, u8),
    /// connection.tune channel-max.
    pub channel_max: u16,
    /// connection.tune frame-max.
    pub frame_max: u32,
    /// connection.tune heartbeat.
    pub heartbeat: u16,
}

impl ServerInfo {
    /// A string-valued server property (`product`, `version`, ...).
    pub fn property(&self, name: &str) -> Option<String> {
        match self.properties.get(name)? {
            FieldValue::LongStr(s) => Some(String::from_utf8_lossy(s.as_bytes()).into_owned()),
            _ => None,
        }
    }

    /// Whether `capabilities.NAME` is `true` in the server properties.
    pub fn capability(&self, name: &str) -> bool {
        match self.properties.get("capabilities") {
            Some(FieldValue::Table(t)) => matches!(t.get(name), Some(FieldValue::Bool(true))),
            _ => false,
        }
    }
}

/// A raw client connection.
pub struct Session {
    stream: TcpStream,
    read_buf: BytesMut,
    decoder: FrameDecoder,
    started: Instant,
    transcript: Transcript,
    /// What the server announced (filled in by [`Session::handshake`]).
    pub server: ServerInfo,
    /// The frame-max in force after tuning (used to split bodies).
    pub frame_max: u32,
    eof: bool,
}

impl Session {
    /// Opens the TCP connection (no bytes sent yet).
    pub async fn connect(target: &Target, timeout: Duration) -> Result<Session, SessionError> {
        Session::connect_at(target, timeout, Instant::now()).await
    }

    /// [`connect`](Session::connect), with transcript times counted from `epoch`
    /// (so that the lines of several connections merge in order).
    pub async fn connect_at(
        target: &Target,
        timeout: Duration,
        epoch: Instant,
    ) -> Result<Session, SessionError> {
        let addr = target.addr();
        let stream = match tokio::time::timeout(timeout, TcpStream::connect(&addr)).await {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => {
                return Err(SessionError::Connect {
                    addr,
                    reason: e.to_string(),
                })
            }
            Err(_) => {
                return Err(SessionError::Connect {
                    addr,
                    reason: format!("no answer within {} ms", timeout.as_millis()),
                })
            }
        };
        let _ = stream.set_nodelay(true);
        Ok(Session {
            stream,
            read_buf: BytesMut::with_capacity(64 * 1024),
            // Record whatever the broker sends, however large.
            decoder: FrameDecoder::new(0),
            started: epoch,
            transcript: Vec::new(),
            server: ServerInfo::default(),
            frame_max: amqp091_codec::FRAME_MIN_SIZE,
            eof: false,
        })
    }

    /// Connects and performs the whole handshake (up to open-ok).
    pub async fn open(
        target: &Target,
        timeout: Duration,
        options: &HandshakeOptions,
    ) -> Result<Session, SessionError> {
        Session::open_at(target, timeout, options, Instant::now()).await
    }

    /// [`open`](Session::open) with transcript times counted from `epoch`.
    pub async fn open_at(
        target: &Target,
        timeout: Duration,
        options: &HandshakeOptions,
        epoch: Instant,
    ) -> Result<Session, SessionError> {
        let mut s = Session::connect_at(target, timeout, epoch).await?;
        s.handshake(target, timeout, options).await?;
        Ok(s)
    }

    /// The client's side of the handshake: protocol header, start-ok (PLAIN
    /// with the target's credentials), tune-ok (heartbeats off), open.
    pub async fn handshake(
        &mut self,
        target: &Target,
        timeout: Duration,
        options: &HandshakeOptions,
    ) -> Result<(), SessionError> {
        self.send_bytes(
            &ProtocolHeader::AMQP_0_9_1.to_bytes(),
            "protocol header AMQP 0 0 9 1",
        )
        .await?;
        let start = match self.next_method(timeout).await? {
            Method::ConnectionStart(s) => s,
            other => return Err(unexpected("connection.start", &other)),
        };
        self.server.properties = start.server_properties.clone();
        self.server.mechanisms = String::from_utf8_lossy(start.mechanisms.as_bytes()).into();
        self.server.locales = String::from_utf8_lossy(start.locales.as_bytes()).into();
        self.server.version = (start.version_major, start.version_minor);
        let mut response = Vec::new();
        response.push(0);
        response.extend_from_slice(target.user.as_bytes());
        response.push(0);
        response.extend_from_slice(target.password.as_bytes());
        if options.wrong_password {
            response.extend_from_slice(b"-wrong");
        }
        let start_ok = ConnectionStartOk {
            client_properties: client_properties(options.capabilities),
            mechanism: ShortStr::copy_from_str(options.mechanism).unwrap_or_default(),
            response: LongStr::from(response),
            locale: ShortStr::from_static("en_US"),
        };
        self.send_method(0, &start_ok.into()).await?;
        if options.stop_after_start_ok {
            return Ok(());
        }
        let tune = match self.next_method(timeout).await? {
            Method::ConnectionTune(t) => t,
            Method::ConnectionClose(c) => {
                return Err(SessionError::Handshake(format!(
                    "the server closed the connection: {} {}",
                    c.reply_code, c.reply_text
                )))
            }
            other => return Err(unexpected("connection.tune", &other)),
        };
        self.server.channel_max = tune.channel_max;
        self.server.frame_max = tune.frame_max;
        self.server.heartbeat = tune.heartbeat;
        let mut frame_max = options.frame_max.unwrap_or(tune.frame_max);
        if options.frame_max_above {
            frame_max = tune.frame_max.saturating_add(1);
        }
        self.frame_max = if frame_max == 0 { 131_072 } else { frame_max };
        let mut channel_max = options.channel_max.unwrap_or(tune.channel_max);
        if options.channel_max_above {
            channel_max = tune.channel_max.saturating_add(1);
        }
        let tune_ok = ConnectionTuneOk {
            channel_max,
            frame_max,
            heartbeat: 0,
        };
        self.send_method(0, &tune_ok.into()).await?;
        if options.stop_after_tune_ok {
            return Ok(());
        }
        let open = ConnectionOpen {
            virtual_host: ShortStr::copy_from_str(&target.vhost)
                .map_err(|_| SessionError::Handshake("virtual host name too long".into()))?,
            ..Default::default()
        };
        self.send_method(0, &open.into()).await?;
        match self.next_method(timeout).await? {
            Method::ConnectionOpenOk(_) => Ok(()),
            Method::ConnectionClose(c) => Err(SessionError::Handshake(format!(
                "the server refused connection.open: {} {}",
                c.reply_code, c.reply_text
            ))),
            other => Err(unexpected("connection.open-ok", &other)),
        }
    }

    /// Opens channel `channel` and waits for open-ok.
    pub async fn open_channel(
        &mut self,
        channel: u16,
        timeout: Duration,
    ) -> Result<(), SessionError> {
        self.send_method(channel, &ChannelOpen::default().into())
            .await?;
        match self.next_method(timeout).await? {
            Method::ChannelOpenOk(_) => Ok(()),
            other => Err(unexpected("channel.open-ok", &other)),
        }
    }

    /// Sends a method frame.
    pub async fn send_method(&mut self, channel: u16, method: &Method) -> Result<(), SessionError> {
        let mut buf = BytesMut::new();
        Frame::Method {
            channel,
            method: method.clone(),
        }
        .encode(&mut buf);
        let text = describe_frame(&Frame::Method {
            channel,
            method: method.clone(),
        });
        self.send_bytes(&buf, &text).await
    }

    /// Sends a method with content (header and body frames split at frame-max).
    pub async fn send_with_content<M: MethodArgs + Clone + Into<Method>>(
        &mut self,
        channel: u16,
        method: &M,
        properties: &BasicProperties,
        body: &[u8],
    ) -> Result<(), SessionError> {
        let mut buf = BytesMut::new();
        encode_method(&mut buf, channel, method);
        encode_content(&mut buf, channel, properties, body, self.frame_max);
        let text = format!(
            "{} + content ({} body bytes)",
            describe_frame(&Frame::Method {
                channel,
                method: method.clone().into()
            }),
            body.len()
        );
        self.send_bytes(&buf, &text).await
    }

    /// Sends bytes as they are (deliberately invalid frames included),
    /// recording `what` for the transcript.
    pub async fn send_bytes(&mut self, bytes: &[u8], what: &str) -> Result<(), SessionError> {
        self.record(Direction::Sent, what.to_string());
        self.stream.write_all(bytes).await?;
        Ok(())
    }

    /// Waits up to `timeout` for the next frame (heartbeats included).
    pub async fn next(&mut self, timeout: Duration) -> Event {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(event) = self.decode_buffered() {
                return event;
            }
            if self.eof {
                return Event::Closed;
            }
            match tokio::time::timeout_at(deadline, self.stream.read_buf(&mut self.read_buf)).await
            {
                Err(_) => return Event::Timeout,
                Ok(Ok(0)) | Ok(Err(_)) => {
                    self.eof = true;
                    if self.read_buf.is_empty() {
                        self.record(Direction::Received, "socket closed".into());
                        return Event::Closed;
                    }
                }
                Ok(Ok(_)) => {}
            }
        }
    }

    /// Takes one event out of the bytes already read, if they hold one.
    fn decode_buffered(&mut self) -> Option<Event> {
        if self.read_buf.is_empty() {
            return None;
        }
        if ProtocolHeader::starts(&self.read_buf) {
            return match ProtocolHeader::decode(&mut self.read_buf) {
                Ok(Some(h)) => {
                    self.decoder.skip(8);
                    self.record(Direction::Received, format!("protocol header {h}"));
                    Some(Event::Header(h))
                }
                Ok(None) if self.eof => Some(self.malformed("a truncated protocol header".into())),
                Ok(None) => None,
                Err(e) => Some(self.malformed(e.to_string())),
            };
        }
        match self.decoder.decode(&mut self.read_buf) {
            Ok(Some(raw)) => match Frame::from_raw(raw) {
                Ok(frame) => {
                    self.record(Direction::Received, describe_frame(&frame));
                    Some(Event::Frame(frame))
                }
                Err(e) => Some(self.malformed(e.to_string())),
            },
            Ok(None) if self.eof => {
                let n = self.read_buf.len();
                Some(self.malformed(format!("the socket closed inside a frame ({n} bytes)")))
            }
            Ok(None) => None,
            Err(e) => Some(self.malformed(e.to_string())),
        }
    }

    fn malformed(&mut self, why: String) -> Event {
        self.read_buf.clear();
        self.eof = true;
        self.record(Direction::Received, format!("malformed: {why}"));
        Event::Malformed(why)
    }

    /// The next method frame, skipping heartbeats; anything else is an error.
    pub async fn next_method(&mut self, timeout: Duration) -> Result<Method, SessionError> {
        loop {
            match self.next(timeout).await {
                Event::Frame(Frame::Method { method, .. }) => return Ok(method),
                Event::Frame(Frame::Heartbeat { .. }) => continue,
                Event::Frame(f) => {
                    return Err(SessionError::Handshake(format!(
                        "expected a method, got {}",
                        describe_frame(&f)
                    )))
                }
                Event::Header(h) => {
                    return Err(SessionError::Handshake(format!(
                        "the server answered with protocol header {h}"
                    )))
                }
                Event::Closed => {
                    return Err(SessionError::Handshake(
                        "the server closed the socket".into(),
                    ))
                }
                Event::Malformed(m) => return Err(SessionError::Handshake(m)),
                Event::Timeout => {
                    return Err(SessionError::Handshake(format!(
                        "no answer within {} ms",
                        timeout.as_millis()
                    )))
                }
            }
        }
    }

    /// Records a line (also used by the runner for its own notes).
    pub fn record(&mut self, direction: Direction, text: String) {
        let at_ms = self.started.elapsed().as_millis() as u64;
        self.transcript.push(Line {
            at_ms,
            direction,
            text,
        });
    }

    /// Everything recorded so far.
    pub fn transcript(&self) -> &Transcript {
        &self.transcript
    }

    /// Takes the transcript out of the session.
    pub fn take_transcript(&mut self) -> Transcript {
        std::mem::take(&mut self.transcript)
    }

    /// Whether the broker has closed the socket.
    pub fn is_closed(&self) -> bool {
        self.eof
    }

    /// Shuts the socket down (without a close handshake).
    pub async fn shutdown(&mut self) {
        let _ = self.stream.shutdown().await;
    }
}

fn unexpected(expected: &str, got: &Method) -> SessionError {
    SessionError::Handshake(format!("expected {expected}, got {}", got.name()))
}

/// The client properties of start-ok: product, version, and every
/// capability RabbitMQ's extensions define (so the broker uses them).
fn client_properties(capabilities: bool) -> FieldTable {
    let mut caps = FieldTable::new();
    for name in [
        "publisher_confirms",
        "exchange_exchange_bindings",
        "basic.nack",
        "consumer_cancel_notify",
        "connection.blocked",
        "authentication_failure_close",
        "per_consumer_qos",
    ] {
        caps.insert(name, FieldValue::Bool(true));
    }
    let mut t = FieldTable::new();
    t.insert(
        "product",
        FieldValue::LongStr(LongStr::from("amqp091-conform")),
    );
    t.insert(
        "version",
        FieldValue::LongStr(LongStr::from(env!("CARGO_PKG_VERSION"))),
    );
    t.insert("platform", FieldValue::LongStr(LongStr::from("Rust")));
    if capabilities {
        t.insert("capabilities", FieldValue::Table(caps));
    }
    t
}

/// Bytes of a frame built by hand, for [`Session::send_bytes`].
pub fn bytes_of(f: impl FnOnce(&mut BytesMut)) -> Bytes {
    let mut buf = BytesMut::new();
    f(&mut buf);
    buf.freeze()
}
