//! Preflight edge cases: several `Access-Control-Request-Headers` lines
//! (with and without `authorization`) on `headers = "*"` routes, empty items,
//! the 4096-byte line limit and the 16-empty-item limit exactly at the bound,
//! malformed or repeated `Access-Control-Request-Method`, Private Network
//! Access only on `true`, and the debug line naming the refused header,
//! wherever it sits in the list. Every test asserts the status and the exact
//! set of CORS headers (all `access-control-*` and `vary`).

use actix_web::http::{Method, StatusCode};
use actix_web::{get, patch, put, test, App, HttpResponse};
use route_cors::cors;

mod common;
use common::{cors_headers, preflight, set, Headers, PREFLIGHT_VARY};

const APP: &str = "https://app.example.com";

// ---------------------------------------------------------------------------
// Routes.

#[cors(origins = "*", headers = "*")]
#[put("/any")]
async fn any_headers() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"], headers = "*", credentials)]
#[put("/any-cred")]
async fn any_headers_cred() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"], headers = ["x-a", "x-b"])]
#[patch("/list")]
async fn list_headers() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/none")]
async fn no_headers() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[allow(deprecated)] // `private_network` is deprecated; its behaviour is kept
#[cors(origins = ["https://app.example.com"], private_network)]
#[get("/pna")]
async fn pna() -> HttpResponse {
    HttpResponse::Ok().finish()
}

macro_rules! app {
    () => {
        test::init_service(
            App::new()
                .service(any_headers)
                .service(any_headers_cred)
                .service(list_headers)
                .service(no_headers)
                .service(pna),
        )
        .await
    };
}

/// A preflight with one `Access-Control-Request-Headers` line per item of `lines`.
fn with_lines(uri: &str, method: &str, lines: &[&str]) -> test::TestRequest {
    let mut req = preflight(uri, APP, method);
    for line in lines {
        req = req.append_header(("access-control-request-headers", *line));
    }
    req
}

/// The headers of an allowed preflight on `/any` (any origin, no credentials).
fn any_ok(acah: Option<&str>) -> Headers {
    let mut pairs = vec![
        ("access-control-allow-origin", "*"),
        ("access-control-allow-methods", "PUT"),
        PREFLIGHT_VARY,
    ];
    if let Some(v) = acah {
        pairs.push(("access-control-allow-headers", v));
    }
    set(&pairs)
}

/// The headers of an allowed preflight on `/any-cred`.
fn cred_ok(acah: Option<&str>) -> Headers {
    let mut pairs = vec![
        ("access-control-allow-origin", APP),
        ("access-control-allow-credentials", "true"),
        ("access-control-allow-methods", "PUT"),
        PREFLIGHT_VARY,
    ];
    if let Some(v) = acah {
        pairs.push(("access-control-allow-headers", v));
    }
    set(&pairs)
}

fn list_ok() -> Headers {
    set(&[
        ("access-control-allow-origin", APP),
        ("access-control-allow-methods", "PATCH"),
        ("access-control-allow-headers", "x-a, x-b"),
        PREFLIGHT_VARY,
    ])
}

// ---------------------------------------------------------------------------
// Several request-header lines.

#[actix_web::test]
async fn several_lines_on_a_star_route_name_authorization_wherever_it_is() {
    let app = app!();
    for (lines, acah) in [
        // No `authorization`, no credentials: `*`.
        (&["x-a", "x-b"][..], "*"),
        // `authorization` on the first line only, on the last only, on both.
        (&["authorization", "x-b"], "authorization, x-b"),
        (&["x-a", "authorization"], "x-a, authorization"),
        (
            &["authorization", "Authorization, x-b"],
            "authorization, Authorization, x-b",
        ),
        // Empty items and optional whitespace are dropped from the names.
        (
            &["x-a, ,authorization", "\tx-b "],
            "x-a, authorization, x-b",
        ),
    ] {
        let res = test::call_service(&app, with_lines("/any", "PUT", lines).to_request()).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{lines:?}");
        assert_eq!(cors_headers(&res), any_ok(Some(acah)), "{lines:?}");
    }
}

#[actix_web::test]
async fn several_lines_with_credentials_echo_the_names_never_star() {
    let app = app!();
    for (lines, acah) in [
        (&["x-a", "x-b"][..], Some("x-a, x-b")),
        (&["x-a,", ",x-b"], Some("x-a, x-b")),
        (&["authorization", "x-b"], Some("authorization, x-b")),
        // Nothing but empty items: no name to allow, so no ACAH at all.
        (&[",", " "], None),
        (&["", ""], None),
    ] {
        let res =
            test::call_service(&app, with_lines("/any-cred", "PUT", lines).to_request()).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{lines:?}");
        assert_eq!(cors_headers(&res), cred_ok(acah), "{lines:?}");
    }
}

