//! The Charity Commission register extract, read line by line: which
//! tables and columns are needed, how each field is read, and what makes a
//! row malformed. Pure: the files are opened elsewhere.
//!
//! The extract is tab-separated text, not quoted CSV: a `"` is a literal
//! character, a field can hold neither a tab nor a line end, and an empty
//! field means "not given". Dates look like `2023-09-07 00:00:00.0000000`,
//! booleans like `True`/`False`.

use std::fmt;

/// The tables of the extract that Common Ground reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    Charity,
    Classification,
    AreaOfOperation,
    GoverningDocument,
    OtherNames,
}

impl Table {
    pub const ALL: [Table; 5] = [
        Table::Charity,
        Table::Classification,
        Table::AreaOfOperation,
        Table::GoverningDocument,
        Table::OtherNames,
    ];

    /// The name in the file names: `publicextract.<name>.zip` holding
    /// `publicextract.<name>.txt`.
    pub fn name(self) -> &'static str {
        match self {
            Table::Charity => "charity",
            Table::Classification => "charity_classification",
            Table::AreaOfOperation => "charity_area_of_operation",
            Table::GoverningDocument => "charity_governing_document",
            Table::OtherNames => "charity_other_names",
        }
    }

    /// The columns read from this table, in the order [`Header::fields`]
    /// hands them out. A file may have more columns, in any order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Charity => &[
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
                "charity_is_cio",
                "charity_activities",
            ],
            Table::Classification => &[
                "registered_charity_number",
                "linked_charity_number",
                "classification_code",
                "classification_type",
                "classification_description",
            ],
            Table::AreaOfOperation => &[
                "registered_charity_number",
                "linked_charity_number",
                "geographic_area_type",
                "geographic_area_description",
                "parent_geographic_area_type",
                "parent_geographic_area_description",
                "welsh_ind",
            ],
            Table::GoverningDocument => &[
                "registered_charity_number",
                "linked_charity_number",
                "charitable_objects",
                "area_of_benefit",
            ],
            Table::OtherNames => &[
                "registered_charity_number",
                "linked_charity_number",
                "charity_name_id",
                "charity_name_type",
                "charity_name",
            ],
        }
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Drops a UTF-8 byte-order mark and the line end (LF or CRLF).
pub fn clean_line(line: &str) -> &str {
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// Where each needed column sits in one file.
#[derive(Debug, Clone)]
pub struct Header {
    table: Table,
    positions: Vec<usize>,
    width: usize,
}

impl Header {
    /// Reads a header row. Every needed column must be there by name;
    /// the error names the missing ones.
    pub fn parse(table: Table, line: &str) -> Result<Header, String> {
        let names: Vec<&str> = clean_line(line).split('\t').map(str::trim).collect();
        let mut positions = Vec::with_capacity(table.columns().len());
        let mut missing = Vec::new();
        for column in table.columns() {
            match names.iter().position(|n| n.eq_ignore_ascii_case(column)) {
                Some(p) => positions.push(p),
                None => missing.push(*column),
            }
        }
        if !missing.is_empty() {
            return Err(format!(
                "the header row is not that of the {table} table: it has no column {}",
                missing.join(", ")
            ));
        }
        Ok(Header {
            table,
            positions,
            width: names.len(),
        })
    }

    pub fn table(&self) -> Table {
        self.table
    }

    /// The registered charity number of a row, if it can be read at all
    /// (also from a row that is malformed otherwise).
    pub fn charity_number_of(&self, line: &str) -> Option<i64> {
        let index = self
            .table
            .columns()
            .iter()
            .position(|c| *c == "registered_charity_number")?;
        let field = clean_line(line).split('\t').nth(self.positions[index])?;
        field.trim().parse().ok()
    }

    /// The needed fields of one data row, in the order of
    /// [`Table::columns`]; an error when the row has a different number
    /// of columns than the header.
    pub fn fields<'a>(&self, line: &'a str) -> Result<Vec<&'a str>, String> {
        let all: Vec<&str> = clean_line(line).split('\t').collect();
        if all.len() != self.width {
            return Err(format!(
                "it has {} columns where the header has {}",
                all.len(),
                self.width
            ));
        }
        Ok(self.positions.iter().map(|&p| all[p]).collect())
    }
}

