//! The third leg: does the compiled client enforce what the page documents?
//!
//! [`probe`] maps a documented field to the generated type that carries its
//! limits. Anything not in [`PROBES`] has no enforcing type, which the check
//! reports as a failure rather than passing it.

use eg_client::types;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::json;

/// Where a documented field lives on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
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
pub type Probe = fn(&str) -> Result<(), String>;

/// `(site, documented name, generated type, probe)`.
const PROBES: &[(Site, &str, &str, Probe)] = &[
    (
        Site::Path,
        "project_id",
        "types::ResumeEventStreamingProjectId",
        |v| parse::<types::ResumeEventStreamingProjectId>(v),
    ),
    (
        Site::Path,
        "eventstreaming_id",
        "types::ResumeEventStreamingEventstreamingId",
        |v| parse::<types::ResumeEventStreamingEventstreamingId>(v),
    ),
    (
        Site::Header,
        "X-Auth-Token",
        "types::ResumeEventStreamingXAuthToken",
        |v| parse::<types::ResumeEventStreamingXAuthToken>(v),
    ),
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
pub fn probe(site: Site, name: &str) -> Option<(&'static str, Probe)> {
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
