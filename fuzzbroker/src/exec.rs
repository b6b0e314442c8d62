//! Running one input on a fresh connection and abstracting what the broker
//! answers to a sequence of states (the method or close code it sends), and
//! the canary: a connection kept open all along that must keep answering.

use std::time::{Duration, Instant};

use amqp091_codec::method::{BasicQos, ChannelClose, ChannelOpen};
use amqp091_codec::{Frame, Method};
use amqp091_conform::session::{Event, HandshakeOptions, Session, SessionError};
use amqp091_conform::target::Target;

use crate::model::{Input, Stage};

/// How long to wait.
#[derive(Debug, Clone, Copy)]
pub struct Waits {
    /// Connect and handshake.
    pub connect: Duration,
    /// Quiet period that ends an execution.
    pub quiet: Duration,
    /// The time a synchronous request has to be answered (the hang oracle).
    pub hang: Duration,
    /// channel-max and frame-max to ask for in tune-ok (`None`: the
    /// server's); differential mode asks both brokers for the same.
    pub tune: Option<(u16, u32)>,
}

impl Default for Waits {
    fn default() -> Self {
        Waits {
            connect: Duration::from_secs(3),
            quiet: Duration::from_millis(30),
            hang: Duration::from_millis(1500),
            tune: None,
        }
    }
}

/// What one execution observed.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Response states in order (`channel.open-ok`, `connection.close:501`, `eof`).
    pub states: Vec<String>,
    /// Fewer replies than synchronous requests within the hang timeout, and
    /// no close (of a channel or the connection) and no end of the socket.
    pub unanswered: bool,
    /// The first close code (connection or channel), if any.
    pub first_close: Option<u16>,
    /// The class and method ids the first connection.close names (the
    /// method that caused it; (0, 0) when the broker names none).
    pub close_names: Option<(u16, u16)>,
    /// Negotiated channel-max and frame-max of the connection.
    pub limits: (u16, u32),
}

impl Outcome {
    /// The last state (`none` when nothing came back).
    pub fn last(&self) -> String {
        self.states.last().cloned().unwrap_or_else(|| "none".into())
    }
}

/// The abstract state of a frame the broker sent.
pub fn state_of(frame: &Frame) -> String {
    match frame {
        Frame::Method { method, .. } => match method {
            Method::ConnectionClose(c) => format!("connection.close:{}", c.reply_code),
            Method::ChannelClose(c) => format!("channel.close:{}", c.reply_code),
            m => m.name().into_owned(),
        },
        Frame::Header { .. } => "header".into(),
        Frame::Body { .. } => "body".into(),
        Frame::Heartbeat { .. } => "heartbeat".into(),
        Frame::Unknown(_) => "unknown-frame".into(),
    }
}

/// Whether a state is the reply to a synchronous request.
fn is_reply(state: &str) -> bool {
    state.ends_with("-ok") || state == "basic.get-empty"
}

fn close_code(frame: &Frame) -> Option<u16> {
    match frame {
        Frame::Method {
            method: Method::ConnectionClose(c),
            ..
        } => Some(c.reply_code),
        Frame::Method {
            method: Method::ChannelClose(c),
            ..
        } => Some(c.reply_code),
        _ => None,
    }
}

/// Opens a connection (the handshake done), with the server's limits or
/// those of `waits.tune`.
pub async fn connect(target: &Target, waits: &Waits) -> Result<Session, SessionError> {
    connect_to(target, waits, Stage::Open).await
}

/// A connection taken as far through the handshake as `stage` says.
async fn connect_to(target: &Target, waits: &Waits, stage: Stage) -> Result<Session, SessionError> {
    let options = HandshakeOptions {
        channel_max: waits.tune.map(|t| t.0),
        frame_max: waits.tune.map(|t| t.1),
        stop_after_start_ok: stage == Stage::StartOk,
        stop_after_tune_ok: stage == Stage::TuneOk,
        ..HandshakeOptions::default()
    };
    match stage {
        Stage::Tcp => Session::connect(target, waits.connect).await,
        _ => Session::open(target, waits.connect, &options).await,
    }
}

