//! The inputs (a sequence of steps, each the bytes of one frame or of a
//! deliberately broken one) and the model of the session the generator
//! keeps: channels open, queues and exchanges declared, consumers, delivery
//! tags outstanding, negotiated limits.

use amqp091_codec::{Frame, FrameDecoder, Method};
use bytes::BytesMut;
use serde_json::{json, Value};

use crate::rng::Rng;

/// One write (or two, with `split`) of an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The bytes sent.
    pub bytes: Vec<u8>,
    /// What the step is (`method basic.publish`, `header`, `bad frame-end`, ...).
    pub kind: String,
    /// Written in two writes, cut at this offset.
    pub split: Option<usize>,
    /// A well-formed synchronous request: the broker must answer or close.
    pub wants_reply: bool,
    /// The step breaks a rule (the first such step decides the expected code).
    pub defective: bool,
    /// The close code the spec gives for the defect, when it is known.
    pub expect_code: Option<u16>,
}

impl Step {
    /// A valid step.
    pub fn valid(bytes: Vec<u8>, kind: impl Into<String>, wants_reply: bool) -> Step {
        Step {
            bytes,
            kind: kind.into(),
            split: None,
            wants_reply,
            defective: false,
            expect_code: None,
        }
    }

    /// A step that breaks a rule, with the spec's close code if known.
    pub fn defect(bytes: Vec<u8>, kind: impl Into<String>, expect_code: Option<u16>) -> Step {
        Step {
            bytes,
            kind: kind.into(),
            split: None,
            wants_reply: false,
            defective: true,
            expect_code,
        }
    }
}

/// How far the handshake goes before an input's steps are sent: the
/// pre-open stages fuzz what a broker reads before it knows who is
/// connecting (the surface an unauthenticated peer reaches).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Stage {
    /// The whole handshake (connection.open-ok received).
    #[default]
    Open,
    /// Up to tune-ok: connection.open is the steps' to send (or not).
    TuneOk,
    /// Up to start-ok: the server's tune is the first answer.
    StartOk,
    /// Only the TCP connection: the protocol header is the steps' too.
    Tcp,
}

impl Stage {
    /// Every stage.
    pub const ALL: [Stage; 4] = [Stage::Open, Stage::TuneOk, Stage::StartOk, Stage::Tcp];

    /// The name in repro.json and the README.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Open => "open",
            Stage::TuneOk => "tune-ok",
            Stage::StartOk => "start-ok",
            Stage::Tcp => "tcp",
        }
    }
}

/// A whole input: what one fuzz connection sends after its handshake
/// (or the part of it `stage` says).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Where the handshake stops before the steps.
    pub stage: Stage,
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

impl Input {
    /// All bytes, concatenated (`repro.bin`).
    pub fn bytes(&self) -> Vec<u8> {
        self.steps.iter().flat_map(|s| s.bytes.clone()).collect()
    }

    /// The close code the spec gives, if the last step is the only defective
    /// one and has one (a later defect could be detected first).
    pub fn expected_code(&self) -> Option<u16> {
        // Before open-ok the spec's codes are not the model's to predict.
        if self.stage != Stage::Open || !self.whole_frames() {
            return None;
        }
        let last = self.steps.last()?;
        let defects = self.steps.iter().filter(|s| s.defective).count();
        if defects == 0 {
            return self.left_on_unopened_channel().then_some(504);
        }
        if defects != 1 || !last.defective {
            return None;
        }
        // The state the expectation assumed must still hold (the minimiser
        // and the mutations remove steps before it): no earlier method on a
        // channel not open then (a defect not marked as one).
        let channel = u16::from_be_bytes([*last.bytes.get(1)?, *last.bytes.get(2)?]);
        let prior = &self.steps[..self.steps.len() - 1];
        if !methods_on_open_channels(prior) {
            return None;
        }
        let open = Model::after(prior, u16::MAX, u32::MAX)
            .open
            .contains(&channel);
        let holds = if last.kind.starts_with("unopened channel") {
            !open
        } else if last.kind.starts_with("second channel.open") {
            open
        } else if let Some(rule) = crate::rules::of_kind(&last.kind) {
            crate::rules::holds(rule, prior, channel)
        } else {
            true
        };
        last.expect_code.filter(|_| holds)
    }

