//! The spec's text, parsed once into the JSON value that pointers address.

use crate::InputError;
use crate::error::invalid;

/// The deepest nesting a spec may have (`eg.yaml` nests 12 deep). YAML's
/// parser slows quadratically with flow nesting (40,000 `[` took 19 s), so
/// deeper documents are refused before it runs.
pub const MAX_SPEC_DEPTH: usize = 64;

/// The line at which `text` nests deeper than [`MAX_SPEC_DEPTH`]: flow
/// brackets outside quotes and comments, plus block indentation levels and
/// `- ` entries opened on one line. One pass over the text.
fn too_deep(text: &str) -> Option<usize> {
    let mut flow = 0usize;
    let mut quote: Option<char> = None;
    let mut indents: Vec<usize> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut block = indents.len();
        if flow == 0 && quote.is_none() {
            let t = line.trim_start_matches(' ');
            if !t.is_empty() && !t.starts_with('#') {
                let ind = line.len() - t.len();
                while indents.last().is_some_and(|&l| l >= ind) {
                    indents.pop();
                }
                indents.push(ind);
                let mut rest = t;
                let mut dashes = 0;
                while let Some(r) = rest.strip_prefix("- ") {
                    dashes += 1;
                    rest = r.trim_start_matches(' ');
                }
                block = indents.len() + dashes;
            }
        }
        if block > MAX_SPEC_DEPTH {
            return Some(i + 1);
        }
        let (mut prev, mut escaped) = (' ', false);
        for c in line.chars() {
            match quote {
                Some('"') if escaped => escaped = false,
                Some('"') if c == '\\' => escaped = true,
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '#' if prev == ' ' || prev == '\t' => break,
                    '"' | '\'' if " \t,[{:-".contains(prev) => quote = Some(c),
                    '[' | '{' => {
                        flow += 1;
                        if flow + block > MAX_SPEC_DEPTH {
                            return Some(i + 1);
                        }
                    }
                    ']' | '}' => flow = flow.saturating_sub(1),
                    _ => {}
                },
            }
            prev = c;
        }
    }
    None
}

/// The parsed spec: its JSON value, and its paths in document order,
/// which a JSON object does not keep.
pub(crate) struct Parsed {
    /// The document as JSON.
    pub json: serde_json::Value,
    /// The keys of `paths`, as the document orders them.
    pub paths: Vec<String>,
}

/// Parses the spec once as YAML (which refuses a key given twice, at its
/// line), validates that value as OpenAPI 3.0 with `openapiv3`, and returns
/// it as JSON, which is what JSON pointers and `$ref`s address.
pub(crate) fn parse_spec(name: &str, text: &str) -> Result<Parsed, InputError> {
    let at = |what: &str, e: serde_yaml_ng::Error| {
        // serde_yaml_ng's message already says "at line L column C".
        let line = e.location().map_or(1, |l| l.line());
        invalid(name, line, format!("{what}: {e}"))
    };
    if let Some(line) = too_deep(text) {
        let msg = format!("nested more than {MAX_SPEC_DEPTH} levels deep");
        return Err(invalid(name, line, msg));
    }
    let yaml: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(text).map_err(|e| at("invalid YAML", e))?;
    let api: openapiv3::OpenAPI = match serde_yaml_ng::from_value(yaml.clone()) {
        Ok(api) => api,
        // Only the text knows its lines (and reads `200:` keys as strings):
        // read it again, on this path only, to accept or locate the error.
        Err(e) => match serde_yaml_ng::from_str::<openapiv3::OpenAPI>(text) {
            Ok(api) => api,
            Err(located) => {
                let e = if located.location().is_some() {
                    located
                } else {
                    e
                };
                return Err(at("not an OpenAPI 3.0 document", e));
            }
        },
    };
    if !api.openapi.starts_with("3.0") {
        let line = text
            .lines()
            .position(|l| l.starts_with("openapi:"))
            .map_or(1, |i| i + 1);
        let msg = format!("not an OpenAPI 3.0 document: openapi is {:?}", api.openapi);
        return Err(invalid(name, line, msg));
    }
    let json = to_json(&yaml).map_err(|m| invalid(name, 1, format!("invalid YAML: {m}")))?;
    let paths = api.paths.paths.into_keys().collect();
    Ok(Parsed { json, paths })
}

/// The YAML value as JSON: scalar keys become strings (`200:` is `"200"`),
/// tags are dropped. Its depth is bounded by [`too_deep`].
fn to_json(v: &serde_yaml_ng::Value) -> Result<serde_json::Value, String> {
    use serde_json::Value as J;
    use serde_yaml_ng::Value as Y;
    Ok(match v {
        Y::Null => J::Null,
        Y::Bool(b) => J::Bool(*b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                J::from(i)
            } else if let Some(u) = n.as_u64() {
                J::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(J::Number)
                    .ok_or_else(|| format!("{f} is not a JSON number"))?
            }
        }
        Y::String(s) => J::String(s.clone()),
        Y::Sequence(items) => J::Array(items.iter().map(to_json).collect::<Result<_, _>>()?),
        Y::Mapping(m) => {
            let mut out = serde_json::Map::new();
            for (k, v) in m {
                let key = match to_json(k)? {
                    J::String(s) => s,
                    J::Array(_) | J::Object(_) => return Err("a key is not a scalar".into()),
                    k => k.to_string(),
                };
                out.insert(key, to_json(v)?);
            }
            J::Object(out)
        }
        Y::Tagged(t) => to_json(&t.value)?,
    })
}
