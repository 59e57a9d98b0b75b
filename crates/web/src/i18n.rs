//! The pages' two languages: Vietnamese (the default) and English. Every text a page shows is a
//! key of [`MESSAGES`]; numbers, money, percentages and dates follow each language's convention
//! (1.500.000 đ and 21,29 % in Vietnamese; 1,500,000 VND and 21.29 % in English).

use giamngheo_rules::{Class, ClassReason, IncomeTest};
use std::collections::BTreeMap;
use std::sync::OnceLock;

pub use giamngheo_rules::Lang;

/// What the pages add to a language: their texts by key, and the reason of a class in words.
pub trait Pages: Copy {
    /// The page texts of the language, by key.
    fn texts(self) -> &'static BTreeMap<&'static str, &'static str>;
    /// One text; `?` when it is missing (a test checks none is).
    fn t(self, key: &str) -> &'static str;
    /// Why a household has its class, in words.
    fn reason(self, r: &ClassReason) -> String;
}

impl Pages for Lang {
    /// The page texts of the language, by key.
    fn texts(self) -> &'static BTreeMap<&'static str, &'static str> {
        static VI: OnceLock<BTreeMap<&str, &str>> = OnceLock::new();
        static EN: OnceLock<BTreeMap<&str, &str>> = OnceLock::new();
        match self {
            Lang::Vi => VI.get_or_init(|| MESSAGES.iter().map(|(k, vi, _)| (*k, *vi)).collect()),
            Lang::En => EN.get_or_init(|| MESSAGES.iter().map(|(k, _, en)| (*k, *en)).collect()),
        }
    }

    /// One text; the key itself when it is missing (a test checks none is).
    fn t(self, key: &str) -> &'static str {
        self.texts().get(key).copied().unwrap_or("?")
    }

    /// Why a household has its class, in words: the income test and the deprivation count
    /// against the standard's rule.
    fn reason(self, r: &ClassReason) -> String {
        let lang = self;
        let at_or_below = r.at_or_below_line();
        // the income test as it was made: on the income when given, else on the B1 proxy score
        let income_test = match &r.income_test {
            IncomeTest::Income { income, line } => {
                let income = income
                    .trunc()
                    .to_string()
                    .parse::<i64>()
                    .map_or_else(|_| income.to_string(), |i| lang.money(i));
                let line = lang.money(*line);
                match (lang, at_or_below) {
                    (Lang::Vi, true) => format!("Thu nhập {income} không quá chuẩn {line}"),
                    (Lang::Vi, false) => format!("Thu nhập {income} trên chuẩn {line}"),
                    (Lang::En, true) => format!("Income {income} at or below the line of {line}"),
                    (Lang::En, false) => format!("Income {income} above the line of {line}"),
                }
            }
            IncomeTest::B1Score { score, cutoff } => {
                let cutoff = cutoff.map_or_else(|| "?".to_string(), |c| c.to_string());
                match (lang, at_or_below) {
                    (Lang::Vi, true) => format!("Điểm B1 {score} không quá ngưỡng {cutoff}"),
                    (Lang::Vi, false) => format!("Điểm B1 {score} trên ngưỡng {cutoff}"),
                    (Lang::En, true) => {
                        format!("B1 score {score} at or below the cut-off of {cutoff}")
                    }
                    (Lang::En, false) => format!("B1 score {score} above the cut-off of {cutoff}"),
                }
            }
            IncomeTest::Unknown => "?".to_string(),
        };
        let (k, n) = (r.poor_min_deprivations, r.deprivations);
        let band = r
            .average_up_to
            .map_or_else(|| "?".to_string(), |b| lang.money(b));
        let class_part = match (lang, r.class) {
            (Lang::Vi, Class::Poor) => {
                format!(", và thiếu hụt {n} chỉ số (từ {k} trở lên): hộ nghèo.")
            }
            (Lang::Vi, Class::NearPoor) => {
                format!(", và thiếu hụt {n} chỉ số (dưới {k}): hộ cận nghèo.")
            }
            (Lang::Vi, Class::Average) => {
                format!(", không quá {band}: hộ có mức sống trung bình.")
            }
            (Lang::Vi, Class::NotPoor) => ": hộ không nghèo.".to_string(),
            (Lang::En, Class::Poor) => format!(", and {n} deprivations ({k} or more): poor."),
            (Lang::En, Class::NearPoor) => {
                format!(", and {n} deprivations (fewer than {k}): near-poor.")
            }
            (Lang::En, Class::Average) => {
                format!(", and at most {band}: average living standard.")
            }
            (Lang::En, Class::NotPoor) => ": not poor.".to_string(),
        };
        format!("{income_test}{class_part}")
    }
}

