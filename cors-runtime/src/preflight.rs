//! Answering a preflight (`OPTIONS` + `Origin` + `Access-Control-Request-Method`):
//! the protocol only. Rendering a rejection for the log is in `explain`.

use actix_web::http::header::{
    self, HeaderMap, HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS,
    ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, VARY,
};
use actix_web::http::{Method, StatusCode};
use actix_web::HttpResponse;

use crate::headers::{ALLOW_PRIVATE_NETWORK, ANY, PREFLIGHT_VARY, REQUEST_PRIVATE_NETWORK, TRUE};
use crate::matching::Matched;
use crate::policy::{AllowHeaders, Policy};
use crate::rules::{is_tchar, is_token, MAX_EMPTY_ITEMS, MAX_REQUEST_HEADERS_LEN};

/// What a preflight asks: its `Origin` and `Access-Control-Request-Method`
/// lines, each looked up once.
#[derive(Clone, Copy)]
pub(crate) struct Asked<'a> {
    origin: &'a [HeaderValue],
    method: &'a [HeaderValue],
}

/// The request's preflight, if it is one: `OPTIONS` with both an `Origin`
/// and an `Access-Control-Request-Method` header.
pub(crate) fn asked<'a>(method: &Method, headers: &'a HeaderMap) -> Option<Asked<'a>> {
    if method != Method::OPTIONS {
        return None;
    }
    let origin = headers.get_all(header::ORIGIN).as_slice();
    let method = headers.get_all(ACCESS_CONTROL_REQUEST_METHOD).as_slice();
    if origin.is_empty() || method.is_empty() {
        return None;
    }
    Some(Asked { origin, method })
}

/// Whether a request is a CORS preflight (see [`asked`]).
pub(crate) fn is_preflight(method: &Method, headers: &HeaderMap) -> bool {
    asked(method, headers).is_some()
}

/// Why a preflight was rejected. Shown in the debug log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rejection {
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
pub(crate) fn respond(
    policy: &Policy,
    headers: &HeaderMap,
    asked: Asked<'_>,
) -> Result<HttpResponse, Rejection> {
    let origin = match asked.origin {
        [one] => Some(one),
        _ => None,
    };
    let acao = match policy.origins.matches(origin) {
        Matched::Any => ANY.clone(),
        Matched::Echo(v) => v,
        Matched::Denied => return Err(Rejection::Origin),
    };

    let method = match asked.method {
        [m] if is_token(m.as_bytes()) => m,
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
/// Returns whether `authorization` was among them (only tracked where it
/// matters, on a `headers = "*"` route), and whether the list had no empty
/// item (so it can be echoed as it is).
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
        let allowed = match &policy.headers {
            // Browsers send the lower-case names a policy lists, so one
            // byte comparison settles it: an allowed name is a token.
            AllowHeaders::List { names, .. } if names.iter().any(|n| n.as_bytes() == name) => true,
            _ if !name.iter().all(|&b| TCHAR[usize::from(b)]) => {
                return Err(Rejection::MalformedHeaders);
            }
            AllowHeaders::Any => {
                has_auth |= name.eq_ignore_ascii_case(b"authorization");
                true
            }
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
