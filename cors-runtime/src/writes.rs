//! Cross-origin write protection: whether a state-changing request comes from
//! the request's own origin, and the refusal of one that does not and whose
//! origin the route does not trust (cors-rules §2b).
//!
//! CORS decides who may *read* a response. A form post, a `fetch` with a
//! `text/plain`, form or multipart body, or a `no-cors` request needs no
//! preflight: the browser sends it, cookies included, and only hides the
//! answer. A route's policy is therefore also its trust list for writes.

use actix_web::dev::RequestHead;
use actix_web::http::header::{HeaderMap, HeaderName, HOST, ORIGIN};
use actix_web::http::{Method, StatusCode};
use actix_web::HttpResponse;

use crate::rules::{parse_request_origin, Origin};

/// `Sec-Fetch-Site`: where the browser says the request comes from.
pub(crate) const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

/// Whether the method is one that never changes state, so is never refused:
/// `GET`, `HEAD` and `OPTIONS`.
pub(crate) fn is_safe(method: &Method) -> bool {
    *method == Method::GET || *method == Method::HEAD || *method == Method::OPTIONS
}

/// Where a request comes from, for the write check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Site {
    /// The page's origin is the request's own (or the user typed the URL).
    Same,
    /// No `Sec-Fetch-Site` and no `Origin`: not sent by a browser page (a
    /// server-to-server call, curl, a webhook).
    NotBrowser,
    /// Another origin, for this reason.
    Cross(Why),
}

/// Why a request counts as cross-origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Why {
    /// `Sec-Fetch-Site` says another site or origin (or is unknown, or
    /// repeated).
    FetchSite,
    /// No `Sec-Fetch-Site`; `Origin: null`.
    NullOrigin,
    /// No `Sec-Fetch-Site`; an `Origin` that is not exactly
    /// `scheme://host[:port]` (userinfo, a path, junk), or several of them.
    MalformedOrigin,
    /// No `Sec-Fetch-Site`; the `Origin`'s host or port is not the request's.
    OtherHost,
    /// No `Sec-Fetch-Site`; the request names no host of its own (no `Host`,
    /// no authority), so no origin can be its own.
    NoHost,
}

impl Why {
    /// The rule, for the log line and the explained body.
    pub(crate) fn rule(self) -> &'static str {
        match self {
            Why::FetchSite => "`Sec-Fetch-Site` is neither `same-origin` nor `none`",
            Why::NullOrigin => "no `Sec-Fetch-Site`, and `Origin: null` is never the request's own origin",
            Why::MalformedOrigin => "no `Sec-Fetch-Site`, and the `Origin` is not exactly `scheme://host[:port]`",
            Why::OtherHost => "no `Sec-Fetch-Site`, and the `Origin`'s host and port are not the request's own (`Host`)",
            Why::NoHost => "no `Sec-Fetch-Site`, and the request names no host of its own (no `Host`, no authority)",
        }
    }
}

/// Where the request with this head comes from. Reads `Sec-Fetch-Site`,
/// `Origin`, `Host` and the URI's authority; never `X-Forwarded-*` or
/// `Forwarded`, which a client can set.
pub(crate) fn site(head: &RequestHead) -> Site {
    let headers = &head.headers;
    let mut fetch_site = headers.get_all(SEC_FETCH_SITE);
    if let Some(first) = fetch_site.next() {
        let same = matches!(first.as_bytes(), b"same-origin" | b"none");
        return if same && fetch_site.next().is_none() {
            Site::Same
        } else {
            Site::Cross(Why::FetchSite)
        };
    }
    let mut origins = headers.get_all(ORIGIN);
    let Some(origin) = origins.next() else {
        return Site::NotBrowser;
    };
    if origins.next().is_some() {
        return Site::Cross(Why::MalformedOrigin);
    }
    if origin.as_bytes() == b"null" {
        return Site::Cross(Why::NullOrigin);
    }
    let Some(origin) = parse_request_origin(origin.as_bytes()) else {
        return Site::Cross(Why::MalformedOrigin);
    };
    let Some((host, port)) = own_authority(head) else {
        return Site::Cross(Why::NoHost);
    };
    if same_authority(&origin, host, port) {
        Site::Same
    } else {
        Site::Cross(Why::OtherHost)
    }
}

/// The request's own host and port: the single `Host` header, or the URI's
/// authority (HTTP/2). `None` when there is none, or it does not parse.
fn own_authority(head: &RequestHead) -> Option<(&str, Option<u16>)> {
    let mut hosts = head.headers.get_all(HOST);
    let authority = match (hosts.next(), hosts.next()) {
        (Some(host), None) => host.to_str().ok()?,
        (Some(_), Some(_)) => return None,
        (None, _) => head.uri.authority()?.as_str(),
    };
    split_authority(authority)
}

