//! Property checks over many generated inputs: parsers never panic, what
//! they accept comes back unchanged when parsed again (so a value saved once
//! reads back the same), and they accept what they should. Each check has a
//! floor of accepted inputs and, where the rule is simple enough to state,
//! an independent statement of it, so a parser that rejected everything (or
//! accepted everything) fails. A small deterministic generator keeps these
//! repeatable without extra dependencies.

use crate::organisations::{Profile, ProfileInput, parse_charity_number, parse_company_number};
use crate::values::{Email, PersonName, optional_text, optional_website, required_line, text_list};

struct Gen(u64);

/// Pieces that trip parsers up: separators, controls, quotes, markup.
const AWKWARD: &[&str] = &[
    " ", "  ", "\t", "\n", "\r\n", "\r", "\u{0}", "\u{7}", "\u{1b}", "\u{7f}", "\u{85}", "@", ".",
    "..", ",", ";", "%", "_", "\\", "\"", "'", "<", ">", "/", ":", "://", "http://", "https://",
    "-", "+", "#", "?", "&", "=",
];

/// Ordinary text in many scripts, including characters that are more than
/// one byte, combining marks, joiners, right-to-left text and emoji.
const WORDS: &[&str] = &[
    "a",
    "Z",
    "0",
    "9",
    "food",
    "Bank",
    "Leeds",
    "é",
    "ß",
    "İ",
    "ı",
    "Ω",
    "ж",
    "Москва",
    "Αθήνα",
    "中文",
    "日本語",
    "한국어",
    "עברית",
    "العربية",
    "हिन्दी",
    "ñ",
    "e\u{301}",
    "\u{200b}",
    "\u{200d}",
    "\u{feff}",
    "\u{a0}",
    "\u{2028}",
    "🙂",
    "👩\u{200d}👩\u{200d}👧",
    "🇬🇧",
    "𝔘𝔫𝔦",
    "ﬁ",
    "Ⅻ",
    "Straße",
    "Cymru",
    "Gàidhlig",
    "Éire",
];

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

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }

    /// Any Unicode scalar value, weighted towards the ranges people type in.
    fn any_char(&mut self) -> char {
        let ranges: [(u32, u32); 6] = [
            (0x20, 0x7e),
            (0x00, 0x1f),
            (0xa0, 0x24f),
            (0x370, 0x6ff),
            (0x3000, 0x9fff),
            (0x1_f300, 0x1_faff),
        ];
        let (lo, hi) = ranges[self.below(ranges.len())];
        let c = lo + self.below((hi - lo + 1) as usize) as u32;
        char::from_u32(c).unwrap_or('?')
    }

    /// A string of up to `max` pieces mixing awkward characters, words in
    /// many scripts and random code points.
    fn text(&mut self, max: usize) -> String {
        let len = self.below(max + 1);
        let mut s = String::new();
        for _ in 0..len {
            match self.below(3) {
                0 => s.push_str(self.pick(AWKWARD)),
                1 => s.push_str(self.pick(WORDS)),
                _ => s.push(self.any_char()),
            }
        }
        s
    }

    /// Text without control characters: what a person types into one line.
    fn clean_text(&mut self, max: usize) -> String {
        let len = self.below(max + 1);
        let mut s = String::new();
        for _ in 0..len {
            let piece = if self.below(2) == 0 {
                self.pick(WORDS).to_string()
            } else {
                self.any_char().to_string()
            };
            if !piece.chars().any(char::is_control) {
                s.push_str(&piece);
            }
            if self.below(4) == 0 {
                s.push(' ');
            }
        }
        s
    }

    /// Spaces or tabs around a value, as pasted text often has.
    fn pad(&mut self, value: &str) -> String {
        let pads = ["", "", " ", "  ", "\t", " \n"];
        format!("{}{value}{}", self.pick(&pads), self.pick(&pads))
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }

    fn letters(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'A' + self.below(26) as u8))
            .collect()
    }
}

const ROUNDS: usize = 5000;

