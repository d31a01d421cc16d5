//! Each partner organisation's named contacts in a collaboration. Contacts
//! of an organisation that no longer takes part are not shown.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use commonground_domain::contacts::{ContactDetails, ContactRole};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Contact {
    pub id: i64,
    pub collaboration_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub name: String,
    pub role: ContactRole,
    pub title: String,
    pub email: Option<String>,
    pub phone: Option<String>,
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
    title: String,
    email: Option<String>,
    phone: Option<String>,
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
    title,
    email,
    phone,
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
            title: r.title,
            email: r.email,
            phone: r.phone,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const SELECT: &str = "SELECT c.id, c.collaboration_id, c.organisation_id, o.name AS organisation_name, \
    c.name, c.role, c.title, c.email, c.phone, c.created_at, c.updated_at FROM partner_contacts c \
    JOIN organisations o ON o.id = c.organisation_id \
    JOIN participants p ON p.collaboration_id = c.collaboration_id AND p.organisation_id = c.organisation_id \
    WHERE c.collaboration_id = ?";

impl Tx {
    /// Every contact, by organisation name, then name.
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
    /// takes part and the person may speak for.
    pub async fn create_contact(
        &mut self,
        scope: &CollabScope,
        organisation_id: i64,
        details: &ContactDetails,
        by: i64,
        now: i64,
    ) -> Result<Contact, StoreError> {
        let (id,): (i64,) = self
            .one(
                q("INSERT INTO partner_contacts (collaboration_id, organisation_id, name, role, title, email, phone, \
                   created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
                .bind(scope.collaboration_id())
                .bind(organisation_id)
                .bind(&details.name)
                .bind(details.role.code())
                .bind(&details.title)
                .bind(details.email.clone())
                .bind(details.phone.clone())
                .bind(by)
                .bind(now)
                .bind(now),
            )
            .await?;
        self.contact(scope, id)
            .await?
            .ok_or_else(|| StoreError::Other("the new contact was not found".into()))
    }

    /// Changes a contact (it stays with its organisation).
    pub async fn update_contact(
        &mut self,
        scope: &CollabScope,
        contact_id: i64,
        details: &ContactDetails,
        now: i64,
    ) -> Result<Option<Contact>, StoreError> {
        let n = self
            .exec(
                q("UPDATE partner_contacts SET name = ?, role = ?, title = ?, email = ?, phone = ?, updated_at = ? \
                   WHERE collaboration_id = ? AND id = ?")
                .bind(&details.name)
                .bind(details.role.code())
                .bind(&details.title)
                .bind(details.email.clone())
                .bind(details.phone.clone())
                .bind(now)
                .bind(scope.collaboration_id())
                .bind(contact_id),
            )
            .await?;
        if n != 1 {
            return Ok(None);
        }
        self.contact(scope, contact_id).await
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
