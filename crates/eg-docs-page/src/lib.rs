//! Parse a text copy of a Huawei Cloud API documentation page (Chinese or
//! English layout) into a typed model in which every fact keeps its 1-based
//! line number, so a checker can point at the exact line of the page that
//! disagrees with an OpenAPI spec.
//!
//! The page is a sequence of paragraphs separated by blank lines: section
//! headings, table titles, header cells and then one table cell per
//! paragraph. [`parse`] splits it into paragraphs and walks them with a small
//! state machine; it never guesses a missing fact and never panics.

use serde::Serialize;

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

/// The layout language of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Language {
    /// zh-cn layout (`表1 路径参数`, `是否必选`, `最小长度:1`).
    Chinese,
    /// en-us layout (`Table 1 Path Parameters`, `Mandatory`, `Minimum: 1`).
    English,
}

/// Everything a docs page states about one API operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocsPage {
    /// Layout language, from the first language-specific heading.
    pub language: Language,
    /// Page title (e.g. `操作事件流`), if one precedes the first section.
    pub title: Option<Located<String>>,
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
    /// Titles of all parameter tables, as seen.
    pub tables: Vec<Located<String>>,
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
    /// Type cell, e.g. `String` or `Array of strings`.
    pub type_name: Located<String>,
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
    /// Title of the table the row came from, e.g. `表3 请求Body参数`.
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

/// Why a page could not be read, with the 1-based line at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// 1-based line at fault.
    pub line: usize,
    /// What is wrong there.
    pub message: String,
}

fn err(line: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        message: message.into(),
    }
}

type Result<T> = std::result::Result<T, ParseError>;

/// Run of consecutive non-blank lines.
struct Para<'a> {
    line: usize,
    lines: Vec<&'a str>,
    text: String,
}

impl Para<'_> {
    fn end(&self) -> usize {
        self.line + self.lines.len().saturating_sub(1)
    }
}

fn paragraphs<'a>(raw: &[&'a str]) -> Vec<Para<'a>> {
    let mut out = Vec::new();
    let mut cur: Option<Para<'a>> = None;
    for (i, l) in raw.iter().enumerate() {
        let t = l.trim();
        if t.is_empty() {
            out.extend(cur.take());
        } else {
            cur.get_or_insert_with(|| Para {
                line: i + 1,
                lines: Vec::new(),
                text: String::new(),
            })
            .lines
            .push(t);
        }
    }
    out.extend(cur);
    for p in &mut out {
        p.text = p.lines.join("\n");
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Uri,
    Request,
    Response,
    RequestExamples,
    ResponseExamples,
    StatusCodes,
    End,
}

use Language::{Chinese as Zh, English as En};

const SECTIONS: &[(&str, Section, Option<Language>)] = &[
    ("URI", Section::Uri, None),
    ("请求参数", Section::Request, Some(Zh)),
    ("Request Parameters", Section::Request, Some(En)),
    ("响应参数", Section::Response, Some(Zh)),
    ("Response Parameters", Section::Response, Some(En)),
    ("请求示例", Section::RequestExamples, Some(Zh)),
    ("Example Requests", Section::RequestExamples, Some(En)),
    ("Example Request", Section::RequestExamples, Some(En)),
    ("响应示例", Section::ResponseExamples, Some(Zh)),
    ("Example Responses", Section::ResponseExamples, Some(En)),
    ("Example Response", Section::ResponseExamples, Some(En)),
    ("状态码", Section::StatusCodes, Some(Zh)),
    ("Status Codes", Section::StatusCodes, Some(En)),
    ("错误码", Section::End, Some(Zh)),
    ("Error Codes", Section::End, Some(En)),
    ("相关文档", Section::End, Some(Zh)),
    ("Related Documents", Section::End, Some(En)),
];

/// What a paragraph is, structurally.
enum Mark {
    Section(Section),
    /// `状态码: 200`; `Err` carries the non-numeric code text.
    Status(std::result::Result<u16, String>),
    Table,
    Text,
}

/// Splits `key: value` at the first ASCII or full-width colon.
fn kv(text: &str) -> Option<(&str, &str)> {
    let i = text.find([':', '\u{ff1a}'])?;
    let (k, rest) = text.split_at(i);
    let colon = rest.chars().next()?.len_utf8();
    Some((k.trim(), rest.get(colon..)?.trim()))
}

