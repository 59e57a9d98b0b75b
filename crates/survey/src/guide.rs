//! The blank import template: a workbook with the exchange format's two sheets (`households`,
//! `members`: their headers, nothing else) and a guide sheet in the reader's language naming every
//! column, whether it is required, what it holds and each code it accepts with its meaning; a
//! sheet of the ethnic groups' codes besides. The reader takes the first two sheets by name and
//! leaves the others, so a filled template imports as it is.

use crate::parse::{HOUSEHOLD_COLUMNS, MEMBER_COLUMNS};
use crate::units::Catalogue;
use giamngheo_rules::text::Lang;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::path::Path;

/// A column of the exchange format: its sheet and name, when it is required, what it holds
/// (Vietnamese, English), and the codes it accepts with their meanings.
pub struct ColumnGuide {
    pub sheet: &'static str,
    pub column: &'static str,
    /// A short name for a form's field (Vietnamese, English).
    pub label: (&'static str, &'static str),
    pub required: (&'static str, &'static str),
    pub meaning: (&'static str, &'static str),
    pub codes: &'static [(&'static str, &'static str, &'static str)],
}

const YES: (&str, &str) = ("bắt buộc", "required");
const NO: (&str, &str) = ("không bắt buộc", "optional");
const SURVEYED: (&str, &str) = (
    "bắt buộc, trừ khi đã ghi thiếu hụt d_ tương ứng",
    "required unless the matching d_ deprivation is recorded",
);
const BOOL: &[(&str, &str, &str)] = &[("1", "có", "yes"), ("0", "không", "no")];

