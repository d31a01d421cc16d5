//! The JSON API under `/api/v1`.
//!
//! Handlers are thin: they read the request with the extractors from
//! [`crate::extract`], call [`crate::actions`] (the same rules the pages
//! use), and turn the result into the response types defined here. Nothing
//! from the store or the domain is serialised directly, so the API's shape
//! only changes when this module does.
//!
//! The OpenAPI document is generated from the handlers' annotations and
//! served at `/api/v1/openapi.json`.

pub mod accounts;
pub mod agreements;
pub mod aims;
pub mod benefits_risks;
pub mod calendar;
pub mod collaborations;
pub mod comms;
pub mod contacts;
pub mod decisions;
pub mod directory;
pub mod due_diligence;
pub mod environment;
pub mod export;
pub mod forward;
pub mod goals;
pub mod governance;
pub mod health_checks;
pub mod identify;
pub mod invitations;
pub mod meetings;
pub mod model;
pub mod notifications;
pub mod organisations;
pub mod outcomes;
pub mod plan;
pub mod problems;
pub mod proposals;
pub mod readiness;
pub mod recurring;
pub mod responsibilities;
pub mod risks;
pub mod shortlist;
pub mod story;
pub mod tasks;

use crate::AppState;
use crate::clock::format_rfc3339;
use crate::error::{AppError, Problem, problem_response};
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Where the API lives.
pub const PREFIX: &str = "/api/v1";

/// The name of the bearer security scheme in the document.
pub const BEARER: &str = "bearer";

const PROBLEM_JSON: &str = "application/problem+json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Common Ground API",
        version = "1",
        description = "The JSON API of Common Ground, where voluntary and community sector \
            organisations run collaborations together. It offers everything the web pages do.\n\n\
            Create an account with `POST /api/v1/users`, then get an access token with \
            `POST /api/v1/tokens` and send it on every other request as \
            `Authorization: Bearer <token>`.\n\n\
            Times are given twice: as whole seconds since 1970 (UTC), and as RFC 3339 text. \
            Every error is an `application/problem+json` document; when fields need fixing, \
            `errors` has one message per field.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")
    ),
    modifiers(&BearerScheme),
    components(
        schemas(Problem, health_checks::HealthResultsUnavailable),
        responses(
            BadRequest,
            Unauthenticated,
            Forbidden,
            NotFound,
            Conflict,
            Unprocessable,
            PayloadTooLarge,
            TooManyRequests
        )
    ),
    tags(
        (name = "accounts", description = "Accounts and access tokens."),
        (name = "organisations", description = "Organisations, their members and invitations to join them."),
        (name = "collaborations", description = "Collaborations, the organisations taking part, and their stages."),
        (name = "invitations", description = "Invitations for your organisations to join collaborations."),
        (name = "identify", description = "The Identify stage: its checklist, the readiness check, goals, the strategic environment, benefits and risks, the directory and the shortlist."),
        (name = "plan", description = "The Plan stage: its checklist, the collaboration model and due diligence, shared aims and their approval, governance bodies and the responsibilities matrix, and the agreement builder with its versions, differences, comments, approvals and exports."),
        (name = "implement", description = "The Implement stage: its checklist, workstreams, tasks and their dependencies, your tasks across collaborations, the communications plan and its log of what went out, decisions by vote, the problem log with its escalation ladder, and the decisions log with what each decision affects."),
        (name = "review", description = "The Review stage: its checklist, health check rounds of the partnership with results that never show one person's answers, the aims review: how each shared aim went, the lessons learned by stage, each partner's position on the way forward and the way forward decided by vote, and starting the next cycle."),
        (name = "notifications", description = "Your notifications, marking them read, and how each kind reaches you by email."),
        (name = "meta", description = "About the API itself.")
    )
)]
struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A personal access token from `POST /api/v1/tokens` or the settings page.",
                    ))
                    .build(),
            ),
        );
    }
}

/// Error responses, documented once and referenced by each operation.
macro_rules! problem_responses {
    ($($name:ident => $description:literal),* $(,)?) => {
        $(
            #[doc = $description]
            pub struct $name;

            impl<'r> utoipa::ToResponse<'r> for $name {
                fn response() -> (&'r str, RefOr<utoipa::openapi::Response>) {
                    (
                        stringify!($name),
                        ResponseBuilder::new()
                            .description($description)
                            .content(
                                PROBLEM_JSON,
                                ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
                            )
                            .build()
                            .into(),
                    )
                }
            }
        )*
    };
}

