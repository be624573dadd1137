//! The API's OpenAPI 3.1 document, built from the handlers' own annotations and types, at
//! `/v1/openapi.json`, and Swagger UI reading it at `/docs/api` (its files are built into the
//! binary: the page works with no internet).

use axum::{
    http::{header, HeaderValue},
    Router,
};
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::{
    openapi::{
        content::ContentBuilder,
        response::ResponseBuilder,
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
        Ref, RefOr,
    },
    Modify, OpenApi,
};
use utoipa_swagger_ui::{Config, SwaggerUi};

use super::{
    branding, client_changes, clients, key, licenses, metrics, problem, statements, webhooks,
};
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Partner Portal API",
        version = "1.0.0",
        description = "Automate the partner program: clients and their subscriptions, licenses, \
            metrics, statements, branding and webhooks.\n\n\
            Authenticate with an API key from **Partner > API keys** (owners make them), sent as \
            `Authorization: Bearer ppk_...`, or trade it at `POST /oauth/token` (client \
            credentials, client id = the key's id) for an hour-long `ppt_...` token. Keys are \
            never accepted in a URL. Each operation names the scope it needs.\n\n\
            Errors are RFC 9457 `application/problem+json`, with one entry per field for bad \
            input. Money is a string of a decimal number. Lists are paged by cursor: follow \
            `links.next`. A POST with an `Idempotency-Key` header runs once; a retry with the \
            same key and body gets the first answer for 24 hours. A key may make 600 requests \
            a minute (`RateLimit-Policy` and `RateLimit` headers; 429 with `Retry-After`)."
    ),
    paths(
        key::show,
        clients::list,
        clients::create,
        clients::show,
        client_changes::update,
        client_changes::suspend,
        client_changes::resume,
        client_changes::cancel,
        licenses::issue,
        licenses::list,
        licenses::show,
        licenses::revoke,
        licenses::public_key,
        metrics::show,
        statements::list,
        statements::show,
        branding::save_draft,
        branding::publish,
        webhooks::create,
        webhooks::list,
        webhooks::delete,
        webhooks::rotate_secret,
    ),
    components(schemas(problem::Problem, problem::FieldProblem)),
    modifiers(&Conventions),
    tags(
        (name = "keys", description = "The credential in use"),
        (name = "clients", description = "A partner's clients (tenants) and their subscriptions"),
        (name = "licenses", description = "Signed licenses for a client's product"),
        (name = "metrics", description = "MRR, ARR, growth and tier progress"),
        (name = "commissions", description = "Monthly statements and their lines"),
        (name = "branding", description = "The client portal's brand"),
        (name = "webhooks", description = "Endpoints that are sent signed events (Standard Webhooks)"),
    )
)]
pub struct ApiDoc;

/// What every operation shares: the bearer scheme, and the problems any of them may answer
/// with (listed once here, not on each handler).
struct Conventions;

const PROBLEMS: [(&str, &str); 7] = [
    (
        "400",
        "The request is malformed (e.g. a bad Idempotency-Key)",
    ),
    (
        "401",
        "No credential, or an unknown, revoked or expired one",
    ),
    (
        "403",
        "The key lacks the operation's scope, or the partner may not do this now",
    ),
    ("404", "No such resource for this partner"),
    (
        "409",
        "The request conflicts with the current state (the client cap, a status)",
    ),
    ("422", "Invalid input: `errors` names each field"),
    ("429", "Too many requests: see Retry-After"),
];

impl Modify for Conventions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API key (ppk_...) or an OAuth token (ppt_...)"))
                    .build(),
            ),
        );
        for (status, description) in PROBLEMS {
            components.responses.insert(
                format!("Problem{status}"),
                RefOr::T(
                    ResponseBuilder::new()
                        .description(description)
                        .content(
                            problem::CONTENT_TYPE,
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("Problem")))
                                .build(),
                        )
                        .build(),
                ),
            );
        }
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.patch,
                &mut item.put,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                for (status, _) in PROBLEMS {
                    operation
                        .responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| {
                            RefOr::Ref(Ref::new(format!("#/components/responses/Problem{status}")))
                        });
                }
            }
        }
    }
}

/// What the docs page may load: its own files and the document, nothing from elsewhere
/// (Swagger UI sets inline styles; it runs no inline script).
const DOCS_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; \
     base-uri 'none'; form-action 'none'";

/// `/v1/openapi.json` and `/docs/api`.
pub fn routes() -> Router<AppState> {
    let config = Config::default()
        // Nothing is sent to the online validator.
        .validator_url("none")
        .try_it_out_enabled(true);
    let docs: Router<AppState> = SwaggerUi::new("/docs/api")
        .url("/v1/openapi.json", ApiDoc::openapi())
        .config(config)
        .into();
    docs.layer(SetResponseHeaderLayer::if_not_present(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(DOCS_CSP),
    ))
}
