//! Organisations, their members and invitations to join them.

use crate::db::{Tx, q};
use crate::{StoreError, hash_token, join_list, split_list};
use commonground_domain::organisations::{MEMBER_INVITATION_DAYS, OrgKind, OrgRole, Profile};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    pub charity_number: Option<String>,
    pub company_number: Option<String>,
    pub org_identifier: Option<String>,
    pub mission: String,
    pub activities: String,
    pub areas_served: Vec<String>,
    pub causes: Vec<String>,
    pub website: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

struct OrgRow {
    id: i64,
    name: String,
    kind: String,
    charity_number: Option<String>,
    company_number: Option<String>,
    org_identifier: Option<String>,
    mission: String,
    activities: String,
    areas_served: String,
    causes: String,
    website: Option<String>,
    created_at: i64,
    updated_at: i64,
}
crate::db::from_row!(OrgRow {
    id,
    name,
    kind,
    charity_number,
    company_number,
    org_identifier,
    mission,
    activities,
    areas_served,
    causes,
    website,
    created_at,
    updated_at
});

impl From<OrgRow> for Organisation {
    fn from(r: OrgRow) -> Self {
        Organisation {
            id: r.id,
            name: r.name,
            kind: OrgKind::parse_code(&r.kind).unwrap_or(OrgKind::Other),
            charity_number: r.charity_number,
            company_number: r.company_number,
            org_identifier: r.org_identifier,
            mission: r.mission,
            activities: r.activities,
            areas_served: split_list(&r.areas_served),
            causes: split_list(&r.causes),
            website: r.website,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const ORG_COLUMNS: &str = "id, name, kind, charity_number, company_number, org_identifier, mission, \
    activities, areas_served, causes, website, created_at, updated_at";

/// A short reference to an organisation, for lists and pickers.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OrgRef {
    pub id: i64,
    pub name: String,
    pub org_identifier: Option<String>,
}
crate::db::from_row!(OrgRef {
    id,
    name,
    org_identifier
});

/// One of a person's organisations and their role in it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MyOrganisation {
    pub id: i64,
    pub name: String,
    pub role: OrgRole,
}

/// Proof that the acting person belongs to an organisation, and in what
/// role. Only [`Tx::org_scope`] makes one.
#[derive(Debug, Clone)]
pub struct OrgScope {
    organisation_id: i64,
    role: OrgRole,
}

impl OrgScope {
    pub fn organisation_id(&self) -> i64 {
        self.organisation_id
    }
    pub fn role(&self) -> OrgRole {
        self.role
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Member {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: OrgRole,
    pub joined_at: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct MemberInvitation {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub email: String,
    pub role: OrgRole,
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

struct MemberInvitationRow {
    id: i64,
    organisation_id: i64,
    organisation_name: String,
    email: String,
    role: String,
    created_at: i64,
    expires_at: i64,
    accepted_at: Option<i64>,
    revoked_at: Option<i64>,
}
crate::db::from_row!(MemberInvitationRow {
    id,
    organisation_id,
    organisation_name,
    email,
    role,
    created_at,
    expires_at,
    accepted_at,
    revoked_at
});

impl From<MemberInvitationRow> for MemberInvitation {
    fn from(r: MemberInvitationRow) -> Self {
        MemberInvitation {
            id: r.id,
            organisation_id: r.organisation_id,
            organisation_name: r.organisation_name,
            email: r.email,
            role: OrgRole::parse_code(&r.role).unwrap_or(OrgRole::Member),
            created_at: r.created_at,
            expires_at: r.expires_at,
            accepted_at: r.accepted_at,
            revoked_at: r.revoked_at,
        }
    }
}

const INVITATION_SELECT: &str = "SELECT i.id, i.organisation_id, o.name AS organisation_name, i.email, i.role, \
    i.created_at, i.expires_at, i.accepted_at, i.revoked_at \
    FROM member_invitations i JOIN organisations o ON o.id = i.organisation_id";

/// Why an invitation link could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationProblem {
    NotFound,
    Expired,
    AlreadyUsed,
    Revoked,
    WrongPerson,
}

impl Tx {
    /// Creates an organisation with its creator as its first admin.
    pub async fn create_organisation(
        &mut self,
        profile: &Profile,
        creator: i64,
        now: i64,
    ) -> Result<Organisation, StoreError> {
        let row: OrgRow = self
            .one(
                q(format!(
                    "INSERT INTO organisations (name, name_lower, kind, charity_number, company_number, org_identifier, \
                     mission, activities, areas_served, causes, website, created_by, created_at, updated_at) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {ORG_COLUMNS}"
                ))
                .bind(&profile.name)
                .bind(profile.name.to_lowercase())
                .bind(profile.kind.code())
                .bind(profile.charity_number.clone())
                .bind(profile.company_number.clone())
                .bind(profile.org_identifier.clone())
                .bind(&profile.mission)
                .bind(&profile.activities)
                .bind(join_list(&profile.areas_served))
                .bind(join_list(&profile.causes))
                .bind(profile.website.clone())
                .bind(creator)
                .bind(now)
                .bind(now),
            )
            .await?;
        self.add_member(row.id, creator, OrgRole::Admin, now)
            .await?;
        Ok(row.into())
    }

    /// Serialises changes to one organisation's members: on PostgreSQL the
    /// row stays locked until the transaction ends, so two servers cannot
    /// both remove "the other" last admin. (SQLite writers already queue.)
    pub async fn lock_organisation(&mut self, organisation_id: i64) -> Result<(), StoreError> {
        self.exec(
            q("UPDATE organisations SET updated_at = updated_at WHERE id = ?")
                .bind(organisation_id),
        )
        .await?;
        Ok(())
    }

    /// Admins of an organisation, for notifications.
    pub async fn admin_emails(&mut self, organisation_id: i64) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = self
            .all(
                q(
                    "SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id \
                   WHERE m.organisation_id = ? AND m.role = 'admin' ORDER BY u.id LIMIT 50",
                )
                .bind(organisation_id),
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    pub async fn update_organisation(
        &mut self,
        scope: &OrgScope,
        profile: &Profile,
        now: i64,
    ) -> Result<Organisation, StoreError> {
        let row: OrgRow = self
            .one(
                q(format!(
                    "UPDATE organisations SET name = ?, name_lower = ?, kind = ?, charity_number = ?, company_number = ?, \
                     org_identifier = ?, mission = ?, activities = ?, areas_served = ?, causes = ?, website = ?, updated_at = ? \
                     WHERE id = ? RETURNING {ORG_COLUMNS}"
                ))
                .bind(&profile.name)
                .bind(profile.name.to_lowercase())
                .bind(profile.kind.code())
                .bind(profile.charity_number.clone())
                .bind(profile.company_number.clone())
                .bind(profile.org_identifier.clone())
                .bind(&profile.mission)
                .bind(&profile.activities)
                .bind(join_list(&profile.areas_served))
                .bind(join_list(&profile.causes))
                .bind(profile.website.clone())
                .bind(now)
                .bind(scope.organisation_id),
            )
            .await?;
        Ok(row.into())
    }

    /// An organisation's public profile. Profiles are a directory that any
    /// signed-in person may read; members and activity are not.
    pub async fn organisation(&mut self, id: i64) -> Result<Option<Organisation>, StoreError> {
        let row: Option<OrgRow> = self
            .opt(
                q(format!(
                    "SELECT {ORG_COLUMNS} FROM organisations WHERE id = ?"
                ))
                .bind(id),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    pub async fn organisation_ref(&mut self, id: i64) -> Result<Option<OrgRef>, StoreError> {
        self.opt(q("SELECT id, name, org_identifier FROM organisations WHERE id = ?").bind(id))
            .await
    }

    /// Organisations whose name starts with `text` (ignoring case), or
    /// whose org-id is `text`. A range scan on the name index, so it stays
    /// fast on the whole register. (Full-text search comes with the partner
    /// directory.)
    pub async fn find_organisations(
        &mut self,
        text: &str,
        limit: i64,
    ) -> Result<Vec<OrgRef>, StoreError> {
        let text = text.trim().to_lowercase();
        // No name or org-id holds a NUL, and PostgreSQL refuses text with one.
        if text.is_empty() || text.contains('\0') {
            return Ok(Vec::new());
        }
        let mut found: Vec<OrgRef> = self
            .all(
                q("SELECT id, name, org_identifier FROM organisations WHERE org_identifier = ?")
                    .bind(text.to_uppercase()),
            )
            .await?;
        let by_name: Vec<OrgRef> = self
            .all(
                q("SELECT id, name, org_identifier FROM organisations \
                   WHERE name_lower >= ? AND name_lower < ? \
                   ORDER BY name_lower, id LIMIT ?")
                .bind(text.clone())
                .bind(format!("{text}\u{10FFFF}"))
                .bind(limit.clamp(1, 100)),
            )
            .await?;
        for o in by_name {
            if !found.iter().any(|f| f.id == o.id) {
                found.push(o);
            }
        }
        found.truncate(limit.clamp(1, 100) as usize);
        Ok(found)
    }

    pub async fn count_organisations(&mut self) -> Result<i64, StoreError> {
        self.int(q("SELECT COUNT(*) FROM organisations")).await
    }

    // --- membership -------------------------------------------------------

    pub async fn add_member(
        &mut self,
        organisation_id: i64,
        user_id: i64,
        role: OrgRole,
        now: i64,
    ) -> Result<(), StoreError> {
        self.exec(
            q("INSERT INTO memberships (organisation_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)")
                .bind(organisation_id)
                .bind(user_id)
                .bind(role.code())
                .bind(now),
        )
        .await?;
        Ok(())
    }

    /// The person's role in an organisation, as proof for later calls.
    /// None when they are not a member.
    pub async fn org_scope(
        &mut self,
        user_id: i64,
        organisation_id: i64,
    ) -> Result<Option<OrgScope>, StoreError> {
        let row: Option<(String,)> = self
            .opt(
                q("SELECT role FROM memberships WHERE user_id = ? AND organisation_id = ?")
                    .bind(user_id)
                    .bind(organisation_id),
            )
            .await?;
        Ok(row.and_then(|(role,)| {
            OrgRole::parse_code(&role).map(|role| OrgScope {
                organisation_id,
                role,
            })
        }))
    }

    /// Every organisation the person belongs to, by name.
    pub async fn organisations_of(
        &mut self,
        user_id: i64,
    ) -> Result<Vec<MyOrganisation>, StoreError> {
        let rows: Vec<(i64, String, String)> = self
            .all(
                q("SELECT o.id, o.name, m.role FROM memberships m JOIN organisations o ON o.id = m.organisation_id \
                   WHERE m.user_id = ? ORDER BY o.name_lower, o.id")
                .bind(user_id),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, role)| MyOrganisation {
                id,
                name,
                role: OrgRole::parse_code(&role).unwrap_or(OrgRole::Member),
            })
            .collect())
    }

    pub async fn members(&mut self, scope: &OrgScope) -> Result<Vec<Member>, StoreError> {
        let rows: Vec<(i64, String, String, String, i64)> = self
            .all(
                q("SELECT u.id, u.name, u.email, m.role, m.joined_at FROM memberships m JOIN users u ON u.id = m.user_id \
                   WHERE m.organisation_id = ? ORDER BY lower(u.name), u.id LIMIT 1000")
                .bind(scope.organisation_id),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(user_id, name, email, role, joined_at)| Member {
                user_id,
                name,
                email,
                role: OrgRole::parse_code(&role).unwrap_or(OrgRole::Member),
                joined_at,
            })
            .collect())
    }

    pub async fn member(
        &mut self,
        scope: &OrgScope,
        user_id: i64,
    ) -> Result<Option<Member>, StoreError> {
        self.members_one(scope.organisation_id, user_id).await
    }

    async fn members_one(
        &mut self,
        organisation_id: i64,
        user_id: i64,
    ) -> Result<Option<Member>, StoreError> {
        let row: Option<(i64, String, String, String, i64)> = self
            .opt(
                q("SELECT u.id, u.name, u.email, m.role, m.joined_at FROM memberships m JOIN users u ON u.id = m.user_id \
                   WHERE m.organisation_id = ? AND m.user_id = ?")
                .bind(organisation_id)
                .bind(user_id),
            )
            .await?;
        Ok(row.map(|(user_id, name, email, role, joined_at)| Member {
            user_id,
            name,
            email,
            role: OrgRole::parse_code(&role).unwrap_or(OrgRole::Member),
            joined_at,
        }))
    }

    pub async fn count_admins(&mut self, organisation_id: i64) -> Result<i64, StoreError> {
        self.int(
            q("SELECT COUNT(*) FROM memberships WHERE organisation_id = ? AND role = 'admin'")
                .bind(organisation_id),
        )
        .await
    }

    pub async fn set_member_role(
        &mut self,
        scope: &OrgScope,
        user_id: i64,
        role: OrgRole,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("UPDATE memberships SET role = ? WHERE organisation_id = ? AND user_id = ?")
                    .bind(role.code())
                    .bind(scope.organisation_id)
                    .bind(user_id),
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn remove_member(
        &mut self,
        scope: &OrgScope,
        user_id: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("DELETE FROM memberships WHERE organisation_id = ? AND user_id = ?")
                    .bind(scope.organisation_id)
                    .bind(user_id),
            )
            .await?;
        Ok(n == 1)
    }

    // --- invitations to join an organisation ------------------------------

    /// Invites someone by email. Returns the invitation and the secret for
    /// the link; only its hash is kept.
    pub async fn create_member_invitation(
        &mut self,
        scope: &OrgScope,
        email: &str,
        role: OrgRole,
        invited_by: i64,
        now: i64,
    ) -> Result<(MemberInvitation, String), StoreError> {
        let token = crate::random_token();
        let (id,): (i64,) = self
            .one(
                q("INSERT INTO member_invitations (organisation_id, email, role, token_hash, invited_by, created_at, expires_at) \
                   VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")
                .bind(scope.organisation_id)
                .bind(email)
                .bind(role.code())
                .bind(hash_token(&token))
                .bind(invited_by)
                .bind(now)
                .bind(now + MEMBER_INVITATION_DAYS * 24 * 3600),
            )
            .await?;
        let row: MemberInvitationRow = self
            .one(q(format!("{INVITATION_SELECT} WHERE i.id = ?")).bind(id))
            .await?;
        Ok((row.into(), token))
    }

    /// Invitations that are still open, newest first.
    pub async fn open_member_invitations(
        &mut self,
        scope: &OrgScope,
        now: i64,
    ) -> Result<Vec<MemberInvitation>, StoreError> {
        let rows: Vec<MemberInvitationRow> = self
            .all(
                q(format!(
                    "{INVITATION_SELECT} WHERE i.organisation_id = ? AND i.accepted_at IS NULL AND i.revoked_at IS NULL \
                     AND i.expires_at > ? ORDER BY i.id DESC LIMIT 200"
                ))
                .bind(scope.organisation_id)
                .bind(now),
            )
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    pub async fn revoke_member_invitation(
        &mut self,
        scope: &OrgScope,
        invitation_id: i64,
        now: i64,
    ) -> Result<Option<MemberInvitation>, StoreError> {
        let n = self
            .exec(
                q("UPDATE member_invitations SET revoked_at = ? \
                   WHERE id = ? AND organisation_id = ? AND accepted_at IS NULL AND revoked_at IS NULL")
                .bind(now)
                .bind(invitation_id)
                .bind(scope.organisation_id),
            )
            .await?;
        if n == 0 {
            return Ok(None);
        }
        let row: MemberInvitationRow = self
            .one(q(format!("{INVITATION_SELECT} WHERE i.id = ?")).bind(invitation_id))
            .await?;
        Ok(Some(row.into()))
    }

    /// Looks at an invitation link without using it.
    pub async fn member_invitation_by_token(
        &mut self,
        token: &str,
    ) -> Result<Option<MemberInvitation>, StoreError> {
        let row: Option<MemberInvitationRow> = self
            .opt(q(format!("{INVITATION_SELECT} WHERE i.token_hash = ?")).bind(hash_token(token)))
            .await?;
        Ok(row.map(Into::into))
    }

    /// Uses an invitation link: the person joins with the invited role.
    /// The link must be live and sent to this person's email address.
    pub async fn accept_member_invitation(
        &mut self,
        token: &str,
        user_id: i64,
        user_email: &str,
        now: i64,
    ) -> Result<Result<MemberInvitation, InvitationProblem>, StoreError> {
        let Some(inv) = self.member_invitation_by_token(token).await? else {
            return Ok(Err(InvitationProblem::NotFound));
        };
        if let Err(problem) = member_invitation_usable(&inv, user_email, now) {
            return Ok(Err(problem));
        }
        let n = self
            .exec(
                q(
                    "UPDATE member_invitations SET accepted_at = ?, accepted_by = ? \
                   WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL",
                )
                .bind(now)
                .bind(user_id)
                .bind(inv.id),
            )
            .await?;
        if n != 1 {
            return Ok(Err(InvitationProblem::AlreadyUsed));
        }
        if self
            .members_one(inv.organisation_id, user_id)
            .await?
            .is_none()
        {
            self.add_member(inv.organisation_id, user_id, inv.role, now)
                .await?;
        }
        Ok(Ok(inv))
    }
}

/// Whether the person with `email` can use an invitation now: it is
/// live, and it was sent to them.
pub fn member_invitation_usable(
    inv: &MemberInvitation,
    email: &str,
    now: i64,
) -> Result<(), InvitationProblem> {
    if inv.revoked_at.is_some() {
        Err(InvitationProblem::Revoked)
    } else if inv.accepted_at.is_some() {
        Err(InvitationProblem::AlreadyUsed)
    } else if inv.expires_at <= now {
        Err(InvitationProblem::Expired)
    } else if !inv.email.eq_ignore_ascii_case(email) {
        Err(InvitationProblem::WrongPerson)
    } else {
        Ok(())
    }
}
