//! The `fetch` call as the page writes it, and what the Fetch standard makes of
//! it before anything is sent: method normalization, the header list, the
//! CORS-safelisting rules and the CORS-unsafe request-header names.

/// A page's `fetch(path, init)` call, described as it is written in JavaScript.
///
/// The method is kept as written (`"patch"` stays lower case, as in browsers),
/// headers are appended as with `new Headers(..)`, and the defaults are the
/// browser's: `mode: "cors"`, `credentials: "same-origin"`, no body.
///
/// ```
/// use route_cors::test::{Credentials, Fetch};
///
/// let call = Fetch::post("/invoices")
///     .json(r#"{"amount": 10}"#)
///     .header("Authorization", "Bearer t")
///     .credentials(Credentials::Include);
/// assert_eq!(call.method(), "POST");
/// ```
#[derive(Debug, Clone)]
pub struct Fetch {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Body,
    pub(crate) credentials: Credentials,
    pub(crate) mode: Mode,
    pub(crate) cookies: Vec<String>,
}

/// The body of a [`Fetch`], by the kind of JavaScript value that makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Body {
    /// No body.
    None,
    /// A JSON string sent with `Content-Type: application/json`: not a
    /// safelisted content type, so it needs a preflight.
    Json(String),
    /// A `URLSearchParams`: `application/x-www-form-urlencoded;charset=UTF-8`.
    Form(String),
    /// A plain string: `text/plain;charset=UTF-8`.
    Text(String),
}

impl Body {
    fn default_content_type(&self) -> Option<&'static str> {
        match self {
            Body::None => None,
            Body::Json(_) => Some("application/json"),
            Body::Form(_) => Some("application/x-www-form-urlencoded;charset=UTF-8"),
            Body::Text(_) => Some("text/plain;charset=UTF-8"),
        }
    }

    pub(crate) fn bytes(&self) -> &str {
        match self {
            Body::None => "",
            Body::Json(s) | Body::Form(s) | Body::Text(s) => s,
        }
    }
}

/// `credentials` of the `fetch` call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Credentials {
    /// `"include"`: cookies go with the request, and the response needs the
    /// exact origin and `Access-Control-Allow-Credentials: true`.
    Include,
    /// `"same-origin"`, the default: a cross-origin call carries no cookies.
    #[default]
    SameOrigin,
    /// `"omit"`: never cookies.
    Omit,
}

impl Credentials {
    /// The value as written in JavaScript.
    pub fn as_str(self) -> &'static str {
        match self {
            Credentials::Include => "include",
            Credentials::SameOrigin => "same-origin",
            Credentials::Omit => "omit",
        }
    }
}

/// `mode` of the `fetch` call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// `"cors"`, the default.
    #[default]
    Cors,
    /// `"no-cors"`: no preflight, an opaque response the page cannot read.
    NoCors,
    /// `"same-origin"`: a cross-origin call fails before it is sent.
    SameOrigin,
}

impl Mode {
    /// The value as written in JavaScript.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Cors => "cors",
            Mode::NoCors => "no-cors",
            Mode::SameOrigin => "same-origin",
        }
    }
}

impl Fetch {
    /// `fetch(path, { method })`, with `method` exactly as the page writes it.
    pub fn new(method: impl Into<String>, path: impl Into<String>) -> Fetch {
        Fetch {
            method: method.into(),
            path: path.into(),
            headers: Vec::new(),
            body: Body::None,
            credentials: Credentials::default(),
            mode: Mode::default(),
            cookies: Vec::new(),
        }
    }

    /// `fetch(path)`: a GET.
    pub fn get(path: impl Into<String>) -> Fetch {
        Fetch::new("GET", path)
    }

    /// `method: "HEAD"`.
    pub fn head(path: impl Into<String>) -> Fetch {
        Fetch::new("HEAD", path)
    }

    /// `method: "POST"`.
    pub fn post(path: impl Into<String>) -> Fetch {
        Fetch::new("POST", path)
    }

