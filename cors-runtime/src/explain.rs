//! Log lines: the policy summary of each route, why a request was refused,
//! and messages logged once. Rendering only; the protocol is elsewhere.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use actix_web::http::header::{
    self, HeaderMap, HeaderValue, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD,
};

use crate::policy::{AllowHeaders, AllowOrigin, Policy};
use crate::preflight::Rejection;
use crate::rules::{MAX_EMPTY_ITEMS, MAX_REQUEST_HEADERS_LEN};

/// Whether a refused preflight's `403` says why in its body.
static IN_BODY: AtomicBool = AtomicBool::new(false);

/// A development aid, off by default: when on, a refused preflight's `403`
/// carries a short `text/plain` body with the same reason as the debug log
/// line, so it shows in the browser's DevTools Network tab, where the
/// developer is looking. The response still has no CORS headers (the
/// preflight is still refused). Process-wide; it costs one relaxed atomic
/// load, on refused preflights only.
///
/// Keep it off in production: the reason names the route's policy (its
/// allowed methods and headers) to whoever sends a preflight.
///
/// ```
/// route_cors::explain_rejections(cfg!(debug_assertions));
/// # route_cors::explain_rejections(false);
/// ```
pub fn explain_rejections(on: bool) {
    IN_BODY.store(on, Ordering::Relaxed);
}

/// Whether refusals carry their reason in the body.
pub(crate) fn in_body() -> bool {
    IN_BODY.load(Ordering::Relaxed)
}

/// The body of a refused preflight's `403`: empty, or with the switch of
/// [`explain_rejections`] on, the reason.
pub(crate) fn rejection_body(
    policy: &Policy,
    headers: &HeaderMap,
    rejection: &Rejection,
    route: Label<'_>,
) -> Option<String> {
    IN_BODY.load(Ordering::Relaxed).then(|| {
        Explain {
            policy,
            headers,
            rejection,
            route: &route(),
        }
        .to_string()
    })
}

/// Logs, at debug level, why a preflight was refused.
pub(crate) fn log_rejected_preflight(
    policy: &Policy,
    headers: &HeaderMap,
    rejection: &Rejection,
    route: Label<'_>,
) {
    if log::log_enabled!(log::Level::Debug) {
        let explain = Explain {
            policy,
            headers,
            rejection,
            route: &route(),
        };
        log::debug!("{explain}");
    }
}

/// How a log line names the route a request was for, as the user wrote its
/// URL (`PATCH /api/items/{id}`, scope prefix included): worked out only when
/// a line is written.
pub(crate) type Label<'a> = &'a dyn Fn() -> String;

/// `METHODS /full/path` of an annotated route: the methods of its policy,
/// and the path the request matched (scope prefix included).
pub(crate) fn route_label(policy: &Policy, full_path: &str) -> String {
    let methods = policy.route.split(' ').next().unwrap_or_default();
    format!("{methods} {full_path}")
}

/// The label of a request a default policy answers: the method (the
/// requested one, for a preflight), the path, and why the default applies.
pub(crate) fn default_label(method: &str, path: &str, served: Option<&[&str]>) -> String {
    match served {
        None => format!("{method} {path} (a route without #[cors]: the default policy)"),
        Some(methods) => format!(
            "{method} {path} (no route serves {method} on this path, which serves {}: the default policy answered)",
            methods.join(", ")
        ),
    }
}

/// Logs, at debug level, an actual request from an origin the policy does
/// not allow (the handler runs; the browser hides the response).
pub(crate) fn log_refused_actual(policy: &Policy, headers: &HeaderMap, route: &str) {
    if let Some(origin) = headers.get(header::ORIGIN) {
        log::debug!(
            "CORS request refused on {} from origin `{}`: {}; the handler ran, but its response carries no CORS headers, so the browser hides it from the page and reports \"{}\"",
            route,
            String::from_utf8_lossy(origin.as_bytes()).replace(char::is_control, "\u{fffd}"),
            origin_problem(policy, headers),
            NO_ACAO,
        );
    }
}

/// Logs `message` at `level`, once per process whatever the number of
/// workers building the app.
pub(crate) fn once(level: log::Level, message: String) {
    static LOGGED: Mutex<Vec<String>> = Mutex::new(Vec::new());
    if !log::log_enabled!(level) {
        return;
    }
    {
        let mut logged = LOGGED.lock().unwrap_or_else(PoisonError::into_inner);
        if logged.contains(&message) {
            return;
        }
        logged.push(message.clone());
    }
    log::log!(level, "{message}");
}

