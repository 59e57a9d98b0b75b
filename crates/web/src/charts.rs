//! Charts drawn on the server as SVG: small, sharp on any screen, nothing to run in the browser.
//!
//! Each chart is drawn at three widths, a phone's, a tablet's and a desktop's, and the stylesheet
//! shows the one that fits the screen: the chart fills the width it has and its text stays near
//! the size it was drawn at (never under 11 px on a phone). Labels are placed by measured
//! collision: every text's box is estimated from its characters, and a value that would cover
//! another text, a point or the axes moves to another side of its point, or is left out (its
//! point keeps it as a tooltip, and the table under the chart has every value).

use crate::i18n::Lang;
use std::fmt::Write;

/// The size of every text of a chart, in the drawing's units.
pub const FONT: f64 = 12.5;

/// Above and below the baseline, in ems: what a text covers.
const ASCENT: f64 = 1.08;
const DESCENT: f64 = 0.31;

/// The widths a chart is drawn at and the class the stylesheet shows each by.
pub const WIDTHS: [(f64, &str); 3] = [(320.0, "narrow"), (640.0, "medium"), (1000.0, "wide")];

/// Escapes text for SVG/HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A box in the drawing's units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    pub fn within(&self, o: &Rect) -> bool {
        self.x0 >= o.x0 && self.x1 <= o.x1 && self.y0 >= o.y0 && self.y1 <= o.y1
    }

    /// Whether the segment from `a` to `b` passes through the box (Liang–Barsky clipping).
    pub fn crossed_by(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [
            (-dx, a.0 - self.x0),
            (dx, self.x1 - a.0),
            (-dy, a.1 - self.y0),
            (dy, self.y1 - a.1),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
                if t0 > t1 {
                    return false;
                }
            }
        }
        true
    }

    fn around(x: f64, y: f64, r: f64) -> Rect {
        Rect {
            x0: x - r,
            y0: y - r,
            x1: x + r,
            y1: y + r,
        }
    }
}

/// How wide a text is drawn at `size`, estimated a little generously from its characters
/// (the widths of a sans-serif face as the browsers draw Vietnamese).
pub fn text_width(s: &str, size: f64) -> f64 {
    let ems: f64 = s
        .chars()
        .map(|c| match c {
            '.' | ',' | ':' | ';' | ' ' | '\'' | '|' | '!' | '(' | ')' | '/' => 0.36,
            'i' | 'l' | 'j' | 't' | 'f' | 'r' | 'I' => 0.4,
            'í' | 'ì' | 'ỉ' | 'ĩ' | 'ị' => 0.4,
            '%' | 'm' | 'w' | 'M' | 'W' | '–' | '—' => 0.92,
            c if c.is_uppercase() => 0.72,
            _ => 0.6,
        })
        .sum();
    ems * size
}

/// Where a text is anchored on its x.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn name(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// A text of a chart and the box it covers.
#[derive(Debug, Clone)]
pub struct Label {
    pub text: String,
    pub class: String,
    pub x: f64,
    /// The baseline.
    pub y: f64,
    pub anchor: Anchor,
    pub rect: Rect,
}

impl Label {
    fn new(text: String, class: &str, x: f64, y: f64, anchor: Anchor) -> Label {
        let w = text_width(&text, FONT);
        let x0 = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - w / 2.0,
            Anchor::End => x - w,
        };
        Label {
            // the face's whole line box, as a browser measures it: room above the baseline for
            // stacked diacritics (ễ, ộ), below it for descenders (Noto Sans: 1.07 and 0.29 em)
            rect: Rect {
                x0,
                y0: y - FONT * ASCENT,
                x1: x0 + w,
                y1: y + FONT * DESCENT,
            },
            text,
            class: class.to_string(),
            x,
            y,
            anchor,
        }
    }

    fn svg(&self, out: &mut String) {
        let _ = write!(
            out,
            r#"<text class="{}" x="{:.1}" y="{:.1}" text-anchor="{}">{}</text>"#,
            esc(&self.class),
            self.x,
            self.y,
            self.anchor.name(),
            esc(&self.text)
        );
    }
}

/// One chart drawn at one width: the shapes, and the texts with the boxes they cover.
#[derive(Debug, Clone)]
pub struct Drawing {
    pub width: f64,
    pub height: f64,
    pub size: &'static str,
    pub kind: &'static str,
    pub title: String,
    shapes: String,
    pub labels: Vec<Label>,
    /// Points and bars: what a value label may not cover.
    pub marks: Vec<Rect>,
    /// Values not written for want of room.
    pub dropped: usize,
}

