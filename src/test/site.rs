//! Where the app is, seen from the page: the `Host` the browser sends, whether
//! the page is on the app's own origin, its site or another site
//! (`Sec-Fetch-Site`), and whether the browser sends Fetch metadata to the
//! app at all.

use crate::rules::{check_origin, parse_request_origin, HostKind, OriginKind};

/// The app's origin, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AppOrigin {
    /// As given: a serialized origin.
    pub(crate) origin: String,
    /// `host[:port]`, the `Host` header the browser sends.
    pub(crate) authority: String,
    /// `https`, or plain `http` to a loopback host: the browser sends
    /// `Sec-Fetch-*` headers only to such URLs.
    pub(crate) trustworthy: bool,
}

/// Checks the app's origin as any configured origin is checked; a pattern is
/// refused, as the app has one origin.
pub(crate) fn app_origin(origin: &str) -> Result<AppOrigin, String> {
    let o = check_origin(origin).map_err(|e| e.to_string())?;
    if o.kind == OriginKind::Pattern {
        return Err(format!(
            "origin `{origin}` is a pattern; the app has one origin, such as `https://api.example.com`"
        ));
    }
    let authority = origin
        .split_once("://")
        .map_or(origin, |(_, rest)| rest)
        .to_owned();
    Ok(AppOrigin {
        origin: origin.to_owned(),
        authority,
        trustworthy: o.scheme == "https" || (o.scheme == "http" && o.is_loopback()),
    })
}

/// `Sec-Fetch-Site` of a request from a page on `page` to an app on `app`
/// (`None`: the app's origin is not known, so the page is on another site).
///
/// Sites are schemeful: the scheme and the registrable domain (the Public
/// Suffix List's, private suffixes such as `github.io` included); an IP
/// address, or a host without a registrable domain (`localhost`), is its own
/// site. Ports do not count.
pub(crate) fn fetch_site(page: &str, app: Option<&AppOrigin>) -> &'static str {
    let Some(app) = app else {
        return "cross-site";
    };
    if page == app.origin {
        return "same-origin";
    }
    match (site(page), site(&app.origin)) {
        (Some(a), Some(b)) if a == b => "same-site",
        _ => "cross-site",
    }
}

/// `(scheme, registrable domain or host)` of a serialized origin; `None`
/// for `null` or anything that is not one.
fn site(origin: &str) -> Option<(String, String)> {
    let o = parse_request_origin(origin.as_bytes())?;
    let host = o.host.trim_end_matches('.');
    let domain = match o.host_kind {
        HostKind::Domain => psl::domain_str(host).unwrap_or(host),
        HostKind::Ipv4 | HostKind::Ipv6 => host,
    };
    Some((o.scheme.to_owned(), domain.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(origin: &str) -> AppOrigin {
        app_origin(origin).unwrap()
    }

    #[test]
    fn the_app_origin_is_checked_like_any_origin() {
        assert_eq!(
            app_origin("https://a.acme.test/").unwrap_err(),
            "origin `https://a.acme.test/` has a path; write `https://a.acme.test`"
        );
        assert_eq!(
            app_origin("https://*.acme.test").unwrap_err(),
            "origin `https://*.acme.test` is a pattern; the app has one origin, such as `https://api.example.com`"
        );
        assert!(app_origin("null").is_err());
        assert!(app_origin("").is_err());
        assert!(app_origin("a.acme.test").is_err());
        let a = at("https://a.acme.test:8443");
        assert_eq!(
            (a.authority.as_str(), a.trustworthy),
            ("a.acme.test:8443", true)
        );
        assert_eq!(at("http://localhost:3000").authority, "localhost:3000");
        assert!(at("http://127.0.0.1:3000").trustworthy);
        assert!(at("http://[::1]").trustworthy);
        assert!(!at("http://api.example.com").trustworthy);
    }

    #[test]
    fn sec_fetch_site_from_the_page_and_the_app() {
        let api = at("https://api.example.com");
        let cases = [
            ("https://api.example.com", "same-origin"),
            ("https://app.example.com", "same-site"),
            ("https://example.com", "same-site"),
            ("https://api.example.com:8443", "same-site"),
            ("http://app.example.com", "cross-site"),
            ("https://evil.example", "cross-site"),
            ("https://example.com.evil.test", "cross-site"),
            ("null", "cross-site"),
        ];
        for (page, want) in cases {
            assert_eq!(fetch_site(page, Some(&api)), want, "{page}");
        }
        // A private suffix: two GitHub Pages sites are different sites.
        let pages = at("https://a.github.io");
        assert_eq!(
            fetch_site("https://b.github.io", Some(&pages)),
            "cross-site"
        );
        // Ports do not count; `localhost` and `127.0.0.1` are different sites.
        let local = at("http://localhost:8080");
        assert_eq!(
            fetch_site("http://localhost:3000", Some(&local)),
            "same-site"
        );
        assert_eq!(
            fetch_site("http://127.0.0.1:3000", Some(&local)),
            "cross-site"
        );
        assert_eq!(
            fetch_site("http://a.localhost:3000", Some(&local)),
            "cross-site"
        );
        let ip = at("http://127.0.0.1:8080");
        assert_eq!(fetch_site("http://127.0.0.1:3000", Some(&ip)), "same-site");
        // Unknown app: another site.
        assert_eq!(fetch_site("https://api.example.com", None), "cross-site");
    }
}
