//! Helpers shared by the behaviour suites: the exact set of CORS headers of a
//! response, the expected set written as pairs, and a preflight request.
// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

pub mod capture;
pub mod props;

use std::collections::BTreeMap;

use actix_web::body::{to_bytes, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{test, Error, HttpResponse};

/// Header name → every value, in order.
pub type Headers = BTreeMap<String, Vec<String>>;

/// The CORS-relevant headers of a response: every `access-control-*` header,
/// `timing-allow-origin` and `vary`, each with all its values in order.
pub fn cors_headers<B>(res: &ServiceResponse<B>) -> Headers {
    cors_headers_of(res.headers())
}

/// The same, for a bare header map (an error's rendered response, say).
pub fn cors_headers_of(headers: &actix_web::http::header::HeaderMap) -> Headers {
    let mut out = Headers::new();
    for (name, value) in headers {
        let name = name.as_str();
        if name.starts_with("access-control-") || name == "vary" || name == "timing-allow-origin" {
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

/// The body of a response, as text.
pub async fn body_of<B: MessageBody>(res: ServiceResponse<B>) -> String {
    let bytes = to_bytes(res.into_body()).await.ok().expect("body");
    String::from_utf8(bytes.to_vec()).expect("utf-8 body")
}

/// Status, CORS headers and body.
pub async fn outcome<B: MessageBody>(res: ServiceResponse<B>) -> (StatusCode, Headers, String) {
    let status = res.status();
    let headers = cors_headers(&res);
    (status, headers, body_of(res).await)
}

/// A `GET`, with an `Origin` and a bearer token if given.
pub fn get_req(uri: &str, origin: Option<&str>, token: Option<&str>) -> test::TestRequest {
    let mut req = test::TestRequest::get().uri(uri);
    if let Some(origin) = origin {
        req = req.insert_header(("origin", origin));
    }
    if let Some(token) = token {
        req = req.insert_header(("authorization", format!("Bearer {token}")));
    }
    req
}

/// One row of a behaviour table: what the case is, the request, and the exact
/// status and CORS headers of its response.
pub type Case<'a> = (&'a str, test::TestRequest, StatusCode, Headers);

/// Sends each case's request to `app` and asserts its status and its exact
/// set of CORS headers, naming the case on a mismatch.
pub async fn check<S, B>(app: &S, cases: Vec<Case<'_>>)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    for (why, req, status, headers) in cases {
        let res = test::call_service(app, req.to_request()).await;
        assert_eq!(res.status(), status, "{why}");
        assert_eq!(cors_headers(&res), headers, "{why}");
    }
}

/// An auth middleware (for `from_fn`): `Bearer good` passes, another token
/// fails with an `Err` (`403`), and no token is answered `401` by the
/// middleware itself.
pub async fn auth(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    match req.headers().get("authorization").map(|v| v.as_bytes()) {
        Some(b"Bearer good") => Ok(next.call(req).await?.map_into_left_body()),
        Some(_) => Err(actix_web::error::ErrorForbidden("bad token")),
        None => Ok(req
            .into_response(HttpResponse::Unauthorized().body("no token"))
            .map_into_right_body()),
    }
}
