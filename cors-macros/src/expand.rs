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
    let Some((routes, used)) = read_routes(&item, &mut cx) else {
        return fallback::emit_all(cx, input);
    };
    // A handler without a return type: leave the item to actix-web, which
    // reports it.
    if matches!(item.sig.output, syn::ReturnType::Default) {
        return fallback::emit_all(cx, input);
    }
    if let Some(krate) = opted_out {
        let imports = remove_used(&mut item, &used);
        let root = match krate {
            Some(p) => quote!(#p),
            None => quote!(::route_cors),
        };
        return generate(&item, &routes, &imports, &root, None);
    }
    let mode = if args.policy.is_some() {
        Mode::Overrides(&routes)
    } else {
        Mode::Inline(&routes)
    };
    let checked = valid::validate(&args, mode, &mut cx);
    if let Err(e) = cx.check() {
        return fallback::emit(e, input);
    }
    let imports = remove_used(&mut item, &used);
    let root = match &args.krate {
        Some(p) => quote!(#p),
        None => quote!(::route_cors),
    };
    let policy = match &args.policy {
        Some(policy) => lower::named_route_policy(&root, &policy.value, &args, &routes, &checked),
        None => match lower::inline_policy(&root, &routes, &checked) {
            Some(policy) => policy,
            None => return input,
        },
    };
    generate(&item, &routes, &imports, &root, Some(&policy))
}

/// The routes below `#[cors]`: the one routing attribute, or those stacked
/// under `#[routes]`, with the indices of the attributes they were read from
/// (`#[routes]` included). `None` when there is none (reported), or when one
/// is not well formed: actix-web then reports it on the original item.
fn read_routes(item: &ItemFn, cx: &mut Ctxt) -> Option<(Vec<Route>, Vec<usize>)> {
    if let Some(routes_at) = route::routes_attr(&item.attrs) {
        // `#[routes]` without a stacked attribute: actix-web says it needs one.
        let stacked = route::stacked(&item.attrs);
        let mut routes = Vec::with_capacity(stacked.len());
        let mut used = vec![routes_at];
        for (index, method) in stacked {
            routes.push(route::read(&item.attrs[index], Some(method))?);
            used.push(index);
        }
        return (!routes.is_empty()).then_some((routes, used));
    }
    let Some((index, method)) = route::find(&item.attrs) else {
        cx.at(
            Span::call_site(),
            format!(
                "`#[cors]` must be placed directly above the routing attribute of `{}`, such as `#[get(..)]`, `#[post(..)]` or `#[route(..)]`; there is none below it (it is above `#[cors]`, or missing)",
                item.sig.ident
            ),
        );
        return None;
    };
    Some((vec![route::read(&item.attrs[index], method)?], vec![index]))
}

/// Removes the routing attributes at `used` from the handler, and returns
/// their paths: the generated code names each once, so that the user's
/// imports of them stay used.
fn remove_used(item: &mut ItemFn, used: &[usize]) -> Vec<syn::Path> {
    let mut imports: Vec<syn::Path> = Vec::new();
    let mut index = 0;
    item.attrs.retain(|a| {
        let keep = !used.contains(&index);
        index += 1;
        let same = |p: &syn::Path| {
            p.to_token_stream().to_string() == a.path().to_token_stream().to_string()
        };
        if !keep && !imports.iter().any(same) {
            imports.push(a.path().clone());
        }
        keep
    });
    imports
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

/// The handler's `HttpServiceFactory`: one resource per route (several
/// under `#[routes]`, in the order written), all sharing one policy.
/// `policy` is `None` for a route marked `#[cors(none)]`: registered as its
/// routing attribute would register it, and recorded as opted out, so that a
/// `DefaultPolicy` around it leaves it alone. `imports` are the routing
/// attributes' paths.
fn generate(
    item: &ItemFn,
    routes: &[Route],
    imports: &[syn::Path],
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
    let resources = routes
        .iter()
        .map(|route| resource(&p, name, route, policy.is_some()));
    let policy = policy.cloned().unwrap_or_default();

    quote! {
        #(#docs)*
        #[allow(non_camel_case_types, missing_docs)]
        #vis struct #name;

        #(#allows)*
        impl #p::HttpServiceFactory for #name {
            fn register(self, __config: &mut #p::AppService) {
                #item

                #(
                    #[allow(unused_imports)]
                    use #imports as _;
                )*

                #policy

                #(#resources)*
            }
        }
    }
}

/// The registration of one route's resource: its guard, which admits the
/// route's preflights and records it in the registry, and, with a policy,
/// the middleware applying `__ROUTE_CORS_POLICY`.
fn resource(p: &TokenStream, handler: &syn::Ident, route: &Route, cors: bool) -> TokenStream {
    let path = &route.path;
    let resource_name = route
        .name
        .as_ref()
        .map_or_else(|| handler.to_string(), syn::LitStr::value);
    let guards = &route.guards;
    let wraps = &route.wraps;
    let route_methods = &route.methods;
    let (registered, cors) = if cors {
        (
            quote!(.register(__config, #resource_name, #path, &__ROUTE_CORS_POLICY)),
            quote!(.wrap(#p::Cors::new(&__ROUTE_CORS_POLICY).in_scope(!__config.is_root()))),
        )
    } else {
        (
            quote!(.opt_out(__config, #resource_name, #path)),
            quote!(.wrap(#p::OptOut::new(&[#(#route_methods),*], #resource_name))),
        )
    };
    quote! {{
        let __guard = #p::RouteGuard::new(&[#(#route_methods),*])
            #(.and(#p::fn_guard(#guards)))*
            #registered;
        let __resource = #p::Resource::new(#path)
            .name(#resource_name)
            .guard(__guard)
            #(.wrap(#wraps))*
            #cors
            .to(#handler);
        #p::HttpServiceFactory::register(__resource, __config);
    }}
}
