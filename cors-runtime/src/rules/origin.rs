//! The origin validator: what a configured origin or pattern may be, why one
//! is refused, and the fix the message names. Part of [`rules`](super);
//! re-exported there.

use std::fmt;
use std::net::Ipv4Addr;

use super::{
    host_kind_of, ip, punycode, HostKind, Origin, OriginKind, Wildcard, MAX_HOST_LEN,
    MAX_LABEL_LEN, MAX_PATTERN_SUFFIX_LEN, MAX_PORT_DIGITS,
};

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
    /// An IPv6 address that does not parse, or is not written as browsers
    /// serialize it (compressed, lower case, an IPv4 tail in hex).
    BadIpv6,
    /// A `*` that is not a whole leftmost label (`*.`), nor part of one in
    /// front of a domain (`pr-*.example.com`); or a `*` on its own.
    BadWildcard,
    /// A wildcard on an IP address.
    WildcardOnIp,
    /// An `xn--` label that is not valid Punycode: browsers refuse the host.
    BadPunycode,
    /// Text other than `:port` after an IPv6 address's `]`.
    TextAfterIpv6,
    /// More than one `*`.
    TwoWildcards,
    /// A `*` outside the leftmost label (`https://a.*.example.com`).
    WildcardNotLeftmost,
    /// A `*` inside the label registered directly under a public suffix
    /// such as `com` or `co.uk` (`https://*example.com`): anyone could
    /// register a matching domain.
    WildcardInRegistrableLabel,
    /// A pattern's host ending in a dot (`https://*.example.com.`,
    /// `http://localhost.:*`).
    WildcardTrailingDot,
    /// A port wildcard other than `:*` alone (`:*8080`, `:8*`, `:**`).
    BadPortWildcard,
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

    pub(super) fn new(input: &str, reason: OriginReason) -> Self {
        Self {
            input: input.to_owned(),
            reason,
        }
    }
}

impl std::error::Error for OriginError {}

