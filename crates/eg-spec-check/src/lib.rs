//! Prove that `openapi/eg.yaml` says what Huawei's docs pages say in every
//! language kept, down to what the client generated from it enforces.
//! `cargo xtask check-spec` is a thin front end to [`check_files`].
//!
//! # Operations
//!
//! The check covers every operation of the spec. Each page is parsed with
//! [`eg_docs_page`] (any of its six layouts; the language is read from the
//! text) and matched to the spec operation it documents by its `METHOD
//! /path` line: the method, and the path template (literal segments equal,
//! a `{parameter}` where the spec has one, whatever its name; an exact
//! path wins). Then, per operation:
//!
//! - an operation no page of the run documents fails, naming its
//!   `operationId`, method and path: `ShowEventStreaming (GET
//!   /v1/{project_id}/eventstreamings/{eventstreaming_id}): no page in
//!   this run documents it`;
//! - a page of an operation the spec does not have fails, naming what it
//!   documents and what the spec has, and is not compared; the other
//!   pages are;
//! - the pages of one operation are walked against it, and their facts
//!   judged together (pages of different operations never conflict).
//!
//! Walking a page, every fact becomes one `Fact` (where in the spec, what,
//! the spec's value, the page's value, the line and the page), judged
//! across the pages of its operation:
//!
//! - method and path, as the page writes them;
//! - per path, query and header parameter and per request body field
//!   (`$ref`s resolved, nested tables followed): presence, `type`,
//!   `required`, `minLength`, `maxLength`, `minimum`, `maximum`, `default`,
//!   every `enum` value;
//! - per status: presence, the description in the page's language (the
//!   spec's `description` is zh-cn, `x-descriptions.<lang>` holds the
//!   others), response headers and body fields, and the example, compared
//!   as a JSON value (so are request examples);
//! - the status-code table as a fact of its own: the set of statuses it
//!   lists is the spec's (only the 2xx ones when the page delegates its
//!   errors to the shared error-code page), and a response section whose
//!   status the table omits is the page contradicting itself;
//! - per documented length limit and enum value, that the generated type
//!   for that field accepts strings of exactly the limit and every
//!   documented value, and rejects one character past the limit and
//!   undocumented values (the value lower-cased, or with a suffix).
//!
//! # Verdicts
//!
//! - A page that states the spec's value: `ok`.
//! - A page that states another value: `FAIL`, unless an `x-departures`
//!   entry on the element (`fact`, optional `field`, `page` = the page's
//!   language, `spec`, `docs`, `reason`) is pinned to exactly these values:
//!   `ACCEPTED`. A pinned entry that no longer matches fails, saying what the
//!   page now states and how to update the entry.
//! - A page that states nothing: silence, never a failure. `NOT STATED`
//!   when another page of the run states it; when no page of the run does,
//!   a value the spec holds needs an entry with `docs: not stated`.
//!   A page that delegates its errors (`请参见错误码` / `See Error Codes`)
//!   is silent on every error status.
//! - An empty cell (a missing 是否必选 cell): `NOT CHECKABLE`, never passed.
//! - Two pages stating different values: `CONFLICT`, naming both, unless an
//!   entry says which page the spec `follows` (its language).
//! - An entry that excuses nothing, for a language with a page in the run,
//!   fails.
//! - A part of a page the parser could not read: `NOT CHECKABLE`, with its
//!   line and why; the rest of the page is checked.
//! - An example at odds with the page's own tables (a field no table
//!   lists, an enum value the table does not give): `PAGE`, a defect of the
//!   page, never a failure.
//!
//! # Editions
//!
//! Pages of one operation in one language are editions of one page,
//! ordered by their date line; the newest supersedes the others. It alone
//! is compared with the spec and can fail (naming the older edition's line
//! too); a fact only an older edition states is `NOT STATED` ("stated by
//! the DATE edition, no longer printed"); editions never conflict.
//!
//! # Text output ([`Report::text`])
//!
//! A header line per page (`page FILE [LANG] edition DATE`, with
//! `, superseded by FILE (edition DATE)` on an older edition), then the
//! findings grouped by operation ([`Report::groups`]): an `operation ID
//! (METHOD PATH)` line per operation of the spec, in the spec's order
//! (`operation METHOD PATH` when it has no `operationId`), then `no
//! operation` for the findings of none (a page of an operation the spec
//! lacks, an `x-departures` entry outside any one operation). Within a
//! group, one line per finding, failures first, then conflicts, page
//! defects, accepted, not checkable, not stated, ok; each is `STATUS
//! SPEC#POINTER MESSAGE`, the message naming each page line as
//! `FILE:LINE [LANG]`. Last, the summary line, over every group:
//!
//! ```text
//! page openapi/OperateEventStreaming.zh-cn.txt [zh-cn] edition 2023-12-12
//! operation ResumeEventStreaming (POST /v1/{project_id}/eventstreamings/operate/{eventstreaming_id})
//! FAIL openapi/eg.yaml#/components/schemas/ErrorBody/properties/error_msg maxLength is 1024, openapi/OperateEventStreaming.zh-cn.txt:144 [zh-cn] says 512
//! ...
//! operation ShowEventStreaming (GET /v1/{project_id}/eventstreamings/{eventstreaming_id})
//! FAIL openapi/eg.yaml#/paths/~1v1~1{project_id}~1eventstreamings~1{eventstreaming_id}/get ShowEventStreaming (GET /v1/{project_id}/eventstreamings/{eventstreaming_id}): no page in this run documents it
//! checked …, passed …, failed 6, conflicts 0, accepted …, not checkable …, not stated …, page defects 0
//! ```
//!
//! The report of the default run is kept as the golden file
//! `crates/eg-spec-check/tests/golden/check-spec.txt`.
//!
//! # JSON output ([`Report::json`])
//!
//! ```json
//! {
//!   "format": 4,
//!   "docs": [{"file": "openapi/OperateEventStreaming.zh-cn.txt", "language": "zh-cn",
//!             "edition": "2023-12-12", "current": true}],
//!   "spec": "openapi/eg.yaml",
//!   "operations": [{"id": "ResumeEventStreaming", "method": "POST",
//!                   "path": "/v1/{project_id}/eventstreamings/operate/{eventstreaming_id}",
//!                   "pages": ["openapi/OperateEventStreaming.zh-cn.txt"]}],
//!   "counts": {"checked": …, "passed": …, "failed": 5, "conflicts": 0, "page_defects": 0,
//!              "accepted": …, "not_checkable": …, "not_stated": …},
//!   "findings": [
//!     {
//!       "status": "fail",
//!       "operation": "ResumeEventStreaming",
//!       "pointer": "/components/schemas/ErrorBody/properties/error_msg",
//!       "fact": "maxLength",
//!       "docs_line": 144,
//!       "page": {"file": "openapi/OperateEventStreaming.zh-cn.txt", "language": "zh-cn",
//!                "edition": "2023-12-12", "current": true},
//!       "other": null,
//!       "message": "maxLength is 1024, openapi/OperateEventStreaming.zh-cn.txt:144 [zh-cn] says 512",
//!       "reason": null
//!     }
//!   ]
//! }
//! ```
//!
//! Top level:
//!
//! - `format`: the version of this shape, [`FORMAT`];
//! - `docs`: the pages, in the order given: `file`, `language`, `edition`
//!   (the ISO date of its date line, or `null`), `current` (false when a
//!   newer edition in the run supersedes it);
//! - `spec`: the spec, as named in messages;
//! - `operations`: every operation of the spec in document order: `id`
//!   (its `operationId`, or `METHOD PATH` without one), `method` (upper
//!   case), `path` (the template), `pages` (the files that document it;
//!   empty when none does, which fails);
//! - `counts`: findings per status, and `checked`, all of them;
//! - `findings`: in the order of the text output.
//!
//! Per finding:
//!
//! - `status`: `fail`, `conflict`, `page`, `accepted`, `not_checkable`,
//!   `not_stated` or `ok`;
//! - `operation`: the `id` of the operation the finding belongs to (the
//!   one its page documents, or the one no page documents); `null` for a
//!   page of an operation the spec lacks and for an `x-departures` entry
//!   outside any one operation;
//! - `pointer`: an RFC 6901 pointer into the spec (`""` for the whole
//!   document);
//! - `fact`: what was compared (`maxLength`, `enum`, `enforced maxLength`,
//!   `operation`, ...);
//! - `docs_line`, `page`: the page line stating the fact; `null` only for
//!   an operation no page documents and for findings about `x-departures`
//!   entries themselves;
//! - `other` (`file`, `language`, `line`): the second line of a conflict
//!   or of a page contradicting itself, else `null`;
//! - `message`: the sentence of the text output;
//! - `reason`: the departure's reason on `accepted` findings, else `null`.
//!
//! Format 4 adds `operations` and each finding's `operation`; a page of an
//! operation the spec lacks no longer stops the check of the other pages.
//! Format 3 adds `edition` and `current` to pages, the `page` status and
//! its `page_defects` count. Format 2 differs from format 1 in one
//! meaning: `docs` is the list of pages instead of one file name. It adds
//! `page` and `other` to findings, `conflicts` and `not_stated` to
//! `counts`, and the statuses `conflict` and `not_stated`; every other
//! field keeps its format-1 meaning.

mod consistency;
mod departures;
mod error;
mod fact;
mod files;
mod finding;
mod judge;
mod operations;
mod parse;
mod probes;
mod report;
mod run;
mod spec;
mod walk;

pub use error::InputError;
pub use files::{check_files, pages_in};
pub use finding::{Finding, OtherLine, PageRef, Status};
pub use operations::OperationRef;
pub use parse::MAX_SPEC_DEPTH;
pub use report::{Counts, FORMAT, Report};
pub use run::check;
