//! Middleware around annotated routes, on a `Scope` or on `App`, made
//! CORS-aware.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{HeaderMap, ACCESS_CONTROL_REQUEST_METHOD};
use actix_web::{Error, HttpRequest};
use pin_project_lite::pin_project;

use crate::decorate::decorate;
use crate::matching::single_origin;
use crate::middleware::{answer, full_path};
use crate::policy::Policy;
use crate::preflight;
use crate::registry::{self, Reached};

/// Makes a middleware that encloses annotated routes CORS-aware.
///
/// Middleware given to `Scope::wrap` or `App::wrap` runs before actix-web
/// routes the request, so without this wrapper an auth middleware answers the
/// browser's preflight with its `401`, and its own error responses carry no
/// CORS headers, which hides them from the page. Wrapped in `CorsAware`, the
/// middleware `mw` behaves as follows:
///
/// - **Preflights pass `mw` by.** A preflight for an annotated route is
///   answered here, from that route's policy, exactly as the route answers it:
///   `204` with the CORS headers, or `403` with none. `mw`, the route and its
///   handler do not run. A preflight for any other service goes through `mw`
///   as before, so an `OPTIONS` request with `Origin` and
///   `Access-Control-Request-Method` never reaches a handler without `mw`.
/// - **`mw`'s own responses carry the policy.** When `mw` answers an actual
///   request itself, or fails with an `Err`, the response gets the headers of
///   the annotated route the request would have reached: ACAO, ACAC, ACEH and
///   `Vary: Origin`, or only `Vary: Origin` for a disallowed origin (or no
///   `Origin`) on an allow-list route, exactly as the route itself would
///   decorate it. Status, body and the other headers are kept.
/// - **Nothing else changes.** A request the middleware passes on is routed
///   as usual: an annotated route decorates its response, once, and anything
///   else gets no CORS headers (or a `DefaultPolicy`'s, see below).
///
/// # With a `DefaultPolicy` in the same scope
///
/// The order of `wrap` does not matter: with the
/// [`DefaultPolicy`](crate::DefaultPolicy) outside (wrapped after) or inside
/// (wrapped before), a preflight for a route without `#[cors]` is answered
/// from the default without reaching `mw`, `mw`'s own responses for such a
/// route carry the default's headers, and a request `mw` passes on is
/// decorated once, by the route or the default.
///
/// # Which route a request reaches
///
/// The route is found as actix-web routes: the first resource whose path
/// matches (`ResourceMap::match_name`) must be an annotated route, and then
/// that route and the annotated routes registered right after it on the same
/// path are tried in order, with their methods and guards. Register the
/// annotated routes of a path before other services on that path: a service
/// registered earlier takes the requests it matches, and `CorsAware` then
/// leaves them to it, through `mw`. Annotated routes are told apart by their
/// resource name (the function name, or `name = ".."`), so give two annotated
/// routes with one name in different scopes their own names (a warning at
/// startup says so).
///
/// # Examples
///
/// ```
/// use actix_web::body::MessageBody;
/// use actix_web::dev::{ServiceRequest, ServiceResponse};
/// use actix_web::middleware::{from_fn, Next};
/// use actix_web::{get, web, App, Error, HttpResponse};
/// use route_cors::{cors, CorsAware};
///
/// async fn require_token(
///     req: ServiceRequest,
///     next: Next<impl MessageBody + 'static>,
/// ) -> Result<ServiceResponse<impl MessageBody>, Error> {
///     if req.headers().contains_key("authorization") {
///         Ok(next.call(req).await?.map_into_left_body())
///     } else {
///         Ok(req.into_response(HttpResponse::Unauthorized().finish()).map_into_right_body())
///     }
/// }
///
/// #[cors(origins = ["https://app.example.com"], headers = ["authorization"], credentials)]
/// #[get("/stats")]
/// async fn stats() -> HttpResponse {
///     HttpResponse::Ok().finish()
/// }
///
/// let app = App::new().service(
///     web::scope("/admin")
///         .wrap(CorsAware::new(from_fn(require_token)))
///         .service(stats),
/// );
/// # drop(app);
/// ```
#[derive(Debug, Clone)]
pub struct CorsAware<T> {
    middleware: T,
}