    /// `method: "PUT"`.
    pub fn put(path: impl Into<String>) -> Fetch {
        Fetch::new("PUT", path)
    }

    /// `method: "PATCH"`, upper case. Write `Fetch::new("patch", ..)` for
    /// the lower-case spelling, which browsers send as is.
    pub fn patch(path: impl Into<String>) -> Fetch {
        Fetch::new("PATCH", path)
    }

    /// `method: "DELETE"`.
    pub fn delete(path: impl Into<String>) -> Fetch {
        Fetch::new("DELETE", path)
    }

    /// Appends a request header, as `headers.append(name, value)` does.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Fetch {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// A JSON body, sent with `Content-Type: application/json` unless a
    /// `Content-Type` header is given.
    pub fn json(mut self, body: impl Into<String>) -> Fetch {
        self.body = Body::Json(body.into());
        self
    }

    /// A form body (`URLSearchParams`).
    pub fn form(mut self, body: impl Into<String>) -> Fetch {
        self.body = Body::Form(body.into());
        self
    }

    /// A plain-text body.
    pub fn text(mut self, body: impl Into<String>) -> Fetch {
        self.body = Body::Text(body.into());
        self
    }

    /// `credentials: ..`.
    pub fn credentials(mut self, credentials: Credentials) -> Fetch {
        self.credentials = credentials;
        self
    }

    /// `mode: ..`.
    pub fn mode(mut self, mode: Mode) -> Fetch {
        self.mode = mode;
        self
    }

    /// A cookie (`name=value`) the browser holds for the API. It is sent on
    /// the actual request only when the credentials mode sends cookies, and
    /// never on a preflight.
    pub fn cookie(mut self, cookie: impl Into<String>) -> Fetch {
        self.cookies.push(cookie.into());
        self
    }

    /// The method the browser sends: the six standard methods upper-cased
    /// when written in any case, every other method byte for byte.
    pub fn method(&self) -> String {
        normalize_method(&self.method)
    }

    /// The path (and query) of the call.
    pub fn path(&self) -> &str {
        &self.path
    }
}

/// `DELETE`, `GET`, `HEAD`, `OPTIONS`, `POST` and `PUT` are upper-cased
/// whatever their case; every other method is kept byte for byte.
pub(crate) fn normalize_method(method: &str) -> String {
    const NORMALIZED: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
    match NORMALIZED.iter().find(|m| m.eq_ignore_ascii_case(method)) {
        Some(m) => (*m).to_owned(),
        None => method.to_owned(),
    }
}

/// `GET`, `HEAD` and `POST`, byte for byte.
pub(crate) fn is_safelisted_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "POST")
}

/// An RFC 9110 token.
pub(crate) fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'!' | b'#'
                        | b'$'
                        | b'%'
                        | b'&'
                        | b'\''
                        | b'*'
                        | b'+'
                        | b'-'
                        | b'.'
                        | b'^'
                        | b'_'
                        | b'`'
                        | b'|'
                        | b'~'
                )
        })
}

/// Header names a page cannot set: `Headers` drops them silently.
pub(crate) fn is_forbidden_request_header(name: &str) -> bool {
    crate::rules::is_forbidden_request_header(name)
}

fn is_cors_unsafe_byte(b: u8) -> bool {
    (b < 0x20 && b != b'\t')
        || matches!(
            b,
            b'"' | b'('
                | b')'
                | b':'
                | b'<'
                | b'>'
                | b'?'
                | b'@'
                | b'['
                | b'\\'
                | b']'
                | b'{'
                | b'}'
                | 0x7f
        )
}

/// The essence (`type/subtype`, lower case) of a MIME type, if it parses.
fn mime_essence(value: &str) -> Option<String> {
    let essence = value
        .split(';')
        .next()?
        .trim_matches([' ', '\t', '\r', '\n']);
    let (ty, sub) = essence.split_once('/')?;
    (is_token(ty) && is_token(sub)).then(|| essence.to_ascii_lowercase())
}

