//! The limits of the origin validator, exactly at and just past each bound:
//! ports (1 to 65535, digits only, no default port), host and label lengths
//! (253 and 63 bytes; 251 for a pattern's suffix), the characters a label
//! may have, numeric and hexadecimal hosts, IPv6 with and without a port,
//! and loopback hosts, which alone may be plain `http` in a
//! `CredentialedOriginSet`. Checked through `route_cors::rules::check_origin`
//! (reason, input and message) and through routes that use startup sets,
//! whose answers assert the status and the exact set of CORS headers.

use actix_web::http::StatusCode;
use actix_web::{get, test as atest, App, HttpResponse};
use route_cors::rules::{check_max_age, check_origin, OriginReason};
use route_cors::{cors, CredentialedOriginSet, OriginSet};

mod common;
use common::{cors_headers, get_req, preflight, set, Headers, PREFLIGHT_VARY};

/// The reason `s` is refused, or `None` if it is a valid origin or pattern.
fn reason(s: &str) -> Option<OriginReason> {
    check_origin(s).err().map(|e| e.reason())
}

/// A domain of exactly `len` bytes ending in `.example`, in labels of 63
/// bytes and a shorter last one.
fn host_of_len(len: usize) -> String {
    let n = len - ".example".len();
    let labels: String = (0..n)
        .map(|i| if i % 64 == 63 { '.' } else { 'a' })
        .collect();
    assert!(!labels.ends_with('.'));
    let host = format!("{labels}.example");
    assert_eq!(host.len(), len);
    host
}

// ---------------------------------------------------------------------------
// Ports.

#[test]
fn ports_run_from_1_to_65535_in_plain_digits() {
    for ok in [
        "http://a.example:1",
        "http://a.example:65535",
        "https://a.example:80",
        "http://a.example:443",
        "http://a.example:10000",
        "ws://a.example:443",
        "wss://a.example:80",
        "ftp://a.example:21",
    ] {
        assert_eq!(reason(ok), None, "{ok}");
    }

    for (bad, why) in [
        ("http://a.example:65536", OriginReason::BadPort),
        ("http://a.example:99999", OriginReason::BadPort),
        ("http://a.example:123456", OriginReason::BadPort),
        ("http://a.example:+8080", OriginReason::BadPort),
        ("http://a.example:+1", OriginReason::BadPort),
        ("http://a.example:-1", OriginReason::BadPort),
        ("http://a.example:8o80", OriginReason::BadPort),
        ("http://a.example:0", OriginReason::BadPort),
        ("http://a.example:00", OriginReason::PortLeadingZero),
        ("http://a.example:01", OriginReason::PortLeadingZero),
        ("http://a.example:", OriginReason::EmptyPort),
        ("http://a.example:80", OriginReason::DefaultPort),
        ("ws://a.example:80", OriginReason::DefaultPort),
        ("https://a.example:443", OriginReason::DefaultPort),
        ("wss://a.example:443", OriginReason::DefaultPort),
    ] {
        assert_eq!(reason(bad), Some(why), "{bad}");
    }
    assert_eq!(
        check_origin("http://a.example:+8080")
            .unwrap_err()
            .to_string(),
        "origin `http://a.example:+8080` has an invalid port; a port is a number from 1 to 65535"
    );
    // A leading-zero fix that lands on the default port is fixed again.
    assert_eq!(
        check_origin("http://a.example:0080")
            .unwrap_err()
            .to_string(),
        "origin `http://a.example:0080` has a port with leading zeros; write `http://a.example`"
    );
}

static PORTS: OriginSet = OriginSet::new("PORTS");

