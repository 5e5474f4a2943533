//! One policy for the routes of a scope or of the whole app that have no
//! `#[cors]` of their own.

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{HeaderValue, ACCESS_CONTROL_REQUEST_METHOD};
use actix_web::http::StatusCode;
use actix_web::{Error, HttpRequest};
use pin_project_lite::pin_project;

use crate::decorate::decorate;
use crate::mark::Entry;
use crate::matching::{single_origin, Matched};
use crate::middleware::answer;
use crate::named::{NamedPolicy, Overrides};
use crate::policy::Policy;
use crate::registry::{self, Reached};
use crate::{explain, preflight, writes};

/// The methods a default policy answers preflights for.
///
/// A route without `#[cors]` does not tell which methods it serves (its guards
/// are opaque), so the default allows every method a page can send cross-origin
/// except the forbidden ones; routing still decides: a method no route serves
/// gets the scope's `404` or `405`, decorated, so the page can read it.
const METHODS: &[&str] = &["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];
const ALLOW_METHODS: &str = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT";

/// A default CORS policy for every route of a `Scope` (or of `App`) that has
/// no `#[cors]` of its own, written once with `route_cors::policy!`
/// and checked at compile time like any `#[cors]`.
///
/// - **Routes without `#[cors]`** get the default: their preflights are
///   answered from it, and every response is decorated, the scope's `404` and
///   `405` included, so the page can read them. A preflight is routed as usual
///   first: a service that serves `OPTIONS` itself (an `#[options]` handler, a
///   catch-all resource) answers it, and only the `404` or `405` of a path
///   nothing serves `OPTIONS` on becomes the default's answer.
/// - **Per-route wins.** A route with its own `#[cors]` keeps its own policy,
///   for preflights and actual requests alike, whether it is stricter or
///   looser than the default.
/// - **Opting out.** A route marked `#[cors(none)]` gets no CORS headers at
///   all, and no preflight is answered for it.
/// - **Methods.** The default answers preflights for `DELETE`, `GET`, `HEAD`,
///   `OPTIONS`, `PATCH`, `POST` and `PUT`: a route without `#[cors]` does not
///   say which methods it serves, and routing decides anyway (a method no route
///   serves gets a decorated `404`/`405`).
///
/// With a [`CorsAware`](crate::CorsAware) middleware in the same scope, the
/// order of the two `wrap` calls does not matter: the preflights of routes
/// without `#[cors]` are answered from the default without reaching the
/// wrapped middleware, its own responses carry the default's headers, and
/// every response is decorated exactly once.
///
/// Whether an annotated route decorated a response is known exactly (the
/// route marks the request it decorates), never guessed from its headers: a
/// route without `#[cors]` whose handler sets `Vary: Origin` itself still
/// gets the default's headers.
///
/// # Examples
///
/// ```
/// use actix_web::{get, web, App, HttpResponse};
/// use route_cors::{cors, policy, DefaultPolicy};
///
/// policy!(API, origins = ["https://app.example.com"], headers = ["content-type"], credentials);
///
/// #[get("/orders")] // no #[cors]: the default applies
/// async fn orders() -> HttpResponse {
///     HttpResponse::Ok().finish()
/// }
///
/// #[cors(origins = "*")] // its own policy wins
/// #[get("/status")]
/// async fn status() -> HttpResponse {
///     HttpResponse::Ok().finish()
/// }
///
/// #[cors(none)] // no CORS at all
/// #[get("/health")]
/// async fn health() -> HttpResponse {
///     HttpResponse::Ok().finish()
/// }
///
/// let app = App::new().service(
///     web::scope("/api")
///         .wrap(DefaultPolicy::new(&API))
///         .service(orders)
///         .service(status)
///         .service(health),
/// );
/// # drop(app);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DefaultPolicy {
    policy: &'static NamedPolicy,
}

impl DefaultPolicy {
    /// The default `policy` for the routes this middleware encloses.
    pub const fn new(policy: &'static NamedPolicy) -> Self {
        Self { policy }
    }

    fn build(&self) -> Policy {
        // Cannot fail: the named policy passed the same check when it was
        // defined, and there are no overrides.
        self.policy.__route(
            explain::DEFAULT_ROUTE,
            METHODS,
            ALLOW_METHODS,
            Overrides::NONE,
        )
    }
}

impl<S, B> Transform<S, ServiceRequest> for DefaultPolicy
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = DefaultPolicyMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        registry::registration_done();
        let policy = Rc::new(self.build());
        // For a `CorsAware` wrapped around this one, in the same scope: it
        // answers this default's preflights too (see `CorsAware`).
        registry::built_default(Rc::clone(&policy));
        ready(Ok(DefaultPolicyMiddleware {
            service,
            policy,
            summary_pending: std::cell::Cell::new(true),
        }))
    }
}

/// The service built by [`DefaultPolicy`].
#[derive(Debug)]
pub struct DefaultPolicyMiddleware<S> {
    service: S,
    policy: Rc<Policy>,
    summary_pending: std::cell::Cell<bool>,
}

