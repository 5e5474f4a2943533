//! A route's CORS policy, already validated and with every header value built.
//!
//! The `#[cors]` attribute generates one `static` [`Policy`] per route. Nothing
//! here is checked again at run time: the attribute rejected every invalid
//! combination at compile time.

use actix_web::http::header::HeaderValue;

use crate::origins::OriginSet;

/// Which origins a route allows.
#[derive(Debug)]
pub enum AllowOrigin {
    /// Any origin (`origins = "*"`, never with credentials): every actual
    /// response carries `Access-Control-Allow-Origin: *`.
    Any,
    /// A fixed allow-list, known at compile time.
    List(OriginList),
    /// An allow-list read at startup (from the environment or a config file).
    Runtime(&'static OriginSet),
}

/// An allow-list of origins known at compile time.
///
/// `exact` is sorted, so a lookup costs `log2(n)` comparisons, and `values[i]`
/// is the ready-made `Access-Control-Allow-Origin` value of `exact[i]`.
#[derive(Debug)]
pub struct OriginList {
    /// Exact origins, sorted bytewise.
    pub exact: &'static [&'static str],
    /// The header value of each exact origin, in the same order.
    pub values: &'static [HeaderValue],
    /// `*.` subdomain patterns, as (scheme, host suffix, port).
    pub patterns: &'static [Pattern],
}

/// One `scheme://*.suffix[:port]` pattern.
#[derive(Debug, Clone, Copy)]
pub struct Pattern {
    /// The scheme, such as `https`.
    pub scheme: &'static str,
    /// The host suffix after `*.`, such as `example.com`.
    pub suffix: &'static str,
    /// The explicit port, if any.
    pub port: Option<u16>,
}

/// Which request headers a route allows.
#[derive(Debug)]
pub enum AllowHeaders {
    /// Only CORS-safelisted headers; no `Access-Control-Allow-Headers` is sent.
    None,
    /// These lower-case names; `value` is the ready-made header value.
    List {
        /// Lower-case names.
        names: &'static [&'static str],
        /// The names joined with `, `.
        value: HeaderValue,
    },
    /// Any header (`headers = "*"`).
    Any,
}

/// A route's complete CORS policy.
#[derive(Debug)]
pub struct Policy {
    /// `METHOD /path` of the route, for log lines.
    pub route: &'static str,
    /// Allowed origins.
    pub origins: AllowOrigin,
    /// Whether credentials (cookies, `Authorization`) are allowed.
    pub credentials: bool,
    /// Methods a preflight may ask for, matched byte-exactly.
    pub methods: &'static [&'static str],
    /// The `Access-Control-Allow-Methods` value.
    pub allow_methods: HeaderValue,
    /// Allowed request headers.
    pub headers: AllowHeaders,
    /// The `Access-Control-Expose-Headers` value, if any.
    pub expose: Option<HeaderValue>,
    /// The `Access-Control-Max-Age` value, if any.
    pub max_age: Option<HeaderValue>,
    /// Whether to answer Private Network Access preflights.
    pub private_network: bool,
}
