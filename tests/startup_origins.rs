//! Origins configured at startup: an app fills a `static OriginSet` from an
//! environment variable or from a config file, then serves routes that use it.
//! Every entry goes through the same validator as `#[cors(origins = [..])]`;
//! invalid input stops startup with every bad entry listed, and an unfilled
//! set allows no origin. Behaviour tests assert the status and the exact set
//! of CORS headers (all `access-control-*` headers and `vary`).

use actix_web::http::Method;
use actix_web::{get, post, test, App, HttpResponse};
use route_cors::rules::{Conflict, OriginReason};
use route_cors::{
    cors, CredentialedOriginSet, OriginSet, OriginsConfig, OriginsError, ProblemReason,
};

mod common;
use common::{cors_headers, preflight, set, Headers, PREFLIGHT_VARY};

fn request(method: Method, uri: &str, origin: &str) -> test::TestRequest {
    test::TestRequest::default()
        .method(method)
        .uri(uri)
        .insert_header(("origin", origin))
}

// --- From the environment. ---------------------------------------------------

static FROM_ENV: CredentialedOriginSet = CredentialedOriginSet::new("ROUTE_CORS_TEST_ENV_ORIGINS");

#[cors(origins = FROM_ENV, headers = ["content-type"], credentials, max_age = 300)]
#[post("/env")]
async fn env_route() -> HttpResponse {
    HttpResponse::Created().body("created")
}

#[actix_web::test]
async fn origins_from_the_environment() {
    let var = "ROUTE_CORS_TEST_ENV_ORIGINS";
    std::env::set_var(
        var,
        "https://app.example.com, https://*.staging.example.com,http://localhost:3000",
    );
    FROM_ENV.set_from_env(var).expect("valid origins");
    let app = test::init_service(App::new().service(env_route)).await;

    let res = test::call_service(
        &app,
        preflight("/env", "https://app.example.com", "POST")
            .insert_header(("access-control-request-headers", "content-type"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", "https://app.example.com"),
            ("access-control-allow-credentials", "true"),
            ("access-control-allow-methods", "POST"),
            ("access-control-allow-headers", "content-type"),
            ("access-control-max-age", "300"),
            PREFLIGHT_VARY,
        ])
    );

    for origin in [
        "https://app.example.com",
        "https://eu.staging.example.com",
        "http://localhost:3000",
    ] {
        let res =
            test::call_service(&app, request(Method::POST, "/env", origin).to_request()).await;
        assert_eq!(res.status(), 201, "{origin}");
        assert_eq!(
            cors_headers(&res),
            set(&[
                ("access-control-allow-origin", origin),
                ("access-control-allow-credentials", "true"),
                ("vary", "Origin"),
            ]),
            "{origin}"
        );
    }

    // Not listed: the apex of the pattern, a look-alike, another port.
    for origin in [
        "https://staging.example.com",
        "https://app.example.com.evil.net",
        "http://localhost:3001",
    ] {
        // A write from it is refused before the handler.
        let res =
            test::call_service(&app, request(Method::POST, "/env", origin).to_request()).await;
        assert_eq!(res.status(), 403, "{origin}");
        assert_eq!(cors_headers(&res), Headers::new(), "{origin}");

        let res = test::call_service(&app, preflight("/env", origin, "POST").to_request()).await;
        assert_eq!(res.status(), 403, "{origin}");
        assert_eq!(cors_headers(&res), Headers::new(), "{origin}");
    }
}

// --- From a config file. -----------------------------------------------------

/// An application's own configuration, with the CORS part embedded.
#[derive(serde::Deserialize)]
struct AppConfig {
    #[allow(dead_code)]
    listen: String,
    cors: OriginsConfig,
}

/// Reads the config file and fills `set`, as an app's `main` would before
/// starting the server.
fn load(
    path: &std::path::Path,
    fill: impl FnOnce(&OriginsConfig) -> Result<(), OriginsError>,
) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let config: AppConfig = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    fill(&config.cors).map_err(|e| e.to_string())
}