/// Runs `input` on a fresh connection; `Err` when no connection could be made.
pub async fn run(target: &Target, input: &Input, waits: &Waits) -> Result<Outcome, SessionError> {
    let mut s = connect_to(target, waits, input.stage).await?;
    let mut out = Outcome {
        limits: (s.server.channel_max, s.frame_max),
        ..Outcome::default()
    };
    // Transitions from a pre-open stage are their own coverage.
    if input.stage != Stage::Open {
        out.states.push(format!("stage {}", input.stage.name()));
    }
    for step in &input.steps {
        let r = match step.split {
            Some(at) if at < step.bytes.len() => {
                let first = s.send_bytes(&step.bytes[..at], "part").await;
                tokio::time::sleep(Duration::from_millis(2)).await;
                first.and(s.send_bytes(&step.bytes[at..], "part").await)
            }
            _ => s.send_bytes(&step.bytes, &step.kind).await,
        };
        if r.is_err() {
            break;
        }
    }
    let requests = input.steps.iter().filter(|st| st.wants_reply).count();
    let mut replies = 0;
    let started = Instant::now();
    loop {
        // Until something arrives, a request that needs an answer gets the
        // whole hang timeout; afterwards a quiet period ends the execution.
        // A channel closed by the broker drops what follows on it: no wait.
        // A defect whose close code is known waits for a close.
        let closed = out.states.iter().any(|s| s.contains("close"));
        let waiting = (input.wants_reply() && replies < requests && !closed)
            || (input.expected_code().is_some() && !closed);
        let wait = if waiting {
            waits.hang.saturating_sub(started.elapsed())
        } else {
            waits.quiet
        };
        match s.next(wait).await {
            Event::Frame(f) => {
                if out.first_close.is_none() {
                    out.first_close = close_code(&f);
                }
                if let (
                    None,
                    Frame::Method {
                        method: Method::ConnectionClose(c),
                        ..
                    },
                ) = (out.close_names, &f)
                {
                    out.close_names = Some((c.class_id, c.method_id));
                }
                let st = state_of(&f);
                if is_reply(&st) {
                    replies += 1;
                }
                let is_conn_close = st.starts_with("connection.close");
                out.states.push(st);
                if is_conn_close || out.states.len() > 64 {
                    break;
                }
            }
            Event::Header(_) => out.states.push("protocol-header".into()),
            Event::Closed => {
                out.states.push("eof".into());
                break;
            }
            Event::Malformed(_) => {
                out.states.push("malformed".into());
                break;
            }
            Event::Timeout => {
                out.unanswered = input.wants_reply() && replies < requests && !closed;
                break;
            }
        }
    }
    s.shutdown().await;
    Ok(out)
}

/// How the canary fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CanaryState {
    /// It answered as before.
    Fine,
    /// It received something it did not ask for (the state says what).
    Disturbed(String),
    /// Its socket closed without a close.
    Dropped,
    /// It did not answer.
    Silent,
}

/// How the canary asks the broker whether it is well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Probe {
    /// basic.qos on channel 1, answered by qos-ok.
    Qos,
    /// channel.open and channel.close on channel 2, for a broker that does
    /// not implement basic.qos (MetalMQ drops the connection on it, so
    /// every execution looked like a crash).
    Channel,
}

/// One request of a probe: its channel, the method, and the answer it wants.
type Ask = (u16, Method, fn(&Method) -> bool);

/// A connection kept open all along, with channel 1 open.
pub struct Canary {
    session: Session,
    probe: Probe,
}

impl Canary {
    /// Opens the canary, and picks its probe: basic.qos if the broker
    /// answers it, else opening and closing a channel.
    pub async fn open(target: &Target, waits: &Waits) -> Result<Canary, SessionError> {
        let mut session = connect(target, waits).await?;
        session.open_channel(1, waits.connect).await?;
        let mut canary = Canary {
            session,
            probe: Probe::Qos,
        };
        if canary.check(waits).await == CanaryState::Fine {
            return Ok(canary);
        }
        let mut session = connect(target, waits).await?;
        session.open_channel(1, waits.connect).await?;
        let mut canary = Canary {
            session,
            probe: Probe::Channel,
        };
        match canary.check(waits).await {
            CanaryState::Fine => Ok(canary),
            other => Err(SessionError::Handshake(format!(
                "the canary gets no answer to basic.qos nor to channel.open and channel.close: {other:?}"
            ))),
        }
    }

    /// Whether the canary probes with channel.open and close (the broker
    /// does not answer basic.qos).
    pub fn probes_with_channels(&self) -> bool {
        self.probe == Probe::Channel
    }

    /// Sends the probe and expects its answers and nothing else.
    pub async fn check(&mut self, waits: &Waits) -> CanaryState {
        let asks: Vec<Ask> = match self.probe {
            Probe::Qos => vec![(1, BasicQos::default().into(), |m| {
                matches!(m, Method::BasicQosOk(_))
            })],
            Probe::Channel => vec![
                (2, ChannelOpen::default().into(), |m| {
                    matches!(m, Method::ChannelOpenOk(_))
                }),
                (
                    2,
                    ChannelClose {
                        reply_code: 200,
                        ..Default::default()
                    }
                    .into(),
                    |m| matches!(m, Method::ChannelCloseOk(_)),
                ),
            ],
        };
        for (channel, method, answered) in asks {
            if self.session.send_method(channel, &method).await.is_err() {
                return CanaryState::Dropped;
            }
            let _ = self.session.take_transcript();
            let state = loop {
                break match self.session.next(waits.hang).await {
                    Event::Frame(Frame::Heartbeat { .. }) => continue,
                    Event::Frame(Frame::Method { method, .. }) if answered(&method) => {
                        CanaryState::Fine
                    }
                    Event::Frame(f) => CanaryState::Disturbed(state_of(&f)),
                    Event::Header(_) => CanaryState::Disturbed("protocol-header".into()),
                    Event::Closed | Event::Malformed(_) => CanaryState::Dropped,
                    Event::Timeout => CanaryState::Silent,
                };
            };
            if state != CanaryState::Fine {
                return state;
            }
        }
        CanaryState::Fine
    }
}
