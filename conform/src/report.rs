//! The report in four forms: one text line per rule with a summary line,
//! JSON, JUnit XML, and Markdown (deterministic: no times, run ids and
//! server-generated names replaced, for committing and diffing).

use std::fmt::Write;

use serde_json::{json, Value};

use crate::runner::{Outcome, Report, RuleResult};

/// The summary line.
pub fn summary(report: &Report) -> String {
    let counts: Vec<String> = Outcome::ALL
        .iter()
        .map(|o| format!("{} {}", report.count(*o), o.name()))
        .collect();
    format!(
        "{} entries against {} {}: {} ({:.1} s)",
        report.results.len(),
        report.product,
        report.version,
        counts.join(", "),
        report.elapsed_ms as f64 / 1000.0
    )
}

/// One line per rule (details indented under failures), then the summary.
pub fn text(report: &Report) -> String {
    let mut s = String::new();
    for r in &report.results {
        let _ = writeln!(
            s,
            "{:<15} {}  ({})",
            r.outcome.name().to_uppercase(),
            r.key,
            r.summary
        );
        if matches!(
            r.outcome,
            Outcome::Fail | Outcome::Timeout | Outcome::Deviation | Outcome::Error
        ) {
            detail(&mut s, r, "    ");
        }
    }
    s.push_str(&summary(report));
    s.push('\n');
    s
}

fn detail(s: &mut String, r: &RuleResult, indent: &str) {
    if let Some(e) = &r.expected {
        let _ = writeln!(s, "{indent}expected: {e}");
    }
    if let Some(o) = &r.observed {
        let _ = writeln!(s, "{indent}observed: {o}");
    }
    if let Some(n) = &r.note {
        let _ = writeln!(s, "{indent}note: {n}");
    }
    if r.outcome != Outcome::NotApplicable {
        for f in &r.frames {
            let _ = writeln!(s, "{indent}  {f}");
        }
    }
}

/// The whole report as one JSON document.
pub fn json(report: &Report) -> Value {
    let results: Vec<Value> = report
        .results
        .iter()
        .map(|r| {
            json!({
                "rule": r.key,
                "class": r.class,
                "summary": r.summary,
                "outcome": r.outcome.name(),
                "expected": r.expected,
                "observed": r.observed,
                "note": r.note,
                "frames": r.frames,
                "duration_ms": r.duration_ms,
            })
        })
        .collect();
    let mut counts = serde_json::Map::new();
    for o in Outcome::ALL {
        counts.insert(o.name().replace(' ', "_"), json!(report.count(o)));
    }
    json!({
        "broker": {
            "target": report.target,
            "product": report.product,
            "version": report.version,
            "platform": report.platform,
        },
        "run_id": report.run_id,
        "summary": counts,
        "elapsed_ms": report.elapsed_ms,
        "results": results,
    })
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// JUnit XML: one testsuite per class, one testcase per rule; fail and
/// timeout are failures, error is an error, not applicable is skipped
/// (deviations pass, with their note in system-out).
pub fn junit(report: &Report) -> String {
    let mut classes: Vec<&str> = Vec::new();
    for r in &report.results {
        if !classes.contains(&r.class.as_str()) {
            classes.push(&r.class);
        }
    }
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let failures = report.count(Outcome::Fail) + report.count(Outcome::Timeout);
    let _ = writeln!(
        s,
        "<testsuites name=\"amqp091 conform {} {}\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\">",
        xml(&report.product),
        xml(&report.version),
        report.results.len(),
        report.count(Outcome::Error)
    );
    for class in classes {
        let rs: Vec<&RuleResult> = report.results.iter().filter(|r| r.class == class).collect();
        let f = rs
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Fail | Outcome::Timeout))
            .count();
        let e = rs.iter().filter(|r| r.outcome == Outcome::Error).count();
        let sk = rs
            .iter()
            .filter(|r| r.outcome == Outcome::NotApplicable)
            .count();
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{f}\" errors=\"{e}\" skipped=\"{sk}\">",
            xml(class),
            rs.len()
        );
        for r in rs {
            let _ = write!(
                s,
                "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\">",
                xml(class),
                xml(&r.key),
                r.duration_ms as f64 / 1000.0
            );
            let mut body = String::new();
            detail(&mut body, r, "");
            match r.outcome {
                Outcome::Pass => {}
                Outcome::Deviation => {
                    let _ = write!(s, "<system-out>{}</system-out>", xml(&body));
                }
                Outcome::NotApplicable => {
                    let _ = write!(
                        s,
                        "<skipped message=\"{}\"/>",
                        xml(r.note.as_deref().unwrap_or(""))
                    );
                }
                Outcome::Fail | Outcome::Timeout => {
                    let _ = write!(
                        s,
                        "<failure type=\"{}\" message=\"{}\">{}</failure>",
                        r.outcome.name(),
                        xml(r.observed.as_deref().unwrap_or("")),
                        xml(&body)
                    );
                }
                Outcome::Error => {
                    let _ = write!(
                        s,
                        "<error message=\"{}\">{}</error>",
                        xml(r.note.as_deref().unwrap_or("")),
                        xml(&body)
                    );
                }
            }
            s.push_str("</testcase>\n");
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}

