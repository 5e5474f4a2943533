//! Parsing `#[cors(..)]` into loose, span-carrying values: the value parser of
//! each key of the table in `keys.rs`. No rules here: see `valid.rs`.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Expr, ExprArray, ExprLit, Ident, Lit, LitStr, Token};

use crate::ctxt::Ctxt;
pub use crate::keys::{Args, Flag, Given};
use crate::keys::{Attrs, Symbol, KEYS, ORIGINS};
use crate::suggest::suggest;

/// A list value, or the `"*"` wildcard.
pub enum ListOrAny {
    Any(LitStr),
    List(Vec<LitStr>),
}

/// How the origins are given.
pub enum OriginsArg {
    Any(LitStr),
    List {
        /// The list as written, for errors about it as a whole.
        array: ExprArray,
        /// Its string literals (other elements were reported).
        origins: Vec<LitStr>,
    },
    /// A path to a `static OriginSet` filled at startup.
    Runtime(syn::Path),
}

/// One element of `methods = [..]`.
pub struct Method {
    pub name: String,
    pub span: Span,
}

/// `max_age = n`: the number, and the value as written for errors.
pub struct MaxAge {
    pub seconds: i128,
    pub tokens: TokenStream,
}

pub fn parse(tokens: TokenStream, cx: &mut Ctxt) -> Args {
    let mut attrs = Attrs::new();
    let mut origins_given = false;
    let parser = |input: ParseStream| {
        while !input.is_empty() {
            let key = Ident::parse_any(input)?;
            let value = if input.peek(Token![=]) {
                input.parse::<Token![=]>()?;
                Some(input.parse::<Expr>()?)
            } else {
                None
            };
            match attrs.set(&key, value, cx) {
                Some(ORIGINS) => origins_given = true,
                Some(_) => {}
                None => origins_given |= unknown(&key, cx) == Some(ORIGINS),
            }
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
    attrs.finish(origins_given)
}

/// Reports `key`, which is not a key, with the key it probably stands for.
fn unknown(key: &Ident, cx: &mut Ctxt) -> Option<Symbol> {
    let name = key.unraw().to_string();
    let suggestion = suggest(&name);
    let msg = match suggestion {
        Some(s) => format!("unknown key `{name}`; did you mean `{s}`?"),
        None => {
            let keys: Vec<&str> = KEYS.iter().map(|k| k.name()).collect();
            format!("unknown key `{name}`; expected one of: {}", keys.join(", "))
        }
    };
    cx.spanned(key, msg);
    suggestion
}

// The value parsers of the keys table (`keys.rs`): `key`'s value, or `None`
// with an error reported.

pub fn policy(key: &Ident, value: Option<Expr>, cx: &mut Ctxt) -> Option<syn::Path> {
    match need(key, value, cx)? {
        Expr::Path(p) if p.qself.is_none() => Some(p.path),
        other => {
            cx.spanned(
                &other,
                "`policy` takes the path of a policy made by `route_cors::policy!`, such as `policy = APP` or `policy = crate::cors::APP`",
            );
            None
        }
    }
}

pub fn krate(key: &Ident, value: Option<Expr>, cx: &mut Ctxt) -> Option<syn::Path> {
    match need(key, value, cx)? {
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
    }
}

fn need(key: &Ident, value: Option<Expr>, cx: &mut Ctxt) -> Option<Expr> {
    if value.is_none() {
        cx.spanned(key, format!("key `{key}` needs a value: `{key} = ..`"));
    }
    value
}

/// A boolean key: bare (`true`), or `key = true|false`.
pub fn flag(key: &Ident, value: Option<Expr>, cx: &mut Ctxt) -> Option<bool> {
    match value {
        None => Some(true),
        Some(Expr::Lit(ExprLit {
            lit: Lit::Bool(b), ..
        })) => Some(b.value),
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

pub fn origins(key: &Ident, value: Option<Expr>, cx: &mut Ctxt) -> Option<OriginsArg> {
    match need(key, value, cx)? {
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
        Expr::Array(array) => {
            let origins = strings(&array, "such as `\"https://app.example.com\"`", cx);
            Some(OriginsArg::List { array, origins })
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

/// `headers` and `expose`: `"*"` or a list of header names.
pub fn list_or_any(key: &Ident, value: Option<Expr>, cx: &mut Ctxt) -> Option<ListOrAny> {
    match need(key, value, cx)? {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) if s.value() == "*" => Some(ListOrAny::Any(s)),
        Expr::Array(arr) => {
            let list = strings(&arr, "header name, such as `\"content-type\"`", cx);
            Some(ListOrAny::List(list))
        }
        other => {
            let key = key.unraw();
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

pub fn methods(key: &Ident, value: Option<Expr>, cx: &mut Ctxt) -> Option<Vec<Method>> {
    let v = need(key, value, cx)?;
    let Expr::Array(arr) = v else {
        cx.spanned(&v, "`methods` takes a list, such as `[GET, POST]`");
        return None;
    };
    let mut out = Vec::new();
    for e in &arr.elems {
        match e {
            Expr::Path(p) if p.path.get_ident().is_some() => {
                let name = p
                    .path
                    .get_ident()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                out.push(Method {
                    name,
                    span: p.span(),
                });
            }
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => out.push(Method {
                name: s.value(),
                span: s.span(),
            }),
            other => cx.spanned(other, "expected a method, such as `GET` or `\"PATCH\"`"),
        }
    }
    Some(out)
}

pub fn max_age(key: &Ident, value: Option<Expr>, cx: &mut Ctxt) -> Option<MaxAge> {
    let v = need(key, value, cx)?;
    let tokens = v.to_token_stream();
    let not_a_number = |cx: &mut Ctxt| {
        cx.spanned(
            &v,
            "`max_age` takes a number of seconds, such as `max_age = 600`",
        );
    };
    let (neg, lit) = match &v {
        Expr::Lit(ExprLit {
            lit: Lit::Int(i), ..
        }) => (false, i),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => match &*u.expr {
            Expr::Lit(ExprLit {
                lit: Lit::Int(i), ..
            }) => (true, i),
            _ => {
                not_a_number(cx);
                return None;
            }
        },
        _ => {
            not_a_number(cx);
            return None;
        }
    };
    match lit.base10_parse::<i128>() {
        Ok(n) => Some(MaxAge {
            seconds: if neg { -n } else { n },
            tokens,
        }),
        Err(e) => {
            cx.error(e);
            None
        }
    }
}