fn mark(text: &str) -> (Mark, Option<Language>) {
    if let Some(&(_, s, lang)) = SECTIONS.iter().find(|(k, ..)| k.eq_ignore_ascii_case(text)) {
        return (Mark::Section(s), lang);
    }
    if let Some((k, v)) = kv(text) {
        let lang = match k {
            "状态码" => Some(Zh),
            _ if k.eq_ignore_ascii_case("Status code") => Some(En),
            _ => None,
        };
        if lang.is_some() {
            return (Mark::Status(v.parse().map_err(|_| v.to_owned())), lang);
        }
    }
    let digit_after = |p: &str| {
        text.get(p.len()..)
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    };
    if text.starts_with("表") && digit_after("表") {
        return (Mark::Table, Some(Zh));
    }
    if text
        .get(..6)
        .is_some_and(|t| t.eq_ignore_ascii_case("Table "))
        && digit_after("Table ")
    {
        return (Mark::Table, Some(En));
    }
    (Mark::Text, None)
}

/// Headings, status headings and table titles end a table.
fn ends_table(text: &str) -> bool {
    !matches!(mark(text).0, Mark::Text)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Name,
    Mandatory,
    Type,
    Desc,
    Code,
}

const COLUMNS: &[(&str, Col)] = &[
    ("参数", Col::Name),
    ("Parameter", Col::Name),
    ("是否必选", Col::Mandatory),
    ("Mandatory", Col::Mandatory),
    ("参数类型", Col::Type),
    ("Type", Col::Type),
    ("描述", Col::Desc),
    ("Description", Col::Desc),
    ("状态码", Col::Code),
    ("Status Code", Col::Code),
];

fn column(text: &str) -> Option<Col> {
    COLUMNS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(text))
        .map(|&(_, c)| c)
}

fn col_name(c: Col) -> &'static str {
    match c {
        Col::Name => "参数/Parameter",
        Col::Mandatory => "是否必选/Mandatory",
        Col::Type => "参数类型/Type",
        Col::Desc => "描述/Description",
        Col::Code => "状态码/Status Code",
    }
}

fn mandatory(text: &str) -> Option<Mandatory> {
    match text {
        "是" => Some(Mandatory::Yes),
        "否" => Some(Mandatory::No),
        _ if text.eq_ignore_ascii_case("Yes") => Some(Mandatory::Yes),
        _ if text.eq_ignore_ascii_case("No") => Some(Mandatory::No),
        _ => None,
    }
}

fn is_ident(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
}

/// Type cells seen on Huawei pages: scalars, `Object`, `Array of X`
/// (`Array of strings` too), `X object(s)`, `Map<..>` / `List<..>`.
fn is_type(text: &str) -> bool {
    const SCALARS: &str = "String Integer Long Boolean Object Array Float Double Number Int Int32 \
                           Int64 Short Byte BigDecimal File Date DateTime Timestamp Map List";
    let t = text.trim();
    let scalar = |t: &str| {
        SCALARS
            .split_whitespace()
            .any(|s| s.eq_ignore_ascii_case(t))
    };
    let generic = ["Map<", "List<", "Array<"].iter().any(|p| t.starts_with(p)) && t.ends_with('>');
    let object = [" object", " objects"]
        .iter()
        .any(|s| t.strip_suffix(s).is_some_and(is_ident));
    let array = t
        .strip_prefix("Array of ")
        .is_some_and(|r| is_type(r) || r.strip_suffix('s').is_some_and(scalar));
    !t.contains('\n') && (scalar(t) || generic || object || array)
}

/// Description keys; the flag marks English `Minimum`/`Maximum`, which mean
/// a length on String rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    MinLen,
    MaxLen,
    Min(bool),
    Max(bool),
    Default,
    Enum,
}

const KEYS: &[(&str, Key)] = &[
    ("最小长度", Key::MinLen),
    ("最大长度", Key::MaxLen),
    ("最小值", Key::Min(false)),
    ("最大值", Key::Max(false)),
    ("缺省值", Key::Default),
    ("默认值", Key::Default),
    ("枚举值", Key::Enum),
    ("Minimum length", Key::MinLen),
    ("Maximum length", Key::MaxLen),
    ("Minimum", Key::Min(true)),
    ("Maximum", Key::Max(true)),
    ("Default", Key::Default),
    ("Default value", Key::Default),
    ("Enumeration values", Key::Enum),
];

/// A description line after the first: a known `key: value` or a bullet.
fn is_detail(text: &str) -> bool {
    text.starts_with('•')
        || kv(text).is_some_and(|(k, _)| KEYS.iter().any(|(n, _)| n.eq_ignore_ascii_case(k)))
}

