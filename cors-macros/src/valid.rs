//! The policy rules of `#[cors]` and `policy!`: turns parsed arguments into
//! checked values in which no invalid policy can be represented. Origin,
//! method and header rules come from `cors_runtime::rules`, the same code that
//! checks origins read at startup; this module adds the rules that depend on
//! several keys (credentials with `"*"`, `http` or a public-suffix wildcard),
//! on the route, or on where the keys are written.

use cors_runtime::rules::{
    self, credentials_conflict, origin_conflict, Conflict, OriginKind, PolicyFacts,
};
use proc_macro2::Span;

use crate::attr::{Args, ListOrAny, OriginsArg};
use crate::ctxt::Ctxt;
use crate::route::Route;

pub enum Origins {
    Any,
    List {
        /// Sorted, deduplicated.
        exact: Vec<String>,
        /// `*.` patterns, as written (and checked).
        patterns: Vec<String>,
    },
    Runtime(syn::Path),
}

pub enum Headers {
    None,
    List(Vec<String>),
    Any,
}

pub enum Expose {
    /// `expose = []`.
    None,
    /// The lower-case names joined with `, `.
    List(String),
    Any,
}

/// Where the keys are written.
pub enum Mode<'a> {
    /// `#[cors(..)]` without `policy`: a complete policy for this route.
    Inline(&'a Route),
    /// `#[cors(policy = NAME, ..)]`: overrides of a named policy for this route.
    Overrides(&'a Route),
    /// `policy!(NAME, ..)`: a named policy, without methods.
    Definition,
}

/// Every key, checked. `None` means the key is absent (or was rejected, in
/// which case an error was reported).
pub struct Checked {
    pub origins: Option<Origins>,
    /// A `*.` pattern on a public suffix is listed.
    pub public_suffix: bool,
    pub credentials: Option<bool>,
    pub methods: Vec<String>,
    pub headers: Option<Headers>,
    pub expose: Option<Expose>,
    pub max_age: Option<u32>,
    pub private_network: Option<bool>,
    pub allow_http: bool,
    pub allow_public_suffix: bool,
}

pub fn validate(args: &Args, mode: Mode<'_>, cx: &mut Ctxt) -> Checked {
    let credentials = args.credentials.as_ref().map(|f| f.value);
    let with_credentials = credentials == Some(true);
    let allow_http = args
        .dangerously_allow_http
        .as_ref()
        .is_some_and(|f| f.value);
    let allow_public_suffix = args
        .dangerously_allow_public_suffix
        .as_ref()
        .is_some_and(|f| f.value);

    match (&mode, &args.policy) {
        (Mode::Definition, Some((key, _))) => cx.spanned(
            key,
            "a named policy cannot use another one; write its keys here, or use both policies on different routes",
        ),
        (Mode::Definition, None) => {
            if let Some((key, _)) = &args.methods {
                cx.spanned(
                    key,
                    "a named policy has no `methods`: each route allows its own methods; write `methods = [..]` in the `#[cors(policy = ..)]` of the route",
                );
            }
        }
        _ => {}
    }

    let mut public_suffix = false;
    let origins = match (&args.origins, &mode) {
        (Some((key, _)), Mode::Overrides(_)) => {
            cx.spanned(
                key,
                "a route using a named policy takes its origins from the policy; remove `origins`, or define another policy with these origins",
            );
            None
        }
        (None, Mode::Overrides(_)) => None,
        (None, _) if args.origins_given => None,
        (None, _) => {
            cx.at(
                Span::call_site(),
                "a CORS policy needs `origins`: a list such as `origins = [\"https://app.example.com\"]`, `origins = \"*\"`, or the path of a `static OriginSet`",
            );
            None
        }
        (Some((_, OriginsArg::Any(star))), _) => {
            let facts = PolicyFacts {
                credentials: with_credentials,
                any_origin: true,
                ..PolicyFacts::NONE
            };
            if let Some(conflict) = credentials_conflict(&facts) {
                cx.spanned(star, conflict.message_in_code());
            }
            Some(Origins::Any)
        }
        (Some((_, OriginsArg::Runtime(path))), _) => Some(Origins::Runtime(path.clone())),
        (Some((_, OriginsArg::List(arr, lits))), _) => {
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
                let o = match rules::check_origin(&value) {
                    Err(e) => {
                        cx.spanned(lit, e);
                        continue;
                    }
                    Ok(o) => o,
                };
                let conflict = origin_conflict(&o);
                public_suffix |= conflict == Some(Conflict::PublicSuffixWildcard);
                let facts = PolicyFacts {
                    credentials: with_credentials,
                    plain_http: conflict == Some(Conflict::PlainHttp),
                    public_suffix_wildcard: conflict == Some(Conflict::PublicSuffixWildcard),
                    allow_http,
                    allow_public_suffix_wildcard: allow_public_suffix,
                    ..PolicyFacts::NONE
                };
                if let Some(conflict) = credentials_conflict(&facts) {
                    cx.spanned(
                        lit,
                        format!("origin `{value}`: {}", conflict.message_in_code()),
                    );
                }
                let dup = exact.contains(&value) || patterns.contains(&value);
                if dup {
                    cx.spanned(lit, format!("origin `{value}` is listed twice; remove one"));
                } else if o.kind == OriginKind::Exact {
                    exact.push(value.clone());
                } else {
                    patterns.push(value.clone());
                }
            }
            exact.sort();
            Some(Origins::List { exact, patterns })
        }
    };

    let methods = match (&mode, &args.methods) {
        (Mode::Definition, _) => Vec::new(),
        (Mode::Inline(route) | Mode::Overrides(route), None) => {
            for m in &route.methods {
                if rules::check_method(m).is_err() {
                    cx.spanned(
                        &route.attr_path,
                        format!("a `{m}` route cannot use CORS: the Fetch standard forbids `{m}`, so browsers never send it cross-origin; remove `#[cors]`"),
                    );
                }
            }
            route.methods.clone()
        }
        (Mode::Inline(route) | Mode::Overrides(route), Some((key, list))) => {
            if list.is_empty() {
                cx.spanned(
                    key,
                    "`methods` is empty; remove the key to allow the route's own methods",
                );
            }
            let mut out: Vec<String> = Vec::new();
            for (m, span) in list {
                let upper = m.to_ascii_uppercase();
                if let Err(e) = rules::check_method(m) {
                    cx.at(*span, e);
                } else if upper != *m && route.methods.contains(&upper) {
                    cx.at(
                        *span,
                        format!(
                            "methods are case-sensitive: `{m}` is not `{upper}`; write `{upper}`"
                        ),
                    );
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
        None => None,
        Some((_, ListOrAny::Any(_))) => Some(Headers::Any),
        Some((_, ListOrAny::List(lits))) => {
            let mut out: Vec<String> = Vec::new();
            for lit in lits {
                match rules::check_request_header(&lit.value()) {
                    Err(e) => cx.spanned(lit, e),
                    Ok(h) if !out.contains(&h) => out.push(h),
                    Ok(_) => {}
                }
            }
            Some(if out.is_empty() {
                Headers::None
            } else {
                Headers::List(out)
            })
        }
    };

    let expose = match &args.expose {
        None => None,
        Some((_, ListOrAny::Any(star))) => {
            let facts = PolicyFacts {
                credentials: with_credentials,
                expose_any: true,
                ..PolicyFacts::NONE
            };
            if let Some(conflict) = credentials_conflict(&facts) {
                cx.spanned(star, conflict.message_in_code());
            }
            Some(Expose::Any)
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
            Some(if out.is_empty() {
                Expose::None
            } else {
                Expose::List(out.join(", "))
            })
        }
    };

    let max_age = match &args.max_age {
        None => None,
        Some((_, n, tokens)) => match rules::check_max_age(*n) {
            Ok(v) => Some(v),
            Err(e) => {
                cx.spanned(tokens, e);
                None
            }
        },
    };

    Checked {
        origins,
        public_suffix,
        credentials,
        methods,
        headers,
        expose,
        max_age,
        private_network: args.private_network.as_ref().map(|f| f.value),
        allow_http,
        allow_public_suffix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_suffix_wildcards() {
        for (s, risky) in [
            ("https://*.com", true),
            ("https://*.co.uk", true),
            ("https://*.github.io", true),
            ("https://*.example.com", false),
            ("https://*.user.github.io", false),
            ("https://*.example.co.uk", false),
            ("http://*.localhost:3000", false),
            ("https://app.com", false),
        ] {
            let o = rules::check_origin(s).unwrap();
            assert_eq!(rules::is_public_suffix_wildcard(&o), risky, "{s}");
        }
    }
}
