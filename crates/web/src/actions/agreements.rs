//! The agreement builder: start an agreement of a kind (its sections filled
//! from what the collaboration holds), edit sections (a save based on an
//! old version of the section is refused with the newer text), comment,
//! compare versions, approve a version for one's organisation, and export.
//!
//! An agreement has its own address (`/agreements/{id}`); every action
//! still proves the person takes part in its collaboration first.

use super::collaborations::collab_scope_for;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::FieldErrors;
use commonground_domain::agreements::{
    AgreementKind, AimFact, Facts, PartyFact, parse_comment, parse_section_text, parse_version,
    section_title, starting_sections,
};
use commonground_domain::approval::is_party;
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_report::agreement::{ExportApproval, ExportDoc};
use commonground_report::diff::LineChange;
use commonground_store::Tx;
use commonground_store::agreements::{
    Agreement, AgreementSummary, By, Comment, Section, SectionSave, VersionInfo,
};
use commonground_store::collaborations::{CollabScope, Collaboration};

/// A collaboration's agreements.
#[derive(Debug, Clone)]
pub struct AgreementsView {
    pub collaboration: Collaboration,
    pub agreements: Vec<AgreementSummary>,
    pub can_contribute: bool,
}

pub async fn agreements(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<AgreementsView, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, _) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::View).await?;
    let can_contribute = may_collab(
        scope.participations(),
        CollabAction::Contribute,
        actor.acting_organisation_id,
    )
    .is_some();
    Ok(AgreementsView {
        collaboration,
        agreements: tx.agreements(&scope).await?,
        can_contribute,
    })
}

/// The governance bodies and the responsibilities of each partner, as
/// lines for the agreement's starting text.
///
/// SEAM for the Plan stage's structures (governance bodies and the
/// responsibilities matrix), built in another branch: when they are merged,
/// read them here through `tx` and `scope` and return one line per body
/// ("Steering group: one member from each partner, chaired by …, decides
/// by consensus, quorum 3, meets monthly") and one per function ("Finance:
/// Riverside Food Bank responsible and accountable; …"). Until then the
/// collaboration holds none, and the sections keep their general wording.
async fn structures_for_agreement(
    tx: &mut Tx,
    scope: &CollabScope,
) -> Result<(Vec<String>, Vec<String>), AppError> {
    use commonground_domain::responsibilities::Raci;
    let mut governance = Vec::new();
    for body in tx.governance_bodies(scope).await? {
        let mut orgs: Vec<&str> = Vec::new();
        for m in &body.members {
            if !orgs.contains(&m.organisation_name.as_str()) {
                orgs.push(&m.organisation_name);
            }
        }
        let mut line = body.name.clone();
        if !body.purpose.trim().is_empty() {
            line.push_str(&format!(": {}", body.purpose.trim().trim_end_matches('.')));
        }
        line.push_str(&format!(
            ". Members from {}.",
            if orgs.is_empty() {
                "no organisation yet".to_string()
            } else {
                orgs.join(", ")
            }
        ));
        if let Some(chair) = &body.chair {
            line.push_str(&format!(
                " Chaired by {} ({}).",
                chair.name, chair.organisation_name
            ));
        }
        line.push_str(&format!(
            " Decides by {}, with a quorum of {}. Meets: {}.",
            body.decision_rule.label().to_lowercase(),
            body.quorum,
            body.meets.label().to_lowercase()
        ));
        governance.push(line);
    }
    let matrix = tx.responsibility_matrix(scope).await?;
    let name_of = |id: i64| {
        matrix
            .organisations
            .iter()
            .find(|o| o.organisation_id == id)
            .map(|o| o.name.as_str())
            .unwrap_or("an organisation no longer taking part")
    };
    let mut responsibilities = Vec::new();
    for f in &matrix.functions {
        let mut parts = Vec::new();
        for (role, word) in [
            (Raci::Accountable, "accountable"),
            (Raci::Responsible, "responsible"),
            (Raci::Consulted, "consulted"),
            (Raci::Informed, "informed"),
        ] {
            let names: Vec<&str> = matrix
                .cells
                .iter()
                .filter(|(key, _, r)| *key == f.key && *r == role)
                .map(|(_, org, _)| name_of(*org))
                .collect();
            if !names.is_empty() {
                parts.push(format!("{} {word}", names.join(" and ")));
            }
        }
        if !parts.is_empty() {
            responsibilities.push(format!("{}: {}.", f.name, parts.join("; ")));
        }
    }
    Ok((governance, responsibilities))
}

