//! Hostile and malformed input, for each kind of policy. Every case gets a clean outcome: no panic, no CORS headers where
//! the answer is a rejection, and the handler's response intact where the
//! request is not a preflight. Each test asserts the status and the exact set
//! of CORS headers (every `access-control-*` header and `vary`).
//!
//! Crashes found by the fuzz targets and the property tests are in `lookalikes.rs`.

#[path = "adversarial/harness.rs"]
mod harness;

use harness::*;

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::test as atest;

#[actix_web::test]
async fn origin_not_utf8() {
    let app = app().await;
    assert_never_matches(&app, &[hv(b"https://f\xf6\xf6.com")]).await;
    assert_never_matches(&app, &[hv(b"https://a.ex\xffample.com")]).await;
    assert_never_matches(&app, &[hv(b"\xff\xfe")]).await;
}

#[actix_web::test]
async fn origin_8_kib_long() {
    let app = app().await;
    let long_host = format!("https://{}.com", "a".repeat(8 * 1024));
    assert_never_matches(&app, &[hv(long_host.as_bytes())]).await;
    // Valid-looking labels under an allowed pattern, but far past 253 bytes.
    let label = "a".repeat(60);
    let labels = vec![label.as_str(); 8 * 1024 / 61].join(".");
    let long_sub = format!("https://{labels}.example.com");
    assert!(long_sub.len() > 8000);
    assert_never_matches(&app, &[hv(long_sub.as_bytes())]).await;
    // One label of 64 bytes is one too many.
    let sub64 = format!("https://{}.example.com", "a".repeat(64));
    assert_never_matches(&app, &[hv(sub64.as_bytes())]).await;
}

#[actix_web::test]
async fn origin_empty_or_blank() {
    let app = app().await;
    assert_never_matches(&app, &[hv(b"")]).await;
    assert_never_matches(&app, &[hv(b" ")]).await;
    assert_never_matches(&app, &[hv(b"\t")]).await;
}

#[actix_web::test]
async fn several_origin_lines_never_match() {
    let app = app().await;
    let foo = hv(b"https://foo.com");
    // Even two identical, allowed lines.
    assert_never_matches(&app, &[foo.clone(), foo.clone()]).await;
    assert_never_matches(&app, &[foo, hv(b"https://a.example.com")]).await;
}

#[actix_web::test]
async fn origin_lists_never_match() {
    let app = app().await;
    for v in [
        "https://foo.com, https://bar.com",
        "https://foo.com,https://foo.com",
        "a, b",
        "https://a.example.com, https://evil.net",
    ] {
        assert_never_matches(&app, &[hv(v.as_bytes())]).await;
    }
}

#[actix_web::test]
async fn origin_with_control_characters() {
    let app = app().await;
    // No HTTP parser delivers CR, LF, NUL or DEL inside a value, and actix
    // refuses to build one.
    for bad in [
        &b"https://foo.com\r\n"[..],
        b"https://foo.com\n",
        b"https://foo\0.com",
        b"https://foo.com\x7f",
        b"https://foo.com\x01",
    ] {
        assert!(HeaderValue::from_bytes(bad).is_err(), "{bad:?}");
    }
    // A tab is the one control character a value may hold.
    for v in [
        &b"https://foo.com\t"[..],
        b"\thttps://foo.com",
        b"https://fo\to.com",
        b"https://a.example.com\t",
        b"https://a\t.example.com",
    ] {
        assert_never_matches(&app, &[hv(v)]).await;
    }
}

#[actix_web::test]
async fn origin_null() {
    let app = app().await;
    assert_never_matches(&app, &[hv(b"null")]).await;
    assert_never_matches(&app, &[hv(b"NULL")]).await;
}

// ---------------------------------------------------------------------------
// Access-Control-Request-Method.

fn list_preflight(acrm: &[&[u8]], acrh: &[&[u8]]) -> atest::TestRequest {
    let mut req = atest::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/list")
        .insert_header(("origin", "https://foo.com"));
    for m in acrm {
        req = req.append_header((
            HeaderName::from_static("access-control-request-method"),
            hv(m),
        ));
    }
    for h in acrh {
        req = req.append_header((
            HeaderName::from_static("access-control-request-headers"),
            hv(h),
        ));
    }
    req
}

fn list_allowed() -> Outcome {
    Outcome {
        status: StatusCode::NO_CONTENT,
        cors: headers(&[
            ("access-control-allow-origin", "https://foo.com"),
            ("access-control-allow-credentials", "true"),
            ("access-control-allow-methods", "POST"),
            ("access-control-allow-headers", "x-foo, content-type"),
            PREFLIGHT_VARY,
        ]),
        handler: None,
        body: String::new(),
    }
}

#[actix_web::test]
async fn malformed_acrm_is_rejected() {
    let app = app().await;
    // The control: the same preflight with a clean ACRM passes.
    assert_eq!(
        send(&app, list_preflight(&[b"POST"], &[])).await,
        list_allowed()
    );
    for acrm in [
        &[&b"GET, DELETE"[..]][..],
        &[b"POST, POST"],
        &[b"POST "],
        &[b""],
        &[b" "],
        &[b"P\xd6ST"],
        // Two lines, even when both name the route's method.
        &[b"POST", b"POST"],
        &[b"POST", b"DELETE"],
    ] {
        assert_eq!(
            send(&app, list_preflight(acrm, &[])).await,
            rejected(),
            "ACRM {acrm:?}"
        );
    }
}

