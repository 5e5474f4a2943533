use route_cors::policy;

policy!(pub EMPTY, origins = ["https://app.example.com"], methods = []);
policy!(pub FORBIDDEN, origins = ["https://app.example.com"], methods = [GET, CONNECT]);
policy!(pub NOT_TOKEN, origins = ["https://app.example.com"], methods = ["GE T"]);
policy!(pub LOWER, origins = ["https://app.example.com"], methods = [delete]);
policy!(pub NOT_A_LIST, origins = ["https://app.example.com"], methods = GET);

fn main() {}
