//! The run: each page parsed, walked against the spec, judged across pages.

use crate::error::invalid;
use crate::operations::{self, OperationRef};
use crate::{Finding, InputError, PageRef, Report, Status};
use crate::{consistency, departures, judge, parse, spec, walk};

/// Compares the pages `(name, text)` with the spec text `spec`, each page
/// with the operation it documents; the names are used in messages. Every
/// page must be one (a part it cannot read is `NOT CHECKABLE`), and there
/// must be one.
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
///     report.text().lines().nth(3),
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
    let spec_parsed = parse::parse_spec(spec_name, spec)?;
    let spec_value = &spec_parsed.json;
    let mut ops = operations::list(spec_value, &spec_parsed.paths);
    let of_page: Vec<Option<usize>> = parsed
        .iter()
        .map(|(page, _)| {
            let ep = &page.endpoint.value;
            operations::find(&ops, &ep.method, &ep.path)
        })
        .collect();
    let newest = editions(&parsed, &of_page);
    for (i, &n) in newest.iter().enumerate() {
        if n != i
            && let Some((_, pref)) = parsed.get_mut(i)
        {
            pref.current = false;
        }
    }
    let spec = spec::Spec { root: spec_value };
    let (mut ledger, malformed) = departures::collect(spec_value);
    // Per operation: the facts of its pages, and the findings made at once.
    let mut facts = vec![Vec::new(); ops.len()];
    let mut direct = vec![Vec::new(); ops.len()];
    let mut unowned = Vec::new();
    for f in malformed {
        file(f, &ops, &mut direct, &mut unowned);
    }
    for (i, (page, pref)) in parsed.iter().enumerate() {
        let Some(k) = of_page.get(i).copied().flatten() else {
            unowned.push(stranger(page, pref, &ops));
            continue;
        };
        let (Some(op), Some(op_facts), Some(op_direct)) =
            (ops.get_mut(k), facts.get_mut(k), direct.get_mut(k))
        else {
            continue;
        };
        op.pages.push(pref.file.clone());
        let w = walk::Walk::run(page, pref, i, &spec, op);
        op_facts.extend(w.facts);
        // A superseded edition's own checks (generated types against its
        // limits) are its newest edition's business.
        if pref.current {
            op_direct.extend(w.found);
            op_direct.extend(consistency::check(page, pref));
        }
        op_direct.extend(unread(page, pref));
    }
    let prefs: Vec<PageRef> = parsed.into_iter().map(|(_, p)| p).collect();
    let mut groups: Vec<Vec<Finding>> = Vec::new();
    for ((op, op_facts), op_direct) in ops.iter().zip(facts).zip(direct) {
        let mut found = judge::judge(&prefs, &newest, op_facts, &mut ledger);
        found.extend(op_direct);
        if op.pages.is_empty() {
            let msg = format!("{}: no page in this run documents it", op.label());
            found.push(Finding::of_spec(
                Status::Fail,
                &op.op_at(),
                "operation",
                msg,
            ));
        }
        for f in &mut found {
            f.operation = Some(op.id.clone());
        }
        groups.push(found);
    }
    for d in ledger.iter().filter(|d| !d.used) {
        if !in_reach(d, &ops, &prefs) {
            continue;
        }
        let msg = format!(
            "x-departures entry for {} excuses no difference from the pages of this run; remove or correct it",
            d.fact
        );
        let f = Finding::bookkeeping(Status::Fail, &d.at, msg);
        file(f, &ops, &mut groups, &mut unowned);
    }
    groups.push(unowned);
    let mut findings = Vec::new();
    for mut group in groups {
        group.sort_by_key(|f| f.status);
        findings.extend(group);
    }
    Ok(Report {
        pages: prefs,
        spec: spec_name.to_owned(),
        operations: ops,
        findings,
    })
}

/// Files a finding about an `x-departures` entry: with its operation when
/// it lies inside one, else with the findings of no operation.
fn file(f: Finding, ops: &[OperationRef], groups: &mut [Vec<Finding>], unowned: &mut Vec<Finding>) {
    let owner = operations::owner(ops, &f.pointer);
    match owner.and_then(|k| groups.get_mut(k).zip(ops.get(k))) {
        Some((group, op)) => group.push(Finding {
            operation: Some(op.id.clone()),
            ..f
        }),
        None => unowned.push(f),
    }
}

/// The failure for a page of an operation the spec does not have; the
/// page is not compared.
fn stranger(page: &eg_docs_page::DocsPage, pref: &PageRef, ops: &[OperationRef]) -> Finding {
    let ep = &page.endpoint;
    let described: Vec<String> = ops
        .iter()
        .map(|o| format!("{} {}", o.method, o.path))
        .collect();
    let described = match described.join(", ") {
        d if d.is_empty() => "no operation".to_owned(),
        d => d,
    };
    let msg = format!(
        "{} documents {} {}, another operation than the spec's {described}; this page was not compared",
        pref.place(ep.line),
        ep.value.method,
        ep.value.path
    );
    Finding::on_page(Status::Fail, "/paths", "operation", pref, ep.line, msg)
}

/// Whether an unused `x-departures` entry had something to excuse in this
/// run: a compared page in its language, of its operation when it lies in
/// one (an operation no page documents fails on its own).
fn in_reach(d: &departures::Departure, ops: &[OperationRef], pages: &[PageRef]) -> bool {
    let files: Vec<&String> = match operations::owner(ops, &d.at).and_then(|k| ops.get(k)) {
        Some(op) => op.pages.iter().collect(),
        None => ops.iter().flat_map(|o| &o.pages).collect(),
    };
    pages
        .iter()
        .filter(|p| files.contains(&&p.file))
        .any(|p| d.page.is_none_or(|l| l == p.language))
}

/// For each page, the index of its newest edition in the run: pages of
/// one operation (`of_page`, else one `METHOD path`) and language are
/// editions of one page, ordered by date (a page without a date is the
/// oldest); equal dates order nothing.
fn editions(parsed: &[(eg_docs_page::DocsPage, PageRef)], of_page: &[Option<usize>]) -> Vec<usize> {
    let key = |i: usize, p: &eg_docs_page::DocsPage| {
        let ep = &p.endpoint.value;
        match of_page.get(i).copied().flatten() {
            Some(k) => (Some(k), String::new(), String::new(), p.language),
            None => (None, ep.method.clone(), ep.path.clone(), p.language),
        }
    };
    let mut newest_of: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for (i, (page, pref)) in parsed.iter().enumerate() {
        let n = newest_of.entry(key(i, page)).or_insert(i);
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
            let n = newest_of.get(&key(i, page)).copied().unwrap_or(i);
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
