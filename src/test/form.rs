//! An HTML form the page submits: a navigation, not a `fetch`. No preflight,
//! no CORS check, cookies included: the classic cross-site request forgery,
//! which CORS never stopped.

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::{Method, Uri};
use cors_runtime::__private01::Refused;

use super::verdict::{Kind, Seen};
use super::{blocked, is_origin, Blocked, Credentials, Page, Request, Rule, Verdict};

/// An HTML `<form>` the page submits, described as written in HTML.
///
/// Submitting it is a navigation (`Sec-Fetch-Mode: navigate`,
/// `Sec-Fetch-Dest: document`): the browser sends it to any origin without a
/// preflight, with the page's `Origin` on a `POST`, and with the cookies it
/// holds for the app; the answer replaces the page, and the page's script
/// reads nothing of it. Whether the app acts on it is the app's decision:
/// see [`Verdict::write_refused`](super::Verdict::write_refused).
///
/// ```
/// use route_cors::test::{Enctype, Form};
///
/// let form = Form::post("/account/email")
///     .field("email", "mallory@evil.example")
///     .enctype(Enctype::TextPlain);
/// assert_eq!(form.method(), "POST");
/// ```
#[derive(Debug, Clone)]
pub struct Form {
    pub(crate) post: bool,
    pub(crate) action: String,
    pub(crate) enctype: Enctype,
    pub(crate) fields: Vec<(String, String)>,
    pub(crate) cookies: Vec<String>,
}

/// `enctype` of a `<form method="post">`: the three a form can send, all
/// CORS-safelisted content types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Enctype {
    /// `application/x-www-form-urlencoded`, the default.
    #[default]
    UrlEncoded,
    /// `multipart/form-data`, with a boundary.
    Multipart,
    /// `text/plain`: `name=value` lines, which an endpoint reading JSON from
    /// the raw body may parse (a classic way to forge a JSON request).
    TextPlain,
}

/// The multipart boundary `route_cors::test` uses.
const BOUNDARY: &str = "----RouteCorsTestFormBoundary";

impl Enctype {
    /// The value as written in the `enctype` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Enctype::UrlEncoded => "application/x-www-form-urlencoded",
            Enctype::Multipart => "multipart/form-data",
            Enctype::TextPlain => "text/plain",
        }
    }

    /// The `Content-Type` the browser sends.
    pub(crate) fn content_type(self) -> String {
        match self {
            Enctype::Multipart => format!("multipart/form-data; boundary={BOUNDARY}"),
            other => other.as_str().to_owned(),
        }
    }
}

impl Form {
    /// `<form method="post" action="{action}">`.
    pub fn post(action: impl Into<String>) -> Form {
        Form {
            post: true,
            action: action.into(),
            enctype: Enctype::default(),
            fields: Vec::new(),
            cookies: Vec::new(),
        }
    }

    /// `<form method="get" action="{action}">`: the fields become the query.
    pub fn get(action: impl Into<String>) -> Form {
        Form {
            post: false,
            ..Form::post(action)
        }
    }

    /// An `<input name="{name}" value="{value}">`.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<String>) -> Form {
        self.fields.push((name.into(), value.into()));
        self
    }

    /// `enctype="…"` (a `POST` only).
    pub fn enctype(mut self, enctype: Enctype) -> Form {
        self.enctype = enctype;
        self
    }

    /// A cookie (`name=value`) the browser holds for the app, sent with the
    /// submission as with every navigation. The model does not know cookie
    /// attributes: a real browser leaves out a `SameSite=Lax` or `Strict`
    /// cookie on a cross-site `POST`.
    pub fn cookie(mut self, cookie: impl Into<String>) -> Form {
        self.cookies.push(cookie.into());
        self
    }

    /// `GET` or `POST`.
    pub fn method(&self) -> &'static str {
        if self.post {
            "POST"
        } else {
            "GET"
        }
    }

    /// The `action`, a path and query on the app.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The form as HTML, for the verdict.
    pub(crate) fn describe(&self) -> String {
        let fields: Vec<String> = self
            .fields
            .iter()
            .map(|(n, v)| format!("<input name={n:?} value={v:?}>"))
            .collect();
        let enctype = if self.post {
            format!(" enctype={:?}", self.enctype.as_str())
        } else {
            String::new()
        };
        format!(
            "<form method={:?} action={:?}{enctype}>{}</form>, submitted",
            self.method().to_ascii_lowercase(),
            self.action,
            fields.join("")
        )
    }

    /// The URL a `GET` form navigates to: the action, its query replaced by
    /// the fields.
    pub(crate) fn get_url(&self) -> String {
        let path = self.action.split(['?', '#']).next().unwrap_or_default();
        format!("{path}?{}", url_encoded(&self.fields))
    }

    /// The body of a `POST`.
    pub(crate) fn body(&self) -> String {
        match self.enctype {
            Enctype::UrlEncoded => url_encoded(&self.fields),
            Enctype::TextPlain => self
                .fields
                .iter()
                .map(|(n, v)| format!("{n}={v}\r\n"))
                .collect(),
            Enctype::Multipart => {
                let mut body = String::new();
                for (n, v) in &self.fields {
                    let n = n.replace('"', "%22").replace(['\r', '\n'], " ");
                    body.push_str(&format!(
                        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{n}\"\r\n\r\n{v}\r\n"
                    ));
                }
                body.push_str(&format!("--{BOUNDARY}--\r\n"));
                body
            }
        }
    }
}

