//! The two-origin demo: an API with per-route `#[cors]` policies on one
//! loopback port, and a page on another port that calls every route and shows
//! what the browser allowed.
//!
//! ```text
//! cargo run -p route-cors-demo                        # OS-chosen ports
//! cargo run -p route-cors-demo -- --api-port 8081 --page-port 8080
//! RUST_LOG=debug cargo run -p route-cors-demo         # also log why preflights are rejected
//! ```
//!
//! Open the printed page URL in a browser. Each row of its table is one call,
//! coloured by what happened: allowed, blocked by the browser as the policy
//! says, or not as expected.

use std::io;
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::body::MessageBody;
use actix_web::dev::Server;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Logger;
use actix_web::middleware::{from_fn, Next};
use actix_web::{delete, get, post, put, web, App, HttpRequest, HttpResponse, HttpServer};
use route_cors::{cors, CorsAware, CredentialedOriginSet, DefaultPolicy, OriginsError};
use serde_json::{json, Value};

/// The page's origins. The page's port is only known at startup, so this set
/// is filled then, through the same validator as origins written in
/// `#[cors(origins = [..])]`. It is a `CredentialedOriginSet` because the
/// session routes allow `credentials`; its argument, `"DEMO_PAGE_ORIGINS"`, is
/// only the label that error messages and logs use for it.
pub static PAGE: CredentialedOriginSet = CredentialedOriginSet::new("DEMO_PAGE_ORIGINS");

const PAGE_HTML: &str = include_str!("demo/page.html");
/// A page on a second origin the API does not list (`evil.localhost`),
/// which the demo page embeds to show the attack CORS alone does not stop.
const ATTACKER_HTML: &str = include_str!("demo/attacker.html");

/// Public, any origin: no credentials, `Access-Control-Allow-Origin: *`.
#[cors(origins = "*", expose = ["x-served-by"])]
#[get("/public")]
async fn public() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("x-served-by", "route-cors demo"))
        .json(json!({ "message": "anyone may read this" }))
}

/// Signs in: sets a session cookie. Credentialed, so only the page's origin.
#[cors(origins = PAGE, credentials)]
#[post("/session")]
async fn sign_in() -> HttpResponse {
    static VISITORS: AtomicU64 = AtomicU64::new(0);
    let n = VISITORS.fetch_add(1, Ordering::Relaxed) + 1;
    HttpResponse::Ok()
        .insert_header((
            header::SET_COOKIE,
            format!("demo_session=visitor-{n}; Path=/; SameSite=Lax; HttpOnly"),
        ))
        .json(json!({ "signed_in_as": format!("visitor-{n}") }))
}

/// Reads the session cookie the browser sends back.
#[cors(origins = PAGE, credentials)]
#[get("/session")]
async fn whoami(req: HttpRequest) -> HttpResponse {
    match req.cookie("demo_session") {
        Some(c) => HttpResponse::Ok().json(json!({ "signed_in_as": c.value() })),
        None => HttpResponse::Unauthorized().json(json!({ "error": "no session cookie" })),
    }
}

/// A JSON POST: `Content-Type: application/json` makes the browser preflight.
/// `Location` is exposed, so the page can read it.
#[cors(origins = PAGE, headers = ["content-type"], expose = ["location"], max_age = 600)]
#[post("/notes")]
async fn create_note(note: web::Json<Value>) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, "/notes/1"))
        .json(json!({ "id": 1, "note": note.into_inner() }))
}

/// PUT is never a simple method: always preflighted.
#[cors(origins = PAGE, headers = ["content-type"])]
#[put("/notes/{id}")]
async fn update_note(id: web::Path<u32>, note: web::Json<Value>) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "id": id.into_inner(), "note": note.into_inner() }))
}

/// DELETE, on the same path as the PUT, with its own policy.
#[cors(origins = PAGE)]
#[delete("/notes/{id}")]
async fn delete_note(_id: web::Path<u32>) -> HttpResponse {
    HttpResponse::NoContent().finish()
}

