//! Finding and reading the actix-web routing attribute below `#[cors]`.

use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, MetaNameValue, Path, Token};

/// The routing attributes `#[cors]` composes with, by their last path segment.
const ROUTING: &[(&str, Option<&str>)] = &[
    ("get", Some("GET")),
    ("post", Some("POST")),
    ("put", Some("PUT")),
    ("patch", Some("PATCH")),
    ("delete", Some("DELETE")),
    ("head", Some("HEAD")),
    ("options", Some("OPTIONS")),
    ("trace", Some("TRACE")),
    ("connect", Some("CONNECT")),
    ("route", None),
];

/// A routing attribute, read.
pub struct Route {
    /// The attribute's path (`get`, `actix_web::post`, ..), kept so the
    /// generated code can refer to it (the user's import must stay used).
    pub attr_path: Path,
    pub path: LitStr,
    pub name: Option<LitStr>,
    pub guards: Vec<Path>,
    pub wraps: Vec<Expr>,
    /// Upper-case method names the route serves, in the order written.
    pub methods: Vec<String>,
}

/// The index of the routing attribute among `attrs`, and whether it is
/// `#[route]` (methods from `method = ..`) or a one-method attribute.
pub fn find(attrs: &[Attribute]) -> Option<(usize, Option<&'static str>)> {
    attrs.iter().enumerate().find_map(|(i, a)| {
        let path = a.path();
        let last = path.segments.last()?.ident.to_string();
        let root_ok = path.segments.len() == 1
            || path
                .segments
                .first()
                .is_some_and(|s| s.ident == "actix_web");
        if !root_ok {
            return None;
        }
        ROUTING
            .iter()
            .find(|(n, _)| *n == last)
            .map(|(_, m)| (i, *m))
    })
}

/// Whether `attr` is `#[cors(..)]` (by its last path segment, so also
/// `#[route_cors::cors(..)]` or a re-export).
pub fn is_cors(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|s| s.ident == "cors")
}

/// The `#[routes]` attribute, if the handler has one: its routes are then the
/// one-method attributes stacked below it ([`stacked`]).
pub fn routes_attr(attrs: &[Attribute]) -> Option<usize> {
    attrs.iter().position(|a| {
        a.path()
            .segments
            .last()
            .is_some_and(|s| s.ident == "routes")
    })
}

/// The one-method routing attributes `#[routes]` takes, with their index
/// among `attrs` and their method. As actix-web does, only by a one-segment
/// name: `#[get(..)]`, not `#[actix_web::get(..)]`, which actix-web leaves
/// on the handler.
pub fn stacked(attrs: &[Attribute]) -> Vec<(usize, &'static str)> {
    attrs
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let ident = a.path().get_ident()?.to_string();
            STACKED
                .iter()
                .find(|(n, _)| *n == ident)
                .map(|(_, m)| (i, *m))
        })
        .collect()
}

/// The attributes `#[routes]` stacks: one method each (`QUERY` included, as
/// actix-web has `#[query(..)]` there).
const STACKED: &[(&str, &str)] = &[
    ("get", "GET"),
    ("post", "POST"),
    ("put", "PUT"),
    ("patch", "PATCH"),
    ("delete", "DELETE"),
    ("head", "HEAD"),
    ("options", "OPTIONS"),
    ("trace", "TRACE"),
    ("connect", "CONNECT"),
    ("query", "QUERY"),
];

struct RawArgs {
    path: LitStr,
    options: Punctuated<MetaNameValue, Token![,]>,
}

impl Parse for RawArgs {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let path = input.parse()?;
        let options = if input.is_empty() {
            Punctuated::new()
        } else {
            input.parse::<Token![,]>()?;
            Punctuated::parse_terminated(input)?
        };
        Ok(Self { path, options })
    }
}

fn lit_str(e: &Expr) -> Option<&LitStr> {
    match e {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s),
        _ => None,
    }
}

/// Reads the routing attribute the way actix-web does. `None` when it is not
/// well formed: the original attribute is then left for actix-web to report.
pub fn read(attr: &Attribute, method: Option<&'static str>) -> Option<Route> {
    let raw: RawArgs = attr.parse_args().ok()?;
    let mut route = Route {
        attr_path: attr.path().clone(),
        path: raw.path,
        name: None,
        guards: Vec::new(),
        wraps: Vec::new(),
        methods: method.map(|m| vec![m.to_owned()]).unwrap_or_default(),
    };
    for nv in raw.options {
        let s = lit_str(&nv.value)?;
        if nv.path.is_ident("name") {
            route.name = Some(s.clone());
        } else if nv.path.is_ident("guard") {
            route.guards.push(s.parse().ok()?);
        } else if nv.path.is_ident("wrap") {
            route.wraps.push(s.parse().ok()?);
        } else if nv.path.is_ident("method") && method.is_none() {
            let m = s.value();
            if m.is_empty()
                || !m.bytes().all(|b| b.is_ascii_uppercase())
                || route.methods.contains(&m)
            {
                return None;
            }
            route.methods.push(m);
        } else {
            return None;
        }
    }
    if route.methods.is_empty() {
        return None;
    }
    Some(route)
}
