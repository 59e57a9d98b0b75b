//! Every sentence the system says outside its pages' labels, by key: Vietnamese, English.
//! `{name}` stands for a value the message is given; a list value is joined in the language
//! ("a, b hoặc c" / "a, b or c"). A test checks that both texts of a key name the same values,
//! and that every key the code uses is here.

pub const MESSAGES: &[(&str, &str, &str)] = &[
    // ---- reading a survey file: its columns ----
    ("col_twice", "cột này xuất hiện hai lần", "this column appears twice"),
    (
        "col_no_indicator",
        "không có chỉ số `{code}` trong chuẩn nào (các chỉ số: {known})",
        "no indicator `{code}` in any standard (known: {known})",
    ),
    ("header_empty", "tiêu đề cột bị trống", "the header is empty"),
    (
        "col_unknown",
        "cột không có trong định dạng (cột thêm phải bắt đầu bằng x_)",
        "unknown column (extra columns must start with x_)",
    ),
    ("col_missing", "thiếu cột bắt buộc", "required column is missing"),
    // ---- reading a survey file: its values ----
    ("not_utf8", "không phải văn bản UTF-8 hợp lệ", "not valid UTF-8 text"),
    ("value_missing", "thiếu giá trị bắt buộc", "required value is missing"),
    (
        "not_code",
        "`{value}` không phải mã {digits} chữ số",
        "`{value}` is not a {digits}-digit code",
    ),
    (
        "not_bool",
        "`{value}` không phải 1 hoặc 0 (true/false, có/không)",
        "`{value}` is not 1 or 0 (true/false, có/không)",
    ),
    (
        "not_full_date",
        "`{value}` không phải ngày đầy đủ dạng YYYY-MM-DD",
        "`{value}` is not a full date YYYY-MM-DD",
    ),
    (
        "not_date",
        "`{value}` không phải ngày dạng YYYY-MM-DD (ngày sinh có thể ghi YYYY hoặc YYYY-MM)",
        "`{value}` is not a date YYYY-MM-DD (or YYYY, YYYY-MM for a birth date)",
    ),
    ("not_real_date", "`{value}` không phải ngày có thật", "`{value}` is not a real date"),
    (
        "not_number",
        "`{value}` không phải số (chữ số, có thể có dấu chấm thập phân, không có dấu phân cách hàng nghìn)",
        "`{value}` is not a number (digits with an optional decimal point, no thousands separators)",
    ),
    ("too_large", "`{value}` quá lớn", "`{value}` is too large"),
    (
        "too_many_decimals",
        "`{value}` có quá nhiều chữ số thập phân",
        "`{value}` has too many decimals",
    ),
    (
        "not_count",
        "`{value}` không phải số nguyên từ {min} đến {max}",
        "`{value}` is not a whole number from {min} to {max}",
    ),
    (
        "unknown_code",
        "mã `{value}` không có trong danh mục: cần là {expected}",
        "unknown code `{value}`: expected {expected}",
    ),
    (
        "unknown_device",
        "thiết bị `{value}` không có trong danh mục: cần là {expected}",
        "unknown device `{value}`: expected {expected}",
    ),
    (
        "legacy_no_target",
        "xã trước năm 2025 `{code}` ({name}) không có xã năm 2025 tương ứng trong bảng chuyển đổi",
        "pre-2025 commune `{code}` ({name}) has no 2025 commune in the crosswalk",
    ),
    (
        "legacy_unknown",
        "không có xã `{code}` (không có trong danh mục xã trước năm 2025; không có --legacy-units thì mã là mã năm 2025)",
        "unknown commune `{code}` (not in the pre-2025 list of communes; without --legacy-units codes are of 2025)",
    ),
    (
        "commune_unknown",
        "không có xã `{code}` (không có trong danh mục xã năm 2025)",
        "unknown commune `{code}` (not in the 2025 list of communes)",
    ),
    (
        "nondurable_required",
        "bắt buộc khi has_house là 1",
        "required when has_house is 1",
    ),
    (
        "ethnicity_unknown",
        "không có mã dân tộc `{code}` (01-54 theo danh mục năm 1979)",
        "unknown ethnic group code `{code}` (01-54 of the 1979 catalogue)",
    ),
    ("id_not_12", "`{id}` không phải 12 chữ số", "`{id}` is not 12 digits"),
    (
        "id_sex",
        "chữ số thứ 4 của `{id}` ({digit}) là của giới tính {id_sex}, nhưng hồ sơ ghi {sex}",
        "digit 4 of `{id}` ({digit}) is for sex {id_sex}, but the record says {sex}",
    ),
    (
        "id_year",
        "`{id}` là của người sinh năm {id_year} (chữ số 4-6), nhưng ngày sinh ghi {year}",
        "`{id}` is for someone born in {id_year} (digits 4-6), but the birth date says {year}",
    ),
    // ---- reading a survey file: households and their members ----
    (
        "household_duplicate",
        "trùng mã hộ `{id}` (đã có ở dòng {first})",
        "duplicate household id `{id}` (first on row {first})",
    ),
    (
        "household_no_members",
        "không có dòng nào của hộ này trong {file}",
        "no rows for this household in {file}",
    ),
    (
        "member_twice",
        "thành viên {no} của hộ `{household}` đã có ở dòng {first}",
        "member {no} of household `{household}` is also on row {first}",
    ),
    (
        "members_mismatch",
        "số nhân khẩu không khớp: ở đây ghi {n} nhưng {file} có {count} dòng",
        "members count mismatch: {n} here but {count} rows in {file}",
    ),
    (
        "members_required",
        "bắt buộc khi không có tệp thành viên",
        "required when there is no members file",
    ),
    (
        "members_split",
        "hộ `{household}` (dòng {row} của {file}) đã được đọc cùng các dòng thành viên trước: hãy để các thành viên của một hộ trên những dòng liền nhau",
        "household `{household}` (row {row} of {file}) was already read with its earlier member rows: keep a household's members on consecutive rows",
    ),
    (
        "household_absent",
        "không có hộ `{household}` trong {file}",
        "no household `{household}` in {file}",
    ),
    // ---- reading a file ----
    ("cannot_open", "không mở được: {error}", "cannot open: {error}"),
    (
        "cannot_open_workbook",
        "không mở được sổ tính: {error}",
        "cannot open workbook: {error}",
    ),
    (
        "no_sheet",
        "sổ tính không có trang tên `{sheet}` (các trang: {sheets})",
        "the workbook has no sheet named `{sheet}` (it has: {sheets})",
    ),
    (
        "sheet_malformed",
        "trang tính bị hỏng, không đọc được",
        "the sheet is malformed and cannot be read",
    ),
    ("header_missing", "thiếu dòng tiêu đề", "the header row is missing"),
    (
        "cell_beyond",
        "có ô nằm ngoài dòng cuối ({rows}) hoặc cột cuối (XFD, {columns}) của trang tính",
        "a cell lies beyond the sheet's last row ({rows}) or column (XFD, {columns})",
    ),
    (
        "cell_no_header",
        "cột {column} có giá trị nhưng không có tiêu đề",
        "column {column} holds a value but has no header",
    ),
    ("sheet_error", "lỗi đọc trang tính: {error}", "the sheet cannot be read: {error}"),
    (
        "csv_fields",
        "dòng này có {len} trường trong khi dòng tiêu đề có {expected}",
        "this row has {len} fields where the header has {expected}",
    ),
    ("read_error", "lỗi đọc: {error}", "read error: {error}"),
    (
        "field_not_utf8",
        "trường {field} không phải văn bản UTF-8 hợp lệ",
        "field {field} is not valid UTF-8 text",
    ),
    ("csv_error", "tệp CSV lỗi: {error}", "the CSV cannot be read: {error}"),
    // ---- the workbook guard ----
    (
        "not_zip",
        "không phải sổ tính đọc được (zip): {error}",
        "not a readable workbook (zip): {error}",
    ),
    (
        "too_many_parts",
        "sổ tính có {parts} phần; chỉ nhận tối đa {max}",
        "the workbook has {parts} parts; at most {max} are accepted",
    ),
    (
        "part_unreadable",
        "phần {part} của sổ tính không đọc được: {error}",
        "part {part} of the workbook cannot be read: {error}",
    ),
    (
        "part_name_unreadable",
        "phần {part} của sổ tính có tên không đọc được: {error}",
        "part {part} of the workbook has an unreadable name: {error}",
    ),
    (
        "part_undecompressable",
        "không giải nén được phần `{part}`: {error}",
        "part `{part}` cannot be decompressed: {error}",
    ),
    (
        "part_too_large",
        "phần `{part}` khi giải nén lớn hơn {mib} MiB, mức tối đa cho phần này",
        "part `{part}` expands to more than {mib} MiB, the most accepted for it",
    ),
    (
        "workbook_too_large",
        "sổ tính khi giải nén lớn hơn {mib} MiB, mức tối đa",
        "the workbook expands to more than {mib} MiB in all, the most accepted",
    ),
    (
        "part_run_too_long",
        "phần `{part}` có một đoạn văn bản hoặc thẻ dài hơn {kib} KiB, dài hơn mọi ô",
        "part `{part}` holds a text or tag longer than {kib} KiB, more than any cell holds",
    ),
    (
        "too_many_strings",
        "phần `{part}` có hơn {max} chuỗi dùng chung, mức tối đa",
        "part `{part}` holds more than {max} shared strings, the most accepted",
    ),
    // ---- the rules: answers missing or impossible ----
    (
        "birth_after_survey",
        "{birth} sau ngày khảo sát {survey}",
        "{birth} is after the survey date {survey}",
    ),
    (
        "recorded_needed",
        "cần ghi d_{code} khi không có tệp thành viên",
        "d_{code} is needed when there is no members file",
    ),
    (
        "no_b1_cutoff",
        "chuẩn {standard} không có ngưỡng điểm B1: hãy ghi income_per_capita",
        "standard {standard} has no b1_score cut-off: give income_per_capita",
    ),
    (
        "income_or_b1",
        "cần một trong hai cột income_per_capita và b1_score",
        "one of income_per_capita and b1_score is required",
    ),
    (
        "required_to_derive",
        "cần để xác định chỉ số {code} (hoặc ghi d_{code})",
        "required to derive {code} (or give d_{code})",
    ),
    (
        "member_required_to_derive",
        "cần với thành viên {years} tuổi để xác định chỉ số {code} (hoặc ghi d_{code})",
        "required for a member aged {years} to derive {code} (or give d_{code})",
    ),
    (
        "of_household",
        "{message} (hộ `{household}`)",
        "{message} (household `{household}`)",
    ),
    // ---- importing into the registry ----
    (
        "no_standard_for_year",
        "không có chuẩn nào áp dụng cho năm rà soát {year} (các chuẩn: {known})",
        "no standard governs review year {year} (known: {known})",
    ),
    (
        "no_standard_for_year_cli",
        "không có chuẩn nào áp dụng cho năm rà soát {year} (các chuẩn: {known}); hãy chọn một chuẩn bằng --standard",
        "no standard governs review year {year} (known: {known}); name one with --standard",
    ),
    (
        "unknown_standard",
        "không có chuẩn `{id}` (các chuẩn: {known})",
        "unknown standard `{id}` (known: {known})",
    ),
    (
        "standard_span",
        "{id} cho {from}-{to}",
        "{id} for {from}-{to}",
    ),
    ("no_household", "tệp không có hộ nào", "no household in the file"),
    (
        "reader_stopped",
        "bộ đọc tệp dừng bất thường",
        "the file's reader stopped unexpectedly",
    ),
    (
        "outside_scope",
        "{code} ({name}) nằm ngoài các đơn vị bạn được nhập dữ liệu",
        "{code} ({name}) is outside the units you may import for",
    ),
    (
        "not_in_year",
        "{date} không thuộc năm rà soát {year}",
        "{date} is not in review year {year}",
    ),
    (
        "id_also_on_row",
        "số định danh {id} cũng có ở dòng {first}",
        "personal ID {id} is also on row {first}",
    ),
    (
        "possibly_same_row",
        "có thể cùng một người với dòng {first}: cùng họ tên, ngày sinh và xã",
        "possibly the same person as row {first}: same name, birth date and commune",
    ),
    (
        "id_elsewhere",
        "số định danh này đã được đăng ký ở đơn vị khác; cán bộ cấp tỉnh có thể xử lý",
        "this personal ID is already registered in another unit; the provincial officer can resolve it",
    ),
    (
        "value_elsewhere",
        "giá trị này đã được đăng ký ở đơn vị khác; cán bộ cấp tỉnh có thể xử lý",
        "this value is already registered in another unit; the provincial officer can resolve it",
    ),
    (
        "assessment_exists",
        "hộ `{household}` của xã {commune} đã có phiếu rà soát năm {year} (lần nhập #{import}); phiếu đã có không bao giờ bị thay",
        "household `{household}` of commune {commune} already has an assessment for {year} (import #{import}); an assessment is never replaced",
    ),
    (
        "possibly_same_registered",
        "có thể cùng một người với thành viên {no} của hộ `{household}` trong sổ: cùng họ tên, ngày sinh và xã",
        "possibly the same person as member {no} of household `{household}` in the registry: same name, birth date and commune",
    ),
    (
        "id_belongs",
        "số định danh {id} đã thuộc về thành viên {no} của hộ `{household}` ở xã {commune}",
        "personal ID {id} already belongs to member {no} of household `{household}` in commune {commune}",
    ),
    ("import_failed", "lỗi khi nhập: {error}", "the import failed: {error}"),
    // ---- users ----
    (
        "role_needs_province",
        "đơn vị của cán bộ cấp tỉnh là một tỉnh (2 chữ số)",
        "a provincial officer's unit is a province (2 digits)",
    ),
    (
        "role_needs_commune",
        "đơn vị của cán bộ cấp xã là một xã (5 chữ số)",
        "a commune officer's unit is a commune (5 digits)",
    ),
    ("role_needs_unit", "vai trò {role} cần có đơn vị", "a {role} needs a unit"),
    (
        "password_too_short",
        "mật khẩu cần ít nhất {min} ký tự",
        "a password needs at least {min} characters",
    ),
    (
        "user_name_invalid",
        "tên đăng nhập gồm 2 đến {max} chữ cái không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang",
        "a login name is 2 to {max} letters without diacritics, digits, dots, underscores or hyphens",
    ),
    (
        "user_exists",
        "đã có người dùng tên đăng nhập {name}",
        "a user named {name} already exists",
    ),
    (
        "full_name_too_long",
        "họ tên dài quá {max} ký tự",
        "the full name is longer than {max} characters",
    ),
    (
        "account_not_yours",
        "bạn không quản lý tài khoản với vai trò và đơn vị này",
        "you do not manage accounts of this role and unit",
    ),
    (
        "account_own",
        "không thể tự đổi vai trò, đơn vị, khóa hay đặt lại mật khẩu của chính mình",
        "you cannot change your own role or unit, disable yourself or reset your own password",
    ),
    (
        "last_administrator",
        "phải còn ít nhất một quản trị hệ thống đang hoạt động",
        "at least one active administrator must remain",
    ),
    (
        "password_wrong",
        "mật khẩu hiện tại không đúng",
        "the current password is not right",
    ),
    (
        "password_mismatch",
        "hai lần nhập mật khẩu mới không giống nhau",
        "the new password and its repetition differ",
    ),
    (
        "password_same",
        "mật khẩu mới phải khác mật khẩu hiện tại",
        "the new password must differ from the current one",
    ),
    (
        "password_not_hashed",
        "không mã hóa được mật khẩu: {error}",
        "the password cannot be hashed: {error}",
    ),
    // ---- the annual review ----
    (
        "review_step_refused",
        "hộ `{household}`: {why}",
        "household `{household}`: {why}",
    ),
    (
        "review_plan_window",
        "thời gian rà soát phải nằm trong khoảng {from} – {to} và ngày bắt đầu không sau ngày kết thúc",
        "the review must run within {from} – {to}, and start no later than it ends",
    ),
    (
        "review_no_survey_yet",
        "chưa hộ nào chờ khảo sát có phiếu khảo sát năm {year}: hãy nhập phiếu trước",
        "no household awaiting the survey has a survey of {year} yet: import the surveys first",
    ),
    (
        "review_not_posted",
        "hộ `{household}` không có trong danh sách đang niêm yết",
        "household `{household}` is not on the posted list",
    ),
    (
        "review_complaint_text",
        "cần nội dung khiếu nại và trả lời",
        "the complaint and its answer need their text",
    ),
    (
        "review_nothing_to_lock",
        "tỉnh chưa có đợt rà soát nào năm {year}",
        "the province has no review in {year}",
    ),
    (
        "review_open_cases",
        "còn {count} hộ chưa có kết quả cuối cùng: chưa khóa được năm rà soát",
        "{count} households have no final result yet: the year cannot be locked",
    ),
    (
        "year_locked",
        "năm {year} của xã {commune} đã được tỉnh khóa: chỉ quyết định mới thay đổi được hộ",
        "the province has locked {year} for commune {commune}: only a new decision changes a household",
    ),
    (
        "year_reviewed_here",
        "xã {commune} đã có đợt rà soát năm {year} trong hệ thống: không nhập thêm kết quả đã quyết định",
        "commune {commune} has a review of {year} in the system: decided results are not imported over it",
    ),
    (
        "decision_number_recorded",
        "quyết định số {number} của xã {commune} đã có trong hệ thống",
        "decision {number} of commune {commune} is already recorded",
    ),
    (
        "decision_number_missing",
        "cần số quyết định công nhận (cột x_decision_number hoặc --decision)",
        "the decision's number is needed (column x_decision_number or --decision)",
    ),
    (
        "decision_date_missing",
        "cần ngày quyết định công nhận (cột x_decision_date hoặc --decided-on)",
        "the decision's date is needed (column x_decision_date or --decided-on)",
    ),
    (
        "decision_date_bad",
        "ngày quyết định \"{value}\" không đúng dạng YYYY-MM-DD",
        "decision date \"{value}\" is not YYYY-MM-DD",
    ),
    (
        "review_correction_class",
        "cần chọn kết quả công nhận mới",
        "choose the class the correction recognises",
    ),
    (
        "review_correction_reason",
        "cần nêu lý do điều chỉnh quyết định",
        "a correcting decision needs its reason",
    ),
    (
        "review_not_on_list",
        "hộ {household} không có trong đợt rà soát này",
        "household {household} is not in this review",
    ),
    (
        "review_not_decided",
        "hộ {household} chưa có quyết định công nhận để điều chỉnh",
        "household {household} has no decision to correct yet",
    ),
    (
        "odk_unreadable",
        "không đọc được tệp xuất từ ODK: {reason}",
        "the ODK export cannot be read: {reason}",
    ),
    (
        "kobo_labels",
        "tệp xuất từ KoboToolbox không có cột household_id và _index: hãy xuất lại với \"XML values and headers\" (tên trường, không phải nhãn câu hỏi)",
        "the KoboToolbox export has no household_id and _index columns: export it again with \"XML values and headers\" (field names, not question labels)",
    ),
    (
        "odk_no_submission",
        "thành viên thuộc phiếu {key} không có trong tệp phiếu (tệp hộ)",
        "the member belongs to submission {key}, which is not in the submissions file",
    ),
    (
        "review_form_not_screened",
        "hộ {household} không ở bước chờ khảo sát (phiếu B chỉ nhập cho hộ đã qua phiếu A)",
        "household {household} is not waiting to be surveyed (Phiếu B is entered only after Phiếu A)",
    ),
    (
        "review_request_twice",
        "hộ đã có đơn trong đợt rà soát này",
        "the household has a request in this round already",
    ),
    (
        "review_apply_periodic",
        "đơn đề nghị rà soát (Mẫu 01) được ghi trong đợt rà soát định kỳ; giữa năm, ghi đơn (Mẫu 04) trên trang của hộ",
        "an application to be reviewed (Mẫu 01) goes into the periodic round; during the year, file a request (Mẫu 04) on the household's page",
    ),
    (
        "review_apply_date",
        "ngày đề nghị {date} không được sau hôm nay hay sau ngày kết thúc đợt rà soát ({ends})",
        "the application's date {date} cannot be after today or after the round's end ({ends})",
    ),
    (
        "review_apply_late",
        "đợt rà soát đã niêm yết công khai: hộ đề nghị từ nay được rà soát trong đợt thường xuyên",
        "the round's lists are posted already: a household asking now is reviewed in an in-year round",
    ),
    (
        "review_apply_kind",
        "cần chọn hộ đề nghị công nhận là hộ nghèo hay hộ cận nghèo",
        "choose whether the household asks to be recognised as poor or near-poor",
    ),
    (
        "review_apply_unknown",
        "xã không có hộ mã {household}",
        "the commune has no household {household}",
    ),
    (
        "review_in_round_twice",
        "hộ {household} đã có trong danh sách rà soát của đợt này",
        "household {household} is on this round's list already",
    ),
    (
        "cli_money_plans",
        "đã nhập {records} văn bản kế hoạch vốn ({lines} dòng, tổng {amount})",
        "imported {records} plan documents ({lines} lines, {amount} in all)",
    ),
    (
        "cli_money_payments",
        "đã nhập {records} khoản giải ngân (tổng {amount})",
        "imported {records} payments ({amount} in all)",
    ),
    (
        "cli_money_kind",
        "`{kind}` không phải loại tệp vốn: plans, payments hoặc estimates",
        "`{kind}` is no kind of money file: plans, payments or estimates",
    ),
    (
        "check_violation",
        "{rule}: không đúng {left} ({left_value}) {op} {right} ({right_value}); số liệu tại (dòng): {cells}",
        "{rule}: {left} ({left_value}) {op} {right} ({right_value}) does not hold; figures at (row): {cells}",
    ),
    (
        "check_not_a_number",
        "`{value}` không phải số",
        "`{value}` is no number",
    ),
    (
        "check_unit_twice",
        "đơn vị {unit} đã có ở dòng {row}",
        "unit {unit} is on row {row} already",
    ),
    (
        "cli_check_done",
        "{violations} quy tắc bị vi phạm trong {units} đơn vị",
        "{violations} rules broken among {units} units",
    ),
    (
        "cli_models_imported",
        "đã ghi {models} mô hình, dự án và {participants} hộ tham gia, tổng kinh phí {amount} ({overrides} khoản ghi theo lý do)",
        "recorded {models} models or projects and {participants} participants, {amount} in all ({overrides} on a reason)",
    ),
    (
        "cli_money_exported",
        "đã ghi {rows} dòng vào {path}",
        "wrote {rows} rows to {path}",
    ),
    (
        "support_commune_unknown",
        "không có xã `{commune}` (mã xã 5 chữ số năm 2025)",
        "no commune `{commune}` (a 5-digit commune code of 2025)",
    ),
    (
        "support_household_unknown",
        "xã {commune} không có hộ `{household}`",
        "commune {commune} has no household `{household}`",
    ),
    (
        "support_member_unknown",
        "hộ {household} không có thành viên `{member}`",
        "household {household} has no member `{member}`",
    ),
    (
        "support_member_needed",
        "hỗ trợ {kind} dành cho một thành viên: cần số thứ tự thành viên hoặc số định danh",
        "{kind} goes to a member: give the member's number or personal ID",
    ),
    (
        "support_status_unknown",
        "`{status}` không phải trạng thái: decided, delivered; nhà ở thêm started, completed",
        "`{status}` is no status: decided, delivered; housing also started, completed",
    ),
    (
        "support_day_needed",
        "trạng thái {status} cần ngày này",
        "status {status} needs this day",
    ),
    (
        "support_day_future",
        "ngày {date} sau hôm nay",
        "{date} is after today",
    ),
    (
        "support_day_order",
        "ngày {date} trước bước trước đó",
        "{date} is before the step before it",
    ),
    (
        "support_valuation_needed",
        "phần đóng góp bằng hiện vật cần ghi cách quy đổi giá trị",
        "a contribution in kind needs how it was valued",
    ),
    (
        "support_refused",
        "không đủ điều kiện: {rule}; chỉ ghi được khi ghi rõ lý do (ô «Lý do ghi dù không đủ điều kiện», trong tệp là cột override_reason)",
        "not eligible: {rule}; recorded only with a reason (the field «Reason to record although not eligible», in a file the column override_reason)",
    ),
    (
        "support_overridden",
        "ghi theo lý do của cán bộ dù không đủ điều kiện: {rule}",
        "recorded on the officer's reason although not eligible: {rule}",
    ),
    (
        "support_namesake",
        "một người cùng họ tên, ngày sinh ở hộ khác đã nhận {kind} ngày {date}: kiểm tra có trùng đối tượng không",
        "someone of the same name and birth date in another household received {kind} on {date}: check for a duplicate",
    ),
    (
        "target_indicator_unknown",
        "không có chỉ tiêu `{indicator}`",
        "no indicator `{indicator}`",
    ),
    (
        "target_years",
        "năm đầu, năm cuối của chỉ tiêu: từ 2000 đến 2100, năm đầu không sau năm cuối, tối đa 10 năm",
        "the target's first and last years: 2000 to 2100, the first not after the last, 10 years at most",
    ),
    (
        "target_value",
        "`{value}` không phải giá trị chỉ tiêu: một số dương",
        "`{value}` is no target value: a positive number",
    ),
    (
        "target_document",
        "cần số văn bản giao chỉ tiêu (tối đa 120 ký tự)",
        "the document setting the target is needed (120 characters at most)",
    ),
    (
        "model_code",
        "cần mã mô hình, dự án (tối đa 40 ký tự)",
        "the model's or project's code is needed (40 characters at most)",
    ),
    (
        "model_name",
        "cần tên mô hình, dự án (tối đa 200 ký tự)",
        "the model's or project's name is needed (200 characters at most)",
    ),
    (
        "model_kind_unknown",
        "`{kind}` không phải loại mô hình, dự án: {known}",
        "`{kind}` is no kind of model or project: {known}",
    ),
    (
        "model_one_province",
        "các xã của một mô hình, dự án phải thuộc cùng một tỉnh",
        "a model's or project's communes must be of one province",
    ),
    (
        "model_no_budget",
        "mô hình, dự án chưa có kinh phí: ghi số tiền vào cột của từng nguồn vốn",
        "the model or project has no budget: give the amount in each source's column",
    ),
    (
        "model_area_unknown",
        "`{area}` không phải loại địa bàn: {known}",
        "`{area}` is no area class: {known}",
    ),
    (
        "model_area_basis",
        "theo dữ liệu của hệ thống, địa bàn là {known}; ghi {area} cần số văn bản phân loại địa bàn (cột area_basis)",
        "by the system's data the area is {known}; {area} needs the document that classes the area (column area_basis)",
    ),
    (
        "model_code_twice",
        "mã mô hình `{code}` đã có ở dòng {row} của tệp",
        "model code `{code}` is on row {row} of the file already",
    ),
    (
        "model_code_taken",
        "tỉnh đã có mô hình, dự án mã `{code}`",
        "the province has a model or project `{code}` already",
    ),
    (
        "model_unknown",
        "không có mô hình, dự án mã `{code}` (trong tệp hoặc đã ghi)",
        "no model or project `{code}` (in the file or recorded)",
    ),
    (
        "model_commune_outside",
        "xã {commune} không thuộc địa bàn của mô hình {code}",
        "commune {commune} is not among model {code}'s communes",
    ),
    (
        "model_no_state_budget",
        "mô hình không có kinh phí ngân sách nhà nước để hỗ trợ hộ",
        "the model has no state budget to support households with",
    ),
    (
        "model_participants_over",
        "tổng hỗ trợ của nhà nước cho các hộ tham gia {state} vượt kinh phí ngân sách của mô hình {budget}",
        "the state's support to the participants, {state}, exceeds the model's state budget, {budget}",
    ),
    (
        "model_state_share",
        "phần ngân sách nhà nước {state} trên tổng kinh phí {total} vượt tỷ lệ hỗ trợ tối đa {percent} %",
        "the state's part {state} of {total} exceeds its largest share, {percent} %",
    ),
    (
        "model_state_cap",
        "phần ngân sách nhà nước {state} vượt mức tối đa một dự án {cap}",
        "the state's part {state} exceeds a project's most, {cap}",
    ),
    (
        "support_kind_unknown",
        "`{kind}` không phải loại hỗ trợ trong danh mục",
        "`{kind}` is no kind of support of the catalogue",
    ),
    (
        "support_rule_set_unknown",
        "không có bộ quy định `{rule_set}` cho loại hỗ trợ {kind}",
        "no rule set `{rule_set}` for support {kind}",
    ),
    (
        "support_no_rule_set",
        "ngày {date} không có quy định nào về hỗ trợ {kind} còn hiệu lực",
        "no rule on support {kind} is in force on {date}",
    ),
    (
        "support_outside_rule_set",
        "ngày quyết định {date} ngoài thời gian hiệu lực của {rule_set} ({from} đến {to})",
        "the decision's day {date} is outside {rule_set}'s time ({from} to {to})",
    ),
    (
        "support_rule_class",
        "ngày {date} hộ là {class} theo kết quả rà soát đã công nhận, không phải {classes}",
        "on {date} the household was {class} by its approved review, not {classes}",
    ),
    (
        "support_rule_class_escaped",
        "{rule}, cũng không mới thoát nghèo, cận nghèo trong {years} năm",
        "{rule}, nor out of poverty or near-poverty within {years} years",
    ),
    (
        "support_rule_deprived",
        "hộ không thiếu hụt chỉ số nào trong: {indicators}",
        "the household lacks none of: {indicators}",
    ),
    (
        "support_rule_status",
        "ngày {date} xã của hộ không phải {statuses}",
        "on {date} the household's commune was not {statuses}",
    ),
    (
        "support_rule_once",
        "hộ, người này đã nhận hỗ trợ {kind} ngày {date}, trong vòng {years} năm",
        "the household or person received {kind} on {date}, within {years} years",
    ),
    (
        "support_rule_state_max",
        "phần ngân sách nhà nước {amount} vượt mức tối đa {max} của {rule_set}",
        "the state's part {amount} exceeds {rule_set}'s most, {max}",
    ),
    (
        "support_rule_share",
        "phần ngân sách nhà nước {amount} trên tổng {total} vượt tỷ lệ {percent} %",
        "the state's part {amount} of {total} exceeds {percent} %",
    ),
    (
        "cli_support_imported",
        "đã nhập {records} bản ghi hỗ trợ (tổng {amount}; {overrides} ghi theo lý do của cán bộ)",
        "imported {records} support records ({amount} in all; {overrides} on an officer's reason)",
    ),
    (
        "cli_support_duplicates",
        "{pairs} cặp trùng đối tượng trong {records} bản ghi",
        "{pairs} duplicate pairs among {records} records",
    ),
    (
        "cli_money_refused",
        "không nhập gì: {errors} lỗi",
        "nothing imported: {errors} errors",
    ),
    (
        "money_amount",
        "`{value}` không phải số tiền: số nguyên đồng từ {min} trở lên, chỉ gồm chữ số",
        "`{value}` is no amount: a whole number of đồng from {min}, digits only",
    ),
    ("money_text_long", "dài quá {max} ký tự", "longer than {max} characters"),
    (
        "money_unit_unknown",
        "không có đơn vị `{unit}` (mã tỉnh 2 chữ số hoặc mã xã 5 chữ số năm 2025)",
        "no unit `{unit}` (a 2-digit province or 5-digit commune code of 2025)",
    ),
    (
        "money_out_of_scope",
        "đơn vị {unit} ngoài phạm vi được giao của người dùng",
        "unit {unit} is outside the user's scope",
    ),
    (
        "money_plans_province",
        "kế hoạch vốn và phân bổ do cán bộ cấp tỉnh lập",
        "plans and allocations are made by the province's officers",
    ),
    (
        "money_payments_province",
        "giải ngân của tỉnh do cán bộ cấp tỉnh ghi",
        "the province's own payments are recorded by its officers",
    ),
    (
        "money_origin_year",
        "vốn năm {origin} không ghi được cho năm ngân sách {year}: không thuộc chương trình nào, sau năm ngân sách, hoặc quá số năm chương trình cho kéo dài",
        "capital of {origin} cannot go into budget year {year}: no programme holds it, it is later than the budget year, or extended longer than its programme allows",
    ),
    (
        "cli_money_estimates",
        "đã nhập {records} dòng ước giải ngân đến hết năm (tổng {amount})",
        "imported {records} year-end estimates ({amount} in all)",
    ),
    (
        "money_estimate_day",
        "ngày ước {date} ngoài năm ngân sách {year} hoặc sau hôm nay",
        "estimate day {date} is outside budget year {year} or after today",
    ),
    (
        "money_estimate_twice",
        "dòng vốn {item}, nguồn {source} đã có ước giải ngân ở dòng {row} của tệp",
        "the line {item}, source {source} is estimated on row {row} of the file already",
    ),
    (
        "money_item_unknown",
        "`{item}` không phải mã dự án, tiểu dự án của {program}; các mã: {known}",
        "`{item}` is no project or sub-project of {program}; the codes: {known}",
    ),
    (
        "money_source_unknown",
        "nguồn vốn `{source}` không có trong danh mục: {known}",
        "no funding source `{source}`: {known}",
    ),
    (
        "money_plan_budget_only",
        "kế hoạch vốn gồm các nguồn ngân sách nhà nước; nguồn {source} được ghi khi giải ngân",
        "plans hold the state budget's sources; source {source} is recorded as it is paid",
    ),
    (
        "money_item_total",
        "{item} có các tiểu dự án: ghi cho từng tiểu dự án",
        "{item} has sub-projects: record it for each of them",
    ),
    (
        "money_plan_date",
        "ngày văn bản {date} sau năm ngân sách {year} hoặc sau hôm nay",
        "the document's day {date} is after budget year {year} or after today",
    ),
    (
        "money_document_day",
        "văn bản {document} đã ghi ngày khác ở dòng {row}",
        "document {document} has another day on row {row}",
    ),
    (
        "money_line_twice",
        "{item}, nguồn {source} đã ghi trong văn bản này ở dòng {row}",
        "{item}, source {source} is on row {row} of this document already",
    ),
    (
        "money_total_mismatch",
        "dòng tổng {item}, nguồn {source} ({total}) khác tổng các tiểu dự án ({parts})",
        "the total of {item}, source {source} ({total}) is not the sum of its sub-projects ({parts})",
    ),
    (
        "money_paid_on",
        "ngày giải ngân {date} ngoài thời gian giải ngân kế hoạch năm {year} (từ 01/01/{year} đến {last}) hoặc sau hôm nay",
        "payment day {date} is outside the time budget year {year}'s plan is paid in ({year}-01-01 to {last}) or after today",
    ),
    ("money_no_rows", "tệp không có dòng nào", "the file has no rows"),
    (
        "money_allocated_over_plan",
        "phân bổ cho các xã ({allocated}) vượt kế hoạch vốn của tỉnh ({plan}) cho {item}, nguồn {source}, vốn năm {origin}",
        "the communes' allocations ({allocated}) exceed the province's plan ({plan}) for {item}, source {source}, capital of {origin}",
    ),
    (
        "money_plan_below_disbursed",
        "kế hoạch vốn ({plan}) thấp hơn số đã giải ngân ({disbursed}) của {item}, nguồn {source}, vốn năm {origin}",
        "the plan ({plan}) is below what is disbursed ({disbursed}) for {item}, source {source}, capital of {origin}",
    ),
    (
        "money_over_plan",
        "giải ngân lũy kế ({disbursed}) vượt kế hoạch vốn còn hiệu lực ngày {on} ({plan}) của {item}, nguồn {source}: chỉ ghi được là tạm ứng, nêu lý do",
        "disbursed to date ({disbursed}) would exceed the plan in force on {on} ({plan}) for {item}, source {source}: record it as an advance, with its reason",
    ),
    (
        "money_capital_refused",
        "{item} không nhận vốn từ nguồn {source} (vốn {capital})",
        "{item} receives no capital from source {source} ({capital} capital)",
    ),
    (
        "review_refusal_reason",
        "cần nêu lý do từ chối",
        "the refusal needs its reason",
    ),
    (
        "review_date_needed",
        "cần ngày của bước này",
        "this step needs its date",
    ),
    (
        "review_nothing_to_do",
        "không có hộ nào ở bước này",
        "no household is at this step",
    ),
    (
        "review_decision_number",
        "cần số quyết định",
        "the decision needs its number",
    ),
    (
        "review_decision_number_taken",
        "số quyết định {number} đã được xã dùng",
        "the commune has used decision number {number} already",
    ),
    (
        "review_plan_number",
        "cần số kế hoạch",
        "the plan needs its number",
    ),
    (
        "household_ended",
        "hộ này đã chuyển đi hoặc nhập vào hộ khác: không ghi thêm biến động cho hộ",
        "this household has moved away or joined another: no further change is recorded for it",
    ),
    (
        "household_in_review",
        "hộ đang có hồ sơ rà soát chưa kết thúc: tách, nhập hay chuyển hộ sau khi có quyết định",
        "the household has a review case still open: split, merge or move it once it is decided",
    ),
    (
        "member_not_found",
        "hộ không có thành viên số {no}",
        "the household has no member number {no}",
    ),
    (
        "household_last_member",
        "đây là thành viên cuối cùng của hộ: hộ không thể không còn ai; hãy ghi nhập hộ hoặc chuyển hộ",
        "this is the household's last member: a household cannot be left empty; record a merge or a move",
    ),
    (
        "split_no_members",
        "chọn ít nhất một thành viên sang hộ mới",
        "choose at least one member for the new household",
    ),
    (
        "split_unknown_member",
        "có thành viên được chọn không thuộc hộ này",
        "a member chosen is not of this household",
    ),
    (
        "split_all_members",
        "không tách được cả hộ: phải còn ít nhất một thành viên ở hộ cũ",
        "the whole household cannot split off: at least one member must stay",
    ),
    (
        "merge_target_unknown",
        "không có hộ nào với mã đó trong xã để nhập vào",
        "there is no household of that code in the commune to join",
    ),
    (
        "merge_target_ended",
        "hộ định nhập vào đã chuyển đi hoặc đã nhập vào hộ khác",
        "the household to join has moved away or joined another",
    ),
    (
        "move_same_commune",
        "hộ đã ở xã này: chuyển hộ là sang một xã khác",
        "the household is in this commune already: a move is to another commune",
    ),
    (
        "move_commune_unknown",
        "không có xã với mã đó",
        "there is no commune of that code",
    ),
    (
        "move_out_of_scope",
        "xã chuyển đến không thuộc phạm vi của bạn: việc chuyển hộ sang xã đó do cán bộ cấp tỉnh ghi",
        "the commune moved to is outside your scope: a provincial officer records that move",
    ),
    (
        "household_code_taken",
        "mã hộ này đã có ở xã: chọn một mã khác",
        "that household code is taken in the commune: choose another",
    ),
    (
        "change_in_future",
        "ngày biến động không thể sau hôm nay",
        "the date of the change cannot be after today",
    ),
    (
        "birth_after_change",
        "ngày sinh sau ngày biến động",
        "the birth date is after the date of the change",
    ),
    (
        "change_field_missing",
        "thiếu thông tin bắt buộc của biến động (mã hộ, họ tên, ngày sinh hoặc thành viên)",
        "a required field of the change is missing (household code, name, birth date or member)",
    ),
    (
        "household_ended_import",
        "hộ `{household}` của xã {commune} đã {how} ngày {on} (hộ `{to}`, xã {to_commune}): khảo sát sau ngày đó không nhập cho hộ cũ",
        "household `{household}` of commune {commune} {how} on {on} (household `{to}`, commune {to_commune}): a survey after that day is not imported for the old household",
    ),
    ("household_how_merged", "nhập vào hộ khác", "joined another household"),
    ("household_how_moved", "chuyển sang xã khác", "moved to another commune"),
    (
        "review_locked",
        "năm rà soát đã khóa; chỉ một quyết định mới thay đổi được hộ",
        "the review year is locked; only a new decision changes a household",
    ),
    (
        "review_step_out_of_order",
        "chưa thể làm bước này: hồ sơ của hộ chưa qua bước trước",
        "this step cannot be taken yet: the household's case has not been through the one before",
    ),
    (
        "review_case_closed",
        "hồ sơ của hộ đã kết thúc; chỉ một quyết định mới mới thay đổi được",
        "the household's case is closed; only a new decision changes it",
    ),
    (
        "review_meeting_votes",
        "số người đồng ý không thể lớn hơn số người dự họp, và cuộc họp cần có người dự",
        "the votes in favour cannot exceed the participants, and a meeting has participants",
    ),
    (
        "review_posting_not_over",
        "chưa hết thời gian niêm yết công khai",
        "the public posting is not over yet",
    ),
    (
        "review_no_certificate",
        "chỉ hộ nghèo, hộ cận nghèo được cấp giấy chứng nhận",
        "only poor and near-poor households are given a certificate",
    ),
    // ---- the command line ----
    (
        "cli_no_households_csv",
        "{path}: thư mục không có households.csv",
        "{path}: no households.csv in this directory",
    ),
    ("cli_no_such_file", "{path}: không có tệp này", "{path}: no such file"),
    (
        "cli_new_registry",
        "{db}: sổ mới, đã nạp đơn vị hành chính và dân tộc",
        "{db}: new registry, administrative units and ethnic groups loaded",
    ),
    (
        "cli_not_a_province",
        "\"{unit}\" không phải mã tỉnh (2 chữ số)",
        "\"{unit}\" is not a province's code (2 digits)",
    ),
    (
        "cli_year_locked",
        "đã khóa {n} đợt rà soát năm {year} của tỉnh {unit}",
        "locked {n} reviews of {year} in province {unit}",
    ),
    (
        "cli_checked",
        "{file}: {households} hộ và {members} nhân khẩu năm {year} hợp lệ, chưa nhập (--check)",
        "{file}: {households} households and {members} members for {year} pass every check, nothing stored (--check)",
    ),
    (
        "cli_imported",
        "{file}: đã nhập {households} hộ và {members} nhân khẩu năm {year} (lần nhập #{import})",
        "{file}: imported {households} households and {members} members for {year} (import #{import})",
    ),
    (
        "cli_already_imported",
        "{file}: đã nhập cho năm {year} rồi (lần nhập #{import}); không làm gì thêm",
        "{file}: already imported for {year} (import #{import}); nothing to do",
    ),
    (
        "cli_not_imported",
        "{file}: không nhập: {errors} lỗi; không có gì của tệp này được lưu",
        "{file}: not imported: {errors} error(s); nothing of this file was stored",
    ),
    ("cli_warning", "cảnh báo: {message}", "warning: {message}"),
    (
        "cli_warnings_counted",
        "{n} cảnh báo (có thể trùng người); `giamngheo import` liệt kê từng cảnh báo",
        "{n} warning(s) (possible duplicate persons); `giamngheo import` lists them",
    ),
    (
        "cli_members_buffered",
        "lưu ý: tệp thành viên không xếp các hộ theo thứ tự của tệp hộ; các dòng của nó được giữ trong bộ nhớ",
        "note: the members file does not list households in the households file's order; its rows were held in memory",
    ),
    (
        "cli_classify_failed",
        "{errors} lỗi; {rejected} hộ bị từ chối, {classified} hộ đã phân loại",
        "{errors} error(s); {rejected} household(s) rejected, {classified} classified",
    ),
    (
        "cli_no_records_written",
        "không ghi kết quả nào (--keep-going ghi các hộ hợp lệ)",
        "no records written (--keep-going writes the valid households)",
    ),
    ("cli_no_household_in", "không có hộ nào trong {file}", "no household in {file}"),
    (
        "cli_unknown_unit",
        "không có đơn vị `{unit}`: mã tỉnh 2 chữ số hoặc mã xã 5 chữ số năm 2025",
        "unknown unit `{unit}`: a 2-digit province or 5-digit commune code of 2025",
    ),
    (
        "cli_no_assessment_span",
        "không có phiếu rà soát nào của {name} ({unit}) từ {from} đến {to} trong {db}",
        "no assessment of {name} ({unit}) from {from} to {to} in {db}",
    ),
    (
        "cli_no_assessment_year",
        "không có phiếu rà soát nào của đơn vị `{unit}` năm {year} trong {db}",
        "no assessment of unit `{unit}` for {year} in {db}",
    ),
    (
        "cli_xlsx_needs_output",
        "--format xlsx cần --output TỆP.xlsx",
        "--format xlsx needs --output FILE.xlsx",
    ),
    (
        "cli_exported",
        "đã ghi {households} hộ và {members} nhân khẩu của {unit} năm {year} vào {path}",
        "wrote {households} households and {members} members of {unit} for {year} to {path}",
    ),
    (
        "cli_synth_wrote",
        "{year}: đã ghi {households} hộ và {members} nhân khẩu vào {path}",
        "{year}: wrote {households} households and {members} members to {path}",
    ),
    (
        "cli_demo_failed",
        "khảo sát mẫu năm {year} không nhập được",
        "the demo survey of {year} did not import",
    ),
    (
        "cli_demo_try",
        "thử: giamngheo report --db {db} --unit {unit} --from {from} --to {to}",
        "try: giamngheo report --db {db} --unit {unit} --from {from} --to {to}",
    ),
    (
        "cli_demo_building",
        "{db}: đang tạo sổ mẫu (Điện Biên, 20.000 hộ, 2022-2025)...",
        "{db}: creating the demonstration registry (Điện Biên, 20,000 households, 2022-2025)...",
    ),
    (
        "cli_running",
        "giamngheo đang chạy tại http://{addr}/  (cơ sở dữ liệu {db})",
        "giamngheo is running at http://{addr}/  (database {db})",
    ),
    (
        "cli_demo_logins",
        "đăng nhập bằng `tinh` (cán bộ tỉnh Điện Biên), `xa` (cán bộ xã Mường Phăng), `lanhdao` (lãnh đạo), `thanhtra` (thanh tra) hoặc `admin`; mật khẩu {password}",
        "log in as `tinh` (provincial officer, Điện Biên), `xa` (commune officer, Mường Phăng), `lanhdao` (leader), `thanhtra` (inspector) or `admin`; password {password}",
    ),
    (
        "cli_no_users",
        "chưa có người dùng: giamngheo user add TÊN --role administrator --db {db}",
        "no users yet: giamngheo user add NAME --role administrator --db {db}",
    ),
    (
        "cli_password_prompt",
        "mật khẩu (ký tự gõ vào sẽ hiện ra): ",
        "password (typed characters are shown): ",
    ),
    (
        "cli_unknown_role",
        "không có vai trò `{role}` (administrator, provincial_officer, commune_officer, leader, inspector)",
        "unknown role `{role}` (administrator, provincial_officer, commune_officer, leader, inspector)",
    ),
    (
        "cli_unknown_user_unit",
        "không có đơn vị `{unit}` (mã tỉnh hoặc xã năm 2025)",
        "unknown unit `{unit}` (a 2025 province or commune code)",
    ),
    ("cli_user_created", "đã tạo người dùng {name} (#{id})", "user {name} created (#{id})"),
    (
        "cli_password_changed",
        "đã đổi mật khẩu của {name}; các phiên đăng nhập của họ đã đóng",
        "password of {name} changed; their sessions are closed",
    ),
    ("cli_active", "đang hoạt động", "active"),
    ("cli_inactive", "đã khóa", "inactive"),
    (
        "cli_chain_intact",
        "chuỗi băm nguyên vẹn ({n} mục)",
        "the hash chain is intact ({n} entries)",
    ),
    (
        "cli_chain_broken",
        "chuỗi băm đứt ở mục {id}",
        "the hash chain breaks at entry {id}",
    ),
    (
        "cli_cannot_read",
        "không đọc được {path}",
        "cannot read {path}",
    ),
    (
        "cli_not_a_head",
        "{path}: không phải đầu chuỗi do `audit head` xuất",
        "{path}: not a head exported by `audit head`",
    ),
    (
        "cli_head_fields",
        "{path}: đầu chuỗi cần `id` và `hash`",
        "{path}: the head needs `id` and `hash`",
    ),
    (
        "cli_anchor_holds",
        "mục {id} giữ đúng mã băm đã xuất: không có gì đến mục đó bị xóa hay sửa",
        "entry {id} holds the exported hash: nothing up to it was removed or changed",
    ),
    (
        "cli_anchor_missing",
        "mục {id} của đầu chuỗi đã xuất không còn: nhật ký đã bị cắt",
        "entry {id} of the exported head is gone: the log was cut",
    ),
    (
        "cli_anchor_differs",
        "mục {id} có mã băm khác đầu chuỗi đã xuất: nhật ký đã bị sửa",
        "entry {id} has another hash than the exported head: the log was changed",
    ),
    ("cli_cannot_create", "không tạo được {path}", "cannot create {path}"),
    ("cli_cannot_write", "không ghi được {path}", "cannot write {path}"),
    ("cli_cannot_write_in", "không ghi được vào {path}", "cannot write in {path}"),
    (
        "cli_cannot_open_registry",
        "không mở được sổ {db}",
        "cannot open the registry {db}",
    ),
    ("cli_cannot_serve", "không phục vụ được ở {addr}", "cannot serve on {addr}"),
    ("cli_output_failed", "không ghi được kết quả", "cannot write the output"),
    // ---- a unit's report: its files' labels ----
    ("report_col_level", "Cấp", "Level"),
    ("report_col_code", "Mã", "Code"),
    ("report_col_name", "Tên đơn vị", "Name"),
    ("report_col_year", "Năm", "Year"),
    ("report_col_households", "Số hộ", "Households"),
    ("report_col_poor", "Hộ nghèo", "Poor"),
    ("report_col_rate", "Tỷ lệ %", "Rate %"),
    ("report_col_near_poor", "Hộ cận nghèo", "Near-poor"),
    ("report_col_poor_rate", "Tỷ lệ hộ nghèo (%)", "Poor rate (%)"),
    ("report_col_near_poor_rate", "Tỷ lệ hộ cận nghèo (%)", "Near-poor rate (%)"),
    ("report_col_both_rate", "Tỷ lệ nghèo và cận nghèo (%)", "Poor and near-poor rate (%)"),
    ("report_col_change", "Thay đổi (điểm %)", "Change (pts)"),
    ("report_col_minority_rate", "Tỷ lệ nghèo DTTS (%)", "Minority poor rate (%)"),
    ("report_col_minority_households", "Hộ dân tộc thiểu số", "Ethnic-minority households"),
    ("report_col_minority_poor", "Hộ nghèo dân tộc thiểu số", "Ethnic-minority poor"),
    ("report_col_minority_poor_rate", "Tỷ lệ hộ nghèo dân tộc thiểu số (%)", "Ethnic-minority poor rate (%)"),
    ("report_col_escaped", "Thoát nghèo", "Escaped"),
    ("report_col_new_poor", "Nghèo phát sinh", "New poor"),
    ("report_col_fell_back", "Tái nghèo", "Fell back"),
    ("report_col_commune", "Xã, phường", "Commune"),
    ("report_col_change_points", "Thay đổi tỷ lệ nghèo (điểm %)", "Change of the poor rate (pts)"),
    ("report_col_change_span", "Thay đổi tỷ lệ nghèo {from}–{to} (điểm %)", "Change of the poor rate {from}–{to} (pts)"),
    ("report_col_indicator", "Chỉ số thiếu hụt", "Indicator"),
    ("report_col_poor_lacking", "Số hộ nghèo thiếu hụt", "Poor households lacking it"),
    ("report_col_share_of_poor", "Tỷ lệ trong hộ nghèo (%)", "Share of the poor (%)"),
    ("report_level_unit", "Đơn vị", "unit"),
    ("report_level_commune", "Xã", "commune"),
    ("report_sheet_years", "Theo năm", "years"),
    ("report_sheet_communes", "Theo xã", "communes"),
    ("report_sheet_deprivations", "Thiếu hụt", "deprivations"),
    ("report_avg_decrease", "Mức giảm tỷ lệ hộ nghèo bình quân năm", "average annual decrease of the poverty rate"),
    ("report_points_a_year", "điểm %/năm", "points a year"),
    ("report_minority_households", "hộ dân tộc thiểu số", "ethnic-minority households"),
    ("report_target_line", "chỉ tiêu giảm {target} điểm %/năm: đạt {achieved} %", "target {target} points a year: {achieved} % achieved"),
    ("report_target_achieved", "Mức đạt chỉ tiêu (%)", "Target achieved (%)"),
    ("report_deprivations_of_poor", "Thiếu hụt của hộ nghèo", "deprivations of the poor"),
];