    /// Whether the last step is one valid method, not channel.open, on a
    /// low channel (below every broker's channel-max here: at most 255)
    /// never opened, after sound steps: the minimiser removed its
    /// channel.open, and the spec's answer is the 504 CHANNEL_ERROR.
    fn left_on_unopened_channel(&self) -> bool {
        let Some((last, prior)) = self.steps.split_last() else {
            return false;
        };
        let mut buf = BytesMut::from(&last.bytes[..]);
        let mut dec = FrameDecoder::new(0);
        let frame = dec.decode(&mut buf).ok().flatten();
        let Some(Ok(Frame::Method { channel, method })) = frame.map(Frame::from_raw) else {
            return false;
        };
        let open = Model::after(prior, u16::MAX, u32::MAX).open;
        buf.is_empty()
            && (1..=255).contains(&channel)
            && !matches!(method, Method::ChannelOpen(_))
            && !open.contains(&channel)
            && methods_on_open_channels(prior)
    }

    /// Whether the broker must answer: the handshake is done, every step is
    /// well formed, one is a synchronous request, and every method is on a
    /// channel open then (a request on a channel never opened is a defect,
    /// not a hang).
    pub fn wants_reply(&self) -> bool {
        self.stage == Stage::Open
            && self.steps.iter().any(|s| s.wants_reply)
            && self.steps.iter().all(|s| !s.defective)
            && self.whole_frames()
            && methods_on_open_channels(&self.steps)
    }

    /// The kind of the last step's frame (part of a finding's signature):
    /// the method's name, `header`, `body`, `heartbeat`, `type N`, or
    /// `partial` for fewer than a frame header's octets.
    pub fn last_kind(&self) -> String {
        let Some(b) = self.steps.last().map(|s| &s.bytes) else {
            return "none".into();
        };
        if b.len() < 7 {
            return "partial".into();
        }
        match b[0] {
            1 if b.len() >= 11 => {
                let (c, m) = (
                    u16::from_be_bytes([b[7], b[8]]),
                    u16::from_be_bytes([b[9], b[10]]),
                );
                amqp091_codec::spec_info::METHODS
                    .iter()
                    .find(|i| i.class_id == c && i.method_id == m)
                    .map_or_else(|| "unknown method".into(), |i| i.full_name.to_string())
            }
            1 => "method".into(),
            2 => "header".into(),
            3 => "body".into(),
            8 => "heartbeat".into(),
            t => format!("type {t}"),
        }
    }

    /// Whether the bytes are whole frames (nothing left waiting for more).
    pub fn whole_frames(&self) -> bool {
        let mut buf = BytesMut::from(&self.bytes()[..]);
        let mut dec = FrameDecoder::new(0);
        loop {
            match dec.decode(&mut buf) {
                Ok(Some(_)) => continue,
                Ok(None) => return buf.is_empty(),
                Err(_) => return true,
            }
        }
    }

    /// `repro.json`: every step with its bytes in hex and the frames decoded.
    pub fn to_json(&self) -> Value {
        let steps: Vec<Value> = self
            .steps
            .iter()
            .map(|s| {
                json!({
                    "kind": s.kind, "hex": hex(&s.bytes), "split": s.split,
                    "wants_reply": s.wants_reply, "defective": s.defective,
                    "expect_code": s.expect_code, "decoded": decode_all(&s.bytes),
                })
            })
            .collect();
        json!({ "stage": self.stage.name(), "steps": steps })
    }

    /// Reads back [`to_json`](Input::to_json).
    pub fn from_json(v: &Value) -> Option<Input> {
        let mut steps = Vec::new();
        for s in v.get("steps")?.as_array()? {
            steps.push(Step {
                bytes: unhex(s.get("hex")?.as_str()?)?,
                kind: s.get("kind")?.as_str()?.to_string(),
                split: s.get("split").and_then(Value::as_u64).map(|n| n as usize),
                wants_reply: s.get("wants_reply").and_then(Value::as_bool) == Some(true),
                defective: s.get("defective").and_then(Value::as_bool) == Some(true),
                expect_code: s
                    .get("expect_code")
                    .and_then(Value::as_u64)
                    .map(|n| n as u16),
            });
        }
        // Reproducers written before stages existed ran after open-ok.
        let stage = match v.get("stage").and_then(Value::as_str) {
            None => Stage::Open,
            Some(name) => *Stage::ALL.iter().find(|s| s.name() == name)?,
        };
        Some(Input { steps, stage })
    }
}

