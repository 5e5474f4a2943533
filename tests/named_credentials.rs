//! Routes that add `credentials` to a named policy defined without them:
//! an `https` policy, a policy whose `expose = "*"` the route overrides, and
//! plain-`http` or public-suffix-wildcard policies whose `dangerously_allow_*`
//! flag is given either in the definition or on the route. Each of these is
//! valid, so it must compile, and it must answer like the same keys written
//! inline: credentials on the preflight and on the actual response. Every
//! test asserts the status and the exact set of CORS headers (all
//! `access-control-*` and `vary`).

use actix_web::http::StatusCode;
use actix_web::{get, test, App, HttpResponse};
use route_cors::cors;

mod common;
use common::{cors_headers, get_req, preflight, set, Headers, PREFLIGHT_VARY};

mod policies {
    use route_cors::policy;

    policy!(
        /// `https` origins only, without credentials.
        pub SECURE,
        origins = ["https://app.example.com"],
    );

    policy!(
        /// Exposes every header; a credentialed route must list its own.
        pub EXPOSE_ANY,
        origins = ["https://app.example.com"],
        expose = "*",
    );

    policy!(
        /// Plain `http`, allowed with credentials by the definition.
        pub INTRANET_ALLOWED,
        origins = ["http://tool.intranet.example"],
        dangerously_allow_http_with_credentials,
    );

    policy!(
        /// Plain `http`, without the flag.
        pub INTRANET,
        origins = ["http://tool.intranet.example"],
    );

    policy!(
        /// A wildcard on a public suffix, allowed with credentials by the definition.
        pub PAGES_ALLOWED,
        origins = ["https://*.github.io"],
        dangerously_allow_public_suffix_wildcard_with_credentials,
    );

    policy!(
        /// A wildcard on a public suffix, without the flag.
        pub PAGES,
        origins = ["https://*.github.io"],
    );
}

use policies::{EXPOSE_ANY, INTRANET, INTRANET_ALLOWED, PAGES, PAGES_ALLOWED, SECURE};

#[cors(policy = SECURE, credentials)]
#[get("/secure")]
async fn secure() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(policy = EXPOSE_ANY, credentials, expose = ["x-total"])]
#[get("/expose")]
async fn expose_route() -> HttpResponse {
    HttpResponse::Ok().insert_header(("x-total", "3")).finish()
}

#[cors(policy = INTRANET_ALLOWED, credentials)]
#[get("/intranet-def")]
async fn intranet_def() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(policy = INTRANET, credentials, dangerously_allow_http_with_credentials)]
#[get("/intranet-route")]
async fn intranet_route() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(policy = PAGES_ALLOWED, credentials)]
#[get("/pages-def")]
async fn pages_def() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(
    policy = PAGES,
    credentials,
    dangerously_allow_public_suffix_wildcard_with_credentials
)]
#[get("/pages-route")]
async fn pages_route() -> HttpResponse {
    HttpResponse::Ok().finish()
}

/// Without the route's `credentials`: the policy as defined.
#[cors(policy = SECURE)]
#[get("/secure-plain")]
async fn secure_plain() -> HttpResponse {
    HttpResponse::Ok().finish()
}

macro_rules! app {
    () => {
        test::init_service(
            App::new()
                .service(secure)
                .service(expose_route)
                .service(intranet_def)
                .service(intranet_route)
                .service(pages_def)
                .service(pages_route)
                .service(secure_plain),
        )
        .await
    };
}

#[actix_web::test]
async fn credentials_added_by_the_route_are_sent_on_preflight_and_response() {
    let app = app!();
    for (path, origin, exposed) in [
        ("/secure", "https://app.example.com", None),
        ("/expose", "https://app.example.com", Some("x-total")),
        ("/intranet-def", "http://tool.intranet.example", None),
        ("/intranet-route", "http://tool.intranet.example", None),
        ("/pages-def", "https://me.github.io", None),
        ("/pages-route", "https://me.github.io", None),
    ] {
        let res = test::call_service(&app, preflight(path, origin, "GET").to_request()).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{path}");
        assert_eq!(
            cors_headers(&res),
            set(&[
                ("access-control-allow-origin", origin),
                ("access-control-allow-credentials", "true"),
                ("access-control-allow-methods", "GET"),
                PREFLIGHT_VARY,
            ]),
            "{path}"
        );

        let res = test::call_service(&app, get_req(path, Some(origin), None).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let mut expected = vec![
            ("access-control-allow-origin", origin),
            ("access-control-allow-credentials", "true"),
            ("vary", "Origin"),
        ];
        if let Some(e) = exposed {
            expected.push(("access-control-expose-headers", e));
        }
        assert_eq!(cors_headers(&res), set(&expected), "{path}");

        // Another origin: refused, as with the keys inline.
        let other = "https://evil.example.net";
        let res = test::call_service(&app, preflight(path, other, "GET").to_request()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
        assert_eq!(cors_headers(&res), Headers::new(), "{path}");
        let res = test::call_service(&app, get_req(path, Some(other), None).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(cors_headers(&res), set(&[("vary", "Origin")]), "{path}");
    }

    // The policy itself has no credentials.
    let origin = "https://app.example.com";
    let res =
        test::call_service(&app, preflight("/secure-plain", origin, "GET").to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", origin),
            ("access-control-allow-methods", "GET"),
            PREFLIGHT_VARY,
        ])
    );
}