/// Registered or removed, as the register says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Registered,
    Removed,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Registered => "registered",
            Status::Removed => "removed",
        }
    }

    pub fn parse_code(code: &str) -> Option<Status> {
        match code {
            "registered" => Some(Status::Registered),
            "removed" => Some(Status::Removed),
            _ => None,
        }
    }
}

/// The three kinds of classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClassificationKind {
    /// 101–117: the causes a charity works for.
    What,
    /// 201–207: the people it helps.
    Who,
    /// 301–310: how it works.
    How,
}

impl ClassificationKind {
    /// The kind a code belongs to, or None for a code outside the ranges.
    pub fn of_code(code: i64) -> Option<ClassificationKind> {
        match code {
            101..=117 => Some(ClassificationKind::What),
            201..=207 => Some(ClassificationKind::Who),
            301..=310 => Some(ClassificationKind::How),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ClassificationKind::What => "what",
            ClassificationKind::Who => "who",
            ClassificationKind::How => "how",
        }
    }
}

/// Income bands for the directory's filter, by latest annual income.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IncomeBand {
    /// Under £10,000.
    Under10k,
    /// £10,000 to £99,999.
    From10kTo100k,
    /// £100,000 to £999,999.
    From100kTo1m,
    /// £1 million to £9,999,999.
    From1mTo10m,
    /// £10 million and over.
    Over10m,
}

impl IncomeBand {
    pub const ALL: [IncomeBand; 5] = [
        IncomeBand::Under10k,
        IncomeBand::From10kTo100k,
        IncomeBand::From100kTo1m,
        IncomeBand::From1mTo10m,
        IncomeBand::Over10m,
    ];

    pub fn of_income(income: i64) -> IncomeBand {
        match income {
            i64::MIN..10_000 => IncomeBand::Under10k,
            10_000..100_000 => IncomeBand::From10kTo100k,
            100_000..1_000_000 => IncomeBand::From100kTo1m,
            1_000_000..10_000_000 => IncomeBand::From1mTo10m,
            _ => IncomeBand::Over10m,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            IncomeBand::Under10k => "under-10k",
            IncomeBand::From10kTo100k => "10k-100k",
            IncomeBand::From100kTo1m => "100k-1m",
            IncomeBand::From1mTo10m => "1m-10m",
            IncomeBand::Over10m => "over-10m",
        }
    }

    pub fn parse_code(code: &str) -> Option<IncomeBand> {
        IncomeBand::ALL.into_iter().find(|b| b.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            IncomeBand::Under10k => "under £10,000",
            IncomeBand::From10kTo100k => "£10,000 to £100,000",
            IncomeBand::From100kTo1m => "£100,000 to £1 million",
            IncomeBand::From1mTo10m => "£1 million to £10 million",
            IncomeBand::Over10m => "£10 million or more",
        }
    }
}

/// A field of text: None when empty, else trimmed.
pub fn text(field: &str) -> Option<String> {
    let t = field.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A field that must be given.
pub fn required_text(column: &str, field: &str) -> Result<String, String> {
    text(field).ok_or_else(|| format!("{column} is empty"))
}

/// A whole number, or None when empty. Amounts written with pence
/// (`1234.56`) are rounded to whole pounds.
pub fn number(column: &str, field: &str) -> Result<Option<i64>, String> {
    let t = field.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let bad = || format!("{column}: {t:?} is not a number");
    let (whole, fraction) = match t.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (t, None),
    };
    let digits = whole.strip_prefix('-').unwrap_or(whole);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let mut value: i64 = whole.parse().map_err(|_| bad())?;
    if let Some(f) = fraction {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        if f.as_bytes()[0] >= b'5' {
            value = if whole.starts_with('-') {
                value.checked_sub(1)
            } else {
                value.checked_add(1)
            }
            .ok_or_else(bad)?;
        }
    }
    Ok(Some(value))
}