/// Every text of the pages: key, Vietnamese, English.
pub const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "app_name",
        "Giảm nghèo bền vững",
        "Sustainable poverty reduction",
    ),
    ("login", "Đăng nhập", "Log in"),
    ("logout", "Đăng xuất", "Log out"),
    ("user_name", "Tên đăng nhập", "User name"),
    ("password", "Mật khẩu", "Password"),
    (
        "login_failed",
        "Sai tên đăng nhập hoặc mật khẩu.",
        "Wrong user name or password.",
    ),
    (
        "login_limited",
        "Quá nhiều lần đăng nhập sai. Hãy thử lại sau ít phút.",
        "Too many failed logins. Try again in a few minutes.",
    ),
    ("switch_language", "English", "Tiếng Việt"),
    ("dashboard", "Tổng quan", "Dashboard"),
    ("households", "Hộ gia đình", "Households"),
    ("household", "Hộ", "Household"),
    ("import", "Nhập dữ liệu", "Import"),
    ("reports", "Báo cáo", "Reports"),
    ("audit_log", "Nhật ký thay đổi", "Audit log"),
    ("province", "Tỉnh", "Province"),
    ("commune", "Xã", "Commune"),
    ("communes", "Các xã", "Communes"),
    ("village", "Thôn, bản", "Village"),
    ("year", "Năm", "Year"),
    ("years", "Các năm", "Years"),
    ("poor", "Hộ nghèo", "Poor"),
    ("near_poor", "Hộ cận nghèo", "Near-poor"),
    (
        "average",
        "Hộ có mức sống trung bình",
        "Average living standard",
    ),
    ("not_poor", "Hộ không nghèo", "Not poor"),
    ("class", "Phân loại", "Class"),
    ("all", "Tất cả", "All"),
    ("poverty_rate", "Tỷ lệ hộ nghèo", "Poverty rate"),
    (
        "near_poverty_rate",
        "Tỷ lệ hộ cận nghèo",
        "Near-poverty rate",
    ),
    (
        "poor_and_near_poor_rate",
        "Tỷ lệ hộ nghèo và cận nghèo",
        "Poor and near-poor rate",
    ),
    ("change", "Thay đổi", "Change"),
    ("households_count", "Số hộ", "Households"),
    (
        "average_annual_decrease",
        "Mức giảm bình quân hằng năm",
        "Average annual decrease",
    ),
    ("target", "Chỉ tiêu", "Target"),
    (
        "target_achievement",
        "Đạt so với chỉ tiêu",
        "Achievement of the target",
    ),
    (
        "ethnic_minority",
        "Hộ dân tộc thiểu số",
        "Ethnic-minority households",
    ),
    ("all_households", "Tất cả các hộ", "All households"),
    (
        "deprivation_profile",
        "Thiếu hụt dịch vụ xã hội cơ bản của hộ nghèo",
        "Deprivations of poor households",
    ),
    (
        "share_of_poor",
        "% hộ nghèo thiếu hụt",
        "% of poor households lacking",
    ),
    (
        "transitions",
        "Diễn biến so với năm trước",
        "Changes from the year before",
    ),
    ("escaped", "Thoát nghèo", "Escaped poverty"),
    (
        "first_assessed_note",
        "Năm đầu tiên có trong sổ: chưa có năm trước để so sánh, nên không tính thoát nghèo, nghèo phát sinh hay tái nghèo.",
        "The first year in the registry: there is no year before to compare with, so no escapes, new poor or fall-backs are counted.",
    ),
    (
        "first_assessed_some",
        "Số xã có năm này là năm đầu tiên trong sổ (không tính diễn biến)",
        "Communes whose first year in the registry this is (no changes counted)",
    ),
    ("new_poor", "Nghèo phát sinh", "Newly poor"),
    ("fell_back", "Tái nghèo", "Fell back into poverty"),
    (
        "poor_to_near_poor",
        "Từ nghèo sang cận nghèo",
        "Poor to near-poor",
    ),
    (
        "near_poor_to_poor",
        "Từ cận nghèo sang nghèo",
        "Near-poor to poor",
    ),
    ("stayed_poor", "Vẫn nghèo", "Stayed poor"),
    ("new_near_poor", "Cận nghèo phát sinh", "Newly near-poor"),
    ("stayed_near_poor", "Vẫn cận nghèo", "Stayed near-poor"),
    ("search", "Tìm", "Search"),
    (
        "search_hint",
        "Tên thành viên hoặc mã hộ, có dấu hoặc không dấu",
        "A member's name or the household code, with or without diacritics",
    ),
    ("filter", "Lọc", "Filter"),
    (
        "ethnic_group",
        "Dân tộc của chủ hộ",
        "Ethnic group of the head",
    ),
    ("deprivation", "Thiếu hụt", "Deprivation"),
    ("deprivations", "Số chỉ số thiếu hụt", "Deprivations"),
    ("members", "Nhân khẩu", "Members"),
    ("head", "Chủ hộ", "Head"),
    ("code", "Mã hộ", "Code"),
    ("page", "Trang", "Page"),
    ("previous", "Trước", "Previous"),
    ("next", "Sau", "Next"),
    ("found", "hộ tìm thấy", "households found"),
    ("none_found", "Không có hộ nào.", "No household."),
    ("full_name", "Họ và tên", "Full name"),
    ("id_number", "Số định danh", "Personal ID"),
    ("birth_date", "Ngày sinh", "Birth date"),
    ("sex", "Giới tính", "Sex"),
    ("relation", "Quan hệ với chủ hộ", "Relation to the head"),
    (
        "assessments",
        "Kết quả rà soát các năm",
        "Reviews, year by year",
    ),
    (
        "income_per_capita",
        "Thu nhập bình quân đầu người/tháng",
        "Income per person a month",
    ),
    ("income_line", "Chuẩn thu nhập", "Income line"),
    ("standard", "Chuẩn nghèo", "Standard"),
    ("area", "Khu vực", "Area"),
    ("urban", "Thành thị", "Urban"),
    ("rural", "Nông thôn", "Rural"),
    ("why", "Căn cứ phân loại", "Why this class"),
    ("lacking", "Thiếu hụt", "Lacking"),
    ("survey_date", "Ngày rà soát", "Survey date"),
    ("transition", "Diễn biến", "Change"),
    ("download", "Tải về", "Download"),
    ("upload", "Tải lên", "Upload"),
    (
        "import_file",
        "Tệp khảo sát (CSV hộ và thành viên, hoặc một tệp Excel)",
        "Survey file (households and members CSV, or one Excel workbook)",
    ),
    (
        "households_file",
        "Tệp hộ (households.csv) hoặc tệp Excel",
        "Households file (households.csv) or a workbook",
    ),
    (
        "members_file",
        "Tệp nhân khẩu (members.csv)",
        "Members file (members.csv)",
    ),
    ("import_done", "Đã nhập", "Imported"),
    (
        "import_rejected",
        "Không nhập: tệp có lỗi, chưa có gì được lưu.",
        "Not imported: the file has errors; nothing was stored.",
    ),
    (
        "import_already",
        "Tệp này đã được nhập cho năm này.",
        "This file was already imported for this year.",
    ),
    ("errors", "Lỗi", "Errors"),
    ("warnings", "Cảnh báo", "Warnings"),
    (
        "not_found",
        "Không tìm thấy trang hoặc bản ghi này.",
        "This page or record does not exist.",
    ),
    (
        "forbidden",
        "Bạn không có quyền làm việc này.",
        "You may not do this.",
    ),
    (
        "bad_request",
        "Yêu cầu không hợp lệ.",
        "The request is not valid.",
    ),
    (
        "too_large",
        "Tệp hoặc biểu mẫu gửi lên quá lớn.",
        "The file or form sent is too large.",
    ),
    (
        "uri_too_long",
        "Địa chỉ yêu cầu quá dài. Hãy rút ngắn nội dung tìm kiếm.",
        "The request's address is too long. Shorten the search.",
    ),
    (
        "search_too_long",
        "Nội dung tìm kiếm quá dài (tối đa 200 ký tự).",
        "The search text is too long (at most 200 characters).",
    ),
    (
        "page_out_of_range",
        "Số trang không hợp lệ.",
        "The page number is not valid.",
    ),
    (
        "chain_head",
        "Tải đầu chuỗi băm (để đối chiếu sau)",
        "Download the chain's head (to check against later)",
    ),
    (
        "chain_verify",
        "Đối chiếu với đầu chuỗi đã tải",
        "Check against an exported head",
    ),
    ("chain_head_id", "Số thứ tự bản ghi", "Entry number"),
    ("chain_head_hash", "Mã băm", "Hash"),
    (
        "chain_anchor_ok",
        "Nhật ký khớp với đầu chuỗi đã tải: không bản ghi nào trước đó bị xóa hay sửa.",
        "The log matches the exported head: no entry up to it was removed or changed.",
    ),
    (
        "chain_anchor_missing",
        "Không còn bản ghi của đầu chuỗi đã tải: nhật ký đã bị cắt bớt.",
        "The exported head's entry is gone: the log was cut short.",
    ),
    (
        "chain_anchor_differs",
        "Bản ghi của đầu chuỗi đã tải có mã băm khác: nhật ký đã bị sửa.",
        "The exported head's entry has another hash: the log was changed.",
    ),
    (
        "server_error",
        "Có lỗi xảy ra. Hãy thử lại.",
        "Something went wrong. Try again.",
    ),
    ("user", "Người dùng", "User"),
    ("action", "Thao tác", "Action"),
    ("record", "Bản ghi", "Record"),
    ("time", "Thời gian", "Time"),
    ("before", "Trước", "Before"),
    ("after", "Sau", "After"),
    (
        "chain_ok",
        "Chuỗi băm của nhật ký toàn vẹn",
        "The log's hash chain is intact",
    ),
    (
        "chain_broken",
        "Chuỗi băm bị phá vỡ tại mục",
        "The log's hash chain breaks at entry",
    ),
    ("no_data", "Chưa có số liệu.", "No figures yet."),
    ("whole_country", "Toàn quốc", "Whole country"),
    ("users", "Người dùng", "Users"),
    ("reviews", "Rà soát hộ nghèo, cận nghèo", "Poverty review"),
    ("reviews_short", "Rà soát", "Review"),
    ("certificates_title", "Giấy chứng nhận hộ nghèo, hộ cận nghèo", "Poor and near-poor household certificates"),
    ("decisions_title", "Quyết định công nhận và danh sách kèm theo", "Decisions and their annex lists"),
    ("annex", "Danh sách", "Annex"),
    ("decision_word", "QUYẾT ĐỊNH", "DECISION"),
    ("decision_about", "Về việc công nhận hộ nghèo, hộ cận nghèo, hộ thoát nghèo, hộ thoát cận nghèo năm", "On the recognition of poor, near-poor, escaped-poor and escaped-near-poor households,"),
    ("decision_about_correction", "Về việc điều chỉnh kết quả công nhận tại Quyết định số", "Correcting the recognition of decision"),
    ("decision_chairman", "CHỦ TỊCH ỦY BAN NHÂN DÂN", "THE CHAIRMAN OF THE PEOPLE'S COMMITTEE OF"),
    ("basis_word", "Căn cứ", "Under"),
    ("basis_results", "Căn cứ kết quả rà soát hộ nghèo, hộ cận nghèo trên địa bàn xã năm", "Based on the commune's review of poor and near-poor households of"),
    ("decision_decides", "QUYẾT ĐỊNH:", "DECIDES:"),
    ("article", "Điều", "Article"),
    ("article1", "Công nhận các hộ trên địa bàn xã năm", "The commune's households are recognised, for"),
    ("article1_correction", "Điều chỉnh kết quả công nhận của các hộ sau", "The recognition of these households is corrected"),
    ("article2", "Quyết định này có hiệu lực kể từ ngày ký.", "This decision takes effect on the day it is signed."),
    ("article3", "Công chức phụ trách lao động - xã hội, trưởng các thôn, bản và các hộ có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.", "The commune's officer for labour and social affairs, the village heads and the households named in Article 1 carry out this decision."),
    ("annex_attached", "Kèm theo Quyết định số", "Attached to decision"),
    ("annex_of_chairman", "của Chủ tịch UBND", "of the chairman of the People's Committee of"),
    ("annex_title_poor", "DANH SÁCH HỘ NGHÈO NĂM", "POOR HOUSEHOLDS,"),
    ("annex_title_near_poor", "DANH SÁCH HỘ CẬN NGHÈO NĂM", "NEAR-POOR HOUSEHOLDS,"),
    ("annex_title_escaped_poor", "DANH SÁCH HỘ THOÁT NGHÈO NĂM", "HOUSEHOLDS THAT ESCAPED POVERTY,"),
    ("annex_title_escaped_near_poor", "DANH SÁCH HỘ THOÁT CẬN NGHÈO NĂM", "HOUSEHOLDS THAT ESCAPED NEAR-POVERTY,"),
    ("annex_title_not_listed", "DANH SÁCH HỘ KHÔNG THUỘC DANH SÁCH NĂM", "HOUSEHOLDS OFF THE LISTS,"),
    ("household_changes", "Biến động của hộ giữa các kỳ rà soát", "Changes between reviews"),
    ("change_date", "Ngày biến động", "Date"),
    ("change_kind", "Loại biến động", "Change"),
    ("change_what", "Nội dung", "Details"),
    ("change_document", "Số văn bản, giấy tờ", "Document"),
    ("change_recorded_by", "Người ghi", "Recorded by"),
    ("change_add_member", "Thêm thành viên (sinh, chuyển đến)", "Add a member (born, moved in)"),
    ("change_remove_member", "Thành viên mất, chuyển đi", "A member died or moved out"),
    ("change_member", "Thành viên", "Member"),
    ("change_place_from", "Chuyển đến từ (nếu chuyển đến)", "Moved in from (if moved in)"),
    ("change_place_to", "Chuyển đến nơi (nếu chuyển đi)", "Moved to (if moved out)"),
    ("change_new_code", "Mã hộ mới", "New household code"),
    ("change_head", "Chủ hộ mới", "New head"),
    ("change_members_leaving", "Thành viên sang hộ mới", "Members who form the new household"),
    ("change_into_code", "Mã hộ nhập vào (cùng xã)", "Code of the household joined (same commune)"),
    ("change_commune_code", "Mã xã chuyển đến", "Code of the commune moved to"),
    ("change_submit", "Ghi biến động", "Record the change"),
    ("change_from", "từ", "from"),
    ("change_to", "đến", "to"),
    ("assessed_at", "Rà soát tại", "Assessed in"),
    ("change:born", "Sinh", "Born"),
    ("change:moved_in", "Chuyển đến", "Moved in"),
    ("change:died", "Chết", "Died"),
    ("change:moved_out", "Chuyển đi", "Moved out"),
    ("change:split", "Tách hộ", "Split off a new household"),
    ("change:merged", "Nhập vào hộ khác", "Join another household"),
    ("change:moved", "Chuyển hộ sang xã khác", "Move to another commune"),
    ("change:merged_in", "Hộ khác nhập vào", "Another household joined"),
    ("change:split_from", "Tách từ hộ", "Split from household"),
    ("change:moved_from", "Chuyển đến từ hộ", "Moved from household"),
    ("change_done:born", "Đã ghi thành viên mới sinh.", "The birth is recorded."),
    ("change_done:moved_in", "Đã ghi thành viên chuyển đến.", "The member who moved in is recorded."),
    ("change_done:died", "Đã ghi thành viên chết.", "The death is recorded."),
    ("change_done:moved_out", "Đã ghi thành viên chuyển đi.", "The member who moved out is recorded."),
    ("change_done:split", "Đã tách hộ: đây là hộ mới.", "The household is split: this is the new household."),
    ("change_done:merged", "Đã nhập hộ: đây là hộ nhận các thành viên.", "The households are merged: this is the household that took the members."),
    ("change_done:moved", "Đã chuyển hộ: đây là hộ ở xã mới; các năm trước đi theo hộ.", "The household has moved: this is it in its new commune; its past years follow it."),
    ("ended:merged", "Hộ đã nhập vào hộ khác ngày", "This household joined another on"),
    ("ended:moved", "Hộ đã chuyển sang xã khác ngày", "This household moved to another commune on"),
    ("origin:split", "Hộ tách từ", "Split from"),
    ("origin:moved", "Hộ chuyển đến từ", "Moved here from"),
    ("request_kind", "Đơn đề nghị (Mẫu 04)", "Request (form 04)"),
    ("request_poor", "Công nhận hộ nghèo", "To be recognised as poor"),
    ("request_near_poor", "Công nhận hộ cận nghèo", "To be recognised as near-poor"),
    ("request_escape", "Công nhận thoát nghèo, thoát cận nghèo", "To be recognised as escaped"),
    ("request_filed", "Ngày nhận đơn", "Received on"),
    ("request_file", "Tiếp nhận đơn", "File the request"),
    ("review_done_request", "Đã tiếp nhận đơn; hộ vào đợt rà soát thường xuyên này.", "The request is filed; the household is in this in-year round."),
    ("review_done_refuse", "Đã ghi văn bản từ chối.", "The refusal is recorded."),
    ("review_deadline", "Hạn giải quyết", "Deadline"),
    ("review_overdue", "Quá hạn", "Overdue"),
    ("review_refuse", "Từ chối bằng văn bản", "Refuse in writing"),
    ("refusal_reason", "Lý do từ chối", "Reason"),
    ("in_year_round", "Rà soát thường xuyên", "In-year round"),
    ("periodic_round", "Rà soát định kỳ", "Periodic review"),
    ("round:periodic", "Rà soát định kỳ", "Periodic review"),
    ("round:in_year", "Rà soát thường xuyên", "In-year round"),
    ("round:imported", "Kết quả đã quyết định, nhập từ tệp", "Decided elsewhere, imported"),
    ("overdue_requests", "Đơn quá hạn giải quyết", "Requests past their deadline"),
    ("action:review.refuse", "Từ chối bằng văn bản", "Refused in writing"),
    ("complaint_household", "Hộ bị khiếu nại", "Household complained about"),
    ("complaint_text", "Nội dung khiếu nại và trả lời", "The complaint and the answer"),
    ("complaint_justified", "Khiếu nại đúng: khảo sát lại", "Justified: survey again"),
    ("review_complaint", "Ghi khiếu nại", "Record the complaint"),
    ("review_done_complaint", "Đã ghi khiếu nại.", "The complaint is recorded."),
    ("review_lock", "Khóa năm rà soát", "Lock the review year"),
    (
        "review_lock_hint",
        "Khi mọi hộ đã có kết quả cuối cùng. Sau khi khóa, chỉ một quyết định mới thay đổi được hộ.",
        "Once every household has its final result. Afterwards only a new decision changes a household.",
    ),
    ("review_year_locked", "Năm rà soát đã khóa.", "The review year is locked."),
    ("action:review.lock", "Khóa năm rà soát", "Review year locked"),
    ("unit_households", "hộ", "households"),
    ("unit_persons", "nhân khẩu", "persons"),
    ("no_certificates", "Chưa cấp giấy chứng nhận nào.", "No certificate has been issued."),
    ("no_decisions", "Chưa có quyết định nào.", "No decision yet."),
    ("print_hint", "In trang này trên khổ A4: mỗi giấy chứng nhận một trang.", "Print this page on A4: one certificate a page."),
    ("decision_print_hint", "In trang này trên khổ A4: quyết định, rồi mỗi danh sách kèm theo một trang.", "Print this page on A4: the decision, then each annex list on a page of its own."),
    ("cert_committee", "ỦY BAN NHÂN DÂN", "PEOPLE'S COMMITTEE OF"),
    ("cert_number", "Số", "No."),
    ("cert_republic", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
    ("cert_motto", "Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
    ("cert_date_words", "ngày", "day"),
    ("cert_month", "tháng", "month"),
    ("cert_year", "năm", "year"),
    ("cert_title", "GIẤY CHỨNG NHẬN HỘ NGHÈO, HỘ CẬN NGHÈO", "CERTIFICATE OF A POOR OR NEAR-POOR HOUSEHOLD"),
    ("cert_certifies", "Chủ tịch Ủy ban nhân dân xã chứng nhận:", "the chairman of the commune People's Committee certifies:"),
    ("cert_head", "Họ và tên chủ hộ", "Head of household"),
    ("cert_residence", "Nơi thường trú", "Permanent residence"),
    ("cert_class", "Là", "Is a"),
    ("cert_year_of", "năm", "household for"),
    ("cert_decided", "theo quyết định ngày", "by the decision of"),
    ("cert_members", "I. Thành viên hộ gia đình", "I. Members of the household"),
    ("cert_born_male", "Năm sinh (nam)", "Born (male)"),
    ("cert_born_female", "Năm sinh (nữ)", "Born (female)"),
    ("cert_notes", "Ghi chú", "Notes"),
    ("cert_chairman", "CHỦ TỊCH", "CHAIRMAN"),
    ("cert_sign", "(Ký, ghi rõ họ tên và đóng dấu)", "(Signature, full name and seal)"),
    ("review_plans", "Kế hoạch rà soát của tỉnh", "The province's review plan"),
    ("review_windows", "Kế hoạch rà soát của xã", "The communes' review plans"),
    ("plan_number", "Số kế hoạch", "Plan number"),
    ("plan_date", "Ngày ban hành", "Issued on"),
    ("review_period", "Thời gian rà soát", "Review period"),
    ("review_starts", "Bắt đầu", "Starts"),
    ("review_ends", "Kết thúc", "Ends"),
    (
        "review_window_hint",
        "Rà soát định kỳ trong khoảng 1/9 – 14/12 hằng năm.",
        "The periodic review runs within 1 September – 14 December.",
    ),
    (
        "review_commune_hint",
        "Thời gian của xã nằm trong thời gian của kế hoạch tỉnh.",
        "The commune's period lies within the province's plan.",
    ),
    ("add_review_plan", "Ban hành kế hoạch", "Issue the plan"),
    ("add_review_window", "Lập kế hoạch của xã", "Make the commune's plan"),
    ("no_review_plan", "Tỉnh chưa có kế hoạch rà soát năm này.", "The province has no review plan for this year."),
    ("no_review_window", "Chưa có kế hoạch rà soát của xã.", "No commune has its review plan yet."),
    ("review_cases", "Số hộ rà soát", "Households reviewed"),
    ("review_closed", "Đã xong", "Done"),
    ("review_board", "Bảng theo dõi rà soát", "Review board"),
    ("review_posting_days", "Niêm yết (ngày làm việc)", "Posting (working days)"),
    ("review_quorum", "Họp thôn thống nhất từ", "Village meeting agrees from"),
    ("review_opinion", "Xin ý kiến", "Opinion of"),
    ("review_next", "Bước tiếp theo", "Next step"),
    ("review_list", "Lập danh sách rà soát", "Make the list to review"),
    (
        "review_list_hint",
        "Các hộ nghèo, cận nghèo của năm trước.",
        "Last year's poor and near-poor households.",
    ),
    ("review_screen", "Sàng lọc (Phiếu A): đủ điều kiện khảo sát", "Screening (form A): to be surveyed"),
    (
        "review_screen_hint",
        "Mọi hộ trong danh sách đều được khảo sát bằng Phiếu B.",
        "Every household on the list is surveyed with form B.",
    ),
    ("review_survey", "Lấy kết quả khảo sát (Phiếu B) đã nhập", "Take the imported survey (form B)"),
    (
        "review_survey_hint",
        "Hộ đã có phiếu khảo sát năm này được đề xuất theo kết quả phân loại.",
        "Households surveyed this year are proposed as the rules classify them.",
    ),
    ("meeting_date", "Ngày họp", "Held on"),
    ("meeting_participants", "Số người dự", "Participants"),
    ("meeting_in_favour", "Số người đồng ý", "In favour"),
    ("review_meeting", "Ghi biên bản họp thôn", "Record the village meeting"),
    ("posting_starts", "Ngày niêm yết", "Posted from"),
    ("posting_places", "Nơi niêm yết", "Posted at"),
    ("review_post", "Niêm yết công khai", "Post publicly"),
    ("opinion_date", "Ngày có ý kiến", "Opinion given on"),
    ("review_consult", "Ghi ý kiến cấp trên", "Record the opinion"),
    ("decision_number", "Số quyết định", "Decision number"),
    ("decision_date", "Ngày quyết định", "Decided on"),
    ("review_decide", "Ghi quyết định công nhận", "Record the decision"),
    ("certificate_date", "Ngày cấp", "Issued on"),
    ("review_certify", "Cấp giấy chứng nhận", "Issue the certificates"),
    ("review_by_village", "Theo thôn, bản", "By village"),
    ("review_previous", "Năm trước", "Last year"),
    ("review_proposed", "Đề xuất", "Proposed"),
    ("review_approved", "Công nhận", "Recognised as"),
    (
        "review_more",
        "Chỉ hiện 500 hộ đầu; chọn một bước để thu hẹp.",
        "Only the first 500 households are shown; choose a step to narrow the list.",
    ),
    ("public_posting", "Danh sách niêm yết công khai", "Public posting"),
    ("posting_period", "Thời gian niêm yết", "Posting period"),
    (
        "posting_complaints",
        "Người dân có ý kiến, khiếu nại về danh sách xin gửi UBND xã trong thời gian niêm yết.",
        "Anyone who disagrees with the list may complain to the commune People's Committee during the posting.",
    ),
    ("posting_notice", "Thông báo kết quả", "Results"),
    ("posting_list", "Danh sách hộ", "Households"),
    ("persons", "Số nhân khẩu", "Persons"),
    ("review_dates_needed", "Cần đủ các ngày của kế hoạch.", "The plan needs all its dates."),
    ("review_done_list", "Đã lập danh sách rà soát.", "The list to review is made."),
    ("review_done_apply", "Đã ghi giấy đề nghị; hộ vào danh sách rà soát.", "The application is recorded; the household is on the list to review."),
    ("review_apply", "Ghi giấy đề nghị", "Record the application"),
    (
        "review_apply_hint",
        "Hộ chưa có tên trong danh sách năm trước đề nghị được rà soát (Mẫu 01); hộ được sàng lọc bằng Phiếu A.",
        "A household not on last year's lists asks to be reviewed (form 01); it is screened with form A.",
    ),
    ("apply_household", "Mã hộ đề nghị", "Household asking"),
    ("apply_kind", "Đề nghị công nhận", "Asks to be recognised as"),
    ("apply_date", "Ngày đề nghị", "Asked on"),
    ("review_done_screen", "Đã ghi kết quả sàng lọc.", "The screening is recorded."),
    ("review_done_survey", "Đã lấy kết quả khảo sát.", "The survey results are taken."),
    ("review_done_meeting", "Đã ghi biên bản họp thôn.", "The village meeting is recorded."),
    ("review_done_post", "Đã niêm yết công khai.", "The lists are posted."),
    ("review_done_consult", "Đã ghi ý kiến cấp trên.", "The opinion is recorded."),
    ("review_done_decide", "Đã ghi quyết định công nhận.", "The decision is recorded."),
    ("review_done_certify", "Đã cấp giấy chứng nhận.", "The certificates are issued."),
    ("review_done_form", "Đã lưu phiếu B; hộ chuyển sang chờ họp thôn.", "Form B is saved; the household awaits its village meeting."),
    ("survey_form_enter", "Nhập phiếu B", "Enter form B"),
    ("survey_form_title", "Phiếu B", "Form B"),
    (
        "survey_form_note",
        "Phiếu khảo sát hộ (thu nhập, thiếu hụt dịch vụ xã hội cơ bản) của đợt rà soát. Hệ thống kiểm tra như khi nhập tệp và phân loại trước khi lưu.",
        "The household survey (income, deprivations in basic social services) of this review. It is checked as an imported file would be and classified before it is saved.",
    ),
    ("survey_form_from", "Điền sẵn theo phiếu năm", "Filled in from the survey of"),
    ("survey_form_errors", "Phiếu chưa hợp lệ", "The form has errors"),
    ("survey_form_class", "Kết quả phân loại", "Class"),
    ("survey_form_deprived", "Thiếu hụt", "Deprived on"),
    (
        "survey_form_save_hint",
        "Phiếu hợp lệ. Bấm “Lưu phiếu B” để ghi kết quả khảo sát.",
        "The form is valid. Press “Save form B” to record the survey.",
    ),
    ("survey_form_household", "Thông tin hộ", "The household"),
    ("survey_form_member", "Thành viên", "Member"),
    (
        "survey_form_members_hint",
        "Để trống cả dòng thành viên thì dòng đó không được tính.",
        "A member row left wholly empty is not counted.",
    ),
    ("survey_form_add_member", "Thêm thành viên", "Add a member"),
    ("survey_form_check", "Kiểm tra và phân loại", "Check and classify"),
    ("survey_form_save", "Lưu phiếu B", "Save form B"),
    ("household_reviews", "Các đợt rà soát của hộ", "The household's reviews"),
    ("review_round", "Đợt rà soát", "Round"),
    ("review_decision", "Quyết định công nhận", "Decision"),
    ("certificate", "Giấy chứng nhận", "Certificate"),
    (
        "proposed_not_decided",
        "kết quả khảo sát, đề xuất: chưa có quyết định công nhận",
        "survey result, proposed: not yet decided",
    ),
    ("review_correct_title", "Quyết định điều chỉnh", "Correcting decision"),
    (
        "review_correct_hint",
        "Quyết định đã ban hành không sửa: điều chỉnh là một quyết định mới, ghi rõ quyết định được điều chỉnh và lý do. Giấy chứng nhận cũ của hộ bị thu hồi; hộ nghèo, cận nghèo được cấp giấy mới.",
        "A decision made is never edited: a correction is a new decision naming the one it corrects and why. The household's certificate is withdrawn; a poor or near-poor household is certified again.",
    ),
    ("review_correct_class", "Công nhận lại là", "Recognised now as"),
    ("review_correct_reason", "Lý do điều chỉnh", "Reason for the correction"),
    ("review_correct", "Ghi quyết định điều chỉnh", "Record the correcting decision"),
    ("review_done_correct", "Đã ghi quyết định điều chỉnh.", "The correcting decision is recorded."),
    ("decision_corrects", "điều chỉnh Quyết định số", "correcting decision"),
    ("decision_of", "Quyết định số", "Decision"),
    ("decided_not_surveyed", "Phân loại theo quyết định công nhận (điều chỉnh); Phiếu B xếp hộ là", "The class is the one a (correcting) decision recognised; Phiếu B found the household"),
    ("why_surveyed", "Phiếu B xếp như vậy vì", "Phiếu B found so because"),
    ("decision_dated", "ngày", "of"),
    ("households_word", "hộ", "households"),
    ("money", "Vốn chương trình", "Programme money"),
    ("money_short", "Vốn", "Money"),
    ("money_upload", "Nhập tệp kế hoạch vốn, giải ngân hoặc ước giải ngân", "Import a plans, payments or estimates file"),
    ("money_upload_kind", "Loại tệp", "File of"),
    ("money_upload_plans", "Kế hoạch vốn, phân bổ (sheet ke_hoach_von)", "Plans and allocations (sheet ke_hoach_von)"),
    ("money_upload_payments", "Giải ngân (sheet giai_ngan)", "Payments (sheet giai_ngan)"),
    ("money_upload_file", "Tệp CSV hoặc XLSX", "CSV or XLSX file"),
    ("money_upload_hint", "Cả tệp được nhập hoặc không dòng nào; mọi dòng lỗi được liệt kê với số dòng và cột.", "The whole file is imported or none of it; every bad row is listed with its row and column."),
    ("money_template", "Tải tệp mẫu", "Download the template"),
    ("money_upload_button", "Nhập tệp", "Import the file"),
    ("money_province", "Vốn của tỉnh", "The province's money"),
    ("money_year", "Năm ngân sách", "Budget year"),
    ("money_on", "Kế hoạch có hiệu lực ngày", "Plans in force on"),
    ("show", "Xem", "Show"),
    ("money_in_millions", "đơn vị: triệu đồng", "in millions of đồng"),
    ("money_plans_on", "kế hoạch vốn có hiệu lực ngày", "plans in force on"),
    ("money_history", "Các lần giao, điều chỉnh kế hoạch vốn", "Plan documents and revisions"),
    ("money_done_plans", "Đã ghi kế hoạch vốn.", "The plan line is recorded."),
    ("money_done_payments", "Đã ghi khoản giải ngân.", "The payment is recorded."),
    ("money_done_estimates", "Đã ghi ước giải ngân đến hết năm.", "The year-end estimate is recorded."),
    ("money_download", "Tải về", "Download"),
    ("money_kind_plans", "Kế hoạch vốn", "Plans"),
    ("money_kind_payments", "Giải ngân", "Payments"),
    ("money_kind_estimates", "Ước giải ngân", "Estimates"),
    ("money_upload_estimates", "Ước giải ngân đến hết năm (sheet uoc_giai_ngan)", "Year-end estimates (sheet uoc_giai_ngan)"),
    ("money_add_estimate", "Ghi ước giải ngân đến hết năm", "Record a year-end estimate"),
    ("money_as_of", "Ngày ước", "Estimated on"),
    ("money_estimate_dong", "Ước giải ngân cả năm (đồng)", "Expected for the year (đồng)"),
    ("money_estimate_hint", "Số ước là tổng vốn của dòng dự kiến giải ngân đến hết năm ngân sách, tách riêng với số đã giải ngân; lần ước sau thay lần trước từ ngày của nó.", "The amount the line is expected to have disbursed by the budget year's end, kept apart from what is paid; a later estimate replaces the earlier from its day."),
    ("money_save_estimate", "Ghi ước giải ngân", "Record the estimate"),
    ("money_col_as_of", "Ngày ước", "Estimated on"),
    ("money_other_programme", "vốn kéo dài", "carried over"),
    ("money_plan", "Kế hoạch vốn", "Plan"),
    ("money_disbursed", "Đã giải ngân", "Disbursed"),
    ("money_unallocated", "Chưa phân bổ", "Unallocated"),
    ("money_allocated", "Đã phân bổ cho xã", "Allocated to communes"),
    ("money_estimate", "Ước giải ngân đến 31/12", "Estimate to 31 December"),
    ("money_advances", "Tạm ứng", "Advances"),
    ("money_nothing", "Chưa có kế hoạch vốn hay giải ngân nào cho năm này.", "No plan or payment for this year yet."),
    ("money_by_project", "Giải ngân so với kế hoạch theo dự án", "Disbursed against plan by project"),
    ("money_by_source", "Giải ngân so với kế hoạch theo nguồn vốn", "Disbursed against plan by source"),
    ("money_by_month", "Giải ngân lũy kế theo tháng", "Disbursed to date, by month"),
    ("money_chart_projects", "Tỷ lệ giải ngân theo dự án (%)", "Disbursed by project (% of plan)"),
    ("money_chart_sources", "Tỷ lệ giải ngân theo nguồn vốn (%)", "Disbursed by source (% of plan)"),
    ("money_chart_months", "Giải ngân lũy kế so với kế hoạch (%)", "Disbursed to date against plan (%)"),
    ("money_disbursed_share", "Đã giải ngân / kế hoạch", "Disbursed / plan"),
    ("money_item", "Dự án, tiểu dự án", "Project, sub-project"),
    ("money_source", "Nguồn vốn", "Source"),
    ("money_communes", "Các xã", "The communes"),
    ("money_slow_hint", "Xếp từ xã giải ngân chậm nhất; xã có tỷ lệ dưới một nửa tỷ lệ chung của tỉnh được đánh dấu.", "Slowest first; a commune under half the province's share is marked."),
    ("money_allocation", "Vốn được phân bổ", "Allocated"),
    ("money_slow", "chậm", "slow"),
    ("money_own_lines", "Vốn tỉnh trực tiếp thực hiện và tổng kế hoạch", "The province's lines (its total plan and its own payments)"),
    ("money_lines", "Kế hoạch và giải ngân theo dòng vốn", "Plan and payments by line"),
    ("money_origin", "Vốn năm", "Capital of"),
    ("money_payments", "Các khoản giải ngân gần nhất", "Latest payments"),
    ("money_paid_on", "Ngày giải ngân", "Paid on"),
    ("money_amount", "Số tiền", "Amount"),
    ("money_amount_dong", "Số tiền (đồng)", "Amount (đồng)"),
    ("money_document", "Số văn bản, chứng từ", "Document or receipt"),
    ("money_advance_reason", "Lý do tạm ứng (nếu vượt kế hoạch)", "Advance's reason (if over the plan)"),
    ("money_add_plan", "Ghi kế hoạch vốn, phân bổ cho xã", "Record a plan line or an allocation"),
    ("money_unit", "Đơn vị", "Unit"),
    ("money_decided_on", "Ngày văn bản", "Dated"),
    ("money_note", "Ghi chú", "Note"),
    ("money_plan_hint", "Mỗi lần ghi một dòng; cùng số và ngày văn bản là một văn bản. Văn bản sau cùng đơn vị, năm là điều chỉnh, có hiệu lực từ ngày của nó. Nhiều dòng: nhập tệp.", "One line at a time; the same number and day make one document. A later document of the unit and year revises it from its day. Many lines: import a file."),
    ("money_save_plan", "Ghi dòng kế hoạch", "Record the line"),
    ("money_add_payment", "Ghi khoản giải ngân", "Record a payment"),
    ("money_payment_hint", "Khoản giải ngân vượt kế hoạch có hiệu lực ngày chi chỉ ghi được là tạm ứng, có lý do.", "A payment over the plan in force on its day is recorded only as an advance, with its reason."),
    ("money_save_payment", "Ghi giải ngân", "Record the payment"),
    ("money_history_hint", "Mỗi văn bản giao hoặc điều chỉnh kế hoạch vốn của đơn vị, theo ngày; mỗi dòng thay số trước đó từ ngày văn bản.", "Each document setting or revising the unit's plan, by day; each line replaces the amount before it from the document's day."),
    ("money_before", "Trước đó", "Before"),
    ("money_change", "Tăng, giảm", "Change"),
    ("money_no_plans", "Chưa có văn bản kế hoạch vốn nào.", "No plan document yet."),
    ("money_form_name", "biểu mẫu", "the form"),
    ("targets", "Chỉ tiêu", "Targets"),
    ("target_set", "Giao chỉ tiêu", "Set a target"),
    ("target_indicator", "Chỉ tiêu", "Indicator"),
    ("target_from", "Từ năm", "From"),
    ("target_to", "Đến năm", "To"),
    ("target_value", "Mức chỉ tiêu", "Target"),
    ("target_document", "Văn bản giao", "Set by"),
    ("target_save", "Ghi chỉ tiêu", "Record the target"),
    ("target_measured", "Thực hiện", "Achieved so far"),
    ("target_chart", "Mức đạt so với chỉ tiêu (%)", "Achieved against target (%)"),
    ("target_points_a_year", "điểm/năm", "points a year"),
    ("target_done", "Đã ghi chỉ tiêu.", "The target is recorded."),
    ("target_none", "Chưa giao chỉ tiêu nào.", "No target set yet."),
    ("target_hint", "Thực hiện tính từ dữ liệu: giảm tỷ lệ hộ nghèo bình quân theo kết quả rà soát các năm trong kỳ, số hộ, số người theo các khoản hỗ trợ đã ghi, tỷ lệ giải ngân theo kế hoạch vốn; tính đến hôm nay với kỳ chưa kết thúc.", "Measured from the data: the poverty rate's average annual decrease over the span's reviews, households and people from the support recorded, disbursement against the capital plans; up to today for a span not yet ended."),
    ("total", "Tổng", "Total"),
    ("checks", "Kiểm tra số liệu báo cáo", "Check reported figures"),
    ("checks_short", "Kiểm tra số liệu", "Checks"),
    ("checks_hint", "Tải lên tệp số liệu (CSV hoặc Excel, trang so_lieu): mỗi dòng một đơn vị (cột unit_code: mã tỉnh hoặc mã xã), mỗi cột một chỉ tiêu (households, poor, poor_rate, plan, disbursed, disbursed_pct...). Số liệu của tỉnh được đối chiếu với tổng các xã trong cùng tệp; mỗi quy tắc bị vi phạm được liệt kê với giá trị hai vế và dòng số liệu.", "Upload a file of figures (CSV, or a workbook's sheet so_lieu): a unit a row (column unit_code: a province's or a commune's code), a figure a column (households, poor, poor_rate, plan, disbursed, disbursed_pct...). A province's figures are checked against the sum of the communes in the same file; every broken rule is listed with both sides' values and the rows of its figures."),
    ("checks_button", "Kiểm tra", "Check"),
    ("checks_broken", "Số quy tắc bị vi phạm", "Rules broken"),
    ("checks_none", "Không có quy tắc nào bị vi phạm.", "No rule is broken."),
    ("checks_row", "Dòng", "Row"),
    ("checks_unit", "Đơn vị", "Unit"),
    ("checks_rule", "Quy tắc", "Rule"),
    ("checks_left", "Vế trái", "Left side"),
    ("checks_right", "Vế phải", "Right side"),
    ("checks_cells", "Số liệu tại (dòng)", "Figures at (row)"),
    ("checks_rules", "Các quy tắc kiểm tra", "The rules"),
    ("checks_test", "Phép kiểm tra", "Test"),
    ("checks_levels", "Cấp áp dụng", "Levels"),
    ("models", "Mô hình, dự án giảm nghèo", "Models and projects"),
    ("models_hint", "Mô hình giảm nghèo, dự án liên kết chuỗi giá trị, dự án cộng đồng: kinh phí theo nguồn, tỷ lệ nhà nước hỗ trợ theo loại địa bàn, hộ tham gia và kết quả thoát nghèo ở kỳ rà soát sau.", "Livelihood models, value-chain and community projects: budget by source, the state's share by area class, participants and how many left poverty at the next review."),
    ("models_none", "Chưa có mô hình, dự án nào.", "No model or project recorded."),
    ("models_upload", "Nhập tệp mô hình, dự án và hộ tham gia", "Import models, projects and participants"),
    ("models_upload_hint", "Tệp Excel có trang mo_hinh và trang thanh_vien (hoặc tệp CSV của một trong hai); cả tệp được nhập hoặc không dòng nào, mọi dòng lỗi được liệt kê với số dòng và cột.", "A workbook with sheets mo_hinh and thanh_vien (or a CSV file of either); the whole file is imported or none of it, every bad row listed with its row and column."),
    ("model_code", "Mã", "Code"),
    ("model_name", "Tên mô hình, dự án", "Name"),
    ("model_kind", "Loại", "Kind"),
    ("model_communes", "Địa bàn (xã)", "Communes"),
    ("model_span", "Thời gian thực hiện", "Runs"),
    ("model_budget", "Tổng kinh phí (đồng)", "Budget (đồng)"),
    ("model_participants", "Hộ tham gia", "Participants"),
    ("model_area", "Loại địa bàn", "Area class"),
    ("model_outputs", "Kết quả, sản phẩm", "Outputs"),
    ("model_recorded_by", "Người ghi", "Recorded by"),
    ("model_source", "Nguồn", "Source"),
    ("model_amount", "Số tiền (đồng)", "Amount (đồng)"),
    ("model_ceiling", "tối đa", "at most"),
    ("model_given", "Đã hỗ trợ cho hộ tham gia", "Given to participants"),
    ("model_results", "Kết quả đối với hộ tham gia", "How the participants fared"),
    ("model_results_hint", "Phân loại khi tham gia là kết quả rà soát đã công nhận đến ngày tham gia; sau là kết quả của kỳ rà soát kế tiếp.", "The class on joining is the latest review approved by that day; after is the next review's."),
    ("model_poor_before", "Hộ nghèo khi tham gia", "Poor on joining"),
    ("model_near_poor_before", "Hộ cận nghèo khi tham gia", "Near-poor on joining"),
    ("model_left_poverty", "Thoát nghèo ở kỳ sau", "Left poverty at the next review"),
    ("model_left_near_poverty", "Thoát cận nghèo ở kỳ sau", "Left near-poverty at the next review"),
    ("model_fell_into_poverty", "Rơi vào nghèo", "Fell into poverty"),
    ("model_not_yet_reviewed", "Chưa có kỳ rà soát sau", "Not yet reviewed again"),
    ("model_joined", "Ngày tham gia", "Joined"),
    ("model_before", "Khi tham gia", "On joining"),
    ("model_after", "Kỳ rà soát sau", "Next review"),
    ("model_no_review", "chưa có", "none yet"),
    ("model_no_participants", "Chưa có hộ tham gia.", "No participant yet."),
    ("outcomes", "Hiệu quả hỗ trợ", "Outcomes of support"),
    ("outcomes_hint", "Theo từng loại hỗ trợ và nội dung: số hộ được hỗ trợ; trong số hộ nghèo ngày quyết định, bao nhiêu hộ thoát nghèo ở kỳ rà soát sau, so với các hộ nghèo cùng xã, cùng năm không nhận loại hỗ trợ đó; chi phí ngân sách nhà nước cho mỗi hộ thoát nghèo (toàn bộ ngân sách của loại hỗ trợ chia cho số hộ thoát nghèo).", "By kind and item: households supported; of those poor on the decision's day, how many left poverty at the next review, against the poor households of the same commune and year without that support; the state's cost per household that left poverty (the kind's whole state budget over the households that left)."),
    ("outcomes_poor_before", "Hộ nghèo ngày quyết định", "Poor on the decision's day"),
    ("outcomes_households", "Hộ được hỗ trợ", "Households"),
    ("outcomes_rate", "Tỷ lệ thoát nghèo", "Left poverty"),
    ("outcomes_comparable", "Hộ so sánh", "Comparable households"),
    ("outcomes_comparable_rate", "Tỷ lệ thoát nghèo của hộ so sánh", "Comparable households that left"),
    ("outcomes_diff", "Chênh lệch", "Difference"),
    ("outcomes_state_cost", "Ngân sách nhà nước (đồng)", "State budget (đồng)"),
    ("outcomes_cost_per", "Chi phí mỗi hộ thoát nghèo (đồng)", "Cost per household that left (đồng)"),
    ("support_export", "Tải danh sách", "Download the list"),
    ("support_col_model_code", "Mã mô hình", "Model"),
    ("support_col_joined_on", "Ngày tham gia", "Joined"),
    ("support_col_state_amount", "Nhà nước hỗ trợ", "State's amount"),
    ("support_col_communes", "Địa bàn", "Communes"),
    ("support_col_area_class", "Loại địa bàn", "Area class"),
    ("support_col_area_basis", "Căn cứ phân loại địa bàn", "Area's document"),
    ("support_col_code", "Mã", "Code"),
    ("support_col_name", "Tên", "Name"),
    ("support", "Hỗ trợ hộ", "Support to households"),
    ("support_short", "Hỗ trợ", "Support"),
    ("support_history", "Các khoản hỗ trợ hộ đã nhận", "Support the household received"),
    ("support_none", "Chưa có khoản hỗ trợ nào.", "No support recorded."),
    ("support_done", "Đã ghi khoản hỗ trợ.", "The support is recorded."),
    ("support_add", "Ghi khoản hỗ trợ", "Record support"),
    ("support_kind", "Loại hỗ trợ", "Kind"),
    ("support_person", "Người nhận", "Received by"),
    ("support_whole_household", "Cả hộ", "The whole household"),
    ("support_decision", "Quyết định", "Decision"),
    ("support_decided_on", "Ngày quyết định", "Decided on"),
    ("support_status", "Trạng thái", "Status"),
    ("support_status_decided", "Đã quyết định", "Decided"),
    ("support_status_delivered", "Đã trao", "Delivered"),
    ("support_status_started", "Đã khởi công", "Started"),
    ("support_status_completed", "Đã hoàn thành", "Completed"),
    ("support_delivered_on", "Ngày trao", "Delivered on"),
    ("support_started_on", "Ngày khởi công", "Started on"),
    ("support_completed_on", "Ngày hoàn thành", "Completed on"),
    ("support_total", "Tổng (đồng)", "Total (đồng)"),
    ("support_state_part", "Ngân sách nhà nước", "State budget"),
    ("support_rule_set", "Căn cứ", "Rule set"),
    ("support_overridden", "ghi theo lý do", "recorded on a reason"),
    ("support_central", "Ngân sách trung ương (đồng)", "Central budget (đồng)"),
    ("support_local", "Ngân sách địa phương (đồng)", "Local budget (đồng)"),
    ("support_mobilised", "Vốn huy động (đồng)", "Mobilised (đồng)"),
    ("support_beneficiary", "Hộ đóng góp bằng tiền (đồng)", "Household's cash (đồng)"),
    ("support_in_kind", "Hộ đóng góp hiện vật, ngày công (đồng)", "Household's part in kind (đồng)"),
    ("support_valuation", "Cách quy đổi phần hiện vật", "How the part in kind was valued"),
    ("support_override", "Lý do ghi dù không đủ điều kiện (nếu có)", "Reason to record although not eligible (if any)"),
    ("support_hint", "Khoản hỗ trợ được đối chiếu với quy định còn hiệu lực ngày quyết định, theo kết quả rà soát đã công nhận đến ngày đó; khoản không đủ điều kiện chỉ ghi được khi có lý do, lưu vào nhật ký.", "The support is judged by the rules in force on the decision's day, on the reviews approved by then; one not eligible is recorded only with a reason, which the audit log keeps."),
    ("support_save", "Ghi khoản hỗ trợ", "Record the support"),
    ("support_upload", "Nhập tệp danh sách hỗ trợ", "Import a support list"),
    ("support_upload_hint", "Cả tệp được nhập hoặc không dòng nào; mọi dòng lỗi, không đủ điều kiện được liệt kê với số dòng và cột.", "The whole file is imported or none of it; every bad or ineligible row is listed with its row and column."),
    ("support_only_overridden", "Chỉ khoản ghi theo lý do", "Only those recorded on a reason"),
    ("support_count", "Số khoản hỗ trợ", "Records"),
    ("support_duplicates", "Trùng đối tượng hỗ trợ", "Duplicate beneficiaries"),
    ("support_duplicates_hint", "Cùng loại hỗ trợ cho cùng hộ hoặc cùng người trong thời hạn của loại đó, từ bất kỳ chương trình nào: tìm theo hộ, theo số định danh cá nhân, và theo họ tên kèm ngày sinh (cần kiểm tra lại).", "The same kind of support to the same household or person within the kind's window, from any programme: found by household, by personal ID, and by name with birth date (to be checked)."),
    ("support_pairs", "Số cặp trùng", "Pairs"),
    ("support_scanned", "Số khoản đã rà", "Records scanned"),
    ("support_first", "Khoản trước", "Earlier"),
    ("support_second", "Khoản sau", "Later"),
    ("support_matched_by", "Trùng theo", "Matched by"),
    ("support_match_household", "cùng hộ", "the household"),
    ("support_match_personal_id", "số định danh", "personal ID"),
    ("support_match_name_birth", "họ tên và ngày sinh", "name and birth date"),
    ("support_no_duplicates", "Không thấy trùng đối tượng.", "No duplicate found."),
    ("support_col_household_code", "Mã hộ", "Household"),
    ("support_col_member_no", "Thành viên", "Member"),
    ("support_col_id_number", "Số định danh", "Personal ID"),
    ("support_col_kind", "Loại hỗ trợ", "Kind"),
    ("support_col_decision", "Quyết định", "Decision"),
    ("support_col_decided_on", "Ngày quyết định", "Decided on"),
    ("support_col_status", "Trạng thái", "Status"),
    ("support_col_delivered_on", "Ngày trao", "Delivered on"),
    ("support_col_started_on", "Ngày khởi công", "Started on"),
    ("support_col_completed_on", "Ngày hoàn thành", "Completed on"),
    ("support_col_beneficiary_in_kind", "Hiện vật", "In kind"),
    ("support_col_in_kind_valuation", "Quy đổi hiện vật", "Valuation"),
    ("support_col_override_reason", "Lý do", "Reason"),
    ("money_col_unit_code", "Đơn vị", "Unit"),
    ("money_col_budget_year", "Năm ngân sách", "Budget year"),
    ("money_col_document", "Số văn bản", "Document"),
    ("money_col_decided_on", "Ngày văn bản", "Dated"),
    ("money_col_item", "Dự án, tiểu dự án", "Project"),
    ("money_col_source", "Nguồn vốn", "Source"),
    ("money_col_origin_year", "Vốn năm", "Capital of"),
    ("money_col_amount", "Số tiền", "Amount"),
    ("money_col_note", "Ghi chú", "Note"),
    ("money_col_paid_on", "Ngày giải ngân", "Paid on"),
    ("money_col_advance_reason", "Lý do tạm ứng", "Advance's reason"),
    ("decision_reason", "Lý do", "Reason"),
    ("certificates_revoked", "Giấy chứng nhận đã thu hồi", "Certificates withdrawn"),
    ("certificate_revoked", "Đã thu hồi theo Quyết định số", "Withdrawn by decision"),
    ("meetings_title", "Biên bản họp thôn", "Village meetings"),
    ("minutes_title", "BIÊN BẢN HỌP THÔN, BẢN, TỔ DÂN PHỐ", "MINUTES OF THE VILLAGE MEETING"),
    ("minutes_intro", "Về kết quả rà soát hộ nghèo, hộ cận nghèo. Địa điểm:", "On the results of the review of poor and near-poor households. Held at"),
    ("minutes_result", "Kết quả", "Result"),
    ("minutes_agreed", "Thống nhất kết quả rà soát", "The review's results are agreed"),
    ("minutes_not_agreed", "Không đủ tỷ lệ đồng ý: các hộ được khảo sát lại", "Short of the share in favour: the households are surveyed again"),
    ("minutes_note", "Ghi chú", "Note"),
    ("minutes_households", "Danh sách hộ đưa ra cuộc họp", "The households put to the meeting"),
    ("minutes_secretary", "THƯ KÝ", "SECRETARY"),
    ("minutes_sign", "(Ký, ghi rõ họ tên)", "(Signature and full name)"),
    ("minutes_chair", "CHỦ TRÌ (TRƯỞNG THÔN)", "CHAIR (VILLAGE HEAD)"),
    ("minutes_recorded_by", "Người ghi vào hệ thống:", "Recorded in the system by"),
    ("no_meetings", "Chưa có cuộc họp thôn nào.", "No village meeting yet."),
    ("import_xlsform", "Phiếu B cho ODK Collect, KoboToolbox (XLSForm)", "Form B for ODK Collect, KoboToolbox (XLSForm)"),
    (
        "import_xlsform_hint",
        "Thu thập không cần mạng ở thôn, bản; hai tệp CSV xuất từ ODK Central (phiếu và thành viên) nhập lại ở đây như tệp khảo sát.",
        "Capture offline in the villages; the two CSV files exported from ODK Central (submissions and members) import here as a survey does.",
    ),
    ("year_under_review", "Đang rà soát năm", "Under review:"),
    (
        "year_under_review_rest",
        "hộ chưa có quyết định công nhận; số liệu năm này là kết quả khảo sát (đề xuất).",
        "households without their decision yet; this year's figures are the survey's (proposed).",
    ),
    (
        "year_under_review_rest_list",
        "hộ chưa có quyết định công nhận; phân loại của các hộ đó là kết quả khảo sát (đề xuất).",
        "households without their decision yet; their class here is the survey's (proposed).",
    ),
    ("step:listed", "Trong danh sách rà soát", "Listed"),
    ("step:screened", "Chờ khảo sát (Phiếu B)", "To be surveyed (form B)"),
    ("step:screened_out", "Không đủ điều kiện (Phiếu A)", "Screened out (form A)"),
    ("step:surveyed", "Đã khảo sát, chờ họp thôn", "Surveyed, awaiting the meeting"),
    ("step:agreed", "Thôn đã thống nhất", "Agreed by the village"),
    ("step:posted", "Đang niêm yết", "Posted"),
    ("step:consulted", "Đã có ý kiến cấp trên", "Opinion given"),
    ("step:decided", "Đã có quyết định", "Decided"),
    ("step:certified", "Đã cấp giấy chứng nhận", "Certified"),
    ("step:refused", "Từ chối bằng văn bản", "Refused in writing"),
    ("approved:poor", "Hộ nghèo", "Poor"),
    ("approved:near_poor", "Hộ cận nghèo", "Near-poor"),
    ("approved:average", "Hộ có mức sống trung bình", "Average living standard"),
    ("approved:not_poor", "Không nghèo", "Not poor"),
    ("approved:escaped_poor", "Thoát nghèo", "Escaped poverty"),
    ("approved:escaped_near_poor", "Thoát cận nghèo", "Escaped near-poverty"),
    ("approved:not_listed", "Không thuộc danh sách", "Not listed"),
    ("action:review.plan", "Lập kế hoạch rà soát", "Review planned"),
    ("action:review.list", "Lập danh sách rà soát", "Review list made"),
    ("action:review.screen", "Sàng lọc (Phiếu A)", "Screening (form A)"),
    ("action:review.survey", "Khảo sát (Phiếu B)", "Survey (form B)"),
    ("action:review.meeting", "Họp thôn", "Village meeting"),
    ("action:review.post", "Niêm yết công khai", "Public posting"),
    ("action:review.complaint", "Khiếu nại", "Complaint"),
    ("action:review.consult", "Ý kiến cấp trên", "Higher opinion"),
    ("action:review.decide", "Quyết định công nhận", "Decision"),
    ("action:review.certify", "Cấp giấy chứng nhận", "Certificates issued"),
    ("action:review.correct", "Quyết định điều chỉnh", "Correcting decision"),
    ("choose_commune", "— Chọn xã —", "— Choose a commune —"),
    (
        "users_note_admin",
        "Mọi tài khoản của hệ thống. Mỗi thay đổi được ghi vào nhật ký.",
        "Every account of the system. Each change is recorded in the audit log.",
    ),
    (
        "users_note_province",
        "Tài khoản của các xã trong tỉnh: cán bộ xã, lãnh đạo và thanh tra cấp xã. Mỗi thay đổi được ghi vào nhật ký.",
        "The accounts of the province's communes: commune officers, leaders and inspectors of a commune. Each change is recorded in the audit log.",
    ),
    (
        "users_search_hint",
        "Tên đăng nhập hoặc họ tên",
        "Login name or full name",
    ),
    ("status", "Trạng thái", "Status"),
    ("account_active", "Đang hoạt động", "Active"),
    ("account_disabled", "Đã khóa", "Disabled"),
    (
        "account_must_change",
        "Chờ người dùng đổi mật khẩu",
        "Waiting for the user to change the password",
    ),
    ("no_accounts", "Không có tài khoản nào.", "No accounts."),
    ("add_account", "Tạo tài khoản", "Add an account"),
    (
        "user_name_hint",
        "2–32 chữ cái không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang, ví dụ: lo.van.pang",
        "2–32 letters without diacritics, digits, dots, underscores or hyphens, e.g. lo.van.pang",
    ),
    (
        "first_password_hint",
        "Hệ thống tạo mật khẩu đầu tiên và hiện một lần; người dùng đổi mật khẩu khi đăng nhập lần đầu.",
        "The system makes up a first password and shows it once; the user changes it at the first login.",
    ),
    (
        "unit_code_hint",
        "Mã tỉnh (2 chữ số) hoặc mã xã (5 chữ số) năm 2025; để trống là toàn quốc",
        "A 2025 province (2 digits) or commune (5 digits) code; empty for the whole country",
    ),
    ("temporary_password", "Mật khẩu tạm", "Temporary password"),
    (
        "temporary_password_hint",
        "Mật khẩu chỉ hiện lần này. Hãy trao trực tiếp cho người dùng; khi đăng nhập, họ phải đổi sang mật khẩu của mình.",
        "This password is shown only now. Hand it to the user in person; at login they must change it to their own.",
    ),
    ("account_created", "Đã tạo tài khoản.", "The account was created."),
    (
        "password_reset_note",
        "Đã đặt lại mật khẩu; các phiên đăng nhập của người dùng đã đóng.",
        "The password was reset; the user's sessions were closed.",
    ),
    ("saved", "Đã lưu.", "Saved."),
    ("save", "Lưu", "Save"),
    ("edit_account", "Thông tin tài khoản", "Account details"),
    (
        "account_own_hint",
        "Đây là tài khoản của bạn: vai trò và đơn vị do quản trị viên khác thay đổi.",
        "This is your own account: another administrator changes its role and unit.",
    ),
    ("access", "Quyền đăng nhập", "Access"),
    ("disable_account", "Khóa tài khoản", "Disable the account"),
    (
        "disable_hint",
        "Người dùng bị đăng xuất ngay và không đăng nhập được cho đến khi mở lại.",
        "The user is logged out at once and cannot log in until enabled again.",
    ),
    ("enable_account", "Mở lại tài khoản", "Enable the account"),
    ("reset_password", "Đặt lại mật khẩu", "Reset the password"),
    (
        "reset_password_hint",
        "Tạo mật khẩu tạm mới; người dùng bị đăng xuất và phải đổi mật khẩu khi đăng nhập.",
        "Makes up a new temporary password; the user is logged out and must change it at login.",
    ),
    (
        "account_history",
        "Lịch sử thay đổi của tài khoản trong nhật ký",
        "The account's changes in the audit log",
    ),
    ("change_password", "Đổi mật khẩu", "Change the password"),
    (
        "password_changed",
        "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã đóng.",
        "The password was changed. Your other sessions were closed.",
    ),
    (
        "password_forced",
        "Mật khẩu của bạn do người khác đặt. Hãy đổi sang mật khẩu của riêng bạn trước khi tiếp tục.",
        "Your password was set by someone else. Change it to one of your own before going on.",
    ),
    ("current_password", "Mật khẩu hiện tại", "Current password"),
    ("new_password", "Mật khẩu mới", "New password"),
    (
        "new_password_hint",
        "Ít nhất 8 ký tự; nên dùng một câu dễ nhớ",
        "At least 8 characters; a phrase you remember works well",
    ),
    ("repeat_password", "Nhập lại mật khẩu mới", "Repeat the new password"),
    ("provinces", "Các tỉnh", "Provinces"),
    ("role", "Vai trò", "Role"),
    ("lacks", "thiếu hụt", "lacking"),
    (
        "income_at_or_below",
        "thu nhập không quá chuẩn",
        "income at or below the line",
    ),
    (
        "income_above",
        "thu nhập trên chuẩn",
        "income above the line",
    ),
    ("male", "Nam", "Male"),
    ("female", "Nữ", "Female"),
    ("ethnicity", "Dân tộc", "Ethnic group"),
    ("relation_head", "Chủ hộ", "Head"),
    ("relation_spouse", "Vợ/chồng", "Spouse"),
    ("relation_child", "Con", "Child"),
    ("relation_parent", "Bố/mẹ", "Parent"),
    ("relation_grandchild", "Cháu", "Grandchild"),
    ("relation_other", "Khác", "Other"),
    (
        "legacy_units",
        "Tệp dùng mã xã trước sắp xếp 1/7/2025",
        "The file uses commune codes from before the July 2025 reform",
    ),
    (
        "minority_poor",
        "Hộ nghèo dân tộc thiểu số",
        "Poor ethnic-minority households",
    ),
    (
        "importing",
        "Đang nhập, trang tự cập nhật",
        "Importing; this page updates itself",
    ),
    (
        "target_points",
        "Chỉ tiêu giảm tỷ lệ nghèo (điểm %/năm)",
        "Target decrease of the poverty rate (points a year)",
    ),
    ("printed_on", "In lúc", "Printed"),
    ("period", "Giai đoạn", "Period"),
    ("points_unit", "điểm %", "pts"),
    ("points_a_year", "điểm %/năm", "pts a year"),
    (
        "change_on_year",
        "Thay đổi so với năm trước (điểm %)",
        "Change on the year before (pts)",
    ),
    (
        "rates_by_year",
        "Tỷ lệ hộ nghèo, cận nghèo theo năm",
        "Poor and near-poor rates by year",
    ),
    ("villages", "Các thôn, bản", "Villages"),
    (
        "by_ethnic_group",
        "Theo dân tộc của chủ hộ",
        "By the head's ethnic group",
    ),
    ("ethnic_unknown", "Chưa rõ dân tộc", "Not known"),
    ("near_poor_count", "Hộ cận nghèo", "Near-poor"),
    (
        "survey_workbook",
        "Dữ liệu khảo sát năm",
        "Survey data of",
    ),
    ("back_home", "Về trang chính", "Back to the home page"),
    ("found_member", "tìm thấy", "found"),
    (
        "import_template",
        "Tải tệp mẫu để nhập (.xlsx)",
        "Download the import template (.xlsx)",
    ),
    (
        "import_template_hint",
        "hai trang households và members với tiêu đề cột, kèm hướng dẫn từng cột và ý nghĩa các mã",
        "the households and members sheets with their headers, and a guide to every column and code",
    ),
    (
        "survey_workbook_all",
        "mọi hộ",
        "every household",
    ),
    (
        "survey_workbook_filtered",
        "các hộ đang lọc",
        "the households filtered",
    ),
    (
        "survey_workbook_hint",
        "tệp Excel theo định dạng trao đổi dữ liệu, nhập lại được vào hệ thống",
        "an Excel file in the exchange format, which imports back",
    ),
    ("action:session.login", "Đăng nhập", "Logged in"),
    ("action:session.login_failed", "Đăng nhập sai", "Failed login"),
    (
        "action:session.login_limited",
        "Tạm khoá đăng nhập vì sai nhiều lần",
        "Logins held back after repeated failures",
    ),
    ("action:session.logout", "Đăng xuất", "Logged out"),
    (
        "action:access.denied",
        "Bị từ chối truy cập",
        "Access refused",
    ),
    ("action:import", "Nhập dữ liệu khảo sát", "Survey imported"),
    (
        "action:import.refused",
        "Tệp nhập bị từ chối",
        "Import refused",
    ),
    ("action:user.add", "Tạo tài khoản", "Account created"),
    ("action:user.password", "Đổi mật khẩu", "Password changed"),
    ("action:user.update", "Sửa tài khoản", "Account changed"),
    ("action:user.disable", "Khóa tài khoản", "Account disabled"),
    ("action:user.enable", "Mở lại tài khoản", "Account enabled"),
    (
        "action:user.reset_password",
        "Đặt lại mật khẩu",
        "Password reset",
    ),
    ("field:active", "Được đăng nhập", "May log in"),
    ("year_word", "năm", "year"),
    ("for_unit", "cho", "for"),
    ("field:address", "Địa chỉ máy", "Address"),
    ("field:reason", "Lý do", "Reason"),
    ("field:status", "Mã trả lời", "Status"),
    ("field:year", "Năm", "Year"),
    ("field:file", "Tệp hộ", "Households file"),
    ("field:members_file", "Tệp thành viên", "Members file"),
    ("field:sha256", "Mã băm tệp", "File hash"),
    ("field:errors", "Số lỗi", "Errors"),
    ("field:first_error", "Lỗi đầu tiên", "First error"),
    ("field:households", "Số hộ", "Households"),
    ("field:members", "Số nhân khẩu", "Members"),
    ("field:communes", "Xã", "Communes"),
    ("field:name", "Tên đăng nhập", "User name"),
    ("field:full_name", "Họ tên", "Full name"),
    ("field:role", "Vai trò", "Role"),
    ("field:unit_code", "Đơn vị", "Unit"),
    ("field:password", "Mật khẩu", "Password"),
    ("value:reason:password", "sai mật khẩu", "wrong password"),
    (
        "value:reason:name",
        "quá nhiều lần sai với tên này",
        "too many failures for this name",
    ),
    (
        "value:reason:address",
        "quá nhiều lần sai từ địa chỉ này",
        "too many failures from this address",
    ),
    ("value:password:changed", "đã đổi", "changed"),
    ("value:role:administrator", "quản trị hệ thống", "administrator"),
    ("value:role:provincial_officer", "cán bộ tỉnh", "provincial officer"),
    ("value:role:commune_officer", "cán bộ xã", "commune officer"),
    ("value:role:leader", "lãnh đạo", "leader"),
    ("value:role:inspector", "thanh tra", "inspector"),
    ("all_actions", "Mọi thao tác", "All actions"),
    ("yes", "có", "yes"),
    ("no", "không", "no"),
    ("changes", "Nội dung", "What changed"),
    ("anonymous", "(chưa đăng nhập)", "(not logged in)"),
    ("unit", "Đơn vị", "Unit"),
    (
        "audit_scope_note",
        "Bạn xem các mục của đơn vị mình phụ trách và các xã trực thuộc. Đăng nhập, tài khoản và mục của đơn vị khác chỉ quản trị viên hệ thống xem được; chuỗi mã băm được kiểm tra trên toàn bộ nhật ký.",
        "You see the entries of your unit and its communes. Logins, accounts and other units' entries are shown to system administrators only; the hash chain is checked over the whole log.",
    ),
    (
        "masked_note",
        "Số định danh được che một phần.",
        "Personal ID numbers are partly hidden.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `t.key` of the templates and every `lang.t("key")` of the code has its texts.
    #[test]
    fn every_text_used_exists() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut used = Vec::new();
        for entry in std::fs::read_dir(dir.join("templates")).expect("templates") {
            let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
            for (i, _) in text.match_indices("t.") {
                let before = text[..i].chars().last();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                    continue;
                }
                let key: String = text[i + 2..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                used.push(key);
            }
        }
        // every source file of the crate, the pages' modules included
        let mut files = Vec::new();
        let mut dirs = vec![dir.join("src")];
        while let Some(d) = dirs.pop() {
            for entry in std::fs::read_dir(&d).expect("src") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    // (this file names `t("key")` in its own words)
                    && !path.ends_with("i18n.rs")
                {
                    files.push(path);
                }
            }
        }
        assert!(files.len() >= 10, "{files:?}");
        for file in files {
            let text = std::fs::read_to_string(&file).expect("read");
            for (i, _) in text.match_indices(".t(\"") {
                let key: String = text[i + 4..].chars().take_while(|c| *c != '"').collect();
                used.push(key);
            }
        }
        assert!(used.len() > 50, "found {} uses", used.len());
        let missing: Vec<&String> = used
            .iter()
            .filter(|k| !Lang::Vi.texts().contains_key(k.as_str()))
            .collect();
        assert!(missing.is_empty(), "texts missing: {missing:?}");
    }

    #[test]
    fn every_key_once_with_both_texts() {
        let mut keys: Vec<&str> = MESSAGES.iter().map(|m| m.0).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n, "duplicate keys");
        assert!(MESSAGES
            .iter()
            .all(|(_, vi, en)| !vi.is_empty() && !en.is_empty()));
    }

    #[test]
    fn the_class_is_explained_by_the_test_that_decided_it() {
        use giamngheo_rules::{Area, Decimal, Standards};
        let standards = Standards::builtin().expect("standards");
        let std = standards.get("vn-2022-2025").expect("standard");
        let e = |class, income: Option<i64>, b1: Option<i64>, n, lang: Lang| {
            lang.reason(&std.reason(
                Area::Rural,
                1_500_000,
                income.map(Decimal::from),
                b1.map(Decimal::from),
                class,
                n,
            ))
        };
        assert_eq!(
            e(Class::Poor, Some(1_200_000), None, 4, Lang::Vi),
            "Thu nhập 1.200.000 đ không quá chuẩn 1.500.000 đ, và thiếu hụt 4 chỉ số (từ 3 trở lên): hộ nghèo."
        );
        assert_eq!(
            e(Class::NearPoor, Some(1_500_000), None, 2, Lang::En),
            "Income 1,500,000 VND at or below the line of 1,500,000 VND, and 2 deprivations (fewer than 3): near-poor."
        );
        assert_eq!(
            e(Class::Average, Some(2_250_000), None, 0, Lang::Vi),
            "Thu nhập 2.250.000 đ trên chuẩn 1.500.000 đ, không quá 2.250.000 đ: hộ có mức sống trung bình."
        );
        assert_eq!(
            e(Class::NotPoor, Some(2_250_001), None, 5, Lang::En),
            "Income 2,250,001 VND above the line of 1,500,000 VND: not poor."
        );
        // the proxy score, when no income was given, against its own cut-off
        assert_eq!(
            e(Class::Poor, None, Some(140), 3, Lang::Vi),
            "Điểm B1 140 không quá ngưỡng 140, và thiếu hụt 3 chỉ số (từ 3 trở lên): hộ nghèo."
        );
    }
}