/// The `Accept` of a navigation.
const NAVIGATION_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

impl<S, B> Page<'_, S>
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    /// Submits `form` as the page's browser would: a navigation to the app,
    /// with no preflight and no CORS check, carrying the page's `Origin` on
    /// a `POST`, the cookies the page holds for the app, and
    /// `Sec-Fetch-Mode: navigate`, `Sec-Fetch-Dest: document`. Redirects
    /// within the app are followed (`301`, `302` and `303` turn a `POST`
    /// into a `GET` without a body).
    ///
    /// The page's script reads nothing of the answer
    /// ([`Verdict::status`] is 0); [`Verdict::answered`] is what the app
    /// answered, and [`Verdict::write_refused`] whether route-cors refused
    /// it before the handler.
    ///
    /// ```
    /// use actix_web::{post, test, App, HttpResponse};
    /// use route_cors::cors;
    /// use route_cors::test::{Form, Page};
    ///
    /// #[cors(origins = ["https://app.example.com"], credentials)]
    /// #[post("/account/email")]
    /// async fn change_email() -> HttpResponse {
    ///     HttpResponse::Ok().body("changed")
    /// }
    ///
    /// # #[actix_web::main]
    /// # async fn main() {
    /// let app = test::init_service(App::new().service(change_email)).await;
    /// // An attacker's page posts a form to the route, with the user's cookies.
    /// let mut page = Page::new(&app, "https://evil.example").at("https://api.example.com");
    /// let verdict = page
    ///     .submit(Form::post("/account/email").field("email", "mallory@evil.example").cookie("sid=s3cr3t"))
    ///     .await;
    /// assert!(verdict.cookies_sent());
    /// assert_eq!(verdict.answered(), Some(403));
    /// assert!(verdict.write_refused(), "{verdict}");
    /// # }
    /// ```
    pub async fn submit(&mut self, form: Form) -> Verdict {
        let mut verdict = Verdict {
            call: form.describe(),
            origin: self.origin.clone(),
            method: form.method().to_owned(),
            credentials: Credentials::Include,
            dropped: Vec::new(),
            preflight: None,
            preflights: [0; 3],
            outcome: Err(blocked(Rule::InvalidUrl, "not sent")),
            answered: None,
            write_refused: false,
            metadata: Vec::new(),
            cookies_sent: false,
            cookies_stored: Vec::new(),
            notes: Vec::new(),
        };
        verdict.outcome = match self.check_form(&form) {
            Ok(()) => self.navigate(&form, &mut verdict).await,
            Err(b) => Err(b),
        };
        verdict
    }

    fn check_form(&self, form: &Form) -> Result<(), Blocked> {
        if let Some(Err(e)) = &self.app_origin {
            return Err(blocked(Rule::InvalidAppOrigin, e.clone()));
        }
        if !is_origin(&self.origin) {
            return Err(blocked(
                Rule::InvalidOrigin,
                format!(
                    "'{}' is not a serialized origin such as 'https://app.example.com'.",
                    self.origin
                ),
            ));
        }
        if !form.action.starts_with('/') || form.action.parse::<Uri>().is_err() {
            return Err(blocked(
                Rule::InvalidUrl,
                format!(
                    "'{}' is not a path and query on the app, such as '/account/email'.",
                    form.action
                ),
            ));
        }
        Ok(())
    }

    async fn navigate(&mut self, form: &Form, verdict: &mut Verdict) -> Result<Seen, Blocked> {
        let mut post = form.post;
        let mut path = if post {
            form.action.clone()
        } else {
            form.get_url()
        };
        let mut body = if post { form.body() } else { String::new() };
        for _hop in 0..=20 {
            let mut headers = vec![("accept".to_owned(), NAVIGATION_ACCEPT.to_owned())];
            if post {
                headers.push(("content-type".to_owned(), form.enctype.content_type()));
                headers.push(("origin".to_owned(), self.origin.clone()));
            }
            let mut cookies: Vec<String> =
                self.jar.iter().map(|(n, v)| format!("{n}={v}")).collect();
            cookies.extend(form.cookies.iter().cloned());
            if !cookies.is_empty() {
                headers.push(("cookie".to_owned(), cookies.join("; ")));
            }
            verdict.cookies_sent = true;
            let metadata = self.browser_headers("navigate", "document");
            verdict.metadata = metadata
                .iter()
                .filter(|(n, _)| n.starts_with("sec-fetch-"))
                .cloned()
                .collect();
            headers.extend(metadata);
            let method = if post { Method::POST } else { Method::GET };
            let answer = self.send(&method, &path, &headers, &body).await;
            verdict.method = method.to_string();
            verdict.answered = Some(answer.status.as_u16());
            verdict.write_refused = answer.refused == Some(Refused::Write);
            self.keep_cookies(&answer.headers, verdict);
            let status = answer.status.as_u16();
            let location = answer
                .headers
                .get("location")
                .and_then(|l| l.to_str().ok())
                .map(str::to_owned);
            match location {
                Some(to) if matches!(status, 301 | 302 | 303 | 307 | 308) => {
                    if !to.starts_with('/') || to.starts_with("//") {
                        return Err(blocked(Rule::RedirectLeavesApp, format!("The app redirects to '{to}'; route_cors::test follows only redirects within the app.")));
                    }
                    if matches!(status, 301..=303) {
                        post = false;
                        body.clear();
                    }
                    path = to;
                }
                _ => {
                    return Ok(Seen {
                        status: 0,
                        kind: Kind::Navigation,
                        headers: Vec::new(),
                        body: Vec::new(),
                    })
                }
            }
        }
        Err(blocked(Rule::TooManyRedirects, "More than 20 redirects."))
    }
}

