//! The name rules: methods, request and exposed header names, `max_age`.
//! Part of [`rules`](super); re-exported there.

use std::fmt;

/// Whether `s` is an HTTP token (RFC 9110 §5.6.2), the syntax of method and
/// header names.
///
/// ```
/// use route_cors::rules::is_token;
///
/// assert!(is_token(b"x-request-id"));
/// assert!(!is_token(b"x request id"));
/// ```
pub const fn is_token(s: &[u8]) -> bool {
    if s.is_empty() {
        return false;
    }
    let mut i = 0;
    while i < s.len() {
        if !is_tchar(s[i]) {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether `b` may appear in an HTTP token.
///
/// ```
/// use route_cors::rules::is_tchar;
///
/// assert!(is_tchar(b'-'));
/// assert!(!is_tchar(b','));
/// ```
pub const fn is_tchar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
        | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

/// Why a method, request header or exposed header name, or a `max_age`, is
/// rejected.
///
/// Its [`Display`](fmt::Display) is the message the `#[cors]` attribute reports.
///
/// ```
/// use route_cors::rules::{check_method, NameReason};
///
/// let err = check_method("TRACE").unwrap_err();
/// assert_eq!(err.reason(), NameReason::ForbiddenMethod);
/// assert_eq!(err.input(), "TRACE");
/// assert!(err.to_string().starts_with("method `TRACE` is forbidden by the Fetch standard"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameError {
    input: String,
    reason: NameReason,
}

/// The rule a rejected name or `max_age` breaks.
///
/// ```
/// use route_cors::rules::{check_exposed_header, check_request_header, NameReason};
///
/// assert_eq!(check_request_header("Cookie").unwrap_err().reason(), NameReason::ForbiddenRequestHeader);
/// assert_eq!(check_exposed_header("Set-Cookie").unwrap_err().reason(), NameReason::HiddenResponseHeader);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NameReason {
    /// A method that is not an HTTP token.
    MethodNotAToken,
    /// A header name that is not an HTTP token.
    HeaderNotAToken,
    /// `CONNECT`, `TRACE` or `TRACK`, which the Fetch standard forbids.
    ForbiddenMethod,
    /// A request header browsers set themselves (`Cookie`, `Sec-…`, `Proxy-…`).
    ForbiddenRequestHeader,
    /// A response header named as a request header.
    ResponseOnlyHeader,
    /// `Set-Cookie`, which browsers never expose.
    HiddenResponseHeader,
    /// A request header named as an exposed response header.
    RequestOnlyHeader,
    /// A negative `max_age`.
    NegativeMaxAge,
    /// A `max_age` above [`MAX_AGE_LIMIT`].
    MaxAgeTooLarge,
}

impl NameError {
    fn new(input: impl Into<String>, reason: NameReason) -> Self {
        Self {
            input: input.into(),
            reason,
        }
    }

    /// The rule the value breaks.
    ///
    /// ```
    /// use route_cors::rules::{check_max_age, NameReason};
    ///
    /// assert_eq!(check_max_age(-1).unwrap_err().reason(), NameReason::NegativeMaxAge);
    /// ```
    pub fn reason(&self) -> NameReason {
        self.reason
    }

    /// The value that was checked (for `max_age`, the number as written).
    ///
    /// ```
    /// use route_cors::rules::check_max_age;
    ///
    /// assert_eq!(check_max_age(90_000).unwrap_err().input(), "90000");
    /// ```
    pub fn input(&self) -> &str {
        &self.input
    }
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.input.as_str();
        match self.reason {
            NameReason::MethodNotAToken => not_a_token(f, "method", s, token_fix(s, ""), "PATCH"),
            NameReason::HeaderNotAToken => {
                not_a_token(f, "header", s, token_fix(s, "-"), "x-request-id")
            }
            NameReason::ForbiddenMethod => write!(f, "method `{s}` is forbidden by the Fetch standard: browsers never send it cross-origin; remove it"),
            NameReason::ForbiddenRequestHeader => write!(f, "header `{s}` is a forbidden request header: browsers set it themselves and scripts cannot send it; remove it"),
            NameReason::ResponseOnlyHeader => write!(f, "header `{s}` is a response header; it is never sent on a request, so it needs no allowing; remove it"),
            NameReason::HiddenResponseHeader => write!(f, "header `{s}` can never be exposed: browsers hide it from scripts whatever the server says; remove it"),
            NameReason::RequestOnlyHeader => write!(f, "header `{s}` is a request header; it is never on a response; remove it"),
            NameReason::NegativeMaxAge => write!(f, "`max_age = {s}` is negative; use a number of seconds from 0 to {MAX_AGE_LIMIT}"),
            NameReason::MaxAgeTooLarge => write!(f, "`max_age = {s}` is above {MAX_AGE_LIMIT} (one day); browsers cap it anyway (Chromium at 7200); use at most {MAX_AGE_LIMIT}"),
        }
    }
}

