//! The flags of `eg streaming <operation>` that belong to eg itself, not to
//! the spec: where to send, how to authenticate, how fast, what to print.

use std::{path::PathBuf, time::Duration};

use clap::{Args, ValueEnum};

/// eg's own flags of every `eg streaming` subcommand.
#[derive(Args, Debug, Clone)]
pub struct OperateArgs {
    /// Event streaming ids.
    #[arg(value_name = "ID", required_unless_present = "ids_from")]
    pub ids: Vec<String>,
    /// Read ids from FILE, or stdin with `-`: one per line (`\n`, `\r\n` or
    /// `\r`), a leading byte-order mark, blank lines and `#` comments ignored.
    #[arg(long, value_name = "FILE")]
    pub ids_from: Option<PathBuf>,
    /// Project id [default: from the credentials or HUAWEICLOUD_SDK_PROJECT_ID].
    #[arg(long, value_name = "ID")]
    pub project_id: Option<String>,
    /// Region, e.g. cn-north-4; `HUAWEICLOUD_SDK_REGION_EG_<REGION>` overrides
    /// its endpoint.
    #[arg(long, env = "EG_REGION", hide_env_values = true)]
    pub region: Option<String>,
    /// Endpoint URL, e.g. http://127.0.0.1:8080; wins over --region.
    #[arg(long, env = "EG_ENDPOINT", value_name = "URL", hide_env_values = true)]
    pub endpoint: Option<String>,
    /// IAM token sent as X-Auth-Token instead of AK/SK signing. Prefer
    /// EG_TOKEN: arguments are visible to other users in `ps`.
    #[arg(long, env = "EG_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub output: Format,
    /// Requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Start at most N requests per second across the run (e.g. 20, or 0.5
    /// for one every 2 s; 0.001 to 100000), to stay under the gateway's
    /// throttle. Retries are not counted [default: no limit].
    #[arg(long, value_name = "N", value_parser = rate)]
    pub rate: Option<f64>,
    /// Time allowed for each attempt, in seconds (0.001 to 86400).
    #[arg(long, value_name = "SECONDS", default_value = "60", value_parser = seconds)]
    pub timeout: Duration,
    /// Times each request is sent at most, the first included (1: no retry).
    /// Only connection errors, timeouts, 429 and 5xx are retried.
    #[arg(long, value_name = "N", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(1..=10))]
    pub retries: u32,
    /// Print the signed HTTP request(s), secrets redacted, and send nothing
    /// (--output does not apply).
    #[arg(long)]
    pub dry_run: bool,
    /// No progress bar and no summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--output`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Columns ID, RESULT, STATUS, REQUEST ID, ERROR, of fixed widths, in
    /// input order.
    Table,
    /// One JSON document with every result, in input order, and a summary.
    Json,
    /// One JSON result object per line, written as each id finishes.
    Jsonl,
}

/// `--timeout`: from 1 ms, below which no answer can come, to a day.
fn seconds(value: &str) -> Result<Duration, String> {
    match value.parse::<f64>() {
        Ok(s) if (0.001..=86_400.0).contains(&s) => Ok(Duration::from_secs_f64(s)),
        _ => Err("expected a number of seconds from 0.001 to 86400".into()),
    }
}

/// `--rate`: from one request every 1000 s to 100,000 a second; the pacer's
/// period, 1/rate, must be a duration.
fn rate(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(r) if (0.001..=100_000.0).contains(&r) => Ok(r),
        _ => Err("expected a number of requests per second from 0.001 to 100000".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts() {
        assert_eq!(seconds("2.5"), Ok(Duration::from_millis(2500)));
        assert_eq!(seconds("0.001"), Ok(Duration::from_millis(1)));
        assert_eq!(seconds("86400"), Ok(Duration::from_secs(86_400)));
        for bad in ["0", "1e-300", "0.0009", "86400.5", "inf", "NaN", "soon"] {
            assert_eq!(
                seconds(bad),
                Err("expected a number of seconds from 0.001 to 86400".to_owned()),
                "{bad}"
            );
        }
    }

    #[test]
    fn rates() {
        assert_eq!(rate("0.5"), Ok(0.5));
        assert_eq!(rate("20"), Ok(20.0));
        assert_eq!(rate("0.001"), Ok(0.001));
        for bad in ["0", "1e-20", "-1", "100001", "inf", "NaN", "fast"] {
            assert_eq!(
                rate(bad),
                Err("expected a number of requests per second from 0.001 to 100000".to_owned()),
                "{bad}"
            );
        }
    }
}
