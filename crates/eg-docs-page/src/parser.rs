//! The state machine over the page's cells.

use crate::cells::{Para, cells};
use crate::types::is_ident;
use crate::words::{self, Col, Key, Section};
use crate::{
    DocsPage, DocsType, Endpoint, Example, Field, Language, Located, Mandatory, ParseError,
    ResponseDoc, StatusCodeDoc,
};

fn err(line: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        message: message.into(),
    }
}

type Result<T> = std::result::Result<T, ParseError>;

/// What a cell is, structurally.
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
    if let Some((s, lang)) = words::section(text) {
        return (Mark::Section(s), lang);
    }
    if let Some((k, v)) = kv(text)
        && let Some(lang) = words::status_key(k)
    {
        return (
            Mark::Status(v.parse().map_err(|_| v.to_owned())),
            Some(lang),
        );
    }
    for &(prefix, lang) in words::TABLE_PREFIXES {
        let titled = text
            .get(..prefix.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(prefix))
            && text
                .get(prefix.len()..)
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
        if titled {
            return (Mark::Table, Some(lang));
        }
    }
    (Mark::Text, None)
}

/// Headings, status headings and table titles end a table.
fn ends_table(text: &str) -> bool {
    !matches!(mark(text).0, Mark::Text)
}

/// An HTTP header name as pages write them: `X-Auth-Token`, `Content-Type`.
fn is_header_name(name: &str) -> bool {
    name.contains('-') && name.starts_with(|c: char| c.is_ascii_uppercase())
}

