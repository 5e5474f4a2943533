//! The model on answers written by hand: a scripted handler answers what the
//! query string says, so each test states the server's exact answer.
//!
//! `/s?s=STATUS&h=NAME:VALUE&ps=STATUS&ph=NAME:VALUE`: `s`/`h` for actual
//! requests, `ps`/`ph` for OPTIONS. `{origin}` in a value is the request's
//! Origin. The body is `METHOD cookie=..`.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{test, web, App, HttpRequest, HttpResponse};

use super::{fetch, Credentials, Engine, EngineNote, Fetch, Mode, Page, Rule};

const O: &str = "https://app.example.com";

async fn scripted(req: HttpRequest, q: web::Query<Vec<(String, String)>>) -> HttpResponse {
    let preflight = req.method() == actix_web::http::Method::OPTIONS;
    let origin = req
        .headers()
        .get("origin")
        .and_then(|o| o.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let (sk, hk) = if preflight { ("ps", "ph") } else { ("s", "h") };
    let status = q
        .iter()
        .find(|(k, _)| k == sk)
        .and_then(|(_, v)| v.parse().ok())
        .and_then(|c| StatusCode::from_u16(c).ok())
        .unwrap_or(if preflight {
            StatusCode::NO_CONTENT
        } else {
            StatusCode::OK
        });
    let mut res = HttpResponse::build(status);
    for (_, line) in q.iter().filter(|(k, _)| k == hk) {
        if let Some((n, v)) = line.split_once(':') {
            res.append_header((n.trim().to_owned(), v.trim().replace("{origin}", &origin)));
        }
    }
    let cookie = req
        .headers()
        .get("cookie")
        .and_then(|c| c.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    if preflight {
        res.finish()
    } else {
        res.body(format!("{} cookie={cookie}", req.method()))
    }
}

async fn failing() -> Result<HttpResponse, actix_web::Error> {
    Err(actix_web::error::ErrorForbidden("no"))
}

macro_rules! app {
    () => {
        test::init_service(
            App::new()
                .route("/failing", web::to(failing))
                .route("/s", web::to(scripted)),
        )
        .await
    };
}

/// Percent-encodes a query value (enough for header lines).
fn q(s: &str) -> String {
    s.replace('%', "%25")
        .replace(' ', "%20")
        .replace('&', "%26")
        .replace('+', "%2B")
        .replace(',', "%2C")
        .replace('{', "%7B")
        .replace('}', "%7D")
}

/// `/s?` plus the pairs, encoded.
fn s(pairs: &[(&str, &str)]) -> String {
    let parts: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", q(v))).collect();
    format!("/s?{}", parts.join("&"))
}

const ACAO: (&str, &str) = ("h", "access-control-allow-origin: {origin}");
const P_ACAO: (&str, &str) = ("ph", "access-control-allow-origin: {origin}");

#[actix_web::test]
async fn what_needs_a_preflight_and_its_request_headers() {
    let app = app!();
    let url = s(&[
        ACAO,
        P_ACAO,
        ("ph", "access-control-allow-methods: PUT, patch, DELETE"),
        (
            "ph",
            "access-control-allow-headers: authorization, content-type, x-a",
        ),
    ]);
    let v = fetch(
        &app,
        O,
        Fetch::post(&url).json("{}").header("Authorization", "t"),
    )
    .await
    .assert_allowed();
    let p = v.preflight().expect("a preflight");
    assert_eq!(
        (p.request_method(), p.request_headers()),
        ("POST", Some("authorization,content-type"))
    );
    for simple in [
        Fetch::post(&url).text("a"),
        Fetch::post(&url).form("a=1"),
        Fetch::get(&url)
            .header("accept", "x/y")
            .header("content-language", "en"),
    ] {
        let v = fetch(&app, O, simple).await.assert_allowed();
        assert!(v.preflight().is_none(), "{v}");
        assert_eq!(v.preflights_sent(Engine::Chromium), 0);
    }
    let v = fetch(&app, O, Fetch::new("delete", &url))
        .await
        .assert_allowed();
    assert_eq!(v.preflight().map(|p| p.request_method()), Some("DELETE"));
    assert_eq!(v.method(), "DELETE");
    let v = fetch(&app, O, Fetch::new("patch", &url).header("X-A", "1"))
        .await
        .assert_allowed();
    let p = v.preflight().expect("a preflight");
    assert_eq!(
        (p.request_method(), p.request_headers()),
        ("patch", Some("x-a"))
    );
    assert_eq!(v.body(), Some(&b"patch cookie=-"[..]));
}

#[actix_web::test]
async fn hand_built_bad_answers_are_blocked_by_the_right_rule() {
    let app = app!();
    let two = ("h", "access-control-allow-origin: {origin}");
    let cases: Vec<(Fetch, Rule)> = vec![
        (Fetch::get(s(&[])), Rule::MissingAllowOriginHeader),
        (Fetch::get(s(&[ACAO, two])), Rule::MultipleAllowOriginValues),
        (
            Fetch::get(s(&[(
                "h",
                "access-control-allow-origin: https://app.example.com/",
            )])),
            Rule::AllowOriginMismatch,
        ),
        (
            Fetch::get(s(&[("h", "access-control-allow-origin: app.example.com")])),
            Rule::InvalidAllowOriginValue,
        ),
        (
            Fetch::get(s(&[ACAO, ("h", "access-control-allow-credentials: True")]))
                .credentials(Credentials::Include),
            Rule::InvalidAllowCredentials,
        ),
        (
            Fetch::get(s(&[
                ("h", "access-control-allow-origin: *"),
                ("h", "access-control-allow-credentials: true"),
            ]))
            .credentials(Credentials::Include),
            Rule::WildcardOriginNotAllowed,
        ),
        (
            Fetch::put(s(&[ACAO, ("ps", "403")])),
            Rule::PreflightMissingAllowOriginHeader,
        ),
        (
            Fetch::put(s(&[
                ACAO,
                P_ACAO,
                ("ph", "access-control-allow-methods: PUT"),
                ("ps", "500"),
            ])),
            Rule::PreflightInvalidStatus,
        ),
        (
            Fetch::put(s(&[
                ACAO,
                P_ACAO,
                ("ps", "307"),
                ("ph", "location: /elsewhere"),
            ])),
            Rule::PreflightDisallowedRedirect,
        ),
        (
            Fetch::put(s(&[
                ACAO,
                P_ACAO,
                ("ph", "access-control-allow-credentials: true"),
                ("ph", "access-control-allow-methods: *"),
            ]))
            .credentials(Credentials::Include),
            Rule::MethodDisallowedByPreflightResponse,
        ),
        (
            Fetch::new(
                "patch",
                s(&[ACAO, P_ACAO, ("ph", "access-control-allow-methods: PATCH")]),
            ),
            Rule::MethodDisallowedByPreflightResponse,
        ),
        (
            Fetch::get(s(&[
                ACAO,
                P_ACAO,
                ("ph", "access-control-allow-headers: x-a, x b"),
            ]))
            .header("x-a", "1"),
            Rule::InvalidAllowHeadersPreflightResponse,
        ),
        (
            Fetch::put(s(&[
                ACAO,
                P_ACAO,
                ("ph", "access-control-allow-methods: PUT PATCH"),
            ])),
            Rule::InvalidAllowMethodsPreflightResponse,
        ),
        (
            Fetch::get(s(&[
                ACAO,
                P_ACAO,
                ("ph", "access-control-allow-headers: x-a"),
            ]))
            .header("x-a", "1")
            .header("x-b", "1"),
            Rule::HeaderDisallowedByPreflightResponse,
        ),
        (
            Fetch::put(s(&[
                ACAO,
                ("ph", "access-control-allow-origin: *"),
                ("ph", "access-control-allow-methods: PUT"),
            ]))
            .credentials(Credentials::Include),
            Rule::PreflightWildcardOriginNotAllowed,
        ),
        (Fetch::get("/failing"), Rule::MissingAllowOriginHeader),
    ];
    for (f, rule) in cases {
        let v = fetch(&app, O, f).await;
        assert_eq!(v.rule(), Some(rule), "{v}");
        assert!(v.status().is_none() && v.readable_headers().is_empty() && v.body().is_none());
        assert_eq!(rule.devtools_name(), Some(format!("{rule:?}").as_str()));
    }
}

#[actix_web::test]
async fn messages_name_the_rule_and_help() {
    let app = app!();
    let v = fetch(&app, O, Fetch::put(s(&[("ps", "403")]))).await;
    let text = v.to_string();
    assert!(
        text.contains("BLOCKED (PreflightMissingAllowOriginHeader)"),
        "{text}"
    );
    assert!(text.contains("Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource."), "{text}");
    // A hand-written 403, not route-cors's: the verdict says who answered.
    assert!(text.contains("No 'Access-Control-Allow-Origin' header is present on the requested resource. (route-cors did not answer this preflight: a middleware answered it with 403 before the route. Wrap that middleware in `route_cors::CorsAware::new(..)`, which answers the preflights of annotated routes from their policy; see docs/debugging.md.)\n"), "{text}");
    assert!(
        v.preflight().is_some_and(|p| !p.refused_by_route()),
        "{text}"
    );
    for (status, hint) in [
        ("429", " (route-cors did not answer this preflight: a middleware answered it with 429 before the route."),
        ("401", " (route-cors did not answer this preflight: a middleware answered it with 401 before the route."),
        ("404", " (No annotated route took the preflight (404): check the path and that the route is registered;"),
        ("405", " (No annotated route took the preflight (405):"),
    ] {
        let v = fetch(&app, O, Fetch::put(s(&[("ps", status)]))).await;
        assert!(v.to_string().contains(hint), "{v}");
    }
    // A 500, or CORS headers present: no guess about who answered.
    let v = fetch(&app, O, Fetch::put(s(&[("ps", "500")]))).await;
    assert!(!v.to_string().contains("route-cors did not answer"), "{v}");
    let v = fetch(
        &app,
        O,
        Fetch::put(s(&[
            ("ps", "401"),
            ("ph", "access-control-allow-methods: PUT"),
        ])),
    )
    .await;
    assert!(!v.to_string().contains("route-cors did not answer"), "{v}");
    assert!(text.contains("TypeError: Load failed (WebKit)"), "{text}");
    let v = fetch(
        &app,
        O,
        Fetch::new(
            "patch",
            s(&[ACAO, P_ACAO, ("ph", "access-control-allow-methods: PATCH")]),
        ),
    )
    .await;
    assert!(v.to_string().contains("Method patch is not allowed by Access-Control-Allow-Methods in preflight response. Methods are compared case-sensitively"), "{v}");
}

#[actix_web::test]
async fn star_never_covers_authorization_and_stock_engines_are_noted() {
    let app = app!();
    let url = s(&[ACAO, P_ACAO, ("ph", "access-control-allow-headers: *")]);
    let v = fetch(
        &app,
        O,
        Fetch::get(&url)
            .header("authorization", "t")
            .header("x-a", "1"),
    )
    .await
    .assert_blocked(Rule::HeaderDisallowedByPreflightResponse);
    assert_eq!(
        v.engine_notes(),
        [EngineNote::AuthorizationCoveredByWildcardInStockEngines]
    );
    assert!(v
        .blocked()
        .is_some_and(|b| b.message().contains("Request header field authorization")));
    // Without Authorization, `*` covers any header when there are no credentials.
    fetch(&app, O, Fetch::get(&url).header("x-a", "1"))
        .await
        .assert_allowed();
    let v = fetch(
        &app,
        O,
        Fetch::get(&url)
            .header("x-a", "1")
            .credentials(Credentials::Include),
    )
    .await;
    assert_eq!(
        v.rule(),
        Some(Rule::PreflightInvalidAllowCredentials),
        "{v}"
    );
}

#[actix_web::test]
async fn readable_headers() {
    let app = app!();
    let url = s(&[
        ACAO,
        ("h", "x-total-count: 3"),
        ("h", "x-hidden: 1"),
        ("h", "set-cookie: a=1"),
        (
            "h",
            "access-control-expose-headers: X-Total-Count, set-cookie",
        ),
        ("h", "content-type: text/plain"),
    ]);
    let v = fetch(&app, O, Fetch::get(&url)).await.assert_allowed();
    assert_eq!(v.header("x-total-count"), Some("3"));
    assert_eq!(v.header("X-Hidden"), None);
    assert_eq!(v.header("set-cookie"), None);
    let names: Vec<&str> = v
        .readable_headers()
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(names, ["content-length", "content-type", "x-total-count"]);
    assert_eq!(v.response_type(), Some("cors"));
    let star = s(&[
        ("h", "access-control-allow-origin: *"),
        ("h", "x-a: 1"),
        ("h", "access-control-expose-headers: *"),
    ]);
    assert_eq!(
        fetch(&app, O, Fetch::get(&star)).await.header("x-a"),
        Some("1")
    );
}

#[actix_web::test]
async fn preflight_caches_per_engine() {
    let app = app!();
    let url = s(&[
        ACAO,
        P_ACAO,
        ("ph", "access-control-allow-methods: PUT"),
        ("ph", "access-control-max-age: 86400"),
    ]);
    let mut page = Page::new(&app, O);
    let first = page.fetch(Fetch::put(&url)).await.assert_allowed();
    assert_eq!(Engine::ALL.map(|e| first.preflights_sent(e)), [1, 1, 1]);
    assert_eq!(
        first.engine_notes(),
        [
            EngineNote::MaxAgeCapped {
                engine: Engine::Chromium,
                requested: 86400,
                cached: 7200
            },
            EngineNote::MaxAgeCapped {
                engine: Engine::WebKit,
                requested: 86400,
                cached: 600
            },
        ]
    );
    assert_eq!(
        first.preflight().map(|p| p.cached_for(Engine::WebKit)),
        Some(600)
    );
    let again = page.fetch(Fetch::put(&url)).await;
    assert_eq!(Engine::ALL.map(|e| again.preflights_sent(e)), [0, 0, 0]);
    page.wait(Duration::from_secs(601));
    let later = page.fetch(Fetch::put(&url)).await;
    assert_eq!(Engine::ALL.map(|e| later.preflights_sent(e)), [0, 0, 1]);
    page.wait(Duration::from_secs(7200));
    let much_later = page.fetch(Fetch::put(&url)).await;
    assert_eq!(
        Engine::ALL.map(|e| much_later.preflights_sent(e)),
        [1, 0, 1]
    );

    // No Max-Age: 5 s. Max-Age 0: every time.
    let url = s(&[ACAO, P_ACAO, ("ph", "access-control-allow-methods: PUT")]);
    let mut page = Page::new(&app, O);
    page.fetch(Fetch::put(&url)).await.assert_allowed();
    assert_eq!(
        page.fetch(Fetch::put(&url))
            .await
            .preflights_sent(Engine::Chromium),
        0
    );
    page.wait(Duration::from_secs(5));
    assert_eq!(
        page.fetch(Fetch::put(&url))
            .await
            .preflights_sent(Engine::Chromium),
        1
    );
    let zero = s(&[
        ACAO,
        P_ACAO,
        ("ph", "access-control-allow-methods: PUT"),
        ("ph", "access-control-max-age: 0"),
    ]);
    page.fetch(Fetch::put(&zero)).await.assert_allowed();
    assert_eq!(
        page.fetch(Fetch::put(&zero))
            .await
            .preflights_sent(Engine::WebKit),
        1
    );

    // An entry for x-a, x-b serves x-b alone; x-c needs a new preflight.
    let h = s(&[
        ACAO,
        P_ACAO,
        ("ph", "access-control-allow-headers: x-a, x-b"),
    ]);
    page.fetch(Fetch::get(&h).header("x-a", "1").header("x-b", "1"))
        .await
        .assert_allowed();
    assert_eq!(
        page.fetch(Fetch::get(&h).header("X-B", "1"))
            .await
            .preflights_sent(Engine::Chromium),
        0
    );
    let c = page.fetch(Fetch::get(&h).header("x-c", "1")).await;
    assert_eq!(
        (c.preflights_sent(Engine::Chromium), c.rule()),
        (1, Some(Rule::HeaderDisallowedByPreflightResponse))
    );
}

#[actix_web::test]
async fn firefox_keys_the_cache_by_credentials() {
    let app = app!();
    let url = s(&[
        ACAO,
        ("h", "access-control-allow-credentials: true"),
        P_ACAO,
        ("ph", "access-control-allow-credentials: true"),
        ("ph", "access-control-allow-methods: PUT"),
        ("ph", "access-control-max-age: 600"),
    ]);
    let mut page = Page::new(&app, O);
    page.fetch(Fetch::put(&url).credentials(Credentials::Include))
        .await
        .assert_allowed();
    let omit = page
        .fetch(Fetch::put(&url).credentials(Credentials::Omit))
        .await
        .assert_allowed();
    assert_eq!(Engine::ALL.map(|e| omit.preflights_sent(e)), [0, 1, 0]);
    assert_eq!(
        omit.engine_notes(),
        [EngineNote::FirefoxPreflightCacheKeyedByCredentials]
    );
    // An entry made without credentials never serves a credentialed request.
    let mut page = Page::new(&app, O);
    page.fetch(Fetch::put(&url)).await.assert_allowed();
    let cred = page
        .fetch(Fetch::put(&url).credentials(Credentials::Include))
        .await;
    assert_eq!(Engine::ALL.map(|e| cred.preflights_sent(e)), [1, 1, 1]);
    // One engine only: the app sees only that engine's preflights.
    let mut firefox = Page::for_engine(&app, O, Engine::Firefox);
    let v = firefox.fetch(Fetch::put(&url)).await;
    assert_eq!(Engine::ALL.map(|e| v.preflights_sent(e)), [0, 1, 0]);
}

#[actix_web::test]
async fn cookies_stored_then_sent_only_with_credentials() {
    let app = app!();
    let cred = [
        ACAO,
        ("h", "access-control-allow-credentials: true"),
        P_ACAO,
        ("ph", "access-control-allow-credentials: true"),
        ("ph", "access-control-allow-methods: PUT"),
    ];
    let login = s(&[
        cred.as_slice(),
        &[
            ("h", "set-cookie: sid=42; Path=/; SameSite=Lax; HttpOnly"),
            ("h", "set-cookie: pref=x; Secure"),
        ],
    ]
    .concat());
    let mut page = Page::new(&app, "http://localhost:3000");
    let v = page
        .fetch(Fetch::post(&login).credentials(Credentials::Include))
        .await
        .assert_allowed();
    assert_eq!(v.cookies_stored(), ["sid", "pref"]);
    assert!(v.cookies_sent());
    assert_eq!(
        v.engine_notes(),
        [EngineNote::WebKitDropsSecureCookieOverHttp {
            cookie: "pref".to_owned()
        }]
    );
    let mut webkit = Page::for_engine(&app, "http://localhost:3000", Engine::WebKit);
    let v = webkit
        .fetch(Fetch::post(&login).credentials(Credentials::Include))
        .await;
    assert_eq!(v.cookies_stored(), ["sid"]);
    let me = s(&cred);
    let v = page
        .fetch(
            Fetch::put(&me)
                .credentials(Credentials::Include)
                .cookie("extra=1"),
        )
        .await
        .assert_allowed();
    assert_eq!(v.body(), Some(&b"PUT cookie=sid=42; pref=x; extra=1"[..]));
    let v = page.fetch(Fetch::put(&me)).await.assert_allowed();
    assert!(!v.cookies_sent());
    assert_eq!(v.body(), Some(&b"PUT cookie=-"[..]));
    // Blocked at the preflight: the actual request, and its cookies, never go.
    let v = page
        .fetch(Fetch::put(s(&[("ps", "403")])).credentials(Credentials::Include))
        .await;
    assert!(!v.cookies_sent() && v.cookies_stored().is_empty(), "{v}");
    // Stored even when the page may not read the response.
    let hidden = s(&[("h", "set-cookie: t=1")]);
    let v = page
        .fetch(Fetch::get(&hidden).credentials(Credentials::Include))
        .await;
    assert_eq!(
        (v.rule(), v.cookies_stored()),
        (Some(Rule::MissingAllowOriginHeader), &["t".to_owned()][..])
    );
}

#[actix_web::test]
async fn redirects() {
    let app = app!();
    let target = s(&[ACAO]);
    let hop = s(&[ACAO, ("s", "302"), ("h", &format!("location: {target}"))]);
    let v = fetch(&app, O, Fetch::post(&hop).text("x"))
        .await
        .assert_allowed();
    assert_eq!(v.body(), Some(&b"GET cookie=-"[..]));
    let bare = s(&[("s", "307"), ("h", &format!("location: {target}"))]);
    fetch(&app, O, Fetch::get(&bare))
        .await
        .assert_blocked(Rule::MissingAllowOriginHeader);
    let away = s(&[
        ACAO,
        ("s", "307"),
        ("h", "location: https://elsewhere.example/"),
    ]);
    fetch(&app, O, Fetch::get(&away))
        .await
        .assert_blocked(Rule::RedirectLeavesApp);
    let looping = s(&[
        ACAO,
        ("s", "307"),
        ("h", "location: /s?s=307&h=location:%20/s"),
    ]);
    let v = fetch(&app, O, Fetch::get(&looping)).await;
    assert!(
        matches!(
            v.rule(),
            Some(Rule::MissingAllowOriginHeader | Rule::TooManyRedirects)
        ),
        "{v}"
    );
}

#[actix_web::test]
async fn modes_and_request_errors_never_panic() {
    let app = app!();
    let url = s(&[]);
    let v = fetch(
        &app,
        O,
        Fetch::get(&url).mode(Mode::NoCors).header("x-a", "1"),
    )
    .await
    .assert_allowed();
    assert_eq!(
        (v.status(), v.response_type(), v.readable_headers().len()),
        (Some(0), Some("opaque"), 0)
    );
    assert_eq!(v.dropped_headers(), ["x-a"]);
    assert!(v.preflight().is_none());
    let cases = [
        (
            Fetch::put(&url).mode(Mode::NoCors),
            Rule::MethodNotAllowedInNoCors,
        ),
        (
            Fetch::get(&url).mode(Mode::SameOrigin),
            Rule::DisallowedByMode,
        ),
        (Fetch::get(&url).text("x"), Rule::BodyWithGetOrHead),
        (Fetch::new("GE T", &url), Rule::InvalidMethod),
        (Fetch::new("", &url), Rule::InvalidMethod),
        (Fetch::new("connect", &url), Rule::ForbiddenMethod),
        (Fetch::get("no-slash"), Rule::InvalidUrl),
        (Fetch::get("/a b"), Rule::InvalidUrl),
        (
            Fetch::get(&url).header("x-a", "line\nbreak"),
            Rule::InvalidHeader,
        ),
        (
            Fetch::get(&url).header("bad name", "1"),
            Rule::InvalidHeader,
        ),
    ];
    for (f, rule) in cases {
        let v = fetch(&app, O, f).await;
        assert_eq!(v.rule(), Some(rule), "{v}");
        assert_eq!(
            rule.devtools_name().is_some(),
            rule == Rule::DisallowedByMode
        );
    }
    for origin in [
        "",
        "app.example.com",
        "https://app.example.com/",
        "HTTPS://x",
    ] {
        assert_eq!(
            fetch(&app, origin, Fetch::get(&url)).await.rule(),
            Some(Rule::InvalidOrigin)
        );
    }
    // Forbidden headers are dropped, as `Headers` does.
    let v = fetch(
        &app,
        O,
        Fetch::get(s(&[ACAO]))
            .header("Cookie", "a=1")
            .header("Origin", "x"),
    )
    .await
    .assert_allowed();
    assert_eq!(v.dropped_headers(), ["cookie", "origin"]);
    assert_eq!(v.body(), Some(&b"GET cookie=-"[..]));
}
