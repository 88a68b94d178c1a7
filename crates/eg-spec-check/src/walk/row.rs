//! One documented row against its element in the spec: every fact a row
//! states, with what the generated type enforces of it.

use eg_docs_page::{Field, Language, Mandatory};
use serde_json::Value;

use super::{Walk, description_of};
use crate::Status;
use crate::fact::{Docs, Fact, Kind, PRESENT, Scope};
use crate::probes::Site;
use crate::spec::{join, text};

impl<'a> Walk<'a> {
    /// A parameter or header object at `at` documented by row `f`: its
    /// `required` flag, then its schema (type, limits, enum) and what the
    /// generated type enforces; a missing schema fails.
    pub(super) fn declared(
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
    pub(super) fn required(
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
    pub(super) fn schema(&mut self, f: &Field, at: &str, s: &'a Value, scope: &Scope) {
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
    pub(super) fn description(
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
    pub(super) fn optional(&mut self, fact: Fact, docs: Option<(String, usize)>, f: &Field) {
        let (docs, line) = match docs {
            None if fact.spec.is_none() => return,
            None => (Docs::Silent, f.line),
            Some((d, line)) => (Docs::Says(d), line),
        };
        self.add(Fact { docs, line, ..fact });
    }

    pub(super) fn spec_type(&mut self, at: &str, s: &Value, line: usize) -> Option<String> {
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
    pub(super) fn enforce(&mut self, site: Site, f: &Field, at: &str) {
        let found = crate::probes::enforce(site, f, at, self.pref);
        self.found.extend(found);
    }
}
