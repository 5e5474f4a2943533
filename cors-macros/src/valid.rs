//! The policy rules of `#[cors]`: turns parsed arguments into a [`Config`] in
//! which no invalid policy can be represented. Origin, method and header rules
//! come from `cors_runtime::rules`, the same code that checks origins read at
//! startup.

use cors_runtime::rules::{self, OriginKind};
use proc_macro2::Span;

use crate::attr::{Args, ListOrAny, OriginsArg};
use crate::ctxt::Ctxt;
use crate::route::Route;

pub enum Origins {
    Any,
    List {
        /// Sorted, deduplicated.
        exact: Vec<String>,
        /// (scheme, host suffix, port)
        patterns: Vec<(String, String, Option<u16>)>,
    },
    Runtime(syn::Path),
}

pub enum Headers {
    None,
    List(Vec<String>),
    Any,
}

/// A valid policy.
pub struct Config {
    pub origins: Origins,
    pub credentials: bool,
    pub methods: Vec<String>,
    pub headers: Headers,
    pub expose: Option<String>,
    pub max_age: Option<u32>,
    pub private_network: bool,
}

pub fn validate(args: &Args, route: &Route, cx: &mut Ctxt) -> Option<Config> {
    let credentials = args.credentials.as_ref().is_some_and(|f| f.value);
    let allow_http = args
        .dangerously_allow_http
        .as_ref()
        .is_some_and(|f| f.value);

    let origins = match &args.origins {
        None => {
            cx.at(
                Span::call_site(),
                "`#[cors]` needs `origins`: a list such as `origins = [\"https://app.example.com\"]`, or `origins = \"*\"`",
            );
            None
        }
        Some((_, OriginsArg::Any(star))) => {
            if credentials {
                let cred = &args.credentials.as_ref().map(|f| f.key.clone());
                cx.spanned(
                    star,
                    "`origins = \"*\"` cannot be combined with `credentials`: browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests; list the allowed origins instead",
                );
                cx.spanned(
                    cred,
                    "`credentials` cannot be combined with `origins = \"*\"`; list the allowed origins, or remove `credentials`",
                );
            }
            Some(Origins::Any)
        }
        Some((_, OriginsArg::Runtime(path))) => Some(Origins::Runtime(path.clone())),
        Some((_, OriginsArg::List(arr, lits))) => {
            if arr.elems.is_empty() {
                cx.spanned(
                    arr,
                    "`origins` is empty, so no origin would be allowed; list at least one origin, such as `[\"https://app.example.com\"]`",
                );
            }
            let mut exact: Vec<String> = Vec::new();
            let mut patterns = Vec::new();
            for lit in lits {
                let value = lit.value();
                match rules::check_origin(&value) {
                    Err(e) => cx.spanned(lit, e),
                    Ok(o) => {
                        if credentials && o.scheme == "http" && !o.is_loopback() && !allow_http {
                            cx.spanned(
                                lit,
                                format!("origin `{value}` is plain `http` and the route allows `credentials`: cookies and tokens would cross the network unencrypted; use `https://`, or add `dangerously_allow_http_with_credentials` if this is intended"),
                            );
                        }
                        let dup = exact.contains(&value)
                            || patterns
                                .iter()
                                .any(|(s, h, p): &(String, String, Option<u16>)| {
                                    o.kind == OriginKind::Pattern
                                        && s == o.scheme
                                        && h == o.host
                                        && *p == o.port
                                });
                        if dup {
                            cx.spanned(
                                lit,
                                format!("origin `{value}` is listed twice; remove one"),
                            );
                        } else if o.kind == OriginKind::Exact {
                            exact.push(value.clone());
                        } else {
                            patterns.push((o.scheme.to_owned(), o.host.to_owned(), o.port));
                        }
                    }
                }
            }
            exact.sort();
            Some(Origins::List { exact, patterns })
        }
    };

    let methods = match &args.methods {
        None => route.methods.clone(),
        Some((key, list)) => {
            if list.is_empty() {
                cx.spanned(
                    key,
                    "`methods` is empty; remove the key to allow the route's own methods",
                );
            }
            let mut out: Vec<String> = Vec::new();
            for (m, span) in list {
                if let Err(e) = rules::check_method(m) {
                    cx.at(*span, e);
                } else if !route.methods.contains(m) {
                    cx.at(
                        *span,
                        format!(
                            "method `{m}` is not served by this route, which serves {}; remove it, or serve it in the routing attribute",
                            route.methods.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
                        ),
                    );
                } else if !out.contains(m) {
                    out.push(m.clone());
                }
            }
            out
        }
    };

    let headers = match &args.headers {
        None => Headers::None,
        Some((_, ListOrAny::Any(_))) => Headers::Any,
        Some((_, ListOrAny::List(lits))) => {
            let mut out: Vec<String> = Vec::new();
            for lit in lits {
                match rules::check_request_header(&lit.value()) {
                    Err(e) => cx.spanned(lit, e),
                    Ok(h) if !out.contains(&h) => out.push(h),
                    Ok(_) => {}
                }
            }
            if out.is_empty() {
                Headers::None
            } else {
                Headers::List(out)
            }
        }
    };

    let expose = match &args.expose {
        None => None,
        Some((_, ListOrAny::Any(star))) => {
            if credentials {
                let cred = &args.credentials.as_ref().map(|f| f.key.clone());
                cx.spanned(
                    star,
                    "`expose = \"*\"` cannot be combined with `credentials`: browsers read `*` as a header literally named `*` on credentialed requests; list the headers to expose",
                );
                cx.spanned(cred, "`credentials` cannot be combined with `expose = \"*\"`; list the headers to expose");
            }
            Some("*".to_owned())
        }
        Some((_, ListOrAny::List(lits))) => {
            let mut out: Vec<String> = Vec::new();
            for lit in lits {
                match rules::check_exposed_header(&lit.value()) {
                    Err(e) => cx.spanned(lit, e),
                    Ok(h) if !out.contains(&h) => out.push(h),
                    Ok(_) => {}
                }
            }
            (!out.is_empty()).then(|| out.join(", "))
        }
    };

    let max_age = match &args.max_age {
        None => None,
        Some((_, n, span)) => match rules::check_max_age(*n) {
            Ok(v) => Some(v),
            Err(e) => {
                cx.at(*span, e);
                None
            }
        },
    };

    Some(Config {
        origins: origins?,
        credentials,
        methods,
        headers,
        expose,
        max_age,
        private_network: args.private_network.as_ref().is_some_and(|f| f.value),
    })
}
