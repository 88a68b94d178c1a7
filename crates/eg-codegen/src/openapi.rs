//! Reading the spec: `$ref`s resolved, the operations listed, the bound
//! parameters named, the type renames it asks for.

use heck::ToUpperCamelCase;
use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Schema, SchemaKind,
};

/// The path parameter the client binds.
pub(crate) const PROJECT_ID: &str = "project_id";
/// The header the runtime sends from token credentials.
pub(crate) const AUTH_TOKEN: &str = "x-auth-token";

/// The renames the spec asks for: its `x-rust-types` table, and each
/// parameter's `x-rust-type` (progenitor's name of an inline parameter
/// type: operation id and parameter name, in Pascal case).
pub(crate) fn type_names(spec: &OpenAPI) -> Vec<(String, String)> {
    let mut names = Vec::new();
    // The document's own table, `x-rust-types: {GeneratedName: Name}`.
    if let Some(serde_json::Value::Object(table)) = spec.extensions.get("x-rust-types") {
        for (generated, named) in table {
            if let serde_json::Value::String(named) = named {
                names.push((generated.clone(), named.clone()));
            }
        }
    }
    for (_, item) in spec.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (_, operation) in item.iter() {
            let Some(id) = operation.operation_id.as_deref() else {
                continue;
            };
            for p in item.parameters.iter().chain(&operation.parameters) {
                let Ok(p) = resolve_parameter(spec, p) else {
                    continue;
                };
                let data = p.parameter_data_ref();
                if let Some(serde_json::Value::String(named)) = data.extensions.get("x-rust-type") {
                    let generated = format!("{id}-{}", data.name).to_upper_camel_case();
                    names.push((generated, named.clone()));
                }
            }
        }
    }
    names
}

/// A parameter, its `$ref` resolved.
pub(crate) fn resolve_parameter<'a>(
    spec: &'a OpenAPI,
    p: &'a ReferenceOr<Parameter>,
) -> Result<&'a Parameter, String> {
    match p {
        ReferenceOr::Item(p) => Ok(p),
        ReferenceOr::Reference { reference } => {
            let name = reference
                .strip_prefix("#/components/parameters/")
                .ok_or_else(|| {
                    format!("parameter $ref {reference} is not under #/components/parameters/")
                })?;
            match spec
                .components
                .as_ref()
                .and_then(|c| c.parameters.get(name))
            {
                Some(ReferenceOr::Item(p)) => Ok(p),
                _ => Err(format!("parameter $ref {reference} does not resolve")),
            }
        }
    }
}

/// A schema, its chain of `$ref`s followed.
pub(crate) fn resolve_schema<'a>(
    spec: &'a OpenAPI,
    mut schema: &'a ReferenceOr<Schema>,
) -> Option<&'a Schema> {
    // A chain of $refs is followed, at most as long as there are schemas.
    let limit = spec.components.as_ref().map_or(0, |c| c.schemas.len());
    for _ in 0..=limit {
        match schema {
            ReferenceOr::Item(s) => return Some(s),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/schemas/")?;
                schema = spec.components.as_ref()?.schemas.get(name)?;
            }
        }
    }
    None
}

/// Whether a parameter's schema is a plain string (no enum, no format).
pub(crate) fn is_plain_string(spec: &OpenAPI, data: &openapiv3::ParameterData) -> bool {
    let ParameterSchemaOrContent::Schema(schema) = &data.format else {
        return false;
    };
    match resolve_schema(spec, schema).map(|s| &s.schema_kind) {
        Some(SchemaKind::Type(openapiv3::Type::String(s))) => {
            s.enumeration.is_empty()
                && matches!(s.format, openapiv3::VariantOrUnknownOrEmpty::Empty)
        }
        _ => false,
    }
}

/// An operation's request body, its `$ref` resolved; only JSON bodies.
pub(crate) fn resolve_body<'a>(
    spec: &'a OpenAPI,
    id: &str,
    operation: &'a openapiv3::Operation,
) -> Result<Option<&'a RequestBody>, String> {
    let Some(body) = &operation.request_body else {
        return Ok(None);
    };
    let body = match body {
        ReferenceOr::Item(b) => b,
        ReferenceOr::Reference { reference } => {
            let name = reference
                .strip_prefix("#/components/requestBodies/")
                .unwrap_or(reference);
            match spec
                .components
                .as_ref()
                .and_then(|c| c.request_bodies.get(name))
            {
                Some(ReferenceOr::Item(b)) => b,
                _ => {
                    return Err(format!(
                        "operation {id}: request body $ref {reference} does not resolve"
                    ));
                }
            }
        }
    };
    if body.content.keys().any(|k| k != "application/json") {
        return Err(format!(
            "operation {id}: only application/json request bodies are supported"
        ));
    }
    Ok(Some(body))
}

/// Every operation of the spec in spec order: path, method, operation.
pub(crate) fn operations(
    spec: &OpenAPI,
) -> Result<Vec<(&str, &str, &openapiv3::Operation)>, String> {
    let mut out = Vec::new();
    for (path, item) in spec.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            return Err(format!("path {path}: a $ref path item is not supported"));
        };
        for (method, operation) in item.iter() {
            out.push((path.as_str(), method, operation));
        }
    }
    Ok(out)
}

/// An operation's `operationId`, which every operation must have.
pub(crate) fn operation_id<'a>(
    path: &str,
    method: &str,
    operation: &'a openapiv3::Operation,
) -> Result<&'a str, String> {
    operation
        .operation_id
        .as_deref()
        .ok_or_else(|| format!("{method} {path}: no operationId"))
}

/// The component schema a `#/components/schemas/` reference names.
pub(crate) fn resolve_schema_ref<'a>(spec: &'a OpenAPI, reference: &str) -> Option<&'a Schema> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    resolve_schema(spec, spec.components.as_ref()?.schemas.get(name)?)
}
