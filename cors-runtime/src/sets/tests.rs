//! Unit tests of the origin sets: validation and matching.

use super::*;

use crate::matching::Matched;

const AMONG_OTHERS: &str = "`*` (any origin) must be the only entry of an origin set: next to it the other entries mean nothing; write `*` alone to allow any origin, or remove it to allow only the listed origins";
const NOT_WITH_CREDENTIALS: &str = "`*` (any origin) cannot be in an origin set for credentialed routes: browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests; list the allowed origins";

fn matched(set: &OriginSet, origin: &'static str) -> Option<String> {
    let loaded = set.get();
    let list = loaded.as_deref().expect("set is filled");
    match list.allows(Some(&HeaderValue::from_static(origin))) {
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
            &["https://a.example.com", "*"],
            &[AMONG_OTHERS],
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
         - `*` (any origin) must be the only entry of an origin set: next to it the other entries mean nothing; write `*` alone to allow any origin, or remove it to allow only the listed origins\n  \
         - origin `http://a.example.com:80` names the default port; write `http://a.example.com`"
    );
    let good = OriginsConfig {
        allowed_origins: vec!["https://a.example.com".into()],
    };
    set.set_from_config(&good).unwrap();
    let again = set.set_from_config(&good).unwrap_err();
    assert_eq!(again.problems, ["origin set `CFG` is already set"]);
}

