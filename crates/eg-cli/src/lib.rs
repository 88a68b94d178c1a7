//! The library behind `eg`, the command line of the EventGrid operate API:
//! what tests drive without spawning the binary (the command tree made from
//! the spec, the id reader).
//!
//! # What follows the spec
//!
//! `eg streaming` is made at run time from the spec's description of the
//! operate operation ([`eg_client::spec`], through the generated builder's
//! `SPEC`), so a spec change reaches the CLI when the client is regenerated:
//!
//! - every value of the body field `operation` is a subcommand, in lower
//!   case: `eg streaming start`, `eg streaming pause`, and `restart` as soon
//!   as the spec has `RESTART`;
//! - every header, query or path parameter the client does not set itself
//!   (the project id and `X-Auth-Token` it does), but the one the ids go to,
//!   and every other body field, is a flag named in kebab case: a boolean
//!   `force` is the switch `--force`; `X-Language` is `--x-language <VALUE>`,
//!   its enum values listed in `--help` and checked by clap; integers,
//!   numbers and strings are checked against the spec's limits, objects and
//!   arrays are given as JSON;
//! - a required parameter or body field is a required flag: without it the
//!   command is a usage error (exit 2) and nothing is sent;
//! - a name taken by one of eg's own flags (`--timeout`, `--rate`,
//!   `--concurrency`, ...) gets the prefix
//!   [`spec-`](spec_flags::COLLISION_PREFIX): a body field `timeout` is
//!   `--spec-timeout`, and `--timeout` stays eg's. `--help` lists the
//!   generated flags under "Options from the spec", each with where it goes;
//! - the method and path in `--help` are the spec's; `--dry-run` prints
//!   every header and body field a flag set.
//!
//! The ids go to the last path parameter the client does not set
//! (`eventstreaming_id`). [`cli::Cli`] builds the tree for any generated
//! operation builder, so tests drive it with the codegen fixtures' specs.

pub mod args;
pub mod cli;
pub mod ids;
pub mod spec_flags;
