//! How requests prove who sends them.

use std::fmt;

use crate::{Error, generated::types::ResumeEventStreamingXAuthToken};

/// An IAM user token, sent as `X-Auth-Token`. Checked against the spec's
/// length limits (1..=16384) when created; never shown by `Debug`.
#[derive(Clone)]
pub struct Token(pub(crate) ResumeEventStreamingXAuthToken);

impl Token {
    /// Wraps a token, refusing one the spec does not allow.
    pub fn new(token: impl Into<String>) -> Result<Self, Error> {
        ResumeEventStreamingXAuthToken::try_from(token.into())
            .map(Self)
            .map_err(|e| Error::InvalidArgument {
                field: "X-Auth-Token",
                reason: e.to_string(),
            })
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// The credentials a client authenticates with.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Credentials {
    /// An IAM user token (`X-Auth-Token`).
    Token(Token),
}

impl Credentials {
    /// Token credentials, checked against the spec.
    pub fn token(token: impl Into<String>) -> Result<Self, Error> {
        Token::new(token).map(Self::Token)
    }
}
