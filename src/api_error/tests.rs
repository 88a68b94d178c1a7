//! The lenient reading of error bodies, on the gateway's and EG's codes.

use super::*;

#[test]
fn reads_the_gateway_codes() {
    let gateway = |status: u16, code: &str, msg: &str| {
        let body = serde_json::json!({"error_code": code, "error_msg": msg, "request_id": "g"});
        ApiError::from_response(status, None, body.to_string().as_bytes())
    };
    let e = gateway(
        401,
        "APIGW.0301",
        "Incorrect IAM authentication information: verify aksk signature fail",
    );
    assert_eq!(e.code, Some(ErrorCode::GatewayAuthFailed));
    assert!(e.is_auth_failure());
    assert!(!e.is_retryable());
    assert_eq!(
        e.to_string(),
        "HTTP 401 APIGW.0301: Incorrect IAM authentication information: verify aksk signature fail [request id g]"
    );
    let e = gateway(
        401,
        "APIGW.0301",
        "Incorrect IAM authentication information: AK access failed to reach the limit,forbidden.",
    );
    assert_eq!(e.code, Some(ErrorCode::AkLocked));
    assert_eq!(e.code.as_ref().map(ErrorCode::as_str), Some("APIGW.0301"));
    assert!(e.is_auth_failure());
    let e = gateway(
        429,
        "APIGW.0308",
        "The throttling threshold has been reached",
    );
    assert_eq!(e.code, Some(ErrorCode::Throttled));
    assert_eq!((e.is_retryable(), e.is_auth_failure()), (true, false));
    let e = gateway(413, "APIG.0201", "Request entity too large");
    assert_eq!(e.code, Some(ErrorCode::EntityTooLarge));
    assert_eq!((e.is_retryable(), e.is_auth_failure()), (false, false));
    let e = gateway(
        404,
        "APIG.0101",
        "The API does not exist or has not been published in the environment",
    );
    assert_eq!(e.code, Some(ErrorCode::ApiNotFound));
    assert_eq!((e.is_retryable(), e.is_auth_failure()), (false, false));
    let e = gateway(
        401,
        "EG.00014010",
        "Incorrect token or token resolution failed",
    );
    assert_eq!(e.code, Some(ErrorCode::Unauthorized));
    assert!(e.is_auth_failure());
    let e = gateway(403, "EG.00014030", "No permissions to request this method");
    assert!(!e.is_auth_failure());
    // A 401 without a known code (an old gateway's APIG.0301, HTML) is one too.
    let e = gateway(401, "APIG.0301", "Incorrect IAM authentication information");
    assert_eq!(e.code, Some(ErrorCode::Other("APIG.0301".into())));
    assert!(e.is_auth_failure());
    assert!(ApiError::from_response(401, None, b"<html>401</html>").is_auth_failure());
}

#[test]
fn reads_documented_body() {
    let e = ApiError::from_response(
        404,
        Some("hdr-id".into()),
        br#"{"error_code":"EG.00014040","error_msg":"Not request resource found","request_id":"body-id"}"#,
    );
    assert_eq!(e.code, Some(ErrorCode::NotFound));
    assert_eq!(e.message.as_deref(), Some("Not request resource found"));
    assert_eq!(e.request_id.as_deref(), Some("hdr-id"));
    assert_eq!(
        e.to_string(),
        "HTTP 404 EG.00014040: Not request resource found [request id hdr-id]"
    );
}

#[test]
fn falls_back_to_body_request_id_and_other_field_names() {
    let e = ApiError::from_response(
        403,
        None,
        br#"{"errorCode":"APIGW.0101","errorMsg":"denied","request_id":"b"}"#,
    );
    assert_eq!(e.code, Some(ErrorCode::Other("APIGW.0101".into())));
    assert!(!e.is_auth_failure());
    assert_eq!(e.message.as_deref(), Some("denied"));
    assert_eq!(e.request_id.as_deref(), Some("b"));
    let e = ApiError::from_response(400, None, br#"{"code":7,"message":"m"}"#);
    assert_eq!(e.code, Some(ErrorCode::Other("7".into())));
}

#[test]
fn keeps_plain_text_bodies() {
    let e = ApiError::from_response(502, Some("r".into()), b"<html>Bad Gateway</html>\n");
    assert_eq!(e.code, None);
    assert_eq!(e.message.as_deref(), Some("<html>Bad Gateway</html>"));
    assert_eq!(e.body, "<html>Bad Gateway</html>\n");
    assert!(e.is_retryable());
    let e = ApiError::from_response(501, None, b"");
    assert_eq!(e.message, None);
    assert!(!e.is_retryable());
    assert_eq!(
        e.to_string(),
        "HTTP 501: (no error message) [no request id]"
    );
}
