//! `check-spec`: the spec (and the generated client) against Huawei's docs
//! pages. `cargo xtask check-spec` runs this binary, so that the xtask
//! crate does not link the client (issue 16: codegen must work while the
//! client does not compile).

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::ExitCode,
};

use clap::{Parser, ValueEnum};

/// The spec, relative to the workspace root.
const SPEC: &str = "openapi/eg.yaml";
/// Where the kept pages are, relative to the workspace root.
const PAGES_DIR: &str = "openapi";

/// Check that the spec and the generated client agree with the docs pages.
#[derive(Parser)]
#[command(name = "check-spec")]
struct Cli {
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
enum Format {
    Text,
    Json,
}

/// The workspace root: this crate lives two levels below it.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `path` relative to the workspace root when it lies under it.
fn name_of(root: &Path, path: &Path) -> String {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_owned());
    canonical(path)
        .strip_prefix(canonical(root))
        .map_or_else(|_| path.display().to_string(), |r| r.display().to_string())
}

/// Exit 0 when spec and pages agree, 1 on any failure or conflict, 2 when
/// an input cannot be read or is not a docs page / OpenAPI document.
fn main() -> ExitCode {
    let args = Cli::parse();
    let root = root();
    let pages = if args.docs.is_empty() {
        match eg_spec_check::pages_in(&root.join(PAGES_DIR)) {
            Ok(found) => found
                .into_iter()
                .map(|p| {
                    let name = name_of(&root, &p);
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
    let (spec, spec_name) = match args.spec {
        Some(p) => {
            let name = p.display().to_string();
            (p, name)
        }
        None => (root.join(SPEC), SPEC.to_owned()),
    };
    let report = match eg_spec_check::check_files(&pages, &spec, &spec_name) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let text = match args.format {
        Format::Text => report.text(),
        Format::Json => format!("{}\n", report.json()),
    };
    // A closed pipe (`| head`) is not worth a panic.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    if report.agrees() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
