//! Differences between two versions of a text, line by line.

use similar::{ChangeTag, TextDiff};

/// What happened to a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineChange {
    Same,
    Added,
    Removed,
}

impl LineChange {
    pub fn code(self) -> &'static str {
        match self {
            LineChange::Same => "same",
            LineChange::Added => "added",
            LineChange::Removed => "removed",
        }
    }
}

/// The lines of `old` and `new`, each marked same, added or removed.
pub fn lines(old: &str, new: &str) -> Vec<(LineChange, String)> {
    // A last line without its newline is the same line as one with it.
    let end = |s: &str| {
        if s.is_empty() || s.ends_with('\n') {
            s.to_string()
        } else {
            format!("{s}\n")
        }
    };
    let (old, new) = (end(old), end(new));
    TextDiff::from_lines(&old, &new)
        .iter_all_changes()
        .map(|c| {
            let kind = match c.tag() {
                ChangeTag::Equal => LineChange::Same,
                ChangeTag::Insert => LineChange::Added,
                ChangeTag::Delete => LineChange::Removed,
            };
            (kind, c.value().trim_end_matches(['\n', '\r']).to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_added_and_removed_lines() {
        let d = lines("a\nb\nc", "a\nB\nc\nd");
        assert_eq!(
            d,
            vec![
                (LineChange::Same, "a".into()),
                (LineChange::Removed, "b".into()),
                (LineChange::Added, "B".into()),
                (LineChange::Same, "c".into()),
                (LineChange::Added, "d".into()),
            ]
        );
    }
}
