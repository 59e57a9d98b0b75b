//! Workbooks as people make them, not as our own writer does: the example survey typed into a
//! spreadsheet and saved by LibreOffice (a committed fixture, `fixtures/survey-libreoffice.xlsx`,
//! made by `fixtures/make-libreoffice-workbook` with LibreOffice headless), and the same survey
//! in the parts Excel writes (built below): personal IDs and codes stored as numbers, birth and
//! survey dates as date cells, incomes with a thousands format, shared strings with rich-text
//! runs, an inline string, a boolean cell, a formula with its cached value, an ID typed into a
//! text-formatted cell. Each must read as the CSV files do, and a bad value must be named by
//! sheet, row and column.

use giamngheo_rules::Standards;
use giamngheo_survey::{RowError, SurveyItem, SurveyReader};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/survey-2025")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn short(e: &RowError) -> String {
    let s = e.text(giamngheo_rules::Lang::En);
    match e.file.rfind('/') {
        Some(i) => s.replace(&e.file[..=i], ""),
        None => s,
    }
}

/// Every household read, by id, and every error.
fn read(h: &Path, m: Option<&Path>) -> (BTreeMap<String, SurveyItem>, Vec<String>) {
    let standards = Standards::builtin().expect("standards");
    let mut reader = SurveyReader::open(h, m, &standards).expect("the files open");
    let mut items = BTreeMap::new();
    let mut errors = Vec::new();
    while let Some(next) = reader.next() {
        errors.extend(reader.take_stray().iter().map(short));
        match next {
            Ok(i) => {
                items.insert(i.household.household.id.clone(), i);
            }
            Err(e) => errors.extend(e.iter().map(short)),
        }
    }
    errors.extend(reader.finish().iter().map(short));
    (items, errors)
}

/// What a household is, for the comparison: its answers and members as the rules see them,
/// names, IDs, ethnic groups and how precisely each birth date was given.
fn essence(i: &SurveyItem) -> String {
    let h = &i.household;
    let mut s = format!(
        "{:?} commune={} village={:?} head={:?} extra={:?}",
        h.household, h.commune.code, h.village, h.head_name, h.extra
    );
    for m in i.members.as_deref().unwrap_or_default() {
        s.push_str(&format!(
            "\n  {} {:?} id={:?} ethnicity={:?} precision={} {:?}",
            m.member_no,
            m.full_name,
            m.id_number.as_ref().map(|id| id.as_str().to_string()),
            m.ethnicity,
            m.birth_precision,
            m.member
        ));
    }
    s
}

fn classes(items: &BTreeMap<String, SurveyItem>) -> BTreeMap<String, String> {
    let standards = Standards::builtin().expect("standards");
    let st = standards.get("vn-2022-2025").expect("standard");
    items
        .iter()
        .map(|(id, i)| {
            let a = st
                .assess(&i.household.household, i.members.as_deref())
                .expect("classified");
            (
                id.clone(),
                format!("{} {:?}", a.class, a.deprived.iter().collect::<Vec<_>>()),
            )
        })
        .collect()
}

/// The workbook reads as the example CSV files do, household by household, and its one bad
/// household is named.
fn reads_like_the_csv_files(book: &Path, expected_errors: &[&str]) {
    let (csv, csv_errors) = read(
        &examples().join("households.csv"),
        Some(&examples().join("members.csv")),
    );
    assert!(csv_errors.is_empty(), "{csv_errors:?}");
    let (xlsx, errors) = read(book, None);
    assert_eq!(errors, expected_errors, "{}", book.display());
    assert_eq!(
        xlsx.keys().collect::<Vec<_>>(),
        csv.keys().collect::<Vec<_>>(),
        "{}",
        book.display()
    );
    for (id, item) in &csv {
        assert_eq!(
            essence(&xlsx[id]),
            essence(item),
            "{}: {id}",
            book.display()
        );
    }
    assert_eq!(classes(&xlsx), classes(&csv));
    // the IDs stored as numbers have their leading zero back, the ages are right
    let m = &xlsx["DB-001"].members.as_ref().expect("members")[0];
    assert_eq!(
        m.id_number.as_ref().map(|i| i.as_str()),
        Some("011082003417")
    );
    assert_eq!(m.member.birth_date.to_string(), "1982-03-04");
    assert_eq!(m.birth_precision, 3);
    let head = &xlsx["DB-002"].members.as_ref().expect("members")[0];
    assert_eq!(head.member.birth_date.to_string(), "1979-01-01");
    assert_eq!(head.birth_precision, 1, "a year typed as a number");
}

