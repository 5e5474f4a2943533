//! Lowering: checked keys to the runtime's const constructors. One lowering
//! serves inline policies, named-policy routes and `policy!`: each key's
//! runtime form is written once, in [`spec_fields`].

use cors_runtime::rules;
use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::quote;

use crate::attr::{Args, Given, ListOrAny};
use crate::route::Route;
use crate::valid::{Checked, Expose, Headers, Origins};

/// `METHODS /path`, for log lines.
fn route_label(route: &Route) -> String {
    format!("{} {}", route.methods.join("|"), route.path.value())
}

/// The fields of a `Spec` other than `route`, `origins` and `methods`, from
/// the checked keys; absent keys take their defaults.
fn spec_fields(p: &TokenStream, c: &Checked) -> TokenStream {
    let credentials = c.credentials.unwrap_or(false);
    let headers = headers(p, c.headers.as_ref().unwrap_or(&Headers::None));
    let expose = expose(p, c.expose.as_ref().unwrap_or(&Expose::None));
    let max_age = opt(c.max_age, max_age);
    let private_network = c.private_network.unwrap_or(false);
    let timing = c.timing.unwrap_or(false);
    let public_suffix = c.public_suffix;
    let allow_http = c.allow_http;
    let allow_public_suffix = c.allow_public_suffix;
    let allow_cross_origin_writes = c.allow_cross_origin_writes;
    quote! {
        credentials: #credentials,
        headers: #headers,
        expose: #expose,
        max_age: #max_age,
        private_network: #private_network,
        timing: #timing,
        public_suffix_wildcard: #public_suffix,
        allow_http: #allow_http,
        allow_public_suffix_wildcard: #allow_public_suffix,
        allow_cross_origin_writes: #allow_cross_origin_writes,
    }
}