/// Replaces what differs from run to run: the run id, server-generated
/// names (`amq.gen-…`, `amq.ctag-…`, reply-to pseudo-queues).
pub fn stable(report: &Report, s: &str) -> String {
    let mut out = if report.run_id.is_empty() {
        s.to_string()
    } else {
        s.replace(&report.run_id, "RUN")
    };
    for prefix in ["amq.gen-", "amq.ctag-", "amq.rabbitmq.reply-to."] {
        out = mask_after(&out, prefix);
    }
    mask_timestamp_tags(&out)
}

/// Server-generated consumer tags of the form `<digits>_<n>` (GarageMQ's
/// `<unix time>_<n>`) lose their digits.
fn mask_timestamp_tags(s: &str) -> String {
    let key = "consumer-tag=\"";
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(key) {
        out.push_str(&rest[..i + key.len()]);
        rest = &rest[i + key.len()..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with('_') {
            out.push('*');
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

fn mask_after(s: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(prefix) {
        out.push_str(&rest[..i + prefix.len()]);
        rest = &rest[i + prefix.len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.=+/".contains(c)))
            .unwrap_or(rest.len());
        out.push('*');
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Markdown: the broker, the counts, a table of every rule, then the
/// expected/observed/frames of every failure and deviation.
pub fn markdown(report: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Conformance: {} {}\n", report.product, report.version);
    let _ = writeln!(
        s,
        "Produced by `amqp091 conform --markdown` (platform: {}). Regenerated and compared by CI; \
         run ids and server-generated names are masked.\n",
        report.platform
    );
    let counts: Vec<String> = Outcome::ALL
        .iter()
        .map(|o| format!("{} {}", report.count(*o), o.name()))
        .collect();
    let _ = writeln!(
        s,
        "{} entries: {}.\n",
        report.results.len(),
        counts.join(", ")
    );
    s.push_str("| rule | outcome | what is checked / why not |\n| --- | --- | --- |\n");
    for r in &report.results {
        let why = match r.outcome {
            Outcome::NotApplicable | Outcome::Error => r.note.clone().unwrap_or_default(),
            _ => r.summary.clone(),
        };
        let _ = writeln!(
            s,
            "| `{}` | {} | {} |",
            r.key,
            r.outcome.name(),
            why.replace('|', "\\|")
        );
    }
    let details: Vec<&RuleResult> = report
        .results
        .iter()
        .filter(|r| {
            matches!(
                r.outcome,
                Outcome::Fail | Outcome::Timeout | Outcome::Deviation | Outcome::Error
            )
        })
        .collect();
    if !details.is_empty() {
        s.push_str("\n## Failures and deviations\n");
        for r in details {
            let _ = writeln!(s, "\n### `{}`: {}\n", r.key, r.outcome.name());
            let mut body = String::new();
            if let Some(e) = &r.expected {
                let _ = writeln!(body, "expected: {e}");
            }
            if let Some(o) = &r.observed {
                let _ = writeln!(body, "observed: {o}");
            }
            if let Some(n) = &r.note {
                let _ = writeln!(body, "note: {n}");
            }
            for f in &r.frames {
                // Server properties: machine names, and some brokers order them at random.
                match f.find(" connection.start version-major") {
                    Some(i) => {
                        let _ = writeln!(body, "  {} connection.start (arguments elided)", &f[..i]);
                    }
                    None => {
                        let _ = writeln!(body, "  {f}");
                    }
                }
            }
            let _ = writeln!(s, "```\n{}```", stable(report, &body));
        }
    }
    stable(report, &s)
}
