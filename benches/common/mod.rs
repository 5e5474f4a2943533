// Shared by the benchmarks and the allocation test (benches/alloc.rs): the apps
// of every scenario in three variants (floor, `#[cors]`, actix-cors), their
// requests, and a way to call an app in process without an async runtime per
// request.
#![allow(dead_code)] // every user takes a subset

#[macro_use]
mod generated;
pub mod around;
pub mod routing;

use std::future::Future;
use std::pin::pin;
use std::sync::OnceLock;
use std::task::{Context, Poll, Waker};

use actix_cors::Cors as ActixCors;
use actix_http::Request;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::{
    HeaderName, HeaderValue, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN,
};
use actix_web::http::Method;
use actix_web::web::{self, ServiceConfig};
use actix_web::{get, post, route, test, App, Error, HttpResponse};
use route_cors::cors;

/// The allowed origin of every scenario.
pub const ALLOWED: &str = "https://app.example.com";
/// An origin no scenario allows.
pub const DENIED: &str = "https://evil.example.net";

/// Which implementation answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// No CORS: the same handler bare (or a bare 204 OPTIONS route for preflights).
    Floor,
    /// `#[cors(..)]` from this crate.
    RouteCors,
    /// actix-cors, configured to the equivalent policy, wrapping the same resource.
    ActixCors,
}

impl Variant {
    pub const ALL: [Variant; 3] = [Variant::Floor, Variant::RouteCors, Variant::ActixCors];

    pub fn name(self) -> &'static str {
        match self {
            Variant::Floor => "floor",
            Variant::RouteCors => "route-cors",
            Variant::ActixCors => "actix-cors",
        }
    }
}

/// Every per-request scenario, in report order.
pub const SCENARIOS: &[&str] = &[
    "get_allowed",
    "get_disallowed",
    "get_no_origin",
    "get_any_origin",
    "post_allowed",
    "post_refused",
    "preflight_allowed",
    "preflight_rejected",
    "origins_1",
    "origins_10",
    "origins_1000",
    "origins_pattern",
    "origins_label",
    "origins_port",
    "acrh_1mib_commas",
    "acrh_10k_names",
];

/// An app service, type-erased without boxing its futures: calling it costs
/// one dynamic dispatch and nothing else beyond the app's own work.
pub trait Call {
    /// Sends `req` and drops the response; returns its status.
    fn call_once(&self, req: Request) -> u16;
    /// Sends `req`; returns the status and every `access-control-*` and `vary`
    /// header, sorted (to check that the variants answer alike).
    fn inspect(&self, req: Request) -> (u16, Vec<(String, String)>);
}

impl<S, B> Call for S
where
    S: Service<Request, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    fn call_once(&self, req: Request) -> u16 {
        let res = now(self.call(req)).expect("the app returned an error");
        res.status().as_u16()
    }

    fn inspect(&self, req: Request) -> (u16, Vec<(String, String)>) {
        let res = now(self.call(req)).expect("the app returned an error");
        let mut headers: Vec<(String, String)> = res
            .headers()
            .iter()
            .filter(|(n, _)| n.as_str().starts_with("access-control-") || n.as_str() == "vary")
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        headers.sort();
        (res.status().as_u16(), headers)
    }
}

/// Polls a future that is ready at once (every handler here is), on the
/// current thread, with no runtime.
pub fn now<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..16 {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
    }
    panic!("the app service did not answer synchronously")
}

/// Builds the app service for `configure`.
pub fn service<F>(configure: F) -> Box<dyn Call>
where
    F: FnOnce(&mut ServiceConfig) + 'static,
{
    let app = App::new().configure(configure);
    Box::new(actix_web::rt::System::new().block_on(test::init_service(app)))
}

async fn ok() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

/// The handlers without CORS.
mod floor {
    use super::*;

    #[get("/items")]
    async fn items() -> HttpResponse {
        HttpResponse::Ok().body("ok")
    }

    #[get("/public")]
    async fn public() -> HttpResponse {
        HttpResponse::Ok().body("ok")
    }

    #[post("/orders")]
    async fn orders() -> HttpResponse {
        HttpResponse::Ok().body("ok")
    }

    /// The preflight floor: a bare route answering OPTIONS with an empty 204.
    #[route("/items", method = "OPTIONS")]
    async fn items_options() -> HttpResponse {
        HttpResponse::NoContent().finish()
    }