/// `application/x-www-form-urlencoded`, as the URL standard serializes it.
fn url_encoded(fields: &[(String, String)]) -> String {
    let enc = |s: &str| {
        let mut out = String::new();
        for b in s.bytes() {
            match b {
                b' ' => out.push('+'),
                b'*' | b'-' | b'.' | b'_' => out.push(char::from(b)),
                b if b.is_ascii_alphanumeric() => out.push(char::from(b)),
                b => out.push_str(&format!("%{b:02X}")),
            }
        }
        out
    };
    fields
        .iter()
        .map(|(n, v)| format!("{}={}", enc(n), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_as_browsers_encode_them() {
        let form = Form::post("/t?x=1")
            .field("to", "mallory & co")
            .field("amount", "10€");
        assert_eq!(form.body(), "to=mallory+%26+co&amount=10%E2%82%AC");
        assert_eq!(form.get_url(), "/t?to=mallory+%26+co&amount=10%E2%82%AC");
        let text = form.clone().enctype(Enctype::TextPlain);
        assert_eq!(text.body(), "to=mallory & co\r\namount=10€\r\n");
        let multi = Form::post("/t").field("a", "1").enctype(Enctype::Multipart);
        assert_eq!(
            multi.body(),
            "------RouteCorsTestFormBoundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n------RouteCorsTestFormBoundary--\r\n"
        );
        assert_eq!(
            Enctype::Multipart.content_type(),
            "multipart/form-data; boundary=----RouteCorsTestFormBoundary"
        );
        assert_eq!(
            form.describe(),
            r#"<form method="post" action="/t?x=1" enctype="application/x-www-form-urlencoded"><input name="to" value="mallory & co"><input name="amount" value="10€"></form>, submitted"#
        );
        assert_eq!(
            Form::get("/s").describe(),
            r#"<form method="get" action="/s"></form>, submitted"#
        );
    }
}
