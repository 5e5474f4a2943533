//! The resource guard of an annotated route.

use actix_web::guard::{Guard, GuardContext};
use actix_web::http::header::{ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use actix_web::http::Method;

use std::rc::Rc;

use actix_web::dev::AppService;

use crate::policy::Policy;
use crate::registry::{self, Route};
use crate::rules::is_token;

/// Matches the route's own requests, and the preflights that ask for one of its
/// methods.
///
/// A request matches when its method is one the route serves and every guard of
/// the route passes, **or** when it is a preflight (`OPTIONS` with `Origin` and
/// `Access-Control-Request-Method`) whose requested method is one the route
/// serves. For preflights, the route's own guards are evaluated on the
/// preflight (it has the actual request's `Host`, path and query), and when
/// none of the annotated routes on the path accepts it, the first one whose
/// methods match answers it; see [`CorsAware`](crate::CorsAware) for the
/// routing rules.
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
    /// Set once the route has registered: its entry in the registry, which
    /// then holds the guards.
    route: Option<Rc<Route>>,
}

impl std::fmt::Debug for RouteGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RouteGuard")
            .field("methods", &self.methods)
            .field("guards", &self.guards.len())
            .field("registered", &self.route.is_some())
            .finish()
    }
}

impl RouteGuard {
    /// A guard for a route serving `methods`.
    pub fn new(methods: &'static [&'static str]) -> Self {
        Self {
            methods,
            guards: Vec::new(),
            route: None,
        }
    }

    /// Adds one of the route's own guards (all must pass for actual requests).
    #[must_use]
    pub fn and(mut self, guard: impl Guard + 'static) -> Self {
        self.guards.push(Box::new(guard));
        self
    }

    /// Records the route in this worker's registry as it registers with
    /// `config`, so that [`CorsAware`](crate::CorsAware) can find it, and so
    /// that routes split by guards on one path get their own preflights.
    #[doc(hidden)]
    #[must_use]
    pub fn register(
        self,
        config: &AppService,
        name: &str,
        path: &str,
        policy: &'static Policy,
    ) -> Self {
        let route = registry::register(config, name, path, self.methods, self.guards, Some(policy));
        Self {
            methods: self.methods,
            guards: Vec::new(),
            route: Some(route),
        }
    }
}

impl RouteGuard {
    /// Records a route that opted out of CORS with `#[cors(none)]`: it serves
    /// its methods only, never a preflight, and a
    /// [`DefaultPolicy`](crate::DefaultPolicy) around it does not apply.
    #[doc(hidden)]
    #[must_use]
    pub fn opt_out(self, config: &AppService, name: &str, path: &str) -> Self {
        let route = registry::register(config, name, path, self.methods, self.guards, None);
        Self {
            methods: self.methods,
            guards: Vec::new(),
            route: Some(route),
        }
    }
}

impl Guard for RouteGuard {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        let head = ctx.head();
        if let Some(route) = &self.route {
            if route.takes_actual(ctx) {
                return true;
            }
        } else if self.methods.contains(&head.method.as_str())
            && self.guards.iter().all(|g| g.check(ctx))
        {
            return true;
        }
        if head.method != Method::OPTIONS || !head.headers.contains_key(ORIGIN) {
            return false;
        }
        match head.headers.get(ACCESS_CONTROL_REQUEST_METHOD) {
            // A malformed requested method names no route; admit it, so the
            // route's middleware rejects it with a 403 and a logged reason
            // instead of the request falling through to a 404.
            Some(acrm) if !is_token(acrm.as_bytes()) => {
                self.route.as_ref().is_none_or(|r| r.has_policy())
            }
            Some(acrm) => match &self.route {
                Some(route) => route.takes_preflight(ctx, acrm.as_bytes()),
                None => self
                    .methods
                    .iter()
                    .any(|m| m.as_bytes().eq_ignore_ascii_case(acrm.as_bytes())),
            },
            None => false,
        }
    }
}
