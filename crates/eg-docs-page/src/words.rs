//! The words Huawei's pages use, in both languages: section headings,
//! column headers, description keys, mandatory cells, the sentence that
//! delegates errors to the shared error-code page. The parser reads pages
//! through these tables only, so a new spelling is a one-line change here.

use crate::Language::{self, Chinese as Zh, English as En};

/// A section of the page, in page order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Uri,
    Request,
    Response,
    RequestExamples,
    ResponseExamples,
    StatusCodes,
    /// `错误码` / `Error Codes`: only the delegation sentence is read.
    ErrorCodes,
    End,
}

/// Section headings; `None` when the word is the same in both languages.
pub(crate) const SECTIONS: &[(&str, Section, Option<Language>)] = &[
    ("URI", Section::Uri, None),
    ("URI format", Section::Uri, Some(En)),
    ("URI格式", Section::Uri, Some(Zh)),
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
    ("错误码", Section::ErrorCodes, Some(Zh)),
    ("Error Codes", Section::ErrorCodes, Some(En)),
    ("相关文档", Section::End, Some(Zh)),
    ("Related Documents", Section::End, Some(En)),
    ("父主题", Section::End, Some(Zh)),
    ("Parent topic", Section::End, Some(En)),
    // Legacy (v1.0) headings.
    ("Request", Section::Request, Some(En)),
    ("Request Message", Section::Request, Some(En)),
    ("请求消息", Section::Request, Some(Zh)),
    ("Response", Section::Response, Some(En)),
    ("Response Message", Section::Response, Some(En)),
    ("响应消息", Section::Response, Some(Zh)),
];

/// Legacy bullet headings that stand before a table and open no section.
pub(crate) fn is_aside(text: &str) -> bool {
    [
        "Parameter description",
        "参数说明",
        "Request parameters",
        "Response parameters",
    ]
    .iter()
    .any(|w| w.eq_ignore_ascii_case(text))
}

/// A heading as legacy and Markdown pages dress it: without a leading
/// bullet and a trailing colon.
pub(crate) fn bare(text: &str) -> &str {
    text.trim_start_matches(['•', '-', '*', ' '])
        .trim_end_matches([':', '\u{ff1a}', ' '])
}

/// The section a heading opens, and the language its word belongs to.
pub(crate) fn section(text: &str) -> Option<(Section, Option<Language>)> {
    let text = bare(text);
    SECTIONS
        .iter()
        .find(|(k, ..)| k.eq_ignore_ascii_case(text))
        .map(|&(_, s, l)| (s, l))
}

/// Status heading keys: `状态码: 200`, `Status code: 200`.
pub(crate) fn status_key(key: &str) -> Option<Language> {
    match bare(key) {
        "状态码" => Some(Zh),
        k if k.eq_ignore_ascii_case("Status code") => Some(En),
        _ => None,
    }
}

/// Table title prefixes, followed by the table number.
pub(crate) const TABLE_PREFIXES: &[(&str, Language)] = &[("表", Zh), ("Table ", En)];

/// Words in a table title (lower-cased) that say where its rows go.
pub(crate) const PATH_TABLE: &[&str] = &["路径", "path"];
/// See [`PATH_TABLE`].
pub(crate) const QUERY_TABLE: &[&str] = &["查询", "query"];
/// See [`PATH_TABLE`].
pub(crate) const HEADER_TABLE: &[&str] = &["header", "消息头"];
/// See [`PATH_TABLE`].
pub(crate) const BODY_TABLE: &[&str] = &["body", "消息体", "请求体"];

/// A table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Col {
    Name,
    Mandatory,
    Type,
    Desc,
    Code,
}

const COLUMNS: &[(&str, Col)] = &[
    ("参数", Col::Name),
    ("参数名", Col::Name),
    ("参数名称", Col::Name),
    ("名称", Col::Name),
    ("Parameter", Col::Name),
    ("Name", Col::Name),
    ("是否必选", Col::Mandatory),
    ("必选", Col::Mandatory),
    ("是否必填", Col::Mandatory),
    ("Mandatory", Col::Mandatory),
    ("Required", Col::Mandatory),
    ("参数类型", Col::Type),
    ("类型", Col::Type),
    ("Type", Col::Type),
    ("Data Type", Col::Type),
    ("描述", Col::Desc),
    ("说明", Col::Desc),
    ("Description", Col::Desc),
    ("状态码", Col::Code),
    ("Status Code", Col::Code),
];