/// A whole number that must be given.
pub fn required_number(column: &str, field: &str) -> Result<i64, String> {
    number(column, field)?.ok_or_else(|| format!("{column} is empty"))
}

/// `True`/`False` (any case), or None when empty.
pub fn boolean(column: &str, field: &str) -> Result<Option<bool>, String> {
    let t = field.trim();
    if t.is_empty() {
        Ok(None)
    } else if t.eq_ignore_ascii_case("true") {
        Ok(Some(true))
    } else if t.eq_ignore_ascii_case("false") {
        Ok(Some(false))
    } else {
        Err(format!("{column}: {t:?} is neither True nor False"))
    }
}

/// A date as `YYYY-MM-DD`, read from `YYYY-MM-DD` with or without a time
/// after it (`2023-09-07 00:00:00.0000000`, `2023-09-07T00:00:00`); None
/// when empty.
pub fn date(column: &str, field: &str) -> Result<Option<String>, String> {
    let t = field.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let bad = || format!("{column}: {t:?} is not a date");
    let day_part = t.get(..10).ok_or_else(bad)?;
    let rest = &t[10..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('T')) {
        return Err(bad());
    }
    if !rest.is_empty() && !valid_time(&rest[1..]) {
        return Err(bad());
    }
    let b = day_part.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    let (y, m, d) = (&day_part[..4], &day_part[5..7], &day_part[8..10]);
    if !digits(y) || !digits(m) || !digits(d) {
        return Err(bad());
    }
    let (y, m, d): (u32, u32, u32) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if d == 0 || d > days || y < 1000 {
        return Err(bad());
    }
    Ok(Some(day_part.to_string()))
}

/// `HH:MM:SS` with optional fractions of a second.
fn valid_time(t: &str) -> bool {
    let (hms, fraction) = match t.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (t, None),
    };
    let parts: Vec<&str> = hms.split(':').collect();
    let two_digits = |s: &str, max: u32| {
        s.len() == 2
            && s.bytes().all(|c| c.is_ascii_digit())
            && s.parse::<u32>().unwrap_or(99) <= max
    };
    parts.len() == 3
        && two_digits(parts[0], 23)
        && two_digits(parts[1], 59)
        && two_digits(parts[2], 60)
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()))
}

/// One row of the charity table: a main charity (linked number 0) or a
/// linked charity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CharityRow {
    pub extract_date: Option<String>,
    pub organisation_number: i64,
    pub registered_charity_number: i64,
    pub linked_charity_number: i64,
    pub name: String,
    pub charity_type: Option<String>,
    pub status: Status,
    pub date_registered: Option<String>,
    pub date_removed: Option<String>,
    pub reporting_status: Option<String>,
    pub latest_income: Option<i64>,
    pub latest_expenditure: Option<i64>,
    /// The address lines that are given, one a line.
    pub contact_address: Option<String>,
    pub contact_postcode: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub contact_web: Option<String>,
    pub company_number: Option<String>,
    pub is_cio: Option<bool>,
    pub activities: Option<String>,
}

/// A registered charity number (or linked number) must be a positive
/// whole number (0 for the linked number of a main charity).
fn charity_number(column: &str, field: &str, zero_allowed: bool) -> Result<i64, String> {
    let n = required_number(column, field)?;
    if n < 0 || (n == 0 && !zero_allowed) || field.contains('.') {
        return Err(format!(
            "{column}: {:?} is not a charity number",
            field.trim()
        ));
    }
    Ok(n)
}

