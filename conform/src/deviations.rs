//! Documented deviations: per broker product, the rules its authors say it
//! departs from, each citing where they say so. A failing scenario whose
//! rule is listed for the broker's product and version is a *deviation*,
//! not a failure.
//!
//! The data files (`conform/deviations/*.toml`) use a small subset of TOML
//! read here: a top-level `product = "..."`, then `[[deviation]]` tables
//! with `rule`, `versions` (`*` or a version prefix such as `3.`), `note`
//! and `source`, every value a one-line double-quoted string.

/// One documented deviation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deviation {
    /// The rule's key.
    pub rule: String,
    /// `*` or a prefix of the `version` server property.
    pub versions: String,
    /// What the broker does instead.
    pub note: String,
    /// Where its authors document it.
    pub source: String,
}

/// The deviations of one product.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deviations {
    /// The `product` server property they apply to.
    pub product: String,
    /// The entries.
    pub entries: Vec<Deviation>,
}

/// The data files shipped with the runner.
pub const BUILTIN: &[&str] = &[include_str!("../deviations/rabbitmq.toml")];

impl Deviations {
    /// Parses one data file.
    pub fn parse(text: &str) -> Result<Deviations, String> {
        let mut out = Deviations::default();
        let mut current: Option<Deviation> = None;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line == "[[deviation]]" {
                out.entries.extend(current.take());
                current = Some(Deviation {
                    rule: String::new(),
                    versions: "*".into(),
                    note: String::new(),
                    source: String::new(),
                });
                continue;
            }
            let (key, value) = line
                .split_once('=')
                .ok_or_else(|| format!("line {}: expected key = \"value\"", n + 1))?;
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .ok_or_else(|| format!("line {}: the value must be a quoted string", n + 1))?
                .replace("\\\"", "\"");
            match (key.trim(), current.as_mut()) {
                ("product", None) => out.product = value,
                ("rule", Some(d)) => d.rule = value,
                ("versions", Some(d)) => d.versions = value,
                ("note", Some(d)) => d.note = value,
                ("source", Some(d)) => d.source = value,
                (k, _) => return Err(format!("line {}: unexpected key {k}", n + 1)),
            }
        }
        out.entries.extend(current);
        if let Some(d) = out
            .entries
            .iter()
            .find(|d| d.rule.is_empty() || d.source.is_empty())
        {
            return Err(format!("a deviation without rule or source: {d:?}"));
        }
        Ok(out)
    }

    /// The shipped data files.
    pub fn builtin() -> Vec<Deviations> {
        BUILTIN
            .iter()
            .map(|t| Deviations::parse(t).expect("the shipped deviation files parse"))
            .collect()
    }
}

/// The documented deviation of `product` / `version` for `rule`, if any.
pub fn find<'a>(
    all: &'a [Deviations],
    product: &str,
    version: &str,
    rule: &str,
) -> Option<&'a Deviation> {
    all.iter()
        .filter(|d| d.product.eq_ignore_ascii_case(product))
        .flat_map(|d| d.entries.iter())
        .find(|d| d.rule == rule && (d.versions == "*" || version.starts_with(&d.versions)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_files_parse_and_match() {
        let all = Deviations::builtin();
        assert!(find(
            &all,
            "RabbitMQ",
            "3.10.8",
            "exchange/delete/exchange/exists"
        )
        .is_some());
        assert!(find(&all, "GarageMQ", "0.1", "exchange/delete/exchange/exists").is_none());
        assert!(Deviations::parse("[[deviation]]\nrule = \"x\"\n").is_err());
    }
}
