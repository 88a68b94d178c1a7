//! The spec as a JSON value, addressed by RFC 6901 pointers through `$ref`s.

use serde_json::Value;

/// Appends `token` to a JSON pointer, escaped per RFC 6901.
pub(crate) fn join(base: &str, token: &str) -> String {
    format!("{base}/{}", token.replace('~', "~0").replace('/', "~1"))
}

/// A spec value as a plain string: strings unquoted, the rest as JSON.
pub(crate) fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

/// JSON with object keys sorted, so that equal values print alike
/// whatever the order of their keys.
pub(crate) fn canonical(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let items: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical(&m[k])))
                .collect();
            format!("{{{}}}", items.join(","))
        }
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(canonical).collect();
            format!("[{}]", items.join(","))
        }
        v => v.to_string(),
    }
}

/// Why a `$ref` chain cannot be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RefError {
    /// The element at the pointer does not exist.
    Absent,
    /// `$ref` at `at` names nothing in the document.
    Dangling { at: String, target: String },
    /// The chain does not end.
    Circular { at: String },
}

/// The parsed spec.
pub(crate) struct Spec<'a> {
    pub root: &'a Value,
}

impl<'a> Spec<'a> {
    /// The element at `at`.
    pub fn get(&self, at: &str) -> Option<&'a Value> {
        self.root.pointer(at)
    }

    /// Follows `$ref`s from `at` to the element they name.
    pub fn resolve(&self, at: &str) -> Result<(String, &'a Value), RefError> {
        let mut at = at.to_owned();
        for _ in 0..32 {
            let v = self.root.pointer(&at).ok_or(RefError::Absent)?;
            let Some(r) = v.get("$ref").and_then(Value::as_str) else {
                return Ok((at, v));
            };
            match r
                .strip_prefix('#')
                .filter(|p| self.root.pointer(p).is_some())
            {
                Some(target) => at = target.to_owned(),
                None => {
                    return Err(RefError::Dangling {
                        at: join(&at, "$ref"),
                        target: r.to_owned(),
                    });
                }
            }
        }
        Err(RefError::Circular { at })
    }

    /// The keys of the object at `at`, in document order.
    pub fn keys(&self, at: &str) -> Vec<&'a String> {
        self.get(at)
            .and_then(Value::as_object)
            .map(|m| m.keys().collect())
            .unwrap_or_default()
    }
}
