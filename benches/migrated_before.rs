//! The "before" columns of the behaviour table in
//! `docs/migrating-from-actix-cors.md`: the worked example's app as it was,
//! on actix-cors, in both wrap orders, sent the same fourteen requests as
//! `examples/migrated.rs` sends the migrated app. Each row's status and CORS
//! headers are pinned here, and each status is checked against the guide's
//! cell, so the comparison the guide draws cannot drift from what actix-cors
//! does. (Here, beside the benchmarks, because this package already depends on
//! actix-cors to compare against it.)

use actix_cors::Cors;
use actix_web::dev::ServiceRequest;
use actix_web::http::{header, Method};
use actix_web::test::{call_service, init_service, TestRequest};
use actix_web::{delete, get, post, web, App, Error, HttpResponse};
use actix_web_httpauth::extractors::bearer::BearerAuth;
use actix_web_httpauth::middleware::HttpAuthentication;

const GUIDE: &str = include_str!("../docs/migrating-from-actix-cors.md");
const TOKEN: &str = "let-me-in";
const SITE: &str = "https://planner.example.com";
const CUSTOMER: &str = "https://acme.planner.example.com";
const DEV: &str = "http://localhost:3000";

#[get("/projects")]
async fn list_projects() -> HttpResponse {
    HttpResponse::Ok().body("[]")
}

#[post("/projects")]
async fn create_project() -> HttpResponse {
    HttpResponse::Created().finish()
}

#[delete("/projects/{id}")]
async fn delete_project() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

#[get("{id}")]
async fn line() -> HttpResponse {
    HttpResponse::Ok().body("line")
}

#[post("/{id}/stations")]
async fn add_station() -> HttpResponse {
    HttpResponse::Created().finish()
}

async fn check_token(
    req: ServiceRequest,
    credentials: BearerAuth,
) -> Result<ServiceRequest, (Error, ServiceRequest)> {
    if credentials.token() == TOKEN {
        Ok(req)
    } else {
        Err((actix_web::error::ErrorUnauthorized("unknown token"), req))
    }
}

/// The configuration the guide quotes.
fn cors() -> Cors {
    Cors::default()
        .allowed_origin(SITE)
        .allowed_origin(DEV)
        .allowed_origin_fn(|origin, _| {
            let o = origin.as_bytes();
            o.ends_with(b".planner.example.com") || o.ends_with(b"localhost:3000")
        })
        .allowed_methods(["GET", "POST", "DELETE"])
        .allowed_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .max_age(3600)
}

fn preflight(path: &str, origin: &str, method: &str, headers: &str) -> TestRequest {
    TestRequest::default()
        .method(Method::OPTIONS)
        .uri(path)
        .insert_header(("origin", origin))
        .insert_header(("access-control-request-method", method))
        .insert_header(("access-control-request-headers", headers))
}

fn call(method: Method, path: &str, origin: Option<&str>, token: bool) -> TestRequest {
    let mut req = TestRequest::default().method(method).uri(path);
    if let Some(origin) = origin {
        req = req.insert_header(("origin", origin));
    }
    if token {
        req = req.insert_header(("authorization", format!("Bearer {TOKEN}")));
    }
    req
}

/// The guide's fourteen requests, in its order.
fn requests() -> Vec<TestRequest> {
    let evil = "https://evilplanner.example.com";
    vec![
        preflight("/projects", SITE, "POST", "authorization,content-type"),
        preflight("/projects/7", CUSTOMER, "DELETE", "authorization"),
        preflight("/lines/4", DEV, "GET", "authorization"),
        preflight("/projects", evil, "GET", "authorization"),
        preflight(
            "/projects",
            "http://evillocalhost:3000",
            "GET",
            "authorization",
        ),
        preflight(
            "/projects",
            "http://acme.planner.example.com",
            "GET",
            "authorization",
        ),
        preflight("/projects", SITE, "GET", "authorization,x-debug"),
        preflight("/projects/7", SITE, "PUT", "authorization"),
        call(Method::GET, "/projects", Some(SITE), true),
        call(Method::GET, "/projects", Some(SITE), false),
        call(Method::POST, "/lines/4/stations", Some(DEV), true),
        call(Method::DELETE, "/projects/7", Some(CUSTOMER), true),
        call(Method::GET, "/projects", Some(evil), true),
        call(Method::GET, "/projects", None, true),
    ]
}

const LONG_VARY: &str = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

