//! Differential mode (`--compare URL`): every judged input runs against two
//! brokers at once, each with its own canary, and each outcome is reduced
//! to a class (the first close and its code, the end of the socket, an
//! unanswered request, a crash, or nothing closed). When the classes differ
//! and no other oracle fired, the verdict is a *divergence*: its signature
//! holds both classes, so the minimiser keeps inputs on which each broker
//! still does what it did. Both executions end after `compare_quiet` of
//! silence (200 ms), longer than a single broker's quiet period, so that a
//! broker that closes slowly is not classed `no close`.
//!
//! [`Watch`] holds the canaries, one per broker; the campaign, the minimiser
//! and `replay` judge through [`judge`] and bring lost canaries back with
//! [`Watch::restore`].

use std::time::Duration;

use amqp091_conform::target::Target;

use crate::campaign::{recover_or_fail, Config};
use crate::exec::{self, Canary, CanaryState, Outcome, Waits};
use crate::model::Input;
use crate::oracle::{self, Judged, Oracle, Verdict};

/// The canaries: the broker's and, in differential mode, the compare broker's.
pub struct Watch {
    /// The primary broker's canary.
    pub primary: Canary,
    /// The compare broker's canary (`--compare`).
    pub compare: Option<Canary>,
}

impl Watch {
    /// Opens the canaries of `config`'s brokers.
    pub async fn open(config: &Config) -> Result<Watch, String> {
        let primary = Canary::open(&config.target, &config.waits)
            .await
            .map_err(|e| format!("the canary could not connect: {e}"))?;
        let compare = match &config.compare {
            Some(t) => Some(
                Canary::open(t, &config.waits)
                    .await
                    .map_err(|e| format!("the compare broker's canary could not connect: {e}"))?,
            ),
            None => None,
        };
        Ok(Watch { primary, compare })
    }

    /// Opens again the canaries `judged` says were lost (restarting a broker
    /// with its restart command if it does not answer within 2 s).
    pub async fn restore(&mut self, config: &Config, judged: &Judged) -> Result<(), String> {
        if judged.canary_lost {
            self.primary = recover_or_fail(config, &config.waits).await?;
        }
        if let (true, Some(t)) = (judged.compare_lost, &config.compare) {
            self.compare = Some(recover_compare(config, t, &config.waits).await?);
        }
        Ok(())
    }
}

async fn recover_compare(config: &Config, t: &Target, waits: &Waits) -> Result<Canary, String> {
    if let Some(c) = oracle::recover(t, None, waits, Duration::from_secs(2)).await {
        return Ok(c);
    }
    let cmd = config.compare_restart_cmd.as_deref();
    oracle::recover(t, cmd, waits, Duration::from_secs(90))
        .await
        .ok_or_else(|| "the compare broker did not come back".to_string())
}

/// The outcome class of one execution on one broker: `crash` (its canary
/// dropped or went silent, or no connection was accepted), the first close
/// (`channel.close 404`, `connection.close 501`), `eof` (the socket ended
/// with no close), `unanswered` (a synchronous request got nothing), or
/// `no close`.
pub fn class(outcome: Option<&Outcome>, canary: &CanaryState) -> String {
    if matches!(canary, CanaryState::Dropped | CanaryState::Silent) {
        return "crash".into();
    }
    let Some(o) = outcome else {
        return "crash".into();
    };
    let first_close = o
        .states
        .iter()
        .find(|s| s.starts_with("connection.close:") || s.starts_with("channel.close:"));
    if let Some(c) = first_close {
        return c.replacen(':', " ", 1);
    }
    if o.states.iter().any(|s| s == "eof" || s == "malformed") {
        return "eof".into();
    }
    if o.unanswered {
        return "unanswered".into();
    }
    "no close".into()
}

/// The divergence verdict when the classes differ (`None` when they agree).
pub fn divergence(primary: (&Target, &str), compare: (&Target, &str)) -> Option<Verdict> {
    let ((pt, pc), (ct, cc)) = (primary, compare);
    (pc != cc).then(|| Verdict {
        oracle: Oracle::Divergence,
        expected: "the same outcome class from both brokers".into(),
        observed: format!("{}: {pc}; {}: {cc}", pt.display(), ct.display()),
        // The signature's state: both classes, the broker's first.
        state: format!("{pc} | {cc}"),
    })
}

