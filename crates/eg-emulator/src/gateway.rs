//! The API gateway in front of EG: it authenticates, locks access keys,
//! throttles, and refuses oversized bodies and unknown routes itself, with
//! its own codes and a body `{"error_msg","error_code","request_id"}` (no
//! `error_details`).
//!
//! What Huawei documents (API gateway and request-signing FAQ pages):
//!
//! | status | `error_code` | `error_msg` | when |
//! |---|---|---|---|
//! | 401 | `APIGW.0301` | `Incorrect IAM authentication information: verify aksk signature fail` | the signature does not match |
//! | 401 | `APIGW.0301` | `Incorrect IAM authentication information: Get secretKey failed,ak:<AK>,err:ak not exist` | unknown AK |
//! | 401 | `APIGW.0301` | `Incorrect IAM authentication information: decrypt token fail` | a token that cannot be parsed |
//! | 401 | `APIGW.0301` | `Incorrect IAM authentication information: AK access failed to reach the limit,forbidden.` | the AK is locked: more than 5 failures in a row (`--lockout-after`) lock it for 5 minutes (`--lockout-secs`), even for correctly signed requests |
//! | 429 | `APIGW.0308` | `The throttling threshold has been reached` | throttled |
//! | 413 | `APIG.0201` | `Request entity too large` | body over the limit |
//! | 404 | `APIG.0101` | `The API does not exist or has not been published in the environment` | unknown route |
//!
//! `X-Sdk-Date` must be within 15 minutes of the gateway's clock.
//!
//! The emulator's own choices, where the pages say nothing: other
//! authentication failures (no credentials, a malformed `Authorization`, a
//! stale date, `host` or `x-sdk-date` left unsigned) are `APIGW.0301` with
//! the prefix above and the cause in the emulator's words; 405 (`Allow:
//! <the path's methods>`) carries the 404 code and message; a malformed request head is 400,
//! an over-long URI 414 and too many or too large headers 431, all
//! `APIG.0201`, as is a request that outlives the request timeout (408).