impl CharityRow {
    /// Reads the fields of one row, in the order of [`Table::columns`].
    pub fn parse(f: &[&str]) -> Result<CharityRow, String> {
        let cols = Table::Charity.columns();
        let status = match f[6].trim() {
            s if s.eq_ignore_ascii_case("registered") => Status::Registered,
            s if s.eq_ignore_ascii_case("removed") => Status::Removed,
            s => {
                return Err(format!(
                    "{}: {s:?} is neither Registered nor Removed",
                    cols[6]
                ));
            }
        };
        let address: Vec<&str> = f[12..17]
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .collect();
        Ok(CharityRow {
            extract_date: date(cols[0], f[0])?,
            organisation_number: required_number(cols[1], f[1])?,
            registered_charity_number: charity_number(cols[2], f[2], false)?,
            linked_charity_number: charity_number(cols[3], f[3], true)?,
            name: required_text(cols[4], f[4])?,
            charity_type: text(f[5]),
            status,
            date_registered: date(cols[7], f[7])?,
            date_removed: date(cols[8], f[8])?,
            reporting_status: text(f[9]),
            latest_income: number(cols[10], f[10])?,
            latest_expenditure: number(cols[11], f[11])?,
            contact_address: (!address.is_empty()).then(|| address.join("\n")),
            contact_postcode: text(f[17]),
            contact_phone: text(f[18]),
            contact_email: text(f[19]),
            contact_web: text(f[20]),
            company_number: text(f[21]),
            is_cio: boolean(cols[22], f[22])?,
            activities: text(f[23]),
        })
    }

    pub fn org_identifier(&self) -> String {
        org_identifier(self.registered_charity_number)
    }
}

/// The org-id of a registered charity.
pub fn org_identifier(registered_charity_number: i64) -> String {
    format!("GB-CHC-{registered_charity_number}")
}

/// Which charity a row of another table belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CharityKey {
    pub registered_charity_number: i64,
    pub linked_charity_number: i64,
}

