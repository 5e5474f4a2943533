//! The per-route middleware: answers preflights, decorates every actual response.

use std::cell::Cell;
use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::HeaderMap;
use actix_web::http::{Method, StatusCode};
use actix_web::{Error, HttpRequest, HttpResponse};
use pin_project_lite::pin_project;

use crate::decorate::decorate;
use crate::explain::{
    log_policy, log_refused_actual, log_rejected_preflight, rejection_body, route_label, Label,
};
use crate::matching::{single_origin, Matched};
use crate::policy::Policy;
use crate::preflight::{self, Asked};
use crate::writes;

/// The response to a preflight: `204` with the policy's headers, or `403`
/// with none, the reason logged at debug level.
pub(crate) fn answer(policy: &Policy, headers: &HeaderMap, route: Label<'_>) -> HttpResponse {
    match preflight::asked(&Method::OPTIONS, headers) {
        Some(asked) => answer_asked(policy, headers, asked, route),
        // Callers answer preflights only; a request that is not one is refused.
        None => HttpResponse::new(StatusCode::FORBIDDEN),
    }
}

fn answer_asked(
    policy: &Policy,
    headers: &HeaderMap,
    asked: Asked<'_>,
    route: Label<'_>,
) -> HttpResponse {
    match preflight::respond(policy, headers, asked) {
        Ok(res) => res,
        Err(rejection) => {
            log_rejected_preflight(policy, headers, &rejection, route);
            match rejection_body(policy, headers, &rejection, route) {
                None => HttpResponse::new(StatusCode::FORBIDDEN),
                Some(reason) => HttpResponse::Forbidden()
                    .content_type("text/plain; charset=utf-8")
                    .body(reason),
            }
        }
    }
}

/// The route's path as the user wrote it, scope prefix included, for log
/// lines; the request's path when no resource matched.
pub(crate) fn full_path(req: &ServiceRequest) -> String {
    req.match_pattern().unwrap_or_else(|| req.path().to_owned())
}

/// The middleware factory the `#[cors]` attribute wraps around a route, outside
/// every middleware of the route's own `wrap = ..`. Generated code only: a
/// route gets it by being annotated.
#[doc(hidden)]
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
#[doc(hidden)]
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
        if let Some(asked) = preflight::asked(req.method(), req.headers()) {
            let res = answer_asked(policy, req.headers(), asked, &|| {
                route_label(policy, &full_path(&req))
            });
            return CorsFuture {
                state: State::Done {
                    res: Some(req.into_response(res).map_into_right_body()),
                },
            };
        }
        // Every response of this request is decorated here: an enclosing
        // `DefaultPolicy` leaves it alone.
        crate::mark::decorated_by_route(req.head());
        let matched = policy.origins.matches(single_origin(req.headers()));
        if matches!(matched, Matched::Denied) {
            if policy.protects_writes && !writes::is_safe(req.method()) {
                if let writes::Site::Cross(why) = writes::site(req.head()) {
                    let res = writes::refuse(req.headers(), why, writes::Trust::Route, || {
                        format!("{} {}", req.method(), full_path(&req))
                    });
                    return CorsFuture {
                        state: State::Done {
                            res: Some(req.into_response(res).map_into_right_body()),
                        },
                    };
                }
                // The page's own origin, or no browser page: nothing is
                // hidden from anyone, so nothing to log.
            } else if log::log_enabled!(log::Level::Debug) {
                log_refused_actual(
                    policy,
                    req.headers(),
                    &route_label(policy, &full_path(&req)),
                );
            }
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
    #[doc(hidden)]
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

/// The middleware the `#[cors(none)]` attribute wraps around a route inside a
/// scope: nothing but the log line saying the route opted out, with its full
/// path, written when the first request names it. Generated code only.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct OptOut {
    methods: &'static [&'static str],
    name: &'static str,
}

impl OptOut {
    /// The opt-out of the route `name` serving `methods`.
    pub const fn new(methods: &'static [&'static str], name: &'static str) -> Self {
        Self { methods, name }
    }
}

impl<S, B> Transform<S, ServiceRequest> for OptOut
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = OptOutMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(OptOutMiddleware {
            service,
            opt_out: *self,
            pending: Cell::new(true),
        }))
    }
}

/// The service built by [`OptOut`].
#[doc(hidden)]
#[derive(Debug)]
pub struct OptOutMiddleware<S> {
    service: S,
    opt_out: OptOut,
    pending: Cell<bool>,
}

impl<S, B> Service<ServiceRequest> for OptOutMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = S::Future;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        if self.pending.replace(false) {
            crate::registry::log_opted_out(
                self.opt_out.methods,
                &full_path(&req),
                self.opt_out.name,
            );
        }
        self.service.call(req)
    }
}
