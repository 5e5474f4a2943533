//! The validator's cases: what it accepts, and each refusal's message.

use super::*;

#[test]
fn accepts_valid_origins() {
    for (s, kind, host, port) in [
        (
            "https://app.example.com",
            OriginKind::Exact,
            "app.example.com",
            None,
        ),
        (
            "http://localhost:3000",
            OriginKind::Exact,
            "localhost",
            Some(3000),
        ),
        (
            "http://127.0.0.1:8080",
            OriginKind::Exact,
            "127.0.0.1",
            Some(8080),
        ),
        ("http://[::1]:8080", OriginKind::Exact, "[::1]", Some(8080)),
        (
            "https://*.example.com",
            OriginKind::Pattern,
            "example.com",
            None,
        ),
        (
            "https://*.example.com:8443",
            OriginKind::Pattern,
            "example.com",
            Some(8443),
        ),
        (
            "https://xn--bcher-kva.example",
            OriginKind::Exact,
            "xn--bcher-kva.example",
            None,
        ),
        (
            "chrome-extension://abcdef",
            OriginKind::Exact,
            "abcdef",
            None,
        ),
    ] {
        let o = check_origin(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!((o.kind, o.host, o.port), (kind, host, port), "{s}");
    }
}

#[test]
fn rejects_with_reason_and_fix() {
    for (s, msg) in [
        ("", "origin is empty; write a full origin such as `https://app.example.com`"),
        (" https://a.com", "origin ` https://a.com` has surrounding whitespace; write `https://a.com`"),
        ("null", "origin `null` must not be allowed: sandboxed iframes, `file:` pages and redirects all send it, so anyone can forge it"),
        ("file:///tmp", "origin `file:///tmp` is a `file:` origin; browsers send `null` for it, which cannot be allowed safely"),
        ("app.example.com", "origin `app.example.com` has no scheme; write `https://app.example.com`"),
        ("https://app.example.com/", "origin `https://app.example.com/` has a path; write `https://app.example.com`"),
        ("https://a.com/x?y", "origin `https://a.com/x?y` has a path; write `https://a.com`"),
        ("https://a.com?y", "origin `https://a.com?y` has a query; write `https://a.com`"),
        ("https://a.com#y", "origin `https://a.com#y` has a fragment; write `https://a.com`"),
        ("https://u:p@a.com", "origin `https://u:p@a.com` has userinfo (`user@`), which origins never carry; write `https://a.com`"),
        ("HTTPS://App.example.com", "origin `HTTPS://App.example.com` must be lower case; write `https://app.example.com`"),
        ("https://app.example.com:443", "origin `https://app.example.com:443` names the default port; write `https://app.example.com`"),
        ("http://a.com:80", "origin `http://a.com:80` names the default port; write `http://a.com`"),
        ("http://a.com:", "origin `http://a.com:` has an empty port; write `http://a.com`"),
        ("http://a.com:0", "origin `http://a.com:0` has an invalid port; a port is a number from 1 to 65535"),
        ("http://a.com:65536", "origin `http://a.com:65536` has an invalid port; a port is a number from 1 to 65535"),
        ("http://a.com:08080", "origin `http://a.com:08080` has a port with leading zeros; write `http://a.com:8080`"),
        ("http://127.1", "origin `http://127.1` has an invalid IPv4 address; write `http://127.0.0.1`"),
        ("http://256.1.1.1", "origin `http://256.1.1.1` has an invalid IPv4 address; write it as a dotted quad such as `127.0.0.1`"),
        ("http://[0:0:0:0:0:0:0:1]", "origin `http://[0:0:0:0:0:0:0:1]` must write its IPv6 address in compressed form; write `http://[::1]`"),
        ("HTTPS://App.example.com:443/", "origin `HTTPS://App.example.com:443/` has a path; write `https://app.example.com`"),
        (" App.example.com/x ", "origin ` App.example.com/x ` has surrounding whitespace; write `https://app.example.com`"),
        ("https://u@[0:0:0:0:0:0:0:1]:080", "origin `https://u@[0:0:0:0:0:0:0:1]:080` has userinfo (`user@`), which origins never carry; write `https://[::1]:80`"),
        ("https://a.com/é", "origin `https://a.com/é` has a path; write `https://a.com`"),
        ("https://bücher.example", "origin `https://bücher.example` has a non-ASCII host; write the host in Punycode (`xn--…`), as browsers send it"),
        ("https://a.*.com", "origin `https://a.*.com` has a `*` outside the leftmost label; a `*` is the leftmost label of a domain (`https://*.example.com`) or part of it (`https://pr-*.example.com`)"),
        ("https://*example.com", "origin `https://*example.com` puts `*` in a name registered under a public suffix, so anyone could register a domain it matches; write `https://*.example.com` for subdomains"),
        ("http://*.127.0.0.1", "origin `http://*.127.0.0.1` puts a wildcard on an IP address; IP addresses have no subdomains"),
        ("https://", "origin `https://` has no host"),
        ("1https://a.com", "origin `1https://a.com` has an invalid scheme; a scheme is a letter followed by letters, digits, `+`, `-` or `.`"),
    ] {
        let err = check_origin(s).expect_err(s);
        assert_eq!(err.to_string(), msg, "{s}");
    }
}

#[test]
fn request_origins_never_parse_patterns_or_garbage() {
    assert!(parse_request_origin(b"https://*.example.com").is_none());
    assert!(parse_request_origin(b"https://a.com, https://b.com").is_none());
    assert!(parse_request_origin(b"\xff\xfe").is_none());
    assert!(parse_request_origin(b"").is_none());
    assert!(parse_request_origin(b"null").is_none());
    assert_eq!(
        parse_request_origin(b"https://a.b.com").map(|o| o.host),
        Some("a.b.com")
    );
}

#[test]
fn patterns_match_subdomains_only() {
    let p = check_origin("https://*.example.com").unwrap();
    let yes = ["https://a.example.com", "https://a.b.example.com"];
    let no = [
        "https://example.com",
        "https://evilexample.com",
        "https://a.example.com.evil.net",
        "https://a.example.com:8443",
        "http://a.example.com",
    ];
    let p = p.pattern().unwrap();
    for s in yes {
        assert!(p.matches(s.as_bytes()), "{s}");
    }
    for s in no {
        assert!(!p.matches(s.as_bytes()), "{s}");
    }
}

/// Issue 10, part 0: what browsers send is what the validator accepts.
#[test]
fn agrees_with_the_url_standard() {
    for s in [
        "http://[::ffff:7f7f:7f7f]:90",
        "http://[2001:db8::1:0:0:1]",
        "http://example.com.:3999",
        "https://app.example.com.",
        "https://xn--bcher-kva.example",
        "https://xn--mnchen-3ya.de",
    ] {
        let o = check_origin(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(o.kind, OriginKind::Exact, "{s}");
        assert_eq!(parse_request_origin(s.as_bytes()), Some(o), "{s}");
    }
    let dotted = check_origin("http://example.com.:3999").unwrap();
    assert_eq!((dotted.host, dotted.port), ("example.com.", Some(3999)));
    for (s, reason, msg) in [
        ("http://[::ffff:127.127.127.127]:90", OriginReason::BadIpv6, "origin `http://[::ffff:127.127.127.127]:90` must write the IPv4 tail of its IPv6 address in hex, as browsers send it; write `http://[::ffff:7f7f:7f7f]:90`"),
        ("http://[::1.2.3.4]", OriginReason::BadIpv6, "origin `http://[::1.2.3.4]` must write the IPv4 tail of its IPv6 address in hex, as browsers send it; write `http://[::102:304]`"),
        ("http://[::0:1]", OriginReason::BadIpv6, "origin `http://[::0:1]` must write its IPv6 address in compressed form; write `http://[::1]`"),
        ("http://[::FFFF:7F7F:7F7F]", OriginReason::UpperCase, "origin `http://[::FFFF:7F7F:7F7F]` must be lower case; write `http://[::ffff:7f7f:7f7f]`"),
        ("http://[::1]1:6060", OriginReason::TextAfterIpv6, "origin `http://[::1]1:6060` has `1:6060` after its IPv6 address; only a `:port` can follow the `]`"),
        ("http://[0::1]x", OriginReason::TextAfterIpv6, "origin `http://[0::1]x` has `x` after its IPv6 address; only a `:port` can follow the `]`"),
        ("http://[::g]", OriginReason::BadIpv6, "origin `http://[::g]` has an invalid IPv6 address"),
        ("https://xn--abc-.example", OriginReason::BadPunycode, "origin `https://xn--abc-.example` has the label `xn--abc-`, which is not valid Punycode, so browsers refuse the host; write the label as IDNA encodes it"),
        ("https://a.xn--.example", OriginReason::BadPunycode, "origin `https://a.xn--.example` has the label `xn--`, which is not valid Punycode, so browsers refuse the host; write the label as IDNA encodes it"),
        ("https://*.xn--a-.example", OriginReason::BadPunycode, "origin `https://*.xn--a-.example` has the label `xn--a-`, which is not valid Punycode, so browsers refuse the host; write the label as IDNA encodes it"),
        ("http://127.0.0.1.:8080", OriginReason::BadIpv4, "origin `http://127.0.0.1.:8080` has an invalid IPv4 address; write `http://127.0.0.1:8080`"),
        ("http://0x7f.1", OriginReason::BadIpv4, "origin `http://0x7f.1` has an invalid IPv4 address; write `http://127.0.0.1`"),
        ("https://a..example.com", OriginReason::BadHost, "origin `https://a..example.com` has an invalid host; a host is dot-separated labels of `a-z`, `0-9`, `-` and `_`"),
        ("https://example.com..", OriginReason::BadHost, "origin `https://example.com..` has an invalid host; a host is dot-separated labels of `a-z`, `0-9`, `-` and `_`"),
    ] {
        let err = check_origin(s).expect_err(s);
        assert_eq!((err.reason(), err.to_string().as_str()), (reason, msg), "{s}");
    }
}

/// Issue 10, part 0: no message tells the user to write what they wrote.
#[test]
fn a_fix_is_never_the_input() {
    for s in [
        "http://[::1]1:6060",
        "http://[::1]]",
        "http://[::1",
        "https://u@",
        "https://@a.com",
        "http://a.com:00",
        "http://[0::1]x:80",
        "https://*.example.com.",
        "https://*.",
        "https://*..",
        "HTTP://[::1]1",
        "https://x.*.example.com",
        "http://127.0.0.1.",
        "http://[::ffff:1.2.3.4]:",
    ] {
        let err = check_origin(s).expect_err(s);
        let msg = err.to_string();
        assert!(!msg.contains(&format!("write `{s}`")), "{msg}");
        assert!(!msg.contains("write ``"), "{msg}");
        if let Some(at) = msg.find("; write `") {
            let fix = &msg[at + "; write `".len()..];
            let fix = &fix[..fix.find('`').unwrap()];
            assert!(
                check_origin(fix).is_ok() || fix == "https://",
                "{s}: {fix} ({msg})"
            );
        }
    }
}

/// Issue 10, parts 1 and 2: the new wildcard forms.
#[test]
fn label_and_port_wildcards() {
    for (s, wildcard, host, port, any_port) in [
        (
            "https://myapp-*-myteam.vercel.app",
            Wildcard::InLabel {
                before: "myapp-",
                after: "-myteam",
            },
            "vercel.app",
            None,
            false,
        ),
        (
            "https://pr-*.preview.example.com",
            Wildcard::InLabel {
                before: "pr-",
                after: "",
            },
            "preview.example.com",
            None,
            false,
        ),
        (
            "https://*-pr.example.com:8443",
            Wildcard::InLabel {
                before: "",
                after: "-pr",
            },
            "example.com",
            Some(8443),
            false,
        ),
        (
            "http://localhost:*",
            Wildcard::None,
            "localhost",
            None,
            true,
        ),
        (
            "http://127.0.0.1:*",
            Wildcard::None,
            "127.0.0.1",
            None,
            true,
        ),
        ("http://[::1]:*", Wildcard::None, "[::1]", None, true),
        (
            "https://*.example.com:*",
            Wildcard::Subdomains,
            "example.com",
            None,
            true,
        ),
        (
            "https://pr-*.example.com:*",
            Wildcard::InLabel {
                before: "pr-",
                after: "",
            },
            "example.com",
            None,
            true,
        ),
    ] {
        let o = check_origin(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(
            (o.kind, o.wildcard, o.host, o.port, o.any_port),
            (OriginKind::Pattern, wildcard, host, port, any_port),
            "{s}"
        );
        let p = o.pattern().unwrap();
        assert_eq!(p.to_string(), s);
        let (scheme, tail) = p.__parts();
        assert_eq!(Pattern::__new(scheme, tail), p, "{s}");
        assert!(parse_request_origin(s.as_bytes()).is_none(), "{s}");
    }
    for (s, reason, msg) in [
        ("https://a-*-*.example.com", OriginReason::TwoWildcards, "origin `https://a-*-*.example.com` has more than one `*`; a pattern has one wildcard, in its leftmost label"),
        ("https://*.*.example.com", OriginReason::TwoWildcards, "origin `https://*.*.example.com` has more than one `*`; a pattern has one wildcard, in its leftmost label"),
        ("https://pr-*.example.com:*8080", OriginReason::BadPortWildcard, "origin `https://pr-*.example.com:*8080` has a malformed port wildcard; `:*` alone allows any port"),
        ("http://localhost:**", OriginReason::BadPortWildcard, "origin `http://localhost:**` has a malformed port wildcard; `:*` alone allows any port"),
        ("http://localhost:8*", OriginReason::BadPortWildcard, "origin `http://localhost:8*` has a malformed port wildcard; `:*` alone allows any port"),
        ("https://app.pr-*.example.com", OriginReason::WildcardNotLeftmost, "origin `https://app.pr-*.example.com` has a `*` outside the leftmost label; a `*` is the leftmost label of a domain (`https://*.example.com`) or part of it (`https://pr-*.example.com`)"),
        ("http://a*.127.0.0.1", OriginReason::WildcardOnIp, "origin `http://a*.127.0.0.1` puts a wildcard on an IP address; IP addresses have no subdomains"),
        ("http://[*::1]", OriginReason::WildcardOnIp, "origin `http://[*::1]` puts a wildcard on an IP address; IP addresses have no subdomains"),
        ("https://pr-*", OriginReason::BadWildcard, "origin `https://pr-*` has a malformed wildcard; a `*` is the leftmost label of a domain (`https://*.example.com`) or part of it (`https://pr-*.example.com`)"),
        ("https://*", OriginReason::BadWildcard, "origin `https://*` has a malformed wildcard; a `*` is the leftmost label of a domain (`https://*.example.com`) or part of it (`https://pr-*.example.com`)"),
        ("https://app-*.co.uk", OriginReason::WildcardInRegistrableLabel, "origin `https://app-*.co.uk` puts `*` in a name registered under a public suffix, so anyone could register a domain it matches; put the wildcard in a label of your own domain, as in `https://pr-*.example.com`"),
        ("https://*.example.com.", OriginReason::WildcardTrailingDot, "origin `https://*.example.com.` ends the host of a pattern with a dot; write `https://*.example.com`, and list a trailing-dot host exactly if it is needed"),
        ("http://localhost.:*", OriginReason::WildcardTrailingDot, "origin `http://localhost.:*` ends the host of a pattern with a dot; write `http://localhost:*`, and list a trailing-dot host exactly if it is needed"),
        ("https://p!-*.example.com", OriginReason::BadHost, "origin `https://p!-*.example.com` has an invalid host; a host is dot-separated labels of `a-z`, `0-9`, `-` and `_`"),
    ] {
        let err = check_origin(s).expect_err(s);
        assert_eq!((err.reason(), err.to_string().as_str()), (reason, msg), "{s}");
    }
    assert!(parse_request_origin(b"http://localhost:*").is_none());
    // The longest leftmost label: 62 fixed bytes and a one-byte `*`.
    let label = format!("https://{}*.example.com", "a".repeat(62));
    assert!(check_origin(&label).is_ok());
    let label = format!("https://{}*.example.com", "a".repeat(63));
    assert_eq!(
        check_origin(&label).unwrap_err().reason(),
        OriginReason::BadHost
    );
}

#[test]
fn label_wildcards_match_one_or_more_label_characters() {
    let p = check_origin("https://myapp-*-myteam.vercel.app")
        .unwrap()
        .pattern()
        .unwrap();
    for yes in [
        "https://myapp-x-myteam.vercel.app",
        "https://myapp-git-main-myteam.vercel.app",
        "https://myapp---myteam.vercel.app",
        "https://myapp-0-myteam.vercel.app",
    ] {
        assert!(p.matches(yes.as_bytes()), "{yes}");
    }
    for no in [
        "https://myapp--myteam.vercel.app",
        "https://myapp-a.b-myteam.vercel.app",
        "https://myapp-A-myteam.vercel.app",
        "https://myapp-_-myteam.vercel.app",
        "https://myapp-x-myteam.vercel.app.",
        "https://myapp-x-myteam.vercel.app.evil.test",
        "https://x.myapp-x-myteam.vercel.app",
        "https://myapp-x-myteam.vercel.app:8443",
        "http://myapp-x-myteam.vercel.app",
        "https://myapp-x-myteam.evil.app",
        "https://myapp-myteam.vercel.app",
    ] {
        assert!(!p.matches(no.as_bytes()), "{no}");
    }
    let long = format!("https://myapp-{}-myteam.vercel.app", "a".repeat(63 - 13));
    assert!(p.matches(long.as_bytes()));
    let long = format!("https://myapp-{}-myteam.vercel.app", "a".repeat(64 - 13));
    assert!(!p.matches(long.as_bytes()));
    // A filled label starting `xn--` is valid Punycode or not a host.
    let p = check_origin("https://*-kva.example")
        .unwrap()
        .pattern()
        .unwrap();
    assert!(p.matches(b"https://xn--bcher-kva.example"));
    let p = check_origin("https://*b.example")
        .unwrap()
        .pattern()
        .unwrap();
    assert!(p.matches(b"https://ab.example"));
    assert!(!p.matches(b"https://xn--b.example"));
}

#[test]
fn port_wildcards_match_any_valid_port() {
    let p = check_origin("http://localhost:*")
        .unwrap()
        .pattern()
        .unwrap();
    for yes in [
        "http://localhost",
        "http://localhost:1",
        "http://localhost:5173",
        "http://localhost:65535",
    ] {
        assert!(p.matches(yes.as_bytes()), "{yes}");
    }
    for no in [
        "http://localhost:80",
        "http://localhost:0",
        "http://localhost:05173",
        "http://localhost:65536",
        "http://localhost:",
        "http://localhost:123456",
        "http://localhost:1:2",
        "http://localhost.:3000",
        "http://a.localhost:3000",
        "https://localhost:3000",
        "http://localhostx:3000",
    ] {
        assert!(!p.matches(no.as_bytes()), "{no}");
    }
    let p = check_origin("http://[::1]:*").unwrap().pattern().unwrap();
    assert!(p.matches(b"http://[::1]") && p.matches(b"http://[::1]:8080"));
    assert!(!p.matches(b"http://[::1]:") && !p.matches(b"http://[::2]:8080"));
    let p = check_origin("https://*.example.com:*")
        .unwrap()
        .pattern()
        .unwrap();
    assert!(p.matches(b"https://a.example.com") && p.matches(b"https://a.b.example.com:8443"));
    assert!(!p.matches(b"https://example.com:8443") && !p.matches(b"https://a.example.com:443"));
    // Plain http on loopback, with any port, is still loopback.
    assert!(!check_origin("http://localhost:*")
        .unwrap()
        .pattern()
        .unwrap()
        .is_plain_http());
    assert!(!check_origin("http://127.0.0.1:*")
        .unwrap()
        .pattern()
        .unwrap()
        .is_plain_http());
    assert!(!check_origin("http://dev-*.localhost:*")
        .unwrap()
        .pattern()
        .unwrap()
        .is_plain_http());
    assert!(check_origin("http://app.example.com:*")
        .unwrap()
        .pattern()
        .unwrap()
        .is_plain_http());
    assert!(check_origin("http://pr-*.example.com")
        .unwrap()
        .pattern()
        .unwrap()
        .is_plain_http());
}

#[test]
fn public_suffix_label_wildcards_conflict_with_credentials() {
    for (s, conflict) in [
        (
            "https://myapp-*-myteam.vercel.app",
            Some(Conflict::PublicSuffixWildcard),
        ),
        (
            "https://pr-*.netlify.app",
            Some(Conflict::PublicSuffixWildcard),
        ),
        (
            "https://*-site.pages.dev",
            Some(Conflict::PublicSuffixWildcard),
        ),
        ("https://pr-*.preview.example.com", None),
        ("https://*.example.com:*", None),
        ("http://localhost:*", None),
        ("http://app.example.com:*", Some(Conflict::PlainHttp)),
        ("http://dev-*.localhost", None),
    ] {
        assert_eq!(origin_conflict(&check_origin(s).unwrap()), conflict, "{s}");
    }
    assert_eq!(
        wildcard_risk(&check_origin("https://pr-*.netlify.app").unwrap()).as_deref(),
        Some("`*` can be filled by anyone who can create a `netlify.app` site")
    );
}
