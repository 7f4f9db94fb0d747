//! `bulletin check`: every rule the content of an issue is held to, on top
//! of what the build itself validates.
//!
//! Families, one module each: [`punct`] (GB/T 15834 punctuation and
//! numerals, format-spec errors 1–8 and warnings 10–14), [`dates`] (item
//! dates, and spec error 9: zero-padded or abbreviated dates in prose),
//! [`units`], [`dup`] (duplicates), [`length`] and [`numbering`] (against
//! the previous issue), [`chars`] (bidi, zero-width and control
//! characters). The rules are pure functions of the model: the
//! workflow in `ops::check` loads the issue, typesets it for glyph
//! coverage (E081, file:line:col, by the very font code the PDF typesetter
//! uses) and hands the rules what they read.
//!
//! Every rule has a code, a default level that `[check.levels]` in
//! bulletin.toml can change (error, warning, off), and can be waived for one
//! occurrence by a marker in the submission (see [`waiver`]).

pub mod chars;
pub mod dates;
pub mod dup;
pub mod fix;
pub mod length;
pub mod numbering;
pub mod placeholder;
pub mod prose;
pub mod punct;
pub mod shape;
pub mod units;
pub mod waiver;

use std::ops::Range;

use crate::config::{Config, RuleLevel};
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::model::Issue;
use crate::source::SourceFile;
use crate::workspace::IssueMeta;

/// One check rule.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub code: &'static str,
    pub level: Severity,
    /// What it checks, in Chinese (for `--help` and documentation).
    pub what: &'static str,
}

const fn rule(code: &'static str, level: Severity, what: &'static str) -> Rule {
    Rule { code, level, what }
}

use Severity::{Error as E, Warning as W};

/// Every rule, in documentation order.
pub const RULES: &[Rule] = &[
    rule("P001", E, "汉字旁用了半角标点 , . : ; ? ! ( )"),
    rule("P002", E, "引号、括号、书名号不成对"),
    rule("P003", E, "中文里用了直引号 \" '"),
    rule("P004", E, "序号标点不对：一、 1. （一）"),
    rule("P005", E, "标点重复：，， 。。 ，。 、、"),
    rule(
        "P006",
        E,
        "省略号、破折号写法不对：…… ——；日期或数值范围用了横线（3-5人）",
    ),
    rule("P007", E, "汉字之间或全角标点旁有空格"),
    rule("P008", E, "全角数字或全角字母"),
    rule("P010", W, "表示概数的相邻数字之间用了顿号（三、五天）"),
    rule("P011", W, "正文段落没有以句末标点结束"),
    rule("P012", W, "标题末尾有标点"),
    rule("P013", W, "中文句子里夹有英文单词"),
    rule("P014", W, "数值范围前一个数缺少单位（15～30%）"),
    rule("P015", E, "汉字与数字之间有空格（11 月 26 日）"),
    rule("D001", E, "稿件日期晚于本期日期"),
    rule("D002", W, "稿件日期距本期日期太久"),
    rule(
        "D003",
        E,
        "正文日期写法不对：补零、两位年份、用点或横线分隔",
    ),
    rule("D004", W, "简讯开头的日期与稿件日期不一致"),
    rule("U001", W, "来源单位不在 [units] known 名单里"),
    rule("R001", W, "两篇稿件标题相同或几乎相同"),
    rule("R002", W, "两篇稿件正文相同或几乎相同"),
    rule("L001", W, "简讯超过规定字数"),
    rule("L002", W, "标题超过规定字数"),
    rule("L003", W, "栏目没有稿件"),
    rule("L004", W, "简讯栏的稿件写了标题（简讯不印标题）"),
    rule("F001", W, "版记没有写编辑（[footer] editor 为空）"),
    rule("N001", W, "期号或总期号已被别的期使用"),
    rule("N002", W, "期号与上一期不连续"),
    rule("N003", W, "本期日期早于上一期"),
    rule("T001", E, "文字里有双向文字控制字符（会颠倒显示顺序）"),
    rule("T002", E, "文字里有零宽字符等看不见的字符"),
    rule("T003", E, "文字里有控制字符（NUL、ESC 等）"),
    rule("C010", E, "正文里还留着新建稿件时的占位文字"),
];

pub fn find_rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// A diagnostic for `code` at its rule's default level.
pub fn diag(code: &'static str, message: impl Into<String>) -> Diagnostic {
    let d = Diagnostic::error(code, message);
    match find_rule(code) {
        Some(r) if r.level == Severity::Warning => Diagnostic {
            severity: Severity::Warning,
            ..d
        },
        _ => d,
    }
}

/// A diagnostic for `code` pointing at `span` of a submission.
pub fn diag_at(
    code: &'static str,
    src: &SourceFile,
    span: Range<usize>,
    message: impl Into<String>,
    hint: Option<String>,
) -> Diagnostic {
    let mut d = diag(code, message);
    d.location = Some(src.locate(span));
    d.hint = hint;
    d
}

/// Problems of one rule listed one by one per file; the rest are counted
/// in one summary diagnostic, so a file with a million of them costs
/// neither the memory nor the screen.
pub const MAX_PER_RULE_AND_FILE: usize = 50;