#[test]
fn a_workbook_saved_by_libreoffice() {
    reads_like_the_csv_files(
        &fixtures().join("survey-libreoffice.xlsx"),
        &["survey-libreoffice.xlsx[households]:10: water_source: unknown code `river`: expected piped, drilled_well, protected_well, protected_spring, rainwater, bottled, unprotected_well, unprotected_spring, surface or other"],
    );
}

#[test]
fn a_workbook_in_the_parts_excel_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let book = dir.path().join("survey-excel.xlsx");
    excel_workbook(&book);
    reads_like_the_csv_files(
        &book,
        &["survey-excel.xlsx[members]:18: sex: unknown code `Nam`: expected M or F"],
    );
}

// ---- a workbook as Excel writes one ----

/// A cell of the sheet as Excel stores it.
enum Cell {
    /// A text, in the shared strings (`t="s"`).
    Shared(String),
    /// A text written in the cell itself (`t="inlineStr"`), as streaming writers do.
    Inline(String),
    /// A number in the General format.
    Number(String),
    /// A number with a style: 1 the short date, 2 `#,##0`, 3 text (`@`, for a shared string).
    Styled(u8, String),
    Bool(bool),
    /// A formula with the value Excel cached when it saved.
    Formula(String, String),
}

/// Days from Excel's epoch (1899-12-30) to a date.
fn serial(date: &str) -> String {
    let d = giamngheo_rules::NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("a date");
    let epoch = giamngheo_rules::NaiveDate::from_ymd_opt(1899, 12, 30).expect("epoch");
    (d - epoch).num_days().to_string()
}

/// The example survey's cells, typed as an officer would: codes and IDs as numbers (their
/// leading zeros gone), dates as dates, incomes as formatted numbers.
fn typed(col: &str, v: &str, row: usize) -> Option<Cell> {
    if v.is_empty() {
        return None;
    }
    let numeric = |v: &str| v.parse::<f64>().is_ok();
    Some(match col {
        "survey_date" | "birth_date" if v.len() == 10 => Cell::Styled(1, serial(v)),
        "income_per_capita" => Cell::Styled(2, v.to_string()),
        "has_house" => Cell::Bool(v == "1"),
        // one household's floor area worked out in the sheet
        "floor_area_m2" if v == "30" => Cell::Formula("5*6".into(), "30".into()),
        // one member's ID typed into a column formatted as text, leading zero kept
        "id_number" if row == 3 => Cell::Styled(3, v.to_string()),
        "commune_code"
        | "id_number"
        | "ethnicity"
        | "member_no"
        | "nondurable_structures"
        | "floor_area_m2"
        | "internet"
        | "b1_score"
        | "d_water"
        | "in_education"
        | "malnourished"
        | "social_allowance"
        | "health_insurance"
        | "birth_date"
            if numeric(v) =>
        {
            let n: f64 = v.parse().expect("a number");
            Cell::Number(if v.contains('.') {
                n.to_string()
            } else {
                format!("{}", n as i64)
            })
        }
        // a village typed by a tool that writes its strings in the cell
        "village" if row == 2 => Cell::Inline(v.to_string()),
        _ => Cell::Shared(v.to_string()),
    })
}

