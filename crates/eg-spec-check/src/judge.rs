//! The verdicts: every fact of every page against the spec, across pages.
//!
//! - A page that states the spec's value passes; one that states another
//!   value fails, unless an `x-departures` entry for its language excuses
//!   exactly that pair of values.
//! - A page that states nothing is silent: `NOT STATED` when another page
//!   of the run states the fact, never a failure. When no page states a
//!   value the spec holds, the spec needs a departure (`docs: not stated`).
//! - Pages that state different values conflict, unless a departure says
//!   which page the spec `follows`.
//! - Editions: a superseded edition never fails and never conflicts. What
//!   only it states is `NOT STATED` ("stated by the DATE edition, no
//!   longer printed"); a failure of the newest edition names the older
//!   edition's line too.

use std::collections::HashMap;

use crate::departures::Departure;
use crate::fact::{Docs, Fact};
use crate::{Finding, OtherLine, PageRef, Status};

/// Judges `facts` (of every page, in walk order) with the ledger.
/// `newest[i]` is the index of the newest edition of page `i` (`i` when it
/// is current).
pub(crate) fn judge(
    pages: &[PageRef],
    newest: &[usize],
    facts: Vec<Fact>,
    ledger: &mut [Departure],
) -> Vec<Finding> {
    let mut groups: Vec<Vec<Fact>> = Vec::new();
    let mut index: HashMap<(String, String, String), usize> = HashMap::new();
    for f in facts {
        let k = (f.at.clone(), f.name.clone(), f.key.clone());
        match index.get(&k) {
            Some(&i) => groups
                .get_mut(i)
                .into_iter()
                .for_each(|g| g.push(f.clone())),
            None => {
                index.insert(k, groups.len());
                groups.push(vec![f]);
            }
        }
    }
    let mut out = Vec::new();
    for g in &groups {
        Group {
            pages,
            newest,
            facts: g,
        }
        .judge(ledger, &mut out);
    }
    out
}

struct Group<'a> {
    pages: &'a [PageRef],
    newest: &'a [usize],
    facts: &'a [Fact],
}

fn stated(f: &Fact) -> Option<&str> {
    match &f.docs {
        Docs::Says(v) => Some(v),
        _ => None,
    }
}

