//! The state machine over the page's cells. Only a file that is no API
//! page at all is an error; a part the parser cannot read (a cut-off
//! table, a broken example, an unknown column) is kept as [`Unread`] with
//! its line, and the parser goes on at the next heading, row or table.
//! Its parts: `marks` (the kinds of cell), `tables` (header cells, rows),
//! `details` (a row's description cell), `examples` (JSON examples).

use crate::cells::{Para, cells, normalize};
use crate::words::{self, Section};
use crate::{DocsPage, Language, Located, ParseError, ResponseDoc, Unread};

mod details;
mod examples;
mod marks;
mod tables;

use examples::example_start;
use marks::{Mark, endpoint_of, ends_table, is_detail, mark};
use tables::{Dest, RowStart, text_at, untitled_table_start};

pub(super) fn err(line: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        message: message.into(),
    }
}

pub(super) type Result<T> = std::result::Result<T, ParseError>;

struct Parser {
    /// The page's lines, Markdown marks removed.
    norm: Vec<String>,
    paras: Vec<Para>,
    pos: usize,
    unread: Vec<Unread>,
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