/// What the collaboration already holds, for the starting text.
async fn facts(tx: &mut Tx, scope: &CollabScope) -> Result<Facts, AppError> {
    let c = tx.collaboration(scope).await?;
    let parties = tx
        .participants(scope)
        .await?
        .into_iter()
        .filter(|p| is_party(p.role))
        .map(|p| PartyFact {
            name: p.name,
            org_identifier: p.org_identifier,
            lead: p.role == commonground_domain::collaborations::ParticipantRole::Lead,
        })
        .collect();
    let aims = tx
        .aims(scope)
        .await?
        .into_iter()
        .map(|a| AimFact {
            title: a.title,
            indicator: a.indicator,
            baseline: a.baseline,
            target: a.target,
            target_date: a.target_date,
        })
        .collect();
    let (governance, responsibilities) = structures_for_agreement(tx, scope).await?;
    Ok(Facts {
        title: c.title,
        purpose: c.purpose,
        parties,
        aims,
        governance,
        responsibilities,
    })
}

/// Most agreements one collaboration may hold.
pub const MAX_AGREEMENTS: usize = 20;

/// Starts an agreement of `kind`, at version 1.
pub async fn create_agreement(
    state: &AppState,
    actor: &Actor,
    id: i64,
    kind: &str,
) -> Result<AgreementSummary, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let kind = AgreementKind::parse("kind", kind).map_err(|e| {
        let mut errors = FieldErrors::new();
        errors.add(e.field, e.message);
        AppError::Invalid(errors)
    })?;
    if tx.agreements(&scope).await?.len() >= MAX_AGREEMENTS {
        return Err(AppError::Conflict(format!(
            "A collaboration can hold at most {MAX_AGREEMENTS} agreements. Use one of those you have."
        )));
    }
    let facts = facts(&mut tx, &scope).await?;
    let sections = starting_sections(kind, &facts);
    let aid = tx
        .create_agreement(
            &scope,
            kind,
            &sections,
            By {
                user_id: actor.user.id,
                name: &actor.user.name,
                at: now,
            },
        )
        .await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "agreement.created",
        format!("Started {} (agreement {aid}).", with_article(kind.label())),
    )
    .await?;
    let summary = tx
        .agreements(&scope)
        .await?
        .into_iter()
        .find(|a| a.id == aid)
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(summary)
}

/// An agreement with everything its page shows.
#[derive(Debug, Clone)]
pub struct AgreementView {
    pub collaboration: Collaboration,
    pub agreement: Agreement,
    /// Oldest first.
    pub comments: Vec<Comment>,
    pub can_contribute: bool,
    /// The organisation the person would approve for, if they may.
    pub approves_for: Option<i64>,
}

impl AgreementView {
    pub fn party_name(&self, id: i64) -> &str {
        self.agreement
            .parties
            .iter()
            .find(|p| p.0 == id)
            .map(|p| p.1.as_str())
            .unwrap_or("")
    }

    pub fn section(&self, key: &str) -> Option<&Section> {
        self.agreement.sections.iter().find(|s| s.key == key)
    }
}

async fn scope_of(
    tx: &mut Tx,
    actor: &Actor,
    aid: i64,
    action: CollabAction,
) -> Result<(CollabScope, i64), AppError> {
    let scope = tx
        .agreement_scope(actor.user.id, aid)
        .await?
        .ok_or(AppError::NotFound)?;
    collab_scope_for(tx, actor, scope.collaboration_id(), action).await
}

pub async fn agreement(
    state: &AppState,
    actor: &Actor,
    aid: i64,
) -> Result<AgreementView, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = scope_of(&mut tx, actor, aid, CollabAction::View).await?;
    let may = |action| may_collab(scope.participations(), action, actor.acting_organisation_id);
    let agreement = tx.agreement(&scope, aid).await?.ok_or(AppError::NotFound)?;
    Ok(AgreementView {
        collaboration: tx.collaboration(&scope).await?,
        comments: tx.agreement_comments(&scope, aid).await?,
        agreement,
        can_contribute: may(CollabAction::Contribute).is_some(),
        approves_for: may(CollabAction::Approve),
    })
}

/// Someone else changed the section after the version the edit started
/// from. Nothing was saved.
#[derive(Debug, Clone)]
pub struct SectionConflict {
    /// The section as it is now.
    pub current: Section,
    pub agreement_version: i64,
    pub saved_by_name: String,
    pub saved_at: i64,
    /// What the person tried to save, kept for them to merge.
    pub your_text: String,
}