/// A well-formed address: letters, digits and the usual punctuation in the
/// local part (sometimes non-ASCII), a dotted domain, mixed case.
fn good_email(g: &mut Gen) -> String {
    let local_pieces = [
        "ann",
        "Bob",
        "o'neil",
        "first.last",
        "x+tag",
        "a_b",
        "z-9",
        "zoë",
    ];
    let mut local = String::new();
    for _ in 0..1 + g.below(3) {
        if !local.is_empty() {
            local.push('.');
        }
        local.push_str(g.pick(&local_pieces));
    }
    let labels = [
        "example",
        "Mail",
        "xn--bcher-kva",
        "co",
        "org",
        "charity",
        "a1",
    ];
    let mut domain = String::new();
    for _ in 0..1 + g.below(3) {
        domain.push_str(g.pick(&labels));
        domain.push('.');
    }
    domain.push_str(g.pick(&["org", "UK", "org.uk", "scot", "cymru"]));
    format!("{local}@{domain}")
}

#[test]
fn emails_are_stable_once_accepted() {
    let mut g = Gen(1);
    let (mut accepted, mut refused, mut well_formed) = (0, 0, 0);
    for round in 0..ROUNDS {
        let raw = match round % 3 {
            0 => g.text(40),
            // Well-formed addresses with noise spliced in.
            1 => {
                let good = good_email(&mut g);
                let at = g.below(good.len());
                let at = (0..=at).rev().find(|i| good.is_char_boundary(*i)).unwrap();
                format!("{}{}{}", &good[..at], g.pick(AWKWARD), &good[at..])
            }
            _ => {
                let good = good_email(&mut g);
                let padded = g.pad(&good);
                // Well-formed, so it must be accepted, trimmed and lower-cased.
                assert_eq!(
                    Email::parse("email", &padded).map(Email::into_string),
                    Ok(good.to_lowercase()),
                    "{padded:?}"
                );
                well_formed += 1;
                padded
            }
        };
        match Email::parse("email", &raw) {
            Ok(email) => {
                accepted += 1;
                assert_eq!(
                    Email::parse("email", email.as_str()).as_ref(),
                    Ok(&email),
                    "{raw:?}"
                );
                let s = email.as_str();
                assert!(!s.chars().any(char::is_control), "{raw:?}");
                assert!(!s.chars().any(char::is_whitespace), "{raw:?}");
                assert_eq!(s.matches('@').count(), 1, "{raw:?}");
                assert!(s.chars().count() <= 254, "{raw:?}");
                assert_eq!(s, s.to_lowercase(), "{raw:?}");
            }
            Err(e) => {
                refused += 1;
                assert_eq!(e.field, "email");
            }
        }
    }
    assert!(well_formed > 1500, "{well_formed}");
    assert!(
        accepted > 1700,
        "too few addresses were accepted ({accepted})"
    );
    assert!(refused > 1500, "too few addresses were refused ({refused})");
    // The limits are in characters, not bytes.
    let local = "é".repeat(64);
    assert!(Email::parse("email", &format!("{local}@example.org")).is_ok());
    assert!(Email::parse("email", &format!("{local}é@example.org")).is_err());
}

