//! The walk: every fact of the page against the spec, plus the probes of
//! the generated types.

use eg_docs_page::{DocsPage, Field, Language, Mandatory};
use serde::Deserialize;
use serde_json::Value;

use crate::probes::{self, Site};
use crate::{Finding, Status};

/// One `x-departures` entry as the spec writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    fact: String,
    #[serde(default)]
    field: Option<String>,
    spec: Value,
    docs: Value,
    reason: String,
}

struct Departure {
    /// Pointer of the entry itself.
    at: String,
    /// Pointer of the element carrying `x-departures`.
    holder: String,
    entry: Entry,
    used: bool,
}

/// Elements whose `x-departures` may excuse a fact: `(holder, field)`.
type Scope = Vec<(String, Option<String>)>;

/// What the page says about a fact.
enum Docs {
    Says(String),
    /// The page has room for the fact (a limit, an enum) and states none.
    Silent,
    /// The page has a cell for it and leaves it empty; the reason names it.
    Open(&'static str),
}

impl Docs {
    /// The verb phrase after "docs line N".
    fn said(&self) -> String {
        match self {
            Docs::Says(v) => format!("says {v}"),
            Docs::Silent => "states none".into(),
            Docs::Open(why) => format!("leaves it open ({why})"),
        }
    }
}

/// A docs line, with the title of the table it starts.
struct Where {
    line: usize,
    table: Option<String>,
}

impl std::fmt::Display for Where {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.table {
            Some(t) => write!(f, "docs line {} ({t})", self.line),
            None => write!(f, "docs line {}", self.line),
        }
    }
}

/// Huge documented limits are not worth a string that size.
const MAX_PROBE_LEN: u64 = 1 << 20;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Appends `token` to a JSON pointer, escaped per RFC 6901.
fn join(base: &str, token: &str) -> String {
    format!("{base}/{}", token.replace('~', "~0").replace('/', "~1"))
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

fn plural(n: u64) -> String {
    format!("{n} character{}", if n == 1 { "" } else { "s" })
}

/// A docs type cell (`String`, `Array of strings`, `Foo object`) in the
/// spelling of an OpenAPI schema type.
fn docs_type(t: &str) -> String {
    let t = t.trim();
    let generic = |p: &str| t.strip_prefix(p).and_then(|r| r.strip_suffix('>'));
    if let Some(inner) = t
        .strip_prefix("Array of ")
        .or_else(|| generic("List<"))
        .or_else(|| generic("Array<"))
    {
        let inner = match inner.strip_suffix(" objects") {
            Some(_) => "object".to_owned(),
            None => {
                let one = docs_type(inner);
                let singular = inner.strip_suffix('s').map(docs_type);
                match singular {
                    Some(s) if one == inner.to_lowercase() => s,
                    _ => one,
                }
            }
        };
        return format!("array of {inner}");
    }
    if t.starts_with("Map<") || t.ends_with(" object") {
        return "object".into();
    }
    match t.to_ascii_lowercase().as_str() {
        "string" | "date" | "datetime" | "timestamp" | "file" => "string",
        "integer" | "int" | "int32" | "int64" | "long" | "short" | "byte" => "integer",
        "float" | "double" | "number" | "bigdecimal" => "number",
        "boolean" => "boolean",
        "object" | "map" => "object",
        "array" | "list" => "array",
        other => return other.to_owned(),
    }
    .into()
}

/// How a parameter is matched: header names are case-insensitive in HTTP.
fn key_of(loc: &str, name: &str) -> String {
    match loc {
        "header" => name.to_ascii_lowercase(),
        _ => name.to_owned(),
    }
}

pub(crate) struct Checker<'a> {
    page: &'a DocsPage,
    lines: Vec<&'a str>,
    spec: &'a Value,
    departures: Vec<Departure>,
    out: Vec<Finding>,
}

impl<'a> Checker<'a> {
    pub(crate) fn run(page: &'a DocsPage, text: &'a str, spec: &'a Value) -> Vec<Finding> {
        let mut c = Checker {
            page,
            lines: text.lines().collect(),
            spec,
            departures: Vec::new(),
            out: Vec::new(),
        };
        c.collect_departures(spec, String::new());
        c.operation();
        let unused: Vec<(String, String)> = c
            .departures
            .iter()
            .filter(|d| !d.used)
            .map(|d| (d.at.clone(), d.entry.fact.clone()))
            .collect();
        for (at, fact) in unused {
            c.push(
                Status::Fail,
                &at,
                "x-departures",
                None,
                format!(
                    "x-departures entry for {fact} excuses no difference from the docs; remove or correct it"
                ),
            );
        }
        c.out
    }

