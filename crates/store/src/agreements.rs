//! Agreements between the partners: sections edited one at a time, every
//! version kept as the sections it changed (one revision row per save, so
//! saves cost the same at version 5 or 500), approvals of versions, and
//! comments on sections.
//!
//! An agreement is reached by its own id, but only through its
//! collaboration: [`Tx::agreement_scope`] proves the person takes part in
//! the collaboration that holds it.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use commonground_domain::agreements::AgreementKind;
use commonground_domain::approval::{Approval, ApprovalState, approval_state};

/// The SHA-256 of an agreement's content: each section's key and text, in
/// order, each followed by a zero byte. In hex.
pub fn content_hash<'a>(sections: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for (key, text) in sections {
        h.update(key.as_bytes());
        h.update([0u8]);
        h.update(text.as_bytes());
        h.update([0u8]);
    }
    crate::to_hex(&h.finalize())
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct AgreementSummary {
    pub id: i64,
    pub collaboration_id: i64,
    pub kind: AgreementKind,
    pub version: i64,
    pub content_hash: String,
    pub created_at: i64,
    pub updated_at: i64,
}
struct SummaryRow {
    id: i64,
    collaboration_id: i64,
    kind: String,
    version: i64,
    content_hash: String,
    created_at: i64,
    updated_at: i64,
}
crate::db::from_row!(SummaryRow {
    id,
    collaboration_id,
    kind,
    version,
    content_hash,
    created_at,
    updated_at
});
impl From<SummaryRow> for AgreementSummary {
    fn from(r: SummaryRow) -> Self {
        AgreementSummary {
            id: r.id,
            collaboration_id: r.collaboration_id,
            kind: AgreementKind::parse_code(&r.kind)
                .unwrap_or(AgreementKind::CollaborationAgreement),
            version: r.version,
            content_hash: r.content_hash,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A section as it is now.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Section {
    pub key: String,
    pub title: String,
    pub text: String,
    /// The version in which it last changed.
    pub version: i64,
}

/// A section's text at some version.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SectionText {
    pub key: String,
    pub title: String,
    pub text: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct VersionInfo {
    pub version: i64,
    /// The section changed; None for the first version.
    pub section_key: Option<String>,
    pub content_hash: String,
    pub saved_by_name: String,
    pub saved_at: i64,
}
crate::db::from_row!(VersionInfo {
    version,
    section_key,
    content_hash,
    saved_by_name,
    saved_at
});

#[derive(Debug, Clone, serde::Serialize)]
pub struct AgreementApproval {
    pub id: i64,
    pub agreement_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub version: i64,
    pub content_hash: String,
    pub parties_epoch: i64,
    pub approved_by_name: String,
    pub approved_at: i64,
}
crate::db::from_row!(AgreementApproval {
    id,
    agreement_id,
    organisation_id,
    organisation_name,
    version,
    content_hash,
    parties_epoch,
    approved_by_name,
    approved_at
});

#[derive(Debug, Clone, serde::Serialize)]
pub struct Comment {
    pub id: i64,
    pub section_key: String,
    pub version: i64,
    pub body: String,
    pub organisation_name: String,
    pub written_by_name: String,
    pub written_at: i64,
}
crate::db::from_row!(Comment {
    id,
    section_key,
    version,
    body,
    organisation_name,
    written_by_name,
    written_at
});

/// An agreement with its sections and where approval stands.
#[derive(Debug, Clone)]
pub struct Agreement {
    pub summary: AgreementSummary,
    /// In order.
    pub sections: Vec<Section>,
    /// Every approval ever given, newest first.
    pub approvals: Vec<AgreementApproval>,
    pub parties_epoch: i64,
    /// The lead and partner organisations, by id, with names.
    pub parties: Vec<(i64, String)>,
    pub state: ApprovalState,
}

impl Agreement {
    /// The approvals that count now, one per party.
    pub fn current_approvals(&self) -> Vec<&AgreementApproval> {
        let mut out: Vec<&AgreementApproval> = Vec::new();
        for a in &self.approvals {
            if a.version == self.summary.version
                && a.parties_epoch == self.parties_epoch
                && self.state.approved.contains(&a.organisation_id)
                && !out.iter().any(|o| o.organisation_id == a.organisation_id)
            {
                out.push(a);
            }
        }
        out
    }
}

/// What happened to a save.
#[derive(Debug)]
pub enum SectionSave {
    /// A new version.
    Saved {
        version: i64,
        content_hash: String,
    },
    /// The text is what it was already: no new version.
    Unchanged {
        version: i64,
    },
    /// The section changed after `base_version`: it is shown as it is now,
    /// with who changed it last.
    Stale {
        current: Section,
        agreement_version: i64,
        saved_by_name: String,
        saved_at: i64,
    },
    /// `base_version` is later than the agreement's version.
    FutureBase {
        agreement_version: i64,
    },
    NotFound,
}

/// Who does something, and when.
#[derive(Debug, Clone, Copy)]
pub struct By<'a> {
    pub user_id: i64,
    pub name: &'a str,
    pub at: i64,
}

pub(crate) const SUMMARY: &str = "SELECT id, collaboration_id, kind, version, content_hash, created_at, updated_at FROM agreements";

pub(crate) const APPROVALS: &str = "SELECT id, agreement_id, organisation_id, organisation_name, version, content_hash, \
    parties_epoch, approved_by_name, approved_at FROM agreement_approvals";

pub(crate) fn records(approvals: &[AgreementApproval]) -> Vec<Approval> {
    approvals
        .iter()
        .map(|a| Approval {
            organisation_id: a.organisation_id,
            version: a.version,
            parties_epoch: a.parties_epoch,
        })
        .collect()
}

impl Tx {
    /// The person's proof of access to the collaboration that holds this
    /// agreement. None when the agreement does not exist or its
    /// collaboration is not theirs: the two look the same.
    pub async fn agreement_scope(
        &mut self,
        user_id: i64,
        agreement_id: i64,
    ) -> Result<Option<CollabScope>, StoreError> {
        let cid: Option<(i64,)> = self
            .opt(q("SELECT collaboration_id FROM agreements WHERE id = ?").bind(agreement_id))
            .await?;
        match cid {
            Some((cid,)) => self.collab_scope(user_id, cid).await,
            None => Ok(None),
        }
    }

    /// The collaboration's agreements, newest first.
    pub async fn agreements(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<AgreementSummary>, StoreError> {
        let rows: Vec<SummaryRow> = self
            .all(
                q(format!(
                    "{SUMMARY} WHERE collaboration_id = ? ORDER BY id DESC"
                ))
                .bind(scope.collaboration_id()),
            )
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Whether some agreement of the collaboration is agreed by every
    /// current party. For the Plan stage's checklist.
    pub async fn some_agreement_agreed(&mut self, scope: &CollabScope) -> Result<bool, StoreError> {
        let list = self.agreements(scope).await?;
        self.some_agreed_among(scope, &list).await
    }

    /// Whether one of these agreements (the collaboration's, as
    /// [`Tx::agreements`] lists them) is agreed by every current party,
    /// for a caller that has the list already.
    pub async fn some_agreed_among(
        &mut self,
        scope: &CollabScope,
        list: &[AgreementSummary],
    ) -> Result<bool, StoreError> {
        if list.is_empty() {
            return Ok(false);
        }
        let approvals: Vec<AgreementApproval> = self
            .all(
                q(format!(
                    "{APPROVALS} WHERE agreement_id IN (SELECT id FROM agreements WHERE collaboration_id = ?)"
                ))
                .bind(scope.collaboration_id()),
            )
            .await?;
        let (epoch, parties) = self.parties(scope).await?;
        let ids: Vec<i64> = parties.iter().map(|p| p.0).collect();
        Ok(list.iter().any(|a| {
            let mine: Vec<AgreementApproval> = approvals
                .iter()
                .filter(|x| x.agreement_id == a.id)
                .cloned()
                .collect();
            approval_state(a.version, epoch, &ids, &records(&mine)).agreed
        }))
    }

    /// One agreement of this collaboration, whole; None for any other id.
    pub async fn agreement(
        &mut self,
        scope: &CollabScope,
        agreement_id: i64,
    ) -> Result<Option<Agreement>, StoreError> {
        let row: Option<SummaryRow> = self
            .opt(
                q(format!("{SUMMARY} WHERE collaboration_id = ? AND id = ?"))
                    .bind(scope.collaboration_id())
                    .bind(agreement_id),
            )
            .await?;
        let Some(row) = row else { return Ok(None) };
        let summary = AgreementSummary::from(row);
        let sections: Vec<(String, String, String, i64)> = self
            .all(
                q(
                    "SELECT section_key, title, text, version FROM agreement_sections \
                   WHERE agreement_id = ? ORDER BY position",
                )
                .bind(agreement_id),
            )
            .await?;
        let approvals: Vec<AgreementApproval> = self
            .all(
                q(format!(
                    "{APPROVALS} WHERE agreement_id = ? ORDER BY id DESC"
                ))
                .bind(agreement_id),
            )
            .await?;
        let (parties_epoch, parties) = self.parties(scope).await?;
        let ids: Vec<i64> = parties.iter().map(|p| p.0).collect();
        let state = approval_state(summary.version, parties_epoch, &ids, &records(&approvals));
        Ok(Some(Agreement {
            summary,
            sections: sections
                .into_iter()
                .map(|(key, title, text, version)| Section {
                    key,
                    title,
                    text,
                    version,
                })
                .collect(),
            approvals,
            parties_epoch,
            parties,
            state,
        }))
    }

    /// Makes an agreement at version 1 from its starting sections.
    pub async fn create_agreement(
        &mut self,
        scope: &CollabScope,
        kind: AgreementKind,
        sections: &[(&str, &str, String)],
        by: By<'_>,
    ) -> Result<i64, StoreError> {
        let hash = content_hash(sections.iter().map(|(k, _, t)| (*k, t.as_str())));
        let (id,): (i64,) = self
            .one(
                q("INSERT INTO agreements (collaboration_id, kind, version, content_hash, created_by, created_at, updated_at) \
                   VALUES (?, ?, 1, ?, ?, ?, ?) RETURNING id")
                .bind(scope.collaboration_id())
                .bind(kind.code())
                .bind(&hash)
                .bind(by.user_id)
                .bind(by.at)
                .bind(by.at),
            )
            .await?;
        for (position, (key, title, text)) in sections.iter().enumerate() {
            self.exec(
                q("INSERT INTO agreement_sections (agreement_id, section_key, position, title, text, version) \
                   VALUES (?, ?, ?, ?, ?, 1)")
                .bind(id)
                .bind(*key)
                .bind(position as i64)
                .bind(*title)
                .bind(text),
            )
            .await?;
            self.exec(
                q("INSERT INTO agreement_revisions (agreement_id, section_key, version, text) VALUES (?, ?, 1, ?)")
                    .bind(id)
                    .bind(*key)
                    .bind(text),
            )
            .await?;
        }
        self.exec(
            q("INSERT INTO agreement_versions (agreement_id, version, section_key, content_hash, saved_by, saved_by_name, saved_at) \
               VALUES (?, 1, NULL, ?, ?, ?, ?)")
            .bind(id)
            .bind(&hash)
            .bind(by.user_id)
            .bind(by.name)
            .bind(by.at),
        )
        .await?;
        Ok(id)
    }

    /// Saves one section's text, unless it changed after `base_version`.
    /// On anything but `Saved`, the caller must not commit.
    #[allow(clippy::too_many_arguments)]
    pub async fn save_section(
        &mut self,
        scope: &CollabScope,
        agreement_id: i64,
        key: &str,
        text: &str,
        base_version: i64,
        by: By<'_>,
    ) -> Result<SectionSave, StoreError> {
        // Taking the agreement's next version first holds its row, so two
        // saves of one agreement go one after the other on either database.
        let next: Option<(i64,)> = self
            .opt(
                q(
                    "UPDATE agreements SET version = version + 1, updated_at = ? \
                   WHERE collaboration_id = ? AND id = ? RETURNING version",
                )
                .bind(by.at)
                .bind(scope.collaboration_id())
                .bind(agreement_id),
            )
            .await?;
        let Some((version,)) = next else {
            return Ok(SectionSave::NotFound);
        };
        if base_version > version - 1 {
            return Ok(SectionSave::FutureBase {
                agreement_version: version - 1,
            });
        }
        let current: Option<(String, String, i64)> = self
            .opt(
                q("SELECT title, text, version FROM agreement_sections WHERE agreement_id = ? AND section_key = ?")
                    .bind(agreement_id)
                    .bind(key),
            )
            .await?;
        let Some((title, current_text, section_version)) = current else {
            return Ok(SectionSave::NotFound);
        };
        if section_version > base_version {
            let who: Option<(String, i64)> = self
                .opt(
                    q("SELECT saved_by_name, saved_at FROM agreement_versions WHERE agreement_id = ? AND version = ?")
                        .bind(agreement_id)
                        .bind(section_version),
                )
                .await?;
            let (saved_by_name, saved_at) = who.unwrap_or_default();
            return Ok(SectionSave::Stale {
                current: Section {
                    key: key.to_string(),
                    title,
                    text: current_text,
                    version: section_version,
                },
                agreement_version: version - 1,
                saved_by_name,
                saved_at,
            });
        }
        if current_text == text {
            return Ok(SectionSave::Unchanged {
                version: version - 1,
            });
        }
        self.exec(
            q("UPDATE agreement_sections SET text = ?, version = ? WHERE agreement_id = ? AND section_key = ?")
                .bind(text)
                .bind(version)
                .bind(agreement_id)
                .bind(key),
        )
        .await?;
        self.exec(
            q("INSERT INTO agreement_revisions (agreement_id, section_key, version, text) VALUES (?, ?, ?, ?)")
                .bind(agreement_id)
                .bind(key)
                .bind(version)
                .bind(text),
        )
        .await?;
        let all: Vec<(String, String)> = self
            .all(
                q("SELECT section_key, text FROM agreement_sections WHERE agreement_id = ? ORDER BY position")
                    .bind(agreement_id),
            )
            .await?;
        let hash = content_hash(all.iter().map(|(k, t)| (k.as_str(), t.as_str())));
        self.exec(
            q("UPDATE agreements SET content_hash = ? WHERE id = ?")
                .bind(&hash)
                .bind(agreement_id),
        )
        .await?;
        self.exec(
            q("INSERT INTO agreement_versions (agreement_id, version, section_key, content_hash, saved_by, saved_by_name, saved_at) \
               VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind(agreement_id)
            .bind(version)
            .bind(key)
            .bind(&hash)
            .bind(by.user_id)
            .bind(by.name)
            .bind(by.at),
        )
        .await?;
        Ok(SectionSave::Saved {
            version,
            content_hash: hash,
        })
    }

    /// Every version, newest first.
    pub async fn agreement_versions(
        &mut self,
        scope: &CollabScope,
        agreement_id: i64,
    ) -> Result<Vec<VersionInfo>, StoreError> {
        self.all(
            q(
                "SELECT v.version, v.section_key, v.content_hash, v.saved_by_name, v.saved_at \
               FROM agreement_versions v JOIN agreements a ON a.id = v.agreement_id \
               WHERE a.collaboration_id = ? AND v.agreement_id = ? ORDER BY v.version DESC",
            )
            .bind(scope.collaboration_id())
            .bind(agreement_id),
        )
        .await
    }

    /// Every section's text as it was at `version`, in order.
    pub async fn agreement_text_at(
        &mut self,
        scope: &CollabScope,
        agreement_id: i64,
        version: i64,
    ) -> Result<Vec<SectionText>, StoreError> {
        let rows: Vec<(String, String, String)> = self
            .all(
                q("SELECT s.section_key, s.title, r.text FROM agreement_sections s \
                   JOIN agreements a ON a.id = s.agreement_id \
                   JOIN agreement_revisions r ON r.agreement_id = s.agreement_id AND r.section_key = s.section_key \
                   WHERE a.collaboration_id = ? AND s.agreement_id = ? AND r.version = \
                     (SELECT MAX(r2.version) FROM agreement_revisions r2 \
                      WHERE r2.agreement_id = s.agreement_id AND r2.section_key = s.section_key AND r2.version <= ?) \
                   ORDER BY s.position")
                .bind(scope.collaboration_id())
                .bind(agreement_id)
                .bind(version),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(key, title, text)| SectionText { key, title, text })
            .collect())
    }

    /// Records a party's approval of a version.
    #[allow(clippy::too_many_arguments)]
    pub async fn approve_agreement(
        &mut self,
        agreement_id: i64,
        organisation: (i64, &str),
        version: i64,
        content_hash: &str,
        parties_epoch: i64,
        by: By<'_>,
    ) -> Result<(), StoreError> {
        self.exec(
            q("INSERT INTO agreement_approvals (agreement_id, organisation_id, organisation_name, version, content_hash, \
               parties_epoch, approved_by, approved_by_name, approved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(agreement_id)
            .bind(organisation.0)
            .bind(organisation.1)
            .bind(version)
            .bind(content_hash)
            .bind(parties_epoch)
            .bind(by.user_id)
            .bind(by.name)
            .bind(by.at),
        )
        .await?;
        Ok(())
    }

    /// Comments on the agreement, oldest first.
    pub async fn agreement_comments(
        &mut self,
        scope: &CollabScope,
        agreement_id: i64,
    ) -> Result<Vec<Comment>, StoreError> {
        self.all(
            q("SELECT c.id, c.section_key, c.version, c.body, c.organisation_name, c.written_by_name, c.written_at \
               FROM agreement_comments c JOIN agreements a ON a.id = c.agreement_id \
               WHERE a.collaboration_id = ? AND c.agreement_id = ? ORDER BY c.id")
            .bind(scope.collaboration_id())
            .bind(agreement_id),
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn add_agreement_comment(
        &mut self,
        agreement_id: i64,
        section_key: &str,
        version: i64,
        body: &str,
        organisation_name: &str,
        by: By<'_>,
    ) -> Result<Comment, StoreError> {
        self.one(
            q("INSERT INTO agreement_comments (agreement_id, section_key, version, body, organisation_name, \
               written_by, written_by_name, written_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
               RETURNING id, section_key, version, body, organisation_name, written_by_name, written_at")
            .bind(agreement_id)
            .bind(section_key)
            .bind(version)
            .bind(body)
            .bind(organisation_name)
            .bind(by.user_id)
            .bind(by.name)
            .bind(by.at),
        )
        .await
    }
}
