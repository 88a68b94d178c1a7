//! The third leg: does the compiled client enforce what the page documents?
//!
//! [`probe`] maps a documented field to the generated type that carries its
//! limits. Anything not in [`PROBES`] has no enforcing type, which the check
//! reports as a failure rather than passing it.

use eg_client::types;
use eg_docs_page::Field;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::json;

use crate::{Finding, PageRef, Status};

/// Where a documented field lives on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Site {
    /// Path parameter.
    Path,
    /// Query parameter.
    Query,
    /// Request header.
    Header,
    /// Request body field.
    RequestBody,
    /// Response header.
    ResponseHeader,
    /// Body field of a 2xx response.
    SuccessBody,
    /// Body field of an error response.
    ErrorBody,
}

/// Tries one value against a generated type: `Ok` if the type accepts it,
/// `Err` with the type's own message if it refuses it.
pub(crate) type Probe = fn(&str) -> Result<(), String>;

/// `(site, documented name, generated type, probe)`.
const PROBES: &[(Site, &str, &str, Probe)] = &[
    (Site::Path, "project_id", "types::ProjectId", |v| {
        parse::<types::ProjectId>(v)
    }),
    (
        Site::Path,
        "eventstreaming_id",
        "types::EventStreamingId",
        |v| parse::<types::EventStreamingId>(v),
    ),
    (Site::Header, "X-Auth-Token", "types::AuthToken", |v| {
        parse::<types::AuthToken>(v)
    }),
    (
        Site::RequestBody,
        "operation",
        "types::OperateEventStreamingRequest",
        |v| field::<types::OperateEventStreamingRequest>("operation", v),
    ),
    (
        Site::SuccessBody,
        "eventStreamingID",
        "types::OperateEventStreamingResponse",
        |v| field::<types::OperateEventStreamingResponse>("eventStreamingID", v),
    ),
    (Site::ErrorBody, "error_code", "types::ErrorBody", |v| {
        field::<types::ErrorBody>("error_code", v)
    }),
    (Site::ErrorBody, "error_msg", "types::ErrorBody", |v| {
        field::<types::ErrorBody>("error_msg", v)
    }),
    (Site::ErrorBody, "error_details", "types::ErrorBody", |v| {
        field::<types::ErrorBody>("error_details", v)
    }),
    (Site::ErrorBody, "request_id", "types::ErrorBody", |v| {
        field::<types::ErrorBody>("request_id", v)
    }),
];

/// The generated type (its name, for messages) and probe for the field
/// `name` at `site`; header names compare case-insensitively, as in HTTP.
pub(crate) fn probe(site: Site, name: &str) -> Option<(&'static str, Probe)> {
    PROBES
        .iter()
        .find(|(s, n, ..)| {
            *s == site
                && match site {
                    Site::Header | Site::ResponseHeader => n.eq_ignore_ascii_case(name),
                    _ => *n == name,
                }
        })
        .map(|&(_, _, ty, p)| (ty, p))
}

/// A constrained string type, through its `TryFrom<&str>`.
fn parse<T>(v: &str) -> Result<(), String>
where
    T: for<'a> TryFrom<&'a str, Error: std::fmt::Display>,
{
    T::try_from(v).map(drop).map_err(|e| e.to_string())
}

/// A body type, through serde as the client reads and writes it. The
/// round trip makes sure `name` really is a field: serde would otherwise
/// ignore an unknown key and accept anything.
fn field<T: DeserializeOwned + Serialize>(name: &str, v: &str) -> Result<(), String> {
    let t: T = serde_json::from_value(json!({ name: v })).map_err(|e| e.to_string())?;
    let back = serde_json::to_value(&t).map_err(|e| e.to_string())?;
    match back.get(name) {
        Some(serde_json::Value::String(s)) if s == v => Ok(()),
        _ => Err(format!("the generated type has no field {name}")),
    }
}

/// Huge documented limits are not worth a string that size.
const MAX_PROBE_LEN: u64 = 1 << 20;

fn plural(n: u64) -> String {
    format!("{n} character{}", if n == 1 { "" } else { "s" })
}

/// One value with how messages name it.
type Shown = (String, String);