    fn push(&mut self, status: Status, at: &str, fact: &str, line: Option<usize>, message: String) {
        self.out.push(Finding {
            status,
            pointer: at.to_owned(),
            fact: fact.to_owned(),
            docs_line: line,
            message,
            reason: None,
        });
    }

    fn collect_departures(&mut self, v: &Value, at: String) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    let here = join(&at, k);
                    if k != "x-departures" {
                        self.collect_departures(child, here);
                        continue;
                    }
                    let Some(list) = child.as_array() else {
                        self.push(
                            Status::Fail,
                            &here,
                            "x-departures",
                            None,
                            "x-departures is not a list".into(),
                        );
                        continue;
                    };
                    for (i, e) in list.iter().enumerate() {
                        let entry_at = join(&here, &i.to_string());
                        match Entry::deserialize(e) {
                            Ok(entry) => self.departures.push(Departure {
                                at: entry_at,
                                holder: at.clone(),
                                entry,
                                used: false,
                            }),
                            Err(e) => self.push(
                                Status::Fail,
                                &entry_at,
                                "x-departures",
                                None,
                                format!("malformed x-departures entry: {e}"),
                            ),
                        }
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    self.collect_departures(child, join(&at, &i.to_string()));
                }
            }
            _ => {}
        }
    }

    /// Follows `$ref`s from `at` to the element they name. A dangling or
    /// circular reference fails, naming the docs `line` left unchecked.
    fn resolve(&mut self, at: String, line: usize) -> Option<(String, &'a Value)> {
        let spec = self.spec;
        let mut at = at;
        for _ in 0..32 {
            let v = spec.pointer(&at)?;
            let Some(r) = v.get("$ref").and_then(Value::as_str) else {
                return Some((at, v));
            };
            match r.strip_prefix('#').filter(|p| spec.pointer(p).is_some()) {
                Some(target) => at = target.to_owned(),
                None => {
                    let msg =
                        format!("$ref {r} does not resolve, so docs line {line} cannot be checked");
                    self.push(Status::Fail, &join(&at, "$ref"), "$ref", Some(line), msg);
                    return None;
                }
            }
        }
        let msg = format!("$ref chain is circular, so docs line {line} cannot be checked");
        self.push(Status::Fail, &at, "$ref", Some(line), msg);
        None
    }

    /// Decides one fact. `same` is whether spec and docs agree; a matching
    /// departure turns a difference (or an open cell) into ACCEPTED.
    #[allow(clippy::too_many_arguments)]
    fn judge(
        &mut self,
        at: &str,
        fact: &str,
        spec: Option<String>,
        docs: Docs,
        same: bool,
        line: usize,
        scope: &Scope,
        message: String,
    ) {
        let open = matches!(docs, Docs::Open(_));
        if same && !open {
            return self.push(Status::Ok, at, fact, Some(line), message);
        }
        let dep = self.departures.iter_mut().find(|d| {
            d.entry.fact == fact
                && scope
                    .iter()
                    .any(|(h, f)| *h == d.holder && *f == d.entry.field)
        });
        let Some(dep) = dep else {
            let status = if open {
                Status::NotCheckable
            } else {
                Status::Fail
            };
            return self.push(status, at, fact, Some(line), message);
        };
        dep.used = true;
        let (dep_spec, dep_docs) = (text(&dep.entry.spec), text(&dep.entry.docs));
        let spec_ok = match &spec {
            Some(s) => dep_spec == *s,
            None => dep.entry.spec.is_null() || dep_spec == "not set",
        };
        let docs_ok = match &docs {
            Docs::Says(v) => dep_docs == *v || dep_docs.starts_with(&format!("{v} (")),
            Docs::Silent | Docs::Open(_) => dep_docs.starts_with("not stated"),
        };
        if spec_ok && docs_ok {
            let reason = dep.entry.reason.trim().to_owned();
            self.out.push(Finding {
                status: Status::Accepted,
                pointer: at.to_owned(),
                fact: fact.to_owned(),
                docs_line: Some(line),
                message: format!("{message}; departure: {reason}"),
                reason: Some(reason),
            });
        } else {
            let stale = format!(
                "{message}; the departure at {} expects spec {dep_spec}, docs {dep_docs}",
                dep.at
            );
            self.push(Status::Fail, at, fact, Some(line), stale);
        }
    }

    /// `{fact} is {spec}, docs line {line} says {docs}`, the shape of most lines.
    #[allow(clippy::too_many_arguments)]
    fn compare(
        &mut self,
        at: &str,
        fact: &str,
        spec: Option<String>,
        docs: Docs,
        same: bool,
        line: usize,
        scope: &Scope,
    ) {
        let s = spec.as_deref().unwrap_or("not set");
        let message = format!("{fact} is {s}, docs line {line} {}", docs.said());
        self.judge(at, fact, spec, docs, same, line, scope, message);
    }

    /// The table of `row` (or, without one, the line `fallback`), as in
    /// "docs line 42 (表2 请求Header参数)".
    fn where_(&self, row: Option<&Field>, fallback: usize) -> Where {
        match row {
            Some(f) => Where {
                line: self.table_line(&f.table),
                table: Some(f.table.clone()),
            },
            None => Where {
                line: fallback,
                table: None,
            },
        }
    }

    fn table_line(&self, title: &str) -> usize {
        let t = self.page.tables.iter().find(|t| t.value == title);
        t.map_or(self.page.endpoint.line, |t| t.line)
    }

    fn operation(&mut self) {
        let ep = &self.page.endpoint;
        let (method, path) = (ep.value.method.to_ascii_lowercase(), &ep.value.path);
        let spec = self.spec;
        let ops: Vec<(&'a String, &'static str)> = spec
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .flat_map(|(p, item)| {
                METHODS
                    .into_iter()
                    .filter(|m| item.get(*m).is_some())
                    .map(move |m| (p, m))
            })
            .collect();
        let found = ops
            .iter()
            .find(|(p, m)| *p == path && *m == method)
            .or_else(|| ops.iter().find(|(p, _)| *p == path))
            .or_else(|| ops.first().filter(|_| ops.len() == 1));
        let Some(&(spec_path, spec_method)) = found else {
            let msg = format!(
                "no operation {} {path} in the spec, docs line {} documents it",
                ep.value.method, ep.line
            );
            return self.push(Status::Fail, "/paths", "operation", Some(ep.line), msg);
        };
        let path_at = join("/paths", spec_path);
        let op_at = join(&path_at, spec_method);
        let none = Scope::new();
        self.compare(
            &path_at,
            "path",
            Some(spec_path.clone()),
            Docs::Says(path.clone()),
            spec_path == path,
            ep.line,
            &none,
        );
        self.compare(
            &op_at,
            "method",
            Some(spec_method.to_ascii_uppercase()),
            Docs::Says(ep.value.method.clone()),
            spec_method == method,
            ep.line,
            &none,
        );
        self.parameters(&path_at, &op_at);
        self.request_body(&op_at);
        self.responses(&op_at);
    }

    fn parameters(&mut self, path_at: &str, op_at: &str) {
        // (location, key, pointer, resolved parameter); operation-level
        // parameters override path-level ones of the same name.
        let mut params: Vec<(String, String, String, &'a Value)> = Vec::new();
        for base in [path_at, op_at] {
            let list_at = join(base, "parameters");
            let n = self
                .spec
                .pointer(&list_at)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for i in 0..n {
                let Some((at, p)) =
                    self.resolve(join(&list_at, &i.to_string()), self.page.endpoint.line)
                else {
                    continue;
                };
                let loc = p.get("in").and_then(Value::as_str).unwrap_or_default();
                let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
                let key = key_of(loc, name);
                params.retain(|(l, k, ..)| !(l == loc && *k == key));
                params.push((loc.to_owned(), key, at, p));
            }
        }
        let page = self.page;
        let groups = [
            ("path", &page.path_params, Site::Path),
            ("query", &page.query_params, Site::Query),
            ("header", &page.header_params, Site::Header),
        ];
        let list_at = join(op_at, "parameters");
        for (loc, fields, site) in groups {
            for f in fields {
                let key = key_of(loc, &f.name);
                let i = params.iter().position(|(l, k, ..)| l == loc && *k == key);
                let Some((_, _, at, p)) = i.map(|i| params.remove(i)) else {
                    let msg = format!(
                        "{loc} parameter {} is missing, docs line {} documents it",
                        f.name, f.line
                    );
                    self.push(Status::Fail, &list_at, "parameter", Some(f.line), msg);
                    self.enforce(site, f, &list_at);
                    continue;
                };
                self.declared(f, &at, p, &format!("{loc} parameter"), site, true);
            }
        }
        for (loc, _, at, p) in params {
            let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
            let first = groups.iter().find(|g| g.0 == loc).and_then(|g| g.1.first());
            let where_ = self.where_(first, self.page.endpoint.line);
            let msg =
                format!("{loc} parameter {name} is not in the docs, {where_} does not list it");
            self.push(Status::Fail, &at, "parameter", Some(where_.line), msg);
        }
    }

    /// A parameter or header object at `at` documented by row `f`: its
    /// `required` flag, then its schema (type, limits, enum) and what the
    /// generated type enforces; a missing schema fails.
    fn declared(
        &mut self,
        f: &Field,
        at: &str,
        object: &Value,
        noun: &str,
        site: Site,
        request: bool,
    ) {
        let required = object.get("required").and_then(Value::as_bool) == Some(true);
        let mut scope = vec![(at.to_owned(), None)];
        self.required(f, at, None, required, request, &scope);
        match self.resolve(join(at, "schema"), f.type_name.line) {
            Some((schema_at, schema)) => {
                scope.push((schema_at.clone(), None));
                self.schema(f, &schema_at, schema, &scope);
                self.enforce(site, f, &schema_at);
            }
            None => {
                let line = f.type_name.line;
                let msg = format!(
                    "{noun} {} has no schema, docs line {line} gives its type",
                    f.name
                );
                self.push(Status::Fail, at, "schema", Some(line), msg);
                self.enforce(site, f, at);
            }
        }
    }

    /// The `required` fact of a row. Request tables have a 是否必选 column,
    /// so an empty cell there is an open fact; response tables have none,
    /// so only a stated cell is compared. `of` names the property when `at`
    /// is its object's `required` list.
    fn required(
        &mut self,
        f: &Field,
        at: &str,
        of: Option<&str>,
        spec: bool,
        request: bool,
        scope: &Scope,
    ) {
        let cell = match self.page.language {
            Language::Chinese => "no 是否必选 cell",
            Language::English => "no Mandatory cell",
        };
        let (docs, same) = match f.mandatory.value {
            Mandatory::Yes => (Docs::Says("mandatory".into()), spec),
            Mandatory::No => (Docs::Says("optional".into()), !spec),
            Mandatory::NotStated if request => (Docs::Open(cell), false),
            Mandatory::NotStated => return,
        };
        let line = f.mandatory.line;
        let of = of.map(|n| format!(" for {n}")).unwrap_or_default();
        let msg = format!("required is {spec}{of}, docs line {line} {}", docs.said());
        self.judge(
            at,
            "required",
            Some(spec.to_string()),
            docs,
            same,
            line,
            scope,
            msg,
        );
    }

    /// Type, lengths, bounds, default and enum of one row against its
    /// resolved schema at `at`.
    fn schema(&mut self, f: &Field, at: &str, s: &'a Value, scope: &Scope) {
        let spec_type = self.spec_type(at, s, f.type_name.line);
        let docs = docs_type(&f.type_name.value);
        let same = spec_type.as_deref().is_some_and(|t| {
            t == docs
                || (docs == "array" && t.starts_with("array"))
                || (docs == "object" && t == "object")
        });
        let docs = Docs::Says(f.type_name.value.clone());
        self.compare(at, "type", spec_type, docs, same, f.type_name.line, scope);

        let number = |k: &str| s.get(k).filter(|v| v.is_number()).map(text);
        for (fact, docs) in [("minLength", &f.min_length), ("maxLength", &f.max_length)] {
            let spec = number(fact);
            let docs = docs.as_ref().map(|l| (l.value.to_string(), l.line));
            self.optional(at, fact, spec, docs, f.line, scope, |a, b| a == b);
        }
        let num_eq = |a: &str, b: &str| a.parse::<f64>().ok() == b.parse::<f64>().ok();
        for (fact, docs) in [("minimum", &f.minimum), ("maximum", &f.maximum)] {
            let docs = docs.as_ref().map(|l| (l.value.clone(), l.line));
            self.optional(at, fact, number(fact), docs, f.line, scope, num_eq);
        }
        let default = s.get("default").map(text);
        let docs = f.default.as_ref().map(|l| (l.value.clone(), l.line));
        self.optional(at, "default", default, docs, f.line, scope, |a, b| a == b);

        let spec_enum: Vec<String> = s
            .get("enum")
            .and_then(Value::as_array)
            .map(|v| v.iter().map(text).collect())
            .unwrap_or_default();
        for v in &f.enum_values {
            let listed = spec_enum.contains(&v.value);
            let msg = format!(
                "enum {} {:?}, docs line {} lists it",
                if listed { "has" } else { "lacks" },
                v.value,
                v.line
            );
            let spec = listed.then(|| v.value.clone());
            let docs = Docs::Says(v.value.clone());
            self.judge(at, "enum", spec, docs, listed, v.line, scope, msg);
        }
        for v in spec_enum
            .iter()
            .filter(|v| !f.enum_values.iter().any(|d| d.value == **v))
        {
            let msg = format!("enum has {v:?}, docs line {} does not list it", f.line);
            self.judge(
                at,
                "enum",
                Some(v.clone()),
                Docs::Silent,
                false,
                f.line,
                scope,
                msg,
            );
        }
    }

    /// A fact the page may leave out (a limit): compared only when one side
    /// states it; a missing line in the docs points at the row.
    #[allow(clippy::too_many_arguments)]
    fn optional(
        &mut self,
        at: &str,
        fact: &str,
        spec: Option<String>,
        docs: Option<(String, usize)>,
        row: usize,
        scope: &Scope,
        eq: impl Fn(&str, &str) -> bool,
    ) {
        match (spec, docs) {
            (None, None) => {}
            (spec, Some((d, line))) => {
                let same = spec.as_deref().is_some_and(|s| eq(s, &d));
                self.compare(at, fact, spec, Docs::Says(d), same, line, scope);
            }
            (spec, None) => self.compare(at, fact, spec, Docs::Silent, false, row, scope),
        }
    }

    fn spec_type(&mut self, at: &str, s: &Value, line: usize) -> Option<String> {
        match s.get("type").and_then(Value::as_str) {
            Some("array") => {
                let items = self.resolve(join(at, "items"), line);
                let inner = items.and_then(|(i_at, i)| self.spec_type(&i_at, i, line));
                Some(format!("array of {}", inner.as_deref().unwrap_or("any")))
            }
            Some(t) => Some(t.to_owned()),
            None if s.get("properties").is_some() => Some("object".into()),
            None => None,
        }
    }

    /// Runs the documented limits and enum values of `f` against the
    /// generated type mapped to it.
    fn enforce(&mut self, site: Site, f: &Field, at: &str) {
        let probe = probes::probe(site, &f.name);
        let limits = [
            (&f.min_length, "minLength", -1),
            (&f.max_length, "maxLength", 1),
        ];
        for (limit, fact, step) in limits {
            let Some(limit) = limit else { continue };
            let says = format!("docs line {} says {fact} {}", limit.line, limit.value);
            let fact = format!("enforced {fact}");
            if limit.value >= MAX_PROBE_LEN {
                let msg = format!("too long to probe, {says}");
                self.push(Status::NotCheckable, at, &fact, Some(limit.line), msg);
                continue;
            }
            // One character past the limit; nothing is shorter than empty.
            let case = |n: u64| ("x".repeat(n as usize), plural(n));
            let past = limit.value.checked_add_signed(step).map(case);
            let reject = past.into_iter().collect();
            self.exercise(
                at,
                &fact,
                limit.line,
                &f.name,
                probe,
                case(limit.value),
                reject,
                says,
            );
        }
        let documented = |v: &str| f.enum_values.iter().any(|d| d.value == v);
        for v in &f.enum_values {
            let says = format!("docs line {} says enum {:?}", v.line, v.value);
            let rejects = [v.value.to_lowercase(), format!("{}X", v.value)]
                .into_iter()
                .filter(|r| !documented(r))
                .map(|r| (r.clone(), format!("{r:?}")))
                .collect();
            let accept = (v.value.clone(), format!("{:?}", v.value));
            self.exercise(
                at,
                "enforced enum",
                v.line,
                &f.name,
                probe,
                accept,
                rejects,
                says,
            );
        }
    }

    /// Runs `probe` on one `(value, how to name it)` case it must accept
    /// and on those it must reject.
    #[allow(clippy::too_many_arguments)]
    fn exercise(
        &mut self,
        at: &str,
        fact: &str,
        line: usize,
        name: &str,
        probe: Option<(&str, probes::Probe)>,
        accept: (String, String),
        reject: Vec<(String, String)>,
        says: String,
    ) {
        let Some((ty, probe)) = probe else {
            let msg = format!("no generated type enforces {name}, {says}");
            return self.push(Status::Fail, at, fact, Some(line), msg);
        };
        let mut wrong = Vec::new();
        if let Err(e) = probe(&accept.0) {
            wrong.push(format!("rejects {} ({e})", accept.1));
        }
        for (v, shown) in &reject {
            if probe(v).is_ok() {
                wrong.push(format!("accepts {shown}"));
            }
        }
        let (status, what) = if wrong.is_empty() {
            let shown: Vec<&str> = reject.iter().map(|c| c.1.as_str()).collect();
            let rejects = match shown.join(" and ") {
                r if r.is_empty() => r,
                r => format!(" and rejects {r}"),
            };
            (Status::Ok, format!("accepts {}{rejects}", accept.1))
        } else {
            (Status::Fail, wrong.join(" and "))
        };
        self.push(
            status,
            at,
            fact,
            Some(line),
            format!("generated {ty} {what}, {says}"),
        );
    }

    /// Compares the rows of `table` with the object schema at `at`, and
    /// recurses into tables that rows name as their type.
    fn object(&mut self, fields: &[Field], table: &str, at: String, site: Site, request: bool) {
        let table_line = self.table_line(table);
        let Some((obj_at, obj)) = self.resolve(at.clone(), table_line) else {
            let msg = format!("no schema for {table}, docs line {table_line} documents it");
            return self.push(Status::Fail, &at, "schema", Some(table_line), msg);
        };
        let props_at = join(&obj_at, "properties");
        let mut props: Vec<&String> = obj
            .get("properties")
            .and_then(Value::as_object)
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        let required: Vec<&str> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for f in fields.iter().filter(|f| f.table == table) {
            let prop_at = join(&props_at, &f.name);
            let Some(i) = props.iter().position(|p| **p == f.name) else {
                let msg = format!(
                    "property {} is missing, docs line {} documents it",
                    f.name, f.line
                );
                self.push(Status::Fail, &props_at, "property", Some(f.line), msg);
                self.enforce(site, f, &props_at);
                continue;
            };
            props.remove(i);
            let mut scope = vec![
                (obj_at.clone(), Some(f.name.clone())),
                (prop_at.clone(), None),
            ];
            let is_required = required.contains(&f.name.as_str());
            let req_at = join(&obj_at, "required");
            self.required(f, &req_at, Some(&f.name), is_required, request, &scope);
            let Some((s_at, s)) = self.resolve(prop_at.clone(), f.line) else {
                self.enforce(site, f, &prop_at);
                continue;
            };
            scope.push((s_at.clone(), None));
            self.schema(f, &s_at, s, &scope);
            self.enforce(site, f, &s_at);
            if let Some(child) = self.nested_table(fields, f) {
                let child_at = match s.get("type").and_then(Value::as_str) {
                    Some("array") => join(&s_at, "items"),
                    _ => s_at,
                };
                self.object(fields, child, child_at, site, request);
            }
        }
        for p in props {
            let msg = format!(
                "property {p} is not in the docs, docs line {table_line} ({table}) does not list it"
            );
            self.push(
                Status::Fail,
                &join(&props_at, p),
                "property",
                Some(table_line),
                msg,
            );
        }
    }

    /// The table documenting the object type of row `f` (`Array of Foo
    /// objects` → `表5 Foo`), if the page has one.
    fn nested_table<'f>(&self, fields: &'f [Field], f: &Field) -> Option<&'f str> {
        let t = f.type_name.value.trim();
        let t = t.strip_prefix("Array of ").unwrap_or(t);
        let t = t
            .strip_suffix(" objects")
            .or_else(|| t.strip_suffix(" object"))?;
        fields
            .iter()
            .map(|g| g.table.as_str())
            .find(|table| table.split_whitespace().nth(1) == Some(t))
    }

    /// The first table of `fields` and everything reachable from it; rows
    /// of tables no row names are reported, not dropped.
    fn tables(&mut self, fields: &[Field], at: String, site: Site, request: bool) {
        let Some(first) = fields.first() else { return };
        self.object(fields, &first.table, at, site, request);
        let mut reached = vec![first.table.as_str()];
        let mut i = 0;
        while let Some(&table) = reached.get(i) {
            i += 1;
            for f in fields.iter().filter(|f| f.table == table) {
                if let Some(child) = self
                    .nested_table(fields, f)
                    .filter(|c| !reached.contains(c))
                {
                    reached.push(child);
                }
            }
        }
        let mut orphans: Vec<&str> = fields.iter().map(|f| f.table.as_str()).collect();
        orphans.dedup();
        for table in orphans.into_iter().filter(|t| !reached.contains(t)) {
            let line = self.table_line(table);
            let msg = format!(
                "rows of {table} (docs line {line}) belong to no documented field, so they were not compared"
            );
            self.push(Status::Fail, "", "table", Some(line), msg);
        }
    }

    fn request_body(&mut self, op_at: &str) {
        let page = self.page;
        let first = page.body_fields.first();
        let line = first.map_or(page.endpoint.line, |f| self.table_line(&f.table));
        let body_at = join(op_at, "requestBody");
        let absent = self.spec.pointer(&body_at).is_none();
        let body = self.resolve(body_at, line);
        match (first, &body) {
            (Some(first), None) if absent => {
                let msg = format!(
                    "requestBody is missing, docs line {line} documents {}",
                    first.table
                );
                self.push(Status::Fail, op_at, "requestBody", Some(line), msg);
            }
            (Some(_), Some((at, _))) => {
                let schema_at = join(&join(&join(at, "content"), "application/json"), "schema");
                self.tables(&page.body_fields, schema_at, Site::RequestBody, true);
            }
            _ => {}
        }
        let media = body.map(|(at, _)| join(&join(&at, "content"), "application/json"));
        let example = page.request_examples.first().map(|e| (e.line, &e.json));
        self.examples(media, example, None);
    }

    fn responses(&mut self, op_at: &str) {
        let page = self.page;
        let resp_at = join(op_at, "responses");
        // Every status the page mentions, with the line that first does.
        let mut statuses: Vec<(u16, usize)> = Vec::new();
        let mentions = page
            .status_codes
            .iter()
            .map(|s| (s.status.value, s.status.line))
            .chain(
                page.responses
                    .iter()
                    .map(|r| (r.status.value, r.status.line)),
            )
            .chain(
                page.response_examples
                    .iter()
                    .filter_map(|e| e.status.map(|s| (s, e.line))),
            );
        for (s, line) in mentions {
            match statuses.iter_mut().find(|(t, _)| *t == s) {
                Some((_, first)) => *first = line.min(*first),
                None => statuses.push((s, line)),
            }
        }
        let mut spec_statuses: Vec<&'a String> = self
            .spec
            .pointer(&resp_at)
            .and_then(Value::as_object)
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        for (status, first_line) in statuses {
            let key = status.to_string();
            let site = if (200..300).contains(&status) {
                Site::SuccessBody
            } else {
                Site::ErrorBody
            };
            let doc = page.responses.iter().find(|r| r.status.value == status);
            let Some(i) = spec_statuses.iter().position(|k| **k == key) else {
                let msg =
                    format!("response {status} is missing, docs line {first_line} documents it");
                self.push(Status::Fail, &resp_at, "response", Some(first_line), msg);
                for f in doc.iter().flat_map(|d| &d.body_fields) {
                    self.enforce(site, f, &resp_at);
                }
                continue;
            };
            spec_statuses.remove(i);
            let Some((r_at, r)) = self.resolve(join(&resp_at, &key), first_line) else {
                continue;
            };
            let spec_desc = r.get("description").map(text);
            match page.status_codes.iter().find(|s| s.status.value == status) {
                Some(row) => {
                    let d = &row.description;
                    let same = spec_desc.as_deref() == Some(d.value.as_str());
                    let spec = spec_desc.map(|s| format!("{s:?}"));
                    let docs = Docs::Says(format!("{:?}", d.value));
                    self.compare(
                        &r_at,
                        "description",
                        spec,
                        docs,
                        same,
                        d.line,
                        &Scope::new(),
                    );
                }
                None => {
                    let spec = spec_desc.map(|s| format!("{s:?}"));
                    let docs = Docs::Open("not in the status-code table");
                    self.compare(
                        &r_at,
                        "description",
                        spec,
                        docs,
                        false,
                        first_line,
                        &Scope::new(),
                    );
                }
            }
            let media_at = join(&join(&r_at, "content"), "application/json");
            if let Some(doc) = doc {
                self.headers(&r_at, r, &doc.header_fields, doc.status.line);
                if !doc.body_fields.is_empty() {
                    self.tables(&doc.body_fields, join(&media_at, "schema"), site, false);
                }
            }
            let example = page
                .response_examples
                .iter()
                .find(|e| e.status == Some(status));
            self.examples(
                Some(media_at),
                example.map(|e| (e.line, &e.json)),
                Some(first_line),
            );
        }
        let line = page
            .status_codes
            .first()
            .map_or(page.endpoint.line, |s| s.status.line);
        for k in spec_statuses {
            let msg = format!(
                "response {k} is not in the docs, docs line {line} (status codes) does not list it"
            );
            self.push(
                Status::Fail,
                &join(&resp_at, k),
                "response",
                Some(line),
                msg,
            );
        }
    }

    fn headers(&mut self, r_at: &str, r: &Value, fields: &[Field], heading: usize) {
        let headers_at = join(r_at, "headers");
        let mut names: Vec<&String> = r
            .get("headers")
            .and_then(Value::as_object)
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        for f in fields {
            let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(&f.name)) else {
                let msg = format!(
                    "header {} is missing, docs line {} documents it",
                    f.name, f.line
                );
                self.push(Status::Fail, &headers_at, "header", Some(f.line), msg);
                self.enforce(Site::ResponseHeader, f, &headers_at);
                continue;
            };
            let name = names.remove(i);
            let Some((h_at, h)) = self.resolve(join(&headers_at, name), f.line) else {
                continue;
            };
            self.declared(f, &h_at, h, "header", Site::ResponseHeader, false);
        }
        let where_ = self.where_(fields.first(), heading);
        for n in names {
            let msg = format!("header {n} is not in the docs, {where_} does not list it");
            self.push(
                Status::Fail,
                &join(&headers_at, n),
                "header",
                Some(where_.line),
                msg,
            );
        }
    }

    /// The page's JSON example (if any) against `example` of the media
    /// type at `media` (if any), leaf by leaf.
    fn examples(
        &mut self,
        media: Option<String>,
        docs: Option<(usize, &Value)>,
        heading: Option<usize>,
    ) {
        let Some(media) = media else { return };
        let at = join(&media, "example");
        let spec = self.spec.pointer(&at);
        match (docs, spec) {
            (None, None) => {}
            (Some((line, _)), None) => {
                let msg = format!("example is missing, docs line {line} shows one");
                self.push(Status::Fail, &media, "example", Some(line), msg);
            }
            (None, Some(_)) => {
                let line = heading.unwrap_or(self.page.endpoint.line);
                let msg = format!("example is not in the docs, docs line {line} shows none");
                self.push(Status::Fail, &at, "example", Some(line), msg);
            }
            (Some((line, d)), Some(s)) => self.example(&at, "example", d, Some(s), line),
        }
    }

    fn example(&mut self, at: &str, path: &str, docs: &Value, spec: Option<&Value>, line: usize) {
        if let (Value::Object(d), Some(Value::Object(s))) = (docs, spec) {
            for (k, v) in d {
                let needle = format!("\"{k}\"");
                let key_line = (line..=self.lines.len())
                    .find(|&n| self.lines.get(n - 1).is_some_and(|l| l.contains(&needle)))
                    .unwrap_or(line);
                self.example(&join(at, k), &format!("{path}.{k}"), v, s.get(k), key_line);
            }
            for k in s.keys().filter(|k| !d.contains_key(*k)) {
                let msg =
                    format!("{path}.{k} is not in the docs, docs line {line} does not show it");
                self.push(Status::Fail, &join(at, k), "example", Some(line), msg);
            }
            return;
        }
        let same = spec == Some(docs);
        let spec = spec.map(Value::to_string);
        let msg = format!(
            "{path} is {}, docs line {line} says {docs}",
            spec.as_deref().unwrap_or("not set")
        );
        self.judge(
            at,
            "example",
            spec,
            Docs::Says(docs.to_string()),
            same,
            line,
            &Scope::new(),
            msg,
        );
    }
}