impl<T> CorsAware<T> {
    /// Wraps `middleware`, which encloses annotated routes.
    pub const fn new(middleware: T) -> Self {
        Self { middleware }
    }
}

impl<S, SB, B, T> Transform<S, ServiceRequest> for CorsAware<T>
where
    S: Service<ServiceRequest, Response = ServiceResponse<SB>, Error = Error>,
    T: Transform<CorsAwareInner<S>, ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = CorsAwareMiddleware<T::Transform>;
    type InitError = T::InitError;
    type Future = CorsAwareInit<T::Future>;

    fn new_transform(&self, service: S) -> Self::Future {
        registry::registration_done();
        let inner_default = registry::inner_default::<S>();
        let unrouted = Rc::new(Unrouted::default());
        let inner = CorsAwareInner {
            service,
            unrouted: Rc::clone(&unrouted),
        };
        CorsAwareInit {
            fut: self.middleware.new_transform(inner),
            unrouted: Some(unrouted),
            inner_default,
        }
    }
}

/// Requests the wrapped middleware has not passed on yet, each with a handle
/// on itself (`HttpRequest` is a cheap `Rc`), keyed by the address of its head.
///
/// The handle is what turns the middleware's `Err` into a response, and finds
/// the annotated route after the middleware answered. It must be dropped
/// before actix-web routes the request (routing needs the only handle), which
/// [`CorsAwareInner`] does when the middleware passes the request on.
#[derive(Debug, Default)]
struct Unrouted {
    requests: RefCell<Vec<(usize, HttpRequest)>>,
}

impl Unrouted {
    fn key(req: &HttpRequest) -> usize {
        std::ptr::from_ref(req.head()) as usize
    }

    fn hold(&self, req: &HttpRequest) -> usize {
        let key = Self::key(req);
        self.requests.borrow_mut().push((key, req.clone()));
        key
    }

    fn release(&self, key: usize) -> Option<HttpRequest> {
        let mut requests = self.requests.borrow_mut();
        let at = requests.iter().rposition(|(k, _)| *k == key)?;
        Some(requests.swap_remove(at).1)
    }
}

/// The service the wrapped middleware calls to pass a request on: it lets go
/// of the request's handle, then calls what the middleware encloses.
#[derive(Debug)]
pub struct CorsAwareInner<S> {
    service: S,
    unrouted: Rc<Unrouted>,
}

impl<S, B> Service<ServiceRequest> for CorsAwareInner<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = S::Future;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        drop(self.unrouted.release(Unrouted::key(req.request())));
        self.service.call(req)
    }
}

pin_project! {
    /// Builds a [`CorsAwareMiddleware`] once the wrapped middleware is built.
    pub struct CorsAwareInit<F> {
        #[pin]
        fut: F,
        unrouted: Option<Rc<Unrouted>>,
        inner_default: Option<Rc<Policy>>,
    }
}

impl<F, M, E> Future for CorsAwareInit<F>
where
    F: Future<Output = Result<M, E>>,
{
    type Output = Result<CorsAwareMiddleware<M>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let built = match this.fut.poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(built) => built,
        };
        let unrouted = this.unrouted.take().unwrap_or_default();
        let inner_default = this.inner_default.take();
        Poll::Ready(built.map(|service| CorsAwareMiddleware {
            service,
            unrouted,
            inner_default,
        }))
    }
}

/// The service built by [`CorsAware`]: the wrapped middleware, CORS-aware.
#[derive(Debug)]
pub struct CorsAwareMiddleware<M> {
    service: M,
    unrouted: Rc<Unrouted>,
    /// The policy of a `DefaultPolicy` this one is wrapped around, in the
    /// same scope: it answers what no annotated route does, as a
    /// `DefaultPolicy` around this one would.
    inner_default: Option<Rc<Policy>>,
}

