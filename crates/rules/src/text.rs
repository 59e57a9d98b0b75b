//! What a person reads, in their language: Vietnamese (the default) or English. A sentence the
//! system says (a row's error, a refusal, what a command did) is a [`Msg`]: a key of
//! [`crate::messages::MESSAGES`] and the values it names, put into words only when it is shown,
//! in the reader's language. Numbers, money, percentages and dates follow each language's
//! convention (1.500.000 đ and 21,29 % in Vietnamese; 1,500,000 VND and 21.29% in English).

use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// A language of the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn from_code(s: &str) -> Option<Lang> {
        match s {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    /// An integer with the language's thousands separator.
    pub fn int(self, n: i64) -> String {
        let sep = match self {
            Lang::Vi => '.',
            Lang::En => ',',
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }

    /// A decimal with two places and the language's decimal mark.
    pub fn dec2(self, v: f64) -> String {
        let s = format!("{v:.2}");
        match self {
            Lang::Vi => s.replace('.', ","),
            Lang::En => s,
        }
    }

    /// A percentage with two places: `21,29 %` / `21.29%`.
    pub fn pct(self, v: f64) -> String {
        match self {
            Lang::Vi => format!("{} %", self.dec2(v)),
            Lang::En => format!("{}%", self.dec2(v)),
        }
    }

    /// Percentage points with a sign: `-3,10 điểm` / `-3.10 pts`.
    pub fn points(self, v: f64) -> String {
        let sign = if v > 0.0 { "+" } else { "" };
        match self {
            Lang::Vi => format!("{sign}{} điểm", self.dec2(v)),
            Lang::En => format!("{sign}{} pts", self.dec2(v)),
        }
    }

    /// An amount of đồng: `1.500.000 đ` / `1,500,000 VND`.
    pub fn money(self, dong: i64) -> String {
        match self {
            Lang::Vi => format!("{} đ", self.int(dong)),
            Lang::En => format!("{} VND", self.int(dong)),
        }
    }

    /// A date: `15/10/2025` / `15 Oct 2025`.
    pub fn date(self, d: NaiveDate) -> String {
        match self {
            Lang::Vi => d.format("%d/%m/%Y").to_string(),
            Lang::En => format!("{} {} {}", d.day(), d.format("%b"), d.year()),
        }
    }

    /// The time now in Vietnam (UTC+7 all year): `02/12/2026 23:45` / `2 Dec 2026 23:45`.
    pub fn now_in_vietnam(self) -> String {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
        self.moment(secs + VIETNAM_UTC_OFFSET)
    }

    /// As [`Lang::moment`], to the second: `02/12/2026 23:39:05`.
    pub fn moment_seconds(self, local_secs: i64) -> String {
        self.clock(local_secs, "%H:%M:%S")
    }

    /// A moment given as seconds since 1970 on the clock it is shown in.
    pub fn moment(self, local_secs: i64) -> String {
        self.clock(local_secs, "%H:%M")
    }

    fn clock(self, local_secs: i64, time: &str) -> String {
        let t = chrono::DateTime::from_timestamp(local_secs, 0)
            .unwrap_or_default()
            .naive_utc();
        format!("{} {}", self.date(t.date()), t.format(time))
    }
}

/// Vietnam's clock ahead of UTC, in seconds (UTC+7, no daylight saving).
pub const VIETNAM_UTC_OFFSET: i64 = 7 * 3600;

/// A sentence for a person: a message key and the values its texts name (`{name}` in them).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// A value a message names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Arg {
    /// Shown as it is (a code, a number, a name, a file).
    Text(String),
    /// Items joined in the reader's language: "a, b hoặc c", "a, b or c".
    List(Vec<String>),
    /// Another message, in the same language.
    Msg(Box<Msg>),
    /// An amount of VND, written the reader's way ("1.500.000 đ", "VND 1,500,000").
    Money(i64),
    /// A name given in each language (a funding source from the catalogue): Vietnamese, English.
    Named(String, String),
    /// A day, written the reader's way ("31/01/2026", "2026-01-31").
    Date(chrono::NaiveDate),
}

impl Msg {
    pub fn new(key: &'static str) -> Msg {
        Msg {
            key,
            args: Vec::new(),
        }
    }