/// An error response: it carries the CORS headers, so the page can read it.
#[cors(origins = PAGE)]
#[get("/flaky")]
async fn flaky() -> HttpResponse {
    HttpResponse::ServiceUnavailable().json(json!({ "error": "the database is taking a nap" }))
}

/// A policy that does not allow the page: the handler runs, but the response
/// has no CORS headers, so the browser hides it from the page.
#[cors(origins = ["https://partner.example.com"])]
#[get("/partners")]
async fn partners() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "partners": ["acme"] }))
}

/// Two policies on one path: anyone may read reports…
#[cors(origins = "*")]
#[get("/reports")]
async fn list_reports() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "reports": ["q1", "q2"] }))
}

/// …but only the admin origin may delete them. The browser's preflight asks
/// for DELETE, reaches this policy, and is refused.
#[cors(origins = ["https://admin.example.com"])]
#[delete("/reports")]
async fn delete_reports() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

/// How many times [`transfer`]'s handler ran.
static TRANSFERS: AtomicU64 = AtomicU64::new(0);
/// How many `POST /transfer` requests reached the server, refused or not.
static RECEIVED: AtomicU64 = AtomicU64::new(0);

/// Counts the `POST /transfer` requests the server receives, before
/// route-cors sees them: with [`TRANSFERS`], it proves that a refused write
/// was sent, and that its handler did not run.
async fn count_received(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == actix_web::http::Method::POST && req.path() == "/transfer" {
        RECEIVED.fetch_add(1, Ordering::Relaxed);
    }
    next.call(req).await
}

/// A state-changing route. Its policy lists only the page, so route-cors
/// refuses a cross-origin write from any other origin before this handler:
/// an HTML form post or a `no-cors` fetch from another site, which the
/// browser sends (cookies included) without a preflight, never runs it.
#[cors(origins = PAGE, credentials)]
#[post("/transfer")]
async fn transfer() -> HttpResponse {
    let n = TRANSFERS.fetch_add(1, Ordering::Relaxed) + 1;
    HttpResponse::Ok().json(json!({ "transferred": true, "runs": n }))
}

/// The count of [`transfer`]'s handler runs, and of the `POST /transfer`
/// requests received, for the page to prove what ran.
#[cors(origins = PAGE)]
#[get("/transfer/runs")]
async fn transfer_runs() -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "runs": TRANSFERS.load(Ordering::Relaxed),
        "received": RECEIVED.load(Ordering::Relaxed),
    }))
}

/// Fills [`PAGE`] with the page's origins for `page_port`: the page may be
/// opened as `127.0.0.1` or as `localhost`.
pub fn allow_page(page_port: u16) -> Result<(), OriginsError> {
    PAGE.set([
        format!("http://127.0.0.1:{page_port}"),
        format!("http://localhost:{page_port}"),
    ])
}

/// The API server, on `listener`. Call [`allow_page`] first.
pub fn api_server(listener: TcpListener) -> io::Result<Server> {
    Ok(HttpServer::new(|| {
        App::new()
            .wrap(Logger::new("api  %r -> %s (Origin: %{Origin}i)"))
            .wrap(from_fn(count_received))
            .service(public)
            .service(sign_in)
            .service(whoami)
            .service(create_note)
            .service(update_note)
            .service(delete_note)
            .service(flaky)
            .service(partners)
            .service(list_reports)
            .service(delete_reports)
            .service(transfer)
            .service(transfer_runs)
            .service(
                web::scope("/admin")
                    .wrap(CorsAware::new(from_fn(require_token)))
                    .service(admin_stats),
            )
            .service(
                web::scope("/api")
                    .wrap(DefaultPolicy::new(&API))
                    .service(orders),
            )
    })
    .workers(1)
    .listen(listener)?
    .run())
}

/// The demo's admin token; `CorsAware` below makes the auth middleware's own
/// `401` readable by the page, and lets the preflight pass it by.
const ADMIN_TOKEN: &str = "Bearer demo-admin";