problem_responses! {
    BadRequest => "The request could not be read: the body is not JSON, or a query parameter is wrong.",
    Unauthenticated => "No access token was sent, or it is wrong or revoked.",
    Forbidden => "You can see this, but your role does not let you do this.",
    NotFound => "There is nothing here, or it is not shared with you.",
    Conflict => "The request is fine, but it cannot be done in the current state.",
    Unprocessable => "Some fields need fixing. `errors` has one message per field.",
    PayloadTooLarge => "The body is too large. Send less than 64 KB at a time.",
    TooManyRequests => "Too many attempts. Wait for the number of seconds in the Retry-After header.",
}

/// The router for everything under `/api/v1`, with its document.
fn api_router() -> OpenApiRouter<AppState> {
    use accounts as a;
    use collaborations as c;
    use invitations as i;
    use organisations as o;
    let v1 = OpenApiRouter::new()
        .routes(routes!(openapi_json))
        .routes(routes!(a::sign_up))
        .routes(routes!(a::create_token, a::list_tokens))
        .routes(routes!(a::revoke_token))
        .routes(routes!(a::me, a::delete_me))
        // Data exports.
        .routes(routes!(export::export_me_json))
        .routes(routes!(export::export_collaboration_json))
        .routes(routes!(export::export_collaboration_zip))
        .routes(routes!(export::export_organisation_json))
        .routes(routes!(export::export_organisation_zip))
        .routes(routes!(o::create_organisation, o::find_organisations))
        .routes(routes!(o::organisation, o::update_organisation))
        .routes(routes!(o::members))
        .routes(routes!(o::change_member_role, o::remove_member))
        .routes(routes!(o::member_invitations, o::invite_member))
        .routes(routes!(o::withdraw_member_invitation))
        .routes(routes!(o::accept_member_invitation))
        .routes(routes!(o::organisation_audit))
        .routes(routes!(c::create_collaboration, c::list_collaborations))
        .routes(routes!(c::collaboration, c::update_collaboration))
        .routes(routes!(c::move_stage))
        .routes(routes!(c::sent_invitations, c::invite_organisation))
        .routes(routes!(c::withdraw_invitation))
        .routes(routes!(c::change_participant_role, c::remove_participant))
        .routes(routes!(c::leave))
        .routes(routes!(c::collaboration_audit))
        .routes(routes!(identify::identify_progress))
        .routes(routes!(directory::search_directory))
        .routes(routes!(readiness::readiness))
        .routes(routes!(readiness::answer_readiness))
        .routes(routes!(readiness::start_readiness_round))
        .routes(routes!(readiness::readiness_chart))
        .routes(routes!(
            goals::list_collaboration_goals,
            goals::add_collaboration_goal
        ))
        .routes(routes!(
            goals::update_collaboration_goal,
            goals::delete_collaboration_goal
        ))
        .routes(routes!(
            goals::list_organisation_goals,
            goals::add_organisation_goal
        ))
        .routes(routes!(
            goals::update_organisation_goal,
            goals::delete_organisation_goal
        ))
        .routes(routes!(
            environment::list_environment_items,
            environment::add_environment_item
        ))
        .routes(routes!(
            environment::update_environment_item,
            environment::delete_environment_item
        ))
        .routes(routes!(benefits_risks::catalogue))
        .routes(routes!(
            benefits_risks::list_benefits_risks,
            benefits_risks::add_benefit_risk
        ))
        .routes(routes!(
            benefits_risks::update_benefit_risk,
            benefits_risks::delete_benefit_risk
        ))
        .routes(routes!(
            shortlist::list_shortlist,
            shortlist::add_to_shortlist
        ))
        .routes(routes!(
            shortlist::shortlist_entry,
            shortlist::change_shortlist_entry,
            shortlist::remove_from_shortlist
        ))
        .routes(routes!(shortlist::invite_from_shortlist))
        .routes(routes!(plan::plan_progress))
        .routes(routes!(
            model::collaboration_model,
            model::choose_collaboration_model
        ))
        .routes(routes!(model::suggest_collaboration_model))
        .routes(routes!(due_diligence::due_diligence))
        .routes(routes!(due_diligence::change_due_diligence_item))
        .routes(routes!(aims::list_aims, aims::add_aim))
        .routes(routes!(aims::change_aim, aims::remove_aim))
        .routes(routes!(aims::approve_aims))
        .routes(routes!(
            agreements::list_agreements,
            agreements::create_agreement
        ))
        .routes(routes!(agreements::agreement))
        .routes(routes!(agreements::save_section))
        .routes(routes!(agreements::add_comment))
        .routes(routes!(agreements::approve_agreement))
        .routes(routes!(agreements::diff))
        .routes(routes!(agreements::export_markdown))
        .routes(routes!(agreements::export_html))
        .routes(routes!(agreements::export_pdf))
        .routes(routes!(
            governance::list_governance_bodies,
            governance::add_governance_body
        ))
        .routes(routes!(
            governance::governance_body,
            governance::update_governance_body,
            governance::delete_governance_body
        ))
        .routes(routes!(
            responsibilities::responsibilities,
            responsibilities::save_responsibilities
        ))
        .routes(routes!(responsibilities::add_responsibility_function))
        .routes(routes!(responsibilities::remove_responsibility_function))
        .routes(routes!(tasks::implement_progress))
        .routes(routes!(tasks::list_workstreams, tasks::add_workstream))
        .routes(routes!(tasks::list_tasks, tasks::add_task))
        .routes(routes!(tasks::export_tasks))
        .routes(routes!(tasks::timeline))
        .routes(routes!(
            tasks::task,
            tasks::change_task,
            tasks::patch_task,
            tasks::delete_task
        ))
        .routes(routes!(tasks::add_dependency))
        .routes(routes!(tasks::remove_dependency))
        .routes(routes!(tasks::my_tasks))
        .routes(routes!(
            recurring::list_recurring_tasks,
            recurring::add_recurring_task
        ))
        .routes(routes!(
            recurring::recurring_task,
            recurring::update_recurring_task
        ))
        .routes(routes!(recurring::end_recurring_task))
        // Who is who (Plan) and meetings (Implement).
        .routes(routes!(contacts::list_contacts, contacts::add_contact))
        .routes(routes!(
            contacts::contact,
            contacts::update_contact,
            contacts::delete_contact
        ))
        .routes(routes!(meetings::list_meetings, meetings::add_meeting))
        .routes(routes!(
            meetings::meeting,
            meetings::update_meeting,
            meetings::delete_meeting
        ))
        .routes(routes!(meetings::set_meeting_attendance))
        .routes(routes!(meetings::add_meeting_action))
        .routes(routes!(meetings::meeting_invitation))
        // The communications plan and its log.
        .routes(routes!(comms::list_comms, comms::add_comms))
        .routes(routes!(
            comms::comms_item,
            comms::update_comms,
            comms::delete_comms
        ))
        .routes(routes!(comms::comms_log, comms::log_comms))
        .routes(routes!(comms::delete_comms_log))
        // The risk register.
        .routes(routes!(risks::list_risks, risks::add_risk))
        .routes(routes!(risks::risk, risks::change_risk, risks::delete_risk))
        .routes(routes!(
            risks::risk_suggestions,
            risks::add_risk_suggestions
        ))
        .routes(routes!(risks::risk_heatmap))
        .routes(routes!(problems::list_problems, problems::raise_problem))
        .routes(routes!(problems::problem, problems::change_problem))
        .routes(routes!(problems::escalate_problem))
        .routes(routes!(
            decisions::list_decisions,
            decisions::record_decision
        ))
        .routes(routes!(decisions::decision))
        .routes(routes!(decisions::link_decision))
        .routes(routes!(decisions::unlink_decision))
        .routes(routes!(
            calendar::collaboration_calendar,
            calendar::reset_collaboration_calendar
        ))
        .routes(routes!(calendar::my_calendar, calendar::reset_my_calendar))
        .routes(routes!(proposals::list_proposals, proposals::add_proposal))
        .routes(routes!(proposals::proposal))
        .routes(routes!(proposals::vote))
        .routes(routes!(proposals::close))
        .routes(routes!(proposals::outcome))
        .routes(routes!(health_checks::review_progress))
        .routes(routes!(
            health_checks::list_health_checks,
            health_checks::open_health_check
        ))
        .routes(routes!(health_checks::health_check))
        .routes(routes!(health_checks::answer_health_check))
        .routes(routes!(health_checks::close_health_check))
        .routes(routes!(health_checks::health_check_results))
        .routes(routes!(health_checks::health_check_chart))
        .routes(routes!(outcomes::aims_review))
        .routes(routes!(outcomes::save_aim_review))
        .routes(routes!(outcomes::list_lessons, outcomes::add_lesson))
        .routes(routes!(outcomes::change_lesson, outcomes::remove_lesson))
        .routes(routes!(story::report_markdown))
        .routes(routes!(story::report_html))
        .routes(routes!(story::report_pdf))
        .routes(routes!(forward::forward_strategy))
        .routes(routes!(forward::save_position))
        .routes(routes!(forward::put_way_forward))
        .routes(routes!(forward::start_next_cycle))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::mark_read))
        .routes(routes!(notifications::mark_all_read))
        .routes(routes!(
            notifications::settings,
            notifications::change_settings
        ))
        .routes(routes!(i::waiting_invitations))
        .routes(routes!(i::invitation))
        .routes(routes!(i::accept_invitation))
        .routes(routes!(i::decline_invitation))
        .fallback(not_found)
        .layer(axum::middleware::map_response(render_problems));
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest(PREFIX, v1)
        // The nested fallback covers `/api/v1` and `/api/v1/…`, but not the
        // bare trailing slash, which would otherwise get the HTML page.
        .route(
            "/api/v1/",
            any(not_found).layer(axum::middleware::map_response(render_problems)),
        )
}

