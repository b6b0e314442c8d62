//! Runs a scenario's steps over raw sessions and judges what the broker
//! did: the first expectation that is not met ends the scenario.

use std::time::{Duration, Instant};

use amqp091_codec::method::{ChannelCloseOk, ConnectionCloseOk};
use amqp091_codec::{Frame, Method};
use bytes::BytesMut;

use crate::describe::describe_frame;
use crate::scenario::{Expect, Received, Step};
use crate::session::{Event, Line, Session, SessionError};
use crate::target::Target;

/// How long the runner waits.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// For a reply, a close or a socket close.
    pub reply: Duration,
    /// The window in which nothing must arrive ([`Expect::Silence`]).
    pub silence: Duration,
}

/// The judgement on one run of a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every expectation was met.
    Pass,
    /// An expectation was not met.
    Fail {
        /// What the rule requires.
        expected: String,
        /// What the broker did.
        observed: String,
    },
    /// The broker did nothing within the time allowed.
    Timeout {
        /// What the rule requires.
        expected: String,
        /// How long the runner waited.
        waited_ms: u64,
    },
    /// The runner could not run the scenario (the text says why).
    Error(String),
}

/// A verdict with the frames of every connection, in time order
/// (`(connection, line)`).
#[derive(Debug, Clone)]
pub struct Run {
    /// The verdict.
    pub verdict: Verdict,
    /// Every frame exchanged.
    pub frames: Vec<(usize, Line)>,
}

/// Runs `steps` against `target`.
/// `restart`: the command of a [`Step::Restart`].
pub async fn run_steps(
    target: &Target,
    steps: &[Step],
    timing: Timing,
    restart: Option<&str>,
) -> Run {
    let epoch = Instant::now();
    let mut sessions: Vec<Option<Session>> = Vec::new();
    let verdict = run_inner(target, steps, timing, restart, epoch, &mut sessions).await;
    let mut frames = Vec::new();
    for (conn, s) in sessions.iter_mut().enumerate() {
        if let Some(s) = s {
            frames.extend(s.take_transcript().into_iter().map(|l| (conn, l)));
            s.shutdown().await;
        }
    }
    frames.sort_by_key(|(_, l)| l.at_ms);
    Run { verdict, frames }
}

async fn run_inner(
    target: &Target,
    steps: &[Step],
    timing: Timing,
    restart: Option<&str>,
    epoch: Instant,
    sessions: &mut Vec<Option<Session>>,
) -> Verdict {
    for step in steps {
        if let Step::Restart = step {
            if let Some(v) = restart_step(target, timing, restart, sessions).await {
                return v;
            }
            continue;
        }
        if let Some(v) = run_step(target, step, timing, epoch, sessions).await {
            return v;
        }
    }
    Verdict::Pass
}

fn slot(sessions: &mut Vec<Option<Session>>, conn: usize) -> &mut Option<Session> {
    if sessions.len() <= conn {
        sessions.resize_with(conn + 1, || None);
    }
    &mut sessions[conn]
}

/// Closes every connection (their transcripts are kept), restarts the
/// broker and waits for it; `Some` when that fails.
async fn restart_step(
    target: &Target,
    timing: Timing,
    restart: Option<&str>,
    sessions: &mut [Option<Session>],
) -> Option<Verdict> {
    for s in sessions.iter_mut().flatten() {
        s.shutdown().await;
    }
    let Some(cmd) = restart else {
        return Some(Verdict::Error(
            "the scenario restarts the broker: no --restart-cmd".into(),
        ));
    };
    if crate::runner::restart_broker(cmd, target, timing.reply).await {
        None
    } else {
        Some(Verdict::Error(format!(
            "the broker did not answer within a minute of the restart command {cmd:?}"
        )))
    }
}

/// Runs one step; `Some` ends the scenario.
async fn run_step(
    target: &Target,
    step: &Step,
    timing: Timing,
    epoch: Instant,
    sessions: &mut Vec<Option<Session>>,
) -> Option<Verdict> {
    let io = |e: SessionError| Some(Verdict::Error(e.to_string()));
    match step {
        Step::Connect { conn, options } => {
            let mut s = match Session::connect_at(target, timing.reply, epoch).await {
                Ok(s) => s,
                Err(e) => return io(e),
            };
            let r = s.handshake(target, timing.reply, options).await;
            *slot(sessions, *conn) = Some(s);
            if let Err(e) = r {
                return Some(Verdict::Error(format!("connection {conn}: {e}")));
            }
            None
        }
        Step::ConnectTcp { conn } => match Session::connect_at(target, timing.reply, epoch).await {
            Ok(s) => {
                *slot(sessions, *conn) = Some(s);
                None
            }
            Err(e) => io(e),
        },
        Step::Assert { expected, failure } => failure.as_ref().map(|observed| Verdict::Fail {
            expected: expected.clone(),
            observed: observed.clone(),
        }),
        // Run by `run_inner`, which has the command.
        Step::Restart => None,
        Step::Sleep(d) => {
            tokio::time::sleep(*d).await;
            None
        }
        Step::Drop { conn } => {
            if let Some(s) = slot(sessions, *conn).as_mut() {
                s.shutdown().await;
            }
            None
        }
        Step::OpenChannel { conn, channel } => {
            let s = slot(sessions, *conn).as_mut()?;
            if let Err(e) = s
                .send_method(
                    *channel,
                    &amqp091_codec::method::ChannelOpen::default().into(),
                )
                .await
            {
                return io(e);
            }
            expect(
                s,
                &Expect::Method {
                    channel: *channel,
                    name: "channel.open-ok",
                    check: None,
                },
                timing,
            )
            .await
        }
        Step::Send {
            conn,
            channel,
            method,
        } => {
            let s = slot(sessions, *conn).as_mut()?;
            s.send_method(*channel, method).await.err().and_then(io)
        }
        Step::Publish {
            conn,
            channel,
            publish,
            properties,
            body,
        } => {
            let s = slot(sessions, *conn).as_mut()?;
            s.send_with_content(*channel, publish, properties, body)
                .await
                .err()
                .and_then(io)
        }
        Step::Raw { conn, bytes, what } => {
            let s = slot(sessions, *conn).as_mut()?;
            // The broker may already have closed: what it did is judged by the next expectation.
            let _ = s.send_bytes(bytes, what).await;
            None
        }
        Step::Expect { conn, expect: e } => {
            let s = slot(sessions, *conn).as_mut()?;
            expect(s, e, timing).await
        }
    }
}

