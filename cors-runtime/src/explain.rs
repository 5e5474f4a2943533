//! Log lines: the policy summary of each route, and messages logged once.

use std::fmt;
use std::sync::{Mutex, PoisonError};

use actix_web::http::header::HeaderValue;

use crate::policy::{AllowHeaders, AllowOrigin, Policy};

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
                    write!(f, "{}{o}", if first { "" } else { ", " })?;
                    first = false;
                }
                for pat in list.patterns {
                    write!(
                        f,
                        "{}{}://*.{}",
                        if first { "" } else { ", " },
                        pat.scheme,
                        pat.suffix
                    )?;
                    if let Some(port) = pat.port {
                        write!(f, ":{port}")?;
                    }
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
        if p.private_network {
            f.write_str("; private network access allowed")?;
        }
        Ok(())
    }
}