fn temp_file(name: &str, contents: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("route-cors-{}-{name}.json", std::process::id()));
    std::fs::write(&path, contents).expect("write temp config");
    path
}

static FROM_FILE: OriginSet = OriginSet::new("FROM_FILE");

#[cors(origins = FROM_FILE, expose = ["x-total"])]
#[get("/file")]
async fn file_route() -> HttpResponse {
    HttpResponse::Ok().insert_header(("x-total", "7")).finish()
}

#[actix_web::test]
async fn origins_from_a_config_file() {
    let path = temp_file(
        "good",
        r#"{
            "listen": "127.0.0.1:0",
            "cors": { "allowed_origins": ["https://partner.example", "https://*.partner.example"] }
        }"#,
    );
    let loaded = load(&path, |c| FROM_FILE.set_from_config(c));
    std::fs::remove_file(&path).ok();
    loaded.expect("valid config");
    let app = test::init_service(App::new().service(file_route)).await;

    let res = test::call_service(
        &app,
        preflight("/file", "https://a.b.partner.example", "GET").to_request(),
    )
    .await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", "https://a.b.partner.example"),
            ("access-control-allow-methods", "GET"),
            PREFLIGHT_VARY,
        ])
    );

    let res = test::call_service(
        &app,
        request(Method::GET, "/file", "https://partner.example").to_request(),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", "https://partner.example"),
            ("access-control-expose-headers", "x-total"),
            ("vary", "Origin"),
        ])
    );

    let res = test::call_service(
        &app,
        request(Method::GET, "/file", "http://partner.example").to_request(),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(cors_headers(&res), set(&[("vary", "Origin")]));
}

// --- Invalid input stops startup, and never allows every origin. ------------

static REFUSED: CredentialedOriginSet = CredentialedOriginSet::new("REFUSED");