/// Whether every method in `steps` other than channel.open is on channel 0
/// or on a channel open at that point, every channel.open on one that is
/// not, and every basic.publish followed by its header and as many body
/// octets as the header declares, before the next method and the end (a
/// method where content is due is a 505 the spec gives).
fn methods_on_open_channels(steps: &[Step]) -> bool {
    let mut m = Model::new(u16::MAX, u32::MAX);
    // Content due: none, a header, or this many body octets.
    let mut due: Option<Option<u64>> = None;
    for s in steps {
        let mut buf = BytesMut::from(&s.bytes[..]);
        let mut dec = FrameDecoder::new(0);
        while let Ok(Some(raw)) = dec.decode(&mut buf) {
            match (Frame::from_raw(raw), due) {
                (Ok(Frame::Header { header, .. }), Some(None)) => {
                    due = Some(Some(header.body_size)).filter(|_| header.body_size > 0);
                }
                (Ok(Frame::Body { payload, .. }), Some(Some(left))) => {
                    let left = left.saturating_sub(payload.len() as u64);
                    due = Some(Some(left)).filter(|_| left > 0);
                }
                (Ok(Frame::Method { channel, method }), None) => {
                    let opens = matches!(method, Method::ChannelOpen(_));
                    if channel != 0 && opens == m.open.contains(&channel) {
                        return false;
                    }
                    if matches!(method, Method::BasicPublish(_)) {
                        due = Some(None);
                    }
                    m.apply(channel, &method);
                }
                (Ok(Frame::Heartbeat { .. }), _) => {}
                // Content out of place, or a method where content is due.
                _ => return false,
            }
        }
    }
    // Content still due: whatever follows is out of place.
    due.is_none()
}

/// The frames in `bytes`, as text (what does not decode is said so).
pub fn decode_all(bytes: &[u8]) -> Vec<String> {
    let mut buf = BytesMut::from(bytes);
    let mut dec = FrameDecoder::new(0);
    let mut out = Vec::new();
    loop {
        match dec.decode(&mut buf) {
            Ok(Some(raw)) => match Frame::from_raw(raw) {
                Ok(f) => out.push(amqp091_conform::describe::describe_frame(&f)),
                Err(e) => out.push(format!("undecodable: {e}")),
            },
            Ok(None) => {
                if !buf.is_empty() {
                    out.push(format!("incomplete: {} bytes", buf.len()));
                }
                return out;
            }
            Err(e) => {
                out.push(format!("invalid: {e}"));
                return out;
            }
        }
    }
}

/// What the generator believes of the session.
#[derive(Debug, Clone)]
pub struct Model {
    /// Channels opened.
    pub open: Vec<u16>,
    /// Queues declared.
    pub queues: Vec<String>,
    /// Exchanges declared.
    pub exchanges: Vec<String>,
    /// Consumers: channel and tag.
    pub consumers: Vec<(u16, String)>,
    /// Messages published while a consumer exists (delivery tags outstanding).
    pub tags: u64,
    /// Negotiated channel-max.
    pub channel_max: u16,
    /// Negotiated frame-max.
    pub frame_max: u32,
}

impl Model {
    /// A fresh session with these limits.
    pub fn new(channel_max: u16, frame_max: u32) -> Model {
        Model {
            open: Vec::new(),
            queues: Vec::new(),
            exchanges: Vec::new(),
            consumers: Vec::new(),
            tags: 0,
            channel_max,
            frame_max,
        }
    }

    /// The model after `steps` (valid method frames among them applied).
    pub fn after(steps: &[Step], channel_max: u16, frame_max: u32) -> Model {
        let mut m = Model::new(channel_max, frame_max);
        for s in steps {
            let mut buf = BytesMut::from(&s.bytes[..]);
            let mut dec = FrameDecoder::new(0);
            while let Ok(Some(raw)) = dec.decode(&mut buf) {
                if let Ok(Frame::Method { channel, method }) = Frame::from_raw(raw) {
                    m.apply(channel, &method);
                }
            }
        }
        m
    }

    /// Applies a method the client sent.
    pub fn apply(&mut self, channel: u16, method: &Method) {
        match method {
            Method::ChannelOpen(_) if !self.open.contains(&channel) => self.open.push(channel),
            Method::ChannelClose(_) => self.open.retain(|c| *c != channel),
            Method::QueueDeclare(q) => push_new(&mut self.queues, q.queue.to_string()),
            Method::ExchangeDeclare(x) => push_new(&mut self.exchanges, x.exchange.to_string()),
            Method::BasicConsume(c) => self.consumers.push((channel, c.consumer_tag.to_string())),
            Method::BasicPublish(_) if !self.consumers.is_empty() => self.tags += 1,
            _ => {}
        }
    }

    /// A channel that is open (1 if none is).
    pub fn channel(&self, rng: &mut Rng) -> u16 {
        if self.open.is_empty() {
            1
        } else {
            *rng.pick(&self.open)
        }
    }

    /// The lowest channel not open.
    pub fn unopened(&self) -> u16 {
        (1..=u16::MAX).find(|c| !self.open.contains(c)).unwrap_or(1)
    }

