//! `cargo xtask docs-page FILE... [--format text|json]`: what the parser
//! read from each page (the model, not a verdict), so a maintainer can see
//! why check-spec says what it says. JSON is `format: 1` (see the README).

use std::{path::PathBuf, process::ExitCode};

use clap::Args;

use crate::check_spec::Format;
use crate::out;

/// Options of `docs-page`.
#[derive(Args)]
pub struct DocsPage {
    /// The pages to read.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Prints the model of every page that is one; exit 2 when a file cannot
/// be read or is no API page (the others are still printed).
pub fn run(args: DocsPage) -> ExitCode {
    let mut pages = Vec::new();
    let mut failed = false;
    for path in &args.files {
        let name = path.display().to_string();
        let text = match eg_docs_page::read_text(path, eg_docs_page::MAX_TEXT_BYTES) {
            Ok(t) => t,
            Err(eg_docs_page::ReadError::NotUtf8 { line, byte }) => {
                eprintln!("error: {name}:{line}: not UTF-8 text (byte {byte})");
                failed = true;
                continue;
            }
            Err(e) => {
                eprintln!("error: {name}: cannot read: {e}");
                failed = true;
                continue;
            }
        };
        match eg_docs_page::parse(&text) {
            Ok(page) => pages.push((name, page)),
            Err(e) => {
                eprintln!("error: {name}:{}: {}", e.line, e.message);
                failed = true;
            }
        }
    }
    match args.format {
        Format::Text => {
            let texts: Vec<String> = pages
                .iter()
                .map(|(n, p)| eg_docs_page::model_text(n, p))
                .collect();
            out(&texts.join("\n"));
        }
        Format::Json => {
            let doc = serde_json::json!({
                "format": eg_docs_page::MODEL_FORMAT,
                "pages": pages.iter().map(|(n, p)| eg_docs_page::model_json(n, p)).collect::<Vec<_>>(),
            });
            // A JSON value always serializes.
            out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            ));
        }
    }
    if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