#[cors(origins = REFUSED, credentials)]
#[get("/refused")]
async fn refused_route() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn invalid_input_lists_every_bad_entry_and_allows_nothing() {
    // From the environment: three bad entries among good ones.
    let var = "ROUTE_CORS_TEST_BAD_ORIGINS";
    std::env::set_var(
        var,
        "https://ok.example.com, *, https://App.example.com/,, http://a.example.com:80",
    );
    let err = REFUSED.set_from_env(var).expect_err("invalid origins");
    assert_eq!(
        err.to_string(),
        "invalid CORS origins in ROUTE_CORS_TEST_BAD_ORIGINS:\n  \
         - `*` (any origin) cannot be in an origin set for credentialed routes: browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests; list the allowed origins\n  \
         - origin `https://App.example.com/` has a path; write `https://app.example.com`\n  \
         - origin is empty; write a full origin such as `https://app.example.com`\n  \
         - origin `http://a.example.com:80` names the default port; write `http://a.example.com`"
    );
    // Each problem names its entry, its place in the list and its reason.
    assert_eq!(
        err.problems
            .iter()
            .map(|p| (p.position(), p.entry(), p.reason().clone()))
            .collect::<Vec<_>>(),
        [
            (Some(1), Some("*"), ProblemReason::AnyOrigin),
            (
                Some(2),
                Some("https://App.example.com/"),
                ProblemReason::Origin(OriginReason::Path)
            ),
            (
                Some(3),
                Some(""),
                ProblemReason::Origin(OriginReason::Empty)
            ),
            (
                Some(4),
                Some("http://a.example.com:80"),
                ProblemReason::Origin(OriginReason::DefaultPort)
            ),
        ]
    );

    // From a config file: a wildcard and a `null`.
    let path = temp_file(
        "bad",
        r#"{ "listen": "127.0.0.1:0", "cors": { "allowed_origins": ["*", "null"] } }"#,
    );
    let err = load(&path, |c| REFUSED.set_from_config(c)).expect_err("invalid config");
    std::fs::remove_file(&path).ok();
    assert_eq!(
        err,
        "invalid CORS origins in configuration field `allowed_origins` of `REFUSED`:\n  \
         - `*` (any origin) cannot be in an origin set for credentialed routes: browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests; list the allowed origins\n  \
         - origin `null` must not be allowed: sandboxed iframes, `file:` pages and redirects all send it, so anyone can forge it"
    );

    // The set serves a credentialed route: the credential-only rules apply too.
    let var = "ROUTE_CORS_TEST_RISKY_ORIGINS";
    std::env::set_var(
        var,
        "http://partner.example, https://*.github.io, http://localhost:3000, https://*.partner.example",
    );
    let err = REFUSED.set_from_env(var).expect_err("risky origins");
    assert_eq!(
        err.to_string(),
        "invalid CORS origins in ROUTE_CORS_TEST_RISKY_ORIGINS:\n  \
         - origin `http://partner.example` (`REFUSED` serves credentialed routes): plain-`http` origins other than loopback cannot be combined with `credentials`: cookies and tokens would cross the network unencrypted; use `https://`\n  \
         - origin `https://*.github.io` (`REFUSED` serves credentialed routes): a `*.` wildcard on a public suffix cannot be combined with `credentials`: anyone can register a domain it matches and make credentialed requests; list exact origins or a wildcard on your own domain"
    );
    assert_eq!(
        err.problems
            .iter()
            .map(|p| p.reason().clone())
            .collect::<Vec<_>>(),
        [
            ProblemReason::Credentials(Conflict::PlainHttp),
            ProblemReason::Credentials(Conflict::PublicSuffixWildcard),
        ]
    );

    // A misspelled field is a deserialization error, not an empty list.
    let path = temp_file(
        "typo",
        r#"{ "listen": "127.0.0.1:0", "cors": { "allowed_origin": ["https://a.example"] } }"#,
    );
    let err = load(&path, |c| REFUSED.set_from_config(c)).expect_err("unknown field");
    std::fs::remove_file(&path).ok();
    assert!(err.starts_with("unknown field `allowed_origin`"), "{err}");

    // Nothing was set: a route using the set allows no origin at all.
    assert!(!REFUSED.is_set());
    let app = test::init_service(App::new().service(refused_route)).await;
    let res = test::call_service(
        &app,
        request(Method::GET, "/refused", "https://ok.example.com").to_request(),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(cors_headers(&res), set(&[("vary", "Origin")]));
    let res = test::call_service(
        &app,
        preflight("/refused", "https://ok.example.com", "GET").to_request(),
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_eq!(cors_headers(&res), Headers::new());
}

// --- `?` in an `#[actix_web::main]` returning `std::io::Result<()>`. ---------

static FROM_MAIN: OriginSet = OriginSet::new("FROM_MAIN");

/// The start of a typical `main`: the set's error converts into the
/// `std::io::Error` such a `main` returns.
fn start(var: &str) -> std::io::Result<()> {
    FROM_MAIN.set_from_env(var)?;
    Ok(())
}

#[actix_web::test]
async fn origins_error_converts_into_io_error_with_its_list_of_problems() {
    let var = "ROUTE_CORS_TEST_MAIN_ORIGINS";
    std::env::set_var(var, "https://ok.example.com, https://a.example.com/x, null");
    let err = start(var).expect_err("invalid origins");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    let list = "invalid CORS origins in ROUTE_CORS_TEST_MAIN_ORIGINS:\n  \
         - origin `https://a.example.com/x` has a path; write `https://a.example.com`\n  \
         - origin `null` must not be allowed: sandboxed iframes, `file:` pages and redirects all send it, so anyone can forge it";
    assert_eq!(err.to_string(), list);
    // A failed `main` prints `Error: {err:?}`: the list, lines and all.
    assert_eq!(
        format!("{err:?}"),
        format!("Custom {{ kind: InvalidInput, error: {list} }}")
    );
    assert!(!FROM_MAIN.is_set());
    std::env::set_var(var, "https://ok.example.com");
    start(var).expect("valid origins");
    assert!(FROM_MAIN.is_set());
}
