//! The strategic environment of a collaboration: SWOT (strengths,
//! weaknesses, opportunities, threats) and PESTLE (political, economic,
//! social, technological, legal, environmental) items.

use crate::errors::FieldErrors;
use crate::values::optional_text;
use serde::{Deserialize, Serialize};

/// The two ways of looking at the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Framework {
    Swot,
    Pestle,
}

impl Framework {
    pub const ALL: [Framework; 2] = [Framework::Swot, Framework::Pestle];

    pub fn code(self) -> &'static str {
        match self {
            Framework::Swot => "swot",
            Framework::Pestle => "pestle",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Framework::Swot => "SWOT",
            Framework::Pestle => "PESTLE",
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            Framework::Swot => {
                "What the partners bring and lack together, and what could help or harm the work."
            }
            Framework::Pestle => "Changes in the world outside that could affect the work.",
        }
    }

    pub fn categories(self) -> &'static [Category] {
        match self {
            Framework::Swot => &Category::ALL[..4],
            Framework::Pestle => &Category::ALL[4..],
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code.trim())
    }
}

/// One heading of SWOT or PESTLE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Strength,
    Weakness,
    Opportunity,
    Threat,
    Political,
    Economic,
    Social,
    Technological,
    Legal,
    Environmental,
}

impl Category {
    pub const ALL: [Category; 10] = [
        Category::Strength,
        Category::Weakness,
        Category::Opportunity,
        Category::Threat,
        Category::Political,
        Category::Economic,
        Category::Social,
        Category::Technological,
        Category::Legal,
        Category::Environmental,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::Strength => "strength",
            Category::Weakness => "weakness",
            Category::Opportunity => "opportunity",
            Category::Threat => "threat",
            Category::Political => "political",
            Category::Economic => "economic",
            Category::Social => "social",
            Category::Technological => "technological",
            Category::Legal => "legal",
            Category::Environmental => "environmental",
        }
    }

    /// The heading items are listed under.
    pub fn label(self) -> &'static str {
        match self {
            Category::Strength => "Strengths",
            Category::Weakness => "Weaknesses",
            Category::Opportunity => "Opportunities",
            Category::Threat => "Threats",
            Category::Political => "Political",
            Category::Economic => "Economic",
            Category::Social => "Social",
            Category::Technological => "Technological",
            Category::Legal => "Legal",
            Category::Environmental => "Environmental",
        }
    }

    /// What belongs under the heading, in a few words.
    pub fn hint(self) -> &'static str {
        match self {
            Category::Strength => "What the partners do well or have plenty of.",
            Category::Weakness => "What the partners lack or find hard.",
            Category::Opportunity => "Outside chances the collaboration could take.",
            Category::Threat => "Outside dangers that could harm the work.",
            Category::Political => "Government, council and policy changes.",
            Category::Economic => "Funding, costs, the cost of living and local jobs.",
            Category::Social => "Changes in the community, its needs and its attitudes.",
            Category::Technological => "New tools, digital services and data.",
            Category::Legal => "Laws, regulation and the Charity Commission's rules.",
            Category::Environmental => "Climate, buildings, transport and green space.",
        }
    }

    pub fn framework(self) -> Framework {
        match self {
            Category::Strength | Category::Weakness | Category::Opportunity | Category::Threat => {
                Framework::Swot
            }
            _ => Framework::Pestle,
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code.trim())
    }
}

pub const TEXT_MAX: usize = 1000;

/// An item as it may be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentDetails {
    pub category: Category,
    pub text: String,
}

impl EnvironmentDetails {
    pub fn framework(&self) -> Framework {
        self.category.framework()
    }

    /// Checks a submitted item. `framework` may be left out (the category
    /// says which it is); given, it must be the category's own.
    pub fn parse(framework: Option<&str>, category: &str, text: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let framework = match framework {
            Some(code) => match Framework::parse_code(code) {
                Some(f) => Some(f),
                None => {
                    errors.add("framework", "Choose SWOT or PESTLE.");
                    None
                }
            },
            None => None,
        };
        let category = match Category::parse_code(category) {
            Some(c) if framework.is_some_and(|f| f != c.framework()) => {
                let f = framework.unwrap_or(Framework::Swot);
                errors.add(
                    "category",
                    format!(
                        "Choose one of the {} headings: {}.",
                        f.label(),
                        list(f.categories())
                    ),
                );
                None
            }
            Some(c) => Some(c),
            None => {
                errors.add(
                    "category",
                    "Choose a heading, such as Strengths or Political.",
                );
                None
            }
        };
        let text = match optional_text("text", "the item", text, TEXT_MAX) {
            Ok(t) if t.is_empty() => {
                errors.add("text", "Enter the item: one short point in your own words.");
                None
            }
            Ok(t) => Some(t),
            Err(e) => {
                errors.add(e.field, e.message);
                None
            }
        };
        match (category, text) {
            (Some(category), Some(text)) if errors.is_empty() => {
                Ok(EnvironmentDetails { category, text })
            }
            _ => Err(errors),
        }
    }
}

fn list(categories: &[Category]) -> String {
    categories
        .iter()
        .map(|c| c.label().to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_framework_has_its_headings() {
        let swot: Vec<&str> = Framework::Swot
            .categories()
            .iter()
            .map(|c| c.code())
            .collect();
        assert_eq!(swot, ["strength", "weakness", "opportunity", "threat"]);
        assert_eq!(Framework::Pestle.categories().len(), 6);
        for c in Category::ALL {
            assert_eq!(Category::parse_code(c.code()), Some(c));
            assert!(c.framework().categories().contains(&c));
        }
        for f in Framework::ALL {
            assert_eq!(Framework::parse_code(f.code()), Some(f));
        }
    }

    #[test]
    fn items_are_checked() {
        let d =
            EnvironmentDetails::parse(Some("pestle"), "legal", " New fundraising rules ").unwrap();
        assert_eq!(
            (d.category, d.text.as_str()),
            (Category::Legal, "New fundraising rules")
        );
        assert_eq!(d.framework(), Framework::Pestle);
        // The framework may be left out.
        assert!(EnvironmentDetails::parse(None, "threat", "Cuts").is_ok());
        // But not contradict the heading.
        let e = EnvironmentDetails::parse(Some("swot"), "legal", "x").unwrap_err();
        assert_eq!(
            e.get("category"),
            Some("Choose one of the SWOT headings: strengths, weaknesses, opportunities, threats.")
        );
        let e = EnvironmentDetails::parse(Some("five forces"), "nope", " ").unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["framework", "category", "text"]);
        assert!(EnvironmentDetails::parse(None, "social", &"t".repeat(1000)).is_ok());
        assert!(EnvironmentDetails::parse(None, "social", &"t".repeat(1001)).is_err());
    }
}
