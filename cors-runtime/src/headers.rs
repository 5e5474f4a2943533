//! The header names and values the runtime writes, in one place.

use actix_web::http::header::{HeaderName, HeaderValue};

/// `true`, for `Access-Control-Allow-Credentials` (and Private Network Access).
pub(crate) static TRUE: HeaderValue = HeaderValue::from_static("true");

/// `*`, for any origin (and any header, without credentials).
pub(crate) static ANY: HeaderValue = HeaderValue::from_static("*");

/// The `Vary` of an actual response whose answer depends on `Origin`.
pub(crate) static VARY_ORIGIN: HeaderValue = HeaderValue::from_static("Origin");

/// The `Vary` of every preflight answer.
pub(crate) static PREFLIGHT_VARY: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);

/// Resource Timing: which origins may read a response's timing details.
pub(crate) const TIMING_ALLOW_ORIGIN: HeaderName = HeaderName::from_static("timing-allow-origin");

/// Private Network Access: what a preflight asks…
pub(crate) const REQUEST_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-request-private-network");

/// …and what the answer allows.
pub(crate) const ALLOW_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-allow-private-network");
