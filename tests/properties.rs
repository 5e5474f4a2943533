//! Property tests: generated origins, methods, request-header lists and
//! policies, driven through whole requests. The origin validator's own
//! properties are in `tests/origin_properties.rs`.
//!
//! Case counts stay modest so the suite stays quick; raise them for a longer
//! hunt with `PROPTEST_CASES=20000 cargo test --test properties`.

mod common;

use common::props::config;

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{delete, get, patch, post, put, route, test as atest, App, HttpResponse};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use route_cors::{cors, OriginSet};

// ---------------------------------------------------------------------------
// The app: one route per kind of policy.
// ---------------------------------------------------------------------------

/// Exact origins, a pattern, credentials, a header list. The handler sets its
/// own (wrong) CORS headers, which the middleware must replace or remove.
#[cors(
    origins = [
        "https://foo.com",
        "https://bar.com",
        "http://localhost:3000",
        "https://*.example.com"
    ],
    credentials,
    headers = ["x-foo", "content-type", "authorization"],
    expose = ["x-total"],
    max_age = 600
)]
#[put("/cred")]
async fn cred() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("access-control-allow-origin", "https://evil.example, *"))
        .insert_header(("access-control-allow-credentials", "TRUE"))
        .body("handler:cred")
}

/// Any origin, any header, everything exposed.
#[cors(origins = "*", headers = "*", expose = "*", max_age = 60)]
#[post("/anywhere")]
async fn anywhere() -> HttpResponse {
    HttpResponse::Ok().body("handler:anywhere")
}

/// A pattern with a port, one exact origin, credentials, any header (so
/// requested names are echoed), Private Network Access.
#[allow(deprecated)] // `private_network` is deprecated; its behaviour is kept
#[cors(
    origins = ["https://*.example.com:8443", "https://app.test"],
    credentials,
    headers = "*",
    private_network
)]
#[route("/pat", method = "GET", method = "PATCH")]
async fn pat() -> HttpResponse {
    HttpResponse::Ok().body("handler:pat")
}

/// A `*` inside the leftmost label and `:*` ports, with credentials (the
/// `http` one is loopback).
#[cors(
    origins = [
        "https://pr-*-x.example.com",
        "http://localhost:*",
        "https://*.wild.test:*",
        "https://app-*.wild.test:8443"
    ],
    credentials
)]
#[patch("/wild")]
async fn wildcards() -> HttpResponse {
    HttpResponse::Ok().body("handler:wild")
}

static PARTNERS: OriginSet = OriginSet::new("PARTNERS");

/// Origins read at startup; safelisted headers only.
#[cors(origins = PARTNERS)]
#[delete("/rt")]
async fn rt() -> HttpResponse {
    HttpResponse::Ok().body("handler:rt")
}

/// Any origin, safelisted headers only.
#[cors(origins = "*")]
#[get("/open")]
async fn open() -> HttpResponse {
    HttpResponse::Ok().body("handler:open")
}

fn fill_partners() {
    if !PARTNERS.is_set() {
        // Another test of this process may have won the race; both fill the same list.
        let _ = PARTNERS.set(["https://partner.example", "https://*.partner.test"]);
    }
}

/// One route of the app, with what the test knows of its policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Cred,
    Any,
    Pat,
    Rt,
    Open,
    Wild,
}

impl Route {
    const ALL: [Route; 6] = [
        Route::Cred,
        Route::Any,
        Route::Pat,
        Route::Rt,
        Route::Open,
        Route::Wild,
    ];