    /// A queue name: a declared one or one of a small pool (bounded growth).
    pub fn queue(&self, rng: &mut Rng) -> String {
        if !self.queues.is_empty() && !rng.one_in(4) {
            rng.pick(&self.queues).clone()
        } else {
            format!("fz-q{}", rng.below(3))
        }
    }

    /// An exchange name.
    pub fn exchange(&self, rng: &mut Rng) -> String {
        if !self.exchanges.is_empty() && rng.one_in(2) {
            return rng.pick(&self.exchanges).clone();
        }
        rng.pick(&["", "amq.direct", "amq.fanout", "fz-x"])
            .to_string()
    }

    /// A consumer tag: an existing one (a duplicate) or a new one.
    pub fn consumer_tag(&self, rng: &mut Rng) -> String {
        if !self.consumers.is_empty() && rng.one_in(3) {
            rng.pick(&self.consumers).1.clone()
        } else {
            format!("fz-c{}", rng.below(4))
        }
    }

    /// A delivery tag: outstanding, or one never given.
    pub fn delivery_tag(&self, rng: &mut Rng) -> u64 {
        if self.tags > 0 && !rng.one_in(3) {
            1 + rng.below(self.tags as usize) as u64
        } else {
            self.tags + 1 + rng.below(1000) as u64
        }
    }
}

fn push_new(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

#[cfg(test)]
mod tests {
    use amqp091_codec::method::{BasicQos, ChannelOpen};
    use amqp091_codec::{Frame, Method};
    use bytes::BytesMut;

    use super::{Input, Step};

    fn method(channel: u16, method: Method) -> Vec<u8> {
        let mut buf = BytesMut::new();
        Frame::Method { channel, method }.encode(&mut buf);
        buf.to_vec()
    }

    fn bad_frame_end(mut bytes: Vec<u8>) -> Step {
        let n = bytes.len();
        bytes[n - 1] = 0;
        Step::defect(bytes, "bad frame-end", Some(501))
    }

    #[test]
    fn an_expected_code_needs_earlier_methods_on_open_channels() {
        let qos = || method(1, BasicQos::default().into());
        let open = Step::valid(method(1, ChannelOpen::default().into()), "open", true);
        let on_open = Input {
            steps: vec![open, Step::valid(qos(), "qos", true), bad_frame_end(qos())],
            ..Default::default()
        };
        assert_eq!(on_open.expected_code(), Some(501));
        // The same steps without channel.open: the qos is a defect too.
        let unopened = Input {
            steps: on_open.steps[1..].to_vec(),
            ..Default::default()
        };
        assert_eq!(unopened.expected_code(), None);
    }

    #[test]
    fn a_publish_without_its_content_voids_a_later_expected_code() {
        use amqp091_codec::method::BasicPublish;
        let open = Step::valid(method(1, ChannelOpen::default().into()), "open", true);
        let publish = Step::valid(method(1, BasicPublish::default().into()), "publish", false);
        let second = Step::defect(
            method(1, ChannelOpen::default().into()),
            "second channel.open",
            Some(504),
        );
        let sound = Input {
            steps: vec![open.clone(), second.clone()],
            ..Default::default()
        };
        assert_eq!(sound.expected_code(), Some(504));
        // The broker waits for a content header: a method is a 505 first.
        let no_content = Input {
            steps: vec![open, publish, second],
            ..Default::default()
        };
        assert_eq!(no_content.expected_code(), None);
    }

    #[test]
    fn a_valid_method_left_on_a_channel_never_opened_expects_504() {
        let qos = Step::valid(method(1, BasicQos::default().into()), "qos", true);
        let alone = Input {
            steps: vec![qos.clone()],
            ..Default::default()
        };
        assert_eq!(alone.expected_code(), Some(504));
        let open = Step::valid(method(1, ChannelOpen::default().into()), "open", true);
        let opened = Input {
            steps: vec![open, qos.clone()],
            ..Default::default()
        };
        assert_eq!(opened.expected_code(), None);
        let high = Input {
            steps: vec![Step::valid(
                method(300, BasicQos::default().into()),
                "qos",
                true,
            )],
            ..Default::default()
        };
        assert_eq!(high.expected_code(), None, "maybe above channel-max");
    }

    #[test]
    fn a_request_on_a_channel_never_opened_wants_no_reply() {
        let qos = Step::valid(method(1, BasicQos::default().into()), "qos", true);
        let open = Step::valid(method(1, ChannelOpen::default().into()), "open", true);
        let alone = Input {
            steps: vec![qos.clone()],
            ..Default::default()
        };
        assert!(!alone.wants_reply());
        let opened = Input {
            steps: vec![open, qos],
            ..Default::default()
        };
        assert!(opened.wants_reply());
    }
}
