//! Shared named policies: `route_cors::policy!` defines a policy once, and
//! routes use it with `#[cors(policy = NAME, ..)]`, with per-route overrides.
//! A named-policy route must answer exactly like a route with the same keys
//! written inline. Every test asserts the status and the exact set of CORS
//! headers (all `access-control-*` headers and `vary`).

use actix_web::http::Method;
use actix_web::{delete, get, post, put, test, App, HttpResponse};
use route_cors::{cors, CredentialedOriginSet};

mod common;
use common::{cors_headers, set, Headers, PREFLIGHT_VARY};

/// The policies live in another module, as they would in a real app.
mod policies {
    use route_cors::{policy, CredentialedOriginSet};

    policy!(
        /// The web app: credentialed, two origins and a subdomain pattern.
        pub APP,
        origins = ["https://app.example.com", "http://localhost:3000", "https://*.app.example.com"],
        headers = ["content-type", "x-request-id"],
        expose = ["x-request-id"],
        credentials,
        max_age = 600,
    );

    policy!(
        /// Public data: any origin, no credentials.
        pub PUBLIC,
        origins = "*",
        expose = ["x-total"],
    );

    /// Partner origins, read at startup.
    pub static PARTNERS: CredentialedOriginSet =
        CredentialedOriginSet::new("NAMED_POLICY_PARTNERS");

    policy!(
        /// Partners: origins from configuration, credentialed.
        pub PARTNER,
        origins = PARTNERS,
        credentials,
    );
}

use policies::{APP, PARTNER, PUBLIC};

fn preflight(uri: &str, origin: &str, method: &str, headers: Option<&str>) -> test::TestRequest {
    let req = common::preflight(uri, origin, method);
    match headers {
        Some(h) => req.insert_header(("access-control-request-headers", h)),
        None => req,
    }
}

fn actual(method: Method, uri: &str, origin: Option<&str>) -> test::TestRequest {
    let req = test::TestRequest::default().method(method).uri(uri);
    match origin {
        Some(o) => req.insert_header(("origin", o)),
        None => req,
    }
}

// --- The same policy, named and inline. ------------------------------------

#[cors(policy = APP)]
#[post("/named")]
async fn named_route() -> HttpResponse {
    HttpResponse::Created()
        .insert_header(("x-request-id", "r-1"))
        .body("named")
}

#[cors(
    origins = ["https://app.example.com", "http://localhost:3000", "https://*.app.example.com"],
    headers = ["content-type", "x-request-id"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600,
)]
#[post("/inline")]
async fn inline_route() -> HttpResponse {
    HttpResponse::Created()
        .insert_header(("x-request-id", "r-1"))
        .body("inline")
}

/// Sends `req` for `/named` and for `/inline` and returns both outcomes.
async fn both(make: impl Fn(&str) -> test::TestRequest) -> [(u16, Headers); 2] {
    let app = test::init_service(App::new().service(named_route).service(inline_route)).await;
    let mut out = Vec::new();
    for uri in ["/named", "/inline"] {
        let res = test::call_service(&app, make(uri).to_request()).await;
        out.push((res.status().as_u16(), cors_headers(&res)));
    }
    [out[0].clone(), out[1].clone()]
}

#[actix_web::test]
async fn named_policy_preflight_equals_inline() {
    let [named, inline] = both(|uri| {
        preflight(
            uri,
            "https://app.example.com",
            "POST",
            Some("content-type,x-request-id"),
        )
    })
    .await;
    let expected = set(&[
        ("access-control-allow-origin", "https://app.example.com"),
        ("access-control-allow-credentials", "true"),
        ("access-control-allow-methods", "POST"),
        ("access-control-allow-headers", "content-type, x-request-id"),
        ("access-control-max-age", "600"),
        PREFLIGHT_VARY,
    ]);
    assert_eq!(named, (204, expected));
    assert_eq!(named, inline);
}

#[actix_web::test]
async fn named_policy_pattern_origin_equals_inline() {
    let [named, inline] =
        both(|uri| actual(Method::POST, uri, Some("https://eu.app.example.com"))).await;
    let expected = set(&[
        ("access-control-allow-origin", "https://eu.app.example.com"),
        ("access-control-allow-credentials", "true"),
        ("access-control-expose-headers", "x-request-id"),
        ("vary", "Origin"),
    ]);
    assert_eq!(named, (201, expected));
    assert_eq!(named, inline);
}

