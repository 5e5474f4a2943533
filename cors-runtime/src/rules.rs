//! The policy rules: one source of truth for what a valid origin, method or
//! header name is.
//!
//! This module does not depend on actix-web. The `#[cors]` attribute runs it at
//! compile time, and [`OriginSet`](crate::OriginSet) runs it at startup for
//! origins read from the environment or a config file, so both places accept
//! and reject exactly the same values.
//!
//! Checks return small error values without allocating; the human-readable
//! message (which names the fix) is built only when the error is displayed.
//!
//! ```
//! use route_cors::rules::{check_origin, OriginKind};
//!
//! let o = check_origin("https://*.example.com").unwrap();
//! assert_eq!(o.kind, OriginKind::Pattern);
//! assert!(check_origin("https://pr-*.preview.example.com").is_ok());
//! assert!(check_origin("http://localhost:*").is_ok());
//! let err = check_origin("https://app.example.com/").unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "origin `https://app.example.com/` has a path; write `https://app.example.com`"
//! );
//! ```

mod combined;
mod ip;
mod names;
mod origin;
mod pattern;
mod punycode;

pub use combined::{credentials_conflict, origin_conflict, writes_conflict, Conflict, PolicyFacts};
pub use names::{
    check_exposed_header, check_max_age, check_method, check_request_header,
    is_forbidden_request_header, is_tchar, is_token, NameError, NameReason, MAX_AGE_LIMIT,
};
pub use origin::{OriginError, OriginReason};
pub use pattern::Pattern;
#[cfg(feature = "actix")]
pub(crate) use pattern::Shape;

/// The longest host, in bytes (RFC 1035 §2.3.4, as browsers apply it).
pub const MAX_HOST_LEN: usize = 253;

/// The longest label of a host, in bytes (RFC 1035 §2.3.4).
pub const MAX_LABEL_LEN: usize = 63;

/// The most digits a port has (`65535`).
pub const MAX_PORT_DIGITS: usize = 5;

/// The longest `Access-Control-Request-Headers` line accepted, in bytes.
/// Browsers send a short, sorted list; anything longer is refused before it
/// is parsed, so hostile input costs bounded work.
pub const MAX_REQUEST_HEADERS_LEN: usize = 4096;

/// The most empty items tolerated in one `Access-Control-Request-Headers`
/// line (`a,,b` has one); more is refused as malformed.
pub const MAX_EMPTY_ITEMS: usize = 16;

/// The longest suffix of a `*.` pattern: it leaves room for one label in
/// front (`x.`), or the pattern could never match.
pub const MAX_PATTERN_SUFFIX_LEN: usize = MAX_HOST_LEN - 2;

/// Whether a checked origin is one exact origin or a pattern: anything with
/// a `*`, in the host ([`Wildcard`]) or as the port (`:*`).
///
/// ```
/// use route_cors::rules::{check_origin, OriginKind};
///
/// assert_eq!(check_origin("https://app.example.com").unwrap().kind, OriginKind::Exact);
/// assert_eq!(check_origin("https://*.example.com").unwrap().kind, OriginKind::Pattern);
/// assert_eq!(check_origin("https://pr-*.example.com").unwrap().kind, OriginKind::Pattern);
/// assert_eq!(check_origin("http://localhost:*").unwrap().kind, OriginKind::Pattern);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginKind {
    /// An exact serialized origin such as `https://app.example.com`.
    Exact,
    /// A pattern such as `https://*.example.com`, `https://pr-*.example.com`
    /// or `http://localhost:*`; [`Origin::pattern`] gives its matcher.
    Pattern,
}

/// The wildcard in a checked origin's host.
///
/// ```
/// use route_cors::rules::{check_origin, Wildcard};
///
/// let w = |s| check_origin(s).unwrap().wildcard;
/// assert_eq!(w("https://app.example.com"), Wildcard::None);
/// assert_eq!(w("http://localhost:*"), Wildcard::None);
/// assert_eq!(w("https://*.example.com"), Wildcard::Subdomains);
/// assert_eq!(
///     w("https://app-*-team.vercel.app"),
///     Wildcard::InLabel { before: "app-", after: "-team" }
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wildcard<'a> {
    /// No `*` in the host (the port may still be `:*`).
    None,
    /// `*.suffix`: one or more whole labels in front of the suffix, never
    /// the bare suffix.
    Subdomains,
    /// A `*` inside the leftmost label, between fixed text: it stands for one
    /// or more of `a-z`, `0-9` and `-`, never a dot.
    InLabel {
        /// The label's text before the `*` (may be empty).
        before: &'a str,
        /// The label's text after the `*` (may be empty, not both).
        after: &'a str,
    },
}

