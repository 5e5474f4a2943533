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
//! let err = check_origin("https://app.example.com/").unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "origin `https://app.example.com/` has a path; write `https://app.example.com`"
//! );
//! ```

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

mod combined;
mod names;
mod pattern;

pub use combined::{credentials_conflict, origin_conflict, Conflict, PolicyFacts};
pub use names::{
    check_exposed_header, check_max_age, check_method, check_request_header,
    is_forbidden_request_header, is_tchar, is_token, NameError, NameReason, MAX_AGE_LIMIT,
};
pub use pattern::Pattern;

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

/// Whether a checked origin is one exact origin or a `*.` subdomain pattern.
///
/// ```
/// use route_cors::rules::{check_origin, OriginKind};
///
/// assert_eq!(check_origin("https://app.example.com").unwrap().kind, OriginKind::Exact);
/// assert_eq!(check_origin("https://*.example.com").unwrap().kind, OriginKind::Pattern);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginKind {
    /// An exact serialized origin such as `https://app.example.com`.
    Exact,
    /// A subdomain pattern such as `https://*.example.com`.
    Pattern,
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
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin<'a> {
    /// Exact origin or subdomain pattern.
    pub kind: OriginKind,
    /// The scheme, without `://`.
    pub scheme: &'a str,
    /// The host; for a pattern, the part after `*.`. IPv6 hosts keep their brackets.
    pub host: &'a str,
    /// What the host is.
    pub host_kind: HostKind,
    /// The explicit port, if any (never the scheme's default port).
    pub port: Option<u16>,
    /// For a pattern, the text after `*` (`.example.com:8443`).
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

    /// The pattern, if this is a `*.` pattern: the form route policies and
    /// origin sets match requests with.
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

/// Why an origin (or origin pattern) is invalid.
///
/// [`Display`](fmt::Display) gives the message shown to users, with the fix
/// where there is one.
///
/// ```
/// use route_cors::rules::{check_origin, OriginReason};
///
/// let err = check_origin("https://app.example.com:443").unwrap_err();
/// assert_eq!(err.reason(), OriginReason::DefaultPort);
/// assert_eq!(err.input(), "https://app.example.com:443");
/// assert_eq!(
///     err.to_string(),
///     "origin `https://app.example.com:443` names the default port; write `https://app.example.com`"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginError {
    input: String,
    reason: OriginReason,
}

/// The rule an invalid origin breaks.
///
/// ```
/// use route_cors::rules::{check_origin, OriginReason};
///
/// assert_eq!(check_origin("null").unwrap_err().reason(), OriginReason::Null);
/// assert_eq!(check_origin("https://app.example.com/").unwrap_err().reason(), OriginReason::Path);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OriginReason {
    /// The value is empty.
    Empty,
    /// Leading or trailing whitespace.
    Whitespace,
    /// `null`, which anyone can send from a sandboxed iframe or a `file:` page.
    Null,
    /// A lone `*` inside a list.
    LoneWildcard,
    /// No `scheme://`.
    NoScheme,
    /// The scheme has characters a scheme cannot have.
    BadScheme,
    /// A `file://` origin.
    FileScheme,
    /// A path, including a lone trailing slash.
    Path,
    /// A `?query`.
    Query,
    /// A `#fragment`.
    Fragment,
    /// `user@` or `user:pass@`.
    Userinfo,
    /// No host.
    EmptyHost,
    /// Upper-case letters in the scheme or host.
    UpperCase,
    /// A host that is not ASCII.
    NonAscii,
    /// A host with characters no host can have, or an empty label.
    BadHost,
    /// The port is empty (`https://a.com:`).
    EmptyPort,
    /// The port is not a number, is 0, or is above 65535.
    BadPort,
    /// The port has leading zeros.
    PortLeadingZero,
    /// The port is the scheme's default.
    DefaultPort,
    /// A numeric host that is not a dotted quad.
    BadIpv4,
    /// An IPv6 address that does not parse or is not in compressed form.
    BadIpv6,
    /// A `*` anywhere but a leading `*.` label.
    BadWildcard,
    /// A `*.` wildcard on an IP address.
    WildcardOnIp,
}

impl OriginError {
    /// The rule the origin breaks.
    ///
    /// ```
    /// use route_cors::rules::{check_origin, OriginReason};
    ///
    /// let err = check_origin("HTTPS://App.example.com").unwrap_err();
    /// assert_eq!(err.reason(), OriginReason::UpperCase);
    /// ```
    pub fn reason(&self) -> OriginReason {
        self.reason
    }

    /// The value that was checked.
    ///
    /// ```
    /// use route_cors::rules::check_origin;
    ///
    /// assert_eq!(check_origin(" https://a.example").unwrap_err().input(), " https://a.example");
    /// ```
    pub fn input(&self) -> &str {
        &self.input
    }

