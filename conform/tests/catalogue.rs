//! The catalogue against spec/amqp0-9-1.xml: every `<rule>` is in it under
//! its key, and every spec-rule entry names a rule the XML has.

use std::collections::BTreeSet;

use amqp091_conform::catalogue::{self, Kind};

/// `class/method/field/rule` of every rule in the XML (domains: `domain/rule`).
fn xml_rules() -> Vec<String> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/amqp0-9-1.xml"
    ))
    .expect("spec/amqp0-9-1.xml");
    let doc = roxmltree::Document::parse(&text).expect("the XML parses");
    let mut keys = Vec::new();
    for rule in doc.descendants().filter(|n| n.has_tag_name("rule")) {
        let mut path: Vec<&str> = rule
            .ancestors()
            .skip(1)
            .filter(|a| {
                ["class", "method", "field", "domain"]
                    .iter()
                    .any(|t| a.has_tag_name(*t))
            })
            .filter_map(|a| a.attribute("name"))
            .collect();
        path.reverse();
        path.push(rule.attribute("name").expect("every rule has a name"));
        keys.push(path.join("/"));
    }
    keys
}

#[test]
fn every_rule_of_the_xml_is_in_the_catalogue_and_nothing_else() {
    let xml = xml_rules();
    assert_eq!(xml.len(), 115, "the XML has 115 rules");
    let xml_set: BTreeSet<&str> = xml.iter().map(String::as_str).collect();
    let entries = catalogue::all();
    let spec: Vec<&str> = entries
        .iter()
        .filter(|e| e.is_spec_rule())
        .map(|e| e.key)
        .collect();
    let spec_set: BTreeSet<&str> = spec.iter().copied().collect();
    let missing: Vec<_> = xml_set.difference(&spec_set).collect();
    let unknown: Vec<_> = spec_set.difference(&xml_set).collect();
    assert!(
        missing.is_empty(),
        "rules missing from the catalogue: {missing:?}"
    );
    assert!(
        unknown.is_empty(),
        "catalogue entries citing no rule of the XML: {unknown:?}"
    );
}

#[test]
fn keys_are_unique_except_where_the_xml_repeats_a_rule() {
    let xml = xml_rules();
    let entries = catalogue::all();
    for e in &entries {
        let in_catalogue = entries.iter().filter(|o| o.key == e.key).count();
        let in_xml = xml.iter().filter(|k| *k == e.key).count().max(1);
        assert_eq!(
            in_catalogue, in_xml,
            "{} appears {in_catalogue} times",
            e.key
        );
    }
}

#[test]
fn the_count_of_scenarios_and_reasons_is_what_the_docs_say() {
    let entries = catalogue::all();
    let spec: Vec<_> = entries.iter().filter(|e| e.is_spec_rule()).collect();
    let scenarios = spec
        .iter()
        .filter(|e| matches!(e.kind, Kind::Scenario { .. }))
        .count();
    let of_class = |c: &str| entries.iter().filter(|e| e.class == c).count();
    let extensions = of_class("extensions") + of_class("confirm");
    let reason = |name: &str| {
        spec.iter()
            .filter(|e| matches!(e.kind, Kind::NotObservable(r) if r.name() == name))
            .count()
    };
    assert_eq!(spec.len(), 115);
    assert!(scenarios >= 80, "{scenarios} rules with a scenario");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/conformance/README.md"
    ))
    .expect("docs/conformance/README.md");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for said in [
        format!(
            "{} entries: the spec's 115 `<rule>`s ({scenarios} with a scenario, {} not observable",
            entries.len(),
            115 - scenarios
        ),
        format!("{} `semantics/` checks", of_class("semantics")),
        format!("{} `framing/` checks", of_class("framing")),
        format!("{extensions} RabbitMQ extension entries"),
        format!("the client's obligation ({})", reason("client-obligation")),
        format!("no measurable threshold ({})", reason("permissive")),
        format!("logs or administration ({})", reason("server-internal")),
        format!(
            "bring about deterministically ({})",
            reason("not-inducible")
        ),
    ] {
        assert!(
            text.contains(&said),
            "docs/conformance/README.md does not say {said:?}"
        );
    }
}

#[test]
fn every_method_with_a_no_wait_flag_has_a_no_wait_scenario() {
    let keys: BTreeSet<&str> = catalogue::all().iter().map(|e| e.key).collect();
    let mut checked = 0;
    for m in amqp091_codec::spec_info::METHODS
        .iter()
        .filter(|m| m.no_wait)
    {
        let key = match m.full_name {
            "confirm.select" => "confirm/select/nowait".to_string(),
            name => format!("semantics/no-wait/{name}"),
        };
        assert!(keys.contains(key.as_str()), "{} has no {key}", m.full_name);
        checked += 1;
    }
    assert_eq!(checked, 11, "the methods with a no-wait flag in the XML");
}