#[cors(origins = PORTS)]
#[get("/ports")]
async fn ports_route() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn a_pattern_on_port_65535_matches_that_port_only() {
    PORTS
        .set([
            "https://*.example.com:65535",
            "https://exact.example.com:65535",
        ])
        .expect("valid");
    assert!(PORTS
        .set(["https://late.example.com"])
        .is_err_and(|e| e.problems == ["origin set `PORTS` is already set"]));
    let app = atest::init_service(App::new().service(ports_route)).await;
    for origin in [
        "https://a.example.com:65535",
        "https://exact.example.com:65535",
    ] {
        let res =
            atest::call_service(&app, get_req("/ports", Some(origin), None).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{origin}");
        assert_eq!(
            cors_headers(&res),
            set(&[("access-control-allow-origin", origin), ("vary", "Origin")]),
            "{origin}"
        );
    }
    for origin in [
        "https://a.example.com",
        "https://a.example.com:65536",
        "https://a.example.com:+65535",
        "https://a.example.com:065535",
        "https://exact.example.com",
    ] {
        let res =
            atest::call_service(&app, get_req("/ports", Some(origin), None).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{origin}");
        assert_eq!(cors_headers(&res), set(&[("vary", "Origin")]), "{origin}");
    }
}

// ---------------------------------------------------------------------------
// Host and label lengths.

#[test]
fn hosts_have_at_most_253_bytes_and_labels_63() {
    let h253 = host_of_len(253);
    let h254 = host_of_len(254);
    assert_eq!(reason(&format!("https://{h253}")), None);
    assert_eq!(
        reason(&format!("https://{h254}")),
        Some(OriginReason::BadHost)
    );
    // A pattern's suffix leaves room for one label in front.
    let h251 = host_of_len(251);
    let h252 = host_of_len(252);
    assert_eq!(reason(&format!("https://*.{h251}")), None);
    assert_eq!(
        reason(&format!("https://*.{h252}")),
        Some(OriginReason::BadHost)
    );
    // But an exact origin may use all 253.
    assert_eq!(reason(&format!("https://{h252}")), None);

    let l63 = "b".repeat(63);
    let l64 = "b".repeat(64);
    assert_eq!(reason(&format!("https://{l63}.example")), None);
    assert_eq!(reason(&format!("https://{l63}")), None);
    assert_eq!(
        reason(&format!("https://{l64}.example")),
        Some(OriginReason::BadHost)
    );
    assert_eq!(
        reason(&format!("https://a.{l64}")),
        Some(OriginReason::BadHost)
    );
}

// ---------------------------------------------------------------------------
// Label characters.

#[test]
fn labels_are_lower_case_letters_digits_hyphens_and_underscores() {
    for ok in [
        "https://my_app.example.com",
        "https://_dmarc.example.com",
        "https://a-b.example.com",
        "https://a1.example.com",
        "https://x.y",
        "https://*.my_app.example.com",
    ] {
        assert_eq!(reason(ok), None, "{ok}");
    }
    for (bad, why) in [
        ("https://a!b.example.com", OriginReason::BadHost),
        ("https://a$b.example.com", OriginReason::BadHost),
        ("https://a~b.example.com", OriginReason::BadHost),
        ("https://a+b.example.com", OriginReason::BadHost),
        ("https://a%20b.example.com", OriginReason::BadHost),
        ("https://a..example.com", OriginReason::BadHost),
        ("https://.example.com", OriginReason::BadHost),
        ("https://example..com", OriginReason::BadHost),
        ("https://a b.example.com", OriginReason::BadHost),
        ("https://a\u{7f}b.example.com", OriginReason::BadHost),
        // Whitespace or a control byte anywhere in the authority, port and
        // IPv6 address included, is a bad host, not a bad port or address.
        ("https://a.example:80 80", OriginReason::BadHost),
        ("https://a.example:8\u{7f}0", OriginReason::BadHost),
        ("https://a.example:8\u{1}0", OriginReason::BadHost),
        ("http://[::1 ]:8080", OriginReason::BadHost),
        ("http://[::\u{7f}1]", OriginReason::BadHost),
        ("https://*.", OriginReason::BadHost),
        ("https://A.example.com", OriginReason::UpperCase),
        ("https://b\u{fc}cher.example", OriginReason::NonAscii),
        ("https://:8080", OriginReason::EmptyHost),
    ] {
        assert_eq!(reason(bad), Some(why), "{bad}");
    }
    assert_eq!(
        check_origin("https://a!b.example.com")
            .unwrap_err()
            .to_string(),
        "origin `https://a!b.example.com` has an invalid host; a host is dot-separated labels of `a-z`, `0-9`, `-` and `_`"
    );
}

// ---------------------------------------------------------------------------
// Numeric hosts.

#[test]
fn a_host_whose_last_label_is_numeric_or_hex_is_an_ipv4_address() {
    for ok in [
        "http://127.0.0.1",
        "http://10.0.0.255:8080",
        "http://1.example",
        "http://a.1b",
        "http://a.b0x1",
    ] {
        assert_eq!(reason(ok), None, "{ok}");
    }
    for bad in [
        "http://127.1",
        "http://0x7f.0.0.1",
        "http://a.0x1",
        "http://a.0xg",
        "http://example.0x",
        "http://1.2.3.4.5",
        "http://256.0.0.1",
        "http://a.123",
        "http://012.0.0.1",
    ] {
        assert_eq!(reason(bad), Some(OriginReason::BadIpv4), "{bad}");
    }
    assert_eq!(
        reason("http://*.127.0.0.1"),
        Some(OriginReason::WildcardOnIp)
    );
}

// ---------------------------------------------------------------------------
// IPv6.

#[test]
fn ipv6_hosts_with_and_without_a_port() {
    for ok in [
        "http://[::1]",
        "http://[::1]:8080",
        "https://[2001:db8::1]",
        "https://[2001:db8::1]:65535",
    ] {
        assert_eq!(reason(ok), None, "{ok}");
    }
    for (bad, why) in [
        ("http://[::1", OriginReason::BadIpv6),
        ("http://[::1]x", OriginReason::TextAfterIpv6),
        ("http://[::1]8080", OriginReason::TextAfterIpv6),
        ("http://[::g]", OriginReason::BadIpv6),
        ("http://[]", OriginReason::BadIpv6),
        ("http://[0:0::1]", OriginReason::BadIpv6),
        ("http://[::1]:", OriginReason::EmptyPort),
        ("http://[::1]:80", OriginReason::DefaultPort),
        ("http://[::1]:65536", OriginReason::BadPort),
        ("http://*.[::1]:8080", OriginReason::WildcardOnIp),
        ("http://*.[::1]", OriginReason::BadPort),
        ("https://*.[", OriginReason::BadIpv6),
        ("http://[::A]", OriginReason::UpperCase),
    ] {
        assert_eq!(reason(bad), Some(why), "{bad}");
    }
    assert_eq!(
        check_origin("http://[0:0::1]:8080").unwrap_err().to_string(),
        "origin `http://[0:0::1]:8080` must write its IPv6 address in compressed form; write `http://[::1]:8080`"
    );
    assert_eq!(
        check_origin("http://[::g]").unwrap_err().to_string(),
        "origin `http://[::g]` has an invalid IPv6 address"
    );
}

// ---------------------------------------------------------------------------
// Schemes, and what an error reports.

#[test]
fn schemes_and_the_checked_input_of_every_error() {
    for ok in ["a+b-c.d://x.example", "chrome-extension://abc", "h2://a.b"] {
        assert_eq!(reason(ok), None, "{ok}");
    }
    for (bad, why) in [
        ("1a://x.example", OriginReason::BadScheme),
        ("a_b://x.example", OriginReason::BadScheme),
        ("://x.example", OriginReason::BadScheme),
        ("FILE://x", OriginReason::FileScheme),
        ("file:/tmp/x", OriginReason::FileScheme),
        ("File:x", OriginReason::FileScheme),
        ("NULL", OriginReason::Null),
        ("*", OriginReason::LoneWildcard),
        ("x.example", OriginReason::NoScheme),
        ("", OriginReason::Empty),
        ("https://a.example ", OriginReason::Whitespace),
    ] {
        assert_eq!(reason(bad), Some(why), "{bad}");
    }
    for input in [
        "https://a.example:+1",
        " https://a.example",
        "",
        "https://u@a.example",
        "http://[::1",
    ] {
        let err = check_origin(input).unwrap_err();
        assert_eq!(err.input(), input);
        assert!(err.to_string().contains(&format!("`{input}`")) || input.is_empty());
    }
    assert_eq!(
        check_origin("u@a.example").unwrap_err().to_string(),
        "origin `u@a.example` has no scheme; write `https://a.example`"
    );
}

// ---------------------------------------------------------------------------
// Loopback hosts with credentials.

#[test]
fn only_loopback_hosts_may_be_plain_http_in_a_credentialed_set() {
    for ok in [
        "http://localhost",
        "http://localhost:3000",
        "http://app.localhost:3000",
        "http://127.0.0.1:8080",
        "http://127.1.2.3",
        "http://[::1]",
        "http://[::1]:3000",
    ] {
        let set = CredentialedOriginSet::new("LOOPBACK");
        assert_eq!(set.set([ok]), Ok(()), "{ok}");
        assert!(set.is_set(), "{ok}");
    }
    for bad in [
        "http://[::2]:3000",
        "http://[2001:db8::1]",
        "http://128.0.0.1",
        "http://10.0.0.1",
        "http://localhost.example.com",
        "http://notlocalhost",
        "http://app.example.com",
    ] {
        let set = CredentialedOriginSet::new("LOOPBACK");
        let err = set.set([bad]).expect_err(bad);
        assert_eq!(err.source, "LOOPBACK");
        assert_eq!(
            err.problems,
            [format!(
                "origin `{bad}` (`LOOPBACK` serves credentialed routes): plain-`http` origins other than loopback cannot be combined with `credentials`: cookies and tokens would cross the network unencrypted; use `https://`"
            )],
            "{bad}"
        );
        assert!(!set.is_set(), "{bad}");
    }
    // A plain `OriginSet` has no such rule.
    let set = OriginSet::new("PLAIN");
    assert_eq!(
        set.set(["http://[::2]:3000", "http://app.example.com"]),
        Ok(())
    );
}

static LOOPBACK6: CredentialedOriginSet = CredentialedOriginSet::new("LOOPBACK6");

#[cors(origins = LOOPBACK6, credentials)]
#[get("/loopback6")]
async fn loopback6_route() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn an_ipv6_loopback_origin_serves_credentialed_requests() {
    LOOPBACK6
        .set(["http://[::1]:3000", "http://[::1]"])
        .expect("loopback is allowed over http");
    let app = atest::init_service(App::new().service(loopback6_route)).await;
    for origin in ["http://[::1]:3000", "http://[::1]"] {
        let res =
            atest::call_service(&app, preflight("/loopback6", origin, "GET").to_request()).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{origin}");
        assert_eq!(
            cors_headers(&res),
            set(&[
                ("access-control-allow-origin", origin),
                ("access-control-allow-credentials", "true"),
                ("access-control-allow-methods", "GET"),
                PREFLIGHT_VARY,
            ]),
            "{origin}"
        );
        let res =
            atest::call_service(&app, get_req("/loopback6", Some(origin), None).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{origin}");
        assert_eq!(
            cors_headers(&res),
            set(&[
                ("access-control-allow-origin", origin),
                ("access-control-allow-credentials", "true"),
                ("vary", "Origin"),
            ]),
            "{origin}"
        );
    }
    for origin in [
        "http://[::1]:3001",
        "http://[::2]:3000",
        "https://[::1]:3000",
    ] {
        let res =
            atest::call_service(&app, preflight("/loopback6", origin, "GET").to_request()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{origin}");
        assert_eq!(cors_headers(&res), Headers::new(), "{origin}");
    }
}

// ---------------------------------------------------------------------------
// `max_age` bounds.

#[test]
fn max_age_runs_from_0_to_86400() {
    assert_eq!(check_max_age(0), Ok(0));
    assert_eq!(check_max_age(1), Ok(1));
    assert_eq!(check_max_age(86_400), Ok(86_400));
    assert_eq!(
        check_max_age(86_401).unwrap_err().to_string(),
        "`max_age = 86401` is above 86400 (one day); browsers cap it anyway (Chromium at 7200); use at most 86400"
    );
    assert_eq!(
        check_max_age(-1).unwrap_err().to_string(),
        "`max_age = -1` is negative; use a number of seconds from 0 to 86400"
    );
    assert!(check_max_age(i128::MAX).is_err());
    assert!(check_max_age(i128::MIN).is_err());
}

#[cors(origins = ["https://app.example.com"], max_age = 0)]
#[get("/max-age-0")]
async fn max_age_0() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"], max_age = 86400)]
#[get("/max-age-day")]
async fn max_age_day() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn max_age_0_and_86400_are_sent_as_written() {
    let app = atest::init_service(App::new().service(max_age_0).service(max_age_day)).await;
    for (path, value) in [("/max-age-0", "0"), ("/max-age-day", "86400")] {
        let res = atest::call_service(
            &app,
            preflight(path, "https://app.example.com", "GET").to_request(),
        )
        .await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{path}");
        assert_eq!(
            cors_headers(&res),
            set(&[
                ("access-control-allow-origin", "https://app.example.com"),
                ("access-control-allow-methods", "GET"),
                ("access-control-max-age", value),
                PREFLIGHT_VARY,
            ]),
            "{path}"
        );
    }
}
