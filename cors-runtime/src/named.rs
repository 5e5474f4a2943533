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
//! The fields are private: `policy!` builds a `NamedPolicy` through a const
//! constructor that checks it like [`Policy::__new`] does.

use crate::policy::{Expose, Headers, Origins, Policy, Spec};

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
    /// The keys as defined; `route` and `methods` are placeholders, each
    /// route gives its own.
    spec: Spec,
}

/// What a route using a named policy changes: plain data, checked when
/// [`NamedPolicy::__route`] builds the route's policy.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Overrides {
    pub credentials: Option<bool>,
    pub headers: Option<Headers>,
    pub expose: Option<Expose>,
    pub max_age: Option<&'static str>,
    pub private_network: Option<bool>,
    pub timing: Option<bool>,
    pub allow_http: bool,
    pub allow_public_suffix_wildcard: bool,
    pub allow_cross_origin_writes: bool,
}

impl Overrides {
    /// No override: the named policy as defined.
    pub const NONE: Overrides = Overrides {
        credentials: None,
        headers: None,
        expose: None,
        max_age: None,
        private_network: None,
        timing: None,
        allow_http: false,
        allow_public_suffix_wildcard: false,
        allow_cross_origin_writes: false,
    };
}

/// The placeholders a definition is checked with.
const PLACEHOLDER_ROUTE: &str = "policy";
const PLACEHOLDER_METHODS: &[&str] = &["GET"];

impl NamedPolicy {
    /// What `policy!` defines when the definition has errors: it allows no
    /// origin, so that routes using it add no errors of their own.
    #[doc(hidden)]
    pub const __INVALID: NamedPolicy = NamedPolicy {
        spec: Spec {
            route: PLACEHOLDER_ROUTE,
            origins: Origins::Runtime(&crate::sets::NEVER_FILLED),
            credentials: false,
            methods: PLACEHOLDER_METHODS,
            allow_methods: "GET",
            headers: Headers::None,
            expose: Expose::None,
            max_age: None,
            private_network: false,
            timing: false,
            public_suffix_wildcard: false,
            allow_http: false,
            allow_public_suffix_wildcard: false,
            allow_cross_origin_writes: false,
        },
    };

    /// Checks a definition as [`Policy::__new`] checks a route's keys.
    /// `spec.route` and `spec.methods` are ignored.
    #[doc(hidden)]
    #[track_caller]
    pub const fn __new(spec: Spec) -> NamedPolicy {
        let spec = Spec {
            route: PLACEHOLDER_ROUTE,
            methods: PLACEHOLDER_METHODS,
            allow_methods: "GET",
            ..spec
        };
        if let Some(conflict) = Policy::check(&spec) {
            panic!("{}", conflict.message_in_code());
        }
        NamedPolicy { spec }
    }

    /// The policy of one route: `route` is `METHODS /path` for logs,
    /// `methods` the allowed methods and `allow_methods` their joined value,
    /// `o` what the route changes. Const evaluation refuses overrides that
    /// break a rule, as [`Policy::__new`] does.
    ///
    /// Const, so that a route's policy is a `static` built at compile time.
    #[doc(hidden)]
    #[track_caller]
    pub const fn __route(
        &'static self,
        route: &'static str,
        methods: &'static [&'static str],
        allow_methods: &'static str,
        o: Overrides,
    ) -> Policy {
        let d = self.spec;
        Policy::__new(Spec {
            route,
            origins: d.origins,
            credentials: match o.credentials {
                Some(c) => c,
                None => d.credentials,
            },
            methods,
            allow_methods,
            headers: match o.headers {
                Some(h) => h,
                None => d.headers,
            },
            expose: match o.expose {
                Some(e) => e,
                None => d.expose,
            },
            max_age: match o.max_age {
                Some(v) => Some(v),
                None => d.max_age,
            },
            private_network: match o.private_network {
                Some(p) => p,
                None => d.private_network,
            },
            timing: match o.timing {
                Some(t) => t,
                None => d.timing,
            },
            public_suffix_wildcard: d.public_suffix_wildcard,
            allow_http: d.allow_http || o.allow_http,
            allow_public_suffix_wildcard: d.allow_public_suffix_wildcard
                || o.allow_public_suffix_wildcard,
            allow_cross_origin_writes: d.allow_cross_origin_writes || o.allow_cross_origin_writes,
        })
    }
}
