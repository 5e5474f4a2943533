//! Code generation: one `HttpServiceFactory` per annotated handler, registering
//! a resource whose guard also admits the route's preflights and whose
//! outermost middleware applies the policy.

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::ItemFn;

use crate::attr;
use crate::ctxt::Ctxt;
use crate::fallback;
use crate::lower;
use crate::policy_def;
use crate::route::{self, Route};
use crate::valid::{self, Mode};

pub fn cors(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut item: ItemFn = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(_) => {
            let err = syn::Error::new(
                Span::call_site(),
                "`#[cors]` goes on a handler function, directly above its routing attribute such as `#[get(\"/path\")]`",
            );
            return fallback::emit(err, input);
        }
    };
    let mut cx = Ctxt::default();
    let opted_out = match opt_out(&args) {
        Ok(opted_out) => opted_out,
        Err(e) => return fallback::emit(e, input),
    };
    let args = match opted_out {
        Some(_) => attr::Args::default(),
        None => attr::parse(args, &mut cx),
    };

    if let Some(second) = item.attrs.iter().find(|a| route::is_cors(a)) {
        cx.spanned(
            second,
            format!(
                "`#[cors]` is given twice on `{}`; merge the keys into one attribute",
                item.sig.ident
            ),
        );
        // The handler without the other `#[cors]`, which would only repeat errors.
        item.attrs.retain(|a| !route::is_cors(a));
        return fallback::emit_all(cx, item.into_token_stream());
    }
    if let Some(routes) = route::has_routes(&item.attrs) {
        cx.spanned(
            routes,
            "`#[cors]` does not take `#[routes]`; give each method its own handler with `#[cors]` above `#[get(..)]`, `#[post(..)]`, …",
        );
        return fallback::emit_all(cx, input);
    }
    let Some((index, method)) = route::find(&item.attrs) else {
        cx.at(
            Span::call_site(),
            format!(
                "`#[cors]` must be placed directly above the routing attribute of `{}`, such as `#[get(..)]`, `#[post(..)]` or `#[route(..)]`; there is none below it (it is above `#[cors]`, or missing)",
                item.sig.ident
            ),
        );
        return fallback::emit_all(cx, input);
    };
    // A routing attribute actix-web itself would reject, or a handler without a
    // return type: leave the item to actix-web, which reports it.
    let route = match route::read(&item.attrs[index], method) {
        Some(route) if !matches!(item.sig.output, syn::ReturnType::Default) => route,
        _ => return fallback::emit_all(cx, input),
    };
    if let Some(krate) = opted_out {
        item.attrs.remove(index);
        let root = match krate {
            Some(p) => quote!(#p),
            None => quote!(::route_cors),
        };
        return generate(&item, &route, &root, None);
    }
    let mode = if args.policy.is_some() {
        Mode::Overrides(&route)
    } else {
        Mode::Inline(&route)
    };
    let checked = valid::validate(&args, mode, &mut cx);
    if let Err(e) = cx.check() {
        return fallback::emit(e, input);
    }
    item.attrs.remove(index);
    let root = match &args.krate {
        Some(p) => quote!(#p),
        None => quote!(::route_cors),
    };
    let policy = match &args.policy {
        Some(policy) => lower::named_route_policy(&root, &policy.value, &args, &route, &checked),
        None => match lower::inline_policy(&root, &route, &checked) {
            Some(policy) => policy,
            None => return input,
        },
    };
    generate(&item, &route, &root, Some(&policy))
}

/// `#[cors(none)]` (with at most `crate = ..`): the route opts out of CORS.
/// `Ok(Some(crate path))` when it does, `Ok(None)` for an ordinary policy.
fn opt_out(args: &TokenStream) -> syn::Result<Option<Option<syn::Path>>> {
    use syn::parse::Parser;
    use syn::punctuated::Punctuated;
    let Ok(metas) = Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated.parse2(args.clone())
    else {
        return Ok(None);
    };
    if !metas
        .iter()
        .any(|m| matches!(m, syn::Meta::Path(p) if p.is_ident("none")))
    {
        return Ok(None);
    }
    let mut krate = None;
    let mut errors: Option<syn::Error> = None;
    for meta in &metas {
        match meta {
            syn::Meta::Path(p) if p.is_ident("none") => {}
            syn::Meta::NameValue(nv) if nv.path.is_ident("crate") => {
                if let syn::Expr::Path(p) = &nv.value {
                    krate = Some(p.path.clone());
                }
            }
            other => {
                let key = other
                    .path()
                    .get_ident()
                    .map_or_else(|| "this".to_owned(), |i| format!("`{i}`"));
                let e = syn::Error::new_spanned(
                    other,
                    format!("`none` opts the route out of CORS, so it takes no other keys; remove {key}, or remove `none` to give the route a policy"),
                );
                match &mut errors {
                    Some(all) => all.combine(e),
                    None => errors = Some(e),
                }
            }
        }
    }
    match errors {
        Some(e) => Err(e),
        None => Ok(Some(krate)),
    }
}

/// `policy!(vis NAME, keys..)`: a `static` [`NamedPolicy`] checked like an
/// inline `#[cors(..)]`.
pub fn policy(input: TokenStream) -> TokenStream {
    let def: policy_def::Definition = match syn::parse2(input) {
        Ok(def) => def,
        Err(e) => return e.to_compile_error(),
    };
    let mut cx = Ctxt::default();
    let args = attr::parse(def.keys, &mut cx);
    let c = valid::validate(&args, Mode::Definition, &mut cx);
    let attrs = &def.attrs;
    let vis = &def.vis;
    let name = &def.name;
    let root = match &args.krate {
        Some(p) => quote!(#p),
        None => quote!(::route_cors),
    };
    let p = quote!(#root::__private01);
    let body = match (cx.check(), &c.origins) {
        (Err(e), _) => {
            // Still define the name, so that routes using it report nothing more.
            let err = e.to_compile_error();
            return quote! {
                #err
                #(#attrs)*
                #vis static #name: #p::NamedPolicy = #p::NamedPolicy::__INVALID;
            };
        }
        (Ok(()), None) => return TokenStream::new(),
        (Ok(()), Some(origins)) => origins,
    };
    let body = lower::named_policy(&p, &c, body);
    quote! {
        #(#attrs)*
        #vis static #name: #p::NamedPolicy = #body;
    }
}

/// The handler's `HttpServiceFactory`. `policy` is `None` for a route marked
/// `#[cors(none)]`: registered as its routing attribute would register it, and
/// recorded as opted out, so that a `DefaultPolicy` around it leaves it alone.
fn generate(
    item: &ItemFn,
    route: &Route,
    root: &TokenStream,
    policy: Option<&TokenStream>,
) -> TokenStream {
    let p = quote!(#root::__private01);
    let name = &item.sig.ident;
    let vis = &item.vis;
    let docs = item.attrs.iter().filter(|a| a.path().is_ident("doc"));
    // The handler's `allow`s cover the code generated around it too, so that
    // `#[allow(deprecated)]` on the handler silences a deprecated key.
    let allows = item.attrs.iter().filter(|a| a.path().is_ident("allow"));
    let attr_path = &route.attr_path;
    let path = &route.path;
    let resource_name = route
        .name
        .as_ref()
        .map_or_else(|| name.to_string(), syn::LitStr::value);
    let guards = &route.guards;
    let wraps = &route.wraps;
    let route_methods = &route.methods;
    let (policy, registered, cors) = match policy {
        Some(policy) => (
            policy.clone(),
            quote!(.register(__config, #resource_name, #path, &__ROUTE_CORS_POLICY)),
            quote!(.wrap(#p::Cors::new(&__ROUTE_CORS_POLICY).in_scope(!__config.is_root()))),
        ),
        None => (
            TokenStream::new(),
            quote!(.opt_out(__config, #resource_name, #path)),
            quote!(.wrap(#p::OptOut::new(&[#(#route_methods),*], #resource_name))),
        ),
    };

    quote! {
        #(#docs)*
        #[allow(non_camel_case_types, missing_docs)]
        #vis struct #name;

        #(#allows)*
        impl #p::HttpServiceFactory for #name {
            fn register(self, __config: &mut #p::AppService) {
                #item

                #[allow(unused_imports)]
                use #attr_path as _;

                #policy

                let __guard = #p::RouteGuard::new(&[#(#route_methods),*])
                    #(.and(#p::fn_guard(#guards)))*
                    #registered;
                let __resource = #p::Resource::new(#path)
                    .name(#resource_name)
                    .guard(__guard)
                    #(.wrap(#wraps))*
                    #cors
                    .to(#name);
                #p::HttpServiceFactory::register(__resource, __config);
            }
        }
    }
}
