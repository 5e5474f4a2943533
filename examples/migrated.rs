//! The worked example of `docs/migrating-from-actix-cors.md`: a small
//! line-planning API that used one `actix_cors::Cors` on `App`, moved to
//! route-cors.
//!
//! ```text
//! cargo run --example migrated                 # listens on 127.0.0.1:8080
//! RUST_LOG=debug cargo run --example migrated  # also logs why a preflight was refused
//! cargo test --example migrated --features test-util
//! ```
//!
//! What the app had, in actix-cors terms:
//! - three kinds of callers: the production site, one subdomain per customer
//!   (an `allowed_origin_fn` testing the end of the origin), and the frontend's
//!   development server on `http://localhost:3000`;
//! - `GET`, `POST` and `DELETE`, with `authorization` and `content-type`, and
//!   a one-hour preflight cache;
//! - bearer authentication (actix-web-httpauth) on `App`.
//!
//! In route-cors, the origins, headers and cache time are one named policy,
//! [`PLANNER`]; each route says `#[cors(policy = PLANNER)]` and allows its own
//! methods; the authentication is wrapped in [`CorsAware`], so that
//! preflights pass it and its `401`s are readable by the page.
//!
//! The tests at the bottom send the requests of the guide's behaviour table
//! and check the guide against them, row by row.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{delete, get, post, web, App, Error, HttpResponse, HttpServer};
use actix_web_httpauth::extractors::bearer::BearerAuth;
use actix_web_httpauth::middleware::HttpAuthentication;
use route_cors::{cors, policy, CorsAware};

policy!(
    /// Who may call the API from a browser, with what, and for how long the
    /// browser may reuse a preflight's answer.
    ///
    /// `https://*.planner.example.com` is the per-customer subdomain rule:
    /// any subdomain, at any depth, over `https` only, never the apex and
    /// never a look-alike such as `https://evilplanner.example.com`.
    pub PLANNER,
    origins = [
        "https://planner.example.com",
        "https://*.planner.example.com",
        "http://localhost:3000",
    ],
    headers = ["authorization", "content-type"],
    max_age = 3600,
);

/// The token the bearer check accepts. A real app checks a signature or a
/// database; the shape of the check does not matter to CORS.
pub const TOKEN: &str = "let-me-in";

#[cors(policy = PLANNER)]
#[get("/projects")]
async fn list_projects() -> HttpResponse {
    HttpResponse::Ok().json(["Northern line", "Ring"])
}

#[cors(policy = PLANNER)]
#[post("/projects")]
async fn create_project(name: String) -> HttpResponse {
    HttpResponse::Created().body(name)
}

#[cors(policy = PLANNER)]
#[delete("/projects/{id}")]
async fn delete_project(id: web::Path<u32>) -> HttpResponse {
    log::info!("project {id} deleted");
    HttpResponse::NoContent().finish()
}

// Inside a scope, actix-web accepts a path with or without its leading slash;
// both forms are found by `CorsAware`.
#[cors(policy = PLANNER)]
#[get("{id}")]
async fn line(id: web::Path<u32>) -> HttpResponse {
    HttpResponse::Ok().body(format!("line {id}"))
}

#[cors(policy = PLANNER)]
#[post("/{id}/stations")]
async fn add_station(id: web::Path<u32>, name: String) -> HttpResponse {
    HttpResponse::Created().body(format!("{name} on line {id}"))
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

/// The whole app, as `main` serves it and the tests call it.
pub fn app() -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    App::new()
        // Where `.wrap(cors).wrap(HttpAuthentication::bearer(..))` was: the
        // authentication, wrapped. No `Cors` any more: each route carries its
        // policy.
        .wrap(CorsAware::new(HttpAuthentication::bearer(check_token)))
        .service(list_projects)
        .service(create_project)
        .service(delete_project)
        .service(web::scope("/lines").service(line).service(add_station))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    HttpServer::new(app).bind(("127.0.0.1", 8080))?.run().await
}

#[cfg(test)]
mod tests {
    //! The behaviour table of `docs/migrating-from-actix-cors.md`, sent to
    //! the app: each row's exact status and exact set of CORS headers (every
    //! `access-control-*` header, and `vary`), and the guide's copy of them.

    use std::collections::BTreeMap;

    use actix_web::http::Method;
    use actix_web::test::{call_service, init_service, TestRequest};