#[test]
fn names_lines_and_text_are_stable_once_accepted() {
    let mut g = Gen(2);
    let (mut names, mut lines, mut texts) = (0, 0, 0);
    for round in 0..ROUNDS {
        // Long enough to cross every limit below, in characters.
        let raw = if round % 2 == 0 {
            g.text(150)
        } else {
            g.clean_text(150)
        };
        let trimmed = raw.trim();
        let chars = trimmed.chars().count();
        let one_line = !trimmed.chars().any(char::is_control);

        let name = PersonName::parse("name", &raw);
        assert_eq!(
            name.is_ok(),
            !trimmed.is_empty() && chars <= 100 && one_line,
            "name {raw:?}"
        );
        if let Ok(name) = name {
            names += 1;
            assert_eq!(name.as_str(), trimmed);
            assert_eq!(PersonName::parse("name", name.as_str()).as_ref(), Ok(&name));
        }

        let line = required_line("title", "a title", &raw, 3, 120);
        assert_eq!(
            line.is_ok(),
            (3..=120).contains(&chars) && one_line,
            "line {raw:?}"
        );
        if let Ok(line) = line {
            lines += 1;
            assert_eq!(line, trimmed);
            assert_eq!(
                required_line("title", "a title", &line, 3, 120).as_ref(),
                Ok(&line)
            );
        }

        let text = optional_text("purpose", "the purpose", &raw, 140);
        let allowed_controls = ['\n', '\r', '\t'];
        assert_eq!(
            text.is_ok(),
            chars <= 140
                && !trimmed
                    .chars()
                    .any(|c| c.is_control() && !allowed_controls.contains(&c)),
            "text {raw:?}"
        );
        if let Ok(text) = text {
            texts += 1;
            assert_eq!(
                optional_text("purpose", "the purpose", &text, 140).as_ref(),
                Ok(&text)
            );
            assert!(!text.contains('\u{0}') && !text.contains('\r'), "{raw:?}");
        }
    }
    for (what, n) in [("names", names), ("lines", lines), ("texts", texts)] {
        assert!(n > 600, "too few {what} were accepted ({n})");
        assert!(
            ROUNDS - n > 1000,
            "too few {what} were refused ({n} accepted)"
        );
    }
}

#[test]
fn lists_are_stable_once_accepted() {
    let mut g = Gen(3);
    let (mut accepted, mut several, mut refused) = (0, 0, 0);
    for round in 0..ROUNDS {
        let raw = if round % 2 == 0 {
            g.text(40)
        } else {
            // Items people type: words in any script, separated as they like.
            let n = g.below(12);
            let mut s = String::new();
            for _ in 0..n {
                s.push_str(&g.clean_text(4));
                s.push_str(g.pick(&["\n", ",", ";", ", ", "\r\n", " ,\n"]));
            }
            s
        };
        match text_list("areas", "areas", &raw, 8, 20) {
            Ok(items) => {
                accepted += 1;
                if items.len() > 1 {
                    several += 1;
                }
                assert!(items.len() <= 8, "{raw:?}");
                // Stored one a line, read back the same.
                let stored = items.join("\n");
                assert_eq!(
                    text_list("areas", "areas", &stored, 8, 20).as_ref(),
                    Ok(&items),
                    "{raw:?}"
                );
                for (i, item) in items.iter().enumerate() {
                    assert!(!item.is_empty() && item.trim() == item, "{raw:?}");
                    assert!(item.chars().count() <= 20, "{raw:?}");
                    assert!(!item.chars().any(char::is_control), "{raw:?}");
                    assert!(!item.contains([',', ';', '\n']), "{raw:?}");
                    assert!(
                        !items[..i].iter().any(|o| o.eq_ignore_ascii_case(item)),
                        "{raw:?} repeats {item:?}"
                    );
                }
            }
            Err(_) => refused += 1,
        }
    }
    assert!(accepted > 1500, "too few lists were accepted ({accepted})");
    assert!(
        several > 1000,
        "too few lists had several items ({several})"
    );
    assert!(refused > 500, "too few lists were refused ({refused})");
}

