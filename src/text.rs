//! Character classes used across the tool: Han, full-width punctuation, and
//! the clreq line-breaking classes.

/// A Han ideograph (CJK Unified Ideographs and their extensions).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF | 0x30000..=0x323AF | 0x3007)
}

/// Characters set on a full-width (one em) cell: Han, kana, full-width
/// punctuation and forms.
pub fn is_wide(c: char) -> bool {
    is_han(c)
        || matches!(c as u32,
            0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF
            | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6
            | 0x2014 | 0x2026 | 0x201C | 0x201D | 0x2018 | 0x2019 | 0x00B7 | 0x2015)
}

/// Classes of a punctuation mark in [`PUNCT`] (a bit set).
mod class {
    /// Full-width (Chinese) punctuation as the checks count it.
    pub const FULL_WIDTH: u8 = 1 << 0;
    /// Must never begin a line (clreq basic level, GB/T 15834).
    pub const NO_START: u8 = 1 << 1;
    /// Must never end a line.
    pub const NO_END: u8 = 1 << 2;
    /// Glyph on half its em box: may be squeezed to ½ em at a line end or
    /// next to another such mark.
    pub const SQUEEZE: u8 = 1 << 3;
}

use class::{FULL_WIDTH as FW, NO_END, NO_START, SQUEEZE as SQ};

/// One punctuation mark: its classes and, for an opening mark the checks
/// balance, its closing partner.
struct Mark {
    ch: char,
    class: u8,
    closer: Option<char>,
}

const fn mark(ch: char, class: u8) -> Mark {
    Mark {
        ch,
        class,
        closer: None,
    }
}

const fn pair(ch: char, class: u8, closer: char) -> Mark {
    Mark {
        ch,
        class,
        closer: Some(closer),
    }
}

/// The one table of punctuation classes, for the typesetter (line breaking,
/// squeezing) and the checks (Chinese context, paired marks).
const PUNCT: &[Mark] = &[
    // Pauses and stops.
    mark('，', FW | NO_START | SQ),
    mark('。', FW | NO_START | SQ),
    mark('、', FW | NO_START | SQ),
    mark('；', FW | NO_START | SQ),
    mark('：', FW | NO_START | SQ),
    mark('？', FW | NO_START),
    mark('！', FW | NO_START),
    // Quotes and brackets, each opener with its closer.
    pair('“', FW | NO_END | SQ, '”'),
    mark('”', FW | NO_START | SQ),
    pair('‘', FW | NO_END | SQ, '’'),
    mark('’', FW | NO_START | SQ),
    pair('（', FW | NO_END | SQ, '）'),
    mark('）', FW | NO_START | SQ),
    pair('《', FW | NO_END | SQ, '》'),
    mark('》', FW | NO_START | SQ),
    pair('〈', FW | NO_END | SQ, '〉'),
    mark('〉', FW | NO_START | SQ),
    pair('【', FW | NO_END | SQ, '】'),
    mark('】', FW | NO_START | SQ),
    pair('〔', FW | NO_END | SQ, '〕'),
    mark('〕', FW | NO_START | SQ),
    pair('「', FW | NO_END | SQ, '」'),
    mark('」', FW | NO_START | SQ),
    pair('『', FW | NO_END | SQ, '』'),
    mark('』', FW | NO_START | SQ),
    // Full-width square and curly brackets: line-breaking classes only.
    mark('［', NO_END),
    mark('］', NO_START),
    mark('｛', NO_END),
    mark('｝', NO_START),
    // Ellipsis, dash (kept whole by the line breaker), tilde and others.
    mark('…', FW),
    mark('—', FW),
    mark('～', FW | NO_START),
    mark('·', NO_START),
    mark('／', NO_START),
    mark('%', NO_START),
    mark('‰', NO_START),
    // ASCII.
    mark(',', NO_START),
    mark('.', NO_START),
    mark(';', NO_START),
    mark(':', NO_START),
    mark('?', NO_START),
    mark('!', NO_START),
    mark(')', NO_START),
    mark(']', NO_START),
    mark('}', NO_START),
    mark('(', NO_END),
    mark('[', NO_END),
    mark('{', NO_END),
];

/// The entry of `c` in [`PUNCT`].
fn punct(c: char) -> Option<&'static Mark> {
    // Most text is Han or Latin: no need to look.
    if c.is_ascii_alphanumeric() || is_han(c) {
        return None;
    }
    PUNCT.iter().find(|m| m.ch == c)
}

fn has_class(c: char, class: u8) -> bool {
    punct(c).is_some_and(|m| m.class & class != 0)
}

/// Marks that must never begin a line (clreq basic level, GB/T 15834).
pub fn no_line_start(c: char) -> bool {
    has_class(c, NO_START)
}

/// Marks that must never end a line.
pub fn no_line_end(c: char) -> bool {
    has_class(c, NO_END)
}

/// Full-width punctuation whose glyph occupies half its em box and may be
/// squeezed to ½ em at a line end or next to another such mark.
pub fn is_squeezable_punct(c: char) -> bool {
    has_class(c, SQ)
}

/// Full-width punctuation marks (what the checks take for Chinese
/// context).
pub fn is_fw_punct(c: char) -> bool {
    has_class(c, FW)
}

/// The closing mark of a paired opening mark (“ → ”, 《 → 》 …).
pub fn closer_of(open: char) -> Option<char> {
    punct(open).and_then(|m| m.closer)
}

/// The opening mark of a paired closing mark (” → “, 》 → 《 …).
pub fn opener_of(close: char) -> Option<char> {
    PUNCT.iter().find(|m| m.closer == Some(close)).map(|m| m.ch)
}

/// True for text that is Chinese enough for Chinese rules (any Han).
pub fn has_han(s: &str) -> bool {
    s.chars().any(is_han)
}

/// A person's name as compared: spaces of any width and invisible
/// characters removed, letters in lower case. “张 雪”, “张　雪” and “张雪”
/// are one person.
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}')
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_han('民'));
        assert!(!is_han('，'));
        assert!(is_wide('，'));
        assert!(!is_wide('a'));
        assert!(no_line_start('。') && no_line_start('”'));
        assert!(no_line_end('“') && !no_line_end('”'));
        assert!(is_fw_punct('…') && !is_fw_punct('［') && !is_fw_punct('.'));
        assert!(is_squeezable_punct('《') && !is_squeezable_punct('？'));
    }

    #[test]
    fn pairs() {
        assert_eq!(closer_of('《'), Some('》'));
        assert_eq!(opener_of('”'), Some('“'));
        assert_eq!(closer_of('［'), None);
        for m in PUNCT {
            assert!(!m.ch.is_ascii_alphanumeric() && !is_han(m.ch), "{}", m.ch);
            assert_eq!(PUNCT.iter().filter(|o| o.ch == m.ch).count(), 1, "{}", m.ch);
            if let Some(close) = m.closer {
                // An opener never ends a line, its closer never starts one.
                assert!(no_line_end(m.ch) && is_fw_punct(m.ch), "{}", m.ch);
                assert!(no_line_start(close) && is_fw_punct(close), "{close}");
            }
        }
    }
}