/// Logs a route's effective policy at info level, once per policy: actix-web
/// builds the middleware once per worker, and the summary is wanted once.
///
/// `full_path` gives the route's path with its scope prefixes, when known; it
/// is only called when the line is logged.
pub(crate) fn log_policy(policy: &'static Policy, full_path: impl FnOnce() -> Option<String>) {
    static LOGGED: Mutex<Vec<usize>> = Mutex::new(Vec::new());
    if !log::log_enabled!(log::Level::Info) {
        return;
    }
    let key = std::ptr::from_ref(policy) as usize;
    {
        let mut logged = LOGGED.lock().unwrap_or_else(PoisonError::into_inner);
        if logged.contains(&key) {
            return;
        }
        logged.push(key);
    }
    let full_path = full_path();
    let full_path = full_path.as_deref();
    log::info!("{}", Summary { policy, full_path });
}

/// Logs a scope's default policy at info level, once per scope prefix.
pub(crate) fn log_default(policy: &Policy, prefix: &str) {
    if !log::log_enabled!(log::Level::Info) {
        return;
    }
    let scope = if prefix.is_empty() {
        "the app".to_owned()
    } else {
        format!("scope `{prefix}`")
    };
    let summary = Summary {
        policy,
        full_path: None,
    }
    .to_string();
    let rest = summary.split_once(": ").map_or("", |(_, rest)| rest);
    once(
        log::Level::Info,
        format!("CORS default policy of {scope}, for its routes without #[cors] and its 404 and 405: {rest}"),
    );
}

/// A policy, rendered for the startup log.
struct Summary<'a> {
    policy: &'a Policy,
    full_path: Option<&'a str>,
}

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.policy;
        let text = |v: &HeaderValue| String::from_utf8_lossy(v.as_bytes()).into_owned();
        match self.full_path {
            Some(path) => {
                let methods = p.route.split(' ').next().unwrap_or_default();
                write!(f, "CORS policy of {methods} {path}: origins ")?;
            }
            None => write!(f, "CORS policy of {}: origins ", p.route)?,
        }
        match &p.origins {
            AllowOrigin::Any => f.write_str("* (any origin)")?,
            AllowOrigin::List(list) => {
                let mut first = true;
                for o in list.exact {
                    write!(f, "{}{}", if first { "" } else { ", " }, o.text)?;
                    first = false;
                }
                for pat in list.patterns {
                    write!(f, "{}{pat}", if first { "" } else { ", " })?;
                    first = false;
                }
            }
            AllowOrigin::Runtime(set) if set.is_set() => {
                write!(f, "from the startup list `{}`", set.name())?
            }
            AllowOrigin::Runtime(set) => write!(
                f,
                "from the startup list `{}`, NOT FILLED YET (no origin is allowed until it is)",
                set.name()
            )?,
        }
        write!(f, "; methods {}", text(&p.allow_methods))?;
        match &p.headers {
            AllowHeaders::None => f.write_str("; request headers: CORS-safelisted only")?,
            AllowHeaders::List { value, .. } => write!(f, "; request headers {}", text(value))?,
            AllowHeaders::Any if p.credentials => f.write_str(
                "; request headers: any (requested names echoed, as credentials forbid `*`)",
            )?,
            AllowHeaders::Any => {
                f.write_str("; request headers: any (`*`; `authorization` named when requested)")?
            }
        }
        write!(
            f,
            "; credentials {}",
            if p.credentials { "yes" } else { "no" }
        )?;
        match &p.expose {
            Some(v) => write!(f, "; expose {}", text(v))?,
            None => f.write_str("; expose none")?,
        }
        match &p.max_age {
            Some(v) => write!(f, "; max-age {}s", text(v))?,
            None => f.write_str("; max-age not sent (browsers cache preflights 5s)")?,
        }
        if p.timing {
            f.write_str("; timing allowed (Timing-Allow-Origin as Access-Control-Allow-Origin)")?;
        }
        if p.private_network {
            f.write_str("; private network access allowed")?;
        }
        Ok(())
    }
}

/// A rejection, rendered for the log with the request it refers to: the route,
/// the origin, the exact reason, and the error the browser will show.
struct Explain<'a> {
    policy: &'a Policy,
    headers: &'a HeaderMap,
    rejection: &'a Rejection,
    /// The route, as [`Label`] names it.
    route: &'a str,
}

/// The most characters of a request header a log line quotes: enough for any
/// real origin or method, and bounded for hostile ones.
const MAX_SHOWN_CHARS: usize = 200;

/// A request header's value, for a log line: bounded, control characters
/// replaced, `(none)` when absent.
pub(crate) fn show(v: Option<&HeaderValue>) -> String {
    match v {
        None => "(none)".to_owned(),
        Some(v) => String::from_utf8_lossy(v.as_bytes())
            .chars()
            .take(MAX_SHOWN_CHARS)
            .map(|c| if c.is_control() { '\u{fffd}' } else { c })
            .collect(),
    }
}

