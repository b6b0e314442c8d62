//! Reads the AMQP 0-9-1 XML definitions in this directory and generates the
//! codec's method table (`codec/src/generated.rs`) and proptest strategies
//! (`codec/src/generated_strategies.rs`) from them.
//!
//! The extended XML (RabbitMQ's) defines what is on the wire, with the
//! RabbitMQ extensions it lacks in `rabbitmq-extensions.xml`; the full XML
//! contributes the doc text and the 0-9-1 errata (its `synchronous` marks and
//! `<response>`s where they differ from the extended XML, see
//! [`apply_errata`]). `cargo run -p amqp091-spec --bin generate`
//! rewrites the files; `spec/tests/` fail when they are stale or when the
//! codec differs from the XML.
#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A constant (`<constant name value class>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constant {
    /// Spec name, e.g. `not-found`.
    pub name: String,
    /// Value.
    pub value: u32,
    /// `soft-error`, `hard-error`, or none.
    pub class: Option<String>,
}

/// A field of a method or a property of a class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Spec name, e.g. `routing-key`.
    pub name: String,
    /// The domain named by the field (its `type` when it names a type directly).
    pub domain: String,
    /// The primitive type the domain resolves to (`bit`, `octet`, `shortstr`, …).
    pub ty: String,
    /// Whether the field is marked `reserved`.
    pub reserved: bool,
    /// Doc text (from the full XML), one paragraph.
    pub doc: Option<String>,
}

/// A method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Method {
    /// Spec name within its class, e.g. `publish`.
    pub name: String,
    /// Method id.
    pub index: u16,
    /// `synchronous="1"`.
    pub synchronous: bool,
    /// `content="1"`.
    pub content: bool,
    /// Names of the methods that answer it.
    pub responses: Vec<String>,
    /// Arguments in wire order.
    pub fields: Vec<Field>,
    /// Doc text (label and first paragraph from the full XML).
    pub doc: Option<String>,
}

impl Method {
    /// The method's no-wait flag: a `bit` field named `no-wait` (or `nowait`,
    /// as confirm.select spells it), if it has one.
    pub fn no_wait_field(&self) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| f.ty == "bit" && is_no_wait_name(&f.name))
    }
}

/// Whether a field name is the no-wait flag's (`no-wait`, or `nowait` as
/// confirm.select spells it).
pub fn is_no_wait_name(name: &str) -> bool {
    matches!(name, "no-wait" | "nowait")
}

/// One difference between the extended XML and the full XML (which has the
/// 0-9-1 errata applied) that [`apply_errata`] applied to a method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erratum {
    /// Class name, e.g. `basic`.
    pub class: String,
    /// Method name within the class, e.g. `recover`.
    pub method: String,
    /// What differed: `synchronous` or `responses`.
    pub attribute: &'static str,
    /// What changed, as text (both values and what it means).
    pub change: String,
}

/// A class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    /// Spec name, e.g. `basic`.
    pub name: String,
    /// Class id.
    pub index: u16,
    /// Content properties (only `basic` has any).
    pub properties: Vec<Field>,
    /// Methods in document order.
    pub methods: Vec<Method>,
}

/// The parsed definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// Constants in document order.
    pub constants: Vec<Constant>,
    /// Classes in document order.
    pub classes: Vec<Class>,
    /// The errata applied by [`apply_errata`] (empty until it runs), in
    /// document order.
    pub errata: Vec<Erratum>,
}

/// The directory holding the XML files.
pub fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// Path of the generated method table.
pub fn generated_path() -> PathBuf {
    spec_dir().join("../codec/src/generated.rs")
}

/// Path of the generated strategies.
pub fn generated_strategies_path() -> PathBuf {
    spec_dir().join("../codec/src/generated_strategies.rs")
}

fn attr<'a>(n: roxmltree::Node<'a, '_>, name: &str) -> Result<&'a str, String> {
    n.attribute(name)
        .ok_or_else(|| format!("<{}> without {name}", n.tag_name().name()))
}

fn index(n: roxmltree::Node<'_, '_>) -> Result<u16, String> {
    attr(n, "index")?
        .parse()
        .map_err(|e| format!("bad index: {e}"))
}

fn children<'a, 'i>(
    n: roxmltree::Node<'a, 'i>,
    tag: &'static str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    n.children().filter(move |c| c.has_tag_name(tag))
}

/// Parses the extended definition, merges the methods of `extensions`
/// (documents in the same format, whose classes must exist in the extended
/// one) into their classes, and takes docs from the full definition and from
/// the extensions.
pub fn parse(
    extended_xml: &str,
    extensions: &[&str],
    full_xml: Option<&str>,
) -> Result<Spec, String> {
    let mut docs = match full_xml {
        Some(x) => parse_docs(x)?,
        None => HashMap::new(),
    };
    for x in extensions {
        docs.extend(parse_docs(x)?);
    }
    let doc = roxmltree::Document::parse(extended_xml).map_err(|e| e.to_string())?;
    let mut domains = HashMap::new();
    for d in children(doc.root_element(), "domain") {
        domains.insert(attr(d, "name")?.to_string(), attr(d, "type")?.to_string());
    }
    let mut spec = parse_one(&doc, &domains, &docs)?;
    for x in extensions {
        let ext = roxmltree::Document::parse(x).map_err(|e| e.to_string())?;
        let ext = parse_one(&ext, &domains, &docs)?;
        for class in ext.classes {
            let into = spec
                .classes
                .iter_mut()
                .find(|c| c.name == class.name && c.index == class.index)
                .ok_or_else(|| format!("extension class {} is not in the spec", class.name))?;
            for m in class.methods {
                if into
                    .methods
                    .iter()
                    .any(|e| e.index == m.index || e.name == m.name)
                {
                    return Err(format!(
                        "extension method {}.{} already exists",
                        class.name, m.name
                    ));
                }
                into.methods.push(m);
            }
        }
    }
    Ok(spec)
}

