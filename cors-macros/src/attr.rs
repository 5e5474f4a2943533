//! Parsing `#[cors(..)]` into loose, span-carrying values. No rules here: see `valid.rs`.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Expr, ExprArray, ExprLit, Ident, Lit, LitStr, Token};

use crate::ctxt::Ctxt;

/// Every key `#[cors]` accepts, for "did you mean" suggestions.
pub const KEYS: &[&str] = &[
    "origins",
    "methods",
    "headers",
    "expose",
    "credentials",
    "max_age",
    "private_network",
    "dangerously_allow_http_with_credentials",
    "dangerously_allow_public_suffix_wildcard_with_credentials",
    "policy",
    "crate",
];

/// Key names of other CORS libraries (actix-cors, tower-http, Flask-CORS,
/// Express, Spring), and the key of `#[cors]` each one means. Consulted before
/// the nearest-spelling search, which would pair some of them with the wrong
/// key (`expose_headers` is nearer to `headers` than to `expose`).
const ALIASES: &[(&str, &str)] = &[
    ("allowed_origins", "origins"),
    ("allow_origins", "origins"),
    ("allowed_origin", "origins"),
    ("allow_origin", "origins"),
    ("allowedOrigins", "origins"),
    ("allowed_headers", "headers"),
    ("allow_headers", "headers"),
    ("allowedHeaders", "headers"),
    ("expose_headers", "expose"),
    ("exposed_headers", "expose"),
    ("exposedHeaders", "expose"),
    ("exposeHeaders", "expose"),
    ("supports_credentials", "credentials"),
    ("allow_credentials", "credentials"),
    ("allowCredentials", "credentials"),
    ("maxAge", "max_age"),
    ("max_age_secs", "max_age"),
    ("allowed_methods", "methods"),
    ("allow_methods", "methods"),
    ("allowedMethods", "methods"),
];

/// A list value, or the `"*"` wildcard.
pub enum ListOrAny {
    Any(LitStr),
    List(Vec<LitStr>),
}

/// How the origins are given.
pub enum OriginsArg {
    Any(LitStr),
    List(ExprArray, Vec<LitStr>),
    /// A path to a `static OriginSet` filled at startup.
    Runtime(syn::Path),
}

/// A boolean key: a bare flag, or `key = true|false`.
pub struct Flag {
    pub key: Ident,
    pub value: bool,
}

/// The parsed attribute, keys not yet checked against each other.
#[derive(Default)]
pub struct Args {
    pub origins: Option<(Ident, OriginsArg)>,
    pub methods: Option<(Ident, Vec<(String, Span)>)>,
    pub headers: Option<(Ident, ListOrAny)>,
    pub expose: Option<(Ident, ListOrAny)>,
    pub credentials: Option<Flag>,
    pub max_age: Option<(Ident, i128, TokenStream)>,
    /// `origins` was written (maybe misspelled, maybe with an invalid value).
    pub origins_given: bool,
    pub private_network: Option<Flag>,
    pub dangerously_allow_http: Option<Flag>,
    pub dangerously_allow_public_suffix: Option<Flag>,
    /// `policy = NAME`: a named policy made by `policy!`.
    pub policy: Option<(Ident, syn::Path)>,
    pub krate: Option<syn::Path>,
}

