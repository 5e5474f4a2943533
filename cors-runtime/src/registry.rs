//! Which annotated route a request will reach, found without running anything.
//!
//! Middleware on a `Scope` or on `App` runs before actix-web routes the
//! request, so [`CorsAware`](crate::CorsAware) must know, before that
//! middleware runs, which annotated route the request is for. actix-web does
//! not expose its router, so the annotated routes describe themselves here when
//! they register, and the lookup combines that with actix-web's own
//! [`ResourceMap`](actix_web::dev::ResourceMap):
//!
//! 1. `ResourceMap::match_name(path)` names the first resource whose path
//!    matches, exactly as the router orders resources (scopes included). If
//!    that resource is not an annotated route, the request is not ours: a
//!    service registered earlier on the path would take it, so nothing is
//!    skipped and nothing is decorated.
//! 2. That route, and the annotated routes registered right after it on the
//!    same path (its *siblings*: routes split by methods or by guards), are
//!    tried in registration order with their methods and guards, as the router
//!    tries them.
//!
//! The registry is per thread: actix-web builds the app once per worker
//! thread, and requests are served on the thread that built it. Entries are
//! weak, so an app that is dropped leaves nothing behind.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use actix_web::dev::{AppService, ResourceDef, ServiceRequest};
use actix_web::guard::{Guard, GuardContext};
use actix_web::http::header::ACCESS_CONTROL_REQUEST_METHOD;

use crate::policy::Policy;
use crate::rules::is_token;

/// One annotated route: its methods, its own guards and its policy.
pub(crate) struct Route {
    name: String,
    path: String,
    /// `path` as actix-web matches it, without the scope prefixes.
    pattern: ResourceDef,
    methods: &'static [&'static str],
    guards: Vec<Box<dyn Guard>>,
    /// `None` for a route that opted out with `#[cors(none)]`.
    policy: Option<&'static Policy>,
    /// The annotated routes on the same path, in registration order, this
    /// one included.
    siblings: Rc<RefCell<Vec<Weak<Route>>>>,
}

impl Route {
    fn serves(&self, method: &str) -> bool {
        self.methods.contains(&method)
    }

    /// Whether a preflight asking for `acrm` is for one of this route's
    /// methods. Case is ignored, so that `patch` reaches the `PATCH` route and
    /// is refused there with a logged reason (the policy matches methods
    /// byte-exactly).
    fn announces(&self, acrm: &[u8]) -> bool {
        self.methods
            .iter()
            .any(|m| m.as_bytes().eq_ignore_ascii_case(acrm))
    }

    fn guards_pass(&self, ctx: &GuardContext<'_>) -> bool {
        self.guards.iter().all(|g| g.check(ctx))
    }

    /// Whether this route's own requests (not preflights) include this one.
    pub(crate) fn takes_actual(&self, ctx: &GuardContext<'_>) -> bool {
        self.serves(ctx.head().method.as_str()) && self.guards_pass(ctx)
    }

    /// Whether this route answers a preflight asking for `acrm`.
    ///
    /// A preflight carries the actual request's `Host`, path and query, but
    /// none of its other headers. So the route's guards are evaluated on the
    /// preflight: the first sibling whose methods and guards accept it answers
    /// it (routes split by `Host` get their own preflights). When no sibling's
    /// guards accept it (guards on `Content-Type`, `Accept` or a version
    /// header, which a preflight never has), the first sibling whose methods
    /// match answers it.
    pub(crate) fn takes_preflight(self: &Rc<Self>, ctx: &GuardContext<'_>, acrm: &[u8]) -> bool {
        if self.policy.is_none() || !self.announces(acrm) {
            return false;
        }
        if self.guards.is_empty() || self.guards_pass(ctx) {
            return true;
        }
        let siblings = self.siblings.borrow();
        let mut first = None;
        for sibling in siblings.iter().filter_map(Weak::upgrade) {
            if sibling.policy.is_none() || !sibling.announces(acrm) {
                continue;
            }
            if first.is_none() {
                first = Some(Rc::clone(&sibling));
            }
            if !Rc::ptr_eq(&sibling, self) && sibling.guards_pass(ctx) {
                return false;
            }
        }
        first.is_some_and(|first| Rc::ptr_eq(&first, self))
    }

