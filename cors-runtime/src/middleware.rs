//! The per-route middleware: answers preflights, decorates every actual response.

use std::cell::Cell;
use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{
    HeaderMap, HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, VARY,
};
use actix_web::{Error, HttpRequest};
use pin_project_lite::pin_project;

use crate::explain::log_policy;
use crate::origins::{single_origin, Matched};
use crate::policy::Policy;
use crate::preflight::{self, ANY, TRUE};

static VARY_ORIGIN: HeaderValue = HeaderValue::from_static("Origin");

/// The middleware factory the `#[cors]` attribute wraps around a route, outside
/// every middleware of the route's own `wrap = ..`.
///
/// It can also be used by hand with a `static` [`Policy`]:
///
/// ```
/// use actix_web::{web, App, HttpResponse};
/// use actix_web::http::header::HeaderValue;
/// use cors_runtime::{AllowHeaders, AllowOrigin, Cors, Policy};
///
/// static POLICY: Policy = Policy {
///     route: "GET /public",
///     origins: AllowOrigin::Any,
///     credentials: false,
///     methods: &["GET"],
///     allow_methods: HeaderValue::from_static("GET"),
///     headers: AllowHeaders::None,
///     expose: None,
///     max_age: None,
///     private_network: false,
/// };
///
/// let app = App::new().service(
///     web::resource("/public")
///         .wrap(Cors::new(&POLICY))
///         .to(|| async { HttpResponse::Ok().finish() }),
/// );
/// # drop(app);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Cors {
    policy: &'static Policy,
    scoped: bool,
}

impl Cors {
    /// A middleware applying `policy`.
    pub const fn new(policy: &'static Policy) -> Self {
        Self {
            policy,
            scoped: false,
        }
    }

    /// Whether the route registers inside a `Scope`. Its full path is then
    /// only known once actix-web routes a request to it, so its policy
    /// summary is logged then, instead of at startup.
    #[doc(hidden)]
    #[must_use]
    pub const fn in_scope(mut self, scoped: bool) -> Self {
        self.scoped = scoped;
        self
    }
}

impl<S, B> Transform<S, ServiceRequest> for Cors
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = CorsMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        crate::registry::registration_done();
        if !self.scoped {
            log_policy(self.policy, || None);
        }
        ready(Ok(CorsMiddleware {
            service,
            policy: self.policy,
            summary_pending: Cell::new(self.scoped),
        }))
    }
}

/// The service built by [`Cors`].
#[derive(Debug)]
pub struct CorsMiddleware<S> {
    service: S,
    policy: &'static Policy,
    /// The policy summary waits for the first request, which names the full
    /// path of a route inside a scope.
    summary_pending: Cell<bool>,
}

impl<S, B> Service<ServiceRequest> for CorsMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = CorsFuture<S::Future, B>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let policy = self.policy;
        if self.summary_pending.get() {
            self.summary_pending.set(false);
            log_policy(policy, || req.match_pattern());
        }
        if preflight::is_preflight(req.method(), req.headers()) {
            let res = preflight::answer(policy, req.headers());
            return CorsFuture {
                state: State::Done {
                    res: Some(req.into_response(res).map_into_right_body()),
                },
            };
        }
        let matched = policy.origins.matches(single_origin(req.headers()));
        if matches!(matched, Matched::Denied) && log::log_enabled!(log::Level::Debug) {
            preflight::log_refused_actual(policy, req.headers());
        }
        let http_req = req.request().clone();
        CorsFuture {
            state: State::Inner {
                fut: self.service.call(req),
                policy,
                matched: Some(matched),
                req: Some(http_req),
            },
        }
    }
}