/// The column a header cell names.
pub(crate) fn column(text: &str) -> Option<Col> {
    let text = text.trim();
    COLUMNS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(text))
        .map(|&(_, c)| c)
}

/// A column's name in both languages, for messages.
pub(crate) fn col_name(c: Col) -> &'static str {
    match c {
        Col::Name => "参数/Parameter",
        Col::Mandatory => "是否必选/Mandatory",
        Col::Type => "参数类型/Type",
        Col::Desc => "描述/Description",
        Col::Code => "状态码/Status Code",
    }
}

/// A mandatory cell: `是`/`Yes` is true, `否`/`No` false.
pub(crate) fn mandatory(text: &str) -> Option<bool> {
    match text {
        "是" => Some(true),
        "否" => Some(false),
        _ if text.eq_ignore_ascii_case("Yes") => Some(true),
        _ if text.eq_ignore_ascii_case("No") => Some(false),
        _ => None,
    }
}

/// Description keys; the flag marks English `Minimum`/`Maximum`, which mean
/// a length on String rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
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

/// The description key `k` names.
pub(crate) fn key(k: &str) -> Option<Key> {
    KEYS.iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(k))
        .map(|&(_, key)| key)
}

/// The labelled parts of a 2026-style description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    Definition,
    Constraints,
    Range,
    Default,
}

/// Labels of 2026-style descriptions (参数解释 / Definition ...).
pub(crate) const LABELS: &[(&str, Label)] = &[
    ("参数解释", Label::Definition),
    ("约束限制", Label::Constraints),
    ("取值范围", Label::Range),
    ("默认取值", Label::Default),
    ("Definition", Label::Definition),
    ("Constraints", Label::Constraints),
    ("Range", Label::Range),
    ("Default Value", Label::Default),
];

/// A default that says there is none.
pub(crate) fn no_default(v: &str) -> bool {
    let v = v.trim_end_matches(['.', '。']);
    ["不涉及", "无", "N/A", "NA", "None", "Not involved"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(v))
}

/// Date-line prefixes: `更新时间:2025-12-18 GMT+08:00`, `Updated on 2025-05-06 GMT+08:00`.
const DATE_LINES: &[&str] = &["更新时间", "Updated on", "Updated at", "Last updated"];

/// The ISO date of a date line, if `line` is one.
pub(crate) fn edition(line: &str) -> Option<String> {
    let rest = DATE_LINES.iter().find_map(|p| line.strip_prefix(p))?;
    let rest = rest.trim_start_matches([':', '\u{ff1a}', ' ']);
    let date = rest.get(..10)?;
    let b = date.as_bytes();
    let shape = b.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        _ => c.is_ascii_digit(),
    });
    shape.then(|| date.to_owned())
}

/// Lines before the title that are page chrome, not content: date lines,
/// breadcrumbs, share buttons, and "not available in your language"
/// banners of other locales.
pub(crate) fn is_chrome(line: &str) -> bool {
    const PREFIXES: &[&str] = &["Help Center/", "Help Center /", "帮助中心/", "帮助中心 /"];
    const BANNERS: &[&str] = &[
        "language",
        "Sprache",
        "idioma",
        "langue",
        "语言",
        "machine translat",
        "maschinell",
    ];
    edition(line).is_some()
        || DATE_LINES.iter().any(|p| line.starts_with(p))
        || PREFIXES.iter().any(|p| line.starts_with(p))
        || BANNERS.iter().any(|b| line.contains(b))
        || line == "分享"
        || line == "Share"
}

/// Headings of the introduction; none of them is a title.
pub(crate) const INTRO: &[&str] = &[
    "功能介绍",
    "Function",
    "调试",
    "Debugging",
    "授权信息",
    "Authorization Information",
    "URI",
];

/// The sentence under `错误码` / `Error Codes` that sends the reader to the
/// shared error-code page instead of listing errors here.
pub(crate) fn delegates_errors(text: &str) -> bool {
    let t = text.trim_end_matches(['.', '。']);
    t == "请参见错误码" || t.eq_ignore_ascii_case("See Error Codes")
}
