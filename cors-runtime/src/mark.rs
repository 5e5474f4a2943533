//! Which requests in flight route-cors has decorated (or will): the exact
//! signal a [`DefaultPolicy`](crate::DefaultPolicy) asks before it decorates a
//! response itself.
//!
//! A handler may set `Vary: Origin`, or even `Access-Control-Allow-Origin`,
//! for reasons of its own, so the headers of a response cannot tell whether
//! an annotated route decorated it. Instead, each request a `DefaultPolicy`
//! passes on is listed here by the address of its head (stable while the
//! request is in flight, and distinct between requests in flight), and what
//! decorates it on the way (an annotated route, a [`CorsAware`](crate::CorsAware)
//! answering for one, an inner `DefaultPolicy`) marks it.
//!
//! The list is per thread, as actix-web serves a request on the thread that
//! accepted it. It holds one entry per request in flight through a
//! `DefaultPolicy` and keeps its capacity, so the request path does not
//! allocate once a worker has warmed up. When no `DefaultPolicy` has a request
//! in flight, marking costs one length check.

use std::cell::RefCell;

use actix_web::dev::RequestHead;

thread_local! {
    /// `(head address, decorated)` for each request in flight through a
    /// `DefaultPolicy` on this thread.
    static IN_FLIGHT: RefCell<Vec<(usize, bool)>> = const { RefCell::new(Vec::new()) };
}

fn key(head: &RequestHead) -> usize {
    std::ptr::from_ref(head) as usize
}

/// The entry of one request, held by the outermost `DefaultPolicy` it passes;
/// removed when that policy's future completes or is dropped.
#[derive(Debug)]
pub(crate) struct Entry {
    key: usize,
    /// Whether this `DefaultPolicy` listed the request (the outermost one
    /// did), and so must remove it.
    owner: bool,
}

impl Entry {
    /// Lists the request, unless an enclosing `DefaultPolicy` already did.
    pub(crate) fn open(head: &RequestHead) -> Self {
        let key = key(head);
        let owner = IN_FLIGHT.with(|list| {
            let mut list = list.borrow_mut();
            if list.iter().any(|(k, _)| *k == key) {
                false
            } else {
                list.push((key, false));
                true
            }
        });
        Self { key, owner }
    }

    /// Whether the request was decorated (or is being decorated) by what the
    /// enclosing `DefaultPolicy` passed it on to.
    pub(crate) fn decorated(&self) -> bool {
        IN_FLIGHT.with(|list| {
            list.borrow()
                .iter()
                .rev()
                .any(|&(k, decorated)| k == self.key && decorated)
        })
    }

    /// Records that the caller decorates the request now.
    pub(crate) fn set_decorated(&self) {
        set(self.key);
    }

    /// Removes the request from the list, if this entry listed it.
    pub(crate) fn close(&mut self) {
        if std::mem::take(&mut self.owner) {
            let key = self.key;
            IN_FLIGHT.with(|list| {
                let mut list = list.borrow_mut();
                if let Some(at) = list.iter().rposition(|(k, _)| *k == key) {
                    list.swap_remove(at);
                }
            });
        }
    }
}

impl Drop for Entry {
    fn drop(&mut self) {
        self.close();
    }
}

/// Whether a `DefaultPolicy` around the caller passed this request on (and
/// so has already decided on it as a cross-origin write).
pub(crate) fn listed(head: &RequestHead) -> bool {
    let key = key(head);
    IN_FLIGHT.with(|list| list.borrow().iter().any(|(k, _)| *k == key))
}

/// Records that an annotated route (or a `CorsAware` answering for one)
/// decorates this request. Nothing to do when no `DefaultPolicy` encloses it.
pub(crate) fn decorated_by_route(head: &RequestHead) {
    set(key(head));
}

fn set(key: usize) {
    IN_FLIGHT.with(|list| {
        let mut list = list.borrow_mut();
        if list.is_empty() {
            return;
        }
        if let Some(entry) = list.iter_mut().rev().find(|(k, _)| *k == key) {
            entry.1 = true;
        }
    });
}

/// How many requests are listed on this thread (tests: nothing is left
/// behind).
#[cfg(test)]
pub(crate) fn in_flight() -> usize {
    IN_FLIGHT.with(|list| list.borrow().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outermost_entry_lists_and_removes_a_request() {
        let (a, b) = (RequestHead::default(), RequestHead::default());
        let mut outer = Entry::open(&a);
        let inner = Entry::open(&a);
        let other = Entry::open(&b);
        assert_eq!(in_flight(), 2, "the inner entry shares the outer's");
        assert!(!outer.decorated() && !inner.decorated());
        decorated_by_route(&a);
        assert!(outer.decorated() && inner.decorated());
        assert!(!other.decorated(), "only the request it was set on");
        drop(inner);
        assert_eq!(in_flight(), 2, "an inner entry removes nothing");
        outer.close();
        assert_eq!(in_flight(), 1);
        assert!(!outer.decorated(), "closed: no longer listed");
        drop(other);
        assert_eq!(in_flight(), 0, "dropped: removed");
        decorated_by_route(&b);
        assert_eq!(in_flight(), 0, "nothing listed, nothing marked");
    }
}