impl std::error::Error for NameError {}

/// What to write instead of `name`, which is not an HTTP token: inner spaces
/// become `space` and other characters a token cannot have are dropped.
/// `None` if nothing is left.
fn token_fix(name: &str, space: &str) -> Option<String> {
    let mut fixed = String::new();
    for c in name.trim().chars() {
        if c == ' ' || c == '\t' {
            fixed.push_str(space);
        } else if c.is_ascii() && is_tchar(c as u8) {
            fixed.push(c);
        }
    }
    (!fixed.is_empty() && fixed != name).then_some(fixed)
}

fn not_a_token(
    f: &mut fmt::Formatter<'_>,
    what: &str,
    name: &str,
    fix: Option<String>,
    example: &str,
) -> fmt::Result {
    write!(f, "{what} `{name}` is not a valid {what} name: it has spaces or separators, which HTTP tokens cannot have; ")?;
    match fix {
        Some(fix) => write!(f, "write `{fix}`"),
        None => write!(f, "write a name such as `{example}`"),
    }
}

/// Checks a method name for `methods = [..]`.
///
/// ```
/// use route_cors::rules::check_method;
///
/// assert!(check_method("PATCH").is_ok());
/// assert!(check_method("GE T").is_err());
/// assert!(check_method("connect").is_err());
/// ```
pub fn check_method(m: &str) -> Result<(), NameError> {
    if !is_token(m.as_bytes()) {
        return Err(NameError::new(m, NameReason::MethodNotAToken));
    }
    if ["CONNECT", "TRACE", "TRACK"]
        .iter()
        .any(|f| f.eq_ignore_ascii_case(m))
    {
        return Err(NameError::new(m, NameReason::ForbiddenMethod));
    }
    Ok(())
}

const FORBIDDEN_REQUEST_HEADERS: &[&str] = &[
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

const RESPONSE_ONLY_HEADERS: &[&str] = &["access-control-expose-headers", "access-control-max-age"];

/// Whether a page can never set the request header `name` (the Fetch
/// standard's forbidden request-header names, `Proxy-` and `Sec-` included):
/// browsers set these themselves, and `fetch` drops them silently.
///
/// ```
/// use route_cors::rules::is_forbidden_request_header;
///
/// assert!(is_forbidden_request_header("Cookie"));
/// assert!(is_forbidden_request_header("sec-fetch-mode"));
/// assert!(!is_forbidden_request_header("authorization"));
/// ```
pub fn is_forbidden_request_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    FORBIDDEN_REQUEST_HEADERS.contains(&lower.as_str())
        || lower.starts_with("proxy-")
        || lower.starts_with("sec-")
}

/// Checks a request header name for `headers = [..]` and returns it in lower case.
///
/// ```
/// use route_cors::rules::check_request_header;
///
/// assert_eq!(check_request_header("X-Request-Id").unwrap(), "x-request-id");
/// assert!(check_request_header("Cookie").is_err()); // forbidden: browsers set it
/// ```
pub fn check_request_header(h: &str) -> Result<String, NameError> {
    if !is_token(h.as_bytes()) {
        return Err(NameError::new(h, NameReason::HeaderNotAToken));
    }
    let lower = h.to_ascii_lowercase();
    if is_forbidden_request_header(&lower) {
        return Err(NameError::new(h, NameReason::ForbiddenRequestHeader));
    }
    if lower.starts_with("access-control-allow-") || RESPONSE_ONLY_HEADERS.contains(&lower.as_str())
    {
        return Err(NameError::new(h, NameReason::ResponseOnlyHeader));
    }
    Ok(lower)
}

