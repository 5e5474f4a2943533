//! Runtime of [route-cors](https://docs.rs/route-cors): policy types, origin
//! rules, preflight and response logic, and the actix-web middleware.
//!
//! Users depend on `route-cors`, which re-exports what they need from here.
//! The [`rules`] module has no actix-web dependency: the `#[cors]` attribute
//! uses it at compile time, so compile-time and startup validation share one
//! source of truth. Everything else needs the `actix` feature.

pub mod rules;

#[cfg(feature = "actix")]
mod aware;
#[cfg(feature = "actix")]
mod config;
#[cfg(feature = "actix")]
mod default;
#[cfg(feature = "actix")]
mod explain;
#[cfg(feature = "actix")]
mod guard;
#[cfg(feature = "actix")]
mod middleware;
#[cfg(feature = "actix")]
mod named;
#[cfg(feature = "actix")]
mod origins;
#[cfg(feature = "actix")]
mod policy;
#[cfg(feature = "actix")]
pub mod preflight;
#[cfg(feature = "actix")]
mod registry;
#[cfg(feature = "actix")]
mod source;

#[cfg(feature = "actix")]
pub use aware::{CorsAware, CorsAwareFuture, CorsAwareInit, CorsAwareInner, CorsAwareMiddleware};
#[cfg(feature = "actix")]
pub use config::OriginsConfig;
#[cfg(feature = "actix")]
pub use default::{DefaultPolicy, DefaultPolicyFuture, DefaultPolicyMiddleware};
#[cfg(feature = "actix")]
pub use guard::RouteGuard;
#[cfg(feature = "actix")]
pub use middleware::{Cors, CorsFuture, CorsMiddleware};
#[cfg(feature = "actix")]
pub use named::{Conflict, NamedExpose, NamedHeaders, NamedOrigins, NamedPolicy, Overrides};
#[cfg(feature = "actix")]
pub use origins::{CredentialedOriginSet, Matched, OriginSet, OriginsError};
#[cfg(feature = "actix")]
pub use policy::{AllowHeaders, AllowOrigin, OriginList, Pattern, Policy};
#[cfg(feature = "actix")]
pub use source::{origin_source, NotAnOriginSet, OriginSource};