/// `bytes=N-` or `bytes=N-M` with N <= M.
fn is_simple_range(value: &str) -> bool {
    let Some(rest) = value.strip_prefix("bytes=") else {
        return false;
    };
    let Some((start, end)) = rest.split_once('-') else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(start) {
        return false;
    }
    if end.is_empty() {
        return true;
    }
    digits(end)
        && match (start.parse::<u128>(), end.parse::<u128>()) {
            (Ok(a), Ok(b)) => a <= b,
            _ => false,
        }
}

/// The Fetch standard's CORS-safelisted request-header check.
pub(crate) fn is_safelisted_request_header(name: &str, value: &str) -> bool {
    if value.len() > 128 {
        return false;
    }
    match name.to_ascii_lowercase().as_str() {
        "accept" => !value.bytes().any(is_cors_unsafe_byte),
        "accept-language" | "content-language" => value.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b' ' | b'*' | b',' | b'-' | b'.' | b';' | b'=')
        }),
        "content-type" => {
            !value.bytes().any(is_cors_unsafe_byte)
                && mime_essence(value).is_some_and(|e| {
                    matches!(
                        e.as_str(),
                        "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain"
                    )
                })
        }
        "range" => is_simple_range(value),
        _ => false,
    }
}

/// The header list the browser builds: forbidden names dropped (returned
/// second), names lower-cased, one entry per `append`, and the body's default
/// `Content-Type` added when none is given. In `no-cors` mode only safelisted
/// headers survive.
pub(crate) fn header_list(fetch: &Fetch) -> (Vec<(String, String)>, Vec<String>) {
    let mut list: Vec<(String, String)> = Vec::new();
    let mut dropped = Vec::new();
    for (name, value) in &fetch.headers {
        let value = value.trim_matches([' ', '\t', '\r', '\n']).to_owned();
        let lower = name.to_ascii_lowercase();
        if is_forbidden_request_header(&lower) {
            dropped.push(lower);
        } else {
            list.push((lower, value));
        }
    }
    if let Some(ct) = fetch.body.default_content_type() {
        if !list.iter().any(|(n, _)| n == "content-type") {
            list.push(("content-type".to_owned(), ct.to_owned()));
        }
    }
    if fetch.mode == Mode::NoCors {
        list.retain(|(n, v)| {
            let keep = is_safelisted_request_header(n, v);
            if !keep {
                dropped.push(n.clone());
            }
            keep
        });
    }
    (list, dropped)
}

/// The header list as sent: one line per name, repeated names combined with
/// `, ` in the order they were appended.
pub(crate) fn combined(list: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, value) in list {
        match out.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => {
                v.push_str(", ");
                v.push_str(value);
            }
            None => out.push((name.clone(), value.clone())),
        }
    }
    out
}

