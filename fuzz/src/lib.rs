//! Shared pieces of the fuzz targets: an app with several `#[cors]` policies,
//! a way to send it one request, and the invariants every response must keep.
//!
//! The invariants are checked with `assert!`, so libFuzzer reports a broken
//! invariant exactly like a panic inside the crate.

use std::cell::OnceCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{get, post, put, route, test, App, HttpResponse};
use route_cors::cors;

/// Exact origins, a pattern, credentials, a header list. The handler sets
/// wrong CORS headers of its own, which the middleware must replace.
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
        .body("handler:cred")
}

/// Any origin, any header, everything exposed.
#[cors(origins = "*", headers = "*", expose = "*")]
#[post("/anywhere")]
async fn anywhere() -> HttpResponse {
    HttpResponse::Ok().body("handler:anywhere")
}

/// A pattern with a port and credentials; any header, so names are echoed.
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

/// Any origin, safelisted headers only.
#[cors(origins = "*")]
#[get("/open")]
async fn open() -> HttpResponse {
    HttpResponse::Ok().body("handler:open")
}

/// One route of the app, with what the fuzz targets know of its policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `PUT /cred`.
    Cred,
    /// `POST /anywhere`.
    Anywhere,
    /// `GET|PATCH /pat`.
    Pat,
    /// `GET /open`.
    Open,
}

impl Route {
    /// Every route, for picking one from a byte.
    pub const ALL: [Route; 4] = [Route::Cred, Route::Anywhere, Route::Pat, Route::Open];

    /// The route's path.
    pub fn path(self) -> &'static str {
        match self {
            Route::Cred => "/cred",
            Route::Anywhere => "/anywhere",
            Route::Pat => "/pat",
            Route::Open => "/open",
        }
    }

    /// The methods the route serves.
    pub fn methods(self) -> &'static [&'static str] {
        match self {
            Route::Cred => &["PUT"],
            Route::Anywhere => &["POST"],
            Route::Pat => &["GET", "PATCH"],
            Route::Open => &["GET"],
        }
    }

    /// An origin the route allows.
    pub fn good_origin(self) -> &'static str {
        match self {
            Route::Cred => "https://foo.com",
            Route::Anywhere | Route::Open => "https://anyone.example",
            Route::Pat => "https://a.example.com:8443",
        }
    }

    /// Whether the route allows any origin.
    pub fn any_origin(self) -> bool {
        matches!(self, Route::Anywhere | Route::Open)
    }

    /// Whether the route allows credentials.
    pub fn credentials(self) -> bool {
        matches!(self, Route::Cred | Route::Pat)
    }

    /// The request headers the route names, or `None` for any header.
    pub fn header_names(self) -> Option<&'static [&'static str]> {
        match self {
            Route::Cred => Some(&["x-foo", "content-type", "authorization"]),
            Route::Anywhere | Route::Pat => None,
            Route::Open => Some(&[]),
        }
    }

    /// Whether the policy allows `origin`, decided without the crate's parser.
    pub fn allows(self, origin: &[u8]) -> bool {
        match self {
            Route::Anywhere | Route::Open => true,
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
        }
    }
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

/// An HTTP token, checked without the crate's own helper.
pub fn is_token(s: &[u8]) -> bool {
    !s.is_empty()
        && s.iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Trims spaces and tabs.
pub fn trim_ows(s: &[u8]) -> &[u8] {
    let s = match s.iter().position(|&b| b != b' ' && b != b'\t') {
        Some(i) => &s[i..],
        None => return &[],
    };
    let end = s
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(0, |i| i + 1);
    &s[..end]
}

/// What the targets keep of a response.
#[derive(Debug)]
pub struct Snap {
    /// The status.
    pub status: StatusCode,
    /// Every header.
    pub headers: HeaderMap,
    /// The body.
    pub body: Vec<u8>,
}

impl Snap {
    /// Every line of header `name`.
    pub fn lines(&self, name: &str) -> Vec<&[u8]> {
        self.headers
            .get_all(name)
            .map(HeaderValue::as_bytes)
            .collect()
    }

    /// The names of the `access-control-*` headers present.
    pub fn cors_names(&self) -> Vec<&str> {
        self.headers
            .keys()
            .map(HeaderName::as_str)
            .filter(|k| k.starts_with("access-control-"))
            .collect()
    }
}

type Call = Box<dyn Fn(test::TestRequest) -> Pin<Box<dyn Future<Output = Snap>>>>;

struct Harness {
    sys: actix_web::rt::SystemRunner,
    call: Call,
}

thread_local! {
    // Leaked, never dropped: dropping actix's runtime while thread-locals are
    // being destroyed at exit would panic inside the harness itself.
    static HARNESS: OnceCell<&'static Harness> = const { OnceCell::new() };
}

fn harness() -> Harness {
    let sys = actix_web::rt::System::new();
    let app = sys.block_on(test::init_service(
        App::new()
            .service(cred)
            .service(anywhere)
            .service(pat)
            .service(open),
    ));
    let app = Rc::new(app);
    let call: Call = Box::new(move |req| {
        let app = Rc::clone(&app);
        Box::pin(async move {
            let res: ServiceResponse = app.call(req.to_request()).await.expect("the app answers");
            let status = res.status();
            let headers = res.headers().clone();
            let body = test::read_body(res).await.to_vec();
            Snap {
                status,
                headers,
                body,
            }
        })
    });
    Harness { sys, call }
}

/// A request to send: method, path, and header lines (values that are not
/// valid header values are skipped, as no HTTP parser would deliver them).
pub struct Req<'a> {
    /// The route.
    pub route: Route,
    /// The method, such as `OPTIONS`.
    pub method: &'a str,
    /// `(name, value)` header lines, in order.
    pub headers: Vec<(&'static str, &'a [u8])>,
}

