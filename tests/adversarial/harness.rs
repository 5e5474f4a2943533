//! The app, routes and outcome helpers shared by the hostile-input suites
//! (`adversarial.rs`) and the look-alike origin suite (`lookalikes.rs`).
// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::collections::BTreeMap;

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use actix_web::dev::ServiceResponse;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{delete, get, patch, post, put, test as atest, App, HttpResponse};
use route_cors::{cors, OriginSet};

/// A credentialed allow-list of two origins, a header list.
#[cors(
    origins = ["https://foo.com", "https://bar.com"],
    credentials,
    headers = ["x-foo", "content-type"],
    expose = ["x-total"]
)]
#[post("/list")]
pub async fn list() -> HttpResponse {
    HttpResponse::Created()
        .insert_header(("x-handler", "list"))
        .body("list handler")
}

/// A subdomain pattern and one loopback origin with a port.
#[cors(
    origins = ["https://*.example.com", "http://localhost:3000"],
    headers = ["x-foo"]
)]
#[put("/pattern")]
pub async fn pattern() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("x-handler", "pattern"))
        .body("pattern handler")
}

pub static RUNTIME: OriginSet = OriginSet::new("ADVERSARIAL_ORIGINS");

/// Origins read at startup: one exact origin and one pattern.
#[cors(origins = RUNTIME)]
#[delete("/runtime")]
pub async fn runtime() -> HttpResponse {
    HttpResponse::Accepted()
        .insert_header(("x-handler", "runtime"))
        .body("runtime handler")
}

/// Any origin, any header.
#[cors(origins = "*", headers = "*")]
#[get("/any")]
pub async fn anyone() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("x-handler", "any"))
        .body("any handler")
}

/// Credentials and any header: requested names are echoed.
#[cors(origins = ["https://foo.com"], credentials, headers = "*")]
#[patch("/echo")]
pub async fn echoing() -> HttpResponse {
    HttpResponse::Ok().body("echo handler")
}

/// The app under test, behind a closure so its service type needs no name.
pub struct TestApp(Box<dyn Fn(atest::TestRequest) -> OutcomeFuture>);

pub type OutcomeFuture = Pin<Box<dyn Future<Output = Outcome>>>;

pub async fn app() -> TestApp {
    if !RUNTIME.is_set() {
        let _ = RUNTIME.set(["https://foo.com", "https://*.example.com"]);
    }
    let svc = Rc::new(
        atest::init_service(
            App::new()
                .service(list)
                .service(pattern)
                .service(runtime)
                .service(anyone)
                .service(echoing),
        )
        .await,
    );
    TestApp(Box::new(move |req| {
        let svc = Rc::clone(&svc);
        Box::pin(async move { outcome(atest::call_service(&*svc, req.to_request()).await).await })
    }))
}

/// What a test checks of a response.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    pub status: StatusCode,
    /// Every `access-control-*` header and `vary`: name → values, in order.
    pub cors: BTreeMap<String, Vec<String>>,
    pub handler: Option<String>,
    pub body: String,
}

pub async fn send(app: &TestApp, req: atest::TestRequest) -> Outcome {
    (app.0)(req).await
}

pub async fn outcome(res: ServiceResponse) -> Outcome {
    let status = res.status();
    let mut cors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, value) in res.headers() {
        if name.as_str().starts_with("access-control-") || name == "vary" {
            cors.entry(name.as_str().to_owned())
                .or_default()
                .push(String::from_utf8_lossy(value.as_bytes()).into_owned());
        }
    }
    let handler = res
        .headers()
        .get("x-handler")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = String::from_utf8_lossy(&atest::read_body(res).await).into_owned();
    Outcome {
        status,
        cors,
        handler,
        body,
    }
}

pub fn headers(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in pairs {
        out.entry((*k).to_owned())
            .or_default()
            .push((*v).to_owned());
    }
    out
}

/// One route of the app, and the outcomes it gives.
#[derive(Clone, Debug)]
pub struct Route {
    pub path: &'static str,
    pub method: Method,
    pub status: StatusCode,
    pub handler: &'static str,
}