impl Drawing {
    fn svg(&self, out: &mut String) {
        let _ = write!(
            out,
            r#"<svg class="chart {kind} {size}" viewBox="0 0 {w} {h:.0}" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>"#,
            kind = self.kind,
            size = self.size,
            w = self.width,
            h = self.height,
            t = esc(&self.title)
        );
        out.push_str(&self.shapes);
        for l in &self.labels {
            l.svg(out);
        }
        out.push_str("</svg>");
    }
}

/// The drawings of a chart at every width, as the page shows them.
pub fn html(drawings: &[Drawing]) -> String {
    let mut out = String::new();
    for d in drawings {
        d.svg(&mut out);
    }
    out
}

/// A series of a line chart: its name, CSS class and a value per x label.
pub struct Series<'a> {
    pub name: &'a str,
    pub class: &'a str,
    pub values: Vec<f64>,
}

/// A round step for an axis from 0 to `max`: at most five steps.
fn step_for(max: f64) -> f64 {
    [1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0]
        .into_iter()
        .find(|s| (max / s).ceil() <= 5.0)
        .unwrap_or(25.0)
}

/// A percentage on an axis, without decimals when it has none.
fn tick(lang: Lang, v: f64) -> String {
    lang.pct(v).replace(",00", "").replace(".00", "")
}

/// A line chart of percentages by year, drawn at every width of [`WIDTHS`].
pub fn lines(lang: Lang, title: &str, labels: &[String], series: &[Series]) -> String {
    html(&line_drawings(lang, title, labels, series))
}

pub fn line_drawings(
    lang: Lang,
    title: &str,
    labels: &[String],
    series: &[Series],
) -> Vec<Drawing> {
    WIDTHS
        .iter()
        .map(|(w, size)| lines_at(*w, size, lang, title, labels, series))
        .collect()
}

/// Items of a legend laid out in rows within `width`: (x of the key, row) of each.
fn legend_layout(names: &[&str], left: f64, width: f64) -> Vec<(f64, usize)> {
    let mut out = Vec::with_capacity(names.len());
    let (mut x, mut row) = (left, 0usize);
    for name in names {
        let item = 16.0 + text_width(name, FONT) + 14.0;
        if x > left && x + item > width - 2.0 {
            x = left;
            row += 1;
        }
        out.push((x, row));
        x += item;
    }
    out
}

/// Where a value may stand around its point: the offset of its anchor and baseline, and the
/// anchor. Above, above right, above left, right, left, below, below right, below left.
const SIDES: [(f64, f64, Anchor); 8] = [
    (0.0, -8.0, Anchor::Middle),
    (6.0, -7.0, Anchor::Start),
    (-6.0, -7.0, Anchor::End),
    (8.0, FONT * 0.35, Anchor::Start),
    (-8.0, FONT * 0.35, Anchor::End),
    (0.0, 8.0 + FONT * ASCENT, Anchor::Middle),
    (6.0, 7.0 + FONT * ASCENT, Anchor::Start),
    (-6.0, 7.0 + FONT * ASCENT, Anchor::End),
];
/// The order the sides are tried in: for the highest point of a year, the lowest, and those
/// between.
const ABOVE_FIRST: [usize; 8] = [0, 1, 2, 3, 4, 5, 6, 7];
const BELOW_FIRST: [usize; 8] = [5, 6, 7, 3, 4, 0, 1, 2];
const BESIDE_FIRST: [usize; 8] = [3, 4, 1, 6, 2, 7, 0, 5];

