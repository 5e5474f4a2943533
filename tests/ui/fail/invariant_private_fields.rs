//! A policy cannot be written field by field: every field is private.
use route_cors::__private01::{OriginList, Policy};

static POLICY: Policy = Policy {
    route: "GET /items",
    credentials: true,
};

static LIST: OriginList = OriginList {
    exact: &[],
    patterns: &[],
};

fn main() {}
