//! The state machine over the page's cells. Only a file that is no API
//! page at all is an error; a part the parser cannot read (a cut-off
//! table, a broken example, an unknown column) is kept as [`Unread`] with
//! its line, and the parser goes on at the next heading, row or table.

use crate::cells::{Para, cells, normalize};
use crate::types::is_ident;
use crate::words::{self, Col, Key, Label, Section};
use crate::{
    DocsPage, DocsType, Endpoint, Example, Field, Language, Located, Mandatory, ParseError,
    ResponseDoc, StatusCodeDoc, Unread,
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
    /// A legacy bullet heading (`• Parameter description`): it ends a
    /// table and opens nothing.
    Aside,
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
        && !v.contains('\n')
    {
        return (
            Mark::Status(v.parse().map_err(|_| v.to_owned())),
            Some(lang),
        );
    }
    if text.starts_with('•') && words::is_aside(words::bare(text)) {
        return (Mark::Aside, None);
    }
    for &(prefix, lang) in words::TABLE_PREFIXES {
        let titled = text
            .get(..prefix.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(prefix))
            && text
                .get(prefix.len()..)
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
        if titled && !text.contains('\n') {
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

/// The label a description line starts with (`参数解释:`), and the rest.
fn label(text: &str) -> Option<(Label, &str)> {
    let (k, v) = kv(text)?;
    let (_, l) = words::LABELS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(k))?;
    Some((*l, v))
}

/// A description line after the first: a known `key: value`, a label or
/// a bullet.
fn is_detail(text: &str) -> bool {
    bullet(text).is_some()
        || kv(text).is_some_and(|(k, _)| words::key(k).is_some())
        || label(text).is_some()
}

/// The item of a bullet: `• START`, or Markdown's `- START`.
fn bullet(text: &str) -> Option<&str> {
    text.strip_prefix('•')
        .or_else(|| text.strip_prefix("- "))
        .map(str::trim)
}

/// `METHOD /path`, with any run of spaces between them.
fn endpoint_of(text: &str) -> Option<Endpoint> {
    const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
    let t = text.trim_matches('`');
    let mut words = t.split_whitespace();
    let (method, path) = (words.next()?, words.next()?);
    (METHODS.contains(&method) && path.starts_with('/') && words.next().is_none()).then(|| {
        Endpoint {
            method: method.into(),
            path: path.into(),
        }
    })
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

/// A range `[1-64]`, `1-64`, `[1, 64]` or `1~64`, as written.
fn range(v: &str) -> Option<(String, String)> {
    let t = v
        .trim_end_matches(['.', '。'])
        .trim()
        .trim_start_matches(['[', '('])
        .trim_end_matches([']', ')']);
    let (a, b) = t
        .split_once(',')
        .or_else(|| t.split_once('~'))
        .or_else(|| t.get(1..)?.find('-').map(|i| (&t[..=i], &t[i + 2..])))?;
    let (a, b) = (a.trim(), b.trim());
    let num = |s: &str| s.parse::<f64>().is_ok_and(f64::is_finite);
    (num(a) && num(b)).then(|| (a.to_owned(), b.to_owned()))
}

struct Parser {
    /// The page's lines, Markdown marks removed.
    norm: Vec<String>,
    paras: Vec<Para>,
    pos: usize,
    unread: Vec<Unread>,
}

/// Row-start test, so field tables and the status-code table share
/// [`Parser::header`].
type RowStart = fn(&[Para], usize) -> bool;

fn text_at(paras: &[Para], i: usize) -> &str {
    paras.get(i).map_or("", |p| p.text.as_str())
}

fn is_type(text: &str) -> bool {
    DocsType::parse(text).is_some()
}

/// A row starts with an identifier followed by a type cell, or by a
/// mandatory cell and then a type cell.
fn field_row_start(paras: &[Para], i: usize) -> bool {
    let t = |k| text_at(paras, k);
    is_ident(t(i))
        && (is_type(t(i + 1)) || (words::mandatory(t(i + 1)).is_some() && is_type(t(i + 2))))
}

fn code_row_start(paras: &[Para], i: usize) -> bool {
    text_at(paras, i).parse::<u16>().is_ok()
}

/// An untitled field table starts with the name column's header cell
/// followed by another header cell.
fn untitled_table_start(paras: &[Para], i: usize) -> bool {
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

/// The first line of a cell that starts an example, and the byte offset
/// in it: a line opening with `{` or `[`, the bare word `null`, or a
/// request line with its body on it (`POST https://… {"a":1}`).
fn example_start(q: &Para) -> Option<(usize, usize)> {
    q.lines.iter().enumerate().find_map(|(k, (_, l))| {
        if l.starts_with(['{', '[']) || l == "null" {
            return Some((k, 0));
        }
        json_after_request(l).map(|at| (k, at))
    })
}

/// A request line with its body on the same line: the byte offset of the
/// body in the line.
fn json_after_request(first: &str) -> Option<usize> {
    let (method, rest) = first.split_once(' ')?;
    if !method.chars().all(|c| c.is_ascii_uppercase()) || method.is_empty() {
        return None;
    }
    let lead = rest.len() - rest.trim_start().len();
    let url_len = rest.trim_start().find(char::is_whitespace)?;
    let body_at = method.len() + 1 + lead + url_len;
    let body = first.get(body_at..)?;
    let offset = body.len() - body.trim_start().len();
    body.trim_start()
        .starts_with(['{', '['])
        .then_some(body_at + offset)
}

impl Parser {
    fn unread(&mut self, e: ParseError) {
        self.unread.push(Unread {
            line: e.line,
            reason: e.message,
        });
    }

    /// Skips the cells of a table that could not be read, up to the next
    /// heading, status heading or table.
    fn resync(&mut self, from: usize) {
        if self.pos <= from {
            self.pos = from + 1;
        }
        // The header cells of the table being skipped.
        while words::column(text_at(&self.paras, self.pos)).is_some() {
            self.pos += 1;
        }
        while let Some(p) = self.paras.get(self.pos) {
            if ends_table(&p.text) || untitled_table_start(&self.paras, self.pos) {
                break;
            }
            self.pos += 1;
        }
    }

    /// The next cell if the table continues there.
    fn cell(&self) -> Option<&Para> {
        self.paras
            .get(self.pos)
            .filter(|p| !ends_table(&p.text) && !untitled_table_start(&self.paras, self.pos))
    }

    /// A cell that must be there (a description). Section words such as
    /// `错误码` are also legitimate descriptions (of `error_code`), so one is
    /// taken as the description only when the row visibly continues after
    /// it; otherwise it is the heading and the row lacks its description.
    fn required_cell(&self, is_row: RowStart) -> Option<&Para> {
        let p = self.paras.get(self.pos)?;
        let next = self.pos + 1;
        let continues = || is_row(&self.paras, next) || is_detail(text_at(&self.paras, next));
        // 错误码 closes a page; before a status heading or a table it is the
        // description of an `error_code` row whose limits were dropped.
        let heading_next = || {
            matches!(
                mark(text_at(&self.paras, next)).0,
                Mark::Status(_) | Mark::Table
            )
        };
        match mark(&p.text).0 {
            Mark::Text => (!is_row(&self.paras, self.pos)).then_some(p),
            Mark::Section(Section::ErrorCodes) if heading_next() => Some(p),
            Mark::Section(_) | Mark::Aside => continues().then_some(p),
            Mark::Status(_) | Mark::Table => None,
        }
    }

    fn title(&self, uri: usize) -> Option<Located<String>> {
        let (line, text) = self
            .paras
            .get(..uri)?
            .iter()
            .flat_map(|p| p.lines.iter())
            .find(|(_, l)| !words::is_chrome(l))?;
        (!words::INTRO.iter().any(|h| h.eq_ignore_ascii_case(text)))
            .then(|| Located::new(text.clone(), *line))
    }

    fn edition(&self, uri: usize) -> Option<Located<String>> {
        self.paras
            .get(..uri)?
            .iter()
            .flat_map(|p| p.lines.iter())
            .find_map(|(n, l)| words::edition(l).map(|d| Located::new(d, *n)))
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
        if cols.first() != Some(&allowed[0]) {
            return Err(err(
                title.line,
                format!(
                    "table '{}' does not start with the {} column",
                    title.value,
                    words::col_name(allowed[0])
                ),
            ));
        }
        Ok(cols)
    }

    /// The rows of a field table, and what could not be read of it: a bad
    /// row is skipped up to the next row.
    fn table(&mut self, title: &Located<String>) -> (Vec<Field>, Vec<ParseError>) {
        let cols = match self.header(
            title,
            &[Col::Name, Col::Mandatory, Col::Type, Col::Desc],
            field_row_start,
        ) {
            Ok(cols) => cols,
            Err(e) => return (Vec::new(), vec![e]),
        };
        let mut rows = Vec::new();
        let mut errors = Vec::new();
        while let Some(p) = self.cell() {
            let start = self.pos;
            let name = Located::new(p.text.clone(), p.line);
            match self.row(name, &title.value, &cols, &mut errors) {
                Ok(f) => rows.push(f),
                Err(e) => {
                    errors.push(e);
                    self.pos = self.pos.max(start + 1);
                    while self.cell().is_some() && !field_row_start(&self.paras, self.pos) {
                        self.pos += 1;
                    }
                }
            }
        }
        (rows, errors)
    }

    /// One row, its cells read in the header's column order; a missing
    /// mandatory cell is "not stated".
    fn row(
        &mut self,
        name: Located<String>,
        table: &str,
        cols: &[Col],
        errors: &mut Vec<ParseError>,
    ) -> Result<Field> {
        let Located { value: name, line } = name;
        if !is_ident(&name) {
            return Err(err(
                line,
                format!("expected a parameter name in {table}, found '{name}'"),
            ));
        }
        self.pos += 1;
        let has_mandatory = cols.contains(&Col::Mandatory);
        let mut mandatory = Located::new(Mandatory::NotStated, line);
        let mut typed = None;
        let mut description: Option<Para> = None;
        for &c in cols.iter().skip(1) {
            match c {
                Col::Mandatory => {
                    if let Some(p) = self.cell()
                        && let Some(m) = words::mandatory(&p.text)
                    {
                        let m = if m { Mandatory::Yes } else { Mandatory::No };
                        mandatory = Located::new(m, p.line);
                        self.pos += 1;
                    }
                }
                Col::Type => {
                    let Some(p) = self.cell() else {
                        return Err(err(
                            line,
                            format!("row '{name}' in {table} has no type cell"),
                        ));
                    };
                    let (t, l) = (p.text.clone(), p.line);
                    match DocsType::parse(&t) {
                        Some(ty) => typed = Some((Located::new(t, l), ty)),
                        None if words::mandatory(&t).is_some() && !has_mandatory => {
                            return Err(err(
                                l,
                                format!(
                                    "row '{name}' has a mandatory cell '{t}' but {table} has no 是否必选/Mandatory column"
                                ),
                            ));
                        }
                        None => {
                            return Err(err(
                                l,
                                format!(
                                    "row '{name}' in {table}: expected a 参数类型/Type cell, found '{t}'"
                                ),
                            ));
                        }
                    }
                    self.pos += 1;
                }
                Col::Desc => {
                    let Some(p) = self.required_cell(field_row_start) else {
                        return Err(err(
                            line,
                            format!("row '{name}' in {table} has too few cells: no description"),
                        ));
                    };
                    description = Some(p.clone());
                    self.pos += 1;
                }
                Col::Name | Col::Code => {}
            }
        }
        let (Some((type_name, ty)), Some(desc)) = (typed, description) else {
            return Err(err(
                line,
                format!("row '{name}' in {table} has no type cell"),
            ));
        };
        // The description's lines, then further cells up to the next row.
        let mut lines = desc.lines.clone();
        while self.cell().is_some() && !field_row_start(&self.paras, self.pos) {
            if let Some(p) = self.paras.get(self.pos) {
                lines.extend(p.lines.iter().cloned());
            }
            self.pos += 1;
        }
        let mut f = Field {
            name,
            line,
            mandatory,
            type_name,
            ty,
            description: Located::new(String::new(), desc.line),
            min_length: None,
            max_length: None,
            minimum: None,
            maximum: None,
            default: None,
            enum_values: Vec::new(),
            notes: Vec::new(),
            table: table.to_owned(),
        };
        let first = desc.lines.len();
        details(&mut f, split_lines(lines), first, errors);
        Ok(f)
    }

    /// Status-code table: header cells, then code / description pairs; a
    /// bad row is skipped up to the next code.
    fn status_table(&mut self, title: &Located<String>) -> (Vec<StatusCodeDoc>, Vec<ParseError>) {
        if let Err(e) = self.header(title, &[Col::Code, Col::Desc], code_row_start) {
            return (Vec::new(), vec![e]);
        }
        let mut rows = Vec::new();
        let mut errors = Vec::new();
        while let Some(p) = self.cell() {
            let Ok(code) = p.text.parse::<u16>() else {
                errors.push(err(
                    p.line,
                    format!(
                        "expected a status code in table '{}', found '{}'",
                        title.value, p.text
                    ),
                ));
                self.pos += 1;
                while self.cell().is_some() && !code_row_start(&self.paras, self.pos) {
                    self.pos += 1;
                }
                continue;
            };
            let status = Located::new(code, p.line);
            self.pos += 1;
            let Some(d) = self.required_cell(code_row_start) else {
                errors.push(err(
                    status.line,
                    format!(
                        "status code {code} in table '{}' has no description",
                        title.value
                    ),
                ));
                continue;
            };
            rows.push(StatusCodeDoc {
                status,
                description: Located::new(d.text.clone(), d.line),
            });
            self.pos += 1;
        }
        (rows, errors)
    }

    /// The index of the cell holding 1-based line `line`.
    fn para_at(&self, line: usize) -> usize {
        self.paras.partition_point(|p| p.end() < line)
    }

    /// A JSON example starting at line `k` of the current cell, byte
    /// `skip`: the text up to the bracket that closes it, parsed with
    /// serde_json. The cell is split there, so text after the example
    /// (another bullet, another example) is read on. A heading inside an
    /// open example means the copy was cut off.
    fn json(&mut self, status: Option<u16>, k: usize, skip: usize) -> Result<Example> {
        let Some((start, first)) = self
            .paras
            .get(self.pos)
            .and_then(|p| p.lines.get(k))
            .cloned()
        else {
            return Err(err(1, "no example here"));
        };
        let cut_off = |s: &mut Self, line: usize| {
            s.pos = s.para_at(line);
            err(start, format!("unterminated JSON example at line {start}"))
        };
        if first == "null" {
            self.split_after(start);
            return Ok(Example {
                status,
                line: start,
                json: serde_json::Value::Null,
            });
        }
        let lead = self
            .norm
            .get(start - 1)
            .map_or(0, |l| l.len() - l.trim_start().len());
        let (mut depth, mut in_str, mut escaped) = (0i64, false, false);
        let mut text = String::new();
        let mut n = start;
        let end = 'lines: loop {
            let Some(raw) = self.norm.get(n - 1) else {
                return Err(cut_off(self, n));
            };
            let from = if n == start { lead + skip } else { 0 };
            let line = raw.get(from..).unwrap_or_default();
            if n > start && !in_str && ends_table(line.trim()) && !line.trim().is_empty() {
                return Err(cut_off(self, n));
            }
            for (i, c) in line.char_indices() {
                match c {
                    _ if escaped => escaped = false,
                    '\\' if in_str => escaped = true,
                    '"' => in_str = !in_str,
                    '{' | '[' if !in_str => depth += 1,
                    '}' | ']' if !in_str => {
                        depth -= 1;
                        if depth <= 0 {
                            text.push_str(line.get(..i + 1).unwrap_or_default());
                            break 'lines n;
                        }
                    }
                    _ => {}
                }
            }
            text.push_str(line);
            text.push('\n');
            n += 1;
        };
        self.split_after(end);
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

    /// Moves past line `end`; the rest of the cell holding it, if any,
    /// becomes the current cell.
    fn split_after(&mut self, end: usize) {
        let i = self.para_at(end);
        let rest: Vec<(usize, String)> = self
            .paras
            .get(i)
            .map(|p| p.lines.iter().filter(|l| l.0 > end).cloned().collect())
            .unwrap_or_default();
        if rest.is_empty() {
            self.pos = i + 1;
        } else if let Some(p) = self.paras.get_mut(i) {
            *p = Para::new(rest);
            self.pos = i;
        }
    }

    /// Where the rows of a table go: by its title when it names a kind,
    /// or by its section and row names (path parameters appear in the path
    /// template, headers look like `X-Auth-Token`).
    fn dest(section: Section, title: Option<&str>, rows: &[Field], path: &str) -> Dest {
        if let Some(title) = title {
            let kind = title.to_lowercase();
            let has = |ws: &[&str]| ws.iter().any(|w| kind.contains(w));
            let dest = match section {
                Section::Response if has(words::HEADER_TABLE) => Some(Dest::Header),
                Section::Response if has(words::BODY_TABLE) => Some(Dest::Body),
                Section::Response => None,
                _ if has(words::PATH_TABLE) => Some(Dest::Path),
                _ if has(words::QUERY_TABLE) => Some(Dest::Query),
                _ if has(words::HEADER_TABLE) => Some(Dest::Header),
                _ if has(words::BODY_TABLE) => Some(Dest::Body),
                _ => None,
            };
            if let Some(d) = dest {
                return d;
            }
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

/// Description lines with squeezed parts taken apart: inline bullets
/// (`枚举值: • START • PAUSE`) and 2026-style labels written in one cell
/// (`参数解释:… 约束限制:… 取值范围:[1-64]`).
fn split_lines(lines: Vec<(usize, String)>) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, l) in lines {
        let mut cuts = vec![0];
        for (i, _) in l.match_indices(" • ") {
            cuts.push(i + 1);
        }
        for (name, _) in words::LABELS {
            for (i, _) in l.match_indices(name) {
                let after = l.get(i + name.len()..).unwrap_or_default();
                if i > 0 && after.starts_with([':', '\u{ff1a}']) {
                    cuts.push(i);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        cuts.push(l.len());
        for w in cuts.windows(2) {
            let part = l.get(w[0]..w[1]).unwrap_or_default().trim();
            if !part.is_empty() {
                out.push((n, part.to_owned()));
            }
        }
    }
    out
}

/// Fills the description and the facts stated under it. The first
/// `first` lines are the description cell: its lines up to the first
/// detail are the description (the `参数解释` part in 2026 pages).
fn details(f: &mut Field, lines: Vec<(usize, String)>, first: usize, errors: &mut Vec<ParseError>) {
    let string = f.ty == DocsType::Scalar("string");
    let mut desc: Vec<&str> = Vec::new();
    let mut desc_line = None;
    let mut rest = 0;
    for (i, (n, l)) in lines.iter().enumerate() {
        if i >= first.max(1) || label(l).is_some() || (i > 0 && is_detail(l)) {
            break;
        }
        desc_line.get_or_insert(*n);
        desc.push(l);
        rest = i + 1;
    }
    let mut in_enum = false;
    // A label with no value takes the next line: `参数解释:` / `租户ID`.
    let mut pending: Option<Label> = None;
    for (n, text) in lines.iter().skip(rest) {
        let (line, text) = (*n, text.as_str());
        if let Some(v) = bullet(text).filter(|_| in_enum) {
            f.enum_values.push(Located::new(v.to_owned(), line));
            pending = None;
            continue;
        }
        in_enum = false;
        let (lab, value) = match label(text) {
            Some((l, "")) => {
                pending = Some(l);
                if l == Label::Range {
                    in_enum = true;
                }
                continue;
            }
            Some((l, v)) => (Some(l), v),
            None => (pending.take(), text),
        };
        match lab {
            Some(Label::Definition) if desc.is_empty() => {
                desc_line = Some(line);
                desc.push(value);
                continue;
            }
            Some(Label::Range) => {
                if let Some((a, b)) = range(value) {
                    let r = if string {
                        let len = |v: &str| {
                            v.parse::<u64>()
                                .map_err(|_| err(line, format!("length '{v}' is not a number")))
                        };
                        len(&a).and_then(|a| {
                            set_once(&mut f.min_length, a, line, "取值范围", &f.name)?;
                            set_once(&mut f.max_length, len(&b)?, line, "取值范围", &f.name)
                        })
                    } else {
                        set_once(&mut f.minimum, a, line, "取值范围", &f.name)
                            .and_then(|()| set_once(&mut f.maximum, b, line, "取值范围", &f.name))
                    };
                    if let Err(e) = r {
                        errors.push(e);
                    }
                } else {
                    f.notes.push(Located::new(text.to_owned(), line));
                }
                continue;
            }
            Some(Label::Default) => {
                if !words::no_default(value)
                    && let Err(e) =
                        set_once(&mut f.default, value.to_owned(), line, "默认取值", &f.name)
                {
                    errors.push(e);
                }
                continue;
            }
            Some(_) => {
                f.notes.push(Located::new(text.to_owned(), line));
                continue;
            }
            None => {}
        }
        let key = kv(text).and_then(|(k, v)| words::key(k).map(|key| (k, key, v)));
        let Some((k, key, v)) = key else {
            f.notes.push(Located::new(text.to_owned(), line));
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
        let r = match key {
            Key::MinLen => length().and_then(|v| set_once(&mut f.min_length, v, line, k, &f.name)),
            Key::MaxLen => length().and_then(|v| set_once(&mut f.max_length, v, line, k, &f.name)),
            Key::Min(_) => number().and_then(|v| set_once(&mut f.minimum, v, line, k, &f.name)),
            Key::Max(_) => number().and_then(|v| set_once(&mut f.maximum, v, line, k, &f.name)),
            Key::Default => set_once(&mut f.default, v.to_owned(), line, k, &f.name),
            Key::Enum if v.is_empty() => {
                in_enum = true;
                Ok(())
            }
            // Inline values (`枚举值:A,B`) are prose, not a list; keep them verbatim.
            Key::Enum => {
                f.notes.push(Located::new(text.to_owned(), line));
                Ok(())
            }
        };
        if let Err(e) = r {
            errors.push(e);
        }
    }
    f.description = Located::new(desc.join("\n"), desc_line.unwrap_or(f.description.line));
}

/// Parses a docs page, in any of its layouts (see the crate docs).
/// Everything before the `URI` heading except the title and the date line
/// is prose and ignored; under `错误码` / `Error Codes` only the sentence
/// delegating to the shared error-code page is read. What cannot be read
/// is listed in [`DocsPage::unread`]; only a file that is no API page (no
/// `METHOD /path` line anywhere, or binary) is an error.
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
/// // The same table, one row per line.
/// let rows = "URI\nGET /v1/{project_id}/items\n| 参数 | 参数类型 | 描述 |\n|---|---|---|\n| project_id | String | 项目ID<br>最大长度:64 |";
/// assert_eq!(eg_docs_page::parse(rows)?.path_params[0].max_length.as_ref().map(|l| l.value), Some(64));
/// assert_eq!(eg_docs_page::parse("").unwrap_err().to_string(), "line 1: empty page");
/// # Ok::<(), eg_docs_page::ParseError>(())
/// ```
pub fn parse(text: &str) -> Result<DocsPage> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(i) = text.find('\0') {
        let line = 1 + text.get(..i).unwrap_or_default().matches('\n').count();
        return Err(err(line, "binary file (a NUL byte), not a docs page"));
    }
    let raw: Vec<&str> = text.lines().collect();
    let norm = normalize(&raw);
    let paras = cells(&norm);
    if paras.is_empty() {
        return Err(err(1, "empty page"));
    }
    let mut p = Parser {
        norm,
        paras,
        pos: 0,
        unread: Vec::new(),
    };
    let is_uri = |q: &Para| matches!(mark(&q.text).0, Mark::Section(Section::Uri));
    let uri = p.paras.iter().position(is_uri);
    // The endpoint: the first `METHOD /path` cell of the URI section, else
    // of the page.
    let in_section = uri.and_then(|u| {
        let after = p.paras.get(u + 1..)?;
        let end = after
            .iter()
            .position(|q| ends_table(&q.text))
            .unwrap_or(after.len());
        after
            .get(..end)?
            .iter()
            .position(|q| endpoint_of(&q.text).is_some())
            .map(|i| u + 1 + i)
    });
    let at = in_section.or_else(|| p.paras.iter().position(|q| endpoint_of(&q.text).is_some()));
    let Some(at) = at else {
        let line = uri.and_then(|u| p.paras.get(u)).map_or(1, |q| q.line);
        return Err(err(
            line,
            "no URI line ('METHOD /path') anywhere: not a Huawei API page",
        ));
    };
    if let (Some(u), None) = (uri, in_section) {
        let line = p.paras.get(u).map_or(1, |q| q.line);
        p.unread.push(Unread {
            line,
            reason: "URI section has no 'METHOD /path' line".into(),
        });
    }
    let head = uri.unwrap_or(at).min(at);
    let title = p.title(head);
    let edition = p.edition(head);
    let (ep_line, endpoint) = match p.paras.get(at) {
        Some(q) => (q.line, endpoint_of(&q.text)),
        None => (1, None),
    };
    let Some(endpoint) = endpoint else {
        return Err(err(ep_line, "no URI line"));
    };
    p.pos = at + 1;
    let mut page = DocsPage {
        language: Language::Chinese,
        title,
        edition,
        endpoint: Located::new(endpoint, ep_line),
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
        unread: Vec::new(),
    };
    let mut language = None;
    let mut section = Section::Uri;
    let mut example_status = None;
    while let Some(q) = p.paras.get(p.pos) {
        let (m, lang) = mark(&q.text);
        language = language.or(lang);
        let here = Located::new(q.text.clone(), q.line);
        let start = p.pos;
        if section == Section::ErrorCodes && !matches!(m, Mark::Section(Section::End)) {
            if words::delegates_errors(&here.value) && page.errors_see_also.is_none() {
                page.errors_see_also = Some(here);
            }
            p.pos += 1;
            continue;
        }
        let untitled = matches!(m, Mark::Text) && untitled_table_start(&p.paras, p.pos);
        let examples = matches!(
            section,
            Section::RequestExamples | Section::ResponseExamples
        );
        match m {
            Mark::Section(Section::Uri) => {
                // Legacy pages repeat it (`URI` bullet, `URI format`).
                p.pos += 1;
                section = Section::Uri;
            }
            Mark::Section(Section::End) => break,
            Mark::Section(s) => {
                p.pos += 1;
                section = s;
                example_status = None;
                if s == Section::StatusCodes {
                    let (rows, errors) = p.status_table(&here);
                    page.status_codes.extend(rows);
                    errors.into_iter().for_each(|e| p.unread(e));
                }
            }
            Mark::Status(code) => {
                p.pos += 1;
                let code = match code {
                    Ok(c) => c,
                    Err(v) => {
                        p.unread(err(here.line, format!("invalid status code '{v}'")));
                        continue;
                    }
                };
                match section {
                    Section::Response if page.responses.iter().any(|r| r.status.value == code) => {
                        p.unread(err(
                            here.line,
                            format!("duplicate status {code} in response parameters"),
                        ));
                        p.resync(start);
                    }
                    Section::Response => page.responses.push(ResponseDoc {
                        status: Located::new(code, here.line),
                        header_fields: Vec::new(),
                        body_fields: Vec::new(),
                    }),
                    Section::ResponseExamples => example_status = Some(code),
                    _ => p.unread(err(
                        here.line,
                        format!(
                            "status heading '{}' outside response parameters / examples",
                            here.value
                        ),
                    )),
                }
            }
            _ if untitled || matches!(m, Mark::Table) => {
                let title = if untitled {
                    Located::new(format!("(untitled table, line {})", here.line), here.line)
                } else {
                    p.pos += 1;
                    here.clone()
                };
                let misplaced = if section == Section::Response && page.responses.is_empty() {
                    Some(format!(
                        "table '{}' has no preceding status heading",
                        here.value
                    ))
                } else if !matches!(section, Section::Uri | Section::Request | Section::Response) {
                    Some(format!(
                        "unexpected table '{}' in {section:?} section",
                        here.value
                    ))
                } else {
                    None
                };
                if let Some(why) = misplaced {
                    p.unread(err(here.line, why));
                    p.resync(start);
                    continue;
                }
                let (rows, errors) = p.table(&title);
                let failed = !errors.is_empty();
                errors.into_iter().for_each(|e| p.unread(e));
                if failed {
                    p.resync(start);
                }
                if rows.is_empty() {
                    continue;
                }
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
            Mark::Text if examples => {
                let Some((k, skip)) = example_start(q) else {
                    p.pos += 1;
                    continue;
                };
                let status = (section == Section::ResponseExamples)
                    .then_some(example_status)
                    .flatten();
                match p.json(status, k, skip) {
                    Ok(ex) if section == Section::RequestExamples => {
                        page.request_examples.push(ex);
                    }
                    Ok(ex) => page.response_examples.push(ex),
                    Err(e) => p.unread(e),
                }
                if p.pos <= start && p.paras.get(start).is_some_and(|c| c.line == here.line) {
                    p.pos = start + 1;
                }
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
    page.unread = p.unread;
    Ok(page)
}
