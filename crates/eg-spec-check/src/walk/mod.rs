//! The walk over one page and the spec: every fact the page states (or
//! leaves unsaid where the spec holds one) becomes a [`Fact`]; what cannot
//! be a fact (a `$ref` that does not resolve, a table no row leads to, the
//! generated types' behaviour) becomes a [`Finding`] at once. The request
//! side is here, the response side in `responses`.

use std::collections::{HashMap, HashSet};

use eg_docs_page::{DocsPage, Field, Language, Mandatory};
use serde_json::Value;

use crate::fact::{Docs, Fact, Kind, PRESENT, Scope};
use crate::probes::Site;
use crate::spec::{RefError, Spec, canonical, join, text};
use crate::{Finding, PageRef, Status};

mod responses;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// How a parameter is matched: header names are case-insensitive in HTTP.
fn key_of(loc: &str, name: &str) -> String {
    match loc {
        "header" => name.to_ascii_lowercase(),
        _ => name.to_owned(),
    }
}

/// The facts and findings of one page.
pub(crate) struct Walk<'a> {
    page: &'a DocsPage,
    pref: &'a PageRef,
    idx: usize,
    spec: &'a Spec<'a>,
    pub facts: Vec<Fact>,
    pub found: Vec<Finding>,
    /// The page documents another operation than the spec's.
    pub other_operation: bool,
    /// The line of each table title, first occurrence.
    table_lines: HashMap<&'a str, usize>,
    /// Rows visited while following tables; kept linear in the rows.
    pub steps: usize,
}

/// Nested tables followed from one field, at most.
const MAX_TABLE_DEPTH: usize = 32;

/// The tables of one list of rows, indexed once, so that following nested
/// tables and finding orphans is linear in the rows (a page may hold
/// 80,000 tables).
struct Tables<'f> {
    /// Titles in page order.
    order: Vec<&'f str>,
    /// The rows of each title.
    rows: HashMap<&'f str, Vec<&'f Field>>,
    /// A title's second word (`表5 Foo` → `Foo`) → the first such title.
    by_name: HashMap<&'f str, &'f str>,
}

impl<'f> Tables<'f> {
    fn new(fields: &'f [Field]) -> Self {
        let mut t = Tables {
            order: Vec::new(),
            rows: HashMap::new(),
            by_name: HashMap::new(),
        };
        for f in fields {
            let title = f.table.as_str();
            let rows = t.rows.entry(title).or_default();
            if rows.is_empty() {
                t.order.push(title);
                if let Some(name) = title.split_whitespace().nth(1) {
                    t.by_name.entry(name).or_insert(title);
                }
            }
            rows.push(f);
        }
        t
    }

    fn rows(&self, title: &str) -> &[&'f Field] {
        self.rows.get(title).map_or(&[], Vec::as_slice)
    }

    /// The table documenting the object type of row `f` (`Array of Foo
    /// objects` → `表5 Foo`), if the page has one.
    fn nested(&self, f: &Field) -> Option<&'f str> {
        self.by_name.get(f.ty.table_name()?).copied()
    }
}

impl<'a> Walk<'a> {
    /// Walks page number `idx` of the run against `spec`.
    pub fn run(page: &'a DocsPage, pref: &'a PageRef, idx: usize, spec: &'a Spec<'a>) -> Self {
        let mut table_lines = HashMap::new();
        for t in &page.tables {
            table_lines.entry(t.value.as_str()).or_insert(t.line);
        }
        let mut w = Walk {
            page,
            pref,
            idx,
            spec,
            facts: Vec::new(),
            found: Vec::new(),
            other_operation: false,
            table_lines,
            steps: 0,
        };
        w.operation();
        w
    }

    fn place(&self, line: usize) -> String {
        self.pref.place(line)
    }

    fn finding(&mut self, status: Status, at: &str, fact: &str, line: usize, message: String) {
        self.found
            .push(Finding::on_page(status, at, fact, self.pref, line, message));
    }

    /// A fact of this page with nothing filled in but where and what.
    fn base(&self, at: &str, name: &str, kind: Kind) -> Fact {
        Fact {
            at: at.to_owned(),
            name: name.to_owned(),
            key: String::new(),
            subject: name.to_owned(),
            spec: None,
            docs: Docs::Silent,
            line: self.page.endpoint.line,
            page: self.idx,
            scope: Scope::new(),
            kind,
            written: None,
        }
    }

