//! Parse a text copy of a Huawei Cloud API documentation page (Chinese or
//! English layout) into a typed model in which every fact keeps its 1-based
//! line number, so a checker can point at the exact line of the page that
//! disagrees with an OpenAPI spec.
//!
//! The page is a sequence of cells: section headings, table titles, header
//! cells and then one table cell after another. The six layouts Huawei's
//! pages reach users in are read into the same model (see [`parse`]):
//! paragraphs ("save as text"), piped cells ending in ` |` with or without
//! a lone `|` line before each row, one `| a | b |` row per line, Markdown
//! source (`####` headings, `:---` rules, fenced JSON, `\*` escapes), and
//! legacy bulleted pages (`• URI format`, sentence captions, Type before
//! Mandatory); browser copies with tab-separated rows too. Table titles may
//! be missing; the rows then go where their section and names say. Both
//! generations' conventions are read: `最小长度`/`枚举值` details, and the
//! 2026 labelled descriptions (参数解释 / 取值范围 `[1-64]` ...). The parser
//! never guesses a missing fact and never panics: a part it cannot read
//! (a cut-off table or example) is listed in [`DocsPage::unread`] with its
//! line, and only a file that is no API page at all is an error.
//! [`read_text`] reads a page from disk (regular files up to 1 MiB only);
//! [`model_json`] / [`model_text`] print the model as `cargo xtask
//! docs-page` does.
//!
//! Modules: `words` holds the vocabulary of both languages, `types` the type
//! cells, `cells` the layouts, `parser` the state machine, `read` the file
//! reader, `model` the printed model.

use serde::Serialize;

mod cells;
mod model;
mod parser;
mod read;
mod types;
mod words;

pub use model::{MODEL_FORMAT, model_json, model_text};
pub use parser::parse;
pub use read::{MAX_TEXT_BYTES, ReadError, read_text};
pub use types::DocsType;

/// A value together with the 1-based line of the page it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// 1-based line number in the page.
    pub line: usize,
}

impl<T> Located<T> {
    /// Pairs `value` with its 1-based `line`.
    pub const fn new(value: T, line: usize) -> Self {
        Self { value, line }
    }
}

/// The language of the page, read from its text (headings, table titles,
/// status headings; Chinese characters when none of those say).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Language {
    /// zh-cn layout (`表1 路径参数`, `是否必选`, `最小长度:1`).
    Chinese,
    /// en-us layout (`Table 1 Path Parameters`, `Mandatory`, `Minimum: 1`).
    English,
}

impl Language {
    /// The locale code Huawei's docs use in their addresses: `zh-cn`, `en-us`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Chinese => "zh-cn",
            Self::English => "en-us",
        }
    }

    /// The language of a locale code; `None` for any other code.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Chinese, Self::English]
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Everything a docs page states about one API operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocsPage {
    /// Layout language, from the first language-specific heading.
    pub language: Language,
    /// Page title (e.g. `操作事件流`), if one precedes the first section.
    pub title: Option<Located<String>>,
    /// The edition: the ISO date of the page's date line
    /// (`更新时间:2025-12-18 GMT+08:00`, `Updated on 2025-05-06 GMT+08:00`).
    pub edition: Option<Located<String>>,
    /// The `METHOD /path` line under the `URI` heading.
    pub endpoint: Located<Endpoint>,
    /// Rows of the path parameter table.
    pub path_params: Vec<Field>,
    /// Rows of the query parameter table.
    pub query_params: Vec<Field>,
    /// Rows of the request header table.
    pub header_params: Vec<Field>,
    /// Rows of the request body table and of any other request-side table
    /// (nested object tables); [`Field::table`] tells them apart.
    pub body_fields: Vec<Field>,
    /// One entry per status heading under the response parameters section.
    pub responses: Vec<ResponseDoc>,
    /// JSON request examples, in page order.
    pub request_examples: Vec<Example>,
    /// JSON response examples, in page order.
    pub response_examples: Vec<Example>,
    /// The closing status-code table.
    pub status_codes: Vec<StatusCodeDoc>,
    /// The `请参见错误码` / `See Error Codes` sentence under the error-code
    /// heading, if the page sends its reader to the shared error-code page.
    pub errors_see_also: Option<Located<String>>,
    /// Titles of all parameter tables, as seen.
    pub tables: Vec<Located<String>>,
    /// The parts of the page that could not be read, in page order.
    pub unread: Vec<Unread>,
}