/// One probe run: the value the type must accept and those it must reject.
struct Case {
    fact: String,
    line: usize,
    accept: Shown,
    reject: Vec<Shown>,
    /// What the page says, e.g. `page.txt:60 [zh-cn] says maxLength 16384`.
    says: String,
}

/// Runs the documented limits and enum values of `f` against the
/// generated type mapped to it; one finding per limit and per value.
pub(crate) fn enforce(site: Site, f: &Field, at: &str, page: &PageRef) -> Vec<Finding> {
    let probe = probe(site, &f.name);
    let mut out = Vec::new();
    let limits = [
        (&f.min_length, "minLength", -1),
        (&f.max_length, "maxLength", 1),
    ];
    for (limit, fact, step) in limits {
        let Some(limit) = limit else { continue };
        let says = format!("{} says {fact} {}", page.place(limit.line), limit.value);
        let fact = format!("enforced {fact}");
        if limit.value >= MAX_PROBE_LEN {
            let msg = format!("too long to probe, {says}");
            out.push(Finding::on_page(
                Status::NotCheckable,
                at,
                &fact,
                page,
                limit.line,
                msg,
            ));
            continue;
        }
        // One character past the limit; nothing is shorter than empty.
        let case = |n: u64| ("x".repeat(n as usize), plural(n));
        let past = limit.value.checked_add_signed(step).map(case);
        let case = Case {
            fact,
            line: limit.line,
            accept: case(limit.value),
            reject: past.into_iter().collect(),
            says,
        };
        out.push(exercise(at, &f.name, probe, case, page));
    }
    let documented = |v: &str| f.enum_values.iter().any(|d| d.value == v);
    for v in &f.enum_values {
        let rejects = [v.value.to_lowercase(), format!("{}X", v.value)]
            .into_iter()
            .filter(|r| !documented(r))
            .map(|r| (r.clone(), format!("{r:?}")))
            .collect();
        let case = Case {
            fact: "enforced enum".into(),
            line: v.line,
            accept: (v.value.clone(), format!("{:?}", v.value)),
            reject: rejects,
            says: format!("{} says enum {:?}", page.place(v.line), v.value),
        };
        out.push(exercise(at, &f.name, probe, case, page));
    }
    out
}

/// Runs `probe` on one case.
fn exercise(
    at: &str,
    name: &str,
    probe: Option<(&str, Probe)>,
    case: Case,
    page: &PageRef,
) -> Finding {
    let Case {
        fact,
        line,
        accept,
        reject,
        says,
    } = case;
    let Some((ty, probe)) = probe else {
        let msg = format!("no generated type enforces {name}, {says}");
        return Finding::on_page(Status::Fail, at, &fact, page, line, msg);
    };
    let mut wrong = Vec::new();
    if let Err(e) = probe(&accept.0) {
        wrong.push(format!("rejects {} ({e})", accept.1));
    }
    for (v, shown) in &reject {
        if probe(v).is_ok() {
            wrong.push(format!("accepts {shown}"));
        }
    }
    let (status, what) = if wrong.is_empty() {
        let shown: Vec<&str> = reject.iter().map(|c| c.1.as_str()).collect();
        let rejects = match shown.join(" and ") {
            r if r.is_empty() => r,
            r => format!(" and rejects {r}"),
        };
        (Status::Ok, format!("accepts {}{rejects}", accept.1))
    } else {
        (Status::Fail, wrong.join(" and "))
    };
    let msg = format!("generated {ty} {what}, {says}");
    Finding::on_page(status, at, &fact, page, line, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_table() {
        let (ty, p) =
            probe(Site::Header, "x-auth-token").expect("headers match case-insensitively");
        assert_eq!(ty, "types::AuthToken");
        assert!(p("t").is_ok() && p("").is_err());
        let (_, p) = probe(Site::ErrorBody, "error_code").expect("mapped");
        assert!(p(&"c".repeat(128)).is_ok());
        assert_eq!(
            p(&"c".repeat(129)).map_err(|e| e.contains("longer than 128")),
            Err(true)
        );
        let (_, p) = probe(Site::RequestBody, "operation").expect("mapped");
        assert!(p("START").is_ok() && p("start").is_err());
        assert!(probe(Site::ErrorBody, "eventStreamingID").is_none());
        assert!(probe(Site::RequestBody, "Operation").is_none());
    }
}
