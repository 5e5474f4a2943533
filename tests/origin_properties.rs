//! Property tests of the origin validator: it never panics, it agrees with
//! the request-origin parser both ways, and every pattern form (`*.`, a `*`
//! inside the leftmost label, a `:*` port) matches exactly what an
//! independent model says.
//!
//! Raise the case counts with `PROPTEST_CASES=20000 cargo test --test origin_properties`.

mod common;

use common::props::config;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use route_cors::rules::{check_origin, parse_request_origin, Origin, OriginKind, Wildcard};

// ---------------------------------------------------------------------------
// The validator and the request-origin parser.
// ---------------------------------------------------------------------------

fn origin_like() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(vec![
        "https",
        "http",
        "ws",
        "wss",
        "chrome-extension",
        "a+b.c-d",
        "HTTP",
        "1x",
        "file",
        "",
    ]);
    let label = "[a-z0-9_-]{1,6}|[A-Za-z0-9*_.-]{0,4}|xn--[a-z0-9]{2,6}";
    let host = prop_oneof![
        4 => prop::collection::vec(label, 1..4).prop_map(|l| l.join(".")),
        1 => (0u16..300, 0u16..300, 0u16..300, 0u16..300)
            .prop_map(|(a, b, c, d)| format!("{a}.{b}.{c}.{d}")),
        1 => prop::sample::select(vec![
            "[::1]", "[0:0:0:0:0:0:0:1]", "[2001:db8::1]", "[::ffff:1.2.3.4]", "[", "[]", "]",
            "127.1", "0x7f.0.0.1", "localhost", "a.localhost",
        ])
        .prop_map(str::to_owned),
    ];
    let wild = prop::sample::select(vec![
        "", "", "", "*.", "*", "a.*.", "pr-*", "*-x", "a*b.", "*.*.",
    ]);
    let port = prop_oneof![
        3 => Just(String::new()),
        2 => (0u32..70_000).prop_map(|p| format!(":{p}")),
        1 => prop::sample::select(vec![":", ":080", ":443", ":80", ":-1", ":1a", ":*", ":*1", ":**"])
            .prop_map(str::to_owned),
    ];
    let tail = prop::sample::select(vec!["", "", "", "", "/", "/x", "?q", "#f", " ", "@h"]);
    prop_oneof![
        6 => (scheme, wild, host, port, tail)
            .prop_map(|(s, w, h, p, t)| format!("{s}://{w}{h}{p}{t}")),
        1 => any::<String>(),
        1 => "[ -~]{0,30}",
    ]
}

/// The validator never panics, its message renders, and it agrees with the
/// request-origin parser both ways. Every valid pattern matches a subdomain
/// of itself and never its bare suffix.
#[test]
fn validator_and_request_parser_agree() {
    let mut runner = TestRunner::new(config(4096));
    runner
        .run(&origin_like(), |s| {
            let checked = check_origin(&s);
            if let Err(e) = &checked {
                prop_assert!(!e.to_string().is_empty());
            }
            let parsed = parse_request_origin(s.as_bytes());
            match checked {
                Ok(o) if o.kind == OriginKind::Exact => {
                    prop_assert_eq!(parsed, Some(o), "valid origin does not parse: {}", s);
                }
                Ok(p) => {
                    prop_assert_eq!(parsed, None, "a pattern parsed as a request origin: {}", s);
                    let pattern = p.pattern().expect("a pattern");
                    prop_assert_eq!(pattern.to_string(), s.as_str());
                    let (sub, bare) = instances(&p);
                    let sub_parses = parse_request_origin(sub.as_bytes()).is_some();
                    // Only a filled label starting `xn--` may fail to parse.
                    prop_assert!(sub_parses || sub.contains("xn--"), "{}", sub);
                    prop_assert_eq!(
                        pattern.matches(sub.as_bytes()),
                        sub_parses,
                        "{} vs {}",
                        s,
                        sub
                    );
                    if let Some(bare) = bare {
                        prop_assert!(!pattern.matches(bare.as_bytes()), "{} vs {}", s, bare);
                    }
                }
                Err(_) => prop_assert_eq!(
                    parsed,
                    None,
                    "parser accepts what the validator refuses: {}",
                    s
                ),
            }
            Ok(())
        })
        .unwrap();
}

