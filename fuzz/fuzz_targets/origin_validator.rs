//! The origin and pattern validator, and the request-origin parser, on
//! arbitrary bytes: neither panics, the error message renders, and they agree.

#![no_main]

use libfuzzer_sys::fuzz_target;
use route_cors::rules::{check_origin, parse_request_origin, OriginKind};

fuzz_target!(|data: &[u8]| {
    let parsed = parse_request_origin(data);
    let Ok(s) = std::str::from_utf8(data) else {
        assert!(parsed.is_none(), "a non-UTF-8 origin parsed");
        return;
    };
    match check_origin(s) {
        Err(e) => {
            // Rendering the message (which builds the suggested fix) must not panic.
            assert!(!e.to_string().is_empty());
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
            let port = p.port.map(|n| format!(":{n}")).unwrap_or_default();
            let sub = format!("{}://x.{}{}", p.scheme, p.host, port);
            assert!(parse_request_origin(sub.as_bytes()).is_some(), "a subdomain parses");
            let pattern = p.pattern().expect("a pattern");
            assert!(pattern.matches(sub.as_bytes()), "{s:?} misses its subdomain");
            let bare = format!("{}://{}{}", p.scheme, p.host, port);
            assert!(!pattern.matches(bare.as_bytes()), "{s:?} matches its bare suffix");
        }
    }
});
