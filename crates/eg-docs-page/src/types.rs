//! Type cells (`String`, `Array of strings`, `Tag object`, `Map<String,String>`),
//! parsed once into [`DocsType`], which both the row parser (is this cell a
//! type?) and checkers (which OpenAPI type is it? which table documents the
//! object?) use.

use serde::Serialize;

/// A type cell, read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum DocsType {
    /// A scalar, in OpenAPI spelling: `string`, `integer`, `number`, `boolean`.
    Scalar(&'static str),
    /// `Object`, `Map`, `Map<..>`: an object with no table of its own.
    Object,
    /// `Tag object`: an object documented by the table titled with `Tag`.
    Named(String),
    /// `Array of X`, `List<X>`, `Array<X>`; `Array` and `List` alone hold `None`.
    Array(Option<Box<DocsType>>),
}

/// Scalar spellings seen on Huawei pages and their OpenAPI type.
const SCALARS: &[(&str, &str)] = &[
    ("string", "string"),
    ("date", "string"),
    ("datetime", "string"),
    ("timestamp", "string"),
    ("file", "string"),
    ("integer", "integer"),
    ("int", "integer"),
    ("int32", "integer"),
    ("int64", "integer"),
    ("long", "integer"),
    ("short", "integer"),
    ("byte", "integer"),
    ("float", "number"),
    ("double", "number"),
    ("number", "number"),
    ("bigdecimal", "number"),
    ("boolean", "boolean"),
];

/// A parameter name or a type name: ASCII letters, digits, `_`, `-`, `.`.
pub(crate) fn is_ident(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
}

fn scalar(t: &str) -> Option<DocsType> {
    SCALARS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(t))
        .map(|&(_, o)| DocsType::Scalar(o))
}

impl DocsType {
    /// Reads a type cell; `None` if the text is not one.
    ///
    /// ```
    /// use eg_docs_page::DocsType;
    /// assert_eq!(DocsType::parse("Array of strings").map(|t| t.openapi()), Some("array of string".into()));
    /// assert_eq!(DocsType::parse("Tag object").and_then(|t| t.table_name().map(str::to_owned)), Some("Tag".into()));
    /// assert_eq!(DocsType::parse("Event stream ID."), None);
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        if t.contains('\n') {
            return None;
        }
        if let Some(s) = scalar(t) {
            return Some(s);
        }
        if ["object", "map"].iter().any(|k| k.eq_ignore_ascii_case(t)) {
            return Some(Self::Object);
        }
        if ["array", "list"].iter().any(|k| k.eq_ignore_ascii_case(t)) {
            return Some(Self::Array(None));
        }
        let generic = |p: &str| t.strip_prefix(p).and_then(|r| r.strip_suffix('>'));
        if generic("Map<").is_some() {
            return Some(Self::Object);
        }
        if let Some(inner) = generic("List<").or_else(|| generic("Array<")) {
            return Self::parse(inner).map(|i| Self::Array(Some(Box::new(i))));
        }
        if let Some(inner) = t.strip_prefix("Array of ") {
            // `Array of strings`: the plural of a scalar.
            let one = Self::parse(inner).or_else(|| inner.strip_suffix('s').and_then(scalar));
            let named = inner.strip_suffix(" objects").filter(|n| is_ident(n));
            return one
                .or_else(|| named.map(|n| Self::Named(n.to_owned())))
                .map(|i| Self::Array(Some(Box::new(i))));
        }
        let named = [" object", " objects"]
            .iter()
            .find_map(|s| t.strip_suffix(s).filter(|n| is_ident(n)));
        named.map(|n| Self::Named(n.to_owned()))
    }

    /// The type in OpenAPI spelling: `string`, `object`, `array of string`,
    /// `array` (items unknown).
    pub fn openapi(&self) -> String {
        match self {
            Self::Scalar(s) => (*s).to_owned(),
            Self::Object | Self::Named(_) => "object".to_owned(),
            Self::Array(None) => "array".to_owned(),
            Self::Array(Some(i)) => format!("array of {}", i.openapi()),
        }
    }

    /// The name of the table documenting the object this type holds
    /// (`Tag` for `Array of Tag objects`), if any.
    pub fn table_name(&self) -> Option<&str> {
        match self {
            Self::Named(n) => Some(n),
            Self::Array(Some(i)) => i.table_name(),
            _ => None,
        }
    }
}