/// What Chromium's console says when a request gets no usable
/// `Access-Control-Allow-Origin`.
const NO_ACAO: &str =
    "No 'Access-Control-Allow-Origin' header is present on the requested resource.";

/// The prefix Chromium puts before a failed preflight's error.
const PREFLIGHT_FAILED: &str = "Response to preflight request doesn't pass access control check:";

/// Why a request's `Origin` was not allowed: the exact reason for the log.
fn origin_problem(policy: &Policy, headers: &HeaderMap) -> &'static str {
    let mut all = headers.get_all(header::ORIGIN);
    let Some(first) = all.next() else {
        return "no `Origin` header";
    };
    if all.next().is_some() {
        return "several `Origin` lines, which never match";
    }
    let value = first.as_bytes();
    if value.is_empty() {
        return "empty `Origin`, which never matches";
    }
    if value.eq_ignore_ascii_case(b"null") {
        return "origin `null` (sandboxed iframes, `file:` and `data:` pages, cross-origin redirects) is never allowed";
    }
    if crate::rules::parse_request_origin(value).is_none() {
        return "malformed `Origin` (not a serialized origin such as `https://app.example.com`), which never matches";
    }
    if let AllowOrigin::Runtime(set) = &policy.origins {
        if !set.is_set() {
            return "origin not allowed: the route's origin set was never filled, so no origin is allowed";
        }
    }
    if policy.route == DEFAULT_ROUTE {
        "origin not allowed by the default policy"
    } else {
        "origin not allowed by the route's policy"
    }
}

/// The `route` of a default policy's `Policy`.
pub(crate) const DEFAULT_ROUTE: &str = "a route without #[cors] (default policy)";

impl fmt::Display for Explain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let origin = show(self.headers.get(header::ORIGIN));
        let method = show(self.headers.get(ACCESS_CONTROL_REQUEST_METHOD));
        write!(
            f,
            "CORS preflight rejected (403) on {} from origin `{origin}`: ",
            self.route
        )?;
        // The rejection carries no CORS headers, so whatever the reason the
        // browser first misses `Access-Control-Allow-Origin`; the error the
        // reason itself stands for is named after it.
        let underlying = match self.rejection {
            Rejection::Origin => {
                f.write_str(origin_problem(self.policy, self.headers))?;
                None
            }
            Rejection::MalformedMethod => {
                write!(
                    f,
                    "malformed Access-Control-Request-Method `{method}` (several lines, or not a method name)"
                )?;
                None
            }
            Rejection::Method => {
                write!(
                    f,
                    "method `{method}` not allowed (allowed: {}",
                    self.policy.methods.join(", ")
                )?;
                if self
                    .policy
                    .methods
                    .iter()
                    .any(|m| m.eq_ignore_ascii_case(&method))
                {
                    write!(
                        f,
                        "; methods match case-sensitively and browsers send `{method}` as written"
                    )?;
                }
                f.write_str(")")?;
                Some(format!(
                    "Method {method} is not allowed by Access-Control-Allow-Methods in preflight response."
                ))
            }
            Rejection::Header(line, start, end) => {
                let all = self
                    .headers
                    .get_all(ACCESS_CONTROL_REQUEST_HEADERS)
                    .nth(*line)
                    .map(HeaderValue::as_bytes)
                    .unwrap_or_default();
                let name = String::from_utf8_lossy(all.get(*start..*end).unwrap_or(b"?"));
                write!(f, "header `{name}` not allowed")?;
                match &self.policy.headers {
                    AllowHeaders::List { names, .. } => {
                        write!(f, " (allowed: {})", names.join(", "))?
                    }
                    _ => f.write_str(" (the route allows only CORS-safelisted headers)")?,
                }
                Some(format!(
                    "Request header field {name} is not allowed by Access-Control-Allow-Headers in preflight response."
                ))
            }
            Rejection::MalformedHeaders => {
                write!(
                    f,
                    "malformed Access-Control-Request-Headers (an item that is not a header name, a line longer than {MAX_REQUEST_HEADERS_LEN} bytes, or more than {MAX_EMPTY_ITEMS} empty items)"
                )?;
                None
            }
        };
        write!(f, "; the browser reports \"{PREFLIGHT_FAILED} {NO_ACAO}\"")?;
        if let Some(underlying) = underlying {
            write!(
                f,
                " (a preflight answered without the refusal would fail with \"{underlying}\")"
            )?;
        }
        Ok(())
    }
}