/// The API's routes, with their full paths, ready to merge into the app.
pub fn routes() -> Router<AppState> {
    api_router().split_for_parts().0
}

/// The OpenAPI document describing [`routes`].
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_router().into_openapi()
}

/// Every path under the API that matches no route.
async fn not_found() -> AppError {
    AppError::NotFound
}

/// Renders every error leaving the API as a JSON problem: our own errors
/// carry an [`AppError`]; the router's own refusals (such as a method the
/// path does not accept) are given a problem body here.
async fn render_problems(response: Response) -> Response {
    let mut response = if let Some(error) = response.extensions().get::<AppError>().cloned() {
        problem_response(&error, response)
    } else if response.status().is_client_error() || response.status().is_server_error() {
        let is_problem = response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
        if is_problem {
            response
        } else {
            router_problem(response)
        }
    } else {
        response
    };
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

fn router_problem(response: Response) -> Response {
    let status = response.status();
    // The router adds the Allow header after this layer has run.
    let (title, detail) = if status == StatusCode::METHOD_NOT_ALLOWED {
        (
            "This method is not allowed here".to_string(),
            "This address does not accept that method. The Allow header lists the ones it does."
                .to_string(),
        )
    } else {
        (
            status.canonical_reason().unwrap_or("Error").to_string(),
            "The request could not be handled. Check the API documentation at /api/v1/openapi.json.".to_string(),
        )
    };
    let problem = Problem {
        kind: "about:blank".into(),
        title,
        status: status.as_u16(),
        detail,
        errors: None,
    };
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let mut out = (status, body).into_response();
    for (k, v) in response.headers() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    out
}

/// This document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "meta",
    operation_id = "openapi",
    responses((status = 200, description = "The OpenAPI 3.1 document for this API.", content_type = "application/json"))
)]
async fn openapi_json() -> Response {
    static DOCUMENT: OnceLock<Vec<u8>> = OnceLock::new();
    let body = DOCUMENT.get_or_init(|| {
        openapi()
            .to_json()
            .map(String::into_bytes)
            .unwrap_or_default()
    });
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            ),
        ],
        body.clone(),
    )
        .into_response()
}

