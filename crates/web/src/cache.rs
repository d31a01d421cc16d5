//! Small per-server caches of things worked out from the database, each
//! kept with the revision of the rows it was worked out from. A reader
//! reads the revision in its own transaction and takes the cached value
//! only when the revisions match, so a cache is never stale, on any server.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, RwLock};

/// Kept bytes lent to a response without copying them.
pub fn lent(bytes: Arc<Vec<u8>>) -> axum::body::Bytes {
    axum::body::Bytes::from_owner(Lent(bytes))
}

struct Lent(Arc<Vec<u8>>);

impl AsRef<[u8]> for Lent {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// The content of a page (everything inside its frame) as kept for
/// everyone who may see it, with the page's title; form tokens are slots
/// (see [`crate::pages::layout::CSRF_SLOT`]).
pub struct KeptPage {
    pub title: String,
    pub main: Vec<u8>,
}

/// Kept page contents by kind of page, id and what else the content
/// depends on (whether the person may change what it shows, the query),
/// with the collaboration's content revisions and the day.
pub type KeptPages = KeptByRevision<KeptPage>;

/// Kept API answers (whole JSON bodies) made from a collaboration's
/// content, by the same key and revisions as [`KeptPages`].
pub type KeptAnswers = KeptByRevision<Vec<u8>>;

/// Values made from a collaboration's content, by kind, collaboration id
/// and what else they depend on, with the collaboration's content
/// revisions and the day.
pub type KeptByRevision<V> = Versioned<(&'static str, i64, String), ((i64, i64), String), V>;

/// Values by key, each with the revision it is right for.
pub struct Versioned<K, R, V> {
    entries: RwLock<HashMap<K, (R, Arc<V>)>>,
    capacity: usize,
}

impl<K: Eq + Hash, R: PartialEq, V> Versioned<K, R, V> {
    /// A cache that holds at most `capacity` values; when full, it starts
    /// again empty (what is used often comes back at once).
    pub fn new(capacity: usize) -> Self {
        Versioned {
            entries: RwLock::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    /// The value kept for `key`, if it was worked out at `revision`.
    pub fn get(&self, key: &K, revision: &R) -> Option<Arc<V>> {
        let entries = self.entries.read().unwrap_or_else(|p| p.into_inner());
        match entries.get(key) {
            Some((r, v)) if r == revision => Some(Arc::clone(v)),
            _ => None,
        }
    }

    /// Keeps `value`, worked out at `revision`, for `key`.
    pub fn put(&self, key: K, revision: R, value: Arc<V>) {
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(key, (revision, value));
    }

    /// The value for `key` at `revision`: kept, or made now and kept.
    pub fn get_or_make(&self, key: K, revision: R, make: impl FnOnce() -> V) -> Arc<V> {
        if let Some(v) = self.get(&key, &revision) {
            return v;
        }
        let value = Arc::new(make());
        self.put(key, revision, Arc::clone(&value));
        value
    }

    pub fn len(&self) -> usize {
        self.entries.read().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_only_given_back_for_its_own_revision() {
        let c: Versioned<i64, i64, String> = Versioned::new(2);
        assert_eq!(c.get(&1, &0), None);
        c.put(1, 5, Arc::new("five".into()));
        assert_eq!(c.get(&1, &5).as_deref().map(String::as_str), Some("five"));
        assert_eq!(
            c.get(&1, &6),
            None,
            "a newer revision must be worked out again"
        );
        assert_eq!(c.get(&1, &4), None, "so must an older one");
        let mut made = 0;
        let v = c.get_or_make(1, 6, || {
            made += 1;
            "six".into()
        });
        assert_eq!((v.as_str(), made), ("six", 1));
        let v = c.get_or_make(1, 6, || {
            made += 1;
            "again".into()
        });
        assert_eq!((v.as_str(), made), ("six", 1));
        assert_eq!(c.get(&1, &5), None);
    }

    #[test]
    fn it_never_holds_more_than_its_capacity() {
        let c: Versioned<i64, i64, i64> = Versioned::new(3);
        for k in 0..100 {
            c.put(k, 0, Arc::new(k));
            assert!(c.len() <= 3, "{} entries after {k}", c.len());
            assert_eq!(c.get(&k, &0).as_deref(), Some(&k));
        }
        // Replacing a key already held never empties the cache.
        let before = c.len();
        c.put(99, 1, Arc::new(-1));
        assert_eq!(c.len(), before);
    }
}
