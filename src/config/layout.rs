//! `[layout]` of bulletin.toml: page geometry and type sizes. Lengths in
//! millimetres, type sizes in points; defaults follow GB/T 9704 (公文).

use serde::Deserialize;

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PageNumbers {
    /// Odd pages right, even pages left, one character in.
    #[default]
    Alternate,
    /// Centred on every page.
    Center,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LayoutConfig {
    /// Page size (mm).
    pub page_width: f32,
    pub page_height: f32,
    /// Margins (mm): the text block is what is left.
    pub margin_top: f32,
    pub margin_bottom: f32,
    pub margin_left: f32,
    pub margin_right: f32,
    /// Body grid: lines per page and characters per line; the line and
    /// character pitch are the text block divided by these.
    pub lines_per_page: u32,
    pub chars_per_line: u32,
    /// Body type size (pt).
    pub body_size: f32,
    /// Characters of indent at the start of every paragraph.
    pub paragraph_indent: f32,
    /// Masthead: publication name size (pt), colour, 第N期 and
    /// publisher/date size (pt), red rule thickness (mm), space after the
    /// rule (body lines).
    pub masthead_size: f32,
    pub masthead_color: [u8; 3],
    pub masthead_info_size: f32,
    pub masthead_rule: f32,
    pub masthead_space_after: f32,
    /// Item titles: size (pt), line height (× size), space before (body
    /// lines; dropped at a page top) and after (body lines).
    pub title_size: f32,
    pub title_leading: f32,
    pub title_space_before: f32,
    pub title_space_after: f32,
    /// Section headings (pt).
    pub section_heading_size: f32,
    /// Image captions (pt).
    pub caption_size: f32,
    /// Gap between Han and Latin text (em); 0 as in most 公文.
    pub latin_gap: f32,
    /// End block: type size (pt), line height (mm), outer and inner rules
    /// (mm), indent (characters).
    pub footer_size: f32,
    pub footer_line_height: f32,
    pub footer_rule_thick: f32,
    pub footer_rule_thin: f32,
    pub footer_indent: f32,
    /// Page numbers: size (pt), distance below the text block (mm),
    /// placement.
    pub page_number_size: f32,
    pub page_number_offset: f32,
    pub page_numbers: PageNumbers,
    /// Draft mark (送审稿) size (pt).
    pub draft_size: f32,
}

impl Default for LayoutConfig {
    fn default() -> Self {
        LayoutConfig {
            page_width: 210.0,
            page_height: 297.0,
            margin_top: 37.0,
            margin_bottom: 35.0,
            margin_left: 28.0,
            margin_right: 26.0,
            lines_per_page: 22,
            chars_per_line: 28,
            body_size: 16.0,
            paragraph_indent: 2.0,
            masthead_size: 36.0,
            masthead_color: [230, 0, 0],
            masthead_info_size: 16.0,
            masthead_rule: 0.5,
            masthead_space_after: 1.0,
            title_size: 22.0,
            title_leading: 1.35,
            title_space_before: 1.0,
            title_space_after: 0.5,
            section_heading_size: 16.0,
            caption_size: 14.0,
            latin_gap: 0.0,
            footer_size: 14.0,
            footer_line_height: 9.0,
            footer_rule_thick: 0.35,
            footer_rule_thin: 0.25,
            footer_indent: 1.0,
            page_number_size: 14.0,
            page_number_offset: 7.0,
            page_numbers: PageNumbers::Alternate,
            draft_size: 16.0,
        }
    }
}

impl LayoutConfig {
    /// Problems with the numbers, as (key, message) pairs in Chinese.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let positive: [(&'static str, f32); 20] = [
            ("page_width", self.page_width),
            ("page_height", self.page_height),
            ("body_size", self.body_size),
            ("masthead_size", self.masthead_size),
            ("masthead_info_size", self.masthead_info_size),
            ("title_size", self.title_size),
            ("title_leading", self.title_leading),
            ("section_heading_size", self.section_heading_size),
            ("caption_size", self.caption_size),
            ("footer_size", self.footer_size),
            ("footer_line_height", self.footer_line_height),
            ("page_number_size", self.page_number_size),
            ("draft_size", self.draft_size),
            ("masthead_rule", self.masthead_rule),
            ("footer_rule_thick", self.footer_rule_thick),
            ("footer_rule_thin", self.footer_rule_thin),
            ("lines_per_page", self.lines_per_page as f32),
            ("chars_per_line", self.chars_per_line as f32),
            ("text_width", self.text_width_mm()),
            ("text_height", self.text_height_mm()),
        ];
        for (k, v) in positive {
            if !(v.is_finite() && v > 0.0) {
                let msg = match k {
                    "text_width" => "左右边距之和必须小于页宽".to_string(),
                    "text_height" => "上下边距之和必须小于页高".to_string(),
                    _ => format!("[layout] 的 {k} 必须是大于 0 的数（现在是 {v}）"),
                };
                out.push((k, msg));
            }
        }
        let non_negative: [(&'static str, f32); 11] = [
            ("margin_top", self.margin_top),
            ("margin_bottom", self.margin_bottom),
            ("margin_left", self.margin_left),
            ("margin_right", self.margin_right),
            ("paragraph_indent", self.paragraph_indent),
            ("masthead_space_after", self.masthead_space_after),
            ("title_space_before", self.title_space_before),
            ("title_space_after", self.title_space_after),
            ("latin_gap", self.latin_gap),
            ("footer_indent", self.footer_indent),
            ("page_number_offset", self.page_number_offset),
        ];
        for (k, v) in non_negative {
            if !(v.is_finite() && v >= 0.0) {
                out.push((k, format!("[layout] 的 {k} 不能是负数（现在是 {v}）")));
            }
        }
        // Upper bounds: far beyond any real page, but small enough that
        // every position stays a sensible PDF number.
        for (k, v) in positive.iter().chain(non_negative.iter()) {
            let max = Self::max_of(k);
            if v.is_finite() && *v > max {
                out.push((k, format!("[layout] 的 {k} 太大（现在是 {v}，最大 {max}）")));
            }
        }
        if self.paragraph_indent >= self.chars_per_line as f32 {
            out.push(("paragraph_indent", "段首缩进必须少于每行字数".to_string()));
        }
        out.dedup();
        out
    }

    /// The largest sensible value of a `[layout]` key.
    fn max_of(key: &str) -> f32 {
        match key {
            // Millimetres of paper.
            "page_width" | "page_height" | "text_width" | "text_height" => 2000.0,
            "margin_top" | "margin_bottom" | "margin_left" | "margin_right" => 1000.0,
            "footer_line_height" | "page_number_offset" => 200.0,
            "masthead_rule" | "footer_rule_thick" | "footer_rule_thin" => 20.0,
            // Grid cells, characters, lines and em.
            "lines_per_page" | "chars_per_line" => 500.0,
            "paragraph_indent" | "footer_indent" => 50.0,
            "masthead_space_after" | "title_space_before" | "title_space_after" => 50.0,
            "title_leading" | "latin_gap" => 5.0,
            // Type sizes in points (初号 is 42).
            _ => 500.0,
        }
    }

    pub fn text_width_mm(&self) -> f32 {
        self.page_width - self.margin_left - self.margin_right
    }

    pub fn text_height_mm(&self) -> f32 {
        self.page_height - self.margin_top - self.margin_bottom
    }

    /// Character pitch of the body grid (pt).
    pub fn char_pitch(&self) -> f32 {
        self.text_width_mm() * PT_PER_MM / self.chars_per_line.max(1) as f32
    }

    /// Line pitch of the body grid (pt).
    pub fn line_pitch(&self) -> f32 {
        self.text_height_mm() * PT_PER_MM / self.lines_per_page.max(1) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_grid_is_28_by_22_in_156_by_225() {
        let l = LayoutConfig::default();
        assert!((l.text_width_mm() - 156.0).abs() < 1e-4);
        assert!((l.text_height_mm() - 225.0).abs() < 1e-4);
        assert!((l.char_pitch() - 15.79).abs() < 0.01, "{}", l.char_pitch());
        assert!((l.line_pitch() - 28.99).abs() < 0.01, "{}", l.line_pitch());
        assert!(l.problems().is_empty());
    }

    #[test]
    fn bad_numbers_are_named() {
        let l = LayoutConfig {
            body_size: 0.0,
            margin_left: 120.0,
            margin_right: 100.0,
            ..LayoutConfig::default()
        };
        let keys: Vec<_> = l.problems().into_iter().map(|(k, _)| k).collect();
        assert!(
            keys.contains(&"body_size") && keys.contains(&"text_width"),
            "{keys:?}"
        );
        let huge = LayoutConfig {
            title_size: 1e30,
            chars_per_line: 100_000,
            ..LayoutConfig::default()
        };
        let keys: Vec<_> = huge.problems().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["title_size", "chars_per_line"]);
    }

    #[test]
    fn parses_with_defaults_and_rejects_unknown_keys() {
        let l: LayoutConfig =
            toml::from_str("body_size = 15.75\npage_numbers = \"center\"").unwrap();
        assert_eq!(l.body_size, 15.75);
        assert_eq!(l.page_numbers, PageNumbers::Center);
        assert_eq!(l.margin_top, 37.0);
        assert!(toml::from_str::<LayoutConfig>("bodysize = 1").is_err());
    }
}