// --- shared response pieces -------------------------------------------

/// A time as seconds since 1970 (UTC) and as RFC 3339 text.
/// For a field of a change that may be set to null: absent is `None`
/// (keep it), null is `Some(None)` (clear it).
pub(crate) fn nullable<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

fn rfc3339(ts: i64) -> String {
    format_rfc3339(ts)
}

fn rfc3339_opt(ts: Option<i64>) -> Option<String> {
    ts.map(format_rfc3339)
}

/// A person's role in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgRole {
    Admin,
    Member,
}

impl From<commonground_domain::organisations::OrgRole> for OrgRole {
    fn from(r: commonground_domain::organisations::OrgRole) -> Self {
        match r {
            commonground_domain::organisations::OrgRole::Admin => OrgRole::Admin,
            commonground_domain::organisations::OrgRole::Member => OrgRole::Member,
        }
    }
}

/// The legal or informal form an organisation takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    RegisteredCharity,
    Cio,
    CharitableCompany,
    Cic,
    CommunityGroup,
    SocialEnterprise,
    Other,
}

impl From<commonground_domain::organisations::OrgKind> for OrgKind {
    fn from(k: commonground_domain::organisations::OrgKind) -> Self {
        use commonground_domain::organisations::OrgKind as K;
        match k {
            K::RegisteredCharity => OrgKind::RegisteredCharity,
            K::Cio => OrgKind::Cio,
            K::CharitableCompany => OrgKind::CharitableCompany,
            K::Cic => OrgKind::Cic,
            K::CommunityGroup => OrgKind::CommunityGroup,
            K::SocialEnterprise => OrgKind::SocialEnterprise,
            K::Other => OrgKind::Other,
        }
    }
}

