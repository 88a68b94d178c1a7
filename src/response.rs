//! The answer of a successful call: the body of the spec's success type,
//! and what the HTTP exchange says about it.

use std::ops::Deref;

use reqwest::header::HeaderMap;

/// What a successful call returns: the body (`T`, `()` for an operation
/// whose success has no body), its status, the `X-Request-Id`, the number
/// of attempts and the response headers. Derefs to the body.
#[derive(Clone, Debug)]
pub struct Response<T> {
    pub(crate) inner: T,
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) attempts: u32,
    pub(crate) headers: HeaderMap,
}

impl<T> Response<T> {
    /// The body, by value.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The HTTP status (one the spec documents as a success).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `X-Request-Id` response header, for Huawei support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How many times the request was sent.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The response headers of the last attempt.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T: PartialEq> PartialEq for Response<T> {
    /// Body, status, request id and attempts; headers are not compared
    /// (each answer has its own date).
    fn eq(&self, other: &Self) -> bool {
        (self.inner == other.inner)
            && (self.status, &self.request_id, self.attempts)
                == (other.status, &other.request_id, other.attempts)
    }
}
