//! A route's CORS policy, validated when it is built and with every header
//! value ready.
//!
//! Nothing outside this crate can write a [`Policy`] field by field: the
//! fields are private, and the only constructors are `const fn`s whose
//! evaluation refuses what the validator refuses. The `#[cors]` attribute
//! calls them in a `static`, so a policy is checked once, by the compiler,
//! and nothing is checked again per request.

use actix_web::http::header::HeaderValue;

use crate::rules::{
    self, credentials_conflict, writes_conflict, Conflict, Pattern, PolicyFacts, MAX_AGE_LIMIT,
};
use crate::sets::OriginSet;

/// One exact origin of a compile-time allow-list, with its ready-made
/// `Access-Control-Allow-Origin` value.
#[derive(Debug)]
pub struct Exact {
    pub(crate) text: &'static str,
    pub(crate) value: HeaderValue,
}

impl Exact {
    /// An exact origin the `#[cors]` attribute checked. Const evaluation
    /// refuses text that is not a serialized origin's shape: empty, upper
    /// case, spaces, no `scheme://`, a path, a query, a wildcard, `null`.
    #[doc(hidden)]
    #[track_caller]
    pub const fn __new(text: &'static str) -> Self {
        assert!(
            is_origin_shape(text.as_bytes()),
            "an exact origin is `scheme://host[:port]`, in lower case, without a path"
        );
        Self {
            text,
            value: HeaderValue::from_static(text),
        }
    }
}

/// Whether `s` has the shape of a serialized origin: `scheme://authority`,
/// visible lower-case ASCII, no `/`, `?`, `#`, `*` or `@` after the scheme.
const fn is_origin_shape(s: &[u8]) -> bool {
    let mut i = 0;
    let mut sep = None;
    while i < s.len() {
        let b = s[i];
        if !b.is_ascii_graphic() || b.is_ascii_uppercase() {
            return false;
        }
        if sep.is_none() && i + 2 < s.len() && b == b':' && s[i + 1] == b'/' && s[i + 2] == b'/' {
            sep = Some(i);
            i += 3;
            continue;
        }
        if sep.is_some() && matches!(b, b'/' | b'?' | b'#' | b'*' | b'@') {
            return false;
        }
        i += 1;
    }
    match sep {
        // A scheme, then a non-empty authority.
        Some(at) => at > 0 && at + 3 < s.len() && s[0].is_ascii_lowercase(),
        None => false,
    }
}

/// An allow-list of origins known at compile time: exact origins sorted
/// bytewise (a lookup costs `log2(n)` comparisons), then `*.` patterns.
#[derive(Debug)]
pub struct OriginList {
    pub(crate) exact: &'static [Exact],
    pub(crate) patterns: &'static [Pattern<'static>],
    /// A plain-`http` origin that is not loopback is listed.
    plain_http: bool,
}

impl OriginList {
    /// The list of a route's checked origins. Const evaluation refuses an
    /// empty list, exact origins that are not sorted or are repeated, and a
    /// repeated pattern.
    #[doc(hidden)]
    #[track_caller]
    pub const fn __new(exact: &'static [Exact], patterns: &'static [Pattern<'static>]) -> Self {
        assert!(
            !exact.is_empty() || !patterns.is_empty(),
            "an origin list allows at least one origin"
        );
        let mut plain_http = false;
        let mut i = 0;
        while i < exact.len() {
            let text = exact[i].text.as_bytes();
            if i > 0 {
                assert!(
                    is_before(exact[i - 1].text.as_bytes(), text),
                    "exact origins are sorted bytewise and listed once"
                );
            }
            plain_http |= is_plain_http(text);
            i += 1;
        }
        let mut i = 0;
        while i < patterns.len() {
            let mut j = 0;
            while j < i {
                assert!(!patterns[i].same(&patterns[j]), "a pattern is listed once");
                j += 1;
            }
            plain_http |= patterns[i].is_plain_http();
            i += 1;
        }
        Self {
            exact,
            patterns,
            plain_http,
        }
    }
}

/// Whether `a < b` bytewise.
const fn is_before(a: &[u8], b: &[u8]) -> bool {
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() < b.len()
}

/// Whether an exact origin is plain `http` on a host that is not loopback.
const fn is_plain_http(origin: &[u8]) -> bool {
    const HTTP: &[u8] = b"http://";
    if !rules::starts_with(origin, HTTP) {
        return false;
    }
    let (_, authority) = origin.split_at(HTTP.len());
    // The host ends at the port's `:`, after an IPv6 address's `]`.
    let mut end = authority.len();
    let mut i = authority.len();
    while i > 0 {
        i -= 1;
        if authority[i] == b']' {
            break;
        }
        if authority[i] == b':' {
            end = i;
            break;
        }
    }
    let (host, _) = authority.split_at(end);
    !rules::is_loopback_host(rules::host_kind_of(host), host)
}

/// Which origins a route allows, as the attribute lowers them.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum Origins {
    /// `origins = "*"`.
    Any,
    /// A list known at compile time.
    List(&'static OriginList),
    /// A set filled at startup.
    Runtime(&'static OriginSet),
}

/// Which request headers a route allows, as the attribute lowers them.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum Headers {
    /// Only CORS-safelisted headers.
    None,
    /// These lower-case names, and the same names joined with `, `.
    List(&'static [&'static str], &'static str),
    /// `headers = "*"`.
    Any,
}

/// Which response headers a route exposes, as the attribute lowers them.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum Expose {
    /// None.
    None,
    /// The lower-case names joined with `, `.
    List(&'static str),
    /// `expose = "*"`.
    Any,
}

/// Every key of a route's policy, lowered to plain data: what
/// [`Policy::__new`] checks and builds from.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// `METHOD /path` of the route, for log lines.
    pub route: &'static str,
    /// Allowed origins.
    pub origins: Origins,
    /// `credentials`.
    pub credentials: bool,
    /// Methods a preflight may ask for, matched byte-exactly.
    pub methods: &'static [&'static str],
    /// The same methods joined with `, `.
    pub allow_methods: &'static str,
    /// Allowed request headers.
    pub headers: Headers,
    /// Exposed response headers.
    pub expose: Expose,
    /// `max_age`, in decimal seconds.
    pub max_age: Option<&'static str>,
    /// `private_network`.
    pub private_network: bool,
    /// `timing`: `Timing-Allow-Origin` on actual responses.
    pub timing: bool,
    /// A `*.` pattern on a public suffix is listed (the attribute knows the
    /// Public Suffix List; const evaluation cannot).
    pub public_suffix_wildcard: bool,
    /// `dangerously_allow_http_with_credentials`.
    pub allow_http: bool,
    /// `dangerously_allow_public_suffix_wildcard_with_credentials`.
    pub allow_public_suffix_wildcard: bool,
    /// `dangerously_allow_cross_origin_writes`: cross-origin writes from
    /// origins the policy does not allow still run the handler.
    pub allow_cross_origin_writes: bool,
}

