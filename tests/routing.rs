//! Behaviour of `#[cors]` with actix-web's routing options (scopes, `#[scope]`,
//! `name`, `guard`, several methods), subdomain patterns and Private Network
//! Access. Every test asserts the status and the exact set of CORS headers.

use actix_web::http::StatusCode;
use actix_web::{put, route, test, web, App, HttpResponse};
use route_cors::cors;

mod common;
use common::{body_of, cors_headers, preflight, set, PREFLIGHT_VARY};

const APP: &str = "https://app.example.com";
// ---------------------------------------------------------------------------
// Routing options: scope, `#[scope]`, name, guard, several methods.

fn json_only(ctx: &actix_web::guard::GuardContext<'_>) -> bool {
    ctx.head()
        .headers()
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
}

#[cors(origins = ["https://app.example.com"], headers = ["content-type"])]
#[route(
    "/things",
    method = "PUT",
    method = "POST",
    name = "things",
    guard = "json_only"
)]
async fn put_or_post_thing(req: actix_web::HttpRequest) -> HttpResponse {
    let url = req.url_for_static("things").map(|u| u.path().to_owned());
    HttpResponse::Ok().body(format!("{} {}", req.method(), url.unwrap_or_default()))
}

#[actix_web::scope("/v1")]
mod v1 {
    use actix_web::{get, HttpResponse};
    use route_cors::cors;

    #[cors(origins = ["https://app.example.com"])]
    #[get("/ping")]
    pub async fn ping() -> HttpResponse {
        HttpResponse::Ok().body("pong")
    }
}

#[actix_web::test]
async fn scopes_names_guards_and_several_methods_keep_working() {
    let app = test::init_service(
        App::new()
            .service(web::scope("/api").service(put_or_post_thing))
            .service(v1::ping),
    )
    .await;

    let req = test::TestRequest::put()
        .uri("/api/things")
        .insert_header(("origin", APP))
        .insert_header(("content-type", "application/json"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        cors_headers(&res),
        set(&[("access-control-allow-origin", APP), ("vary", "Origin")])
    );
    assert_eq!(body_of(res).await, "PUT /api/things");

    // The route's guard still applies to actual requests...
    let req = test::TestRequest::post()
        .uri("/api/things")
        .insert_header(("origin", APP))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // ...but not to its preflight, which never carries the announced content type.
    for method in ["PUT", "POST"] {
        let res = test::call_service(
            &app,
            preflight("/api/things", APP, method)
                .insert_header(("access-control-request-headers", "content-type"))
                .to_request(),
        )
        .await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{method}");
        assert_eq!(
            cors_headers(&res),
            set(&[
                ("access-control-allow-origin", APP),
                ("access-control-allow-methods", "PUT, POST"),
                ("access-control-allow-headers", "content-type"),
                PREFLIGHT_VARY,
            ])
        );
    }

    let req = test::TestRequest::get()
        .uri("/v1/ping")
        .insert_header(("origin", APP))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        cors_headers(&res),
        set(&[("access-control-allow-origin", APP), ("vary", "Origin")])
    );
    let res = test::call_service(&app, preflight("/v1/ping", APP, "GET").to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

// ---------------------------------------------------------------------------
// Subdomain patterns and Private Network Access.

#[allow(deprecated)] // `private_network` is deprecated; its behaviour is kept
#[cors(origins = ["https://*.example.com", "https://partner.example.org"], private_network)]
#[put("/tenant")]
async fn tenant() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn subdomain_patterns_and_private_network() {
    let app = test::init_service(App::new().service(tenant)).await;
    for (origin, allowed) in [
        ("https://a.example.com", true),
        ("https://a.b.example.com", true),
        ("https://partner.example.org", true),
        ("https://example.com", false),
        ("https://evilexample.com", false),
        ("https://a.example.com.evil.net", false),
        ("https://a.example.com:8443", false),
        ("http://a.example.com", false),
    ] {
        let res = test::call_service(&app, preflight("/tenant", origin, "PUT").to_request()).await;
        if allowed {
            assert_eq!(res.status(), StatusCode::NO_CONTENT, "{origin}");
            assert_eq!(
                cors_headers(&res),
                set(&[
                    ("access-control-allow-origin", origin),
                    ("access-control-allow-methods", "PUT"),
                    PREFLIGHT_VARY,
                ]),
                "{origin}"
            );
        } else {
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{origin}");
            assert_eq!(cors_headers(&res), set(&[]), "{origin}");
        }
    }
    let res = test::call_service(
        &app,
        preflight("/tenant", "https://a.example.com", "PUT")
            .insert_header(("access-control-request-private-network", "true"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", "https://a.example.com"),
            ("access-control-allow-methods", "PUT"),
            ("access-control-allow-private-network", "true"),
            PREFLIGHT_VARY,
        ])
    );
}