#[actix_web::test]
async fn named_policy_rejections_equal_inline() {
    // A preflight for a header the policy does not allow.
    let [named, inline] = both(|uri| {
        preflight(
            uri,
            "https://app.example.com",
            "POST",
            Some("x-not-allowed"),
        )
    })
    .await;
    assert_eq!(named, (403, Headers::new()));
    assert_eq!(named, inline);

    // An actual write from an origin the policy does not list: refused
    // before the handler (cross-origin write protection).
    let [named, inline] =
        both(|uri| actual(Method::POST, uri, Some("https://evil.example.net"))).await;
    assert_eq!(named, (403, Headers::new()));
    assert_eq!(named, inline);

    // No Origin at all.
    let [named, inline] = both(|uri| actual(Method::POST, uri, None)).await;
    assert_eq!(named, (201, set(&[("vary", "Origin")])));
    assert_eq!(named, inline);
}

// --- Per-route overrides. ---------------------------------------------------

#[cors(policy = APP, max_age = 60)]
#[put("/short-cache")]
async fn short_cache() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(policy = APP, headers = ["authorization"], expose = [], credentials = false)]
#[delete("/no-credentials")]
async fn no_credentials() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[allow(deprecated)] // `private_network` is deprecated; its behaviour is kept
#[cors(policy = PUBLIC, headers = "*", private_network)]
#[get("/public")]
async fn public() -> HttpResponse {
    HttpResponse::Ok().insert_header(("x-total", "3")).finish()
}

#[actix_web::test]
async fn max_age_override_changes_only_max_age() {
    let app = test::init_service(App::new().service(short_cache)).await;
    let req = preflight("/short-cache", "http://localhost:3000", "PUT", None).to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", "http://localhost:3000"),
            ("access-control-allow-credentials", "true"),
            ("access-control-allow-methods", "PUT"),
            ("access-control-allow-headers", "content-type, x-request-id",),
            ("access-control-max-age", "60"),
            PREFLIGHT_VARY,
        ])
    );
}

#[actix_web::test]
async fn overrides_of_headers_expose_and_credentials() {
    let app = test::init_service(App::new().service(no_credentials)).await;
    let req = preflight(
        "/no-credentials",
        "https://app.example.com",
        "DELETE",
        Some("authorization"),
    )
    .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", "https://app.example.com"),
            ("access-control-allow-methods", "DELETE"),
            ("access-control-allow-headers", "authorization"),
            ("access-control-max-age", "600"),
            PREFLIGHT_VARY,
        ])
    );

    // The policy's own `content-type` is replaced by the override.
    let req = preflight(
        "/no-credentials",
        "https://app.example.com",
        "DELETE",
        Some("content-type"),
    )
    .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(
        (res.status().as_u16(), cors_headers(&res)),
        (403, Headers::new())
    );

    let req = actual(
        Method::DELETE,
        "/no-credentials",
        Some("https://app.example.com"),
    )
    .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", "https://app.example.com"),
            ("vary", "Origin"),
        ])
    );
}

#[actix_web::test]
async fn any_origin_policy_with_overrides() {
    let app = test::init_service(App::new().service(public)).await;
    let req = preflight("/public", "https://anyone.example", "GET", Some("x-custom"))
        .insert_header(("access-control-request-private-network", "true"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", "*"),
            ("access-control-allow-methods", "GET"),
            ("access-control-allow-headers", "*"),
            ("access-control-allow-private-network", "true"),
            PREFLIGHT_VARY,
        ])
    );

    let req = actual(Method::GET, "/public", None).to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", "*"),
            ("access-control-expose-headers", "x-total"),
        ])
    );
}

// --- A named policy whose origins are read at startup. ----------------------

#[cors(policy = PARTNER)]
#[get("/partner")]
async fn partner() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn named_policy_with_startup_origins() {
    let partners: &CredentialedOriginSet = &policies::PARTNERS;
    partners
        .set(["https://a.partner.example", "https://*.b.partner.example"])
        .expect("valid origins");
    let app = test::init_service(App::new().service(partner)).await;
    for (origin, allowed) in [
        ("https://a.partner.example", true),
        ("https://x.b.partner.example", true),
        ("https://b.partner.example", false),
        ("https://app.example.com", false),
    ] {
        let req = actual(Method::GET, "/partner", Some(origin)).to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), 200);
        let expected = if allowed {
            set(&[
                ("access-control-allow-origin", origin),
                ("access-control-allow-credentials", "true"),
                ("vary", "Origin"),
            ])
        } else {
            set(&[("vary", "Origin")])
        };
        assert_eq!(cors_headers(&res), expected, "{origin}");
    }
}