fn headers(p: &TokenStream, h: &Headers) -> TokenStream {
    match h {
        Headers::None => quote!(#p::Headers::None),
        Headers::Any => quote!(#p::Headers::Any),
        Headers::List(names) => {
            let value = names.join(", ");
            quote!(#p::Headers::List(&[#(#names),*], #value))
        }
    }
}

fn expose(p: &TokenStream, e: &Expose) -> TokenStream {
    match e {
        Expose::None => quote!(#p::Expose::None),
        Expose::Any => quote!(#p::Expose::Any),
        Expose::List(v) => quote!(#p::Expose::List(#v)),
    }
}

fn max_age(n: u32) -> TokenStream {
    let n = n.to_string();
    quote!(#n)
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

/// The statics an origins value needs, and the `Origins` expression.
fn origins(p: &TokenStream, o: &Origins) -> (TokenStream, TokenStream) {
    match o {
        Origins::Any => (quote!(), quote!(#p::Origins::Any)),
        Origins::Runtime(path) => (
            quote!(),
            origin_set(p, path, |set| quote!(#p::Origins::Runtime(#set.core()))),
        ),
        Origins::List { exact, patterns } => {
            let n = exact.len();
            let patterns = patterns.iter().map(|text| {
                // Checked by `valid`; the parts are borrowed from `text`.
                let (scheme, tail) = rules::check_origin(text)
                    .ok()
                    .and_then(|o| o.pattern())
                    .map_or(("", ""), |p| p.__parts());
                quote!(#p::Pattern::__new(#scheme, #tail))
            });
            // The exact origins are a `static` array of their own: a
            // reference to an array of `HeaderValue`s is not promoted.
            (
                quote! {
                    static __ROUTE_CORS_EXACT: [#p::Exact; #n] = [#(#p::Exact::__new(#exact)),*];
                    static __ROUTE_CORS_ORIGINS: #p::OriginList =
                        #p::OriginList::__new(&__ROUTE_CORS_EXACT, &[#(#patterns),*]);
                },
                quote!(#p::Origins::List(&__ROUTE_CORS_ORIGINS)),
            )
        }
    }
}

/// `checked`, a call of a checked const constructor, spanned at `span`: a
/// refusal in its const evaluation is reported there (the constructors are
/// `#[track_caller]`), at the key that breaks the rule.
fn or_refuse(checked: TokenStream, span: Option<Span>) -> TokenStream {
    match span {
        Some(span) => respan(checked, span),
        None => checked,
    }
}

/// The key a const-evaluation refusal should point at: the origin set, for
/// a plain `OriginSet` with `credentials` (the one combination the
/// attribute cannot see).
fn set_span(c: &Checked) -> Option<Span> {
    match &c.origins {
        Some(Origins::Runtime(path)) => Some(last_segment_span(path)),
        _ => None,
    }
}

/// For each deprecated key written, an item naming the runtime's deprecated
/// marker for it, spanned at the key: rustc reports the deprecation there,
/// with the marker's note, and the lint levels the user set apply. Kept apart
/// from the policy's constructor, which [`or_refuse`] may respan.
fn deprecated_keys(p: &TokenStream, c: &Checked) -> TokenStream {
    c.private_network_key.map_or_else(TokenStream::new, |key| {
        respan(quote!(const _: () = #p::private_network();), key)
    })
}

/// `static __ROUTE_CORS_POLICY: Policy` for a route whose keys are all
/// written inline.
pub fn inline_policy(root: &TokenStream, route: &Route, c: &Checked) -> Option<TokenStream> {
    let p = quote!(#root::__private01);
    let route_label = route_label(route);
    let methods = &c.methods;
    let allow_methods = c.methods.join(", ");
    let (statics, origins) = origins(&p, c.origins.as_ref()?);
    let fields = spec_fields(&p, c);
    let policy = or_refuse(
        quote! {
            #p::Policy::__new(#p::Spec {
                route: #route_label,
                origins: #origins,
                methods: &[#(#methods),*],
                allow_methods: #allow_methods,
                #fields
            })
        },
        set_span(c),
    );
    let deprecated = deprecated_keys(&p, c);
    Some(quote! {
        #deprecated
        #statics
        static __ROUTE_CORS_POLICY: #p::Policy = #policy;
    })
}

/// `static __ROUTE_CORS_POLICY: Policy` for a route using a named policy,
/// built from it by const evaluation. An override that breaks a rule (for
/// example `credentials` on a policy whose origins are `"*"`) fails that
/// evaluation, with the error at the override.
pub fn named_route_policy(
    root: &TokenStream,
    path: &syn::Path,
    args: &Args,
    route: &Route,
    c: &Checked,
) -> TokenStream {
    let p = quote!(#root::__private01);
    let route_label = route_label(route);
    let methods = &c.methods;
    let allow_methods = c.methods.join(", ");
    let credentials = opt(c.credentials, |b| quote!(#b));
    let headers = opt(c.headers.as_ref(), |h| headers(&p, h));
    let expose = opt(c.expose.as_ref(), |e| expose(&p, e));
    let max_age = opt(c.max_age, max_age);
    let private_network = opt(c.private_network, |b| quote!(#b));
    let timing = opt(c.timing, |b| quote!(#b));
    let allow_http = c.allow_http;
    let allow_public_suffix = c.allow_public_suffix;
    let allow_cross_origin_writes = c.allow_cross_origin_writes;
    // Only `credentials`, `expose = "*"` and the cross-origin writes opt-in
    // can break a rule of a valid policy.
    let span = match (&args.credentials, &args.expose) {
        (Some(flag), _) if flag.value => Some(flag.key.span()),
        _ if args.dangerously_allow_cross_origin_writes.is_some() => args
            .dangerously_allow_cross_origin_writes
            .as_ref()
            .map(|flag| flag.key.span()),
        (
            _,
            Some(Given {
                value: ListOrAny::Any(star),
                ..
            }),
        ) => Some(star.span()),
        _ => None,
    };
    let policy = or_refuse(
        quote! {
            #p::NamedPolicy::__route(
                &#path,
                #route_label,
                &[#(#methods),*],
                #allow_methods,
                #p::Overrides {
                    credentials: #credentials,
                    headers: #headers,
                    expose: #expose,
                    max_age: #max_age,
                    private_network: #private_network,
                    timing: #timing,
                    allow_http: #allow_http,
                    allow_public_suffix_wildcard: #allow_public_suffix,
                    allow_cross_origin_writes: #allow_cross_origin_writes,
                },
            )
        },
        span,
    );
    let deprecated = deprecated_keys(&p, c);
    quote! {
        #deprecated
        static __ROUTE_CORS_POLICY: #p::Policy = #policy;
    }
}

/// The body of `policy!`'s `static`: the checked definition.
pub fn named_policy(p: &TokenStream, c: &Checked, origins_value: &Origins) -> TokenStream {
    let (statics, origins) = origins(p, origins_value);
    let fields = spec_fields(p, c);
    let policy = or_refuse(
        quote! {
            #p::NamedPolicy::__new(#p::Spec {
                route: "policy",
                origins: #origins,
                methods: &["GET"],
                allow_methods: "GET",
                #fields
            })
        },
        set_span(c),
    );
    let deprecated = deprecated_keys(p, c);
    quote! {{
        #deprecated
        #statics
        #policy
    }}
}

/// An expression reading the origin set `origins = path` names, as `body(set)`
/// where `set` is a local bound to it. When `path` is not an `OriginSet` or a
/// `CredentialedOriginSet` (a `const` slice, say), the one error is the
/// `OriginSource` bound of `origin_source`, at the path, saying what
/// `origins` accepts; `NotAnOriginSet` keeps the method calls of `body` from
/// adding "no method named" errors.
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

/// Every token of `tokens`, with `span`: a const-evaluation error then points
/// at one key of the attribute rather than at the whole attribute.
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