fn column_letters(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ascii")
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

struct Strings {
    list: Vec<String>,
}

impl Strings {
    fn index(&mut self, s: &str) -> usize {
        match self.list.iter().position(|x| x == s) {
            Some(i) => i,
            None => {
                self.list.push(s.to_string());
                self.list.len() - 1
            }
        }
    }
}

/// A worksheet's XML from a CSV file's rows (and extra rows).
fn sheet_xml(path: &Path, extra: &[&str], strings: &mut Strings) -> String {
    let text = std::fs::read_to_string(path).expect("read");
    let all = text
        .lines()
        .chain(extra.iter().copied())
        .collect::<Vec<_>>()
        .join("\n");
    let mut rdr = csv::Reader::from_reader(all.as_bytes());
    let head: Vec<String> = rdr
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = vec![head
        .iter()
        .map(|h| Some(Cell::Shared(h.clone())))
        .collect::<Vec<_>>()];
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.expect("row");
        rows.push(
            head.iter()
                .zip(rec.iter())
                .map(|(c, v)| typed(c, v, i + 2))
                .collect(),
        );
    }
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheetViews><sheetView workbookViewId=\"0\"/></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/><sheetData>",
    );
    for (r, cells) in rows.iter().enumerate() {
        let r = r + 1;
        x.push_str(&format!("<row r=\"{r}\">"));
        for (c, cell) in cells.iter().enumerate() {
            let Some(cell) = cell else { continue };
            let at = format!("{}{r}", column_letters(c));
            x.push_str(&match cell {
                Cell::Shared(s) => {
                    format!("<c r=\"{at}\" t=\"s\"><v>{}</v></c>", strings.index(s))
                }
                Cell::Inline(s) => format!(
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t>{}</t></is></c>",
                    xml_escape(s)
                ),
                Cell::Number(n) => format!("<c r=\"{at}\"><v>{n}</v></c>"),
                Cell::Styled(3, s) => format!(
                    "<c r=\"{at}\" s=\"3\" t=\"s\"><v>{}</v></c>",
                    strings.index(s)
                ),
                Cell::Styled(style, n) => format!("<c r=\"{at}\" s=\"{style}\"><v>{n}</v></c>"),
                Cell::Bool(b) => format!("<c r=\"{at}\" t=\"b\"><v>{}</v></c>", u8::from(*b)),
                Cell::Formula(f, v) => format!("<c r=\"{at}\"><f>{f}</f><v>{v}</v></c>"),
            });
        }
        x.push_str("</row>");
    }
    x.push_str("</sheetData><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>");
    x
}

fn excel_workbook(path: &Path) {
    let mut strings = Strings { list: Vec::new() };
    // a household whose head's sex is typed in Vietnamese: an error named by sheet, row and
    // column
    let households = sheet_xml(
        &examples().join("households.csv"),
        &["DB-009,03328,Bản Noong Bua,2025-11-03,Vi Thị Na,1300000,,1,0,24,piped,septic,1,phone,collected,,"],
        &mut strings,
    );
    let members = sheet_xml(
        &examples().join("members.csv"),
        &["DB-009,1,Vi Thị Na,,1990-05-06,Nam,07,head,1,,,self_employed,,,,"],
        &mut strings,
    );
    let mut sst = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"{n}\" uniqueCount=\"{n}\">",
        n = strings.list.len()
    );
    for s in &strings.list {
        // a name partly in bold is kept by Excel as rich-text runs
        if s == "Lò Văn Pấng" {
            sst.push_str("<si><r><rPr><b/><sz val=\"11\"/><rFont val=\"Calibri\"/></rPr><t>Lò Văn</t></r><r><rPr><sz val=\"11\"/><rFont val=\"Calibri\"/></rPr><t xml:space=\"preserve\"> Pấng</t></r></si>");
        } else {
            let space = if s.starts_with(' ') || s.ends_with(' ') {
                " xml:space=\"preserve\""
            } else {
                ""
            };
            sst.push_str(&format!("<si><t{space}>{}</t></si>", xml_escape(s)));
        }
    }
    sst.push_str("</sst>");
    let parts: [(&str, String); 8] = [
        ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/><Override PartName=\"/xl/worksheets/sheet2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/><Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/><Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/></Types>".into()),
        ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".into()),
        ("docProps/app.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>Microsoft Excel</Application></Properties>".into()),
        ("xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><fileVersion appName=\"xl\" lastEdited=\"7\" lowestEdited=\"7\" rupBuild=\"27328\"/><workbookPr defaultThemeVersion=\"166925\"/><bookViews><workbookView xWindow=\"-110\" yWindow=\"-110\" windowWidth=\"19420\" windowHeight=\"10420\"/></bookViews><sheets><sheet name=\"households\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"members\" sheetId=\"2\" r:id=\"rId2\"/></sheets><calcPr calcId=\"191029\"/></workbook>".into()),
        ("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet2.xml\"/><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>".into()),
        // style 1: the built-in short date (numFmtId 14); 2: #,##0 (3); 3: text (49)
        ("xl/styles.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"4\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/><xf numFmtId=\"14\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/><xf numFmtId=\"3\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/><xf numFmtId=\"49\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>".into()),
        ("xl/worksheets/sheet1.xml", households),
        ("xl/worksheets/sheet2.xml", members),
    ];
    let file = std::fs::File::create(path).expect("create");
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts.iter().chain([&("xl/sharedStrings.xml", sst)]) {
        zip.start_file(*name, opts).expect("part");
        zip.write_all(text.as_bytes()).expect("write");
    }
    zip.finish().expect("zip");
}
