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

mod builder;
mod model;

use heck::{ToSnakeCase, ToUpperCamelCase};
use openapiv3::{OpenAPI, ReferenceOr};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::Target;
use crate::progenitor_output::progenitor_builders;
use model::{Operation, body, params, success};

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
    let description = crate::description::generate(spec, &quote!(#runtime::spec))?;
    let enum_lists = crate::progenitor_output::string_enums(progenitor)
        .into_iter()
        .map(|(name, variants)| {
            quote! {
                impl types::#name {
                    /// Every value the spec lists, in spec order.
                    pub const ALL: &'static [Self] = &[#(Self::#variants),*];
                }
            }
        });
    Ok(quote! {
        #description
        #(#enum_lists)*
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