fn parse_one(
    doc: &roxmltree::Document<'_>,
    domains: &HashMap<String, String>,
    docs: &HashMap<String, String>,
) -> Result<Spec, String> {
    let root = doc.root_element();
    let field = |f: roxmltree::Node<'_, '_>, key: String| -> Result<Field, String> {
        let name = attr(f, "name")?.to_string();
        let (domain, ty) = match (f.attribute("domain"), f.attribute("type")) {
            (Some(d), _) => (
                d.to_string(),
                domains
                    .get(d)
                    .ok_or_else(|| format!("unknown domain {d}"))?
                    .clone(),
            ),
            (None, Some(t)) => (t.to_string(), t.to_string()),
            (None, None) => return Err(format!("field {name} has neither domain nor type")),
        };
        Ok(Field {
            reserved: f.attribute("reserved") == Some("1"),
            doc: docs.get(&key).cloned(),
            name,
            domain,
            ty,
        })
    };
    let mut constants = Vec::new();
    for c in children(root, "constant") {
        constants.push(Constant {
            name: attr(c, "name")?.to_string(),
            value: attr(c, "value")?
                .parse()
                .map_err(|e| format!("bad constant: {e}"))?,
            class: c.attribute("class").map(str::to_string),
        });
    }
    let mut classes = Vec::new();
    for c in children(root, "class") {
        let cname = attr(c, "name")?.to_string();
        let mut properties = Vec::new();
        for f in children(c, "field") {
            let key = format!("{cname}..{}", attr(f, "name")?);
            properties.push(field(f, key)?);
        }
        let mut methods = Vec::new();
        for m in children(c, "method") {
            let mname = attr(m, "name")?.to_string();
            let mut fields = Vec::new();
            for f in children(m, "field") {
                let key = format!("{cname}.{mname}.{}", attr(f, "name")?);
                fields.push(field(f, key)?);
            }
            methods.push(Method {
                index: index(m)?,
                synchronous: m.attribute("synchronous") == Some("1"),
                content: m.attribute("content") == Some("1"),
                responses: children(m, "response")
                    .map(|r| attr(r, "name").map(str::to_string))
                    .collect::<Result<_, _>>()?,
                fields,
                doc: docs.get(&format!("{cname}.{mname}")).cloned(),
                name: mname,
            });
        }
        classes.push(Class {
            index: index(c)?,
            name: cname,
            properties,
            methods,
        });
    }
    Ok(Spec {
        constants,
        classes,
        errata: Vec::new(),
    })
}

/// `synchronous` and responses of every method of an XML definition, keyed
/// by (class name, method name), with the method id.
type SyncFacts = HashMap<(String, String), (u16, bool, Vec<String>)>;

fn sync_facts(xml: &str) -> Result<SyncFacts, String> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| e.to_string())?;
    let mut out = HashMap::new();
    for c in children(doc.root_element(), "class") {
        let cname = attr(c, "name")?;
        for m in children(c, "method") {
            let responses = children(m, "response")
                .map(|r| attr(r, "name").map(str::to_string))
                .collect::<Result<_, _>>()?;
            out.insert(
                (cname.to_string(), attr(m, "name")?.to_string()),
                (
                    index(m)?,
                    m.attribute("synchronous") == Some("1"),
                    responses,
                ),
            );
        }
    }
    Ok(out)
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn names(responses: &[String]) -> String {
    if responses.is_empty() {
        "none".to_string()
    } else {
        responses.join(", ")
    }
}

/// Applies the 0-9-1 errata: where the full XML (`full_xml`, which has them
/// applied) gives a method other `synchronous` marks or `<response>`s than
/// `spec` (parsed from the extended XML), takes the full XML's, and records
/// each difference in `spec.errata`. Methods only the extended XML has
/// (RabbitMQ's extensions) keep theirs. Fails when the full XML has a method
/// the spec lacks, or gives a method another id.
pub fn apply_errata(spec: &mut Spec, full_xml: &str) -> Result<(), String> {
    let full = sync_facts(full_xml)?;
    for ((cname, mname), (id, _, _)) in &full {
        let known = spec.classes.iter().any(|c| {
            &c.name == cname && c.methods.iter().any(|m| &m.name == mname && m.index == *id)
        });
        if !known {
            return Err(format!(
                "the full XML has {cname}.{mname} ({id}), the extended XML does not"
            ));
        }
    }
    let mut errata = Vec::new();
    for c in &mut spec.classes {
        for m in &mut c.methods {
            let Some((_, synchronous, responses)) = full.get(&(c.name.clone(), m.name.clone()))
            else {
                continue;
            };
            let reply_note = if *synchronous && responses.is_empty() {
                "; it has no <response>: it is a reply, marked synchronous like every other \
                 reply (part of a synchronous exchange), and expects no reply itself"
            } else {
                ""
            };
            if m.synchronous != *synchronous {
                errata.push(Erratum {
                    class: c.name.clone(),
                    method: m.name.clone(),
                    attribute: "synchronous",
                    change: format!(
                        "synchronous: {} in the extended XML, {} in the full XML (0-9-1 errata){reply_note}",
                        yes_no(m.synchronous),
                        yes_no(*synchronous)
                    ),
                });
                m.synchronous = *synchronous;
            }
            if &m.responses != responses {
                errata.push(Erratum {
                    class: c.name.clone(),
                    method: m.name.clone(),
                    attribute: "responses",
                    change: format!(
                        "responses: {} in the extended XML, {} in the full XML (0-9-1 errata)",
                        names(&m.responses),
                        names(responses)
                    ),
                });
                m.responses.clone_from(responses);
            }
        }
    }
    spec.errata = errata;
    Ok(())
}

