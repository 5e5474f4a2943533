//! Decoration of actual responses whose handler set CORS headers or `Vary`
//! itself: the route's policy replaces every `Access-Control-Allow-Origin`,
//! `-Allow-Credentials` and `-Expose-Headers` the handler wrote (each on its
//! own, not only alongside the others), and `Vary` ends up covering `Origin`
//! on one line, keeping what the handler put there. Every test asserts the
//! status and the exact set of CORS headers (all `access-control-*` and
//! `vary`).

use actix_web::http::StatusCode;
use actix_web::{get, test, App, HttpResponse};
use route_cors::cors;

mod common;
use common::{cors_headers, get_req, set};

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example.net";

// ---------------------------------------------------------------------------
// Handlers that set one CORS header alone (no `Access-Control-Allow-Origin`).

/// No credentials, no exposed headers; the handler claims credentials.
#[cors(origins = ["https://app.example.com"])]
#[get("/acac-only")]
async fn acac_only() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("access-control-allow-credentials", "true"))
        .finish()
}

/// The handler sets nothing but `Access-Control-Allow-Origin: *`.
#[cors(origins = ["https://app.example.com"], credentials)]
#[get("/acao-only")]
async fn acao_only() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("access-control-allow-origin", "*"))
        .finish()
}

/// The same, with the handler's own `Vary`.
#[cors(origins = ["https://app.example.com"])]
#[get("/acao-vary")]
async fn acao_vary() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("access-control-allow-origin", "https://evil.example.net"))
        .insert_header(("vary", "accept"))
        .finish()
}

/// No exposed headers; the handler exposes one.
#[cors(origins = ["https://app.example.com"])]
#[get("/aceh-only")]
async fn aceh_only() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("access-control-expose-headers", "x-secret"))
        .finish()
}

/// Exposes `x-total`; the handler exposes something else.
#[cors(origins = ["https://app.example.com"], expose = ["x-total"])]
#[get("/aceh-replaced")]
async fn aceh_replaced() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("access-control-expose-headers", "x-secret"))
        .finish()
}

/// Any origin; the handler claims credentials and exposes a header.
#[cors(origins = "*")]
#[get("/any-acac")]
async fn any_acac() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("access-control-allow-credentials", "true"))
        .finish()
}

#[cors(origins = "*", expose = ["x-total"])]
#[get("/any-aceh")]
async fn any_aceh() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("access-control-expose-headers", "x-secret"))
        .finish()
}

#[actix_web::test]
async fn a_lone_allow_origin_header_from_the_handler_is_replaced() {
    let app = test::init_service(App::new().service(acao_only).service(acao_vary)).await;

    let res = test::call_service(&app, get_req("/acao-only", Some(APP), None).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", APP),
            ("access-control-allow-credentials", "true"),
            ("vary", "Origin"),
        ])
    );
    for origin in [Some(EVIL), None] {
        let res = test::call_service(&app, get_req("/acao-only", origin, None).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{origin:?}");
        assert_eq!(cors_headers(&res), set(&[("vary", "Origin")]), "{origin:?}");
    }

    let res = test::call_service(&app, get_req("/acao-vary", Some(APP), None).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", APP),
            ("vary", "accept, Origin"),
        ])
    );
    let res = test::call_service(&app, get_req("/acao-vary", Some(EVIL), None).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(cors_headers(&res), set(&[("vary", "accept, Origin")]));
}

#[actix_web::test]
async fn a_lone_credentials_header_from_the_handler_is_removed() {
    let app = test::init_service(App::new().service(acac_only).service(any_acac)).await;

    let res = test::call_service(&app, get_req("/acac-only", Some(APP), None).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        cors_headers(&res),
        set(&[("access-control-allow-origin", APP), ("vary", "Origin")])
    );

    let res = test::call_service(&app, get_req("/acac-only", Some(EVIL), None).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(cors_headers(&res), set(&[("vary", "Origin")]));

    let res = test::call_service(&app, get_req("/acac-only", None, None).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(cors_headers(&res), set(&[("vary", "Origin")]));

    let res = test::call_service(&app, get_req("/any-acac", Some(EVIL), None).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        cors_headers(&res),
        set(&[("access-control-allow-origin", "*")])
    );
}

#[actix_web::test]
async fn a_lone_expose_header_from_the_handler_is_removed_or_replaced() {
    let app = test::init_service(
        App::new()
            .service(aceh_only)
            .service(aceh_replaced)
            .service(any_aceh),
    )
    .await;

    let res = test::call_service(&app, get_req("/aceh-only", Some(APP), None).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        cors_headers(&res),
        set(&[("access-control-allow-origin", APP), ("vary", "Origin")])
    );

    let res = test::call_service(&app, get_req("/aceh-only", Some(EVIL), None).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(cors_headers(&res), set(&[("vary", "Origin")]));

    let res = test::call_service(
        &app,
        get_req("/aceh-replaced", Some(APP), None).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", APP),
            ("access-control-expose-headers", "x-total"),
            ("vary", "Origin"),
        ])
    );

    let res = test::call_service(
        &app,
        get_req("/aceh-replaced", Some(EVIL), None).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(cors_headers(&res), set(&[("vary", "Origin")]));

    let res = test::call_service(&app, get_req("/any-aceh", Some(EVIL), None).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", "*"),
            ("access-control-expose-headers", "x-total"),
        ])
    );
}