    /// Whether the route has a policy (it did not opt out).
    pub(crate) fn has_policy(&self) -> bool {
        self.policy.is_some()
    }

    /// `METHODS path`, as the route was written, for log lines.
    fn label(&self) -> String {
        format!("{} {} (`{}`)", self.methods.join("|"), self.path, self.name)
    }
}

#[derive(Default)]
struct Registry {
    by_name: HashMap<String, Vec<Weak<Route>>>,
    /// The last registration: the `AppService` it went to, and the route.
    last: Option<(usize, Weak<Route>)>,
    /// How many `#[cors(none)]` routes registered on this thread.
    opted_out: usize,
}

thread_local! {
    static REGISTRY: RefCell<Registry> = RefCell::new(Registry::default());
    /// The preflight a `DefaultPolicy` is passing on (its head address), with
    /// the default's policy: a `CorsAware` inside answers it from there when no
    /// annotated route does, so that the preflight skips the enclosed middleware.
    static DEFAULT_FOR: RefCell<Option<(usize, Rc<Policy>)>> = const { RefCell::new(None) };
    /// The policy of the `DefaultPolicy` built last on this thread, for a
    /// `CorsAware` of the same scope wrapped around it, built next.
    static BUILT_DEFAULT: RefCell<Option<Rc<Policy>>> = const { RefCell::new(None) };
}

/// A `DefaultPolicy` was built with this policy.
pub(crate) fn built_default(policy: Rc<Policy>) {
    BUILT_DEFAULT.with(|d| *d.borrow_mut() = Some(policy));
}

/// Whether the middleware being built around `S` (in one scope, or on the
/// app) encloses a `DefaultPolicy` of the same scope.
///
/// A scope boxes its services, so `S`'s type names exactly the middleware of
/// this scope (or app) inside the one being built, and nothing of the scopes
/// nested in it.
pub(crate) fn default_inside<S>() -> bool {
    std::any::type_name::<S>().contains("DefaultPolicyMiddleware<")
}

/// The policy of a `DefaultPolicy` inside the middleware being built around
/// `S`, if there is one.
///
/// actix-web builds a scope's (or the app's) middleware from the inside out,
/// each around the service built just before, so a `DefaultPolicy` among the
/// middleware `S` is made of was the last one built.
pub(crate) fn inner_default<S>() -> Option<Rc<Policy>> {
    if !default_inside::<S>() {
        return None;
    }
    let built = BUILT_DEFAULT.with(|d| d.borrow().clone());
    if built.is_none() {
        crate::explain::once(
            log::Level::Error,
            format!(
                "CORS: a `DefaultPolicy` is wrapped inside a `CorsAware` ({}), but its policy could not be found when the `CorsAware` was built; wrap the `DefaultPolicy` last (outermost) instead",
                std::any::type_name::<S>()
            ),
        );
    }
    built
}

/// A `DefaultPolicy` passes on the preflight whose head is `head`.
pub(crate) fn set_default_for(head: &actix_web::dev::RequestHead, policy: Rc<Policy>) {
    let entry = (std::ptr::from_ref(head) as usize, policy);
    DEFAULT_FOR.with(|d| *d.borrow_mut() = Some(entry));
}

/// The `DefaultPolicy`'s call returned: what is inside has seen the preflight.
pub(crate) fn set_default_for_done() {
    DEFAULT_FOR.with(|d| d.borrow_mut().take());
}

/// The default policy of an enclosing `DefaultPolicy` for this preflight.
pub(crate) fn default_for(head: &actix_web::dev::RequestHead) -> Option<Rc<Policy>> {
    let key = std::ptr::from_ref(head) as usize;
    DEFAULT_FOR.with(|d| {
        d.borrow()
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, p)| Rc::clone(p))
    })
}