/// What the rules found: diagnostics, at most [`MAX_PER_RULE_AND_FILE`]
/// per file and rule code (located only when kept), and counts of the rest.
#[derive(Debug, Default)]
pub struct Found {
    out: Diagnostics,
    /// Per (file, code): the path, how many were kept and how many not.
    counts: std::collections::HashMap<(usize, &'static str), (std::path::PathBuf, usize, usize)>,
}

impl Found {
    /// Report `code` at `span` of `src`, unless the file already has its
    /// share of `code`.
    pub fn at(
        &mut self,
        code: &'static str,
        src: &SourceFile,
        span: Range<usize>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        if self.take(code, src) {
            self.out.push(diag_at(code, src, span, message, hint));
        }
    }

    /// Count `n` more problems of `code` in `src` that are not listed.
    pub fn uncounted(&mut self, code: &'static str, src: &SourceFile, n: usize) {
        if n > 0 {
            self.count(code, src).2 += n;
        }
    }

    fn count(
        &mut self,
        code: &'static str,
        src: &SourceFile,
    ) -> &mut (std::path::PathBuf, usize, usize) {
        let key = (std::ptr::from_ref(src) as usize, code);
        self.counts
            .entry(key)
            .or_insert_with(|| (src.path.clone(), 0, 0))
    }

    /// Whether one more problem of `code` in `src` is listed (counting it).
    fn take(&mut self, code: &'static str, src: &SourceFile) -> bool {
        let c = self.count(code, src);
        if c.1 < MAX_PER_RULE_AND_FILE {
            c.1 += 1;
            true
        } else {
            c.2 += 1;
            false
        }
    }

    /// The diagnostics, with one summary per file and code that had more.
    pub fn finish(self) -> Diagnostics {
        let mut out = self.out;
        let mut rest: Vec<_> = self
            .counts
            .into_iter()
            .filter(|(_, (_, _, dropped))| *dropped > 0)
            .map(|((_, code), (path, _, dropped))| (path, code, dropped))
            .collect();
        rest.sort();
        for (path, code, dropped) in rest {
            out.push(
                diag(
                    code,
                    format!(
                        "另有 {dropped} 处同类问题未列出（每个文件每条规则只列出前 {MAX_PER_RULE_AND_FILE} 处）"
                    ),
                )
                .in_file(&path)
                .with_hint("先改正上面列出的问题，再重新检查"),
            );
        }
        out
    }
}

/// Limits of the length and date rules.
#[derive(Debug, Clone)]
pub struct Limits {
    pub brief_max_chars: usize,
    pub title_max_chars: usize,
    pub max_age_days: i64,
}

impl Limits {
    pub fn from_config(config: &Config) -> Limits {
        let c = &config.check;
        Limits {
            brief_max_chars: c.brief_max_chars.unwrap_or(200),
            title_max_chars: c.title_max_chars.unwrap_or(40),
            max_age_days: c.max_age_days.unwrap_or(60),
        }
    }
}

/// The content rules on an assembled issue (no build validation, no
/// waivers or levels applied yet).
/// `others` are the metadata of the workspace's other issues.
pub fn content_rules(config: &Config, issue: &Issue, others: &[IssueMeta]) -> Diagnostics {
    let limits = Limits::from_config(config);
    let mut d = Diagnostics::default();
    d.extend(chars::check(issue));
    d.extend(punct::check(issue));
    d.extend(dates::check(issue, &limits));
    d.extend(units::check(issue, &config.units.known));
    d.extend(dup::check(issue));
    d.extend(length::check(issue, &limits, Some(config.source())));
    d.extend(numbering::check(issue, others));
    d.extend(placeholder::check(issue));
    d.extend(shape::check(issue, config));
    d
}

/// `[check.levels]` applied: a level changes a rule's severity, `off` drops
/// it. Diagnostics of codes that are not rules (build validation) stay.
pub fn apply_levels(config: &Config, diags: Diagnostics) -> Diagnostics {
    let levels = &config.check.levels;
    let mut out = Diagnostics::default();
    for mut d in diags.items {
        match levels.get(d.code) {
            Some(RuleLevel::Off) if find_rule(d.code).is_some() => continue,
            Some(RuleLevel::Error) if find_rule(d.code).is_some() => d.severity = Severity::Error,
            Some(RuleLevel::Warning) if find_rule(d.code).is_some() => {
                d.severity = Severity::Warning
            }
            _ => {}
        }
        out.push(d);
    }
    out
}

/// Problems in `[check]` itself: an unknown rule code in `levels`.
pub fn config_problems(config: &Config) -> Diagnostics {
    let mut d = Diagnostics::default();
    let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    for code in config.check.levels.keys() {
        if find_rule(code).is_some() {
            continue;
        }
        let mut e = Diagnostic::error(
            "C003",
            format!("[check.levels] 里的“{code}”不是检查规则的代码"),
        );
        e = config.located.at_key(e, &format!("check.levels.{code}"));
        e = match crate::config::toml_error::closest(code, codes.iter().copied()) {
            Some(best) => e.with_hint(format!("是不是 {best}？规则代码见 bulletin check --rules")),
            None => e.with_hint("规则代码见 bulletin check --rules"),
        };
        d.push(e);
    }
    d
}

/// Character count of printed text, as the length rules count it: every
/// character but whitespace.
pub fn printed_len(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

#[cfg(test)]
pub(crate) use crate::model::testutil;

#[cfg(test)]
mod doc_tests {
    /// Every rule is documented for users, with its default level.
    #[test]
    fn every_rule_is_in_the_user_guide() {
        let guide = include_str!("../../docs/review.md");
        for r in super::RULES {
            let row = format!("| {} | {} |", r.code, r.level.label());
            assert!(
                guide.contains(&row),
                "docs/review.md lacks the row for {}",
                r.code
            );
        }
    }
}