/// The ids (within `class`) of the methods named by `m.responses`.
pub fn reply_ids(class: &Class, m: &Method) -> Result<Vec<u16>, String> {
    m.responses
        .iter()
        .map(|r| {
            class
                .methods
                .iter()
                .find(|x| &x.name == r)
                .map(|x| x.index)
                .ok_or_else(|| format!("{}.{} answered by unknown {r}", class.name, m.name))
        })
        .collect()
}

/// The XML files of this directory, as `parse` takes them: (extended, extensions, full).
pub fn read_xml() -> Result<(String, Vec<String>, String), String> {
    let read = |name: &str| {
        std::fs::read_to_string(spec_dir().join(name)).map_err(|e| format!("{name}: {e}"))
    };
    Ok((
        read("amqp0-9-1.extended.xml")?,
        vec![read("rabbitmq-extensions.xml")?],
        read("amqp0-9-1.xml")?,
    ))
}

/// Doc text keyed `class.method`, `class.method.field` and `class..property`.
fn parse_docs(full_xml: &str) -> Result<HashMap<String, String>, String> {
    let doc = roxmltree::Document::parse(full_xml).map_err(|e| e.to_string())?;
    let mut out = HashMap::new();
    let text = |n: roxmltree::Node<'_, '_>| -> Option<String> {
        let label = n.attribute("label").map(sentence);
        let body = children(n, "doc")
            .find(|d| d.attribute("type").is_none())
            .and_then(|d| d.text())
            .map(first_paragraph);
        match (label, body) {
            (Some(l), Some(b)) => Some(format!("{l}.\n\n{b}")),
            (Some(l), None) => Some(format!("{l}.")),
            (None, b) => b,
        }
    };
    for c in children(doc.root_element(), "class") {
        let cname = attr(c, "name")?;
        for f in children(c, "field") {
            if let Some(t) = text(f) {
                out.insert(format!("{cname}..{}", attr(f, "name")?), t);
            }
        }
        for m in children(c, "method") {
            let mname = attr(m, "name")?;
            if let Some(t) = text(m) {
                out.insert(format!("{cname}.{mname}"), t);
            }
            for f in children(m, "field") {
                if let Some(t) = text(f) {
                    out.insert(format!("{cname}.{mname}.{}", attr(f, "name")?), t);
                }
            }
        }
    }
    Ok(out)
}