/// A row's status and CORS headers: `access-control-allow-origin`'s value,
/// whether `access-control-allow-methods` lists all three methods, and the
/// `vary` value.
#[derive(Debug, PartialEq)]
struct Seen {
    status: u16,
    allow_origin: Option<String>,
    all_three_methods: bool,
    vary: Option<String>,
}

fn seen(status: u16, allow_origin: Option<&str>, all_three: bool, vary: Option<&str>) -> Seen {
    Seen {
        status,
        allow_origin: allow_origin.map(str::to_owned),
        all_three_methods: all_three,
        vary: vary.map(str::to_owned),
    }
}

async fn answers(cors_outside: bool) -> Vec<Seen> {
    macro_rules! run {
        ($app:expr) => {{
            let app = init_service(
                $app.service(list_projects)
                    .service(create_project)
                    .service(delete_project)
                    .service(web::scope("/lines").service(line).service(add_station)),
            )
            .await;
            let mut out = Vec::new();
            for req in requests() {
                let res = call_service(&app, req.to_request()).await;
                let h = res.headers();
                let text = |name: &str| h.get(name).map(|v| v.to_str().unwrap().to_owned());
                let methods = text("access-control-allow-methods");
                out.push(Seen {
                    status: res.status().as_u16(),
                    allow_origin: text("access-control-allow-origin"),
                    all_three_methods: methods.is_some_and(|m| {
                        let mut m: Vec<&str> = m.split(", ").collect();
                        m.sort_unstable();
                        m == ["DELETE", "GET", "POST"]
                    }),
                    vary: text("vary"),
                });
            }
            out
        }};
    }
    let auth = HttpAuthentication::bearer(check_token);
    if cors_outside {
        run!(App::new().wrap(auth).wrap(cors()))
    } else {
        run!(App::new().wrap(cors()).wrap(auth))
    }
}

/// The guide's two actix-cors columns: the status each cell starts with.
fn guide_statuses() -> Vec<(u16, u16)> {
    let table = GUIDE
        .split("<!-- behaviour table: checked by examples/migrated.rs -->")
        .nth(1)
        .expect("the guide marks its behaviour table");
    let status = |cell: &str| -> u16 {
        cell.trim_start_matches('`')
            .get(..3)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("a cell starting with a status: {cell:?}"))
    };
    let mut out = Vec::new();
    for text in table.lines().skip_while(|l| l.trim().is_empty()) {
        let Some(inner) = text.strip_prefix('|') else {
            break;
        };
        let cells: Vec<&str> = inner.split('|').map(str::trim).collect();
        if cells[0].parse::<u32>().is_ok() {
            out.push((status(cells[3]), status(cells[4])));
        }
    }
    out
}

#[actix_web::test]
async fn as_written_the_authentication_answers_every_preflight() {
    let none = || seen(401, None, false, None);
    let expected = vec![
        none(),
        none(),
        none(),
        none(),
        none(),
        none(),
        none(),
        none(),
        seen(200, Some(SITE), false, Some(LONG_VARY)),
        none(),
        seen(201, Some(DEV), false, Some(LONG_VARY)),
        seen(204, Some(CUSTOMER), false, Some(LONG_VARY)),
        seen(200, None, false, Some(LONG_VARY)),
        seen(200, None, false, Some(LONG_VARY)),
    ];
    let got = answers(false).await;
    assert_eq!(got, expected);
    let guide: Vec<u16> = guide_statuses().iter().map(|s| s.0).collect();
    assert_eq!(guide, got.iter().map(|s| s.status).collect::<Vec<_>>());
}

#[actix_web::test]
async fn with_cors_outside_look_alikes_pass_and_refusals_are_400() {
    let allowed = |origin| seen(200, Some(origin), true, Some(LONG_VARY));
    let refused = || seen(400, None, false, None);
    let expected = vec![
        allowed(SITE),
        allowed(CUSTOMER),
        allowed(DEV),
        refused(),
        allowed("http://evillocalhost:3000"),
        allowed("http://acme.planner.example.com"),
        refused(),
        refused(),
        seen(200, Some(SITE), false, Some(LONG_VARY)),
        seen(401, Some(SITE), false, Some(LONG_VARY)),
        seen(201, Some(DEV), false, Some(LONG_VARY)),
        seen(204, Some(CUSTOMER), false, Some(LONG_VARY)),
        seen(200, None, false, Some(LONG_VARY)),
        seen(200, None, false, Some(LONG_VARY)),
    ];
    let got = answers(true).await;
    assert_eq!(got, expected);
    let guide: Vec<u16> = guide_statuses().iter().map(|s| s.1).collect();
    assert_eq!(guide, got.iter().map(|s| s.status).collect::<Vec<_>>());
}