async fn require_token(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req
        .headers()
        .get(header::AUTHORIZATION)
        .is_some_and(|v| v == ADMIN_TOKEN)
    {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let res = HttpResponse::Unauthorized().json(json!({ "error": "missing or bad token" }));
    Ok(req.into_response(res).map_into_right_body())
}

/// Behind the scope's auth middleware.
#[cors(origins = PAGE, headers = ["authorization"], credentials)]
#[get("/stats")]
async fn admin_stats() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "notes": 1 }))
}

route_cors::policy!(API, origins = PAGE, headers = ["content-type"]);

/// No `#[cors]`: the scope's `DefaultPolicy` applies.
#[get("/orders")]
async fn orders() -> HttpResponse {
    HttpResponse::Ok().json(json!([{ "id": 1 }]))
}

/// The attacker's page, at `/attacker` on the page server; the demo page
/// opens it as `http://evil.localhost:PAGE_PORT/attacker`, another origin.
pub fn attacker(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/attacker",
        web::get().to(|| async {
            HttpResponse::Ok()
                .content_type("text/html; charset=utf-8")
                .body(ATTACKER_HTML)
        }),
    );
}

/// The page server, on `listener`; the page calls the API on `api_port`.
pub fn page_server(listener: TcpListener, api_port: u16) -> io::Result<Server> {
    let html = PAGE_HTML.replace("{{API_PORT}}", &api_port.to_string());
    Ok(HttpServer::new(move || {
        let html = html.clone();
        App::new()
            .wrap(Logger::new("page %r -> %s"))
            .configure(attacker)
            .route(
                "/",
                web::get().to(move || {
                    let html = html.clone();
                    async move {
                        HttpResponse::Ok()
                            .content_type("text/html; charset=utf-8")
                            .body(html)
                    }
                }),
            )
    })
    .workers(1)
    .listen(listener)?
    .run())
}

/// `--api-port N` and `--page-port N` (0, the default, lets the OS choose).
fn parse_args() -> Result<(u16, u16), String> {
    let mut api_port = 0;
    let mut page_port = 0;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (key, inline) = match arg.split_once('=') {
            Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
            None => (arg.clone(), None),
        };
        let target = match key.as_str() {
            "--api-port" => &mut api_port,
            "--page-port" => &mut page_port,
            "-h" | "--help" => return Err(String::new()),
            _ => return Err(format!("unknown argument `{arg}`")),
        };
        let value = inline
            .or_else(|| args.next())
            .ok_or_else(|| format!("`{key}` needs a port number"))?;
        *target = value
            .parse()
            .map_err(|_| format!("`{key}`: `{value}` is not a port number (0-65535)"))?;
    }
    Ok((api_port, page_port))
}

#[actix_web::main]
async fn main() -> io::Result<()> {
    env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or("info,actix_server=warn,cors_runtime=debug"),
    )
    .init();
    let (api_port, page_port) = match parse_args() {
        Ok(ports) => ports,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("error: {msg}");
            }
            eprintln!("usage: cargo run -p route-cors-demo -- [--api-port N] [--page-port N]  (0 = any free port)");
            std::process::exit(if msg.is_empty() { 0 } else { 2 });
        }
    };
    let api = TcpListener::bind(("127.0.0.1", api_port))?;
    let page = TcpListener::bind(("127.0.0.1", page_port))?;
    let api_port = api.local_addr()?.port();
    let page_port = page.local_addr()?.port();
    allow_page(page_port).map_err(io::Error::other)?;

    println!("route-cors demo");
    println!("  API:  http://127.0.0.1:{api_port}");
    println!("  page: http://127.0.0.1:{page_port}/   <- open this in a browser");
    let api = api_server(api)?;
    let page = actix_web::rt::spawn(page_server(page, api_port)?);
    api.await?;
    page.await.map_err(io::Error::other)?
}
