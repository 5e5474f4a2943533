//! The Punycode check of an `xn--` label (RFC 3492), as browsers apply it:
//! a host label that starts with `xn--` names an internationalized label, and
//! a browser refuses the host if the rest does not decode. Part of
//! [`rules`](super).

/// RFC 3492 §5: the bootstring parameters of Punycode.
const BASE: u32 = 36;
const TMIN: u32 = 1;
const TMAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

/// Whether `label` (lower case, without dots) is acceptable as Punycode goes:
/// a label not starting with `xn--` always is; an `xn--` label is when its
/// rest decodes without error (RFC 3492 §6.2, with overflow checks) to a
/// label with at least one non-ASCII character. Nothing is allocated: the
/// decoder only counts the code points it would insert.
///
/// `xn--abc-` (all ASCII once decoded), `xn--` (empty) and `xn--a-ecp!`
/// (not a digit) are all refused.
pub(crate) fn is_valid_label(label: &[u8]) -> bool {
    match label.strip_prefix(b"xn--") {
        None => true,
        Some(encoded) => decodes_to_non_ascii(encoded),
    }
}

fn digit(b: u8) -> Option<u32> {
    match b {
        b'a'..=b'z' => Some(u32::from(b - b'a')),
        b'A'..=b'Z' => Some(u32::from(b - b'A')),
        b'0'..=b'9' => Some(u32::from(b - b'0') + 26),
        _ => None,
    }
}

fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / DAMP } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - TMIN) * TMAX) / 2 {
        delta /= BASE - TMIN;
        k += BASE;
    }
    k + (BASE - TMIN + 1) * delta / (delta + SKEW)
}

fn decodes_to_non_ascii(input: &[u8]) -> bool {
    // The basic code points come before the last `-`, if any.
    let (basic, deltas) = match input.iter().rposition(|&b| b == b'-') {
        Some(at) => (&input[..at], &input[at + 1..]),
        None => (&input[..0], input),
    };
    if !basic.is_ascii() {
        return false;
    }
    let mut out = basic.len() as u32;
    let mut n = INITIAL_N;
    let mut i: u32 = 0;
    let mut bias = INITIAL_BIAS;
    let mut inserted = 0u32;
    let mut pos = 0;
    while pos < deltas.len() {
        let old_i = i;
        let mut w: u32 = 1;
        let mut k = BASE;
        loop {
            let Some(&b) = deltas.get(pos) else {
                return false;
            };
            pos += 1;
            let Some(d) = digit(b) else {
                return false;
            };
            let Some(next) = d.checked_mul(w).and_then(|dw| i.checked_add(dw)) else {
                return false;
            };
            i = next;
            let t = if k <= bias {
                TMIN
            } else if k >= bias + TMAX {
                TMAX
            } else {
                k - bias
            };
            if d < t {
                break;
            }
            let Some(next) = w.checked_mul(BASE - t) else {
                return false;
            };
            w = next;
            k += BASE;
        }
        out += 1;
        bias = adapt(i - old_i, out, old_i == 0);
        let Some(next) = n.checked_add(i / out) else {
            return false;
        };
        n = next;
        i %= out;
        // A code point, not a surrogate, and never a basic (ASCII) one.
        if !(INITIAL_N..=0x10_FFFF).contains(&n) || (0xD800..=0xDFFF).contains(&n) {
            return false;
        }
        inserted += 1;
        i += 1;
    }
    inserted > 0
}

#[cfg(test)]
mod tests {
    use super::is_valid_label;

    #[test]
    fn decodes_like_browsers() {
        for ok in [
            &b"example"[..],
            b"xn--bcher-kva",
            b"xn--mnchen-3ya",
            b"xn--nxasmq6b",
            b"xn--80ak6aa92e",
            b"xn--ls8h",
            b"xn--wgv71a119e",
            b"a--b",
        ] {
            assert!(is_valid_label(ok), "{}", String::from_utf8_lossy(ok));
        }
        for bad in [
            &b"xn--"[..],
            b"xn--abc-",
            b"xn--ab_c",
            b"xn--zzzzzzzzzzzzzzzzzzzzzzzzzzz",
            b"xn--99999999999",
            b"xn--a-\xff",
        ] {
            assert!(!is_valid_label(bad), "{}", String::from_utf8_lossy(bad));
        }
    }
}