/// The scheme, authority and host of `s` as [`check`] splits them, for the
/// fixes and messages of an invalid origin: `(start of the authority, the
/// authority, the host)`.
fn split_authority(s: &str) -> Option<(usize, &str, &str)> {
    let start = s.find("://")? + 3;
    let rest = &s[start..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host = if authority.starts_with('[') {
        &authority[..authority.find(']').map_or(authority.len(), |i| i + 1)]
    } else {
        &authority[..authority.rfind(':').unwrap_or(authority.len())]
    };
    Some((start, authority, host))
}

/// `s` with its host replaced by `host`.
fn with_host(s: &str, host: &str) -> Option<String> {
    let (start, _, old) = split_authority(s)?;
    Some(format!("{}{host}{}", &s[..start], &s[start + old.len()..]))
}

/// One step of fixing `s`, which breaks `reason`; `None` if there is no
/// mechanical fix. Never `s` itself.
fn fix_step(s: &str, reason: OriginReason) -> Option<String> {
    // Keep scheme://authority, drop everything from the first of `c` after it.
    let cut = |c: &[char]| -> String {
        let start = s.find("://").map_or(0, |i| i + 3);
        match s[start..].find(c) {
            Some(i) => s[..start + i].to_owned(),
            None => s.to_owned(),
        }
    };
    let fix = match reason {
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
        OriginReason::BadIpv4 => {
            let (_, _, host) = split_authority(s)?;
            with_host(s, &ip::parse_ipv4(host)?.to_string())?
        }
        OriginReason::BadIpv6 => {
            let (_, _, host) = split_authority(s)?;
            let inner = host.strip_prefix('[')?.strip_suffix(']')?;
            with_host(s, &format!("[{}]", ip::reserialize_ipv6(inner)?))?
        }
        OriginReason::WildcardTrailingDot => {
            let (_, _, host) = split_authority(s)?;
            let fix = with_host(s, host.strip_suffix('.')?)?;
            // Only a fix that is valid: `https://*.` has none.
            check(&fix, true).ok()?;
            fix
        }
        OriginReason::WildcardInRegistrableLabel => {
            // `https://*example.com` means `https://*.example.com`.
            let (_, _, host) = split_authority(s)?;
            with_host(s, &format!("*.{}", host.strip_prefix('*')?))?
        }
        _ => return None,
    };
    (fix != s).then_some(fix)
}

/// The valid origin `s` most likely means: every mechanical fix applied
/// (`HTTPS://App.example.com:443/` gives `https://app.example.com`), or, if
/// some problem has no mechanical fix, the first fix alone. Never `s`.
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

/// The first label of `s`'s host that is not valid Punycode.
fn bad_punycode_label(s: &str) -> Option<&str> {
    let (_, _, host) = split_authority(s)?;
    host.split('.')
        .find(|l| !punycode::is_valid_label(l.as_bytes()))
}

impl fmt::Display for OriginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use OriginReason as R;
        let s = self.input.as_str();
        // What is wrong; then `; write `fix``, or, where there is no fix,
        // what to do instead.
        let (what, otherwise): (String, &str) = match self.reason {
            R::Empty => return f.write_str("origin is empty; write a full origin such as `https://app.example.com`"),
            R::Null => return f.write_str("origin `null` must not be allowed: sandboxed iframes, `file:` pages and redirects all send it, so anyone can forge it"),
            R::LoneWildcard => return f.write_str("`*` cannot be one entry of a list; write `origins = \"*\"` to allow any origin"),
            R::Whitespace => ("has surrounding whitespace".into(), "remove it"),
            R::NoScheme => ("has no scheme".into(), "write `https://` or `http://` in front"),
            R::BadScheme => ("has an invalid scheme".into(), "a scheme is a letter followed by letters, digits, `+`, `-` or `.`"),
            R::FileScheme => ("is a `file:` origin".into(), "browsers send `null` for it, which cannot be allowed safely"),
            R::Path => ("has a path".into(), "an origin is `scheme://host[:port]`"),
            R::Query => ("has a query".into(), "an origin is `scheme://host[:port]`"),
            R::Fragment => ("has a fragment".into(), "an origin is `scheme://host[:port]`"),
            R::Userinfo => ("has userinfo (`user@`), which origins never carry".into(), "remove it"),
            R::EmptyHost => return write!(f, "origin `{s}` has no host"),
            R::UpperCase => ("must be lower case".into(), "browsers send origins in lower case"),
            R::NonAscii => ("has a non-ASCII host".into(), "write the host in Punycode (`xn--…`), as browsers send it"),
            R::BadHost => ("has an invalid host".into(), "a host is dot-separated labels of `a-z`, `0-9`, `-` and `_`"),
            R::EmptyPort => ("has an empty port".into(), "remove the `:`"),
            R::BadPort => ("has an invalid port".into(), "a port is a number from 1 to 65535"),
            R::PortLeadingZero => ("has a port with leading zeros".into(), "remove them"),
            R::DefaultPort => ("names the default port".into(), "remove it"),
            R::BadIpv4 => ("has an invalid IPv4 address".into(), "write it as a dotted quad such as `127.0.0.1`"),
            R::BadIpv6 => match suggestion(s, self.reason) {
                Some(fix) if split_authority(s).is_some_and(|(_, _, h)| h.contains('.')) => {
                    return write!(f, "origin `{s}` must write the IPv4 tail of its IPv6 address in hex, as browsers send it; write `{fix}`")
                }
                Some(fix) => return write!(f, "origin `{s}` must write its IPv6 address in compressed form; write `{fix}`"),
                None => return write!(f, "origin `{s}` has an invalid IPv6 address"),
            },
            R::TextAfterIpv6 => {
                let after = split_authority(s)
                    .and_then(|(_, a, h)| a.get(h.len()..))
                    .unwrap_or_default();
                return write!(f, "origin `{s}` has `{after}` after its IPv6 address; only a `:port` can follow the `]`");
            }
            R::BadPunycode => {
                let label = bad_punycode_label(s).unwrap_or("xn--");
                return write!(f, "origin `{s}` has the label `{label}`, which is not valid Punycode, so browsers refuse the host; write the label as IDNA encodes it");
            }
            R::BadWildcard => ("has a malformed wildcard".into(), "a `*` is the leftmost label of a domain (`https://*.example.com`) or part of it (`https://pr-*.example.com`)"),
            R::WildcardOnIp => ("puts a wildcard on an IP address".into(), "IP addresses have no subdomains"),
            R::TwoWildcards => ("has more than one `*`".into(), "a pattern has one wildcard, in its leftmost label"),
            R::WildcardNotLeftmost => ("has a `*` outside the leftmost label".into(), "a `*` is the leftmost label of a domain (`https://*.example.com`) or part of it (`https://pr-*.example.com`)"),
            R::WildcardInRegistrableLabel => ("puts `*` in a name registered under a public suffix, so anyone could register a domain it matches".into(), "put the wildcard in a label of your own domain, as in `https://pr-*.example.com`"),
            R::WildcardTrailingDot => ("ends the host of a pattern with a dot".into(), "patterns cover hosts as browsers usually send them, without the dot"),
            R::BadPortWildcard => ("has a malformed port wildcard".into(), "`:*` alone allows any port"),
        };
        write!(f, "origin `{s}` {what}; ")?;
        match suggestion(s, self.reason) {
            Some(fix) => match self.reason {
                R::WildcardTrailingDot => write!(
                    f,
                    "write `{fix}`, and list a trailing-dot host exactly if it is needed"
                ),
                R::WildcardInRegistrableLabel => write!(f, "write `{fix}` for subdomains"),
                _ => write!(f, "write `{fix}`"),
            },
            None => f.write_str(otherwise),
        }
    }
}

