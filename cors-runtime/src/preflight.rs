//! Answering a preflight (`OPTIONS` + `Origin` + `Access-Control-Request-Method`).

use std::fmt;

use actix_web::http::header::{
    self, HeaderMap, HeaderName, HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS,
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, VARY,
};
use actix_web::http::{Method, StatusCode};
use actix_web::HttpResponse;

use crate::origins::{single_origin, Matched};
use crate::policy::{AllowHeaders, Policy};
use crate::rules::{is_tchar, is_token};

/// The longest `Access-Control-Request-Headers` value accepted, in bytes.
/// Browsers send a short, sorted list; anything longer is rejected before it
/// is parsed, so hostile input costs bounded work.
pub const MAX_REQUEST_HEADERS_LEN: usize = 4096;

/// The most empty items tolerated in `Access-Control-Request-Headers`.
pub const MAX_EMPTY_ITEMS: usize = 16;

/// `true`, for `Access-Control-Allow-Credentials` (and Private Network Access).
pub(crate) static TRUE: HeaderValue = HeaderValue::from_static("true");
/// `*`, for any origin (and any header, without credentials).
pub(crate) static ANY: HeaderValue = HeaderValue::from_static("*");
static PREFLIGHT_VARY: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);
const REQUEST_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-request-private-network");
const ALLOW_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-allow-private-network");

/// Whether a request is a CORS preflight: `OPTIONS` with both an `Origin` and an
/// `Access-Control-Request-Method` header.
pub fn is_preflight(method: &Method, headers: &HeaderMap) -> bool {
    method == Method::OPTIONS
        && headers.contains_key(header::ORIGIN)
        && headers.contains_key(ACCESS_CONTROL_REQUEST_METHOD)
}

/// The response to a preflight: `204` with the policy's headers, or `403`
/// with none, the reason logged at debug level.
pub(crate) fn answer(policy: &Policy, headers: &HeaderMap) -> HttpResponse {
    match respond(policy, headers) {
        Ok(res) => res,
        Err(rejection) => {
            if log::log_enabled!(log::Level::Debug) {
                let explain = Explain {
                    policy,
                    headers,
                    rejection: &rejection,
                };
                log::debug!("{explain}");
            }
            HttpResponse::new(StatusCode::FORBIDDEN)
        }
    }
}

/// Logs, at debug level, an actual request from an origin the policy does
/// not allow (the handler runs; the browser hides the response).
pub(crate) fn log_refused_actual(policy: &Policy, headers: &HeaderMap) {
    if let Some(origin) = headers.get(header::ORIGIN) {
        log::debug!(
            "CORS request refused on {} from origin `{}`: {}; the handler ran, but its response carries no CORS headers, so the browser hides it from the page and reports \"{}\"",
            policy.route,
            String::from_utf8_lossy(origin.as_bytes()).replace(char::is_control, "\u{fffd}"),
            origin_problem(policy, headers),
            NO_ACAO,
        );
    }
}

/// Why a preflight was rejected. Shown in the debug log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// The origin is not allowed, or the `Origin` header is malformed or repeated.
    Origin,
    /// The requested method is not allowed (byte-exact match).
    Method,
    /// The `Access-Control-Request-Method` value is repeated or not a token.
    MalformedMethod,
    /// One requested header is not allowed.
    /// (line, start, end) of the offending name in the request's header lines.
    Header(usize, usize, usize),
    /// The `Access-Control-Request-Headers` value is not a valid list.
    MalformedHeaders,
}

/// The outcome of a preflight: the response, and the rejection if there was one.
pub(crate) fn respond(policy: &Policy, headers: &HeaderMap) -> Result<HttpResponse, Rejection> {
    let acao = match policy.origins.matches(single_origin(headers)) {
        Matched::Any => ANY.clone(),
        Matched::Echo(v) => v,
        Matched::Denied => return Err(Rejection::Origin),
    };

    let mut acrm = headers.get_all(ACCESS_CONTROL_REQUEST_METHOD);
    let method = match (acrm.next(), acrm.next()) {
        (Some(m), None) if is_token(m.as_bytes()) => m,
        _ => return Err(Rejection::MalformedMethod),
    };
    if !policy
        .methods
        .iter()
        .any(|m| m.as_bytes() == method.as_bytes())
    {
        return Err(Rejection::Method);
    }

    let allow_headers = check_request_headers(policy, headers)?;

    let mut res = HttpResponse::new(StatusCode::NO_CONTENT);
    let out = res.headers_mut();
    out.append(ACCESS_CONTROL_ALLOW_ORIGIN, acao);
    if policy.credentials {
        out.append(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE.clone());
    }
    out.append(ACCESS_CONTROL_ALLOW_METHODS, policy.allow_methods.clone());
    if let Some(v) = allow_headers {
        out.append(ACCESS_CONTROL_ALLOW_HEADERS, v);
    }
    if let Some(v) = &policy.max_age {
        out.append(ACCESS_CONTROL_MAX_AGE, v.clone());
    }
    if policy.private_network
        && headers
            .get(REQUEST_PRIVATE_NETWORK)
            .is_some_and(|v| v.as_bytes() == b"true")
    {
        out.append(ALLOW_PRIVATE_NETWORK, TRUE.clone());
    }
    out.append(VARY, PREFLIGHT_VARY.clone());
    Ok(res)
}

