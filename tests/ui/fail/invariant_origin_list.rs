//! A hand-written origin list that breaks an invariant does not compile.
use route_cors::__private01::{Exact, OriginList, Pattern};

static UNSORTED: [Exact; 2] = [Exact::__new("https://b.example.com"), Exact::__new("https://a.example.com")];
static UNSORTED_LIST: OriginList = OriginList::__new(&UNSORTED, &[]);

static REPEATED: [Exact; 2] = [Exact::__new("https://a.example.com"), Exact::__new("https://a.example.com")];
static REPEATED_LIST: OriginList = OriginList::__new(&REPEATED, &[]);

static EMPTY: OriginList = OriginList::__new(&[], &[]);

static REPEATED_PATTERN: OriginList = OriginList::__new(
    &[],
    &[Pattern::__new("https", ".example.com"), Pattern::__new("https", ".example.com")],
);

static UPPER_CASE: Exact = Exact::__new("https://App.example.com");
static WITH_PATH: Exact = Exact::__new("https://app.example.com/");
static NO_SCHEME: Exact = Exact::__new("app.example.com");

static BAD_TAIL: Pattern<'static> = Pattern::__new("https", "example.com");
static BAD_SCHEME: Pattern<'static> = Pattern::__new("HTTPS", ".example.com");
static BAD_PORT: Pattern<'static> = Pattern::__new("https", ".example.com:08");

fn main() {}
