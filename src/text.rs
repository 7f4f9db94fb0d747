//! Character classes used across the tool: Han, full-width punctuation, and
//! the clreq line-breaking classes; the characters that must never reach
//! print or a terminal (bidi controls, zero-width characters, control
//! characters), and the key under which names are compared.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

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

/// A character that must not stand in printed text: invisible, or able to
/// make two renderings of one text differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hostile {
    /// Bidirectional formatting: embeddings, overrides, isolates, marks.
    Bidi,
    /// Zero-width and other invisible characters.
    ZeroWidth,
    /// C0 and C1 control characters (tab and newline excepted).
    Control,
}

/// The Chinese name of a bidi control or zero-width character.
fn invisible_name(c: char) -> Option<(Hostile, &'static str)> {
    use Hostile::{Bidi, ZeroWidth};
    Some(match c {
        '\u{202A}' => (Bidi, "从左到右嵌入符"),
        '\u{202B}' => (Bidi, "从右到左嵌入符"),
        '\u{202C}' => (Bidi, "方向格式结束符"),
        '\u{202D}' => (Bidi, "从左到右强制符"),
        '\u{202E}' => (Bidi, "从右到左强制符"),
        '\u{2066}' => (Bidi, "从左到右隔离符"),
        '\u{2067}' => (Bidi, "从右到左隔离符"),
        '\u{2068}' => (Bidi, "首强字符隔离符"),
        '\u{2069}' => (Bidi, "方向隔离结束符"),
        '\u{200E}' => (Bidi, "从左到右标记"),
        '\u{200F}' => (Bidi, "从右到左标记"),
        '\u{061C}' => (Bidi, "阿拉伯字母标记"),
        '\u{200B}' => (ZeroWidth, "零宽空格"),
        '\u{200C}' => (ZeroWidth, "零宽不连字"),
        '\u{200D}' => (ZeroWidth, "零宽连字"),
        '\u{2060}' => (ZeroWidth, "零宽词连接符"),
        '\u{2061}'..='\u{2064}' => (ZeroWidth, "不可见数学运算符"),
        '\u{FEFF}' => (ZeroWidth, "零宽不换行空格（字节顺序标记）"),
        '\u{00AD}' => (ZeroWidth, "软连字符"),
        '\u{034F}' => (ZeroWidth, "组合字形连接符"),
        '\u{180E}' => (ZeroWidth, "蒙古文元音分隔符"),
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' => (ZeroWidth, "韩文填充符"),
        _ => return None,
    })
}

/// The Chinese name of a control character.
fn control_name(c: char) -> &'static str {
    match c {
        '\0' => "空字符 NUL",
        '\u{7}' => "响铃符 BEL",
        '\u{8}' => "退格符 BS",
        '\u{b}' => "垂直制表符 VT",
        '\u{c}' => "换页符 FF",
        '\r' => "回车符 CR",
        '\u{1b}' => "转义符 ESC",
        '\u{7f}' => "删除符 DEL",
        '\u{85}' => "下一行符 NEL",
        '\u{9b}' => "控制序列引导符 CSI",
        c if (c as u32) < 0x20 => "C0 控制字符",
        _ => "C1 控制字符",
    }
}

/// The class of `c` when it may never be printed, whatever surrounds it.
/// ZWJ and ZWNJ are classed here too; [`hostile_at`] lets them stand
/// between two letters of scripts that use them.
pub fn hostile(c: char) -> Option<Hostile> {
    if c.is_control() {
        return (!matches!(c, '\t' | '\n')).then_some(Hostile::Control);
    }
    invisible_name(c).map(|(h, _)| h)
}

/// A letter of a script in which ZWJ/ZWNJ may change the rendering
/// (Arabic, Persian, Indic, Latin ligatures …): any letter but Han.
fn joins(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphabetic() && !is_han(c))
}

/// [`hostile`] for the character `c` between `prev` and `next`.
pub fn hostile_at(prev: Option<char>, c: char, next: Option<char>) -> Option<Hostile> {
    if matches!(c, '\u{200C}' | '\u{200D}') && joins(prev) && joins(next) {
        return None;
    }
    hostile(c)
}

/// Every hostile character of `s`: byte offset, character, class.
pub fn find_hostile(s: &str) -> Vec<(usize, char, Hostile)> {
    let mut out = Vec::new();
    let mut prev = None;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let next = it.peek().map(|&(_, n)| n);
        if let Some(h) = hostile_at(prev, c, next) {
            out.push((i, c, h));
        }
        prev = Some(c);
    }
    out
}

/// `U+202E（从右到左强制符）`: a character named for a message.
pub fn describe_char(c: char) -> String {
    let name = match invisible_name(c) {
        Some((_, n)) => n,
        None if c.is_control() => control_name(c),
        None => return format!("U+{:04X}", c as u32),
    };
    format!("U+{:04X}（{name}）", c as u32)
}

/// Printed text: every hostile character removed (bidi controls,
/// zero-width characters, control characters but tab and newline), so
/// that the PDF and the HTML show the same characters in the same logical
/// order. The model applies it once to everything it holds.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| hostile(c).is_some()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut prev = None;
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if hostile_at(prev, c, it.peek().copied()).is_none() {
            out.push(c);
        }
        prev = Some(c);
    }
    Cow::Owned(out)
}