    fn new(input: &str, reason: OriginReason) -> Self {
        Self {
            input: input.to_owned(),
            reason,
        }
    }
}

impl std::error::Error for OriginError {}

/// One step of fixing `s`, which breaks `reason`; `None` if there is no
/// mechanical fix.
fn fix_step(s: &str, reason: OriginReason) -> Option<String> {
    // Keep scheme://authority, drop everything from the first of `c` after it.
    let cut = |c: &[char]| -> String {
        let start = s.find("://").map_or(0, |i| i + 3);
        match s[start..].find(c) {
            Some(i) => s[..start + i].to_owned(),
            None => s.to_owned(),
        }
    };
    Some(match reason {
        OriginReason::Whitespace => s.trim().to_owned(),
        OriginReason::NoScheme => format!("https://{s}"),
        OriginReason::Path => cut(&['/']),
        OriginReason::Query => cut(&['/', '?']),
        OriginReason::Fragment => cut(&['/', '?', '#']),
        OriginReason::Userinfo => match (s.find("://"), s.rfind('@')) {
            (Some(i), Some(j)) if j > i => format!("{}{}", &s[..i + 3], &s[j + 1..]),
            _ => return None,
        },
        OriginReason::UpperCase => s.to_ascii_lowercase(),
        OriginReason::EmptyPort => s.trim_end_matches(':').to_owned(),
        OriginReason::PortLeadingZero => {
            let i = s.rfind(':')?;
            format!("{}:{}", &s[..i], s[i + 1..].trim_start_matches('0'))
        }
        OriginReason::DefaultPort => s[..s.rfind(':')?].to_owned(),
        OriginReason::BadIpv6 => ipv6_fix(s)?,
        _ => return None,
    })
}

/// The valid origin `s` most likely means: every mechanical fix applied
/// (`HTTPS://App.example.com:443/` gives `https://app.example.com`), or, if
/// some problem has no mechanical fix, the first fix alone.
fn suggestion(s: &str, reason: OriginReason) -> Option<String> {
    // Each step fixes one problem, and an origin has fewer kinds of problem
    // than this; the bound keeps a fix that undoes another from looping.
    const MAX_FIX_STEPS: usize = 8;
    let first = fix_step(s, reason)?;
    let mut cur = first.clone();
    for _ in 0..MAX_FIX_STEPS {
        match check(&cur, true) {
            Ok(_) => return Some(cur),
            Err(r) => match fix_step(&cur, r) {
                Some(next) => cur = next,
                None => break,
            },
        }
    }
    Some(first)
}

impl fmt::Display for OriginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.input.as_str();
        let fix = suggestion(s, self.reason).unwrap_or_default();
        match self.reason {
            OriginReason::Empty => write!(f, "origin is empty; write a full origin such as `https://app.example.com`"),
            OriginReason::Whitespace => write!(f, "origin `{s}` has surrounding whitespace; write `{fix}`"),
            OriginReason::Null => write!(f, "origin `null` must not be allowed: sandboxed iframes, `file:` pages and redirects all send it, so anyone can forge it"),
            OriginReason::LoneWildcard => write!(f, "`*` cannot be one entry of a list; write `origins = \"*\"` to allow any origin"),
            OriginReason::NoScheme => write!(f, "origin `{s}` has no scheme; write `{fix}`"),
            OriginReason::BadScheme => write!(f, "origin `{s}` has an invalid scheme; a scheme is a letter followed by letters, digits, `+`, `-` or `.`"),
            OriginReason::FileScheme => write!(f, "origin `{s}` is a `file:` origin; browsers send `null` for it, which cannot be allowed safely"),
            OriginReason::Path => write!(f, "origin `{s}` has a path; write `{fix}`"),
            OriginReason::Query => write!(f, "origin `{s}` has a query; write `{fix}`"),
            OriginReason::Fragment => write!(f, "origin `{s}` has a fragment; write `{fix}`"),
            OriginReason::Userinfo => write!(f, "origin `{s}` has userinfo (`user@`), which origins never carry; write `{fix}`"),
            OriginReason::EmptyHost => write!(f, "origin `{s}` has no host"),
            OriginReason::UpperCase => write!(f, "origin `{s}` must be lower case; write `{fix}`"),
            OriginReason::NonAscii => write!(f, "origin `{s}` has a non-ASCII host; write the host in Punycode (`xn--…`), as browsers send it"),
            OriginReason::BadHost => write!(f, "origin `{s}` has an invalid host; a host is dot-separated labels of `a-z`, `0-9`, `-` and `_`"),
            OriginReason::EmptyPort => write!(f, "origin `{s}` has an empty port; write `{fix}`"),
            OriginReason::BadPort => write!(f, "origin `{s}` has an invalid port; a port is a number from 1 to 65535"),
            OriginReason::PortLeadingZero => write!(f, "origin `{s}` has a port with leading zeros; write `{fix}`"),
            OriginReason::DefaultPort => write!(f, "origin `{s}` names the default port; write `{fix}`"),
            OriginReason::BadIpv4 => write!(f, "origin `{s}` has an invalid IPv4 address; write it as a dotted quad such as `127.0.0.1`"),
            OriginReason::BadIpv6 if !fix.is_empty() => write!(f, "origin `{s}` must write its IPv6 address in compressed form; write `{fix}`"),
            OriginReason::BadIpv6 => write!(f, "origin `{s}` has an invalid IPv6 address"),
            OriginReason::BadWildcard => write!(f, "origin `{s}` has a malformed wildcard; only a leading `*.` label is allowed, as in `https://*.example.com`"),
            OriginReason::WildcardOnIp => write!(f, "origin `{s}` puts a wildcard on an IP address; IP addresses have no subdomains"),
        }
    }
}

