//! Requests checked against their operation's row of the spec: each
//! parameter's presence, type, enum and limits, then the JSON body's schema.
//! A violation is EG's documented 400, naming the parameter or field.

use axum::{
    extract::Query,
    http::{HeaderMap, Uri},
};
use eg_client::spec::{Binding, Location, OperationSpec};
use serde_json::Value;

use crate::service::ServiceError;

/// The path parameters as the router read them, by name.
pub(crate) type PathParams = Vec<(String, String)>;

/// The value of the path parameter `name`.
pub(crate) fn path_param<'a>(path: &'a PathParams, name: &str) -> Option<&'a str> {
    path.iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// The value of the path parameter the client binds to `binding`.
pub(crate) fn bound<'a>(
    operation: &OperationSpec,
    path: &'a PathParams,
    binding: Binding,
) -> Option<&'a str> {
    let param = operation
        .params
        .iter()
        .find(|p| p.binding == Some(binding) && p.location == Location::Path)?;
    path_param(path, param.name)
}

/// Checks every path, query and header parameter of `operation` but the
/// token, which the gateway checked before.
pub(crate) fn params(
    operation: &OperationSpec,
    path: &PathParams,
    uri: &Uri,
    headers: &HeaderMap,
) -> Result<(), ServiceError> {
    let query = Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map_err(|e| ServiceError::bad_request(format!("query: {e}")))?
        .0;
    for param in operation.params {
        if param.binding == Some(Binding::AuthToken) {
            continue;
        }
        let value = match param.location {
            Location::Path => path_param(path, param.name),
            Location::Query => query
                .iter()
                .find(|(key, _)| key == param.name)
                .map(|(_, value)| value.as_str()),
            Location::Header => match headers.get(param.name) {
                Some(value) => Some(value.to_str().map_err(|_| {
                    ServiceError::bad_request(format!("{} is not visible ASCII", param.name))
                })?),
                None => None,
            },
        };
        match value {
            Some(value) => param
                .schema
                .check_text(value)
                .map_err(|v| ServiceError::bad_request(format!("{} {v}", param.name)))?,
            None if param.required => {
                return Err(ServiceError::bad_request(format!(
                    "{} is required",
                    param.name
                )));
            }
            None => {}
        }
    }
    Ok(())
}

/// Reads and checks the body when the operation takes one; `None` when it
/// takes none, or an optional one was left out.
pub(crate) fn body(operation: &OperationSpec, bytes: &[u8]) -> Result<Option<Value>, ServiceError> {
    let Some(spec) = operation.body else {
        return Ok(None);
    };
    if bytes.is_empty() && !spec.required {
        return Ok(None);
    }
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| ServiceError::bad_request(format!("request body: {e}")))?;
    spec.check(&value).map_err(|(field, violation)| {
        ServiceError::bad_request(if value.is_object() {
            format!("request body: `{field}` {violation}")
        } else {
            format!("request body {violation}")
        })
    })?;
    Ok(Some(value))
}
