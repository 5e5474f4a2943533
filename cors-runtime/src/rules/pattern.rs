//! Origin patterns: `*.` subdomains, a `*` inside the leftmost label, and the
//! `:*` port. One type from the validator to the request path. Part of
//! [`rules`](super); re-exported there.

use std::fmt;

use super::{ends_with, eq, host_kind_of, is_loopback_host, punycode, MAX_HOST_LEN, MAX_LABEL_LEN};

/// What the host's `*` stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wild {
    /// No `*`: the host is `before`, exactly (the port is `:*`).
    None,
    /// `*.suffix`: one or more whole labels, then `after` (`.suffix`).
    Labels,
    /// `before*after`: one or more of `a-z`, `0-9`, `-` inside the leftmost label.
    Chars,
}

/// Which ports match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Port {
    /// None: the scheme's default port.
    Default,
    /// This port: its digits are the tail from this offset on.
    Exact(usize),
    /// `:*`: any valid port, or none.
    Any,
}

/// Where a pattern's parts are in its tail, and what its `*` stands for:
/// everything [`Pattern::__new`] works out, with no borrow, so that an
/// owner of the text (an origin set filled at startup) computes it once and
/// rebuilds the pattern per request for free ([`Pattern::with_shape`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    wild: Wild,
    /// The host's fixed text before the `*` (the whole host for [`Wild::None`]),
    /// as a range of the tail.
    before: (usize, usize),
    /// The host's fixed text after the `*` (`.suffix`, `-team.vercel.app`).
    after: (usize, usize),
    /// How much of `after` is in the wildcard's label (`-team`: 5).
    after_label: usize,
    /// Where the fixed domain (`suffix()`) starts in `tail`, and where the port starts.
    suffix_at: usize,
    host_end: usize,
    port: Port,
    /// The scheme's default port, or 0: never written with `:*`.
    default_port: u32,
}

/// A checked pattern: `scheme://*.suffix`, `scheme://before*after.suffix`
/// (a `*` inside the leftmost label), or either, or an exact host, with
/// `:port` or `:*`.
///
/// Only [`check_origin`](super::check_origin) (through
/// [`Origin::pattern`](super::Origin::pattern)) and the code `#[cors]`
/// generates make one, so a `Pattern` is always valid. It matches a request's
/// `Origin` bytes directly: one pass, no parsing, no allocation.
///
/// ```
/// use route_cors::rules::check_origin;
///
/// let p = check_origin("https://*.example.com").unwrap().pattern().unwrap();
/// assert!(p.matches(b"https://a.b.example.com"));
/// assert!(!p.matches(b"https://example.com")); // never the apex
/// assert!(!p.matches(b"https://badexample.com"));
/// assert_eq!(p.to_string(), "https://*.example.com");
///
/// let p = check_origin("https://app-*-team.vercel.app").unwrap().pattern().unwrap();
/// assert!(p.matches(b"https://app-git-main-team.vercel.app"));
/// assert!(!p.matches(b"https://app--team.vercel.app")); // `*` is never empty
/// assert!(!p.matches(b"https://app-a.b-team.vercel.app")); // nor a dot
///
/// let p = check_origin("http://localhost:*").unwrap().pattern().unwrap();
/// assert!(p.matches(b"http://localhost:5173") && p.matches(b"http://localhost"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pattern<'a> {
    /// The scheme, such as `https`.
    scheme: &'a str,
    /// What [`Pattern::__new`] was given: after the `*` of a `*.` pattern
    /// (`.example.com:8443`), else the authority (`pr-*.example.com`).
    tail: &'a str,
    shape: Shape,
    /// `shape`'s ranges, as slices of `tail`: what `matches` reads.
    before: &'a [u8],
    after: &'a [u8],
    /// The digits of a [`Port::Exact`] port (empty otherwise).
    port_digits: &'a [u8],
}

impl<'a> Pattern<'a> {
    /// From the parts of a pattern [`check_origin`](super::check_origin) accepted.
    pub(super) const fn from_checked(scheme: &'a str, tail: &'a str) -> Self {
        Self::__new(scheme, tail)
    }

    /// What [`Pattern::__new`] worked out of the text.
    #[cfg_attr(not(feature = "actix"), allow(dead_code))]
    pub(crate) const fn shape(&self) -> Shape {
        self.shape
    }

