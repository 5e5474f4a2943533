use route_cors::policy;

policy!(pub BASE, origins = ["https://app.example.com"]);

// A named policy is written out in full: it cannot take another's keys.
policy!(pub DERIVED, policy = BASE, credentials);

fn main() {}
