//! A register-scale extract of fictional charities, in the Charity
//! Commission's own format (tab-separated, CRLF, a byte-order mark, dates
//! with times, `True`/`False`), for the benchmark and for tests. Names
//! include Welsh letters (ŷ, â, ô), ampersands and quotes; some charities
//! have linked charities, all have classifications and areas, some have
//! other names. Deterministic: the same size gives the same files.

use std::io::Write;
use std::path::Path;

/// What was written, to check an import against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FakeExtract {
    pub main_charities: u64,
    pub linked_charities: u64,
    pub registered_rows: u64,
    pub removed_rows: u64,
    pub classifications: u64,
    pub areas: u64,
    pub other_names: u64,
    /// Rows in all tables together.
    pub rows: u64,
}

const FIRST: &[&str] = &[
    "Riverside",
    "Northgate",
    "Llŷn",
    "Ynys Môn",
    "Aberdâr",
    "Pen-y-bont",
    "St Mary's",
    "Castleton",
    "Hillcrest",
    "Glan-yr-Afon",
    "Brynmawr",
    "Tŷ Hapus",
    "Ashford",
    "Kingsmead",
    "Marshfield",
    "Yarrow",
    "Cwm Rhondda",
    "Bro Ddyfi",
    "Lakeside",
    "Oakwood",
];
const FOCUS: &[&str] = &[
    "Food Bank",
    "Youth Project",
    "Carers Centre",
    "Community Transport",
    "Women's Aid",
    "Hospice",
    "Credit Union",
    "Arts & Heritage",
    "Befriending Service",
    "Mind",
    "Citizens Advice",
    "Men's Shed",
    "Choir",
    "Playgroup",
    "Allotment Society",
    "Refugee Welcome",
];
const SUFFIX: &[&str] = &[
    "",
    " Trust",
    " Association",
    " CIO",
    " Foundation",
    " Society",
    " Cymru",
    " & Friends",
];
const ACTIVITY: &[&str] = &[
    "Provides food parcels and advice to families in crisis",
    "Runs youth clubs, mentoring and holiday activities for children and young people",
    "Supports unpaid carers with breaks, advice and a listening ear",
    "Offers door-to-door transport for older and disabled people",
    "Gives safe housing and support to women and children escaping abuse",
    "Cares for people with life-limiting illness and their families",
    "Runs a \"pay as you feel\" café and lunch club for older people",
    "Teaches English and digital skills to refugees & asylum seekers",
    "Restores and opens the town's heritage buildings to the public",
    "Funds grants to local schools for music, sport and the arts",
    "Cynnal gweithgareddau Cymraeg i blant a theuluoedd yn yr ardal",
    "Provides counselling and mental health support for adults",
];
const RARE: &[&str] = &[
    "beekeeping",
    "bellringing",
    "canal restoration",
    "lifeboat",
    "harp tuition",
    "eisteddfod",
    "dry-stone walling",
    "orchard",
    "lighthouse",
    "puppetry",
];
/// Words that a handful of charities have (one in a thousand, shared out).
pub const UNCOMMON: &[&str] = &[
    "zither",
    "quilting",
    "falconry",
    "morris",
    "origami",
    "sourdough",
    "taxidermy",
    "clogs",
];
const AREAS: &[&str] = &[
    "Gwynedd",
    "Ynys Môn",
    "Conwy",
    "Cardiff",
    "Swansea",
    "Rhondda Cynon Taf",
    "Manchester City",
    "Leeds City",
    "Bristol City",
    "Norfolk",
    "Devon",
    "Cumbria",
    "Kent",
    "Birmingham City",
    "Cornwall",
    "Throughout England And Wales",
];
const CLASSES: &[(i64, &str, &str)] = &[
    (101, "What", "General Charitable Purposes"),
    (102, "What", "Education/training"),
    (103, "What", "The Advancement Of Health Or Saving Of Lives"),
    (104, "What", "Disability"),
    (105, "What", "The Prevention Or Relief Of Poverty"),
    (106, "What", "Overseas Aid/famine Relief"),
    (107, "What", "Accommodation/housing"),
    (108, "What", "Religious Activities"),
    (109, "What", "Arts/culture/heritage/science"),
    (110, "What", "Amateur Sport"),
    (111, "What", "Animals"),
    (112, "What", "Environment/conservation/heritage"),
    (113, "What", "Economic/community Development/employment"),
    (114, "What", "Armed Forces/emergency Service Efficiency"),
    (
        115,
        "What",
        "Human Rights/religious Or Racial Harmony/equality Or Diversity",
    ),
    (116, "What", "Recreation"),
    (117, "What", "Other Charitable Purposes"),
    (201, "Who", "Children/young People"),
    (202, "Who", "Elderly/old People"),
    (203, "Who", "People With Disabilities"),
    (204, "Who", "People Of A Particular Ethnic Or Racial Origin"),
    (205, "Who", "Other Charities Or Voluntary Bodies"),
    (206, "Who", "Other Defined Groups"),
    (207, "Who", "The General Public/mankind"),
    (301, "How", "Makes Grants To Individuals"),
    (302, "How", "Makes Grants To Organisations"),
    (303, "How", "Provides Other Finance"),
    (304, "How", "Provides Human Resources"),
    (305, "How", "Provides Buildings/facilities/open Space"),
    (306, "How", "Provides Services"),
    (307, "How", "Provides Advocacy/advice/information"),
    (308, "How", "Sponsors Or Undertakes Research"),
    (309, "How", "Acts As An Umbrella Or Resource Body"),
    (310, "How", "Other Charitable Activities"),
];

