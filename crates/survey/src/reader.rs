//! Reading a survey: households joined with their members, streaming.
//!
//! The members file is read and parsed on its own thread and handed over in groups of
//! consecutive rows with the same `household_id`. When both files list households in the same
//! order (as exported), each household meets its group at once and memory stays flat. Otherwise,
//! at the first household whose group is not next, the rest of the members file is held in memory
//! by household (`SurveyReader::buffered` says so), and the join stays correct.

use crate::batch::{self, Batched};
use crate::parse::{self, Columns, HouseholdRecord, MemberRecord};
use crate::source::Source;
use crate::units::Catalogue;
use crate::RowError;
use csv::ByteRecord;
use giamngheo_rules::msg;
use giamngheo_rules::Standards;
use hashbrown::HashTable;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use xxhash_rust::xxh3::xxh3_128;

/// A household with its members, ready to classify.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyItem {
    pub household: HouseholdRecord,
    /// The member rows, in file order; `None` when there is no members file.
    pub members: Option<Vec<MemberRecord>>,
}

struct MemberGroup {
    household_id: String,
    /// The rows that parsed.
    members: Vec<MemberRecord>,
    /// Errors of the rows that did not, and their row numbers.
    errors: Vec<RowError>,
    bad_rows: Vec<u64>,
}

impl MemberGroup {
    fn rows(&self) -> usize {
        self.members.len() + self.bad_rows.len()
    }

    fn append(&mut self, other: MemberGroup) {
        self.members.extend(other.members);
        self.errors.extend(other.errors);
        self.bad_rows.extend(other.bad_rows);
    }

    fn row_numbers(&self) -> Vec<u64> {
        let mut rows: Vec<u64> = self
            .members
            .iter()
            .map(|m| m.row)
            .chain(self.bad_rows.iter().copied())
            .collect();
        rows.sort_unstable();
        rows
    }
}

enum Fed {
    Group(MemberGroup),
    /// A row that belongs to no household (no household_id, or unreadable).
    Stray(RowError),
}

struct MemberFeed {
    name: Arc<str>,
    fed: Batched<Fed>,
    lookahead: Option<MemberGroup>,
    buffered: Option<HashMap<String, MemberGroup>>,
    stray: Vec<RowError>,
}

impl MemberFeed {
    fn spawn(mut src: Source, cols: Columns, cat: &'static Catalogue) -> MemberFeed {
        let name = src.name.clone();
        let (mut tx, fed) = batch::channel::<Fed>(8);
        thread::spawn(move || {
            let mut rec = ByteRecord::new();
            let mut current: Option<MemberGroup> = None;
            loop {
                let row = match src.next_row(&mut rec) {
                    Ok(Some(row)) => row,
                    Ok(None) => break,
                    Err(e) => {
                        if !tx.push(Fed::Stray(e)) {
                            return;
                        }
                        continue;
                    }
                };
                let Some(hid) = parse::member_household_id(&cols, &rec) else {
                    let errs = match parse::member(&cols, &rec, row, cat) {
                        Err(e) => e,
                        Ok(_) => Vec::new(),
                    };
                    for e in errs {
                        if !tx.push(Fed::Stray(e)) {
                            return;
                        }
                    }
                    continue;
                };
                if current.as_ref().is_some_and(|g| g.household_id != hid) {
                    if let Some(g) = current.take() {
                        if !tx.push(Fed::Group(g)) {
                            return;
                        }
                    }
                }
                let g = current.get_or_insert_with(|| MemberGroup {
                    household_id: hid.to_string(),
                    members: Vec::with_capacity(8),
                    errors: Vec::new(),
                    bad_rows: Vec::new(),
                });
                match parse::member(&cols, &rec, row, cat) {
                    Ok(m) => g.members.push(m),
                    Err(e) => {
                        g.errors.extend(e);
                        g.bad_rows.push(row);
                    }
                }
            }
            if let Some(g) = current.take() {
                tx.push(Fed::Group(g));
            }
            tx.finish();
        });
        MemberFeed {
            name,
            fed,
            lookahead: None,
            buffered: None,
            stray: Vec::new(),
        }
    }

    fn next_group(&mut self) -> Option<MemberGroup> {
        loop {
            match self.fed.next()? {
                Fed::Group(g) => return Some(g),
                Fed::Stray(e) => self.stray.push(e),
            }
        }
    }