    fn path(self) -> &'static str {
        match self {
            Route::Cred => "/cred",
            Route::Any => "/anywhere",
            Route::Pat => "/pat",
            Route::Rt => "/rt",
            Route::Open => "/open",
            Route::Wild => "/wild",
        }
    }

    fn methods(self) -> &'static [&'static str] {
        match self {
            Route::Cred => &["PUT"],
            Route::Any => &["POST"],
            Route::Pat => &["GET", "PATCH"],
            Route::Rt => &["DELETE"],
            Route::Open => &["GET"],
            Route::Wild => &["PATCH"],
        }
    }

    /// Origins the route allows, for the generator.
    fn good_origins(self) -> Vec<&'static str> {
        match self {
            Route::Cred => vec![
                "https://foo.com",
                "https://bar.com",
                "http://localhost:3000",
                "https://a.example.com",
                "https://x.y.example.com",
            ],
            Route::Any | Route::Open => vec!["https://anyone.example", "null"],
            Route::Pat => vec!["https://app.test", "https://a.example.com:8443"],
            Route::Rt => vec!["https://partner.example", "https://a.partner.test"],
            Route::Wild => vec![
                "https://pr-1-x.example.com",
                "http://localhost",
                "http://localhost:5173",
                "https://a.wild.test:8080",
                "https://a.b.wild.test",
                "https://app-7.wild.test:8443",
            ],
        }
    }

    fn any_origin(self) -> bool {
        matches!(self, Route::Any | Route::Open)
    }

    fn credentials(self) -> bool {
        matches!(self, Route::Cred | Route::Pat | Route::Wild)
    }

    /// Whether the policy allows `origin`, decided without the crate's parser:
    /// byte-exact list membership, or `scheme://` + subdomain labels + suffix.
    fn allows(self, origin: &[u8]) -> bool {
        match self {
            Route::Any | Route::Open => true,
            Route::Cred => {
                [
                    &b"https://foo.com"[..],
                    b"https://bar.com",
                    b"http://localhost:3000",
                ]
                .contains(&origin)
                    || subdomain_of(origin, b"https://", b".example.com", b"")
            }
            Route::Pat => {
                origin == b"https://app.test"
                    || subdomain_of(origin, b"https://", b".example.com", b":8443")
            }
            Route::Rt => {
                origin == b"https://partner.example"
                    || subdomain_of(origin, b"https://", b".partner.test", b"")
            }
            Route::Wild => {
                in_label_of(origin, b"https://", b"pr-", b"-x", b".example.com", b"")
                    || any_port_of(origin, b"http://", 80).is_some_and(|host| host == b"localhost")
                    || any_port_of(origin, b"https://", 443)
                        .is_some_and(|host| subdomain_of(host, b"", b".wild.test", b""))
                    || in_label_of(origin, b"https://", b"app-", b"", b".wild.test", b":8443")
            }
        }
    }
}

/// `scheme` + a leftmost label of `before`, one or more of `a-z`, `0-9` and
/// `-`, and `after` (at most 63 bytes in all), then `suffix` + `port`; the
/// host at most 253 bytes long.
fn in_label_of(
    origin: &[u8],
    scheme: &[u8],
    before: &[u8],
    after: &[u8],
    suffix: &[u8],
    port: &[u8],
) -> bool {
    let Some(host) = origin
        .strip_prefix(scheme)
        .and_then(|r| r.strip_suffix(port))
    else {
        return false;
    };
    let Some(fill) = host
        .strip_prefix(before)
        .and_then(|r| r.strip_suffix(suffix))
        .and_then(|r| r.strip_suffix(after))
    else {
        return false;
    };
    !fill.is_empty()
        && before.len() + fill.len() + after.len() <= 63
        && host.len() <= 253
        && fill
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// For a `:*` port: the host of `origin` after `scheme`, without its port if
/// it has a valid one (`1` to `65535`, written without leading zeros, not
/// the scheme's `default`); `None` if the port is not valid.
fn any_port_of<'a>(origin: &'a [u8], scheme: &[u8], default: u32) -> Option<&'a [u8]> {
    let rest = origin.strip_prefix(scheme)?;
    let Some(colon) = rest.iter().rposition(|&b| b == b':') else {
        return Some(rest);
    };
    let port = std::str::from_utf8(&rest[colon + 1..]).ok()?;
    let valid = !port.is_empty()
        && port.bytes().all(|b| b.is_ascii_digit())
        && !port.starts_with('0')
        && port
            .parse::<u32>()
            .is_ok_and(|n| n <= 65535 && n != default);
    valid.then_some(&rest[..colon])
}

