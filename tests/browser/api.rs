//! The API the browser tests call: one annotated route per policy under test.
//!
//! The page's origin has an OS-chosen port, so the routes that allow it take
//! their origins from `static OriginSet`s filled at startup.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::ErrorUnauthorized;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::{from_fn, Next};
use actix_web::{delete, get, patch, post, put, web, Error, HttpRequest, HttpResponse};
use route_cors::{cors, policy, CorsAware, CredentialedOriginSet, DefaultPolicy, OriginSet};

/// The test page's origin, `http://127.0.0.1:PORT`.
pub static PAGE: CredentialedOriginSet = CredentialedOriginSet::new("BROWSER_TEST_PAGE");
/// `http://localhost:PORT`, the other page origin: same-site with the API
/// (`http://localhost:API_PORT`), for the cookie routes.
pub static OTHER: CredentialedOriginSet = CredentialedOriginSet::new("BROWSER_TEST_OTHER");
/// `http://*.localhost:PORT`, with the page server's port.
pub static SUBDOMAINS: OriginSet = OriginSet::new("BROWSER_TEST_SUBDOMAINS");

/// Replaced by the page itself, through `/replace-origins/{to}`: starts
/// without the page's origin.
pub static REPLACEABLE: OriginSet = OriginSet::new("BROWSER_TEST_REPLACEABLE");
/// What `REPLACEABLE` holds when it does not hold the caller.
pub const NOBODY: &str = "https://nobody.example";

/// Registers every route of the API.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(simple)
        .service(elsewhere)
        .service(any)
        .service(json)
        .service(login)
        .service(whoami)
        .service(item_put)
        .service(item_delete)
        .service(item_patch)
        .service(custom)
        .service(any_header)
        .service(status)
        .service(guarded)
        .service(expose)
        .service(max_age_600)
        .service(max_age_0)
        .service(max_age_none)
        .service(shared_get)
        .service(shared_post)
        .service(shared_delete)
        .service(sub_get)
        .service(sub_put)
        .service(cached)
        .service(redirect)
        .service(handler_sets_cors)
        .service(cred_cache)
        .service(secure_login)
        .service(secure_whoami)
        .service(label)
        .service(any_port)
        .service(timed)
        .service(untimed)
        .service(replace_origins)
        .service(replaceable)
        .service(writes_transfer)
        .service(writes_json)
        .service(
            web::scope("/admin")
                .wrap(CorsAware::new(from_fn(scope_auth)))
                .service(admin_stats),
        )
        .service(
            web::scope("/api")
                .wrap(DefaultPolicy::new(&API_DEFAULT))
                .service(default_order)
                .service(default_public),
        )
        .service(web::resource("/bad/{kind}").to(bad))
        .service(web::resource("/cached-control").get(cached_control))
        .service(
            web::resource("/star-headers-control")
                .route(web::method(actix_web::http::Method::OPTIONS).to(star_headers_control))
                .get(star_headers_control),
        );
}

/// Handler runs of the write routes, by case key: what proves, on the
/// server, that a refused write never reached its handler.
static RUNS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// How many times a write route's handler ran for `case`.
pub fn handler_runs(case: &str) -> usize {
    RUNS.lock()
        .map(|r| r.iter().filter(|c| *c == case).count())
        .unwrap_or(0)
}

/// A state-changing route: its policy lists only the other page's origin
/// (`http://localhost:PAGE`, same-site with the API), so the main page
/// (`http://127.0.0.1:PAGE`, cross-site) is the attacker.
#[cors(origins = OTHER, credentials)]
#[post("/writes/transfer")]
async fn writes_transfer(req: HttpRequest) -> HttpResponse {
    counted(&req, "transferred")
}

/// The same with a JSON body, which the browser preflights.
#[cors(origins = OTHER, headers = ["content-type"], credentials)]
#[post("/writes/json")]
async fn writes_json(req: HttpRequest) -> HttpResponse {
    counted(&req, "stored")
}

/// Counts a handler run for the request's case, and answers `body`.
fn counted(req: &HttpRequest, body: &'static str) -> HttpResponse {
    if let Ok(mut runs) = RUNS.lock() {
        runs.push(case(req).to_owned());
    }
    HttpResponse::Ok().body(body)
}

fn case(req: &HttpRequest) -> &str {
    req.query_string()
        .split('&')
        .find_map(|kv| kv.strip_prefix("case="))
        .unwrap_or("")
}

fn header_text(req: &HttpRequest, name: header::HeaderName) -> String {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("(none)")
        .to_owned()
}