impl<S, B> Service<ServiceRequest> for DefaultPolicyMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = DefaultPolicyFuture<S::Future, B>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        if self.summary_pending.get() {
            self.summary_pending.set(false);
            explain::log_default(&self.policy, scope_prefix(&req));
        }
        if preflight::is_preflight(req.method(), req.headers()) {
            // Passed on: an annotated route answers its own. What no route
            // serves comes back as a 404 or 405, answered then by the default.
            registry::set_default_for(req.head(), Rc::clone(&self.policy));
            let fut = self.service.call(req);
            registry::set_default_for_done();
            return DefaultPolicyFuture {
                state: State::Preflight {
                    fut,
                    policy: Some(Rc::clone(&self.policy)),
                },
            };
        }
        if let Some(why) = refuses_write(&self.policy, &req) {
            let res = writes::refuse(req.headers(), why, writes::Trust::Default, || {
                explain::default_label(req.method().as_str(), req.path(), None)
            });
            return DefaultPolicyFuture {
                state: State::Done {
                    res: Some(req.into_response(res).map_into_right_body()),
                },
            };
        }
        // Listed, so that what decorates it inside (an annotated route, a
        // `CorsAware` answering for one, an inner default) can say so.
        let entry = Entry::open(req.head());
        // Kept for an `Err` from inside, which carries no request.
        let origin = single_origin(req.headers()).cloned();
        DefaultPolicyFuture {
            state: State::Inner {
                fut: self.service.call(req),
                policy: Some(Rc::clone(&self.policy)),
                origin,
                entry,
            },
        }
    }
}

/// Why this write must be refused under the default (cors-rules §2b), if
/// it must: a cross-origin write from an origin the default does not allow,
/// to a route without a policy of its own (an annotated route decides for
/// itself, an opted-out one is exempt).
fn refuses_write(policy: &Policy, req: &ServiceRequest) -> Option<writes::Why> {
    if !policy.protects_writes || writes::is_safe(req.method()) {
        return None;
    }
    let writes::Site::Cross(why) = writes::site(req.head()) else {
        return None;
    };
    if !matches!(
        policy.origins.matches(single_origin(req.headers())),
        Matched::Denied
    ) {
        return None;
    }
    match registry::actual_route(req) {
        Reached::Other => Some(why),
        Reached::Annotated(_) | Reached::OptedOut => None,
    }
}

/// The part of the path the enclosing scopes matched, such as `/api`.
fn scope_prefix(req: &ServiceRequest) -> &str {
    let path = req.match_info();
    let full = path.as_str();
    let matched = full.len().saturating_sub(path.unprocessed().len());
    full.get(..matched).unwrap_or_default()
}

pin_project! {
    /// The response future of [`DefaultPolicyMiddleware`].
    pub struct DefaultPolicyFuture<F, B> {
        #[pin]
        state: State<F, B>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<F, B> {
        // A refused cross-origin write, answered here.
        Done { res: Option<ServiceResponse<EitherBody<B>>> },
        Preflight {
            #[pin]
            fut: F,
            policy: Option<Rc<Policy>>,
        },
        Inner {
            #[pin]
            fut: F,
            policy: Option<Rc<Policy>>,
            origin: Option<HeaderValue>,
            entry: Entry,
        },
    }
}

impl<F, B> Future for DefaultPolicyFuture<F, B>
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
            StateProj::Preflight { fut, policy } => {
                let out = match fut.poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(out) => out,
                };
                let Some(policy) = policy.take() else {
                    return Poll::Ready(out.map(ServiceResponse::map_into_left_body));
                };
                Poll::Ready(out.map(|res| answer_unserved(&policy, res)))
            }
            StateProj::Inner {
                fut,
                policy,
                origin,
                entry,
            } => {
                let out = match fut.poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(out) => out,
                };
                let policy = policy.take().filter(|_| !entry.decorated());
                let Some(policy) = policy else {
                    entry.close();
                    return Poll::Ready(out.map(ServiceResponse::map_into_left_body));
                };
                entry.set_decorated();
                entry.close();
                let mut res = match out {
                    Ok(res) => res.map_into_left_body(),
                    // An `Err` from inside (a middleware's, on a route without
                    // `#[cors]`): decorated when it is rendered.
                    Err(mut err) => {
                        let origin = origin.take();
                        err.add_response_mapper(move |mut res| {
                            let matched = policy.origins.matches(origin.as_ref());
                            decorate(&policy, matched, res.headers_mut());
                            res
                        });
                        return Poll::Ready(Err(err));
                    }
                };
                if not_opted_out(res.request()) {
                    let matched = policy
                        .origins
                        .matches(single_origin(res.request().headers()));
                    decorate(&policy, matched, res.headers_mut());
                }
                Poll::Ready(Ok(res))
            }
        }
    }
}

/// A preflight's response, seen on its way out: an annotated route's answer
/// (always `204` or `403`), or a user's own `OPTIONS` handler's, is kept; the
/// `404` or `405` of a path no route serves `OPTIONS` on becomes the default's
/// answer, unless the path's route opted out.
fn answer_unserved<B>(policy: &Policy, res: ServiceResponse<B>) -> ServiceResponse<EitherBody<B>> {
    let unserved = matches!(
        res.status(),
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
    );
    let opted_out = || {
        registry::any_opted_out()
            && matches!(
                registry::preflight_route(&ServiceRequest::from_request(res.request().clone())),
                Reached::OptedOut
            )
    };
    if !unserved || opted_out() {
        return res.map_into_left_body();
    }
    let req = res.request();
    let answer = answer(policy, req.headers(), &|| {
        let method = explain::show(req.headers().get(ACCESS_CONTROL_REQUEST_METHOD));
        let served = registry::methods_on_path(&ServiceRequest::from_request(req.clone()));
        explain::default_label(&method, req.path(), served.as_deref())
    });
    let (req, _) = res.into_parts();
    ServiceResponse::new(req, answer).map_into_right_body()
}

/// Whether the request did not reach a route that opted out with
/// `#[cors(none)]` (a second routing pass, paid only when such a route
/// exists on this worker).
fn not_opted_out(req: &HttpRequest) -> bool {
    !registry::any_opted_out()
        || !matches!(
            registry::actual_route(&ServiceRequest::from_request(req.clone())),
            Reached::OptedOut
        )
}
