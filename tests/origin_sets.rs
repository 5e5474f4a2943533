//! Origin sets filled at startup, seen from outside: their accessors, their
//! `Debug` summary (the sorted, de-duplicated exact origins), lookups in a
//! list given in any order, the warning logged once when a route serves
//! requests from a set never filled, and the credential rules of a
//! `CredentialedOriginSet` on every way of filling it, and the line logged
//! when `set_from_env_or` falls back to its defaults. Behaviour tests
//! assert the status and the exact set of CORS headers (all
//! `access-control-*` and `vary`).

use actix_web::http::StatusCode;
use actix_web::{get, test as atest, App, HttpResponse};
use route_cors::{cors, CredentialedOriginSet, OriginSet, OriginsConfig};

mod common;
use common::{cors_headers, get_req, preflight, set, Headers, PREFLIGHT_VARY};

// ---------------------------------------------------------------------------
// The capturing logger.

use common::capture::install;

/// Every warning logged by any thread that contains `needle`.
fn warnings_containing(needle: &str) -> Vec<String> {
    common::capture::lines_containing(log::Level::Warn, needle)
}

// ---------------------------------------------------------------------------
// Accessors and the `Debug` summary.

#[test]
fn accessors_report_the_label_and_whether_the_set_is_filled() {
    let plain = OriginSet::new("PLAIN_LABEL");
    assert_eq!(plain.name(), "PLAIN_LABEL");
    assert!(!plain.is_set());
    plain.set(["https://a.example.com"]).unwrap();
    assert!(plain.is_set());
    assert_eq!(plain.name(), "PLAIN_LABEL");

    let cred = CredentialedOriginSet::new("CRED_LABEL");
    assert_eq!(cred.name(), "CRED_LABEL");
    assert!(!cred.is_set());
    let err = cred.set(["http://a.example.com"]).unwrap_err();
    assert!(!cred.is_set(), "{err}");
    cred.set(["https://a.example.com"]).unwrap();
    assert!(cred.is_set());
    assert_eq!(cred.name(), "CRED_LABEL");
    // Filled once: the second attempt names the label.
    assert_eq!(
        cred.set(["https://b.example.com"]).unwrap_err().problems,
        ["origin set `CRED_LABEL` is already set"]
    );
}

#[test]
fn debug_shows_the_label_and_the_sorted_distinct_exact_origins() {
    let s = OriginSet::new("DBG");
    assert_eq!(
        format!("{s:?}"),
        "OriginSet { name: \"DBG\", origins: None }"
    );
    s.set([
        "https://c.example.com",
        "https://a.example.com",
        "https://*.p.example.com",
        "https://c.example.com",
        "http://b.example.com:8080",
    ])
    .unwrap();
    assert_eq!(
        format!("{s:?}"),
        "OriginSet { name: \"DBG\", origins: Some([\"http://b.example.com:8080\", \"https://a.example.com\", \"https://c.example.com\"]) }"
    );

    let c = CredentialedOriginSet::new("CDBG");
    assert_eq!(
        format!("{c:?}"),
        "CredentialedOriginSet { set: OriginSet { name: \"CDBG\", origins: None } }"
    );
    c.set(["https://z.example.com", "https://y.example.com"])
        .unwrap();
    assert_eq!(
        format!("{c:?}"),
        "CredentialedOriginSet { set: OriginSet { name: \"CDBG\", origins: Some([\"https://y.example.com\", \"https://z.example.com\"]) } }"
    );
}

// ---------------------------------------------------------------------------
// Lookups in a list given in any order.

static UNSORTED: OriginSet = OriginSet::new("UNSORTED");

