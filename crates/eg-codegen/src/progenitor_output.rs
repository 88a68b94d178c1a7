//! Reading progenitor's output: its builders' field types and success
//! types, which the operations reuse, and the string enums of its types.

use std::collections::BTreeMap;

/// progenitor's builder of one operation: field name to field type, and
/// the success type of its `send`.
pub(crate) struct ProgenitorBuilder {
    pub(crate) fields: BTreeMap<String, syn::Type>,
    pub(crate) success: Option<syn::Type>,
}

/// progenitor's builders by struct name.
pub(crate) fn progenitor_builders(
    file: &syn::File,
) -> Result<BTreeMap<String, ProgenitorBuilder>, String> {
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
pub(crate) fn generic_arg(ty: &syn::Type, name: &str) -> Option<syn::Type> {
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
pub(crate) fn field_type(ty: &syn::Type) -> Option<syn::Type> {
    let inner = generic_arg(ty, "Result")?;
    Some(generic_arg(&inner, "Option").unwrap_or(inner))
}

/// Every enum of progenitor's `mod types` whose variants are all units (a
/// string enum of the spec): its name and its variants.
pub(crate) fn string_enums(file: &syn::File) -> Vec<(syn::Ident, Vec<syn::Ident>)> {
    let Some((_, items)) = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref(),
        _ => None,
    }) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Enum(e) if e.variants.iter().all(|v| v.fields.is_empty()) => Some((
                e.ident.clone(),
                e.variants.iter().map(|v| v.ident.clone()).collect(),
            )),
            _ => None,
        })
        .collect()
}
