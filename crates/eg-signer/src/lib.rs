//! Huawei Cloud `SDK-HMAC-SHA256` request signing (client side) and verification
//! (emulator side), byte-compatible with the official SDK signers.
//!
//! Canonicalisation follows the official Python signer (`huaweicloudsdkcore`):
//! - The path is percent-decoded once (invalid UTF-8 becomes U+FFFD, like Python's
//!   `unquote`) *before* splitting on `/`, so an encoded slash splits the segment:
//!   `/a%2Fb` canonicalises to `/a/b/`, exactly like `/a/b`.
//! - The query is decoded as `application/x-www-form-urlencoded` (`+` is a space),
//!   which is how the official SDKs (and reqwest's `.query()`) put parameters on
//!   the wire; a literal plus travels as `%2B`.
//! - A header listed several times is signed as its values joined with `,`.

//!
//! Modules: the credential (`credential`), the canonical request and its
//! pieces (`canonical`), the fast signing path (`signing`) and the gateway's
//! verification (`verify`); everything public is re-exported here.

mod canonical;
mod credential;
mod signing;
mod verify;

pub use canonical::{
    body_sha256, canonical_query, canonical_request, canonical_uri, format_date, parse_date,
    signature, string_to_sign,
};
pub use credential::{Credential, SecretKey};
pub use signing::{SignError, sign};
pub use verify::{Authorization, Verified, VerifyError, parse_authorization, verify};

/// The algorithm name at the start of the `Authorization` header and the string to sign.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
/// Header carrying the signing time (`YYYYMMDDTHHMMSSZ`, UTC).
pub const DATE_HEADER: &str = "x-sdk-date";
/// Header carrying the security token of temporary credentials.
pub const SECURITY_TOKEN_HEADER: &str = "x-security-token";
/// Header carrying the project id.
pub const PROJECT_ID_HEADER: &str = "x-project-id";