/// Scope auth, made CORS-aware: the preflight passes it by, and its own
/// `401` carries the route's policy.
async fn scope_auth(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req
        .headers()
        .get(header::AUTHORIZATION)
        .is_some_and(|v| v == "Bearer good")
    {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let res = HttpResponse::Unauthorized().body("missing token");
    Ok(req.into_response(res).map_into_right_body())
}

#[cors(origins = PAGE, headers = ["authorization"], credentials)]
#[get("/stats")]
async fn admin_stats() -> HttpResponse {
    HttpResponse::Ok().body("stats")
}

policy!(API_DEFAULT, origins = PAGE, expose = ["x-total"]);

/// No `#[cors]`: the scope's default policy applies, to its 404 too.
#[get("/orders/{id}")]
async fn default_order(id: web::Path<u32>) -> HttpResponse {
    match id.into_inner() {
        1 => HttpResponse::Ok()
            .insert_header(("x-total", "1"))
            .body("order 1"),
        id => HttpResponse::NotFound().body(format!("no order {id}")),
    }
}

/// Its own policy wins over the scope's default.
#[cors(origins = "*")]
#[get("/public")]
async fn default_public() -> HttpResponse {
    HttpResponse::Ok().body("public")
}

#[cors(origins = PAGE)]
#[get("/simple")]
async fn simple() -> HttpResponse {
    HttpResponse::Ok().body("simple")
}

#[cors(origins = ["https://elsewhere.example"])]
#[get("/elsewhere")]
async fn elsewhere() -> HttpResponse {
    HttpResponse::Ok().body("elsewhere")
}

#[cors(origins = "*", expose = ["x-any"])]
#[get("/any")]
async fn any() -> HttpResponse {
    HttpResponse::Ok().insert_header(("x-any", "1")).body("any")
}

#[cors(origins = PAGE, headers = ["content-type"])]
#[post("/json")]
async fn json(body: web::Json<serde_json::Value>) -> HttpResponse {
    HttpResponse::Ok().json(body.into_inner())
}

#[cors(origins = OTHER, credentials)]
#[post("/login")]
async fn login(req: HttpRequest) -> HttpResponse {
    let cookie = format!("sid_{}=yes; Path=/; SameSite=Lax; HttpOnly", case(&req));
    HttpResponse::Ok()
        .insert_header((header::SET_COOKIE, cookie))
        .body("logged in")
}

#[cors(origins = OTHER, credentials)]
#[put("/whoami")]
async fn whoami(req: HttpRequest) -> HttpResponse {
    HttpResponse::Ok().body(format!("cookie: {}", header_text(&req, header::COOKIE)))
}

#[cors(origins = PAGE)]
#[put("/item")]
async fn item_put() -> HttpResponse {
    HttpResponse::Ok().body("put")
}

#[cors(origins = PAGE)]
#[delete("/item")]
async fn item_delete() -> HttpResponse {
    HttpResponse::Ok().body("deleted")
}

#[cors(origins = PAGE)]
#[patch("/item")]
async fn item_patch() -> HttpResponse {
    HttpResponse::Ok().body("patched")
}

#[cors(origins = PAGE, headers = ["x-allowed"])]
#[get("/custom")]
async fn custom(req: HttpRequest) -> HttpResponse {
    HttpResponse::Ok().body(format!(
        "x-allowed: {}",
        header_text(&req, header::HeaderName::from_static("x-allowed"))
    ))
}

#[cors(origins = PAGE, headers = "*")]
#[get("/any-header")]
async fn any_header(req: HttpRequest) -> HttpResponse {
    HttpResponse::Ok().body(format!(
        "authorization: {}",
        header_text(&req, header::AUTHORIZATION)
    ))
}

#[cors(origins = PAGE)]
#[get("/status/{code}")]
async fn status(code: web::Path<u16>) -> HttpResponse {
    let code = StatusCode::from_u16(code.into_inner()).unwrap_or(StatusCode::BAD_REQUEST);
    HttpResponse::build(code).body(format!("status {}", code.as_u16()))
}

/// An inner middleware of `/guarded`: refuses requests without the right token
/// by returning an error, which the CORS layer must still decorate.
async fn require_token(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.headers().get(header::AUTHORIZATION) == Some(&HeaderValue::from_static("Bearer good")) {
        next.call(req).await
    } else {
        Err(ErrorUnauthorized("bad token"))
    }
}

#[cors(origins = PAGE, headers = ["authorization"])]
#[get("/guarded", wrap = "from_fn(require_token)")]
async fn guarded() -> HttpResponse {
    HttpResponse::Ok().body("secret")
}

#[cors(origins = PAGE, expose = ["x-exposed"])]
#[get("/expose")]
async fn expose() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("x-exposed", "shown"))
        .insert_header(("x-hidden", "secret"))
        .body("expose")
}

