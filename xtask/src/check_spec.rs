//! `cargo xtask check-spec`: the spec (and the generated client) against
//! Huawei's docs pages.

use std::{path::PathBuf, process::ExitCode};

use clap::{Args, ValueEnum};

use crate::{SPEC, input, out, root};

const PAGES_DIR: &str = "openapi";

/// Options of `check-spec`.
#[derive(Args)]
pub struct CheckSpec {
    /// A docs page; repeat for several [default: every page kept under openapi/]
    #[arg(long)]
    docs: Vec<PathBuf>,
    /// The OpenAPI spec [default: openapi/eg.yaml in the workspace]
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

/// Exit 0 when spec and pages agree, 1 on any failure or conflict, 2 when
/// an input cannot be read or parsed.
pub fn run(args: CheckSpec) -> ExitCode {
    let pages = if args.docs.is_empty() {
        match eg_spec_check::pages_in(&root().join(PAGES_DIR)) {
            Ok(found) => found
                .into_iter()
                .map(|p| {
                    let name = p
                        .strip_prefix(root())
                        .map_or_else(|_| p.display().to_string(), |r| r.display().to_string());
                    (p, name)
                })
                .collect(),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        args.docs
            .into_iter()
            .map(|p| {
                let name = p.display().to_string();
                (p, name)
            })
            .collect::<Vec<_>>()
    };
    let (spec, spec_name) = input(args.spec, SPEC);
    let report = match eg_spec_check::check_files(&pages, &spec, &spec_name) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match args.format {
        Format::Text => out(&report.text()),
        Format::Json => out(&format!("{}\n", report.json())),
    }
    if report.agrees() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