use std::{
    collections::{BTreeMap, HashMap},
    fmt,
    sync::{
        Arc, Mutex, MutexGuard, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use axum::{
    http::{HeaderMap, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use eg_client::{ErrorCode, spec::ParamSpec, types::ErrorBody};
use eg_signer::VerifyError;
use time::OffsetDateTime;

use crate::{
    clock::Clock,
    config::{CredentialGrant, EmulatorConfig, Lockout, TokenGrant},
    error_body::error_body,
    service::{Principal, ServiceError},
};

/// Bodies larger than this are refused with 413: the real body is ~21 bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// How far a signed request's `X-Sdk-Date` may be from the emulator's clock.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);

/// An answer the gateway gives itself, before EG sees the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct GatewayError {
    pub(crate) status: StatusCode,
    pub(crate) code: ErrorCode,
    pub(crate) message: String,
}

impl GatewayError {
    /// The code's own status and message.
    fn of(code: ErrorCode) -> Self {
        let status = code
            .status()
            .and_then(|status| StatusCode::from_u16(status).ok())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let message = code.message().unwrap_or_default().to_owned();
        Self {
            status,
            code,
            message,
        }
    }

    /// The code's message with another status: the emulator's choices.
    fn with_status(code: ErrorCode, status: StatusCode) -> Self {
        Self {
            status,
            ..Self::of(code)
        }
    }

    fn auth(cause: impl fmt::Display) -> Self {
        let mut error = Self::of(ErrorCode::GatewayAuthFailed);
        error.message = format!("{}: {cause}", error.message);
        error
    }

    pub(crate) fn not_found() -> Self {
        Self::of(ErrorCode::ApiNotFound)
    }

    pub(crate) fn method_not_allowed() -> Self {
        Self::with_status(ErrorCode::ApiNotFound, StatusCode::METHOD_NOT_ALLOWED)
    }

    pub(crate) fn too_large() -> Self {
        Self::of(ErrorCode::EntityTooLarge)
    }

    pub(crate) fn throttled() -> Self {
        Self::of(ErrorCode::Throttled)
    }

    fn locked() -> Self {
        Self::of(ErrorCode::AkLocked)
    }

    pub(crate) fn timeout() -> Self {
        Self {
            message: "Request timeout".to_owned(),
            ..Self::with_status(ErrorCode::EntityTooLarge, StatusCode::REQUEST_TIMEOUT)
        }
    }

    /// What replaces hyper's own empty answers to a request head it cannot
    /// parse.
    pub(crate) fn unparsable_head(status: StatusCode) -> Self {
        let message = match status {
            StatusCode::URI_TOO_LONG => "Request URI too large",
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "Request headers too large",
            _ => "Bad request",
        };
        Self {
            message: message.to_owned(),
            ..Self::with_status(ErrorCode::EntityTooLarge, status)
        }
    }

    /// The body, built with the spec's generated type.
    pub(crate) fn body(&self, request_id: &str) -> ErrorBody {
        error_body(&self.code, &self.message, None, request_id)
    }

    pub(crate) fn into_response(self, request_id: &str) -> Response {
        tracing::info!(
            status = self.status.as_u16(),
            code = %self.code,
            message = self.message,
            request_id,
            "refused by the gateway"
        );
        (self.status, axum::Json(self.body(request_id))).into_response()
    }
}

/// Why a request did not get past the gateway.
#[derive(Debug)]
pub(crate) enum Refusal {
    Gateway(GatewayError),
    /// A header that breaks the spec's limits: EG's documented 400.
    Service(ServiceError),
}

impl From<GatewayError> for Refusal {
    fn from(error: GatewayError) -> Self {
        Self::Gateway(error)
    }
}

impl From<ServiceError> for Refusal {
    fn from(error: ServiceError) -> Self {
        Self::Service(error)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every update below leaves the map consistent, even if a thread panics.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Failed authentications in a row and the lock, per configured AK. Only
/// configured keys are tracked: an unknown AK has nothing to lock, and
/// random AKs cannot grow the table.
#[derive(Debug, Default)]
struct KeyState {
    failures: u32,
    locked_until: Option<OffsetDateTime>,
}

#[derive(Debug)]
struct Lockouts {
    policy: Lockout,
    keys: Mutex<HashMap<String, KeyState>>,
}

impl Lockouts {
    fn is_locked(&self, access_key: &str, now: OffsetDateTime) -> bool {
        let mut keys = lock(&self.keys);
        let Some(state) = keys.get_mut(access_key) else {
            return false;
        };
        match state.locked_until {
            Some(until) if now < until => true,
            Some(_) => {
                *state = KeyState::default();
                false
            }
            None => false,
        }
    }

    fn failed(&self, access_key: &str, now: OffsetDateTime) {
        let mut keys = lock(&self.keys);
        let state = keys.entry(access_key.to_owned()).or_default();
        state.failures = state.failures.saturating_add(1);
        // Huawei locks after *more than* the limit: the limit itself passes.
        if state.failures > self.policy.after.get() {
            let duration =
                time::Duration::try_from(self.policy.duration).unwrap_or(time::Duration::MAX);
            let until = now.saturating_add(duration);
            state.failures = 0;
            state.locked_until = Some(until);
            tracing::warn!(access_key, %until, "access key locked");
        }
    }

    fn succeeded(&self, access_key: &str) {
        lock(&self.keys).remove(access_key);
    }
}

/// Per-project token buckets: `rate` tokens a second, at most `rate` stored.
///
/// Only authenticated requests reach them. The map is bounded by count and
/// by an estimate of its memory; past either bound the least recently used
/// bucket is forgotten (it starts full again if its project comes back).
/// Finding it is `pop_first` on an ordered index, not a pass over the map.
#[derive(Debug)]
struct Buckets {
    rate: f64,
    max_buckets: usize,
    max_bytes: usize,
    state: Mutex<BucketMap>,
}

/// Buckets kept at most.
const MAX_BUCKETS: usize = 10_000;
/// Estimated bytes the buckets may take, project ids included: a 60 KB
/// project id counts for what it costs.
const MAX_BUCKET_BYTES: usize = 4 * 1024 * 1024;
/// What a bucket costs besides its project id: two map entries, the shared
/// id's header and the bucket itself, rounded up.
const BUCKET_OVERHEAD: usize = 128;

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: OffsetDateTime,
    /// Its key in [`BucketMap::by_use`].
    last_use: u64,
}

#[derive(Debug, Default)]
struct BucketMap {
    by_project: HashMap<Arc<str>, Bucket>,
    /// Projects by last use, oldest first.
    by_use: BTreeMap<u64, Arc<str>>,
    uses: u64,
    bytes: usize,
}

fn bucket_cost(project: &str) -> usize {
    project.len().saturating_add(BUCKET_OVERHEAD)
}

impl Buckets {
    fn new(rate: f64, max_buckets: usize, max_bytes: usize) -> Self {
        Self {
            rate,
            max_buckets,
            max_bytes,
            state: Mutex::default(),
        }
    }

    fn take(&self, project: &str, now: OffsetDateTime) -> bool {
        let rate = self.rate;
        let mut guard = lock(&self.state);
        let map = &mut *guard;
        map.uses += 1;
        let tick = map.uses;
        let bucket = match map.by_project.get_mut(project) {
            Some(bucket) => {
                if let Some(key) = map.by_use.remove(&bucket.last_use) {
                    map.by_use.insert(tick, key);
                }
                bucket.last_use = tick;
                bucket
            }
            None => {
                let cost = bucket_cost(project);
                while map.by_project.len() >= self.max_buckets
                    || map.bytes.saturating_add(cost) > self.max_bytes
                {
                    let Some((_, oldest)) = map.by_use.pop_first() else {
                        break;
                    };
                    map.by_project.remove(&oldest);
                    map.bytes = map.bytes.saturating_sub(bucket_cost(&oldest));
                }
                if map.bytes.saturating_add(cost) > self.max_bytes
                    || map.by_project.len() >= self.max_buckets
                {
                    // An id too large for the whole budget is never stored:
                    // bounded memory wins over throttling it.
                    return true;
                }
                let key: Arc<str> = Arc::from(project);
                map.by_use.insert(tick, key.clone());
                map.bytes += cost;
                map.by_project.entry(key).or_insert(Bucket {
                    tokens: rate,
                    at: now,
                    last_use: tick,
                })
            }
        };
        let tokens = (bucket.tokens + (now - bucket.at).as_seconds_f64().max(0.0) * rate).min(rate);
        let allowed = tokens >= 1.0;
        bucket.tokens = if allowed { tokens - 1.0 } else { tokens };
        bucket.at = now;
        allowed
    }

    fn len(&self) -> usize {
        lock(&self.state).by_project.len()
    }
}

/// The gateway's state: who may call, locks, buckets and counts.
#[derive(Debug)]
pub(crate) struct Gateway {
    tokens: Vec<TokenGrant>,
    credentials: Vec<CredentialGrant>,
    lockouts: Option<Lockouts>,
    buckets: Option<Buckets>,
    clock: Arc<dyn Clock>,
    auth_failures: AtomicU64,
}

impl Gateway {
    pub(crate) fn new(config: &EmulatorConfig) -> Self {
        Self {
            tokens: config.tokens.clone(),
            credentials: config.credentials.clone(),
            lockouts: config.lockout.map(|policy| Lockouts {
                policy,
                keys: Mutex::default(),
            }),
            buckets: config
                .rate_limit
                .map(|rate| Buckets::new(f64::from(rate.get()), MAX_BUCKETS, MAX_BUCKET_BYTES)),
            clock: config.clock.clone(),
            auth_failures: AtomicU64::new(0),
        }
    }

    /// Requests answered 401 so far.
    pub(crate) fn auth_failures(&self) -> u64 {
        self.auth_failures.load(Ordering::Relaxed)
    }

    /// Projects with a throttling bucket.
    pub(crate) fn throttled_projects(&self) -> usize {
        self.buckets.as_ref().map_or(0, Buckets::len)
    }

    /// Takes a token from the project's bucket, or refuses with 429. Call
    /// it only for authenticated requests: the gateway throttles tenants
    /// it knows, and strangers must not grow the map.
    pub(crate) fn throttle(&self, project: &str) -> Result<(), GatewayError> {
        match &self.buckets {
            Some(buckets) if !buckets.take(project, self.clock.now()) => {
                Err(GatewayError::throttled())
            }
            _ => Ok(()),
        }
    }

    /// Token or AK/SK, as Huawei's gateway accepts either; `Authorization`
    /// wins when both are sent.
    pub(crate) fn authenticate(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
        token: Option<&ParamSpec>,
    ) -> Result<Principal<'_>, Refusal> {
        let result = if headers.contains_key(header::AUTHORIZATION) {
            self.authenticate_signature(method, uri, headers, body)
        } else {
            self.authenticate_token(headers, token)
        };
        if let Err(Refusal::Gateway(error)) = &result
            && error.status == StatusCode::UNAUTHORIZED
        {
            self.auth_failures.fetch_add(1, Ordering::Relaxed);
        }
        result
    }

    /// `spec` is the operation's token parameter: its limits are EG's 400.
    fn authenticate_token(
        &self,
        headers: &HeaderMap,
        spec: Option<&ParamSpec>,
    ) -> Result<Principal<'_>, Refusal> {
        let Some(token) = headers.get("x-auth-token") else {
            return Err(
                GatewayError::auth("neither X-Auth-Token nor Authorization was sent").into(),
            );
        };
        let token = token
            .to_str()
            .map_err(|_| ServiceError::bad_request("X-Auth-Token is not visible ASCII"))?;
        if let Some(spec) = spec {
            spec.schema
                .check_text(token)
                .map_err(|v| ServiceError::bad_request(format!("{} {v}", spec.name)))?;
        }
        self.tokens
            .iter()
            .find(|grant| grant.token == token)
            .map(Principal::Token)
            .ok_or_else(|| GatewayError::auth("decrypt token fail").into())
    }

    fn authenticate_signature(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Principal<'_>, Refusal> {
        let authorization = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .ok_or_else(|| {
                GatewayError::auth(VerifyError::MalformedAuthorization(
                    "not visible ASCII".to_owned(),
                ))
            })?;
        let access_key = eg_signer::parse_authorization(authorization)
            .map_err(GatewayError::auth)?
            .access_key;
        let Some(grant) = self
            .credentials
            .iter()
            .find(|grant| grant.access_key == access_key)
        else {
            return Err(GatewayError::auth(format!(
                "Get secretKey failed,ak:{access_key},err:ak not exist"
            ))
            .into());
        };
        let now = self.clock.now();
        if let Some(lockouts) = &self.lockouts
            && lockouts.is_locked(&access_key, now)
        {
            return Err(GatewayError::locked().into());
        }
        let verified = eg_signer::verify(method, uri, headers, body, now, MAX_CLOCK_SKEW, |_| {
            Some(grant.secret_key.clone())
        });
        match verified {
            Ok(_) => {
                if let Some(lockouts) = &self.lockouts {
                    lockouts.succeeded(&access_key);
                }
                Ok(Principal::Key(grant))
            }
            Err(error) => {
                if let Some(lockouts) = &self.lockouts {
                    lockouts.failed(&access_key, now);
                }
                Err(GatewayError::auth(match error {
                    VerifyError::SignatureMismatch => "verify aksk signature fail".to_owned(),
                    other => other.to_string(),
                })
                .into())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const NOW: OffsetDateTime = datetime!(2024-01-02 03:04:05 UTC);

    fn keys(buckets: &Buckets) -> Vec<String> {
        let map = lock(&buckets.state);
        let mut keys: Vec<String> = map.by_project.keys().map(|k| k.to_string()).collect();
        keys.sort();
        assert_eq!(map.by_use.len(), keys.len(), "the index matches the map");
        keys
    }

    /// Issue 18, defect 4: the map was bounded by count only, and only
    /// when full buckets could be forgotten.
    #[test]
    fn buckets_stay_within_their_count_and_their_bytes() {
        // Short ids: the count binds.
        let buckets = Buckets::new(1.0, 50, 1 << 20);
        for i in 0..1_000 {
            assert!(buckets.take(&format!("p{i:04}"), NOW));
        }
        assert_eq!(buckets.len(), 50);
        assert_eq!(lock(&buckets.state).bytes, 50 * (5 + BUCKET_OVERHEAD));
        // Long ids: the bytes bind (100,000 / 1,128 = 88.6).
        let buckets = Buckets::new(1.0, 10_000, 100_000);
        for i in 0..1_000 {
            assert!(buckets.take(&format!("{i:04}{}", "x".repeat(996)), NOW));
        }
        assert_eq!(buckets.len(), 88);
        assert_eq!(lock(&buckets.state).bytes, 88 * 1_128);
        // The real bounds, with 60 KB ids: 4 MiB / 60,128 = 69.8.
        let buckets = Buckets::new(1.0, MAX_BUCKETS, MAX_BUCKET_BYTES);
        for i in 0..200 {
            assert!(buckets.take(&format!("{i:04}{}", "x".repeat(59_996)), NOW));
        }
        assert_eq!(buckets.len(), 69);
        // An id larger than the whole budget is never stored.
        let buckets = Buckets::new(1.0, 10, 1_000);
        assert!(buckets.take(&"x".repeat(2_000), NOW));
        assert!(buckets.take(&"x".repeat(2_000), NOW));
        assert_eq!(buckets.len(), 0);
    }

    /// Eviction takes the least recently used bucket and only it, however
    /// large the map: the old code dropped every full bucket in one pass.
    #[test]
    fn eviction_forgets_the_least_recently_used_bucket_only() {
        let buckets = Buckets::new(1.0, 3, 1 << 20);
        for project in ["a", "b", "c"] {
            assert!(buckets.take(project, NOW));
        }
        // `a` used again: `b` is now the oldest.
        assert!(!buckets.take("a", NOW));
        assert!(buckets.take("d", NOW));
        assert_eq!(keys(&buckets), ["a", "c", "d"]);
        // `a` kept its state (empty), `b` starts full again.
        assert!(!buckets.take("a", NOW));
        assert!(buckets.take("b", NOW));
        assert_eq!(keys(&buckets), ["a", "b", "d"]);

        // A full map of full buckets loses exactly one per new project.
        let buckets = Buckets::new(1.0, MAX_BUCKETS, MAX_BUCKET_BYTES);
        for i in 0..MAX_BUCKETS {
            assert!(buckets.take(&format!("p{i}"), NOW));
        }
        let later = NOW + time::Duration::seconds(60);
        assert!(buckets.take("new", later));
        assert_eq!(buckets.len(), MAX_BUCKETS);
        let kept = keys(&buckets);
        assert!(!kept.contains(&"p0".to_owned()));
        assert!(kept.contains(&"p1".to_owned()) && kept.contains(&"new".to_owned()));
    }

    #[test]
    fn a_bucket_refills_at_its_rate_up_to_its_burst() {
        let buckets = Buckets::new(2.0, 10, 1 << 20);
        assert!(buckets.take("p", NOW));
        assert!(buckets.take("p", NOW));
        assert!(!buckets.take("p", NOW));
        assert!(buckets.take("p", NOW + time::Duration::milliseconds(500)));
        assert!(!buckets.take("p", NOW + time::Duration::milliseconds(500)));
        let later = NOW + time::Duration::seconds(60);
        assert!(buckets.take("p", later));
        assert!(buckets.take("p", later));
        assert!(!buckets.take("p", later));
    }
}
