//! `word/numbering.xml`: the labels Word generates for numbered
//! paragraphs (`w:numPr`), which are not in the text. Counted per list
//! and level, formatted per `w:numFmt` and `w:lvlText` (`%1、`,
//! `（%1）`, `%1.`).

use std::collections::HashMap;

use roxmltree::Document;

use super::xml::{child, child_val, is_w, wattr};

#[derive(Debug, Clone, Default)]
struct Level {
    start: i64,
    fmt: String,
    text: String,
}

#[derive(Debug, Default)]
pub struct Numbering {
    /// abstractNumId → levels 0..9.
    abstracts: HashMap<u32, Vec<Level>>,
    /// numId → (abstractNumId, start overrides per level).
    nums: HashMap<u32, (u32, HashMap<u8, i64>)>,
    /// numId → current value per level (`None`: not started).
    counters: HashMap<u32, [Option<i64>; 9]>,
}

/// A generated label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// `一、`, `（二）`, `3.`; empty for `none`.
    pub text: String,
    pub bullet: bool,
    /// The counter of the paragraph's own level (for list items).
    pub value: i64,
    pub level: u8,
}

/// Counter values beyond this are shown as decimals.
const MAX_VALUE: i64 = 1_000_000;

fn int(v: Option<&str>) -> Option<i64> {
    v?.trim().parse().ok()
}

impl Numbering {
    pub fn parse(doc: &Document) -> Numbering {
        let mut n = Numbering::default();
        let root = doc.root_element();
        for a in root.children().filter(|c| is_w(*c, "abstractNum")) {
            let Some(id) = int(wattr(a, "abstractNumId")) else {
                continue;
            };
            let mut levels = vec![Level::default(); 9];
            for l in a.children().filter(|c| is_w(*c, "lvl")) {
                let Some(i) = int(wattr(l, "ilvl")).filter(|i| (0..9).contains(i)) else {
                    continue;
                };
                levels[i as usize] = Level {
                    start: int(child_val(l, "start")).unwrap_or(1).clamp(0, MAX_VALUE),
                    fmt: child_val(l, "numFmt").unwrap_or("decimal").to_string(),
                    text: child_val(l, "lvlText").unwrap_or("").to_string(),
                };
            }
            n.abstracts.insert(id as u32, levels);
        }
        for num in root.children().filter(|c| is_w(*c, "num")) {
            let (Some(id), Some(abs)) = (
                int(wattr(num, "numId")),
                int(child_val(num, "abstractNumId")),
            ) else {
                continue;
            };
            let mut overrides = HashMap::new();
            for o in num.children().filter(|c| is_w(*c, "lvlOverride")) {
                if let (Some(l), Some(s)) = (
                    int(wattr(o, "ilvl")),
                    child(o, "startOverride").and_then(|s| int(wattr(s, "val"))),
                ) && (0..9).contains(&l)
                {
                    overrides.insert(l as u8, s.clamp(0, MAX_VALUE));
                }
            }
            n.nums.insert(id as u32, (abs as u32, overrides));
        }
        n
    }

    /// The label of the next paragraph numbered `num_id` at level `ilvl`;
    /// `None` for `numId 0` (numbering removed) or an unknown list.
    pub fn next(&mut self, num_id: u32, ilvl: u8) -> Option<Label> {
        let (abs, overrides) = self.nums.get(&num_id)?;
        let levels = self.abstracts.get(abs)?;
        let ilvl = ilvl.min(8) as usize;
        let start = |l: usize| {
            overrides
                .get(&(l as u8))
                .copied()
                .unwrap_or(levels[l].start)
        };
        let counters = self.counters.entry(num_id).or_insert([None; 9]);
        let value = match counters[ilvl] {
            Some(v) => (v + 1).min(MAX_VALUE),
            None => start(ilvl),
        };
        counters[ilvl] = Some(value);
        for c in counters.iter_mut().skip(ilvl + 1) {
            *c = None;
        }
        let lvl = &levels[ilvl];
        let bullet = lvl.fmt == "bullet";
        let text = if bullet {
            lvl.text.clone()
        } else {
            let mut out = String::new();
            let mut chars = lvl.text.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '%'
                    && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
                    && (1..=9).contains(&d)
                {
                    chars.next();
                    let l = d as usize - 1;
                    let v = counters[l].unwrap_or_else(|| start(l));
                    out.push_str(&format_value(v, &levels[l].fmt));
                } else {
                    out.push(c);
                }
            }
            out
        };
        Some(Label {
            text,
            bullet,
            value,
            level: ilvl as u8,
        })
    }
}