/// An origin the pattern `p` covers (its `*` filled, `:*` as `:8080`), and,
/// for a host wildcard, its fixed text with an empty `*`, which it never covers.
fn instances(p: &Origin<'_>) -> (String, Option<String>) {
    let port = match (p.port, p.any_port) {
        (Some(n), _) => format!(":{n}"),
        (None, true) => ":8080".to_owned(),
        (None, false) => String::new(),
    };
    let (scheme, host) = (p.scheme, p.host);
    match p.wildcard {
        Wildcard::None => (format!("{scheme}://{host}{port}"), None),
        Wildcard::Subdomains => (
            format!("{scheme}://x-1.{host}{port}"),
            Some(format!("{scheme}://{host}{port}")),
        ),
        Wildcard::InLabel { before, after } => (
            format!("{scheme}://{before}x{after}.{host}{port}"),
            Some(format!("{scheme}://{before}{after}.{host}{port}")),
        ),
    }
}

/// Whether the pattern `p` covers the exact origin `o`, decided from their
/// parts: the scheme, the port (any valid one for `:*`), and a host that is
/// the pattern's, or one more label in front of it, or its leftmost label's
/// fixed text around one or more of `a-z`, `0-9` and `-`.
fn covers(p: &Origin<'_>, o: &Origin<'_>) -> bool {
    let port = p.any_port || o.port == p.port;
    let host = match p.wildcard {
        Wildcard::None => o.host == p.host,
        Wildcard::Subdomains => {
            o.host.len() > p.host.len() + 1
                && o.host.ends_with(p.host)
                && o.host.as_bytes()[o.host.len() - p.host.len() - 1] == b'.'
        }
        Wildcard::InLabel { before, after } => o
            .host
            .strip_prefix(before)
            .and_then(|h| h.strip_suffix(p.host))
            .and_then(|h| h.strip_suffix('.'))
            .and_then(|h| h.strip_suffix(after))
            .is_some_and(|fill| {
                !fill.is_empty()
                    && fill
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            }),
    };
    o.scheme == p.scheme && port && host
}

/// The request-origin parser never panics on arbitrary bytes, and whatever
/// it accepts the validator accepts as the same exact origin.
#[test]
fn request_parser_never_panics_on_bytes() {
    let bytes = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..64),
        origin_like().prop_map(String::into_bytes),
    ];
    let mut runner = TestRunner::new(config(4096));
    runner
        .run(&bytes, |b| {
            if let Some(o) = parse_request_origin(&b) {
                let s = std::str::from_utf8(&b).expect("a parsed origin is UTF-8");
                prop_assert_eq!(o.kind, OriginKind::Exact);
                prop_assert_eq!(check_origin(s), Ok(o));
            }
            Ok(())
        })
        .unwrap();
}

/// The request path's pattern matcher reads the `Origin` bytes directly. It
/// agrees with the model: an origin matches exactly when it parses as a
/// serialized origin with the pattern's scheme and port and a host of at
/// least one more label in front of the pattern's suffix.
#[test]
fn pattern_matcher_agrees_with_the_parser() {
    let patterns = prop::sample::select(vec![
        "https://*.example.com",
        "http://*.localhost:3000",
        "https://*.a-b.example.co.uk:8443",
        "https://*.x_y.test",
        "https://pr-*.example.com",
        "https://*-x.a-b.test:8443",
        "https://a*b.example.com:*",
        "https://*.example.com:*",
        "http://localhost:*",
        "http://[::1]:*",
        "http://127.0.0.1:*",
    ]);
    let mut runner = TestRunner::new(config(4096));
    runner
        .run(&(patterns, origin_like()), |(pattern_text, s)| {
            let checked = check_origin(pattern_text).expect("a valid pattern");
            let pattern = checked.pattern().expect("a pattern");
            let model = parse_request_origin(s.as_bytes()).is_some_and(|o| covers(&checked, &o));
            prop_assert_eq!(
                pattern.matches(s.as_bytes()),
                model,
                "{} vs {}",
                pattern_text,
                s
            );
            // And every subdomain of it, built from the generated text.
            let host: String = s
                .chars()
                .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '-')
                .collect();
            let port = match (checked.port, checked.any_port) {
                (Some(n), _) => format!(":{n}"),
                (None, true) => ":3000".to_owned(),
                (None, false) => String::new(),
            };
            let (scheme, suffix) = (checked.scheme, checked.host);
            let sub = match checked.wildcard {
                Wildcard::None => format!("{scheme}://{suffix}{port}"),
                Wildcard::Subdomains => format!("{scheme}://{host}.{suffix}{port}"),
                Wildcard::InLabel { before, after } => {
                    let fill: String = host.chars().filter(|c| *c != '.').collect();
                    format!("{scheme}://{before}{fill}{after}.{suffix}{port}")
                }
            };
            let model = parse_request_origin(sub.as_bytes()).is_some_and(|o| covers(&checked, &o));
            prop_assert_eq!(pattern.matches(sub.as_bytes()), model, "{}", sub);
            Ok(())
        })
        .unwrap();
}