    /// The message with one more value.
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Msg {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// The message with one more value that is a list (of codes, say).
    pub fn list<S: AsRef<str>>(mut self, name: &'static str, items: &[S]) -> Msg {
        let items = items.iter().map(|i| i.as_ref().to_string()).collect();
        self.args.push((name, Arg::List(items)));
        self
    }

    /// The message with an amount of VND as a value.
    pub fn money(mut self, name: &'static str, dong: i64) -> Msg {
        self.args.push((name, Arg::Money(dong)));
        self
    }

    /// The message with a day as a value.
    pub fn date(mut self, name: &'static str, day: chrono::NaiveDate) -> Msg {
        self.args.push((name, Arg::Date(day)));
        self
    }

    /// The message with the value `name` given in each language instead (a catalogue's code
    /// told by its names); the value is added when the message had none.
    pub fn named(mut self, name: &'static str, vi: &str, en: &str) -> Msg {
        let v = Arg::Named(vi.to_string(), en.to_string());
        match self.args.iter_mut().find(|(n, _)| *n == name) {
            Some((_, a)) => *a = v,
            None => self.args.push((name, v)),
        }
        self
    }

    /// The message with another message as a value.
    pub fn nested(mut self, name: &'static str, m: Msg) -> Msg {
        self.args.push((name, Arg::Msg(Box::new(m))));
        self
    }

    /// A value given to the message, as text (a list or message in the default language).
    pub fn value(&self, name: &str) -> Option<String> {
        self.args
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.render(Lang::default()))
    }

    /// The sentence in a language; a key without texts shows as itself (a test checks that
    /// none is).
    pub fn render(&self, lang: Lang) -> String {
        let Some(template) = text_of(self.key, lang) else {
            return self.key.to_string();
        };
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    let name = &after[..close];
                    match self.args.iter().find(|(n, _)| *n == name) {
                        Some((_, v)) => out.push_str(&v.render(lang)),
                        None => {
                            out.push('{');
                            out.push_str(name);
                            out.push('}');
                        }
                    }
                    rest = &after[close + 1..];
                }
                None => {
                    out.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }
}

impl Arg {
    fn render(&self, lang: Lang) -> String {
        match self {
            Arg::Text(t) => t.clone(),
            Arg::Msg(m) => m.render(lang),
            Arg::Money(dong) => lang.money(*dong),
            Arg::Named(vi, en) => match lang {
                Lang::Vi => vi.clone(),
                Lang::En => en.clone(),
            },
            Arg::Date(d) => match lang {
                Lang::Vi => d.format("%d/%m/%Y").to_string(),
                Lang::En => d.to_string(),
            },
            Arg::List(items) => {
                let or = match lang {
                    Lang::Vi => " hoặc ",
                    Lang::En => " or ",
                };
                match items.as_slice() {
                    [] => String::new(),
                    [one] => one.clone(),
                    [init @ .., last] => format!("{}{or}{last}", init.join(", ")),
                }
            }
        }
    }
}

/// The language a message takes when it is shown without one being asked (`Display`): the
/// default, Vietnamese, unless the process says otherwise once (the command line does, from
/// `--lang`). The web application never relies on it: it renders each message in the language of
/// the request.
static DISPLAY_LANG: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Sets the language of [`Msg`]'s `Display` for the whole process.
pub fn set_display_lang(lang: Lang) {
    let n = match lang {
        Lang::Vi => 0,
        Lang::En => 1,
    };
    DISPLAY_LANG.store(n, std::sync::atomic::Ordering::Relaxed);
}

/// The language of [`Msg`]'s `Display`.
pub fn display_lang() -> Lang {
    match DISPLAY_LANG.load(std::sync::atomic::Ordering::Relaxed) {
        1 => Lang::En,
        _ => Lang::Vi,
    }
}

/// In the process's display language ([`display_lang`]), Vietnamese by default.
impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(display_lang()))
    }
}

/// A message: `msg!("key", name = value, ...)`.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::text::Msg::new($key)$(.arg(stringify!($name), $value))*
    };
}

