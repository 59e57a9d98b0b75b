//! Text cells that stay text in a spreadsheet. A CSV field beginning with `=`, `+`, `-`, `@`, a
//! tab or a carriage return is read by Excel and LibreOffice as a formula (`=HYPERLINK(...)` can
//! send a reader's data elsewhere), so every CSV the system writes puts an apostrophe before
//! such a field, unless it is a plain number; reading the exchange format takes that apostrophe
//! off again, so that an exported survey imports back as it was. Workbooks are written with
//! string cells, which a spreadsheet never evaluates.

use std::borrow::Cow;

fn starts_like_formula(s: &[u8]) -> bool {
    matches!(s.first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'))
}

fn is_number(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        && t.parse::<f64>().is_ok()
}

/// A field as a CSV writer should write it: with an apostrophe before a would-be formula.
pub fn inert(s: &str) -> Cow<'_, str> {
    if starts_like_formula(s.as_bytes()) && !is_number(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A field as read from a CSV file: the apostrophe [`inert`] put there taken off.
pub fn restore(field: &[u8]) -> &[u8] {
    match field.split_first() {
        Some((b'\'', rest)) if starts_like_formula(rest) => rest,
        _ => field,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_made_inert_and_read_back() {
        for f in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1+2",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "=1",
        ] {
            let w = inert(f);
            assert_eq!(w, format!("'{f}"), "{f}");
            assert_eq!(restore(w.as_bytes()), f.as_bytes());
        }
        for f in [
            "-5",
            "+84912345678",
            "-1.5e3",
            "Lò Văn A",
            "",
            "'quoted",
            "0123",
        ] {
            assert_eq!(inert(f), f, "{f}");
            assert_eq!(restore(f.as_bytes()), f.as_bytes());
        }
    }
}