/// The kind of host an origin names.
///
/// ```
/// use route_cors::rules::{check_origin, HostKind};
///
/// assert_eq!(check_origin("https://app.example.com").unwrap().host_kind, HostKind::Domain);
/// assert_eq!(check_origin("http://127.0.0.1:8080").unwrap().host_kind, HostKind::Ipv4);
/// assert_eq!(check_origin("http://[::1]:8080").unwrap().host_kind, HostKind::Ipv6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostKind {
    /// A domain name (ASCII, lower case).
    Domain,
    /// A dotted-quad IPv4 address.
    Ipv4,
    /// A bracketed, compressed IPv6 address.
    Ipv6,
}

/// The parts of a valid origin or pattern, borrowed from the checked text.
///
/// ```
/// use route_cors::rules::check_origin;
///
/// let o = check_origin("https://*.example.com:8443").unwrap();
/// assert_eq!((o.scheme, o.host, o.port), ("https", "example.com", Some(8443)));
/// let o = check_origin("https://pr-*.example.com:*").unwrap();
/// assert_eq!((o.host, o.port, o.any_port), ("example.com", None, true));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin<'a> {
    /// Exact origin or pattern.
    pub kind: OriginKind,
    /// The scheme, without `://`.
    pub scheme: &'a str,
    /// The host; with a host wildcard, the fixed domain after the wildcard's
    /// label (`example.com` for `*.example.com` and `pr-*.example.com`).
    /// IPv6 hosts keep their brackets.
    pub host: &'a str,
    /// What the host is (for a host wildcard, what the fixed domain is).
    pub host_kind: HostKind,
    /// The explicit port, if any (never the scheme's default port, never
    /// `:*`).
    pub port: Option<u16>,
    /// The port is `:*`: any valid port, or none (the default one).
    pub any_port: bool,
    /// The wildcard in the host, if any.
    pub wildcard: Wildcard<'a>,
    /// For a pattern, what [`Pattern`] is built from: the text after the `*`
    /// of a `*.` pattern (`.example.com:8443`), else the whole authority
    /// (`pr-*.example.com`, `localhost:*`).
    tail: &'a str,
}

impl<'a> Origin<'a> {
    /// Whether this origin is a loopback host (`localhost`, `*.localhost`,
    /// `127.0.0.0/8` or `[::1]`), which browsers treat as potentially trustworthy
    /// even over plain `http`.
    ///
    /// ```
    /// use route_cors::rules::check_origin;
    ///
    /// assert!(check_origin("http://localhost:3000").unwrap().is_loopback());
    /// assert!(!check_origin("http://app.example.com").unwrap().is_loopback());
    /// ```
    pub fn is_loopback(&self) -> bool {
        is_loopback_host(self.host_kind, self.host.as_bytes())
    }

    /// The pattern, if this is one: the form route policies and origin sets
    /// match requests with.
    ///
    /// ```
    /// use route_cors::rules::check_origin;
    ///
    /// let p = check_origin("https://*.example.com:8443").unwrap().pattern().unwrap();
    /// assert!(p.matches(b"https://a.example.com:8443"));
    /// assert!(check_origin("https://example.com").unwrap().pattern().is_none());
    /// ```
    pub fn pattern(&self) -> Option<Pattern<'a>> {
        match self.kind {
            OriginKind::Pattern => Some(Pattern::from_checked(self.scheme, self.tail)),
            OriginKind::Exact => None,
        }
    }
}

/// Whether a host of kind `kind` is loopback (`localhost`, `*.localhost`,
/// `127.0.0.0/8` or `[::1]`). The one home of the loopback rule: a const fn,
/// so the runtime's const constructors apply it too.
pub(crate) const fn is_loopback_host(kind: HostKind, h: &[u8]) -> bool {
    match kind {
        HostKind::Domain => eq(h, b"localhost") || ends_with(h, b".localhost"),
        HostKind::Ipv4 => starts_with(h, b"127."),
        HostKind::Ipv6 => eq(h, b"[::1]"),
    }
}

/// The kind of a host, as the URL standard tells them apart: bracketed is
/// IPv6; a numeric last label makes an IPv4 address; the rest is a domain.
/// It does not check that the host is valid.
pub(crate) const fn host_kind_of(h: &[u8]) -> HostKind {
    if !h.is_empty() && h[0] == b'[' {
        return HostKind::Ipv6;
    }
    // One trailing dot does not count: `127.0.0.1.` ends in a number.
    let h = match h.split_last() {
        Some((&b'.', rest)) => rest,
        _ => h,
    };
    // The last label.
    let mut start = h.len();
    while start > 0 && h[start - 1] != b'.' {
        start -= 1;
    }
    let len = h.len() - start;
    if len == 0 {
        return HostKind::Domain;
    }
    if len >= 2 && h[start] == b'0' && (h[start + 1] == b'x' || h[start + 1] == b'X') {
        return HostKind::Ipv4;
    }
    let mut i = start;
    while i < h.len() {
        if !h[i].is_ascii_digit() {
            return HostKind::Domain;
        }
        i += 1;
    }
    HostKind::Ipv4
}