pub const LIST: Route = Route {
    path: "/list",
    method: Method::POST,
    status: StatusCode::CREATED,
    handler: "list",
};
pub const PATTERN: Route = Route {
    path: "/pattern",
    method: Method::PUT,
    status: StatusCode::OK,
    handler: "pattern",
};
pub const RUNTIME_ROUTE: Route = Route {
    path: "/runtime",
    method: Method::DELETE,
    status: StatusCode::ACCEPTED,
    handler: "runtime",
};
pub const ANY: Route = Route {
    path: "/any",
    method: Method::GET,
    status: StatusCode::OK,
    handler: "any",
};

impl Route {
    /// An actual request carrying these `Origin` lines.
    pub fn actual(&self, origins: &[HeaderValue]) -> atest::TestRequest {
        let mut req = atest::TestRequest::default()
            .method(self.method.clone())
            .uri(self.path);
        for o in origins {
            req = req.append_header((HeaderName::from_static("origin"), o.clone()));
        }
        req
    }

    /// A preflight for the route's method carrying these `Origin` lines.
    pub fn preflight(&self, origins: &[HeaderValue]) -> atest::TestRequest {
        let mut req = atest::TestRequest::default()
            .method(Method::OPTIONS)
            .uri(self.path)
            .insert_header(("access-control-request-method", self.method.as_str()));
        for o in origins {
            req = req.append_header((HeaderName::from_static("origin"), o.clone()));
        }
        req
    }

    /// The handler's own response, with `cors` as its exact CORS headers.
    pub fn handled(&self, cors: &[(&str, &str)]) -> Outcome {
        Outcome {
            status: self.status,
            cors: headers(cors),
            handler: Some(self.handler.to_owned()),
            body: format!("{} handler", self.handler),
        }
    }

    /// The response to an origin the route does not allow: the any-origin
    /// route's `*`; on an allow-list route, the handler's own response with
    /// `Vary: Origin` for a safe method, and for a write (these requests
    /// carry no `Host`, so no origin is their own) the refusal of the
    /// cross-origin write protection, before the handler runs.
    pub fn handled_denied(&self) -> Outcome {
        match self.handler {
            "any" => self.handled(&[("access-control-allow-origin", "*")]),
            _ if !matches!(self.method, Method::GET | Method::HEAD) => rejected(),
            _ => self.handled(&[("vary", "Origin")]),
        }
    }
}

/// A rejected preflight (or refused cross-origin write): 403, empty, no
/// CORS headers at all, the handler not run.
pub fn rejected() -> Outcome {
    Outcome {
        status: StatusCode::FORBIDDEN,
        cors: BTreeMap::new(),
        handler: None,
        body: String::new(),
    }
}

pub const PREFLIGHT_VARY: (&str, &str) = (
    "vary",
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);

pub fn any_preflight_allowed() -> Outcome {
    Outcome {
        status: StatusCode::NO_CONTENT,
        cors: headers(&[
            ("access-control-allow-origin", "*"),
            ("access-control-allow-methods", "GET"),
            PREFLIGHT_VARY,
        ]),
        handler: None,
        body: String::new(),
    }
}

pub fn hv(bytes: &[u8]) -> HeaderValue {
    HeaderValue::from_bytes(bytes).expect("a value an HTTP parser can deliver")
}

/// Every allow-list route treats `origins` as not allowed: handler intact
/// with `Vary: Origin` only, preflight 403 without CORS headers. The
/// any-origin route answers `*` to both.
pub async fn assert_never_matches(app: &TestApp, origins: &[HeaderValue]) {
    for route in [LIST, PATTERN, RUNTIME_ROUTE] {
        assert_eq!(
            send(app, route.actual(origins)).await,
            route.handled_denied(),
            "{origins:?} on {}",
            route.path
        );
        assert_eq!(
            send(app, route.preflight(origins)).await,
            rejected(),
            "preflight {origins:?} on {}",
            route.path
        );
    }
    assert_eq!(send(app, ANY.actual(origins)).await, ANY.handled_denied());
    assert_eq!(
        send(app, ANY.preflight(origins)).await,
        any_preflight_allowed(),
        "any-origin preflight {origins:?}"
    );
}