impl Req<'_> {
    /// Sends the request through the app; returns the response and the header
    /// lines that were actually sent.
    pub fn send(&self) -> (Snap, HeaderMap) {
        let mut sent = HeaderMap::new();
        let mut builder = test::TestRequest::default()
            .method(Method::from_bytes(self.method.as_bytes()).expect("a valid method"))
            .uri(self.route.path());
        for (name, value) in &self.headers {
            if let Ok(v) = HeaderValue::from_bytes(value) {
                sent.append(HeaderName::from_static(name), v.clone());
                builder = builder.append_header((HeaderName::from_static(name), v));
            }
        }
        let snap = HARNESS.with(|cell| {
            let h = *cell.get_or_init(|| Box::leak(Box::new(harness())));
            h.sys.block_on((h.call)(builder))
        });
        (snap, sent)
    }
}

/// Whether the requested header `name` is covered by `ACAH` items `items`,
/// as a browser decides it.
pub fn covered(name: &[u8], items: &[&[u8]], credentials: bool) -> bool {
    items.iter().any(|i| i.eq_ignore_ascii_case(name))
        || (!credentials
            && items.contains(&&b"*"[..])
            && !name.eq_ignore_ascii_case(b"authorization"))
}

/// The invariants of every response, whatever the request.
pub fn check_response(route: Route, method: &str, sent: &HeaderMap, res: &Snap) {
    let origins: Vec<&[u8]> = sent.get_all("origin").map(HeaderValue::as_bytes).collect();
    let preflight = method == "OPTIONS"
        && !origins.is_empty()
        && sent.contains_key("access-control-request-method");

    let acao = res.lines("access-control-allow-origin");
    assert!(acao.len() <= 1, "several ACAO lines: {acao:?}");
    if let Some(&v) = acao.first() {
        assert!(
            !v.iter().any(|&b| b == b',' || b.is_ascii_whitespace()),
            "ACAO {v:?} has a comma or whitespace"
        );
        if v == b"*" {
            assert!(route.any_origin());
        } else {
            assert_eq!(origins, vec![v], "ACAO is not the request's one origin");
            assert!(route.allows(v), "{route:?} echoed a foreign origin {v:?}");
        }
    }
    let acac = res.lines("access-control-allow-credentials");
    assert!(acac.len() <= 1);
    if let Some(&v) = acac.first() {
        assert_eq!(v, b"true");
        assert!(route.credentials());
        assert!(acao.len() == 1 && acao[0] != b"*");
    }
    for name in [
        "access-control-allow-methods",
        "access-control-allow-headers",
    ] {
        for v in res.lines(name) {
            for item in v.split(|&b| b == b',') {
                assert!(
                    is_token(trim_ows(item)),
                    "{name} {v:?} has a non-token item"
                );
            }
        }
    }
    if preflight {
        assert!(
            !res.body.starts_with(b"handler:"),
            "a preflight ran the handler"
        );
        match res.status {
            StatusCode::NO_CONTENT => assert_eq!(acao.len(), 1),
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND => {
                assert!(res.cors_names().is_empty(), "CORS headers on a rejection")
            }
            other => panic!("preflight answered {other}"),
        }
    } else if route.methods().contains(&method) {
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(
            res.body,
            format!("handler:{}", &route.path()[1..]).as_bytes()
        );
        if route.any_origin() {
            assert_eq!(acao, vec![&b"*"[..]]);
        } else if origins.len() == 1 && route.allows(origins[0]) {
            assert_eq!(acao, origins);
        } else {
            assert!(acao.is_empty() && acac.is_empty());
        }
    }
}
