//! The benchmark's report: the figures found and the parts skipped, printed
//! as aligned text or one JSON document.

use serde_json::json;

use crate::stats::Figure;

use super::Sizes;

/// What one run found.
#[derive(Default)]
pub(super) struct Report {
    figures: Vec<Figure>,
    /// Parts not measured, and why.
    pub(super) skipped: Vec<(&'static str, String)>,
}

impl Report {
    /// Adds a figure, when it has samples.
    pub(super) fn add(&mut self, figure: Option<Figure>) {
        self.figures.extend(figure);
    }
}

fn number(x: f64) -> String {
    match x.abs() {
        a if a >= 100.0 => format!("{x:.0}"),
        a if a >= 10.0 => format!("{x:.1}"),
        a if a >= 1.0 => format!("{x:.2}"),
        _ => format!("{x:.3}"),
    }
}

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// The aligned text report.
pub(super) fn text(sizes: &Sizes, quick: bool, report: &Report) -> String {
    let mut out = format!(
        "eg benchmark: release build, {} CPUs{}; median [min .. max] of {} rounds \
         ({} for eg vs the SDK and eg at scale); only ratios carry over to other machines\n\n",
        cpus(),
        if quick { ", --quick" } else { "" },
        sizes.rounds,
        sizes.cli_rounds,
    );
    for f in &report.figures {
        let range = format!("[{} .. {}]", number(f.min), number(f.max));
        let target = f.target.map(|t| format!("target {t}")).unwrap_or_default();
        out.push_str(&format!(
            "{:<76} {:>8} {:<18} {:<6} {target}\n",
            f.what,
            number(f.median),
            range,
            f.unit
        ));
    }
    for (part, why) in &report.skipped {
        out.push_str(&format!("skipped {part}: {why}\n"));
    }
    out
}

/// The JSON document (shape in the bench module's docs).
pub(super) fn json(quick: bool, report: &Report) -> serde_json::Value {
    json!({
        "version": 1,
        "quick": quick,
        "machine": {
            "cpus": cpus(),
            "os": std::env::consts::OS,
            "arch": std::env::consts::ARCH,
        },
        "figures": report.figures.iter().map(Figure::json).collect::<Vec<_>>(),
        "skipped": report
            .skipped
            .iter()
            .map(|(part, reason)| json!({"part": part, "reason": reason}))
            .collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_document_shape() {
        let report = Report {
            figures: Figure::of(
                "signer.sign_us",
                "sign",
                "us",
                &[1.0, 3.0, 2.0],
                Some("<= 1.5"),
            )
            .into_iter()
            .collect(),
            skipped: vec![("cli", "no venv".to_owned())],
        };
        let cpus = cpus();
        assert_eq!(
            json(true, &report),
            json!({
                "version": 1,
                "quick": true,
                "machine": {"cpus": cpus, "os": std::env::consts::OS, "arch": std::env::consts::ARCH},
                "figures": [{"key": "signer.sign_us", "what": "sign", "unit": "us",
                             "median": 2.0, "min": 1.0, "max": 3.0, "rounds": 3,
                             "target": "<= 1.5"}],
                "skipped": [{"part": "cli", "reason": "no venv"}],
            })
        );
    }

    #[test]
    fn numbers_keep_three_significant_digits() {
        assert_eq!(
            [0.8123, 1.234, 12.34, 1234.5].map(number),
            ["0.812", "1.23", "12.3", "1234"]
        );
    }
}