/// Checks an exposed response header name for `expose = [..]` and returns it in lower case.
///
/// ```
/// use route_cors::rules::check_exposed_header;
///
/// assert_eq!(check_exposed_header("ETag").unwrap(), "etag");
/// assert!(check_exposed_header("Set-Cookie").is_err()); // never readable by scripts
/// ```
pub fn check_exposed_header(h: &str) -> Result<String, NameError> {
    if !is_token(h.as_bytes()) {
        return Err(NameError::new(h, NameReason::HeaderNotAToken));
    }
    let lower = h.to_ascii_lowercase();
    if lower == "set-cookie" || lower == "set-cookie2" {
        return Err(NameError::new(h, NameReason::HiddenResponseHeader));
    }
    if matches!(
        lower.as_str(),
        "origin" | "access-control-request-method" | "access-control-request-headers"
    ) {
        return Err(NameError::new(h, NameReason::RequestOnlyHeader));
    }
    Ok(lower)
}

/// The largest `max_age` accepted, in seconds (one day, Firefox's cap).
///
/// ```
/// use route_cors::rules::{check_max_age, MAX_AGE_LIMIT};
///
/// assert!(check_max_age(i128::from(MAX_AGE_LIMIT)).is_ok());
/// assert!(check_max_age(i128::from(MAX_AGE_LIMIT) + 1).is_err());
/// ```
pub const MAX_AGE_LIMIT: u64 = 86_400;

/// Checks a `max_age` value in seconds.
///
/// ```
/// use route_cors::rules::check_max_age;
///
/// assert_eq!(check_max_age(600).unwrap(), 600);
/// assert!(check_max_age(-1).is_err());
/// ```
pub fn check_max_age(secs: i128) -> Result<u32, NameError> {
    if secs < 0 {
        return Err(NameError::new(secs.to_string(), NameReason::NegativeMaxAge));
    }
    if secs > i128::from(MAX_AGE_LIMIT) {
        return Err(NameError::new(secs.to_string(), NameReason::MaxAgeTooLarge));
    }
    Ok(secs as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            check_request_header("X-Request-Id").unwrap(),
            "x-request-id"
        );
        assert!(check_request_header("cookie").is_err());
        assert!(check_request_header("Sec-Fetch-Mode").is_err());
        assert!(check_request_header("proxy-authorization").is_err());
        assert!(check_request_header("access-control-allow-origin").is_err());
        assert!(check_request_header("bad header").is_err());
        assert!(check_exposed_header("set-cookie").is_err());
        assert!(check_exposed_header("origin").is_err());
        assert_eq!(check_exposed_header("X-Total").unwrap(), "x-total");
        assert!(check_method("TRACE").is_err());
        assert!(check_method("track").is_err());
        assert!(check_method("PATCH").is_ok());
        assert!(check_method("P@TCH").is_err());
        for (bad, msg) in [
            (check_method("GE T"), "method `GE T` is not a valid method name: it has spaces or separators, which HTTP tokens cannot have; write `GET`"),
            (check_method("TRACE"), "method `TRACE` is forbidden by the Fetch standard: browsers never send it cross-origin; remove it"),
            (check_request_header("x request id").map(drop), "header `x request id` is not a valid header name: it has spaces or separators, which HTTP tokens cannot have; write `x-request-id`"),
            (check_exposed_header("x-id:").map(drop), "header `x-id:` is not a valid header name: it has spaces or separators, which HTTP tokens cannot have; write `x-id`"),
            (check_exposed_header("()").map(drop), "header `()` is not a valid header name: it has spaces or separators, which HTTP tokens cannot have; write a name such as `x-request-id`"),
        ] {
            assert_eq!(bad.unwrap_err().to_string(), msg);
        }
        assert_eq!(check_max_age(600).unwrap(), 600);
        assert!(check_max_age(-1).is_err());
        assert!(check_max_age(86_401).is_err());
    }
}