pub fn parse(tokens: TokenStream, cx: &mut Ctxt) -> Args {
    let mut args = Args::default();
    let parser = |input: ParseStream| {
        while !input.is_empty() {
            let key = Ident::parse_any(input)?;
            let value = if input.peek(Token![=]) {
                input.parse::<Token![=]>()?;
                Some(input.parse::<Expr>()?)
            } else {
                None
            };
            entry(&mut args, key, value, cx);
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        Ok(())
    };
    if let Err(e) = parser.parse2(tokens) {
        cx.error(e);
    }
    args
}

fn entry(args: &mut Args, key: Ident, value: Option<Expr>, cx: &mut Ctxt) {
    let name = key.unraw().to_string();
    macro_rules! once {
        ($field:expr, $v:expr) => {{
            if $field.is_some() {
                cx.spanned(&key, format!("key `{name}` is given twice; keep one"));
            } else if let Some(v) = $v {
                $field = Some(v);
            }
        }};
    }
    match name.as_str() {
        "origins" => {
            args.origins_given = true;
            let v = need(&key, value, cx).and_then(|v| origins_value(v, cx));
            once!(args.origins, v.map(|v| (key.clone(), v)));
        }
        "methods" => {
            let v = need(&key, value, cx).and_then(|v| methods_value(v, cx));
            once!(args.methods, v.map(|v| (key.clone(), v)));
        }
        "headers" | "expose" => {
            let v = need(&key, value, cx).and_then(|v| list_or_any(&name, v, cx));
            let v = v.map(|v| (key.clone(), v));
            if name == "headers" {
                once!(args.headers, v);
            } else {
                once!(args.expose, v);
            }
        }
        "credentials" => once!(args.credentials, flag(&key, value, cx)),
        "private_network" => once!(args.private_network, flag(&key, value, cx)),
        "dangerously_allow_http_with_credentials" => {
            once!(args.dangerously_allow_http, flag(&key, value, cx));
        }
        "dangerously_allow_public_suffix_wildcard_with_credentials" => {
            once!(args.dangerously_allow_public_suffix, flag(&key, value, cx));
        }
        "policy" => {
            let v = need(&key, value, cx).and_then(|v| match v {
                Expr::Path(p) if p.qself.is_none() => Some(p.path),
                other => {
                    cx.spanned(
                        &other,
                        "`policy` takes the path of a policy made by `route_cors::policy!`, such as `policy = APP` or `policy = crate::cors::APP`",
                    );
                    None
                }
            });
            once!(args.policy, v.map(|v| (key.clone(), v)));
        }
        "max_age" => {
            let v = need(&key, value, cx).and_then(|v| int_value(v, cx));
            once!(args.max_age, v.map(|(n, s)| (key.clone(), n, s)));
        }
        "crate" => {
            let v = need(&key, value, cx).and_then(|v| match v {
                Expr::Path(p) => Some(p.path),
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => match s.parse::<syn::Path>() {
                    Ok(p) => Some(p),
                    Err(_) => {
                        cx.spanned(&s, "`crate` expects a path, such as `crate = my_cors`");
                        None
                    }
                },
                other => {
                    cx.spanned(&other, "`crate` expects a path, such as `crate = my_cors`");
                    None
                }
            });
            once!(args.krate, v);
        }
        _ => {
            args.origins_given |= suggest(&name) == Some("origins");
            let msg = match suggest(&name) {
                Some(s) => format!("unknown key `{name}`; did you mean `{s}`?"),
                None => format!("unknown key `{name}`; expected one of: {}", KEYS.join(", ")),
            };
            cx.spanned(&key, msg);
        }
    }
}

fn need(key: &Ident, value: Option<Expr>, cx: &mut Ctxt) -> Option<Expr> {
    if value.is_none() {
        cx.spanned(key, format!("key `{key}` needs a value: `{key} = ..`"));
    }
    value
}

fn flag(key: &Ident, value: Option<Expr>, cx: &mut Ctxt) -> Option<Flag> {
    match value {
        None => Some(Flag {
            key: key.clone(),
            value: true,
        }),
        Some(Expr::Lit(ExprLit {
            lit: Lit::Bool(b), ..
        })) => Some(Flag {
            key: key.clone(),
            value: b.value,
        }),
        Some(other) => {
            cx.spanned(
                &other,
                format!("`{key}` is a flag: write `{key}`, `{key} = true` or `{key} = false`"),
            );
            None
        }
    }
}

fn strings(arr: &ExprArray, what: &str, cx: &mut Ctxt) -> Vec<LitStr> {
    let mut out = Vec::new();
    for e in &arr.elems {
        match e {
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => out.push(s.clone()),
            other => cx.spanned(other, format!("expected a string literal {what}")),
        }
    }
    out
}

fn origins_value(v: Expr, cx: &mut Ctxt) -> Option<OriginsArg> {
    match v {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) if s.value() == "*" => Some(OriginsArg::Any(s)),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => {
            cx.spanned(
                &s,
                format!(
                    "`origins` takes `\"*\"` or a list; write `origins = [\"{}\"]`",
                    s.value()
                ),
            );
            None
        }
        Expr::Array(arr) => {
            let list = strings(&arr, "such as `\"https://app.example.com\"`", cx);
            Some(OriginsArg::List(arr, list))
        }
        Expr::Path(p) => Some(OriginsArg::Runtime(p.path)),
        other => {
            cx.spanned(
                &other,
                "`origins` takes `\"*\"`, a list such as `[\"https://app.example.com\"]`, or the path of a `static OriginSet`",
            );
            None
        }
    }
}

