//! Cross-origin write protection for the routes that have no CORS policy:
//! server-rendered forms with cookie sessions, the classic target of
//! cross-site request forgery.

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::Error;
use pin_project_lite::pin_project;

use crate::matching::{single_origin, Matched};
use crate::middleware::full_path;
use crate::policy::AllowOrigin;
use crate::registry::{self, Reached};
use crate::sets::OriginSet;
use crate::source::OriginSource;
use crate::{mark, writes};

/// Refuses cross-origin writes to the routes of a `Scope` (or of `App`) that
/// have no CORS policy of their own, trusting only the request's own origin
/// (and the origins of the sets given to [`trusted`](Self::trusted)).
///
/// A request whose method is not `GET`, `HEAD` or `OPTIONS` is refused with
/// `403`, before routing reaches the handler, its extractors and its
/// middleware, when it comes from another origin: `Sec-Fetch-Site` is
/// neither `same-origin` nor `none`, or, without `Sec-Fetch-Site`, its
/// `Origin` is `null`, malformed, or not the request's own host and port
/// (`Host`). A request without either header (curl, a webhook, a
/// server-to-server call) passes. Each refusal is logged at debug level.
///
/// - Routes with a policy (`#[cors(..)]`, or a
///   [`DefaultPolicy`](crate::DefaultPolicy) of the scope) keep their own
///   protection, which trusts their policy's origins, whatever the order of
///   `wrap`.
/// - Routes marked `#[cors(none)]` are exempt: that is how to keep a SAML
///   assertion consumer, an OAuth `form_post` callback or a payment
///   provider's return URL reachable from the identity or payment provider's
///   site.
///
/// # Examples
///
/// ```
/// use actix_web::{post, web, App, HttpResponse};
/// use route_cors::{CrossOriginProtection, OriginSet};
///
/// static SISTER_SITES: OriginSet = OriginSet::new("sister sites");
///
/// #[post("/account/email")] // a form with a cookie session
/// async fn change_email() -> HttpResponse {
///     HttpResponse::SeeOther().insert_header(("location", "/account")).finish()
/// }
///
/// SISTER_SITES.set(["https://shop.example.com"]).unwrap();
/// let app = App::new()
///     .wrap(CrossOriginProtection::new().trusted(&SISTER_SITES))
///     .service(change_email);
/// # drop(app);
/// ```
#[derive(Debug, Clone, Default)]
pub struct CrossOriginProtection {
    trusted: Vec<&'static OriginSet>,
}

impl CrossOriginProtection {
    /// Protection trusting only each request's own origin.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also trusts the origins of `set`, an `OriginSet` or a
    /// `CredentialedOriginSet`, as they are when each request arrives (the
    /// set is filled, and may be replaced, like any origin set).
    #[must_use]
    pub fn trusted<T: OriginSource>(mut self, set: &'static T) -> Self {
        self.trusted.push(set.__set());
        self
    }
}

impl<S, B> Transform<S, ServiceRequest> for CrossOriginProtection
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = CrossOriginProtectionMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(CrossOriginProtectionMiddleware {
            service,
            trusted: self.trusted.clone(),
            default_inside: registry::default_inside::<S>(),
        }))
    }
}

/// The service built by [`CrossOriginProtection`].
#[derive(Debug)]
pub struct CrossOriginProtectionMiddleware<S> {
    service: S,
    trusted: Vec<&'static OriginSet>,
    /// A `DefaultPolicy` inside this one, in the same scope, decides for the
    /// routes without `#[cors]`.
    default_inside: bool,
}

impl<S> CrossOriginProtectionMiddleware<S> {
    /// Whether this write must be refused.
    fn refuses(&self, req: &ServiceRequest) -> Option<writes::Why> {
        if writes::is_safe(req.method()) {
            return None;
        }
        let writes::Site::Cross(why) = writes::site(req.head()) else {
            return None;
        };
        let origin = single_origin(req.headers());
        let trusted = self
            .trusted
            .iter()
            .any(|set| !matches!(AllowOrigin::Runtime(set).matches(origin), Matched::Denied));
        if trusted || mark::listed(req.head()) {
            // A `DefaultPolicy` around this one already decided.
            return None;
        }
        match registry::actual_route(req) {
            // Its own policy decides; or it opted out.
            Reached::Annotated(_) | Reached::OptedOut => None,
            Reached::Other if self.default_inside => None,
            Reached::Other => Some(why),
        }
    }
}

impl<S, B> Service<ServiceRequest> for CrossOriginProtectionMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = ProtectionFuture<S::Future, B>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        if let Some(why) = self.refuses(&req) {
            let res = writes::refuse(req.headers(), why, writes::Trust::Protection, || {
                format!("{} {}", req.method(), full_path(&req))
            });
            return ProtectionFuture {
                state: State::Done {
                    res: Some(req.into_response(res).map_into_right_body()),
                },
            };
        }
        ProtectionFuture {
            state: State::Inner {
                fut: self.service.call(req),
            },
        }
    }
}

pin_project! {
    /// The response future of [`CrossOriginProtectionMiddleware`].
    pub struct ProtectionFuture<F, B> {
        #[pin]
        state: State<F, B>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<F, B> {
        Done { res: Option<ServiceResponse<EitherBody<B>>> },
        Inner {
            #[pin]
            fut: F,
        },
    }
}

impl<F, B> Future for ProtectionFuture<F, B>
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
            StateProj::Inner { fut } => fut
                .poll(cx)
                .map(|out| out.map(ServiceResponse::map_into_left_body)),
        }
    }
}
