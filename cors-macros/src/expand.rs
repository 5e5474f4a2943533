//! Code generation: one `HttpServiceFactory` per annotated handler, registering
//! a resource whose guard also admits the route's preflights and whose
//! outermost middleware applies the policy.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::ItemFn;

use crate::attr::{self, Args, ListOrAny};
use crate::ctxt::Ctxt;
use crate::fallback;
use crate::policy_def;
use crate::route::{self, Route};
use crate::valid::{self, Checked, Expose, Headers, Mode, Origins};

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
        Some((_, path)) => named_route_policy(&root, path, &args, &route, &checked),
        None => match inline_policy(&root, &route, &checked) {
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

/// `METHODS /path`, for log lines.
fn route_label(route: &Route) -> String {
    format!("{} {}", route.methods.join("|"), route.path.value())
}

fn opt_header(p: &TokenStream, v: Option<String>) -> TokenStream {
    match v {
        Some(v) => quote!(::core::option::Option::Some(#p::HeaderValue::from_static(#v))),
        None => quote!(::core::option::Option::None),
    }
}

fn patterns(p: &TokenStream, patterns: &[(String, String, Option<u16>)]) -> TokenStream {
    let schemes = patterns.iter().map(|(s, _, _)| s);
    let suffixes = patterns.iter().map(|(_, h, _)| h);
    let ports = patterns.iter().map(|(_, _, port)| match port {
        Some(port) => quote!(::core::option::Option::Some(#port)),
        None => quote!(::core::option::Option::None),
    });
    quote!(&[#(#p::Pattern { scheme: #schemes, suffix: #suffixes, port: #ports }),*])
}

/// The items defining `static __ROUTE_CORS_POLICY: Policy` for a route whose
/// keys are all written inline.
fn inline_policy(root: &TokenStream, route: &Route, c: &Checked) -> Option<TokenStream> {
    let p = quote!(#root::__private);
    let route_label = route_label(route);
    let methods = &c.methods;
    let allow_methods = c.methods.join(", ");
    let credentials = c.credentials.unwrap_or(false);
    let private_network = c.private_network.unwrap_or(false);
    let (origin_statics, origins) = match c.origins.as_ref()? {
        Origins::Any => (quote!(), quote!(#p::AllowOrigin::Any)),
        Origins::Runtime(path) => (
            credentialed_set_check(&p, path, credentials),
            origin_set(
                &p,
                path,
                |set| quote!(#p::AllowOrigin::Runtime(#set.core())),
            ),
        ),
        Origins::List {
            exact,
            patterns: pats,
        } => {
            let pats = patterns(&p, pats);
            (
                origin_values(&p, exact),
                quote! {
                    #p::AllowOrigin::List(#p::OriginList {
                        exact: &[#(#exact),*],
                        values: &__ROUTE_CORS_ORIGINS,
                        patterns: #pats,
                    })
                },
            )
        }
    };
    let headers = match &c.headers {
        None | Some(Headers::None) => quote!(#p::AllowHeaders::None),
        Some(Headers::Any) => quote!(#p::AllowHeaders::Any),
        Some(Headers::List(names)) => {
            let value = names.join(", ");
            quote!(#p::AllowHeaders::List {
                names: &[#(#names),*],
                value: #p::HeaderValue::from_static(#value),
            })
        }
    };
    let expose = opt_header(
        &p,
        match &c.expose {
            None | Some(Expose::None) => None,
            Some(Expose::List(v)) => Some(v.clone()),
            Some(Expose::Any) => Some("*".to_owned()),
        },
    );
    let max_age = opt_header(&p, c.max_age.map(|n| n.to_string()));
    Some(quote! {
        #origin_statics
        static __ROUTE_CORS_POLICY: #p::Policy = #p::Policy {
            route: #route_label,
            origins: #origins,
            credentials: #credentials,
            methods: &[#(#methods),*],
            allow_methods: #p::HeaderValue::from_static(#allow_methods),
            headers: #headers,
            expose: #expose,
            max_age: #max_age,
            private_network: #private_network,
        };
    })
}

fn named_headers(p: &TokenStream, h: &Headers) -> TokenStream {
    match h {
        Headers::None => quote!(#p::NamedHeaders::None),
        Headers::Any => quote!(#p::NamedHeaders::Any),
        Headers::List(names) => {
            let value = names.join(", ");
            quote!(#p::NamedHeaders::List(&[#(#names),*], #value))
        }
    }
}

fn named_expose(p: &TokenStream, e: &Expose) -> TokenStream {
    match e {
        Expose::None => quote!(#p::NamedExpose::None),
        Expose::Any => quote!(#p::NamedExpose::Any),
        Expose::List(v) => quote!(#p::NamedExpose::List(#v)),
    }
}

fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> TokenStream) -> TokenStream {
    match v {
        Some(v) => {
            let v = f(v);
            quote!(::core::option::Option::Some(#v))
        }
        None => quote!(::core::option::Option::None),
    }
}

/// Every token of `tokens`, with `span`: a const-evaluation error then points
/// at one key of the attribute rather than at the whole attribute.
/// The `static` holding the ready-made `Access-Control-Allow-Origin` value of
/// each exact origin. A separate `static` array, because a reference to an
/// array expression of `HeaderValue`s cannot be promoted inside a `static`.
fn origin_values(p: &TokenStream, exact: &[String]) -> TokenStream {
    let n = exact.len();
    quote! {
        static __ROUTE_CORS_ORIGINS: [#p::HeaderValue; #n] =
            [#(#p::HeaderValue::from_static(#exact)),*];
    }
}

/// An expression reading the origin set `origins = path` names, as `body(set)`
/// where `set` is a local bound to it. When `path` is not an `OriginSet` or a
/// `CredentialedOriginSet` (a `const` slice, say), the one error is the
/// `OriginSource` bound of `origin_source`, at the path, saying what
/// `origins` accepts; `NotAnOriginSet` keeps the method calls of `body` from
/// adding "no method named" errors. Every use gives the same error at the
/// same span, which the compiler reports once.
fn origin_set(
    p: &TokenStream,
    path: &syn::Path,
    body: impl FnOnce(&TokenStream) -> TokenStream,
) -> TokenStream {
    let set = quote!(origin_set);
    let body = body(&set);
    respan(
        quote! {{
            #[allow(unused_imports)]
            use #p::NotAnOriginSet as _;
            let #set = #p::origin_source(&#path);
            #body
        }},
        last_segment_span(path),
    )
}

fn last_segment_span(path: &syn::Path) -> Span {
    path.segments
        .last()
        .map_or_else(Span::call_site, |s| s.ident.span())
}

/// With `credentials`, an origin set filled at startup must be a
/// `CredentialedOriginSet`, which applies the credential-only rules to what it
/// loads. Checked by const evaluation, with the error at the set's path.
fn credentialed_set_check(p: &TokenStream, path: &syn::Path, credentials: bool) -> TokenStream {
    if !credentials {
        return TokenStream::new();
    }
    let name = path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::");
    let msg = format!(
        "`{name}` is an `OriginSet`, but the policy allows `credentials`; declare it as a `CredentialedOriginSet`, which also refuses plain-`http` and public-suffix wildcard origins loaded at startup"
    );
    let check = origin_set(p, path, |set| {
        quote! {
            if !#set.is_credentialed() {
                ::core::panic!(#msg)
            }
        }
    });
    quote!(const _: () = #check;)
}

fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut t| {
            if let TokenTree::Group(g) = &t {
                let mut g2 = Group::new(g.delimiter(), respan(g.stream(), span));
                g2.set_span(span);
                t = TokenTree::Group(g2);
            } else {
                t.set_span(span);
            }
            t
        })
        .collect()
}

/// The items defining `static __ROUTE_CORS_POLICY: Policy` for a route using
/// a named policy: built from it by const evaluation, with compile-time checks
/// of the overrides that could make it invalid.
fn named_route_policy(
    root: &TokenStream,
    path: &syn::Path,
    args: &Args,
    route: &Route,
    c: &Checked,
) -> TokenStream {
    let p = quote!(#root::__private);
    let route_label = route_label(route);
    let methods = &c.methods;
    let allow_methods = c.methods.join(", ");
    let credentials = opt(c.credentials, |b| quote!(#b));
    let headers = opt(c.headers.as_ref(), |h| named_headers(&p, h));
    let expose = opt(c.expose.as_ref(), |e| named_expose(&p, e));
    let max_age = opt(c.max_age, |n| {
        let n = n.to_string();
        quote!(#n)
    });
    let private_network = opt(c.private_network, |b| quote!(#b));
    let allow_http = c.allow_http;
    let allow_public_suffix = c.allow_public_suffix;

    // The checks panic in const evaluation, in code spanned at the route's
    // key, so the compile error points there and quotes the message alone.
    let mut checks = TokenStream::new();
    if let Some(flag) = args.credentials.as_ref().filter(|f| f.value) {
        let check = respan(
            quote! {
                const _: () = match #p::NamedPolicy::__credentials_conflict(__ROUTE_CORS_NAMED, __ROUTE_CORS_OVERRIDES) {
                    #p::Conflict::None => {}
                    #p::Conflict::AnyOrigin => ::core::panic!("`credentials` cannot be added to this policy: its origins are `\"*\"`, and browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests; use a policy that lists its origins"),
                    #p::Conflict::ExposeAny => ::core::panic!("`credentials` cannot be added to this policy: it has `expose = \"*\"`, which browsers read as a header literally named `*` on credentialed requests; override `expose` with a list of headers"),
                    #p::Conflict::PlainHttp => ::core::panic!("`credentials` cannot be added to this policy: it lists a plain-`http` origin that is not loopback, so cookies and tokens would cross the network unencrypted; use `https://` origins, or add `dangerously_allow_http_with_credentials` if this is intended"),
                    #p::Conflict::UncheckedOriginSet => ::core::panic!("`credentials` cannot be added to this policy: its origins are a plain `OriginSet`, which does not check origins loaded at startup against the credential rules; declare the set as a `CredentialedOriginSet`"),
                    #p::Conflict::PublicSuffixWildcard => ::core::panic!("`credentials` cannot be added to this policy: it has a `*.` wildcard on a public suffix, where anyone can register a domain; list exact origins, or add `dangerously_allow_public_suffix_wildcard_with_credentials` if this is intended"),
                };
            },
            flag.key.span(),
        );
        checks.extend(check);
    }
    if let (Some((_, ListOrAny::Any(star))), None) = (&args.expose, c.credentials) {
        let check = respan(
            quote! {
                const _: () = if __ROUTE_CORS_NAMED.credentials {
                    ::core::panic!("`expose = \"*\"` cannot be used with this policy: it allows `credentials`, and browsers read `*` as a header literally named `*` on credentialed requests; list the headers to expose");
                };
            },
            star.span(),
        );
        checks.extend(check);
    }
    quote! {
        const __ROUTE_CORS_NAMED: &#p::NamedPolicy = &#path;
        const __ROUTE_CORS_OVERRIDES: #p::Overrides = #p::Overrides {
            credentials: #credentials,
            headers: #headers,
            expose: #expose,
            max_age: #max_age,
            private_network: #private_network,
            allow_http_with_credentials: #allow_http,
            allow_public_suffix_wildcard_with_credentials: #allow_public_suffix,
        };
        #checks
        static __ROUTE_CORS_POLICY: #p::Policy = #p::NamedPolicy::__route(
            &#path,
            #route_label,
            &[#(#methods),*],
            #allow_methods,
            __ROUTE_CORS_OVERRIDES,
        );
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
    let p = quote!(#root::__private);
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
    let (origin_statics, origins) = match body {
        Origins::Any => (quote!(), quote!(#p::NamedOrigins::Any)),
        Origins::Runtime(path) => (
            credentialed_set_check(&p, path, c.credentials.unwrap_or(false)),
            origin_set(
                &p,
                path,
                |set| quote!(#p::NamedOrigins::Runtime(#set.core(), #set.is_credentialed())),
            ),
        ),
        Origins::List {
            exact,
            patterns: pats,
        } => {
            let pats = patterns(&p, pats);
            (
                origin_values(&p, exact),
                quote! {
                    #p::NamedOrigins::List {
                        exact: &[#(#exact),*],
                        values: &__ROUTE_CORS_ORIGINS,
                        patterns: #pats,
                    }
                },
            )
        }
    };
    let credentials = c.credentials.unwrap_or(false);
    let headers = named_headers(&p, c.headers.as_ref().unwrap_or(&Headers::None));
    let expose = named_expose(&p, c.expose.as_ref().unwrap_or(&Expose::None));
    let max_age = opt(c.max_age, |n| {
        let n = n.to_string();
        quote!(#n)
    });
    let private_network = c.private_network.unwrap_or(false);
    let plain_http = c.plain_http;
    let public_suffix = c.public_suffix;
    let allow_http = c.allow_http;
    let allow_public_suffix = c.allow_public_suffix;
    quote! {
        #(#attrs)*
        #vis static #name: #p::NamedPolicy = {
            #origin_statics
            #p::NamedPolicy {
                origins: #origins,
                credentials: #credentials,
                headers: #headers,
                expose: #expose,
                max_age: #max_age,
                private_network: #private_network,
                plain_http: #plain_http,
                public_suffix_wildcard: #public_suffix,
                allow_http_with_credentials: #allow_http,
                allow_public_suffix_wildcard_with_credentials: #allow_public_suffix,
            }
        };
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
    let p = quote!(#root::__private);
    let name = &item.sig.ident;
    let vis = &item.vis;
    let docs = item.attrs.iter().filter(|a| a.path().is_ident("doc"));
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
            TokenStream::new(),
        ),
    };

    quote! {
        #(#docs)*
        #[allow(non_camel_case_types, missing_docs)]
        #vis struct #name;

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