fn is_scheme(s: &str) -> bool {
    let mut b = s.bytes();
    matches!(b.next(), Some(c) if c.is_ascii_alphabetic())
        && b.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
}

pub(super) fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        _ => None,
    }
}

/// The checks of one domain (no `*`): at most `max` bytes (and, if
/// `trailing_dot`, one more for a final `.`), labels of `a-z`, `0-9`, `-` and
/// `_` of at most 63 bytes, and every `xn--` label valid Punycode.
fn check_domain(host: &str, max: usize, trailing_dot: bool) -> Result<(), OriginReason> {
    let h = match host.strip_suffix('.') {
        Some(h) if trailing_dot => h,
        _ => host,
    };
    if h.is_empty() || h.len() > max {
        return Err(OriginReason::BadHost);
    }
    for label in h.split('.') {
        if label.is_empty() || label.len() > MAX_LABEL_LEN || !label.bytes().all(is_label_byte) {
            return Err(OriginReason::BadHost);
        }
    }
    if !h.split('.').all(|l| punycode::is_valid_label(l.as_bytes())) {
        return Err(OriginReason::BadPunycode);
    }
    Ok(())
}

fn is_label_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
}

/// The kind of a host without a `*`, checked: a domain (`max` bytes at
/// most, a trailing dot allowed if `trailing_dot`), a dotted quad, or an
/// IPv6 address as browsers serialize it.
fn check_host(host: &str, max: usize, trailing_dot: bool) -> Result<HostKind, OriginReason> {
    match host_kind_of(host.as_bytes()) {
        HostKind::Ipv6 => {
            // `get`: the host can be a lone `[` (`https://*.[`).
            let inner = host.get(1..host.len() - 1).unwrap_or_default();
            if host.ends_with(']') && ip::is_serialized_ipv6(inner) {
                Ok(HostKind::Ipv6)
            } else {
                Err(OriginReason::BadIpv6)
            }
        }
        HostKind::Ipv4 => match host.parse::<Ipv4Addr>() {
            Ok(addr) if addr.to_string() == host => Ok(HostKind::Ipv4),
            _ => Err(OriginReason::BadIpv4),
        },
        HostKind::Domain => check_domain(host, max, trailing_dot).map(|()| HostKind::Domain),
    }
}

