//! Which requests route-cors refused itself: the exact signal
//! `route_cors::test` asks, so that its verdict can tell route-cors's own
//! `403` from a middleware's `401`/`403`/`429` (both come without CORS
//! headers), and say that a refused write never reached its handler.
//!
//! The status and headers of a response cannot tell: a middleware may answer
//! `403` with no CORS headers too, and a user's error handler may rebuild a
//! response (dropping anything attached to it). Instead, `route_cors::test`
//! watches the request it sends, by the address of its header map (the
//! request head's, stable while the request is in flight and distinct between
//! requests in flight), and each refusal marks the watched request it
//! refuses.
//!
//! The list is per thread, as actix-web serves a request on the thread that
//! called it. When nothing is watched (always, outside `route_cors::test`),
//! marking costs one length check, on refusals only.

use std::cell::RefCell;

use actix_web::http::header::HeaderMap;

thread_local! {
    /// `(header map address, refusal)` for each watched request in flight
    /// on this thread.
    static WATCHED: RefCell<Vec<(usize, Option<Refused>)>> = const { RefCell::new(Vec::new()) };
}

/// What route-cors refused, before any handler ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// A preflight: `403`, no CORS headers.
    Preflight,
    /// A cross-origin write the route's policy does not trust: `403`, no
    /// CORS headers, the handler not run.
    Write,
}

fn key(headers: &HeaderMap) -> usize {
    std::ptr::from_ref(headers) as usize
}

/// One watched request, from before it is sent until its answer is back.
/// Removed from the list when finished or dropped.
#[derive(Debug)]
pub struct Watch {
    key: usize,
    open: bool,
}

impl Watch {
    /// Watches the request whose head holds `headers`.
    pub fn start(headers: &HeaderMap) -> Self {
        let key = key(headers);
        WATCHED.with(|list| list.borrow_mut().push((key, None)));
        Self { key, open: true }
    }

    /// Stops watching, and says what route-cors refused, if it refused the
    /// request.
    pub fn finish(mut self) -> Option<Refused> {
        self.close()
    }

    fn close(&mut self) -> Option<Refused> {
        if !std::mem::take(&mut self.open) {
            return None;
        }
        let key = self.key;
        WATCHED.with(|list| {
            let mut list = list.borrow_mut();
            let at = list.iter().rposition(|(k, _)| *k == key)?;
            list.swap_remove(at).1
        })
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.close();
    }
}

/// Records that route-cors refuses the request with these headers, if it is
/// watched.
pub(crate) fn refused(headers: &HeaderMap, what: Refused) {
    WATCHED.with(|list| {
        let mut list = list.borrow_mut();
        if list.is_empty() {
            return;
        }
        let key = key(headers);
        if let Some(entry) = list.iter_mut().rev().find(|(k, _)| *k == key) {
            entry.1 = Some(what);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_watched_request_is_marked_and_nothing_is_left_behind() {
        let (a, b) = (HeaderMap::new(), HeaderMap::new());
        refused(&a, Refused::Preflight);
        let wa = Watch::start(&a);
        let wb = Watch::start(&b);
        refused(&a, Refused::Write);
        assert_eq!(wb.finish(), None);
        assert_eq!(wa.finish(), Some(Refused::Write));
        let dropped = Watch::start(&a);
        drop(dropped);
        WATCHED.with(|list| assert!(list.borrow().is_empty()));
    }
}