/// Sets a limit once; a second occurrence is a contradiction, not an update.
fn set_once<T>(
    slot: &mut Option<Located<T>>,
    v: T,
    line: usize,
    key: &str,
    row: &str,
) -> Result<()> {
    if slot.is_some() {
        return Err(err(line, format!("duplicate '{key}' in row '{row}'")));
    }
    *slot = Some(Located::new(v, line));
    Ok(())
}

struct Parser<'a> {
    raw: Vec<&'a str>,
    paras: Vec<Para<'a>>,
    pos: usize,
}

/// Row-start test, so field tables and the status-code table share
/// [`Parser::header`].
type RowStart = fn(&[Para<'_>], usize) -> bool;

fn text_at<'p>(paras: &'p [Para<'_>], i: usize) -> &'p str {
    paras.get(i).map_or("", |p| p.text.as_str())
}

/// A row starts with an identifier followed by a type cell, or by a
/// mandatory cell and then a type cell.
fn field_row_start(paras: &[Para<'_>], i: usize) -> bool {
    let t = |k| text_at(paras, k);
    is_ident(t(i)) && (is_type(t(i + 1)) || (mandatory(t(i + 1)).is_some() && is_type(t(i + 2))))
}

fn code_row_start(paras: &[Para<'_>], i: usize) -> bool {
    text_at(paras, i).parse::<u16>().is_ok()
}

impl Parser<'_> {
    /// The next paragraph if the table continues there.
    fn cell(&self) -> Option<&Para<'_>> {
        self.paras.get(self.pos).filter(|p| !ends_table(&p.text))
    }

    /// A cell that must be there (a description). Section words such as
    /// `错误码` are also legitimate descriptions (of `error_code`), so one is
    /// taken as the description only when the row visibly continues after
    /// it; otherwise it is the heading and the row lacks its description.
    fn required_cell(&self, is_row: RowStart) -> Option<&Para<'_>> {
        let p = self.paras.get(self.pos)?;
        let next = self.pos + 1;
        let continues = || is_row(&self.paras, next) || is_detail(text_at(&self.paras, next));
        match mark(&p.text).0 {
            Mark::Text => (!is_row(&self.paras, self.pos)).then_some(p),
            Mark::Section(_) => continues().then_some(p),
            Mark::Status(_) | Mark::Table => None,
        }
    }

    fn title(&self, uri: usize) -> Option<Located<String>> {
        let skip = |l: &str| {
            l.starts_with("更新时间") || l.starts_with("Updated on") || l == "分享" || l == "Share"
        };
        let intro = ["功能介绍", "Function", "调试", "Debugging", "URI"];
        let (line, text) = self
            .paras
            .get(..uri)?
            .iter()
            .flat_map(|p| (p.line..).zip(&p.lines))
            .find(|(_, l)| !skip(l))?;
        (!intro.iter().any(|h| h.eq_ignore_ascii_case(text)))
            .then(|| Located::new((*text).to_owned(), line))
    }

    fn endpoint(&mut self, uri_line: usize) -> Result<Located<Endpoint>> {
        let Some(p) = self.paras.get(self.pos) else {
            return Err(err(uri_line, "URI section has no 'METHOD /path' line"));
        };
        const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
        let parsed = p.text.split_once(' ').filter(|(m, path)| {
            METHODS.contains(m) && path.starts_with('/') && !path.contains(char::is_whitespace)
        });
        let Some((method, path)) = parsed else {
            return Err(err(
                p.line,
                format!("expected 'METHOD /path' after URI, found '{}'", p.text),
            ));
        };
        self.pos += 1;
        Ok(Located::new(
            Endpoint {
                method: method.into(),
                path: path.into(),
            },
            p.line,
        ))
    }

    /// Reads header cells up to the description column or the first row.
    fn header(
        &mut self,
        title: &Located<String>,
        allowed: &[Col],
        is_row: RowStart,
    ) -> Result<Vec<Col>> {
        let mut cols = Vec::new();
        while let Some(p) = self.paras.get(self.pos) {
            if let Some(c) = column(&p.text).filter(|c| allowed.contains(c)) {
                self.pos += 1;
                cols.push(c);
                if c == Col::Desc {
                    break;
                }
            } else if ends_table(&p.text) || is_row(&self.paras, self.pos) {
                break;
            } else {
                return Err(err(
                    p.line,
                    format!("unknown column '{}' in {}", p.text, title.value),
                ));
            }
        }
        if self.cell().is_none() {
            return Err(err(
                title.line,
                format!("table '{}' has no rows", title.value),
            ));
        }
        // The mandatory column is optional: response tables have none.
        let missing = allowed
            .iter()
            .find(|&&c| c != Col::Mandatory && !cols.contains(&c));
        if let Some(&c) = missing {
            return Err(err(
                title.line,
                format!("table '{}' lacks the {} column", title.value, col_name(c)),
            ));
        }
        Ok(cols)
    }

    fn table(&mut self, title: &Located<String>) -> Result<Vec<Field>> {
        let cols = self.header(
            title,
            &[Col::Name, Col::Mandatory, Col::Type, Col::Desc],
            field_row_start,
        )?;
        let mut rows = Vec::new();
        while let Some(p) = self.cell() {
            let name = Located::new(p.text.clone(), p.line);
            rows.push(self.row(name, &title.value, cols.contains(&Col::Mandatory))?);
        }
        Ok(rows)
    }

    fn row(&mut self, name: Located<String>, table: &str, has_mandatory: bool) -> Result<Field> {
        let Located { value: name, line } = name;
        if !is_ident(&name) {
            return Err(err(
                line,
                format!("expected a parameter name in {table}, found '{name}'"),
            ));
        }
        self.pos += 1;
        let no_type = || err(line, format!("row '{name}' in {table} has no type cell"));
        let next = self.cell().map(|p| (p.text.clone(), p.line));
        let mandatory = match next {
            None => return Err(no_type()),
            Some((t, l)) => match mandatory(&t) {
                Some(_) if !has_mandatory => {
                    return Err(err(
                        l,
                        format!(
                            "row '{name}' has a mandatory cell '{t}' but {table} has no 是否必选/Mandatory column"
                        ),
                    ));
                }
                Some(m) => {
                    self.pos += 1;
                    Located::new(m, l)
                }
                None if is_type(&t) => Located::new(Mandatory::NotStated, line),
                None => {
                    return Err(err(
                        l,
                        format!(
                            "row '{name}' in {table}: expected a 是否必选/Mandatory or 参数类型/Type cell, found '{t}'"
                        ),
                    ));
                }
            },
        };
        let type_name = match self.cell() {
            Some(p) if is_type(&p.text) => Located::new(p.text.clone(), p.line),
            Some(p) => {
                return Err(err(
                    p.line,
                    format!(
                        "row '{name}' in {table}: expected a 参数类型/Type cell, found '{}'",
                        p.text
                    ),
                ));
            }
            None => return Err(no_type()),
        };
        self.pos += 1;
        let Some(p) = self.required_cell(field_row_start) else {
            return Err(err(
                line,
                format!("row '{name}' in {table} has too few cells: no description"),
            ));
        };
        let description = Located::new(p.text.clone(), p.line);
        self.pos += 1;
        let mut f = Field {
            name,
            line,
            mandatory,
            type_name,
            description,
            min_length: None,
            max_length: None,
            minimum: None,
            maximum: None,
            default: None,
            enum_values: Vec::new(),
            notes: Vec::new(),
            table: table.to_owned(),
        };
        self.details(&mut f)?;
        Ok(f)
    }

    /// Description paragraphs after the first, line by line, up to the next
    /// row or the end of the table.
    fn details(&mut self, f: &mut Field) -> Result<()> {
        let string = f.type_name.value.eq_ignore_ascii_case("String");
        let mut in_enum = false;
        while self.cell().is_some() && !field_row_start(&self.paras, self.pos) {
            let Some(p) = self.paras.get(self.pos) else {
                break;
            };
            self.pos += 1;
            for (line, text) in (p.line..).zip(&p.lines) {
                if let Some(v) = text.strip_prefix('•').filter(|_| in_enum) {
                    f.enum_values.push(Located::new(v.trim().to_owned(), line));
                    continue;
                }
                in_enum = false;
                let key = kv(text).and_then(|(k, v)| {
                    KEYS.iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case(k))
                        .map(|&(_, key)| (k, key, v))
                });
                let Some((k, key, v)) = key else {
                    f.notes.push(Located::new((*text).to_owned(), line));
                    continue;
                };
                let length = || {
                    v.parse::<u64>()
                        .map_err(|_| err(line, format!("{k} '{v}' is not a number")))
                };
                let number = || {
                    v.parse::<f64>()
                        .ok()
                        .filter(|n| n.is_finite())
                        .map(|_| v.to_owned())
                        .ok_or_else(|| err(line, format!("{k} '{v}' is not a number")))
                };
                // English pages say `Minimum: 1` for a string's length.
                let key = match key {
                    Key::Min(true) if string => Key::MinLen,
                    Key::Max(true) if string => Key::MaxLen,
                    key => key,
                };
                match key {
                    Key::MinLen => set_once(&mut f.min_length, length()?, line, k, &f.name)?,
                    Key::MaxLen => set_once(&mut f.max_length, length()?, line, k, &f.name)?,
                    Key::Min(_) => set_once(&mut f.minimum, number()?, line, k, &f.name)?,
                    Key::Max(_) => set_once(&mut f.maximum, number()?, line, k, &f.name)?,
                    Key::Default => set_once(&mut f.default, v.to_owned(), line, k, &f.name)?,
                    Key::Enum if v.is_empty() => in_enum = true,
                    // Inline values (`枚举值:A,B`) are not a layout we know; keep them verbatim.
                    Key::Enum => f.notes.push(Located::new((*text).to_owned(), line)),
                }
            }
        }
        Ok(())
    }

    /// Status-code table: header cells, then code / description pairs.
    fn status_table(&mut self, title: &Located<String>) -> Result<Vec<StatusCodeDoc>> {
        self.header(title, &[Col::Code, Col::Desc], code_row_start)?;
        let mut rows = Vec::new();
        while let Some(p) = self.cell() {
            let Ok(code) = p.text.parse::<u16>() else {
                return Err(err(
                    p.line,
                    format!(
                        "expected a status code in table '{}', found '{}'",
                        title.value, p.text
                    ),
                ));
            };
            let status = Located::new(code, p.line);
            self.pos += 1;
            let Some(d) = self.required_cell(code_row_start) else {
                return Err(err(
                    status.line,
                    format!(
                        "status code {code} in table '{}' has no description",
                        title.value
                    ),
                ));
            };
            rows.push(StatusCodeDoc {
                status,
                description: Located::new(d.text.clone(), d.line),
            });
            self.pos += 1;
        }
        Ok(rows)
    }

    /// A JSON example: paragraphs joined (blank lines kept) until brackets
    /// balance, then parsed with serde_json.
    fn json(&mut self, status: Option<u16>) -> Result<Example> {
        let start = self.paras.get(self.pos).map_or(0, |p| p.line);
        let (mut depth, mut in_str, mut escaped) = (0i64, false, false);
        let end = loop {
            let Some(p) = self.paras.get(self.pos) else {
                return Err(err(start, "unterminated JSON example"));
            };
            self.pos += 1;
            for c in p.text.chars() {
                match c {
                    _ if escaped => escaped = false,
                    '\\' if in_str => escaped = true,
                    '"' => in_str = !in_str,
                    '{' | '[' if !in_str => depth += 1,
                    '}' | ']' if !in_str => depth -= 1,
                    _ => {}
                }
            }
            if depth <= 0 {
                break p.end();
            }
        };
        let text = self
            .raw
            .get(start.saturating_sub(1)..end)
            .unwrap_or_default()
            .join("\n");
        serde_json::from_str(&text)
            .map(|json| Example {
                status,
                line: start,
                json,
            })
            .map_err(|e| {
                let msg = e.to_string();
                let msg = msg
                    .rsplit_once(" at line ")
                    .map_or(msg.as_str(), |(m, _)| m);
                err(
                    start + e.line().max(1) - 1,
                    format!("invalid JSON example: {msg} (column {})", e.column()),
                )
            })
    }
}

/// Parses a docs page. Everything before the `URI` heading except the title
/// is prose and ignored; everything after `错误码` / `Error Codes` too.
///
/// ```
/// let page = "URI\n\nGET /v1/{project_id}/items\n\n表1 路径参数\n\n参数\n\n参数类型\n\n描述\n\n\
///             project_id\n\nString\n\n项目ID\n\n最大长度:64";
/// let doc = eg_docs_page::parse(page)?;
/// assert_eq!(doc.endpoint.value.path, "/v1/{project_id}/items");
/// let id = &doc.path_params[0];
/// assert_eq!((id.line, id.type_name.line), (13, 15));
/// assert_eq!(id.mandatory.value, eg_docs_page::Mandatory::NotStated);
/// assert_eq!(id.max_length.as_ref().map(|l| (l.value, l.line)), Some((64, 19)));
/// assert_eq!(eg_docs_page::parse("").unwrap_err().to_string(), "line 1: empty page");
/// # Ok::<(), eg_docs_page::ParseError>(())
/// ```
pub fn parse(text: &str) -> Result<DocsPage> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: Vec<&str> = text.lines().collect();
    let paras = paragraphs(&raw);
    if paras.is_empty() {
        return Err(err(1, "empty page"));
    }
    let mut p = Parser { raw, paras, pos: 0 };
    let Some(uri) = p.paras.iter().position(|q| q.text == "URI") else {
        return Err(err(1, "no URI section (expected a 'URI' heading)"));
    };
    let title = p.title(uri);
    let uri_line = p.paras.get(uri).map_or(1, |q| q.line);
    p.pos = uri + 1;
    let endpoint = p.endpoint(uri_line)?;
    let mut page = DocsPage {
        language: Zh,
        title,
        endpoint,
        path_params: Vec::new(),
        query_params: Vec::new(),
        header_params: Vec::new(),
        body_fields: Vec::new(),
        responses: Vec::new(),
        request_examples: Vec::new(),
        response_examples: Vec::new(),
        status_codes: Vec::new(),
        tables: Vec::new(),
    };
    let mut language = None;
    let mut section = Section::Uri;
    let mut example_status = None;
    while let Some(q) = p.paras.get(p.pos) {
        let (m, lang) = mark(&q.text);
        language = language.or(lang);
        let here = Located::new(q.text.clone(), q.line);
        match m {
            Mark::Section(Section::Uri) => return Err(err(here.line, "duplicate URI section")),
            Mark::Section(Section::End) => break,
            Mark::Section(s) => {
                p.pos += 1;
                section = s;
                example_status = None;
                if s == Section::StatusCodes {
                    page.status_codes.extend(p.status_table(&here)?);
                }
            }
            Mark::Status(code) => {
                let code =
                    code.map_err(|v| err(here.line, format!("invalid status code '{v}'")))?;
                match section {
                    Section::Response if page.responses.iter().any(|r| r.status.value == code) => {
                        return Err(err(
                            here.line,
                            format!("duplicate status {code} in response parameters"),
                        ));
                    }
                    Section::Response => page.responses.push(ResponseDoc {
                        status: Located::new(code, here.line),
                        header_fields: Vec::new(),
                        body_fields: Vec::new(),
                    }),
                    Section::ResponseExamples => example_status = Some(code),
                    _ => {
                        return Err(err(
                            here.line,
                            format!(
                                "status heading '{}' outside response parameters / examples",
                                here.value
                            ),
                        ));
                    }
                }
                p.pos += 1;
            }
            Mark::Table => {
                let kind = here.value.to_lowercase();
                let has = |ws: &[&str]| ws.iter().any(|w| kind.contains(w));
                // Check the destination before reading, so the error names the title line.
                if section == Section::Response && page.responses.is_empty() {
                    return Err(err(
                        here.line,
                        format!("table '{}' has no preceding status heading", here.value),
                    ));
                }
                if !matches!(section, Section::Uri | Section::Request | Section::Response) {
                    return Err(err(
                        here.line,
                        format!("unexpected table '{}' in {section:?} section", here.value),
                    ));
                }
                p.pos += 1;
                let rows = p.table(&here)?;
                let dest = match (section, page.responses.last_mut()) {
                    (Section::Response, Some(r)) if has(&["header"]) => &mut r.header_fields,
                    (Section::Response, Some(r)) => &mut r.body_fields,
                    _ if has(&["路径", "path"]) => &mut page.path_params,
                    _ if has(&["查询", "query"]) => &mut page.query_params,
                    _ if has(&["header"]) => &mut page.header_params,
                    _ => &mut page.body_fields,
                };
                dest.extend(rows);
                page.tables.push(here);
            }
            Mark::Text if q.text.starts_with(['{', '[']) && section == Section::RequestExamples => {
                let ex = p.json(None)?;
                page.request_examples.push(ex);
            }
            Mark::Text
                if q.text.starts_with(['{', '[']) && section == Section::ResponseExamples =>
            {
                let ex = p.json(example_status)?;
                page.response_examples.push(ex);
            }
            // Prose between sections (e.g. `无` / `None`, a request line) states no fact we model.
            Mark::Text => p.pos += 1,
        }
    }
    let cjk = || text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    page.language = language.unwrap_or(if cjk() { Zh } else { En });
    Ok(page)
}