pub(crate) const fn eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

pub(crate) const fn starts_with(a: &[u8], prefix: &[u8]) -> bool {
    if a.len() < prefix.len() {
        return false;
    }
    let mut i = 0;
    while i < prefix.len() {
        if a[i] != prefix[i] {
            return false;
        }
        i += 1;
    }
    true
}

pub(crate) const fn ends_with(a: &[u8], suffix: &[u8]) -> bool {
    if a.len() < suffix.len() {
        return false;
    }
    let off = a.len() - suffix.len();
    let mut i = 0;
    while i < suffix.len() {
        if a[off + i] != suffix[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Checks one configured origin or pattern (`*.`, a `*` in the leftmost label, `:*`), as written in `#[cors(origins = [..])]`
/// or in configuration read at startup.
///
/// Accepts only the exact form browsers serialize: lower-case scheme and host, no path,
/// no default port. Returns the parts of the origin, or why it is invalid.
///
/// ```
/// use route_cors::rules::check_origin;
///
/// assert!(check_origin("https://app.example.com").is_ok());
/// assert!(check_origin("https://*.example.com").is_ok());
/// assert!(check_origin("http://[::ffff:7f7f:7f7f]:90").is_ok());
/// assert!(check_origin("http://example.com.:3999").is_ok());
/// assert!(check_origin("file:///home/me/index.html").is_err());
/// ```
pub fn check_origin(s: &str) -> Result<Origin<'_>, OriginError> {
    origin::check(s, true).map_err(|reason| OriginError::new(s, reason))
}

/// Parses the value of a request's `Origin` header.
///
/// This is [`check_origin`] without patterns: a request origin is valid exactly
/// when it would be a valid configured exact origin. It never allocates.
///
/// ```
/// use route_cors::rules::parse_request_origin;
///
/// assert!(parse_request_origin(b"https://app.example.com").is_some());
/// assert!(parse_request_origin(b"https://*.example.com").is_none()); // no patterns
/// assert!(parse_request_origin(b"null").is_none());
/// ```
pub fn parse_request_origin(s: &[u8]) -> Option<Origin<'_>> {
    let s = std::str::from_utf8(s).ok()?;
    origin::check(s, false).ok()
}

/// Whether `o` is a host wildcard (`*.suffix`, or `app-*.suffix`) whose fixed
/// domain is a public suffix (`com`, `co.uk`, `github.io`, `vercel.app`):
/// anyone can register a domain it matches, so it must not be trusted with
/// credentials. `*.localhost` is loopback and never counts; neither does an
/// exact host with `:*`.
///
/// The suffixes come from the Public Suffix List, through the `psl` crate, which
/// is compiled into this crate and so into every application. It is consulted
/// by the `#[cors]` attribute at compile time and when a `CredentialedOriginSet`
/// is filled at startup, never while serving requests.
///
/// ```
/// use route_cors::rules::{check_origin, is_public_suffix_wildcard};
///
/// let p = |s| is_public_suffix_wildcard(&check_origin(s).unwrap());
/// assert!(p("https://*.github.io"));
/// assert!(p("https://myapp-*-myteam.vercel.app"));
/// assert!(!p("https://*.example.com"));
/// assert!(!p("https://pr-*.preview.example.com"));
/// ```
pub fn is_public_suffix_wildcard(o: &Origin<'_>) -> bool {
    o.kind == OriginKind::Pattern
        && o.wildcard != Wildcard::None
        && o.host_kind == HostKind::Domain
        && !o.is_loopback()
        && psl::suffix_str(o.host) == Some(o.host)
}

/// For a wildcard on a public suffix ([`is_public_suffix_wildcard`]), who
/// can fill its `*`: the one-line risk of allowing it with credentials.
///
/// ```
/// use route_cors::rules::{check_origin, wildcard_risk};
///
/// assert_eq!(
///     wildcard_risk(&check_origin("https://myapp-*-myteam.vercel.app").unwrap()).as_deref(),
///     Some("`*` can be filled by anyone who can create a `vercel.app` site")
/// );
/// assert_eq!(wildcard_risk(&check_origin("https://*.example.com").unwrap()), None);
/// ```
pub fn wildcard_risk(o: &Origin<'_>) -> Option<String> {
    is_public_suffix_wildcard(o).then(|| {
        format!(
            "`*` can be filled by anyone who can create a `{}` site",
            o.host
        )
    })
}

#[cfg(test)]
mod tests;
