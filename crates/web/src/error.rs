//! One error type for pages and the API. A handler returns `AppError`; the
//! response carries it in an extension, and the surface's middleware renders
//! it as an HTML page or as a JSON problem (`application/problem+json`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use commonground_domain::{FieldErrors, RuleError};
use commonground_store::StoreError;

#[derive(Debug, Clone)]
pub enum AppError {
    /// Not there, or not theirs to see: the two look the same on purpose.
    NotFound,
    /// Not signed in, or the token is wrong.
    Unauthenticated,
    /// Visible, but this person may not do this.
    Forbidden(String),
    /// The form or body was wrong; one message per field.
    Invalid(FieldErrors),
    /// Well formed, but breaks a rule given the current state.
    Conflict(String),
    /// Unreadable request: bad JSON, wrong content type and so on.
    BadRequest(String),
    PayloadTooLarge,
    /// The address exists, but not for this kind of request.
    MethodNotAllowed,
    /// Too many attempts; try again after this many seconds.
    TooManyRequests(i64),
    /// The form's security token was missing or stale.
    Csrf,
    /// Our fault. The detail is logged, never shown.
    Internal(String),
}

impl AppError {
    /// The same error with a field's errors under another name: the name
    /// the caller sent it as (a form's `based_on` is the API's `version`).
    pub fn renamed(self, from: &str, to: &str) -> AppError {
        match self {
            AppError::Invalid(mut errors) => {
                for e in &mut errors.0 {
                    if e.field == from {
                        e.field = to.to_string();
                    }
                }
                AppError::Invalid(errors)
            }
            other => other,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            AppError::NotFound => "Page not found",
            AppError::Unauthenticated => "Sign in to continue",
            AppError::Forbidden(_) => "You cannot do that",
            AppError::Invalid(_) => "There is a problem with what was sent",
            AppError::Conflict(_) => "That cannot be done right now",
            AppError::BadRequest(_) => "The request could not be read",
            AppError::PayloadTooLarge => "What was sent is too large",
            AppError::MethodNotAllowed => "This page cannot be used that way",
            AppError::TooManyRequests(_) => "Too many attempts",
            AppError::Csrf => "This form has expired",
            AppError::Internal(_) => "Sorry, something went wrong on our side",
        }
    }

    /// A plain sentence saying what happened and what to do next.
    pub fn detail(&self) -> String {
        match self {
            AppError::NotFound => "There is nothing here, or it is not shared with your organisations. Check the address, or go back to your home page.".into(),
            AppError::Unauthenticated => "Sign in, or send a valid access token, and try again.".into(),
            AppError::Forbidden(m) | AppError::Conflict(m) | AppError::BadRequest(m) => m.clone(),
            AppError::Invalid(errors) => {
                if errors.is_empty() {
                    "Check what you entered and try again.".into()
                } else {
                    errors.to_string()
                }
            }
            AppError::PayloadTooLarge => "Send less than 64 KB at a time.".into(),
            AppError::MethodNotAllowed => "This address only works from a button or form on the site. Go back to the page you came from.".into(),
            AppError::TooManyRequests(secs) => format!(
                "There have been too many attempts. Wait {} minutes and try again, or reset your password.",
                (secs + 59) / 60
            ),
            AppError::Csrf => "For your security, forms stop working after a while or when you sign in or out. Go back, reload the page and send it again.".into(),
            AppError::Internal(_) => "Nothing you did caused this. Try again in a moment. If it keeps happening, tell whoever runs this site.".into(),
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(FieldErrors::single(field, message))
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        AppError::Invalid(e)
    }
}

impl From<RuleError> for AppError {
    fn from(e: RuleError) -> Self {
        AppError::Conflict(e.0)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let mut response = self.status().into_response();
        if let AppError::TooManyRequests(secs) = &self
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response.extensions_mut().insert(self);
        response
    }
}

/// The JSON body of an API error.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the status and title say what happened.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// One message per field that needs fixing, keyed by field name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<std::collections::BTreeMap<String, String>>,
}

impl Problem {
    pub fn from_error(e: &AppError) -> Self {
        let errors = match e {
            AppError::Invalid(fields) if !fields.is_empty() => Some(
                fields
                    .0
                    .iter()
                    .map(|f| (f.field.clone(), f.message.clone()))
                    .collect(),
            ),
            _ => None,
        };
        Problem {
            kind: "about:blank".into(),
            title: e.title().into(),
            status: e.status().as_u16(),
            detail: e.detail(),
            errors,
        }
    }
}

/// Renders an error carried by a response as a JSON problem.
pub fn problem_response(e: &AppError, mut response: Response) -> Response {
    let body = serde_json::to_vec(&Problem::from_error(e)).unwrap_or_default();
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let mut out = (status, body).into_response();
    for (k, v) in headers.iter() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    out
}