/// Records an annotated route as it registers with `config`.
pub(crate) fn register(
    config: &AppService,
    name: &str,
    path: &str,
    methods: &'static [&'static str],
    guards: Vec<Box<dyn Guard>>,
    policy: Option<&'static Policy>,
) -> Rc<Route> {
    let service = std::ptr::from_ref(config) as usize;
    REGISTRY.with(|registry| {
        let mut registry = registry.borrow_mut();
        // Consecutive annotated routes on one path of one scope are siblings.
        // (A scope is told by the address of its `AppService`; two sibling
        // scopes may reuse one address, see the crate docs.)
        let previous = registry
            .last
            .as_ref()
            .filter(|(s, _)| *s == service)
            .and_then(|(_, r)| r.upgrade())
            .filter(|r| r.path == path);
        let siblings = previous.map_or_else(Rc::default, |r| Rc::clone(&r.siblings));
        let route = Rc::new(Route {
            name: name.to_owned(),
            path: path.to_owned(),
            pattern: ResourceDef::new(as_registered(path, config.is_root()).as_ref()),
            methods,
            guards,
            policy,
            siblings,
        });
        warn_unreachable(&route);
        route.siblings.borrow_mut().push(Rc::downgrade(&route));
        let entries = registry.by_name.entry(name.to_owned()).or_default();
        entries.retain(|e| e.strong_count() > 0);
        warn_same_name(&route, entries);
        entries.push(Rc::downgrade(&route));
        registry.last = Some((service, Rc::downgrade(&route)));
        if route.policy.is_none() {
            registry.opted_out += 1;
            // At the root the path is the full path; inside a scope it is
            // logged by the route's `OptOut` middleware, which knows it.
            if config.is_root() {
                log_opted_out(route.methods, &route.path, &route.name);
            }
        }
        route
    })
}

/// Logs, once, that a route opted out: its methods, its full path and name.
pub(crate) fn log_opted_out(methods: &[&str], full_path: &str, name: &str) {
    crate::explain::once(
        log::Level::Info,
        format!(
            "CORS opted out: {} {full_path} (`{name}`) has `#[cors(none)]`: no CORS headers, no cross-origin write protection, and a `DefaultPolicy` around it does not apply",
            methods.join("|"),
        ),
    );
}

/// The path as actix-web registers it: inside a scope, a non-empty path
/// without a leading slash (`"view"`, `"{id}"`) gets one, and `""` stays the
/// scope's own path; at the root, every path starts with a slash.
fn as_registered(path: &str, root: bool) -> std::borrow::Cow<'_, str> {
    if path.starts_with('/') || (path.is_empty() && !root) {
        std::borrow::Cow::Borrowed(path)
    } else {
        std::borrow::Cow::Owned(format!("/{path}"))
    }
}

/// Marks the end of an app's registration: actix-web registers every service
/// of an app before it builds any of them, so the next registration on this
/// thread belongs to another app, and is no sibling of the last one.
pub(crate) fn registration_done() {
    REGISTRY.with(|registry| registry.borrow_mut().last = None);
}

/// Warns once when an earlier sibling without guards serves one of this
/// route's methods: actix-web gives that sibling every request and preflight
/// for the method, so this route never sees them.
fn warn_unreachable(route: &Route) {
    let siblings = route.siblings.borrow();
    for earlier in siblings.iter().filter_map(Weak::upgrade) {
        if !earlier.guards.is_empty() {
            continue;
        }
        let shared: Vec<&str> = route
            .methods
            .iter()
            .copied()
            .filter(|m| earlier.serves(m))
            .collect();
        if shared.is_empty() {
            continue;
        }
        let message = format!(
            "CORS route {} is registered after {} on the same path, which has no guards and also serves {}: actix-web routes every such request and preflight to the first one, so {} never sees them; give one of them a guard, or register the one you want first",
            route.label(),
            earlier.label(),
            shared.join(", "),
            route.name,
        );
        crate::explain::once(log::Level::Warn, message);
    }
}

/// Warns once when another live annotated route has the same resource name
/// but another policy: the lookup tells routes apart by name.
fn warn_same_name(route: &Route, entries: &[Weak<Route>]) {
    for other in entries.iter().filter_map(Weak::upgrade) {
        let same = match (other.policy, route.policy) {
            (Some(a), Some(b)) => std::ptr::eq(a, b),
            (None, None) => other.path == route.path,
            _ => false,
        };
        if !same {
            let message = format!(
                "CORS routes {} and {} share the resource name `{}`: `CorsAware` finds a route by its name, so give one of them its own `name = \"..\"` in the routing attribute",
                other.label(),
                route.label(),
                route.name,
            );
            crate::explain::once(log::Level::Warn, message);
        }
    }
}