impl Group<'_> {
    fn page(&self, f: &Fact) -> &PageRef {
        // Facts only carry indices of the run's pages.
        self.pages.get(f.page).unwrap_or(&self.pages[0])
    }

    fn place(&self, f: &Fact) -> String {
        self.page(f).place(f.line)
    }

    fn finding(&self, status: Status, f: &Fact, message: String) -> Finding {
        Finding::on_page(status, &f.at, &f.name, self.page(f), f.line, message)
    }

    fn current(&self, f: &Fact) -> bool {
        self.page(f).current
    }

    /// The newest edition of `f`'s page.
    fn newest_of(&self, f: &Fact) -> usize {
        self.newest.get(f.page).copied().unwrap_or(f.page)
    }

    /// The fact a superseded edition of `f`'s page states, if any.
    fn older(&self, f: &Fact) -> Option<&Fact> {
        self.facts.iter().find(|o| {
            o.page != f.page
                && !self.current(o)
                && self.newest_of(o) == f.page
                && stated(o).is_some()
        })
    }

    /// The fact any superseded edition states, if any.
    fn any_older(&self) -> Option<&Fact> {
        self.facts
            .iter()
            .find(|o| !self.current(o) && stated(o).is_some())
    }

    /// "stated by the 2023-12-12 edition (file:line [lang]), no longer printed".
    fn no_longer(&self, o: &Fact) -> String {
        let date = self.page(o).edition.as_deref().unwrap_or("undated");
        format!(
            "stated by the {date} edition ({}), no longer printed",
            self.place(o)
        )
    }

    fn judge(&self, ledger: &mut [Departure], out: &mut Vec<Finding>) {
        let stating: Vec<&Fact> = self
            .facts
            .iter()
            .filter(|f| stated(f).is_some() && self.current(f))
            .collect();
        self.conflict(&stating, ledger, out);
        for f in self.facts {
            let sentence = f.sentence(&self.place(f));
            if !self.current(f) {
                // Reported through its newest edition when that one has the fact.
                let newest = self.newest_of(f);
                if stated(f).is_some() && !self.facts.iter().any(|g| g.page == newest) {
                    let msg = format!("{sentence}; {}", self.no_longer(f));
                    out.push(self.finding(Status::NotStated, f, msg));
                }
                continue;
            }
            match &f.docs {
                Docs::Says(v) if f.agrees(v) => out.push(self.finding(Status::Ok, f, sentence)),
                Docs::Says(v) => {
                    let sentence = match self.older(f) {
                        Some(o) => format!(
                            "{sentence} (the {} edition, {}, said {})",
                            self.page(o).edition.as_deref().unwrap_or("undated"),
                            self.place(o),
                            o.docs_shown(stated(o).unwrap_or_default())
                        ),
                        None => sentence,
                    };
                    out.push(self.departure(f, Some(v), sentence, ledger));
                }
                Docs::Open(_) => out.push(self.finding(Status::NotCheckable, f, sentence)),
                Docs::Silent if f.spec.is_none() && self.older(f).is_none() => {}
                // Any superseded edition: this page, or another language's.
                Docs::Silent => match (stating.first(), self.older(f).or_else(|| self.any_older()))
                {
                    (Some(other), _) => {
                        let msg = format!("{sentence}; {} states it", self.place(other));
                        out.push(self.finding(Status::NotStated, f, msg));
                    }
                    (None, Some(o)) => {
                        let msg = format!("{sentence}; {}", self.no_longer(o));
                        out.push(self.finding(Status::NotStated, f, msg));
                    }
                    (None, None) => {
                        let msg = format!("{sentence}, and no page in this run states it");
                        out.push(self.departure(f, None, msg, ledger));
                    }
                },
            }
        }
    }

    /// Two pages stating different values: one CONFLICT finding naming
    /// both, accepted when a departure names the page the spec follows.
    fn conflict(&self, stating: &[&Fact], ledger: &mut [Departure], out: &mut Vec<Finding>) {
        let Some(first) = stating.first() else { return };
        let norm = |f: &Fact| f.norm(stated(f).unwrap_or_default());
        // Only pages conflict; one page stating two values fails on its own.
        let Some(second) = stating
            .iter()
            .find(|f| f.page != first.page && norm(f) != norm(first))
        else {
            return;
        };
        let spec = first
            .spec
            .as_deref()
            .map_or_else(|| "not set".to_owned(), |s| first.show(s));
        let said = |f: &Fact| {
            format!(
                "{} says {}",
                self.place(f),
                f.docs_shown(stated(f).unwrap_or_default())
            )
        };
        let message = format!(
            "{}: the pages conflict: {}, {}; the spec has {spec}",
            first.subject,
            said(first),
            said(second)
        );
        let followed = |d: &Departure| {
            stating.iter().any(|f| {
                Some(self.page(f).language) == d.follows && f.agrees(stated(f).unwrap_or_default())
            })
        };
        let dep = ledger
            .iter_mut()
            .find(|d| d.follows.is_some() && d.covers(&first.name, &first.scope) && followed(d));
        let mut finding = match dep {
            Some(d) => {
                d.used = true;
                let lang = d.follows.map(|l| l.code()).unwrap_or_default();
                let msg = format!("{message}; the spec follows {lang}: {}", d.reason);
                let mut f = self.finding(Status::Accepted, first, msg);
                f.reason = Some(d.reason.clone());
                f
            }
            None => {
                let msg = format!(
                    "{message}; declare the page the spec follows in x-departures (`follows: zh-cn` or `en-us`)"
                );
                self.finding(Status::Conflict, first, msg)
            }
        };
        let other = self.page(second);
        finding.other = Some(OtherLine {
            file: other.file.clone(),
            language: other.language,
            line: second.line,
        });
        out.push(finding);
    }

    /// A difference between spec and page (`docs` is `None` for silence):
    /// accepted when a departure for this page's language is pinned to
    /// exactly these values; otherwise it fails, saying how to update a
    /// departure that no longer matches.
    fn departure(
        &self,
        f: &Fact,
        docs: Option<&str>,
        message: String,
        ledger: &mut [Departure],
    ) -> Finding {
        let lang = self.page(f).language;
        // Entries record the value as the page wrote it.
        let docs = docs.and(f.written.as_deref()).or(docs);
        let mut candidates = ledger
            .iter_mut()
            .filter(|d| d.covers(&f.name, &f.scope) && d.for_page(lang))
            .collect::<Vec<_>>();
        let matching = candidates
            .iter()
            .position(|d| d.spec_matches(f.spec.as_deref()) && d.docs_matches(docs));
        if let Some(d) = matching.and_then(|i| candidates.get_mut(i)) {
            d.used = true;
            let mut found = self.finding(
                Status::Accepted,
                f,
                format!("{message}; departure: {}", d.reason),
            );
            found.reason = Some(d.reason.clone());
            return found;
        }
        let Some(d) = candidates.first_mut() else {
            // A departure for the same fact on a page in another language.
            let elsewhere = ledger
                .iter()
                .find(|d| d.covers(&f.name, &f.scope))
                .and_then(|d| Some((d.at.as_str(), d.page?.code())));
            let message = match elsewhere {
                Some((at, other)) => format!(
                    "{message}; the departure at {at} covers the {other} page only: if the difference is meant for {} too, add an entry with `page: {}`",
                    lang.code(),
                    lang.code()
                ),
                None => message,
            };
            return self.finding(Status::Fail, f, message);
        };
        d.used = true;
        let now_spec = f.spec.as_deref().unwrap_or("not set");
        let now_docs = docs.unwrap_or("not stated");
        let page = d
            .page
            .map(|_| format!(", `page: {}`", lang.code()))
            .unwrap_or_default();
        let msg = format!(
            "{message}; the departure at {} expects spec {}, docs {}: if it still holds, re-confirm its reason and set `spec: {now_spec}`, `docs: {now_docs}`{page}",
            d.at, d.spec, d.docs
        );
        self.finding(Status::Fail, f, msg)
    }
}
