//! `CorsAware` with many requests in flight at once through one worker's
//! middleware. A slow auth middleware yields a different number of times per
//! request before it answers `401`, fails with `Err`, or passes the request
//! on, so requests are decided in another order than they entered, across
//! origins, methods and routes (a fixed path, a dynamic path, a route without
//! `#[cors]`). Every response must carry exactly the CORS headers of its own
//! request, nothing may panic (actix-web panics when it routes a request whose
//! handle someone else still holds), and no request may be kept alive once
//! every response is gone.

use std::cell::{Cell, RefCell};
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::{from_fn, Next};
use actix_web::{get, post, test, web, App, Error, HttpMessage, HttpRequest, HttpResponse};
use route_cors::{cors, CorsAware};

mod common;
use common::{
    body_of, cors_headers, cors_headers_of, get_req, preflight, set, Headers, PREFLIGHT_VARY,
};

const APP: &str = "https://app.example.com";
const OTHER: &str = "https://other.example.com";
const EVIL: &str = "https://evil.example.net";

// ---------------------------------------------------------------------------
// Bookkeeping, per test thread: requests alive, and requests inside the
// middleware at once.

thread_local! {
    static ALIVE: Cell<usize> = const { Cell::new(0) };
    static IN_MW: Cell<usize> = const { Cell::new(0) };
    static MAX_IN_MW: Cell<usize> = const { Cell::new(0) };
    /// The middleware decided a request while one that entered before it
    /// was still waiting: the interleaving this suite is about.
    static OVERTAKEN: Cell<usize> = const { Cell::new(0) };
    static ENTERED: Cell<usize> = const { Cell::new(0) };
    static WAITING: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// A fresh count for this test (tests may share a thread).
fn reset() {
    for cell in [&ALIVE, &IN_MW, &MAX_IN_MW, &OVERTAKEN, &ENTERED] {
        cell.with(|n| n.set(0));
    }
    WAITING.with(|w| w.borrow_mut().clear());
}

/// Put in each request's extensions by the middleware. actix-web clears a
/// request's extensions when its last handle is dropped, so `ALIVE` counts the
/// requests someone still holds.
struct Alive;

impl Alive {
    fn new() -> Self {
        ALIVE.with(|n| n.set(n.get() + 1));
        Self
    }
}

impl Drop for Alive {
    fn drop(&mut self) {
        ALIVE.with(|n| n.set(n.get() - 1));
    }
}

fn alive() -> usize {
    ALIVE.with(Cell::get)
}

/// Pending once, then ready: lets every other request in flight run.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

async fn yield_times(n: usize) {
    for _ in 0..n {
        YieldOnce(false).await;
    }
}

/// How many times the middleware (and a handler) yields for this request.
fn delay(req: &HttpRequest) -> usize {
    req.headers()
        .get("x-delay")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The request's number in the batch, echoed in every body.
fn tag(req: &HttpRequest) -> String {
    req.headers()
        .get("x-n")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned()
}

/// Auth that takes its time: it yields `x-delay` times, then fails with
/// `Err` (`x-fail`), passes a good bearer token on, or answers `401`.
async fn slow_auth(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    req.extensions_mut().insert(Alive::new());
    let me = ENTERED.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    WAITING.with(|w| w.borrow_mut().push(me));
    IN_MW.with(|n| n.set(n.get() + 1));
    MAX_IN_MW.with(|m| m.set(m.get().max(IN_MW.with(Cell::get))));

    yield_times(delay(req.request())).await;

    IN_MW.with(|n| n.set(n.get() - 1));
    WAITING.with(|w| {
        let mut w = w.borrow_mut();
        if w.iter().any(|&other| other < me) {
            OVERTAKEN.with(|n| n.set(n.get() + 1));
        }
        w.retain(|&other| other != me);
    });

    if req.headers().contains_key("x-fail") {
        return Err(actix_web::error::ErrorTooManyRequests("slow down"));
    }
    if req.headers().get("authorization").map(|v| v.as_bytes()) == Some(b"Bearer good") {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let body = format!("missing token {}", tag(req.request()));
    let res = HttpResponse::Unauthorized()
        .insert_header(("www-authenticate", "Bearer"))
        .body(body);
    Ok(req.into_response(res).map_into_right_body())
}

// ---------------------------------------------------------------------------
// The routes: two methods on one path with different policies, a dynamic
// path with another allow-list, and a route without `#[cors]`. The handlers
// take their time too, so passed-on requests wait while others are decided.

#[cors(origins = ["https://app.example.com"], headers = ["authorization"], credentials)]
#[get("/stats")]
async fn stats(req: HttpRequest) -> HttpResponse {
    yield_times(delay(&req) % 3).await;
    HttpResponse::Ok().body(format!("stats {}", tag(&req)))
}

#[cors(origins = "*", headers = ["authorization"], expose = ["x-total"])]
#[post("/stats")]
async fn post_stats(req: HttpRequest) -> HttpResponse {
    yield_times(delay(&req) % 3).await;
    HttpResponse::Created().body(format!("posted {}", tag(&req)))
}

#[cors(origins = ["https://app.example.com", "https://other.example.com"], expose = ["x-id"])]
#[get("/items/{id}")]
async fn item(req: HttpRequest, id: web::Path<u32>) -> HttpResponse {
    yield_times(delay(&req) % 3).await;
    HttpResponse::Ok().body(format!("item {id} {}", tag(&req)))
}

async fn plain(req: HttpRequest) -> HttpResponse {
    yield_times(delay(&req) % 3).await;
    HttpResponse::Ok().body(format!("plain {}", tag(&req)))
}

macro_rules! app {
    () => {
        App::new().service(
            web::scope("/c")
                .wrap(CorsAware::new(from_fn(slow_auth)))
                .service(stats)
                .service(post_stats)
                .service(item)
                .service(web::resource("/plain").to(plain)),
        )
    };
}

// ---------------------------------------------------------------------------
// The batch: each kind of request with what it deserves.

/// A request and what it deserves; `{n}` in the body stands for the
/// request's number in the batch.
struct Kind {
    req: fn() -> test::TestRequest,
    status: StatusCode,
    headers: fn() -> Headers,
    body: &'static str,
}

fn stats_allowed() -> Headers {
    set(&[
        ("access-control-allow-origin", APP),
        ("access-control-allow-credentials", "true"),
        ("vary", "Origin"),
    ])
}

fn any_origin() -> Headers {
    set(&[
        ("access-control-allow-origin", "*"),
        ("access-control-expose-headers", "x-total"),
    ])
}

fn item_for(origin: &'static str) -> Headers {
    set(&[
        ("access-control-allow-origin", origin),
        ("access-control-expose-headers", "x-id"),
        ("vary", "Origin"),
    ])
}

fn vary_only() -> Headers {
    set(&[("vary", "Origin")])
}

fn none() -> Headers {
    set(&[])
}

fn post(origin: &str, token: Option<&str>) -> test::TestRequest {
    let mut req = test::TestRequest::post()
        .uri("/c/stats")
        .insert_header(("origin", origin));
    if let Some(token) = token {
        req = req.insert_header(("authorization", format!("Bearer {token}")));
    }
    req
}

fn kinds() -> Vec<Kind> {
    use StatusCode as S;
    vec![
        // The middleware answers: the route's policy, for the request's origin.
        Kind {
            req: || get_req("/c/stats", Some(APP), None),
            status: S::UNAUTHORIZED,
            headers: stats_allowed,
            body: "missing token {n}",
        },
        Kind {
            req: || get_req("/c/stats", Some(EVIL), Some("bad")),
            status: S::UNAUTHORIZED,
            headers: vary_only,
            body: "missing token {n}",
        },
        // Without `Origin`: what the route itself sends without one.
        Kind {
            req: || get_req("/c/stats", None, None),
            status: S::UNAUTHORIZED,
            headers: vary_only,
            body: "missing token {n}",
        },
        Kind {
            req: || post(EVIL, None),
            status: S::UNAUTHORIZED,
            headers: any_origin,
            body: "missing token {n}",
        },
        Kind {
            req: || get_req("/c/items/7", Some(OTHER), None),
            status: S::UNAUTHORIZED,
            headers: || item_for(OTHER),
            body: "missing token {n}",
        },
        Kind {
            req: || get_req("/c/items/8", Some(EVIL), None),
            status: S::UNAUTHORIZED,
            headers: vary_only,
            body: "missing token {n}",
        },
        Kind {
            req: || get_req("/c/plain", Some(APP), None),
            status: S::UNAUTHORIZED,
            headers: none,
            body: "missing token {n}",
        },
        // The middleware fails with `Err`: rendered, with the route's policy.
        Kind {
            req: || get_req("/c/stats", Some(APP), Some("good")).insert_header(("x-fail", "1")),
            status: S::TOO_MANY_REQUESTS,
            headers: stats_allowed,
            body: "slow down",
        },
        Kind {
            req: || get_req("/c/items/9", Some(OTHER), None).insert_header(("x-fail", "1")),
            status: S::TOO_MANY_REQUESTS,
            headers: || item_for(OTHER),
            body: "slow down",
        },
        // An `Err` for a route without `#[cors]` stays an `Err`, undecorated.
        Kind {
            req: || get_req("/c/plain", Some(APP), None).insert_header(("x-fail", "1")),
            status: S::TOO_MANY_REQUESTS,
            headers: none,
            body: "slow down",
        },
        // Passed on: the route decorates its response, once.
        Kind {
            req: || get_req("/c/stats", Some(APP), Some("good")),
            status: S::OK,
            headers: stats_allowed,
            body: "stats {n}",
        },
        Kind {
            req: || get_req("/c/stats", Some(EVIL), Some("good")),
            status: S::OK,
            headers: vary_only,
            body: "stats {n}",
        },
        Kind {
            req: || post(APP, Some("good")),
            status: S::CREATED,
            headers: any_origin,
            body: "posted {n}",
        },
        Kind {
            req: || get_req("/c/items/3", Some(APP), Some("good")),
            status: S::OK,
            headers: || item_for(APP),
            body: "item 3 {n}",
        },
        Kind {
            req: || get_req("/c/plain", Some(OTHER), Some("good")),
            status: S::OK,
            headers: none,
            body: "plain {n}",
        },
        // Preflights: an annotated route's is answered from its policy, without
        // the middleware; another service's goes through the middleware.
        Kind {
            req: || {
                preflight("/c/stats", APP, "GET")
                    .insert_header(("access-control-request-headers", "authorization"))
            },
            status: S::NO_CONTENT,
            headers: || {
                set(&[
                    ("access-control-allow-origin", APP),
                    ("access-control-allow-credentials", "true"),
                    ("access-control-allow-methods", "GET"),
                    ("access-control-allow-headers", "authorization"),
                    PREFLIGHT_VARY,
                ])
            },
            body: "",
        },
        Kind {
            req: || preflight("/c/items/1", EVIL, "GET"),
            status: S::FORBIDDEN,
            headers: none,
            body: "",
        },
        Kind {
            req: || preflight("/c/plain", APP, "GET"),
            status: S::UNAUTHORIZED,
            headers: none,
            body: "missing token {n}",
        },
    ]
}

/// Polls every future in turn, in a fixed order, until all are done.
async fn all_at_once<F: Future>(futs: Vec<F>) -> Vec<F::Output> {
    let mut futs: Vec<Pin<Box<F>>> = futs.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = futs.iter().map(|_| None).collect();
    poll_fn(|cx| {
        for (fut, slot) in futs.iter_mut().zip(out.iter_mut()) {
            if slot.is_none() {
                if let Poll::Ready(v) = fut.as_mut().poll(cx) {
                    *slot = Some(v);
                }
            }
        }
        if out.iter().all(Option::is_some) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    out.into_iter().flatten().collect()
}

/// Status, CORS headers and body, of a response or of a rendered `Err`.
async fn outcome_of<B: MessageBody>(
    res: Result<ServiceResponse<B>, Error>,
) -> (StatusCode, Headers, String) {
    match res {
        Ok(res) => {
            let status = res.status();
            let headers = cors_headers(&res);
            (status, headers, body_of(res).await)
        }
        Err(err) => {
            let res = err.error_response();
            let (status, headers) = (res.status(), cors_headers_of(res.headers()));
            let body = actix_web::body::to_bytes(res.into_body()).await.ok();
            let body = String::from_utf8(body.expect("body").to_vec()).expect("utf-8 body");
            (status, headers, body)
        }
    }
}

#[actix_web::test]
async fn interleaved_requests_each_get_their_own_headers_and_nothing_is_held() {
    reset();
    let app = test::init_service(app!()).await;
    let kinds = kinds();
    // Three rounds of every kind; the delays make requests leave the
    // middleware in another order than they entered it.
    let batch: Vec<(usize, &Kind, usize)> = (0..3 * kinds.len())
        .map(|n| (n, &kinds[n % kinds.len()], (n * 5 + n / kinds.len()) % 7))
        .collect();
    let futs = batch.iter().map(|(n, kind, delay)| {
        let req = (kind.req)()
            .insert_header(("x-n", n.to_string()))
            .insert_header(("x-delay", delay.to_string()))
            .to_request();
        app.call(req)
    });
    let results = all_at_once(futs.collect()).await;
    assert_eq!(results.len(), batch.len());
    for ((n, kind, delay), res) in batch.iter().zip(results) {
        assert_eq!(
            outcome_of(res).await,
            (
                kind.status,
                (kind.headers)(),
                kind.body.replace("{n}", &n.to_string())
            ),
            "request {n} (delay {delay})"
        );
    }
    // The batch did interleave: most requests were in the middleware together,
    // and many were decided before one that entered earlier.
    let entered = ENTERED.with(Cell::get);
    assert_eq!(entered, 3 * (kinds.len() - 2), "preflights answered early");
    assert!(MAX_IN_MW.with(Cell::get) >= entered / 2);
    assert!(OVERTAKEN.with(Cell::get) >= entered / 3);
    // Every request was let go of.
    assert_eq!(alive(), 0);
    // The worker still serves.
    let res = test::call_service(
        &app,
        get_req("/c/items/5", Some(APP), Some("good"))
            .insert_header(("x-n", "last"))
            .to_request(),
    )
    .await;
    assert_eq!(
        outcome_of(Ok(res)).await,
        (StatusCode::OK, item_for(APP), "item 5 last".to_owned())
    );
    assert_eq!(alive(), 0);
}

#[actix_web::test]
async fn requests_dropped_in_flight_are_let_go_of() {
    reset();
    let app = test::init_service(app!()).await;
    // Started together, each polled until it waits in the middleware or the
    // handler, then dropped (the clients went away).
    let futs: Vec<_> = [
        get_req("/c/stats", Some(APP), None),
        get_req("/c/stats", Some(APP), Some("good")),
        get_req("/c/items/2", Some(OTHER), None),
        get_req("/c/plain", Some(APP), Some("good")),
        get_req("/c/stats", None, None),
    ]
    .into_iter()
    .map(|req| app.call(req.insert_header(("x-delay", "5")).to_request()))
    .map(Box::pin)
    .collect();
    let mut futs = futs;
    let mut polled = 0;
    poll_fn(|cx| {
        for fut in &mut futs {
            assert!(fut.as_mut().poll(cx).is_pending());
        }
        polled += 1;
        if polled == 3 {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    assert_eq!(alive(), 5);
    drop(futs);
    assert_eq!(alive(), 0);
    // The worker still serves, and its answers are right.
    let res = test::call_service(&app, get_req("/c/stats", Some(APP), None).to_request()).await;
    assert_eq!(
        outcome_of(Ok(res)).await,
        (
            StatusCode::UNAUTHORIZED,
            stats_allowed(),
            "missing token -".to_owned()
        )
    );
    assert_eq!(alive(), 0);
}
