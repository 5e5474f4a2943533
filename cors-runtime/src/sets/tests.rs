//! Unit tests of the origin sets: validation and matching.

use super::*;

fn matched(set: &OriginSet, origin: &'static str) -> Option<String> {
    let loaded = set.get();
    let list = loaded.as_deref().expect("set is filled");
    match list.find(&HeaderValue::from_static(origin)) {
        crate::matching::Matched::Echo(v) => Some(v.to_str().unwrap().to_owned()),
        crate::matching::Matched::Any => Some("*".to_owned()),
        crate::matching::Matched::Denied => None,
    }
}

#[test]
fn accepts_valid_lists() {
    for list in [
        &["https://app.example.com"][..],
        &["https://app.example.com", "http://localhost:3000"],
        &[
            "https://*.example.com",
            "http://127.0.0.1:8080",
            "http://[::1]:8080",
        ],
        &["https://a.example.com", "https://a.example.com"],
    ] {
        let set = OriginSet::new("TEST");
        set.set(list).unwrap_or_else(|e| panic!("{list:?}: {e}"));
        assert!(set.is_set());
    }
}

#[test]
fn rejects_with_every_problem_listed() {
    for (list, problems) in [
        (
            &[][..],
            &["the list of origins is empty; name at least one origin"][..],
        ),
        (
            &["*"],
            &["`*` (any origin) cannot be configured at startup: an origin set is an allow-list; list the allowed origins, or write `origins = \"*\"` in the code of a route without credentials"],
        ),
        (
            &["https://ok.example.com", "https://a.example.com/", "null", ""],
            &[
                "origin `https://a.example.com/` has a path; write `https://a.example.com`",
                "origin `null` must not be allowed: sandboxed iframes, `file:` pages and redirects all send it, so anyone can forge it",
                "origin is empty; write a full origin such as `https://app.example.com`",
            ],
        ),
        (
            &["HTTPS://App.example.com", "https://b.example.com:443", "https://*.*.example.com"],
            &[
                "origin `HTTPS://App.example.com` must be lower case; write `https://app.example.com`",
                "origin `https://b.example.com:443` names the default port; write `https://b.example.com`",
                "origin `https://*.*.example.com` has more than one `*`; a pattern has one wildcard, in its leftmost label",
            ],
        ),
    ] {
        let set = OriginSet::new("TEST");
        let err = set.set(list).expect_err("invalid list");
        assert_eq!(err.source, "TEST");
        assert_eq!(err.problems, problems, "{list:?}");
        assert!(!set.is_set(), "nothing is set on failure");
    }
}

#[test]
fn env_values_are_split_and_trimmed() {
    let var = "ROUTE_CORS_UNIT_TEST_ORIGINS";
    std::env::set_var(var, " https://a.example.com , https://*.b.example.com");
    let set = OriginSet::new("ENV");
    set.set_from_env(var).unwrap();
    assert_eq!(
        matched(&set, "https://a.example.com").as_deref(),
        Some("https://a.example.com")
    );
    assert_eq!(
        matched(&set, "https://x.b.example.com").as_deref(),
        Some("https://x.b.example.com")
    );
    assert_eq!(matched(&set, "https://b.example.com"), None);

    std::env::set_var(var, "https://a.example.com,,*");
    let err = OriginSet::new("ENV").set_from_env(var).unwrap_err();
    assert_eq!(err.source, var);
    assert_eq!(err.problems.len(), 2, "{err}");

    let err = OriginSet::new("ENV")
        .set_from_env("ROUTE_CORS_UNIT_TEST_UNSET")
        .unwrap_err();
    assert_eq!(
        err.problems,
        ["environment variable `ROUTE_CORS_UNIT_TEST_UNSET` cannot be read: environment variable not found"]
    );
}

#[test]
fn config_goes_through_the_same_validator() {
    let set = OriginSet::new("CFG");
    let bad = OriginsConfig {
        allowed_origins: vec!["*".into(), "http://a.example.com:80".into()],
    };
    let err = set.set_from_config(&bad).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid CORS origins in configuration field `allowed_origins` of `CFG`:\n  \
         - `*` (any origin) cannot be configured at startup: an origin set is an allow-list; list the allowed origins, or write `origins = \"*\"` in the code of a route without credentials\n  \
         - origin `http://a.example.com:80` names the default port; write `http://a.example.com`"
    );
    let good = OriginsConfig {
        allowed_origins: vec!["https://a.example.com".into()],
    };
    set.set_from_config(&good).unwrap();
    let again = set.set_from_config(&good).unwrap_err();
    assert_eq!(again.problems, ["origin set `CFG` is already set"]);
}