/// What the set answers a request with this `Origin` (or none).
fn answer(set: &OriginSet, origin: Option<&'static str>) -> &'static str {
    let loaded = set.get();
    let list = loaded.as_deref().expect("set is filled");
    match list.allows(origin.map(HeaderValue::from_static).as_ref()) {
        Matched::Any => "any",
        Matched::Echo(_) => "echo",
        Matched::Denied => "denied",
    }
}

#[test]
fn star_alone_allows_any_origin_with_one_origin_none_or_a_malformed_one() {
    for list in [&["*"][..], &["*", "*"]] {
        let set = OriginSet::new("ANY");
        set.set(list).unwrap_or_else(|e| panic!("{list:?}: {e}"));
        for origin in [
            Some("https://a.example.com"),
            Some("null"),
            Some("not an origin"),
            None,
        ] {
            assert_eq!(answer(&set, origin), "any", "{list:?} {origin:?}");
        }
        assert_eq!(set.get().as_deref().unwrap().to_string(), "*");
        assert_eq!(
            format!("{set:?}"),
            "OriginSet { name: \"ANY\", origins: Some([\"*\"]) }"
        );
    }
}

#[test]
fn star_among_others_is_refused_and_every_other_problem_listed() {
    let set = OriginSet::new("MIXED");
    let err = set
        .set(["*", "https://a.example.com/", "https://b.example.com", "*"])
        .unwrap_err();
    let got: Vec<_> = err
        .problems
        .iter()
        .map(|p| (p.position(), p.entry(), p.reason().clone(), p.to_string()))
        .collect();
    assert_eq!(
        got,
        [
            (
                Some(0),
                Some("*"),
                ProblemReason::AnyOriginAmongOthers,
                AMONG_OTHERS.to_owned()
            ),
            (
                Some(1),
                Some("https://a.example.com/"),
                ProblemReason::Origin(crate::rules::OriginReason::Path),
                "origin `https://a.example.com/` has a path; write `https://a.example.com`"
                    .to_owned()
            ),
            (
                Some(3),
                Some("*"),
                ProblemReason::AnyOriginAmongOthers,
                AMONG_OTHERS.to_owned()
            ),
        ]
    );
    assert!(!set.is_set());
    // An empty entry is another entry: `*,` is refused too.
    let err = OriginSet::new("MIXED").set(["*", ""]).unwrap_err();
    assert_eq!(err.problems.len(), 2, "{err}");
    assert_eq!(err.problems[0], AMONG_OTHERS);
}

#[test]
fn a_credentialed_set_refuses_star_alone_or_not() {
    for list in [&["*"][..], &["https://a.example.com", "*"]] {
        let set = CredentialedOriginSet::new("CRED");
        let err = set.set(list).unwrap_err();
        assert_eq!(err.problems, [NOT_WITH_CREDENTIALS], "{list:?}");
        assert_eq!(err.problems[0].reason(), &ProblemReason::AnyOrigin);
        assert!(!set.is_set());
        set.set(["https://a.example.com"]).unwrap();
        let err = set.replace(list).unwrap_err();
        assert_eq!(err.problems, [NOT_WITH_CREDENTIALS], "{list:?}");
        assert_eq!(answer(&set.set, Some("https://a.example.com")), "echo");
    }
}

#[test]
fn replace_switches_to_star_and_back() {
    let set = OriginSet::new("SWITCH");
    set.set(["https://a.example.com"]).unwrap();
    assert_eq!(answer(&set, Some("https://b.example.com")), "denied");
    set.replace(["*"]).unwrap();
    assert_eq!(answer(&set, Some("https://b.example.com")), "any");
    assert_eq!(answer(&set, None), "any");
    // A refused list keeps `*` in force.
    let err = set.replace(["*", "https://a.example.com"]).unwrap_err();
    assert_eq!(err.problems, [AMONG_OTHERS]);
    assert_eq!(answer(&set, Some("https://b.example.com")), "any");
    set.replace(["https://a.example.com"]).unwrap();
    assert_eq!(answer(&set, Some("https://a.example.com")), "echo");
    assert_eq!(answer(&set, Some("https://b.example.com")), "denied");
    assert_eq!(answer(&set, None), "denied");
}

#[test]
fn env_star_is_any_origin_spaces_around_it_ignored() {
    let var = "ROUTE_CORS_UNIT_TEST_STAR";
    std::env::set_var(var, " * ");
    let set = OriginSet::new("ENV_STAR");
    set.set_from_env(var).unwrap();
    assert_eq!(answer(&set, Some("https://x.example.com")), "any");
    std::env::set_var(var, "*, https://a.example.com");
    let err = OriginSet::new("ENV_STAR").set_from_env(var).unwrap_err();
    assert_eq!(err.source, var);
    assert_eq!(err.problems, [AMONG_OTHERS]);
}

// --- `set_from_env_or` ---------------------------------------------------

const DEFAULTS: [&str; 2] = ["http://localhost:3000", "https://*.dev.example.com"];

#[test]
fn env_or_uses_the_defaults_when_the_variable_is_missing_or_blank() {
    let var = "ROUTE_CORS_UNIT_TEST_ENV_OR_MISSING";
    std::env::remove_var(var);
    let set = OriginSet::new("MISSING");
    set.set_from_env_or(var, DEFAULTS).unwrap();
    assert_eq!(answer(&set, Some("http://localhost:3000")), "echo");
    assert_eq!(answer(&set, Some("https://a.dev.example.com")), "echo");
    assert_eq!(answer(&set, Some("https://app.example.com")), "denied");

    for blank in ["", " ", " \t "] {
        let var = "ROUTE_CORS_UNIT_TEST_ENV_OR_BLANK";
        std::env::set_var(var, blank);
        let set = OriginSet::new("BLANK");
        set.set_from_env_or(var, DEFAULTS)
            .unwrap_or_else(|e| panic!("{blank:?}: {e}"));
        assert_eq!(
            answer(&set, Some("http://localhost:3000")),
            "echo",
            "{blank:?}"
        );
    }
}

#[test]
fn env_or_reads_the_variable_when_it_has_a_value_and_ignores_the_defaults() {
    let var = "ROUTE_CORS_UNIT_TEST_ENV_OR_GIVEN";
    std::env::set_var(var, "https://app.example.com");
    let set = OriginSet::new("GIVEN");
    // Defaults that are not used are not checked.
    set.set_from_env_or(var, ["https://unused.example.com/"])
        .unwrap();
    assert_eq!(answer(&set, Some("https://app.example.com")), "echo");
    assert_eq!(answer(&set, Some("http://localhost:3000")), "denied");

    std::env::set_var(var, "*");
    let set = OriginSet::new("GIVEN_ANY");
    set.set_from_env_or(var, DEFAULTS).unwrap();
    assert_eq!(answer(&set, Some("https://x.example.com")), "any");
}

#[test]
fn env_or_fails_on_every_other_problem_without_falling_back() {
    let var = "ROUTE_CORS_UNIT_TEST_ENV_OR_BAD";
    // A trailing slash is refused with the fix, never trimmed; an empty entry
    // is an error, not "blank".
    std::env::set_var(var, "https://app.example.com/, ,https://b.example.com:443");
    let set = OriginSet::new("BAD");
    let err = set.set_from_env_or(var, DEFAULTS).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid CORS origins in ROUTE_CORS_UNIT_TEST_ENV_OR_BAD:\n  \
         - origin `https://app.example.com/` has a path; write `https://app.example.com`\n  \
         - origin is empty; write a full origin such as `https://app.example.com`\n  \
         - origin `https://b.example.com:443` names the default port; write `https://b.example.com`"
    );
    assert!(!set.is_set(), "no fallback on a bad value");

    // The defaults are checked the same way when they are used, and the
    // error says where they came from.
    std::env::remove_var(var);
    let err = set
        .set_from_env_or(var, ["http://localhost:3000/", "*"])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid CORS origins in the default origins of `BAD` (`ROUTE_CORS_UNIT_TEST_ENV_OR_BAD` is not set):\n  \
         - origin `http://localhost:3000/` has a path; write `http://localhost:3000`\n  \
         - `*` (any origin) must be the only entry of an origin set: next to it the other entries mean nothing; write `*` alone to allow any origin, or remove it to allow only the listed origins"
    );
    std::env::set_var(var, "");
    let err = set.set_from_env_or(var, Vec::<String>::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid CORS origins in the default origins of `BAD` (`ROUTE_CORS_UNIT_TEST_ENV_OR_BAD` is blank):\n  \
         - the list of origins is empty; name at least one origin"
    );
    assert!(!set.is_set());

    // Filled once, whichever list it came from.
    set.set_from_env_or(var, DEFAULTS).unwrap();
    let err = set.set_from_env_or(var, DEFAULTS).unwrap_err();
    assert_eq!(err.problems, ["origin set `BAD` is already set"]);
}

