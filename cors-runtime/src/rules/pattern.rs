//! The `*.` subdomain pattern: one type from the validator to the request
//! path. Part of [`rules`](super); re-exported there.

use std::fmt;

use super::{ends_with, eq, MAX_HOST_LEN, MAX_LABEL_LEN};

/// A checked `scheme://*.suffix[:port]` pattern.
///
/// Only [`check_origin`](super::check_origin) (through
/// [`Origin::pattern`](super::Origin::pattern)) and the code `#[cors]`
/// generates make one, so a `Pattern` is always valid. It matches a request's
/// `Origin` bytes directly: no parsing, no allocation.
///
/// ```
/// use route_cors::rules::check_origin;
///
/// let p = check_origin("https://*.example.com").unwrap().pattern().unwrap();
/// assert!(p.matches(b"https://a.b.example.com"));
/// assert!(!p.matches(b"https://example.com")); // never the apex
/// assert!(!p.matches(b"https://badexample.com"));
/// assert_eq!(p.to_string(), "https://*.example.com");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pattern<'a> {
    /// The scheme, such as `https`.
    scheme: &'a str,
    /// Everything after the `*`: `.suffix` and the `:port`, if any.
    tail: &'a str,
    /// Where the `:port` starts in `tail` (its length if there is none).
    port_at: usize,
}

impl<'a> Pattern<'a> {
    /// From the parts of a pattern [`check_origin`](super::check_origin) accepted.
    pub(super) const fn from_checked(scheme: &'a str, tail: &'a str) -> Self {
        Self {
            scheme,
            tail,
            port_at: port_at(tail),
        }
    }

    /// The pattern `scheme://*` + `tail`, for the code `#[cors]` generates from
    /// a pattern it checked. Const evaluation refuses a scheme or tail that
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
        let t = tail.as_bytes();
        assert!(
            t.len() >= 2 && t[0] == b'.' && t[1] != b'.' && t[1] != b':',
            "a pattern's tail is `.suffix[:port]`"
        );
        let mut i = 1;
        let mut port = false;
        while i < t.len() {
            let b = t[i];
            if b == b':' {
                assert!(!port, "a pattern has one port");
                assert!(
                    i + 1 < t.len() && t[i + 1] != b'0',
                    "a pattern's port is 1 to 65535"
                );
                port = true;
            } else if port {
                assert!(b.is_ascii_digit(), "a pattern's port is digits");
            } else {
                assert!(
                    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.'),
                    "a pattern's suffix is lower-case labels"
                );
                assert!(
                    !(b == b'.' && t[i - 1] == b'.'),
                    "a pattern's suffix has no empty label"
                );
            }
            i += 1;
        }
        Self::from_checked(scheme, tail)
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

    /// Whether the pattern is plain `http` on a suffix that is not loopback.
    #[cfg_attr(not(feature = "actix"), allow(dead_code))]
    pub(crate) const fn is_plain_http(&self) -> bool {
        let (host, _) = self.tail.as_bytes().split_at(self.port_at);
        // `host` is `.suffix`: loopback is `.localhost` or `….localhost`.
        eq(self.scheme.as_bytes(), b"http") && !ends_with(host, b".localhost")
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

    /// The host suffix after `*.`, such as `example.com`.
    ///
    /// ```
    /// use route_cors::rules::check_origin;
    ///
    /// let p = check_origin("https://*.example.com:8443").unwrap().pattern().unwrap();
    /// assert_eq!(p.suffix(), "example.com");
    /// ```
    pub fn suffix(&self) -> &'a str {
        &self.tail[1..self.port_at]
    }

    /// The explicit port, if any.
    ///
    /// ```
    /// use route_cors::rules::check_origin;
    ///
    /// let p = check_origin("https://*.example.com:8443").unwrap().pattern().unwrap();
    /// assert_eq!(p.port(), Some(8443));
    /// ```
    pub fn port(&self) -> Option<u16> {
        self.tail.get(self.port_at + 1..)?.parse().ok()
    }

    /// Whether a request's `Origin` (its raw bytes) matches: the same scheme
    /// and port, and a host of one or more valid labels in front of the
    /// suffix. Exactly the origins [`check_origin`](super::check_origin)
    /// would accept as an exact origin that the pattern covers.
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
        let Some(labels) = authority.strip_suffix(self.tail.as_bytes()) else {
            return false;
        };
        // The whole host: the labels, then the suffix (the tail without its port).
        let host_len = authority.len() - (self.tail.len() - self.port_at);
        host_len <= MAX_HOST_LEN && are_labels(labels)
    }
}

/// Where the `:port` of a pattern's tail starts, or its length.
const fn port_at(tail: &str) -> usize {
    let t = tail.as_bytes();
    let mut i = 0;
    while i < t.len() {
        if t[i] == b':' {
            return i;
        }
        i += 1;
    }
    t.len()
}

/// Whether `s` is one or more dot-separated labels of `a-z`, `0-9`, `-` and
/// `_`, each at most [`MAX_LABEL_LEN`] bytes: the subdomain part a `*.`
/// pattern's `*` stands for.
fn are_labels(s: &[u8]) -> bool {
    let mut len = 0;
    for &b in s {
        if b == b'.' {
            if len == 0 {
                return false;
            }
            len = 0;
        } else if b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_' {
            len += 1;
            if len > MAX_LABEL_LEN {
                return false;
            }
        } else {
            return false;
        }
    }
    len > 0
}

impl fmt::Display for Pattern<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://*{}", self.scheme, self.tail)
    }
}