/// `host[:port]` (the host may be a bracketed IPv6 address) into its host
/// and port. Userinfo, an empty host or a bad port do not parse.
fn split_authority(authority: &str) -> Option<(&str, Option<u16>)> {
    if authority.contains('@') {
        return None;
    }
    let (host, port) = match authority.rfind(':') {
        Some(at) if !authority[at..].contains(']') => {
            let port = &authority[at + 1..];
            if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (&authority[..at], Some(port.parse().ok()?))
        }
        _ => (authority, None),
    };
    (!host.is_empty()).then_some((host, port))
}

/// Whether `origin`'s host and port are `host` and `port`. Hosts compare
/// ignoring ASCII case; on either side the default port of the origin's
/// scheme counts as no port. The schemes are not compared: TLS is often
/// terminated in front of the app.
fn same_authority(origin: &Origin<'_>, host: &str, port: Option<u16>) -> bool {
    let default = match origin.scheme {
        "https" => Some(443),
        "http" => Some(80),
        _ => None,
    };
    let normal = |p: Option<u16>| p.filter(|p| Some(*p) != default);
    origin.host.eq_ignore_ascii_case(host) && normal(origin.port) == normal(port)
}

/// A refused write: what the log line and the explained body say.
struct Refusal<'a> {
    /// The method and the route as the user wrote it, scope prefix included.
    route: &'a str,
    headers: &'a HeaderMap,
    why: Why,
    trust: Trust,
}

/// Whose list of trusted origins a refused write's origin is not on.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Trust {
    /// The route's own policy.
    Route,
    /// A scope's `DefaultPolicy`.
    Default,
    /// `CrossOriginProtection`: the request's own origin, and its sets.
    Protection,
}

impl Trust {
    fn says(self) -> &'static str {
        match self {
            Trust::Route => "the route's policy does not allow this origin",
            Trust::Default => "the default policy does not allow this origin",
            Trust::Protection => "`CrossOriginProtection` does not trust this origin",
        }
    }
}

impl std::fmt::Display for Refusal<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = crate::explain::show;
        write!(
            f,
            "CORS cross-origin write refused (403) on {} from origin `{}` (Sec-Fetch-Site: {}): {}; {}, so the handler did not run",
            self.route,
            shown(self.headers.get(ORIGIN)),
            shown(self.headers.get(SEC_FETCH_SITE)),
            self.why.rule(),
            self.trust.says(),
        )
    }
}