/// Which origins a built policy allows.
#[derive(Debug)]
pub(crate) enum AllowOrigin {
    /// Any origin: every actual response carries `Access-Control-Allow-Origin: *`.
    Any,
    /// A fixed allow-list, known at compile time.
    List(&'static OriginList),
    /// An allow-list read at startup.
    Runtime(&'static OriginSet),
}

/// Which request headers a built policy allows.
#[derive(Debug)]
pub(crate) enum AllowHeaders {
    /// Only CORS-safelisted headers; no `Access-Control-Allow-Headers` is sent.
    None,
    /// These lower-case names; `value` is the ready-made header value.
    List {
        names: &'static [&'static str],
        value: HeaderValue,
    },
    /// Any header (`headers = "*"`).
    Any,
}

/// A route's complete CORS policy, valid by construction.
///
/// The `#[cors]` attribute builds one per route, in a `static`; its fields
/// are private, and its constructor refuses every invalid combination during
/// compilation.
#[derive(Debug)]
pub struct Policy {
    /// `METHOD /path` of the route, for log lines.
    pub(crate) route: &'static str,
    pub(crate) origins: AllowOrigin,
    pub(crate) credentials: bool,
    /// Methods a preflight may ask for, matched byte-exactly.
    pub(crate) methods: &'static [&'static str],
    /// The `Access-Control-Allow-Methods` value.
    pub(crate) allow_methods: HeaderValue,
    pub(crate) headers: AllowHeaders,
    /// The `Access-Control-Expose-Headers` value, if any.
    pub(crate) expose: Option<HeaderValue>,
    /// The `Access-Control-Max-Age` value, if any.
    pub(crate) max_age: Option<HeaderValue>,
    pub(crate) private_network: bool,
    /// Whether actual responses carry `Timing-Allow-Origin`, as ACAO.
    pub(crate) timing: bool,
    /// Whether cross-origin writes from origins the policy does not allow
    /// are refused before the handler runs (on unless
    /// `dangerously_allow_cross_origin_writes`).
    pub(crate) protects_writes: bool,
}

impl Policy {
    /// Checks `spec` and builds the policy.
    ///
    /// Const evaluation refuses a combination of keys the rules refuse, with
    /// the rule's message, and what no checked attribute produces: no
    /// methods, methods or header names that are not tokens or do not match
    /// their joined value, an empty header list, a `max_age` that is not a
    /// number of seconds up to [`MAX_AGE_LIMIT`]. `#[track_caller]`: the
    /// compile error points at the call, which the code `#[cors]` generates
    /// spans at the key that breaks the rule.
    #[doc(hidden)]
    #[track_caller]
    pub const fn __new(spec: Spec) -> Policy {
        if let Some(conflict) = Self::check(&spec) {
            panic!("{}", conflict.message_in_code());
        }
        Self::build(spec)
    }

