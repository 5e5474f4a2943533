//! Look-alike origins for each kind of policy (allow-list, subdomain pattern,
//! startup set, any origin), and the crashes found by the fuzz targets and the
//! property tests. Each test asserts the status and the exact CORS headers.

#[path = "adversarial/harness.rs"]
mod harness;

use harness::*;

use route_cors::rules::{check_origin, OriginReason};
use route_cors::OriginSet;

// ---------------------------------------------------------------------------
// Look-alike origins, for each kind of policy.

/// `good` are answered with themselves; every look-alike is not.
async fn assert_look_alikes(route: Route, good: &[&str], look_alikes: &[&str]) {
    let app = app().await;
    for origin in good {
        let o = [hv(origin.as_bytes())];
        let outcome = send(&app, route.actual(&o)).await;
        assert_eq!(outcome.status, route.status, "{origin}");
        assert_eq!(
            outcome.cors.get("access-control-allow-origin"),
            Some(&vec![(*origin).to_owned()]),
            "{origin} on {}",
            route.path
        );
    }
    for origin in look_alikes {
        let o = [hv(origin.as_bytes())];
        assert_eq!(
            send(&app, route.actual(&o)).await,
            route.handled_denied(),
            "{origin} on {}",
            route.path
        );
        assert_eq!(
            send(&app, route.preflight(&o)).await,
            rejected(),
            "preflight {origin} on {}",
            route.path
        );
    }
}

/// Look-alikes of `https://foo.com` and `https://bar.com`.
const LIST_LOOK_ALIKES: &[&str] = &[
    "https://barfoo.com",
    "https://foobar.com",
    "https://foo.combar.com",
    "https://foo.com.bar.com",
    "https://bar.com.evil.net",
    "https://www.foo.com",
    "https://oo.com",
    "https://foo.co",
    "https://foo.com.",
    "https://foo.com/",
    "https://foo.com:443",
    "https://foo.com:8443",
    "http://foo.com",
    "wss://foo.com",
    "https://FOO.com",
    "HTTPS://foo.com",
    "https://Foo.Com",
    " https://foo.com",
    "https://foo.com ",
    "https://user@foo.com",
    "https://foo.com?x",
    "https://foo.com#x",
    "https//foo.com",
    "foo.com",
    "https://xn--foo.com",
];

/// Look-alikes of `https://*.example.com`.
const PATTERN_LOOK_ALIKES: &[&str] = &[
    "https://evilexample.com",
    "https://example.com",
    "https://example.com.evil.net",
    "https://a.example.com.evil.net",
    "https://a.example.co",
    "https://a.example.comm",
    "https://aexample.com",
    "https://.example.com",
    "https://a..example.com",
    "https://a.example.com.",
    "https://a.example.com/",
    "https://*.example.com",
    "https://a.example.com:443",
    "https://a.example.com:8443",
    "http://a.example.com",
    "wss://a.example.com",
    "https://A.example.com",
    "https://a.EXAMPLE.com",
    "HTTPS://a.example.com",
    "https://a b.example.com",
    "https://a@b.example.com",
    "https://a.example.com%2eevil.net",
];

#[actix_web::test]
async fn look_alikes_of_a_list() {
    assert_look_alikes(
        LIST,
        &["https://foo.com", "https://bar.com"],
        LIST_LOOK_ALIKES,
    )
    .await;
}

#[actix_web::test]
async fn look_alikes_of_a_pattern() {
    assert_look_alikes(
        PATTERN,
        &[
            "https://a.example.com",
            "https://a.b.example.com",
            "https://xn--bcher-kva.example.com",
            "http://localhost:3000",
        ],
        PATTERN_LOOK_ALIKES,
    )
    .await;
    assert_look_alikes(
        PATTERN,
        &[],
        &[
            "http://localhost:3001",
            "http://localhost:30000",
            "http://localhost",
            "https://localhost:3000",
            "http://127.0.0.1:3000",
            "http://[::1]:3000",
            "http://LOCALHOST:3000",
            "http://a.localhost:3000",
            "http://localhost:3000.evil.net",
            "http://localhost:03000",
        ],
    )
    .await;
}

