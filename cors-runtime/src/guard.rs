//! The resource guard of an annotated route.

use actix_web::guard::{Guard, GuardContext};
use actix_web::http::header::{ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use actix_web::http::Method;

use crate::rules::is_token;

/// Matches the route's own requests, and the preflights that ask for one of its
/// methods.
///
/// A request matches when its method is one the route serves and every guard of
/// the route passes, **or** when it is a preflight (`OPTIONS` with `Origin` and
/// `Access-Control-Request-Method`) whose requested method is one the route
/// serves. The route's own guards do not run for preflights: they describe the
/// actual request, which the preflight only announces.
///
/// Comparing methods by their bytes keeps the check free of allocation. The
/// requested method is compared ignoring case here, so that a preflight for
/// `patch` reaches the `PATCH` route and is rejected there with a logged reason
/// (methods are matched byte-exactly by the policy). A preflight whose requested
/// method is malformed (empty, a list, not a token) is admitted too, and rejected
/// by the middleware with `403`.
pub struct RouteGuard {
    methods: &'static [&'static str],
    guards: Vec<Box<dyn Guard>>,
}

impl std::fmt::Debug for RouteGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RouteGuard")
            .field("methods", &self.methods)
            .field("guards", &self.guards.len())
            .finish()
    }
}

impl RouteGuard {
    /// A guard for a route serving `methods`.
    pub fn new(methods: &'static [&'static str]) -> Self {
        Self {
            methods,
            guards: Vec::new(),
        }
    }

    /// Adds one of the route's own guards (all must pass for actual requests).
    #[must_use]
    pub fn and(mut self, guard: impl Guard + 'static) -> Self {
        self.guards.push(Box::new(guard));
        self
    }
}

impl Guard for RouteGuard {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        let head = ctx.head();
        let method = head.method.as_str();
        if self.methods.contains(&method) && self.guards.iter().all(|g| g.check(ctx)) {
            return true;
        }
        if head.method != Method::OPTIONS || !head.headers.contains_key(ORIGIN) {
            return false;
        }
        match head.headers.get(ACCESS_CONTROL_REQUEST_METHOD) {
            // A malformed requested method names no route; admit it, so the
            // route's middleware rejects it with a 403 and a logged reason
            // instead of the request falling through to a 404.
            Some(acrm) if !is_token(acrm.as_bytes()) => true,
            Some(acrm) => self
                .methods
                .iter()
                .any(|m| m.as_bytes().eq_ignore_ascii_case(acrm.as_bytes())),
            None => false,
        }
    }
}
