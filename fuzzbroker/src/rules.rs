//! Rules of the spec (`spec/amqp0-9-1.xml`, `<rule name=...>`) whose reply
//! code is known for a step the generator can write: the wrong-code
//! oracle's expectations beyond the framing ones (501 for a bad frame-end,
//! 504 for a method on a channel never opened or a second channel.open).
//!
//! Each rule says how to write its step on an open channel, which code the
//! spec gives (its `on-failure`), whether that is a channel exception (a
//! channel.close) or a connection exception, and when the session state
//! the expectation assumes holds (re-checked on the steps before it, since
//! mutations and the minimiser remove steps).

use amqp091_codec::method::{BasicAck, ExchangeDeclare, QueueDeclare, TxCommit, TxRollback};
use amqp091_codec::{Frame, FrameDecoder, Method, ShortStr};
use bytes::BytesMut;

use crate::model::{Model, Step};
use crate::rng::Rng;

/// A rule with a known reply code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Where the spec has it: `class.method field: rule` (the step's kind
    /// starts with `rule ` and this).
    pub name: &'static str,
    /// The reply code of its `on-failure`.
    pub code: u16,
    /// A channel exception (answered with channel.close), not a connection one.
    pub channel_error: bool,
}

/// The rules, in the order of the spec.
pub const RULES: &[Rule] = &[
    // exchange.declare, field exchange: rule "reserved", on-failure access-refused.
    Rule {
        name: "exchange.declare exchange: reserved",
        code: 403,
        channel_error: true,
    },
    // queue.declare, field queue: rule "reserved", on-failure access-refused.
    Rule {
        name: "queue.declare queue: reserved",
        code: 403,
        channel_error: true,
    },
    // basic.ack, field multiple: rule "exists", on-failure precondition-failed.
    Rule {
        name: "basic.ack multiple: exists",
        code: 406,
        channel_error: true,
    },
    // tx.commit: rule "transacted", on-failure precondition-failed.
    Rule {
        name: "tx.commit: transacted",
        code: 406,
        channel_error: true,
    },
    // tx.rollback: rule "transacted", on-failure precondition-failed.
    Rule {
        name: "tx.rollback: transacted",
        code: 406,
        channel_error: true,
    },
];

fn name(s: &str) -> ShortStr {
    ShortStr::copy_from_str(s).unwrap_or_default()
}

/// The method that breaks `rule` (none of them is no-wait, none passive).
fn method(rule: &Rule, rng: &mut Rng) -> Method {
    match rule.name {
        "exchange.declare exchange: reserved" => ExchangeDeclare {
            exchange: name(&format!("amq.fz-x{}", rng.below(3))),
            kind: name("direct"),
            ..Default::default()
        }
        .into(),
        "queue.declare queue: reserved" => QueueDeclare {
            queue: name(&format!("amq.fz-q{}", rng.below(3))),
            ..Default::default()
        }
        .into(),
        "basic.ack multiple: exists" => BasicAck {
            delivery_tag: 1 + rng.below(1000) as u64,
            multiple: rng.one_in(2),
        }
        .into(),
        "tx.commit: transacted" => TxCommit::default().into(),
        _ => TxRollback::default().into(),
    }
}

/// A step breaking one of the rules on an open channel of `model` (`None`
/// when no channel is open).
pub fn step(model: &Model, rng: &mut Rng) -> Option<Step> {
    if model.open.is_empty() {
        return None;
    }
    let channel = model.channel(rng);
    let rule = rng.pick(RULES);
    Some(breaking(rule, channel, rng))
}

/// The step breaking `rule` on `channel`.
pub fn breaking(rule: &Rule, channel: u16, rng: &mut Rng) -> Step {
    let mut buf = BytesMut::new();
    Frame::Method {
        channel,
        method: method(rule, rng),
    }
    .encode(&mut buf);
    let kind = format!("rule {}", rule.name);
    Step::defect(buf.to_vec(), kind, Some(rule.code))
}

/// The rule a step's kind names.
pub fn of_kind(kind: &str) -> Option<&'static Rule> {
    let name = kind.strip_prefix("rule ")?;
    RULES.iter().find(|r| r.name == name)
}

/// The methods sent on `channel` in `steps`.
fn methods_on(steps: &[Step], channel: u16) -> Vec<Method> {
    let mut out = Vec::new();
    for s in steps {
        let mut buf = BytesMut::from(&s.bytes[..]);
        let mut dec = FrameDecoder::new(0);
        while let Ok(Some(raw)) = dec.decode(&mut buf) {
            if let Ok(Frame::Method { channel: c, method }) = Frame::from_raw(raw) {
                if c == channel {
                    out.push(method);
                }
            }
        }
    }
    out
}

