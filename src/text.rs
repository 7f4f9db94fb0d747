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

/// Marks that must never begin a line (clreq basic level, GB/T 15834).
pub fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '》'
            | '」'
            | '』'
            | '”'
            | '’'
            | '】'
            | '〕'
            | '〉'
            | '］'
            | '｝'
            | '～'
            | '·'
            | '／'
            | '%'
            | '‰'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '}'
    )
}

/// Marks that must never end a line.
pub fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '（' | '《'
            | '「'
            | '『'
            | '“'
            | '‘'
            | '【'
            | '〔'
            | '〈'
            | '［'
            | '｛'
            | '('
            | '['
            | '{'
    )
}

/// Full-width punctuation whose glyph occupies half its em box and may be
/// squeezed to ½ em at a line end or next to another such mark.
pub fn is_squeezable_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '）'
            | '》'
            | '」'
            | '』'
            | '”'
            | '’'
            | '】'
            | '〕'
            | '〉'
            | '（'
            | '《'
            | '「'
            | '『'
            | '“'
            | '‘'
            | '【'
            | '〔'
            | '〈'
    )
}

/// True for text that is Chinese enough for Chinese rules (any Han).
pub fn has_han(s: &str) -> bool {
    s.chars().any(is_han)
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
    }
}
