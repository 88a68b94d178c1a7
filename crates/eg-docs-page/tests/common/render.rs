//! Renders a parsed page back to text in each of the six layouts Huawei's
//! pages reach users in (see the crate docs of eg-docs-page). Tests render
//! the two real pages in every layout and require the same model back, so
//! the parser is held to layouts it was not tuned on. Shared with
//! eg-spec-check's tests through `#[path]`.
#![allow(dead_code)]

use eg_docs_page::{DocsPage, Field, Language, Mandatory};

/// The six layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One cell per paragraph, blank lines between.
    Paragraph,
    /// One cell per line ending in ` |`, a rule after the header, a lone
    /// `|` before each row.
    PipedLeading,
    /// The same without the lone `|` lines.
    Piped,
    /// `| a | b |` rows, `<br>` between the lines of a cell.
    RowPerLine,
    /// Markdown source: `####` headings, `:---` rules, fenced JSON,
    /// escapes, bold status headings, captions with a trailing space.
    Markdown,
    /// Legacy bulleted: `• URI format`, sentence captions, Type before
    /// Mandatory.
    Legacy,
}

/// Every layout.
pub const LAYOUTS: [Layout; 6] = [
    Layout::Paragraph,
    Layout::PipedLeading,
    Layout::Piped,
    Layout::RowPerLine,
    Layout::Markdown,
    Layout::Legacy,
];