/// What a save did.
#[derive(Debug, Clone)]
pub enum SaveOutcome {
    Saved { version: i64, content_hash: String },
    Unchanged { version: i64 },
    Conflict(Box<SectionConflict>),
}

/// Saves one section. `base_version` is the agreement's version the person
/// started editing from: if the section changed after it, nothing is saved
/// and the other person's text comes back. Changes to other sections in
/// between do not stop the save; they are kept as they are.
pub async fn save_section(
    state: &AppState,
    actor: &Actor,
    aid: i64,
    key: &str,
    text: &str,
    base_version: &str,
) -> Result<SaveOutcome, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = scope_of(&mut tx, actor, aid, CollabAction::Contribute).await?;
    let title = section_title(key).ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let text = match parse_section_text(text) {
        Ok(t) => Some(t),
        Err(e) => {
            errors.0.extend(e.0);
            None
        }
    };
    let base = match parse_version("base_version", base_version) {
        Ok(b) => Some(b),
        Err(e) => {
            errors.0.extend(e.0);
            None
        }
    };
    let (Some(text), Some(base)) = (text, base) else {
        return Err(AppError::Invalid(errors));
    };
    let by = By {
        user_id: actor.user.id,
        name: &actor.user.name,
        at: now,
    };
    match tx.save_section(&scope, aid, key, &text, base, by).await? {
        SectionSave::Saved {
            version,
            content_hash,
        } => {
            record_in_collaboration(
                &mut tx,
                actor,
                scope.collaboration_id(),
                acting,
                now,
                "agreement.edited",
                format!(
                    "Changed \u{201c}{title}\u{201d} in agreement {aid}, making version {version}; approval is open again."
                ),
            )
            .await?;
            let told = super::notifications::approval_needed(
                &mut tx,
                actor,
                scope.collaboration_id(),
                &format!("agreement {aid}, making version {version}"),
                &format!("/agreements/{aid}"),
                &format!("approval:agreement:{aid}:{version}"),
                now,
            )
            .await?;
            tx.commit().await?;
            super::notifications::deliver(state, told).await;
            Ok(SaveOutcome::Saved {
                version,
                content_hash,
            })
        }
        SectionSave::Unchanged { version } => Ok(SaveOutcome::Unchanged { version }),
        SectionSave::Stale {
            current,
            agreement_version,
            saved_by_name,
            saved_at,
        } => Ok(SaveOutcome::Conflict(Box::new(SectionConflict {
            current,
            agreement_version,
            saved_by_name,
            saved_at,
            your_text: text,
        }))),
        SectionSave::FutureBase { agreement_version } => Err(AppError::invalid(
            "base_version",
            format!(
                "The agreement is at version {agreement_version}, so it cannot be edited from a later one. Reload it and try again."
            ),
        )),
        SectionSave::NotFound => Err(AppError::NotFound),
    }
}

/// Approves version `version` for the person's organisation. The version
/// must be the current one: approving an old text would approve words
/// that are no longer there.
pub async fn approve(
    state: &AppState,
    actor: &Actor,
    aid: i64,
    version: &str,
) -> Result<Agreement, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = scope_of(&mut tx, actor, aid, CollabAction::Approve).await?;
    let version = parse_version("version", version)?;
    let a = tx.agreement(&scope, aid).await?.ok_or(AppError::NotFound)?;
    if version != a.summary.version {
        return Err(AppError::Conflict(format!(
            "The agreement has changed: it is now at version {}. Read the changes, then approve that version.",
            a.summary.version
        )));
    }
    if a.state.approved.contains(&acting) {
        return Err(AppError::Conflict(
            "Your organisation has already approved this version.".into(),
        ));
    }
    let name = org_name(&mut tx, acting).await?;
    tx.approve_agreement(
        aid,
        (acting, &name),
        version,
        &a.summary.content_hash,
        a.parties_epoch,
        By {
            user_id: actor.user.id,
            name: &actor.user.name,
            at: now,
        },
    )
    .await?;
    let after = tx.agreement(&scope, aid).await?.ok_or(AppError::NotFound)?;
    let summary = if after.state.agreed {
        format!(
            "Approved version {version} of agreement {aid} for {name}. Every partner has approved it: it is agreed."
        )
    } else {
        format!("Approved version {version} of agreement {aid} for {name}.")
    };
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "agreement.approved",
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Adds a comment to a section, against the current version.
pub async fn add_comment(
    state: &AppState,
    actor: &Actor,
    aid: i64,
    key: &str,
    body: &str,
) -> Result<Comment, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = scope_of(&mut tx, actor, aid, CollabAction::Contribute).await?;
    let title = section_title(key).ok_or(AppError::NotFound)?;
    let body = parse_comment(body)?;
    let a = tx.agreement(&scope, aid).await?.ok_or(AppError::NotFound)?;
    let name = org_name(&mut tx, acting).await?;
    let comment = tx
        .add_agreement_comment(
            aid,
            key,
            a.summary.version,
            &body,
            &name,
            By {
                user_id: actor.user.id,
                name: &actor.user.name,
                at: now,
            },
        )
        .await?;
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "agreement.commented",
        format!("Commented on \u{201c}{title}\u{201d} in agreement {aid}."),
    )
    .await?;
    tx.commit().await?;
    Ok(comment)
}

