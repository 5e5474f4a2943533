//! Named policies: a policy defined once with `route_cors::policy!` and used by
//! many routes with `#[cors(policy = NAME)]`.
//!
//! The macro validates the definition at compile time, like an inline
//! `#[cors(..)]`, and stores the result in a `static` [`NamedPolicy`]. Each route
//! using it builds its own `static` [`Policy`] from it by const evaluation, so a
//! named-policy route has exactly the shape (and the run-time cost) of a route
//! with the keys written inline. A per-route override that would make the
//! policy invalid (for example `credentials` on a policy whose origins are
//! `"*"`) fails that const evaluation, which is a compile error at the override,
//! wherever the policy is defined.
//!
//! The fields are filled by the macro; they are not public API.

use actix_web::http::header::HeaderValue;

use crate::origins::OriginSet;
use crate::policy::{AllowHeaders, AllowOrigin, OriginList, Pattern, Policy};

/// A validated CORS policy without its methods, shared by many routes.
///
/// Made by `route_cors::policy!`, used with `#[cors(policy = NAME)]`.
/// Methods are not part of it: each route allows its own methods (or the
/// subset it names with `methods = [..]`).
///
/// ```
/// use actix_web::{get, HttpResponse};
/// use route_cors::{cors, NamedPolicy};
///
/// route_cors::policy!(pub APP, origins = ["https://app.example.com"], credentials);
/// let _: &NamedPolicy = &APP;
///
/// #[cors(policy = APP, max_age = 600)]
/// #[get("/profile")]
/// async fn profile() -> HttpResponse {
///     HttpResponse::Ok().finish()
/// }
/// # let _ = actix_web::App::new().service(profile);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct NamedPolicy {
    #[doc(hidden)]
    pub origins: NamedOrigins,
    #[doc(hidden)]
    pub credentials: bool,
    #[doc(hidden)]
    pub headers: NamedHeaders,
    #[doc(hidden)]
    pub expose: NamedExpose,
    #[doc(hidden)]
    pub max_age: Option<&'static str>,
    #[doc(hidden)]
    pub private_network: bool,
    /// A plain-`http` origin that is not loopback is listed.
    #[doc(hidden)]
    pub plain_http: bool,
    /// A `*.` pattern on a public suffix is listed.
    #[doc(hidden)]
    pub public_suffix_wildcard: bool,
    #[doc(hidden)]
    pub allow_http_with_credentials: bool,
    #[doc(hidden)]
    pub allow_public_suffix_wildcard_with_credentials: bool,
}

/// The origins of a [`NamedPolicy`].
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum NamedOrigins {
    /// `origins = "*"`.
    Any,
    /// A list known at compile time.
    List {
        /// Exact origins, sorted bytewise.
        exact: &'static [&'static str],
        /// Their header values, in the same order.
        values: &'static [HeaderValue],
        /// `*.` patterns.
        patterns: &'static [Pattern],
    },
    /// A set filled at startup, and whether it is a `CredentialedOriginSet`.
    Runtime(&'static OriginSet, bool),
}

/// The allowed request headers of a [`NamedPolicy`].
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum NamedHeaders {
    /// Only safelisted headers.
    None,
    /// These lower-case names, and their joined value.
    List(&'static [&'static str], &'static str),
    /// `headers = "*"`.
    Any,
}

/// The exposed headers of a [`NamedPolicy`].
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum NamedExpose {
    /// None.
    None,
    /// The joined, lower-case names.
    List(&'static str),
    /// `expose = "*"`.
    Any,
}

/// What a route using a named policy changes.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Overrides {
    pub credentials: Option<bool>,
    pub headers: Option<NamedHeaders>,
    pub expose: Option<NamedExpose>,
    pub max_age: Option<&'static str>,
    pub private_network: Option<bool>,
    pub allow_http_with_credentials: bool,
    pub allow_public_suffix_wildcard_with_credentials: bool,
}

impl Overrides {
    /// No override: the named policy as defined.
    pub(crate) const NONE: Overrides = Overrides {
        credentials: None,
        headers: None,
        expose: None,
        max_age: None,
        private_network: None,
        allow_http_with_credentials: false,
        allow_public_suffix_wildcard_with_credentials: false,
    };
}