    /// The member rows of a household.
    fn take(&mut self, id: &str) -> Option<MemberGroup> {
        if let Some(map) = &mut self.buffered {
            return map.remove(id);
        }
        let g = self.lookahead.take().or_else(|| self.next_group())?;
        if g.household_id == id {
            return Some(g);
        }
        let mut map = HashMap::new();
        let mut pending = Some(g);
        while let Some(g) = pending.take().or_else(|| self.next_group()) {
            match map.entry(g.household_id.clone()) {
                Entry::Vacant(v) => {
                    v.insert(g);
                }
                Entry::Occupied(mut o) => o.get_mut().append(g),
            }
        }
        let found = map.remove(id);
        self.buffered = Some(map);
        found
    }

    /// Every group not taken by a household.
    fn rest(&mut self) -> Vec<MemberGroup> {
        let mut rest: Vec<MemberGroup> = self.lookahead.take().into_iter().collect();
        while let Some(g) = self.next_group() {
            rest.push(g);
        }
        if let Some(map) = self.buffered.take() {
            rest.extend(map.into_values());
        }
        rest
    }
}

/// Households with their members, read from the exchange format's files.
pub struct SurveyReader {
    households: HouseholdFeed,
    members: Option<MemberFeed>,
}

/// A households row as the households thread hands it over: parsed, and checked against the
/// rows before it for a duplicate id.
struct ParsedHousehold {
    row: u64,
    /// The id when the row did not parse (it is in the record otherwise).
    raw_id: Option<String>,
    result: Result<HouseholdRecord, Vec<RowError>>,
    /// The id was met on an earlier row: `result` holds that error.
    duplicate: bool,
}

// rows travel by value in batches; boxing the large variant would cost an allocation per row
#[allow(clippy::large_enum_variant)]
enum HouseholdFed {
    Row(ParsedHousehold),
    Unreadable(RowError),
}

/// The households file, read, parsed and checked for duplicate ids on a thread of its own.
struct HouseholdFeed {
    name: Arc<str>,
    /// Bytes of the households file read so far, and its size.
    progress: Arc<AtomicU64>,
    size: u64,
    fed: Batched<HouseholdFed>,
    done: Option<thread::JoinHandle<SeenIds>>,
    seen: Option<SeenIds>,
}

impl HouseholdFeed {
    fn spawn(
        mut src: Source,
        size: u64,
        cols: Columns,
        cat: &'static Catalogue,
        mut seen: SeenIds,
    ) -> Self {
        let name = src.name.clone();
        let progress = Arc::new(AtomicU64::new(0));
        let read = progress.clone();
        let (mut tx, fed) = batch::channel::<HouseholdFed>(8);
        let done = thread::spawn(move || {
            let mut rec = ByteRecord::new();
            loop {
                let fed = match src.next_row(&mut rec) {
                    Ok(Some(row)) => {
                        HouseholdFed::Row(parse_household(&cols, &rec, row, cat, &mut seen))
                    }
                    Ok(None) => break,
                    Err(e) => HouseholdFed::Unreadable(e),
                };
                if !tx.push(fed) {
                    return seen;
                }
                read.store(src.bytes_read(), Ordering::Relaxed);
            }
            tx.finish();
            seen
        });
        HouseholdFeed {
            name,
            progress,
            size,
            fed,
            done: Some(done),
            seen: None,
        }
    }

    fn next(&mut self) -> Option<HouseholdFed> {
        self.fed.next()
    }

    /// The ids met, once the file is read to its end.
    fn seen(&mut self) -> Option<&SeenIds> {
        while self.next().is_some() {}
        if let Some(h) = self.done.take() {
            self.seen = h.join().ok();
        }
        self.seen.as_ref()
    }
}

fn parse_household(
    cols: &Columns,
    rec: &ByteRecord,
    row: u64,
    cat: &'static Catalogue,
    seen: &mut SeenIds,
) -> ParsedHousehold {
    let mut result = parse::household(cols, rec, row, cat);
    let raw_id = match &result {
        Ok(_) => None,
        Err(_) => parse::household_id(cols, rec).map(str::to_string),
    };
    let id = match &result {
        Ok(h) => Some(h.household.id.as_str()),
        Err(_) => raw_id.as_deref(),
    };
    let mut duplicate = false;
    if let Some(id) = id {
        if let Some(first) = seen.insert(id, row) {
            let e = RowError::new(
                &cols.file,
                row,
                "household_id",
                msg!("household_duplicate", id = id, first = first),
            );
            let mut errors = match result {
                Ok(_) => Vec::new(),
                Err(errors) => errors,
            };
            errors.push(e);
            result = Err(errors);
            duplicate = true;
        }
    }
    ParsedHousehold {
        row,
        raw_id,
        result,
        duplicate,
    }
}

