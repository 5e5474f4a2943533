//! Per-route CORS for actix-web, correct by construction.
#![doc = include_str!("../README.md")]

pub use cors_macros::cors;
pub use cors_runtime::{rules, OriginSet, OriginsError};

/// Items used by the code `#[cors]` generates. Not public API: no semver
/// guarantees; the macro and runtime crates are released in lockstep.
#[doc(hidden)]
pub mod __private {
    pub use actix_web::dev::{AppService, HttpServiceFactory};
    pub use actix_web::guard::fn_guard;
    pub use actix_web::http::header::HeaderValue;
    pub use actix_web::Resource;
    pub use cors_runtime::{
        AllowHeaders, AllowOrigin, Cors, OriginList, Pattern, Policy, RouteGuard,
    };
}