// ---------------------------------------------------------------------------
// `Vary` the handler set. The handlers set nothing but `Vary`.

#[cors(origins = ["https://app.example.com"])]
#[get("/vary-origin")]
async fn vary_origin() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("vary", "Origin"))
        .finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/vary-origin-upper")]
async fn vary_origin_upper() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("vary", "ORIGIN"))
        .finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/vary-star")]
async fn vary_star() -> HttpResponse {
    HttpResponse::Ok().insert_header(("vary", "*")).finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/vary-accept")]
async fn vary_accept() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("vary", "accept"))
        .finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/vary-list-with-origin")]
async fn vary_list_with_origin() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("vary", "accept, origin"))
        .finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/vary-two-lines")]
async fn vary_two_lines() -> HttpResponse {
    HttpResponse::Ok()
        .append_header(("vary", "accept"))
        .append_header(("vary", " cookie "))
        .finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/vary-second-line-origin")]
async fn vary_second_line_origin() -> HttpResponse {
    HttpResponse::Ok()
        .append_header(("vary", "accept"))
        .append_header(("vary", "Origin"))
        .finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/vary-empty-line")]
async fn vary_empty_line() -> HttpResponse {
    HttpResponse::Ok()
        .append_header(("vary", ""))
        .append_header(("vary", "accept"))
        .finish()
}

/// Any origin: the answer does not depend on `Origin`, so `Vary` is left alone.
#[cors(origins = "*")]
#[get("/any-vary-accept")]
async fn any_vary_accept() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("vary", "accept"))
        .finish()
}

#[actix_web::test]
async fn vary_that_already_covers_origin_is_kept_as_it_is() {
    let app = test::init_service(
        App::new()
            .service(vary_origin)
            .service(vary_origin_upper)
            .service(vary_star)
            .service(vary_list_with_origin)
            .service(vary_second_line_origin),
    )
    .await;
    for (path, vary) in [
        ("/vary-origin", &["Origin"][..]),
        ("/vary-origin-upper", &["ORIGIN"]),
        ("/vary-star", &["*"]),
        ("/vary-list-with-origin", &["accept, origin"]),
        ("/vary-second-line-origin", &["accept", "Origin"]),
    ] {
        let vary_pairs: Vec<(&str, &str)> = vary.iter().map(|v| ("vary", *v)).collect();

        // Allowed origin: ACAO plus the handler's own `Vary`, untouched.
        let res = test::call_service(&app, get_req(path, Some(APP), None).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let mut expected = vec![("access-control-allow-origin", APP)];
        expected.extend(vary_pairs.iter().copied());
        assert_eq!(cors_headers(&res), set(&expected), "{path}");

        // Refused origin, and no origin: the handler's `Vary` only.
        for origin in [Some(EVIL), None] {
            let res = test::call_service(&app, get_req(path, origin, None).to_request()).await;
            assert_eq!(res.status(), StatusCode::OK, "{path} {origin:?}");
            assert_eq!(cors_headers(&res), set(&vary_pairs), "{path} {origin:?}");
        }
    }
}

#[actix_web::test]
async fn vary_without_origin_gets_origin_added_on_one_line() {
    let app = test::init_service(
        App::new()
            .service(vary_accept)
            .service(vary_two_lines)
            .service(vary_empty_line),
    )
    .await;
    for (path, vary) in [
        ("/vary-accept", "accept, Origin"),
        ("/vary-two-lines", "accept, cookie, Origin"),
        ("/vary-empty-line", "accept, Origin"),
    ] {
        let res = test::call_service(&app, get_req(path, Some(APP), None).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(
            cors_headers(&res),
            set(&[("access-control-allow-origin", APP), ("vary", vary)]),
            "{path}"
        );

        for origin in [Some(EVIL), None] {
            let res = test::call_service(&app, get_req(path, origin, None).to_request()).await;
            assert_eq!(res.status(), StatusCode::OK, "{path} {origin:?}");
            assert_eq!(
                cors_headers(&res),
                set(&[("vary", vary)]),
                "{path} {origin:?}"
            );
        }
    }
}

#[actix_web::test]
async fn any_origin_route_leaves_the_handlers_vary_alone() {
    let app = test::init_service(App::new().service(any_vary_accept)).await;
    for origin in [Some(APP), Some(EVIL)] {
        let res =
            test::call_service(&app, get_req("/any-vary-accept", origin, None).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{origin:?}");
        assert_eq!(
            cors_headers(&res),
            set(&[("access-control-allow-origin", "*"), ("vary", "accept")]),
            "{origin:?}"
        );
    }
    let res = test::call_service(&app, get_req("/any-vary-accept", None, None).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        cors_headers(&res),
        set(&[("access-control-allow-origin", "*"), ("vary", "accept")])
    );
}
