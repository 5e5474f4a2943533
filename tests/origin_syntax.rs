//! Issue 10: origins as the URL standard writes them (IPv6 with a hex IPv4
//! tail, trailing-dot hosts), a `*` inside the leftmost label, and the `:*`
//! port wildcard, driven through routes. Each request asserts the status and
//! the exact set of CORS headers (every `access-control-*` and `vary`).

use actix_web::http::StatusCode;
use actix_web::{get, put, test as atest, App, HttpResponse};
use route_cors::rules::{check_origin, OriginReason};
use route_cors::{cors, CredentialedOriginSet, OriginSet};

mod common;
use common::{cors_headers, get_req, preflight, set, Headers, PREFLIGHT_VARY};

/// Vercel-style previews and `pr-*` previews, without credentials.
#[cors(origins = ["https://myapp-*-myteam.vercel.app", "https://pr-*.preview.example.com"])]
#[get("/previews")]
async fn previews() -> HttpResponse {
    HttpResponse::Ok().body("previews")
}

/// Any port on loopback and on subdomains, with credentials.
#[cors(origins = ["http://localhost:*", "https://*.example.com:*"], credentials)]
#[put("/ports")]
async fn ports() -> HttpResponse {
    HttpResponse::Ok().body("ports")
}

/// Hosts as browsers serialize them.
#[cors(origins = ["http://example.com.:3999", "http://[::ffff:7f7f:7f7f]:90"])]
#[get("/serialized")]
async fn serialized() -> HttpResponse {
    HttpResponse::Ok().body("serialized")
}

/// A label wildcard on a public suffix, with credentials, opted in.
#[cors(
    origins = ["https://app-*.vercel.app"],
    credentials,
    dangerously_allow_public_suffix_wildcard_with_credentials
)]
#[get("/opted-in")]
async fn opted_in() -> HttpResponse {
    HttpResponse::Ok().body("opted-in")
}

static STARTUP: OriginSet = OriginSet::new("ORIGIN_SYNTAX_STARTUP");

/// The new forms, read at startup.
#[cors(origins = STARTUP)]
#[get("/startup")]
async fn startup() -> HttpResponse {
    HttpResponse::Ok().body("startup")
}

async fn call(req: atest::TestRequest) -> (StatusCode, Headers) {
    if !STARTUP.is_set() {
        let _ = STARTUP.set(["https://pr-*.preview.example.com", "http://127.0.0.1:*"]);
    }
    let app = atest::init_service(
        App::new()
            .service(previews)
            .service(ports)
            .service(serialized)
            .service(opted_in)
            .service(startup),
    )
    .await;
    let res = atest::call_service(&app, req.to_request()).await;
    (res.status(), cors_headers(&res))
}

/// `allowed` are answered with themselves on an actual request and a
/// preflight; `denied` get only `Vary: Origin`, and a bare 403 preflight.
async fn assert_origins(
    path: &str,
    method: &str,
    credentials: bool,
    allowed: &[&str],
    denied: &[&str],
) {
    let actual = |origin: &str| {
        atest::TestRequest::default()
            .method(method.parse().unwrap())
            .uri(path)
            .insert_header(("origin", origin))
    };
    for origin in allowed {
        let mut want = vec![("access-control-allow-origin", *origin), ("vary", "Origin")];
        if credentials {
            want.push(("access-control-allow-credentials", "true"));
        }
        assert_eq!(
            call(actual(origin)).await,
            (StatusCode::OK, set(&want)),
            "{origin} on {path}"
        );
        let mut want = vec![
            ("access-control-allow-origin", *origin),
            ("access-control-allow-methods", method),
            PREFLIGHT_VARY,
        ];
        if credentials {
            want.push(("access-control-allow-credentials", "true"));
        }
        assert_eq!(
            call(preflight(path, origin, method)).await,
            (StatusCode::NO_CONTENT, set(&want)),
            "preflight {origin} on {path}"
        );
    }
    for origin in denied {
        // A write from an origin the route does not trust is refused before
        // the handler (cross-origin write protection); a read runs it.
        let refused = if matches!(method, "GET" | "HEAD") {
            (StatusCode::OK, set(&[("vary", "Origin")]))
        } else {
            (StatusCode::FORBIDDEN, set(&[]))
        };
        assert_eq!(call(actual(origin)).await, refused, "{origin} on {path}");
        assert_eq!(
            call(preflight(path, origin, method)).await,
            (StatusCode::FORBIDDEN, set(&[])),
            "preflight {origin} on {path}"
        );
    }
}

#[actix_web::test]
async fn label_wildcards_match_one_label_of_fixed_text_and_fill() {
    assert_origins(
        "/previews",
        "GET",
        false,
        &[
            "https://myapp-git-main-myteam.vercel.app",
            "https://myapp-x-myteam.vercel.app",
            "https://myapp---myteam.vercel.app",
            "https://pr-42.preview.example.com",
            "https://pr-a-b.preview.example.com",
        ],
        &[
            // An empty `*`.
            "https://myapp--myteam.vercel.app",
            "https://pr-.preview.example.com",
            // A dot inside the `*`.
            "https://myapp-a.b-myteam.vercel.app",
            "https://pr-1.x.preview.example.com",
            "https://x.pr-1.preview.example.com",
            // Upper case, underscore, a trailing dot.
            "https://myapp-GIT-myteam.vercel.app",
            "https://PR-1.preview.example.com",
            "https://myapp-a_b-myteam.vercel.app",
            "https://myapp-x-myteam.vercel.app.",
            "https://pr-1.preview.example.com.",
            // A longer suffix, another suffix.
            "https://myapp-x-myteam.vercel.app.evil.test",
            "https://pr-1.preview.example.com.evil.test",
            "https://myapp-x-myteam.vercel.app-evil.test",
            "https://myapp-x-evilteam.vercel.app",
            "https://evil-myapp-x-myteam.vercel.app",
            "https://pr-1.example.com",
            // Port or scheme mismatch.
            "https://myapp-x-myteam.vercel.app:8443",
            "https://myapp-x-myteam.vercel.app:443",
            "http://myapp-x-myteam.vercel.app",
            "wss://pr-1.preview.example.com",
            // The pattern itself.
            "https://myapp-*-myteam.vercel.app",
            "https://pr-*.preview.example.com",
        ],
    )
    .await;
}