#[cors(origins = PAGE, headers = ["x-probe"], max_age = 600)]
#[get("/max-age-600")]
async fn max_age_600() -> HttpResponse {
    HttpResponse::Ok().body("600")
}

#[cors(origins = PAGE, headers = ["x-probe"], max_age = 0)]
#[get("/max-age-0")]
async fn max_age_0() -> HttpResponse {
    HttpResponse::Ok().body("0")
}

#[cors(origins = PAGE, headers = ["x-probe"])]
#[get("/max-age-none")]
async fn max_age_none() -> HttpResponse {
    HttpResponse::Ok().body("none")
}

#[cors(origins = "*")]
#[get("/shared")]
async fn shared_get() -> HttpResponse {
    HttpResponse::Ok().body("shared get")
}

#[cors(origins = PAGE, headers = ["content-type"])]
#[post("/shared")]
async fn shared_post(body: web::Json<serde_json::Value>) -> HttpResponse {
    HttpResponse::Created().json(body.into_inner())
}

#[cors(origins = ["https://admin.example"])]
#[delete("/shared")]
async fn shared_delete() -> HttpResponse {
    HttpResponse::Ok().body("shared deleted")
}

#[cors(origins = SUBDOMAINS)]
#[get("/sub")]
async fn sub_get() -> HttpResponse {
    HttpResponse::Ok().body("sub get")
}

#[cors(origins = SUBDOMAINS)]
#[put("/sub")]
async fn sub_put() -> HttpResponse {
    HttpResponse::Ok().body("sub put")
}

/// Cacheable for ten minutes; route-cors adds `Vary: Origin`.
#[cors(origins = PAGE)]
#[get("/cached")]
async fn cached(req: HttpRequest) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "max-age=600"))
        .body(format!(
            "cached, origin: {}",
            header_text(&req, header::ORIGIN)
        ))
}

/// The control for `/cached`: the same cacheable answer with a hand-made
/// `Access-Control-Allow-Origin` and no `Vary: Origin`, as a handler that
/// does CORS by hand might send. Not a route-cors route.
async fn cached_control(req: HttpRequest) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    res.insert_header((header::CACHE_CONTROL, "max-age=600"));
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        res.insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone()));
    }
    res.body(format!(
        "cached-control, origin: {}",
        header_text(&req, header::ORIGIN)
    ))
}

/// A redirect to `/simple` on the same API: the 307 itself must carry the
/// CORS headers, or the browser will not follow it.
#[cors(origins = PAGE)]
#[get("/redirect")]
async fn redirect(req: HttpRequest) -> HttpResponse {
    HttpResponse::TemporaryRedirect()
        .insert_header((header::LOCATION, format!("/simple?case={}", case(&req))))
        .finish()
}

/// A handler that sets CORS headers of its own, wrong ones: route-cors must
/// replace them, so the browser sees exactly one, correct, set.
#[cors(origins = PAGE)]
#[get("/handler-sets-cors")]
async fn handler_sets_cors() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "https://wrong.example"))
        .append_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .insert_header((header::ACCESS_CONTROL_EXPOSE_HEADERS, "x-secret"))
        .insert_header(("x-secret", "leaked"))
        .body("handler headers")
}

/// The control for the any-header route: a hand-made answer with
/// `Access-Control-Allow-Headers: *` even for `Authorization`, which the
/// spec (and Chromium with `CorsNonWildcardRequestHeadersSupport`) refuses.
/// Not a route-cors route.
async fn star_headers_control(req: HttpRequest) -> HttpResponse {
    let mut res = HttpResponse::NoContent();
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        res.insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone()));
    }
    res.insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, "GET"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, "*"))
        .finish()
}

/// Credentialed, cached for ten minutes: for the preflight cache's
/// credentials key.
#[cors(origins = PAGE, credentials, max_age = 600)]
#[put("/cred-cache")]
async fn cred_cache() -> HttpResponse {
    HttpResponse::Ok().body("cred-cache")
}

