//! A hand-written policy that breaks an invariant does not compile.
use route_cors::__private01::{Exact, Expose, Headers, OriginList, Origins, Policy, Spec};
use route_cors::OriginSet;

const SPEC: Spec = Spec {
    route: "GET /items",
    origins: Origins::Any,
    credentials: false,
    methods: &["GET"],
    allow_methods: "GET",
    headers: Headers::None,
    expose: Expose::None,
    max_age: None,
    private_network: false,
    timing: false,
    public_suffix_wildcard: false,
    allow_http: false,
    allow_public_suffix_wildcard: false,
    allow_cross_origin_writes: false,
};

static HTTP: [Exact; 1] = [Exact::__new("http://api.example.com")];
static HTTP_LIST: OriginList = OriginList::__new(&HTTP, &[]);
static SET: OriginSet = OriginSet::new("partners");

static ANY_WITH_CREDENTIALS: Policy = Policy::__new(Spec { credentials: true, ..SPEC });
static EXPOSE_ANY_WITH_CREDENTIALS: Policy = Policy::__new(Spec {
    origins: Origins::List(&HTTP_LIST),
    allow_http: true,
    expose: Expose::Any,
    credentials: true,
    ..SPEC
});
static PLAIN_HTTP_WITH_CREDENTIALS: Policy =
    Policy::__new(Spec { origins: Origins::List(&HTTP_LIST), credentials: true, ..SPEC });
static UNCHECKED_SET_WITH_CREDENTIALS: Policy =
    Policy::__new(Spec { origins: Origins::Runtime(&SET), credentials: true, ..SPEC });

static NO_METHODS: Policy = Policy::__new(Spec { methods: &[], allow_methods: "", ..SPEC });
static METHODS_MISMATCH: Policy = Policy::__new(Spec { methods: &["GET", "POST"], allow_methods: "GET", ..SPEC });
static HEADERS_MISMATCH: Policy =
    Policy::__new(Spec { headers: Headers::List(&["x-a", "x-b"], "x-a"), ..SPEC });
static HEADERS_EMPTY: Policy = Policy::__new(Spec { headers: Headers::List(&[], ""), ..SPEC });
static EXPOSE_UPPER: Policy = Policy::__new(Spec { expose: Expose::List("X-Total"), ..SPEC });
static MAX_AGE_TOO_LARGE: Policy = Policy::__new(Spec { max_age: Some("86401"), ..SPEC });
static MAX_AGE_NOT_A_NUMBER: Policy = Policy::__new(Spec { max_age: Some("ten"), ..SPEC });
static ANY_WITH_WRITES_OPT_IN: Policy = Policy::__new(Spec { allow_cross_origin_writes: true, ..SPEC });

fn main() {}
