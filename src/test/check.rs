//! What the browser checks on the answers: the CORS check of a preflight or an
//! actual response, the preflight's method and header lists, `Max-Age`, and
//! the headers a CORS response lets the page read.

use actix_web::http::header::HeaderMap;

use super::request::{is_safelisted_method, is_token};
use super::Credentials;

/// Why a CORS check failed, before it is known whether it was a preflight's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Missing,
    Multiple,
    Invalid,
    Mismatch,
    Wildcard,
    Credentials,
}

/// Every line of header `name`, joined with `, `, each value trimmed; `None`
/// when there is no such line.
pub(crate) fn joined(headers: &HeaderMap, name: &str) -> Option<String> {
    let mut lines = headers
        .get_all(name)
        .map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .trim_matches([' ', '\t'])
                .to_owned()
        })
        .peekable();
    lines.peek()?;
    Some(lines.collect::<Vec<_>>().join(", "))
}

/// Whether `value` parses as an absolute URL with a scheme, as an
/// `Access-Control-Allow-Origin` value must to be a mere mismatch.
fn looks_like_url(value: &str) -> bool {
    match value.split_once("://") {
        Some((scheme, rest)) => {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
                && !rest.is_empty()
        }
        None => false,
    }
}

/// The CORS check of a response to a request from `origin`. On failure, the
/// reason and the offending value.
pub(crate) fn cors_check(
    headers: &HeaderMap,
    origin: &str,
    credentials: Credentials,
) -> Result<(), (Access, String)> {
    let Some(acao) = joined(headers, "access-control-allow-origin") else {
        return Err((Access::Missing, String::new()));
    };
    if acao == "*" {
        if credentials == Credentials::Include {
            return Err((Access::Wildcard, acao));
        }
        return Ok(());
    }
    if acao != origin {
        if acao.contains([',', ' ']) {
            return Err((Access::Multiple, acao));
        }
        if acao != "null" && !looks_like_url(&acao) {
            return Err((Access::Invalid, acao));
        }
        return Err((Access::Mismatch, acao));
    }
    if credentials == Credentials::Include {
        let acac = joined(headers, "access-control-allow-credentials").unwrap_or_default();
        if acac != "true" {
            return Err((Access::Credentials, acac));
        }
    }
    Ok(())
}

/// The items of a comma-separated header list (all lines), empty items
/// dropped; `Err` if one item is not a token.
pub(crate) fn token_list(headers: &HeaderMap, name: &str) -> Result<Vec<String>, String> {
    let Some(all) = joined(headers, name) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for item in all.split(',') {
        let item = item.trim_matches([' ', '\t']);
        if item.is_empty() {
            continue;
        }
        if !is_token(item) {
            return Err(all);
        }
        out.push(item.to_owned());
    }
    Ok(out)
}

/// Whether a preflight's `Access-Control-Allow-Methods` covers `method`.
pub(crate) fn method_allowed(methods: &[String], method: &str, credentials: Credentials) -> bool {
    is_safelisted_method(method)
        || methods.iter().any(|m| m == method)
        || (credentials != Credentials::Include && methods.iter().any(|m| m == "*"))
}

/// The first requested header a preflight's `Access-Control-Allow-Headers`
/// does not cover, by the standard: `*` counts only without credentials, and
/// never for `Authorization`.
pub(crate) fn header_refused<'a>(
    allowed: &[String],
    unsafe_names: &'a [String],
    credentials: Credentials,
) -> Option<&'a str> {
    let named = |n: &str| allowed.iter().any(|a| a.eq_ignore_ascii_case(n));
    let star = credentials != Credentials::Include && allowed.iter().any(|a| a == "*");
    if let Some(auth) = unsafe_names.iter().find(|n| *n == "authorization") {
        if !named(auth) {
            return Some(auth);
        }
    }
    unsafe_names
        .iter()
        .find(|n| !named(n) && !star)
        .map(String::as_str)
}