    /// The pattern of `scheme` and `tail` with the `shape` a `Pattern` of the
    /// same text had: no check and no scan. The caller keeps the text and
    /// the shape together.
    pub(crate) const fn with_shape(scheme: &'a str, tail: &'a str, shape: Shape) -> Self {
        let t = tail.as_bytes();
        let port_digits = match shape.port {
            Port::Exact(at) => t.split_at(at).1,
            Port::Default | Port::Any => b"",
        };
        Self {
            scheme,
            tail,
            shape,
            before: range(t, shape.before),
            after: range(t, shape.after),
            port_digits,
        }
    }

    /// The pattern `scheme://*` + `tail` when `tail` starts with `.` (a `*.`
    /// pattern), else `scheme://` + `tail` (a `*` inside the leftmost label,
    /// or an exact host with `:*`): for the code `#[cors]` generates from a
    /// pattern it checked. Const evaluation refuses a scheme or tail that
    /// cannot come from a checked pattern, so a hand-written one that breaks
    /// the shape does not compile.
    #[doc(hidden)]
    #[track_caller]
    pub const fn __new(scheme: &'a str, tail: &'a str) -> Self {
        let s = scheme.as_bytes();
        assert!(
            !s.is_empty() && s[0].is_ascii_lowercase(),
            "a pattern's scheme starts with a lower-case letter"
        );
        let mut i = 0;
        while i < s.len() {
            let b = s[i];
            assert!(
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.'),
                "a pattern's scheme is lower-case letters, digits, `+`, `-` or `.`"
            );
            i += 1;
        }
        let default_port = if eq(s, b"http") || eq(s, b"ws") {
            80
        } else if eq(s, b"https") || eq(s, b"wss") {
            443
        } else {
            0
        };
        let t = tail.as_bytes();
        let subdomains = !t.is_empty() && t[0] == b'.';
        // Where the host ends: after an IPv6 address's `]`, else at the first `:`.
        let mut host_end = 0;
        if !t.is_empty() && t[0] == b'[' {
            while host_end < t.len() && t[host_end] != b']' {
                host_end += 1;
            }
            assert!(host_end < t.len(), "a pattern's IPv6 host ends with `]`");
            host_end += 1;
        } else {
            while host_end < t.len() && t[host_end] != b':' {
                host_end += 1;
            }
        }
        let (host, port) = t.split_at(host_end);
        let port = port_rule(port, host_end);
        if subdomains {
            assert!(
                host.len() >= 2 && host[1] != b'.',
                "a pattern's tail is `.suffix[:port]`"
            );
            assert_domain(host, 1);
            return Self::with_shape(
                scheme,
                tail,
                Shape {
                    wild: Wild::Labels,
                    before: (0, 0),
                    after: (0, host_end),
                    after_label: 0,
                    suffix_at: 1,
                    host_end,
                    port,
                    default_port,
                },
            );
        }
        // The authority form: one `*` in the leftmost label, or none and `:*`.
        let mut star = None;
        let mut label_end = host.len();
        let mut i = 0;
        while i < host.len() {
            if host[i] == b'*' {
                assert!(star.is_none(), "a pattern has one `*`");
                star = Some(i);
            } else if host[i] == b'.' && label_end == host.len() {
                label_end = i;
            }
            i += 1;
        }
        let Some(star) = star else {
            assert!(
                matches!(port, Port::Any),
                "a pattern's tail is `.suffix[:port]`"
            );
            assert!(!host.is_empty(), "a pattern has a host");
            if host[0] != b'[' {
                assert_domain(host, 0);
            }
            return Self::with_shape(
                scheme,
                tail,
                Shape {
                    wild: Wild::None,
                    before: (0, host_end),
                    after: (0, 0),
                    after_label: 0,
                    suffix_at: 0,
                    host_end,
                    port,
                    default_port,
                },
            );
        };
        assert!(star < label_end, "a pattern's `*` is in its leftmost label");
        assert!(
            label_end > 1,
            "a pattern whose leftmost label is `*` has the tail `.suffix[:port]`"
        );
        assert!(
            label_end + 1 < host.len(),
            "a pattern's `*` label is followed by a suffix"
        );
        let (before, rest) = host.split_at(star);
        let (_, after) = rest.split_at(1);
        assert_domain(after, 0);
        let mut i = 0;
        while i < before.len() {
            assert!(
                is_label_byte(before[i]),
                "a pattern's host is lower-case labels"
            );
            i += 1;
        }
        Self::with_shape(
            scheme,
            tail,
            Shape {
                wild: Wild::Chars,
                before: (0, star),
                after: (star + 1, host_end),
                after_label: label_end - star - 1,
                suffix_at: label_end + 1,
                host_end,
                port,
                default_port,
            },
        )
    }