/// Whether the state `rule` assumes holds after `prior` on `channel`: the
/// channel is open, and (acks) nothing can have been delivered on it, or
/// (commit, rollback) it was never made transactional.
pub fn holds(rule: &Rule, prior: &[Step], channel: u16) -> bool {
    let open = Model::after(prior, u16::MAX, u32::MAX)
        .open
        .contains(&channel);
    let sent = methods_on(prior, channel);
    open && match rule.name {
        "basic.ack multiple: exists" => !sent.iter().any(|m| {
            matches!(
                m,
                Method::BasicGet(_)
                    | Method::BasicConsume(_)
                    | Method::BasicRecover(_)
                    | Method::BasicRecoverAsync(_)
            )
        }),
        "tx.commit: transacted" | "tx.rollback: transacted" => {
            !sent.iter().any(|m| matches!(m, Method::TxSelect(_)))
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use amqp091_codec::method::{BasicGet, ChannelOpen, TxSelect};
    use amqp091_codec::{Frame, Method};
    use bytes::BytesMut;

    use super::{breaking, Rule, RULES};
    use crate::exec::Outcome;
    use crate::model::{Input, Step};
    use crate::oracle::{wrong_code, Oracle};
    use crate::rng::Rng;

    fn valid(channel: u16, method: Method) -> Step {
        let mut buf = BytesMut::new();
        Frame::Method { channel, method }.encode(&mut buf);
        Step::valid(buf.to_vec(), "method", true)
    }

    fn open() -> Step {
        valid(1, ChannelOpen::default().into())
    }

    fn rule(name: &str) -> &'static Rule {
        RULES.iter().find(|r| r.name == name).expect("a rule")
    }

    fn outcome(states: &[&str]) -> Outcome {
        Outcome {
            states: states.iter().map(|s| s.to_string()).collect(),
            ..Outcome::default()
        }
    }

    /// The rule's step after channel.open: expected, a right close passes,
    /// another code or no close is a wrong-code verdict.
    fn judged_on_an_open_channel(name: &str, code: u16) {
        let r = rule(name);
        assert_eq!((r.code, r.channel_error), (code, true));
        let input = Input {
            steps: vec![open(), breaking(r, 1, &mut Rng::new(1))],
            ..Default::default()
        };
        assert_eq!(input.expected_code(), Some(code), "{name}");
        let right = format!("channel.close:{code}");
        let ok = outcome(&["channel.open-ok", &right]);
        assert_eq!(wrong_code(&input, &ok, String::new()), None, "{name}");
        for bad in [
            outcome(&["channel.open-ok", "channel.close:541"]),
            outcome(&["channel.open-ok", "connection.close:505"]),
            outcome(&["channel.open-ok"]),
        ] {
            let v = wrong_code(&input, &bad, String::new()).expect("a verdict");
            assert_eq!(v.oracle, Oracle::WrongCode);
            assert!(v.expected.contains(name), "{v:?}");
        }
        // Without the channel open, the rule's expectation does not hold.
        let unopened = Input {
            steps: input.steps[1..].to_vec(),
            ..Default::default()
        };
        assert_eq!(unopened.expected_code(), None, "{name}");
    }

    #[test]
    fn a_reserved_exchange_name_expects_403() {
        judged_on_an_open_channel("exchange.declare exchange: reserved", 403);
    }

    #[test]
    fn a_reserved_queue_name_expects_403() {
        judged_on_an_open_channel("queue.declare queue: reserved", 403);
    }

    #[test]
    fn an_ack_of_a_tag_never_delivered_expects_406() {
        judged_on_an_open_channel("basic.ack multiple: exists", 406);
        // After a basic.get something may have been delivered: no expectation.
        let r = rule("basic.ack multiple: exists");
        let input = Input {
            steps: vec![
                open(),
                valid(1, BasicGet::default().into()),
                breaking(r, 1, &mut Rng::new(1)),
            ],
            ..Default::default()
        };
        assert_eq!(input.expected_code(), None);
    }

    #[test]
    fn commit_and_rollback_on_a_channel_not_transacted_expect_406() {
        for name in ["tx.commit: transacted", "tx.rollback: transacted"] {
            judged_on_an_open_channel(name, 406);
            let input = Input {
                steps: vec![
                    open(),
                    valid(1, TxSelect::default().into()),
                    breaking(rule(name), 1, &mut Rng::new(1)),
                ],
                ..Default::default()
            };
            assert_eq!(input.expected_code(), None, "{name} after tx.select");
        }
    }

    #[test]
    fn another_close_before_an_earlier_reply_is_no_verdict() {
        // The close may answer the earlier step, not the rule's.
        let r = rule("tx.commit: transacted");
        let input = Input {
            steps: vec![open(), breaking(r, 1, &mut Rng::new(1))],
            ..Default::default()
        };
        let early = outcome(&["channel.close:404"]);
        assert_eq!(wrong_code(&input, &early, String::new()), None);
    }
}