#[actix_web::test]
async fn acrm_case_variants_are_rejected() {
    let app = app().await;
    for acrm in [&b"post"[..], b"Post", b"pOST"] {
        assert_eq!(
            send(&app, list_preflight(&[acrm], &[])).await,
            rejected(),
            "ACRM {acrm:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// Access-Control-Request-Headers.

#[actix_web::test]
async fn acrh_one_mib_of_commas() {
    let app = app().await;
    let commas = vec![b','; 1 << 20];
    assert_eq!(
        send(&app, list_preflight(&[b"POST"], &[&commas])).await,
        rejected()
    );
    let echo = atest::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/echo")
        .insert_header(("origin", "https://foo.com"))
        .insert_header(("access-control-request-method", "PATCH"))
        .insert_header(("access-control-request-headers", hv(&commas)));
    assert_eq!(send(&app, echo).await, rejected());
}

#[actix_web::test]
async fn acrh_ten_thousand_names() {
    let app = app().await;
    let names = vec!["x-foo"; 10_000].join(", ");
    assert_eq!(
        send(&app, list_preflight(&[b"POST"], &[names.as_bytes()])).await,
        rejected()
    );
    let distinct: Vec<String> = (0..10_000).map(|i| format!("x-h{i}")).collect();
    let any = atest::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/any")
        .insert_header(("origin", "https://foo.com"))
        .insert_header(("access-control-request-method", "GET"))
        .insert_header(("access-control-request-headers", distinct.join(",")));
    assert_eq!(send(&app, any).await, rejected());
}

#[actix_web::test]
async fn acrh_invalid_tokens() {
    let app = app().await;
    for acrh in [
        &b"x-foo, bad header"[..],
        b"x-foo, x@foo",
        b"x-foo, \"x-foo\"",
        b"x-foo; content-type",
        b"x-foo, (x)",
        b"x-f\xf6o",
        b"x-foo, x/y",
        b"x-foo, {}",
    ] {
        assert_eq!(
            send(&app, list_preflight(&[b"POST"], &[acrh])).await,
            rejected(),
            "ACRH {:?}",
            String::from_utf8_lossy(acrh)
        );
    }
}

#[actix_web::test]
async fn acrh_empty_items_are_tolerated_up_to_sixteen() {
    let app = app().await;
    let sixteen = format!("{}x-foo", ",".repeat(16));
    let seventeen = format!("{}x-foo", ",".repeat(17));
    let spaced = format!("x-foo{}", ", ".repeat(17));
    assert_eq!(
        send(&app, list_preflight(&[b"POST"], &[sixteen.as_bytes()])).await,
        list_allowed()
    );
    for acrh in [&seventeen, &spaced] {
        assert_eq!(
            send(&app, list_preflight(&[b"POST"], &[acrh.as_bytes()])).await,
            rejected(),
            "ACRH {acrh:?}"
        );
    }
    // Empty items and OWS are tolerated as browsers tolerate them.
    for acrh in [&b""[..], b" ", b",", b" x-foo ,\tcontent-type\t", b"X-Foo"] {
        assert_eq!(
            send(&app, list_preflight(&[b"POST"], &[acrh])).await,
            list_allowed(),
            "ACRH {acrh:?}"
        );
    }
}

#[actix_web::test]
async fn acrh_not_allowed_is_rejected() {
    let app = app().await;
    for acrh in [
        &[&b"x-bar"[..]][..],
        &[b"x-foo, x-bar"],
        &[b"x-foo", b"x-bar"],
        &[b"authorization"],
        &[b"x-fooo"],
        &[b"x-fo"],
    ] {
        assert_eq!(
            send(&app, list_preflight(&[b"POST"], acrh)).await,
            rejected(),
            "ACRH {acrh:?}"
        );
    }
}

/// Regression (property tests): an echoed ACAH never carries empty items,
/// and several ACRH lines are echoed as one clean list.
#[actix_web::test]
async fn echoed_acah_is_a_clean_token_list() {
    let app = app().await;
    let echo_req = |acrh: &[&str]| {
        let mut req = atest::TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/echo")
            .insert_header(("origin", "https://foo.com"))
            .insert_header(("access-control-request-method", "PATCH"));
        for h in acrh {
            req = req.append_header((
                HeaderName::from_static("access-control-request-headers"),
                hv(h.as_bytes()),
            ));
        }
        req
    };
    let allowed = |acah: Option<&str>| {
        let mut cors = vec![
            ("access-control-allow-origin", "https://foo.com"),
            ("access-control-allow-credentials", "true"),
            ("access-control-allow-methods", "PATCH"),
            PREFLIGHT_VARY,
        ];
        if let Some(v) = acah {
            cors.push(("access-control-allow-headers", v));
        }
        Outcome {
            status: StatusCode::NO_CONTENT,
            cors: headers(&cors),
            handler: None,
            body: String::new(),
        }
    };
    for (acrh, acah) in [
        (&["x-a, x-b"][..], Some("x-a, x-b")),
        (&[",x-a,, X-B ,"], Some("x-a, X-B")),
        (&["x-a", "authorization"], Some("x-a, authorization")),
        (&["x-a,", ",x-b"], Some("x-a, x-b")),
        (&[""], None),
        (&[" , "], None),
        (&[], None),
    ] {
        assert_eq!(
            send(&app, echo_req(acrh)).await,
            allowed(acah),
            "ACRH {acrh:?}"
        );
    }
    // Without credentials `*` is sent, but `authorization` is named alone.
    let any = atest::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/any")
        .insert_header(("origin", "https://foo.com"))
        .insert_header(("access-control-request-method", "GET"))
        .insert_header(("access-control-request-headers", ",authorization,"));
    let mut expected = any_preflight_allowed();
    expected.cors.insert(
        "access-control-allow-headers".into(),
        vec!["authorization".into()],
    );
    assert_eq!(send(&app, any).await, expected);
}
