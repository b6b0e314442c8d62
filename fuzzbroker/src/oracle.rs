//! The oracles: crash, hang, wrong code, interference, resource growth; and
//! reproducing an input (a fresh connection and a canary check), which the
//! campaign, the minimiser and `replay` share.

use std::time::Duration;

use amqp091_conform::target::Target;

use crate::exec::{self, Canary, CanaryState, Outcome, Waits};
use crate::model::Input;

/// Which oracle fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Oracle {
    /// The broker stopped accepting connections, or the canary dropped
    /// without a close, or stopped answering.
    Crash,
    /// A synchronous request got no reply and no close, the canary fine.
    Hang,
    /// A defect whose close code the spec gives got another code, or none.
    WrongCode,
    /// The canary received something it did not ask for.
    Interference,
    /// The broker's resident memory grew past the bound.
    ResourceGrowth,
    /// Differential mode: the two brokers' outcome classes differ on the
    /// same input ([`crate::diff`]).
    Divergence,
}

impl Oracle {
    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Oracle::Crash => "crash",
            Oracle::Hang => "hang",
            Oracle::WrongCode => "wrong-code",
            Oracle::Interference => "interference",
            Oracle::ResourceGrowth => "resource-growth",
            Oracle::Divergence => "divergence",
        }
    }
}

/// An oracle's verdict on one execution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The oracle.
    pub oracle: Oracle,
    /// What the spec or the canary's past says should happen.
    pub expected: String,
    /// What happened.
    pub observed: String,
    /// The response state (part of the signature).
    pub state: String,
}

/// One execution judged: its outcome (none if no connection could be made)
/// and the verdict, if an oracle fired.
#[derive(Debug)]
pub struct Judged {
    /// The fuzz connection's outcome.
    pub outcome: Option<Outcome>,
    /// The verdict.
    pub verdict: Option<Verdict>,
    /// The canary must be opened again.
    pub canary_lost: bool,
    /// Differential mode: the compare broker's canary must be opened again.
    pub compare_lost: bool,
}

fn verdict(oracle: Oracle, expected: &str, observed: String, state: String) -> Option<Verdict> {
    Some(Verdict {
        oracle,
        expected: expected.into(),
        observed,
        state,
    })
}

/// Runs `input`, checks the canary, and applies the oracles.
pub async fn judge(target: &Target, input: &Input, canary: &mut Canary, waits: &Waits) -> Judged {
    let outcome = exec::run(target, input, waits).await.ok();
    let canary_state = canary.check(waits).await;
    let last = outcome
        .as_ref()
        .map(Outcome::last)
        .unwrap_or("refused".into());
    let lost = canary_state != CanaryState::Fine;
    let v = match canary_state {
        CanaryState::Dropped | CanaryState::Silent => {
            let accepting = exec::connect(target, waits).await.is_ok();
            let observed = match (canary_state, accepting) {
                (_, false) => "the broker no longer accepts connections".to_string(),
                (CanaryState::Silent, _) => "the canary stopped answering".to_string(),
                _ => "the canary's socket closed without connection.close".to_string(),
            };
            verdict(
                Oracle::Crash,
                "the canary answers, connections accepted",
                observed,
                last,
            )
        }
        CanaryState::Disturbed(what) => verdict(
            Oracle::Interference,
            "basic.qos-ok on the canary",
            format!("the canary received {what}"),
            last,
        ),
        CanaryState::Fine => match &outcome {
            None => verdict(
                Oracle::Crash,
                "a new connection is accepted",
                "the connection was refused while the canary lived".into(),
                last,
            ),
            Some(o) => of_session(input, o, waits),
        },
    };
    Judged {
        outcome,
        verdict: v,
        canary_lost: lost,
        compare_lost: false,
    }
}

/// The oracles one session's outcome decides alone (the canary fine):
/// hang, then wrong code.
pub fn of_session(input: &Input, o: &Outcome, waits: &Waits) -> Option<Verdict> {
    let last = o.last();
    match o.unanswered {
        true => verdict(
            Oracle::Hang,
            "a reply or a close to a synchronous request",
            format!("nothing within {} ms", waits.hang.as_millis()),
            last,
        ),
        false => wrong_code(input, o, last),
    }
}