fn sentence(label: &str) -> String {
    let mut c = label.trim().chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn first_paragraph(text: &str) -> String {
    let mut lines = Vec::new();
    for line in text.trim().lines() {
        let line = line.trim();
        if line.is_empty() {
            break;
        }
        lines.push(line);
    }
    lines.join(" ")
}

/// `start-ok` → `StartOk`.
pub fn camel(name: &str) -> String {
    name.split('-')
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// Rust identifier of a method field.
pub fn field_ident(name: &str) -> String {
    match name {
        "type" => "kind".to_string(),
        n => n.replace('-', "_"),
    }
}

/// Rust identifier of a content property.
pub fn property_ident(name: &str) -> String {
    match name {
        "type" => "message_type".to_string(),
        "reserved" => "cluster_id".to_string(),
        n => n.replace('-', "_"),
    }
}

/// Struct name of a method: `basic` + `publish` → `BasicPublish`.
pub fn struct_name(class: &str, method: &str) -> String {
    format!("{}{}", camel(class), camel(method))
}

struct TypeGen {
    rust: &'static str,
    arg_type: &'static str,
    read: &'static str,
    /// Encoded size; `{}` is the value expression.
    len: &'static str,
    /// Statement writing `{}`.
    write: &'static str,
    arg_value: &'static str,
    strategy: &'static str,
}

fn type_gen(ty: &str) -> Result<TypeGen, String> {
    Ok(match ty {
        "octet" => TypeGen {
            rust: "u8",
            arg_type: "Octet",
            read: "octet",
            len: "1",
            write: "buf.put_u8({});",
            arg_value: "ArgValue::Octet({})",
            strategy: "any::<u8>()",
        },
        "short" => TypeGen {
            rust: "u16",
            arg_type: "Short",
            read: "short",
            len: "2",
            write: "buf.put_u16({});",
            arg_value: "ArgValue::Short({})",
            strategy: "any::<u16>()",
        },
        "long" => TypeGen {
            rust: "u32",
            arg_type: "Long",
            read: "long",
            len: "4",
            write: "buf.put_u32({});",
            arg_value: "ArgValue::Long({})",
            strategy: "any::<u32>()",
        },
        "longlong" => TypeGen {
            rust: "u64",
            arg_type: "LongLong",
            read: "longlong",
            len: "8",
            write: "buf.put_u64({});",
            arg_value: "ArgValue::LongLong({})",
            strategy: "any::<u64>()",
        },
        "timestamp" => TypeGen {
            rust: "u64",
            arg_type: "Timestamp",
            read: "longlong",
            len: "8",
            write: "buf.put_u64({});",
            arg_value: "ArgValue::Timestamp({})",
            strategy: "any::<u64>()",
        },
        "shortstr" => TypeGen {
            rust: "ShortStr",
            arg_type: "ShortStr",
            read: "shortstr",
            len: "1 + {}.len()",
            write: "{}.encode(buf);",
            arg_value: "ArgValue::ShortStr(&{})",
            strategy: "short_str()",
        },
        "longstr" => TypeGen {
            rust: "LongStr",
            arg_type: "LongStr",
            read: "longstr",
            len: "4 + {}.len()",
            write: "{}.encode(buf);",
            arg_value: "ArgValue::LongStr(&{})",
            strategy: "long_str()",
        },
        "table" => TypeGen {
            rust: "FieldTable",
            arg_type: "Table",
            read: "table",
            len: "{}.encoded_len()",
            write: "{}.encode(buf);",
            arg_value: "ArgValue::Table(&{})",
            strategy: "field_table()",
        },
        other => return Err(format!("unsupported type {other}")),
    })
}

fn doc_lines(out: &mut String, indent: &str, doc: &str) {
    for line in doc.lines() {
        if line.is_empty() {
            let _ = writeln!(out, "{indent}///");
        } else {
            let _ = writeln!(
                out,
                "{indent}/// {}",
                line.replace('[', "\\[").replace(']', "\\]")
            );
        }
    }
}

fn field_doc(f: &Field) -> String {
    if f.reserved {
        return format!(
            "Reserved ({}); a correct peer sends it empty or zero. Kept so that tests can send other values.",
            f.ty
        );
    }
    f.doc
        .clone()
        .unwrap_or_else(|| format!("The `{}` field ({}).", f.name, f.domain))
}

fn rust_str(s: &str) -> String {
    format!("{s:?}")
}

/// Groups of consecutive fields: a run of bits is one group (one octet).
fn groups(fields: &[Field]) -> Vec<Vec<&Field>> {
    let mut out: Vec<Vec<&Field>> = Vec::new();
    for f in fields {
        let extend = f.ty == "bit" && out.last().is_some_and(|g| g[0].ty == "bit" && g.len() < 8);
        if extend {
            if let Some(g) = out.last_mut() {
                g.push(f);
            }
        } else {
            out.push(vec![f]);
        }
    }
    out
}

/// The most argument bytes a method keeps inline in [`Method`]'s variant;
/// larger ones are boxed, so that a decoded `Frame` stays at 128 bytes or
/// less (a size the compiler moves without a `memcpy` call: the hot path
/// of a delivery moves one `Frame` per frame, issue 16).
const MAX_INLINE_ARGS: usize = 112;

/// Whether method `m`'s variant holds its arguments in a `Box`: their
/// in-memory size (strings 32 bytes, tables 24, integers their width, one
/// byte a bit) is over `MAX_INLINE_ARGS` (112).
pub fn is_boxed(m: &Method) -> bool {
    let size: usize = m
        .fields
        .iter()
        .map(|f| match f.ty.as_str() {
            "shortstr" | "longstr" => 32,
            "table" => 24,
            "longlong" | "timestamp" => 8,
            "long" => 4,
            "short" => 2,
            _ => 1,
        })
        .sum();
    size > MAX_INLINE_ARGS
}

/// Generates `codec/src/generated.rs` (before rustfmt).
pub fn generate(spec: &Spec) -> Result<String, String> {
    let mut o = String::new();
    o.push_str(
        "// GENERATED FILE - DO NOT EDIT.\n\
         // Made by `cargo run -p amqp091-spec --bin generate` from spec/amqp0-9-1.extended.xml\n\
         // and spec/rabbitmq-extensions.xml (doc text and errata from spec/amqp0-9-1.xml); spec/tests/generated_is_current.rs fails when it is stale.\n\n\
         //! Every class and method of the extended AMQP 0-9-1 definition, the basic\n\
         //! content properties, and the tables describing them.\n\n\
         use bytes::{BufMut, BytesMut};\n\n\
         use crate::error::DecodeError;\n\
         use crate::method::{ArgValue, MethodArgs};\n\
         use crate::spec_info::{ArgType, ClassInfo, ConstantInfo, Erratum, FieldInfo, MethodInfo};\n\
         use crate::table::FieldTable;\n\
         use crate::types::{LongStr, Reader, ShortStr};\n\n",
    );

    let mut all = Vec::new();
    for c in &spec.classes {
        for m in &c.methods {
            all.push((c, m));
        }
    }

    for (c, m) in &all {
        gen_method(&mut o, c, m)?;
    }

    // The Method enum.
    o.push_str("/// Any method: one variant per method of the spec, plus [`Method::Unknown`] for\n/// class and method ids the spec does not define.\n#[derive(Debug, Clone, PartialEq, Eq)]\npub enum Method {\n");
    for (c, m) in &all {
        let s = struct_name(&c.name, &m.name);
        if is_boxed(m) {
            let _ = writeln!(
                o,
                "    /// `{}.{}` (boxed: its arguments are large and rare)\n    {s}(Box<{s}>),",
                c.name, m.name
            );
        } else {
            let _ = writeln!(o, "    /// `{}.{}`\n    {s}({s}),", c.name, m.name);
        }
    }
    o.push_str("    /// A class/method pair the spec does not define, with its raw arguments.\n    Unknown(crate::method::UnknownMethod),\n}\n\n");
    for (c, m) in &all {
        let s = struct_name(&c.name, &m.name);
        let wrap = if is_boxed(m) { "Box::new(m)" } else { "m" };
        let _ = writeln!(
            o,
            "impl From<{s}> for Method {{\n    fn from(m: {s}) -> Self {{\n        Method::{s}({wrap})\n    }}\n}}\n"
        );
    }

    o.push_str("impl Method {\n");
    o.push_str("    pub(crate) fn decode_known(class_id: u16, method_id: u16, r: &mut Reader<'_>) -> Option<Result<Method, DecodeError>> {\n        Some(match (class_id, method_id) {\n");
    for (c, m) in &all {
        let s = struct_name(&c.name, &m.name);
        let wrap = if is_boxed(m) {
            "|m| Method::{s}(Box::new(m))"
        } else {
            "Method::{s}"
        };
        let _ = writeln!(
            o,
            "            ({}, {}) => {s}::decode_args(r).map({}),",
            c.index,
            m.index,
            wrap.replace("{s}", &s)
        );
    }
    o.push_str("            _ => return None,\n        })\n    }\n\n");
    let dispatch = |o: &mut String, sig: &str, doc: &str, body: &str, unknown: &str| {
        let _ = writeln!(o, "    /// {doc}\n    {sig} {{\n        match self {{");
        for (c, m) in &all {
            let s = struct_name(&c.name, &m.name);
            let _ = writeln!(
                o,
                "            Method::{s}(m) => {},",
                body.replace("{s}", &s)
            );
        }
        let pat = if unknown.contains("m.") { "m" } else { "_" };
        let _ = writeln!(
            o,
            "            Method::Unknown({pat}) => {unknown},\n        }}\n    }}\n"
        );
    };
    let ids = |o: &mut String, name: &str, konst: &str, doc: &str| {
        let _ = writeln!(
            o,
            "    /// {doc}\n    pub fn {name}(&self) -> u16 {{\n        match self {{"
        );
        for (c, m) in &all {
            let s = struct_name(&c.name, &m.name);
            let _ = writeln!(o, "            Method::{s}(_) => {s}::{konst},");
        }
        let _ = writeln!(
            o,
            "            Method::Unknown(m) => m.{name},\n        }}\n    }}\n"
        );
    };
    ids(&mut o, "class_id", "CLASS_ID", "Class id.");
    ids(&mut o, "method_id", "METHOD_ID", "Method id.");
    dispatch(
        &mut o,
        "pub fn encoded_len(&self) -> usize",
        "Encoded size of the method frame payload (ids and arguments).",
        "m.encoded_len()",
        "4 + m.args.len()",
    );
    dispatch(
        &mut o,
        "pub fn encode(&self, buf: &mut BytesMut)",
        "Writes the method frame payload (ids and arguments).",
        "m.encode(buf)",
        "m.encode(buf)",
    );
    dispatch(
        &mut o,
        "pub fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)>",
        "Every argument by its spec name, in wire order (an unknown method has none).",
        "m.fields()",
        "Vec::new()",
    );
    let _ = writeln!(o, "    /// The spec's description of this method (`None` for an unknown one).\n    pub fn info(&self) -> Option<&'static MethodInfo> {{\n        match self {{");
    for (i, (c, m)) in all.iter().enumerate() {
        let s = struct_name(&c.name, &m.name);
        let _ = writeln!(o, "            Method::{s}(_) => Some(&METHODS[{i}]),");
    }
    o.push_str("            Method::Unknown(_) => None,\n        }\n    }\n\n");
    // No-wait and expects-reply: a match, no allocation.
    o.push_str("    /// The value of the method's no-wait flag (`no-wait`, or `nowait` in\n    /// confirm.select); `false` for a method without one and for an unknown method.\n    pub fn no_wait(&self) -> bool {\n        match self {\n");
    for (c, m) in &all {
        if let Some(f) = m.no_wait_field() {
            let s = struct_name(&c.name, &m.name);
            let _ = writeln!(
                o,
                "            Method::{s}(m) => m.{},",
                field_ident(&f.name)
            );
        }
    }
    o.push_str("            _ => false,\n        }\n    }\n\n");
    o.push_str("    /// Whether the peer answers this method: it is synchronous (after the\n    /// errata, see [`crate::spec_info::ERRATA`]), some methods answer it, and its\n    /// no-wait flag (if any) is not set. `false` for an unknown method.\n    pub fn expects_reply(&self) -> bool {\n        match self {\n");
    for (c, m) in &all {
        if m.synchronous && !m.responses.is_empty() {
            let s = struct_name(&c.name, &m.name);
            match m.no_wait_field() {
                Some(f) => {
                    let _ = writeln!(
                        o,
                        "            Method::{s}(m) => !m.{},",
                        field_ident(&f.name)
                    );
                }
                None => {
                    let _ = writeln!(o, "            Method::{s}(_) => true,");
                }
            }
        }
    }
    o.push_str("            _ => false,\n        }\n    }\n}\n\n");

    // Properties.
    let basic = spec
        .classes
        .iter()
        .find(|c| !c.properties.is_empty())
        .ok_or("no class with properties")?;
    gen_properties(&mut o, basic)?;

    // Tables.
    let field_infos = |fields: &[Field], ident: fn(&str) -> String| -> Result<String, String> {
        let mut s = String::new();
        for f in fields {
            let tg = type_gen_or_bit(&f.ty)?;
            let _ = write!(
                s,
                "FieldInfo {{ name: {}, ident: {}, domain: {}, ty: ArgType::{}, reserved: {} }}, ",
                rust_str(&f.name),
                rust_str(&ident(&f.name)),
                rust_str(&f.domain),
                tg,
                f.reserved
            );
        }
        Ok(s)
    };
    o.push_str("/// Every method of the spec, in the order of the XML.\npub static METHODS: &[MethodInfo] = &[\n");
    for (c, m) in &all {
        let responses: Vec<String> = m.responses.iter().map(|r| rust_str(r)).collect();
        let ids: Vec<String> = reply_ids(c, m)?.iter().map(u16::to_string).collect();
        let _ = writeln!(
            o,
            "    MethodInfo {{ class_id: {}, method_id: {}, class_name: {}, method_name: {}, full_name: {}, synchronous: {}, content: {}, no_wait: {}, responses: &[{}], reply_ids: &[{}], fields: &[{}] }},",
            c.index,
            m.index,
            rust_str(&c.name),
            rust_str(&m.name),
            rust_str(&format!("{}.{}", c.name, m.name)),
            m.synchronous,
            m.content,
            m.no_wait_field().is_some(),
            responses.join(", "),
            ids.join(", "),
            field_infos(&m.fields, field_ident)?
        );
    }
    o.push_str("];\n\n/// The 0-9-1 errata applied to [`METHODS`]: each place where the full XML\n/// (spec/amqp0-9-1.xml, errata applied) gives a method other `synchronous`\n/// marks or responses than RabbitMQ's extended XML, in the order of the XML.\npub const ERRATA: &[Erratum] = &[\n");
    for e in &spec.errata {
        let _ = writeln!(
            o,
            "    Erratum {{ full_name: {}, attribute: {}, change: {} }},",
            rust_str(&format!("{}.{}", e.class, e.method)),
            rust_str(e.attribute),
            rust_str(&e.change)
        );
    }
    o.push_str("];\n\n/// Every class of the spec, in the order of the XML.\npub static CLASSES: &[ClassInfo] = &[\n");
    for c in &spec.classes {
        let _ = writeln!(
            o,
            "    ClassInfo {{ id: {}, name: {}, properties: &[{}] }},",
            c.index,
            rust_str(&c.name),
            field_infos(&c.properties, property_ident)?
        );
    }
    o.push_str("];\n\n/// Every constant of the spec, in the order of the XML.\npub static CONSTANTS: &[ConstantInfo] = &[\n");
    for k in &spec.constants {
        let class = match &k.class {
            Some(c) => format!("Some({})", rust_str(c)),
            None => "None".into(),
        };
        let _ = writeln!(
            o,
            "    ConstantInfo {{ name: {}, value: {}, class: {class} }},",
            rust_str(&k.name),
            k.value
        );
    }
    o.push_str("];\n\n");

    // Reply codes.
    o.push_str("impl crate::ReplyCode {\n");
    let codes: Vec<&Constant> = spec
        .constants
        .iter()
        .filter(|k| k.class.is_some() || k.name == "reply-success")
        .collect();
    for k in &codes {
        let _ = writeln!(
            o,
            "    /// `{}` ({}){}.\n    pub const {}: crate::ReplyCode = crate::ReplyCode({});",
            k.name,
            k.value,
            match k.class.as_deref() {
                Some("soft-error") => ", a soft error: closes the channel",
                Some("hard-error") => ", a hard error: closes the connection",
                _ => "",
            },
            k.name.replace('-', "_").to_uppercase(),
            k.value
        );
    }
    o.push_str("\n    /// The spec name in upper case (`NOT_FOUND`), when the code is defined.\n    pub fn name(self) -> Option<&'static str> {\n        Some(match self.0 {\n");
    for k in &codes {
        let _ = writeln!(
            o,
            "            {} => {},",
            k.value,
            rust_str(&k.name.replace('-', "_").to_uppercase())
        );
    }
    o.push_str("            _ => return None,\n        })\n    }\n\n    /// Whether the spec classes the code as a hard (connection) error.\n    pub fn is_hard_error(self) -> bool {\n        matches!(self.0, ");
    let hard: Vec<String> = codes
        .iter()
        .filter(|k| k.class.as_deref() == Some("hard-error"))
        .map(|k| k.value.to_string())
        .collect();
    o.push_str(&hard.join(" | "));
    o.push_str(")\n    }\n\n    /// Whether the spec classes the code as a soft (channel) error.\n    pub fn is_soft_error(self) -> bool {\n        matches!(self.0, ");
    let soft: Vec<String> = codes
        .iter()
        .filter(|k| k.class.as_deref() == Some("soft-error"))
        .map(|k| k.value.to_string())
        .collect();
    o.push_str(&soft.join(" | "));
    o.push_str(")\n    }\n}\n");
    Ok(o)
}

fn type_gen_or_bit(ty: &str) -> Result<&'static str, String> {
    if ty == "bit" {
        Ok("Bit")
    } else {
        Ok(type_gen(ty)?.arg_type)
    }
}

fn gen_method(o: &mut String, c: &Class, m: &Method) -> Result<(), String> {
    let s = struct_name(&c.name, &m.name);
    let full = format!("{}.{}", c.name, m.name);
    let mut head = format!(
        "`{full}` (class {}, method {}{}{}).",
        c.index,
        m.index,
        if m.synchronous { ", synchronous" } else { "" },
        if m.content { ", carries content" } else { "" }
    );
    if let Some(d) = &m.doc {
        head.push_str("\n\n");
        head.push_str(d);
    } else {
        head.push_str("\n\nA RabbitMQ extension to 0-9-1.");
    }
    doc_lines(o, "", &head);
    let _ = writeln!(
        o,
        "#[derive(Debug, Clone, Default, PartialEq, Eq)]\npub struct {s} {{"
    );
    for f in &m.fields {
        let rust = if f.ty == "bit" {
            "bool"
        } else {
            type_gen(&f.ty)?.rust
        };
        doc_lines(o, "    ", &field_doc(f));
        let _ = writeln!(o, "    pub {}: {rust},", field_ident(&f.name));
    }
    o.push_str("}\n\n");

    // decode
    let _ = writeln!(
        o,
        "impl {s} {{\n    pub(crate) fn decode_args({}: &mut Reader<'_>) -> Result<Self, DecodeError> {{",
        if m.fields.is_empty() { "_r" } else { "r" }
    );
    let mut idents = Vec::new();
    for g in groups(&m.fields) {
        if g[0].ty == "bit" {
            let _ = writeln!(
                o,
                "        let bits = r.octet().map_err(|e| e.in_field({}))?;",
                rust_str(&g[0].name)
            );
            for (i, f) in g.iter().enumerate() {
                let id = field_ident(&f.name);
                let _ = writeln!(o, "        let {id} = bits & {} != 0;", 1u8 << i);
                idents.push(id);
            }
        } else {
            let f = g[0];
            let id = field_ident(&f.name);
            let tg = type_gen(&f.ty)?;
            let read = if tg.read == "table" {
                "FieldTable::decode(r)".to_string()
            } else {
                format!("r.{}()", tg.read)
            };
            let _ = writeln!(
                o,
                "        let {id} = {read}.map_err(|e| e.in_field({}))?;",
                rust_str(&f.name)
            );
            idents.push(id);
        }
    }
    let _ = writeln!(
        o,
        "        Ok({s} {{ {} }})\n    }}\n}}\n",
        idents.join(", ")
    );

    // MethodArgs
    let _ = writeln!(
        o,
        "impl MethodArgs for {s} {{\n    const CLASS_ID: u16 = {};\n    const METHOD_ID: u16 = {};\n    const NAME: &'static str = {};\n",
        c.index,
        m.index,
        rust_str(&full)
    );
    let mut len_terms = vec!["4".to_string()];
    let mut writes = vec![
        format!("buf.put_u16({});", c.index),
        format!("buf.put_u16({});", m.index),
    ];
    for g in groups(&m.fields) {
        if g[0].ty == "bit" {
            len_terms.push("1".into());
            let parts: Vec<String> = g
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let id = field_ident(&f.name);
                    if i == 0 {
                        format!("u8::from(self.{id})")
                    } else {
                        format!("(u8::from(self.{id}) << {i})")
                    }
                })
                .collect();
            writes.push(format!("buf.put_u8({});", parts.join(" | ")));
        } else {
            let f = g[0];
            let tg = type_gen(&f.ty)?;
            let v = format!("self.{}", field_ident(&f.name));
            len_terms.push(tg.len.replace("{}", &v));
            writes.push(tg.write.replace("{}", &v));
        }
    }
    // Constant terms summed for readability.
    let konst: usize = len_terms
        .iter()
        .filter_map(|t| t.parse::<usize>().ok())
        .sum();
    let mut var: Vec<String> = len_terms
        .iter()
        .filter(|t| t.parse::<usize>().is_err())
        .cloned()
        .collect();
    var.insert(0, konst.to_string());
    let _ = writeln!(
        o,
        "    fn encoded_len(&self) -> usize {{\n        {}\n    }}\n",
        var.join(" + ")
    );
    let _ = writeln!(
        o,
        "    fn encode(&self, buf: &mut BytesMut) {{\n        {}\n    }}\n",
        writes.join("\n        ")
    );
    let entries: Vec<String> = m
        .fields
        .iter()
        .map(|f| {
            let v = format!("self.{}", field_ident(&f.name));
            let val = if f.ty == "bit" {
                format!("ArgValue::Bit({v})")
            } else {
                type_gen(&f.ty)
                    .map(|t| t.arg_value.replace("{}", &v))
                    .unwrap_or_default()
            };
            format!("({}, {val})", rust_str(&f.name))
        })
        .collect();
    let _ = writeln!(
        o,
        "    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {{\n        vec![{}]\n    }}\n}}\n",
        entries.join(", ")
    );
    Ok(())
}