struct Words {
    uri: &'static str,
    request: &'static str,
    response: &'static str,
    request_examples: &'static str,
    response_examples: &'static str,
    status_codes: &'static str,
    error_codes: &'static str,
    end: &'static str,
    status: &'static str,
    cols: [&'static str; 4],
    code_cols: [&'static str; 2],
    yes_no: [&'static str; 2],
    min_len: &'static str,
    max_len: &'static str,
    minimum: &'static str,
    maximum: &'static str,
    default: &'static str,
    enumeration: &'static str,
    date: &'static str,
    legacy_uri: &'static str,
    legacy_params: &'static str,
    legacy_caption: [&'static str; 2],
}

const ZH: Words = Words {
    uri: "URI",
    request: "请求参数",
    response: "响应参数",
    request_examples: "请求示例",
    response_examples: "响应示例",
    status_codes: "状态码",
    error_codes: "错误码",
    end: "相关文档",
    status: "状态码: ",
    cols: ["参数", "是否必选", "参数类型", "描述"],
    code_cols: ["状态码", "描述"],
    yes_no: ["是", "否"],
    min_len: "最小长度:",
    max_len: "最大长度:",
    minimum: "最小值:",
    maximum: "最大值:",
    default: "缺省值:",
    enumeration: "枚举值:",
    date: "更新时间:",
    legacy_uri: "• URI格式",
    legacy_params: "• 参数说明",
    legacy_caption: ["表", " 参数说明"],
};

const EN: Words = Words {
    uri: "URI",
    request: "Request Parameters",
    response: "Response Parameters",
    request_examples: "Example Requests",
    response_examples: "Example Responses",
    status_codes: "Status Codes",
    error_codes: "Error Codes",
    end: "Related Documents",
    status: "Status code: ",
    cols: ["Parameter", "Mandatory", "Type", "Description"],
    code_cols: ["Status Code", "Description"],
    yes_no: ["Yes", "No"],
    min_len: "Minimum length: ",
    max_len: "Maximum length: ",
    minimum: "Minimum: ",
    maximum: "Maximum: ",
    default: "Default: ",
    enumeration: "Enumeration values:",
    date: "Updated on ",
    legacy_uri: "• URI format",
    legacy_params: "• Parameter description",
    legacy_caption: ["Table ", " describes the parameters."],
};

/// A table: its caption, header cells and rows of cells (each cell one or
/// more lines; an empty cell has none).
struct Table {
    caption: Option<String>,
    header: Vec<String>,
    rows: Vec<Vec<Vec<String>>>,
}

/// The page as blocks: prose lines, tables, JSON examples.
enum Block {
    Heading(String),
    Prose(String),
    Status(u16),
    Table(Table),
    Json(serde_json::Value),
}

struct Out {
    layout: Layout,
    lines: Vec<String>,
}

impl Out {
    fn gap(&mut self) {
        if matches!(
            self.layout,
            Layout::Paragraph | Layout::Legacy | Layout::RowPerLine | Layout::Markdown
        ) {
            self.lines.push(String::new());
        }
    }

    fn line(&mut self, text: impl Into<String>) {
        self.lines.push(text.into());
        self.gap();
    }

    fn escape(&self, text: &str) -> String {
        match self.layout {
            Layout::Markdown => text
                .replace('_', "\\_")
                .replace('*', "\\*")
                .replace('<', "\\<"),
            _ => text.to_owned(),
        }
    }

    fn block(&mut self, b: &Block) {
        match b {
            Block::Heading(h) if self.layout == Layout::Markdown => self.line(format!("#### {h}")),
            Block::Heading(h) | Block::Prose(h) => self.line(h.clone()),
            Block::Status(_) => unreachable!("rendered by the caller"),
            Block::Json(v) => {
                let text = serde_json::to_string_pretty(v).expect("JSON");
                if self.layout == Layout::Markdown {
                    self.lines.push("```json".into());
                }
                self.lines.extend(text.lines().map(str::to_owned));
                if self.layout == Layout::Markdown {
                    self.lines.push("```".into());
                }
                self.gap();
            }
            Block::Table(t) => self.table(t),
        }
    }

    fn table(&mut self, t: &Table) {
        if let Some(c) = &t.caption {
            match self.layout {
                Layout::Markdown => self.line(format!("{c} ")),
                _ => self.line(c.clone()),
            }
        }
        let n = t.header.len();
        match self.layout {
            Layout::Paragraph | Layout::Legacy => {
                for h in &t.header {
                    self.line(h.clone());
                }
                for row in &t.rows {
                    for cell in row {
                        for l in cell {
                            self.line(l.clone());
                        }
                    }
                }
            }
            Layout::Piped | Layout::PipedLeading => {
                for h in &t.header {
                    self.lines.push(format!("{h} |"));
                }
                self.lines.push("---|".repeat(n));
                for row in &t.rows {
                    if self.layout == Layout::PipedLeading {
                        self.lines.push("|".into());
                    }
                    for cell in row {
                        if cell.is_empty() {
                            self.lines.push("|".into());
                        }
                        for l in cell {
                            self.lines.push(format!("{l} |"));
                        }
                    }
                }
            }
            Layout::RowPerLine | Layout::Markdown => {
                let row = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
                let rule = if self.layout == Layout::Markdown {
                    ":---"
                } else {
                    "---"
                };
                self.lines.push(row(t.header.clone()));
                self.lines
                    .push(format!("|{}", format!("{rule}|").repeat(n)));
                for r in &t.rows {
                    let cells = r
                        .iter()
                        .map(|c| {
                            c.iter()
                                .map(|l| self.escape(l))
                                .collect::<Vec<_>>()
                                .join("<br>")
                        })
                        .collect();
                    self.lines.push(row(cells));
                }
                self.gap();
            }
        }
    }
}

/// The description cell of a row: description, notes, limits, enum.
fn description(f: &Field, w: &Words, layout: Layout) -> Vec<String> {
    let mut out: Vec<String> = f.description.value.lines().map(str::to_owned).collect();
    out.extend(f.notes.iter().map(|n| n.value.clone()));
    let push = |out: &mut Vec<String>, k: &str, v: Option<String>| {
        if let Some(v) = v {
            out.push(format!("{k}{v}"));
        }
    };
    push(
        &mut out,
        w.min_len,
        f.min_length.as_ref().map(|l| l.value.to_string()),
    );
    push(
        &mut out,
        w.max_len,
        f.max_length.as_ref().map(|l| l.value.to_string()),
    );
    push(
        &mut out,
        w.minimum,
        f.minimum.as_ref().map(|l| l.value.clone()),
    );
    push(
        &mut out,
        w.maximum,
        f.maximum.as_ref().map(|l| l.value.clone()),
    );
    push(
        &mut out,
        w.default,
        f.default.as_ref().map(|l| l.value.clone()),
    );
    if !f.enum_values.is_empty() {
        out.push(w.enumeration.to_owned());
        let bullet = if layout == Layout::Markdown {
            "- "
        } else {
            "• "
        };
        out.extend(f.enum_values.iter().map(|v| format!("{bullet}{}", v.value)));
    }
    out
}

/// The tables of `fields`, one per title, in page order.
fn tables(
    fields: &[Field],
    w: &Words,
    layout: Layout,
    mandatory: bool,
    n: &mut usize,
) -> Vec<Table> {
    let mut titles: Vec<&str> = Vec::new();
    for f in fields {
        if !titles.contains(&f.table.as_str()) {
            titles.push(&f.table);
        }
    }
    let legacy = layout == Layout::Legacy;
    titles
        .into_iter()
        .map(|title| {
            *n += 1;
            let caption = if legacy {
                Some(format!("{}{n}{}", w.legacy_caption[0], w.legacy_caption[1]))
            } else if title.starts_with("(untitled") {
                None
            } else {
                Some(title.to_owned())
            };
            let mut cols = vec![Some(0), mandatory.then_some(1), Some(2), Some(3)];
            if legacy {
                cols.swap(1, 2);
            }
            let cols: Vec<usize> = cols.into_iter().flatten().collect();
            let header = cols.iter().map(|&c| w.cols[c].to_owned()).collect();
            let rows = fields
                .iter()
                .filter(|f| f.table == title)
                .map(|f| {
                    cols.iter()
                        .map(|&c| match c {
                            0 => vec![f.name.clone()],
                            1 => match f.mandatory.value {
                                Mandatory::Yes => vec![w.yes_no[0].to_owned()],
                                Mandatory::No => vec![w.yes_no[1].to_owned()],
                                Mandatory::NotStated => Vec::new(),
                            },
                            2 => vec![f.type_name.value.clone()],
                            _ => description(f, w, layout),
                        })
                        .collect()
                })
                .collect();
            Table {
                caption,
                header,
                rows,
            }
        })
        .collect()
}

/// `page` rendered in `layout`.
pub fn render(page: &DocsPage, layout: Layout) -> String {
    let w = match page.language {
        Language::Chinese => &ZH,
        Language::English => &EN,
    };
    let mut out = Out {
        layout,
        lines: Vec::new(),
    };
    if let Some(e) = &page.edition {
        let date = format!("{}{} GMT+08:00", w.date, e.value);
        out.line(date);
    }
    if let Some(t) = &page.title {
        out.line(if layout == Layout::Markdown {
            format!("# {}", t.value)
        } else {
            t.value.clone()
        });
    }
    let ep = &page.endpoint.value;
    if layout == Layout::Legacy {
        out.line(w.legacy_uri);
    } else {
        out.block(&Block::Heading(w.uri.into()));
    }
    out.line(format!("{} {}", ep.method, ep.path));
    let mut n = 0;
    let legacy = |out: &mut Out| {
        if layout == Layout::Legacy {
            out.line(w.legacy_params);
        }
    };
    for t in tables(&page.path_params, w, layout, true, &mut n)
        .into_iter()
        .chain(tables(&page.query_params, w, layout, true, &mut n))
    {
        legacy(&mut out);
        out.block(&Block::Table(t));
    }
    if !page.header_params.is_empty() || !page.body_fields.is_empty() {
        out.block(&Block::Heading(w.request.into()));
        for t in tables(&page.header_params, w, layout, true, &mut n)
            .into_iter()
            .chain(tables(&page.body_fields, w, layout, true, &mut n))
        {
            legacy(&mut out);
            out.block(&Block::Table(t));
        }
    }
    let status = |out: &mut Out, s: u16| {
        let text = format!("{}{s}", w.status);
        out.line(if layout == Layout::Markdown {
            format!("**{text}**")
        } else {
            text
        });
    };
    if !page.responses.is_empty() {
        out.block(&Block::Heading(w.response.into()));
        for r in &page.responses {
            status(&mut out, r.status.value);
            for t in tables(&r.header_fields, w, layout, false, &mut n)
                .into_iter()
                .chain(tables(&r.body_fields, w, layout, false, &mut n))
            {
                out.block(&Block::Table(t));
            }
        }
    }
    out.block(&Block::Heading(w.request_examples.into()));
    for e in &page.request_examples {
        out.block(&Block::Json(e.json.clone()));
    }
    out.block(&Block::Heading(w.response_examples.into()));
    for e in &page.response_examples {
        if let Some(s) = e.status {
            status(&mut out, s);
        }
        out.block(&Block::Json(e.json.clone()));
    }
    if !page.status_codes.is_empty() {
        out.block(&Block::Heading(w.status_codes.into()));
        out.block(&Block::Table(Table {
            caption: None,
            header: w.code_cols.iter().map(|c| (*c).to_owned()).collect(),
            rows: page
                .status_codes
                .iter()
                .map(|s| {
                    vec![
                        vec![s.status.value.to_string()],
                        vec![s.description.value.clone()],
                    ]
                })
                .collect(),
        }));
    }
    if let Some(s) = &page.errors_see_also {
        out.block(&Block::Heading(w.error_codes.into()));
        out.block(&Block::Prose(s.value.clone()));
    }
    out.block(&Block::Heading(w.end.into()));
    out.lines.join("\n") + "\n"
}

/// The model as `docs-page` prints it, without what differs between
/// layouts by nature: line numbers and table captions.
pub fn model(file: &str, page: &DocsPage) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.remove("line");
                m.remove("table");
                m.remove("file");
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = eg_docs_page::model_json(file, page);
    strip(&mut v);
    v
}
