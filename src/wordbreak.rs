//! Where a title may break: word boundaries found by ICU4X's dictionary
//! segmenter (its Chinese dictionary compiled into the program), refined
//! by a small civil-affairs lexicon, each boundary with a cost (punctuation
//! and phrase boundaries cheap, inside a word prohibitive).
//!
//! Shared by the PDF typesetter (`typeset::title` balances title lines over
//! these costs) and the HTML edition (which marks the same boundaries with
//! `<wbr>` so that a browser breaks a title only between words).

use std::ops::Range;
use std::sync::OnceLock;

use icu_segmenter::WordSegmenter;
use icu_segmenter::options::WordBreakInvariantOptions;

use crate::text::{no_line_end, no_line_start};

/// Terms that never break inside, whatever the segmenter says: names
/// of offices and things of civil affairs the dictionary does not know.
const LEXICON: &[&str] = &[
    "民政局",
    "民政厅",
    "民政部",
    "民政所",
    "民政办",
    "社会事业局",
    "养老机构",
    "养老服务",
    "社会工作者",
    "社工站",
    "敬老院",
    "福利院",
    "救助站",
    "意识形态",
    "党风廉政",
    "困境儿童",
    "留守儿童",
    "留守老年人",
    "无人抚养",
    "法人治理",
    "议事协商",
    "慈善总会",
    "最后一公里",
    "区划地名",
    "婚姻登记处",
    "中级人民法院",
    "多措并举",
    "应救尽救",
    "应保尽保",
    "老有所依",
    "一老一小",
    "跨省通办",
    "一站式",
    "低保",
    "特困",
    "兜底",
    "托育",
    "祭扫",
    "社区治理",
    "困难群众",
    "事实无人抚养儿童",
    "消防安全",
    "食品安全",
    "安全生产",
    "冬春",
    "大排查",
    "大整治",
];

/// Single characters that end the word before them (南召|县, 社会工作|者):
/// a title may break after one of them.
const SUFFIXES: &[char] = &[
    '县', '区', '市', '镇', '乡', '村', '省', '局', '处', '科', '室', '站', '院', '所', '会', '者',
    '员', '班', '点', '式', '化', '性', '度', '级', '期', '和', '与', '及', '并', '的',
];

/// Characters (prepositions, conjunctions) a new phrase often starts with:
/// a break before them is a phrase boundary.
const PHRASE_BEFORE: &[char] = &[
    '在', '对', '与', '暨', '为', '向', '赴', '到', '于', '让', '以', '把', '给',
];

/// Verbs before and after which a title breaks well (the subject, the
/// verb, what it does).
const PHRASE_AFTER: &[&str] = &[
    "召开", "开展", "举办", "举行", "部署", "推进", "印发", "出台", "启动", "完成", "组织", "落实",
    "深化", "实施", "研究", "调研", "督导", "检查", "推动", "做好", "加强", "持续", "建立", "投入",
    "推行", "创新", "关于", "联合",
];

/// Cost of a break, by kind, in the unit of the balance cost.
const AT_PUNCT: f32 = 0.0;
const AT_PHRASE: f32 = 2.0;
const AT_WORD: f32 = 10.0;
/// Inside a quoted or bracketed phrase, or before a bracket that annotates
/// the word before it (乡镇（街道）), between words.
const IN_QUOTE: f32 = 14.0;
/// Next to a single character the segmenter could not place in a word.
const AT_SINGLE: f32 = 30.0;
/// Inside a word: only when nothing else fits.
pub const IN_WORD: f32 = 400.0;
fn segmenter() -> &'static icu_segmenter::WordSegmenterBorrowed<'static> {
    static S: OnceLock<icu_segmenter::WordSegmenterBorrowed<'static>> = OnceLock::new();
    S.get_or_init(|| WordSegmenter::new_dictionary(WordBreakInvariantOptions::default()))
}

pub fn is_punct(ch: char) -> bool {
    !ch.is_alphanumeric()
}

/// The word segments of `chars` as ranges of character indices.
pub fn words(chars: &[char]) -> Vec<Range<usize>> {
    let text: String = chars.iter().collect();
    // Byte offset → character index.
    let mut at = vec![0usize; text.len() + 1];
    for (k, (b, _)) in text.char_indices().enumerate() {
        at[b] = k;
    }
    at[text.len()] = chars.len();
    let mut out = Vec::new();
    let mut prev = 0;
    for b in segmenter().segment_str(&text) {
        let k = at[b];
        if k > prev {
            out.push(prev..k);
            prev = k;
        }
    }
    out
}