fn gen_properties(o: &mut String, c: &Class) -> Result<(), String> {
    let n = c.properties.len();
    if n > 15 {
        return Err("more than 15 properties need flag continuation".into());
    }
    o.push_str("/// The content properties of class `basic` (the 14 of the spec). A property\n/// is present on the wire when it is `Some`; the flags word is derived from that.\n///\n/// ```\n/// use amqp091_codec::{BasicProperties, ShortStr};\n/// let props = BasicProperties::default()\n///     .with_content_type(ShortStr::from_static(\"text/plain\"))\n///     .with_delivery_mode(2);\n/// assert_eq!(props.delivery_mode, Some(2));\n/// ```\n#[derive(Debug, Clone, Default, PartialEq, Eq)]\npub struct BasicProperties {\n");
    for f in &c.properties {
        let tg = type_gen(&f.ty)?;
        let mut d = f
            .doc
            .clone()
            .unwrap_or_else(|| format!("The `{}` property.", f.name));
        if f.name != property_ident(&f.name).replace('_', "-") {
            d.push_str(&format!("\n\nSpec name: `{}`.", f.name));
        }
        doc_lines(o, "    ", &d);
        let _ = writeln!(
            o,
            "    pub {}: Option<{}>,",
            property_ident(&f.name),
            tg.rust
        );
    }
    o.push_str("}\n\nimpl BasicProperties {\n");
    // No property set, as a constant (messages without properties share it).
    o.push_str(
        "    /// No property set.\n    pub const EMPTY: BasicProperties = BasicProperties {\n",
    );
    for f in &c.properties {
        let _ = writeln!(o, "        {}: None,", property_ident(&f.name));
    }
    o.push_str("    };\n\n");
    // Builders.
    for f in &c.properties {
        let tg = type_gen(&f.ty)?;
        let id = property_ident(&f.name);
        let _ = writeln!(
            o,
            "    /// Sets `{}`.\n    pub fn with_{id}(mut self, value: {}) -> Self {{\n        self.{id} = Some(value);\n        self\n    }}\n",
            f.name, tg.rust
        );
        // Text properties read as `&str` (`None` when absent or not UTF-8).
        if matches!(f.ty.as_str(), "shortstr" | "longstr") {
            let _ = writeln!(
                o,
                "    /// `{}` as text, when present and UTF-8.\n    pub fn {id}_str(&self) -> Option<&str> {{\n        self.{id}.as_ref().and_then(|v| v.as_str())\n    }}\n",
                f.name
            );
        }
    }
    // flags
    o.push_str("    /// The property flags word: bit 15 for the first property, downwards.\n    pub fn flags(&self) -> u16 {\n        let mut flags = 0u16;\n");
    for (i, f) in c.properties.iter().enumerate() {
        let _ = writeln!(
            o,
            "        if self.{}.is_some() {{\n            flags |= 1 << {};\n        }}",
            property_ident(&f.name),
            15 - i
        );
    }
    o.push_str("        flags\n    }\n\n");
    let defined: u16 = (0..n).map(|i| 1u16 << (15 - i)).fold(0, |a, b| a | b);
    let _ = writeln!(o, "    /// Flag bits that name a property.\n    pub const DEFINED_FLAGS: u16 = {defined:#06x};\n");
    // encoded_len
    o.push_str("    /// Encoded size, flags word included.\n    pub fn encoded_len(&self) -> usize {\n        let mut len = 2;\n");
    for f in &c.properties {
        let tg = type_gen(&f.ty)?;
        let id = property_ident(&f.name);
        if tg.len.contains("{}") {
            let _ = writeln!(
                o,
                "        if let Some(v) = &self.{id} {{\n            len += {};\n        }}",
                tg.len.replace("{}", "v")
            );
        } else {
            let _ = writeln!(
                o,
                "        if self.{id}.is_some() {{\n            len += {};\n        }}",
                tg.len
            );
        }
    }
    o.push_str("        len\n    }\n\n    /// Writes the flags word and the present properties.\n    pub fn encode(&self, buf: &mut BytesMut) {\n        buf.put_u16(self.flags());\n");
    for f in &c.properties {
        let tg = type_gen(&f.ty)?;
        let write = tg
            .write
            .replace("{}", "v")
            .replace("buf.put_u8(v)", "buf.put_u8(*v)")
            .replace("buf.put_u64(v)", "buf.put_u64(*v)");
        let _ = writeln!(
            o,
            "        if let Some(v) = &self.{} {{\n            {write}\n        }}",
            property_ident(&f.name)
        );
    }
    o.push_str("    }\n\n    /// Decodes into `self` (which must be empty): in place, because the\n    /// struct is large and a decoded value would be moved several times.\n    pub(crate) fn decode_into(&mut self, r: &mut Reader<'_>) -> Result<(), DecodeError> {\n        let at = r.offset();\n        let flags = r.short().map_err(|e| e.in_field(\"property-flags\"))?;\n        if flags & !Self::DEFINED_FLAGS != 0 {\n            return Err(DecodeError::new(crate::error::DecodeErrorKind::BadPropertyFlags { flags }, at));\n        }\n        let p = self;\n");
    for (i, f) in c.properties.iter().enumerate() {
        let tg = type_gen(&f.ty)?;
        let read = if tg.read == "table" {
            "FieldTable::decode(r)".to_string()
        } else {
            format!("r.{}()", tg.read)
        };
        let _ = writeln!(
            o,
            "        if flags & (1 << {}) != 0 {{\n            p.{} = Some({read}.map_err(|e| e.in_field({}))?);\n        }}",
            15 - i,
            property_ident(&f.name),
            rust_str(&f.name)
        );
    }
    o.push_str("        Ok(())\n    }\n\n    /// The present properties by spec name, in wire order.\n    pub fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {\n        let mut out = Vec::new();\n");
    for f in &c.properties {
        let tg = type_gen(&f.ty)?;
        let val = tg.arg_value.replace("&{}", "v").replace("{}", "*v");
        let _ = writeln!(
            o,
            "        if let Some(v) = &self.{} {{\n            out.push(({}, {val}));\n        }}",
            property_ident(&f.name),
            rust_str(&f.name)
        );
    }
    o.push_str("        out\n    }\n}\n\n");
    Ok(())
}

