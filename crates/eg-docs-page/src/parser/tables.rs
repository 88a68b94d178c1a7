//! The tables of a page: header cells, rows, where the rows go.

use super::details::{details, split_lines};
use super::marks::{ends_table, is_header_name};
use super::{Parser, Result, err};
use crate::cells::Para;
use crate::types::is_ident;
use crate::words::{self, Col, Section};
use crate::{DocsType, Field, Located, Mandatory, ParseError, StatusCodeDoc};

/// Row-start test, so field tables and the status-code table share
/// [`Parser::header`].
pub(super) type RowStart = fn(&[Para], usize) -> bool;

pub(super) fn text_at(paras: &[Para], i: usize) -> &str {
    paras.get(i).map_or("", |p| p.text.as_str())
}

pub(super) fn is_type(text: &str) -> bool {
    DocsType::parse(text).is_some()
}

/// A row starts with an identifier followed by a type cell, or by a
/// mandatory cell and then a type cell.
pub(super) fn field_row_start(paras: &[Para], i: usize) -> bool {
    let t = |k| text_at(paras, k);
    is_ident(t(i))
        && (is_type(t(i + 1)) || (words::mandatory(t(i + 1)).is_some() && is_type(t(i + 2))))
}

pub(super) fn code_row_start(paras: &[Para], i: usize) -> bool {
    text_at(paras, i).parse::<u16>().is_ok()
}

/// An untitled field table starts with the name column's header cell
/// followed by another header cell.
pub(super) fn untitled_table_start(paras: &[Para], i: usize) -> bool {
    let col = |k| words::column(text_at(paras, k));
    col(i) == Some(Col::Name) && matches!(col(i + 1), Some(Col::Mandatory | Col::Type))
}

/// Where the rows of a table go.
pub(super) enum Dest {
    Path,
    Query,
    Header,
    Body,
}

impl Parser {
    /// Reads header cells up to the description column or the first row.
    pub(super) fn header(
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
    pub(super) fn table(&mut self, title: &Located<String>) -> (Vec<Field>, Vec<ParseError>) {
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
    pub(super) fn row(
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
    pub(super) fn status_table(
        &mut self,
        title: &Located<String>,
    ) -> (Vec<StatusCodeDoc>, Vec<ParseError>) {
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

    /// Where the rows of a table go: by its title when it names a kind,
    /// or by its section and row names (path parameters appear in the path
    /// template, headers look like `X-Auth-Token`).
    pub(super) fn dest(section: Section, title: Option<&str>, rows: &[Field], path: &str) -> Dest {
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