/// The CORS-unsafe request-header names of a header list: lower case,
/// sorted, without duplicates. When the safelisted values add up to more than
/// 1024 bytes, they count as unsafe too.
pub(crate) fn cors_unsafe_names(list: &[(String, String)]) -> Vec<String> {
    let mut unsafe_names = Vec::new();
    let mut safelisted = Vec::new();
    let mut size = 0usize;
    for (name, value) in list {
        if is_safelisted_request_header(name, value) {
            size += value.len();
            safelisted.push(name.clone());
        } else {
            unsafe_names.push(name.clone());
        }
    }
    if size > 1024 {
        unsafe_names.extend(safelisted);
    }
    unsafe_names.sort_unstable();
    unsafe_names.dedup();
    unsafe_names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_upper_cased_only_for_the_six() {
        assert_eq!(normalize_method("delete"), "DELETE");
        assert_eq!(normalize_method("pUt"), "PUT");
        assert_eq!(normalize_method("options"), "OPTIONS");
        assert_eq!(normalize_method("patch"), "patch");
        assert_eq!(normalize_method("Patch"), "Patch");
        assert_eq!(normalize_method("PATCH"), "PATCH");
    }

    #[test]
    fn safelisted_headers() {
        assert!(is_safelisted_request_header("Accept", "application/json"));
        assert!(!is_safelisted_request_header("accept", "a(b"));
        assert!(is_safelisted_request_header(
            "content-type",
            "text/plain;charset=UTF-8"
        ));
        assert!(is_safelisted_request_header(
            "Content-Type",
            " Multipart/Form-Data; boundary=x"
        ));
        assert!(!is_safelisted_request_header(
            "content-type",
            "application/json"
        ));
        assert!(!is_safelisted_request_header(
            "content-type",
            "text/plain; x=\"y\""
        ));
        assert!(!is_safelisted_request_header("content-type", "text"));
        assert!(is_safelisted_request_header(
            "content-language",
            "en-GB, fr;q=0.5"
        ));
        assert!(!is_safelisted_request_header("content-language", "en_GB"));
        assert!(is_safelisted_request_header("range", "bytes=0-"));
        assert!(is_safelisted_request_header("range", "bytes=5-10"));
        assert!(!is_safelisted_request_header("range", "bytes=10-5"));
        assert!(!is_safelisted_request_header("range", "bytes=-5"));
        assert!(!is_safelisted_request_header("accept", &"a".repeat(129)));
        assert!(!is_safelisted_request_header("authorization", "x"));
        assert!(!is_safelisted_request_header("x-custom", ""));
    }

    #[test]
    fn unsafe_names_sorted_lower_case_without_safelisted() {
        let fetch = Fetch::get("/")
            .header("X-B", "1")
            .header("Authorization", "t")
            .header("Accept", "*/*")
            .header("x-b", "2")
            .header("Cookie", "no")
            .header("Sec-Fetch-Mode", "no");
        let (list, dropped) = header_list(&fetch);
        assert_eq!(dropped, ["cookie", "sec-fetch-mode"]);
        assert_eq!(
            combined(&list),
            [
                ("x-b".to_owned(), "1, 2".to_owned()),
                ("authorization".to_owned(), "t".to_owned()),
                ("accept".to_owned(), "*/*".to_owned()),
            ]
        );
        assert_eq!(cors_unsafe_names(&list), ["authorization", "x-b"]);
    }

    #[test]
    fn body_kinds_set_their_content_type() {
        let json = header_list(&Fetch::post("/").json("{}")).0;
        assert_eq!(cors_unsafe_names(&json), ["content-type"]);
        let form = header_list(&Fetch::post("/").form("a=1")).0;
        assert!(cors_unsafe_names(&form).is_empty());
        let text = header_list(&Fetch::post("/").text("a")).0;
        assert!(cors_unsafe_names(&text).is_empty());
        let own = header_list(
            &Fetch::post("/")
                .json("{}")
                .header("content-type", "text/plain"),
        )
        .0;
        assert_eq!(own, [("content-type".to_owned(), "text/plain".to_owned())]);
    }

    #[test]
    fn large_safelisted_values_become_unsafe() {
        let mut fetch = Fetch::get("/");
        for _ in 0..10 {
            fetch = fetch.header("accept", "a".repeat(100));
        }
        // 1000 bytes of safelisted values: still safelisted.
        assert!(cors_unsafe_names(&header_list(&fetch).0).is_empty());
        // 1030: every safelisted header becomes unsafe.
        let fetch = fetch.header("content-language", "b".repeat(30));
        assert_eq!(
            cors_unsafe_names(&header_list(&fetch).0),
            ["accept", "content-language"]
        );
    }

    #[test]
    fn no_cors_keeps_only_safelisted_headers() {
        let fetch = Fetch::post("/")
            .json("{}")
            .header("x-custom", "1")
            .mode(Mode::NoCors);
        let (list, dropped) = header_list(&fetch);
        assert!(list.is_empty());
        assert_eq!(dropped, ["x-custom", "content-type"]);
    }
}
