//! Runtime of [route-cors](https://docs.rs/route-cors): policy types, origin
//! rules, preflight and response logic, and the actix-web middleware.
//!
//! Users depend on `route-cors`, which re-exports what they need from here.
//! The [`rules`] module has no actix-web dependency: the `#[cors]` attribute
//! uses it at compile time, so compile-time and startup validation share one
//! source of truth. Everything else needs the `actix` feature.

pub mod rules;

// The request pipeline: match the origin, answer a preflight or decorate an
// actual response, explain a refusal in the log.
#[cfg(feature = "actix")]
mod decorate;
#[cfg(feature = "actix")]
mod explain;
#[cfg(feature = "actix")]
mod headers;
#[cfg(feature = "actix")]
mod matching;
#[cfg(feature = "actix")]
mod preflight;
#[cfg(feature = "actix")]
mod writes;

// The policy types, built only by checked const constructors, and the origin
// sets filled at startup.
#[cfg(feature = "actix")]
mod config;
#[cfg(feature = "actix")]
mod named;
#[cfg(feature = "actix")]
mod policy;
#[cfg(feature = "actix")]
mod sets;
#[cfg(feature = "actix")]
mod source;

// The middleware: per route, around routes, and a scope's default.
#[cfg(feature = "actix")]
mod aware;
#[cfg(feature = "actix")]
mod default;
#[cfg(feature = "actix")]
mod guard;
#[cfg(feature = "actix")]
mod mark;
#[cfg(feature = "actix")]
mod middleware;
#[cfg(feature = "actix")]
mod protect;
#[cfg(feature = "actix")]
mod registry;

#[cfg(feature = "actix")]
pub use aware::{CorsAware, CorsAwareFuture, CorsAwareInit, CorsAwareInner, CorsAwareMiddleware};
#[cfg(feature = "actix")]
pub use config::OriginsConfig;
#[cfg(feature = "actix")]
pub use default::{DefaultPolicy, DefaultPolicyFuture, DefaultPolicyMiddleware};
#[cfg(feature = "actix")]
pub use explain::explain_rejections;
#[cfg(feature = "actix")]
pub use named::NamedPolicy;
#[cfg(feature = "actix")]
pub use protect::{CrossOriginProtection, CrossOriginProtectionMiddleware, ProtectionFuture};
#[cfg(feature = "actix")]
pub use sets::{CredentialedOriginSet, OriginProblem, OriginSet, OriginsError, ProblemReason};

/// Items used by the code `#[cors]` and `policy!` generate. Not public API.
///
/// Versioned: a macro crate and a runtime crate that do not belong together
/// fail to compile on the path, instead of misbehaving.
#[cfg(feature = "actix")]
#[doc(hidden)]
pub mod __private01 {
    pub use crate::guard::RouteGuard;
    pub use crate::middleware::{Cors, CorsFuture, CorsMiddleware, OptOut, OptOutMiddleware};
    pub use crate::named::Overrides;
    pub use crate::policy::{Exact, Expose, Headers, OriginList, Origins, Policy, Spec};
    pub use crate::rules::{Conflict, Pattern};
    pub use crate::source::{origin_source, NotAnOriginSet, OriginSource};

    /// Named by the generated code where `private_network` is written, with
    /// the key's span, so that rustc itself warns at the key (and
    /// `#[allow(deprecated)]` silences it). Does nothing: the key keeps
    /// working.
    #[deprecated(
        note = "the `private_network` key is deprecated: Chrome replaced Private Network Access with Local Network Access, a permission prompt the user answers, which needs no server header; remove the key (until then it still answers `Access-Control-Request-Private-Network: true`)"
    )]
    pub const fn private_network() {}
}
