//! Every case through `route_cors::test`, on the same routes, as a page in
//! one engine: the verdicts and what the model's app received.

use std::sync::Arc;

use actix_web::middleware::from_fn;
use actix_web::web::Data;
use actix_web::App;
use route_cors::test::{Credentials, Engine, Fetch, Form, Mode, Page, Verdict};
use serde_json::Value;

use crate::cases::Case;
use crate::server::{self, Log};

/// The `fetch(url, init)` of a step, for the model.
pub fn to_fetch(path: &str, init: &str) -> Fetch {
    let init: Value = serde_json::from_str(init).unwrap_or(Value::Null);
    let method = init["method"].as_str().unwrap_or("GET");
    let mut f = Fetch::new(method, path);
    if let Some(h) = init["headers"].as_object() {
        for (n, v) in h {
            f = f.header(n.as_str(), v.as_str().unwrap_or_default());
        }
    }
    if let Some(body) = init["body"].as_str() {
        let is_json = init["headers"]
            .as_object()
            .and_then(|h| {
                h.iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            })
            .and_then(|(_, v)| v.as_str())
            .is_some_and(|v| v.starts_with("application/json"));
        f = if is_json { f.json(body) } else { f.text(body) };
    }
    f = f.credentials(match init["credentials"].as_str() {
        Some("include") => Credentials::Include,
        Some("omit") => Credentials::Omit,
        _ => Credentials::SameOrigin,
    });
    f.mode(match init["mode"].as_str() {
        Some("no-cors") => Mode::NoCors,
        Some("same-origin") => Mode::SameOrigin,
        _ => Mode::Cors,
    })
}

/// The verdict as the page line the runner reports: `STATUS TYPE [headers]
/// BODY`, or the engine's `TypeError`; `navigated` for a form submission.
pub fn as_seen(v: &Verdict, engine: Engine) -> String {
    if v.is_allowed() && v.response_type().is_none() {
        return "navigated".to_owned();
    }
    match v.status() {
        None => engine.blocked_message().to_owned(),
        Some(status) => {
            let headers: Vec<String> = v
                .readable_headers()
                .iter()
                .map(|(n, h)| format!("{n}: {h}"))
                .collect();
            format!(
                "{status} {} [{}] {}",
                v.response_type().unwrap_or("?"),
                headers.join(", "),
                String::from_utf8_lossy(v.body().unwrap_or_default())
            )
        }
    }
}

/// Runs the case's steps through the model as a page on `origin` in
/// `engine`, calling the app on `api`, with URLs keyed `key`. Returns the
/// verdicts and the lines the model's app logged.
pub fn run(
    case: &Case,
    engine: Engine,
    origin: &str,
    api: &str,
    key: &str,
    names: &[(String, &str)],
) -> (Vec<Verdict>, Vec<String>) {
    let log = Arc::new(Log::default());
    for (o, n) in names {
        log.name_origin(o, n);
    }
    let steps = case.expected(engine).0;
    let verdicts = actix_web::rt::System::new().block_on(async {
        let app_log = Arc::clone(&log);
        let app = actix_web::test::init_service(
            App::new()
                .app_data(Data::from(app_log))
                .wrap(from_fn(server::record))
                .configure(crate::api::routes),
        )
        .await;
        let mut page = Page::for_engine(&app, origin, engine).at(api);
        let mut out = Vec::new();
        for s in steps {
            let sep = if s.path.contains('?') { '&' } else { '?' };
            let path = format!("{}{sep}case={key}", s.path);
            if crate::runner::is_form(s.init) {
                out.push(page.submit(Form::post(path).field("to", "mallory")).await);
            } else {
                out.push(page.fetch(to_fetch(&path, s.init)).await);
            }
        }
        out
    });
    (verdicts, log.lines(key))
}