/// How registration numbers are written, with what the parsers make of them.
/// Charity numbers are the Charity Commission's (England and Wales): 6 or 7
/// digits. Scottish (SC…), Northern Irish (NIC…) and linked-charity (…-1)
/// numbers are not accepted today; a change to that rule changes this table.
#[test]
fn real_registration_numbers() {
    let charity: &[(&str, Result<Option<&str>, ()>)] = &[
        ("1234567", Ok(Some("1234567"))),
        ("202918", Ok(Some("202918"))),
        (" 1 234 567 ", Ok(Some("1234567"))),
        ("12345678", Ok(Some("12345678"))),
        ("", Ok(None)),
        ("   ", Ok(None)),
        ("1234567-1", Err(())),
        ("SC012345", Err(())),
        ("NIC100001", Err(())),
        ("12345", Err(())),
        ("123456789", Err(())),
        ("１２３４５６７", Err(())),
    ];
    for (raw, want) in charity {
        let got = parse_charity_number("c", raw);
        assert_eq!(
            got.as_ref().map(|o| o.as_deref()).map_err(|_| ()),
            *want,
            "charity number {raw:?}"
        );
    }
    let company: &[(&str, Result<Option<&str>, ()>)] = &[
        ("01234567", Ok(Some("01234567"))),
        ("1234567", Ok(Some("01234567"))),
        ("123456", Ok(Some("00123456"))),
        ("SC123456", Ok(Some("SC123456"))),
        ("sc 123 456", Ok(Some("SC123456"))),
        ("NI012345", Ok(Some("NI012345"))),
        ("OC301234", Ok(Some("OC301234"))),
        ("SO301234", Ok(Some("SO301234"))),
        ("LP001234", Ok(Some("LP001234"))),
        ("RS007659", Ok(Some("RS007659"))),
        ("FC012345", Ok(Some("FC012345"))),
        ("", Ok(None)),
        ("SC12345X", Err(())),
        ("IP28746R", Err(())),
        ("R0000123", Err(())),
        ("S1234567", Err(())),
        ("123456789", Err(())),
        ("SC1234567", Err(())),
        ("ŞC123456", Err(())),
    ];
    for (raw, want) in company {
        let got = parse_company_number("c", raw);
        assert_eq!(
            got.as_ref().map(|o| o.as_deref()).map_err(|_| ()),
            *want,
            "company number {raw:?}"
        );
    }
}

/// A charity or company number in one of the shapes people really type,
/// sometimes spaced or lower-cased, sometimes wrong.
fn some_number(g: &mut Gen) -> String {
    let n = match g.below(12) {
        0 => g.digits(6),
        1 => g.digits(7),
        2 => format!("1{}", g.digits(6)),
        3 => format!("{}-{}", g.digits(7), 1 + g.below(9)),
        4 => format!("SC{}", g.digits(6)),
        5 => format!("NIC{}", g.digits(6)),
        6 => format!("0{}", g.digits(7)),
        7 => format!(
            "{}{}",
            g.pick(&["SC", "NI", "OC", "SO", "LP", "RS", "FC"]),
            g.digits(6)
        ),
        8 => format!("{}{}", g.letters(2), g.digits(6)),
        9 => {
            let len = 1 + g.below(10);
            g.digits(len)
        }
        10 => g.text(6),
        _ => {
            let (letters, digits) = (1 + g.below(3), g.below(9));
            format!("{}{}", g.letters(letters), g.digits(digits))
        }
    };
    let n = if g.below(4) == 0 { n.to_lowercase() } else { n };
    let n = if g.below(4) == 0 && n.is_char_boundary(2.min(n.len())) {
        let (a, b) = n.split_at(2.min(n.len()));
        format!("{a} {b}")
    } else {
        n
    };
    g.pad(&n)
}

fn good_website(g: &mut Gen) -> (String, String) {
    let mut host = String::new();
    for _ in 0..1 + g.below(3) {
        host.push_str(g.pick(&["www", "example", "food-bank", "a1", "xn--caf-dma", "Leeds"]));
        host.push('.');
    }
    host.push_str(g.pick(&["org", "org.uk", "com", "scot"]));
    if g.below(5) == 0 {
        host.push_str(&format!(":{}", 1 + g.below(65535)));
    }
    let path = g.pick(&["", "/", "/about", "/a/b?x=1&y=2", "#top", "/café", "/%20"]);
    let scheme = g.pick(&["", "http://", "https://"]);
    let typed = format!("{scheme}{host}{path}");
    let stored = if scheme.is_empty() {
        format!("https://{typed}")
    } else {
        typed.clone()
    };
    (typed, stored)
}