/// Every column of both sheets, in the sheets' order.
pub const COLUMNS: &[ColumnGuide] = &[
    ColumnGuide {
        sheet: "households",
        column: "household_id",
        label: ("Mã hộ", "Household code"),
        required: YES,
        meaning: (
            "mã hộ, không trùng trong tệp (và trong xã)",
            "the household's code, unique in the file (and in the commune)",
        ),
        codes: &[],
    },
    ColumnGuide {
        sheet: "households",
        column: "commune_code",
        label: ("Mã xã, phường", "Commune code"),
        required: YES,
        meaning: (
            "mã xã, phường, đặc khu năm 2025, 5 chữ số",
            "5-digit code of the 2025 commune, ward or special zone",
        ),
        codes: &[],
    },
    ColumnGuide {
        sheet: "households",
        column: "village",
        label: ("Thôn, bản, tổ dân phố", "Village"),
        required: NO,
        meaning: (
            "tên thôn, bản, tổ dân phố",
            "village, hamlet or residential group",
        ),
        codes: &[],
    },
    ColumnGuide {
        sheet: "households",
        column: "area",
        label: (
            "Khu vực (để trống: theo loại xã)",
            "Area (empty: by the commune's type)",
        ),
        required: NO,
        meaning: (
            "khu vực; để trống thì theo loại đơn vị (phường là thành thị)",
            "area; empty follows the unit's type (a ward is urban)",
        ),
        codes: &[
            ("urban", "thành thị", "urban"),
            ("rural", "nông thôn", "rural"),
        ],
    },
    ColumnGuide {
        sheet: "households",
        column: "survey_date",
        label: ("Ngày khảo sát", "Survey date"),
        required: YES,
        meaning: (
            "ngày phỏng vấn (YYYY-MM-DD hoặc DD/MM/YYYY); tuổi tính theo ngày này",
            "date of the interview (YYYY-MM-DD or DD/MM/YYYY); ages are taken on it",
        ),
        codes: &[],
    },
    ColumnGuide {
        sheet: "households",
        column: "head_name",
        label: ("Họ tên chủ hộ", "Head of household"),
        required: NO,
        meaning: ("họ và tên chủ hộ", "name of the household head"),
        codes: &[],
    },
    ColumnGuide {
        sheet: "households",
        column: "members",
        label: ("Số nhân khẩu", "Members"),
        required: (
            "bắt buộc khi không có trang members",
            "required when there is no members sheet",
        ),
        meaning: ("số nhân khẩu", "number of members"),
        codes: &[],
    },
    ColumnGuide {
        sheet: "households",
        column: "income_per_capita",
        label: (
            "Thu nhập bình quân (đồng/người/tháng)",
            "Income (VND per person per month)",
        ),
        required: (
            "một trong hai cột income_per_capita, b1_score",
            "one of income_per_capita and b1_score",
        ),
        meaning: (
            "thu nhập bình quân đầu người, đồng/người/tháng",
            "income per person, VND a month",
        ),
        codes: &[],
    },
    ColumnGuide {
        sheet: "households",
        column: "b1_score",
        label: (
            "Điểm B1 (khi không có thu nhập)",
            "B1 score (without an income)",
        ),
        required: (
            "một trong hai cột income_per_capita, b1_score",
            "one of income_per_capita and b1_score",
        ),
        meaning: (
            "điểm ước lượng thu nhập của Phiếu B1",
            "income proxy score of form B1",
        ),
        codes: &[],
    },
    ColumnGuide {
        sheet: "households",
        column: "has_house",
        label: ("Có nhà ở", "Has a dwelling"),
        required: SURVEYED,
        meaning: ("hộ có nhà ở", "the household has a dwelling"),
        codes: BOOL,
    },
    ColumnGuide {
        sheet: "households",
        column: "nondurable_structures",
        label: (
            "Số kết cấu không bền chắc (móng, khung tường, mái)",
            "Non-durable structures (foundation, frame and walls, roof)",
        ),
        required: ("bắt buộc khi has_house = 1", "required when has_house = 1"),
        meaning: (
            "số kết cấu không bền chắc (móng, khung-tường, mái): 0 đến 3",
            "how many of foundation, frame and walls, roof are non-durable: 0 to 3",
        ),
        codes: &[],
    },
    ColumnGuide {
        sheet: "households",
        column: "floor_area_m2",
        label: ("Diện tích nhà ở (m²)", "Floor area (m²)"),
        required: SURVEYED,
        meaning: (
            "tổng diện tích nhà ở, m²",
            "total floor area of the dwelling, m²",
        ),
        codes: &[],
    },
    ColumnGuide {
        sheet: "households",
        column: "water_source",
        label: ("Nguồn nước sinh hoạt", "Drinking water"),
        required: SURVEYED,
        meaning: ("nguồn nước sinh hoạt chính", "main drinking water source"),
        codes: &[
            ("piped", "nước máy", "piped water"),
            ("drilled_well", "giếng khoan", "drilled well"),
            (
                "protected_well",
                "giếng đào được bảo vệ",
                "protected dug well",
            ),
            (
                "protected_spring",
                "nước khe, mó được bảo vệ",
                "protected spring",
            ),
            ("rainwater", "nước mưa", "rainwater"),
            ("bottled", "nước đóng chai, bình", "bottled water"),
            (
                "unprotected_well",
                "giếng đào không được bảo vệ",
                "unprotected dug well",
            ),
            (
                "unprotected_spring",
                "nước khe, mó không được bảo vệ",
                "unprotected spring",
            ),
            (
                "surface",
                "nước mặt (sông, suối, ao, hồ)",
                "surface water (river, stream, pond, lake)",
            ),
            ("other", "khác", "other"),
        ],
    },
    ColumnGuide {
        sheet: "households",
        column: "latrine",
        label: ("Nhà tiêu", "Latrine"),
        required: SURVEYED,
        meaning: ("loại nhà tiêu", "kind of latrine"),
        codes: &[
            ("septic", "tự hoại", "septic tank"),
            ("semi_septic", "bán tự hoại", "semi-septic"),
            ("pour_flush", "dội nước", "pour-flush"),
            ("double_vault", "hai ngăn", "double vault"),
            ("ventilated_pit", "chìm có ống thông hơi", "ventilated pit"),
            ("biogas", "biogas", "biogas"),
            ("open_pit", "hố đào đơn giản", "open pit"),
            ("hanging", "cầu tõm", "hanging latrine"),
            ("none", "không có", "none"),
            ("other", "khác", "other"),
        ],
    },
    ColumnGuide {
        sheet: "households",
        column: "internet",
        label: (
            "Có thành viên sử dụng internet",
            "A member uses the internet",
        ),
        required: SURVEYED,
        meaning: (
            "có thành viên sử dụng dịch vụ internet",
            "a member uses internet services",
        ),
        codes: BOOL,
    },
    ColumnGuide {
        sheet: "households",
        column: "info_devices",
        label: ("Phương tiện tiếp cận thông tin", "Information devices"),
        required: SURVEYED,
        meaning: (
            "phương tiện tiếp cận thông tin hộ có, cách nhau bằng dấu ;, để trống nếu không có",
            "devices owned, separated by ;, empty for none",
        ),
        codes: &[
            ("tv", "ti vi", "television"),
            ("radio", "radio", "radio"),
            ("computer", "máy vi tính", "computer"),
            ("phone", "điện thoại", "telephone"),
            ("tablet", "máy tính bảng", "tablet"),
        ],
    },
    ColumnGuide {
        sheet: "households",
        column: "waste",
        label: (
            "Xử lý rác thải (chuẩn 2027–2030)",
            "Waste (2027–2030 standard)",
        ),
        required: (
            "bắt buộc theo chuẩn 2027-2030",
            "required by the 2027-2030 standard",
        ),
        meaning: (
            "cách xử lý rác thải sinh hoạt",
            "how domestic waste is handled",
        ),
        codes: &[
            ("collected", "được thu gom", "collected"),
            (
                "onsite_hygienic",
                "tự xử lý hợp vệ sinh",
                "handled on site, hygienically",
            ),
            ("untreated", "không được xử lý", "untreated"),
        ],
    },
    ColumnGuide {
        sheet: "households",
        column: "d_<chỉ số>",
        label: ("Thiếu hụt ghi trực tiếp", "Deprivation recorded directly"),
        required: NO,
        meaning: (
            "thiếu hụt do điều tra viên ghi trực tiếp (vd. d_employment)",
            "a deprivation the surveyor recorded directly (e.g. d_employment)",
        ),
        codes: BOOL,
    },
    ColumnGuide {
        sheet: "members",
        column: "household_id",
        label: ("Mã hộ", "Household code"),
        required: YES,
        meaning: (
            "mã hộ, như ở trang households",
            "the household's code, as in households",
        ),
        codes: &[],
    },
    ColumnGuide {
        sheet: "members",
        column: "member_no",
        label: ("Số thứ tự thành viên", "Member number"),
        required: YES,
        meaning: (
            "số thứ tự trong hộ: 1, 2, ...",
            "number within the household: 1, 2, ...",
        ),
        codes: &[],
    },
    ColumnGuide {
        sheet: "members",
        column: "full_name",
        label: ("Họ và tên", "Full name"),
        required: NO,
        meaning: ("họ và tên", "full name"),
        codes: &[],
    },
    ColumnGuide {
        sheet: "members",
        column: "id_number",
        label: ("Số định danh cá nhân (12 số)", "Personal ID (12 digits)"),
        required: NO,
        meaning: (
            "số định danh cá nhân, 12 chữ số",
            "12-digit personal ID number",
        ),
        codes: &[],
    },
    ColumnGuide {
        sheet: "members",
        column: "birth_date",
        label: (
            "Ngày sinh (năm, năm-tháng hoặc ngày)",
            "Birth date (year, year-month or day)",
        ),
        required: YES,
        meaning: (
            "ngày sinh (YYYY-MM-DD, DD/MM/YYYY; hoặc chỉ năm)",
            "date of birth (YYYY-MM-DD, DD/MM/YYYY; or the year alone)",
        ),
        codes: &[],
    },
    ColumnGuide {
        sheet: "members",
        column: "sex",
        label: ("Giới tính", "Sex"),
        required: YES,
        meaning: ("giới tính", "sex"),
        codes: &[("M", "nam", "male"), ("F", "nữ", "female")],
    },
    ColumnGuide {
        sheet: "members",
        column: "ethnicity",
        label: ("Dân tộc", "Ethnic group"),
        required: NO,
        meaning: (
            "mã dân tộc, 2 chữ số (xem trang Dân tộc)",
            "2-digit ethnic group code (see the sheet of groups)",
        ),
        codes: &[],
    },
    ColumnGuide {
        sheet: "members",
        column: "relation",
        label: ("Quan hệ với chủ hộ", "Relation to the head"),
        required: NO,
        meaning: ("quan hệ với chủ hộ", "relation to the household head"),
        codes: &[
            ("head", "chủ hộ", "head"),
            ("spouse", "vợ/chồng", "spouse"),
            ("child", "con", "child"),
            ("parent", "bố/mẹ", "parent"),
            ("grandchild", "cháu", "grandchild"),
            ("other", "khác", "other"),
        ],
    },
    ColumnGuide {
        sheet: "members",
        column: "health_insurance",
        label: ("Có thẻ bảo hiểm y tế", "Health insurance"),
        required: YES,
        meaning: ("có thẻ bảo hiểm y tế", "has a health insurance card"),
        codes: BOOL,
    },
    ColumnGuide {
        sheet: "members",
        column: "disability",
        label: ("Khuyết tật", "Disability"),
        required: NO,
        meaning: (
            "mức độ khuyết tật; để trống là không",
            "degree of disability; empty is none",
        ),
        codes: &[
            ("none", "không", "none"),
            ("mild", "nhẹ", "mild"),
            ("severe", "nặng", "severe"),
            ("very_severe", "đặc biệt nặng", "very severe"),
        ],
    },
    ColumnGuide {
        sheet: "members",
        column: "social_allowance",
        label: ("Trợ cấp xã hội hằng tháng", "Monthly social allowance"),
        required: (
            "bắt buộc theo chuẩn 2027-2030",
            "required by the 2027-2030 standard",
        ),
        meaning: (
            "hưởng trợ cấp xã hội hằng tháng",
            "receives a monthly social allowance",
        ),
        codes: BOOL,
    },
    ColumnGuide {
        sheet: "members",
        column: "labour",
        label: ("Việc làm (từ 15 tuổi)", "Work (aged 15 and over)"),
        required: ("bắt buộc từ 15 tuổi", "required from age 15"),
        meaning: ("tình trạng việc làm", "what the member does for a living"),
        codes: &[
            (
                "wage_contract",
                "làm công, có hợp đồng lao động",
                "wage work with a contract",
            ),
            (
                "wage_no_contract",
                "làm công, không có hợp đồng lao động",
                "wage work without a contract",
            ),
            ("self_employed", "tự làm", "self-employed"),
            ("unemployed", "thất nghiệp", "unemployed"),
            ("student", "đang đi học", "student"),
            ("homemaker", "nội trợ", "homemaker"),
            ("retired", "nghỉ hưu", "retired"),
            ("unable", "không có khả năng lao động", "unable to work"),
        ],
    },
    ColumnGuide {
        sheet: "members",
        column: "malnourished",
        label: ("Suy dinh dưỡng (dưới 16 tuổi)", "Malnourished (under 16)"),
        required: ("bắt buộc dưới 16 tuổi", "required under age 16"),
        meaning: ("suy dinh dưỡng", "malnourished"),
        codes: BOOL,
    },
    ColumnGuide {
        sheet: "members",
        column: "schooling",
        label: ("Đi học (3–15 tuổi)", "Schooling (aged 3–15)"),
        required: ("bắt buộc từ 3 đến 15 tuổi", "required for ages 3 to 15"),
        meaning: ("tình trạng đi học", "schooling"),
        codes: &[
            ("at_level", "đi học đúng cấp", "at the level for the age"),
            (
                "behind",
                "đi học chậm so với tuổi",
                "behind the level for the age",
            ),
            ("not_attending", "không đi học", "not attending"),
        ],
    },
    ColumnGuide {
        sheet: "members",
        column: "in_education",
        label: (
            "Đang đi học, đào tạo (16–30 tuổi)",
            "In education now (aged 16–30)",
        ),
        required: ("bắt buộc từ 16 đến 30 tuổi", "required for ages 16 to 30"),
        meaning: ("đang đi học hoặc đào tạo", "in school or training now"),
        codes: BOOL,
    },
    ColumnGuide {
        sheet: "members",
        column: "education",
        label: (
            "Trình độ cao nhất (16–30 tuổi)",
            "Highest completed (aged 16–30)",
        ),
        required: ("bắt buộc từ 16 đến 30 tuổi", "required for ages 16 to 30"),
        meaning: ("trình độ cao nhất đã hoàn thành", "highest level completed"),
        codes: &[
            ("none", "chưa tốt nghiệp tiểu học", "none"),
            ("primary", "tiểu học", "primary"),
            ("lower_secondary", "trung học cơ sở", "lower secondary"),
            ("upper_secondary", "trung học phổ thông", "upper secondary"),
            ("vocational", "trung cấp, sơ cấp nghề", "vocational"),
            ("college", "cao đẳng", "college"),
            ("university", "đại học trở lên", "university or higher"),
        ],
    },
];