/// Answers route-cors never sends, built by hand (`/bad/{kind}`, every
/// method): they prove the checks of `route_cors::test` and of the browsers.
/// An OPTIONS request gets the kind's preflight answer.
async fn bad(req: HttpRequest, kind: web::Path<String>) -> HttpResponse {
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .unwrap_or("null")
        .to_owned();
    let preflight = req.method() == Method::OPTIONS;
    let kind = kind.into_inner();
    let mut res = match (kind.as_str(), preflight) {
        ("pf-redirect", true) => HttpResponse::TemporaryRedirect(),
        ("pf-500", true) => HttpResponse::InternalServerError(),
        (_, true) => HttpResponse::NoContent(),
        _ => HttpResponse::Ok(),
    };
    let acao = header::ACCESS_CONTROL_ALLOW_ORIGIN;
    let acac = header::ACCESS_CONTROL_ALLOW_CREDENTIALS;
    let acam = header::ACCESS_CONTROL_ALLOW_METHODS;
    match kind.as_str() {
        "two-acao" => {
            res.append_header((acao.clone(), origin.clone()))
                .append_header((acao, origin));
        }
        "acac-capital" => {
            res.insert_header((acao, origin))
                .insert_header((acac, "True"));
        }
        "star-credentials" => {
            res.insert_header((acao, "*")).insert_header((acac, "true"));
        }
        "trailing-slash" => {
            res.insert_header((acao, format!("{origin}/")));
        }
        "pf-star-methods" => {
            res.insert_header((acao, origin))
                .insert_header((acac, "true"));
            if preflight {
                res.insert_header((acam, "*"));
            }
        }
        "pf-bad-token" => {
            res.insert_header((acao, origin));
            if preflight {
                res.insert_header((acam, "GET"))
                    .insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, "x-a, x b"));
            }
        }
        "pf-redirect" | "pf-500" => {
            res.insert_header((acao, origin));
            if preflight {
                res.insert_header((acam, "PUT"));
                if kind == "pf-redirect" {
                    res.insert_header((header::LOCATION, "/simple"));
                }
            }
        }
        _ => {}
    }
    if preflight {
        res.finish()
    } else {
        res.body(format!("bad {kind}"))
    }
}

/// Sets a `Secure` cookie over plain http, on `/secure` only.
#[cors(origins = OTHER, credentials)]
#[post("/secure/login")]
async fn secure_login(req: HttpRequest) -> HttpResponse {
    let cookie = format!(
        "sec_{}=yes; Path=/secure; SameSite=Lax; Secure; HttpOnly",
        case(&req)
    );
    HttpResponse::Ok()
        .insert_header((header::SET_COOKIE, cookie))
        .body("logged in")
}

#[cors(origins = OTHER, credentials)]
#[put("/secure/whoami")]
async fn secure_whoami(req: HttpRequest) -> HttpResponse {
    HttpResponse::Ok().body(format!("cookie: {}", header_text(&req, header::COOKIE)))
}

#[cors(origins = ["http://pr-*.localhost:*"])]
#[get("/label")]
async fn label() -> HttpResponse {
    HttpResponse::Ok().body("label get")
}

#[cors(origins = ["http://127.0.0.1:*"])]
#[get("/any-port")]
async fn any_port() -> HttpResponse {
    HttpResponse::Ok().body("any port")
}

#[cors(origins = PAGE, timing)]
#[get("/timed")]
async fn timed() -> HttpResponse {
    HttpResponse::Ok().body("timed")
}

#[cors(origins = PAGE)]
#[get("/untimed")]
async fn untimed() -> HttpResponse {
    HttpResponse::Ok().body("untimed")
}

/// Replaces `REPLACEABLE` with the caller's origin (`caller`) or with
/// [`NOBODY`] (`nobody`), as an admin endpoint of a running server would.
#[cors(origins = PAGE)]
#[post("/replace-origins/{to}")]
async fn replace_origins(req: HttpRequest, to: web::Path<String>) -> HttpResponse {
    let to = to.into_inner();
    let origins = match to.as_str() {
        "caller" => header_text(&req, header::ORIGIN),
        "nobody" => NOBODY.to_owned(),
        _ => return HttpResponse::NotFound().body("no such set"),
    };
    match REPLACEABLE.replace([origins]) {
        Ok(()) => HttpResponse::Ok().body(format!("now: {to}")),
        Err(e) => HttpResponse::BadRequest().body(e.to_string()),
    }
}

#[cors(origins = REPLACEABLE)]
#[get("/replaceable")]
async fn replaceable() -> HttpResponse {
    HttpResponse::Ok().body("replaceable")
}