#[test]
fn numbers_and_websites_are_stable_once_accepted() {
    let mut g = Gen(4);
    let (mut charities, mut companies, mut lettered, mut websites) = (0, 0, 0, 0);
    for round in 0..ROUNDS {
        let raw = some_number(&mut g);
        match parse_charity_number("c", &raw) {
            Ok(Some(n)) => {
                charities += 1;
                assert_eq!(parse_charity_number("c", &n), Ok(Some(n.clone())));
                assert!(n.chars().all(|c| c.is_ascii_digit()), "{raw:?}");
                assert!((6..=8).contains(&n.len()), "{raw:?}");
                let squeezed: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
                assert_eq!(n, squeezed, "{raw:?}");
            }
            Ok(None) => assert!(raw.trim().is_empty(), "{raw:?}"),
            Err(_) => {}
        }
        match parse_company_number("c", &raw) {
            Ok(Some(n)) => {
                companies += 1;
                assert_eq!(parse_company_number("c", &n), Ok(Some(n.clone())));
                assert_eq!(n.len(), 8, "{raw:?}");
                let (prefix, digits) = n.split_at(2);
                assert!(digits.chars().all(|c| c.is_ascii_digit()), "{raw:?}");
                assert!(
                    prefix.chars().all(|c| c.is_ascii_digit())
                        || prefix.chars().all(|c| c.is_ascii_uppercase()),
                    "{raw:?}"
                );
                if prefix.chars().all(|c| c.is_ascii_uppercase()) {
                    lettered += 1;
                }
            }
            Ok(None) => assert!(raw.trim().is_empty(), "{raw:?}"),
            Err(_) => {}
        }
        let raw = if round % 2 == 0 {
            g.text(12)
        } else {
            let (typed, stored) = good_website(&mut g);
            let padded = g.pad(&typed);
            assert_eq!(
                optional_website("w", &padded),
                Ok(Some(stored)),
                "{padded:?}"
            );
            padded
        };
        if let Ok(Some(w)) = optional_website("w", &raw) {
            websites += 1;
            assert_eq!(optional_website("w", &w), Ok(Some(w.clone())));
            assert!(w.starts_with("http://") || w.starts_with("https://"));
            assert!(
                !w.chars()
                    .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<')
            );
        }
    }
    assert!(
        charities > 1000,
        "too few charity numbers accepted ({charities})"
    );
    assert!(
        companies > 1000,
        "too few company numbers accepted ({companies})"
    );
    assert!(
        lettered > 300,
        "too few lettered company numbers ({lettered})"
    );
    assert!(websites > 2000, "too few websites accepted ({websites})");
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
    let mut with_numbers = 0;
    for _ in 0..ROUNDS {
        let input = ProfileInput {
            name: if g.below(4) == 0 {
                g.text(30)
            } else {
                format!("Org {}", g.clean_text(30))
            },
            kind: kinds[g.below(kinds.len())].to_string(),
            charity_number: some_number(&mut g),
            company_number: some_number(&mut g),
            mission: if g.below(4) == 0 {
                g.text(60)
            } else {
                g.clean_text(60)
            },
            activities: g.clean_text(60),
            areas_served: g.clean_text(20),
            causes: if g.below(4) == 0 {
                g.text(20)
            } else {
                g.clean_text(20)
            },
            website: if g.below(2) == 0 {
                good_website(&mut g).0
            } else {
                g.text(3)
            },
        };
        let Ok(profile) = Profile::parse(&input) else {
            continue;
        };
        accepted += 1;
        if profile.charity_number.is_some() && profile.company_number.is_some() {
            with_numbers += 1;
        }
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
        if profile.kind.needs_company_number() {
            assert!(profile.company_number.is_some(), "{input:?}");
        }
    }
    assert!(
        accepted > 300,
        "the generator should produce valid profiles too ({accepted})"
    );
    assert!(
        with_numbers > 30,
        "profiles with both numbers ({with_numbers})"
    );
}
