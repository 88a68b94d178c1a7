//! When and how long to wait before sending a request again.
//!
//! START and PAUSE set a state rather than toggle it, so sending one again
//! after a lost answer is safe: that is why the client retries by default.

use std::time::Duration;

/// Retry policy: exponential backoff with full jitter, as the AWS SDKs'
/// standard mode. Retried: connection errors, timeouts, 429, 5xx but 501.
/// A `Retry-After` header (in seconds) replaces the computed delay.
///
/// Built from [`RetryConfig::default`] (3 attempts, 200 ms, 20 s) or
/// [`RetryConfig::disabled`], then the `with_*` setters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// How many times a request is sent at most, the first time included.
    max_attempts: u32,
    /// The backoff ceiling of the first retry; doubled for each later one.
    base_delay: Duration,
    /// No wait is longer than this, `Retry-After` included.
    max_delay: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(20),
        }
    }
}

impl RetryConfig {
    /// Send every request once only.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// At most `max_attempts` sends, the first included (at least 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// The backoff ceiling of the first retry; doubled for each later one.
    pub fn with_base_delay(mut self, base_delay: Duration) -> Self {
        self.base_delay = base_delay;
        self
    }

    /// The longest wait between two sends, `Retry-After` included.
    pub fn with_max_delay(mut self, max_delay: Duration) -> Self {
        self.max_delay = max_delay;
        self
    }

    /// How many times a request is sent at most, the first time included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff ceiling of the first retry.
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }

    /// The longest wait between two sends.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The wait before retry number `retry` (1 for the first retry): a
    /// uniformly random duration up to `min(max_delay, base_delay * 2^(retry-1))`,
    /// or `retry_after` when the server gave one.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.max_delay);
        }
        let ceiling = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)))
            .min(self.max_delay);
        ceiling.mul_f64(rand::random::<f64>())
    }
}

/// Reads a `Retry-After` header given in seconds (the form EG's gateway uses).
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// The statuses that a retry may cure.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..600).contains(&status) && status != 501
}

/// A transport error worth retrying: no answer came back at all, and not
/// because the server's certificate was refused (that fails the same way
/// every time).
pub(crate) fn is_retryable_transport(error: &reqwest::Error) -> bool {
    (error.is_timeout() || error.is_connect() || error.is_request() || error.is_body())
        && !is_certificate_error(error)
}

/// Whether a TLS certificate check failed anywhere in the error's chain.
fn is_certificate_error(error: &reqwest::Error) -> bool {
    chain_has_certificate_error(error)
}

/// rustls' error sits inside `io::Error`s (hyper nests two), whose
/// `source()` skips the error they wrap: each one is opened with `get_ref`.
fn chain_has_certificate_error(error: &(dyn std::error::Error + 'static)) -> bool {
    use rustls::AlertDescription as Alert;
    if let Some(tls) = error.downcast_ref::<rustls::Error>() {
        return matches!(
            tls,
            rustls::Error::InvalidCertificate(_)
                | rustls::Error::NoCertificatesPresented
                | rustls::Error::InvalidCertRevocationList(_)
                | rustls::Error::AlertReceived(
                    Alert::BadCertificate
                        | Alert::UnknownCA
                        | Alert::CertificateExpired
                        | Alert::CertificateRevoked
                        | Alert::CertificateUnknown
                        | Alert::UnsupportedCertificate
                )
        );
    }
    let wrapped = error
        .downcast_ref::<std::io::Error>()
        .and_then(std::io::Error::get_ref);
    if let Some(inner) = wrapped
        && chain_has_certificate_error(inner)
    {
        return true;
    }
    error.source().is_some_and(chain_has_certificate_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retryable_statuses() {
        let retryable: Vec<u16> = (400..600).filter(|s| is_retryable_status(*s)).collect();
        let mut expected = vec![429];
        expected.extend((500..600).filter(|s| *s != 501));
        assert_eq!(retryable, expected);
    }

    #[test]
    fn backoff_stays_under_the_doubling_ceiling() {
        let config = RetryConfig {
            max_attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
        };
        for _ in 0..200 {
            assert!(config.delay(1, None) <= Duration::from_millis(100));
            assert!(config.delay(2, None) <= Duration::from_millis(200));
            assert!(config.delay(3, None) <= Duration::from_millis(350));
            assert!(config.delay(40, None) <= Duration::from_millis(350));
        }
        assert_eq!(
            config.delay(1, Some(Duration::from_millis(300))),
            Duration::from_millis(300)
        );
        assert_eq!(
            config.delay(1, Some(Duration::from_secs(9))),
            Duration::from_millis(350)
        );
    }

    #[test]
    fn reads_retry_after_seconds_only() {
        let mut headers = reqwest::header::HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(
            reqwest::header::RETRY_AFTER,
            " 2 ".parse().expect("valid header"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(2)));
        headers.insert(
            reqwest::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT"
                .parse()
                .expect("valid header"),
        );
        assert_eq!(retry_after(&headers), None);
    }
}