/// `Access-Control-Max-Age` in seconds: `None` when absent or not one
/// non-negative integer, in which case browsers cache for 5 seconds.
pub(crate) fn max_age(headers: &HeaderMap) -> Option<u64> {
    let mut lines = headers.get_all("access-control-max-age");
    let first = lines.next()?;
    if lines.next().is_some() {
        return None;
    }
    let s = std::str::from_utf8(first.as_bytes())
        .ok()?
        .trim_matches([' ', '\t']);
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Longer than any cap: saturate.
    Some(s.parse::<u64>().unwrap_or(u64::MAX))
}

/// Response headers every CORS response lets the page read.
const SAFELISTED_RESPONSE: [&str; 7] = [
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
];

/// The headers a CORS response lets the page read, as `Headers` iterates
/// them: lower-case names, sorted, lines of one name joined with `, `.
pub(crate) fn readable(
    headers: &HeaderMap,
    content_length: Option<u64>,
    credentials: Credentials,
) -> Vec<(String, String)> {
    let exposed = token_list(headers, "access-control-expose-headers").unwrap_or_default();
    let star = credentials != Credentials::Include && exposed.iter().any(|e| e == "*");
    listed(headers, content_length, |n| {
        SAFELISTED_RESPONSE.contains(&n)
            || star
            || exposed.iter().any(|e| e.eq_ignore_ascii_case(n))
    })
}

/// The headers a same-origin (`basic`) response lets the page read: all but
/// `Set-Cookie`.
pub(crate) fn basic_readable(
    headers: &HeaderMap,
    content_length: Option<u64>,
) -> Vec<(String, String)> {
    listed(headers, content_length, |_| true)
}

