//! The operations: one builder per operation of the spec, over `eg-client`'s
//! `runtime`, plus the client method that returns it.
//!
//! The types come from progenitor: each builder field has the type of the
//! same field of progenitor's own builder (`mod builder` of its output), so
//! a setter accepts exactly what progenitor's does. What is read from the
//! spec itself: the method, the path template, where each parameter goes
//! (path, query, header) under which wire name, and the success statuses.
//!
//! Two parameters are bound to the client and get no setter: the path
//! parameter `project_id` (from the client's configuration) and the header
//! `X-Auth-Token` (sent by the runtime when the credentials are a token).

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};
use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::Target;

/// The path parameter the client binds.
const PROJECT_ID: &str = "project_id";
/// The header the runtime sends from token credentials.
const AUTH_TOKEN: &str = "x-auth-token";

/// Where a parameter goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Path,
    Query,
    Header,
}

/// One parameter of one operation, as the builder sees it.
struct Param {
    /// The spec's name: a header's or query key's wire name.
    name: String,
    /// The builder field and setter.
    field: syn::Ident,
    place: Place,
    required: bool,
    /// The type, from progenitor's builder field.
    ty: syn::Type,
    /// A plain string: passed as `&str` without formatting.
    is_str: bool,
    description: Option<String>,
}

/// progenitor's builder of one operation: field name to field type, and
/// the success type of its `send`.
struct ProgenitorBuilder {
    fields: BTreeMap<String, syn::Type>,
    success: Option<syn::Type>,
}

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

/// The operations module and the client methods, for `target`.
pub(crate) fn generate(
    spec: &OpenAPI,
    progenitor: &syn::File,
    target: &Target,
) -> Result<TokenStream, String> {
    let builders = progenitor_builders(progenitor)?;
    let runtime: TokenStream = match target {
        Target::Crate => quote!(crate::runtime),
        Target::External { .. } => quote!(::eg_client::runtime),
    };
    let mut structs = Vec::new();
    let mut methods = Vec::new();
    let mut signatures = Vec::new();
    for (path, item) in spec.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            return Err(format!("path {path}: a $ref path item is not supported"));
        };
        for (method, operation) in item.iter() {
            let id = operation
                .operation_id
                .as_deref()
                .ok_or_else(|| format!("{method} {path}: no operationId"))?;
            let struct_name = id.to_upper_camel_case();
            let builder = builders.get(&struct_name).ok_or_else(|| {
                format!("operation {id}: progenitor generated no builder {struct_name}")
            })?;
            let params = params(spec, id, &item.parameters, &operation.parameters, builder)?;
            let op = Operation {
                id,
                method,
                path,
                summary: operation.summary.as_deref(),
                struct_ident: format_ident!("{}", struct_name),
                method_ident: format_ident!("{}", id.to_snake_case()),
                params,
                body: body(spec, id, operation, builder)?,
                success: success(id, operation, builder)?,
            };
            structs.push(op.builder(&runtime)?);
            let (doc, name, ident) = (op.doc(), &op.method_ident, &op.struct_ident);
            signatures.push(quote! {
                #[doc = #doc]
                fn #name(&self) -> operations::#ident<'_>;
            });
            methods.push((doc, name.clone(), ident.clone()));
        }
    }
    let client_impl = match target {
        Target::Crate => {
            let methods = methods.iter().map(|(doc, name, ident)| {
                quote! {
                    #[doc = #doc]
                    pub fn #name(&self) -> operations::#ident<'_> {
                        operations::#ident::new(self)
                    }
                }
            });
            quote! {
                impl crate::Client {
                    #(#methods)*
                }
            }
        }
        Target::External { trait_name } => {
            let trait_ident = format_ident!("{}", trait_name);
            let methods = methods.iter().map(|(_, name, ident)| {
                quote! {
                    fn #name(&self) -> operations::#ident<'_> {
                        operations::#ident::new(self)
                    }
                }
            });
            quote! {
                /// The spec's operations as methods of the client.
                pub trait #trait_ident {
                    #(#signatures)*
                }
                impl #trait_ident for #runtime::Client {
                    #(#methods)*
                }
            }
        }
    };
    Ok(quote! {
        /// One builder per operation of the spec, in progenitor's Builder
        /// shape, sent by the client's runtime.
        pub mod operations {
            #[allow(unused_imports)]
            use super::types;
            #(#structs)*
        }
        #client_impl
    })
}

