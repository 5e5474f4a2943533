//! `explain_rejections`: off by default, a refused preflight's 403 is empty;
//! on, it says why in a `text/plain` body, the same reason as the debug log
//! line, and still carries no CORS headers.

mod common;

use actix_web::body::to_bytes;
use actix_web::http::StatusCode;
use actix_web::{post, test, App, HttpResponse};
use common::{cors_headers, preflight, set};
use route_cors::cors;

#[cors(origins = ["https://app.example.com"], headers = ["content-type"])]
#[post("/invoices")]
async fn invoices() -> HttpResponse {
    HttpResponse::Created().finish()
}

/// One test: the switch is process-wide.
#[actix_web::test]
async fn the_403_says_why_only_when_switched_on() {
    let app = test::init_service(App::new().service(invoices)).await;
    let refused = || {
        preflight("/invoices", "https://app.example.com", "POST")
            .insert_header(("access-control-request-headers", "content-type,x-secret"))
            .to_request()
    };
    let expected_reason = "CORS preflight rejected (403) on POST /invoices from origin `https://app.example.com`: header `x-secret` not allowed (allowed: content-type); the browser reports \"Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.\" (a preflight answered without the refusal would fail with \"Request header field x-secret is not allowed by Access-Control-Allow-Headers in preflight response.\")";

    for (on, body, content_type) in [
        (false, "", None),
        (true, expected_reason, Some("text/plain; charset=utf-8")),
        (false, "", None),
    ] {
        route_cors::explain_rejections(on);
        let res = test::call_service(&app, refused()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "on = {on}");
        assert_eq!(cors_headers(&res), set(&[]), "on = {on}");
        assert_eq!(
            res.headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned())
                .as_deref(),
            content_type,
            "on = {on}"
        );
        let bytes = to_bytes(res.into_body()).await.unwrap();
        assert_eq!(std::str::from_utf8(&bytes).unwrap(), body, "on = {on}");
    }

    // An allowed preflight is unchanged by the switch.
    route_cors::explain_rejections(true);
    let res = test::call_service(
        &app,
        preflight("/invoices", "https://app.example.com", "POST").to_request(),
    )
    .await;
    route_cors::explain_rejections(false);
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(to_bytes(res.into_body()).await.unwrap().len(), 0);
}