/// A column's short name in a language (`survey_date` → "Ngày khảo sát"); the column itself
/// when it is none of the format's.
pub fn label(column: &str, lang: Lang) -> &str {
    COLUMNS
        .iter()
        .find(|c| c.column == column)
        .map_or(column, |c| pick(lang, c.label))
}

/// The meaning of a column's code in a language (`relation`, `child` → "con").
pub fn code_meaning(column: &str, code: &str, lang: Lang) -> Option<&'static str> {
    COLUMNS
        .iter()
        .find(|c| c.column == column && !c.codes.is_empty())?
        .codes
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, vi, en)| pick(lang, (vi, en)))
}

fn pick(lang: Lang, t: (&'static str, &'static str)) -> &'static str {
    match lang {
        Lang::Vi => t.0,
        Lang::En => t.1,
    }
}

/// Writes the blank template in a language.
pub fn write_template(path: &Path, lang: Lang) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let text = Format::new().set_num_format("@");
    for (name, columns) in [
        ("households", HOUSEHOLD_COLUMNS),
        ("members", MEMBER_COLUMNS),
    ] {
        let ws = wb.add_worksheet().set_name(name)?;
        for (c, h) in columns.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
            // codes and IDs typed as text keep their leading zeros
            ws.set_column_format(c as u16, &text)?;
            ws.set_column_width(c as u16, 16)?;
        }
        ws.set_freeze_panes(1, 0)?;
    }
    let guide = wb
        .add_worksheet()
        .set_name(pick(lang, ("Hướng dẫn", "Guide")))?;
    let head = [
        ("Trang", "Sheet"),
        ("Cột", "Column"),
        ("Bắt buộc", "Required"),
        ("Nội dung", "Meaning"),
        ("Mã", "Code"),
        ("Ý nghĩa của mã", "Meaning of the code"),
    ];
    for (c, h) in head.iter().enumerate() {
        guide.write_string_with_format(0, c as u16, pick(lang, *h), &bold)?;
    }
    for (c, w) in [12, 24, 30, 50, 20, 36].iter().enumerate() {
        guide.set_column_width(c as u16, *w)?;
    }
    let mut r = 1u32;
    for col in COLUMNS {
        guide.write_string(r, 0, col.sheet)?;
        guide.write_string_with_format(r, 1, col.column, &bold)?;
        guide.write_string_with_format(r, 2, pick(lang, col.required), &wrap)?;
        guide.write_string_with_format(r, 3, pick(lang, col.meaning), &wrap)?;
        if col.codes.is_empty() {
            r += 1;
        }
        for (code, vi, en) in col.codes {
            guide.write_string(r, 4, *code)?;
            guide.write_string(r, 5, pick(lang, (vi, en)))?;
            r += 1;
        }
    }
    guide.set_freeze_panes(1, 2)?;
    let groups = wb
        .add_worksheet()
        .set_name(pick(lang, ("Dân tộc", "Ethnic groups")))?;
    groups.write_string_with_format(0, 0, pick(lang, ("Mã", "Code")), &bold)?;
    groups.write_string_with_format(0, 1, pick(lang, ("Dân tộc", "Ethnic group")), &bold)?;
    groups.set_column_width(1, 24)?;
    for (i, g) in Catalogue::builtin().ethnic_groups().iter().enumerate() {
        groups.write_string(i as u32 + 1, 0, &g.code)?;
        groups.write_string(i as u32 + 1, 1, &g.name)?;
    }
    wb.save(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use giamngheo_rules::{
        Area, Device, Disability, Education, Labour, Latrine, Relation, Schooling, Sex, Waste,
        WaterSource,
    };

    fn codes_of(column: &str) -> Vec<&'static str> {
        COLUMNS
            .iter()
            .find(|c| c.column == column)
            .map(|c| c.codes.iter().map(|(code, _, _)| *code).collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_guide_names_every_column_and_every_code_the_reader_takes() {
        for (sheet, columns) in [
            ("households", HOUSEHOLD_COLUMNS),
            ("members", MEMBER_COLUMNS),
        ] {
            for c in columns.iter() {
                assert!(
                    COLUMNS.iter().any(|g| g.sheet == sheet && g.column == *c),
                    "{sheet}.{c} has no guide"
                );
            }
        }
        assert_eq!(codes_of("water_source"), WaterSource::CODES);
        assert_eq!(codes_of("latrine"), Latrine::CODES);
        assert_eq!(codes_of("labour"), Labour::CODES);
        assert_eq!(codes_of("education"), Education::CODES);
        assert_eq!(codes_of("relation"), Relation::CODES);
        assert_eq!(codes_of("area"), Area::CODES);
        assert_eq!(codes_of("sex"), Sex::CODES);
        assert_eq!(codes_of("disability"), Disability::CODES);
        assert_eq!(codes_of("schooling"), Schooling::CODES);
        assert_eq!(codes_of("info_devices"), Device::CODES);
        assert_eq!(codes_of("waste"), Waste::CODES);
        // both languages for every text
        for g in COLUMNS {
            for (vi, en) in [g.required, g.meaning] {
                assert!(!vi.is_empty() && !en.is_empty() && vi != en, "{}", g.column);
            }
        }
    }

    #[test]
    fn the_documented_format_names_every_column() {
        let doc = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/survey-format.md"),
        )
        .expect("docs/survey-format.md");
        for c in HOUSEHOLD_COLUMNS.iter().chain(MEMBER_COLUMNS) {
            assert!(
                doc.contains(&format!("| `{c}` |")),
                "{c} is not in docs/survey-format.md"
            );
        }
    }

    #[test]
    fn a_blank_template_reads_as_an_empty_survey_with_its_guide_beside() {
        use calamine::{Reader, Xlsx};
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("mau.xlsx");
        write_template(&path, Lang::Vi).expect("template");
        let mut wb: Xlsx<_> = calamine::open_workbook(&path).expect("open");
        assert_eq!(
            wb.sheet_names(),
            ["households", "members", "Hướng dẫn", "Dân tộc"].map(String::from)
        );
        let guide = wb.worksheet_range("Hướng dẫn").expect("guide");
        let rows: Vec<Vec<String>> = guide
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(rows[0][3], "Nội dung");
        assert!(rows
            .iter()
            .any(|r| r.get(4).map(String::as_str) == Some("surface")
                && r[5] == "nước mặt (sông, suối, ao, hồ)"));
        let head = wb.worksheet_range("households").expect("households");
        assert_eq!(head.height(), 1);
        assert_eq!(
            head.rows().next().map(|r| r.len()),
            Some(HOUSEHOLD_COLUMNS.len())
        );
        // the reader takes the two sheets and finds no household
        let standards = giamngheo_rules::Standards::builtin().expect("standards");
        let mut reader = crate::reader::SurveyReader::open(&path, None, &standards)
            .map_err(|e| format!("{e:?}"))
            .expect("the template opens as a survey");
        assert!(reader.next().is_none());
    }
}