    pub fn actual(cfg: &mut ServiceConfig) {
        cfg.service(items).service(public).service(orders);
    }

    pub fn preflight(cfg: &mut ServiceConfig) {
        cfg.service(items_options);
    }
}

/// The same handlers with `#[cors]`.
mod annotated {
    use super::*;

    #[cors(
        origins = ["https://app.example.com"],
        headers = ["content-type", "x-request-id"],
        expose = ["x-request-id"],
        max_age = 600,
        credentials
    )]
    #[get("/items")]
    async fn items() -> HttpResponse {
        HttpResponse::Ok().body("ok")
    }

    #[cors(origins = "*")]
    #[get("/public")]
    async fn public() -> HttpResponse {
        HttpResponse::Ok().body("ok")
    }

    /// A write route with the policy of `items`: cross-origin writes from
    /// origins it does not list are refused before the handler.
    #[cors(
        origins = ["https://app.example.com"],
        headers = ["content-type", "x-request-id"],
        expose = ["x-request-id"],
        max_age = 600,
        credentials
    )]
    #[post("/orders")]
    async fn orders() -> HttpResponse {
        HttpResponse::Ok().body("ok")
    }

    pub fn configure(cfg: &mut ServiceConfig) {
        cfg.service(items).service(public).service(orders);
    }
}

/// actix-cors configured like `annotated::items`.
fn actix_items() -> ActixCors {
    ActixCors::default()
        .allowed_origin(ALLOWED)
        .allowed_methods(["GET"])
        .allowed_headers(["content-type", "x-request-id"])
        .expose_headers(["x-request-id"])
        .max_age(600)
        .supports_credentials()
}

fn actix_configure(cfg: &mut ServiceConfig) {
    cfg.service(
        web::resource("/items")
            .wrap(actix_items())
            .route(web::get().to(ok)),
    )
    .service(
        web::resource("/public")
            .wrap(
                ActixCors::default()
                    .allow_any_origin()
                    .send_wildcard()
                    .allowed_methods(["GET"]),
            )
            .route(web::get().to(ok)),
    )
    .service(
        web::resource("/orders")
            .wrap(actix_items().allowed_methods(["POST"]))
            .route(web::post().to(ok)),
    );
}

/// One `#[cors]` route per allow-list size, all on `/items` with only
/// `origins` and `credentials` set; plus the origin list as a constant.
macro_rules! origins_module {
    ($module:ident $($origin:tt)*) => {
        mod $module {
            use super::*;

            pub const ORIGINS: &[&str] = &[$($origin),*];

            #[cors(origins = [$($origin),*], credentials)]
            #[get("/items")]
            async fn items() -> HttpResponse {
                HttpResponse::Ok().body("ok")
            }

            pub fn configure(cfg: &mut ServiceConfig) {
                cfg.service(items);
            }
        }
    };
}

origins_module!(origins_1 "https://app.example.com");
with_origins_10!(origins_module origins_10);
with_origins_1000!(origins_module origins_1000);
origins_module!(origins_pattern "https://*.example.com");
origins_module!(origins_label "https://ap*.example.com");
origins_module!(origins_port "https://app.example.com:*");

fn actix_origins(origins: &'static [&'static str]) -> impl FnOnce(&mut ServiceConfig) {
    move |cfg| {
        let mut cors = ActixCors::default()
            .allowed_methods(["GET"])
            .supports_credentials();
        for o in origins {
            cors = cors.allowed_origin(o);
        }
        cfg.service(web::resource("/items").wrap(cors).route(web::get().to(ok)));
    }
}

fn actix_pattern(cfg: &mut ServiceConfig) {
    // actix-cors has no subdomain patterns: the closest equivalent is a function.
    let cors = ActixCors::default()
        .allowed_origin_fn(|origin, _| {
            let o = origin.as_bytes();
            o.strip_prefix(b"https://").is_some_and(|host| {
                host.len() > b".example.com".len()
                    && host.ends_with(b".example.com")
                    && !host.contains(&b':')
            })
        })
        .allowed_methods(["GET"])
        .supports_credentials();
    cfg.service(web::resource("/items").wrap(cors).route(web::get().to(ok)));
}