/// Found while fuzzing (the `whole_request` model missed the limit): a
/// domain has at most 253 bytes, so a subdomain one byte longer never matches.
#[actix_web::test]
async fn pattern_subdomains_stop_at_253_bytes() {
    let host = |len: usize| {
        let mut s = String::new();
        while s.len() + ".example.com".len() < len {
            if !s.is_empty() {
                s.push('.');
            }
            let room = (len - ".example.com".len() - s.len()).min(60);
            s.push_str(&"a".repeat(room));
        }
        s.push_str(".example.com");
        assert_eq!(s.len(), len);
        format!("https://{s}")
    };
    let longest = host(253);
    assert_look_alikes(PATTERN, &[&longest], &[&host(254), &host(300)]).await;
}

#[actix_web::test]
async fn look_alikes_of_a_runtime_set() {
    let mut all: Vec<&str> = LIST_LOOK_ALIKES.to_vec();
    all.extend_from_slice(PATTERN_LOOK_ALIKES);
    assert_look_alikes(
        RUNTIME_ROUTE,
        &["https://foo.com", "https://a.example.com"],
        &all,
    )
    .await;
}

// ---------------------------------------------------------------------------
// Crashes found by fuzzing and property testing.

static FOUND: OriginSet = OriginSet::new("FOUND_BY_FUZZING");

/// Found by the property tests (and the `origin_validator` fuzz target):
/// a `*.` followed by a lone `[` sliced an empty IPv6 host and panicked,
/// which would have crashed the `#[cors]` attribute or startup.
#[test]
fn wildcard_before_a_lone_bracket_is_an_error() {
    for s in ["https://*.[", "http://*.[", "https://*.[]", "https://*.[:1"] {
        let err = check_origin(s).expect_err(s);
        assert!(
            matches!(
                err.reason(),
                OriginReason::BadIpv6 | OriginReason::BadPort | OriginReason::WildcardOnIp
            ),
            "{s}: {err}"
        );
        assert!(!err.to_string().is_empty());
    }
    assert_eq!(
        check_origin("https://*.[").unwrap_err().to_string(),
        "origin `https://*.[` has an invalid IPv6 address"
    );
    let err = FOUND
        .set(["https://*.[", "https://ok.example"])
        .unwrap_err();
    assert_eq!(
        err.problems,
        vec!["origin `https://*.[` has an invalid IPv6 address".to_owned()]
    );
    assert!(!FOUND.is_set());
}

/// Found by the `origin_validator` fuzz target in its first minute: a pattern
/// whose suffix is 252 or 253 bytes long was accepted, yet no origin can ever
/// match it (a subdomain would pass the 253-byte limit of a domain).
#[test]
fn pattern_suffix_leaves_room_for_a_subdomain() {
    let found = "htts://*.pxaemlc.e-o0.4ppppppppagmlc.emo0.4pppppppppppppppppppppppppppppppppp.pxaemlc.emo0.4pppppppppppepppppppppppppppppppppppppppppp.pxaemlc.emo0.4pppppppppepppppppppppppppppppppppppppppp.pxaemlc.emo0.4ppppppppppppplc.emo0.4pppppppppppppppaemlc.emo0.4pppppppe";
    assert_eq!(
        check_origin(found).unwrap_err().reason(),
        OriginReason::BadHost
    );
    // Build suffixes of exact lengths from 50-byte labels.
    let suffix = |len: usize| {
        let mut s = String::new();
        while s.len() < len {
            if !s.is_empty() {
                s.push('.');
            }
            let room = (len - s.len()).min(50);
            s.push_str(&"b".repeat(room));
        }
        assert_eq!(s.len(), len);
        s
    };
    for len in [252, 253] {
        let p = format!("https://*.{}", suffix(len));
        assert_eq!(
            check_origin(&p).unwrap_err().reason(),
            OriginReason::BadHost,
            "{len}"
        );
        // The exact origin of that length stays valid.
        assert!(check_origin(&format!("https://{}", suffix(len))).is_ok());
    }
    let longest = suffix(251);
    let longest_pattern = format!("https://*.{longest}");
    let p = check_origin(&longest_pattern).unwrap();
    let sub = format!("https://x.{longest}");
    assert!(route_cors::rules::parse_request_origin(sub.as_bytes()).is_some());
    assert!(p.pattern().unwrap().matches(sub.as_bytes()));
}