    /// The scheme and the tail, as [`Pattern::__new`] takes them: what the
    /// `#[cors]` attribute writes into the code it generates.
    #[doc(hidden)]
    pub fn __parts(&self) -> (&'a str, &'a str) {
        (self.scheme, self.tail)
    }

    /// Whether two patterns are the same.
    #[cfg_attr(not(feature = "actix"), allow(dead_code))]
    pub(crate) const fn same(&self, other: &Pattern<'_>) -> bool {
        eq(self.scheme.as_bytes(), other.scheme.as_bytes())
            && eq(self.tail.as_bytes(), other.tail.as_bytes())
    }

    /// Whether the pattern is plain `http` on a host that is not loopback.
    #[cfg_attr(not(feature = "actix"), allow(dead_code))]
    pub(crate) const fn is_plain_http(&self) -> bool {
        if !eq(self.scheme.as_bytes(), b"http") {
            return false;
        }
        match self.shape.wild {
            Wild::None => !is_loopback_host(host_kind_of(self.before), self.before),
            // The fixed domain, after the wildcard's label: `.localhost` or
            // `….localhost` is loopback.
            Wild::Labels | Wild::Chars => {
                let (_, suffix) = self.after.split_at(self.shape.after_label);
                !ends_with(suffix, b".localhost")
            }
        }
    }

    /// The scheme, such as `https`.
    ///
    /// ```
    /// use route_cors::rules::check_origin;
    ///
    /// let p = check_origin("https://*.example.com").unwrap().pattern().unwrap();
    /// assert_eq!(p.scheme(), "https");
    /// ```
    pub fn scheme(&self) -> &'a str {
        self.scheme
    }

    /// The fixed domain after the wildcard's label, such as `example.com`
    /// for `*.example.com` and `pr-*.example.com`; for an exact host with
    /// `:*`, the host.
    ///
    /// ```
    /// use route_cors::rules::check_origin;
    ///
    /// let p = |s| check_origin(s).unwrap().pattern().unwrap();
    /// assert_eq!(p("https://*.example.com:8443").suffix(), "example.com");
    /// assert_eq!(p("https://app-*-team.vercel.app").suffix(), "vercel.app");
    /// assert_eq!(p("http://localhost:*").suffix(), "localhost");
    /// ```
    pub fn suffix(&self) -> &'a str {
        self.tail
            .get(self.shape.suffix_at..self.shape.host_end)
            .unwrap_or_default()
    }

    /// The explicit port, if any (`None` for the default port and for `:*`).
    ///
    /// ```
    /// use route_cors::rules::check_origin;
    ///
    /// let p = check_origin("https://*.example.com:8443").unwrap().pattern().unwrap();
    /// assert_eq!(p.port(), Some(8443));
    /// ```
    pub fn port(&self) -> Option<u16> {
        match self.shape.port {
            Port::Exact(at) => self.tail.get(at..)?.parse().ok(),
            Port::Default | Port::Any => None,
        }
    }

    /// Whether the port is `:*`: any valid port, or the default one.
    ///
    /// ```
    /// use route_cors::rules::check_origin;
    ///
    /// assert!(check_origin("https://*.example.com:*").unwrap().pattern().unwrap().any_port());
    /// ```
    pub fn any_port(&self) -> bool {
        matches!(self.shape.port, Port::Any)
    }

    /// Whether a request's `Origin` (its raw bytes) matches: the same scheme,
    /// the port (or, for `:*`, any valid port that is not the default one
    /// written out, or none), and a host the wildcard covers. Exactly the
    /// origins [`check_origin`](super::check_origin) would accept as an exact
    /// origin that the pattern covers.
    ///
    /// ```
    /// use route_cors::rules::check_origin;
    ///
    /// let p = check_origin("https://*.example.com").unwrap().pattern().unwrap();
    /// assert!(p.matches(b"https://api.example.com"));
    /// assert!(!p.matches(b"https://API.example.com")); // browsers send lower case
    /// assert!(!p.matches(b"https://a.example.com:8443")); // another port
    /// ```
    pub fn matches(&self, origin: &[u8]) -> bool {
        let Some(rest) = origin.strip_prefix(self.scheme.as_bytes()) else {
            return false;
        };
        let Some(authority) = rest.strip_prefix(b"://") else {
            return false;
        };
        let host = match self.shape.port {
            Port::Default => authority,
            Port::Exact(_) => match authority
                .strip_suffix(self.port_digits)
                .and_then(|h| h.strip_suffix(b":"))
            {
                Some(host) => host,
                None => return false,
            },
            Port::Any => match split_any_port(authority, self.shape.default_port) {
                Some(host) => host,
                None => return false,
            },
        };
        match self.shape.wild {
            Wild::None => host == self.before,
            Wild::Labels => match host.strip_suffix(self.after) {
                Some(labels) => host.len() <= MAX_HOST_LEN && are_labels(labels),
                None => false,
            },
            Wild::Chars => {
                let Some(fill) = host
                    .strip_prefix(self.before)
                    .and_then(|h| h.strip_suffix(self.after))
                else {
                    return false;
                };
                let label_len = self.before.len() + fill.len() + self.shape.after_label;
                !fill.is_empty()
                    && label_len <= MAX_LABEL_LEN
                    && host.len() <= MAX_HOST_LEN
                    && fill
                        .iter()
                        .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && punycode::is_valid_label(&host[..label_len])
            }
        }
    }
}