/// The `403` of a refused write, with no CORS headers; the reason is logged
/// at debug level, and is the body when
/// [`explain_rejections`](crate::explain_rejections) is on. `route` (the
/// method and the route as written, for the reason) is only called then.
pub(crate) fn refuse(
    headers: &HeaderMap,
    why: Why,
    trust: Trust,
    route: impl FnOnce() -> String,
) -> HttpResponse {
    let logged = log::log_enabled!(log::Level::Debug);
    let in_body = crate::explain::in_body();
    if !logged && !in_body {
        return HttpResponse::new(StatusCode::FORBIDDEN);
    }
    let route = route();
    let refusal = Refusal {
        route: &route,
        headers,
        why,
        trust,
    };
    if logged {
        log::debug!("{refusal}");
    }
    if in_body {
        HttpResponse::Forbidden()
            .content_type("text/plain; charset=utf-8")
            .body(refusal.to_string())
    } else {
        HttpResponse::new(StatusCode::FORBIDDEN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn site_of(headers: &[(&str, &str)]) -> Site {
        let mut req = TestRequest::post().uri("/x");
        for &(name, value) in headers {
            req = req.append_header((name, value));
        }
        site(req.to_srv_request().head())
    }

    #[test]
    fn sec_fetch_site_decides_when_present() {
        assert_eq!(site_of(&[("sec-fetch-site", "same-origin")]), Site::Same);
        assert_eq!(site_of(&[("sec-fetch-site", "none")]), Site::Same);
        for value in ["same-site", "cross-site", "Same-Origin", "NONE", "", "x"] {
            assert_eq!(
                site_of(&[
                    ("sec-fetch-site", value),
                    ("origin", "https://a.test"),
                    ("host", "a.test")
                ]),
                Site::Cross(Why::FetchSite),
                "{value}"
            );
        }
        assert_eq!(
            site_of(&[
                ("sec-fetch-site", "same-origin"),
                ("sec-fetch-site", "same-origin")
            ]),
            Site::Cross(Why::FetchSite),
            "repeated"
        );
    }

    #[test]
    fn without_sec_fetch_site_the_origin_is_compared_with_the_host() {
        let cases: &[(&[(&str, &str)], Site)] = &[
            (&[], Site::NotBrowser),
            (&[("host", "a.test")], Site::NotBrowser),
            (
                &[("origin", "null"), ("host", "a.test")],
                Site::Cross(Why::NullOrigin),
            ),
            (
                &[("origin", "http://evil@a.test"), ("host", "a.test")],
                Site::Cross(Why::MalformedOrigin),
            ),
            (
                &[("origin", "https://a.test/"), ("host", "a.test")],
                Site::Cross(Why::MalformedOrigin),
            ),
            (
                &[("origin", "junk"), ("host", "a.test")],
                Site::Cross(Why::MalformedOrigin),
            ),
            (
                &[
                    ("origin", "https://a.test"),
                    ("origin", "https://a.test"),
                    ("host", "a.test"),
                ],
                Site::Cross(Why::MalformedOrigin),
            ),
            (&[("origin", "https://a.test")], Site::Cross(Why::NoHost)),
            (
                &[("origin", "https://a.test"), ("host", "a.test")],
                Site::Same,
            ),
            (
                &[("origin", "https://a.test"), ("host", "A.Test")],
                Site::Same,
            ),
            (
                &[("origin", "https://a.test"), ("host", "a.test:443")],
                Site::Same,
            ),
            (
                &[("origin", "http://a.test"), ("host", "a.test:80")],
                Site::Same,
            ),
            (
                &[("origin", "http://a.test"), ("host", "a.test:443")],
                Site::Cross(Why::OtherHost),
            ),
            (
                &[("origin", "https://a.test"), ("host", "a.test:8443")],
                Site::Cross(Why::OtherHost),
            ),
            (
                &[("origin", "https://a.test:8443"), ("host", "a.test:8443")],
                Site::Same,
            ),
            (
                &[
                    ("origin", "http://127.0.0.1:8080"),
                    ("host", "127.0.0.1:8080"),
                ],
                Site::Same,
            ),
            (
                &[("origin", "http://[::1]:8080"), ("host", "[::1]:8080")],
                Site::Same,
            ),
            (&[("origin", "http://[::1]"), ("host", "[::1]")], Site::Same),
            (
                &[("origin", "http://[::1]"), ("host", "[::2]")],
                Site::Cross(Why::OtherHost),
            ),
            (
                &[("origin", "https://evil.test"), ("host", "a.test")],
                Site::Cross(Why::OtherHost),
            ),
            (
                &[("origin", "https://a.test.evil.test"), ("host", "a.test")],
                Site::Cross(Why::OtherHost),
            ),
            // The forwarding headers are never read.
            (
                &[
                    ("origin", "https://evil.test"),
                    ("host", "a.test"),
                    ("x-forwarded-host", "evil.test"),
                    ("forwarded", "host=evil.test"),
                ],
                Site::Cross(Why::OtherHost),
            ),
            // A host that does not parse, or two of them: no host of its own.
            (
                &[("origin", "https://a.test"), ("host", "a.test:")],
                Site::Cross(Why::NoHost),
            ),
            (
                &[("origin", "https://a.test"), ("host", "a.test:99999")],
                Site::Cross(Why::NoHost),
            ),
            (
                &[("origin", "https://a.test"), ("host", "u@a.test")],
                Site::Cross(Why::NoHost),
            ),
            (
                &[
                    ("origin", "https://a.test"),
                    ("host", "a.test"),
                    ("host", "a.test"),
                ],
                Site::Cross(Why::NoHost),
            ),
        ];
        for (headers, expected) in cases {
            assert_eq!(site_of(headers), *expected, "{headers:?}");
        }
    }

    #[test]
    fn an_http2_request_uses_its_authority() {
        let req = TestRequest::post()
            .uri("https://a.test:8443/x")
            .append_header(("origin", "https://a.test:8443"))
            .to_srv_request();
        assert_eq!(site(req.head()), Site::Same);
        let req = TestRequest::post()
            .uri("https://a.test/x")
            .append_header(("origin", "https://b.test"))
            .to_srv_request();
        assert_eq!(site(req.head()), Site::Cross(Why::OtherHost));
    }

    #[test]
    fn only_get_head_and_options_are_safe() {
        for m in [Method::GET, Method::HEAD, Method::OPTIONS] {
            assert!(is_safe(&m), "{m}");
        }
        for m in ["POST", "PUT", "PATCH", "DELETE", "get", "PROPFIND"] {
            assert!(!is_safe(&Method::from_bytes(m.as_bytes()).unwrap()), "{m}");
        }
    }
}