pin_project! {
    /// The response future of [`CorsMiddleware`]. Unboxed: its size is the
    /// route's future plus a few words.
    pub struct CorsFuture<F, B> {
        #[pin]
        state: State<F, B>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<F, B> {
        // A preflight, answered without calling the route.
        Done { res: Option<ServiceResponse<EitherBody<B>>> },
        // An actual request, waiting for the route.
        Inner {
            #[pin]
            fut: F,
            policy: &'static Policy,
            matched: Option<Matched>,
            // The request, to turn an inner middleware's error into a response.
            req: Option<HttpRequest>,
        },
    }
}

impl<F, B> Future for CorsFuture<F, B>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
    B: MessageBody,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProj::Done { res } => match res.take() {
                Some(res) => Poll::Ready(Ok(res)),
                None => Poll::Pending,
            },
            StateProj::Inner {
                fut,
                policy,
                matched,
                req,
            } => {
                let out = match fut.poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(out) => out,
                };
                let matched = matched.take().unwrap_or(Matched::Denied);
                let mut res = match out {
                    Ok(res) => res.map_into_left_body(),
                    // An inner middleware's error: turn it into its response now, so it
                    // carries the route's CORS headers like any other response.
                    Err(err) => match req.take() {
                        Some(req) => ServiceResponse::from_err(err, req).map_into_right_body(),
                        None => return Poll::Ready(Err(err)),
                    },
                };
                decorate(policy, matched, res.headers_mut());
                Poll::Ready(Ok(res))
            }
        }
    }
}

/// Puts the policy's headers on an actual response, replacing any the handler set.
pub(crate) fn decorate(policy: &Policy, matched: Matched, headers: &mut HeaderMap) {
    // Handlers rarely set these headers themselves. One pass over the names
    // tells; then plain appends do, where `insert` and `remove` would each look
    // the name up and build the replaced values (measurable on this path).
    let (has_cors, has_vary) = present(headers);
    if has_cors {
        headers.remove(ACCESS_CONTROL_ALLOW_ORIGIN);
        headers.remove(ACCESS_CONTROL_ALLOW_CREDENTIALS);
        headers.remove(ACCESS_CONTROL_EXPOSE_HEADERS);
    }
    match matched {
        Matched::Any => {
            headers.append(ACCESS_CONTROL_ALLOW_ORIGIN, ANY.clone());
            if let Some(v) = &policy.expose {
                headers.append(ACCESS_CONTROL_EXPOSE_HEADERS, v.clone());
            }
        }
        Matched::Echo(origin) => {
            headers.append(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            if policy.credentials {
                headers.append(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE.clone());
            }
            if let Some(v) = &policy.expose {
                headers.append(ACCESS_CONTROL_EXPOSE_HEADERS, v.clone());
            }
            vary_origin(headers, has_vary);
        }
        Matched::Denied => {
            if policy.origins.varies() {
                vary_origin(headers, has_vary);
            }
        }
    }
}

/// Whether `headers` has any of the CORS headers `decorate` writes, and whether
/// it has a `Vary`.
fn present(headers: &HeaderMap) -> (bool, bool) {
    let (mut cors, mut vary) = (false, false);
    for name in headers.keys() {
        if name == VARY {
            vary = true;
        } else if name == ACCESS_CONTROL_ALLOW_ORIGIN
            || name == ACCESS_CONTROL_ALLOW_CREDENTIALS
            || name == ACCESS_CONTROL_EXPOSE_HEADERS
        {
            cors = true;
        }
    }
    (cors, vary)
}

/// Makes `Vary` cover `Origin`.
fn vary_origin(headers: &mut HeaderMap, has_vary: bool) {
    if has_vary {
        merge_vary(headers);
    } else {
        headers.append(VARY, VARY_ORIGIN.clone());
    }
}

/// Whether some `Vary` line names `Origin` or is `*`.
pub(crate) fn vary_covers_origin(headers: &HeaderMap) -> bool {
    headers.get_all(VARY).any(|v| {
        v.as_bytes().split(|&b| b == b',').any(|item| {
            let item = item.trim_ascii();
            item == b"*" || item.eq_ignore_ascii_case(b"origin")
        })
    })
}

/// Adds `Origin` to `Vary`, keeping what is there; one line either way.
fn merge_vary(headers: &mut HeaderMap) {
    let mut existing = headers.get_all(VARY).peekable();
    if existing.peek().is_none() {
        headers.append(VARY, VARY_ORIGIN.clone());
        return;
    }
    if vary_covers_origin(headers) {
        return;
    }
    let mut joined = Vec::new();
    for v in headers.get_all(VARY) {
        let item = v.as_bytes().trim_ascii();
        if !item.is_empty() {
            joined.extend_from_slice(item);
            joined.extend_from_slice(b", ");
        }
    }
    joined.extend_from_slice(b"Origin");
    if let Ok(v) = HeaderValue::from_bytes(&joined) {
        headers.insert(VARY, v);
    }
}
