//! Property checks over many generated inputs: parsers never panic, and
//! whatever they accept comes back unchanged when parsed again (so a value
//! saved once reads back the same). A small deterministic generator keeps
//! these repeatable without extra dependencies.

use crate::organisation::{Profile, ProfileInput, parse_charity_number, parse_company_number};
use crate::values::{Email, PersonName, optional_text, optional_website, required_line, text_list};

struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A string mixing the characters that trip parsers up.
    fn text(&mut self, max: usize) -> String {
        const PIECES: &[&str] = &[
            "a",
            "Z",
            "0",
            "9",
            " ",
            "  ",
            "\t",
            "\n",
            "\r\n",
            "\u{0}",
            "\u{7}",
            "@",
            ".",
            "..",
            ",",
            ";",
            "%",
            "_",
            "\\",
            "\"",
            "'",
            "<",
            ">",
            "/",
            ":",
            "://",
            "http://",
            "https://",
            "é",
            "ß",
            "İ",
            "\u{200b}",
            "\u{feff}",
            "🙂",
            "中",
            "-",
            "GB-CHC-",
            "SC",
            "1234567",
            "example.org",
        ];
        let len = self.below(max + 1);
        (0..len).map(|_| PIECES[self.below(PIECES.len())]).collect()
    }
}

const ROUNDS: usize = 5000;

#[test]
fn emails_are_stable_once_accepted() {
    let mut g = Gen(1);
    for _ in 0..ROUNDS {
        let raw = g.text(12);
        if let Ok(email) = Email::parse("email", &raw) {
            assert_eq!(
                Email::parse("email", email.as_str()).as_ref(),
                Ok(&email),
                "{raw:?}"
            );
            assert!(!email.as_str().chars().any(char::is_control), "{raw:?}");
        }
    }
}

#[test]
fn names_lines_and_text_are_stable_once_accepted() {
    let mut g = Gen(2);
    for _ in 0..ROUNDS {
        let raw = g.text(10);
        if let Ok(name) = PersonName::parse("name", &raw) {
            assert_eq!(PersonName::parse("name", name.as_str()).as_ref(), Ok(&name));
            assert!(!name.as_str().contains('\u{0}'));
        }
        if let Ok(line) = required_line("title", "a title", &raw, 1, 20) {
            assert_eq!(
                required_line("title", "a title", &line, 1, 20).as_ref(),
                Ok(&line)
            );
            assert!(!line.contains('\n') && !line.contains('\u{0}'));
        }
        if let Ok(text) = optional_text("purpose", "the purpose", &raw, 40) {
            assert_eq!(
                optional_text("purpose", "the purpose", &text, 40).as_ref(),
                Ok(&text)
            );
            assert!(!text.contains('\u{0}') && !text.contains('\r'));
        }
    }
}

#[test]
fn lists_are_stable_once_accepted() {
    let mut g = Gen(3);
    for _ in 0..ROUNDS {
        let raw = g.text(14);
        if let Ok(items) = text_list("areas", "areas", &raw, 8, 12) {
            // Stored one a line, read back the same.
            let stored = items.join("\n");
            assert_eq!(
                text_list("areas", "areas", &stored, 8, 12).as_ref(),
                Ok(&items),
                "{raw:?}"
            );
            assert!(items.iter().all(|i| !i.is_empty() && i.trim() == i));
        }
    }
}

#[test]
fn numbers_and_websites_are_stable_once_accepted() {
    let mut g = Gen(4);
    for _ in 0..ROUNDS {
        let raw = g.text(6);
        if let Ok(Some(n)) = parse_charity_number("c", &raw) {
            assert_eq!(parse_charity_number("c", &n), Ok(Some(n.clone())));
            assert!(n.chars().all(|c| c.is_ascii_digit()));
        }
        if let Ok(Some(n)) = parse_company_number("c", &raw) {
            assert_eq!(parse_company_number("c", &n), Ok(Some(n.clone())));
            assert_eq!(n.len(), 8);
        }
        if let Ok(Some(w)) = optional_website("w", &raw) {
            assert_eq!(optional_website("w", &w), Ok(Some(w.clone())));
            assert!(w.starts_with("http://") || w.starts_with("https://"));
            assert!(
                !w.chars()
                    .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<')
            );
        }
    }
}

#[test]
fn profiles_round_trip_through_storage() {
    let mut g = Gen(5);
    let kinds = [
        "registered_charity",
        "cio",
        "charitable_company",
        "cic",
        "community_group",
        "social_enterprise",
        "other",
        "bank",
        "",
    ];
    let mut accepted = 0;
    for _ in 0..ROUNDS {
        let input = ProfileInput {
            name: format!("Org {}", g.text(4)),
            kind: kinds[g.below(kinds.len())].to_string(),
            charity_number: if g.below(2) == 0 {
                format!("{}", 100_000 + g.below(9_000_000))
            } else {
                g.text(3)
            },
            company_number: if g.below(2) == 0 {
                format!("{:08}", g.below(99_999_999))
            } else {
                g.text(3)
            },
            mission: g.text(8),
            activities: g.text(8),
            areas_served: g.text(8),
            causes: g.text(8),
            website: g.text(3),
        };
        let Ok(profile) = Profile::parse(&input) else {
            continue;
        };
        accepted += 1;
        // What the edit form shows for a saved profile parses to the same profile.
        let again = ProfileInput {
            name: profile.name.clone(),
            kind: profile.kind.code().to_string(),
            charity_number: profile.charity_number.clone().unwrap_or_default(),
            company_number: profile.company_number.clone().unwrap_or_default(),
            mission: profile.mission.clone(),
            activities: profile.activities.clone(),
            areas_served: profile.areas_served.join("\n"),
            causes: profile.causes.join("\n"),
            website: profile.website.clone().unwrap_or_default(),
        };
        assert_eq!(Profile::parse(&again).as_ref(), Ok(&profile), "{input:?}");
        if profile.kind.needs_charity_number() {
            assert!(
                profile
                    .org_identifier
                    .as_deref()
                    .is_some_and(|id| id.starts_with("GB-CHC-"))
            );
        }
    }
    assert!(
        accepted > 100,
        "the generator should produce valid profiles too ({accepted})"
    );
}