/// `tail[range]`.
const fn range(tail: &[u8], (start, end): (usize, usize)) -> &[u8] {
    let (head, _) = tail.split_at(end);
    let (_, part) = head.split_at(start);
    part
}

/// The port of a pattern's tail, which starts at `at`: none, `:*`, or `:`
/// and 1 to 5 digits without a leading zero.
#[track_caller]
const fn port_rule(port: &[u8], at: usize) -> Port {
    if port.is_empty() {
        return Port::Default;
    }
    assert!(port[0] == b':', "a pattern's port follows its host");
    let (_, digits) = port.split_at(1);
    if digits.len() == 1 && digits[0] == b'*' {
        return Port::Any;
    }
    assert!(
        !digits.is_empty() && digits[0] != b'0' && digits.len() <= 5,
        "a pattern's port is 1 to 65535"
    );
    let mut i = 0;
    while i < digits.len() {
        assert!(digits[i] != b':', "a pattern has one port");
        assert!(digits[i].is_ascii_digit(), "a pattern's port is digits");
        i += 1;
    }
    Port::Exact(at + 1)
}

/// Asserts `h[from..]` is dot-separated lower-case labels, none empty, and
/// no trailing dot.
#[track_caller]
const fn assert_domain(h: &[u8], from: usize) {
    let mut i = from;
    while i < h.len() {
        let b = h[i];
        assert!(
            is_label_byte(b) || b == b'.',
            "a pattern's suffix is lower-case labels"
        );
        assert!(
            !(b == b'.' && ((i > 0 && h[i - 1] == b'.') || i + 1 == h.len())),
            "a pattern's suffix has no empty label"
        );
        i += 1;
    }
}

const fn is_label_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
}

/// The host of `authority` for a `:*` pattern: without its `:port` if it
/// has one that is valid (1 to 65535, no leading zero, not the default
/// `default`, which browsers never write); `None` if the port is invalid.
fn split_any_port(authority: &[u8], default: u32) -> Option<&[u8]> {
    let digits = authority
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let at = authority.len() - digits;
    match at.checked_sub(1).map(|colon| (colon, authority[colon])) {
        Some((colon, b':')) => {
            let port = &authority[at..];
            if port.is_empty() || port.len() > 5 || port[0] == b'0' {
                return None;
            }
            let n = port.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
            (n <= 65535 && n != default).then_some(&authority[..colon])
        }
        _ => Some(authority),
    }
}

/// Whether `s` is one or more dot-separated labels of `a-z`, `0-9`, `-` and
/// `_`, each at most [`MAX_LABEL_LEN`] bytes and valid Punycode if it starts
/// with `xn--`: the subdomain part a `*.` pattern's `*` stands for.
fn are_labels(s: &[u8]) -> bool {
    let mut start = 0;
    for (i, &b) in s.iter().enumerate() {
        if b == b'.' {
            if !is_label(&s[start..i]) {
                return false;
            }
            start = i + 1;
        } else if !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_') {
            return false;
        }
    }
    is_label(&s[start..])
}

fn is_label(l: &[u8]) -> bool {
    !l.is_empty() && l.len() <= MAX_LABEL_LEN && punycode::is_valid_label(l)
}

impl fmt::Display for Pattern<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.shape.wild {
            Wild::Labels => write!(f, "{}://*{}", self.scheme, self.tail),
            Wild::None | Wild::Chars => write!(f, "{}://{}", self.scheme, self.tail),
        }
    }
}