#[actix_web::test]
async fn one_line_with_empty_items_is_cleaned_before_it_is_echoed() {
    let app = app!();
    for (line, acah) in [
        ("x-a,x-b", Some("x-a,x-b")),
        ("x-a, ,x-b", Some("x-a, x-b")),
        (",x-a", Some("x-a")),
        (",", None),
    ] {
        let res =
            test::call_service(&app, with_lines("/any-cred", "PUT", &[line]).to_request()).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{line:?}");
        assert_eq!(cors_headers(&res), cred_ok(acah), "{line:?}");
    }
    // Without credentials, `authorization` in a line with empty items.
    let res = test::call_service(
        &app,
        with_lines("/any", "PUT", &["x-a, , authorization"]).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(cors_headers(&res), any_ok(Some("x-a, authorization")));
}

#[actix_web::test]
async fn several_lines_on_a_list_route_are_each_checked() {
    let app = app!();
    for lines in [&["x-a", "x-b"][..], &["X-B", " x-a"], &["x-a", ""]] {
        let res = test::call_service(&app, with_lines("/list", "PATCH", lines).to_request()).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{lines:?}");
        assert_eq!(cors_headers(&res), list_ok(), "{lines:?}");
    }
    for lines in [&["x-a", "x-c"][..], &["x-c", "x-a"], &["x-a", "x b"]] {
        let res = test::call_service(&app, with_lines("/list", "PATCH", lines).to_request()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{lines:?}");
        assert_eq!(cors_headers(&res), Headers::new(), "{lines:?}");
    }
    // No request headers at all: the list is still sent.
    let res = test::call_service(&app, preflight("/list", APP, "PATCH").to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(cors_headers(&res), list_ok());
    // A route without `headers`: a requested header is refused, none is fine.
    let res = test::call_service(&app, with_lines("/none", "GET", &["x-a"]).to_request()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(cors_headers(&res), Headers::new());
    let res = test::call_service(&app, with_lines("/none", "GET", &[" , "]).to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", APP),
            ("access-control-allow-methods", "GET"),
            PREFLIGHT_VARY,
        ])
    );
}

// ---------------------------------------------------------------------------
// Limits, exactly at the bound.

#[actix_web::test]
async fn a_line_of_exactly_4096_bytes_is_read_and_4097_is_refused() {
    let app = app!();
    let name = |len: usize| format!("x-{}", "a".repeat(len - 2));
    let at = name(4096);
    let past = name(4097);
    assert_eq!((at.len(), past.len()), (4096, 4097));

    let res = test::call_service(&app, with_lines("/any", "PUT", &[&at]).to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(cors_headers(&res), any_ok(Some("*")));

    let res = test::call_service(&app, with_lines("/any-cred", "PUT", &[&at]).to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(cors_headers(&res), cred_ok(Some(&at)));

    for uri in ["/any", "/any-cred"] {
        let res = test::call_service(&app, with_lines(uri, "PUT", &[&past]).to_request()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{uri}");
        assert_eq!(cors_headers(&res), Headers::new(), "{uri}");
        // The limit is per line: a second, short line does not rescue it.
        let res =
            test::call_service(&app, with_lines(uri, "PUT", &["x-a", &past]).to_request()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{uri}");
        assert_eq!(cors_headers(&res), Headers::new(), "{uri}");
    }
}

#[actix_web::test]
async fn sixteen_empty_items_are_tolerated_and_seventeen_are_not() {
    let app = app!();
    let sixteen = format!("x-a{}", ",".repeat(16));
    let seventeen = format!("x-a{}", ",".repeat(17));
    let res = test::call_service(&app, with_lines("/any", "PUT", &[&sixteen]).to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(cors_headers(&res), any_ok(Some("*")));
    let res = test::call_service(
        &app,
        with_lines("/any-cred", "PUT", &[&sixteen]).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(cors_headers(&res), cred_ok(Some("x-a")));
    for uri in ["/any", "/any-cred"] {
        let res =
            test::call_service(&app, with_lines(uri, "PUT", &[&seventeen]).to_request()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{uri}");
        assert_eq!(cors_headers(&res), Headers::new(), "{uri}");
    }
}

// ---------------------------------------------------------------------------
// The requested method, and Private Network Access.

#[actix_web::test]
async fn the_requested_method_is_one_token_matched_byte_for_byte() {
    let app = app!();
    let res = test::call_service(&app, preflight("/list", APP, "PATCH").to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    for (acrm, extra) in [
        ("patch", None),
        ("PATCH ", None),
        ("PAT CH", None),
        ("", None),
        ("PATCH", Some("PATCH")),
    ] {
        let mut req = preflight("/list", APP, acrm);
        if let Some(second) = extra {
            req = req.append_header(("access-control-request-method", second));
        }
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{acrm:?} {extra:?}");
        assert_eq!(cors_headers(&res), Headers::new(), "{acrm:?} {extra:?}");
    }
}

#[actix_web::test]
async fn private_network_is_allowed_only_when_asked_with_true() {
    let app = app!();
    let base = [
        ("access-control-allow-origin", APP),
        ("access-control-allow-methods", "GET"),
        PREFLIGHT_VARY,
    ];
    let res = test::call_service(
        &app,
        preflight("/pna", APP, "GET")
            .insert_header(("access-control-request-private-network", "true"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let mut with_pna = base.to_vec();
    with_pna.push(("access-control-allow-private-network", "true"));
    assert_eq!(cors_headers(&res), set(&with_pna));

    for value in ["false", "TRUE", ""] {
        let res = test::call_service(
            &app,
            preflight("/pna", APP, "GET")
                .insert_header(("access-control-request-private-network", value))
                .to_request(),
        )
        .await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{value:?}");
        assert_eq!(cors_headers(&res), set(&base), "{value:?}");
    }
    let res = test::call_service(&app, preflight("/pna", APP, "GET").to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(cors_headers(&res), set(&base));

    // A route without `private_network` never allows it.
    let res = test::call_service(
        &app,
        preflight("/none", APP, "GET")
            .insert_header(("access-control-request-private-network", "true"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", APP),
            ("access-control-allow-methods", "GET"),
            PREFLIGHT_VARY,
        ])
    );
}

// ---------------------------------------------------------------------------
// The debug line names the refused header, wherever it is.

use common::capture::install;

/// The debug lines this thread logged since the last call.
fn take_debug() -> Vec<String> {
    common::capture::take(log::Level::Debug)
}

const BROWSER: &str = "the browser reports \"Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.\"";

#[actix_web::test]
async fn the_log_names_the_refused_header_after_spaces_and_on_a_later_line() {
    install();
    let app = app!();
    take_debug();
    for (lines, refused) in [
        (&["x-c"][..], "x-c"),
        (&["x-a, x-c"], "x-c"),
        (&["x-a,   x-c  ,x-b"], "x-c"),
        (&[" \t x-c"], "x-c"),
        (&["x-a,,, X-Secret"], "X-Secret"),
        (&["x-a", "x-b,  x-c"], "x-c"),
        (&["x-b", "", " x-zz"], "x-zz"),
    ] {
        let res = test::call_service(&app, with_lines("/list", "PATCH", lines).to_request()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{lines:?}");
        assert_eq!(cors_headers(&res), Headers::new(), "{lines:?}");
        assert_eq!(
            take_debug(),
            [format!(
                "CORS preflight rejected (403) on PATCH /list from origin `{APP}`: header `{refused}` not allowed (allowed: x-a, x-b); {BROWSER} (a preflight answered without the refusal would fail with \"Request header field {refused} is not allowed by Access-Control-Allow-Headers in preflight response.\")"
            )],
            "{lines:?}"
        );
    }
    // On a route without `headers`.
    let res = test::call_service(&app, with_lines("/none", "GET", &["  x-q"]).to_request()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(cors_headers(&res), Headers::new());
    assert_eq!(
        take_debug(),
        [format!(
            "CORS preflight rejected (403) on GET /none from origin `{APP}`: header `x-q` not allowed (the route allows only CORS-safelisted headers); {BROWSER} (a preflight answered without the refusal would fail with \"Request header field x-q is not allowed by Access-Control-Allow-Headers in preflight response.\")"
        )]
    );
    // A method refused only by its case gets the hint.
    let res = test::call_service(&app, preflight("/list", APP, "patch").to_request()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        take_debug(),
        [format!(
            "CORS preflight rejected (403) on PATCH /list from origin `{APP}`: method `patch` not allowed (allowed: PATCH; methods match case-sensitively and browsers send `patch` as written); {BROWSER} (a preflight answered without the refusal would fail with \"Method patch is not allowed by Access-Control-Allow-Methods in preflight response.\")"
        )]
    );
    // Not a preflight (no ACRM): nothing logged, the route's 404/405 path.
    let req = test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/list")
        .insert_header(("origin", APP))
        .to_request();
    let _ = test::call_service(&app, req).await;
    assert_eq!(take_debug(), Vec::<String>::new());
}