/// The part an organisation plays in a collaboration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantRole {
    Lead,
    Partner,
    Observer,
    Facilitator,
}

impl From<commonground_domain::collaborations::ParticipantRole> for ParticipantRole {
    fn from(r: commonground_domain::collaborations::ParticipantRole) -> Self {
        use commonground_domain::collaborations::ParticipantRole as R;
        match r {
            R::Lead => ParticipantRole::Lead,
            R::Partner => ParticipantRole::Partner,
            R::Observer => ParticipantRole::Observer,
            R::Facilitator => ParticipantRole::Facilitator,
        }
    }
}

/// The four stages a collaboration moves through, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Identify,
    Plan,
    Implement,
    Review,
}

impl From<commonground_domain::stage::Stage> for Stage {
    fn from(s: commonground_domain::stage::Stage) -> Self {
        use commonground_domain::stage::Stage as S;
        match s {
            S::Identify => Stage::Identify,
            S::Plan => Stage::Plan,
            S::Implement => Stage::Implement,
            S::Review => Stage::Review,
        }
    }
}

/// Which way to move a collaboration's stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StageDirection {
    Forward,
    Back,
}

/// Where an invitation to a collaboration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Declined,
    Withdrawn,
}

impl From<commonground_domain::collaborations::InvitationStatus> for InvitationStatus {
    fn from(s: commonground_domain::collaborations::InvitationStatus) -> Self {
        use commonground_domain::collaborations::InvitationStatus as S;
        match s {
            S::Pending => InvitationStatus::Pending,
            S::Accepted => InvitationStatus::Accepted,
            S::Declined => InvitationStatus::Declined,
            S::Withdrawn => InvitationStatus::Withdrawn,
        }
    }
}

/// One line of an audit trail: who did what, for which organisation, when.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEvent {
    pub id: i64,
    /// Seconds since 1970 (UTC).
    pub at: i64,
    pub at_rfc3339: String,
    /// The person who did it, as they were named then.
    pub user_name: String,
    /// The organisation they acted for, as it was named then; may be empty.
    pub acting_organisation_name: String,
    /// A short machine-readable code, such as `stage.moved`.
    pub action: String,
    /// A sentence saying what happened.
    pub summary: String,
}

/// A page of an audit trail, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEvent>,
    /// Pass this as `before` to get the next, older page. Null on the last page.
    pub next_before: Option<i64>,
}

/// How many events one audit page holds (set by the actions).
const AUDIT_PAGE: usize = 50;

impl AuditPage {
    fn from_events(events: Vec<commonground_store::audit::AuditEvent>) -> Self {
        let next_before = if events.len() >= AUDIT_PAGE {
            events.last().map(|e| e.id)
        } else {
            None
        };
        AuditPage {
            items: events
                .into_iter()
                .map(|e| AuditEvent {
                    id: e.id,
                    at: e.at,
                    at_rfc3339: rfc3339(e.at),
                    user_name: e.user_name,
                    acting_organisation_name: e.acting_organisation_name,
                    action: e.action,
                    summary: e.summary,
                })
                .collect(),
            next_before,
        }
    }
}

/// Paging back through an audit trail.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only events older than this event id (from `next_before`).
    pub before: Option<i64>,
}