    use super::*;

    const SITE: &str = "https://planner.example.com";
    const CUSTOMER: &str = "https://acme.planner.example.com";
    const DEV: &str = "http://localhost:3000";
    const GUIDE: &str = include_str!("../docs/migrating-from-actix-cors.md");

    /// Header name → its values, in order.
    type Headers = BTreeMap<String, Vec<String>>;

    /// One row: what is sent, and what comes back.
    struct Row {
        /// The row's number in the guide's table.
        id: u32,
        request: fn() -> TestRequest,
        status: u16,
        headers: &'static [(&'static str, &'static str)],
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

    const PREFLIGHT_VARY: (&str, &str) = (
        "vary",
        "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    );

    /// The rows, in the guide's order.
    const ROWS: &[Row] = &[
        Row {
            id: 1,
            request: || preflight("/projects", SITE, "POST", "authorization,content-type"),
            status: 204,
            headers: &[
                ("access-control-allow-origin", SITE),
                ("access-control-allow-methods", "POST"),
                (
                    "access-control-allow-headers",
                    "authorization, content-type",
                ),
                ("access-control-max-age", "3600"),
                PREFLIGHT_VARY,
            ],
        },
        Row {
            id: 2,
            request: || preflight("/projects/7", CUSTOMER, "DELETE", "authorization"),
            status: 204,
            headers: &[
                ("access-control-allow-origin", CUSTOMER),
                ("access-control-allow-methods", "DELETE"),
                (
                    "access-control-allow-headers",
                    "authorization, content-type",
                ),
                ("access-control-max-age", "3600"),
                PREFLIGHT_VARY,
            ],
        },
        Row {
            id: 3,
            request: || preflight("/lines/4", DEV, "GET", "authorization"),
            status: 204,
            headers: &[
                ("access-control-allow-origin", DEV),
                ("access-control-allow-methods", "GET"),
                (
                    "access-control-allow-headers",
                    "authorization, content-type",
                ),
                ("access-control-max-age", "3600"),
                PREFLIGHT_VARY,
            ],
        },
        Row {
            id: 4,
            request: || {
                preflight(
                    "/projects",
                    "https://evilplanner.example.com",
                    "GET",
                    "authorization",
                )
            },
            status: 403,
            headers: &[],
        },
        Row {
            id: 5,
            request: || {
                preflight(
                    "/projects",
                    "http://evillocalhost:3000",
                    "GET",
                    "authorization",
                )
            },
            status: 403,
            headers: &[],
        },
        Row {
            id: 6,
            request: || {
                preflight(
                    "/projects",
                    "http://acme.planner.example.com",
                    "GET",
                    "authorization",
                )
            },
            status: 403,
            headers: &[],
        },
        Row {
            id: 7,
            request: || preflight("/projects", SITE, "GET", "authorization,x-debug"),
            status: 403,
            headers: &[],
        },
        Row {
            id: 8,
            request: || preflight("/projects/7", SITE, "PUT", "authorization"),
            status: 401,
            headers: &[],
        },
        Row {
            id: 9,
            request: || call(Method::GET, "/projects", Some(SITE), true),
            status: 200,
            headers: &[("access-control-allow-origin", SITE), ("vary", "Origin")],
        },
        Row {
            id: 10,
            request: || call(Method::GET, "/projects", Some(SITE), false),
            status: 401,
            headers: &[("access-control-allow-origin", SITE), ("vary", "Origin")],
        },
        Row {
            id: 11,
            request: || call(Method::POST, "/lines/4/stations", Some(DEV), true),
            status: 201,
            headers: &[("access-control-allow-origin", DEV), ("vary", "Origin")],
        },
        Row {
            id: 12,
            request: || call(Method::DELETE, "/projects/7", Some(CUSTOMER), true),
            status: 204,
            headers: &[
                ("access-control-allow-origin", CUSTOMER),
                ("vary", "Origin"),
            ],
        },
        Row {
            id: 13,
            request: || {
                call(
                    Method::GET,
                    "/projects",
                    Some("https://evilplanner.example.com"),
                    true,
                )
            },
            status: 200,
            headers: &[("vary", "Origin")],
        },
        Row {
            id: 14,
            request: || call(Method::GET, "/projects", None, true),
            status: 200,
            headers: &[("vary", "Origin")],
        },
    ];

    fn cors_headers(headers: &actix_web::http::header::HeaderMap) -> Headers {
        let mut out = Headers::new();
        for (name, value) in headers {
            let name = name.as_str();
            if name.starts_with("access-control-") || name == "vary" {
                out.entry(name.to_owned())
                    .or_default()
                    .push(value.to_str().expect("ascii header").to_owned());
            }
        }
        out
    }

    fn expected(pairs: &[(&str, &str)]) -> Headers {
        let mut out = Headers::new();
        for (name, value) in pairs {
            out.entry((*name).to_owned())
                .or_default()
                .push((*value).to_owned());
        }
        out
    }

    #[actix_web::test]
    async fn every_row_of_the_behaviour_table() {
        let app = init_service(app()).await;
        for row in ROWS {
            let res = call_service(&app, (row.request)().to_request()).await;
            assert_eq!(
                (res.status().as_u16(), cors_headers(res.headers())),
                (row.status, expected(row.headers)),
                "row {}",
                row.id
            );
        }
    }

    /// The `401` of the bearer check keeps its own header, next to the CORS ones.
    #[actix_web::test]
    async fn the_401_keeps_its_challenge() {
        let app = init_service(app()).await;
        let res = call_service(
            &app,
            call(Method::GET, "/projects", Some(SITE), false).to_request(),
        )
        .await;
        assert_eq!(res.status(), 401);
        assert_eq!(res.headers().get("www-authenticate").unwrap(), "Bearer");
    }

    /// The guide's table, parsed: row number → (status, CORS headers).
    fn guide_rows() -> BTreeMap<u32, (u16, Headers)> {
        let table = GUIDE
            .split("<!-- behaviour table: checked by examples/migrated.rs -->")
            .nth(1)
            .expect("the guide marks its behaviour table");
        let mut rows = BTreeMap::new();
        for text in table.lines().skip_while(|l| l.trim().is_empty()) {
            let Some(inner) = text.strip_prefix('|') else {
                break;
            };
            let cells: Vec<&str> = inner.split('|').map(str::trim).collect();
            let Ok(id) = cells[0].parse::<u32>() else {
                continue; // the header and its separator
            };
            // | # | request | `Origin` | before, as written | before, `Cors` outside | status | CORS headers |
            let status = cells[5].parse().expect("a status");
            let mut headers = Headers::new();
            if cells[6] != "none" {
                for item in cells[6].split("<br>") {
                    let item = item.trim().trim_matches('`');
                    let (name, value) = item.split_once(": ").expect("`name: value`");
                    headers
                        .entry(name.to_owned())
                        .or_default()
                        .push(value.to_owned());
                }
            }
            assert!(
                rows.insert(id, (status, headers)).is_none(),
                "row {id} twice"
            );
        }
        rows
    }

    #[test]
    fn the_guide_shows_what_the_app_answers() {
        let guide = guide_rows();
        let here: BTreeMap<u32, (u16, Headers)> = ROWS
            .iter()
            .map(|r| (r.id, (r.status, expected(r.headers))))
            .collect();
        assert_eq!(guide, here);
    }

    /// The same app, seen by `route_cors::test`: what a page on each origin
    /// can do with its calls.
    #[cfg(feature = "test-util")]
    #[actix_web::test]
    async fn what_the_pages_can_read() {
        use route_cors::test::{fetch, Fetch, Rule};

        let app = init_service(app()).await;
        let bearer = format!("Bearer {TOKEN}");
        for origin in [SITE, CUSTOMER, DEV] {
            let verdict = fetch(
                &app,
                origin,
                Fetch::post("/projects")
                    .header("Authorization", bearer.as_str())
                    .text("Ring"),
            )
            .await
            .assert_allowed();
            assert_eq!(verdict.status(), Some(201), "{origin}");
        }
        // Without a token: the page reads the 401 and can send the user to sign in.
        let verdict = fetch(&app, SITE, Fetch::get("/projects"))
            .await
            .assert_allowed();
        assert_eq!(verdict.status(), Some(401));
        // A look-alike is refused at the preflight.
        fetch(
            &app,
            "https://evilplanner.example.com",
            Fetch::get("/projects").header("Authorization", bearer.as_str()),
        )
        .await
        .assert_blocked(Rule::PreflightMissingAllowOriginHeader);
    }
}