/// What `send` reads on success.
enum Success {
    /// JSON of this type, on one of these statuses.
    Json(Box<syn::Type>, Vec<u16>),
    /// No body, on one of these statuses: `Response<()>`.
    Empty(Vec<u16>),
}

/// The request body: its builder field's type, and the final type when the
/// field holds a `types::builder::*`.
struct Body {
    field_ty: syn::Type,
    built: Option<syn::Type>,
}

struct Operation<'a> {
    id: &'a str,
    method: &'a str,
    path: &'a str,
    summary: Option<&'a str>,
    struct_ident: syn::Ident,
    method_ident: syn::Ident,
    params: Vec<Param>,
    body: Option<Body>,
    success: Success,
}

impl Operation<'_> {
    fn doc(&self) -> String {
        let mut doc = format!(
            " `{} {}` ({})",
            self.method.to_uppercase(),
            self.path,
            self.id
        );
        if let Some(summary) = self.summary {
            doc.push_str(": ");
            doc.push_str(summary);
        }
        doc
    }

    fn builder(&self, runtime: &TokenStream) -> Result<TokenStream, String> {
        let name = &self.struct_ident;
        let doc = format!(
            "{}\n\nBuilt by the client method of the same name; `send` sends it.",
            self.doc()
        );
        let settable: Vec<&Param> = self.params.iter().collect();
        let fields = settable.iter().map(|p| {
            let (field, ty) = (&p.field, &p.ty);
            quote!(#field: ::std::result::Result<::std::option::Option<#ty>, ::std::string::String>,)
        });
        let inits = settable.iter().map(|p| {
            let field = &p.field;
            quote!(#field: Ok(None),)
        });
        let setters = settable.iter().map(|p| {
            let (field, ty) = (&p.field, &p.ty);
            let place = match p.place {
                Place::Path => "path",
                Place::Query => "query",
                Place::Header => "header",
            };
            let mut doc = format!(
                " The {place} parameter `{}` ({}).",
                p.name,
                if p.required { "required" } else { "optional" }
            );
            if let Some(description) = &p.description {
                doc.push_str(&format!("\n\n{description}"));
            }
            quote! {
                #[doc = #doc]
                pub fn #field<V>(mut self, value: V) -> Self
                where
                    V: ::std::convert::TryInto<#ty>,
                    V::Error: ::std::fmt::Display,
                {
                    self.#field = value.try_into().map(Some).map_err(|e| e.to_string());
                    self
                }
            }
        });
        let (body_field, body_init, body_setters, body_take) = match &self.body {
            None => (quote!(), quote!(), quote!(), quote!()),
            Some(body) => {
                let field_ty = &body.field_ty;
                let (setters, take) = match &body.built {
                    Some(built) => (
                        quote! {
                            /// The request body, whole.
                            pub fn body<V>(mut self, value: V) -> Self
                            where
                                V: ::std::convert::TryInto<#built>,
                                V::Error: ::std::fmt::Display,
                            {
                                self.body = value.try_into().map(From::from).map_err(|e| e.to_string());
                                self
                            }
                            /// The request body, field by field: `f` gets the body's
                            /// builder as it stands and returns it changed.
                            pub fn body_map<F>(mut self, f: F) -> Self
                            where
                                F: ::std::ops::FnOnce(#field_ty) -> #field_ty,
                            {
                                self.body = self.body.map(f);
                                self
                            }
                        },
                        quote! {
                            let body = #runtime::argument("body", body.and_then(|b| {
                                <#built>::try_from(b).map_err(|e| e.to_string())
                            }))?;
                        },
                    ),
                    None => (
                        quote! {
                            /// The request body.
                            pub fn body<V>(mut self, value: V) -> Self
                            where
                                V: ::std::convert::TryInto<#field_ty>,
                                V::Error: ::std::fmt::Display,
                            {
                                self.body = value.try_into().map_err(|e| e.to_string());
                                self
                            }
                        },
                        quote! {
                            let body = #runtime::argument("body", body)?;
                        },
                    ),
                };
                let init = match &body.built {
                    Some(_) => quote!(body: Ok(::std::default::Default::default()),),
                    None => quote!(body: Err("body was not set".to_owned()),),
                };
                (
                    quote!(body: ::std::result::Result<#field_ty, ::std::string::String>,),
                    init,
                    setters,
                    take,
                )
            }
        };
        let field_names: Vec<&syn::Ident> = settable.iter().map(|p| &p.field).collect();
        let body_name = self.body.as_ref().map(|_| quote!(body,));
        let takes = settable.iter().map(|p| {
            let (field, name) = (&p.field, &p.name);
            if p.required {
                quote!(let #field = #runtime::required(#name, #field)?;)
            } else {
                quote!(let #field = #runtime::argument(#name, #field)?;)
            }
        });
        let method = format_ident!("{}", self.method.to_uppercase());
        let path_calls = self.path_calls()?;
        let query_calls = settable
            .iter()
            .filter(|p| p.place == Place::Query)
            .map(|p| {
                let (field, name) = (&p.field, &p.name);
                let value = value_str(p, quote!(v));
                if p.required {
                    quote!({ let v = &#field; call.query(#name, #value); })
                } else {
                    quote!(if let Some(v) = &#field { call.query(#name, #value); })
                }
            });
        let header_calls = settable
            .iter()
            .filter(|p| p.place == Place::Header)
            .map(|p| {
                let (field, name) = (&p.field, &p.name);
                let lower = p.name.to_ascii_lowercase();
                let value = value_str(p, quote!(v));
                let put = quote! {
                    call.header(#name, #runtime::HeaderName::from_static(#lower), #value)?;
                };
                if p.required {
                    quote!({ let v = &#field; #put })
                } else {
                    quote!(if let Some(v) = &#field { #put })
                }
            });
        let body_call = self.body.as_ref().map(|_| quote!(call.json(&body)?;));
        let (success_ty, send) = match &self.success {
            Success::Json(ty, statuses) => {
                (quote!(#ty), quote!(call.send_json(&[#(#statuses),*]).await))
            }
            Success::Empty(statuses) => {
                (quote!(()), quote!(call.send_empty(&[#(#statuses),*]).await))
            }
        };
        let capacity = self.path.len();
        Ok(quote! {
            #[doc = #doc]
            #[derive(Debug, Clone)]
            #[must_use = "a builder does nothing until `send`"]
            pub struct #name<'a> {
                client: &'a #runtime::Client,
                #(#fields)*
                #body_field
            }
            impl<'a> #name<'a> {
                /// A builder with nothing set, for `client`.
                pub fn new(client: &'a #runtime::Client) -> Self {
                    Self {
                        client,
                        #(#inits)*
                        #body_init
                    }
                }
                #(#setters)*
                #body_setters
                /// The call's request, every argument checked against the spec.
                fn call(self) -> ::std::result::Result<#runtime::Call<'a>, #runtime::Error> {
                    let Self { client, #(#field_names,)* #body_name } = self;
                    #(#takes)*
                    #body_take
                    let mut call = #runtime::Call::new(client, #runtime::Method::#method, #capacity);
                    #(#path_calls)*
                    #(#query_calls)*
                    #(#header_calls)*
                    #body_call
                    Ok(call)
                }
                /// Sends the request (with the client's retries, signing and
                /// body cap) and reads the answer.
                pub async fn send(self) -> ::std::result::Result<#runtime::Response<#success_ty>, #runtime::Error> {
                    let call = self.call()?;
                    #send
                }
                /// Builds and signs the request `send` would send, and sends nothing.
                pub fn dry_run(self) -> ::std::result::Result<#runtime::PreparedRequest, #runtime::Error> {
                    self.call()?.dry_run()
                }
            }
        })
    }

    /// The path template as runtime calls: literal pieces, the bound
    /// project id, and each path parameter as one escaped segment.
    fn path_calls(&self) -> Result<Vec<TokenStream>, String> {
        let mut calls = Vec::new();
        let mut rest = self.path;
        while let Some(open) = rest.find('{') {
            let close = rest[open..]
                .find('}')
                .map(|i| open + i)
                .ok_or_else(|| format!("operation {}: unclosed '{{' in {}", self.id, self.path))?;
            let literal = &rest[..open];
            if !literal.is_empty() {
                calls.push(quote!(call.path(#literal);));
            }
            let name = &rest[open + 1..close];
            if name == PROJECT_ID {
                calls.push(quote!(call.project_id();));
            } else {
                let param = self
                    .params
                    .iter()
                    .find(|p| p.place == Place::Path && p.name == name)
                    .ok_or_else(|| {
                        format!(
                            "operation {}: {{{name}}} of {} is not a path parameter",
                            self.id, self.path
                        )
                    })?;
                let field = &param.field;
                let value = value_str(param, quote!(#field));
                calls.push(quote!(call.segment(#name, #value)?;));
            }
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            calls.push(quote!(call.path(#rest);));
        }
        Ok(calls)
    }
}

/// A parameter's value as `&str`: strings as they are, other types
/// formatted.
fn value_str(param: &Param, value: TokenStream) -> TokenStream {
    if param.is_str {
        quote!(#value.as_str())
    } else {
        quote!(&#value.to_string())
    }
}

/// progenitor's builders by struct name.
fn progenitor_builders(file: &syn::File) -> Result<BTreeMap<String, ProgenitorBuilder>, String> {
    let module = file
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref(),
            _ => None,
        })
        .ok_or("progenitor generated no `mod builder` (Builder interface style)")?;
    let mut builders = BTreeMap::new();
    for item in &module.1 {
        match item {
            syn::Item::Struct(s) => {
                let fields = s
                    .fields
                    .iter()
                    .filter_map(|f| Some((f.ident.as_ref()?.to_string(), f.ty.clone())))
                    .collect();
                builders.insert(
                    s.ident.to_string(),
                    ProgenitorBuilder {
                        fields,
                        success: None,
                    },
                );
            }
            syn::Item::Impl(i) => {
                let syn::Type::Path(self_ty) = &*i.self_ty else {
                    continue;
                };
                let Some(last) = self_ty.path.segments.last() else {
                    continue;
                };
                let success = i.items.iter().find_map(|item| match item {
                    syn::ImplItem::Fn(f) if f.sig.ident == "send" => match &f.sig.output {
                        syn::ReturnType::Type(_, ty) => success_of(ty),
                        syn::ReturnType::Default => None,
                    },
                    _ => None,
                });
                if let (Some(success), Some(builder)) =
                    (success, builders.get_mut(&last.ident.to_string()))
                {
                    builder.success = Some(success);
                }
            }
            _ => {}
        }
    }
    Ok(builders)
}

/// `T` of `Result<ResponseValue<T>, Error<E>>`.
fn success_of(ty: &syn::Type) -> Option<syn::Type> {
    let result = generic_arg(ty, "Result")?;
    generic_arg(&result, "ResponseValue")
}

/// The first generic argument of a type path whose last segment is `name`.
fn generic_arg(ty: &syn::Type, name: &str) -> Option<syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|arg| match arg {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

/// `T` of progenitor's `Result<T, String>` or `Result<Option<T>, String>`.
fn field_type(ty: &syn::Type) -> Option<syn::Type> {
    let inner = generic_arg(ty, "Result")?;
    Some(generic_arg(&inner, "Option").unwrap_or(inner))
}

fn resolve_parameter<'a>(
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

fn resolve_schema<'a>(
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
fn is_plain_string(spec: &OpenAPI, data: &openapiv3::ParameterData) -> bool {
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

fn params(
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

fn body(
    spec: &OpenAPI,
    id: &str,
    operation: &openapiv3::Operation,
    builder: &ProgenitorBuilder,
) -> Result<Option<Body>, String> {
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

fn success(
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