const CN_DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 101 → 一百零一, as Word counts.
pub fn chinese_counting(n: i64) -> String {
    if !(0..10_000).contains(&n) {
        return n.to_string();
    }
    let n = n as usize;
    if n == 0 {
        return "〇".to_string();
    }
    if (10..20).contains(&n) {
        let mut s = "十".to_string();
        if !n.is_multiple_of(10) {
            s.push(CN_DIGITS[n % 10]);
        }
        return s;
    }
    let units = [(1000, '千'), (100, '百'), (10, '十'), (1, ' ')];
    let mut s = String::new();
    let mut zero = false;
    let mut rest = n;
    for (u, name) in units {
        let d = rest / u;
        rest %= u;
        if d == 0 {
            zero = !s.is_empty();
            continue;
        }
        if zero {
            s.push('零');
            zero = false;
        }
        s.push(CN_DIGITS[d]);
        if name != ' ' {
            s.push(name);
        }
    }
    s
}

fn letters(n: i64, upper: bool) -> String {
    if n < 1 {
        return n.to_string();
    }
    // Word repeats the letter: 27 → AA, 28 → BB.
    let base = if upper { b'A' } else { b'a' };
    let c = (base + ((n - 1) % 26) as u8) as char;
    c.to_string().repeat(((n - 1) / 26 + 1).min(20) as usize)
}

fn roman(n: i64, upper: bool) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    let table = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut s = String::new();
    let mut n = n;
    for (v, r) in table {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    if upper { s.to_uppercase() } else { s }
}

fn enclosed(n: i64, first: u32, count: i64) -> String {
    if (1..=count).contains(&n) {
        char::from_u32(first + n as u32 - 1).map_or_else(|| n.to_string(), String::from)
    } else {
        n.to_string()
    }
}

/// One counter value in a `w:numFmt`.
pub fn format_value(n: i64, fmt: &str) -> String {
    match fmt {
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand" => chinese_counting(n),
        "chineseLegalSimplified" => chinese_counting(n)
            .chars()
            .map(|c| match c {
                '一' => '壹',
                '二' => '贰',
                '三' => '叁',
                '四' => '肆',
                '五' => '伍',
                '六' => '陆',
                '七' => '柒',
                '八' => '捌',
                '九' => '玖',
                '十' => '拾',
                '百' => '佰',
                '千' => '仟',
                c => c,
            })
            .collect(),
        "ideographTraditional" => {
            const GAN: [&str; 10] = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"];
            if (1..=10).contains(&n) {
                GAN[n as usize - 1].to_string()
            } else {
                n.to_string()
            }
        }
        "ideographZodiac" => {
            const ZHI: [&str; 12] = [
                "子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉", "戌", "亥",
            ];
            if (1..=12).contains(&n) {
                ZHI[n as usize - 1].to_string()
            } else {
                n.to_string()
            }
        }
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => n
            .to_string()
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(0) => '〇',
                Some(d) => CN_DIGITS[d as usize],
                None => c,
            })
            .collect(),
        "decimalZero" => format!("{n:02}"),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => enclosed(n, 0x2460, 20),
        "decimalEnclosedParen" => enclosed(n, 0x2474, 20),
        "decimalEnclosedFullstop" => enclosed(n, 0x2488, 20),
        "upperLetter" => letters(n, true),
        "lowerLetter" => letters(n, false),
        "upperRoman" => roman(n, true),
        "lowerRoman" => roman(n, false),
        "none" => String::new(),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        let got: Vec<String> = [1, 9, 10, 11, 19, 20, 21, 99, 100, 101, 110, 1001, 1010]
            .iter()
            .map(|n| chinese_counting(*n))
            .collect();
        assert_eq!(
            got,
            [
                "一",
                "九",
                "十",
                "十一",
                "十九",
                "二十",
                "二十一",
                "九十九",
                "一百",
                "一百零一",
                "一百一十",
                "一千零一",
                "一千零一十"
            ]
        );
        assert_eq!(format_value(3, "ideographTraditional"), "丙");
        assert_eq!(format_value(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_value(28, "upperLetter"), "BB");
        assert_eq!(format_value(14, "lowerRoman"), "xiv");
        assert_eq!(format_value(12, "decimalFullWidth"), "１２");
    }
}
