//! Server-rendered pages. They work without JavaScript; every form carries
//! a security token, and a refused form comes back with what was typed.

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
pub mod home;
pub mod identify;
pub mod layout;
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
pub mod resources;
pub mod responsibilities;
pub mod risks;
pub mod shortlist;
pub mod story;
pub mod tasks;

use crate::AppState;
use crate::auth::{PageContext, Visitor};
use crate::error::AppError;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maud::html;

pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route(
            "/sign-up",
            get(accounts::sign_up_form).post(accounts::sign_up),
        )
        .route(
            "/sign-in",
            get(accounts::sign_in_form).post(accounts::sign_in),
        )
        .route("/sign-out", post(accounts::sign_out))
        .route(
            "/password-reset",
            get(accounts::reset_request_form).post(accounts::reset_request),
        )
        .route(
            "/password-reset/{token}",
            get(accounts::reset_form).post(accounts::reset),
        )
        .route("/settings", get(accounts::settings))
        .route(
            "/account/delete",
            get(accounts::delete_account_form).post(accounts::delete_account),
        )
        .route("/account/export.json", get(export::account_json))
        .route(
            "/collaborations/{id}/export.json",
            get(export::collaboration_json),
        )
        .route(
            "/collaborations/{id}/export.zip",
            get(export::collaboration_zip),
        )
        .route(
            "/organisations/{id}/export.json",
            get(export::organisation_json),
        )
        .route(
            "/organisations/{id}/export.zip",
            get(export::organisation_zip),
        )
        .route("/settings/tokens", post(accounts::create_token))
        .route("/settings/tokens/{id}/revoke", post(accounts::revoke_token))
        .route("/acting-for", post(accounts::acting_for))
        .route("/admin", get(home::operator))
        .route("/organisations", get(organisations::index))
        .route(
            "/organisations/new",
            get(organisations::new_form).post(organisations::create),
        )
        .route("/organisations/{id}", get(organisations::show))
        .route(
            "/organisations/{id}/edit",
            get(organisations::edit_form).post(organisations::update),
        )
        .route("/organisations/{id}/members", get(organisations::members))
        .route(
            "/organisations/{id}/members/{user_id}/role",
            post(organisations::change_role),
        )
        .route(
            "/organisations/{id}/members/{user_id}/remove",
            get(organisations::remove_member_confirm).post(organisations::remove_member),
        )
        .route(
            "/organisations/{id}/leave",
            get(organisations::leave_confirm).post(organisations::leave),
        )
        .route(
            "/organisations/{id}/invitations",
            get(organisations::invite_form).post(organisations::invite),
        )
        .route(
            "/organisations/{id}/invitations/{invitation_id}/withdraw",
            post(organisations::withdraw_invitation),
        )
        .route("/organisations/{id}/activity", get(organisations::activity))
        .route(
            "/organisations/{id}/goals",
            get(goals::org_index).post(goals::org_create),
        )
        .route(
            "/organisations/{id}/goals/{goal_id}/edit",
            get(goals::org_edit_form).post(goals::org_update),
        )
        .route(
            "/organisations/{id}/goals/{goal_id}/delete",
            post(goals::org_delete),
        )
        .route(
            "/join/{token}",
            get(organisations::join_form).post(organisations::join),
        )
        .route("/collaborations", get(collaborations::index))
        .route(
            "/collaborations/new",
            get(collaborations::new_form).post(collaborations::create),
        )
        .route("/collaborations/{id}", get(collaborations::show))
        .route(
            "/collaborations/{id}/edit",
            get(collaborations::edit_form).post(collaborations::update),
        )
        .route(
            "/collaborations/{id}/stage",
            post(collaborations::move_stage),
        )
        .route(
            "/collaborations/{id}/invite",
            get(collaborations::invite_form).post(collaborations::invite),
        )
        .route(
            "/collaborations/{id}/invitations/{invitation_id}/withdraw",
            post(collaborations::withdraw_invitation),
        )
        .route(
            "/collaborations/{id}/participants/{organisation_id}/role",
            post(collaborations::change_role),
        )
        .route(
            "/collaborations/{id}/participants/{organisation_id}/remove",
            get(collaborations::remove_participant_confirm)
                .post(collaborations::remove_participant),
        )
        .route(
            "/collaborations/{id}/leave",
            get(collaborations::leave_confirm).post(collaborations::leave),
        )
        .route(
            "/collaborations/{id}/activity",
            get(collaborations::activity),
        )
        .route("/collaborations/{id}/identify", get(identify::show))
        .route("/collaborations/{id}/readiness", get(readiness::show))
        .route(
            "/collaborations/{id}/readiness/answers",
            get(readiness::answers).post(readiness::answer),
        )
        .route(
            "/collaborations/{id}/readiness/rounds",
            post(readiness::open_round),
        )
        .route(
            "/collaborations/{id}/readiness/chart.svg",
            get(readiness::chart_svg),
        )
        .route(
            "/collaborations/{id}/goals",
            get(goals::collab_index).post(goals::collab_create),
        )
        .route(
            "/collaborations/{id}/goals/{goal_id}/edit",
            get(goals::collab_edit_form).post(goals::collab_update),
        )
        .route(
            "/collaborations/{id}/goals/{goal_id}/delete",
            post(goals::collab_delete),
        )
        .route(
            "/collaborations/{id}/environment",
            get(environment::index).post(environment::create),
        )
        .route(
            "/collaborations/{id}/environment/{item_id}/edit",
            get(environment::edit_form).post(environment::update),
        )
        .route(
            "/collaborations/{id}/environment/{item_id}/delete",
            post(environment::delete),
        )
        .route(
            "/collaborations/{id}/benefits-risks",
            get(benefits_risks::index).post(benefits_risks::create),
        )
        .route(
            "/collaborations/{id}/benefits-risks/{item_id}/edit",
            get(benefits_risks::edit_form).post(benefits_risks::update),
        )
        .route(
            "/collaborations/{id}/benefits-risks/{item_id}/delete",
            post(benefits_risks::delete),
        )
        .route("/collaborations/{id}/plan", get(plan::show))
        .route(
            "/collaborations/{id}/model",
            get(model::show).post(model::choose),
        )
        .route(
            "/collaborations/{id}/due-diligence",
            get(due_diligence::show),
        )
        .route(
            "/collaborations/{id}/due-diligence/{area}",
            post(due_diligence::change),
        )
        .route(
            "/collaborations/{id}/governance",
            get(governance::index).post(governance::create),
        )
        .route(
            "/collaborations/{id}/governance/{body_id}/edit",
            get(governance::edit_form).post(governance::update),
        )
        .route(
            "/collaborations/{id}/governance/{body_id}/remove",
            get(governance::remove_confirm).post(governance::remove),
        )
        .route(
            "/collaborations/{id}/responsibilities",
            get(responsibilities::index).post(responsibilities::save),
        )
        .route(
            "/collaborations/{id}/responsibilities/functions",
            post(responsibilities::add_function),
        )
        .route(
            "/collaborations/{id}/responsibilities/functions/{function_id}/remove",
            get(responsibilities::remove_function_confirm).post(responsibilities::remove_function),
        )
        // Who is who (Plan) and meetings (Implement).
        .route(
            "/collaborations/{id}/contacts",
            get(contacts::index).post(contacts::create),
        )
        .route(
            "/contacts/{cid}/edit",
            get(contacts::edit_form).post(contacts::update),
        )
        .route(
            "/contacts/{cid}/remove",
            get(contacts::remove_confirm).post(contacts::remove),
        )
        .route(
            "/collaborations/{id}/meetings",
            get(meetings::index).post(meetings::create),
        )
        .route("/meetings/{mid}", get(meetings::show))
        .route(
            "/meetings/{mid}/edit",
            get(meetings::edit_form).post(meetings::update),
        )
        .route("/meetings/{mid}/attendance", post(meetings::attendance))
        .route("/meetings/{mid}/actions", post(meetings::add_action))
        .route("/meetings/{mid}/invite.ics", get(meetings::invite))
        .route(
            "/meetings/{mid}/remove",
            get(meetings::remove_confirm).post(meetings::remove),
        )
        .route("/collaborations/{id}/implement", get(tasks::implement))
        .route("/collaborations/{id}/review", get(health_checks::review))
        .route(
            "/collaborations/{id}/health-checks",
            post(health_checks::open_round),
        )
        .route("/health-checks/{hid}", get(health_checks::round))
        .route("/health-checks/{hid}/answers", post(health_checks::answer))
        .route("/health-checks/{hid}/close", post(health_checks::close))
        .route("/health-checks/{hid}/results", get(health_checks::results))
        .route(
            "/health-checks/{hid}/chart.svg",
            get(health_checks::chart_svg),
        )
        .route(
            "/collaborations/{id}/workstreams",
            get(tasks::workstreams).post(tasks::add_workstream),
        )
        .route(
            "/collaborations/{id}/tasks",
            get(tasks::index).post(tasks::create),
        )
        .route("/collaborations/{id}/tasks.csv", get(tasks::csv))
        .route(
            "/collaborations/{id}/timeline.svg",
            get(tasks::timeline_svg),
        )
        .route("/collaborations/{id}/tasks/new", get(tasks::new_form))
        .route(
            "/collaborations/{id}/tasks/by-partner",
            get(tasks::by_partner),
        )
        .route(
            "/collaborations/{id}/proposals",
            get(proposals::index).post(proposals::create),
        )
        .route("/proposals/{pid}", get(proposals::show))
        .route("/proposals/{pid}/votes", post(proposals::vote))
        .route("/proposals/{pid}/close", post(proposals::close))
        .route("/proposals/{pid}/outcome", post(proposals::outcome))
        .route("/tasks", get(tasks::mine))
        // Calendar feeds of tasks: their pages, and the feed itself, which
        // answers without sign-in to whoever has its secret address.
        .route(
            "/collaborations/{id}/calendar",
            get(calendar::collaboration).post(calendar::reset_collaboration),
        )
        .route(
            "/tasks/calendar",
            get(calendar::mine).post(calendar::reset_mine),
        )
        .route("/calendar-feeds/{token}/tasks.ics", get(calendar::feed))
        .route("/notifications", get(notifications::list))
        .route(
            "/notifications/read-all",
            post(notifications::mark_all_read),
        )
        .route("/notifications/{nid}/read", post(notifications::mark_read))
        .route(
            "/account/notifications",
            get(notifications::settings).post(notifications::save_settings),
        )
        .route("/tasks/{tid}", get(tasks::show).post(tasks::change))
        .route("/tasks/{tid}/delete", post(tasks::delete))
        .route("/tasks/{tid}/dependencies", post(tasks::add_dependency))
        .route(
            "/tasks/{tid}/dependencies/{on}/remove",
            post(tasks::remove_dependency),
        )
        // Recurring tasks.
        .route(
            "/collaborations/{id}/recurring",
            get(recurring::index).post(recurring::create),
        )
        .route(
            "/recurring/{sid}",
            get(recurring::show).post(recurring::update),
        )
        .route("/recurring/{sid}/end", post(recurring::end))
        // The communications plan and its log of what went out.
        .route(
            "/collaborations/{id}/comms",
            get(comms::index).post(comms::create),
        )
        .route("/comms/{cid}", get(comms::show))
        .route(
            "/comms/{cid}/edit",
            get(comms::edit_form).post(comms::update),
        )
        .route("/comms/{cid}/log", post(comms::log))
        .route(
            "/comms/{cid}/remove",
            get(comms::remove_confirm).post(comms::remove),
        )
        .route(
            "/comms-log/{lid}/remove",
            get(comms::remove_log_confirm).post(comms::remove_log),
        )
        // The risk register.
        .route(
            "/collaborations/{id}/risks",
            get(risks::index).post(risks::create),
        )
        .route("/collaborations/{id}/risks/new", get(risks::new_form))
        .route(
            "/collaborations/{id}/risks/suggestions",
            get(risks::suggestions).post(risks::add_suggestions),
        )
        .route(
            "/collaborations/{id}/risks/heatmap.svg",
            get(risks::heatmap_svg),
        )
        .route("/risks/{rid}", get(risks::show).post(risks::change))
        .route("/risks/{rid}/delete", post(risks::delete))
        .route(
            "/collaborations/{id}/problems",
            get(problems::index).post(problems::create),
        )
        .route("/collaborations/{id}/problems/new", get(problems::new_form))
        .route(
            "/problems/{pid}",
            get(problems::show).post(problems::change),
        )
        .route("/problems/{pid}/escalate", post(problems::escalate))
        .route(
            "/collaborations/{id}/decisions",
            get(decisions::index).post(decisions::create),
        )
        .route(
            "/collaborations/{id}/decisions/new",
            get(decisions::new_form),
        )
        .route("/decisions/{did}", get(decisions::show))
        .route("/decisions/{did}/links", post(decisions::link))
        .route(
            "/decisions/{did}/links/{kind}/{target}/remove",
            post(decisions::unlink),
        )
        .route("/directory", get(directory::index))
        .route(
            "/collaborations/{id}/shortlist",
            get(shortlist::index).post(shortlist::create),
        )
        .route(
            "/collaborations/{id}/shortlist/{entry_id}",
            get(shortlist::show).post(shortlist::change),
        )
        .route(
            "/collaborations/{id}/shortlist/{entry_id}/remove",
            post(shortlist::remove),
        )
        .route(
            "/collaborations/{id}/shortlist/{entry_id}/invite",
            post(shortlist::invite),
        )
        .route(
            "/collaborations/{id}/aims",
            get(aims::index).post(aims::create),
        )
        .route("/collaborations/{id}/aims/approve", post(aims::approve))
        .route("/collaborations/{id}/report", get(story::report_page))
        .route("/collaborations/{id}/report.md", get(story::report_md))
        .route("/collaborations/{id}/report.html", get(story::report_html))
        .route("/collaborations/{id}/report.pdf", get(story::report_pdf))
        .route("/collaborations/{id}/aims-review", get(outcomes::index))
        .route("/collaborations/{id}/forward", get(forward::index))
        .route(
            "/collaborations/{id}/forward/positions/{org_id}",
            get(forward::position_form).post(forward::save_position),
        )
        .route(
            "/collaborations/{id}/forward/way-forward",
            post(forward::put_way_forward),
        )
        .route(
            "/collaborations/{id}/next-cycle",
            get(forward::next_cycle_confirm).post(forward::start_next_cycle),
        )
        .route(
            "/collaborations/{id}/aims-review/{aim_id}",
            get(outcomes::edit_form).post(outcomes::save),
        )
        .route(
            "/collaborations/{id}/lessons",
            get(outcomes::lessons).post(outcomes::add_lesson),
        )
        .route(
            "/collaborations/{id}/lessons/{lesson_id}/edit",
            get(outcomes::lesson_edit_form).post(outcomes::update_lesson),
        )
        .route(
            "/collaborations/{id}/lessons/{lesson_id}/delete",
            post(outcomes::delete_lesson),
        )
        .route(
            "/collaborations/{id}/aims/{aim_id}/edit",
            get(aims::edit_form).post(aims::update),
        )
        .route(
            "/collaborations/{id}/aims/{aim_id}/delete",
            post(aims::delete),
        )
        .route(
            "/collaborations/{id}/agreements",
            get(agreements::index).post(agreements::create),
        )
        .route("/agreements/{aid}", get(agreements::show))
        .route("/agreements/{aid}/approve", post(agreements::approve))
        .route(
            "/agreements/{aid}/sections/{key}",
            get(agreements::section).post(agreements::save),
        )
        .route(
            "/agreements/{aid}/sections/{key}/comments",
            post(agreements::comment),
        )
        .route("/agreements/{aid}/diff", get(agreements::diff))
        .route("/agreements/{aid}/export.md", get(agreements::export_md))
        .route(
            "/agreements/{aid}/export.html",
            get(agreements::export_html),
        )
        .route("/agreements/{aid}/export.pdf", get(agreements::export_pdf))
        .route("/resources", get(resources::index))
        .route("/resources/{stage}", get(resources::stage))
        .route("/invitations/{id}", get(collaborations::invitation))
        .route("/invitations/{id}/accept", post(collaborations::accept))
        .route("/invitations/{id}/decline", post(collaborations::decline))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(state, crate::auth::page_session))
        .layer(axum::middleware::from_fn(error_pages))
}