/// The headers `keep` keeps, `Set-Cookie` never, sorted by name, with the
/// body's `Content-Length`.
fn listed(
    headers: &HeaderMap,
    content_length: Option<u64>,
    keep: impl Fn(&str) -> bool,
) -> Vec<(String, String)> {
    let mut names: Vec<String> = headers
        .keys()
        .map(|n| n.as_str().to_ascii_lowercase())
        .filter(|n| n != "set-cookie" && n != "set-cookie2")
        .filter(|n| keep(n))
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut out: Vec<(String, String)> = names
        .into_iter()
        .filter(|n| n != "content-length")
        .filter_map(|n| joined(headers, &n).map(|v| (n, v)))
        .collect();
    if let Some(len) = content_length {
        out.push(("content-length".to_owned(), len.to_string()));
        out.sort_by(|a, b| a.0.cmp(&b.0));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn map(lines: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (n, v) in lines {
            m.append(HeaderName::from_static(n), HeaderValue::from_static(v));
        }
        m
    }

    const O: &str = "https://app.example.com";

    #[test]
    fn cors_check_rules() {
        use Credentials::{Include, Omit};
        let check =
            |h: &[(&'static str, &'static str)], c| cors_check(&map(h), O, c).map_err(|e| e.0);
        assert_eq!(check(&[], Omit), Err(Access::Missing));
        assert_eq!(check(&[("access-control-allow-origin", "*")], Omit), Ok(()));
        assert_eq!(
            check(&[("access-control-allow-origin", "*")], Include),
            Err(Access::Wildcard)
        );
        assert_eq!(
            check(
                &[("access-control-allow-origin", " https://app.example.com ")],
                Omit
            ),
            Ok(())
        );
        let two = [
            ("access-control-allow-origin", O),
            ("access-control-allow-origin", O),
        ];
        assert_eq!(check(&two, Omit), Err(Access::Multiple));
        assert_eq!(
            check(
                &[("access-control-allow-origin", "https://app.example.com/")],
                Omit
            ),
            Err(Access::Mismatch)
        );
        assert_eq!(
            check(
                &[("access-control-allow-origin", "https://APP.example.com")],
                Omit
            ),
            Err(Access::Mismatch)
        );
        assert_eq!(
            check(&[("access-control-allow-origin", "app.example.com")], Omit),
            Err(Access::Invalid)
        );
        let cred = |acac: &'static str| {
            check(
                &[
                    ("access-control-allow-origin", O),
                    ("access-control-allow-credentials", acac),
                ],
                Include,
            )
        };
        assert_eq!(cred("true"), Ok(()));
        assert_eq!(cred("True"), Err(Access::Credentials));
        assert_eq!(
            check(&[("access-control-allow-origin", O)], Include),
            Err(Access::Credentials)
        );
        // ACAC is only read for credentialed requests.
        assert_eq!(
            check(
                &[
                    ("access-control-allow-origin", O),
                    ("access-control-allow-credentials", "nope")
                ],
                Omit
            ),
            Ok(())
        );
        let two_acac = [
            ("access-control-allow-origin", O),
            ("access-control-allow-credentials", "true"),
            ("access-control-allow-credentials", "true"),
        ];
        assert_eq!(check(&two_acac, Include), Err(Access::Credentials));
    }

    #[test]
    fn lists_methods_and_headers() {
        let m = map(&[
            ("access-control-allow-methods", ", PUT,, patch"),
            ("access-control-allow-methods", "DELETE"),
        ]);
        let methods = token_list(&m, "access-control-allow-methods").unwrap_or_default();
        assert_eq!(methods, ["PUT", "patch", "DELETE"]);
        assert!(method_allowed(&methods, "patch", Credentials::Omit));
        assert!(!method_allowed(&methods, "PATCH", Credentials::Omit));
        assert!(method_allowed(&[], "POST", Credentials::Include));
        let star = vec!["*".to_owned()];
        assert!(method_allowed(&star, "PUT", Credentials::Omit));
        assert!(!method_allowed(&star, "PUT", Credentials::Include));
        assert!(token_list(
            &map(&[("access-control-allow-headers", "x-a, x b")]),
            "access-control-allow-headers"
        )
        .is_err());

        let names = vec!["authorization".to_owned(), "x-a".to_owned()];
        assert_eq!(
            header_refused(&star, &names, Credentials::Omit),
            Some("authorization")
        );
        let both = vec!["*".to_owned(), "Authorization".to_owned()];
        assert_eq!(header_refused(&both, &names, Credentials::Omit), None);
        assert_eq!(
            header_refused(&both, &names, Credentials::Include),
            Some("x-a")
        );
    }

    #[test]
    fn max_age_values() {
        assert_eq!(
            max_age(&map(&[("access-control-max-age", "600")])),
            Some(600)
        );
        assert_eq!(max_age(&map(&[("access-control-max-age", "-1")])), None);
        assert_eq!(
            max_age(&map(&[
                ("access-control-max-age", "1"),
                ("access-control-max-age", "2")
            ])),
            None
        );
        assert_eq!(max_age(&map(&[])), None);
        assert_eq!(
            max_age(&map(&[(
                "access-control-max-age",
                "99999999999999999999999"
            )])),
            Some(u64::MAX)
        );
    }

    #[test]
    fn readable_headers() {
        let h = map(&[
            ("content-type", "text/plain"),
            ("x-total-count", "3"),
            ("x-hidden", "1"),
            ("set-cookie", "a=1"),
            ("access-control-expose-headers", "X-Total-Count, set-cookie"),
        ]);
        let got = readable(&h, Some(2), Credentials::Include);
        let want = [
            ("content-length", "2"),
            ("content-type", "text/plain"),
            ("x-total-count", "3"),
        ];
        assert_eq!(got, want.map(|(a, b)| (a.to_owned(), b.to_owned())));
        let star = map(&[
            ("x-a", "1"),
            ("set-cookie", "a=1"),
            ("access-control-expose-headers", "*"),
        ]);
        let names = |c| {
            readable(&star, None, c)
                .into_iter()
                .map(|(n, _)| n)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(Credentials::Omit),
            ["access-control-expose-headers", "x-a"]
        );
        assert!(names(Credentials::Include).is_empty());
    }
}