impl NamedPolicy {
    /// What `policy!` defines when the definition has errors: it allows no
    /// origin, so that routes using it add no errors of their own.
    #[doc(hidden)]
    pub const __INVALID: NamedPolicy = NamedPolicy {
        origins: NamedOrigins::List {
            exact: &[],
            values: &[],
            patterns: &[],
        },
        credentials: false,
        headers: NamedHeaders::None,
        expose: NamedExpose::None,
        max_age: None,
        private_network: false,
        plain_http: false,
        public_suffix_wildcard: false,
        allow_http_with_credentials: false,
        allow_public_suffix_wildcard_with_credentials: false,
    };

    /// The policy of one route: `route` is `METHODS /path` for logs,
    /// `methods` the allowed methods and `allow_methods` their joined value.
    ///
    /// Const, so that a route's policy is a `static` built at compile time.
    #[doc(hidden)]
    pub const fn __route(
        &'static self,
        route: &'static str,
        methods: &'static [&'static str],
        allow_methods: &'static str,
        o: Overrides,
    ) -> Policy {
        let origins = match self.origins {
            NamedOrigins::Any => AllowOrigin::Any,
            NamedOrigins::List {
                exact,
                values,
                patterns,
            } => AllowOrigin::List(OriginList {
                exact,
                values,
                patterns,
            }),
            NamedOrigins::Runtime(set, _) => AllowOrigin::Runtime(set),
        };
        let headers = match o.headers {
            Some(h) => h,
            None => self.headers,
        };
        let headers = match headers {
            NamedHeaders::None => AllowHeaders::None,
            NamedHeaders::List(names, value) => AllowHeaders::List {
                names,
                value: HeaderValue::from_static(value),
            },
            NamedHeaders::Any => AllowHeaders::Any,
        };
        let expose = match o.expose {
            Some(e) => e,
            None => self.expose,
        };
        let expose = match expose {
            NamedExpose::None => None,
            NamedExpose::List(v) => Some(HeaderValue::from_static(v)),
            NamedExpose::Any => Some(HeaderValue::from_static("*")),
        };
        let max_age = match o.max_age {
            Some(v) => Some(HeaderValue::from_static(v)),
            None => match self.max_age {
                Some(v) => Some(HeaderValue::from_static(v)),
                None => None,
            },
        };
        Policy {
            route,
            origins,
            credentials: match o.credentials {
                Some(c) => c,
                None => self.credentials,
            },
            methods,
            allow_methods: HeaderValue::from_static(allow_methods),
            headers,
            expose,
            max_age,
            private_network: match o.private_network {
                Some(p) => p,
                None => self.private_network,
            },
        }
    }

    /// What would be wrong if a route added `credentials` to this policy,
    /// with overrides `o`. The generated code turns it into a compile error
    /// (a panic in const evaluation) at the route's `credentials` key.
    #[doc(hidden)]
    pub const fn __credentials_conflict(&self, o: Overrides) -> Conflict {
        if matches!(self.origins, NamedOrigins::Any) {
            Conflict::AnyOrigin
        } else if matches!(self.origins, NamedOrigins::Runtime(_, false)) {
            Conflict::UncheckedOriginSet
        } else if matches!(self.expose, NamedExpose::Any) && o.expose.is_none() {
            Conflict::ExposeAny
        } else if self.plain_http
            && !self.allow_http_with_credentials
            && !o.allow_http_with_credentials
        {
            Conflict::PlainHttp
        } else if self.public_suffix_wildcard
            && !self.allow_public_suffix_wildcard_with_credentials
            && !o.allow_public_suffix_wildcard_with_credentials
        {
            Conflict::PublicSuffixWildcard
        } else {
            Conflict::None
        }
    }
}

/// An invalid combination of a named policy and a route's overrides.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// Valid.
    None,
    /// `credentials` on `origins = "*"`.
    AnyOrigin,
    /// `credentials` on `expose = "*"`.
    ExposeAny,
    /// `credentials` on a plain-`http` origin that is not loopback.
    PlainHttp,
    /// `credentials` on a `*.` wildcard on a public suffix.
    PublicSuffixWildcard,
    /// `credentials` on a plain `OriginSet` (not a `CredentialedOriginSet`).
    UncheckedOriginSet,
}