/// A part of a page the parser could not read: it is skipped, and the
/// rest of the page is read on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unread {
    /// 1-based line where the part starts or goes wrong.
    pub line: usize,
    /// What is wrong there, e.g. `unterminated JSON example at line 120`.
    pub reason: String,
}

/// HTTP method and path template of the operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    /// Upper-case HTTP method, e.g. `POST`.
    pub method: String,
    /// Path template, e.g. `/v1/{project_id}/eventstreamings/operate/{eventstreaming_id}`.
    pub path: String,
}

/// The mandatory cell of a parameter row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Mandatory {
    /// `是` / `Yes`.
    Yes,
    /// `否` / `No`.
    No,
    /// The row has no mandatory cell (the page does not say).
    NotStated,
}

/// One row of a parameter table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// Parameter name.
    pub name: String,
    /// Line of the parameter name.
    pub line: usize,
    /// Mandatory cell; located at the name's line when not stated.
    pub mandatory: Located<Mandatory>,
    /// Type cell as written, e.g. `String` or `Array of strings`.
    pub type_name: Located<String>,
    /// The type cell, read.
    pub ty: DocsType,
    /// First description paragraph.
    pub description: Located<String>,
    /// `最小长度` / `Minimum length` (or `Minimum` on an English String row).
    pub min_length: Option<Located<u64>>,
    /// `最大长度` / `Maximum length` (or `Maximum` on an English String row).
    pub max_length: Option<Located<u64>>,
    /// `最小值` / `Minimum` of a non-string row, as written.
    pub minimum: Option<Located<String>>,
    /// `最大值` / `Maximum` of a non-string row, as written.
    pub maximum: Option<Located<String>>,
    /// `缺省值` / `Default`, as written.
    pub default: Option<Located<String>>,
    /// Bullets following `枚举值:` / `Enumeration values:`.
    pub enum_values: Vec<Located<String>>,
    /// Further description lines that are none of the above (kept so that no
    /// fact of the page is dropped).
    pub notes: Vec<Located<String>>,
    /// Title of the table the row came from, e.g. `表3 请求Body参数`; an
    /// untitled table is named `(untitled table, line N)`.
    pub table: String,
}

/// The response parameters documented under one status heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResponseDoc {
    /// The status of the `状态码: 200` / `Status code: 200` heading.
    pub status: Located<u16>,
    /// Rows of the response header table.
    pub header_fields: Vec<Field>,
    /// Rows of the response body table (and nested object tables).
    pub body_fields: Vec<Field>,
}

/// A JSON example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Example {
    /// Status heading it follows; `None` for request examples.
    pub status: Option<u16>,
    /// Line of the opening brace.
    pub line: usize,
    /// The parsed example.
    pub json: serde_json::Value,
}

/// One row of the closing status-code table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusCodeDoc {
    /// HTTP status code.
    pub status: Located<u16>,
    /// Its description.
    pub description: Located<String>,
}

impl DocsPage {
    /// Whether the page leaves its error statuses to the shared error-code
    /// page: it says so and documents no error status (4xx, 5xx) itself.
    pub fn delegates_errors(&self) -> bool {
        let own = |s: u16| s >= 400;
        self.errors_see_also.is_some()
            && !self.responses.iter().any(|r| own(r.status.value))
            && !self.status_codes.iter().any(|s| own(s.status.value))
            && !self
                .response_examples
                .iter()
                .any(|e| e.status.is_some_and(own))
    }
}

/// Why a file is not a docs page at all (empty, binary, no `METHOD /path`
/// line anywhere), with the 1-based line at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// 1-based line at fault.
    pub line: usize,
    /// What is wrong there.
    pub message: String,
}