fn lines_at(
    width: f64,
    size: &'static str,
    lang: Lang,
    title: &str,
    labels: &[String],
    series: &[Series],
) -> Drawing {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let step = step_for(max.max(1.0) * 1.04);
    let top_value = step * (max.max(1.0) * 1.04 / step).ceil();
    let ticks: Vec<f64> = (0..)
        .map(|i| step * f64::from(i))
        .take_while(|v| *v <= top_value + 1e-9)
        .collect();
    let tick_w = ticks
        .iter()
        .map(|v| text_width(&tick(lang, *v), FONT))
        .fold(0.0f64, f64::max);
    let left = tick_w + 10.0;
    let right = 4.0;
    let top = FONT + 8.0;
    let plot_h = if width < 500.0 { 180.0 } else { 210.0 };
    let plot_bottom = top + plot_h;
    let names: Vec<&str> = series.iter().map(|s| s.name).collect();
    let legend = legend_layout(&names, left, width);
    let legend_rows = legend.last().map_or(0, |l| l.1 + 1);
    let axis_y = plot_bottom + FONT + 6.0;
    let height = axis_y + 10.0 + legend_rows as f64 * (FONT + 8.0);
    // points stand far enough from the sides for a value written centred on them
    let value_w = series
        .iter()
        .flat_map(|s| s.values.iter())
        .map(|v| text_width(&lang.dec2(*v), FONT))
        .fold(0.0f64, f64::max);
    let pad = value_w / 2.0 + 4.0;
    let plot_w = width - left - right;
    let n = labels.len();
    let x = |i: usize| {
        if n <= 1 {
            left + plot_w / 2.0
        } else {
            left + pad + (plot_w - 2.0 * pad) * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: f64| plot_bottom - plot_h * (v / top_value).clamp(0.0, 1.0);
    let mut shapes = String::new();
    let mut texts: Vec<Label> = Vec::new();
    for v in &ticks {
        let yy = y(*v);
        let _ = write!(
            shapes,
            r#"<line class="grid" x1="{left:.1}" x2="{x2:.1}" y1="{yy:.1}" y2="{yy:.1}"/>"#,
            x2 = width - right,
        );
        texts.push(Label::new(
            tick(lang, *v),
            "axis",
            left - 6.0,
            yy + FONT * 0.35,
            Anchor::End,
        ));
    }
    // the years: every k-th one when they do not all fit, always the last
    if n > 0 {
        let label_w = labels
            .iter()
            .map(|l| text_width(l, FONT))
            .fold(0.0f64, f64::max);
        let spacing = if n > 1 {
            (plot_w - 2.0 * pad) / (n - 1) as f64
        } else {
            plot_w
        };
        let k = ((label_w + 8.0) / spacing).ceil().max(1.0) as usize;
        for (i, l) in labels.iter().enumerate() {
            if (n - 1 - i).is_multiple_of(k) {
                texts.push(Label::new(l.clone(), "axis", x(i), axis_y, Anchor::Middle));
            }
        }
    }
    for (s, (lx, row)) in series.iter().zip(&legend) {
        let ly = axis_y + 12.0 + *row as f64 * (FONT + 8.0);
        let _ = write!(
            shapes,
            r#"<rect class="key {}" x="{lx:.1}" y="{ly:.1}" width="12" height="12"/>"#,
            esc(s.class)
        );
        texts.push(Label::new(
            s.name.to_string(),
            "axis",
            lx + 16.0,
            ly + 11.0,
            Anchor::Start,
        ));
    }
    let points: Vec<Vec<(f64, f64)>> = series
        .iter()
        .map(|s| {
            s.values
                .iter()
                .enumerate()
                .map(|(i, v)| (x(i), y(*v)))
                .collect()
        })
        .collect();
    let marks: Vec<Rect> = points
        .iter()
        .flatten()
        .map(|(px, py)| Rect::around(*px, *py, 4.5))
        .collect();
    for (s, pts) in series.iter().zip(&points) {
        let list: Vec<String> = pts.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect();
        let _ = write!(
            shapes,
            r#"<polyline class="line {}" fill="none" points="{}"/>"#,
            esc(s.class),
            list.join(" ")
        );
    }
    for (s, pts) in series.iter().zip(&points) {
        for (i, (px, py)) in pts.iter().enumerate() {
            let _ = write!(
                shapes,
                r#"<circle class="dot {c}" cx="{px:.1}" cy="{py:.1}" r="3.5"><title>{name}, {year}: {v}</title></circle>"#,
                c = esc(s.class),
                name = esc(s.name),
                year = esc(labels.get(i).map_or("", String::as_str)),
                v = esc(&lang.pct(s.values[i])),
            );
        }
    }
    // the values, point by point: the highest point of a year writes above itself, the lowest
    // below, those between beside; each takes the first place where it covers nothing
    let bounds = Rect {
        x0: left + 1.0,
        y0: 1.0,
        x1: width - 1.0,
        y1: plot_bottom - 1.0,
    };
    let mut dropped = 0;
    for i in 0..n {
        let mut here: Vec<(usize, f64, f64)> = points
            .iter()
            .enumerate()
            .filter_map(|(k, p)| p.get(i).map(|(a, b)| (k, *a, *b)))
            .collect();
        here.sort_by(|a, b| a.2.total_cmp(&b.2));
        let m = here.len();
        for (rank, (k, px, py)) in here.into_iter().enumerate() {
            let text = lang.dec2(series[k].values[i]);
            let class = format!("value {}", series[k].class);
            let order = if rank == 0 {
                &ABOVE_FIRST
            } else if rank + 1 == m {
                &BELOW_FIRST
            } else {
                &BESIDE_FIRST
            };
            let candidates: Vec<Label> = order
                .iter()
                .map(|&side| {
                    let (dx, dy, anchor) = SIDES[side];
                    Label::new(text.clone(), &class, px + dx, py + dy, anchor)
                })
                .collect();
            let fits = |c: &Label| {
                c.rect.within(&bounds)
                    && !texts.iter().any(|t| t.rect.overlaps(&c.rect))
                    && !marks.iter().any(|r| r.overlaps(&c.rect))
            };
            // best clear of the lines too; else over a line (the text has a halo), never over
            // another text or a point
            let clear = |c: &Label| {
                !points
                    .iter()
                    .any(|p| p.windows(2).any(|w| c.rect.crossed_by(w[0], w[1])))
            };
            let free = candidates
                .iter()
                .find(|c| fits(c) && clear(c))
                .or_else(|| candidates.iter().find(|c| fits(c)))
                .cloned();
            match free {
                Some(l) => texts.push(l),
                None => dropped += 1,
            }
        }
    }
    Drawing {
        width,
        height,
        size,
        kind: "lines",
        title: title.to_string(),
        shapes,
        labels: texts,
        marks,
        dropped,
    }
}

/// Words of `text` in lines no wider than `width`.
fn wrap(text: &str, width: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let next = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(&next, FONT) > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = next;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Horizontal bars of percentages, one per label in the order given, drawn at every width of
/// [`WIDTHS`].
pub fn bars(lang: Lang, title: &str, rows: &[(String, f64)]) -> String {
    html(&bar_drawings(lang, title, rows))
}

pub fn bar_drawings(lang: Lang, title: &str, rows: &[(String, f64)]) -> Vec<Drawing> {
    WIDTHS
        .iter()
        .map(|(w, size)| bars_at(*w, size, lang, title, rows))
        .collect()
}

fn bars_at(
    width: f64,
    size: &'static str,
    lang: Lang,
    title: &str,
    rows: &[(String, f64)],
) -> Drawing {
    let max = rows
        .iter()
        .map(|r| r.1)
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max)
        .max(1.0);
    let value_w = rows
        .iter()
        .map(|r| text_width(&lang.pct(r.1), FONT))
        .fold(0.0f64, f64::max);
    // the names beside their bars when a column of at most 40 % of the width holds them in two
    // lines, above them otherwise
    let column = (width * 0.4).floor();
    let beside = width >= 500.0 && rows.iter().all(|(l, _)| wrap(l, column - 10.0).len() <= 2);
    let line_h = FONT * (ASCENT + DESCENT) + 1.0;
    let bar_h = 14.0;
    let (bar_x, name_w) = if beside {
        let widest = rows
            .iter()
            .flat_map(|(l, _)| wrap(l, column - 10.0))
            .map(|l| text_width(&l, FONT))
            .fold(0.0f64, f64::max);
        (widest + 10.0, widest)
    } else {
        (2.0, width - 4.0)
    };
    let plot_w = width - bar_x - value_w - 10.0;
    let mut shapes = String::new();
    let mut texts = Vec::new();
    let mut marks = Vec::new();
    let mut y = 4.0;
    for (label, v) in rows {
        let lines = wrap(label, name_w);
        let bw = (plot_w * v / max).max(0.0);
        let (bar_y, next) = if beside {
            let block = (lines.len() as f64 * line_h).max(bar_h);
            let bar_y = y + (block - bar_h) / 2.0;
            let first = y + (block - lines.len() as f64 * line_h) / 2.0 + FONT;
            for (j, l) in lines.iter().enumerate() {
                texts.push(Label::new(
                    l.clone(),
                    "axis",
                    bar_x - 8.0,
                    first + j as f64 * line_h,
                    Anchor::End,
                ));
            }
            (bar_y, y + block + 8.0)
        } else {
            for (j, l) in lines.iter().enumerate() {
                texts.push(Label::new(
                    l.clone(),
                    "axis",
                    bar_x,
                    y + FONT + j as f64 * line_h,
                    Anchor::Start,
                ));
            }
            let bar_y = y + lines.len() as f64 * line_h + 4.0;
            (bar_y, bar_y + bar_h + 10.0)
        };
        let _ = write!(
            shapes,
            r#"<rect class="bar" x="{bar_x:.1}" y="{bar_y:.1}" width="{bw:.1}" height="{bar_h}"><title>{}: {}</title></rect>"#,
            esc(label),
            esc(&lang.pct(*v))
        );
        marks.push(Rect {
            x0: bar_x,
            y0: bar_y,
            x1: bar_x + bw,
            y1: bar_y + bar_h,
        });
        texts.push(Label::new(
            lang.pct(*v),
            "value",
            bar_x + bw + 6.0,
            bar_y + bar_h - 2.5,
            Anchor::Start,
        ));
        y = next;
    }
    Drawing {
        width,
        height: y,
        size,
        kind: "bars",
        title: title.to_string(),
        shapes,
        labels: texts,
        marks,
        dropped: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn years(from: i32, to: i32) -> Vec<String> {
        (from..=to).map(|y| y.to_string()).collect()
    }

    /// No two texts of a drawing overlap, none leaves the drawing, and no value covers a point
    /// or a bar.
    fn assert_readable(d: &Drawing) {
        let all = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: d.width,
            y1: d.height,
        };
        for (i, a) in d.labels.iter().enumerate() {
            assert!(
                a.rect.within(&all),
                "{} at {}: `{}` leaves the drawing: {:?}",
                d.kind,
                d.width,
                a.text,
                a.rect
            );
            for b in &d.labels[i + 1..] {
                assert!(
                    !a.rect.overlaps(&b.rect),
                    "{} at {}: `{}` and `{}` overlap",
                    d.kind,
                    d.width,
                    a.text,
                    b.text
                );
            }
            if a.class.starts_with("value") {
                assert!(
                    !d.marks.iter().any(|m| m.overlaps(&a.rect)),
                    "{} at {}: `{}` covers a mark",
                    d.kind,
                    d.width,
                    a.text
                );
            }
        }
    }

    fn values(d: &Drawing) -> Vec<&str> {
        d.labels
            .iter()
            .filter(|l| l.class.starts_with("value"))
            .map(|l| l.text.as_str())
            .collect()
    }

    fn three<'a>(a: Vec<f64>, b: Vec<f64>, c: Vec<f64>) -> Vec<Series<'a>> {
        vec![
            Series {
                name: "Hộ nghèo",
                class: "poor",
                values: a,
            },
            Series {
                name: "Hộ cận nghèo",
                class: "near-poor",
                values: b,
            },
            Series {
                name: "Hộ nghèo dân tộc thiểu số",
                class: "minority",
                values: c,
            },
        ]
    }

    #[test]
    fn a_line_chart_has_a_point_and_a_value_per_year_at_every_width() {
        let svg = lines(
            Lang::Vi,
            "Tỷ lệ <nghèo>",
            &years(2022, 2024),
            &[Series {
                name: "Hộ nghèo",
                class: "poor",
                values: vec![24.8, 21.3, 17.05],
            }],
        );
        assert_eq!(svg.matches("<svg").count(), WIDTHS.len());
        for (_, size) in WIDTHS {
            assert!(svg.contains(&format!("class=\"chart lines {size}\"")));
        }
        assert_eq!(svg.matches("<circle").count(), 3 * WIDTHS.len());
        assert_eq!(svg.matches(">24,80<").count(), WIDTHS.len());
        assert!(svg.contains(">17,05<"));
        assert!(svg.contains("Tỷ lệ &lt;nghèo&gt;"), "titles are escaped");
        assert!(svg.contains(">2023<"));
        assert!(svg.contains("Hộ nghèo, 2023: 21,30 %"), "a point's tooltip");
    }

    #[test]
    fn close_values_never_overlap_each_other_or_the_axes() {
        // the phone screenshot that showed "37,50" over "33,33"
        let cases = [
            three(
                vec![37.5, 33.33, 30.0, 25.0],
                vec![33.33, 37.5, 29.0, 25.5],
                vec![40.0, 35.0, 31.0, 26.0],
            ),
            // identical lines
            three(vec![20.0; 5], vec![20.0; 5], vec![20.0; 5]),
            // on the axis and at the top
            three(
                vec![0.0, 0.0, 0.5],
                vec![0.0, 100.0, 99.5],
                vec![100.0, 0.0, 1.0],
            ),
            // many years
            three(
                (0..12).map(|i| 30.0 - f64::from(i)).collect(),
                (0..12).map(|i| 29.0 - f64::from(i)).collect(),
                (0..12).map(|i| 31.0 - f64::from(i) * 0.9).collect(),
            ),
        ];
        for series in &cases {
            let n = series[0].values.len();
            for d in line_drawings(Lang::Vi, "t", &years(2020, 2019 + n as i32), series) {
                assert_readable(&d);
                assert_eq!(
                    values(&d).len() + d.dropped,
                    3 * n,
                    "each value written or counted as dropped"
                );
            }
        }
    }

    #[test]
    fn far_apart_values_are_all_written() {
        let series = three(
            vec![40.0, 35.0, 30.0],
            vec![20.0, 18.0, 15.0],
            vec![60.0, 55.0, 50.0],
        );
        for d in line_drawings(Lang::Vi, "t", &years(2022, 2024), &series) {
            assert_readable(&d);
            assert_eq!(d.dropped, 0, "at {}", d.width);
            assert_eq!(values(&d).len(), 9);
        }
    }

    #[test]
    fn years_that_do_not_fit_are_thinned_keeping_the_last() {
        let labels = years(2010, 2035);
        let series = three(vec![10.0; 26], vec![5.0; 26], vec![20.0; 26]);
        let narrow = &line_drawings(Lang::Vi, "t", &labels, &series)[0];
        assert_readable(narrow);
        let shown: Vec<&str> = narrow
            .labels
            .iter()
            .filter(|l| l.text.len() == 4 && l.text.starts_with("20"))
            .map(|l| l.text.as_str())
            .collect();
        assert!(shown.len() < labels.len() && shown.len() > 2, "{shown:?}");
        assert_eq!(shown.last(), Some(&"2035"));
    }

    #[test]
    fn a_long_legend_wraps_instead_of_running_off() {
        let series = three(vec![10.0, 9.0], vec![5.0, 4.0], vec![20.0, 18.0]);
        let narrow = &line_drawings(Lang::Vi, "t", &years(2024, 2025), &series)[0];
        assert_readable(narrow);
        let keys: Vec<&Label> = narrow
            .labels
            .iter()
            .filter(|l| l.text.starts_with("Hộ"))
            .collect();
        assert_eq!(keys.len(), 3);
        assert!(keys.iter().any(|k| k.y > keys[0].y), "a second row");
    }

    #[test]
    fn bars_scale_to_the_largest_and_keep_their_names_readable() {
        let rows: Vec<(String, f64)> = vec![
            ("Tiếp cận các dịch vụ chăm sóc sức khỏe".into(), 50.0),
            ("Nguồn nước sinh hoạt".into(), 25.0),
            ("Nhà tiêu hợp vệ sinh".into(), 100.0),
            ("Việc làm".into(), 0.0),
        ];
        let drawings = bar_drawings(Lang::En, "t", &rows);
        for d in &drawings {
            assert_readable(d);
            assert_eq!(values(d), ["50.00%", "25.00%", "100.00%", "0.00%"]);
        }
        let svg = html(&drawings);
        assert_eq!(svg.matches("class=\"bar\"").count(), 4 * WIDTHS.len());
        // on a phone the names stand above their bars, on a desktop beside them
        let name = |d: &Drawing| {
            d.labels
                .iter()
                .find(|l| l.text.starts_with("Nguồn"))
                .map(|l| l.anchor)
        };
        assert_eq!(name(&drawings[0]), Some(Anchor::Start));
        assert_eq!(name(&drawings[2]), Some(Anchor::End));
    }

    #[test]
    fn text_is_measured_generously() {
        // a sans-serif digit is about 0.57 em wide, a comma a quarter: the estimate is not below
        assert!(text_width("37,50", FONT) >= 4.0 * 0.57 * FONT + 0.25 * FONT);
        assert!(text_width("Hộ nghèo", FONT) > text_width("Hộ", FONT));
        let a = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        };
        let touching = Rect {
            x0: 10.0,
            y0: 0.0,
            x1: 20.0,
            y1: 10.0,
        };
        assert!(!a.overlaps(&touching));
        assert!(a.crossed_by((-5.0, 5.0), (15.0, 5.0)), "straight through");
        assert!(a.crossed_by((2.0, 2.0), (3.0, 3.0)), "inside");
        assert!(!a.crossed_by((-5.0, -1.0), (15.0, -1.0)), "above");
        assert!(!a.crossed_by((-5.0, 0.0), (0.0, -5.0)), "past the corner");
        assert!(
            a.crossed_by((-5.0, 10.0), (10.0, -5.0)),
            "across the corner"
        );
        assert!(a.overlaps(&Rect {
            x0: 9.0,
            ..touching
        }));
    }
}