#[cfg(unix)]
#[test]
fn env_or_refuses_a_value_that_is_not_unicode() {
    use std::os::unix::ffi::OsStrExt;
    let var = "ROUTE_CORS_UNIT_TEST_ENV_OR_BYTES";
    std::env::set_var(
        var,
        std::ffi::OsStr::from_bytes(b"https://a.example.com\xff"),
    );
    let set = OriginSet::new("BYTES");
    let err = set.set_from_env_or(var, DEFAULTS).unwrap_err();
    assert_eq!(err.source, var);
    assert_eq!(
        err.problems[0].reason(),
        &ProblemReason::EnvUnreadable(std::env::VarError::NotUnicode(
            std::ffi::OsStr::from_bytes(b"https://a.example.com\xff").to_owned()
        ))
    );
    assert!(!set.is_set());
}

#[test]
fn a_credentialed_set_checks_its_defaults_against_the_credential_rules() {
    let var = "ROUTE_CORS_UNIT_TEST_ENV_OR_CRED";
    std::env::remove_var(var);
    let set = CredentialedOriginSet::new("CRED_DEFAULTS");
    let err = set
        .set_from_env_or(var, ["http://partner.example", "*"])
        .unwrap_err();
    assert_eq!(
        err.problems
            .iter()
            .map(|p| p.reason().clone())
            .collect::<Vec<_>>(),
        [
            ProblemReason::Credentials(crate::rules::Conflict::PlainHttp),
            ProblemReason::AnyOrigin
        ]
    );
    set.set_from_env_or(var, ["http://localhost:3000"]).unwrap();
    assert_eq!(answer(&set.set, Some("http://localhost:3000")), "echo");
}