fn ipv6_fix(s: &str) -> Option<String> {
    let open = s.find('[')?;
    let close = s.find(']')?;
    let addr: Ipv6Addr = s.get(open + 1..close)?.parse().ok()?;
    Some(format!("{}[{}]{}", &s[..open], addr, &s[close + 1..]))
}

fn is_scheme(s: &str) -> bool {
    let mut b = s.bytes();
    matches!(b.next(), Some(c) if c.is_ascii_alphabetic())
        && b.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        _ => None,
    }
}

/// Checks one configured origin or `*.` pattern, as written in `#[cors(origins = [..])]`
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
/// assert!(check_origin("file:///home/me/index.html").is_err());
/// ```
pub fn check_origin(s: &str) -> Result<Origin<'_>, OriginError> {
    check(s, true).map_err(|reason| OriginError::new(s, reason))
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
    check(s, false).ok()
}

fn check(s: &str, allow_pattern: bool) -> Result<Origin<'_>, OriginReason> {
    use OriginReason as R;
    if s.is_empty() {
        return Err(R::Empty);
    }
    if s.trim() != s {
        return Err(R::Whitespace);
    }
    if s.eq_ignore_ascii_case("null") {
        return Err(R::Null);
    }
    if s == "*" {
        return Err(R::LoneWildcard);
    }
    let Some(sep) = s.find("://") else {
        if s.to_ascii_lowercase().starts_with("file:") {
            return Err(R::FileScheme);
        }
        return Err(R::NoScheme);
    };
    let scheme = &s[..sep];
    if !is_scheme(scheme) {
        return Err(R::BadScheme);
    }
    if scheme.eq_ignore_ascii_case("file") {
        return Err(R::FileScheme);
    }
    let rest = &s[sep + 3..];
    // The authority ends at the first of `/`, `?` or `#`.
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    match rest[end..].bytes().next() {
        Some(b'/') => return Err(R::Path),
        Some(b'?') => return Err(R::Query),
        Some(b'#') => return Err(R::Fragment),
        _ => {}
    }
    if authority.contains('@') {
        return Err(R::Userinfo);
    }
    if !authority.is_ascii() {
        return Err(R::NonAscii);
    }
    if authority
        .bytes()
        .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    {
        return Err(R::BadHost);
    }
    // Split host and port; IPv6 hosts are bracketed.
    let (host, port_str) = if authority.starts_with('[') {
        match authority.find(']') {
            Some(i) => {
                let after = &authority[i + 1..];
                match after.strip_prefix(':') {
                    Some(p) => (&authority[..=i], Some(p)),
                    None if after.is_empty() => (authority, None),
                    None => return Err(R::BadIpv6),
                }
            }
            None => return Err(R::BadIpv6),
        }
    } else {
        match authority.rfind(':') {
            Some(i) => (&authority[..i], Some(&authority[i + 1..])),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(R::EmptyHost);
    }
    if scheme.bytes().any(|b| b.is_ascii_uppercase())
        || host.bytes().any(|b| b.is_ascii_uppercase())
    {
        return Err(R::UpperCase);
    }
    let port = match port_str {
        None => None,
        Some("") => return Err(R::EmptyPort),
        Some(p) => {
            if !p.bytes().all(|b| b.is_ascii_digit()) || p.len() > MAX_PORT_DIGITS {
                return Err(R::BadPort);
            }
            if p.len() > 1 && p.starts_with('0') {
                return Err(R::PortLeadingZero);
            }
            let n: u32 = p.parse().map_err(|_| R::BadPort)?;
            if n == 0 || n > u32::from(u16::MAX) {
                return Err(R::BadPort);
            }
            let n = n as u16;
            if default_port(scheme) == Some(n) {
                return Err(R::DefaultPort);
            }
            Some(n)
        }
    };
    // Wildcard patterns: only a leading `*.` label.
    let (kind, host) = match host.strip_prefix("*.") {
        Some(rest) if allow_pattern => (OriginKind::Pattern, rest),
        _ => (OriginKind::Exact, host),
    };
    if host.contains('*') {
        return Err(R::BadWildcard);
    }
    let host_kind = host_kind_of(host.as_bytes());
    let host_kind = if host_kind == HostKind::Ipv6 {
        // `get`: after a `*.` prefix the host can be a lone `[` (`https://*.[`).
        let inner = host.get(1..host.len() - 1).unwrap_or_default();
        match inner.parse::<Ipv6Addr>() {
            Ok(addr) if addr.to_string() == inner => HostKind::Ipv6,
            _ => return Err(R::BadIpv6),
        }
    } else {
        let max = if kind == OriginKind::Pattern {
            MAX_PATTERN_SUFFIX_LEN
        } else {
            MAX_HOST_LEN
        };
        if host.is_empty() || host.len() > max {
            return Err(R::BadHost);
        }
        if host_kind == HostKind::Ipv4 {
            match host.parse::<Ipv4Addr>() {
                Ok(addr) if addr.to_string() == host => HostKind::Ipv4,
                _ => return Err(R::BadIpv4),
            }
        } else {
            for label in host.split('.') {
                if label.is_empty()
                    || label.len() > MAX_LABEL_LEN
                    || !label.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                    })
                {
                    return Err(R::BadHost);
                }
            }
            HostKind::Domain
        }
    };
    if kind == OriginKind::Pattern && host_kind != HostKind::Domain {
        return Err(R::WildcardOnIp);
    }
    // For a pattern, everything after the `*`: `.suffix[:port]`.
    let tail = match kind {
        OriginKind::Pattern => &s[sep + 3 + 1..],
        OriginKind::Exact => "",
    };
    Ok(Origin {
        kind,
        scheme,
        host,
        host_kind,
        port,
        tail,
    })
}