    /// The rule `spec` breaks, if any; panics on what no checked attribute
    /// produces (see [`Policy::__new`]).
    #[track_caller]
    pub(crate) const fn check(spec: &Spec) -> Option<Conflict> {
        assert!(!spec.route.is_empty(), "a policy names its route");
        assert!(
            !spec.methods.is_empty(),
            "a policy allows at least one method"
        );
        assert!(
            is_joined(spec.methods, spec.allow_methods.as_bytes(), false),
            "`allow_methods` is the methods, each a token, joined with `, `"
        );
        let facts = PolicyFacts {
            credentials: spec.credentials,
            any_origin: matches!(spec.origins, Origins::Any),
            unchecked_origin_set: match spec.origins {
                Origins::Runtime(set) => !set.checks_credentials(),
                _ => false,
            },
            expose_any: matches!(spec.expose, Expose::Any),
            plain_http: match spec.origins {
                Origins::List(list) => list.plain_http,
                _ => false,
            },
            public_suffix_wildcard: spec.public_suffix_wildcard,
            allow_http: spec.allow_http,
            allow_public_suffix_wildcard: spec.allow_public_suffix_wildcard,
            allow_cross_origin_writes: spec.allow_cross_origin_writes,
        };
        if let Headers::List(names, value) = spec.headers {
            assert!(
                !names.is_empty() && is_joined(names, value.as_bytes(), true),
                "allowed headers are lower-case tokens, and `value` is them joined with `, `"
            );
        }
        if let Expose::List(v) = spec.expose {
            assert!(
                is_name_list(v.as_bytes()),
                "exposed headers are lower-case tokens joined with `, `"
            );
        }
        if let Some(v) = spec.max_age {
            assert!(
                is_max_age(v.as_bytes()),
                "`max_age` is a number of seconds from 0 to 86400, without leading zeros"
            );
        }
        match credentials_conflict(&facts) {
            Some(conflict) => Some(conflict),
            None => writes_conflict(&facts),
        }
    }

    /// The policy of a checked `spec`, with every header value built.
    const fn build(spec: Spec) -> Policy {
        let headers = match spec.headers {
            Headers::None => AllowHeaders::None,
            Headers::List(names, value) => AllowHeaders::List {
                names,
                value: HeaderValue::from_static(value),
            },
            Headers::Any => AllowHeaders::Any,
        };
        let expose = match spec.expose {
            Expose::None => None,
            Expose::List(v) => Some(HeaderValue::from_static(v)),
            Expose::Any => Some(HeaderValue::from_static("*")),
        };
        let max_age = match spec.max_age {
            Some(v) => Some(HeaderValue::from_static(v)),
            None => None,
        };
        Policy {
            route: spec.route,
            origins: match spec.origins {
                Origins::Any => AllowOrigin::Any,
                Origins::List(list) => AllowOrigin::List(list),
                Origins::Runtime(set) => AllowOrigin::Runtime(set),
            },
            credentials: spec.credentials,
            methods: spec.methods,
            allow_methods: HeaderValue::from_static(spec.allow_methods),
            headers,
            expose,
            max_age,
            private_network: spec.private_network,
            timing: spec.timing,
            protects_writes: !spec.allow_cross_origin_writes,
        }
    }
}

/// Whether `joined` is `names` joined with `, `, each name a token (and
/// lower case if `lower`).
const fn is_joined(names: &[&str], joined: &[u8], lower: bool) -> bool {
    let mut at = 0;
    let mut n = 0;
    while n < names.len() {
        let name = names[n].as_bytes();
        if !rules::is_token(name) {
            return false;
        }
        if n > 0 {
            if at + 2 > joined.len() || joined[at] != b',' || joined[at + 1] != b' ' {
                return false;
            }
            at += 2;
        }
        let mut i = 0;
        while i < name.len() {
            if at >= joined.len()
                || joined[at] != name[i]
                || (lower && name[i].is_ascii_uppercase())
            {
                return false;
            }
            at += 1;
            i += 1;
        }
        n += 1;
    }
    at == joined.len()
}

/// Whether `v` is lower-case tokens joined with `, `.
const fn is_name_list(v: &[u8]) -> bool {
    let mut i = 0;
    let mut len = 0;
    while i < v.len() {
        let b = v[i];
        if b == b',' {
            if len == 0 || i + 1 >= v.len() || v[i + 1] != b' ' {
                return false;
            }
            len = 0;
            i += 2;
            continue;
        }
        if !rules::is_tchar(b) || b.is_ascii_uppercase() {
            return false;
        }
        len += 1;
        i += 1;
    }
    len > 0
}

/// Whether `v` is a decimal number of seconds from 0 to [`MAX_AGE_LIMIT`].
const fn is_max_age(v: &[u8]) -> bool {
    if v.is_empty() || (v.len() > 1 && v[0] == b'0') {
        return false;
    }
    let mut n: u64 = 0;
    let mut i = 0;
    while i < v.len() {
        if !v[i].is_ascii_digit() || n > MAX_AGE_LIMIT {
            return false;
        }
        n = n * 10 + (v[i] - b'0') as u64;
        i += 1;
    }
    n <= MAX_AGE_LIMIT
}
