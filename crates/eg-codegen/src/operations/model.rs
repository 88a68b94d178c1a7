//! What the builder of one operation is made from: its parameters, body
//! and success, read from the spec with progenitor's types.

use heck::ToSnakeCase;
use openapiv3::{OpenAPI, Parameter, ReferenceOr};
use quote::format_ident;

use crate::openapi::{AUTH_TOKEN, PROJECT_ID, is_plain_string, resolve_body, resolve_parameter};
use crate::progenitor_output::{ProgenitorBuilder, field_type, generic_arg};

/// Where a parameter goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Path,
    Query,
    Header,
}

/// One parameter of one operation, as the builder sees it.
pub(crate) struct Param {
    /// The spec's name: a header's or query key's wire name.
    pub(crate) name: String,
    /// The builder field and setter.
    pub(crate) field: syn::Ident,
    pub(crate) place: Place,
    pub(crate) required: bool,
    /// The type, from progenitor's builder field.
    pub(crate) ty: syn::Type,
    /// A plain string: passed as `&str` without formatting.
    pub(crate) is_str: bool,
    pub(crate) description: Option<String>,
}

/// What `send` reads on success.
pub(crate) enum Success {
    /// JSON of this type, on one of these statuses.
    Json(Box<syn::Type>, Vec<u16>),
    /// No body, on one of these statuses: `Response<()>`.
    Empty(Vec<u16>),
}

/// The request body: its builder field's type, and the final type when the
/// field holds a `types::builder::*`.
pub(crate) struct Body {
    pub(crate) field_ty: syn::Type,
    pub(crate) built: Option<syn::Type>,
}

pub(crate) struct Operation<'a> {
    pub(crate) id: &'a str,
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) summary: Option<&'a str>,
    pub(crate) struct_ident: syn::Ident,
    pub(crate) method_ident: syn::Ident,
    pub(crate) params: Vec<Param>,
    pub(crate) body: Option<Body>,
    pub(crate) success: Success,
}

pub(crate) fn params(
    spec: &OpenAPI,
    id: &str,
    shared: &[ReferenceOr<Parameter>],
    own: &[ReferenceOr<Parameter>],
    builder: &ProgenitorBuilder,
) -> Result<Vec<Param>, String> {
    let mut out: Vec<Param> = Vec::new();
    for p in shared.iter().chain(own) {
        let p = resolve_parameter(spec, p)?;
        let (data, place) = match p {
            Parameter::Path { parameter_data, .. } => (parameter_data, Place::Path),
            Parameter::Query { parameter_data, .. } => (parameter_data, Place::Query),
            Parameter::Header { parameter_data, .. } => (parameter_data, Place::Header),
            Parameter::Cookie { parameter_data, .. } => {
                return Err(format!(
                    "operation {id}: cookie parameter {} is not supported",
                    parameter_data.name
                ));
            }
        };
        if (place == Place::Path && data.name == PROJECT_ID)
            || (place == Place::Header && data.name.eq_ignore_ascii_case(AUTH_TOKEN))
        {
            continue;
        }
        let field = data.name.to_snake_case();
        let ty = builder
            .fields
            .get(&field)
            .and_then(field_type)
            .ok_or_else(|| {
                format!(
                    "operation {id}: progenitor's builder has no field {field} for parameter {}",
                    data.name
                )
            })?;
        // An operation's own parameter replaces a path item's of that name.
        out.retain(|q: &Param| !(q.name == data.name && q.place == place));
        out.push(Param {
            name: data.name.clone(),
            field: format_ident!("{}", field),
            place,
            required: data.required || place == Place::Path,
            ty,
            is_str: is_plain_string(spec, data),
            description: data.description.clone(),
        });
    }
    Ok(out)
}

pub(crate) fn body(
    spec: &OpenAPI,
    id: &str,
    operation: &openapiv3::Operation,
    builder: &ProgenitorBuilder,
) -> Result<Option<Body>, String> {
    if resolve_body(spec, id, operation)?.is_none() {
        return Ok(None);
    }
    let field_ty = builder
        .fields
        .get("body")
        .and_then(|ty| generic_arg(ty, "Result"))
        .ok_or_else(|| format!("operation {id}: progenitor's builder has no body field"))?;
    // `types::builder::X` builds `types::X`.
    let built = match &field_ty {
        syn::Type::Path(p) => {
            let names: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            match names.as_slice() {
                [types, builder, name] if types == "types" && builder == "builder" => {
                    let name = format_ident!("{}", name);
                    Some(syn::parse_quote!(types::#name))
                }
                _ => None,
            }
        }
        _ => None,
    };
    Ok(Some(Body { field_ty, built }))
}

pub(crate) fn success(
    id: &str,
    operation: &openapiv3::Operation,
    builder: &ProgenitorBuilder,
) -> Result<Success, String> {
    let mut json = Vec::new();
    let mut empty = Vec::new();
    for (status, response) in &operation.responses.responses {
        let openapiv3::StatusCode::Code(code) = status else {
            continue;
        };
        if !(200..300).contains(code) {
            continue;
        }
        let has_body = match response {
            ReferenceOr::Item(r) => !r.content.is_empty(),
            ReferenceOr::Reference { .. } => true,
        };
        if has_body {
            json.push(*code);
        } else {
            empty.push(*code);
        }
    }
    match (json.is_empty(), empty.is_empty()) {
        (false, true) => {
            let ty = builder
                .success
                .clone()
                .ok_or_else(|| format!("operation {id}: progenitor's send has no success type"))?;
            Ok(Success::Json(Box::new(ty), json))
        }
        (true, false) => Ok(Success::Empty(empty)),
        (true, true) => Err(format!("operation {id}: no 2xx response documented")),
        (false, false) => Err(format!(
            "operation {id}: 2xx responses with and without a body are not supported"
        )),
    }
}
