//! The rules that combine keys: what `credentials` cannot go with. Part of
//! [`rules`](super); re-exported there.
//!
//! The `#[cors]` attribute, named-policy overrides, the runtime's const
//! constructors and credentialed origin sets all decide these here, and all
//! print the same message.

use std::fmt;

use super::{is_public_suffix_wildcard, Origin};

/// A combination of keys that makes a policy invalid.
///
/// ```
/// use route_cors::rules::{credentials_conflict, Conflict, PolicyFacts};
///
/// let facts = PolicyFacts { credentials: true, any_origin: true, ..PolicyFacts::NONE };
/// assert_eq!(credentials_conflict(&facts), Some(Conflict::AnyOrigin));
/// assert!(Conflict::AnyOrigin.to_string().contains("`origins = \"*\"`"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Conflict {
    /// `credentials` with `origins = "*"`.
    AnyOrigin,
    /// `credentials` with `expose = "*"`.
    ExposeAny,
    /// `credentials` with a plain-`http` origin that is not loopback.
    PlainHttp,
    /// `credentials` with a `*.` wildcard on a public suffix.
    PublicSuffixWildcard,
    /// `credentials` with a plain `OriginSet`, which does not apply these
    /// rules to the origins it loads at startup.
    UncheckedOriginSet,
    /// `dangerously_allow_cross_origin_writes` with `origins = "*"`, where it
    /// has no effect: every origin is already trusted.
    WritesOptInWithAnyOrigin,
}

/// The message of each conflict, without and with the `dangerously_…` key
/// that opts in, written once.
macro_rules! texts {
    ($($variant:ident => $text:literal $(, opt_in $key:literal)?;)*) => {
        impl Conflict {
            /// What is wrong, why it matters, and the fix.
            ///
            /// ```
            /// use route_cors::rules::Conflict;
            ///
            /// assert!(Conflict::PlainHttp.message().ends_with("use `https://`"));
            /// ```
            pub const fn message(self) -> &'static str {
                match self {
                    $(Conflict::$variant => $text,)*
                }
            }

            /// The `dangerously_…` key of `#[cors]` that allows the
            /// combination anyway, if there is one.
            ///
            /// ```
            /// use route_cors::rules::Conflict;
            ///
            /// assert_eq!(Conflict::PlainHttp.opt_in(), Some("dangerously_allow_http_with_credentials"));
            /// assert_eq!(Conflict::AnyOrigin.opt_in(), None);
            /// ```
            pub const fn opt_in(self) -> Option<&'static str> {
                match self {
                    $(Conflict::$variant => texts!(@key $($key)?),)*
                }
            }

            /// [`message`](Conflict::message), followed by the opt-in key
            /// where there is one: the text for code, where the key can be
            /// written.
            ///
            /// ```
            /// use route_cors::rules::Conflict;
            ///
            /// assert!(Conflict::PlainHttp
            ///     .message_in_code()
            ///     .ends_with("or add `dangerously_allow_http_with_credentials` if this is intended"));
            /// ```
            pub const fn message_in_code(self) -> &'static str {
                match self {
                    $(Conflict::$variant => texts!(@code $text $(, $key)?),)*
                }
            }
        }
    };
    (@key) => { None };
    (@key $key:literal) => { Some($key) };
    (@code $text:literal) => { $text };
    (@code $text:literal, $key:literal) => {
        concat!($text, ", or add `", $key, "` if this is intended")
    };
}

texts! {
    AnyOrigin => "`credentials` cannot be combined with `origins = \"*\"`: browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests; list the allowed origins";
    ExposeAny => "`credentials` cannot be combined with `expose = \"*\"`: on credentialed requests browsers read `*` as a header literally named `*`; list the headers to expose";
    PlainHttp => "plain-`http` origins other than loopback cannot be combined with `credentials`: cookies and tokens would cross the network unencrypted; use `https://`",
        opt_in "dangerously_allow_http_with_credentials";
    PublicSuffixWildcard => "a `*.` wildcard on a public suffix cannot be combined with `credentials`: anyone can register a domain it matches and make credentialed requests; list exact origins or a wildcard on your own domain",
        opt_in "dangerously_allow_public_suffix_wildcard_with_credentials";
    UncheckedOriginSet => "a plain `OriginSet` cannot be combined with `credentials`: it may hold `*` (any origin), and it does not check what it is filled with against the credential rules; declare it as a `CredentialedOriginSet`";
    WritesOptInWithAnyOrigin => "`dangerously_allow_cross_origin_writes` has no effect with `origins = \"*\"`: a route open to any origin already lets every origin's cross-origin writes run its handler; remove the key (and do not rely on cookies on such a route)";
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Conflict {}

/// What [`credentials_conflict`] needs to know about a policy.
///
/// ```
/// use route_cors::rules::PolicyFacts;
///
/// let facts = PolicyFacts { credentials: true, ..PolicyFacts::NONE };
/// assert!(facts.credentials && !facts.any_origin);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyFacts {
    /// `credentials` is set.
    pub credentials: bool,
    /// `origins = "*"`.
    pub any_origin: bool,
    /// The origins are a plain `OriginSet`.
    pub unchecked_origin_set: bool,
    /// `expose = "*"`.
    pub expose_any: bool,
    /// A plain-`http` origin that is not loopback is listed.
    pub plain_http: bool,
    /// A `*.` wildcard on a public suffix is listed.
    pub public_suffix_wildcard: bool,
    /// `dangerously_allow_http_with_credentials`.
    pub allow_http: bool,
    /// `dangerously_allow_public_suffix_wildcard_with_credentials`.
    pub allow_public_suffix_wildcard: bool,
    /// `dangerously_allow_cross_origin_writes`.
    pub allow_cross_origin_writes: bool,
}