/// Checks every requested header against the policy and returns the
/// `Access-Control-Allow-Headers` value to send, if any.
fn check_request_headers(
    policy: &Policy,
    headers: &HeaderMap,
) -> Result<Option<HeaderValue>, Rejection> {
    let mut requested = headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS);
    let first = requested.next();
    let joined_single = match (first, requested.next()) {
        (None, _) => None,
        (Some(v), None) => Some(v),
        // Several lines: check each; an echo joins their names into one list.
        (Some(_), Some(_)) => {
            let mut any_auth = false;
            for (line, v) in headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS).enumerate() {
                any_auth |= check_list(policy, line, v.as_bytes())?.0;
            }
            return Ok(allow_value(policy, None, any_auth, headers));
        }
    };
    let Some(value) = joined_single else {
        return Ok(match &policy.headers {
            AllowHeaders::List { value, .. } => Some(value.clone()),
            _ => None,
        });
    };
    let (has_auth, clean) = check_list(policy, 0, value.as_bytes())?;
    Ok(allow_value(
        policy,
        clean.then_some(value),
        has_auth,
        headers,
    ))
}

/// `echo` is the request's single, clean ACRH line, if it is one.
fn allow_value(
    policy: &Policy,
    echo: Option<&HeaderValue>,
    has_auth: bool,
    headers: &HeaderMap,
) -> Option<HeaderValue> {
    match &policy.headers {
        AllowHeaders::None => None,
        AllowHeaders::List { value, .. } => Some(value.clone()),
        // `*` never covers `Authorization`, and never counts with credentials:
        // echo the names that were checked instead.
        AllowHeaders::Any if policy.credentials || has_auth => match echo {
            Some(v) => Some(v.clone()),
            None => names_only(headers),
        },
        AllowHeaders::Any => Some(ANY.clone()),
    }
}

/// The requested names of every ACRH line as one list without empty items
/// (rare: browsers send one clean line). Every name was checked to be a token.
fn names_only(headers: &HeaderMap) -> Option<HeaderValue> {
    let mut out = Vec::new();
    for v in headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS) {
        for name in v.as_bytes().split(|&b| b == b',').map(trim_ows) {
            if !name.is_empty() {
                if !out.is_empty() {
                    out.extend_from_slice(b", ");
                }
                out.extend_from_slice(name);
            }
        }
    }
    if out.is_empty() {
        return None;
    }
    HeaderValue::from_bytes(&out).ok()
}

/// Walks one comma-separated list of header names without allocating.
/// Returns whether `authorization` was among them, and whether the list had
/// no empty item (so it can be echoed as it is).
fn check_list(policy: &Policy, line: usize, list: &[u8]) -> Result<(bool, bool), Rejection> {
    if list.len() > MAX_REQUEST_HEADERS_LEN {
        return Err(Rejection::MalformedHeaders);
    }
    let mut empty = 0;
    let mut has_auth = false;
    let mut start = 0;
    for item in list.split(|&b| b == b',') {
        let item_start = start;
        start += item.len() + 1;
        let name = trim_ows(item);
        if name.is_empty() {
            empty += 1;
            if empty > MAX_EMPTY_ITEMS {
                return Err(Rejection::MalformedHeaders);
            }
            continue;
        }
        if !name.iter().all(|&b| TCHAR[usize::from(b)]) {
            return Err(Rejection::MalformedHeaders);
        }
        has_auth |= name.eq_ignore_ascii_case(b"authorization");
        let allowed = match &policy.headers {
            AllowHeaders::Any => true,
            AllowHeaders::None => false,
            AllowHeaders::List { names, .. } => names
                .iter()
                .any(|n| n.as_bytes().eq_ignore_ascii_case(name)),
        };
        if !allowed {
            let offset = item_start + (name.as_ptr() as usize - item.as_ptr() as usize);
            return Err(Rejection::Header(line, offset, offset + name.len()));
        }
    }
    Ok((has_auth, empty == 0))
}

/// `is_tchar` as a table: one load per byte of the list instead of a chain
/// of range checks.
static TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = is_tchar(b as u8);
        b += 1;
    }
    table
};

fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// A rejection, rendered for the log with the request it refers to: the route,
/// the origin, the exact reason, and the error the browser will show.
pub(crate) struct Explain<'a> {
    pub(crate) policy: &'a Policy,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) rejection: &'a Rejection,
}

fn show(v: Option<&HeaderValue>) -> String {
    match v {
        None => "(none)".to_owned(),
        Some(v) => String::from_utf8_lossy(v.as_bytes())
            .chars()
            .take(200)
            .map(|c| if c.is_control() { '\u{fffd}' } else { c })
            .collect(),
    }
}

/// What Chromium's console says when a request gets no usable
/// `Access-Control-Allow-Origin`.
pub(crate) const NO_ACAO: &str =
    "No 'Access-Control-Allow-Origin' header is present on the requested resource.";

/// The prefix Chromium puts before a failed preflight's error.
const PREFLIGHT_FAILED: &str = "Response to preflight request doesn't pass access control check:";

/// Why a request's `Origin` was not allowed: the exact reason for the log.
pub(crate) fn origin_problem(policy: &Policy, headers: &HeaderMap) -> &'static str {
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
    if let crate::policy::AllowOrigin::Runtime(set) = &policy.origins {
        if !set.is_set() {
            return "origin not allowed: the route's origin set was never filled, so no origin is allowed";
        }
    }
    "origin not allowed by the route's policy"
}

impl fmt::Display for Explain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let origin = show(self.headers.get(header::ORIGIN));
        let method = show(self.headers.get(ACCESS_CONTROL_REQUEST_METHOD));
        write!(
            f,
            "CORS preflight rejected (403) on {} from origin `{origin}`: ",
            self.policy.route
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
