//! Who is who: each partner organisation's contacts in a collaboration.

use super::governance::conflict_response;
use super::rfc3339;
use super::{BadRequest, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable};
use crate::AppState;
use crate::actions;
use crate::actions::contacts::{ContactUpdate, stale_message};
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use commonground_domain::contacts::ContactInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A contact's part for their organisation: `lead_contact`,
/// `trustee_representative`, `finance_contact`, `safeguarding_lead`,
/// `communications_contact`, `data_protection_lead`, `delivery_contact` or
/// `other`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Contact {
    pub id: i64,
    pub collaboration_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub name: String,
    pub role: String,
    /// The role in words.
    pub role_label: String,
    pub email: String,
    /// Empty when not given.
    pub phone: String,
    /// The member of Common Ground this contact is, if any.
    pub member_id: Option<i64>,
    pub member_name: Option<String>,
    /// Send it back when changing the contact.
    pub version: i64,
    pub created_at_rfc3339: String,
    pub updated_at_rfc3339: String,
}

impl From<commonground_store::contacts::Contact> for Contact {
    fn from(c: commonground_store::contacts::Contact) -> Self {
        Contact {
            id: c.id,
            collaboration_id: c.collaboration_id,
            organisation_id: c.organisation_id,
            organisation_name: c.organisation_name,
            name: c.name,
            role: c.role.code().into(),
            role_label: c.role.label().into(),
            email: c.email,
            phone: c.phone,
            member_id: c.member_id,
            member_name: c.member_name,
            version: c.version,
            created_at_rfc3339: rfc3339(c.created_at),
            updated_at_rfc3339: rfc3339(c.updated_at),
        }
    }
}

/// Every partner's contacts.
#[derive(Debug, Serialize, ToSchema)]
pub struct Contacts {
    /// By organisation name, then name.
    pub items: Vec<Contact>,
    /// The organisation whose contacts you may add and change (the one you
    /// act for); null for observers.
    pub editable_organisation_id: Option<i64>,
}

/// A contact as sent to add or change one. New contacts belong to the
/// organisation you act for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactBody {
    /// Up to 100 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub name: Option<String>,
    /// See `Contact.role`.
    #[serde(default)]
    #[schema(required = true)]
    pub role: Option<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// A member of the contact's organisation, or null.
    #[serde(default)]
    pub member_id: Option<i64>,
    /// When changing: the version you read. Ignored when adding.
    #[serde(default)]
    pub version: Option<i64>,
}

impl ContactBody {
    fn member(&self) -> String {
        self.member_id.map(|m| m.to_string()).unwrap_or_default()
    }

    fn input<'a>(&'a self, member: &'a str) -> ContactInput<'a> {
        ContactInput {
            name: self.name.as_deref().unwrap_or(""),
            role: self.role.as_deref().unwrap_or(""),
            email: self.email.as_deref().unwrap_or(""),
            phone: self.phone.as_deref().unwrap_or(""),
            member_id: member,
        }
    }
}

/// Lists every partner's contacts.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/contacts",
    tag = "plan",
    operation_id = "list_contacts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The contacts.", body = Contacts),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn list_contacts(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<Contacts>, AppError> {
    let v = actions::contacts::contacts(&state, &actor, id).await?;
    Ok(Json(Contacts {
        editable_organisation_id: v.editable,
        items: v.contacts.into_iter().map(Into::into).collect(),
    }))
}

/// Adds a contact for the organisation you act for. Not for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/contacts",
    tag = "plan",
    operation_id = "add_contact",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = ContactBody,
    responses(
        (status = 201, description = "It was added.", body = Contact),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_contact(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<ContactBody>,
) -> Result<(StatusCode, Json<Contact>), AppError> {
    let member = body.member();
    let c = actions::contacts::add_contact(&state, &actor, id, &body.input(&member)).await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

/// One contact.
#[utoipa::path(
    get,
    path = "/contacts/{cid}",
    tag = "plan",
    operation_id = "contact",
    security(("bearer" = [])),
    params(("cid" = i64, Path, description = "The contact.")),
    responses(
        (status = 200, description = "The contact.", body = Contact),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn contact(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(cid): P<i64>,
) -> Result<Json<Contact>, AppError> {
    Ok(Json(
        actions::contacts::contact(&state, &actor, cid)
            .await?
            .into(),
    ))
}

/// Changes a contact of your own organisation. Send the `version` you
/// read: if someone else changed it since, nothing is saved and the answer
/// is 409 with the contact as it is now.
#[utoipa::path(
    put,
    path = "/contacts/{cid}",
    tag = "plan",
    operation_id = "update_contact",
    security(("bearer" = [])),
    params(("cid" = i64, Path, description = "The contact.")),
    request_body = ContactBody,
    responses(
        (status = 200, description = "As saved, with its new version.", body = Contact),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "Someone else changed it first; nothing was saved. `current` is the contact now.", content_type = "application/problem+json"),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn update_contact(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(cid): P<i64>,
    ApiJson(body): ApiJson<ContactBody>,
) -> Result<Response, AppError> {
    let member = body.member();
    match actions::contacts::update_contact(&state, &actor, cid, body.version, &body.input(&member))
        .await?
    {
        ContactUpdate::Saved(c) => Ok(Json(Contact::from(c)).into_response()),
        ContactUpdate::Stale(c) => Ok(conflict_response(stale_message(&c), Contact::from(c))),
    }
}

/// Removes a contact of your own organisation.
#[utoipa::path(
    delete,
    path = "/contacts/{cid}",
    tag = "plan",
    operation_id = "delete_contact",
    security(("bearer" = [])),
    params(("cid" = i64, Path, description = "The contact.")),
    responses(
        (status = 204, description = "It was removed."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn delete_contact(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(cid): P<i64>,
) -> Result<StatusCode, AppError> {
    actions::contacts::delete_contact(&state, &actor, cid).await?;
    Ok(StatusCode::NO_CONTENT)
}
