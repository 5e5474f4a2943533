//! Decorating an actual response: the policy's CORS headers, and `Vary`.

use actix_web::http::header::{
    HeaderMap, HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, VARY,
};

use crate::headers::{ANY, TIMING_ALLOW_ORIGIN, TRUE, VARY_ORIGIN};
use crate::matching::Matched;
use crate::policy::Policy;

/// Puts the policy's headers on an actual response, replacing any the handler set.
pub(crate) fn decorate(policy: &Policy, matched: Matched, headers: &mut HeaderMap) {
    // Handlers rarely set these headers themselves. One pass over the names
    // tells; then plain appends do, where `insert` and `remove` would each look
    // the name up and build the replaced values (measurable on this path).
    let (has_cors, has_vary) = present(headers, policy.timing);
    if has_cors {
        headers.remove(ACCESS_CONTROL_ALLOW_ORIGIN);
        headers.remove(ACCESS_CONTROL_ALLOW_CREDENTIALS);
        headers.remove(ACCESS_CONTROL_EXPOSE_HEADERS);
        if policy.timing {
            headers.remove(TIMING_ALLOW_ORIGIN);
        }
    }
    match matched {
        Matched::Any => {
            headers.append(ACCESS_CONTROL_ALLOW_ORIGIN, ANY.clone());
            if let Some(v) = &policy.expose {
                headers.append(ACCESS_CONTROL_EXPOSE_HEADERS, v.clone());
            }
            if policy.timing {
                headers.append(TIMING_ALLOW_ORIGIN, ANY.clone());
            }
        }
        Matched::Echo(origin) => {
            if policy.timing {
                headers.append(TIMING_ALLOW_ORIGIN, origin.clone());
            }
            headers.append(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            if policy.credentials {
                headers.append(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE.clone());
            }
            if let Some(v) = &policy.expose {
                headers.append(ACCESS_CONTROL_EXPOSE_HEADERS, v.clone());
            }
            vary_origin(headers, has_vary);
        }
        Matched::Denied => {
            if policy.origins.varies() {
                vary_origin(headers, has_vary);
            }
        }
    }
}

/// Whether `headers` has any of the CORS headers `decorate` writes (with
/// `Timing-Allow-Origin` when `timing`), and whether it has a `Vary`.
fn present(headers: &HeaderMap, timing: bool) -> (bool, bool) {
    let (mut cors, mut vary) = (false, false);
    for name in headers.keys() {
        if name == VARY {
            vary = true;
        } else if name == ACCESS_CONTROL_ALLOW_ORIGIN
            || name == ACCESS_CONTROL_ALLOW_CREDENTIALS
            || name == ACCESS_CONTROL_EXPOSE_HEADERS
            || (timing && name == TIMING_ALLOW_ORIGIN)
        {
            cors = true;
        }
    }
    (cors, vary)
}

/// Makes `Vary` cover `Origin`.
fn vary_origin(headers: &mut HeaderMap, has_vary: bool) {
    if has_vary {
        merge_vary(headers);
    } else {
        headers.append(VARY, VARY_ORIGIN.clone());
    }
}

/// Whether some `Vary` line names `Origin` or is `*`.
fn vary_covers_origin(headers: &HeaderMap) -> bool {
    headers.get_all(VARY).any(|v| {
        v.as_bytes().split(|&b| b == b',').any(|item| {
            let item = item.trim_ascii();
            item == b"*" || item.eq_ignore_ascii_case(b"origin")
        })
    })
}

/// Adds `Origin` to `Vary`, keeping what is there; one line either way.
fn merge_vary(headers: &mut HeaderMap) {
    let mut existing = headers.get_all(VARY).peekable();
    if existing.peek().is_none() {
        headers.append(VARY, VARY_ORIGIN.clone());
        return;
    }
    if vary_covers_origin(headers) {
        return;
    }
    let mut joined = Vec::new();
    for v in headers.get_all(VARY) {
        let item = v.as_bytes().trim_ascii();
        if !item.is_empty() {
            joined.extend_from_slice(item);
            joined.extend_from_slice(b", ");
        }
    }
    joined.extend_from_slice(b"Origin");
    if let Ok(v) = HeaderValue::from_bytes(&joined) {
        headers.insert(VARY, v);
    }
}
