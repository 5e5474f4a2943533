//! The name rules, at their edges: methods (tokens, the three forbidden ones
//! in any case), request header names (the Fetch standard's forbidden names,
//! `Proxy-` and `Sec-` prefixes, response-only headers), exposed header
//! names, and the fix each message suggests for a name that is not a token.
//! Checked through `route_cors::rules::{check_method, check_request_header,
//! check_exposed_header}`.

use route_cors::rules::{check_exposed_header, check_method, check_request_header};

const NOT_A_TOKEN: &str = "it has spaces or separators, which HTTP tokens cannot have";

#[test]
fn methods_are_tokens_and_never_connect_trace_or_track() {
    for ok in [
        "GET",
        "PATCH",
        "get",
        "X-CUSTOM",
        "M!#$%&'*+-.^_`|~9",
        "CONNECTX",
        "TRACES",
        "XTRACK",
    ] {
        assert_eq!(check_method(ok), Ok(()), "{ok}");
    }
    for forbidden in ["CONNECT", "connect", "Trace", "TRACK", "track"] {
        assert_eq!(
            check_method(forbidden).unwrap_err().to_string(),
            format!("method `{forbidden}` is forbidden by the Fetch standard: browsers never send it cross-origin; remove it"),
        );
    }
    for (bad, fix) in [
        ("GE T", "write `GET`"),
        ("GE\tT", "write `GET`"),
        (" GET ", "write `GET`"),
        ("P(A)TCH", "write `PATCH`"),
        ("P\u{e9}TCH", "write `PTCH`"),
        ("", "write a name such as `PATCH`"),
        ("()", "write a name such as `PATCH`"),
        ("  ", "write a name such as `PATCH`"),
    ] {
        assert_eq!(
            check_method(bad).unwrap_err().to_string(),
            format!("method `{bad}` is not a valid method name: {NOT_A_TOKEN}; {fix}"),
            "{bad:?}"
        );
    }
}

#[test]
fn request_headers_exclude_what_browsers_set_and_response_headers() {
    for (ok, lower) in [
        ("X-Request-Id", "x-request-id"),
        ("authorization", "authorization"),
        ("Content-Type", "content-type"),
        ("x-sec-token", "x-sec-token"),
        ("x-proxy-id", "x-proxy-id"),
        ("secret", "secret"),
        ("proxy", "proxy"),
        ("access-control-allow", "access-control-allow"),
        ("access-control-request-id", "access-control-request-id"),
        ("cookies", "cookies"),
    ] {
        assert_eq!(check_request_header(ok).as_deref(), Ok(lower), "{ok}");
    }
    for forbidden in [
        "Cookie",
        "cookie2",
        "Host",
        "Origin",
        "Referer",
        "DNT",
        "TE",
        "Via",
        "Access-Control-Request-Method",
        "access-control-request-headers",
        "Sec-Fetch-Mode",
        "sec-",
        "Proxy-Authorization",
        "proxy-",
    ] {
        assert_eq!(
            check_request_header(forbidden).unwrap_err().to_string(),
            format!("header `{forbidden}` is a forbidden request header: browsers set it themselves and scripts cannot send it; remove it"),
        );
    }
    for response_only in [
        "Access-Control-Allow-Origin",
        "access-control-allow-",
        "access-control-allow-x",
        "Access-Control-Expose-Headers",
        "access-control-max-age",
    ] {
        assert_eq!(
            check_request_header(response_only).unwrap_err().to_string(),
            format!("header `{response_only}` is a response header; it is never sent on a request, so it needs no allowing; remove it"),
        );
    }
    for (bad, fix) in [
        ("x request id", "write `x-request-id`"),
        ("x\trequest", "write `x-request`"),
        ("x-id:", "write `x-id`"),
        ("x-\u{e9}id", "write `x-id`"),
        (":", "write a name such as `x-request-id`"),
        ("", "write a name such as `x-request-id`"),
    ] {
        assert_eq!(
            check_request_header(bad).unwrap_err().to_string(),
            format!("header `{bad}` is not a valid header name: {NOT_A_TOKEN}; {fix}"),
            "{bad:?}"
        );
    }
}

#[test]
fn exposed_headers_exclude_set_cookie_and_request_only_headers() {
    for (ok, lower) in [
        ("ETag", "etag"),
        ("X-Total", "x-total"),
        ("set-cookies", "set-cookies"),
        ("Set-Cookie3", "set-cookie3"),
        ("origin-id", "origin-id"),
        ("Access-Control-Request-Id", "access-control-request-id"),
        ("cookie", "cookie"),
    ] {
        assert_eq!(check_exposed_header(ok).as_deref(), Ok(lower), "{ok}");
    }
    for hidden in ["Set-Cookie", "set-cookie", "SET-COOKIE2"] {
        assert_eq!(
            check_exposed_header(hidden).unwrap_err().to_string(),
            format!("header `{hidden}` can never be exposed: browsers hide it from scripts whatever the server says; remove it"),
        );
    }
    for request_only in [
        "Origin",
        "access-control-request-method",
        "Access-Control-Request-Headers",
    ] {
        assert_eq!(
            check_exposed_header(request_only).unwrap_err().to_string(),
            format!(
                "header `{request_only}` is a request header; it is never on a response; remove it"
            ),
        );
    }
    for (bad, fix) in [
        ("x total", "write `x-total`"),
        ("x-total,", "write `x-total`"),
        ("\"x\"", "write `x`"),
        ("@", "write a name such as `x-request-id`"),
    ] {
        assert_eq!(
            check_exposed_header(bad).unwrap_err().to_string(),
            format!("header `{bad}` is not a valid header name: {NOT_A_TOKEN}; {fix}"),
            "{bad:?}"
        );
    }
}
