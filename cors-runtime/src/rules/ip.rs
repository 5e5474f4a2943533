//! IP hosts as the URL standard writes them: the IPv6 serializer (which
//! `Ipv6Addr`'s `Display` does not follow for IPv4-mapped addresses) and the
//! IPv4 parser (which reads `127.1` and `0x7f.0.0.1`, for the suggested fix).
//! Part of [`rules`](super).

use std::fmt::Write;
use std::net::{Ipv4Addr, Ipv6Addr};

/// The URL standard's IPv6 serializer: the first longest run of two or more
/// zero pieces compressed to `::`, every other piece in lower-case hex
/// without leading zeros. An IPv4 tail is written in hex too:
/// `::ffff:127.127.127.127` is `::ffff:7f7f:7f7f`, which is what browsers
/// send in `Origin`.
pub(crate) fn serialize_ipv6(addr: Ipv6Addr) -> String {
    let pieces = addr.segments();
    // The first longest run of zero pieces, if it has at least two.
    let (mut best, mut best_len) = (None, 1);
    let mut i = 0;
    while i < pieces.len() {
        if pieces[i] != 0 {
            i += 1;
            continue;
        }
        let start = i;
        while i < pieces.len() && pieces[i] == 0 {
            i += 1;
        }
        if i - start > best_len {
            best = Some(start);
            best_len = i - start;
        }
    }
    let mut out = String::with_capacity(39);
    let mut i = 0;
    while i < pieces.len() {
        if best == Some(i) {
            out.push_str(if i == 0 { "::" } else { ":" });
            i += best_len;
            continue;
        }
        let _ = write!(out, "{:x}", pieces[i]);
        if i != pieces.len() - 1 {
            out.push(':');
        }
        i += 1;
    }
    out
}

/// Whether `inner` (the text between the brackets) is an IPv6 address
/// written exactly as browsers serialize it.
pub(crate) fn is_serialized_ipv6(inner: &str) -> bool {
    inner
        .parse::<Ipv6Addr>()
        .is_ok_and(|addr| serialize_ipv6(addr) == inner)
}

/// The serialized form of `inner`, if it is an IPv6 address.
pub(crate) fn reserialize_ipv6(inner: &str) -> Option<String> {
    inner.parse::<Ipv6Addr>().ok().map(serialize_ipv6)
}

/// The URL standard's IPv4 parser, for a host that ends in a number: up to
/// four dot-separated numbers (decimal, `0x` hex or `0` octal, one trailing
/// dot allowed), the last filling the remaining bytes. `None` if the host is
/// not an IPv4 address at all (browsers refuse such a host).
pub(crate) fn parse_ipv4(host: &str) -> Option<Ipv4Addr> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let parts: Vec<&str> = host.split('.').collect();
    if parts.len() > 4 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let mut numbers = Vec::with_capacity(4);
    for part in &parts {
        let (digits, radix) = if let Some(h) = part.strip_prefix("0x").or(part.strip_prefix("0X")) {
            (h, 16)
        } else if part.len() > 1 && part.starts_with('0') {
            (&part[1..], 8)
        } else {
            (*part, 10)
        };
        let n = if digits.is_empty() {
            0
        } else {
            u64::from_str_radix(digits, radix).ok()?
        };
        numbers.push(n);
    }
    let (last, rest) = numbers.split_last()?;
    if rest.iter().any(|&n| n > 255) || *last >= 256u64.pow(5 - numbers.len() as u32) {
        return None;
    }
    let mut value = *last;
    for (i, n) in rest.iter().enumerate() {
        value += n * 256u64.pow(3 - i as u32);
    }
    u32::try_from(value).ok().map(Ipv4Addr::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_serializes_like_the_url_standard() {
        for (input, out) in [
            ("::1", "::1"),
            ("0:0:0:0:0:0:0:1", "::1"),
            ("::", "::"),
            ("::ffff:127.127.127.127", "::ffff:7f7f:7f7f"),
            ("::ffff:7F7F:7F7F", "::ffff:7f7f:7f7f"),
            ("::1.2.3.4", "::102:304"),
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
            ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
            ("1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0"),
            ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
            ("fe80::", "fe80::"),
        ] {
            assert_eq!(reserialize_ipv6(input).as_deref(), Some(out), "{input}");
        }
        assert!(is_serialized_ipv6("::ffff:7f7f:7f7f"));
        assert!(!is_serialized_ipv6("::ffff:127.127.127.127"));
        assert!(!is_serialized_ipv6("::0:1"));
    }

    #[test]
    fn ipv4_parses_like_the_url_standard() {
        for (input, out) in [
            ("127.1", Some("127.0.0.1")),
            ("0x7f.0.0.1", Some("127.0.0.1")),
            ("0177.0.0.1", Some("127.0.0.1")),
            ("127.0.0.1.", Some("127.0.0.1")),
            ("2130706433", Some("127.0.0.1")),
            ("1.2.65535", Some("1.2.255.255")),
            ("1.2.65536", None),
            ("256.0.0.1", None),
            ("1.2.3.4.5", None),
            ("1..2", None),
            ("09.1.1.1", None),
            ("4294967296", None),
        ] {
            assert_eq!(
                parse_ipv4(input).map(|a| a.to_string()).as_deref(),
                out,
                "{input}"
            );
        }
    }
}
