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
//!
//! A named policy may list `methods`. A route using it then allows exactly
//! those (its preflights for any other method it serves are refused with
//! `403`), and each of them must be served by the route: the route's code
//! checks that by const evaluation too ([`NamedPolicy::__served_by`]), a
//! compile error at `policy = NAME`. A route's own `methods = [..]` replaces
//! the policy's, as every other key it writes does.

use crate::policy::{Expose, Headers, Origins, Policy, Spec};

/// A validated CORS policy, shared by many routes.
///
/// Made by `route_cors::policy!`, used with `#[cors(policy = NAME)]` and
/// [`DefaultPolicy`](crate::DefaultPolicy). Without `methods`, each route
/// allows its own methods (or the subset it names with `methods = [..]`).
/// With `methods = [..]`, a route using it allows exactly those, and must
/// serve each of them (a compile error otherwise); a method the route also
/// serves but the policy omits is refused at its preflight with `403`.
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
///
/// With methods, and a route serving one more:
///
/// ```
/// use actix_web::{delete, get, patch, routes, HttpResponse};
/// use route_cors::cors;
///
/// route_cors::policy!(pub WRITES, origins = ["https://app.example.com"], methods = [GET, DELETE]);
///
/// // Allows `GET` and `DELETE` cross-origin; a preflight for `PATCH` gets `403`.
/// #[cors(policy = WRITES)]
/// #[routes]
/// #[get("/items/{id}")]
/// #[delete("/items/{id}")]
/// #[patch("/items/{id}")]
/// async fn item() -> HttpResponse {
///     HttpResponse::Ok().finish()
/// }
/// # let _ = actix_web::App::new().service(item);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct NamedPolicy {
    /// The keys as defined; `route` is a placeholder, each route gives its
    /// own, and so are `methods` unless `has_methods`.
    spec: Spec,
    /// The definition lists `methods`.
    has_methods: bool,
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
    /// `methods = [..]` of the route, and their joined value: they replace
    /// the policy's.
    pub methods: Option<(&'static [&'static str], &'static str)>,
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
        methods: None,
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
        has_methods: false,
    };

    /// Checks a definition as [`Policy::__new`] checks a route's keys.
    /// `spec.route` is ignored; `spec.methods` empty means the definition
    /// lists no methods.
    #[doc(hidden)]
    #[track_caller]
    pub const fn __new(spec: Spec) -> NamedPolicy {
        let has_methods = !spec.methods.is_empty();
        let spec = if has_methods {
            Spec {
                route: PLACEHOLDER_ROUTE,
                ..spec
            }
        } else {
            Spec {
                route: PLACEHOLDER_ROUTE,
                methods: PLACEHOLDER_METHODS,
                allow_methods: "GET",
                ..spec
            }
        };
        if let Some(conflict) = Policy::check(&spec) {
            panic!("{}", conflict.message_in_code());
        }
        NamedPolicy { spec, has_methods }
    }

    /// The methods the definition lists, if it lists any.
    pub(crate) const fn methods(&self) -> Option<&'static [&'static str]> {
        if self.has_methods {
            Some(self.spec.methods)
        } else {
            None
        }
    }

    /// Checks, by const evaluation, that a route serving `served` serves
    /// every method this policy lists. A refusal's message is
    /// `before`, the method, then `after` (the macro names the policy and
    /// the route's methods there).
    #[doc(hidden)]
    #[track_caller]
    pub const fn __served_by(&'static self, served: &[&str], before: &str, after: &str) {
        let Some(methods) = self.methods() else {
            return;
        };
        let mut i = 0;
        while i < methods.len() {
            if !contains(served, methods[i]) {
                let mut buf = [0u8; MESSAGE_CAP];
                match join(&mut buf, &[before, methods[i], after]) {
                    Some(message) => panic!("{}", message),
                    None => panic!("{}", before),
                }
            }
            i += 1;
        }
    }

    /// The policy of one route: `route` is `METHODS /path` for logs,
    /// `methods` the methods it serves and `allow_methods` their joined
    /// value, `o` what the route changes. The methods allowed are the
    /// route's own `methods = [..]` if it lists them, else the policy's if it
    /// lists them, else `methods`. Const evaluation refuses overrides that
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
        let (methods, allow_methods) = match o.methods {
            Some(listed) => listed,
            None if self.has_methods => (d.methods, d.allow_methods),
            None => (methods, allow_methods),
        };
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

/// Room for a refusal message of [`NamedPolicy::__served_by`].
const MESSAGE_CAP: usize = 1024;

/// Whether `list` holds `m`, byte for byte.
const fn contains(list: &[&str], m: &str) -> bool {
    let mut i = 0;
    while i < list.len() {
        if same(list[i].as_bytes(), m.as_bytes()) {
            return true;
        }
        i += 1;
    }
    false
}

const fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// `parts` written one after the other into `buf`; `None` when they do not
/// fit.
const fn join<'b>(buf: &'b mut [u8; MESSAGE_CAP], parts: &[&str]) -> Option<&'b str> {
    let mut len = 0;
    let mut p = 0;
    while p < parts.len() {
        let bytes = parts[p].as_bytes();
        if bytes.len() > MESSAGE_CAP - len {
            return None;
        }
        let mut i = 0;
        while i < bytes.len() {
            buf[len] = bytes[i];
            len += 1;
            i += 1;
        }
        p += 1;
    }
    let (text, _) = buf.split_at(len);
    match core::str::from_utf8(text) {
        Ok(text) => Some(text),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_messages_are_the_parts_joined() {
        let mut buf = [0u8; MESSAGE_CAP];
        assert_eq!(join(&mut buf, &["a `", "PUT", "` b"]), Some("a `PUT` b"));
        let long = "x".repeat(MESSAGE_CAP);
        let mut buf = [0u8; MESSAGE_CAP];
        assert_eq!(join(&mut buf, &[&long, "y"]), None);
        assert!(contains(&["GET", "POST"], "POST"));
        assert!(!contains(&["GET", "POST"], "post"));
        assert!(!contains(&[], "GET"));
    }
}
