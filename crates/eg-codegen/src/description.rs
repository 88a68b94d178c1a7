//! The spec as data: the generated `spec::OPERATIONS` table that
//! `eg-client`'s `spec` module describes, one row per operation.
//!
//! Every part that follows the spec without being a client (the emulator's
//! routes and checks, the CLI's subcommands and flags) reads this table, so
//! it carries everything the spec says of a request: the method, the path
//! template, each parameter with its schema and whether the client binds
//! it, the body's fields, and the documented statuses.

use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema,
    SchemaKind, StatusCode, Type,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::openapi::{
    AUTH_TOKEN, PROJECT_ID, resolve_body, resolve_parameter, resolve_schema, resolve_schema_ref,
};

/// The `spec` module: `OPERATIONS` and one constant per operation, which
/// the builders name as their `SPEC`. `spec` is the path of the hand-written
/// description types.
pub(crate) fn generate(spec: &OpenAPI, types: &TokenStream) -> Result<TokenStream, String> {
    let mut consts = Vec::new();
    let mut names = Vec::new();
    for (path, method, operation) in crate::openapi::operations(spec)? {
        let id = crate::openapi::operation_id(path, method, operation)?;
        let name = const_name(id);
        let row = row(spec, path, method, operation, id)?;
        let doc = format!(" `{} {path}` ({id}).", method.to_uppercase());
        consts.push(quote! {
            #[doc = #doc]
            pub const #name: OperationSpec = #row;
        });
        names.push(name);
    }
    Ok(quote! {
        /// The spec as data: every operation with its parameters, body
        /// fields and limits (described by `eg_client::spec`).
        pub mod spec {
            #[allow(unused_imports)]
            use #types::{Binding, BodySpec, FieldSpec, Kind, Location, OperationSpec, ParamSpec, Scalar};
            /// Every operation of the spec, in spec order.
            pub static OPERATIONS: &[OperationSpec] = &[#(#names),*];
            #(#consts)*
        }
    })
}

/// The constant naming one operation's row: `RESUME_EVENT_STREAMING`.
pub(crate) fn const_name(id: &str) -> syn::Ident {
    use heck::ToShoutySnakeCase;
    format_ident!("{}", id.to_shouty_snake_case())
}

fn row(
    spec: &OpenAPI,
    path: &str,
    method: &str,
    operation: &openapiv3::Operation,
    id: &str,
) -> Result<TokenStream, String> {
    let item = match spec.paths.paths.get(path) {
        Some(ReferenceOr::Item(item)) => item,
        _ => return Err(format!("path {path}: not a path item")),
    };
    let mut params: Vec<(String, TokenStream)> = Vec::new();
    for p in item.parameters.iter().chain(&operation.parameters) {
        let p = resolve_parameter(spec, p)?;
        let (data, location) = match p {
            Parameter::Path { parameter_data, .. } => (parameter_data, quote!(Path)),
            Parameter::Query { parameter_data, .. } => (parameter_data, quote!(Query)),
            Parameter::Header { parameter_data, .. } => (parameter_data, quote!(Header)),
            Parameter::Cookie { parameter_data, .. } => {
                return Err(format!(
                    "operation {id}: cookie parameter {} is not supported",
                    parameter_data.name
                ));
            }
        };
        let is_path = matches!(p, Parameter::Path { .. });
        let binding = if is_path && data.name == PROJECT_ID {
            quote!(Some(Binding::ProjectId))
        } else if matches!(p, Parameter::Header { .. })
            && data.name.eq_ignore_ascii_case(AUTH_TOKEN)
        {
            quote!(Some(Binding::AuthToken))
        } else {
            quote!(None)
        };
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(s) => scalar(resolve_schema(spec, s)),
            ParameterSchemaOrContent::Content(_) => scalar(None),
        };
        let (name, required) = (&data.name, data.required || is_path);
        let description = data.description.as_deref().unwrap_or("");
        let key = format!("{location}{}", name.to_ascii_lowercase());
        // An operation's own parameter replaces a path item's of that name.
        params.retain(|(k, _)| *k != key);
        params.push((
            key,
            quote! {
                ParamSpec {
                    name: #name,
                    location: Location::#location,
                    required: #required,
                    description: #description,
                    schema: #schema,
                    binding: #binding,
                }
            },
        ));
    }
    let params = params.into_iter().map(|(_, row)| row);
    let body = match resolve_body(spec, id, operation)? {
        None => quote!(None),
        Some(body) => {
            let schema = body
                .content
                .get("application/json")
                .and_then(|media| media.schema.as_ref())
                .and_then(|s| resolve_schema(spec, s));
            let body_spec = body_spec(spec, id, schema, body.required)?;
            quote!(Some(#body_spec))
        }
    };
    let (mut success, mut errors) = (Vec::new(), Vec::new());
    for status in operation.responses.responses.keys() {
        if let StatusCode::Code(code) = status {
            if (200..300).contains(code) {
                success.push(*code);
            } else if *code >= 400 {
                errors.push(*code);
            }
        }
    }
    let method = method.to_uppercase();
    let summary = operation.summary.as_deref().unwrap_or("");
    Ok(quote! {
        OperationSpec {
            id: #id,
            method: #method,
            path: #path,
            summary: #summary,
            params: &[#(#params),*],
            body: #body,
            success: &[#(#success),*],
            errors: &[#(#errors),*],
        }
    })
}

fn body_spec(
    spec: &OpenAPI,
    id: &str,
    schema: Option<&Schema>,
    required: bool,
) -> Result<TokenStream, String> {
    let Some(SchemaKind::Type(Type::Object(object))) = schema.map(|s| &s.schema_kind) else {
        return Err(format!(
            "operation {id}: a JSON request body must be an object schema"
        ));
    };
    let fields = object.properties.iter().map(|(name, property)| {
        let resolved = match property {
            ReferenceOr::Item(s) => Some(&**s),
            ReferenceOr::Reference { reference } => resolve_schema_ref(spec, reference),
        };
        let description = resolved
            .and_then(|s| s.schema_data.description.as_deref())
            .unwrap_or("");
        let field_required = object.required.contains(name);
        let schema = scalar(resolved);
        quote! {
            FieldSpec {
                name: #name,
                required: #field_required,
                description: #description,
                schema: #schema,
            }
        }
    });
    let additional = !matches!(
        object.additional_properties,
        Some(AdditionalProperties::Any(false))
    );
    Ok(quote! {
        BodySpec {
            required: #required,
            fields: &[#(#fields),*],
            additional_properties: #additional,
        }
    })
}

/// A schema as a `Scalar`: its type and the constraints on it.
fn scalar(schema: Option<&Schema>) -> TokenStream {
    let none = quote!(None);
    let (mut kind, mut values) = (quote!(Any), Vec::new());
    let (mut min_length, mut max_length, mut pattern) = (none.clone(), none.clone(), none.clone());
    let (mut minimum, mut maximum) = (none.clone(), none.clone());
    let some_usize = |n: usize| quote!(Some(#n));
    let some_f64 = |n: f64| quote!(Some(#n));
    if let Some(SchemaKind::Type(ty)) = schema.map(|s| &s.schema_kind) {
        match ty {
            Type::String(s) => {
                kind = quote!(String);
                values = s.enumeration.iter().flatten().cloned().collect();
                min_length = s.min_length.map_or(none.clone(), some_usize);
                max_length = s.max_length.map_or(none.clone(), some_usize);
                pattern = s
                    .pattern
                    .as_ref()
                    .map_or(none.clone(), |p| quote!(Some(#p)));
            }
            Type::Integer(i) => {
                kind = quote!(Integer);
                minimum = i.minimum.map_or(none.clone(), |n| some_f64(n as f64));
                maximum = i.maximum.map_or(none.clone(), |n| some_f64(n as f64));
            }
            Type::Number(n) => {
                kind = quote!(Number);
                minimum = n.minimum.map_or(none.clone(), some_f64);
                maximum = n.maximum.map_or(none.clone(), some_f64);
            }
            Type::Boolean(_) => kind = quote!(Boolean),
            Type::Object(_) => kind = quote!(Object),
            Type::Array(_) => kind = quote!(Array),
        }
    }
    quote! {
        Scalar {
            kind: Kind::#kind,
            enum_values: &[#(#values),*],
            min_length: #min_length,
            max_length: #max_length,
            pattern: #pattern,
            minimum: #minimum,
            maximum: #maximum,
        }
    }
}