impl PolicyFacts {
    /// Every fact false.
    pub const NONE: PolicyFacts = PolicyFacts {
        credentials: false,
        any_origin: false,
        unchecked_origin_set: false,
        expose_any: false,
        plain_http: false,
        public_suffix_wildcard: false,
        allow_http: false,
        allow_public_suffix_wildcard: false,
        allow_cross_origin_writes: false,
    };
}

/// The first rule a policy with these facts breaks, if any. Const, so that
/// the code `#[cors]` generates and the runtime's constructors decide it
/// during compilation.
///
/// ```
/// use route_cors::rules::{credentials_conflict, Conflict, PolicyFacts};
///
/// let http = PolicyFacts { credentials: true, plain_http: true, ..PolicyFacts::NONE };
/// assert_eq!(credentials_conflict(&http), Some(Conflict::PlainHttp));
/// let opted_in = PolicyFacts { allow_http: true, ..http };
/// assert_eq!(credentials_conflict(&opted_in), None);
/// ```
pub const fn credentials_conflict(f: &PolicyFacts) -> Option<Conflict> {
    if !f.credentials {
        None
    } else if f.any_origin {
        Some(Conflict::AnyOrigin)
    } else if f.unchecked_origin_set {
        Some(Conflict::UncheckedOriginSet)
    } else if f.expose_any {
        Some(Conflict::ExposeAny)
    } else if f.plain_http && !f.allow_http {
        Some(Conflict::PlainHttp)
    } else if f.public_suffix_wildcard && !f.allow_public_suffix_wildcard {
        Some(Conflict::PublicSuffixWildcard)
    } else {
        None
    }
}

/// The rule a policy with these facts breaks by what it says of
/// cross-origin writes, if any: [`Conflict::WritesOptInWithAnyOrigin`].
///
/// ```
/// use route_cors::rules::{writes_conflict, Conflict, PolicyFacts};
///
/// let any = PolicyFacts { any_origin: true, allow_cross_origin_writes: true, ..PolicyFacts::NONE };
/// assert_eq!(writes_conflict(&any), Some(Conflict::WritesOptInWithAnyOrigin));
/// let listed = PolicyFacts { any_origin: false, ..any };
/// assert_eq!(writes_conflict(&listed), None);
/// ```
pub const fn writes_conflict(f: &PolicyFacts) -> Option<Conflict> {
    if f.any_origin && f.allow_cross_origin_writes {
        Some(Conflict::WritesOptInWithAnyOrigin)
    } else {
        None
    }
}

/// The rule one checked origin breaks on a route with `credentials`, before
/// any opt-in: [`Conflict::PlainHttp`] or [`Conflict::PublicSuffixWildcard`].
///
/// ```
/// use route_cors::rules::{check_origin, origin_conflict, Conflict};
///
/// let o = |s| origin_conflict(&check_origin(s).unwrap());
/// assert_eq!(o("http://api.example.com"), Some(Conflict::PlainHttp));
/// assert_eq!(o("http://localhost:3000"), None);
/// assert_eq!(o("https://*.github.io"), Some(Conflict::PublicSuffixWildcard));
/// assert_eq!(o("https://*.example.com"), None);
/// ```
pub fn origin_conflict(o: &Origin<'_>) -> Option<Conflict> {
    if o.scheme == "http" && !o.is_loopback() {
        Some(Conflict::PlainHttp)
    } else if is_public_suffix_wildcard(o) {
        Some(Conflict::PublicSuffixWildcard)
    } else {
        None
    }
}
