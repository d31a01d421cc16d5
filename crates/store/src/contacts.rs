//! Who is who: each partner organisation's named contacts in a
//! collaboration. Contacts of an organisation that no longer takes part
//! are not shown; a link to a member counts only while they still belong
//! to the contact's organisation.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use commonground_domain::contacts::{ContactDetails, ContactRole};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Contact {
    pub id: i64,
    pub collaboration_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub name: String,
    pub role: ContactRole,
    pub email: String,
    /// Empty when not given.
    pub phone: String,
    /// The member of the app this contact is, while they belong to the
    /// organisation.
    pub member_id: Option<i64>,
    pub member_name: Option<String>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

struct ContactRow {
    id: i64,
    collaboration_id: i64,
    organisation_id: i64,
    organisation_name: String,
    name: String,
    role: String,
    email: String,
    phone: String,
    member_id: Option<i64>,
    member_name: Option<String>,
    version: i64,
    created_at: i64,
    updated_at: i64,
}
crate::db::from_row!(ContactRow {
    id,
    collaboration_id,
    organisation_id,
    organisation_name,
    name,
    role,
    email,
    phone,
    member_id,
    member_name,
    version,
    created_at,
    updated_at
});

impl From<ContactRow> for Contact {
    fn from(r: ContactRow) -> Self {
        Contact {
            id: r.id,
            collaboration_id: r.collaboration_id,
            organisation_id: r.organisation_id,
            organisation_name: r.organisation_name,
            name: r.name,
            role: ContactRole::parse_code(&r.role).unwrap_or(ContactRole::Other),
            email: r.email,
            phone: r.phone,
            member_id: r.member_id,
            member_name: r.member_name,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const SELECT: &str = "SELECT c.id, c.collaboration_id, c.organisation_id, o.name AS organisation_name, \
    c.name, c.role, c.email, c.phone, u.id AS member_id, u.name AS member_name, c.version, \
    c.created_at, c.updated_at FROM partner_contacts c \
    JOIN organisations o ON o.id = c.organisation_id \
    JOIN participants p ON p.collaboration_id = c.collaboration_id AND p.organisation_id = c.organisation_id \
    LEFT JOIN memberships ms ON ms.organisation_id = c.organisation_id AND ms.user_id = c.user_id \
    LEFT JOIN users u ON u.id = ms.user_id \
    WHERE c.collaboration_id = ?";

/// What became of a change.
#[derive(Debug, Clone)]
pub enum ContactChange {
    Saved(Box<Contact>),
    Missing,
    /// Someone else changed it since; here it is now.
    Stale(Box<Contact>),
}

impl Tx {
    /// The collaboration a contact belongs to, for finding it by id alone.
    pub async fn contact_collaboration_id(
        &mut self,
        contact_id: i64,
    ) -> Result<Option<i64>, StoreError> {
        let row: Option<(i64,)> = self
            .opt(q("SELECT collaboration_id FROM partner_contacts WHERE id = ?").bind(contact_id))
            .await?;
        Ok(row.map(|r| r.0))
    }

    /// Every contact, by organisation name, then role, then name.
    pub async fn contacts(&mut self, scope: &CollabScope) -> Result<Vec<Contact>, StoreError> {
        let rows: Vec<ContactRow> = self
            .all(
                q(format!("{SELECT} ORDER BY o.name, o.id, c.name, c.id"))
                    .bind(scope.collaboration_id()),
            )
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// One contact of this collaboration; None for any other id.
    pub async fn contact(
        &mut self,
        scope: &CollabScope,
        contact_id: i64,
    ) -> Result<Option<Contact>, StoreError> {
        let row: Option<ContactRow> = self
            .opt(
                q(format!("{SELECT} AND c.id = ?"))
                    .bind(scope.collaboration_id())
                    .bind(contact_id),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    /// Adds a contact for `organisation_id`, which the caller has checked
    /// takes part and the person acts for.
    pub async fn create_contact(
        &mut self,
        scope: &CollabScope,
        organisation_id: i64,
        details: &ContactDetails,
        now: i64,
    ) -> Result<Contact, StoreError> {
        let (id,): (i64,) = self
            .one(
                q("INSERT INTO partner_contacts (collaboration_id, organisation_id, name, role, email, phone, \
                   user_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id")
                .bind(scope.collaboration_id())
                .bind(organisation_id)
                .bind(&details.name)
                .bind(details.role.code())
                .bind(&details.email)
                .bind(&details.phone)
                .bind(details.member_id)
                .bind(now)
                .bind(now),
            )
            .await?;
        self.contact(scope, id)
            .await?
            .ok_or_else(|| StoreError::Other("the new contact was not found".into()))
    }

    /// Changes a contact if it is still at `version` (it stays with its
    /// organisation).
    pub async fn update_contact(
        &mut self,
        scope: &CollabScope,
        contact_id: i64,
        version: i64,
        details: &ContactDetails,
        now: i64,
    ) -> Result<ContactChange, StoreError> {
        let n = self
            .exec(
                q("UPDATE partner_contacts SET name = ?, role = ?, email = ?, phone = ?, user_id = ?, \
                   version = version + 1, updated_at = ? WHERE collaboration_id = ? AND id = ? AND version = ?")
                .bind(&details.name)
                .bind(details.role.code())
                .bind(&details.email)
                .bind(&details.phone)
                .bind(details.member_id)
                .bind(now)
                .bind(scope.collaboration_id())
                .bind(contact_id)
                .bind(version),
            )
            .await?;
        let current = self.contact(scope, contact_id).await?;
        Ok(match current {
            None => ContactChange::Missing,
            Some(c) if n == 1 => ContactChange::Saved(Box::new(c)),
            Some(c) => ContactChange::Stale(Box::new(c)),
        })
    }

    pub async fn delete_contact(
        &mut self,
        scope: &CollabScope,
        contact_id: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("DELETE FROM partner_contacts WHERE collaboration_id = ? AND id = ?")
                    .bind(scope.collaboration_id())
                    .bind(contact_id),
            )
            .await?;
        Ok(n == 1)
    }
}