/// `scheme` + one or more DNS labels (`a-z`, `0-9`, `-`, `_`, at most 63
/// bytes each) + `suffix` + `port`, the host at most 253 bytes long.
fn subdomain_of(origin: &[u8], scheme: &[u8], suffix: &[u8], port: &[u8]) -> bool {
    let Some(rest) = origin.strip_prefix(scheme) else {
        return false;
    };
    let Some(labels) = rest.strip_suffix(port).and_then(|r| r.strip_suffix(suffix)) else {
        return false;
    };
    !labels.is_empty()
        && labels.len() + suffix.len() <= 253
        && labels.split(|&b| b == b'.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.iter().all(|&b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                })
        })
}

/// An HTTP token, checked here without the crate's own helper.
fn is_token(s: &[u8]) -> bool {
    !s.is_empty()
        && s.iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

// ---------------------------------------------------------------------------
// Generated requests.
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Req {
    route: Route,
    method: String,
    origins: Vec<Vec<u8>>,
    acrm: Vec<Vec<u8>>,
    acrh: Vec<Vec<u8>>,
}

fn origin_value() -> impl Strategy<Value = Vec<u8>> {
    let scheme = prop::sample::select(vec!["https", "http", "HTTPS", "wss", "ftp", ""]);
    let host = prop::sample::select(vec![
        "foo.com",
        "bar.com",
        "barfoo.com",
        "foo.com.evil.net",
        "localhost",
        "a.example.com",
        "a.b.example.com",
        "example.com",
        "evilexample.com",
        "a.example.com.evil.net",
        "A.example.com",
        "a..example.com",
        "-.example.com",
        "app.test",
        "x.app.test",
        "partner.example",
        "x.partner.test",
        "partner.test",
        "pr-1-x.example.com",
        "pr--x.example.com",
        "pr-a.b-x.example.com",
        "pr-A-x.example.com",
        "x.pr-1-x.example.com",
        "pr-1-x.example.com.evil.test",
        "a.wild.test",
        "wild.test",
        "app-1.wild.test",
        "app-.wild.test",
        "example.com.",
        "127.0.0.1",
        "[::1]",
        "*.example.com",
        "",
    ]);
    let port = prop::sample::select(vec![
        "", "", "", ":443", ":80", ":3000", ":8443", ":0", ":", ":03000", ":99999", ":65535",
        ":65536", ":*",
    ]);
    let tail = prop::sample::select(vec![
        "",
        "",
        "",
        "/",
        ".",
        " ",
        "?q",
        "#f",
        ", https://foo.com",
    ]);
    prop_oneof![
        4 => (scheme, host, port, tail)
            .prop_map(|(s, h, p, t)| format!("{s}://{h}{p}{t}").into_bytes()),
        3 => prop::sample::select(vec![
            "https://foo.com",
            "https://bar.com",
            "http://localhost:3000",
            "https://a.example.com",
            "https://x.y.example.com:8443",
            "https://app.test",
            "https://partner.example",
            "https://a.partner.test",
            "null",
            "",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        1 => "[ -~]{0,40}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..40),
    ]
}

fn acrm_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "GET", "PUT", "POST", "PATCH", "DELETE", "patch", "put", "OPTIONS", "HEAD",
            "GET, DELETE", "", " PUT",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        1 => "[A-Za-z!#@ ]{0,8}".prop_map(String::into_bytes),
    ]
}

fn acrh_value() -> impl Strategy<Value = Vec<u8>> {
    let item = prop_oneof![
        6 => prop::sample::select(vec![
            "x-foo", "X-Foo", "content-type", "authorization", "Authorization", "x-bar",
            "", " ", "\tx-foo ", "bad header", "x@y", "x-total",
        ])
        .prop_map(str::to_owned),
        1 => "[a-z!#~-]{1,10}",
        1 => "[ -~]{0,6}",
    ];
    (
        prop::collection::vec(item, 0..6),
        prop::sample::select(vec![",", ", ", " ,"]),
    )
        .prop_map(|(items, sep)| items.join(sep).into_bytes())
}

/// Zero, one (most often) or two values from `s`.
fn lines_of(s: BoxedStrategy<Vec<u8>>) -> impl Strategy<Value = Vec<Vec<u8>>> {
    prop_oneof![
        1 => prop::collection::vec(s.clone(), 0..=0),
        6 => prop::collection::vec(s.clone(), 1..=1),
        1 => prop::collection::vec(s, 2..=2),
    ]
}

fn request() -> impl Strategy<Value = Req> {
    prop::sample::select(Route::ALL.to_vec())
        .prop_flat_map(|route| {
            let method = prop::sample::select(vec![
                "OPTIONS", "OPTIONS", "OPTIONS", "GET", "PUT", "POST", "PATCH", "DELETE", "patch",
                "HEAD",
            ]);
            // Origins and methods the route allows are common, so that generated
            // preflights get past the first checks and exercise the later ones.
            let origin = prop_oneof![
                2 => prop::sample::select(route.good_origins()).prop_map(|o| o.as_bytes().to_vec()),
                3 => origin_value(),
            ]
            .boxed();
            let acrm = prop_oneof![
                2 => prop::sample::select(route.methods()).prop_map(|m| m.as_bytes().to_vec()),
                1 => acrm_value(),
            ]
            .boxed();
            (
                Just(route),
                method,
                lines_of(origin),
                lines_of(acrm),
                prop::collection::vec(acrh_value(), 0..=2),
                any::<bool>(),
            )
        })
        .prop_map(|(route, method, origins, acrm, acrh, own)| Req {
            route,
            // Half the actual requests use the route's own method.
            method: if own && method != "OPTIONS" {
                route.methods()[0].to_owned()
            } else {
                method.to_owned()
            },
            origins,
            acrm,
            acrh,
        })
}

impl Req {
    /// The header values actix accepts (it refuses control characters).
    fn valid(values: &[Vec<u8>]) -> Vec<HeaderValue> {
        values
            .iter()
            .filter_map(|v| HeaderValue::from_bytes(v).ok())
            .collect()
    }

    fn build(&self) -> (atest::TestRequest, Vec<HeaderValue>, bool) {
        let origins = Self::valid(&self.origins);
        let acrm = Self::valid(&self.acrm);
        let mut req = atest::TestRequest::default()
            .method(Method::from_bytes(self.method.as_bytes()).unwrap())
            .uri(self.route.path());
        for (name, values) in [
            ("origin", &origins),
            ("access-control-request-method", &acrm),
            ("access-control-request-headers", &Self::valid(&self.acrh)),
        ] {
            for v in values {
                req = req.append_header((HeaderName::from_static(name), v.clone()));
            }
        }
        let preflight = self.method == "OPTIONS" && !origins.is_empty() && !acrm.is_empty();
        (req, origins, preflight)
    }
}

/// What the test keeps of a response.
struct Snap {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

async fn snap(res: ServiceResponse) -> Snap {
    let status = res.status();
    let headers = res.headers().clone();
    let body = atest::read_body(res).await.to_vec();
    Snap {
        status,
        headers,
        body,
    }
}

fn lines<'a>(res: &'a Snap, name: &str) -> Vec<&'a [u8]> {
    res.headers
        .get_all(name)
        .map(HeaderValue::as_bytes)
        .collect()
}