/// The cost of breaking `chars` before each index (index 0 and n unused):
/// punctuation 0, phrase boundaries small, other word boundaries more,
/// inside a word or a lexicon term very high.
pub fn break_costs(chars: &[char]) -> Vec<f32> {
    let n = chars.len();
    let mut cost = vec![IN_WORD; n + 1];
    let segs = words(chars);
    let single = |r: &Range<usize>| r.len() == 1 && !is_punct(chars[r.start]);
    for w in segs.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let at = b.start;
        let punct = is_punct(chars[at - 1]) || is_punct(chars[at]);
        let c = if punct {
            AT_WORD
        } else if single(b) && PHRASE_BEFORE.contains(&chars[b.start]) {
            AT_PHRASE
        } else if single(b) {
            // ICU splits names it does not know into single characters
            // (南|召|县, 观|摩|会, 社会|工作|者): most belong to the word
            // before them.
            IN_WORD
        } else if single(a) && !SUFFIXES.contains(&chars[a.start]) {
            AT_SINGLE
        } else {
            AT_WORD
        };
        cost[at] = c;
    }
    // Phrase boundaries: after ：，、；！？ and ——, around quotes and
    // brackets, after the verbs of PHRASE_AFTER, before PHRASE_BEFORE.
    for at in 1..n {
        let (a, b) = (chars[at - 1], chars[at]);
        if matches!(a, '：' | '，' | '、' | '；' | '！' | '？' | '—') && b != '—' {
            cost[at] = AT_PUNCT;
        } else if matches!(a, '”' | '》' | '」') || matches!(b, '“' | '《' | '「') {
            cost[at] = cost[at].min(AT_PHRASE);
        } else if b == '（' {
            cost[at] = cost[at].max(IN_QUOTE);
        } else if cost[at] < IN_WORD {
            // Around a verb: the subject, the verb with what it does.
            let before: String = chars[at.saturating_sub(2)..at].iter().collect();
            let after: String = chars[at..(at + 2).min(n)].iter().collect();
            if PHRASE_AFTER.contains(&before.as_str()) || PHRASE_AFTER.contains(&after.as_str()) {
                cost[at] = AT_PHRASE;
            }
        }
    }
    // 和 joins two things: it ends a line rather than starts one (the
    // segmenter sometimes reads it into the next word: 和食|品).
    for at in 1..n {
        if chars[at] == '和' {
            cost[at] = cost[at].max(AT_SINGLE);
        } else if chars[at - 1] == '和' && !is_punct(chars[at]) {
            cost[at] = cost[at].min(AT_WORD);
        }
    }
    // Inside quotes and brackets a break costs more.
    let mut depth = 0i32;
    for at in 1..n {
        match chars[at - 1] {
            '“' | '《' | '（' | '「' | '‘' => depth += 1,
            '”' | '》' | '）' | '」' | '’' => depth -= 1,
            _ => {}
        }
        if depth > 0 && cost[at] < IN_QUOTE {
            cost[at] = IN_QUOTE;
        }
    }
    // Never inside a lexicon term, a Latin word or a number.
    for term in LEXICON {
        let t: Vec<char> = term.chars().collect();
        for s in 0..n.saturating_sub(t.len() - 1) {
            if chars[s..s + t.len()] == t[..] {
                for c in &mut cost[s + 1..s + t.len()] {
                    *c = c.max(IN_WORD);
                }
            }
        }
    }
    for at in 1..n {
        // A number stays with what it counts (2025年度, 1200万元).
        let number_unit = chars[at - 1].is_ascii_digit() && !is_punct(chars[at]);
        if number_unit || chars[at - 1].is_ascii_alphanumeric() && chars[at].is_ascii_alphanumeric()
        {
            cost[at] = cost[at].max(IN_WORD);
        }
    }
    cost
}

/// The character indices of `title` before which it may break: every word
/// boundary of [`break_costs`] cheaper than one next to a stray single
/// character (so never inside a word, a lexicon term, a number or a Latin
/// word, nor 宛|城区) that clreq also allows (no closing mark at a line
/// start, no opening mark at a line end). A browser breaks greedily, so
/// it gets only the breaks the PDF takes without a second thought.
pub fn title_breaks(title: &str) -> Vec<usize> {
    let chars: Vec<char> = title.chars().collect();
    let cost = break_costs(&chars);
    (1..chars.len())
        .filter(|&at| cost[at] < AT_SINGLE)
        .filter(|&at| !no_line_start(chars[at]) && !no_line_end(chars[at - 1]))
        .filter(|&at| !chars[at - 1].is_whitespace() && !chars[at].is_whitespace())
        .filter(|&at| !(chars[at - 1] == chars[at] && matches!(chars[at], '—' | '…')))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_terms_and_numbers_never_split() {
        let s = "打通居家养老服务最后一公里宛城区建成社区嵌入式养老服务站1200个";
        let chars: Vec<char> = s.chars().collect();
        let cost = break_costs(&chars);
        let at = s
            .find("最后一公里")
            .map(|b| s[..b].chars().count())
            .unwrap();
        for c in &cost[at + 1..at + 5] {
            assert!(*c >= IN_WORD);
        }
        let at = s.find("1200").map(|b| s[..b].chars().count()).unwrap();
        for c in &cost[at + 1..at + 4] {
            assert!(*c >= IN_WORD);
        }
    }

    /// Titles as the HTML edition marks them: | where a browser may break.
    fn marked(t: &str) -> String {
        let b = title_breaks(t);
        let mut s = String::new();
        for (i, ch) in t.chars().enumerate() {
            if b.contains(&i) {
                s.push('|');
            }
            s.push(ch);
        }
        s
    }

    #[test]
    fn title_breaks_only_between_words() {
        for want in [
            "全市|养老服务|质量|提升|现场观摩会|在方城县|召开",
            "市民政局|召开|冬季|民政|服务|机构|安全|工作|推进会",
            "打通|居家|养老服务|“最后一公里”：|宛城区|建成|社区|嵌入式|养老服务站|12个",
        ] {
            assert_eq!(marked(&want.replace('|', "")), want);
        }
        // No break before a closing mark or after an opening one, none
        // inside ——.
        let t = "聚焦“一老一小”办好民生实事——宛城区全力推进（试点）";
        for at in title_breaks(t) {
            let c: Vec<char> = t.chars().collect();
            assert!(!crate::text::no_line_start(c[at]), "{}", marked(t));
            assert!(!crate::text::no_line_end(c[at - 1]), "{}", marked(t));
            assert!(!(c[at - 1] == '—' && c[at] == '—'), "{}", marked(t));
        }
    }
}
