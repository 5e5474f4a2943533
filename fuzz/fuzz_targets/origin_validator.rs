//! The origin and pattern validator, and the request-origin parser, on
//! arbitrary bytes: neither panics, the error message renders (and never
//! suggests the input itself), and they agree. Every pattern form (`*.`, a
//! `*` inside the leftmost label, `:*`) matches an origin it covers, never
//! its fixed text with an empty `*`, and rebuilds from its `__parts()`.
//!
//! Half the inputs are spliced into an origin template, so the fuzzer
//! reaches the wildcard, IPv6 and Punycode paths quickly.

#![no_main]

use libfuzzer_sys::fuzz_target;
use route_cors::__private01::Pattern;
use route_cors::rules::{check_origin, parse_request_origin, OriginKind, Wildcard};

/// Templates the first byte picks; `{}` is the rest of the input.
const TEMPLATES: &[&str] = &[
    "{}",
    "https://{}",
    "https://*.{}",
    "https://pr-{}.example.com",
    "https://{}.vercel.app",
    "http://localhost:{}",
    "https://*.example.com:{}",
    "http://[{}]",
    "http://[::ffff:{}]:90",
    "https://xn--{}.example",
    "http://{}.:3999",
];

fuzz_target!(|data: &[u8]| {
    let templated;
    let data = match data.split_first() {
        Some((&pick, rest)) if pick & 1 == 1 => match std::str::from_utf8(rest) {
            Ok(rest) => {
                let t = TEMPLATES[usize::from(pick >> 1) % TEMPLATES.len()];
                templated = t.replace("{}", rest);
                templated.as_bytes()
            }
            Err(_) => data,
        },
        _ => data,
    };
    let parsed = parse_request_origin(data);
    let Ok(s) = std::str::from_utf8(data) else {
        assert!(parsed.is_none(), "a non-UTF-8 origin parsed");
        return;
    };
    match check_origin(s) {
        Err(e) => {
            // Rendering the message (which builds the suggested fix) must not panic.
            let msg = e.to_string();
            assert!(!msg.is_empty());
            assert!(
                !msg.contains(&format!("write `{s}`")),
                "a fix is the input: {msg}"
            );
            assert!(
                parsed.is_none(),
                "parser accepts what the validator refuses: {s:?}"
            );
        }
        Ok(o) if o.kind == OriginKind::Exact => {
            assert_eq!(
                parsed,
                Some(o),
                "a valid origin does not parse as itself: {s:?}"
            );
        }
        Ok(p) => {
            assert!(
                parsed.is_none(),
                "a pattern parsed as a request origin: {s:?}"
            );
            let pattern = p.pattern().expect("a pattern");
            assert_eq!(pattern.to_string(), s, "a pattern displays as written");
            let (scheme, tail) = pattern.__parts();
            assert_eq!(Pattern::__new(scheme, tail), pattern, "__parts round-trips");
            let port = match (p.port, p.any_port) {
                (Some(n), _) => format!(":{n}"),
                (None, true) => ":8080".to_owned(),
                (None, false) => String::new(),
            };
            let (sub, bare) = match p.wildcard {
                Wildcard::None => (format!("{}://{}{port}", p.scheme, p.host), None),
                Wildcard::Subdomains => (
                    format!("{}://x.{}{port}", p.scheme, p.host),
                    Some(format!("{}://{}{port}", p.scheme, p.host)),
                ),
                Wildcard::InLabel { before, after } => (
                    format!("{}://{before}x{after}.{}{port}", p.scheme, p.host),
                    Some(format!("{}://{before}{after}.{}{port}", p.scheme, p.host)),
                ),
            };
            let sub_parses = parse_request_origin(sub.as_bytes()).is_some();
            assert!(sub_parses || sub.contains("xn--"), "{sub:?} does not parse");
            assert_eq!(
                pattern.matches(sub.as_bytes()),
                sub_parses,
                "{s:?} vs {sub:?}"
            );
            if let Some(bare) = bare {
                assert!(!pattern.matches(bare.as_bytes()), "{s:?} matches {bare:?}");
            }
            if p.any_port {
                let bare_port = format!(
                    "{}://{}",
                    p.scheme,
                    &sub[p.scheme.len() + 3..sub.len() - port.len()]
                );
                assert_eq!(
                    pattern.matches(bare_port.as_bytes()),
                    sub_parses,
                    "{s:?} vs {bare_port:?}"
                );
            }
        }
    }
});