/// A description line after the first: a known `key: value` or a bullet.
fn is_detail(text: &str) -> bool {
    text.starts_with('•') || kv(text).is_some_and(|(k, _)| words::key(k).is_some())
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

fn is_type(text: &str) -> bool {
    DocsType::parse(text).is_some()
}

/// A row starts with an identifier followed by a type cell, or by a
/// mandatory cell and then a type cell.
fn field_row_start(paras: &[Para<'_>], i: usize) -> bool {
    let t = |k| text_at(paras, k);
    is_ident(t(i))
        && (is_type(t(i + 1)) || (words::mandatory(t(i + 1)).is_some() && is_type(t(i + 2))))
}

fn code_row_start(paras: &[Para<'_>], i: usize) -> bool {
    text_at(paras, i).parse::<u16>().is_ok()
}

/// An untitled field table starts with the name column's header cell
/// followed by another header cell.
fn untitled_table_start(paras: &[Para<'_>], i: usize) -> bool {
    let col = |k| words::column(text_at(paras, k));
    col(i) == Some(Col::Name) && matches!(col(i + 1), Some(Col::Mandatory | Col::Type))
}

/// Where the rows of a table go.
enum Dest {
    Path,
    Query,
    Header,
    Body,
}

impl Parser<'_> {
    /// The next cell if the table continues there.
    fn cell(&self) -> Option<&Para<'_>> {
        self.paras
            .get(self.pos)
            .filter(|p| !ends_table(&p.text) && !untitled_table_start(&self.paras, self.pos))
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
        let (line, text) = self
            .paras
            .get(..uri)?
            .iter()
            .flat_map(|p| (p.line..).zip(&p.lines))
            .find(|(_, l)| !words::is_chrome(l))?;
        (!words::INTRO.iter().any(|h| h.eq_ignore_ascii_case(text)))
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
            if let Some(c) = words::column(&p.text).filter(|c| allowed.contains(c)) {
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
                format!(
                    "table '{}' lacks the {} column",
                    title.value,
                    words::col_name(c)
                ),
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
            Some((t, l)) => match words::mandatory(&t) {
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
                    let m = if m { Mandatory::Yes } else { Mandatory::No };
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
        let (type_name, ty) = match self.cell() {
            Some(p) => match DocsType::parse(&p.text) {
                Some(ty) => (Located::new(p.text.clone(), p.line), ty),
                None => {
                    return Err(err(
                        p.line,
                        format!(
                            "row '{name}' in {table}: expected a 参数类型/Type cell, found '{}'",
                            p.text
                        ),
                    ));
                }
            },
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
            ty,
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

    /// Description cells after the first, line by line, up to the next
    /// row or the end of the table.
    fn details(&mut self, f: &mut Field) -> Result<()> {
        let string = f.ty == DocsType::Scalar("string");
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
                let key = kv(text).and_then(|(k, v)| words::key(k).map(|key| (k, key, v)));
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

    /// A JSON example starting in the current cell at byte `skip` of its
    /// first line: cells joined (blank lines kept) until brackets balance,
    /// then parsed with serde_json.
    fn json(&mut self, status: Option<u16>, skip: usize) -> Result<Example> {
        let start = self.paras.get(self.pos).map_or(0, |p| p.line);
        let first = self.paras.get(self.pos).and_then(|p| p.lines.first());
        let head = first.and_then(|l| l.get(skip..)).unwrap_or_default();
        let (mut depth, mut in_str, mut escaped) = (0i64, false, false);
        let mut seen = 0;
        let end = loop {
            let Some(p) = self.paras.get(self.pos) else {
                return Err(err(start, "unterminated JSON example"));
            };
            self.pos += 1;
            let text = if seen == 0 { head } else { p.text.as_str() };
            let rest = if seen == 0 {
                p.lines.get(1..).unwrap_or_default().join("\n")
            } else {
                String::new()
            };
            seen += 1;
            for c in text.chars().chain(rest.chars()) {
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
        let rest = self.raw.get(start..end).unwrap_or_default();
        let text = std::iter::once(head)
            .chain(rest.iter().copied())
            .collect::<Vec<_>>()
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

    /// Where the rows of a table go: by its title, or, untitled, by its
    /// section and row names (path parameters appear in the path template,
    /// headers look like `X-Auth-Token`).
    fn dest(section: Section, title: Option<&str>, rows: &[Field], path: &str) -> Dest {
        if let Some(title) = title {
            let kind = title.to_lowercase();
            let has = |ws: &[&str]| ws.iter().any(|w| kind.contains(w));
            return match section {
                Section::Response if has(words::HEADER_TABLE) => Dest::Header,
                Section::Response => Dest::Body,
                _ if has(words::PATH_TABLE) => Dest::Path,
                _ if has(words::QUERY_TABLE) => Dest::Query,
                _ if has(words::HEADER_TABLE) => Dest::Header,
                _ => Dest::Body,
            };
        }
        let all = |f: &dyn Fn(&Field) -> bool| !rows.is_empty() && rows.iter().all(f);
        match section {
            Section::Uri if all(&|r| path.contains(&format!("{{{}}}", r.name))) => Dest::Path,
            Section::Uri => Dest::Query,
            _ if all(&|r| is_header_name(&r.name)) => Dest::Header,
            _ => Dest::Body,
        }
    }
}

/// Parses a docs page, in any of the three renderings (see the crate
/// docs). Everything before the `URI` heading except the title is prose and
/// ignored; under `错误码` / `Error Codes` only the sentence delegating to
/// the shared error-code page is read.
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
/// // The same table as a browser copies it: one row per line, tab-separated.
/// let copied = "URI\nGET /v1/{project_id}/items\n参数\t参数类型\t描述\nproject_id\tString\t项目ID\n最大长度:64";
/// assert_eq!(eg_docs_page::parse(copied)?.path_params[0].max_length.as_ref().map(|l| l.value), Some(64));
/// assert_eq!(eg_docs_page::parse("").unwrap_err().to_string(), "line 1: empty page");
/// # Ok::<(), eg_docs_page::ParseError>(())
/// ```
pub fn parse(text: &str) -> Result<DocsPage> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: Vec<&str> = text.lines().collect();
    let paras = cells(&raw);
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
        language: Language::Chinese,
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
        errors_see_also: None,
        tables: Vec::new(),
    };
    let mut language = None;
    let mut section = Section::Uri;
    let mut example_status = None;
    while let Some(q) = p.paras.get(p.pos) {
        let (m, lang) = mark(&q.text);
        language = language.or(lang);
        let here = Located::new(q.text.clone(), q.line);
        if section == Section::ErrorCodes && !matches!(m, Mark::Section(Section::End)) {
            if words::delegates_errors(&here.value) && page.errors_see_also.is_none() {
                page.errors_see_also = Some(here);
            }
            p.pos += 1;
            continue;
        }
        let untitled = matches!(m, Mark::Text) && untitled_table_start(&p.paras, p.pos);
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
            _ if untitled || matches!(m, Mark::Table) => {
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
                let title = if untitled {
                    Located::new(format!("(untitled table, line {})", here.line), here.line)
                } else {
                    p.pos += 1;
                    here
                };
                let rows = p.table(&title)?;
                let titled = (!untitled).then_some(title.value.as_str());
                let dest = Parser::dest(section, titled, &rows, &page.endpoint.value.path);
                let dest = match (dest, page.responses.last_mut()) {
                    (Dest::Header, Some(r)) if section == Section::Response => &mut r.header_fields,
                    (_, Some(r)) if section == Section::Response => &mut r.body_fields,
                    (Dest::Path, _) => &mut page.path_params,
                    (Dest::Query, _) => &mut page.query_params,
                    (Dest::Header, _) => &mut page.header_params,
                    (Dest::Body, _) => &mut page.body_fields,
                };
                dest.extend(rows);
                page.tables.push(title);
            }
            Mark::Text if q.text.starts_with(['{', '[']) && section == Section::RequestExamples => {
                let ex = p.json(None, 0)?;
                page.request_examples.push(ex);
            }
            Mark::Text
                if q.text.starts_with(['{', '[']) && section == Section::ResponseExamples =>
            {
                let ex = p.json(example_status, 0)?;
                page.response_examples.push(ex);
            }
            Mark::Text
                if section == Section::RequestExamples && json_after_request(q).is_some() =>
            {
                let skip = json_after_request(q).unwrap_or_default();
                let ex = p.json(None, skip)?;
                page.request_examples.push(ex);
            }
            // Prose between sections (e.g. `无` / `None`, a request line) states no fact we model.
            _ => p.pos += 1,
        }
    }
    let cjk = || text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    page.language = language.unwrap_or(if cjk() {
        Language::Chinese
    } else {
        Language::English
    });
    Ok(page)
}

/// A request line with its body on the same line (`POST https://… {"a":1}`):
/// the byte offset of the body in the cell's first line.
fn json_after_request(q: &Para<'_>) -> Option<usize> {
    let first = q.lines.first()?;
    let (method, rest) = first.split_once(' ')?;
    if !method.chars().all(|c| c.is_ascii_uppercase()) || method.is_empty() {
        return None;
    }
    let url_len = rest.find(char::is_whitespace)?;
    let body_at = method.len() + 1 + url_len;
    let body = first.get(body_at..)?;
    let offset = body.len() - body.trim_start().len();
    body.trim_start()
        .starts_with(['{', '['])
        .then_some(body_at + offset)
}
