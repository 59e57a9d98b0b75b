//! Text as the registry keeps and searches it: Vietnamese in one Unicode form, names folded for
//! search and duplicate checks, birth dates as precisely as they were given.

use deunicode::deunicode;
use unicode_normalization::UnicodeNormalization;

/// Folds a name for search and duplicate checks: no diacritics, đ as d, lower case, single
/// spaces.
pub fn fold_name(name: &str) -> String {
    deunicode(name)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Vietnamese text in one Unicode form (NFC), trimmed.
pub fn nfc(s: &str) -> String {
    s.trim().nfc().collect()
}

/// A birth date as precisely as it was given: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn birth_text(d: giamngheo_rules::NaiveDate, precision: u8) -> String {
    match precision {
        1 => d.format("%Y").to_string(),
        2 => d.format("%Y-%m").to_string(),
        _ => d.format("%Y-%m-%d").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_without_diacritics() {
        assert_eq!(fold_name("Đặng  Thị Hương"), "dang thi huong");
        assert_eq!(fold_name("Lò Văn Pấng"), "lo van pang");
        assert_eq!(fold_name("  NGUYỄN văn  An "), "nguyen van an");
    }

    #[test]
    fn text_in_one_form_and_dates_as_given() {
        // "ệ" typed as e, a dot below and a circumflex becomes the one composed character
        assert_eq!(nfc(" Nguye\u{0323}\u{0302}n "), "Nguy\u{1EC7}n");
        let d = giamngheo_rules::NaiveDate::from_ymd_opt(1979, 5, 6).expect("date");
        assert_eq!(birth_text(d, 1), "1979");
        assert_eq!(birth_text(d, 2), "1979-05");
        assert_eq!(birth_text(d, 3), "1979-05-06");
    }
}

/// Names in the order a person reads them: numbers inside a name compare as numbers ("Bản 2"
/// before "Bản 10"), the rest by its folded letters, then as written.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn parts(s: &str) -> Vec<(bool, String)> {
        let mut out: Vec<(bool, String)> = Vec::new();
        for c in fold_name(s).chars() {
            let digit = c.is_ascii_digit();
            match out.last_mut() {
                Some((d, text)) if *d == digit => text.push(c),
                _ => out.push((digit, c.to_string())),
            }
        }
        out
    }
    let (pa, pb) = (parts(a), parts(b));
    for ((da, ta), (db, tb)) in pa.iter().zip(&pb) {
        let o = match (da, db) {
            (true, true) => {
                let (na, nb) = (ta.trim_start_matches('0'), tb.trim_start_matches('0'));
                na.len().cmp(&nb.len()).then_with(|| na.cmp(nb))
            }
            _ => ta.cmp(tb),
        };
        if o.is_ne() {
            return o;
        }
    }
    pa.len().cmp(&pb.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod natural {
    use super::natural_cmp;

    #[test]
    fn numbers_in_names_sort_as_numbers() {
        let mut v = vec![
            "Bản 10",
            "Bản 2",
            "bản 1",
            "Bản Che Căn",
            "Bản 02A",
            "Tổ 3",
            "Bản 2",
        ];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            [
                "bản 1",
                "Bản 2",
                "Bản 2",
                "Bản 02A",
                "Bản 10",
                "Bản Che Căn",
                "Tổ 3"
            ]
        );
    }
}