/// The host of a pattern with a `*`: which wildcard it is, the fixed domain
/// after it, and that domain's kind.
fn check_wildcard_host(host: &str) -> Result<(Wildcard<'_>, &str, HostKind), OriginReason> {
    use OriginReason as R;
    if host.bytes().filter(|&b| b == b'*').count() > 1 {
        return Err(R::TwoWildcards);
    }
    if host.starts_with('[') {
        return Err(R::WildcardOnIp);
    }
    let (first, rest) = host.split_at(host.find('.').unwrap_or(host.len()));
    let Some(star) = first.find('*') else {
        return Err(R::WildcardNotLeftmost);
    };
    // The fixed domain after the wildcard label (`https://*.` has an empty one).
    let suffix = match rest.strip_prefix('.') {
        Some("") => return Err(R::BadHost),
        Some(suffix) => suffix,
        None => return Err(R::BadWildcard),
    };
    if host.ends_with('.') {
        return Err(R::WildcardTrailingDot);
    }
    let wildcard = if first == "*" {
        Wildcard::Subdomains
    } else {
        let (before, after) = (&first[..star], &first[star + 1..]);
        if !before.bytes().chain(after.bytes()).all(is_label_byte) {
            return Err(R::BadHost);
        }
        // The label, with `*` as one character, and the host, fit.
        if first.len() > MAX_LABEL_LEN || host.len() > MAX_HOST_LEN {
            return Err(R::BadHost);
        }
        Wildcard::InLabel { before, after }
    };
    let kind = check_host(suffix, MAX_PATTERN_SUFFIX_LEN, false)?;
    if kind != HostKind::Domain {
        return Err(R::WildcardOnIp);
    }
    if matches!(wildcard, Wildcard::InLabel { .. })
        && psl::suffix(suffix.as_bytes())
            .is_some_and(|p| p.as_bytes() == suffix.as_bytes() && p.typ() == Some(psl::Type::Icann))
    {
        return Err(R::WildcardInRegistrableLabel);
    }
    Ok((wildcard, suffix, kind))
}

/// The port: `None`, a number, or `:*` (`Ok((None, true))`).
fn check_port(
    scheme: &str,
    port: Option<&str>,
    allow_pattern: bool,
) -> Result<(Option<u16>, bool), OriginReason> {
    use OriginReason as R;
    let p = match port {
        None => return Ok((None, false)),
        Some("") => return Err(R::EmptyPort),
        Some("*") if allow_pattern => return Ok((None, true)),
        Some(p) if allow_pattern && p.contains('*') => return Err(R::BadPortWildcard),
        Some(p) => p,
    };
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
    Ok((Some(n), false))
}

/// The validator: a configured origin or pattern (`allow_pattern`), or a
/// request's `Origin` value.
pub(super) fn check(s: &str, allow_pattern: bool) -> Result<Origin<'_>, OriginReason> {
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
                    None if ip::reserialize_ipv6(&authority[1..i]).is_some() => {
                        return Err(R::TextAfterIpv6)
                    }
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
    let (port, any_port) = check_port(scheme, port_str, allow_pattern)?;
    let (wildcard, host, host_kind) = if !host.contains('*') {
        if any_port && host.ends_with('.') {
            return Err(R::WildcardTrailingDot);
        }
        (Wildcard::None, host, check_host(host, MAX_HOST_LEN, true)?)
    } else if allow_pattern {
        check_wildcard_host(host)?
    } else {
        return Err(R::BadWildcard);
    };
    let kind = if wildcard == Wildcard::None && !any_port {
        OriginKind::Exact
    } else {
        OriginKind::Pattern
    };
    // What `Pattern` is built from: after the `*` of a `*.` pattern, else the
    // whole authority.
    let tail = match (kind, wildcard) {
        (OriginKind::Exact, _) => "",
        (_, Wildcard::Subdomains) => &authority[1..],
        _ => authority,
    };
    Ok(Origin {
        kind,
        scheme,
        host,
        host_kind,
        port,
        any_port,
        wildcard,
        tail,
    })
}