impl<M, B> Service<ServiceRequest> for CorsAwareMiddleware<M>
where
    M: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = CorsAwareFuture<M::Future, B>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        if preflight::is_preflight(req.method(), req.headers()) {
            let reached = registry::preflight_route(&req);
            if let Some(policy) = reached.policy() {
                // A route behind this middleware may never be reached: name it
                // in the log from here.
                crate::explain::log_policy(policy, || req.resource_map().match_pattern(req.path()));
                let res = answer(policy, req.headers(), &|| {
                    crate::explain::route_label(policy, &full_path(&req))
                });
                return CorsAwareFuture {
                    state: State::Done {
                        res: Some(req.into_response(res).map_into_right_body()),
                    },
                };
            }
            // No annotated route: a `DefaultPolicy` around this one, or inside
            // it, answers it, from here, so that the middleware does not see
            // it either.
            if matches!(reached, Reached::Other) {
                let default =
                    registry::default_for(req.head()).or_else(|| self.inner_default.clone());
                if let Some(policy) = default {
                    let res = answer(&policy, req.headers(), &|| {
                        let method =
                            crate::explain::show(req.headers().get(ACCESS_CONTROL_REQUEST_METHOD));
                        crate::explain::default_label(&method, req.path(), None)
                    });
                    return CorsAwareFuture {
                        state: State::Done {
                            res: Some(req.into_response(res).map_into_right_body()),
                        },
                    };
                }
            }
            return CorsAwareFuture::through(self.service.call(req), None, None);
        }
        // Held whatever its headers: cheaper than looking for `Origin` on
        // every request, which only matters if the middleware answers.
        let key = self.unrouted.hold(req.request());
        let unrouted = Some((Rc::clone(&self.unrouted), key));
        let default = self.inner_default.clone();
        CorsAwareFuture::through(self.service.call(req), unrouted, default)
    }
}

pin_project! {
    /// The response future of [`CorsAwareMiddleware`].
    pub struct CorsAwareFuture<F, B> {
        #[pin]
        state: State<F, B>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<F, B> {
        // A preflight for an annotated route, answered here.
        Done { res: Option<ServiceResponse<EitherBody<B>>> },
        // Everything else, waiting for the wrapped middleware. A request with
        // an `Origin` is held in `unrouted` until the middleware passes it on.
        Through {
            #[pin]
            fut: F,
            unrouted: Option<(Rc<Unrouted>, usize)>,
            inner_default: Option<Rc<Policy>>,
        },
    }

    impl<F, B> PinnedDrop for State<F, B> {
        fn drop(this: Pin<&mut Self>) {
            // A future dropped before the middleware finished (the client went
            // away) lets go of its request.
            if let StateProj::Through { unrouted, .. } = this.project() {
                if let Some((unrouted, key)) = unrouted.take() {
                    drop(unrouted.release(key));
                }
            }
        }
    }
}

impl<F, B> CorsAwareFuture<F, B> {
    fn through(
        fut: F,
        unrouted: Option<(Rc<Unrouted>, usize)>,
        inner_default: Option<Rc<Policy>>,
    ) -> Self {
        Self {
            state: State::Through {
                fut,
                unrouted,
                inner_default,
            },
        }
    }
}

impl<F, B> Future for CorsAwareFuture<F, B>
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
            StateProj::Through {
                fut,
                unrouted,
                inner_default,
            } => {
                let out = match fut.poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(out) => out,
                };
                // Still held: the middleware answered without passing the
                // request on. Otherwise the request was routed, and what it
                // reached (an annotated route, or a `DefaultPolicy` inside this
                // one) made the response.
                let held = unrouted.take().and_then(|(u, key)| u.release(key));
                let Some(req) = held else {
                    return Poll::Ready(out.map(ServiceResponse::map_into_left_body));
                };
                let default;
                let policy =
                    match registry::actual_route(&ServiceRequest::from_request(req.clone())) {
                        Reached::Annotated(policy) => Some(policy),
                        Reached::OptedOut => None,
                        Reached::Other => {
                            default = inner_default.take();
                            default.as_deref()
                        }
                    };
                let Some(policy) = policy else {
                    return Poll::Ready(out.map(ServiceResponse::map_into_left_body));
                };
                crate::mark::decorated_by_route(req.head());
                Poll::Ready(Ok(match out {
                    Ok(mut res) => {
                        decorate_for(policy, &req, res.headers_mut());
                        res.map_into_left_body()
                    }
                    Err(err) => {
                        let mut res = ServiceResponse::from_err(err, req.clone());
                        decorate_for(policy, &req, res.headers_mut());
                        res.map_into_right_body()
                    }
                }))
            }
        }
    }
}

fn decorate_for(policy: &Policy, req: &HttpRequest, headers: &mut HeaderMap) {
    let matched = policy.origins.matches(single_origin(req.headers()));
    decorate(policy, matched, headers);
}