/// The annotated route registered under `name` on this thread, if any. With
/// several live ones (two apps built on one thread), the newest.
fn named(name: &str) -> Option<Rc<Route>> {
    REGISTRY.with(|registry| {
        registry
            .borrow()
            .by_name
            .get(name)?
            .iter()
            .rev()
            .find_map(Weak::upgrade)
    })
}

/// The first annotated route on the request's path, if the first resource on
/// that path is an annotated route.
fn first_on_path(req: &ServiceRequest) -> Option<Rc<Route>> {
    let path = req.path();
    let name = req.resource_map().match_name(path)?;
    let route = named(name)?;
    // Names are not unique in actix-web: the route's own pattern must match
    // what follows some scope prefix of the path.
    let tails = path
        .char_indices()
        .filter(|&(_, c)| c == '/')
        .map(|(i, _)| &path[i..]);
    // (An empty pattern, `#[get("")]` inside a scope, matches the empty tail.)
    let mut tails = std::iter::once(path)
        .chain(tails)
        .chain(std::iter::once(""));
    tails
        .any(|tail| route.pattern.is_match(tail))
        .then_some(route)
}

/// What a request reaches, among the routes `#[cors]` registered.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Reached {
    /// An annotated route, which applies this policy.
    Annotated(&'static Policy),
    /// A route that opted out with `#[cors(none)]`.
    OptedOut,
    /// Another service, or none.
    Other,
}

impl Reached {
    pub(crate) fn policy(self) -> Option<&'static Policy> {
        match self {
            Reached::Annotated(policy) => Some(policy),
            Reached::OptedOut | Reached::Other => None,
        }
    }

    fn of(route: &Route) -> Self {
        route.policy.map_or(Reached::OptedOut, Reached::Annotated)
    }
}

/// The route that answers this preflight, as actix-web would route it.
pub(crate) fn preflight_route(req: &ServiceRequest) -> Reached {
    let Some(first) = first_on_path(req) else {
        return Reached::Other;
    };
    let ctx = req.guard_ctx();
    let Some(acrm) = ctx.head().headers.get(ACCESS_CONTROL_REQUEST_METHOD) else {
        return Reached::Other;
    };
    let siblings = first.siblings.borrow();
    let live = || siblings.iter().filter_map(Weak::upgrade);
    if !is_token(acrm.as_bytes()) {
        // Malformed: the first annotated route admits it and refuses it with a 403.
        return live()
            .find(|r| r.has_policy())
            .map_or(Reached::Other, |r| Reached::of(&r));
    }
    if let Some(route) = live().find(|r| r.takes_preflight(&ctx, acrm.as_bytes())) {
        return Reached::of(&route);
    }
    if live().any(|r| !r.has_policy() && r.announces(acrm.as_bytes())) {
        return Reached::OptedOut;
    }
    Reached::Other
}

/// The route that serves this actual request, as actix-web would route it.
pub(crate) fn actual_route(req: &ServiceRequest) -> Reached {
    let Some(first) = first_on_path(req) else {
        return Reached::Other;
    };
    let ctx = req.guard_ctx();
    let siblings = first.siblings.borrow();
    siblings
        .iter()
        .filter_map(Weak::upgrade)
        .find(|r| r.takes_actual(&ctx))
        .map_or(Reached::Other, |r| Reached::of(&r))
}

/// The methods the annotated routes on the request's path serve, when the
/// first resource on the path is an annotated route (for a default's log
/// line: a preflight it answered because none of them serves the method).
pub(crate) fn methods_on_path(req: &ServiceRequest) -> Option<Vec<&'static str>> {
    let first = first_on_path(req)?;
    let siblings = first.siblings.borrow();
    let mut live = siblings.iter().filter_map(Weak::upgrade);
    let mut methods: Vec<&'static str> = Vec::new();
    for route in live.by_ref() {
        for m in route.methods {
            if !methods.contains(m) {
                methods.push(m);
            }
        }
    }
    (!methods.is_empty()).then_some(methods)
}

/// Whether a route on this thread opted out with `#[cors(none)]`.
pub(crate) fn any_opted_out() -> bool {
    REGISTRY.with(|registry| registry.borrow().opted_out > 0)
}
