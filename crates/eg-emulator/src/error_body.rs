//! Error bodies, built with the spec's generated `ErrorBody`: each field is
//! cut to what its generated type accepts, so the emulator never breaks its
//! own spec and writes no limit of its own.

use std::str::FromStr;

use eg_client::{ErrorCode, types::ErrorBody};

/// The body of a refusal; `details` is `None` for the gateway, which sends
/// no `error_details`.
pub(crate) fn error_body(
    code: &ErrorCode,
    message: &str,
    details: Option<&str>,
    request_id: &str,
) -> ErrorBody {
    ErrorBody {
        error_code: clip(code.as_str()),
        error_msg: clip(message),
        error_details: details.and_then(clip),
        request_id: clip(request_id),
    }
}

/// The longest prefix of `text` that `T` accepts, `None` when none does.
/// The generated types refuse by length in characters, so whether a prefix
/// is accepted only changes once as it grows: a binary search finds it.
fn clip<T: FromStr>(text: &str) -> Option<T> {
    if let Ok(whole) = text.parse() {
        return Some(whole);
    }
    let ends: Vec<usize> = text
        .char_indices()
        .map(|(at, _)| at)
        .skip(1)
        .chain(std::iter::once(text.len()))
        .collect();
    // Invariant: ends[..low] are accepted or unknown, ends[high..] refused.
    let (mut low, mut high) = (0, ends.len());
    let mut best = None;
    while low < high {
        let middle = low + (high - low) / 2;
        match text[..ends[middle]].parse() {
            Ok(value) => {
                best = Some(value);
                low = middle + 1;
            }
            Err(_) => high = middle,
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use eg_client::types::{ErrorBodyErrorDetails, ErrorBodyErrorMsg};

    use super::*;

    #[test]
    fn fields_are_cut_to_their_generated_limits() {
        let message: Option<ErrorBodyErrorMsg> = clip(&"é".repeat(600));
        assert_eq!(message.map(|m| m.chars().count()), Some(512));
        let details: Option<ErrorBodyErrorDetails> = clip(&"x".repeat(1024));
        assert_eq!(details.map(|d| d.len()), Some(1024));
        let empty: Option<ErrorBodyErrorMsg> = clip("");
        assert_eq!(empty, None);
        let body = error_body(&ErrorCode::NotFound, "m", Some(""), &"r".repeat(200));
        assert_eq!(
            body.error_code.as_deref().map(String::as_str),
            Some(ErrorCode::NotFound.as_str())
        );
        assert_eq!(body.error_details, None);
        assert_eq!(body.request_id.map(|r| r.len()), Some(128));
    }
}