/// The text of a key in a language.
pub fn text_of(key: &str, lang: Lang) -> Option<&'static str> {
    static TABLE: OnceLock<HashMap<&'static str, (&'static str, &'static str)>> = OnceLock::new();
    let t = TABLE.get_or_init(|| {
        crate::messages::MESSAGES
            .iter()
            .map(|(k, vi, en)| (*k, (*vi, *en)))
            .collect()
    });
    t.get(key).map(|(vi, en)| match lang {
        Lang::Vi => *vi,
        Lang::En => *en,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::MESSAGES;
    use std::collections::BTreeSet;

    fn names(text: &str) -> BTreeSet<&str> {
        let mut out = BTreeSet::new();
        let mut rest = text;
        while let Some(i) = rest.find('{') {
            let after = &rest[i + 1..];
            let Some(j) = after.find('}') else { break };
            out.insert(&after[..j]);
            rest = &after[j + 1..];
        }
        out
    }

    #[test]
    fn every_message_has_both_languages_naming_the_same_values() {
        let mut keys = BTreeSet::new();
        for (key, vi, en) in MESSAGES {
            assert!(keys.insert(*key), "{key} twice");
            assert!(!vi.trim().is_empty() && !en.trim().is_empty(), "{key}");
            assert_eq!(names(vi), names(en), "{key}: the texts name other values");
            assert_ne!(vi, en, "{key}: the Vietnamese text is the English one");
        }
    }

    #[test]
    fn moments_are_written_the_languages_way() {
        // 2026-12-02 16:39 UTC is 23:39 in Hà Nội
        let utc = 1_796_229_540;
        assert_eq!(VIETNAM_UTC_OFFSET, 7 * 3600);
        assert_eq!(
            Lang::Vi.moment(utc + VIETNAM_UTC_OFFSET),
            "02/12/2026 23:39"
        );
        assert_eq!(
            Lang::En.moment(utc + VIETNAM_UTC_OFFSET),
            "2 Dec 2026 23:39"
        );
        assert_eq!(
            Lang::Vi.moment_seconds(utc + VIETNAM_UTC_OFFSET + 5),
            "02/12/2026 23:39:05"
        );
        let now = Lang::Vi.now_in_vietnam();
        assert_eq!(now.len(), "02/12/2026 23:39".len(), "{now}");
    }

    #[test]
    fn a_message_is_put_into_the_language_asked() {
        let m =
            msg!("unknown_code", value = "river").list("expected", &["piped", "well", "surface"]);
        assert_eq!(
            m.render(Lang::En),
            "unknown code `river`: expected piped, well or surface"
        );
        assert_eq!(
            m.render(Lang::Vi),
            "mã `river` không có trong danh mục: cần là piped, well hoặc surface"
        );
        assert_eq!(m.to_string(), m.render(Lang::Vi));
        let one = msg!("unknown_code", value = "x").list("expected", &["M"]);
        assert_eq!(one.render(Lang::En), "unknown code `x`: expected M");
        assert_eq!(Msg::new("no_such_key").render(Lang::En), "no_such_key");
        // a message in a message, in the same language
        let m = msg!("of_household", household = "H1").nested("message", msg!("col_missing"));
        assert_eq!(
            m.render(Lang::En),
            "required column is missing (household `H1`)"
        );
        assert_eq!(m.render(Lang::Vi), "thiếu cột bắt buộc (hộ `H1`)");
        // a value the message is not given stays named
        assert_eq!(
            Msg::new("too_large").render(Lang::En),
            "`{value}` is too large"
        );
    }

    #[test]
    fn numbers_the_way_each_language_writes_them() {
        assert_eq!(Lang::Vi.int(1_500_000), "1.500.000");
        assert_eq!(Lang::En.int(-1_500_000), "-1,500,000");
        assert_eq!(Lang::Vi.pct(21.289), "21,29 %");
        assert_eq!(Lang::En.pct(21.289), "21.29%");
        assert_eq!(Lang::Vi.points(-3.1), "-3,10 điểm");
        assert_eq!(Lang::En.points(2.0), "+2.00 pts");
        assert_eq!(Lang::Vi.money(1_500_000), "1.500.000 đ");
        assert_eq!(Lang::En.money(1_500_000), "1,500,000 VND");
        assert_eq!(Lang::Vi.int(999), "999");
        assert_eq!(Lang::Vi.int(1000), "1.000");
        let d = NaiveDate::from_ymd_opt(2025, 10, 15).expect("date");
        assert_eq!(Lang::Vi.date(d), "15/10/2025");
        assert_eq!(Lang::En.date(d), "15 Oct 2025");
    }
}