/// Generates `codec/src/generated_strategies.rs` (before rustfmt).
pub fn generate_strategies(spec: &Spec) -> Result<String, String> {
    let mut o = String::new();
    o.push_str(
        "// GENERATED FILE - DO NOT EDIT.\n\
         // Made by `cargo run -p amqp091-spec --bin generate` from spec/amqp0-9-1.extended.xml.\n\n\
         //! A proptest strategy for every method of the spec.\n\n\
         use proptest::prelude::*;\n\
         use proptest::strategy::Union;\n\n\
         use super::{field_table, long_str, short_str};\n\
         use crate::method::*;\n\
         use crate::Method;\n\n",
    );
    let mut arms = Vec::new();
    for c in &spec.classes {
        for m in &c.methods {
            let s = struct_name(&c.name, &m.name);
            let fname = format!("{}_{}", c.name, m.name.replace('-', "_"));
            let strategies: Vec<String> = m
                .fields
                .iter()
                .map(|f| {
                    if f.ty == "bit" {
                        Ok("any::<bool>()")
                    } else {
                        type_gen(&f.ty).map(|t| t.strategy)
                    }
                })
                .collect::<Result<Vec<&str>, String>>()?
                .into_iter()
                .map(str::to_string)
                .collect();
            let idents: Vec<String> = m.fields.iter().map(|f| field_ident(&f.name)).collect();
            let _ = writeln!(o, "/// Any `{}.{}`.", c.name, m.name);
            if idents.is_empty() {
                let _ = writeln!(
                    o,
                    "pub fn {fname}() -> impl Strategy<Value = {s}> {{\n    Just({s} {{}})\n}}\n"
                );
            } else {
                let _ = writeln!(
                    o,
                    "pub fn {fname}() -> impl Strategy<Value = {s}> {{\n    ({},).prop_map(|({},)| {s} {{ {} }})\n}}\n",
                    strategies.join(", "),
                    idents.join(", "),
                    idents.join(", ")
                );
            }
            arms.push(format!("{fname}().prop_map(Method::from).boxed()"));
        }
    }
    let _ = writeln!(
        o,
        "/// Any method the spec defines, uniformly over methods.\npub fn known_method() -> impl Strategy<Value = Method> {{\n    Union::new(vec![\n        {},\n    ])\n}}",
        arms.join(",\n        ")
    );
    Ok(o)
}

/// Formats Rust source with rustfmt (as `cargo fmt` would).
pub fn rustfmt(source: &str) -> Result<String, String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("running rustfmt: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(source.as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

/// Reads and parses the XML files of this directory, with the errata of the
/// full XML applied ([`apply_errata`]): what the generator generates from.
pub fn load() -> Result<Spec, String> {
    let (extended, extensions, full) = read_xml()?;
    let ext: Vec<&str> = extensions.iter().map(String::as_str).collect();
    let mut spec = parse(&extended, &ext, Some(&full))?;
    apply_errata(&mut spec, &full)?;
    Ok(spec)
}

/// Both generated files, formatted: (method table, strategies).
pub fn generate_all() -> Result<(String, String), String> {
    let spec = load()?;
    Ok((
        rustfmt(&generate(&spec)?)?,
        rustfmt(&generate_strategies(&spec)?)?,
    ))
}
