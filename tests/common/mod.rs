//! Helpers shared by the behaviour suites: the exact set of CORS headers of a
//! response, the expected set written as pairs, and a preflight request.
// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::collections::BTreeMap;

use actix_web::dev::ServiceResponse;
use actix_web::http::Method;
use actix_web::test;

/// Header name → every value, in order.
pub type Headers = BTreeMap<String, Vec<String>>;

/// The CORS-relevant headers of a response: every `access-control-*` header and
/// `vary`, each with all its values in order.
pub fn cors_headers<B>(res: &ServiceResponse<B>) -> Headers {
    let mut out = Headers::new();
    for (name, value) in res.headers() {
        let name = name.as_str();
        if name.starts_with("access-control-") || name == "vary" {
            out.entry(name.to_owned())
                .or_default()
                .push(value.to_str().expect("ascii header").to_owned());
        }
    }
    out
}

/// An expected header set, from `(name, value)` pairs; a repeated name is a
/// repeated header line.
pub fn set(pairs: &[(&str, &str)]) -> Headers {
    let mut out = Headers::new();
    for (k, v) in pairs {
        out.entry((*k).to_owned())
            .or_default()
            .push((*v).to_owned());
    }
    out
}

/// The `Vary` every allowed preflight carries.
pub const PREFLIGHT_VARY: (&str, &str) = (
    "vary",
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);

/// A preflight: `OPTIONS` with `Origin` and `Access-Control-Request-Method`.
pub fn preflight(uri: &str, origin: &str, method: &str) -> test::TestRequest {
    test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri(uri)
        .insert_header(("origin", origin))
        .insert_header(("access-control-request-method", method))
}