#[cors(origins = UNSORTED)]
#[get("/unsorted")]
async fn unsorted_route() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn every_listed_origin_matches_whatever_the_order_given() {
    let listed = [
        "https://zeta.example.com",
        "https://alpha.example.com",
        "https://mu.example.com",
        "http://localhost:9000",
        "https://beta.example.com",
        "https://alpha.example.com",
        "http://localhost:3000",
        "https://omega.example.com",
    ];
    UNSORTED.set(listed).unwrap();
    let app = atest::init_service(App::new().service(unsorted_route)).await;
    for origin in listed {
        let res =
            atest::call_service(&app, get_req("/unsorted", Some(origin), None).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{origin}");
        assert_eq!(
            cors_headers(&res),
            set(&[("access-control-allow-origin", origin), ("vary", "Origin")]),
            "{origin}"
        );
        let res =
            atest::call_service(&app, preflight("/unsorted", origin, "GET").to_request()).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{origin}");
        assert_eq!(
            cors_headers(&res),
            set(&[
                ("access-control-allow-origin", origin),
                ("access-control-allow-methods", "GET"),
                PREFLIGHT_VARY,
            ]),
            "{origin}"
        );
    }
    for origin in [
        "https://gamma.example.com",
        "http://localhost:5000",
        "https://a.zeta.example.com",
    ] {
        let res =
            atest::call_service(&app, get_req("/unsorted", Some(origin), None).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{origin}");
        assert_eq!(cors_headers(&res), set(&[("vary", "Origin")]), "{origin}");
        let res =
            atest::call_service(&app, preflight("/unsorted", origin, "GET").to_request()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{origin}");
        assert_eq!(cors_headers(&res), Headers::new(), "{origin}");
    }
}

// ---------------------------------------------------------------------------
// A set never filled: no origin, and one warning however many requests.

static NEVER: OriginSet = OriginSet::new("NEVER_FILLED_SET");

#[cors(origins = NEVER)]
#[get("/never")]
async fn never_route() -> HttpResponse {
    HttpResponse::Ok().body("served")
}

const NEVER_WARNING: &str = "CORS origin set `NEVER_FILLED_SET` is used by a route but was never filled (call `set`, `set_from_env` or `set_from_config` before starting the server); until then no origin is allowed";

#[actix_web::test]
async fn a_set_never_filled_allows_nothing_and_warns_once() {
    install();
    let app = atest::init_service(App::new().service(never_route)).await;
    assert_eq!(
        warnings_containing("NEVER_FILLED_SET"),
        Vec::<String>::new()
    );

    let res = atest::call_service(
        &app,
        get_req("/never", Some("https://app.example.com"), None).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(cors_headers(&res), set(&[("vary", "Origin")]));
    assert_eq!(warnings_containing("NEVER_FILLED_SET"), [NEVER_WARNING]);

    for _ in 0..3 {
        let res = atest::call_service(
            &app,
            preflight("/never", "https://app.example.com", "GET").to_request(),
        )
        .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(cors_headers(&res), Headers::new());
        let res = atest::call_service(&app, get_req("/never", None, None).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(cors_headers(&res), set(&[("vary", "Origin")]));
    }
    assert_eq!(warnings_containing("NEVER_FILLED_SET"), [NEVER_WARNING]);
}

static FILLED: OriginSet = OriginSet::new("FILLED_SET");

#[cors(origins = FILLED)]
#[get("/filled")]
async fn filled_route() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn a_filled_set_never_warns_even_without_an_origin() {
    install();
    FILLED.set(["https://app.example.com"]).unwrap();
    let app = atest::init_service(App::new().service(filled_route)).await;
    let res = atest::call_service(&app, get_req("/filled", None, None).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(cors_headers(&res), set(&[("vary", "Origin")]));
    let res = atest::call_service(
        &app,
        get_req("/filled", Some("https://evil.example.net"), None).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(cors_headers(&res), set(&[("vary", "Origin")]));
    assert_eq!(warnings_containing("`FILLED_SET`"), Vec::<String>::new());
}

// ---------------------------------------------------------------------------
// Credential rules, whichever way the set is filled.

#[test]
fn credential_rules_apply_to_env_and_config_too() {
    let var = "ROUTE_CORS_ORIGIN_SETS_TEST_CRED";
    std::env::set_var(var, "https://ok.example.com, http://plain.example.com");
    let from_env = CredentialedOriginSet::new("CRED_ENV");
    let err = from_env.set_from_env(var).unwrap_err();
    assert_eq!(err.source, var);
    assert_eq!(
        err.problems,
        ["origin `http://plain.example.com` (`CRED_ENV` serves credentialed routes): plain-`http` origins other than loopback cannot be combined with `credentials`: cookies and tokens would cross the network unencrypted; use `https://`"]
    );
    assert!(!from_env.is_set());

    let from_config = CredentialedOriginSet::new("CRED_CFG");
    let config = OriginsConfig {
        allowed_origins: vec![
            "https://*.github.io".into(),
            "https://ok.example.com".into(),
        ],
    };
    let err = from_config.set_from_config(&config).unwrap_err();
    assert_eq!(
        err.source,
        "configuration field `allowed_origins` of `CRED_CFG`"
    );
    assert_eq!(
        err.problems,
        ["origin `https://*.github.io` (`CRED_CFG` serves credentialed routes): a `*.` wildcard on a public suffix cannot be combined with `credentials`: anyone can register a domain it matches and make credentialed requests; list exact origins or a wildcard on your own domain"]
    );
    assert!(!from_config.is_set());

    // `*.localhost` is loopback, never a public-suffix wildcard.
    let ok = CredentialedOriginSet::new("CRED_OK");
    ok.set_from_config(&OriginsConfig {
        allowed_origins: vec![
            "http://*.localhost:3000".into(),
            "https://*.example.com".into(),
        ],
    })
    .unwrap();
    assert!(ok.is_set());

    // A plain set takes all of them.
    let plain = OriginSet::new("PLAIN_ALL");
    plain
        .set(["http://plain.example.com", "https://*.github.io"])
        .unwrap();
    assert!(plain.is_set());
}

// ---------------------------------------------------------------------------
// `set_from_env_or`: falling back to the defaults is logged, once, at info
// level; reading the variable is not.

#[test]
fn falling_back_to_the_defaults_is_logged() {
    install();
    let var = "ROUTE_CORS_TEST_FALLBACK_LOGGED";
    std::env::remove_var(var);
    static DEFAULTED: OriginSet = OriginSet::new("DEFAULTED");
    DEFAULTED
        .set_from_env_or(var, ["http://localhost:3000", "https://*.dev.example.com"])
        .expect("valid defaults");
    assert_eq!(
        common::capture::take(log::Level::Info),
        ["CORS origin set `DEFAULTED` filled from its defaults, because `ROUTE_CORS_TEST_FALLBACK_LOGGED` is not set: 1 exact origin(s), 1 pattern(s)"]
    );

    let var = "ROUTE_CORS_TEST_FALLBACK_BLANK";
    std::env::set_var(var, " ");
    static ANY_BY_DEFAULT: OriginSet = OriginSet::new("ANY_BY_DEFAULT");
    ANY_BY_DEFAULT
        .set_from_env_or(var, ["*"])
        .expect("`*` alone");
    assert_eq!(
        common::capture::take(log::Level::Info),
        ["CORS origin set `ANY_BY_DEFAULT` filled from its defaults, because `ROUTE_CORS_TEST_FALLBACK_BLANK` is blank: `*` (any origin)"]
    );

    let var = "ROUTE_CORS_TEST_FALLBACK_GIVEN";
    std::env::set_var(var, "https://app.example.com");
    static GIVEN: OriginSet = OriginSet::new("GIVEN");
    GIVEN
        .set_from_env_or(var, ["http://localhost:3000"])
        .expect("valid origins");
    assert_eq!(
        common::capture::take(log::Level::Info),
        Vec::<String>::new()
    );
}