/// Turns an error carried by a response into a whole page for the person
/// it is for (the session middleware attaches who that is).
async fn error_pages(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let response = next.run(req).await;
    let Some(error) = response.extensions().get::<AppError>().cloned() else {
        return response;
    };
    let ctx = response
        .extensions()
        .get::<PageContext>()
        .cloned()
        .unwrap_or_else(|| PageContext {
            viewer: None,
            organisations: Vec::new(),
            csrf: String::new(),
            path: "/".to_string(),
        });
    error_page(&ctx, &error, response)
}

pub async fn not_found(_: Visitor) -> AppError {
    AppError::NotFound
}

pub async fn method_not_allowed(_: Visitor) -> AppError {
    AppError::MethodNotAllowed
}

/// Turns an error carried by a response into a full page, keeping its
/// status and headers (such as Retry-After).
fn error_page(ctx: &PageContext, error: &AppError, response: Response) -> Response {
    let status = response.status();
    let headers = response.headers().clone();
    let body = layout::page(
        ctx,
        error.title(),
        None,
        html! {
            h1 { (error.title()) }
            @match error {
                AppError::Invalid(errors) if !errors.is_empty() => {
                    p { "Please fix these and try again:" }
                    ul { @for e in &errors.0 { li { (e.message) } } }
                }
                _ => { p.lead { (error.detail()) } }
            }
            @if matches!(error, AppError::Csrf) {
                p { "You may need to sign in again." }
            }
            p { a href="/" { "Go to your home page" } }
        },
    );
    let mut out = layout::render(status, body);
    for (k, v) in headers.iter() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            out.headers_mut().append(k.clone(), v.clone());
        }
    }
    out
}

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        include_str!("../../static/app.css"),
    )
}

/// A relative address on this site, safe to redirect to after sign-in.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && n.len() < 500 =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}