/// Runs `input` against the broker (all oracles) and, in differential
/// mode, against the compare broker at the same time; a divergence is the
/// verdict when no other oracle fired and a second run gives the same two
/// classes (a close that comes late is not a divergence), unless the compare
/// broker crashed (the re-verification of the finding runs it again).
pub async fn judge(config: &Config, input: &Input, watch: &mut Watch) -> Judged {
    let mut j = judge_pair(config, input, watch).await;
    let Some(v) = &j.verdict else { return j };
    if v.oracle != Oracle::Divergence || j.compare_lost {
        return j;
    }
    let again = judge_pair(config, input, watch).await;
    if again.verdict.as_ref().map(|a| &a.observed) != Some(&v.observed) {
        j.verdict = None;
    }
    j.canary_lost |= again.canary_lost;
    j.compare_lost |= again.compare_lost;
    j
}

async fn judge_pair(config: &Config, input: &Input, watch: &mut Watch) -> Judged {
    let (Some(ct), Some(cc)) = (&config.compare, watch.compare.as_mut()) else {
        return oracle::judge(&config.target, input, &mut watch.primary, &config.waits).await;
    };
    let waits = &Waits {
        quiet: config.waits.quiet.max(config.compare_quiet),
        ..config.waits
    };
    let other = async {
        let o = exec::run(ct, input, waits).await.ok();
        let state = cc.check(waits).await;
        (o, state)
    };
    let (mut j, (co, cstate)) = tokio::join!(
        oracle::judge(&config.target, input, &mut watch.primary, waits),
        other
    );
    j.compare_lost = cstate != CanaryState::Fine;
    if j.verdict.is_none() {
        let pclass = if j.canary_lost {
            "crash".to_string()
        } else {
            class(j.outcome.as_ref(), &CanaryState::Fine)
        };
        let cclass = class(co.as_ref(), &cstate);
        j.verdict = divergence((&config.target, &pclass), (ct, &cclass));
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(states: &[&str], unanswered: bool) -> Outcome {
        Outcome {
            states: states.iter().map(|s| s.to_string()).collect(),
            unanswered,
            ..Outcome::default()
        }
    }

    #[test]
    fn the_first_close_decides_the_class() {
        let o = outcome(
            &[
                "channel.open-ok",
                "channel.close:404",
                "connection.close:504",
            ],
            false,
        );
        assert_eq!(class(Some(&o), &CanaryState::Fine), "channel.close 404");
    }

    #[test]
    fn a_lost_canary_or_a_refused_connection_is_a_crash() {
        let o = outcome(&["channel.open-ok"], false);
        assert_eq!(class(Some(&o), &CanaryState::Dropped), "crash");
        assert_eq!(class(Some(&o), &CanaryState::Silent), "crash");
        assert_eq!(class(None, &CanaryState::Fine), "crash");
    }

    #[test]
    fn eof_unanswered_and_no_close_are_distinct_classes() {
        let eof = outcome(&["channel.open-ok", "eof"], false);
        let silent = outcome(&["channel.open-ok"], true);
        let fine = outcome(&["channel.open-ok"], false);
        let classes: Vec<_> = [eof, silent, fine]
            .iter()
            .map(|o| class(Some(o), &CanaryState::Fine))
            .collect();
        assert_eq!(classes, ["eof", "unanswered", "no close"]);
    }

    #[test]
    fn a_divergence_names_which_broker_did_what() {
        let a = Target::parse("amqp://guest:guest@127.0.0.1:5672/%2f").unwrap();
        let b = Target::parse("amqp://guest:guest@127.0.0.1:5674/%2f").unwrap();
        assert!(divergence((&a, "no close"), (&b, "no close")).is_none());
        let v = divergence((&a, "connection.close 505"), (&b, "connection.close 503")).unwrap();
        assert_eq!(v.oracle, Oracle::Divergence);
        assert_eq!(v.state, "connection.close 505 | connection.close 503");
        assert!(
            v.observed.contains("5672/%2f: connection.close 505"),
            "{v:?}"
        );
        assert!(
            v.observed.contains("5674/%2f: connection.close 503"),
            "{v:?}"
        );
    }
}