struct Rng(u64);

impl Rng {
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
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const EXTRACT_DATE: &str = "2026-11-01 00:00:00.0000000";

struct Files {
    charity: Vec<u8>,
    classification: Vec<u8>,
    area: Vec<u8>,
    document: Vec<u8>,
    other_names: Vec<u8>,
}

fn line(out: &mut Vec<u8>, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        out.extend_from_slice(f.as_bytes());
    }
    out.extend_from_slice(b"\r\n");
}

/// Writes an extract of `charities` main charities into `folder`, as the
/// five `publicextract.<table>.zip` files when `zipped`, else as `.txt`.
pub fn write_fake_extract(
    folder: &Path,
    charities: u64,
    zipped: bool,
) -> std::io::Result<FakeExtract> {
    let mut rng = Rng(0x5DEE_CE66_D1CE_4E5B);
    let mut facts = FakeExtract::default();
    let mut files = Files {
        charity: Vec::new(),
        classification: Vec::new(),
        area: Vec::new(),
        document: Vec::new(),
        other_names: Vec::new(),
    };
    files.charity.extend_from_slice("\u{feff}".as_bytes());
    line(
        &mut files.charity,
        &[
            "date_of_extract",
            "organisation_number",
            "registered_charity_number",
            "linked_charity_number",
            "charity_name",
            "charity_type",
            "charity_registration_status",
            "date_of_registration",
            "date_of_removal",
            "charity_reporting_status",
            "latest_acc_fin_period_start_date",
            "latest_acc_fin_period_end_date",
            "latest_income",
            "latest_expenditure",
            "charity_contact_address1",
            "charity_contact_address2",
            "charity_contact_address3",
            "charity_contact_address4",
            "charity_contact_address5",
            "charity_contact_postcode",
            "charity_contact_phone",
            "charity_contact_email",
            "charity_contact_web",
            "charity_company_registration_number",
            "charity_insolvent",
            "charity_in_administration",
            "charity_previously_excepted",
            "charity_is_cdf_or_cif",
            "charity_is_cio",
            "cio_is_dissolved",
            "date_cio_dissolution_notice",
            "charity_activities",
            "charity_gift_aid",
            "charity_has_land",
        ],
    );
    line(
        &mut files.classification,
        &[
            "date_of_extract",
            "organisation_number",
            "registered_charity_number",
            "linked_charity_number",
            "classification_code",
            "classification_type",
            "classification_description",
        ],
    );
    line(
        &mut files.area,
        &[
            "date_of_extract",
            "organisation_number",
            "registered_charity_number",
            "linked_charity_number",
            "geographic_area_type",
            "geographic_area_description",
            "parent_geographic_area_type",
            "parent_geographic_area_description",
            "welsh_ind",
        ],
    );
    line(
        &mut files.document,
        &[
            "date_of_extract",
            "organisation_number",
            "registered_charity_number",
            "linked_charity_number",
            "governing_document_description",
            "charitable_objects",
            "area_of_benefit",
        ],
    );
    line(
        &mut files.other_names,
        &[
            "date_of_extract",
            "organisation_number",
            "registered_charity_number",
            "linked_charity_number",
            "charity_name_id",
            "charity_name_type",
            "charity_name",
        ],
    );

    let mut organisation_number = 5_000_000u64;
    let mut name_id = 1u64;
    for i in 0..charities {
        let number = 200_000 + i;
        let linked = if rng.chance(10) { 1 + rng.below(3) } else { 0 };
        for l in 0..=linked {
            organisation_number += 1;
            let removed = rng.chance(15);
            let name = format!(
                "{} {}{}",
                rng.pick(FIRST),
                rng.pick(FOCUS),
                if l == 0 { *rng.pick(SUFFIX) } else { " Branch" }
            );
            let year = 1960 + rng.below(65);
            let registered = format!(
                "{year}-{:02}-{:02} 00:00:00.0000000",
                1 + rng.below(12),
                1 + rng.below(28)
            );
            let removal = if removed {
                format!("{}-03-31 00:00:00.0000000", year + 1 + rng.below(10))
            } else {
                String::new()
            };
            // Incomes spread over orders of magnitude, like the register's.
            let income = (10f64.powf(2.0 + rng.below(6000) as f64 / 1000.0)) as u64;
            // One charity in a thousand has one of a few uncommon words,
            // for searches that match a handful.
            let uncommon = if i % 1000 == 0 && l == 0 {
                format!(
                    " Known for its {}.",
                    UNCOMMON[(i / 1000) as usize % UNCOMMON.len()]
                )
            } else {
                String::new()
            };
            let activity = format!(
                "{}; also {} in {}.{uncommon}",
                rng.pick(ACTIVITY),
                rng.pick(RARE),
                rng.pick(AREAS)
            );
            let (number_s, linked_s, org_s) = (
                number.to_string(),
                l.to_string(),
                organisation_number.to_string(),
            );
            let (income_s, spend_s) = (income.to_string(), (income * 9 / 10).to_string());
            let slug: String = name
                .to_lowercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
            let web = format!("https://{slug}.example.org");
            let email = format!("hello@{slug}.example.org");
            line(
                &mut files.charity,
                &[
                    EXTRACT_DATE,
                    &org_s,
                    &number_s,
                    &linked_s,
                    &name,
                    "Other",
                    if removed { "Removed" } else { "Registered" },
                    &registered,
                    &removal,
                    if removed {
                        "Removed"
                    } else {
                        "Submission Received"
                    },
                    "2025-04-01 00:00:00.0000000",
                    "2026-03-31 00:00:00.0000000",
                    &income_s,
                    &spend_s,
                    "1 High Street",
                    "",
                    "",
                    "",
                    "",
                    "AB1 2CD",
                    "01632 960000",
                    &email,
                    &web,
                    "",
                    "False",
                    "False",
                    "False",
                    "",
                    if rng.chance(30) { "True" } else { "False" },
                    "",
                    "",
                    &activity,
                    "True",
                    "False",
                ],
            );
            if removed {
                facts.removed_rows += 1;
            } else {
                facts.registered_rows += 1;
            }
            if l == 0 {
                facts.main_charities += 1;
            } else {
                facts.linked_charities += 1;
            }
            let objects = format!(
                "To advance the {} of the inhabitants of {} and the surrounding area, in particular \"{}\" & related work.",
                if rng.chance(50) {
                    "education"
                } else {
                    "health and wellbeing"
                },
                rng.pick(AREAS),
                rng.pick(RARE)
            );
            line(
                &mut files.document,
                &[
                    EXTRACT_DATE,
                    &org_s,
                    &number_s,
                    &linked_s,
                    "CONSTITUTION",
                    &objects,
                    "NOT DEFINED",
                ],
            );
            if l > 0 {
                continue;
            }
            // Classifications: one to three of each kind, no code twice.
            let mut codes: Vec<usize> = Vec::new();
            for range in [0..17usize, 17..24, 24..34] {
                for _ in 0..1 + rng.below(3) {
                    let c = range.start + rng.below(range.len());
                    if !codes.contains(&c) {
                        codes.push(c);
                    }
                }
            }
            for c in codes {
                let (code, kind, description) = CLASSES[c];
                line(
                    &mut files.classification,
                    &[
                        EXTRACT_DATE,
                        &org_s,
                        &number_s,
                        "0",
                        &code.to_string(),
                        kind,
                        description,
                    ],
                );
                facts.classifications += 1;
            }
            let mut areas: Vec<&str> = Vec::new();
            for _ in 0..1 + rng.below(3) {
                let a = *rng.pick(AREAS);
                if !areas.contains(&a) {
                    areas.push(a);
                }
            }
            for a in areas {
                let welsh = [
                    "Gwynedd",
                    "Ynys Môn",
                    "Conwy",
                    "Cardiff",
                    "Swansea",
                    "Rhondda Cynon Taf",
                ]
                .contains(&a);
                line(
                    &mut files.area,
                    &[
                        EXTRACT_DATE,
                        &org_s,
                        &number_s,
                        "0",
                        "Local Authority",
                        a,
                        "",
                        "",
                        if welsh { "True" } else { "False" },
                    ],
                );
                facts.areas += 1;
            }
            if rng.chance(20) {
                name_id += 1;
                let other = format!("{} {}", rng.pick(FIRST), rng.pick(FOCUS));
                line(
                    &mut files.other_names,
                    &[
                        EXTRACT_DATE,
                        &org_s,
                        &number_s,
                        "0",
                        &name_id.to_string(),
                        "Working name",
                        &other,
                    ],
                );
                facts.other_names += 1;
            }
        }
    }
    facts.rows = facts.main_charities
        + facts.linked_charities * 2
        + facts.main_charities
        + facts.classifications
        + facts.areas
        + facts.other_names;

    for (table, data) in [
        ("charity", &files.charity),
        ("charity_classification", &files.classification),
        ("charity_area_of_operation", &files.area),
        ("charity_governing_document", &files.document),
        ("charity_other_names", &files.other_names),
    ] {
        let txt = format!("publicextract.{table}.txt");
        if zipped {
            let file = std::fs::File::create(folder.join(format!("publicextract.{table}.zip")))?;
            let mut zip = zip::ZipWriter::new(file);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .compression_level(Some(1));
            zip.start_file(txt, options)
                .map_err(std::io::Error::other)?;
            zip.write_all(data)?;
            zip.finish().map_err(std::io::Error::other)?;
        } else {
            std::fs::write(folder.join(txt), data)?;
        }
    }
    Ok(facts)
}