fn list_or_any(key: &str, v: Expr, cx: &mut Ctxt) -> Option<ListOrAny> {
    match v {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) if s.value() == "*" => Some(ListOrAny::Any(s)),
        Expr::Array(arr) => {
            let list = strings(&arr, "header name, such as `\"content-type\"`", cx);
            Some(ListOrAny::List(list))
        }
        other => {
            cx.spanned(
                &other,
                format!(
                    "`{key}` takes `\"*\"` or a list of header names, such as `[\"x-request-id\"]`"
                ),
            );
            None
        }
    }
}

fn methods_value(v: Expr, cx: &mut Ctxt) -> Option<Vec<(String, Span)>> {
    let Expr::Array(arr) = v else {
        cx.spanned(&v, "`methods` takes a list, such as `[GET, POST]`");
        return None;
    };
    let mut out = Vec::new();
    for e in &arr.elems {
        match e {
            Expr::Path(p) if p.path.get_ident().is_some() => {
                let id = p
                    .path
                    .get_ident()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                out.push((id, p.span()));
            }
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => out.push((s.value(), s.span())),
            other => cx.spanned(other, "expected a method, such as `GET` or `\"PATCH\"`"),
        }
    }
    Some(out)
}

fn int_value(v: Expr, cx: &mut Ctxt) -> Option<(i128, TokenStream)> {
    let tokens = v.to_token_stream();
    let (neg, lit) = match &v {
        Expr::Lit(ExprLit {
            lit: Lit::Int(i), ..
        }) => (false, i),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => match &*u.expr {
            Expr::Lit(ExprLit {
                lit: Lit::Int(i), ..
            }) => (true, i),
            _ => {
                cx.spanned(
                    &v,
                    "`max_age` takes a number of seconds, such as `max_age = 600`",
                );
                return None;
            }
        },
        _ => {
            cx.spanned(
                &v,
                "`max_age` takes a number of seconds, such as `max_age = 600`",
            );
            return None;
        }
    };
    match lit.base10_parse::<i128>() {
        Ok(n) => Some((if neg { -n } else { n }, tokens)),
        Err(e) => {
            cx.error(e);
            None
        }
    }
}

/// The key `name` stands for: another library's name for it, else the known
/// key nearest in spelling, if one is near enough.
pub fn suggest(name: &str) -> Option<&'static str> {
    if let Some((_, k)) = ALIASES.iter().find(|(alias, _)| *alias == name) {
        return Some(k);
    }
    if let Some(k) = KEYS
        .iter()
        .find(|k| k.len() >= 5 && (name.contains(*k) || k.contains(name) && name.len() >= 4))
    {
        return Some(k);
    }
    KEYS.iter()
        .map(|k| (distance(name, k), *k))
        .filter(|(d, k)| *d <= (k.len().max(name.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

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
            assert_eq!(suggest(name), Some(key), "{name}");
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
            assert_eq!(suggest(name), key, "{name}");
        }
    }
}