fn cors_header_names(res: &Snap) -> Vec<String> {
    let mut names: Vec<String> = res
        .headers
        .keys()
        .map(|k| k.as_str().to_owned())
        .filter(|k| k.starts_with("access-control-"))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Checks every response property for one request and its response.
fn check_response(
    req: &Req,
    origins: &[HeaderValue],
    preflight: bool,
    res: &Snap,
) -> Result<(), TestCaseError> {
    let body = res.body.as_slice();
    let route = req.route;
    let acao = lines(res, "access-control-allow-origin");
    prop_assert!(acao.len() <= 1, "several ACAO lines: {acao:?}");
    if let Some(&v) = acao.first() {
        prop_assert!(
            !v.iter().any(|&b| b == b',' || b.is_ascii_whitespace()),
            "ACAO with a comma or whitespace: {:?}",
            String::from_utf8_lossy(v)
        );
        if v == b"*" {
            prop_assert!(route.any_origin(), "`*` on {route:?}");
        } else {
            // Echoed: it must be the request's one origin, and one the policy allows.
            prop_assert_eq!(origins.len(), 1);
            prop_assert_eq!(v, origins[0].as_bytes());
            prop_assert!(
                route.allows(v),
                "{route:?} echoed an origin outside its policy: {:?}",
                String::from_utf8_lossy(v)
            );
        }
    }

    let acac = lines(res, "access-control-allow-credentials");
    prop_assert!(acac.len() <= 1);
    if let Some(&v) = acac.first() {
        prop_assert_eq!(v, b"true");
        prop_assert!(route.credentials());
        prop_assert!(
            acao.len() == 1 && acao[0] != b"*",
            "ACAC without an exact ACAO"
        );
    }

    for name in [
        "access-control-allow-methods",
        "access-control-allow-headers",
    ] {
        for v in lines(res, name) {
            for item in v.split(|&b| b == b',') {
                let item = item.trim_ascii();
                prop_assert!(
                    is_token(item),
                    "{name} item {:?} is not a token (value {:?})",
                    String::from_utf8_lossy(item),
                    String::from_utf8_lossy(v)
                );
            }
        }
    }

    if preflight {
        let status = res.status;
        prop_assert!(
            [
                StatusCode::NO_CONTENT,
                StatusCode::FORBIDDEN,
                StatusCode::NOT_FOUND
            ]
            .contains(&status),
            "preflight answered {status}"
        );
        if status != StatusCode::NO_CONTENT {
            prop_assert_eq!(cors_header_names(res), Vec::<String>::new());
        } else {
            prop_assert!(body.is_empty());
            prop_assert_eq!(acao.len(), 1);
        }
        prop_assert!(
            !body.starts_with(b"handler:"),
            "a preflight ran the handler"
        );
    } else if route.methods().contains(&req.method.as_str())
        && refused_write(route, &req.method, origins)
    {
        // A write from an origin the route does not trust (these requests
        // name no host of their own, so any `Origin` is another origin):
        // refused before the handler, with no CORS headers.
        prop_assert_eq!(res.status, StatusCode::FORBIDDEN);
        prop_assert_eq!(cors_header_names(res), Vec::<String>::new());
        prop_assert!(body.is_empty(), "a refused write ran the handler");
    } else if route.methods().contains(&req.method.as_str()) {
        // An actual request on the route: the handler's answer is intact.
        prop_assert_eq!(res.status, StatusCode::OK);
        let expected = format!("handler:{}", &route.path()[1..]);
        prop_assert_eq!(body, expected.as_bytes());
        // And an allowed single origin is answered.
        if route.any_origin() {
            prop_assert_eq!(acao, vec![&b"*"[..]]);
        } else if origins.len() == 1 && route.allows(origins[0].as_bytes()) {
            prop_assert_eq!(acao, vec![origins[0].as_bytes()]);
        } else {
            prop_assert!(acao.is_empty());
            prop_assert!(acac.is_empty());
        }
    }
    Ok(())
}

/// Whether the cross-origin write protection refuses this actual request on
/// `route`: a write with an `Origin` the route does not trust (the generated
/// requests name no host of their own, so any `Origin` is another origin).
fn refused_write(route: Route, method: &str, origins: &[HeaderValue]) -> bool {
    let trusted = route.any_origin() || (origins.len() == 1 && route.allows(origins[0].as_bytes()));
    !matches!(method, "GET" | "HEAD") && !origins.is_empty() && !trusted
}

/// Every response property, over whole generated requests on five policies.
#[test]
fn responses_never_leak_and_stay_well_formed() {
    fill_partners();
    let sys = actix_web::rt::System::new();
    let app = sys.block_on(atest::init_service(
        App::new()
            .service(cred)
            .service(anywhere)
            .service(pat)
            .service(rt)
            .service(open)
            .service(wildcards),
    ));
    let mut runner = TestRunner::new(config(1024));
    runner
        .run(&request(), |req| {
            let (builder, origins, preflight) = req.build();
            let res = sys.block_on(async {
                let res = app
                    .call(builder.to_request())
                    .await
                    .expect("the app answers every request");
                snap(res).await
            });
            check_response(&req, &origins, preflight, &res)
        })
        .unwrap();
}
