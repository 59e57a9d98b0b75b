//! Charts drawn on the server as SVG: small, sharp on any screen, nothing to run in the browser.

use crate::i18n::Lang;
use std::fmt::Write;

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

/// A series of a line chart: its name, CSS class and a value per x label.
pub struct Series<'a> {
    pub name: &'a str,
    pub class: &'a str,
    pub values: Vec<f64>,
}

/// A line chart of percentages by year, with the values written at the points.
pub fn lines(lang: Lang, title: &str, labels: &[String], series: &[Series]) -> String {
    let (w, h, left, right, top, bottom) = (640.0, 260.0, 44.0, 16.0, 30.0, 52.0);
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0f64, f64::max);
    // a round top: the next multiple of 5 points above the largest value
    let top_value = ((max / 5.0).floor() + 1.0) * 5.0;
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let x = |i: usize| {
        if labels.len() <= 1 {
            left + plot_w / 2.0
        } else {
            left + plot_w * i as f64 / (labels.len() - 1) as f64
        }
    };
    let y = |v: f64| top + plot_h * (1.0 - v / top_value);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>"#,
        t = esc(title)
    );
    for i in 0..=5 {
        let v = top_value * f64::from(i) / 5.0;
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{left}" x2="{x2}" y1="{yy:.1}" y2="{yy:.1}"/><text class="axis" x="{tx}" y="{ty:.1}" text-anchor="end">{label}</text>"#,
            x2 = w - right,
            yy = y(v),
            tx = left - 6.0,
            ty = y(v) + 4.0,
            label = esc(&lang.pct(v).replace(",00", "").replace(".00", ""))
        );
    }
    for (i, l) in labels.iter().enumerate() {
        let _ = write!(
            svg,
            r#"<text class="axis" x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
            x(i),
            h - bottom + 18.0,
            esc(l)
        );
    }
    for (k, s) in series.iter().enumerate() {
        // values of alternate series above and below their points, so that close lines stay
        // readable
        let dy = if k % 2 == 0 { -8.0 } else { 16.0 };
        let points: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        let _ = write!(
            svg,
            r#"<polyline class="line {}" fill="none" points="{}"/>"#,
            esc(s.class),
            points.join(" ")
        );
        for (i, v) in s.values.iter().enumerate() {
            let _ = write!(
                svg,
                r#"<circle class="dot {c}" cx="{:.1}" cy="{:.1}" r="3.5"/><text class="value {c}" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                x(i),
                y(*v),
                x(i),
                y(*v) + dy,
                esc(&lang.dec2(*v)),
                c = esc(s.class)
            );
        }
    }
    // legend
    let mut lx = left;
    for s in series {
        let _ = write!(
            svg,
            r#"<rect class="key {}" x="{lx:.1}" y="{ly}" width="12" height="12"/><text class="axis" x="{:.1}" y="{}">{}</text>"#,
            esc(s.class),
            lx + 16.0,
            h - 12.0 + 2.0,
            esc(s.name),
            ly = h - 22.0,
        );
        lx += 24.0 + 7.0 * s.name.chars().count() as f64;
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars of percentages, one per label, longest first as given.
pub fn bars(lang: Lang, title: &str, rows: &[(String, f64)]) -> String {
    let (w, label_w, bar_h, gap) = (640.0, 250.0, 18.0, 8.0);
    let h = 10.0 + rows.len() as f64 * (bar_h + gap);
    let max = rows.iter().map(|r| r.1).fold(0.0f64, f64::max).max(1.0);
    let plot_w = w - label_w - 70.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart bars" viewBox="0 0 {w} {h}" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>"#,
        t = esc(title)
    );
    for (i, (label, v)) in rows.iter().enumerate() {
        let yy = 5.0 + i as f64 * (bar_h + gap);
        let bw = plot_w * v / max;
        let _ = write!(
            svg,
            r#"<text class="axis" x="{lx}" y="{ty:.1}" text-anchor="end">{label}</text><rect class="bar" x="{label_w}" y="{yy:.1}" width="{bw:.1}" height="{bar_h}"/><text class="value" x="{vx:.1}" y="{ty:.1}">{value}</text>"#,
            lx = label_w - 8.0,
            ty = yy + bar_h - 4.0,
            label = esc(label),
            vx = label_w + bw + 6.0,
            value = esc(&lang.pct(*v)),
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_chart_has_a_point_and_a_value_per_year() {
        let labels: Vec<String> = ["2022", "2023", "2024"].map(String::from).to_vec();
        let svg = lines(
            Lang::Vi,
            "Tỷ lệ <nghèo>",
            &labels,
            &[Series {
                name: "Hộ nghèo",
                class: "poor",
                values: vec![24.8, 21.3, 17.05],
            }],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains(">24,80<") && svg.contains(">17,05<"));
        assert!(svg.contains("Tỷ lệ &lt;nghèo&gt;"), "titles are escaped");
        assert!(svg.contains(">2023<"));
    }

    #[test]
    fn bars_scale_to_the_largest() {
        let svg = bars(
            Lang::En,
            "t",
            &[("Water".into(), 50.0), ("Housing".into(), 25.0)],
        );
        assert!(svg.contains(">50.00%<") && svg.contains(">25.00%<"));
        assert_eq!(svg.matches("class=\"bar\"").count(), 2);
    }
}