/// The app of `scenario` in `variant`.
pub fn app(scenario: &str, variant: Variant) -> Box<dyn Call> {
    let preflight = scenario.starts_with("preflight") || scenario.starts_with("acrh");
    match variant {
        Variant::Floor if preflight => service(floor::preflight),
        Variant::Floor => service(floor::actual),
        Variant::RouteCors => match scenario {
            "origins_1" => service(origins_1::configure),
            "origins_10" => service(origins_10::configure),
            "origins_1000" => service(origins_1000::configure),
            "origins_pattern" => service(origins_pattern::configure),
            "origins_label" => service(origins_label::configure),
            "origins_port" => service(origins_port::configure),
            _ => service(annotated::configure),
        },
        Variant::ActixCors => match scenario {
            "origins_1" => service(actix_origins(origins_1::ORIGINS)),
            "origins_10" => service(actix_origins(origins_10::ORIGINS)),
            "origins_1000" => service(actix_origins(origins_1000::ORIGINS)),
            // actix-cors has neither form: its closest equivalents.
            "origins_pattern" | "origins_label" => service(actix_pattern),
            "origins_port" => service(actix_origins(origins_1::ORIGINS)),
            _ => service(actix_configure),
        },
    }
}

/// 1 MiB of commas, built once; a static value, so requests share it.
fn commas() -> &'static str {
    static V: OnceLock<&'static str> = OnceLock::new();
    V.get_or_init(|| ",".repeat(1 << 20).leak())
}

/// 10 000 distinct header names, comma-separated.
fn names() -> &'static str {
    static V: OnceLock<&'static str> = OnceLock::new();
    V.get_or_init(|| {
        (0..10_000)
            .map(|i| format!("x-h{i}"))
            .collect::<Vec<_>>()
            .join(",")
            .leak()
    })
}

fn header(name: HeaderName, value: &'static str) -> (HeaderName, HeaderValue) {
    (name, HeaderValue::from_static(value))
}

fn preflight(origin: &'static str, acrh: &'static str) -> Request {
    test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/items")
        .insert_header(header(ORIGIN, origin))
        .insert_header(header(ACCESS_CONTROL_REQUEST_METHOD, "GET"))
        .insert_header(header(ACCESS_CONTROL_REQUEST_HEADERS, acrh))
        .to_request()
}

/// A cross-site `POST /orders` (a form post, or a `fetch` with a simple body).
fn cross_site_post(origin: &'static str) -> Request {
    test::TestRequest::post()
        .uri("/orders")
        .insert_header(header(ORIGIN, origin))
        .insert_header(header(SEC_FETCH_SITE, "cross-site"))
        .to_request()
}

/// `Sec-Fetch-Site`, which browsers send on every request.
const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

fn get(path: &str, origin: Option<&'static str>) -> Request {
    let mut req = test::TestRequest::get().uri(path);
    if let Some(o) = origin {
        req = req.insert_header(header(ORIGIN, o));
    }
    req.to_request()
}

/// The request of `scenario`. Header values are static (shared, like the
/// slices of the read buffer on a real connection), so cloning one is free.
pub fn request(scenario: &str) -> Request {
    match scenario {
        "get_allowed" | "origins_1" | "origins_10" | "origins_1000" | "origins_pattern"
        | "origins_label" | "origins_port" => get("/items", Some(ALLOWED)),
        "get_disallowed" => get("/items", Some(DENIED)),
        "get_no_origin" => get("/items", None),
        "get_any_origin" => get("/public", Some(ALLOWED)),
        "post_allowed" => cross_site_post(ALLOWED),
        "post_refused" => cross_site_post(DENIED),
        "preflight_allowed" => preflight(ALLOWED, "content-type,x-request-id"),
        "preflight_rejected" => preflight(DENIED, "content-type,x-request-id"),
        "acrh_1mib_commas" => preflight(ALLOWED, commas()),
        "acrh_10k_names" => preflight(ALLOWED, names()),
        other => panic!("unknown scenario {other}"),
    }
}

/// Builds the app and sends a few requests first, so that pools and lazily
/// initialised state are warm and the measured request is a steady-state one.
pub fn warm(app: Box<dyn Call>, make: impl Fn() -> Request) -> Box<dyn Call> {
    for _ in 0..8 {
        app.call_once(make());
    }
    app
}
