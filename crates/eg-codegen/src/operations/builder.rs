//! The Rust of one operation: its builder (setters, `send`, `dry_run`,
//! the spec's row) over the runtime.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::model::{Operation, Param, Place, Success};
use crate::openapi::PROJECT_ID;

impl Operation<'_> {
    pub(super) fn doc(&self) -> String {
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

    pub(super) fn builder(&self, runtime: &TokenStream) -> Result<TokenStream, String> {
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
        let (id, spec_const) = (self.id, crate::description::const_name(self.id));
        let param_arms = settable.iter().map(|p| {
            let (field, name, ty) = (&p.field, &p.name, &p.ty);
            let matches = match p.place {
                Place::Header => quote!(name.eq_ignore_ascii_case(#name)),
                Place::Path | Place::Query => quote!(name == #name),
            };
            quote! {
                if #matches {
                    self.#field = #runtime::from_json::<#ty>(value).map(Some);
                    return self;
                }
            }
        });
        let (body_json, trait_body_json) = match &self.body {
            None => (
                quote!(),
                quote! {
                    let mut builder = self;
                    builder.unknown.get_or_insert_with(|| #runtime::no_body(#id));
                    let _ = value;
                    builder
                },
            ),
            Some(body) => {
                let target = body.built.clone().unwrap_or_else(|| body.field_ty.clone());
                let convert = match &body.built {
                    Some(_) => quote!(.map(From::from)),
                    None => quote!(),
                };
                (
                    quote! {
                        /// The request body, whole, from JSON (checked as
                        /// `body` checks it).
                        pub fn body_json(mut self, value: #runtime::JsonValue) -> Self {
                            self.body = #runtime::from_json::<#target>(value)#convert;
                            self
                        }
                    },
                    quote!(#name::body_json(self, value)),
                )
            }
        };
        Ok(quote! {
            #[doc = #doc]
            #[derive(Debug, Clone)]
            #[must_use = "a builder does nothing until `send`"]
            pub struct #name<'a> {
                client: &'a #runtime::Client,
                #(#fields)*
                #body_field
                /// A name `param` did not know, refused at `send`.
                unknown: ::std::option::Option<(&'static str, ::std::string::String)>,
            }
            impl<'a> #name<'a> {
                /// A builder with nothing set, for `client`.
                pub fn new(client: &'a #runtime::Client) -> Self {
                    Self {
                        client,
                        #(#inits)*
                        #body_init
                        unknown: None,
                    }
                }
                /// This operation's row of the spec's description.
                pub const SPEC: &'static #runtime::spec::OperationSpec = &super::spec::#spec_const;
                #(#setters)*
                #body_setters
                /// Sets the parameter the spec calls `name` (a header's in
                /// any case) from JSON; a name the builder does not set or a
                /// value its type refuses fails at `send`, naming it.
                pub fn param(mut self, name: &str, value: #runtime::JsonValue) -> Self {
                    #(#param_arms)*
                    if self.unknown.is_none() {
                        self.unknown = Some(#runtime::unknown_param(#id, name));
                    }
                    self
                }
                #body_json
                /// The call's request, every argument checked against the spec.
                fn call(self) -> ::std::result::Result<#runtime::Call<'a>, #runtime::Error> {
                    let Self { client, #(#field_names,)* #body_name unknown } = self;
                    #runtime::known_params(unknown)?;
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
            impl #runtime::OperationBuilder for #name<'_> {
                const SPEC: &'static #runtime::spec::OperationSpec = &super::spec::#spec_const;
                fn param(self, name: &str, value: #runtime::JsonValue) -> Self {
                    #name::param(self, name, value)
                }
                fn body_json(self, value: #runtime::JsonValue) -> Self {
                    #trait_body_json
                }
                fn dry_run(self) -> ::std::result::Result<#runtime::PreparedRequest, #runtime::Error> {
                    #name::dry_run(self)
                }
                fn send_value(
                    self,
                ) -> impl ::std::future::Future<
                    Output = ::std::result::Result<#runtime::Response<#runtime::JsonValue>, #runtime::Error>,
                > + Send {
                    async move { #runtime::json_response(self.send().await?) }
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