/// Judges the broker's next move against `e`.
async fn expect(s: &mut Session, e: &Expect, timing: Timing) -> Option<Verdict> {
    let wait = match e {
        Expect::Silence => timing.silence,
        _ => timing.reply,
    };
    let fail = |observed: String| {
        Some(Verdict::Fail {
            expected: e.describe(),
            observed,
        })
    };
    let started = Instant::now();
    loop {
        let left = wait.saturating_sub(started.elapsed());
        let event = s.next(left).await;
        match (&event, e) {
            (Event::Timeout, Expect::Silence) => return None,
            (Event::Timeout, _) => {
                return Some(Verdict::Timeout {
                    expected: e.describe(),
                    waited_ms: wait.as_millis() as u64,
                })
            }
            (Event::Frame(Frame::Heartbeat { .. }), _) => continue,
            (
                Event::Frame(Frame::Method {
                    method: Method::ConnectionBlocked(_) | Method::ConnectionUnblocked(_),
                    ..
                }),
                _,
            ) => continue,
            (Event::Closed, Expect::SocketClose) => return None,
            (Event::Closed, Expect::HeaderThenClose) => {
                return fail("the socket closed with no protocol header".into())
            }
            (Event::Header(_), Expect::HeaderThenClose) => {
                return match s.next(timing.reply).await {
                    Event::Closed => None,
                    Event::Timeout => fail("a protocol header, but the socket stayed open".into()),
                    other => fail(format!("a protocol header, then {}", observed(&other))),
                };
            }
            (Event::Frame(Frame::Method { channel, method }), _) => {
                return judge_method(s, e, *channel, method.clone(), timing).await;
            }
            (other, _) => return fail(observed(other)),
        }
    }
}

async fn judge_method(
    s: &mut Session,
    e: &Expect,
    channel: u16,
    method: Method,
    timing: Timing,
) -> Option<Verdict> {
    let fail = |observed: String| {
        Some(Verdict::Fail {
            expected: e.describe(),
            observed,
        })
    };
    let what = describe_frame(&Frame::Method {
        channel,
        method: method.clone(),
    });
    match (e, &method) {
        (
            Expect::ChannelClose {
                channel: want,
                codes,
            },
            Method::ChannelClose(c),
        ) if channel == *want => {
            let _ = s
                .send_method(channel, &ChannelCloseOk::default().into())
                .await;
            if codes.contains(&c.reply_code) {
                None
            } else {
                fail(what)
            }
        }
        (Expect::ConnectionClose { codes }, Method::ConnectionClose(c)) if channel == 0 => {
            let _ = s.send_method(0, &ConnectionCloseOk::default().into()).await;
            // The socket closes after close-ok; no need to wait for it.
            if codes.contains(&c.reply_code) {
                None
            } else {
                fail(what)
            }
        }
        (
            Expect::Method {
                channel: want,
                name,
                check,
            },
            m,
        ) if channel == *want && m.name() == *name => {
            let mut received = Received {
                channel,
                method: method.clone(),
                properties: None,
                body: None,
            };
            if method.info().is_some_and(|i| i.content) {
                if let Err(v) = read_content(s, &mut received, e, timing).await {
                    return Some(v);
                }
            }
            match check {
                Some((_, check)) => match check(&received) {
                    Ok(()) => None,
                    Err(why) => fail(format!("{what}: {why}")),
                },
                None => None,
            }
        }
        (Expect::SocketClose, Method::ConnectionClose(_)) => {
            let _ = s.send_method(0, &ConnectionCloseOk::default().into()).await;
            fail(what)
        }
        _ => fail(what),
    }
}

/// Reads the content header and body frames that follow a content method.
async fn read_content(
    s: &mut Session,
    received: &mut Received,
    e: &Expect,
    timing: Timing,
) -> Result<(), Verdict> {
    let fail = |observed: String| Verdict::Fail {
        expected: format!("{} followed by its content", e.describe()),
        observed,
    };
    let header = match s.next(timing.reply).await {
        Event::Frame(Frame::Header { header, .. }) => header,
        other => return Err(fail(observed(&other))),
    };
    let mut body = BytesMut::new();
    while (body.len() as u64) < header.body_size {
        match s.next(timing.reply).await {
            Event::Frame(Frame::Body { payload, .. }) => body.extend_from_slice(&payload),
            other => return Err(fail(observed(&other))),
        }
    }
    received.properties = Some(header.properties.into_inner());
    received.body = Some(body.freeze());
    Ok(())
}

fn observed(event: &Event) -> String {
    match event {
        Event::Frame(f) => describe_frame(f),
        Event::Header(h) => format!("protocol header {h}"),
        Event::Closed => "the socket closed".into(),
        Event::Malformed(m) => format!("malformed bytes: {m}"),
        Event::Timeout => "nothing".into(),
    }
}
