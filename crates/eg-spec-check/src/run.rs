//! The run: each page parsed, walked against the spec, judged across pages.

use crate::error::invalid;
use crate::{Finding, InputError, PageRef, Report, Status};
use crate::{consistency, departures, judge, parse, spec, walk};

/// Compares the pages `(name, text)` with the spec text `spec`; the names
/// are used in messages. Every page must be one (a part it cannot read is
/// `NOT CHECKABLE`), and there must be one.
///
/// ```
/// let read = |p: &str| {
///     std::fs::read_to_string(format!("{}/../../{p}", env!("CARGO_MANIFEST_DIR"))).expect("file")
/// };
/// let zh = read("openapi/OperateEventStreaming.zh-cn.txt");
/// let en = read("openapi/OperateEventStreaming.en-us.txt");
/// let spec = read("openapi/eg.yaml").replace("maxLength: 512", "maxLength: 1024");
/// let report = eg_spec_check::check(&[("en.txt", &en), ("zh.txt", &zh)], "eg.yaml", &spec)?;
/// assert!(!report.agrees());
/// assert_eq!(
///     report.text().lines().nth(2),
///     Some("FAIL eg.yaml#/components/schemas/ErrorBody/properties/error_msg maxLength is 1024, zh.txt:144 [zh-cn] says 512")
/// );
/// # Ok::<(), eg_spec_check::InputError>(())
/// ```
pub fn check(pages: &[(&str, &str)], spec_name: &str, spec: &str) -> Result<Report, InputError> {
    if pages.is_empty() {
        return Err(InputError::NoPages);
    }
    let mut parsed = Vec::new();
    for (name, text) in pages {
        let page = eg_docs_page::parse(text).map_err(|e| invalid(name, e.line, e.message))?;
        let pref = PageRef {
            file: (*name).to_owned(),
            language: page.language,
            edition: page.edition.as_ref().map(|e| e.value.clone()),
            current: true,
        };
        parsed.push((page, pref));
    }
    let newest = editions(&parsed);
    for (i, &n) in newest.iter().enumerate() {
        if n != i
            && let Some((_, pref)) = parsed.get_mut(i)
        {
            pref.current = false;
        }
    }
    let spec_value = parse::parse_spec(spec_name, spec)?;
    let spec = spec::Spec { root: &spec_value };
    let (mut ledger, mut direct) = departures::collect(&spec_value);
    let mut facts = Vec::new();
    let mut strangers = Vec::new();
    for (i, (page, pref)) in parsed.iter().enumerate() {
        let w = walk::Walk::run(page, pref, i, &spec);
        if w.other_operation {
            strangers.extend(w.found);
            continue;
        }
        facts.extend(w.facts);
        // A superseded edition's own checks (generated types against its
        // limits) are its newest edition's business.
        if pref.current {
            direct.extend(w.found);
            direct.extend(consistency::check(page, pref));
        }
        direct.extend(unread(page, pref));
    }
    let prefs: Vec<PageRef> = parsed.into_iter().map(|(_, p)| p).collect();
    // A page of another operation stops the check: comparing the rest
    // would only list what that page was expected to state.
    if !strangers.is_empty() {
        return Ok(Report {
            pages: prefs,
            spec: spec_name.to_owned(),
            findings: strangers,
        });
    }
    let mut findings = judge::judge(&prefs, &newest, facts, &mut ledger);
    findings.extend(direct);
    for d in ledger.iter().filter(|d| !d.used) {
        // An entry for a language with no page in the run has nothing to excuse here.
        if d.page
            .is_some_and(|l| !prefs.iter().any(|p| p.language == l))
        {
            continue;
        }
        let msg = format!(
            "x-departures entry for {} excuses no difference from the pages of this run; remove or correct it",
            d.fact
        );
        findings.push(Finding::bookkeeping(Status::Fail, &d.at, msg));
    }
    findings.sort_by_key(|f| f.status);
    Ok(Report {
        pages: prefs,
        spec: spec_name.to_owned(),
        findings,
    })
}

/// For each page, the index of its newest edition in the run: pages of
/// one operation and language are editions of one page, ordered by date
/// (a page without a date is the oldest); equal dates order nothing.
fn editions(parsed: &[(eg_docs_page::DocsPage, PageRef)]) -> Vec<usize> {
    let key = |p: &eg_docs_page::DocsPage| {
        let ep = &p.endpoint.value;
        (ep.method.clone(), ep.path.clone(), p.language)
    };
    let mut newest_of: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for (i, (page, pref)) in parsed.iter().enumerate() {
        let n = newest_of.entry(key(page)).or_insert(i);
        if parsed
            .get(*n)
            .is_some_and(|(_, best)| pref.edition > best.edition)
        {
            *n = i;
        }
    }
    parsed
        .iter()
        .enumerate()
        .map(|(i, (page, pref))| {
            let n = newest_of.get(&key(page)).copied().unwrap_or(i);
            let newer = parsed
                .get(n)
                .is_some_and(|(_, best)| best.edition > pref.edition);
            if newer { n } else { i }
        })
        .collect()
}

/// A `NOT CHECKABLE` finding per part of the page the parser could not
/// read: whatever it states is not compared, and the run goes on.
fn unread<'p>(
    page: &'p eg_docs_page::DocsPage,
    pref: &'p PageRef,
) -> impl Iterator<Item = Finding> + 'p {
    page.unread.iter().map(move |u| {
        let msg = format!(
            "{} could not be read ({}), so what it states was not compared",
            pref.place(u.line),
            u.reason
        );
        Finding::on_page(Status::NotCheckable, "", "unread", pref, u.line, msg)
    })
}
