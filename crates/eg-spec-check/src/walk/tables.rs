//! Tables of rows against object schemas: nested tables followed, tables
//! no row leads to reported.

use std::collections::{HashMap, HashSet};

use eg_docs_page::Field;
use serde_json::Value;

use super::Walk;
use crate::Status;
use crate::fact::{Docs, Fact, Kind, PRESENT};
use crate::probes::Site;
use crate::spec::join;

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

/// What following one list of tables carries along: the index, the
/// tables already compared, where the rows live and whether they are the
/// request's.
struct Follow<'t, 'f> {
    tables: &'t Tables<'f>,
    seen: HashSet<String>,
    site: Site,
    request: bool,
}

impl Walk<'_> {
    /// Compares the rows of `table` with the object schema at `at`, and
    /// recurses into tables that rows name as their type (each table once,
    /// at most [`MAX_TABLE_DEPTH`] deep).
    fn object(&mut self, follow: &mut Follow<'_, '_>, table: &str, at: String, depth: usize) {
        let Follow {
            tables,
            site,
            request,
            ..
        } = *follow;
        follow.seen.insert(table.to_owned());
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
            let child = tables.nested(f).filter(|c| !follow.seen.contains(*c));
            if let Some(child) = child.filter(|_| depth < MAX_TABLE_DEPTH) {
                let child_at = match s.get("type").and_then(Value::as_str) {
                    Some("array") => join(&s_at, "items"),
                    _ => s_at,
                };
                self.object(follow, child, child_at, depth + 1);
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
    pub(super) fn tables(&mut self, fields: &[Field], at: String, site: Site, request: bool) {
        let Some(first) = fields.first() else { return };
        let tables = Tables::new(fields);
        let mut follow = Follow {
            tables: &tables,
            seen: HashSet::new(),
            site,
            request,
        };
        self.object(&mut follow, &first.table, at, 0);
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
}