fn key(f: &[&str], cols: &[&str]) -> Result<CharityKey, String> {
    Ok(CharityKey {
        registered_charity_number: charity_number(cols[0], f[0], false)?,
        linked_charity_number: charity_number(cols[1], f[1], true)?,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClassificationRow {
    pub charity: CharityKey,
    pub code: i64,
    pub kind: ClassificationKind,
    pub description: String,
}

impl ClassificationRow {
    pub fn parse(f: &[&str]) -> Result<ClassificationRow, String> {
        let cols = Table::Classification.columns();
        let charity = key(f, cols)?;
        let code = required_number(cols[2], f[2])?;
        let kind = ClassificationKind::of_code(code).ok_or_else(|| {
            format!(
                "{}: {code} is not a classification code (101-117, 201-207, 301-310)",
                cols[2]
            )
        })?;
        let given = f[3].trim();
        if !given.eq_ignore_ascii_case(kind.code()) {
            return Err(format!(
                "{}: {given:?} does not match code {code}, which is {}",
                cols[3],
                kind.code()
            ));
        }
        Ok(ClassificationRow {
            charity,
            code,
            kind,
            description: required_text(cols[4], f[4])?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AreaRow {
    pub charity: CharityKey,
    pub area_type: String,
    pub area: String,
    pub parent_area_type: Option<String>,
    pub parent_area: Option<String>,
    pub welsh: Option<bool>,
}

impl AreaRow {
    pub fn parse(f: &[&str]) -> Result<AreaRow, String> {
        let cols = Table::AreaOfOperation.columns();
        Ok(AreaRow {
            charity: key(f, cols)?,
            area_type: required_text(cols[2], f[2])?,
            area: required_text(cols[3], f[3])?,
            parent_area_type: text(f[4]),
            parent_area: text(f[5]),
            welsh: boolean(cols[6], f[6])?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GoverningDocumentRow {
    pub charity: CharityKey,
    pub charitable_objects: Option<String>,
    pub area_of_benefit: Option<String>,
}

impl GoverningDocumentRow {
    pub fn parse(f: &[&str]) -> Result<GoverningDocumentRow, String> {
        let cols = Table::GoverningDocument.columns();
        Ok(GoverningDocumentRow {
            charity: key(f, cols)?,
            charitable_objects: text(f[2]),
            area_of_benefit: text(f[3]),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OtherNameRow {
    pub charity: CharityKey,
    pub name_id: i64,
    pub name_type: String,
    pub name: String,
}

impl OtherNameRow {
    pub fn parse(f: &[&str]) -> Result<OtherNameRow, String> {
        let cols = Table::OtherNames.columns();
        Ok(OtherNameRow {
            charity: key(f, cols)?,
            name_id: required_number(cols[2], f[2])?,
            name_type: required_text(cols[3], f[3])?,
            name: required_text(cols[4], f[4])?,
        })
    }
}

/// Everything the extract says about one main charity: its own row, its
/// linked charities, and the rows of the other tables for any of them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Charity {
    pub main: CharityRow,
    pub linked: Vec<CharityRow>,
    /// The governing document's objects, per linked number (0 = main).
    pub documents: Vec<GoverningDocumentRow>,
    pub classifications: Vec<ClassificationRow>,
    pub areas: Vec<AreaRow>,
    pub other_names: Vec<OtherNameRow>,
}

impl Charity {
    pub fn new(main: CharityRow) -> Charity {
        Charity {
            main,
            linked: Vec::new(),
            documents: Vec::new(),
            classifications: Vec::new(),
            areas: Vec::new(),
            other_names: Vec::new(),
        }
    }

    /// Puts the parts in a fixed order, so that the same extract content
    /// always gives the same [`Charity::digest`].
    pub fn normalise(&mut self) {
        self.linked.sort_by_key(|l| l.linked_charity_number);
        self.documents.sort_by_key(|d| d.charity);
        self.classifications.sort_by_key(|c| (c.charity, c.code));
        self.classifications.dedup_by_key(|c| (c.charity, c.code));
        self.other_names.sort_by_key(|n| (n.charity, n.name_id));
        self.other_names.dedup_by_key(|n| (n.charity, n.name_id));
        // Areas keep the order of the file: it is the register's order.
    }

    /// The governing document of the main charity.
    pub fn main_document(&self) -> Option<&GoverningDocumentRow> {
        self.documents
            .iter()
            .find(|d| d.charity.linked_charity_number == 0)
    }

    /// A digest of all of it except the date of the extract, so that a
    /// charity is rewritten only when something about it changed. FNV-1a
    /// over the fields with their lengths: stable across builds and
    /// versions, unlike the standard library's hasher.
    pub fn digest(&self) -> i64 {
        let mut h = Fnv::new();
        charity_digest(&mut h, &self.main);
        h.u64(self.linked.len() as u64);
        for l in &self.linked {
            charity_digest(&mut h, l);
        }
        h.u64(self.documents.len() as u64);
        for d in &self.documents {
            h.key(d.charity);
            h.opt(&d.charitable_objects);
            h.opt(&d.area_of_benefit);
        }
        h.u64(self.classifications.len() as u64);
        for c in &self.classifications {
            h.key(c.charity);
            h.u64(c.code as u64);
            h.str(&c.description);
        }
        h.u64(self.areas.len() as u64);
        for a in &self.areas {
            h.key(a.charity);
            h.str(&a.area_type);
            h.str(&a.area);
            h.opt(&a.parent_area_type);
            h.opt(&a.parent_area);
            h.u64(match a.welsh {
                None => 2,
                Some(b) => b as u64,
            });
        }
        h.u64(self.other_names.len() as u64);
        for n in &self.other_names {
            h.key(n.charity);
            h.u64(n.name_id as u64);
            h.str(&n.name_type);
            h.str(&n.name);
        }
        h.0 as i64
    }
}

fn charity_digest(h: &mut Fnv, r: &CharityRow) {
    h.u64(r.organisation_number as u64);
    h.u64(r.registered_charity_number as u64);
    h.u64(r.linked_charity_number as u64);
    h.str(&r.name);
    h.opt(&r.charity_type);
    h.str(r.status.code());
    h.opt(&r.date_registered);
    h.opt(&r.date_removed);
    h.opt(&r.reporting_status);
    h.opt_i64(r.latest_income);
    h.opt_i64(r.latest_expenditure);
    h.opt(&r.contact_address);
    h.opt(&r.contact_postcode);
    h.opt(&r.contact_phone);
    h.opt(&r.contact_email);
    h.opt(&r.contact_web);
    h.opt(&r.company_number);
    h.u64(match r.is_cio {
        None => 2,
        Some(b) => b as u64,
    });
    h.opt(&r.activities);
}

struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.bytes(s.as_bytes());
    }
    fn opt(&mut self, s: &Option<String>) {
        match s {
            None => self.u64(u64::MAX),
            Some(s) => self.str(s),
        }
    }
    fn opt_i64(&mut self, v: Option<i64>) {
        match v {
            None => self.bytes(&[0]),
            Some(v) => {
                self.bytes(&[1]);
                self.u64(v as u64);
            }
        }
    }
    fn key(&mut self, k: CharityKey) {
        self.u64(k.registered_charity_number as u64);
        self.u64(k.linked_charity_number as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_with_or_without_a_time() {
        assert_eq!(
            date("d", "2023-09-07 00:00:00.0000000").unwrap().as_deref(),
            Some("2023-09-07")
        );
        assert_eq!(
            date("d", "2024-02-29").unwrap().as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(
            date("d", "2024-02-29T10:11:12").unwrap().as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(date("d", "").unwrap(), None);
        assert_eq!(date("d", "  ").unwrap(), None);
        for bad in [
            "2023-02-29",
            "2023-13-01",
            "2023-00-10",
            "2023-01-32",
            "07/09/2023",
            "2023-09-07 25:00:00",
            "2023-09-07x",
            "2023-9-7",
            "yesterday",
            "2023-09-07 00:00:00.",
            "२०२३-09-07",
        ] {
            assert_eq!(
                date("date_of_registration", bad),
                Err(format!("date_of_registration: {bad:?} is not a date")),
                "{bad}"
            );
        }
    }

    #[test]
    fn numbers_booleans_and_text() {
        assert_eq!(number("n", "").unwrap(), None);
        assert_eq!(number("n", "2421985").unwrap(), Some(2421985));
        assert_eq!(number("n", "-12").unwrap(), Some(-12));
        assert_eq!(number("n", "10.49").unwrap(), Some(10));
        assert_eq!(number("n", "10.5").unwrap(), Some(11));
        for bad in [
            "12x",
            "1,000",
            "£5",
            ".5",
            "5.",
            "-",
            "99999999999999999999",
        ] {
            assert_eq!(
                number("latest_income", bad),
                Err(format!("latest_income: {bad:?} is not a number")),
                "{bad}"
            );
        }
        assert_eq!(boolean("b", "True").unwrap(), Some(true));
        assert_eq!(boolean("b", "false").unwrap(), Some(false));
        assert_eq!(boolean("b", "").unwrap(), None);
        assert!(boolean("b", "yes").is_err());
        assert_eq!(
            text("  Llŷn & \"Eifionydd\"  ").as_deref(),
            Some("Llŷn & \"Eifionydd\"")
        );
        assert_eq!(text(""), None);
    }

    #[test]
    fn lines_lose_their_bom_and_line_end() {
        assert_eq!(clean_line("\u{feff}a\tb\r\n"), "a\tb");
        assert_eq!(clean_line("a\tb\n"), "a\tb");
        assert_eq!(clean_line("a\t\"b\""), "a\t\"b\"");
    }

    #[test]
    fn headers_find_their_columns_by_name() {
        let line = "\u{feff}registered_charity_number\tlinked_charity_number\textra\tclassification_code\tclassification_type\tclassification_description\r\n";
        let header = Header::parse(Table::Classification, line).unwrap();
        let fields = header
            .fields("200000\t0\tx\t101\tWhat\tGeneral Charitable Purposes\r\n")
            .unwrap();
        let row = ClassificationRow::parse(&fields).unwrap();
        assert_eq!(row.code, 101);
        assert_eq!(row.kind, ClassificationKind::What);
        assert_eq!(header.charity_number_of("200000\t0\t101"), Some(200000));
        assert_eq!(header.charity_number_of("x\t0"), None);
        assert_eq!(
            header.fields("200000\t0\t101").unwrap_err(),
            "it has 3 columns where the header has 6"
        );
        assert_eq!(
            Header::parse(Table::Classification, "registered_charity_number\tfoo").unwrap_err(),
            "the header row is not that of the charity_classification table: it has no column \
             linked_charity_number, classification_code, classification_type, classification_description"
        );
    }

    #[test]
    fn classification_codes_belong_to_their_kind() {
        assert_eq!(
            ClassificationKind::of_code(117),
            Some(ClassificationKind::What)
        );
        assert_eq!(ClassificationKind::of_code(118), None);
        assert_eq!(
            ClassificationKind::of_code(207),
            Some(ClassificationKind::Who)
        );
        assert_eq!(
            ClassificationKind::of_code(301),
            Some(ClassificationKind::How)
        );
        assert_eq!(ClassificationKind::of_code(311), None);
        let fields = ["1", "0", "201", "What", "Children/young People"];
        assert_eq!(
            ClassificationRow::parse(&fields).unwrap_err(),
            "classification_type: \"What\" does not match code 201, which is who"
        );
    }

    #[test]
    fn income_bands() {
        assert_eq!(IncomeBand::of_income(0), IncomeBand::Under10k);
        assert_eq!(IncomeBand::of_income(9_999), IncomeBand::Under10k);
        assert_eq!(IncomeBand::of_income(10_000), IncomeBand::From10kTo100k);
        assert_eq!(IncomeBand::of_income(999_999), IncomeBand::From100kTo1m);
        assert_eq!(IncomeBand::of_income(1_000_000), IncomeBand::From1mTo10m);
        assert_eq!(IncomeBand::of_income(10_000_000), IncomeBand::Over10m);
        for band in IncomeBand::ALL {
            assert_eq!(IncomeBand::parse_code(band.code()), Some(band));
        }
    }

    #[test]
    fn the_digest_sees_every_change_but_the_extract_date() {
        let fields: Vec<&str> = "2023-09-07 00:00:00.0000000\t207237\t207237\t0\tRaymond ton Children Society\tOther\tRegistered\t1963-07-25 00:00:00.0000000\t\tSubmission Received\t2421985\t2550072\tStudio 6\tSouth Beverleymouth\t\t\t\tM1H 3ZZ\t(01632) 960902\tr@example.com\thttps://www.example.com/r\t\tFalse\tQuidem minus"
            .split('\t')
            .collect();
        let row = CharityRow::parse(&fields).unwrap();
        assert_eq!(
            row.contact_address.as_deref(),
            Some("Studio 6\nSouth Beverleymouth")
        );
        let a = Charity::new(row.clone());
        let mut later = row.clone();
        later.extract_date = Some("2024-01-01".into());
        assert_eq!(Charity::new(later).digest(), a.digest());
        let mut richer = row.clone();
        richer.latest_income = Some(2421986);
        assert_ne!(Charity::new(richer).digest(), a.digest());
        let mut with_area = a.clone();
        with_area.areas.push(AreaRow {
            charity: CharityKey {
                registered_charity_number: 207237,
                linked_charity_number: 0,
            },
            area_type: "Local Authority".into(),
            area: "Gwynedd".into(),
            parent_area_type: None,
            parent_area: None,
            welsh: Some(true),
        });
        assert_ne!(with_area.digest(), a.digest());
    }
}
