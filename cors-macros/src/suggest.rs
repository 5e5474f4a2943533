//! "Did you mean": the key an unknown key name stands for.

use crate::keys::{Symbol, ALIASES, KEYS};

/// The key `name` stands for: another library's name for it, else the known
/// key nearest in spelling, if one is near enough. The other libraries' names
/// are consulted first: the nearest-spelling search would pair some of them
/// with the wrong key (`expose_headers` is nearer to `headers` than to
/// `expose`).
pub fn suggest(name: &str) -> Option<Symbol> {
    if let Some((_, k)) = ALIASES.iter().find(|(alias, _)| *alias == name) {
        return Some(*k);
    }
    let keys = || KEYS.iter().copied();
    if let Some(k) = keys().find(|k| {
        let k = k.name();
        k.len() >= 5 && (name.contains(k) || k.contains(name) && name.len() >= 4)
    }) {
        return Some(k);
    }
    keys()
        .map(|k| (distance(name, k.name()), k))
        .filter(|(d, k)| *d <= (k.name().len().max(name.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// The Levenshtein distance between `a` and `b`.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggested(name: &str) -> Option<&'static str> {
        suggest(name).map(Symbol::name)
    }

    #[test]
    fn other_libraries_keys_suggest_the_right_key() {
        for (name, key) in [
            ("allowed_origins", "origins"),
            ("allow_origins", "origins"),
            ("allowed_origin", "origins"),
            ("allowed_headers", "headers"),
            ("allow_headers", "headers"),
            ("allowedHeaders", "headers"),
            ("expose_headers", "expose"),
            ("exposed_headers", "expose"),
            ("exposedHeaders", "expose"),
            ("supports_credentials", "credentials"),
            ("allow_credentials", "credentials"),
            ("maxAge", "max_age"),
            ("max_age_secs", "max_age"),
        ] {
            assert_eq!(suggested(name), Some(key), "{name}");
        }
    }

    #[test]
    fn typos_still_suggest_the_nearest_key() {
        for (name, key) in [
            ("origin", Some("origins")),
            ("max_ago", Some("max_age")),
            ("header", Some("headers")),
            ("credential", Some("credentials")),
            ("zzz", None),
        ] {
            assert_eq!(suggested(name), key, "{name}");
        }
    }

    #[test]
    fn an_alias_is_not_a_key_and_names_one_once() {
        for (i, (alias, _)) in ALIASES.iter().enumerate() {
            assert!(KEYS.iter().all(|k| k.name() != *alias), "{alias}");
            assert!(
                ALIASES[i + 1..].iter().all(|(other, _)| other != alias),
                "{alias} is listed twice"
            );
        }
    }
}