impl SurveyReader {
    /// Opens a households file (CSV, or an XLSX workbook with sheets `households` and `members`)
    /// and optionally a members file. A workbook given as households is read for members too when
    /// it has a `members` sheet and no members file is named.
    pub fn open(
        households: &Path,
        members: Option<&Path>,
        standards: &Standards,
    ) -> Result<SurveyReader, Vec<RowError>> {
        SurveyReader::open_with(households, members, standards, true)
    }

    /// As [`SurveyReader::open`]; with `keep_text` false, names, villages and `x_` columns are
    /// skipped (left `None`/empty), which classification does not need.
    pub fn open_with(
        households: &Path,
        members: Option<&Path>,
        standards: &Standards,
        keep_text: bool,
    ) -> Result<SurveyReader, Vec<RowError>> {
        SurveyReader::open_units(households, members, standards, keep_text, false)
    }

    /// As [`SurveyReader::open_with`]; with `legacy_units`, commune codes are pre-2025 codes,
    /// each household reported under the 2025 commune the crosswalk maps its commune to.
    pub fn open_units(
        households: &Path,
        members: Option<&Path>,
        standards: &Standards,
        keep_text: bool,
        legacy_units: bool,
    ) -> Result<SurveyReader, Vec<RowError>> {
        let cat = Catalogue::builtin();
        let src = Source::open(households, "households").map_err(|e| vec![e])?;
        let mut cols = Columns::households(&src.name, &src.headers, standards, src.is_workbook)?;
        cols.keep_text = keep_text;
        cols.legacy_units = legacy_units;
        let members_path = match members {
            Some(p) => Some(p.to_path_buf()),
            None if src.sheets.iter().any(|s| s == "members") => Some(households.to_path_buf()),
            None => None,
        };
        let feed = match members_path {
            Some(p) => {
                let msrc = if p == households && src.is_workbook {
                    // the workbook the households sheet came from, checked when it was opened
                    Source::open_another_sheet(&p, "members")
                } else {
                    Source::open(&p, "members")
                }
                .map_err(|e| vec![e])?;
                let mut mcols = Columns::members(&msrc.name, &msrc.headers, msrc.is_workbook)?;
                mcols.keep_text = keep_text;
                Some(MemberFeed::spawn(msrc, mcols, cat))
            }
            None => None,
        };
        // size the duplicate index for the file at once (rows are rarely under 100 bytes) rather
        // than growing it by rehashing
        let size = std::fs::metadata(households).map(|m| m.len()).unwrap_or(0);
        let expected_rows = ((size / 100) as usize).clamp(1024, 1 << 26);
        let seen = SeenIds::with_capacity(if src.is_workbook { 1024 } else { expected_rows });
        Ok(SurveyReader {
            households: HouseholdFeed::spawn(src, size, cols, cat, seen),
            members: feed,
        })
    }

    /// Whether a members file is being read.
    pub fn has_members(&self) -> bool {
        self.members.is_some()
    }

    /// Whether the members had to be held in memory because the two files are in different orders.
    pub fn buffered(&self) -> bool {
        self.members.as_ref().is_some_and(|m| m.buffered.is_some())
    }

    /// Bytes of the households file read so far and its size, for a progress bar (both 0 for a
    /// workbook).
    pub fn progress(&self) -> (u64, u64) {
        let done = self.households.progress.load(Ordering::Relaxed);
        (done, if done == 0 { 0 } else { self.households.size })
    }

    /// The households file's name as errors give it.
    pub fn households_name(&self) -> &Arc<str> {
        &self.households.name
    }

    /// The members file's name as errors give it.
    pub fn members_name(&self) -> Option<Arc<str>> {
        self.members.as_ref().map(|m| m.name.clone())
    }

    /// Errors of member rows that belong to no household, found so far.
    pub fn take_stray(&mut self) -> Vec<RowError> {
        self.members
            .as_mut()
            .map(|m| std::mem::take(&mut m.stray))
            .unwrap_or_default()
    }

