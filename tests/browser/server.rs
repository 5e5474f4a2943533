//! Loopback HTTP servers for the browser tests, and the log of what the API
//! server received and answered.

use std::io;
use std::sync::mpsc;
use std::sync::Mutex;
use std::thread::{self, JoinHandle};

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServerHandle, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::rt::System;
use actix_web::web::Data;
use actix_web::Error;

/// A server running on its own thread. Dropping it stops the server and
/// waits for the thread.
pub struct Running {
    handle: ServerHandle,
    thread: Option<JoinHandle<()>>,
}

/// Starts the server `make` builds, on a new thread with its own actix system.
pub fn spawn<F>(make: F) -> io::Result<Running>
where
    F: FnOnce() -> io::Result<Server> + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    let thread = thread::spawn(move || {
        System::new().block_on(async move {
            match make() {
                Ok(server) => {
                    let _ = tx.send(Ok(server.handle()));
                    let _ = server.await;
                }
                Err(e) => {
                    let _ = tx.send(Err(e));
                }
            }
        });
    });
    match rx.recv() {
        Ok(Ok(handle)) => Ok(Running {
            handle,
            thread: Some(thread),
        }),
        Ok(Err(e)) => {
            let _ = thread.join();
            Err(e)
        }
        Err(_) => Err(io::Error::other("server thread died while starting")),
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        System::new().block_on(self.handle.stop(false));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// One request the API server received, with the CORS part of its answer.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The `case` query parameter: which test case sent it.
    pub case: String,
    /// `METHOD /path` plus the CORS-relevant request headers, then `->`, the
    /// status and every `access-control-*`, `timing-allow-origin` and `vary`
    /// response header line, sorted by name. Known origins are written as
    /// `<main>`, `<other>`, `<sub>`, `<label>`.
    pub line: String,
}

/// Everything the API server saw, in arrival order.
#[derive(Default)]
pub struct Log {
    seen: Mutex<Vec<Seen>>,
    /// (origin, placeholder) pairs, longest origin first.
    names: Mutex<Vec<(String, String)>>,
}

impl Log {
    /// Writes `origin` as `placeholder` in recorded lines.
    pub fn name_origin(&self, origin: &str, placeholder: &str) {
        if let Ok(mut n) = self.names.lock() {
            n.push((origin.to_owned(), placeholder.to_owned()));
            n.sort_by_key(|(o, _)| std::cmp::Reverse(o.len()));
        }
    }

    fn anonymize(&self, s: &str) -> String {
        let mut out = s.to_owned();
        if let Ok(names) = self.names.lock() {
            for (o, p) in names.iter() {
                out = out.replace(o.as_str(), p);
            }
        }
        out
    }

    /// The lines recorded for one case, in arrival order.
    pub fn lines(&self, case: &str) -> Vec<String> {
        self.seen
            .lock()
            .map(|s| {
                s.iter()
                    .filter(|s| s.case == case)
                    .map(|s| s.line.clone())
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn header(req: &ServiceRequest, name: &str) -> Vec<String> {
    req.headers()
        .get_all(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect()
}

/// App-level middleware of the API server: records each request and the CORS
/// headers of its response. It wraps everything, so it sees preflights too.
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let log = req.app_data::<Data<Log>>().cloned();
    let case = req
        .query_string()
        .split('&')
        .find_map(|kv| kv.strip_prefix("case="))
        .unwrap_or("")
        .to_owned();
    let mut line = format!("{} {}", req.method(), req.path());
    // The write routes: the Fetch metadata each engine sends, not the
    // cookies (which depend on the cases run before in the engine).
    let writes = req.path().starts_with("/writes/");
    for (key, name) in [
        ("origin", "origin"),
        ("acrm", "access-control-request-method"),
        ("acrh", "access-control-request-headers"),
        ("cookie", "cookie"),
        ("authorization", "authorization"),
        ("sfs", "sec-fetch-site"),
        ("sfm", "sec-fetch-mode"),
        ("sfd", "sec-fetch-dest"),
    ] {
        let skip = if writes {
            key == "cookie"
        } else {
            key.starts_with("sf")
        };
        if skip {
            continue;
        }
        for v in header(&req, name) {
            line.push_str(&format!(" {key}={v}"));
        }
    }
    let res = next.call(req).await?;
    line.push_str(&format!(" -> {}", res.status().as_u16()));
    let mut cors: Vec<(String, String)> = res
        .headers()
        .iter()
        .filter(|(n, _)| {
            n.as_str().starts_with("access-control-")
                || n.as_str() == "vary"
                || n.as_str() == "timing-allow-origin"
        })
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    // Stable order by name; lines of one name keep their order.
    cors.sort_by(|a, b| a.0.cmp(&b.0));
    for (n, v) in cors {
        line.push_str(&format!(" | {n}: {v}"));
    }
    if let Some(log) = log {
        let line = log.anonymize(&line);
        if let Ok(mut seen) = log.seen.lock() {
            seen.push(Seen { case, line });
        }
    }
    Ok(res)
}

/// Outermost middleware of the browser's API server: a request with a
/// `next=URL` query parameter (a form the runner submits) gets a `303` to
/// `URL` instead of its answer, so that the chain of top-level form
/// submissions goes on whatever the route answered. [`record`], inside it,
/// logs the route's own answer.
pub async fn continue_to_next(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let to = actix_web::web::Query::<std::collections::HashMap<String, String>>::from_query(
        req.query_string(),
    )
    .ok()
    .and_then(|q| q.get("next").cloned());
    let res = next.call(req).await?;
    Ok(match to {
        Some(to) => res
            .into_response(
                actix_web::HttpResponse::SeeOther()
                    .insert_header(("location", to))
                    .finish(),
            )
            .map_into_right_body(),
        None => res.map_into_left_body(),
    })
}