/// The wrong-code oracle: the last step is the only defect and its close
/// code is known (the framing rules, or a rule of [`crate::rules`]), and
/// the broker closed otherwise, or not at all.
///
/// A connection exception is judged unless a channel was closed first (the
/// model was wrong then). A channel exception (a rule's `channel_error`) is
/// judged when nothing was closed, or when the first close came after a
/// reply to every earlier step (so it answers the rule's step).
pub fn wrong_code(input: &Input, o: &Outcome, last: String) -> Option<Verdict> {
    let code = input.expected_code()?;
    let rule = input
        .steps
        .last()
        .and_then(|s| crate::rules::of_kind(&s.kind));
    let Some(rule) = rule.filter(|r| r.channel_error) else {
        if o.states.iter().any(|s| s.starts_with("channel.close")) || answers_earlier(input, o) {
            return None;
        }
        return match connection_close(o) {
            Some(c) if c == code => None,
            Some(c) => verdict(
                Oracle::WrongCode,
                &format!("connection.close with reply code {code}"),
                format!("connection.close with reply code {c}"),
                last,
            ),
            None => verdict(
                Oracle::WrongCode,
                &format!("connection.close with reply code {code}"),
                format!("no connection.close (states: {})", o.states.join(" ")),
                last,
            ),
        };
    };
    let expected = format!("channel.close with reply code {code} ({})", rule.name);
    let at = o.states.iter().position(|s| s.contains(".close:"));
    let Some(at) = at else {
        let states = o.states.join(" ");
        return verdict(
            Oracle::WrongCode,
            &expected,
            format!("no close (states: {states})"),
            last,
        );
    };
    if o.states[at] == format!("channel.close:{code}") {
        return None;
    }
    let prior = &input.steps[..input.steps.len() - 1];
    let replies = o.states[..at].iter().filter(|s| s.ends_with("-ok")).count();
    let answered = prior.iter().all(|s| s.wants_reply) && replies >= prior.len();
    answered.then(|| Verdict {
        oracle: Oracle::WrongCode,
        expected,
        observed: o.states[at].replacen(':', " with reply code ", 1),
        state: last,
    })
}

/// Whether the connection.close names a method other than the last step's:
/// it answered an earlier step (RabbitMQ closes with 540 NOT_IMPLEMENTED on
/// `channel.flow active=false` before it reads what follows), so the code
/// says nothing about the last one. A close naming no method is judged.
fn answers_earlier(input: &Input, o: &Outcome) -> bool {
    let Some(named) = o.close_names.filter(|&n| n != (0, 0)) else {
        return false;
    };
    let last = input.steps.last().map(|s| &s.bytes[..]).unwrap_or(&[]);
    let ids = |b: &[u8]| {
        let id = |i: usize| Some(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?]));
        (b.first() == Some(&1))
            .then(|| Some((id(7)?, id(9)?)))
            .flatten()
    };
    ids(last) != Some(named)
        && input.steps[..input.steps.len().saturating_sub(1)]
            .iter()
            .any(|s| ids(&s.bytes) == Some(named))
}

fn connection_close(o: &Outcome) -> Option<u16> {
    o.states
        .iter()
        .find_map(|s| s.strip_prefix("connection.close:")?.parse().ok())
}

/// Resident memory of a process in KiB (`/proc/PID/status`, VmRSS).
pub fn rss_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `cmd` (sh -c) if given, then waits until the broker accepts a
/// connection and a canary opens (at most `limit`).
pub async fn recover(
    target: &Target,
    restart_cmd: Option<&str>,
    waits: &Waits,
    limit: Duration,
) -> Option<Canary> {
    if let Some(cmd) = restart_cmd {
        let _ = tokio::process::Command::new("sh")
            .arg("-c")
            .arg(cmd)
            .status()
            .await;
    }
    let deadline = tokio::time::Instant::now() + limit;
    while tokio::time::Instant::now() < deadline {
        if let Ok(c) = Canary::open(target, waits).await {
            return Some(c);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Step;
    use amqp091_codec::method::{ChannelFlow, ChannelOpen};
    use amqp091_codec::{Frame, Method};
    use bytes::BytesMut;

    fn step(method: Method, defect: Option<u16>) -> Step {
        let mut buf = BytesMut::new();
        Frame::Method { channel: 1, method }.encode(&mut buf);
        match defect {
            Some(code) => {
                Step::defect(buf.to_vec(), "second channel.open channel.open", Some(code))
            }
            None => Step::valid(buf.to_vec(), "method", true),
        }
    }

    /// channel.open, channel.flow active=false, a second channel.open: the
    /// input RabbitMQ answers with 540 naming channel.flow (20, 20).
    fn flow_then_second_open() -> Input {
        let open = || ChannelOpen::default().into();
        let flow = ChannelFlow { active: false }.into();
        Input {
            steps: vec![
                step(open(), None),
                step(flow, None),
                step(open(), Some(504)),
            ],
            ..Default::default()
        }
    }

    fn closed(names: (u16, u16)) -> Outcome {
        Outcome {
            states: vec!["channel.open-ok".into(), "connection.close:540".into()],
            close_names: Some(names),
            ..Outcome::default()
        }
    }

    #[test]
    fn a_close_naming_an_earlier_step_is_no_wrong_code() {
        let input = flow_then_second_open();
        assert_eq!(input.expected_code(), Some(504));
        assert_eq!(wrong_code(&input, &closed((20, 20)), String::new()), None);
    }

    #[test]
    fn a_close_naming_the_last_step_or_nothing_is_judged() {
        let input = flow_then_second_open();
        for names in [(20, 10), (0, 0), (60, 40)] {
            let v = wrong_code(&input, &closed(names), String::new());
            let v = v.unwrap_or_else(|| panic!("a verdict when the close names {names:?}"));
            assert_eq!(v.oracle, Oracle::WrongCode);
            assert!(v.observed.contains("540"), "{v:?}");
        }
    }
}
