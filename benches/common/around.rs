// Middleware around annotated routes: a scope whose auth middleware is plain
// (`Plain`) or wrapped in `CorsAware` (`Aware`), with ten annotated routes
// (the last one requested), so that the lookup cost is that of a real scope.

use actix_http::Request;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderValue, ACCESS_CONTROL_REQUEST_METHOD, AUTHORIZATION, ORIGIN};
use actix_web::http::Method;
use actix_web::middleware::{from_fn, Condition, Next};
use actix_web::web::{self, ServiceConfig};
use actix_web::{get, test, Error, HttpResponse};
use route_cors::{cors, CorsAware};

use super::{service, Call, ALLOWED};

/// How the scope is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Annotated routes, `.wrap(from_fn(auth))`: preflights and the 401 fail
    /// in a browser.
    Plain,
    /// Annotated routes, `.wrap(CorsAware::new(from_fn(auth)))`.
    Aware,
    /// Annotated routes, `.wrap(Condition::new(true, from_fn(auth)))`: actix-web's
    /// own wrapper of the same shape, the cost of any such layer.
    Condition,
    /// Annotated routes, no middleware.
    Annotated,
    /// Annotated routes, `.wrap(DefaultPolicy::new(..))`.
    AnnotatedDefault,
    /// The same routes without `#[cors]`, no middleware (the floor).
    Bare,
    /// Routes without `#[cors]`, `.wrap(DefaultPolicy::new(..))`.
    BareDefault,
    /// Routes without `#[cors]`, `.wrap(actix_cors::Cors ..)` with the same policy.
    BareActix,
}

impl Layer {
    pub const ALL: [Layer; 8] = [
        Layer::Plain,
        Layer::Aware,
        Layer::Condition,
        Layer::Annotated,
        Layer::AnnotatedDefault,
        Layer::Bare,
        Layer::BareDefault,
        Layer::BareActix,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Layer::Plain => "plain",
            Layer::Aware => "cors-aware",
            Layer::Condition => "condition",
            Layer::Annotated => "annotated",
            Layer::AnnotatedDefault => "annotated+default",
            Layer::Bare => "bare",
            Layer::BareDefault => "bare+default",
            Layer::BareActix => "bare+actix-cors",
        }
    }
}

route_cors::policy!(
    DEFAULT,
    origins = ["https://app.example.com"],
    headers = ["authorization"],
    credentials
);

fn actix() -> actix_cors::Cors {
    actix_cors::Cors::default()
        .allowed_origin(ALLOWED)
        .allowed_methods(["GET"])
        .allowed_headers(["authorization"])
        .supports_credentials()
}

mod bare {
    use actix_web::web::{self, ServiceConfig};
    use actix_web::{get, HttpResponse};
    use route_cors::DefaultPolicy;

    macro_rules! bare_routes {
        ($($name:ident $path:literal)*) => {
            $(
                #[get($path)]
                async fn $name() -> HttpResponse {
                    HttpResponse::Ok().body("ok")
                }
            )*
            pub fn bare(c: &mut ServiceConfig) {
                c.service(web::scope("/admin")$(.service($name))*);
            }
            pub fn with_default(c: &mut ServiceConfig) {
                c.service(web::scope("/admin").wrap(DefaultPolicy::new(&super::DEFAULT))$(.service($name))*);
            }
            pub fn with_actix(c: &mut ServiceConfig) {
                c.service(web::scope("/admin").wrap(super::actix())$(.service($name))*);
            }
        };
    }

    bare_routes! {
        r0 "/r0" r1 "/r1" r2 "/r2" r3 "/r3" r4 "/r4"
        r5 "/r5" r6 "/r6" r7 "/r7" r8 "/r8" r9 "/r9"
    }
}

/// What is sent to `/admin/r9`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Around {
    /// A good token from the allowed origin: through the middleware to the route.
    Pass,
    /// No token: the middleware answers 401 itself.
    Short,
    /// A preflight.
    Preflight,
}

impl Around {
    pub const ALL: [Around; 3] = [Around::Pass, Around::Short, Around::Preflight];

    pub fn name(self) -> &'static str {
        match self {
            Around::Pass => "pass",
            Around::Short => "short_circuit",
            Around::Preflight => "preflight",
        }
    }
}

async fn auth(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.headers().contains_key(AUTHORIZATION) {
        Ok(next.call(req).await?.map_into_left_body())
    } else {
        let res = HttpResponse::Unauthorized().finish();
        Ok(req.into_response(res).map_into_right_body())
    }
}

macro_rules! routes {
    ($($name:ident $path:literal)*) => {
        $(
            #[cors(origins = ["https://app.example.com"], headers = ["authorization"], credentials)]
            #[get($path)]
            async fn $name() -> HttpResponse {
                HttpResponse::Ok().body("ok")
            }
        )*
        fn plain(c: &mut ServiceConfig) {
            c.service(web::scope("/admin").wrap(from_fn(auth))$(.service($name))*);
        }
        fn aware(c: &mut ServiceConfig) {
            c.service(web::scope("/admin").wrap(CorsAware::new(from_fn(auth)))$(.service($name))*);
        }
        fn condition(c: &mut ServiceConfig) {
            c.service(web::scope("/admin").wrap(Condition::new(true, from_fn(auth)))$(.service($name))*);
        }
        fn annotated(c: &mut ServiceConfig) {
            c.service(web::scope("/admin")$(.service($name))*);
        }
        fn annotated_default(c: &mut ServiceConfig) {
            c.service(web::scope("/admin").wrap(route_cors::DefaultPolicy::new(&DEFAULT))$(.service($name))*);
        }
    };
}

routes! {
    r0 "/r0" r1 "/r1" r2 "/r2" r3 "/r3" r4 "/r4"
    r5 "/r5" r6 "/r6" r7 "/r7" r8 "/r8" r9 "/r9"
}

/// The app of one layer.
pub fn app(layer: Layer) -> Box<dyn Call> {
    match layer {
        Layer::Plain => service(plain),
        Layer::Aware => service(aware),
        Layer::Condition => service(condition),
        Layer::Annotated => service(annotated),
        Layer::AnnotatedDefault => service(annotated_default),
        Layer::Bare => service(bare::bare),
        Layer::BareDefault => service(bare::with_default),
        Layer::BareActix => service(bare::with_actix),
    }
}

/// The request of one case.
pub fn request(case: Around) -> Request {
    let origin = HeaderValue::from_static(ALLOWED);
    let req = match case {
        Around::Pass => test::TestRequest::get()
            .insert_header((AUTHORIZATION, HeaderValue::from_static("Bearer t"))),
        Around::Short => test::TestRequest::get(),
        Around::Preflight => test::TestRequest::default()
            .method(Method::OPTIONS)
            .insert_header((
                ACCESS_CONTROL_REQUEST_METHOD,
                HeaderValue::from_static("GET"),
            )),
    };
    req.uri("/admin/r9")
        .insert_header((ORIGIN, origin))
        .to_request()
}
