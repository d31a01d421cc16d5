//! The responsibilities matrix: everyone taking part sees it; all but
//! observers save it, add functions and remove the ones partners added.
//! A save carries the version it was based on and is refused, with the
//! matrix as it is now, when someone else saved first.

use super::collaborations::collab_scope_for;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::FieldErrors;
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_domain::responsibilities::{Raci, custom_key, parse_function_name};
use commonground_store::collaborations::Collaboration;
use commonground_store::responsibilities::{Matrix, MatrixFunction, MatrixSave};

#[derive(Debug, Clone)]
pub struct MatrixView {
    pub collaboration: Collaboration,
    pub matrix: Matrix,
    pub can_contribute: bool,
}

pub async fn matrix(state: &AppState, actor: &Actor, id: i64) -> Result<MatrixView, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, _) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::View).await?;
    Ok(MatrixView {
        collaboration,
        matrix: tx.responsibility_matrix(&scope).await?,
        can_contribute: may_collab(
            scope.participations(),
            CollabAction::Contribute,
            actor.acting_organisation_id,
        )
        .is_some(),
    })
}

/// One submitted cell; an empty role is a blank cell.
#[derive(Debug, Clone)]
pub struct CellInput {
    pub function_key: String,
    pub organisation_id: i64,
    pub role: String,
}

/// The name of a cell's field in the form, and of its error.
pub fn cell_field(key: &str, organisation_id: i64) -> String {
    format!("cell-{key}-{organisation_id}")
}

#[derive(Debug, Clone)]
pub enum MatrixUpdate {
    Saved(Matrix),
    /// Someone else saved first: nothing was changed; here it is now.
    Stale(Matrix),
}

pub const VERSION_MISSING: &str =
    "Send the version of the matrix you are changing, from when you last read it.";

pub fn stale_message(current: &Matrix) -> String {
    format!(
        "Someone else saved the matrix while you were editing it{} (it is now at version {}). \
         Nothing you sent was saved. Check their changes, then save yours again.",
        current
            .updated_by_name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default(),
        current.version
    )
}

/// Checks every cell against the matrix's functions and organisations.
fn check_cells(
    matrix: &Matrix,
    cells: &[CellInput],
) -> Result<Vec<(String, i64, Raci)>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut out: Vec<(String, i64, Raci)> = Vec::new();
    let mut seen: Vec<(&str, i64)> = Vec::new();
    for c in cells {
        let field = cell_field(&c.function_key, c.organisation_id);
        let function = matrix.functions.iter().find(|f| f.key == c.function_key);
        let org = matrix
            .organisations
            .iter()
            .any(|o| o.organisation_id == c.organisation_id);
        if function.is_none() {
            errors.add(
                field,
                format!(
                    "There is no function \u{201c}{}\u{201d} in this matrix.",
                    c.function_key
                ),
            );
            continue;
        }
        if !org {
            errors.add(
                field,
                "Choose an organisation taking part (observers are not in the matrix).",
            );
            continue;
        }
        if seen.contains(&(c.function_key.as_str(), c.organisation_id)) {
            errors.add(field, "Each cell may be given only once.");
            continue;
        }
        seen.push((c.function_key.as_str(), c.organisation_id));
        match Raci::parse_cell(&c.role) {
            Some(Some(role)) => out.push((c.function_key.clone(), c.organisation_id, role)),
            Some(None) => {}
            None => errors.add(
                field,
                "Choose responsible, accountable, consulted, informed, or leave it blank.",
            ),
        }
    }
    errors.into_result()?;
    Ok(out)
}

/// Replaces the whole matrix with `cells` (cells not given are blank), if
/// it is still at `base_version`.
pub async fn save_matrix(
    state: &AppState,
    actor: &Actor,
    id: i64,
    base_version: Option<i64>,
    cells: &[CellInput],
) -> Result<MatrixUpdate, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let current = tx.responsibility_matrix(&scope).await?;
    let Some(base_version) = base_version else {
        let mut errors = check_cells(&current, cells).err().unwrap_or_default();
        errors.add("version", VERSION_MISSING);
        return Err(AppError::Invalid(errors));
    };
    if base_version != current.version {
        return Ok(MatrixUpdate::Stale(current));
    }
    let checked = check_cells(&current, cells)?;
    let saved = match tx
        .save_responsibility_matrix(&scope, base_version, &checked, actor.user.id, now)
        .await?
    {
        MatrixSave::Saved(m) => *m,
        MatrixSave::Stale(m) => return Ok(MatrixUpdate::Stale(*m)),
    };
    let summary = if saved.agreed() {
        "Saved the responsibilities matrix. Every function has one accountable organisation."
            .to_string()
    } else {
        let open = saved.reviews().iter().filter(|r| !r.agreed()).count();
        format!(
            "Saved the responsibilities matrix. {open} functions still need exactly one accountable organisation."
        )
    };
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "responsibilities.saved",
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(MatrixUpdate::Saved(saved))
}

pub async fn add_function(
    state: &AppState,
    actor: &Actor,
    id: i64,
    name: &str,
) -> Result<MatrixFunction, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let current = tx.responsibility_matrix(&scope).await?;
    let names: Vec<&str> = current.functions.iter().map(|f| f.name.as_str()).collect();
    let name = parse_function_name(name, &names)?;
    let function = tx
        .add_responsibility_function(&scope, &name, actor.user.id, now)
        .await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "responsibilities.function_added",
        format!(
            "Added \u{201c}{}\u{201d} to the responsibilities matrix.",
            function.name
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(function)
}

/// A function the partners added, for the question before removing it.
pub async fn function_for_removal(
    state: &AppState,
    actor: &Actor,
    id: i64,
    function_id: i64,
) -> Result<(Collaboration, MatrixFunction), AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, _) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let matrix = tx.responsibility_matrix(&scope).await?;
    let key = custom_key(function_id);
    let function = matrix
        .functions
        .into_iter()
        .find(|f| f.key == key)
        .ok_or(AppError::NotFound)?;
    Ok((collaboration, function))
}

pub async fn remove_function(
    state: &AppState,
    actor: &Actor,
    id: i64,
    function_id: i64,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let matrix = tx.responsibility_matrix(&scope).await?;
    let key = custom_key(function_id);
    let function = matrix
        .functions
        .into_iter()
        .find(|f| f.key == key)
        .ok_or(AppError::NotFound)?;
    if !tx
        .remove_responsibility_function(&scope, function_id, actor.user.id, now)
        .await?
    {
        return Err(AppError::NotFound);
    }
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "responsibilities.function_removed",
        format!(
            "Removed \u{201c}{}\u{201d} from the responsibilities matrix.",
            function.name
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
