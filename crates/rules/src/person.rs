//! A person's identity in the registry: the 12-digit personal identification number (căn cước).

use crate::codes::Sex;
use crate::msg;
use crate::text::Msg;

/// A 12-digit personal identification number (căn cước), kept as its digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdNumber([u8; 12]);

impl IdNumber {
    /// The number, when `s` is exactly 12 ASCII digits.
    pub fn new(s: &str) -> Option<IdNumber> {
        let b: [u8; 12] = s.as_bytes().try_into().ok()?;
        b.iter().all(u8::is_ascii_digit).then_some(IdNumber(b))
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The number with all but the last 3 digits hidden, for lists the public sees.
    pub fn masked(&self) -> String {
        format!("*********{}", self.as_str().get(9..).unwrap_or_default())
    }
}

impl std::fmt::Display for IdNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Checks a 12-digit personal identification number against the member's sex and birth year:
/// digit 4 codes century and sex (0/1 = man/woman born 1900-1999, 2/3 = 2000-2099, ...), digits
/// 5-6 the last two digits of the birth year.
pub fn check_id_number(id: &str, sex: Option<Sex>, birth_year: Option<i32>) -> Result<(), Msg> {
    let b = id.as_bytes();
    if b.len() != 12 || !b.iter().all(u8::is_ascii_digit) {
        return Err(msg!("id_not_12", id = id));
    }
    let g = i32::from(b[3] - b'0');
    let id_sex = if g % 2 == 0 { Sex::Male } else { Sex::Female };
    let century = 1900 + 100 * (g / 2);
    let yy = i32::from(b[4] - b'0') * 10 + i32::from(b[5] - b'0');
    if let Some(s) = sex {
        if s != id_sex {
            return Err(msg!("id_sex", id = id, digit = g, id_sex = id_sex, sex = s));
        }
    }
    if let Some(y) = birth_year {
        if y - y.rem_euclid(100) != century || y.rem_euclid(100) != yy {
            return Err(msg!("id_year", id = id, id_year = century + yy, year = y));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers() {
        // man born 1985: digit 4 = 0, digits 5-6 = 85
        assert_eq!(
            check_id_number("001085012345", Some(Sex::Male), Some(1985)),
            Ok(())
        );
        // woman born 2003: digit 4 = 3
        assert_eq!(
            check_id_number("011303000001", Some(Sex::Female), Some(2003)),
            Ok(())
        );
        assert!(
            check_id_number("001085012345", Some(Sex::Female), Some(1985))
                .unwrap_err()
                .render(crate::Lang::En)
                .contains("sex")
        );
        assert!(check_id_number("001085012345", Some(Sex::Male), Some(1986))
            .unwrap_err()
            .render(crate::Lang::En)
            .contains("1985"));
        assert!(check_id_number("001285012345", Some(Sex::Male), Some(1985))
            .unwrap_err()
            .render(crate::Lang::En)
            .contains("2085"));
        assert!(check_id_number("00108501234", None, None).is_err());
        assert!(check_id_number("00108501234x", None, None).is_err());
    }
}
