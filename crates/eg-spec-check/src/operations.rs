//! The spec's operations, each matched to the pages that document it by
//! method and path template.

use serde::Serialize;
use serde_json::Value;

use crate::spec::join;

/// The methods an OpenAPI path item may hold, in `openapiv3`'s order.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// An operation of the spec, with the pages of the run that document it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationRef {
    /// Its `operationId`; `METHOD path` when the spec gives none.
    pub id: String,
    /// The method, upper case (`POST`).
    pub method: String,
    /// The path template as the spec writes it.
    pub path: String,
    /// The files of the pages that document it, in run order.
    pub pages: Vec<String>,
}

impl OperationRef {
    /// `Id (METHOD /path)`, how messages and the text report name it;
    /// `METHOD /path` alone when the spec gives no `operationId`.
    pub fn label(&self) -> String {
        let route = format!("{} {}", self.method, self.path);
        if self.id == route {
            route
        } else {
            format!("{} ({route})", self.id)
        }
    }

    /// RFC 6901 pointer to the path item.
    pub(crate) fn path_at(&self) -> String {
        join("/paths", &self.path)
    }

    /// RFC 6901 pointer to the operation object.
    pub(crate) fn op_at(&self) -> String {
        join(&self.path_at(), &self.method.to_ascii_lowercase())
    }
}

/// Every operation of `root`, paths in document order (`paths`), each
/// path's methods in [`METHODS`] order.
pub(crate) fn list(root: &Value, paths: &[String]) -> Vec<OperationRef> {
    let mut out = Vec::new();
    for path in paths {
        let Some(item) = root.get("paths").and_then(|p| p.get(path)) else {
            continue;
        };
        for m in METHODS {
            let Some(op) = item.get(m) else { continue };
            let method = m.to_ascii_uppercase();
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .map_or_else(|| format!("{method} {path}"), str::to_owned);
            out.push(OperationRef {
                id,
                method,
                path: path.clone(),
                pages: Vec::new(),
            });
        }
    }
    out
}

/// One segment of a path template: a literal, or a `{parameter}` whatever
/// its name (the page's name is compared as the `path` fact).
#[derive(PartialEq, Eq)]
enum Segment<'a> {
    Literal(&'a str),
    Parameter,
}

fn segments(path: &str) -> Vec<Segment<'_>> {
    path.trim()
        .split('/')
        .map(|s| {
            let s = s.trim();
            if s.len() >= 2 && s.starts_with('{') && s.ends_with('}') {
                Segment::Parameter
            } else {
                Segment::Literal(s)
            }
        })
        .collect()
}

/// The operation of `ops` a page's `METHOD path` documents: the one with
/// exactly that path if any, else one with the same template (literal
/// segments equal, a parameter where the page has one).
pub(crate) fn find(ops: &[OperationRef], method: &str, path: &str) -> Option<usize> {
    let same_method = |o: &OperationRef| o.method.eq_ignore_ascii_case(method.trim());
    ops.iter()
        .position(|o| same_method(o) && o.path.trim() == path.trim())
        .or_else(|| {
            let want = segments(path);
            ops.iter()
                .position(|o| same_method(o) && segments(&o.path) == want)
        })
}

/// The operation a spec pointer lies in: the one whose operation object
/// holds it, else the only operation of the path item holding it (its
/// path-level parameters); `None` for the rest (`components`).
pub(crate) fn owner(ops: &[OperationRef], at: &str) -> Option<usize> {
    let under = |base: &str| at == base || at.starts_with(&format!("{base}/"));
    if let Some(i) = ops.iter().position(|o| under(&o.op_at())) {
        return Some(i);
    }
    let mut of_path = ops.iter().enumerate().filter(|(_, o)| under(&o.path_at()));
    match (of_path.next(), of_path.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(method: &str, path: &str) -> OperationRef {
        OperationRef {
            id: format!("{method}{path}"),
            method: method.into(),
            path: path.into(),
            pages: Vec::new(),
        }
    }

    #[test]
    fn pages_match_by_method_and_template() {
        let ops = [
            op("GET", "/v1/{project_id}/items/{item_id}"),
            op("POST", "/v1/{project_id}/items/{item_id}"),
            op("POST", "/v1/{project_id}/items/{id}"),
        ];
        assert_eq!(
            find(&ops, "GET", "/v1/{project_id}/items/{item_id}"),
            Some(0)
        );
        assert_eq!(find(&ops, "post", " /v1/{project_id}/items/{id}"), Some(2));
        // Another parameter name: the same template, so the same operation.
        assert_eq!(find(&ops, "GET", "/v1/{projectId}/items/{x}"), Some(0));
        assert_eq!(
            find(&ops, "DELETE", "/v1/{project_id}/items/{item_id}"),
            None
        );
        assert_eq!(find(&ops, "GET", "/v1/{project_id}/items"), None);
        assert_eq!(find(&ops, "GET", "/v1/{project_id}/item/{item_id}"), None);
    }

    #[test]
    fn pointers_belong_to_their_operation() {
        let ops = [op("GET", "/a/{id}"), op("POST", "/a/{id}"), op("GET", "/b")];
        assert_eq!(owner(&ops, "/paths/~1a~1{id}/post/parameters/0"), Some(1));
        assert_eq!(owner(&ops, "/paths/~1a~1{id}/get"), Some(0));
        // Path-level: two operations share it.
        assert_eq!(owner(&ops, "/paths/~1a~1{id}/parameters/0"), None);
        assert_eq!(owner(&ops, "/paths/~1b/parameters/0"), Some(2));
        assert_eq!(owner(&ops, "/paths/~1bb/get"), None);
        assert_eq!(owner(&ops, "/components/schemas/X"), None);
    }
}