    /// The next household with its members, or every error that rejects it.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Result<SurveyItem, Vec<RowError>>> {
        let p = match self.households.next()? {
            HouseholdFed::Row(p) => p,
            HouseholdFed::Unreadable(e) => return Some(Err(vec![e])),
        };
        let row = p.row;
        if p.duplicate {
            // the first row with this id has taken its members
            return Some(Err(p.result.err().unwrap_or_default()));
        }
        let (parsed, mut errors) = match p.result {
            Ok(h) => (Some(h), Vec::new()),
            Err(e) => (None, e),
        };
        let id = match &parsed {
            Some(h) => Some(h.household.id.clone()),
            None => p.raw_id,
        };
        let name = self.households.name.clone();
        let mut members = None;
        if let Some(feed) = &mut self.members {
            let group = id.as_deref().and_then(|id| feed.take(id));
            match group {
                None => {
                    if id.is_some() {
                        errors.push(RowError::new(
                            &name,
                            row,
                            "household_id",
                            msg!("household_no_members", file = &feed.name),
                        ))
                    }
                }
                Some(mut g) => {
                    errors.append(&mut g.errors);
                    let mut numbers: Vec<(u32, u64)> = Vec::with_capacity(g.members.len());
                    for m in &g.members {
                        if let Some((_, first)) = numbers.iter().find(|(n, _)| *n == m.member_no) {
                            errors.push(RowError::new(
                                &feed.name,
                                m.row,
                                "member_no",
                                msg!(
                                    "member_twice",
                                    no = m.member_no,
                                    household = &g.household_id,
                                    first = first
                                ),
                            ));
                        }
                        numbers.push((m.member_no, m.row));
                    }
                    let count = g.rows() as u32;
                    if let Some(h) = &parsed {
                        if let Some(n) = h.members_column.filter(|n| *n != count) {
                            errors.push(RowError::new(
                                &name,
                                row,
                                "members",
                                msg!("members_mismatch", n = n, count = count, file = &feed.name),
                            ));
                        }
                    }
                    members = Some(g.members);
                }
            }
        } else if let Some(h) = &parsed {
            if h.members_column.is_none() {
                errors.push(RowError::new(
                    &name,
                    row,
                    "members",
                    msg!("members_required"),
                ));
            }
        }
        if !errors.is_empty() {
            return Some(Err(errors));
        }
        let mut household = parsed?;
        if let Some(ms) = &members {
            household.household.members = ms.len() as u32;
        }
        Some(Ok(SurveyItem { household, members }))
    }

    /// Ends the reading: the errors of member rows whose household never came.
    pub fn finish(mut self) -> Vec<RowError> {
        let Some(mut feed) = self.members.take() else {
            return Vec::new();
        };
        let rest = feed.rest();
        let mut errors = std::mem::take(&mut feed.stray);
        let households_name = self.households.name.clone();
        let ids = self.households.seen();
        for g in rest {
            let seen = ids.and_then(|ids| ids.get(&g.household_id));
            for row in g.row_numbers() {
                let message = match seen {
                    Some(hrow) => msg!(
                        "members_split",
                        household = &g.household_id,
                        row = hrow,
                        file = &households_name
                    ),
                    None => msg!(
                        "household_absent",
                        household = &g.household_id,
                        file = &households_name
                    ),
                };
                errors.push(RowError::new(&feed.name, row, "household_id", message));
            }
        }
        errors.sort_by_key(|e| e.row);
        errors
    }
}

/// The household ids met so far, each as 16 bytes: the top 96 bits of its 128-bit xxh3 hash
/// (ids whose hashes agree there are taken as equal: a chance of about n²/2⁹⁷) and the 32-bit row
/// it was first met on.
struct SeenIds(HashTable<u128>);

impl SeenIds {
    fn with_capacity(n: usize) -> Self {
        SeenIds(HashTable::with_capacity(n))
    }

    fn key(id: &str) -> u128 {
        xxh3_128(id.as_bytes()) >> 32
    }

    fn hash(entry_key: u128) -> u64 {
        entry_key as u64
    }

    /// Records an id; when it was met before, returns the row it was first met on.
    fn insert(&mut self, id: &str, row: u64) -> Option<u64> {
        let key = SeenIds::key(id);
        let hash = SeenIds::hash(key);
        if let Some(e) = self.0.find(hash, |e| e >> 32 == key) {
            return Some((e & 0xffff_ffff) as u64);
        }
        let row = u128::from(u32::try_from(row).unwrap_or(u32::MAX));
        self.0
            .insert_unique(hash, (key << 32) | row, |e| SeenIds::hash(e >> 32));
        None
    }

    /// The row an id was first met on.
    fn get(&self, id: &str) -> Option<u64> {
        let key = SeenIds::key(id);
        self.0
            .find(SeenIds::hash(key), |e| e >> 32 == key)
            .map(|e| (e & 0xffff_ffff) as u64)
    }
}