/// Whether `o` is a `*.` pattern whose suffix is a public suffix (`com`,
/// `co.uk`, `github.io`): anyone can register a domain it matches, so it must
/// not be trusted with credentials. `*.localhost` is loopback and never counts.
///
/// The suffixes come from the Public Suffix List, through the `psl` crate, which
/// is compiled into this crate and so into every application. It is consulted
/// by the `#[cors]` attribute at compile time and when a `CredentialedOriginSet`
/// is filled at startup, never while serving requests.
///
/// ```
/// use route_cors::rules::{check_origin, is_public_suffix_wildcard};
///
/// assert!(is_public_suffix_wildcard(&check_origin("https://*.github.io").unwrap()));
/// assert!(!is_public_suffix_wildcard(&check_origin("https://*.example.com").unwrap()));
/// ```
pub fn is_public_suffix_wildcard(o: &Origin<'_>) -> bool {
    o.kind == OriginKind::Pattern
        && o.host_kind == HostKind::Domain
        && !o.is_loopback()
        && psl::suffix_str(o.host) == Some(o.host)
}

#[cfg(test)]
mod tests {
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
            ("http://127.1", "origin `http://127.1` has an invalid IPv4 address; write it as a dotted quad such as `127.0.0.1`"),
            ("http://[0:0:0:0:0:0:0:1]", "origin `http://[0:0:0:0:0:0:0:1]` must write its IPv6 address in compressed form; write `http://[::1]`"),
            ("HTTPS://App.example.com:443/", "origin `HTTPS://App.example.com:443/` has a path; write `https://app.example.com`"),
            (" App.example.com/x ", "origin ` App.example.com/x ` has surrounding whitespace; write `https://app.example.com`"),
            ("https://u@[0:0:0:0:0:0:0:1]:080", "origin `https://u@[0:0:0:0:0:0:0:1]:080` has userinfo (`user@`), which origins never carry; write `https://[::1]:80`"),
            ("https://a.com/é", "origin `https://a.com/é` has a path; write `https://a.com`"),
            ("https://bücher.example", "origin `https://bücher.example` has a non-ASCII host; write the host in Punycode (`xn--…`), as browsers send it"),
            ("https://a.*.com", "origin `https://a.*.com` has a malformed wildcard; only a leading `*.` label is allowed, as in `https://*.example.com`"),
            ("https://*example.com", "origin `https://*example.com` has a malformed wildcard; only a leading `*.` label is allowed, as in `https://*.example.com`"),
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
}