/// Unicode default-ignorable code points: rendered as nothing.
fn is_default_ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5
        | 0x180B..=0x180F | 0x200B..=0x200F | 0x202A..=0x202E
        | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0
        | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// The key under which two names are the same name: NFKC (full-width
/// letters and digits, compatibility ideographs), then without spaces of
/// any width, invisible characters or control characters. `张 雪`,
/// `张　雪`, `张\u{200B}雪` and `张雪` have one key.
pub fn name_key(s: &str) -> String {
    s.nfkc()
        .filter(|&c| !c.is_whitespace() && !c.is_control() && !is_default_ignorable(c))
        .collect()
}

/// Whether a terminal must be shown `c` escaped (see [`terminal_safe`]).
fn needs_escape(c: char) -> bool {
    c != '\t'
        && (c.is_control()
            || is_default_ignorable(c)
            || invisible_name(c).is_some()
            || matches!(c, '\u{2028}' | '\u{2029}'))
}

/// Cells `c` takes on a terminal as [`terminal_safe`] shows it: its
/// escape's length, 2 for wide (CJK) characters, else 1.
pub fn terminal_width(c: char) -> usize {
    if needs_escape(c) {
        if (c as u32) < 0x100 {
            4
        } else {
            4 + format!("{:x}", c as u32).len()
        }
    } else if is_wide(c) {
        2
    } else {
        1
    }
}

/// Text for a terminal: control characters, bidi controls and zero-width
/// characters shown visibly as `\x1b`, `\u{202e}` … so that nothing from a
/// file name or a line can move the cursor, recolour the screen or reorder
/// what is shown. Tabs stay.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    let bad = needs_escape;
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !bad(c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:04x}}}", c as u32));
        }
    }
    Cow::Owned(out)
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

    #[test]
    fn hostile_classes() {
        assert_eq!(hostile('\u{202E}'), Some(Hostile::Bidi));
        assert_eq!(hostile('\u{2067}'), Some(Hostile::Bidi));
        assert_eq!(hostile('\u{200F}'), Some(Hostile::Bidi));
        assert_eq!(hostile('\u{200B}'), Some(Hostile::ZeroWidth));
        assert_eq!(hostile('\u{FEFF}'), Some(Hostile::ZeroWidth));
        assert_eq!(hostile('\u{1b}'), Some(Hostile::Control));
        assert_eq!(hostile('\0'), Some(Hostile::Control));
        assert_eq!(hostile('\u{9b}'), Some(Hostile::Control));
        assert_eq!(hostile('\t'), None);
        assert_eq!(hostile('\n'), None);
        assert_eq!(hostile('民'), None);
        assert_eq!(hostile('\u{3000}'), None);
        assert_eq!(describe_char('\u{202E}'), "U+202E（从右到左强制符）");
        assert_eq!(describe_char('\u{1b}'), "U+001B（转义符 ESC）");
    }

    #[test]
    fn joiners_only_between_letters_that_use_them() {
        // Persian: ZWNJ between two Arabic-script letters is spelling.
        let fa = "می\u{200C}خواهم";
        assert!(find_hostile(fa).is_empty());
        assert_eq!(printable(fa), fa);
        // Between Han, or at an edge, it is an invisible character.
        let zh = "张\u{200D}雪";
        assert_eq!(find_hostile(zh), vec![(3, '\u{200D}', Hostile::ZeroWidth)]);
        assert_eq!(printable(zh), "张雪");
        assert_eq!(find_hostile("ab\u{200C}").len(), 1);
        assert_eq!(
            find_hostile("1\u{200C}2").len(),
            1,
            "digits are not letters"
        );
        assert_eq!(find_hostile("雪\u{200C}a").len(), 1);
    }

    #[test]
    fn printable_keeps_logical_order() {
        assert_eq!(printable("\u{202E}15\u{202C}万元"), "15万元");
        assert_eq!(printable("a\u{200B}b\u{1b}[31mc\td\n"), "ab[31mc\td\n");
        assert!(matches!(printable("没有问题的文字"), Cow::Borrowed(_)));
    }

    #[test]
    fn names_compare_by_key() {
        let k = name_key("张雪");
        for v in [
            "张 雪",
            "张　雪",
            "张\u{200B}雪",
            " 张雪\u{FEFF}",
            "张\u{2003}雪",
            "\u{202E}张雪",
        ] {
            assert_eq!(name_key(v), k, "{v:?}");
        }
        assert_eq!(name_key("金　路"), name_key("金路"));
        assert_eq!(name_key("ＡＢＣ１２３"), "ABC123");
        // A compatibility ideograph is its unified form.
        assert_eq!(name_key("\u{F900}"), "\u{8C48}");
        assert_ne!(name_key("张雪"), name_key("张雷"));
    }

    #[test]
    fn terminal_sees_no_raw_control() {
        assert_eq!(terminal_safe("a\u{1b}[2Jb"), "a\\x1b[2Jb");
        assert_eq!(terminal_safe("x\u{202E}y"), "x\\u{202e}y");
        assert_eq!(terminal_safe("\u{7}\u{9b}"), "\\x07\\x9b");
        assert!(matches!(terminal_safe("正常\t文字"), Cow::Borrowed(_)));
        for c in ['\u{1b}', '\u{202E}', '\u{9b}', '\u{FEFF}', '\u{E0001}'] {
            assert_eq!(
                terminal_width(c),
                terminal_safe(&c.to_string()).len(),
                "{c:?}"
            );
        }
        assert_eq!(terminal_width('民'), 2);
    }
}