#[actix_web::test]
async fn port_wildcards_match_any_valid_port_or_none() {
    assert_origins(
        "/ports",
        "PUT",
        true,
        &[
            "http://localhost",
            "http://localhost:3000",
            "http://localhost:5173",
            "http://localhost:65535",
            "https://a.example.com",
            "https://a.b.example.com:8443",
        ],
        &[
            "http://localhost:80",
            "http://localhost:0",
            "http://localhost:03000",
            "http://localhost:65536",
            "http://localhost:",
            "http://localhost:*",
            "http://localhost.:3000",
            "http://localhost:3000.evil.test",
            "http://a.localhost:3000",
            "https://localhost:3000",
            "http://127.0.0.1:3000",
            "https://example.com:8443",
            "https://a.example.com:443",
            "https://a.example.com.:8443",
            "http://a.example.com:8443",
            "https://a.example.com:8443.evil.test",
        ],
    )
    .await;
}

#[actix_web::test]
async fn hosts_match_as_browsers_serialize_them() {
    assert_origins(
        "/serialized",
        "GET",
        false,
        &["http://example.com.:3999", "http://[::ffff:7f7f:7f7f]:90"],
        &[
            "http://example.com:3999",
            "http://example.com..:3999",
            "http://[::ffff:127.127.127.127]:90",
            "http://[::FFFF:7F7F:7F7F]:90",
            "http://[0:0:0:0:0:ffff:7f7f:7f7f]:90",
            "http://127.127.127.127:90",
        ],
    )
    .await;
}

#[actix_web::test]
async fn an_opted_in_public_suffix_label_wildcard_answers_with_credentials() {
    assert_origins(
        "/opted-in",
        "GET",
        true,
        &["https://app-1.vercel.app"],
        &[
            "https://app-.vercel.app",
            "https://app-1.vercel.app.evil.test",
            "https://x.app-1.vercel.app",
        ],
    )
    .await;
}

#[actix_web::test]
async fn startup_sets_take_the_new_forms() {
    assert_origins(
        "/startup",
        "GET",
        false,
        &[
            "https://pr-7.preview.example.com",
            "http://127.0.0.1",
            "http://127.0.0.1:8080",
        ],
        &[
            "https://pr-.preview.example.com",
            "http://127.0.0.2:8080",
            "http://127.0.0.1:080",
        ],
    )
    .await;
    // A missing Origin: the handler's answer with `Vary: Origin` alone.
    assert_eq!(
        call(get_req("/startup", None, None)).await,
        (StatusCode::OK, set(&[("vary", "Origin")]))
    );
}

#[test]
fn startup_sets_refuse_what_the_attribute_refuses() {
    let bad = OriginSet::new("ORIGIN_SYNTAX_BAD");
    let err = bad
        .set([
            "https://a-*-*.example.com",
            "http://localhost:*8080",
            "http://[::ffff:127.127.127.127]:90",
            "https://xn--abc-.example",
            "https://ok.example",
        ])
        .unwrap_err();
    assert_eq!(
        err.problems,
        [
            "origin `https://a-*-*.example.com` has more than one `*`; a pattern has one wildcard, in its leftmost label",
            "origin `http://localhost:*8080` has a malformed port wildcard; `:*` alone allows any port",
            "origin `http://[::ffff:127.127.127.127]:90` must write the IPv4 tail of its IPv6 address in hex, as browsers send it; write `http://[::ffff:7f7f:7f7f]:90`",
            "origin `https://xn--abc-.example` has the label `xn--abc-`, which is not valid Punycode, so browsers refuse the host; write the label as IDNA encodes it",
        ]
    );
    assert!(!bad.is_set());
    // With credentials, a label wildcard on a public suffix is refused.
    let cred = CredentialedOriginSet::new("ORIGIN_SYNTAX_CRED");
    let err = cred.set(["https://myapp-*-myteam.vercel.app"]).unwrap_err();
    assert_eq!(err.problems.len(), 1);
    assert!(
        err.problems[0].to_string().contains("public suffix"),
        "{}",
        err.problems[0]
    );
    cred.set(["https://pr-*.preview.example.com", "http://localhost:*"])
        .unwrap();
}

#[test]
fn reasons_for_each_malformed_form() {
    for (s, reason) in [
        ("https://a-*-*.example.com", OriginReason::TwoWildcards),
        (
            "https://a.b-*.example.com",
            OriginReason::WildcardNotLeftmost,
        ),
        ("http://a*.127.0.0.1", OriginReason::WildcardOnIp),
        (
            "https://*example.com",
            OriginReason::WildcardInRegistrableLabel,
        ),
        ("https://*.example.com.", OriginReason::WildcardTrailingDot),
        ("http://localhost:*8080", OriginReason::BadPortWildcard),
        ("http://localhost:**", OriginReason::BadPortWildcard),
        ("http://localhost:8*", OriginReason::BadPortWildcard),
        ("http://[::1]1:6060", OriginReason::TextAfterIpv6),
        ("https://xn--abc-.example", OriginReason::BadPunycode),
    ] {
        assert_eq!(check_origin(s).unwrap_err().reason(), reason, "{s}");
    }
}
