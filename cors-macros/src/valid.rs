//! The policy rules of `#[cors]` and `policy!`: turns parsed arguments into
//! checked values in which no invalid policy can be represented. Origin,
//! method and header rules come from `cors_runtime::rules`, the same code that
//! checks origins read at startup; this module adds the rules that depend on
//! several keys (credentials with `"*"`, `http` or a public-suffix wildcard),
//! on the route, or on where the keys are written.

use cors_runtime::rules::{
    self, credentials_conflict, origin_conflict, Conflict, Origin, OriginKind, PolicyFacts,
    Wildcard,
};
use proc_macro2::Span;
use syn::{Ident, LitStr};

use crate::attr::{Args, Flag, ListOrAny, MaxAge, Method, OriginsArg};
use crate::ctxt::Ctxt;
use crate::route::Route;

pub enum Origins {
    Any,
    List {
        /// Sorted, deduplicated.
        exact: Vec<String>,
        /// Patterns (`*.`, a `*` in the leftmost label, `:*`), as written
        /// (and checked).
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
    /// Where the deprecated `private_network` key is written.
    pub private_network_key: Option<Span>,
    pub timing: Option<bool>,
    pub allow_http: bool,
    pub allow_public_suffix: bool,
    pub allow_cross_origin_writes: bool,
}

pub fn validate(args: &Args, mode: Mode<'_>, cx: &mut Ctxt) -> Checked {
    let facts = key_facts(args);
    mode_rules(args, &mode, cx);
    let (origins, public_suffix) = origins(args, &mode, &facts, cx);
    writes_rules(args, origins.as_ref(), &facts, cx);
    Checked {
        origins,
        public_suffix,
        credentials: args.credentials.as_ref().map(|f| f.value),
        methods: methods(args, &mode, cx),
        headers: headers(args, cx),
        expose: expose(args, &facts, cx),
        max_age: max_age(args, cx),
        private_network: args.private_network.as_ref().map(|f| f.value),
        private_network_key: args.private_network.as_ref().map(|f| f.key.span()),
        timing: args.timing.as_ref().map(|f| f.value),
        allow_http: facts.allow_http,
        allow_public_suffix: facts.allow_public_suffix_wildcard,
        allow_cross_origin_writes: facts.allow_cross_origin_writes,
    }
}

/// What the keys say for the credential rules: `credentials` and its opt-ins.
/// The facts of each value (`"*"`, an `http` origin..) are added to these.
fn key_facts(args: &Args) -> PolicyFacts {
    let on = |flag: &Option<Flag>| flag.as_ref().is_some_and(|f| f.value);
    PolicyFacts {
        credentials: on(&args.credentials),
        allow_http: on(&args.dangerously_allow_http),
        allow_public_suffix_wildcard: on(&args.dangerously_allow_public_suffix),
        allow_cross_origin_writes: on(&args.dangerously_allow_cross_origin_writes),
        ..PolicyFacts::NONE
    }
}

/// `dangerously_allow_cross_origin_writes` with `origins = "*"`, where it
/// has no effect: reported at the key, which is what to remove.
fn writes_rules(args: &Args, origins: Option<&Origins>, facts: &PolicyFacts, cx: &mut Ctxt) {
    let facts = PolicyFacts {
        any_origin: matches!(origins, Some(Origins::Any)),
        ..*facts
    };
    if let (Some(conflict), Some(flag)) = (
        rules::writes_conflict(&facts),
        &args.dangerously_allow_cross_origin_writes,
    ) {
        cx.spanned(&flag.key, conflict.message_in_code());
    }
}

/// Reports, at `at`, the credential rule `facts` break, if any.
fn credential_rules(facts: &PolicyFacts, at: &LitStr, cx: &mut Ctxt) {
    if let Some(conflict) = credentials_conflict(facts) {
        cx.spanned(at, conflict.message_in_code());
    }
}

/// The rules of `policy!`: no other policy, no methods.
fn mode_rules(args: &Args, mode: &Mode<'_>, cx: &mut Ctxt) {
    if !matches!(mode, Mode::Definition) {
        return;
    }
    if let Some(policy) = &args.policy {
        cx.spanned(
            &policy.key,
            "a named policy cannot use another one; write its keys here, or use both policies on different routes",
        );
    } else if let Some(methods) = &args.methods {
        cx.spanned(
            &methods.key,
            "a named policy has no `methods`: each route allows its own methods; write `methods = [..]` in the `#[cors(policy = ..)]` of the route",
        );
    }
}

/// The checked origins, and whether a public-suffix wildcard is listed.
fn origins(
    args: &Args,
    mode: &Mode<'_>,
    facts: &PolicyFacts,
    cx: &mut Ctxt,
) -> (Option<Origins>, bool) {
    let overrides = matches!(mode, Mode::Overrides(_));
    let Some(given) = &args.origins else {
        if !overrides && !args.origins_given {
            cx.at(
                Span::call_site(),
                "a CORS policy needs `origins`: a list such as `origins = [\"https://app.example.com\"]`, `origins = \"*\"`, or the path of a `static OriginSet`",
            );
        }
        return (None, false);
    };
    if overrides {
        cx.spanned(
            &given.key,
            "a route using a named policy takes its origins from the policy; remove `origins`, or define another policy with these origins",
        );
        return (None, false);
    }
    let (origins, public_suffix) = origins_value(&given.value, facts, cx);
    (Some(origins), public_suffix)
}

/// `"*"`, a list, or an origin set, checked.
fn origins_value(value: &OriginsArg, facts: &PolicyFacts, cx: &mut Ctxt) -> (Origins, bool) {
    match value {
        OriginsArg::Any(star) => {
            let any = PolicyFacts {
                any_origin: true,
                ..*facts
            };
            credential_rules(&any, star, cx);
            (Origins::Any, false)
        }
        OriginsArg::Runtime(path) => (Origins::Runtime(path.clone()), false),
        OriginsArg::List { array, origins } => {
            if array.elems.is_empty() {
                cx.spanned(
                    array,
                    "`origins` is empty, so no origin would be allowed; list at least one origin, such as `[\"https://app.example.com\"]`",
                );
            }
            origin_list(origins, facts, cx)
        }
    }
}

/// `origins = [..]`: each origin checked, against the credential rules too,
/// and listed once.
fn origin_list(lits: &[LitStr], facts: &PolicyFacts, cx: &mut Ctxt) -> (Origins, bool) {
    let mut exact: Vec<String> = Vec::new();
    let mut patterns = Vec::new();
    let mut public_suffix = false;
    for lit in lits {
        let value = lit.value();
        let o = match rules::check_origin(&value) {
            Err(e) => {
                cx.spanned(lit, e);
                continue;
            }
            Ok(o) => o,
        };
        public_suffix |= listed_origin_rules(lit, &o, facts, cx);
        if exact.contains(&value) || patterns.contains(&value) {
            cx.spanned(lit, format!("origin `{value}` is listed twice; remove one"));
        } else if o.kind == OriginKind::Exact {
            exact.push(value);
        } else {
            patterns.push(value);
        }
    }
    exact.sort();
    (Origins::List { exact, patterns }, public_suffix)
}

/// The credential rules for one listed origin (`http`, a public-suffix
/// wildcard); whether it is a public-suffix wildcard.
fn listed_origin_rules(lit: &LitStr, o: &Origin<'_>, facts: &PolicyFacts, cx: &mut Ctxt) -> bool {
    let conflict = origin_conflict(o);
    let origin_facts = PolicyFacts {
        plain_http: conflict == Some(Conflict::PlainHttp),
        public_suffix_wildcard: conflict == Some(Conflict::PublicSuffixWildcard),
        ..*facts
    };
    if let Some(broken) = credentials_conflict(&origin_facts) {
        let value = lit.value();
        let message = match (broken, o.wildcard, rules::wildcard_risk(o)) {
            // The `*.` wording of the conflict does not fit `app-*.vercel.app`:
            // say who can fill the `*`.
            (Conflict::PublicSuffixWildcard, Wildcard::InLabel { .. }, Some(risk)) => format!(
                "origin `{value}`: {risk}, so it cannot be combined with `credentials`; list exact origins or a wildcard on your own domain, or add `{}` if this is intended",
                broken.opt_in().unwrap_or_default()
            ),
            _ => format!("origin `{value}`: {}", broken.message_in_code()),
        };
        cx.spanned(lit, message);
    }
    conflict == Some(Conflict::PublicSuffixWildcard)
}

/// The methods allowed: those listed, else the route's own; none for `policy!`.
fn methods(args: &Args, mode: &Mode<'_>, cx: &mut Ctxt) -> Vec<String> {
    let (Mode::Inline(route) | Mode::Overrides(route)) = mode else {
        return Vec::new();
    };
    match &args.methods {
        None => route_methods(route, cx),
        Some(given) => listed_methods(&given.key, &given.value, route, cx),
    }
}

/// The route's own methods, which must be allowed cross-origin.
fn route_methods(route: &Route, cx: &mut Ctxt) -> Vec<String> {
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

/// `methods = [..]`: valid methods the route serves, each once.
fn listed_methods(key: &Ident, list: &[Method], route: &Route, cx: &mut Ctxt) -> Vec<String> {
    if list.is_empty() {
        cx.spanned(
            key,
            "`methods` is empty; remove the key to allow the route's own methods",
        );
    }
    let mut out: Vec<String> = Vec::new();
    for Method { name: m, span } in list {
        let upper = m.to_ascii_uppercase();
        if let Err(e) = rules::check_method(m) {
            cx.at(*span, e);
        } else if upper != *m && route.methods.contains(&upper) {
            cx.at(
                *span,
                format!("methods are case-sensitive: `{m}` is not `{upper}`; write `{upper}`"),
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

/// Header names, each checked by `check`, lower-cased and listed once.
fn header_names(
    lits: &[LitStr],
    check: fn(&str) -> Result<String, rules::NameError>,
    cx: &mut Ctxt,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for lit in lits {
        match check(&lit.value()) {
            Err(e) => cx.spanned(lit, e),
            Ok(h) if !out.contains(&h) => out.push(h),
            Ok(_) => {}
        }
    }
    out
}

fn headers(args: &Args, cx: &mut Ctxt) -> Option<Headers> {
    Some(match &args.headers.as_ref()?.value {
        ListOrAny::Any(_) => Headers::Any,
        ListOrAny::List(lits) => {
            let names = header_names(lits, rules::check_request_header, cx);
            if names.is_empty() {
                Headers::None
            } else {
                Headers::List(names)
            }
        }
    })
}

fn expose(args: &Args, facts: &PolicyFacts, cx: &mut Ctxt) -> Option<Expose> {
    Some(match &args.expose.as_ref()?.value {
        ListOrAny::Any(star) => {
            let any = PolicyFacts {
                expose_any: true,
                ..*facts
            };
            credential_rules(&any, star, cx);
            Expose::Any
        }
        ListOrAny::List(lits) => {
            let names = header_names(lits, rules::check_exposed_header, cx);
            if names.is_empty() {
                Expose::None
            } else {
                Expose::List(names.join(", "))
            }
        }
    })
}

fn max_age(args: &Args, cx: &mut Ctxt) -> Option<u32> {
    let MaxAge { seconds, tokens } = &args.max_age.as_ref()?.value;
    match rules::check_max_age(*seconds) {
        Ok(v) => Some(v),
        Err(e) => {
            cx.spanned(tokens, e);
            None
        }
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
            ("https://myapp-*-myteam.vercel.app", true),
            ("https://pr-*.netlify.app", true),
            ("https://pr-*.preview.example.com", false),
            ("http://localhost:*", false),
            ("https://*.example.com:*", false),
        ] {
            let o = rules::check_origin(s).unwrap();
            assert_eq!(rules::is_public_suffix_wildcard(&o), risky, "{s}");
        }
    }
}
