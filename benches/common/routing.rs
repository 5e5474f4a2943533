// Routing scale: N routes registered, the last one requested.
//
// Three designs of the same N routes:
// - `Bare`: `#[get]` handlers, no CORS (the floor);
// - `Combined`: `#[cors]` handlers, i.e. the shipped design: one resource per
//   route whose guard admits the route's methods OR a preflight for them;
// - `Separate`: the alternative, built by hand with the runtime API: per route,
//   one resource for the actual method and a second OPTIONS resource whose
//   guard admits the preflights for it, both wrapped in the same policy.

use actix_http::Request;
use actix_web::guard::{fn_guard, GuardContext};
use actix_web::http::header::{
    HeaderValue, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN,
};
use actix_web::http::Method;
use actix_web::web::{self, ServiceConfig};
use actix_web::{get, test, HttpResponse};
use route_cors::__private01::{Cors, Exact, Expose, Headers, OriginList, Origins, Policy, Spec};
use route_cors::cors;

use super::{service, Call, ALLOWED};

/// The route counts measured.
pub const SCALES: [usize; 3] = [10, 100, 500];

/// How the N routes are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Design {
    Bare,
    Combined,
    Separate,
}

impl Design {
    pub const ALL: [Design; 3] = [Design::Bare, Design::Combined, Design::Separate];

    pub fn name(self) -> &'static str {
        match self {
            Design::Bare => "bare",
            Design::Combined => "combined",
            Design::Separate => "separate",
        }
    }
}

type Register = fn(&mut ServiceConfig);

macro_rules! bare_routes {
    ($($name:ident $path:tt)*) => {
        mod bare {
            use super::*;
            $(
                #[get($path)]
                async fn $name() -> HttpResponse {
                    HttpResponse::Ok().body("ok")
                }
            )*
            pub const ROUTES: &[Register] = &[$(|c| { c.service($name); }),*];
        }
    };
}

macro_rules! annotated_routes {
    ($($name:ident $path:tt)*) => {
        mod annotated {
            use super::*;
            $(
                #[cors(origins = ["https://app.example.com"], headers = ["content-type"])]
                #[get($path)]
                async fn $name() -> HttpResponse {
                    HttpResponse::Ok().body("ok")
                }
            )*
            pub const ROUTES: &[Register] = &[$(|c| { c.service($name); }),*];
        }
    };
}

with_routes!(bare_routes);
with_routes!(annotated_routes);

/// The policy of the annotated routes, built as the attribute builds it, for
/// the `Separate` design.
static SEPARATE_EXACT: [Exact; 1] = [Exact::__new("https://app.example.com")];
static SEPARATE_ORIGINS: OriginList = OriginList::__new(&SEPARATE_EXACT, &[]);
static SEPARATE_POLICY: Policy = Policy::__new(Spec {
    route: "GET /api/v1/items{i}",
    origins: Origins::List(&SEPARATE_ORIGINS),
    credentials: false,
    methods: &["GET"],
    allow_methods: "GET",
    headers: Headers::List(&["content-type"], "content-type"),
    expose: Expose::None,
    max_age: None,
    private_network: false,
    timing: false,
    public_suffix_wildcard: false,
    allow_http: false,
    allow_public_suffix_wildcard: false,
    allow_cross_origin_writes: false,
});

fn is_get(ctx: &GuardContext<'_>) -> bool {
    ctx.head().method == Method::GET
}

fn is_get_preflight(ctx: &GuardContext<'_>) -> bool {
    let head = ctx.head();
    head.method == Method::OPTIONS
        && head.headers.contains_key(ORIGIN)
        && head
            .headers
            .get(ACCESS_CONTROL_REQUEST_METHOD)
            .is_some_and(|m| m.as_bytes().eq_ignore_ascii_case(b"GET"))
}

async fn unreachable_handler() -> HttpResponse {
    // The middleware answers every preflight before the handler.
    HttpResponse::InternalServerError().finish()
}

fn separate(cfg: &mut ServiceConfig, n: usize) {
    for i in 0..n {
        let path = format!("/api/v1/items{i}");
        cfg.service(
            web::resource(path.clone())
                .guard(fn_guard(is_get))
                .wrap(Cors::new(&SEPARATE_POLICY))
                .to(|| async { HttpResponse::Ok().body("ok") }),
        )
        .service(
            web::resource(path)
                .guard(fn_guard(is_get_preflight))
                .wrap(Cors::new(&SEPARATE_POLICY))
                .to(unreachable_handler),
        );
    }
}

/// An app with `n` routes of `design`.
pub fn app(design: Design, n: usize) -> Box<dyn Call> {
    match design {
        Design::Bare => service(move |cfg| bare::ROUTES[..n].iter().for_each(|r| r(cfg))),
        Design::Combined => service(move |cfg| annotated::ROUTES[..n].iter().for_each(|r| r(cfg))),
        Design::Separate => service(move |cfg| separate(cfg, n)),
    }
}

/// A GET (or a preflight for GET) to the last of `n` routes, from the allowed origin.
pub fn request(n: usize, preflight: bool) -> Request {
    let path = format!("/api/v1/items{}", n - 1);
    let origin = (ORIGIN, HeaderValue::from_static(ALLOWED));
    if preflight {
        test::TestRequest::default()
            .method(Method::OPTIONS)
            .uri(&path)
            .insert_header(origin)
            .insert_header((
                ACCESS_CONTROL_REQUEST_METHOD,
                HeaderValue::from_static("GET"),
            ))
            .insert_header((
                ACCESS_CONTROL_REQUEST_HEADERS,
                HeaderValue::from_static("content-type"),
            ))
            .to_request()
    } else {
        test::TestRequest::get()
            .uri(&path)
            .insert_header(origin)
            .to_request()
    }
}