/// The differences in one section between two versions.
#[derive(Debug, Clone)]
pub struct SectionDiff {
    pub key: String,
    pub title: String,
    pub lines: Vec<(LineChange, String)>,
}

#[derive(Debug, Clone)]
pub struct DiffView {
    pub collaboration: Collaboration,
    pub agreement: AgreementSummary,
    pub from: i64,
    pub to: i64,
    /// Newest first, to choose from.
    pub versions: Vec<VersionInfo>,
    /// Only the sections that differ.
    pub sections: Vec<SectionDiff>,
}

/// Compares two versions. Empty `from`/`to` mean the one before the
/// latest, and the latest.
pub async fn diff(
    state: &AppState,
    actor: &Actor,
    aid: i64,
    from: &str,
    to: &str,
) -> Result<DiffView, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = scope_of(&mut tx, actor, aid, CollabAction::View).await?;
    let a = tx.agreement(&scope, aid).await?.ok_or(AppError::NotFound)?;
    let latest = a.summary.version;
    let mut errors = FieldErrors::new();
    let mut read = |field: &str, raw: &str, default: i64| -> i64 {
        if raw.trim().is_empty() {
            return default;
        }
        match raw.trim().parse::<i64>() {
            Ok(v) if (1..=latest).contains(&v) => v,
            _ => {
                errors.add(field, format!("Choose a version from 1 to {latest}."));
                0
            }
        }
    };
    let to = read("to", to, latest);
    let from = read("from", from, (latest - 1).max(1));
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let old = tx.agreement_text_at(&scope, aid, from).await?;
    let new = tx.agreement_text_at(&scope, aid, to).await?;
    let sections = old
        .iter()
        .zip(new.iter())
        .filter(|(o, n)| o.text != n.text)
        .map(|(o, n)| SectionDiff {
            key: n.key.clone(),
            title: n.title.clone(),
            lines: commonground_report::diff::lines(&o.text, &n.text),
        })
        .collect();
    Ok(DiffView {
        collaboration: tx.collaboration(&scope).await?,
        versions: tx.agreement_versions(&scope, aid).await?,
        agreement: a.summary,
        from,
        to,
        sections,
    })
}

/// The agreement as it is now, ready for an export.
pub async fn export_doc(state: &AppState, actor: &Actor, aid: i64) -> Result<ExportDoc, AppError> {
    let v = agreement(state, actor, aid).await?;
    Ok(export_of(&v))
}

pub fn export_of(v: &AgreementView) -> ExportDoc {
    let a = &v.agreement;
    ExportDoc {
        title: a.summary.kind.label().to_string(),
        collaboration: v.collaboration.title.clone(),
        version: a.summary.version,
        content_hash: a.summary.content_hash.clone(),
        agreed: a.state.agreed,
        sections: a
            .sections
            .iter()
            .map(|s| (s.title.clone(), s.text.clone()))
            .collect(),
        approvals: a
            .current_approvals()
            .into_iter()
            .map(|x| ExportApproval {
                organisation: x.organisation_name.clone(),
                person: x.approved_by_name.clone(),
                at: crate::clock::format_time(x.approved_at),
                version: x.version,
                content_hash: x.content_hash.clone(),
            })
            .collect(),
        waiting: a
            .state
            .waiting
            .iter()
            .map(|w| v.party_name(*w).to_string())
            .collect(),
    }
}