    fn add(&mut self, f: Fact) {
        self.facts.push(f);
    }

    /// Follows `$ref`s; a broken chain fails, naming the page `line` it
    /// leaves unchecked.
    fn resolve(&mut self, at: &str, line: usize) -> Option<(String, &'a Value)> {
        let spec = self.spec;
        match spec.resolve(at) {
            Ok(found) => Some(found),
            Err(RefError::Absent) => None,
            Err(RefError::Dangling { at, target }) => {
                let msg = format!(
                    "$ref {target} does not resolve, so {} cannot be checked",
                    self.place(line)
                );
                self.finding(Status::Fail, &at, "$ref", line, msg);
                None
            }
            Err(RefError::Circular { at }) => {
                let msg = format!(
                    "$ref chain is circular, so {} cannot be checked",
                    self.place(line)
                );
                self.finding(Status::Fail, &at, "$ref", line, msg);
                None
            }
        }
    }

    fn table_line(&self, title: &str) -> usize {
        let t = self.table_lines.get(title).copied();
        t.unwrap_or(self.page.endpoint.line)
    }

    /// The page's operation must be the spec's; a page for another
    /// operation fails once and is not compared further.
    fn operation(&mut self) {
        let ep = &self.page.endpoint;
        let (method, path) = (ep.value.method.to_ascii_lowercase(), &ep.value.path);
        let spec = self.spec;
        let ops: Vec<(&'a String, &'static str)> = spec
            .root
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
        let Some(&(spec_path, spec_method)) = ops.iter().find(|(p, m)| *p == path && *m == method)
        else {
            let described: Vec<String> = ops
                .iter()
                .map(|(p, m)| format!("{} {p}", m.to_ascii_uppercase()))
                .collect();
            let described = match described.join(", ") {
                d if d.is_empty() => "no operation".to_owned(),
                d => d,
            };
            let msg = format!(
                "{} documents {} {path}, another operation than the spec's {described}; this page was not compared",
                self.place(ep.line),
                ep.value.method
            );
            self.other_operation = true;
            return self.finding(Status::Fail, "/paths", "operation", ep.line, msg);
        };
        let path_at = join("/paths", spec_path);
        let op_at = join(&path_at, spec_method);
        let text_kind = Kind::Text { quote: false };
        self.add(Fact {
            spec: Some(spec_path.clone()),
            docs: Docs::Says(path.clone()),
            ..self.base(&path_at, "path", text_kind)
        });
        self.add(Fact {
            spec: Some(spec_method.to_ascii_uppercase()),
            docs: Docs::Says(ep.value.method.clone()),
            ..self.base(&op_at, "method", text_kind)
        });
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
                .get(&list_at)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for i in 0..n {
                let line = self.page.endpoint.line;
                let Some((at, p)) = self.resolve(&join(&list_at, &i.to_string()), line) else {
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
                let found = i.map(|i| params.remove(i));
                let at = found.as_ref().map_or(list_at.as_str(), |p| p.2.as_str());
                self.add(Fact {
                    key: format!("{loc} {key}"),
                    subject: format!("{loc} parameter {}", f.name),
                    spec: found.as_ref().map(|_| PRESENT.to_owned()),
                    docs: Docs::Says(PRESENT.to_owned()),
                    line: f.line,
                    ..self.base(at, "parameter", Kind::Presence)
                });
                match found {
                    Some((_, _, at, p)) => {
                        self.declared(f, &at, p, &format!("{loc} parameter"), site, true);
                    }
                    None => self.enforce(site, f, &list_at),
                }
            }
        }
        for (loc, key, at, p) in params {
            let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
            let first = groups.iter().find(|g| g.0 == loc).and_then(|g| g.1.first());
            let line = first.map_or(page.endpoint.line, |f| self.table_line(&f.table));
            self.add(Fact {
                key: format!("{loc} {key}"),
                subject: format!("{loc} parameter {name}"),
                spec: Some(PRESENT.to_owned()),
                line,
                ..self.base(&at, "parameter", Kind::Presence)
            });
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
        match self.resolve(&join(at, "schema"), f.type_name.line) {
            Some((schema_at, schema)) => {
                scope.push((schema_at.clone(), None));
                self.description(f, at, object, Some(schema), &scope);
                self.schema(f, &schema_at, schema, &scope);
                self.enforce(site, f, &schema_at);
            }
            None => {
                let line = f.type_name.line;
                let msg = format!(
                    "{noun} {} has no schema, {} gives its type",
                    f.name,
                    self.place(line)
                );
                self.finding(Status::Fail, at, "schema", line, msg);
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
        let word = |m: bool| if m { "mandatory" } else { "optional" };
        let docs = match f.mandatory.value {
            Mandatory::Yes => Docs::Says(word(true).into()),
            Mandatory::No => Docs::Says(word(false).into()),
            Mandatory::NotStated if request => Docs::Open(cell),
            Mandatory::NotStated => return,
        };
        self.add(Fact {
            key: of.unwrap_or_default().to_owned(),
            subject: of.map_or_else(|| "required".to_owned(), |n| format!("required for {n}")),
            spec: Some(word(spec).into()),
            docs,
            line: f.mandatory.line,
            scope: scope.clone(),
            ..self.base(at, "required", Kind::Text { quote: false })
        });
    }

    /// Type, lengths, bounds, default and enum of one row against its
    /// resolved schema at `at`.
    fn schema(&mut self, f: &Field, at: &str, s: &'a Value, scope: &Scope) {
        let spec_type = self.spec_type(at, s, f.type_name.line);
        self.add(Fact {
            spec: spec_type,
            docs: Docs::Says(f.ty.openapi()),
            written: Some(f.type_name.value.clone()),
            line: f.type_name.line,
            scope: scope.clone(),
            ..self.base(at, "type", Kind::Type)
        });
        let number = |k: &str| s.get(k).filter(|v| v.is_number()).map(text);
        let base = Fact {
            scope: scope.clone(),
            ..self.base(at, "", Kind::Number)
        };
        let fact = |name: &str, spec: Option<String>, kind: Kind| Fact {
            name: name.to_owned(),
            subject: name.to_owned(),
            spec,
            kind,
            ..base.clone()
        };
        let lengths = [("minLength", &f.min_length), ("maxLength", &f.max_length)];
        for (name, docs) in lengths {
            let docs = docs.as_ref().map(|l| (l.value.to_string(), l.line));
            self.optional(fact(name, number(name), Kind::Number), docs, f);
        }
        for (name, docs) in [("minimum", &f.minimum), ("maximum", &f.maximum)] {
            let docs = docs.as_ref().map(|l| (l.value.clone(), l.line));
            self.optional(fact(name, number(name), Kind::Number), docs, f);
        }
        let default = s.get("default").map(text);
        let docs = f.default.as_ref().map(|l| (l.value.clone(), l.line));
        self.optional(
            fact("default", default, Kind::Text { quote: false }),
            docs,
            f,
        );

        let spec_enum: Vec<String> = s
            .get("enum")
            .and_then(Value::as_array)
            .map(|v| v.iter().map(text).collect())
            .unwrap_or_default();
        for v in &f.enum_values {
            let listed = spec_enum.contains(&v.value);
            self.add(Fact {
                key: v.value.clone(),
                subject: format!("enum value {:?}", v.value),
                spec: listed.then(|| PRESENT.to_owned()),
                docs: Docs::Says(PRESENT.to_owned()),
                line: v.line,
                scope: scope.clone(),
                ..self.base(at, "enum", Kind::Presence)
            });
        }
        for v in spec_enum
            .iter()
            .filter(|v| !f.enum_values.iter().any(|d| d.value == **v))
        {
            self.add(Fact {
                key: v.clone(),
                subject: format!("enum value {v:?}"),
                spec: Some(PRESENT.to_owned()),
                line: f.line,
                scope: scope.clone(),
                ..self.base(at, "enum", Kind::Presence)
            });
        }
    }

    /// The description of row `f`, in the page's language, against the
    /// element at `at` (or, when it has none, `fallback`: the schema a
    /// parameter holds, the property a `$ref` was followed from).
    fn description(
        &mut self,
        f: &Field,
        at: &str,
        element: &Value,
        fallback: Option<&Value>,
        scope: &Scope,
    ) {
        let spec = description_of(element, self.page.language)
            .or_else(|| fallback.and_then(|v| description_of(v, self.page.language)));
        let code = self.page.language.code();
        self.add(Fact {
            key: code.to_owned(),
            subject: format!("description ({code})"),
            spec,
            docs: Docs::Says(f.description.value.clone()),
            line: f.description.line,
            scope: scope.clone(),
            ..self.base(at, "description", Kind::Text { quote: true })
        });
    }

    /// A fact the page may leave out (a limit): a fact when either side
    /// states it; silence points at the row `f`.
    fn optional(&mut self, fact: Fact, docs: Option<(String, usize)>, f: &Field) {
        let (docs, line) = match docs {
            None if fact.spec.is_none() => return,
            None => (Docs::Silent, f.line),
            Some((d, line)) => (Docs::Says(d), line),
        };
        self.add(Fact { docs, line, ..fact });
    }

    fn spec_type(&mut self, at: &str, s: &Value, line: usize) -> Option<String> {
        match s.get("type").and_then(Value::as_str) {
            Some("array") => {
                let items = self.resolve(&join(at, "items"), line);
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
        let found = crate::probes::enforce(site, f, at, self.pref);
        self.found.extend(found);
    }

    /// Compares the rows of `table` with the object schema at `at`, and
    /// recurses into tables that rows name as their type (each table once,
    /// at most [`MAX_TABLE_DEPTH`] deep).
    #[allow(clippy::too_many_arguments)]
    fn object(
        &mut self,
        tables: &Tables<'_>,
        seen: &mut HashSet<String>,
        table: &str,
        at: String,
        site: Site,
        request: bool,
        depth: usize,
    ) {
        seen.insert(table.to_owned());
        let table_line = self.table_line(table);
        let Some((obj_at, obj)) = self.resolve(&at, table_line) else {
            let msg = format!(
                "no schema for {table}, {} documents it",
                self.place(table_line)
            );
            return self.finding(Status::Fail, &at, "schema", table_line, msg);
        };
        let props_at = join(&obj_at, "properties");
        let mut props = self.spec.keys(&props_at);
        let required: Vec<&str> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for &f in tables.rows(table) {
            self.steps += 1;
            let prop_at = join(&props_at, &f.name);
            let found = props
                .iter()
                .position(|p| **p == f.name)
                .map(|i| props.remove(i));
            let at = if found.is_some() { &prop_at } else { &props_at };
            self.add(Fact {
                key: f.name.clone(),
                subject: format!("property {}", f.name),
                spec: found.map(|_| PRESENT.to_owned()),
                docs: Docs::Says(PRESENT.to_owned()),
                line: f.line,
                ..self.base(at, "property", Kind::Presence)
            });
            if found.is_none() {
                self.enforce(site, f, &props_at);
                continue;
            }
            let mut scope = vec![
                (obj_at.clone(), Some(f.name.clone())),
                (prop_at.clone(), None),
            ];
            let is_required = required.contains(&f.name.as_str());
            let req_at = join(&obj_at, "required");
            self.required(f, &req_at, Some(&f.name), is_required, request, &scope);
            let Some((s_at, s)) = self.resolve(&prop_at, f.line) else {
                self.enforce(site, f, &prop_at);
                continue;
            };
            scope.push((s_at.clone(), None));
            let unresolved = self.spec.get(&prop_at);
            self.description(f, &s_at, s, unresolved, &scope);
            self.schema(f, &s_at, s, &scope);
            self.enforce(site, f, &s_at);
            let child = tables.nested(f).filter(|c| !seen.contains(*c));
            if let Some(child) = child.filter(|_| depth < MAX_TABLE_DEPTH) {
                let child_at = match s.get("type").and_then(Value::as_str) {
                    Some("array") => join(&s_at, "items"),
                    _ => s_at,
                };
                self.object(tables, seen, child, child_at, site, request, depth + 1);
            }
        }
        for p in props {
            self.add(Fact {
                key: p.clone(),
                subject: format!("property {p}"),
                spec: Some(PRESENT.to_owned()),
                line: table_line,
                ..self.base(&join(&props_at, p), "property", Kind::Presence)
            });
        }
    }

    /// The first table of `fields` and everything reachable from it; rows
    /// of tables no row leads to are reported, not dropped. Linear in the
    /// rows: the tables are indexed once.
    fn tables(&mut self, fields: &[Field], at: String, site: Site, request: bool) {
        let Some(first) = fields.first() else { return };
        let tables = Tables::new(fields);
        let mut seen = HashSet::new();
        self.object(&tables, &mut seen, &first.table, at, site, request, 0);
        // Every table a row names, whether or not its field is in the spec.
        let mut reached = HashSet::from([first.table.as_str()]);
        let mut queue = vec![first.table.as_str()];
        while let Some(table) = queue.pop() {
            for &f in tables.rows(table) {
                self.steps += 1;
                if let Some(child) = tables.nested(f).filter(|c| reached.insert(c)) {
                    queue.push(child);
                }
            }
        }
        for &table in &tables.order {
            self.steps += 1;
            if reached.contains(table) {
                continue;
            }
            let line = self.table_line(table);
            let msg = format!(
                "rows of {table} ({}) belong to no documented field, so they were not compared",
                self.place(line)
            );
            self.finding(Status::Fail, "", "table", line, msg);
        }
    }

    /// The spec's example at `media` against the page's, as JSON values.
    fn example(&mut self, media: &str, docs: Option<(usize, &Value)>, silent_line: usize) {
        let at = join(media, "example");
        let spec = self.spec.get(&at).map(canonical);
        if spec.is_none() && docs.is_none() {
            return;
        }
        let (docs, line) = match docs {
            Some((line, v)) => (Docs::Says(canonical(v)), line),
            None => (Docs::Silent, silent_line),
        };
        self.add(Fact {
            spec,
            docs,
            line,
            ..self.base(&at, "example", Kind::Json)
        });
    }

    fn request_body(&mut self, op_at: &str) {
        let page = self.page;
        let first = page.body_fields.first();
        let line = first.map_or(page.endpoint.line, |f| self.table_line(&f.table));
        let body_at = join(op_at, "requestBody");
        let absent = self.spec.get(&body_at).is_none();
        let body = self.resolve(&body_at, line);
        match (first, &body) {
            (Some(first), None) if absent => {
                let msg = format!(
                    "requestBody is missing, {} documents {}",
                    self.place(line),
                    first.table
                );
                self.finding(Status::Fail, op_at, "requestBody", line, msg);
            }
            (Some(_), Some((at, _))) => {
                let schema_at = join(&join(&join(at, "content"), "application/json"), "schema");
                self.tables(&page.body_fields, schema_at, Site::RequestBody, true);
            }
            _ => {}
        }
        if let Some((at, _)) = body {
            let media = join(&join(&at, "content"), "application/json");
            let example = page.request_examples.first().map(|e| (e.line, &e.json));
            self.example(&media, example, line);
        }
    }
}

/// An element's description in `lang`: `x-descriptions.<lang>`, or for
/// zh-cn, in which the spec is written, `description`.
fn description_of(element: &Value, lang: Language) -> Option<String> {
    element
        .get("x-descriptions")
        .and_then(|d| d.get(lang.code()))
        .or_else(|| {
            element
                .get("description")
                .filter(|_| lang == Language::Chinese)
        })
        .map(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 18, defect 9: a page of 80,000 one-row tables took 41 s, the
    /// orphan loop searching every table per orphan. The work is now
    /// counted, and it is linear in the tables.
    #[test]
    fn many_tables_take_linear_work() {
        const T: usize = 80_000;
        let mut page = String::from(
            "URI\n\nPOST /v1/{project_id}/eventstreamings/operate/{eventstreaming_id}\n\n请求参数\n\n",
        );
        for i in 1..=T {
            page.push_str(&format!(
                "表{i} 请求Body参数\n\n参数\n\n参数类型\n\n描述\n\nf{i}\n\nString\n\n字段\n\n"
            ));
        }
        let doc = eg_docs_page::parse(&page).expect("parses");
        assert_eq!(doc.body_fields.len(), T);
        let text = include_str!("../../../../openapi/eg.yaml");
        let value = crate::parse_spec("eg.yaml", text).expect("spec");
        let spec = Spec { root: &value };
        let pref = PageRef {
            file: "page.txt".into(),
            language: doc.language,
            edition: None,
            current: true,
        };
        let w = Walk::run(&doc, &pref, 0, &spec);
        let orphans = w.found.iter().filter(|f| f.fact == "table").count();
        assert_eq!(orphans, T - 1);
        // The first table's row, compared and then followed for nested
        // tables; then each table once, looking for orphans.
        assert_eq!(w.steps, 2 + T);
    }
}
